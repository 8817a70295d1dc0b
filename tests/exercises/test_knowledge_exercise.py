"""
Exercise 09 (find and apply lessons): right answers pass, mistakes get their message.

The right answers on the sample are worked out here by hand from its tables (the
procurement lessons tagged "supplier", P-010's open supplier risk, value counts),
independently of ``exercises/09_knowledge/checks.py``, which recomputes them with
the knowledge base's search and recommendations. Question 2 asks what the kit's
``recommend()`` proposes, so its answer is the engine's first recommendation (the
ranking itself is tested against the CSVs in ``tests/kb/test_recommend.py``); here we
only check by hand that its reason cites an open risk of the project.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd
import pytest

from pmo_kit.training import Checker, CheckResult, load_checks
from tests.exercises._notebooks import (
    assert_learner_copy_not_done,
    assert_solution_passes,
    learner_code,
)

if TYPE_CHECKING:
    import pmo_kit

REPO = Path(__file__).resolve().parents[2]
EXERCISE = REPO / "exercises" / "09_knowledge"
SOLUTION = EXERCISE / "solution.ipynb"
CHECK_NAMES = [
    "q1_top_lesson",
    "q2_recommendation",
    "q3_my_lesson",
    "q4_known_risk",
    "q5_per_category",
]
MY_LESSON = {
    "lesson_id": "L-033",
    "project_id": "P-010",
    "date": "2026-07-10",
    "category": "procurement",
    "event": "Sensors were ordered before the site survey",
    "effect": "Two weeks lost",
    "cause": "The order was placed to save lead time",
    "recommendation": "Order equipment only after the site survey",
}


@pytest.fixture(scope="module")
def checker() -> Checker:
    return load_checks(EXERCISE)


@pytest.fixture(scope="module")
def truth(sample: pmo_kit.Portfolio) -> dict[str, Any]:
    """The right answers on the sample, by hand from its tables."""
    lessons = sample.lessons
    # P-010 started last (17 June 2026); its open supplier risk is the known risk
    projects = sample.projects.sort_values("start")
    newest = projects["project_id"].iloc[-1]
    risks = sample.risks
    supplier = risks[
        (risks["project_id"] == newest)
        & (risks["status"] == "open")
        & (risks["category"] == "supplier")
    ]
    # the only procurement lessons about suppliers: the same lesson, two projects
    about = lessons[
        (lessons["category"] == "procurement")
        & lessons["tags"].str.split(";").apply(lambda t: "supplier" in t)
    ]
    from pmo_kit.kb import open_knowledge_base

    kb = open_knowledge_base(sample.path)
    recs = kb.recommend(newest)
    unfiltered = kb.search("supplier delivered late").lesson_ids
    return {
        "newest": newest,
        "recommended": [r.lesson_id for r in recs],
        "reasons": recs[0].reasons,
        "unfiltered_top": unfiltered[0],
        "top": sorted(about["lesson_id"]),
        "risk": supplier["risk_id"].tolist(),
        "counts": lessons.groupby("category").size(),
    }


def _answers(truth: dict[str, Any], **overrides: object) -> dict[str, object]:
    answers: dict[str, object] = {
        "top_lesson": truth["top"][0],
        "recommended": truth["recommended"][0],
        "why": "A",
        "my_lesson": dict(MY_LESSON),
        "known_risk": truth["risk"][0],
        "per_category": truth["counts"],
    }
    answers.update(overrides)
    return answers


def _run(
    checker: Checker,
    sample: pmo_kit.Portfolio,
    truth: dict[str, Any],
    name: str,
    **wrong: object,
) -> CheckResult:
    return checker(name, {"portfolio": sample, **_answers(truth, **wrong)})


def test_the_case_on_the_sample(sample, truth):
    assert truth["newest"] == "P-010"
    assert truth["top"] == ["L-007", "L-015"]
    assert truth["risk"] == ["RK-057"]
    assert int(truth["counts"].sum()) == 32
    # the first recommendation's risk reason names an open risk of P-010 (by hand)
    risks = sample.risks
    open_ids = risks.loc[
        (risks["project_id"] == "P-010") & (risks["status"] == "open"), "risk_id"
    ]
    cited = [r for r in truth["reasons"] if r.startswith("matches open risk")]
    assert cited, truth["reasons"]
    assert cited[0].split()[3] in set(open_ids), cited
    # the unfiltered top hit of q1's query is not a procurement lesson
    by_id = sample.lessons.set_index("lesson_id")["category"]
    assert by_id[truth["unfiltered_top"]] != "procurement"


def test_exercise_has_its_checks(checker):
    assert list(checker.checks) == CHECK_NAMES


def test_correct_answers_pass(checker, sample, truth):
    results = checker.all({"portfolio": sample, **_answers(truth)})
    assert [r.outcome for r in results] == ["correct"] * len(CHECK_NAMES), results


@pytest.mark.parametrize(
    ("name", "variable", "value"),
    [
        ("q1_top_lesson", "top_lesson", "l-015"),
        ("q1_top_lesson", "top_lesson", " L-007 "),
        ("q2_recommendation", "why", "a)"),
        ("q5_per_category", "per_category", "dict"),
    ],
    ids=["tied-lesson-lower-case", "spaces", "letter-paren", "a-dict"],
)
def test_equivalent_forms_pass(checker, sample, truth, name, variable, value):
    if value == "dict":
        value = {str(k): int(v) for k, v in truth["counts"].items()}
    result = _run(checker, sample, truth, name, **{variable: value})
    assert result.passed, result


def _without(field: str) -> dict[str, str]:
    return {k: v for k, v in MY_LESSON.items() if k != field}


MISTAKES: dict[str, tuple[str, dict[str, object], list[str]]] = {
    "q1-no-filter": (
        "q1_top_lesson",
        {"top_lesson": "<unfiltered>"},  # the top hit of all: not procurement
        ["<unfiltered> is the top hit without a filter", "category='procurement'"],
    ),
    "q1-other-procurement": (
        "q1_top_lesson",
        {"top_lesson": "L-029"},
        ["L-029 is a procurement lesson, but not the best match"],
    ),
    "q1-starter": (
        "q1_top_lesson",
        {"top_lesson": "L-9001"},
        ["'L-9001' is not a lesson of Meridian Works"],
    ),
    "q2-second": (
        "q2_recommendation",
        {"recommended": "<second>"},
        ["<second> is recommended, but in place 2"],
    ),
    "q2-wrong-reason": (
        "q2_recommendation",
        {"why": "C"},
        ["C says it applies to the same methodology", "<risk-reason>"],
    ),
    "q3-missing-cause-and-category": (
        "q3_my_lesson",
        {"my_lesson": {**_without("cause"), "category": "money"}},
        ["2 problems", "'cause' (root cause) is missing", "category 'money'"],
    ),
    "q3-unknown-field": (
        "q3_my_lesson",
        {"my_lesson": {**MY_LESSON, "owner": "Ana"}},
        ["unknown lesson field 'owner'"],
    ),
    "q3-bad-date": (
        "q3_my_lesson",
        {"my_lesson": {**MY_LESSON, "date": "10/07/2026"}},
        ["date '10/07/2026' is not a date"],
    ),
    "q3-taken-id": (
        "q3_my_lesson",
        {"my_lesson": {**MY_LESSON, "lesson_id": "L-001"}},
        ["'L-001' is already used", "L-033"],
    ),
    "q3-other-project": (
        "q3_my_lesson",
        {"my_lesson": {**MY_LESSON, "project_id": "P-002"}},
        ["set project_id to 'P-010'"],
    ),
    "q3-risk-of-another-project": (
        "q3_my_lesson",
        {"my_lesson": {**MY_LESSON, "known_risk": "RK-001"}},
        ["'RK-001' is not a risk of project P-010"],
    ),
    "q3-not-a-dict": (
        "q3_my_lesson",
        {"my_lesson": "sensors were late"},
        ["write the lesson as a dict"],
    ),
    "q4-other-project": (
        "q4_known_risk",
        {"known_risk": "RK-001"},
        ["RK-001 is a risk of P-001"],
    ),
    "q4-wrong-risk": (
        "q4_known_risk",
        {"known_risk": "RK-055"},
        ["'Operators slow to adopt the new process' is a organisational risk"],
    ),
    "q5-shares": (
        "q5_per_category",
        {"per_category": "shares"},
        ["These are shares"],
    ),
    "q5-starter-counted": (
        "q5_per_category",
        {"per_category": "starter"},
        ["kb.lessons also holds the starter library"],
    ),
}


@pytest.mark.parametrize("case", list(MISTAKES))
def test_typical_mistake_gets_its_message(checker, sample, truth, case):
    name, wrong, phrases = MISTAKES[case]
    from_engine = {
        "<unfiltered>": truth["unfiltered_top"],
        "<second>": truth["recommended"][1],
        "<risk-reason>": next(
            r for r in truth["reasons"] if r.startswith("matches open risk")
        ).split(" '")[0],
    }
    for marker, actual in from_engine.items():
        wrong = {k: actual if v == marker else v for k, v in wrong.items()}
        phrases = [p.replace(marker, actual) for p in phrases]
    value = next(iter(wrong.values()))
    if value == "shares":
        wrong = {"per_category": sample.lessons["category"].value_counts(normalize=1)}
    elif value == "starter":
        from pmo_kit.kb import starter_lessons

        extra = pd.Series([s.category for s in starter_lessons()])
        combined = pd.concat([sample.lessons["category"], extra])
        wrong = {"per_category": combined.value_counts()}
    result = _run(checker, sample, truth, name, **wrong)
    assert result.outcome == "incorrect", result
    for phrase in phrases:
        assert phrase in result.message, result


@pytest.mark.parametrize("name", CHECK_NAMES)
def test_placeholder_is_not_done(checker, sample, truth, name):
    variable = checker.checks[name].variables[-1]
    result = checker(name, {"portfolio": sample, **_answers(truth, **{variable: ...})})
    assert result.outcome == "not done"
    assert f"`{variable}`" in result.message


def test_learner_copy_has_placeholders_and_no_solution(tmp_path):
    learner = learner_code(SOLUTION, tmp_path)
    for variable in ["top_lesson", "recommended", "why", "my_lesson", "known_risk"]:
        assert f"\n{variable} = ...\n" in f"\n{learner}\n", variable
    assert learner.count("# YOUR CODE HERE") == len(CHECK_NAMES)


@pytest.mark.notebook
def test_learner_copy_runs_and_every_check_is_not_done(tmp_path):
    assert_learner_copy_not_done(SOLUTION, tmp_path, len(CHECK_NAMES))


@pytest.mark.notebook
def test_solution_notebook_answers_every_check(tmp_path):
    assert_solution_passes(SOLUTION, tmp_path, len(CHECK_NAMES))
