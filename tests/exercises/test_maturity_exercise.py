"""
Exercise 10 (assess an organisation): right answers pass, mistakes get their message.

The right answers are worked out here by hand from the rule in docs/maturity.md, the
raters' answers file (read with plain YAML) and the risk register (counted with
plain pandas), independently of ``exercises/10_maturity/checks.py`` (which uses the
maturity engine and the risk module).
"""

from __future__ import annotations

import statistics
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd
import pytest
import yaml

from pmo_kit.training import Checker, CheckResult, load_checks
from tests.exercises._notebooks import (
    assert_learner_copy_not_done,
    assert_solution_passes,
    code_cells,
    learner_code,
)

if TYPE_CHECKING:
    import pmo_kit

REPO = Path(__file__).resolve().parents[2]
EXERCISE = REPO / "exercises" / "10_maturity"
SOLUTION = EXERCISE / "solution.ipynb"
SAMPLE_ANSWERS = REPO / "pmo_kit" / "maturity" / "sample_answers.yaml"
CHECK_NAMES = [
    "q1_case_level",
    "q2_disagreement",
    "q3_overdue_risks",
    "q4_levels_to_climb",
    "q5_first_step",
    "q6_coo_message",
]
AREAS = [
    "standards",
    "governance",
    "resources",
    "risk",
    "performance",
    "knowledge",
    "training",
    "portfolio",
]

# q1, resources by one rater: L1 (2+2)/4 = 1.0, L2 (2+1)/4 = 0.75 (achieved, at
# least 0.75), L3 (1+1)/4 = 0.5 (not), L4 (2+2)/4 = 1.0 above the gap, L5 0.
CASE_LEVEL = 2
CASE_IGNORING_GAP = 4  # highest achieved level
CASE_COUNTED = 3  # levels 1, 2 and 4 achieved
CASE_STRICT = 1  # 0.75 read as "not above 0.75"
CASE_PROGRESS = 2.5  # level 2 + half of level 3
# The answers changed at the calibration meeting (the notebook's "calibration" cell).
CALIBRATION = {
    "pmo_lead": {"knowledge-2a": 2},
    "project_manager": {"knowledge-3a": 1, "knowledge-3b": 0},
    "finance_director": {"performance-3a": 2, "performance-3b": 2, "performance-4a": 2},
}


def _share(answers: dict[str, int], area: str, level: int) -> float:
    return (answers.get(f"{area}-{level}a", 0) + answers.get(f"{area}-{level}b", 0)) / 4


def _level(answers: dict[str, int], area: str) -> int:
    """The staged level of one area for one rater, by the rule, by hand."""
    level = 0
    for lv in range(1, 6):
        if _share(answers, area, lv) < 0.75:
            break
        level = lv
    return level


@pytest.fixture(scope="module")
def raters() -> dict[str, dict[str, int]]:
    data: dict[str, dict[str, int]] = yaml.safe_load(
        SAMPLE_ANSWERS.read_text(encoding="utf-8")
    )
    for rater, changes in CALIBRATION.items():
        data[rater] = {**data[rater], **changes}
    return data


@pytest.fixture(scope="module")
def hand(raters: dict[str, dict[str, int]]) -> dict[str, Any]:
    """Per area: each rater's level, the median rounded down, the spread."""
    per_area = {a: [_level(ans, a) for ans in raters.values()] for a in AREAS}
    assessed = {a: int(statistics.median(lv)) for a, lv in per_area.items()}
    spread = {a: max(lv) - min(lv) for a, lv in per_area.items()}
    # progress: level + the raters' mean share of the next level
    progress = {
        a: lv + (statistics.fmean(_share(r, a, lv + 1) for r in raters.values()))
        if lv < 5
        else 5.0
        for a, lv in assessed.items()
    }
    return {
        "levels": per_area,
        "assessed": assessed,
        "spread": spread,
        "progress": progress,
    }


@pytest.fixture(scope="module")
def overdue(sample: pmo_kit.Portfolio) -> dict[str, int]:
    """Open risks overdue for review at the status date, counted with plain pandas."""
    risks = pd.read_csv(REPO / "datasets" / "meridian" / "risks.csv")
    projects = pd.read_csv(REPO / "datasets" / "meridian" / "projects.csv")
    as_of = pd.to_datetime(projects["status_date"]).max()
    score = risks["residual_probability"] * risks["residual_impact"]
    # the 5x5 matrix of lesson 02: high from 15, medium from 5 (checked below)
    cadence = score.map(lambda s: 14 if s >= 15 else (30 if s >= 5 else 60))
    age = (as_of - pd.to_datetime(risks["last_review_date"])).dt.days
    late_open = (risks["status"] == "open") & (age > cadence)
    late_any = age > cadence
    return {
        "count": int(late_open.sum()),
        "open": int((risks["status"] == "open").sum()),
        "any": int(late_any.sum()),
    }


@pytest.fixture(scope="module")
def given(sample: pmo_kit.Portfolio) -> dict[str, Any]:
    """The variables the notebook gives the learner."""
    cells = code_cells(SOLUTION)
    namespace: dict[str, Any] = {}
    exec(cells["setup"].replace("check = load_checks()\n", ""), namespace)
    exec(cells["calibration"], namespace)
    exec(cells["case"], namespace)
    return {
        "case": namespace["case"],
        "answers": namespace["answers"],
        "target": namespace["target"],
        "portfolio": sample,
    }


@pytest.fixture(scope="module")
def checker() -> Checker:
    return load_checks(EXERCISE)


MESSAGE = (
    "Our PMO is defined (level 3) in standards, governance and risk but only at "
    "level 1 in two areas; the data questions even risk: 13 open risks are overdue "
    "for review. Fix training and competence first, portfolio builds on more."
)


def _answers(**overrides: object) -> dict[str, object]:
    answers: dict[str, object] = {
        "case_level": CASE_LEVEL,
        "most_disagreement": "performance",
        "overdue_risks": 13,
        "levels_to_climb": 7,
        "first_step": "training",
        "coo_message": MESSAGE,
    }
    answers.update(overrides)
    return answers


def _run(
    checker: Checker, given: dict[str, Any], name: str, **wrong: object
) -> CheckResult:
    return checker(name, {**given, **_answers(**wrong)})


def test_the_notebook_holds_the_case_and_the_raters(given, raters):
    assert given["case"] == {
        "resources-1a": 2,
        "resources-1b": 2,
        "resources-2a": 2,
        "resources-2b": 1,
        "resources-3a": 1,
        "resources-3b": 1,
        "resources-4a": 2,
        "resources-4b": 2,
        "resources-5a": 0,
        "resources-5b": 0,
    }
    assert given["answers"] == raters  # the sample, changed by CALIBRATION
    assert given["target"] == 3


def test_hand_figures_behind_the_answers(hand, overdue):
    assert _level({"resources-1a": 2, "resources-1b": 2}, "resources") == 1
    # q2: after calibration only performance has raters two levels apart (2, 4, 2);
    # knowledge, two apart in the lesson, is now 2, 1, 2
    assert hand["levels"]["performance"] == [2, 4, 2]
    assert hand["levels"]["knowledge"] == [2, 1, 2]
    widest = max(hand["spread"].values())
    assert [a for a, s in hand["spread"].items() if s == widest] == ["performance"]
    # q4: gaps to 3 = resources 1, performance 1, knowledge 1, training 2, portfolio 2
    assessed = hand["assessed"]
    assert sum(max(0, 3 - lv) for lv in assessed.values()) == 7
    # q5: two areas at level 1; training builds on standards and knowledge (depth
    # 2), portfolio on governance, performance, resources, risk (depth 3)
    assert sorted(a for a, lv in assessed.items() if lv == 1) == [
        "portfolio",
        "training",
    ]
    # q3: the sample's published figure, "13 of 45 open risks are overdue"
    assert (overdue["count"], overdue["open"]) == (13, 45)


def test_exercise_has_its_checks(checker):
    assert list(checker.checks) == CHECK_NAMES


def test_correct_answers_pass(checker, given):
    results = checker.all({**given, **_answers()})
    assert [r.outcome for r in results] == ["correct"] * len(CHECK_NAMES), results


@pytest.mark.parametrize(
    ("name", "variable", "value"),
    [
        ("q1_case_level", "case_level", 2.0),
        ("q2_disagreement", "most_disagreement", " Performance Tracking "),
        ("q3_overdue_risks", "overdue_risks", 13.0),
        ("q5_first_step", "first_step", "TRAINING"),
    ],
    ids=["float-level", "title", "float-count", "upper"],
)
def test_equivalent_forms_pass(checker, given, name, variable, value):
    result = _run(checker, given, name, **{variable: value})
    assert result.passed, result


MISTAKES: dict[str, tuple[str, dict[str, object], str]] = {
    "level-above-gap": (
        "q1_case_level",
        {"case_level": CASE_IGNORING_GAP},
        "Level 4 is achieved on its own, but level 3 is not (0.50 < 0.75)",
    ),
    "levels-counted": (
        "q1_case_level",
        {"case_level": CASE_COUNTED},
        "You counted the achieved levels (3).",
    ),
    "strictly-above": (
        "q1_case_level",
        {"case_level": CASE_STRICT},
        "Level 2 scores exactly 0.75: the rule says a level is achieved at *at "
        "least* 75%",
    ),
    "progress-for-level": (
        "q1_case_level",
        {"case_level": CASE_PROGRESS},
        "2.5 is the progress",
    ),
    "level-as-text": (
        "q1_case_level",
        {"case_level": "2"},
        "`case_level` is the text '2'",
    ),
    "low-is-not-disagreement": (
        "q2_disagreement",
        {"most_disagreement": "training"},
        "On training and competence the raters give pmo_lead 1, finance_director 2, "
        "project_manager 1: a spread of 1. On performance tracking they give "
        "pmo_lead 2, finance_director 4, project_manager 2: a spread of 2. A low "
        "level is not a disagreement",
    ),
    "the-lessons-answer": (
        "q2_disagreement",
        {"most_disagreement": "knowledge"},
        "On knowledge management the raters give pmo_lead 2, finance_director 1, "
        "project_manager 2: a spread of 1.",
    ),
    "unknown-area": (
        "q2_disagreement",
        {"most_disagreement": "finance"},
        "'finance' is not an area of the questionnaire.",
    ),
    "today-not-status-date": (
        "q3_overdue_risks",
        {"overdue_risks": 45},
        "45 is every open risk. Judge the reviews at the data's status date",
    ),
    "closed-risks-too": (
        "q3_overdue_risks",
        {"overdue_risks": "ANY"},
        "counts closed risks too",
    ),
    "share-not-count": (
        "q3_overdue_risks",
        {"overdue_risks": 13 / 45},
        "looks like a share of the open risks",
    ),
    "areas-below-target": (
        "q4_levels_to_climb",
        {"levels_to_climb": 5},
        "5 areas are below level 3, but some need more than one level: resources 1, "
        "performance 1, knowledge 1, training 2, portfolio 2.",
    ),
    "progress-gap": (
        "q4_levels_to_climb",
        {"levels_to_climb": "PROGRESS"},
        "uses the progress (partial credit)",
    ),
    "one-rater": (
        "q4_levels_to_climb",
        {"levels_to_climb": "PMO_LEAD"},
        "is the gap by pmo_lead's levels alone",
    ),
    "deepest-first": (
        "q5_first_step",
        {"first_step": "portfolio"},
        "portfolio management builds on governance, performance, resources, risk "
        "(dependency depth 3); training and competence has depth 2.",
    ),
    "higher-level-first": (
        "q5_first_step",
        {"first_step": "knowledge"},
        "knowledge management's next step reaches level 3; training and competence "
        "still lacks level 2. Fix the basics first",
    ),
    "at-target": (
        "q5_first_step",
        {"first_step": "risk"},
        "risk management is already at level 3, the target is 3: it needs no step.",
    ),
    "message-short": (
        "q6_coo_message",
        {"coo_message": "Level 2. Fix training, 13 risks late."},
        "more words (7 now, at least 25)",
    ),
    "message-no-figure": (
        "q6_coo_message",
        {"coo_message": MESSAGE.replace("13 open risks", "many open risks")},
        "a figure from the data that questions a self-rating",
    ),
    "message-no-first-step": (
        "q6_coo_message",
        {"coo_message": MESSAGE.replace("training and competence", "the basics")},
        "what to fix first: the area of the roadmap's first step (training)",
    ),
    "message-no-level": (
        "q6_coo_message",
        {
            "coo_message": MESSAGE.replace("defined (level 3)", "fine").replace(
                "level 1", "a low point"
            )
        },
        'a maturity level ("level 2", "repeatable", ...)',
    ),
}


def _resolve(value: object, hand: dict[str, Any], overdue: dict[str, int]) -> object:
    """Placeholders for wrong answers worked out from the hand figures."""
    if value == "ANY":
        return overdue["any"]
    if value == "PMO_LEAD":
        return sum(max(0, 3 - levels[0]) for levels in hand["levels"].values())
    if value == "PROGRESS":
        return round(sum(max(0.0, 3 - p) for p in hand["progress"].values()), 2)
    return value


def test_wrong_answer_figures_differ_from_the_right_ones(hand, overdue):
    assert overdue["any"] != overdue["count"]
    by_progress = sum(max(0.0, 3 - p) for p in hand["progress"].values())
    assert by_progress not in (5, 7)  # not the areas below target, not the answer
    pmo_lead = sum(max(0, 3 - levels[0]) for levels in hand["levels"].values())
    assert pmo_lead != 7  # pmo_lead: 0+0+1+0+1+1+2+1 = 6


@pytest.mark.parametrize("case", list(MISTAKES))
def test_typical_mistake_gets_its_message(checker, given, hand, overdue, case):
    name, wrong, phrase = MISTAKES[case]
    wrong = {k: _resolve(v, hand, overdue) for k, v in wrong.items()}
    result = _run(checker, given, name, **wrong)
    assert result.outcome == "incorrect", result
    assert phrase in result.message, result


def test_other_wrong_level_gets_the_shares(checker, given):
    result = _run(checker, given, "q1_case_level", case_level=5)
    assert result.outcome == "incorrect"
    assert "level 1: 1.00, level 2: 0.75, level 3: 0.50, level 4: 1.00" in (
        result.message
    )


def test_a_changed_case_is_reported(checker, given):
    result = checker("q1_case_level", {**given, **_answers(), "case": "oops"})
    assert result.outcome == "incorrect"
    assert "run the cell that defines it again" in result.message


def test_checks_follow_a_changed_case_and_target(checker, given):
    # a trainer fills level 3 in: 1.0, 0.75, 1.0, 1.0, 0 -> level 4
    case = {**given["case"], "resources-3a": 2, "resources-3b": 2}
    namespace = {**given, **_answers(case_level=4), "case": case}
    assert checker("q1_case_level", namespace).passed
    # target 2: gaps training 1, portfolio 1 -> 2 levels to climb, training first
    namespace = {**given, **_answers(levels_to_climb=2), "target": 2}
    assert checker("q4_levels_to_climb", namespace).passed
    assert checker("q5_first_step", namespace).passed


@pytest.mark.parametrize("name", CHECK_NAMES)
def test_placeholder_is_not_done(checker, given, name):
    variable = checker.checks[name].variables[-1]
    result = checker(name, {**given, **_answers(**{variable: ...})})
    assert result.outcome == "not done"
    assert f"`{variable}`" in result.message


def test_learner_copy_has_placeholders_and_no_solution(tmp_path):
    learner = learner_code(SOLUTION, tmp_path, min_length=2)
    for variable in [
        "case_level",
        "most_disagreement",
        "overdue_risks",
        "levels_to_climb",
        "first_step",
        "coo_message",
    ]:
        assert f"\n{variable} = ...\n" in f"\n{learner}\n", variable
    assert learner.count("# YOUR CODE HERE") == len(CHECK_NAMES)
    assert "idxmax" not in learner
    assert "case = {" in learner  # the case stays


@pytest.mark.notebook
def test_learner_copy_runs_and_every_check_is_not_done(tmp_path):
    assert_learner_copy_not_done(SOLUTION, tmp_path, len(CHECK_NAMES))


@pytest.mark.notebook
def test_solution_notebook_answers_every_check(tmp_path):
    assert_solution_passes(SOLUTION, tmp_path, len(CHECK_NAMES))
