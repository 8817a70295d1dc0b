"""
Exercise 02 (score and respond): right answers pass, mistakes get their message.

The right answers are worked out here by hand from ``exercises/02_risk/risks.csv``
(ordinal 5x5; chances 10/30/50/70/90 %; mean cost (min + ml + max) / 3),
independently of ``checks.py``, which computes them with the risk engine.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from pmo_kit.training import Checker, CheckResult, load_checks
from tests.exercises._notebooks import (
    assert_learner_copy_not_done,
    assert_solution_passes,
    learner_code,
)

REPO = Path(__file__).resolve().parents[2]
EXERCISE = REPO / "exercises" / "02_risk"
SOLUTION = EXERCISE / "solution.ipynb"
CHECK_NAMES = [
    "q1_residual_score",
    "q2_rating",
    "q3_top_three",
    "q4_responses",
    "q5_emv_sum",
    "q6_reserve",
]

#        inherent   residual  status  type
# RK-001 5x4 = 20   4x4 = 16  open    threat   0.7 x 14,000 =  9,800
# RK-002 3x5 = 15   3x4 = 12  open    threat   0.5 x 25,000 = 12,500
# RK-003 2x5 = 10   2x5 = 10  open    threat   0.3 x 60,000 = 18,000
# RK-004 4x3 = 12   2x2 =  4  open    threat   0.3 x  5,000 =  1,500
# RK-005 5x5 = 25   4x5 = 20  closed  threat   (0.7 x 9,000 = 6,300)
# RK-006 2x3 =  6   1x3 =  3  open    threat   0.1 x  7,000 =    700
# RK-007 3x2 =  6   4x2 =  8  open    opportunity (0.7 x 10,000 = 7,000)
RESIDUAL = {
    "RK-001": 16, "RK-002": 12, "RK-003": 10, "RK-004": 4,
    "RK-005": 20, "RK-006": 3, "RK-007": 8,
}  # fmt: skip
INHERENT = {
    "RK-001": 20, "RK-002": 15, "RK-003": 10, "RK-004": 12,
    "RK-005": 25, "RK-006": 6, "RK-007": 6,
}  # fmt: skip
RATING = {
    "RK-001": "high", "RK-002": "medium", "RK-003": "medium", "RK-004": "low",
    "RK-005": "high", "RK-006": "low", "RK-007": "medium",
}  # fmt: skip
TOP_THREE = ["RK-001", "RK-002", "RK-003"]
EMV_SUM = 9_800 + 12_500 + 18_000 + 1_500 + 700  # 42,500


@pytest.fixture(scope="module")
def given() -> dict[str, Any]:
    return {"risks": pd.read_csv(EXERCISE / "risks.csv")}


@pytest.fixture(scope="module")
def checker() -> Checker:
    return load_checks(EXERCISE)


@pytest.fixture(scope="module")
def p80(given: dict[str, Any]) -> float:
    from pmo_kit.risk import contingency

    result = contingency(given["risks"], iterations=20_000, seed=2026)
    assert isinstance(result.p80, float)
    # the P80 is far above the EMV sum: a few large threats either happen or not
    assert result.p80 > 1.5 * EMV_SUM
    return result.p80


def _answers(p80: float, **overrides: object) -> dict[str, object]:
    answers: dict[str, object] = {
        "residual_score": dict(RESIDUAL),
        "rating": dict(RATING),
        "top_three": list(TOP_THREE),
        "responses": {"RK-003": "transfer", "RK-007": "enhance"},
        "emv_sum": EMV_SUM,
        "reserve": p80,
    }
    answers.update(overrides)
    return answers


def _run(
    checker: Checker,
    given: dict[str, Any],
    p80: float,
    name: str,
    **overrides: object,
) -> CheckResult:
    return checker(name, {**given, **_answers(p80, **overrides)})


def test_exercise_has_its_checks(checker):
    assert list(checker.checks) == CHECK_NAMES


def test_correct_answers_pass(checker, given, p80):
    results = checker.all({**given, **_answers(p80)})
    assert [r.outcome for r in results] == ["correct"] * len(CHECK_NAMES), results


@pytest.mark.parametrize(
    ("name", "variable", "value"),
    [
        ("q1_residual_score", "residual_score", pd.Series(RESIDUAL, dtype=float)),
        ("q2_rating", "rating", {k.lower(): v.upper() for k, v in RATING.items()}),
        ("q3_top_three", "top_three", "RK-001, RK-002, RK-003"),
        ("q4_responses", "responses", {"RK-003": "accept", "RK-007": "share"}),
        ("q4_responses", "responses", {"RK-003": "escalate", "RK-007": "exploit"}),
        ("q5_emv_sum", "emv_sum", -42_500.0),
    ],
    ids=["series", "case", "text", "accept-share", "escalate-exploit", "negative"],
)
def test_equivalent_forms_pass(checker, given, p80, name, variable, value):
    assert _run(checker, given, p80, name, **{variable: value}).passed


def test_a_reserve_from_another_seed_passes(checker, given, p80):
    from pmo_kit.risk import contingency

    other = contingency(given["risks"], iterations=20_000, seed=7).p80
    assert _run(checker, given, p80, "q6_reserve", reserve=other).passed


MISTAKES: dict[str, tuple[str, dict[str, object], str]] = {
    "inherent-score": (
        "q1_residual_score",
        {"residual_score": dict(INHERENT)},
        "RK-001: you multiplied inherent not residual: 5 x 4 = 20 is the score "
        "BEFORE the response. The residual score uses residual_probability and "
        "residual_impact (4 x 4).",
    ),
    "added": (
        "q1_residual_score",
        {"residual_score": {**RESIDUAL, "RK-002": 7}},
        "RK-002: you added 3 + 4; the score is the product, 3 x 4.",
    ),
    "missing-risk": (
        "q1_residual_score",
        {"residual_score": {k: v for k, v in RESIDUAL.items() if k != "RK-006"}},
        "`residual_score` has no value for RK-006: give one per risk.",
    ),
    "inherent-rating": (
        "q2_rating",
        {"rating": {**RATING, "RK-002": "high"}},
        "RK-002: 'high' is the rating of the inherent score 15. Rate the residual "
        "score 12: it is 'medium'.",
    ),
    "band-boundary": (
        "q2_rating",
        {"rating": {**RATING, "RK-007": "low"}},
        "RK-007: a residual score of 8 is 'medium', not 'low' (low 1-4, medium "
        "5-12, high 15-25).",
    ),
    "closed-in-top": (
        "q3_top_three",
        {"top_three": ["RK-005", "RK-001", "RK-002"]},
        "RK-005 is closed: it no longer needs attention. Rank the open risks only.",
    ),
    "top-by-inherent": (
        "q3_top_three",
        {"top_three": ["RK-001", "RK-002", "RK-004"]},
        "You ranked by the inherent score. The top risks are the ones that are "
        "still dangerous AFTER the planned responses: rank by residual score.",
    ),
    "top-order": (
        "q3_top_three",
        {"top_three": ["RK-003", "RK-002", "RK-001"]},
        "Right three risks, wrong order: highest residual score first (RK-001).",
    ),
    "mitigate-opportunity": (
        "q4_responses",
        {"responses": {"RK-003": "transfer", "RK-007": "mitigate"}},
        "RK-007 is an opportunity: 'mitigate' is for threats; use exploit, enhance, "
        "share, escalate or accept.",
    ),
    "exploit-threat": (
        "q4_responses",
        {"responses": {"RK-003": "exploit", "RK-007": "enhance"}},
        "RK-003 is a threat: 'exploit' is for opportunities; use avoid, mitigate, "
        "transfer, escalate or accept.",
    ),
    "unknown-response": (
        "q4_responses",
        {"responses": {"RK-003": "insure", "RK-007": "enhance"}},
        "RK-003: 'insure' is not a response strategy. For a threat use avoid, "
        "mitigate, transfer, escalate or accept.",
    ),
    "emv-inherent": (
        "q5_emv_sum",
        # 0.9 x 14,000 + 0.5 x 25,000 + 0.3 x 60,000 + 0.7 x 5,000 + 0.3 x 7,000
        {"emv_sum": 48_700},
        "You used the inherent probability. The responses are planned: use the "
        "residual probability's chance (level 1 = 10%, 2 = 30%, 3 = 50%, 4 = 70%, "
        "5 = 90%).",
    ),
    "emv-most-likely": (
        "q5_emv_sum",
        # 0.7 x 12,000 + 0.5 x 20,000 + 0.3 x 50,000 + 0.3 x 4,000 + 0.1 x 6,000
        {"emv_sum": 35_200},
        "You multiplied by the most likely cost. The expected cost of a three-point "
        "range is its mean, (min + most likely + max) / 3.",
    ),
    "emv-netted": (
        "q5_emv_sum",
        {"emv_sum": 42_500 - 7_000},
        "You netted the opportunity against the threats. A contingency reserve "
        "covers threats; count open threats only.",
    ),
    "emv-closed": (
        "q5_emv_sum",
        {"emv_sum": 42_500 + 6_300},
        "You counted a closed risk: count OPEN threats only.",
    ),
    "reserve-is-emv": (
        "q6_reserve",
        {"reserve": 42_500},
        "Your reserve is the EMV sum (42,500); the question asks P80: the total not "
        "exceeded in 80% of the simulated futures (result.p80).",
    ),
}


@pytest.mark.parametrize("mistake", list(MISTAKES))
def test_typical_mistakes_get_their_message(checker, given, p80, mistake):
    name, overrides, message = MISTAKES[mistake]
    result = _run(checker, given, p80, name, **overrides)
    assert result.outcome == "incorrect"
    assert result.message == message


def test_reserve_p50_named(checker, given, p80):
    from pmo_kit.risk import contingency

    p50 = contingency(given["risks"], iterations=20_000, seed=2026).p50
    result = _run(checker, given, p80, "q6_reserve", reserve=p50)
    assert result.message.startswith("That is the P50")


def test_learner_copy_has_placeholders_and_no_solution(tmp_path):
    learner = learner_code(SOLUTION, tmp_path)
    for variable in [
        "residual_score",
        "rating",
        "top_three",
        "responses",
        "emv_sum",
        "reserve",
    ]:
        assert f"\n{variable} = ...\n" in f"\n{learner}\n", variable
    assert '"RK-001": 16' not in learner
    assert "transfer" not in learner
    assert learner.count("# YOUR CODE HERE") == len(CHECK_NAMES)


@pytest.mark.notebook
def test_learner_copy_runs_and_every_check_is_not_done(tmp_path):
    assert_learner_copy_not_done(SOLUTION, tmp_path, len(CHECK_NAMES))


@pytest.mark.notebook
def test_solution_notebook_answers_every_check(tmp_path):
    assert_solution_passes(SOLUTION, tmp_path, len(CHECK_NAMES))
