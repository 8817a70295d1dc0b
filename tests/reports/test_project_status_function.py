"""
project_status on a tiny hand-built portfolio: every oracle is worked out by hand.

The project P-1 starts on Saturday 3 Jan 2026 (so weekly status rows on Fridays are
whole weeks: AT = 1, 2, 3, 4) and is planned to finish on Friday 13 Mar 2026 (PD = 10
weeks), budget 1,000 CHF spread evenly: PV = 100 a week. EV = 80 a week: by week 4
EV = 320, earned where the plan was at 3.2 weeks, SPI(t) = 3.2 / 4 = 0.80 (red, below
0.90); AC = EV, CPI = 1.00 (green). The status date is Friday 30 Jan 2026.
"""

from __future__ import annotations

import dataclasses
import json
import math
from typing import TYPE_CHECKING, Any, cast

import pandas as pd
import pytest

from pmo_kit import Portfolio, ValidationError
from pmo_kit.agile import FlowTolerances
from pmo_kit.charter import Charter
from pmo_kit.data.tables import empty_table
from pmo_kit.reports import (
    ProjectStatus,
    StatusRules,
    load_status_rules,
    project_status,
)
from pmo_kit.reports._status_areas import AreaStatus, RiskPicture, scope_area
from pmo_kit.reports._status_rules import DEFAULT_STATUS_RULES_PATH
from pmo_kit.risk import ORDINAL_5X5

if TYPE_CHECKING:
    from collections.abc import Iterable

T = pd.Timestamp
STATUS = T("2026-01-30")


def frame(table: str, rows: list[dict[str, Any]]) -> pd.DataFrame:
    """A canonical table (schema columns and types) holding ``rows``."""
    empty = empty_table(table)
    data = pd.DataFrame(rows, columns=empty.columns)
    return data.astype(empty.dtypes.to_dict())


def risk(risk_id: str, **values: Any) -> dict[str, Any]:
    row = {
        "project_id": "P-1",
        "risk_id": risk_id,
        "title": f"Risk {risk_id}",
        "type": "threat",
        "category": "technical",
        "owner": "R-1",
        "probability": 4,
        "impact": 4,
        "residual_probability": 1,
        "residual_impact": 1,
        "cost_impact_min": 0.0,
        "cost_impact_most_likely": 0.0,
        "cost_impact_max": 0.0,
        "proximity": "near",
        "response_strategy": "mitigate",
        "response_actions": "act",
        "status": "open",
        "raised_date": T("2026-01-05"),
        "last_review_date": T("2026-01-28"),
        "closed_date": pd.NaT,
    }
    row.update(values)
    return row


def task(
    task_id: str, duration: int, base_start: str, base_finish: str, **values: Any
) -> dict[str, Any]:
    row = {
        "project_id": "P-1",
        "task_id": task_id,
        "name": f"Task {task_id}",
        "duration": duration,
        "baseline_start": T(base_start),
        "baseline_finish": T(base_finish),
        "percent_complete": 0.0,
        "actual_start": pd.NaT,
        "actual_finish": pd.NaT,
    }
    row.update(values)
    return row


def tiny(
    risks: Iterable[dict[str, Any]] = (),
    *,
    currency: str = "CHF",
    phase: str = "execution",
    status_rows: int = 4,
    charter: object = None,
) -> Portfolio:
    projects = frame(
        "projects",
        [
            {
                "project_id": "P-1",
                "name": "Tiny",
                "sponsor": "Sam Sponsor",
                "manager": "R-2",
                "methodology": "predictive",
                "phase": phase,
                "start": T("2026-01-03"),
                "planned_finish": T("2026-03-13"),
                "budget": 1000.0,
                "status_date": STATUS,
            }
        ],
    )
    weeks = range(1, status_rows + 1)
    status = frame(
        "status",
        [
            {
                "project_id": "P-1",
                "status_date": T("2026-01-02") + pd.Timedelta(weeks=k),
                "pv": 100.0 * k,
                "ev": 80.0 * k,
                "ac": 80.0 * k,
            }
            for k in weeks
        ],
    )
    tasks = frame(
        "tasks",
        [
            task(
                "T1", 10, "2026-01-05", "2026-01-16",
                percent_complete=100.0, actual_start=T("2026-01-05"),
                actual_finish=T("2026-01-23"),
            ),
            task(
                "M1", 0, "2026-01-16", "2026-01-16",
                percent_complete=100.0, actual_start=T("2026-01-23"),
                actual_finish=T("2026-01-23"),
            ),
            task(
                "T2", 10, "2026-01-19", "2026-01-30",
                percent_complete=50.0, actual_start=T("2026-01-26"),
            ),
            task("M2", 0, "2026-01-30", "2026-01-30"),
            task("T3", 30, "2026-02-02", "2026-03-13"),
            task("M3", 0, "2026-03-13", "2026-03-13"),
        ],
    )  # fmt: skip
    links = [("T1", "M1"), ("M1", "T2"), ("T2", "M2"), ("M2", "T3"), ("T3", "M3")]
    dependencies = frame(
        "dependencies",
        [
            {
                "project_id": "P-1",
                "predecessor": p,
                "successor": s,
                "type": "FS",
                "lag": 0,
            }
            for p, s in links
        ],
    )
    resources = frame(
        "resources",
        [
            {"resource_id": "R-1", "name": "Ada Lovelace", "role": "engineer"},
            {"resource_id": "R-2", "name": "Grace Hopper", "role": "project manager"},
        ],
    )
    return Portfolio(
        name="Tiny Org",
        currency=currency,
        projects=projects,
        tasks=tasks,
        dependencies=dependencies,
        resources=resources,
        risks=frame("risks", list(risks)),
        status=status,
        charters=cast("Any", {} if charter is None else {"P-1": charter}),
        assignments=empty_table("assignments"),
        sprints=empty_table("sprints"),
        work_items=empty_table("work_items"),
        status_changes=empty_table("status_changes"),
        lessons=empty_table("lessons"),
        gates=empty_table("gates"),
    )


@pytest.fixture(scope="module")
def plain() -> ProjectStatus:
    return project_status(tiny([risk("RK-1")]), "P-1")


# ------------------------------------------------------------ schedule and cost


def test_schedule_is_red_on_spi_t_and_cost_green_on_cpi(plain):
    assert plain.status_date == STATUS
    assert plain.previous_status_date == T("2026-01-23")
    assert plain.rag["schedule"] == "red"  # SPI(t) 0.80 < 0.90
    assert plain.rag["cost"] == "green"  # CPI 1.00
    assert plain.reasons["schedule"].startswith("SPI(t) 0.80: 3.2 weeks")
    summary = plain.summary()
    assert math.isclose(summary["spi_t"], 0.8)
    assert math.isclose(summary["es_weeks"], 3.2)
    assert summary["at_weeks"] == 4.0
    assert summary["bac"] == 1000.0
    assert summary["ev"] == 320.0


def test_overall_is_the_worst_area(plain):
    assert plain.rag["overall"] == "red"
    assert plain.reasons["overall"] == "the worst of the four: schedule"
    assert list(plain.areas) == ["overall", "schedule", "cost", "scope", "risk"]


def test_rag_rules_are_data():
    loose = {"schedule": {"green": [0.75, 1.05], "amber": [0.7, 1.1]}}
    from pmo_kit.evm import load_rag_rules

    status = project_status(
        tiny([risk("RK-1")]), "P-1", rag_rules=load_rag_rules(loose)
    )
    assert status.rag["schedule"] == "green"  # 0.80 is inside 0.75-1.05


# ------------------------------------------------------------------ milestones


def test_milestones_slip_in_working_days_and_are_due_in_the_window(plain):
    slipped = plain.milestones_slipped.set_index("task_id")
    # M1 done on 23 Jan, baseline 16 Jan: 5 working days late (amber, up to 10)
    # M2: T2 has 5 days left from Mon 2 Feb -> Fri 6 Feb, baseline Fri 30 Jan: 5
    # M3: T3's 30 days from Mon 9 Feb -> Fri 20 Mar, baseline Fri 13 Mar: 5
    assert slipped["slip_days"].to_dict() == {"M1": 5, "M2": 5, "M3": 5}
    assert slipped["forecast_finish"].to_dict() == {
        "M1": T("2026-01-23"),
        "M2": T("2026-02-06"),
        "M3": T("2026-03-20"),
    }
    assert slipped["state"].to_dict() == {
        "M1": "achieved",
        "M2": "overdue",
        "M3": "forecast",
    }
    assert set(slipped["rag"]) == {"amber"}
    # window: 4 weeks after 30 Jan = 27 Feb; M3 (13 Mar / 20 Mar) is outside
    assert plain.milestone_window_end == T("2026-02-27")
    assert plain.milestones_due["task_id"].tolist() == ["M2"]
    assert plain.summary()["milestones_due"][0]["overdue"] is True


def test_milestone_thresholds_are_data():
    rules = StatusRules(milestone_amber_slip_days=4, milestone_window_weeks=7)
    status = project_status(tiny([risk("RK-1")]), "P-1", rules=rules)
    assert set(status.milestones_slipped["rag"]) == {"red"}  # 5 > 4
    # 7 weeks after 30 Jan = 20 Mar: M3's forecast is inside
    assert status.milestones_due["task_id"].tolist() == ["M2", "M3"]


# ----------------------------------------------------------------------- risk


def test_high_threat_owned_and_reviewed_is_amber():
    # residual 4 x 4 = 16: high on the 5x5 matrix; reviewed 2 days ago
    status = project_status(
        tiny([risk("RK-1", residual_probability=4, residual_impact=4)]), "P-1"
    )
    assert status.rag["risk"] == "amber"
    assert "1 high threat, owned and reviewed" in status.reasons["risk"]


def test_high_threat_review_follows_the_cadence_of_its_rating():
    # reviewed 16 days ago: within the old fixed 45 days, beyond high's 14
    late = risk(
        "RK-1",
        residual_probability=4,
        residual_impact=4,
        last_review_date=T("2026-01-14"),
    )
    status = project_status(tiny([late]), "P-1")
    assert status.rag["risk"] == "red"
    assert "was not reviewed for 16 days" in status.reasons["risk"]
    assert any(d.startswith("Risk: RK-1") for d in status.decisions)


def test_medium_risk_overdue_after_30_days_low_after_60():
    # 5 to 12 is medium (30 days); 1 to 4 low (60 days). 31 days since review.
    medium = risk("RK-1", residual_probability=3, residual_impact=3,
                  last_review_date=T("2025-12-30"))  # fmt: skip
    low = risk("RK-2", residual_probability=2, residual_impact=2,
               last_review_date=T("2025-12-30"))  # fmt: skip
    status = project_status(tiny([medium, low]), "P-1")
    overdue = status.top_risks.set_index("risk_id")["review_overdue"].to_dict()
    assert overdue == {"RK-1": True, "RK-2": False}
    assert status.rag["risk"] == "amber"
    assert "1 open risk not reviewed" in status.reasons["risk"]


def test_score_5_is_medium_on_the_matrix_not_green():
    status = project_status(
        tiny([risk("RK-1", residual_probability=5, residual_impact=1)]), "P-1"
    )
    row = status.top_risks.iloc[0]
    assert (row["residual_rating"], row["rating_rag"]) == ("medium", "amber")


def test_unowned_high_threat_is_red_and_named():
    status = project_status(
        tiny([risk("RK-1", residual_probability=4, residual_impact=4, owner=None)]),
        "P-1",
    )
    assert status.rag["risk"] == "red"
    assert "has no owner" in status.reasons["risk"]


@pytest.mark.parametrize(
    ("fired_on", "rag"),
    [("2026-01-20", "red"), ("2025-12-01", "amber"), ("2025-10-01", "green")],
)
def test_fired_risk_weighs_by_how_recent(fired_on, rag):
    # 30 Jan minus 4 weeks = 2 Jan (red after it); minus 13 weeks = 31 Oct (amber)
    fired = risk(
        "RK-1",
        status="occurred",
        raised_date=T("2025-09-01"),
        closed_date=T(fired_on),
        last_review_date=T(fired_on),
    )
    status = project_status(tiny([fired, risk("RK-2")]), "P-1")
    assert status.rag["risk"] == rag


def test_opportunity_is_never_a_top_risk():
    chance = risk(
        "RK-9",
        type="opportunity",
        residual_probability=5,
        residual_impact=4,  # 20: the top band, but an opportunity
        response_strategy="exploit",
    )
    status = project_status(tiny([chance, risk("RK-1")]), "P-1")
    assert status.top_risks["risk_id"].tolist() == ["RK-1"]
    assert status.opportunities["risk_id"].tolist() == ["RK-9"]
    assert "rating_rag" not in status.shown("opportunities")
    assert status.rag["risk"] == "green"
    summary = status.summary()
    assert [r["risk_id"] for r in summary["top_risks"]] == ["RK-1"]
    assert [r["risk_id"] for r in summary["opportunities"]] == ["RK-9"]


def test_owners_are_shown_by_name(plain):
    assert plain.top_risks["owner_name"].tolist() == ["Ada Lovelace"]
    assert plain.summary()["top_risks"][0]["owner"] == "Ada Lovelace"
    assert plain.manager == "Grace Hopper"


def test_top_risks_count_is_data():
    many = [risk(f"RK-{k}") for k in range(1, 8)]
    assert len(project_status(tiny(many), "P-1").top_risks) == 5
    two = project_status(tiny(many), "P-1", rules=StatusRules(top_risks=2))
    assert len(two.top_risks) == 2


# --------------------------------------------------------------------- as of


def test_as_of_sees_the_register_as_it_stood():
    later = risk("RK-5", raised_date=T("2026-01-20"))  # raised after 16 Jan
    closed = risk("RK-6", status="closed", closed_date=T("2026-01-25"))
    fired = risk("RK-7", status="occurred", closed_date=T("2026-01-28"))
    reviewed = risk("RK-8", last_review_date=T("2026-01-20"))
    portfolio = tiny([later, closed, fired, reviewed])
    now = project_status(portfolio, "P-1")
    assert now.rag["risk"] == "red"  # RK-7 fired 2 days ago
    then = project_status(portfolio, "P-1", as_of="2026-01-18")
    assert then.status_date == T("2026-01-16")  # the last status row by then
    assert sorted(then.top_risks["risk_id"]) == ["RK-6", "RK-7", "RK-8"]
    review = then.top_risks.set_index("risk_id")["review"]
    assert review["RK-8"] == "-"  # its review of 20 Jan had not happened
    assert then.rag["risk"] == "green"
    assert not any("RK-5" in line for line in then.changes)
    assert math.isclose(then.summary()["spi_t"], 1.6 / 2)


def test_as_of_rolls_task_progress_back():
    then = project_status(tiny([risk("RK-1")]), "P-1", as_of="2026-01-16")
    # on 16 Jan T1 was under way (finished 23 Jan) and M1 not reached
    milestones = then.milestones.set_index("task_id")
    assert not milestones.loc["M1", "done"]
    assert milestones.loc["M1", "state"] == "overdue"  # baseline 16 Jan


def test_as_of_before_any_status_says_not_started():
    status = project_status(tiny([risk("RK-1")]), "P-1", as_of="2026-01-02")
    assert status.state == "not started"
    assert status.rag["schedule"] == status.rag["cost"] == "grey"
    assert "not started" in status.reasons["schedule"]
    summary = status.summary()
    assert summary["spi_t"] is None
    assert summary["ev"] is None
    assert "nan" not in json.dumps(summary).lower()
    assert status.evm.empty
    assert status.performance.empty


def test_as_of_after_the_latest_status_is_rejected():
    with pytest.raises(ValidationError, match=r"after the latest status.*2026-01-30"):
        project_status(tiny([risk("RK-1")]), "P-1", as_of="2026-02-20")


def test_closed_project_without_status_says_closed():
    status = project_status(tiny([risk("RK-1")], phase="closed", status_rows=0), "P-1")
    assert status.state == "closed"
    assert status.rag["schedule"] == "grey"
    assert status.reasons["cost"].startswith("closed")
    assert "(closed)" in status.header()["Phase"]


def test_unknown_project_lists_the_known_ones():
    with pytest.raises(ValidationError, match="Known projects: P-1"):
        project_status(tiny(), "P-999")


# ------------------------------------------------------------------- currency


def test_currency_is_the_datasets(plain):
    text = json.dumps(plain.summary()) + plain.evm.to_string()
    assert "CHF 1,000" in plain.reasons["cost"]
    assert "CHF" in plain.evm.set_index("measure").loc["Actual cost (AC)", "value"]
    assert "EUR" not in text
    assert plain.summary()["currency"] == "CHF"


def test_words_and_plurals(plain):
    lines = (*plain.changes, *plain.decisions, *plain.reasons.values())
    assert not any("(s)" in line for line in lines)
    assert "1 open risk, no high threat" in plain.reasons["risk"]


# ---------------------------------------------------------------------- scope


def _picture(
    threats: pd.DataFrame | None = None, fired: pd.DataFrame | None = None
) -> RiskPicture:
    empty = pd.DataFrame(
        {"category": [], "risk_id": [], "title": [], "residual_rating": []}
    )
    return RiskPicture(
        **{
            f.name: empty
            for f in dataclasses.fields(RiskPicture)
            if f.name != "high_rating"
        }
        | {"threats": threats if threats is not None else empty}
        | {"fired": fired if fired is not None else empty},
        high_rating="high",
    )


@pytest.mark.parametrize(
    ("completion", "rag"), [(0.55, "red"), (0.75, "amber"), (0.85, "green")]
)
def test_sprint_completion_bands(completion, rag):
    sprint = pd.Series({"sprint_id": "S1", "completion": completion})
    area = scope_area(
        _picture(), charter=None, last_sprint=sprint, matrix=ORDINAL_5X5,
        rules=StatusRules(), tolerances=FlowTolerances(),
    )  # fmt: skip
    assert area.rag == rag
    assert f"{completion:.0%} of its commitment" in area.reason


def test_scope_threat_rated_medium_or_worse_is_amber():
    threats = pd.DataFrame(
        {
            "category": ["scope", "scope"],
            "risk_id": ["RK-1", "RK-2"],
            "title": ["Creep", "Tiny"],
            "residual_rating": ["medium", "low"],
            "residual_score": [6.0, 2.0],
        }
    )

    def area(rules: StatusRules, picture: RiskPicture) -> AreaStatus:
        return scope_area(
            picture,
            charter=None,
            last_sprint=None,
            matrix=ORDINAL_5X5,
            rules=rules,
            tolerances=FlowTolerances(),
        )

    found = area(StatusRules(), _picture(threats))
    assert found.rag == "amber"
    assert "RK-1" in found.reason
    assert "RK-2" not in found.reason
    only_high = StatusRules(scope_threat_rating="high")
    assert area(only_high, _picture(threats)).rag == "green"
    with pytest.raises(ValidationError, match="Allowed: low, medium, high"):
        area(StatusRules(scope_threat_rating="huge"), _picture())


def test_charter_without_scope_boundary_is_amber_and_a_decision():
    status = project_status(
        tiny(
            [risk("RK-1")],
            charter=Charter.from_dict({"project_id": "P-1", "title": "T"}),
        ),
        "P-1",
    )
    assert status.rag["scope"] == "amber"
    assert any(d.startswith("Scope: the charter") for d in status.decisions)


def test_fired_scope_risk_is_red():
    fired = risk("RK-1", category="scope", status="occurred",
                 closed_date=T("2025-06-01"), raised_date=T("2025-05-01"))  # fmt: skip
    status = project_status(tiny([fired]), "P-1")
    assert status.rag["scope"] == "red"


# ---------------------------------------------------------------------- rules


def test_shipped_rules_file_matches_the_defaults():
    assert load_status_rules(DEFAULT_STATUS_RULES_PATH) == StatusRules()


def test_rules_file_errors_name_the_key(tmp_path):
    path = tmp_path / "rules.yaml"
    path.write_text("fired_red_weeks: 0\n", encoding="utf-8")
    with pytest.raises(ValidationError, match=r"fired_red_weeks.*>= 1.*rules\.yaml"):
        load_status_rules(path)
    with pytest.raises(ValidationError, match="Known keys"):
        load_status_rules({"window": 3})


def test_method_says_the_thresholds_in_force():
    rules = StatusRules(fired_red_weeks=2, milestone_amber_slip_days=7)
    status = project_status(tiny([risk("RK-1")]), "P-1", rules=rules)
    method = " ".join(status.method)
    assert "last 2 weeks" in method
    assert "amber up to 7" in method
    assert "high 14, medium 30, low 60 days" in method
    assert "45" not in method


# ------------------------------------------- the sample organisation (Meridian)


@pytest.fixture(scope="module")
def late(sample: Portfolio) -> ProjectStatus:
    """P-002, the late project, at its latest status."""
    return project_status(sample, "P-002")


def test_late_project_figures_are_the_engines(late, sample):
    from pmo_kit.evm import portfolio_performance

    row = portfolio_performance(sample).set_index("project_id").loc["P-002"]
    summary = late.summary()
    assert summary["status_date"] == "2026-06-26"
    assert summary["previous_status_date"] == "2026-06-19"
    for key in ["pv", "ev", "ac", "sv", "cv", "spi", "cpi", "spi_t", "vac"]:
        assert summary[key] == pytest.approx(row[key]), key
    assert summary["eac"] == pytest.approx(summary["bac"] / summary["cpi"])
    assert summary["eacs"]["remaining_at_budget"] == pytest.approx(
        summary["ac"] + summary["bac"] - summary["ev"]
    )
    assert summary["forecast_finish"] == f"{row['forecast_finish']:%Y-%m-%d}"
    planned = T(summary["planned_finish"])
    assert (
        planned < T(summary["network_forecast_finish"]) < T(summary["forecast_finish"])
    )


def test_late_project_rag_reasons_and_decisions(late):
    assert late.rag == {
        "overall": "red",
        "schedule": "red",
        "cost": "green",
        "scope": "amber",  # the charter lists nothing out of scope
        "risk": "amber",  # RK-007 (medium, 114 days) and RK-008 (low, 142 days)
    }
    assert late.reasons["scope"] == "the charter lists nothing out of scope"
    assert late.reasons["risk"].startswith("2 open risks not reviewed within")
    assert late.decisions[0].startswith("Schedule: the project will not finish on 08")
    assert not any(d.startswith("Budget") for d in late.decisions)  # CPI 0.96


def test_late_project_milestones_and_risks_agree_with_the_tables(late, sample):
    work = sample.for_project("P-002")
    tasks = work.tasks.set_index("task_id")
    for m in late.milestones_slipped.itertuples():
        assert tasks.loc[m.task_id, "duration"] == 0
        assert m.done == pd.notna(tasks.loc[m.task_id, "actual_finish"])
        assert m.slip_days > 0
    risks = work.risks.set_index("risk_id")
    names = sample.resources.set_index("resource_id")["name"]
    for r in late.summary()["top_risks"]:
        row = risks.loc[r["risk_id"]]
        assert row["status"] == "open"
        assert row["type"] == "threat"
        assert r["score"] == row["residual_probability"] * row["residual_impact"]
        assert r["owner"] == names[row["owner"]]
    assert late.agile is None


def test_agile_project_sprints_and_flow(sample):
    agile = project_status(sample, "P-005").agile
    assert agile is not None
    assert agile.current_sprint == "S08"  # runs past the status date
    assert agile.last_finished_sprint == "S07"
    assert agile.last_sprint_completion == pytest.approx(1.0)
    assert agile.average_velocity == pytest.approx((19 + 37 + 43) / 3)  # S05-S07
    assert 0 < agile.cycle_time_p85_days < 30


def test_earlier_week_when_the_risk_fired(sample):
    status = project_status(sample, "P-004", as_of="2026-05-15")
    summary = status.summary()
    assert summary["previous_status_date"] == "2026-05-08"
    assert summary["cpi"] == pytest.approx(169_124 / 194_131.30)
    assert status.rag["cost"] == "red"
    assert status.rag["risk"] == "red"  # fired 4 days before
    assert (
        "RK-018 Unknown copies of personal data fired on 11 May"
        in (status.reasons["risk"])
    )
    assert any("RK-018" in line and "FIRED" in line for line in status.changes)
    assert "Cost went from green to red." in status.changes
    budget = next(d for d in status.decisions if d.startswith("Budget"))
    assert "one-off cost of RK-018" in budget


def test_over_budget_project_needs_a_budget_decision(sample):
    status = project_status(sample, "P-003")
    assert status.summary()["tcpi_bac"] == pytest.approx(1.82, abs=0.01)
    assert any("TCPI) of 1.82, against a CPI of 0.81" in d for d in status.decisions)
    assert any(
        d.startswith("Governance: the charter has never") for d in status.decisions
    )
    assert status.rag["risk"] == "red"  # RK-015 high, last reviewed 65 days ago
    assert "RK-015" in status.reasons["risk"]


def test_a_date_between_status_rows_reports_the_week_before(sample):
    assert project_status(sample, "P-002", as_of="2026-05-13").status_date == T(
        "2026-05-08"
    )


def test_risks_raised_after_the_status_date_do_not_exist_yet(sample):
    # every P-010 risk was raised in June 2026; the project starts on 17 June
    status = project_status(sample, "P-010", as_of="2026-05-29")
    assert status.state == "not started"
    assert status.top_risks.empty
    assert status.opportunities.empty
    assert status.rag["schedule"] == "grey"


def test_a_project_without_status_rows_is_reported_not_refused(sample):
    status = project_status(sample, "P-009")  # planning: no earned value yet
    assert status.rag["cost"] == "grey"
    assert "no earned-value status reported yet (planning)" in status.reasons["cost"]
    closed = project_status(sample, "P-008")
    assert closed.state == "closed"
    assert closed.reasons["schedule"].startswith("closed")
    opportunity = project_status(sample, "P-010")  # RK-060: opportunity, 5 x 4
    assert "RK-060" not in set(opportunity.top_risks["risk_id"])
    assert opportunity.opportunities["risk_id"].tolist() == ["RK-060"]


def test_a_project_without_tasks_has_no_milestones():
    bare = dataclasses.replace(
        tiny([risk("RK-1")]),
        tasks=empty_table("tasks"),
        dependencies=empty_table("dependencies"),
    )
    status = project_status(bare, "P-1")
    assert status.milestones.empty
    assert status.network_forecast_finish is None
    assert status.summary()["network_forecast_finish"] is None
    assert status.decisions[0].startswith(
        "Schedule: the project will not finish on 13 Mar 2026. At the pace so far"
    )
