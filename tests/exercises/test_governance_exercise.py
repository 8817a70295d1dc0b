"""
Exercise 07 (run a gate review): right answers pass, mistakes get their message.

The right answers are worked out here by hand from the scoring sheets in the
notebook, independently of ``exercises/07_governance/checks.py`` (which computes
them with the gate engine); a test checks the notebook still holds those sheets.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd
import pytest

import pmo_kit
from pmo_kit.training import Checker, CheckResult, load_checks
from tests.exercises._notebooks import (
    assert_learner_copy_not_done,
    assert_solution_passes,
    code_cells,
    learner_code,
)

REPO = Path(__file__).resolve().parents[2]
EXERCISE = REPO / "exercises" / "07_governance"
SOLUTION = EXERCISE / "solution.ipynb"
CHECK_NAMES = [
    "q1_weighted_score",
    "q2_musts_met",
    "q3_decision",
    "q4_reason",
    "q5_decision_after_change",
    "q6_unsigned_charter",
]

# The G2 sheet: should weights 0.40, 0.30, 0.10, 0.20 with scores 1, 3, 5, 4.
WEIGHTED = 0.40 * 1 + 0.30 * 3 + 0.10 * 5 + 0.20 * 4  # 2.6: Recycle (1.5 .. 3.0)
PLAIN_AVERAGE = (1 + 3 + 5 + 4) / 4  # 3.25: would wrongly pass
ALL_SCORES_AVERAGE = (1 + 1 + 1 + 3 + 5 + 4) / 6  # 2.5: musts averaged in
# Two weeks later: the risk register scores 4 (3.8), but a must-meet scores 0.
WEIGHTED_AFTER = 0.40 * 4 + 0.30 * 3 + 0.10 * 5 + 0.20 * 4


@pytest.fixture(scope="module")
def given(sample: pmo_kit.Portfolio) -> dict[str, Any]:
    """The variables the notebook gives the learner (the two sheets, the data)."""
    cells = code_cells(SOLUTION)
    namespace: dict[str, Any] = {"pd": pd}
    exec(cells["sheet"], namespace)
    exec(cells["sheet-after"], namespace)
    return {
        "criteria": namespace["criteria"],
        "criteria_after": namespace["criteria_after"],
        "portfolio": sample,
    }


@pytest.fixture(scope="module")
def checker() -> Checker:
    return load_checks(EXERCISE)


def _answers(**overrides: object) -> dict[str, object]:
    answers: dict[str, object] = {
        "weighted_score": WEIGHTED,
        "all_musts_met": True,
        "decision": "Recycle",
        "reason": "B",
        "decision_after": "Hold",
        "unsigned_charter": "P-003",
    }
    answers.update(overrides)
    return answers


def _run(
    checker: Checker, given: dict[str, Any], name: str, **wrong: object
) -> CheckResult:
    return checker(name, {**given, **_answers(**wrong)})


def test_the_notebook_holds_the_sheets(given):
    sheet = given["criteria"]
    assert sheet["requirement"].tolist() == ["must"] * 2 + ["should"] * 4
    assert sheet["weight"].tolist() == [0.0, 0.0, 0.40, 0.30, 0.10, 0.20]
    assert sheet["score"].tolist() == [1, 1, 1, 3, 5, 4]
    assert given["criteria_after"]["score"].tolist() == [1, 0, 4, 3, 5, 4]


def test_engine_agrees_with_the_hand_solution(given):
    from pmo_kit.governance import decide_gate

    review = decide_gate(given["criteria"])
    assert review.weighted_score == pytest.approx(2.6)
    assert review.decision == "Recycle"
    after = decide_gate(given["criteria_after"])
    assert after.weighted_score == pytest.approx(3.8)
    assert after.decision == "Hold"


def test_exercise_has_its_checks(checker):
    assert list(checker.checks) == CHECK_NAMES


def test_correct_answers_pass(checker, given):
    results = checker.all({**given, **_answers()})
    assert [r.outcome for r in results] == ["correct"] * len(CHECK_NAMES), results


@pytest.mark.parametrize(
    ("name", "variable", "value"),
    [
        ("q1_weighted_score", "weighted_score", 2.60),
        ("q1_weighted_score", "weighted_score", 2.6001),
        ("q3_decision", "decision", " recycle "),
        ("q4_reason", "reason", "b)"),
        ("q5_decision_after_change", "decision_after", "HOLD"),
        ("q6_unsigned_charter", "unsigned_charter", "p-003"),
    ],
    ids=["two-decimals", "rounding", "lower-case", "letter-paren", "upper", "id-case"],
)
def test_equivalent_forms_pass(checker, given, name, variable, value):
    result = _run(checker, given, name, **{variable: value})
    assert result.passed, result


MISTAKES: dict[str, tuple[str, dict[str, object], str]] = {
    "plain-average": (
        "q1_weighted_score",
        {"weighted_score": PLAIN_AVERAGE},
        "You averaged the scores without weights: (1 + 3 + 5 + 4) / 4 = 3.25.",
    ),
    "musts-averaged-in": (
        "q1_weighted_score",
        {"weighted_score": ALL_SCORES_AVERAGE},
        "2.50 is the average of ALL the scores, the must-meet criteria included.",
    ),
    "divided-by-count": (
        "q1_weighted_score",
        {"weighted_score": WEIGHTED / 4},
        "You divided the weighted sum (2.60) by the number of criteria.",
    ),
    "sum-of-scores": (
        "q1_weighted_score",
        {"weighted_score": 13},
        "13 adds up the scores.",
    ),
    "percentage": (
        "q1_weighted_score",
        {"weighted_score": 52},
        "52 looks like a percentage.",
    ),
    "text-score": (
        "q1_weighted_score",
        {"weighted_score": "2.6"},
        "`weighted_score` is the text '2.6'",
    ),
    "musts-false": (
        "q2_musts_met",
        {"all_musts_met": False},
        "scored 1: met. A low should-score does not make a must fail.",
    ),
    "musts-text": (
        "q2_musts_met",
        {"all_musts_met": "yes"},
        "answer True or False (without quotes)",
    ),
    "go-from-plain-average": (
        "q3_decision",
        {"decision": "Go"},
        "Go needs a weighted should-score of at least 3; this gate scores 2.60. The "
        "plain average (3.25) would pass; did you forget the weights?",
    ),
    "hold-without-failed-must": (
        "q3_decision",
        {"decision": "Hold"},
        "Hold is for a must-meet that is not met but can be fixed.",
    ),
    "kill-above-recycle": (
        "q3_decision",
        {"decision": "Kill"},
        "Kill would need a weighted score below 1.5",
    ),
    "not-a-decision": (
        "q3_decision",
        {"decision": "Proceed"},
        "'Proceed' is not a gate decision. Allowed: Go, Kill, Hold, Recycle.",
    ),
    "reason-must": (
        "q4_reason",
        {"reason": "A"},
        "Every must-meet criterion is met here",
    ),
    "reason-go": (
        "q4_reason",
        {"reason": "D"},
        "D says every must-meet is met and the weighted score reaches the Go "
        "threshold; the sheet has a weighted score of 2.60",
    ),
    "reason-not-a-letter": (
        "q4_reason",
        {"reason": "the score"},
        "answer with the letter of your choice",
    ),
    "knock-out-go": (
        "q5_decision_after_change",
        {"decision_after": "Go"},
        "Criterion 'Resources committed by line managers' is a must and scored 0: "
        "that is a knock-out, whatever the weighted score (3.80 of 5).",
    ),
    "knock-out-recycle": (
        "q5_decision_after_change",
        {"decision_after": "Recycle"},
        "Recycle is for weak should-scores with every must met.",
    ),
    "fixable-must-kill": (
        "q5_decision_after_change",
        {"decision_after": "Kill"},
        "the PMO's rule lists such knock-outs (Idea fits the strategy). 'Resources "
        "committed by line managers' can be fixed, so the project waits: Hold.",
    ),
    "charter-in-initiation": (
        "q6_unsigned_charter",
        {"unsigned_charter": "P-010"},
        "P-010's charter is not signed either, but P-010 is in initiation",
    ),
    "charter-signed": (
        "q6_unsigned_charter",
        {"unsigned_charter": "P-002"},
        "P-002's charter was approved by Helen Brandt on 2025-12-03.",
    ),
    "charter-unknown": (
        "q6_unsigned_charter",
        {"unsigned_charter": "P-042"},
        "'P-042' is not a project of Meridian Works.",
    ),
}


@pytest.mark.parametrize("case", list(MISTAKES))
def test_typical_mistake_gets_its_message(checker, given, case):
    name, wrong, phrase = MISTAKES[case]
    result = _run(checker, given, name, **wrong)
    assert result.outcome == "incorrect", result
    assert phrase in result.message, result


def test_other_wrong_score_gets_the_hint(checker, given):
    result = _run(checker, given, "q1_weighted_score", weighted_score=3.1)
    assert result.outcome == "incorrect"
    assert result.message.startswith(checker.checks["q1_weighted_score"].hint)
    assert "you have 3.10" in result.message


def test_a_changed_sheet_is_reported(checker, given):
    result = checker("q1_weighted_score", {**given, **_answers(), "criteria": "oops"})
    assert result.outcome == "incorrect"
    assert "run the cell that defines it again" in result.message


def test_checks_follow_a_changed_sheet(checker, given):
    # a trainer raises the risk register's score to 5: 2.0 + 0.9 + 0.5 + 0.8 = 4.2
    sheet = given["criteria"].assign(score=[1, 1, 5, 3, 5, 4])
    namespace = {**given, **_answers(weighted_score=4.2, decision="Go", reason="D")}
    namespace["criteria"] = sheet
    for name in ["q1_weighted_score", "q3_decision", "q4_reason"]:
        assert checker(name, namespace).passed, name


@pytest.mark.parametrize("name", CHECK_NAMES)
def test_placeholder_is_not_done(checker, given, name):
    variable = checker.checks[name].variables[-1]
    result = checker(name, {**given, **_answers(**{variable: ...})})
    assert result.outcome == "not done"
    assert f"`{variable}`" in result.message


def test_learner_copy_has_placeholders_and_no_solution(tmp_path):
    learner = learner_code(SOLUTION, tmp_path)
    for variable in [
        "weighted_score",
        "all_musts_met",
        "decision",
        "reason",
        "decision_after",
        "unsigned_charter",
    ]:
        assert f"\n{variable} = ...\n" in f"\n{learner}\n", variable
    assert learner.count("# YOUR CODE HERE") == len(CHECK_NAMES)
    assert "criteria = pd.DataFrame(" in learner  # the sheet stays


def test_the_portfolio_is_the_sample(given):
    assert isinstance(given["portfolio"], pmo_kit.Portfolio)


@pytest.mark.notebook
def test_learner_copy_runs_and_every_check_is_not_done(tmp_path):
    assert_learner_copy_not_done(SOLUTION, tmp_path, len(CHECK_NAMES))


@pytest.mark.notebook
def test_solution_notebook_answers_every_check(tmp_path):
    assert_solution_passes(SOLUTION, tmp_path, len(CHECK_NAMES))
