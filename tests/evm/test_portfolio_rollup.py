"""
The vectorised portfolio roll-up equals project_performance's latest row, per project.

The oracle is computed here, independently of :mod:`pmo_kit.evm.rollup`: each
project's status rows (cut at ``as_of``) go through :func:`project_performance` and
its last row is kept. Projects without rows by ``as_of`` are checked against their
``projects`` row (budget, dates).
"""

from __future__ import annotations

import dataclasses
from typing import Any

import numpy as np
import pandas as pd
import pytest

import pmo_kit
from pmo_kit import Portfolio, ValidationError
from pmo_kit.evm import (
    PERFORMANCE_COLUMNS,
    RagRules,
    RagThresholds,
    portfolio_performance,
    project_performance,
)

PROJECT_COLUMNS = [
    "project_id",
    "name",
    "programme",
    "phase",
    "start",
    "planned_finish",
]
RAGS = ("schedule_rag", "cost_rag", "overall_rag")
DATES = ("status_date", "forecast_finish")
NUMBERS = [c for c in PERFORMANCE_COLUMNS if c not in (*RAGS, *DATES)]
CUSTOM = RagRules(
    schedule=RagThresholds(0.99, 1.01, 0.98, 1.02),
    cost=RagThresholds(green_low=0.97, green_high=1.03, amber_low=0.85, amber_high=1.2),
)
VARIANTS: dict[str, dict[str, Any]] = {
    "default": {},
    "custom rules": {"thresholds": CUSTOM},
    "one band": {"thresholds": RagThresholds(0.9, 1.1, 0.8, 1.2)},
    "spi": {"schedule_index": "spi"},
}


@pytest.fixture(scope="module")
def generated() -> dict[int, Portfolio]:
    return {
        seed: pmo_kit.generate_organisation(seed=seed, projects=300) for seed in (7, 41)
    }


def _cut_offs(portfolio: Portfolio) -> dict[str, pd.Timestamp | None]:
    """``None``, the median status date, and a date before some projects start."""
    dates = portfolio.status["status_date"].sort_values().reset_index(drop=True)
    starts = portfolio.projects["start"].sort_values().reset_index(drop=True)
    return {
        "latest": None,
        "mid-data": dates.iloc[len(dates) // 2],
        "before some starts": starts.iloc[len(starts) * 3 // 4],
    }


def _oracle(
    portfolio: Portfolio, as_of: pd.Timestamp | None, **kwargs: Any
) -> dict[str, pd.Series]:
    """project_performance(rows).iloc[-1] of every project with rows by ``as_of``."""
    status = portfolio.status
    if as_of is not None:
        status = status[status["status_date"] <= as_of]
    by_project = dict(tuple(status.groupby("project_id")))
    latest = {}
    for project in portfolio.projects.to_dict("records"):
        rows = by_project.get(project["project_id"])
        if rows is None:
            continue
        latest[project["project_id"]] = project_performance(
            rows,
            bac=float(project["budget"]),
            start=project["start"],
            planned_finish=project["planned_finish"],
            **kwargs,
        ).iloc[-1]
    return latest


def _assert_matches(
    portfolio: Portfolio, as_of: pd.Timestamp | None, **kwargs: Any
) -> pd.DataFrame:
    table = portfolio_performance(portfolio, as_of=as_of, **kwargs)
    # shape, order and types
    assert list(table.columns) == [*PROJECT_COLUMNS, *PERFORMANCE_COLUMNS]
    assert table["project_id"].tolist() == portfolio.project_ids
    assert table.index.equals(pd.RangeIndex(len(portfolio.projects)))
    for column in NUMBERS:
        assert table[column].dtype == np.float64, column
    for column in (*DATES, "start", "planned_finish"):
        assert pd.api.types.is_datetime64_dtype(table[column]), column
    for column in (*RAGS, "project_id", "name", "programme", "phase"):
        assert pd.api.types.is_string_dtype(table[column]), column
    for column in PROJECT_COLUMNS:
        assert table[column].tolist() == portfolio.projects[column].tolist(), column

    oracle = _oracle(portfolio, as_of, **kwargs)
    assert oracle, "the case must have reporting projects"
    reporting = table["project_id"].isin(list(oracle)).to_numpy()
    expected = pd.DataFrame([oracle[p] for p in table.loc[reporting, "project_id"]])
    got = table.loc[reporting]
    for column in NUMBERS:
        np.testing.assert_allclose(
            got[column].to_numpy(np.float64),
            expected[column].to_numpy(np.float64),
            rtol=1e-12,
            atol=0,
            equal_nan=True,
            err_msg=column,
        )
    for column in DATES:
        a = pd.to_datetime(got[column]).to_numpy()
        e = pd.to_datetime(expected[column]).to_numpy()
        assert ((a == e) | (np.isnat(a) & np.isnat(e))).all(), column
    for column in RAGS:
        assert got[column].tolist() == expected[column].tolist(), column

    _assert_not_reporting(portfolio, table.loc[~reporting])
    return table


def _assert_not_reporting(portfolio: Portfolio, rows: pd.DataFrame) -> None:
    """No status row by the cut-off: budget and duration kept, NaN, NaT, grey."""
    projects = portfolio.projects.set_index("project_id").to_dict("index")
    for row in rows.to_dict("records"):
        project = projects[row["project_id"]]
        assert row["bac"] == float(project["budget"])
        days = (project["planned_finish"] - project["start"]).days + 1
        assert row["planned_duration"] == pytest.approx(days / 7, rel=1e-12)
        for column in NUMBERS:
            if column not in ("bac", "planned_duration"):
                assert np.isnan(row[column]), column
        assert row["status_date"] is pd.NaT
        assert row["forecast_finish"] is pd.NaT
        assert [row[c] for c in RAGS] == ["grey"] * 3


# --------------------------------------------- the bundled data, every case


@pytest.mark.parametrize("variant", list(VARIANTS))
@pytest.mark.parametrize("cut_off", ["latest", "mid-data", "before some starts"])
def test_bundled_data_equals_the_per_project_path(sample, cut_off, variant):
    as_of = _cut_offs(sample)[cut_off]
    table = _assert_matches(sample, as_of, **VARIANTS[variant])
    if cut_off == "before some starts":
        later = table["start"] > as_of
        assert later.any()
        assert (table.loc[later, "overall_rag"] == "grey").all()


# ------------------------------------------- generated organisations (300)


@pytest.mark.parametrize("cut_off", ["latest", "mid-data", "before some starts"])
@pytest.mark.parametrize("seed", [7, 41])
def test_generated_organisations_equal_the_per_project_path(generated, seed, cut_off):
    portfolio = generated[seed]
    as_of = _cut_offs(portfolio)[cut_off]
    table = _assert_matches(portfolio, as_of)
    grey = table["overall_rag"] == "grey"
    assert (~grey).sum() > 50  # most of the comparisons are real
    if cut_off == "before some starts":
        assert (table.loc[table["start"] > as_of, "overall_rag"] == "grey").all()
        assert grey.sum() >= len(table) // 5


@pytest.mark.parametrize(
    ("seed", "cut_off", "variant"),
    [(7, "mid-data", "custom rules"), (41, "latest", "spi")],
)
def test_generated_organisations_with_other_rules(generated, seed, cut_off, variant):
    portfolio = generated[seed]
    _assert_matches(portfolio, _cut_offs(portfolio)[cut_off], **VARIANTS[variant])


# ------------------------------------------------ odd inputs, same answers


def test_row_order_and_unknown_projects_do_not_matter(sample):
    shuffled = sample.status.sample(frac=1, random_state=5)
    stray = sample.status.iloc[:3].assign(project_id="P-999")
    odd = dataclasses.replace(sample, status=pd.concat([shuffled, stray]))
    _assert_matches(odd, None)


def test_missing_ev_on_the_latest_row_gives_nan_schedule(sample):
    status = sample.status.copy()
    last = status[status["project_id"] == "P-002"]["status_date"].idxmax()
    status.loc[last, "ev"] = np.nan
    table = _assert_matches(dataclasses.replace(sample, status=status), None)
    p002 = table.set_index("project_id").loc["P-002"]
    assert np.isnan(p002["es"])
    assert np.isnan(p002["spi_t"])
    assert p002["schedule_rag"] == "grey"


def test_a_project_listed_twice_gets_its_rows_twice(sample):
    projects = pd.concat(
        [sample.projects, sample.projects.iloc[[1]]], ignore_index=True
    )
    table = portfolio_performance(dataclasses.replace(sample, projects=projects))
    first, again = table.iloc[1], table.iloc[-1]
    assert again["project_id"] == first["project_id"] == "P-002"
    for column in ("ev", "spi_t", "forecast_finish", "overall_rag"):
        assert again[column] == first[column], column


def _weekly(project_id: str, pv: list[float], ev: list[float]) -> pd.DataFrame:
    """Status rows on 2026-01-07, -14, ...: the ends of weeks 1, 2, ... of 2026."""
    return pd.DataFrame(
        {
            "project_id": project_id,
            "status_date": pd.date_range("2026-01-07", periods=len(pv), freq="7D"),
            "pv": pv,
            "ev": ev,
            "ac": ev,
        }
    )


@pytest.fixture
def small(sample: Portfolio) -> Portfolio:
    """Three hand-made projects, all starting Thursday 1 January 2026 (10 weeks)."""
    projects = sample.projects.iloc[:3].copy()
    projects["project_id"] = ["DONE", "ZERO", "RUN"]
    projects["start"] = pd.Timestamp("2026-01-01")
    projects["planned_finish"] = pd.Timestamp("2026-03-11")
    projects["budget"] = [1_000.0, 0.0, 1_000.0]
    status = pd.concat(
        [
            # PV reaches BAC at week 4; EV reaches it too: ES is 4 weeks
            _weekly("DONE", [250.0, 500, 750, 1_000], [200.0, 450, 800, 1_000]),
            # nothing budgeted: the curve is flat at 0 and ES is week 0
            _weekly("ZERO", [0.0, 0.0], [0.0, 0.0]),
            # EV ahead of the last PV: ES on the straight line to (10 weeks, BAC)
            _weekly("RUN", [100.0, 200.0], [100.0, 300.0]),
        ],
        ignore_index=True,
    )
    return dataclasses.replace(
        sample, projects=projects.reset_index(drop=True), status=status
    )


def test_curve_ends_by_hand(small):
    table = _assert_matches(small, None).set_index("project_id")
    assert table.loc["DONE", "es"] == 4.0
    assert table.loc["DONE", "spi_t"] == 1.0
    assert table.loc["ZERO", "es"] == 0.0
    assert table.loc[["ZERO"], "ieac_t"].isna().all()  # SPI(t) 0: no forecast
    # (300 - 200) / (1,000 - 200) of the way from week 2 to week 10
    assert table.loc["RUN", "es"] == pytest.approx(2 + 8 * 100 / 800, rel=1e-12)


@pytest.mark.parametrize(
    ("column", "row", "value", "match"),
    [
        ("pv", 2, 100.0, "PV falls from 500.0 to 100.0 on 2026-01-21"),
        ("ev", 1, 2_000.0, r"`ev` = 2000.0 exceeds `bac` = 1000.0 \(row 1\)"),
        ("pv", 3, 5_000.0, "PV 5000.0 on 2026-01-28 exceeds `bac` 1000.0"),
        ("ac", 0, -1.0, r"-1.0 is an invalid value for `ac` \(row 0\)"),
        ("pv", 1, np.nan, "PV is missing on 2026-01-14"),
        ("status_date", 2, pd.Timestamp("2026-01-14"), "2026-01-14 appears twice"),
        ("status_date", 0, pd.Timestamp("2025-12-01"), "before the project start"),
    ],
)
def test_bad_rows_raise_the_per_project_message(small, column, row, value, match):
    status = small.status.copy()
    status.loc[row, column] = value  # rows 0-3 are DONE's, row 3 its latest
    bad = dataclasses.replace(small, status=status)
    with pytest.raises(ValidationError, match=match):
        portfolio_performance(bad)


def test_rows_after_the_cut_off_are_not_read(small):
    status = small.status.copy()
    status.loc[3, "pv"] = 100.0  # falls on 2026-01-28
    bad = dataclasses.replace(small, status=status)
    with pytest.raises(ValidationError, match=r"PV falls from 750\.0 to 100\.0"):
        portfolio_performance(bad)
    table = _assert_matches(bad, pd.Timestamp("2026-01-21"))
    assert table.set_index("project_id").loc["DONE", "pv"] == 750.0


def test_unknown_schedule_index_is_named(sample):
    with pytest.raises(ValidationError, match="invalid value for `schedule_index`"):
        portfolio_performance(sample, schedule_index="cpi")  # type: ignore[arg-type]
