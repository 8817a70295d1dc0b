"""
Exercise 03 (forward and backward pass): right answers pass, mistakes get their message.

The right answers are written here by hand (the textbook values of the network in
the notebook), independently of ``exercises/03_schedule/checks.py``, which computes
them with the schedule engine; a test checks the notebook still holds that network.
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
    code_cells,
    learner_code,
)

REPO = Path(__file__).resolve().parents[2]
EXERCISE = REPO / "exercises" / "03_schedule"
SOLUTION = EXERCISE / "solution.ipynb"
CHECK_NAMES = [
    "q1_early_start",
    "q2_project_finish",
    "q3_late_start",
    "q4_total_float",
    "q5_critical_path",
    "q6_pert_expected",
    "q7_pert_probability",
]

# The network of the notebook, solved by hand:
#   A(2) -> B(3), C(4);  B -> D(6), E(4);  C -> D with a lag of 2;
#   D -> F(3);  E -> F, G(2).   Project finish 17, critical path A-C-D-F.
EARLY_START = {"A": 0, "B": 2, "C": 2, "D": 8, "E": 5, "F": 14, "G": 9}
EARLY_FINISH = {"A": 2, "B": 5, "C": 6, "D": 14, "E": 9, "F": 17, "G": 11}
LATE_START = {"A": 0, "B": 5, "C": 2, "D": 8, "E": 10, "F": 14, "G": 15}
LATE_FINISH = {"A": 2, "B": 8, "C": 6, "D": 14, "E": 14, "F": 17, "G": 17}
TOTAL_FLOAT = {t: LATE_START[t] - EARLY_START[t] for t in EARLY_START}
FREE_FLOAT = {"A": 0, "B": 0, "C": 0, "D": 0, "E": 0, "F": 0, "G": 6}
PROJECT_FINISH = 17
CRITICAL_PATH = ["A", "C", "D", "F"]
PERT_EXPECTED = 17.0  # B -> E -> G: 4 + 6 + 7
PERT_PROBABILITY = 0.8413  # z = (20 - 17) / 3 = 1


@pytest.fixture(scope="module")
def given() -> dict[str, Any]:
    """The variables the notebook gives the learner (network and PERT cells)."""
    cells = code_cells(SOLUTION)
    namespace: dict[str, Any] = {}
    exec(cells["setup"].replace("check = load_checks()", ""), namespace)
    exec(cells["network"], namespace)
    exec(cells["pert-network"], namespace)
    return {
        k: namespace[k]
        for k in ["tasks", "links", "pert_tasks", "pert_links", "target_days"]
    }


@pytest.fixture(scope="module")
def checker() -> Checker:
    return load_checks(EXERCISE)


def _answers(**overrides: object) -> dict[str, object]:
    answers: dict[str, object] = {
        "early_start": dict(EARLY_START),
        "project_finish": PROJECT_FINISH,
        "late_start": dict(LATE_START),
        "total_float": dict(TOTAL_FLOAT),
        "critical_path": list(CRITICAL_PATH),
        "pert_expected": PERT_EXPECTED,
        "pert_probability": PERT_PROBABILITY,
    }
    return {**answers, **overrides}


def _run(
    checker: Checker, given: dict[str, Any], name: str, **overrides: object
) -> CheckResult:
    return checker(name, {**given, **_answers(**overrides)})


# ---------------------------------------------------------------- the network


def test_notebook_holds_the_network_solved_here(given):
    tasks, links = given["tasks"], given["links"]
    assert dict(zip(tasks["task_id"], tasks["duration"], strict=True)) == {
        "A": 2,
        "B": 3,
        "C": 4,
        "D": 6,
        "E": 4,
        "F": 3,
        "G": 2,
    }
    assert sorted(
        zip(links["predecessor"], links["successor"], links["lag"], strict=True)
    ) == [
        ("A", "B", 0),
        ("A", "C", 0),
        ("B", "D", 0),
        ("B", "E", 0),
        ("C", "D", 2),
        ("D", "F", 0),
        ("E", "F", 0),
        ("E", "G", 0),
    ]
    assert set(links["type"]) == {"FS"}
    assert given["target_days"] == 20


def test_engine_agrees_with_the_hand_solution(given):
    from pmo_kit.schedule import critical_path

    schedule = critical_path(given["tasks"], given["links"])
    for column, truth in [
        ("early_start", EARLY_START),
        ("early_finish", EARLY_FINISH),
        ("late_start", LATE_START),
        ("late_finish", LATE_FINISH),
        ("free_float", FREE_FLOAT),
    ]:
        assert schedule[column].to_dict() == truth, column


# ------------------------------------------------------------------ right answers


def test_exercise_has_its_checks(checker):
    assert list(checker.checks) == CHECK_NAMES


def test_correct_answers_pass(checker, given):
    results = checker.all({**given, **_answers()})
    assert [r.outcome for r in results] == ["correct"] * len(CHECK_NAMES), results


@pytest.mark.parametrize(
    ("name", "variable", "value"),
    [
        ("q1_early_start", "early_start", pd.Series(EARLY_START)),
        (
            "q1_early_start",
            "early_start",
            {k.lower(): float(v) for k, v in EARLY_START.items()},
        ),
        ("q3_late_start", "late_start", pd.Series(LATE_START, dtype="int64")),
        ("q2_project_finish", "project_finish", 17.0),
        ("q5_critical_path", "critical_path", "A-C-D-F"),
        ("q5_critical_path", "critical_path", ("A", "C", "D", "F")),
        ("q6_pert_expected", "pert_expected", 17),
        ("q7_pert_probability", "pert_probability", 0.84),
    ],
    ids=[
        "series",
        "lower-case-float",
        "int-series",
        "finish-float",
        "path-text",
        "path-tuple",
        "expected-int",
        "probability-2-decimals",
    ],
)
def test_equivalent_forms_pass(checker, given, name, variable, value):
    result = _run(checker, given, name, **{variable: value})
    assert result.passed, result


# ------------------------------------------------------------------ typical mistakes

MISTAKES: dict[str, tuple[str, dict[str, object], str]] = {
    # q1: forward pass
    "es-earliest-predecessor": (
        "q1_early_start",
        {"early_start": {**EARLY_START, "D": 5}},
        "Task D waits for ALL its predecessors (B finishes at 5, C finishes at 6 "
        "+ 2 days lag). Its early start is the LATEST of these; you took the "
        "earliest, from B.",
    ),
    "es-forgot-lag": (
        "q1_early_start",
        {"early_start": {**EARLY_START, "D": 6}},
        "Task D: you forgot the lag of 2 days on C -> D.",
    ),
    "es-from-predecessor-start": (
        "q1_early_start",
        {"early_start": {**EARLY_START, "D": 2}},
        "you started it from B's early START (2)",
    ),
    "es-one-day-late": (
        "q1_early_start",
        {"early_start": {**EARLY_START, "D": 9}},
        "Task D: one day too late",
    ),
    "es-merge-at-f": (
        "q1_early_start",
        {"early_start": {**EARLY_START, "F": 9}},
        "Task F waits for ALL its predecessors",
    ),
    "es-first-error-only": (  # D wrong, then F and G follow from it: report D
        "q1_early_start",
        {"early_start": {**EARLY_START, "D": 5, "F": 11}},
        "Task D waits for ALL",
    ),
    "es-start-not-zero": (
        "q1_early_start",
        {"early_start": {**EARLY_START, "A": 1}},
        "Task A has no predecessor",
    ),
    "es-counted-from-one": (
        "q1_early_start",
        {"early_start": {t: v + 1 for t, v in EARLY_START.items()}},
        "you count days from 1",
    ),
    "es-gave-finishes": (
        "q1_early_start",
        {"early_start": dict(EARLY_FINISH)},
        "These are the early FINISH times",
    ),
    "es-one-finish": (
        "q1_early_start",
        {"early_start": {**EARLY_START, "D": 14}},
        "Task D: 14 is its early FINISH",
    ),
    "es-gave-late-starts": (
        "q1_early_start",
        {"early_start": dict(LATE_START)},
        "These are the LATE starts",
    ),
    "es-other-value": (
        "q1_early_start",
        {"early_start": {**EARLY_START, "D": 7}},
        "Task D: early start = the latest of (early finish of each predecessor + "
        "lag): B finishes at 5, C finishes at 6 + 2 days lag. You have 7.",
    ),
    "es-list": (
        "q1_early_start",
        {"early_start": list(EARLY_START.values())},
        "A list has no task ids",
    ),
    "es-table": (
        "q1_early_start",
        {"early_start": pd.DataFrame({"task_id": ["A"], "early_start": [0]})},
        "You gave a whole table",
    ),
    "es-missing-task": (
        "q1_early_start",
        {"early_start": {t: v for t, v in EARLY_START.items() if t != "E"}},
        "No value for task(s) E",
    ),
    "es-unknown-task": (
        "q1_early_start",
        {"early_start": {**EARLY_START, "H": 3}},
        "'H' is not a task of the network",
    ),
    "es-text-value": (
        "q1_early_start",
        {"early_start": {**EARLY_START, "B": "2"}},
        "`early_start['B']` is the text '2'; give a number, without quotes.",
    ),
    "es-fraction": (
        "q1_early_start",
        {"early_start": {**EARLY_START, "B": 2.5}},
        "Task B: 2.5 is not a whole number",
    ),
    # q2: project finish
    "finish-last-row": (
        "q2_project_finish",
        {"project_finish": 11},
        "the early finish of G, the last row of the table",
    ),
    "finish-sum-of-durations": (
        "q2_project_finish",
        {"project_finish": 24},
        "adds up every duration",
    ),
    "finish-without-lag": (
        "q2_project_finish",
        {"project_finish": 15},
        "would be right without lags",
    ),
    "finish-one-short": (
        "q2_project_finish",
        {"project_finish": 16},
        "one day short",
    ),
    # q3: backward pass
    "ls-largest-successor": (
        "q3_late_start",
        {"late_start": {**LATE_START, "E": 11}},
        "Late start of E: take the SMALLEST late start of its successors, not the "
        "largest (F must start by 14, G must start by 15).",
    ),
    "ls-largest-successor-at-a": (
        "q3_late_start",
        {"late_start": {**LATE_START, "A": 3}},
        "Late start of A: take the SMALLEST",
    ),
    "ls-forgot-lag": (
        "q3_late_start",
        {"late_start": {**LATE_START, "C": 4}},
        "Task C: you forgot the lag of 2 days on C -> D.",
    ),
    "ls-end-task-early-start": (
        "q3_late_start",
        {"late_start": {**LATE_START, "G": 9}},
        "Task G has no successor",
    ),
    "ls-late-finish": (
        "q3_late_start",
        {"late_start": {**LATE_START, "E": 14}},
        "Task E: 14 is its late FINISH",
    ),
    "ls-copied-early-start": (
        "q3_late_start",
        {"late_start": {**LATE_START, "E": 5}},
        "Task E: 5 is its EARLY start",
    ),
    "ls-all-early-starts": (
        "q3_late_start",
        {"late_start": dict(EARLY_START)},
        "These are the EARLY starts from question 1",
    ),
    "ls-all-late-finishes": (
        "q3_late_start",
        {"late_start": dict(LATE_FINISH)},
        "These are the late FINISH times",
    ),
    # q4: total float
    "float-free-float": (
        "q4_total_float",
        {"total_float": {**TOTAL_FLOAT, "B": 0}},
        "Task B: 0 is its FREE float",
    ),
    "float-upside-down": (
        "q4_total_float",
        {"total_float": {t: -v for t, v in TOTAL_FLOAT.items()}},
        "Upside down",
    ),
    "float-other": (
        "q4_total_float",
        {"total_float": {**TOTAL_FLOAT, "E": 4}},
        "Task E: total float = late start - early start = 10 - 5. You have 4.",
    ),
    # q5: critical path
    "path-with-float-task": (
        "q5_critical_path",
        {"critical_path": ["A", "B", "D", "F"]},
        "Task B has 3 days of total float",
    ),
    "path-missing-task": (
        "q5_critical_path",
        {"critical_path": ["A", "D", "F"]},
        "Task C has no float, so it is critical too",
    ),
    "path-reversed": (
        "q5_critical_path",
        {"critical_path": ["F", "D", "C", "A"]},
        "give them in order",
    ),
    "path-unknown-task": (
        "q5_critical_path",
        {"critical_path": ["A", "X"]},
        "'X' is not a task",
    ),
    # q6: PERT expected duration
    "pert-most-likely": (
        "q6_pert_expected",
        {"pert_expected": 15},
        "adds the MOST LIKELY durations of B -> E -> G",
    ),
    "pert-all-means": (
        "q6_pert_expected",
        {"pert_expected": 28},
        "adds the means of ALL tasks",
    ),
    "pert-triangular": (
        "q6_pert_expected",
        {"pert_expected": 19},
        "uses (o + m + p) / 3",
    ),
    # q7: PERT probability
    "prob-percentage": (
        "q7_pert_probability",
        {"pert_probability": 84.13},
        "looks like a percentage",
    ),
    "prob-complement": (
        "q7_pert_probability",
        {"pert_probability": 0.1587},
        "the chance of finishing LATER than 20 days",
    ),
    "prob-summed-sigmas": (
        "q7_pert_probability",
        {"pert_probability": 0.7257},
        "You added the standard deviations along the path (sigma 5)",
    ),
    "prob-variance-as-sigma": (
        "q7_pert_probability",
        {"pert_probability": 0.6306},
        "You used the variance (9) as sigma",
    ),
    "prob-every-variance": (
        "q7_pert_probability",
        {"pert_probability": 0.807},
        "the variances of EVERY task",
    ),
    "prob-most-likely-centre": (
        "q7_pert_probability",
        {"pert_probability": 0.9522},
        "centred the curve on the most likely duration (15)",
    ),
    "prob-z": (
        "q7_pert_probability",
        {"pert_probability": 1},
        "is z, the number of sigmas",
    ),
    "prob-half": (
        "q7_pert_probability",
        {"pert_probability": 0.5},
        "within the EXPECTED duration",
    ),
}


@pytest.mark.parametrize("case", list(MISTAKES))
def test_typical_mistake_gets_its_message(checker, given, case):
    name, wrong, phrase = MISTAKES[case]
    result = _run(checker, given, name, **wrong)
    assert result.outcome == "incorrect", result
    assert phrase in result.message, result


@pytest.mark.parametrize(
    ("name", "wrong"),
    [
        ("q2_project_finish", {"project_finish": 40}),
        ("q6_pert_expected", {"pert_expected": 40}),
        ("q7_pert_probability", {"pert_probability": 0.31}),
    ],
)
def test_other_wrong_values_get_the_hint(checker, given, name, wrong):
    result = _run(checker, given, name, **wrong)
    assert result.outcome == "incorrect"
    assert result.message.startswith(checker.checks[name].hint), result
    assert "you have" in result.message


def test_a_changed_network_is_reported(checker, given):
    namespace = {**given, **_answers(), "tasks": "oops"}
    result = checker("q1_early_start", namespace)
    assert result.outcome == "incorrect"
    assert "run the cell that defines them again" in result.message


# ----------------------------------------------------------------------- not done


@pytest.mark.parametrize("name", CHECK_NAMES)
def test_placeholder_is_not_done(checker, given, name):
    variable = checker.checks[name].variables[-1]
    result = checker(name, {**given, **_answers(**{variable: ...})})
    assert result.outcome == "not done"
    assert f"`{variable}`" in result.message


# ------------------------------------------------------------------ learner copy


def test_learner_copy_has_placeholders_and_no_solution(tmp_path):
    learner = learner_code(SOLUTION, tmp_path)
    for variable in [
        "early_start",
        "project_finish",
        "late_start",
        "total_float",
        "critical_path",
        "pert_expected",
        "pert_sigma",
        "pert_probability",
    ]:
        assert f"\n{variable} = ...\n" in f"\n{learner}\n", variable
    assert learner.count("# YOUR CODE HERE") == len(CHECK_NAMES)
    assert "tasks = pd.DataFrame(" in learner  # the network stays


@pytest.mark.notebook
def test_learner_copy_runs_and_every_check_is_not_done(tmp_path):
    assert_learner_copy_not_done(SOLUTION, tmp_path, len(CHECK_NAMES))


@pytest.mark.notebook
def test_solution_notebook_answers_every_check(tmp_path):
    assert_solution_passes(SOLUTION, tmp_path, len(CHECK_NAMES))
