"""Project and portfolio performance on the bundled Meridian Works sample."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from pmo_kit import Portfolio, ValidationError, portfolio_overview
from pmo_kit.evm import (
    PERFORMANCE_COLUMNS,
    RagRules,
    RagThresholds,
    load_rag_rules,
    portfolio_performance,
    portfolio_totals,
    project_performance,
)

HEALTHY = ["P-001", "P-005", "P-006", "P-007"]
NOT_REPORTING = ["P-008", "P-009", "P-010"]


@pytest.fixture(scope="module")
def performance(sample):
    return portfolio_performance(sample).set_index("project_id")


def _project(sample: Portfolio, project_id: str) -> tuple[pd.DataFrame, pd.Series]:
    projects = sample.projects
    row = projects[projects["project_id"] == project_id].iloc[0]
    rows = sample.status[sample.status["project_id"] == project_id]
    return rows, row


# ------------------------------------------------------ the README's situations


def test_one_row_per_project_in_order(sample, performance):
    assert performance.index.tolist() == sample.projects["project_id"].tolist()
    assert list(performance.columns[:5]) == [
        "name",
        "programme",
        "phase",
        "start",
        "planned_finish",
    ]


def test_p002_is_clearly_late(performance):
    # datasets/README.md: latest SPI 0.77 (PV 576,578, EV 441,124)
    p002 = performance.loc["P-002"]
    assert p002["pv"] == pytest.approx(576_577.78)
    assert p002["ev"] == pytest.approx(441_124.0)
    assert p002["spi"] == pytest.approx(0.77, abs=0.005)
    assert p002["spi_t"] < p002["spi"]  # in time it is even further behind
    assert p002["sv_t"] < -8  # weeks
    assert p002["schedule_rag"] == "red"
    assert p002["forecast_finish"] > p002["planned_finish"] + pd.Timedelta(days=90)


def test_p003_is_clearly_over_budget_but_on_time(performance):
    # datasets/README.md: latest CPI 0.81 (EV 647,028, AC 794,653) while SPI 0.97
    p003 = performance.loc["P-003"]
    assert p003["cpi"] == pytest.approx(0.81, abs=0.005)
    assert p003["spi"] == pytest.approx(0.97, abs=0.005)
    assert p003["cost_rag"] == "red"
    assert p003["schedule_rag"] == "green"
    assert p003["overall_rag"] == "red"
    assert p003["eac_cpi"] == pytest.approx(973_900 / p003["cpi"])
    assert p003["vac"] < -200_000
    assert p003["tcpi_bac"] > 1.5  # the budget needs an impossible recovery


def test_p004_risk_that_fired_shows_in_cost(performance):
    # README: CPI drops to about 0.93 after RK-018 occurred
    assert performance.loc["P-004", "cpi"] == pytest.approx(0.93, abs=0.005)
    assert performance.loc["P-004", "cost_rag"] == "amber"


@pytest.mark.parametrize("project_id", HEALTHY)
def test_healthy_projects_are_green(performance, project_id):
    row = performance.loc[project_id]
    assert 0.95 <= row["spi"] <= 1.05
    assert 0.95 <= row["cpi"] <= 1.05
    assert row["overall_rag"] == "green"


@pytest.mark.parametrize("project_id", NOT_REPORTING)
def test_projects_without_status_are_grey_but_keep_their_budget(
    sample, performance, project_id
):
    row = performance.loc[project_id]
    budget = sample.projects.set_index("project_id").loc[project_id, "budget"]
    assert row["bac"] == budget
    assert np.isnan(row["spi"])
    assert np.isnan(row["es"])
    assert pd.isna(row["status_date"])
    assert pd.isna(row["forecast_finish"])
    assert (row["schedule_rag"], row["cost_rag"], row["overall_rag"]) == ("grey",) * 3
    assert row["planned_duration"] > 0


def test_agrees_with_portfolio_overview(sample, performance):
    overview = portfolio_overview(sample).set_index("project_id")
    pd.testing.assert_series_equal(
        performance["spi"], overview["spi"], check_names=False, check_index_type=False
    )
    pd.testing.assert_series_equal(
        performance["cpi"], overview["cpi"], check_names=False, check_index_type=False
    )
    pd.testing.assert_series_equal(
        performance["eac_cpi"],
        overview["eac"],
        check_names=False,
        check_index_type=False,
    )
    # one schedule index for RAG across the kit: SPI(t), as portfolio_performance
    for column in ("schedule_rag", "cost_rag", "overall_rag"):
        assert performance[column].tolist() == overview[column].tolist(), column


def test_as_of_takes_the_latest_row_on_or_before_the_date(sample):
    earlier = portfolio_performance(sample, as_of="2026-05-01").set_index("project_id")
    assert earlier.loc["P-002", "status_date"] == pd.Timestamp("2026-05-01")
    rows, _ = _project(sample, "P-002")
    expected = rows[rows["status_date"] == "2026-05-01"].iloc[0]
    assert earlier.loc["P-002", "ev"] == expected["ev"]
    before_all = portfolio_performance(sample, as_of="2025-01-01")
    assert set(before_all["overall_rag"]) == {"grey"}


def test_custom_rules_from_yaml_change_the_status(sample, tmp_path):
    path = tmp_path / "rag.yaml"
    path.write_text("cost:\n  green: [0.95, 1.05]\n  amber: [0.80, 1.20]\n", "utf-8")
    relaxed = portfolio_performance(sample, thresholds=load_rag_rules(path))
    p003 = relaxed.set_index("project_id").loc["P-003"]
    assert p003["cost_rag"] == "amber"
    assert p003["schedule_rag"] == "green"
    strict = RagRules(schedule=RagThresholds(0.99, 1.01, 0.98, 1.02))
    tight = portfolio_performance(sample, thresholds=strict).set_index("project_id")
    assert tight.loc["P-005", "schedule_rag"] == "red"  # SPI(t) 0.97


# ------------------------------------------------------------------ totals


def test_totals_sum_money_and_recompute_indices(performance):
    totals = portfolio_totals(performance)
    assert totals.index.tolist() == ["total"]
    row = totals.iloc[0]
    reporting = performance[performance["ev"].notna()]
    assert row["projects"] == 10
    assert row["reporting"] == 7
    assert row["bac"] == pytest.approx(performance["bac"].sum())
    assert row["ev"] == pytest.approx(reporting["ev"].sum())
    assert row["spi"] == pytest.approx(reporting["ev"].sum() / reporting["pv"].sum())
    assert row["cpi"] == pytest.approx(reporting["ev"].sum() / reporting["ac"].sum())
    not_reporting_bac = performance.loc[NOT_REPORTING, "bac"].sum()
    assert row["eac_cpi"] == pytest.approx(
        reporting["eac_cpi"].sum() + not_reporting_bac
    )
    assert row["vac"] == pytest.approx(row["bac"] - row["eac_cpi"])
    assert row["cost_rag"] == "amber"  # 0.93: P-003 pulls the portfolio down


def test_totals_concatenate_into_a_report_table(performance):
    table = pd.concat([performance, portfolio_totals(performance)])
    assert table.index[-1] == "total"
    assert table.loc["total", "overall_rag"] in {"green", "amber", "red"}


def test_totals_name_missing_columns():
    with pytest.raises(ValidationError, match="portfolio_totals needs the column"):
        portfolio_totals(pd.DataFrame({"bac": [1.0]}))


# ---------------------------------------------------------- one project


def test_project_performance_rows_and_columns(sample, performance):
    rows, project = _project(sample, "P-002")
    perf = project_performance(
        rows.sample(frac=1, random_state=1),  # any order in, sorted out
        bac=project["budget"],
        start=project["start"],
        planned_finish=project["planned_finish"],
    )
    assert list(perf.columns) == ["project_id", *PERFORMANCE_COLUMNS]
    assert len(perf) == len(rows)
    assert perf["status_date"].is_monotonic_increasing
    assert (perf["es"].diff().dropna() >= 0).all()  # EV never falls, nor does ES
    last = perf.iloc[-1]
    latest = performance.loc["P-002"]
    for column in ("ev", "spi", "spi_t", "ieac_t", "forecast_finish", "overall_rag"):
        assert last[column] == latest[column], column


def test_time_unit_is_weeks_since_the_start(sample):
    rows, project = _project(sample, "P-001")
    perf = project_performance(
        rows,
        bac=project["budget"],
        start=project["start"],
        planned_finish=project["planned_finish"],
    )
    days = (perf["status_date"] - project["start"]).dt.days + 1
    assert perf["at"].to_numpy() == pytest.approx(days.to_numpy() / 7)
    planned_days = (project["planned_finish"] - project["start"]).days + 1
    assert perf["planned_duration"].iloc[0] == pytest.approx(planned_days / 7)


def test_explicit_baseline_gives_the_same_earned_schedule(sample):
    rows, project = _project(sample, "P-003")
    kwargs = {
        "bac": project["budget"],
        "start": project["start"],
        "planned_finish": project["planned_finish"],
    }
    default = project_performance(rows, **kwargs)
    start = pd.Timestamp(project["start"])
    day = pd.Timedelta(days=1)
    curve = pd.concat(
        [
            pd.Series([0.0], index=[start]),
            pd.Series(rows["pv"].to_numpy(), index=rows["status_date"] + day),
            pd.Series([project["budget"]], index=[project["planned_finish"] + day]),
        ]
    )
    explicit = project_performance(rows, baseline=curve, **kwargs)
    assert explicit["es"].to_numpy() == pytest.approx(default["es"].to_numpy())


def test_project_ahead_of_its_last_pv_row_uses_the_baseline_to_the_finish():
    status = pd.DataFrame(
        {"status_date": ["2026-01-07"], "pv": [100.0], "ev": [150.0], "ac": [150.0]}
    )
    perf = project_performance(
        status, bac=1_000.0, start="2026-01-01", planned_finish="2026-03-11"
    )
    # PV runs straight from 100 (week 1) to 1,000 (week 10): 150 is at week 1.5
    assert perf["es"].iloc[0] == pytest.approx(1.5)
    assert perf["spi_t"].iloc[0] == pytest.approx(1.5)


@pytest.mark.parametrize(
    ("change", "match"),
    [
        (lambda s: s.drop(columns=["ac"]), "needs the status column"),
        (
            lambda s: s.assign(project_id=["P-001", "P-002", "P-002"]),
            "belong to 2 projects",
        ),
        (lambda s: s.assign(status_date=["2026-01-07"] * 3), "appears twice"),
        (lambda s: s.assign(pv=[100.0, 50.0, 300.0]), "PV falls from 100.0 to 50.0"),
        (lambda s: s.assign(pv=[100.0, 200.0, 2_000.0]), "exceeds `bac`"),
        (
            lambda s: s.assign(status_date=["2025-12-01", "2026-01-14", "2026-01-21"]),
            "before the project start",
        ),
        (lambda s: s.assign(ev=[80.0, 160.0, 1_200.0]), "exceeds `bac`"),
        (
            lambda s: s.assign(status_date=[None, "2026-01-14", "2026-01-21"]),
            "no `status_date`",
        ),
    ],
)
def test_project_performance_errors(change, match):
    status = pd.DataFrame(
        {
            "project_id": "P-001",
            "status_date": ["2026-01-07", "2026-01-14", "2026-01-21"],
            "pv": [100.0, 200.0, 300.0],
            "ev": [80.0, 160.0, 240.0],
            "ac": [80.0, 160.0, 240.0],
        }
    )
    with pytest.raises(ValidationError, match=match):
        project_performance(
            change(status), bac=1_000.0, start="2026-01-01", planned_finish="2026-03-11"
        )


def test_dates_and_schedule_index_are_checked():
    status = pd.DataFrame(
        {"status_date": ["2026-01-07"], "pv": [100.0], "ev": [80.0], "ac": [80.0]}
    )
    with pytest.raises(ValidationError, match="`planned_finish`"):
        project_performance(
            status, bac=1_000.0, start="2026-01-01", planned_finish="2025-03-11"
        )
    with pytest.raises(ValidationError, match="invalid value for `start`"):
        project_performance(
            status, bac=1_000.0, start="someday", planned_finish="2026-03-11"
        )
    with pytest.raises(ValidationError, match="`schedule_index`"):
        project_performance(
            status,
            bac=1_000.0,
            start="2026-01-01",
            planned_finish="2026-03-11",
            schedule_index="cpi",  # type: ignore[arg-type]
        )
