"""
Exercise 12 (capstone): right answers pass, mistakes get their message, it runs.

The right answers on the bundled sample are worked out here from the CSV files and
the charter (by hand, or with another kit function than the one the check uses),
independently of ``exercises/12_capstone/checks.py``. The notebook tests run the
solution on the sample and on a generated organisation, the learner copy, and a
workshop release and grade of a correct hand-in.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

import pmo_kit
from pmo_kit.data.portfolio import bundled_dataset_path
from pmo_kit.training import Checker, CheckResult, load_checks
from pmo_kit.training.capstone import capstone_case, driving_areas
from tests.exercises._notebooks import (
    assert_learner_copy_not_done,
    assert_solution_passes,
    code_cells,
    learner_code,
)

REPO = Path(__file__).resolve().parents[2]
EXERCISE = REPO / "exercises" / "12_capstone"
SOLUTION = EXERCISE / "solution.ipynb"
CHECK_NAMES = [
    "q1_charter_review",
    "q2_top_threat",
    "q3_p80_finish",
    "q4_capacity",
    "q5_status",
    "q6_gate_decision",
    "q7_sponsor_message",
]
DATA = bundled_dataset_path()
TODAY = pd.Timestamp("2026-06-26")  # every sample project's status date
MESSAGE = (
    "ERP Finance Migration is red on schedule and will finish in December, not "
    "September. The build tasks ran slow. Please decide on a new date or less scope."
)


@pytest.fixture(scope="module")
def checker() -> Checker:
    return load_checks(EXERCISE)


@pytest.fixture(scope="module")
def truth(sample: pmo_kit.Portfolio) -> dict[str, Any]:
    """The right answers on the sample, worked out without the checks' code."""
    from pmo_kit.reports.schedule_risk import schedule_risk
    from pmo_kit.resources import capacity_plan, overallocations

    risks = pd.read_csv(DATA / "risks.csv", parse_dates=["last_review_date"])
    risks["residual"] = risks["residual_probability"] * risks["residual_impact"]
    open_threats = risks[(risks["type"] == "threat") & (risks["status"] == "open")]
    best = open_threats.sort_values("residual", ascending=False)
    assert best["residual"].iloc[0] > best["residual"].iloc[1]  # no tie to break
    top = best.iloc[0]
    cadence = 14 if top["residual"] >= 15 else 30 if top["residual"] >= 5 else 60
    overdue = (TODAY - top["last_review_date"]).days > cadence
    # capacity: the episodes of over-allocation (another kit function than the
    # check's utilisation table) add up to the same excess and peak
    over = overallocations(capacity_plan(sample, start=TODAY, weeks=12))
    risk = schedule_risk(sample, "P-002")
    return {
        "portfolio": sample,
        "charter_errors": 3,
        "error_codes": {"objective-no-metric", "objective-no-target", "no-scope-out"},
        "top_threat": top["risk_id"],
        "top_threat_overdue": bool(overdue),
        "p80_finish": risk.p_confidence,
        "busiest_person": over.sort_values("peak_utilisation").iloc[-1]["resource_id"],
        "peak_utilisation": float(over["peak_utilisation"].max()),
        "hours_over": float(over["excess_hours"].sum()),
        "overall_rag": "red",
        "driving_area": "schedule",
        "gate_decision": "Hold",
        "sponsor_message": MESSAGE,
        "_risk": risk,
    }


def _run(checker: Checker, truth: dict[str, Any], name: str, **wrong: object) -> Any:
    return checker(name, {**truth, **wrong})


# ------------------------------------------------------------- the sample's case


def test_the_case_is_picked_from_the_data(sample):
    status = pd.read_csv(DATA / "status.csv", parse_dates=["status_date"])
    latest = status.sort_values("status_date").groupby("project_id").last()
    latest = latest[(latest["pv"] > 0) & (latest["ac"] > 0)]
    spi = latest["ev"] / latest["pv"]
    gates = pd.read_csv(DATA / "gates.csv", parse_dates=["review_date"])
    last = gates.sort_values("review_date").iloc[-1]
    case = capstone_case(sample)
    assert case.project_id == spi.idxmin() == "P-002"
    assert case.sponsor == "Helen Brandt"
    assert case.today == TODAY
    assert (case.gate_project_id, case.gate) == (last["project_id"], last["gate"])


def test_the_hand_answers_hold_on_the_sample(sample, truth):
    import yaml

    charter = yaml.safe_load(
        (DATA / "charters" / "P-002.yaml").read_text(encoding="utf-8")
    )
    objective = charter["objectives"][0]
    assert not objective.get("metric")
    assert not objective.get("target")
    assert not charter.get("scope_out")  # three errors: no metric, target, scope-out
    assert truth["top_threat"] == "RK-015"
    assert truth["top_threat_overdue"] is True  # high: reviewed 22 Apr, 14 days
    # P-002: 60 h booked for R-020 in the week of 22 June (37.5 h), 42 h the next
    assert truth["busiest_person"] == "R-020"
    assert truth["peak_utilisation"] == pytest.approx(60 / 37.5)
    assert truth["hours_over"] == pytest.approx((60 - 37.5) + (42 - 37.5))
    gates = pd.read_csv(DATA / "gates.csv")
    g1 = gates[(gates["project_id"] == "P-010") & (gates["gate"] == "G1")]
    assert (g1.loc[g1["requirement"] == "must", "score"] == 0).any()  # Hold
    risk = truth["_risk"]
    assert risk.p_confidence > risk.p50 > risk.planned_finish
    assert risk.planned_finish == pd.Timestamp("2026-09-08")
    # SPI 0.77 at the latest status: schedule is red
    status = pd.read_csv(DATA / "status.csv").query("project_id == 'P-002'")
    last = status.iloc[-1]
    assert last["ev"] / last["pv"] < 0.9


def test_driving_areas():
    assert driving_areas({"schedule": "red", "cost": "green", "risk": "red"}) == [
        "schedule",
        "risk",
    ]
    assert driving_areas({"overall": "grey"}) == []


# ------------------------------------------------------------ checks, no kernel


def test_exercise_has_its_checks(checker):
    assert list(checker.checks) == CHECK_NAMES


def test_correct_answers_pass(checker, truth):
    results = checker.all(truth)
    assert [r.outcome for r in results] == ["correct"] * len(CHECK_NAMES), results


@pytest.mark.parametrize(
    ("name", "variable", "value"),
    [
        (
            "q1_charter_review",
            "error_codes",
            ["no-scope-out", "objective-no-metric", "objective-no-target"],
        ),
        ("q2_top_threat", "top_threat", " rk-015 "),
        ("q3_p80_finish", "p80_finish", "2026-12-07"),
        ("q4_capacity", "peak_utilisation", 1.6),
        ("q4_capacity", "busiest_person", "Dilan Fischer"),
        ("q4_capacity", "hours_over", 27.4),
        ("q5_status", "overall_rag", "Red"),
        ("q6_gate_decision", "gate_decision", " hold "),
    ],
    ids=[
        "codes-list",
        "id-case",
        "date-text",
        "ratio",
        "name",
        "rounding",
        "rag-case",
        "decision-case",
    ],
)
def test_equivalent_forms_pass(checker, truth, name, variable, value):
    if variable == "p80_finish":
        assert truth["p80_finish"] == pd.Timestamp(value)  # the sample's P80
    result = _run(checker, truth, name, **{variable: value})
    assert result.passed, result


MISTAKES: dict[str, tuple[str, dict[str, object], str]] = {
    "all-findings": (
        "q1_charter_review",
        {"charter_errors": 4},
        "4 counts every finding of P-002's charter, warnings and advice included.",
    ),
    "every-charter": (
        "q1_charter_review",
        {"charter_errors": 5},  # P-002's 3 and P-003's 2
        "5 counts the errors of EVERY project's charter.",
    ),
    "advice-code": (
        "q1_charter_review",
        {
            "error_codes": {
                "objective-no-metric",
                "objective-no-target",
                "no-scope-out",
                "objective-vague-wording",
            }
        },
        "objective-vague-wording is a warning or advice, not an error.",
    ),
    "opportunity": (
        "q2_top_threat",
        {"top_threat": "RK-060"},
        "RK-060 is an opportunity, not a threat",
    ),
    "review-state": (
        "q2_top_threat",
        {"top_threat_overdue": False},
        "RK-015's review is overdue on 26 Jun 2026.",
    ),
    "overdue-text": (
        "q2_top_threat",
        {"top_threat_overdue": "yes"},
        "answer True or False (without quotes)",
    ),
    "p50": ("q3_p80_finish", {"p80_finish": "P50"}, "That is the P50"),
    "planned": (
        "q3_p80_finish",
        {"p80_finish": "2026-09-08"},
        "That is the planned finish (the baseline).",
    ),
    "percentage": (
        "q4_capacity",
        {"peak_utilisation": 160},
        "160 looks like a percentage: give the ratio 1.60, not 160.",
    ),
    "net-hours": (
        "q4_capacity",
        {"hours_over": "NET"},
        "You summed demand - capacity over EVERY week",
    ),
    "peak-week-only": (
        "q4_capacity",
        {"hours_over": 22.5},
        "That is the excess of the peak week only.",
    ),
    "area-rag": (
        "q5_status",
        {"overall_rag": "amber"},
        "amber is the RAG of scope, risk, not the overall one.",
    ),
    "not-the-driver": (
        "q5_status",
        {"driving_area": "cost"},
        "cost is green, but the overall is red",
    ),
    "go-with-failed-must": (
        "q6_gate_decision",
        {"gate_decision": "Go"},
        "A must-meet criterion is not met",
    ),
    "not-a-decision": (
        "q6_gate_decision",
        {"gate_decision": "Proceed"},
        "'Proceed' is not a gate decision.",
    ),
    "too-short": (
        "q7_sponsor_message",
        {"sponsor_message": "All fine."},
        "2 words is too short for three sentences",
    ),
}


@pytest.mark.parametrize("case", list(MISTAKES), ids=list(MISTAKES))
def test_typical_mistakes_get_their_message(checker, truth, case):
    name, wrong, message = MISTAKES[case]
    if wrong.get("p80_finish") == "P50":
        wrong = {"p80_finish": truth["_risk"].p50}
    if wrong.get("hours_over") == "NET":
        from pmo_kit.resources import capacity_plan

        table = capacity_plan(truth["portfolio"], start=TODAY, weeks=12).utilisation
        wrong = {"hours_over": (table["demand_hours"] - table["capacity_hours"]).sum()}
    result: CheckResult = _run(checker, truth, name, **wrong)
    assert result.outcome == "incorrect", result
    assert message in result.message, result.message


def test_a_changed_portfolio_is_named(checker, truth):
    result = _run(checker, truth, "q1_charter_review", portfolio="data")
    assert "`portfolio` is no longer the course's dataset" in result.message


def test_the_free_text_cell_carries_a_rubric():
    nb = json.loads(SOLUTION.read_text(encoding="utf-8"))
    (cell,) = [c for c in nb["cells"] if "free-text" in c["metadata"].get("tags", [])]
    assert cell["id"] == "q7-answer"
    assert cell["metadata"]["points"] == 3
    assert "decision" in cell["metadata"]["rubric"]


def test_learner_copy_hides_the_answers(tmp_path):
    learner = learner_code(SOLUTION, tmp_path, skip_comments=True, min_length=12)
    for variable in (
        "charter_errors",
        "top_threat",
        "p80_finish",
        "gate_decision",
        "sponsor_message",
    ):
        assert f"{variable} = ..." in learner
    assert "question-text" in json.dumps(json.loads(SOLUTION.read_text()))
    assert "capstone_case(portfolio)" in code_cells(SOLUTION)["setup"]


# -------------------------------------------------------------- notebook runs


@pytest.mark.notebook
def test_solution_passes_on_the_sample(tmp_path, monkeypatch):
    monkeypatch.delenv("PMO_KIT_DATASET", raising=False)
    assert_solution_passes(SOLUTION, tmp_path, checks=len(CHECK_NAMES))


@pytest.mark.notebook
def test_solution_passes_on_a_generated_organisation(tmp_path, monkeypatch):
    from pmo_kit.data.portfolio import save_portfolio

    data = save_portfolio(
        pmo_kit.generate_organisation(seed=7, projects=12), tmp_path / "org"
    )
    monkeypatch.setenv("PMO_KIT_DATASET", str(data))
    assert_solution_passes(SOLUTION, tmp_path, checks=len(CHECK_NAMES))


@pytest.mark.notebook
def test_learner_copy_runs_with_every_check_not_done(tmp_path, monkeypatch):
    monkeypatch.delenv("PMO_KIT_DATASET", raising=False)
    assert_learner_copy_not_done(SOLUTION, tmp_path, checks=len(CHECK_NAMES))


@pytest.mark.notebook
def test_a_workshop_grades_a_correct_hand_in_with_full_marks(tmp_path):
    from pmo_kit.training.workshop import grade, hand_in, release

    course = tmp_path / "course"
    shutil.copytree(
        EXERCISE,
        course / EXERCISE.name,
        ignore=shutil.ignore_patterns("exercise.ipynb", "__pycache__"),
    )
    release(tmp_path / "w", teams=1, seed=3, exercises=course, projects=6)
    (team,) = sorted((tmp_path / "w" / "teams").iterdir())
    released = team / "exercises" / EXERCISE.name / "exercise.ipynb"
    nb = json.loads(released.read_text(encoding="utf-8"))
    assert "rubric" not in json.dumps(nb)  # the trainer's notes stay with them
    by_id = code_cells(SOLUTION)
    for cell in nb["cells"]:
        if "BEGIN SOLUTION" in by_id.get(cell["id"], ""):
            cell["source"] = by_id[cell["id"]]
    released.write_text(json.dumps(nb), encoding="utf-8")
    hand_in(team, learner="zed", out=tmp_path / "handins" / "zed.zip")
    rows = grade(tmp_path / "w", tmp_path / "handins", tmp_path / "results", jobs=1)
    by = {r.question: r for r in rows}
    assert sorted(by) == [f"q{n}" for n in range(1, 8)]
    for n in range(1, 7):
        assert by[f"q{n}"].points == by[f"q{n}"].max_points == 1, by[f"q{n}"]
    free = by["q7"]
    assert free.points is None  # marked by hand
    assert free.max_points == 3
    assert "a specific decision" in free.rubric
    assert "sponsor_message" in free.free_text_answer
    assert (tmp_path / "results" / "gradebook.csv").is_file()
