"""
Exercise 04 (find and fix an over-allocation): right answers pass, mistakes get
their message.

The right answers are worked out here by hand from the plan in the notebook,
independently of ``exercises/04_resources/checks.py``, which computes them with the
resource engine; a test checks the notebook still holds that plan.

Dilan Fischer (R-020, 37.5 h/week = 7.5 h/day) at 0.8 = 30 h/week on T016
(1-19 Jun), T017 (8-19 Jun) and T018 (22 Jun-3 Jul), at 0.4 = 15 h/week on T020
(22 Jun-3 Jul). Week of 1 Jun: 30 h (80 %); 8 and 15 Jun: 60 h (160 %, excess
22.5 h each); 22 and 29 Jun: 45 h (120 %, excess 7.5 h each). Excess 60 h.

Levelled with P-004 first: T016 then T018 keep Dilan at 0.8 until 3 Jul, so T017
(0.8) waits until Mon 6 Jul (runs to Fri 17 Jul); T020 and T022 follow it, 20 Jul
to Fri 31 Jul: P-006 finishes 2026-07-31.
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
EXERCISE = REPO / "exercises" / "04_resources"
SOLUTION = EXERCISE / "solution.ipynb"
CHECK_NAMES = [
    "q1_who",
    "q2_weeks",
    "q3_excess",
    "q4_fix",
    "q5_delayed_task",
    "q6_levelled_finish",
]

PERSON = "R-020"
WEEKS = ["2026-06-08", "2026-06-15", "2026-06-22", "2026-06-29"]
EXCESS = 60.0
DELAYED = "T017"
LEVELLED_FINISH = "2026-07-31"


@pytest.fixture(scope="module")
def given() -> dict[str, Any]:
    """The tables the notebook gives the learner."""
    cells = code_cells(SOLUTION)
    namespace: dict[str, Any] = {"pd": pd}
    exec(cells["plan"], namespace)
    return {k: namespace[k] for k in ["team", "tasks", "links", "assignments"]}


@pytest.fixture(scope="module")
def checker() -> Checker:
    return load_checks(EXERCISE)


def _moved(tasks: pd.DataFrame, task: str, start: str, finish: str) -> pd.DataFrame:
    out = tasks.copy()
    row = out["task_id"] == task
    out.loc[row, "baseline_start"] = pd.Timestamp(start)
    out.loc[row, "baseline_finish"] = pd.Timestamp(finish)
    return out


def _assigned(assignments: pd.DataFrame, task: str, **values: Any) -> pd.DataFrame:
    out = assignments.copy()
    for column, value in values.items():
        out.loc[out["task_id"] == task, column] = value
    return out


def _fix(given: dict[str, Any]) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The solution's fix: Willem takes T016, T020 waits until 6 July."""
    tasks = _moved(given["tasks"], "T020", "2026-07-06", "2026-07-17")
    return tasks, _assigned(given["assignments"], "T016", resource_id="R-006")


def _answers(given: dict[str, Any], **overrides: object) -> dict[str, object]:
    fixed_tasks, fixed_assignments = _fix(given)
    answers: dict[str, object] = {
        "overbooked_person": PERSON,
        "overbooked_weeks": list(WEEKS),
        "excess_hours": EXCESS,
        "fixed_tasks": fixed_tasks,
        "fixed_assignments": fixed_assignments,
        "delayed_task": DELAYED,
        "levelled_finish": LEVELLED_FINISH,
    }
    return {**given, **answers, **overrides}


def _run(
    checker: Checker, given: dict[str, Any], name: str, **overrides: object
) -> CheckResult:
    return checker(name, _answers(given, **overrides))


# ---------------------------------------------------------------- the plan


def test_notebook_holds_the_plan_solved_here(given):
    tasks, work = given["tasks"], given["assignments"]
    pairs = zip(work["resource_id"], work["units"], strict=True)
    booked = dict(zip(work["task_id"], pairs, strict=True))
    assert {t: booked[t] for t in ["T016", "T017", "T018", "T020"]} == {
        "T016": ("R-020", 0.8),
        "T017": ("R-020", 0.8),
        "T018": ("R-020", 0.8),
        "T020": ("R-020", 0.4),
    }
    dates = tasks.set_index("task_id")[["baseline_start", "baseline_finish"]]
    assert [f"{d:%Y-%m-%d}" for d in dates.loc["T017"]] == ["2026-06-08", "2026-06-19"]
    assert [f"{d:%Y-%m-%d}" for d in dates.loc["T018"]] == ["2026-06-22", "2026-07-03"]
    team = given["team"].set_index("resource_id")
    assert team.loc["R-020", "capacity_hours"] == 37.5


def test_engine_agrees_with_the_hand_figures(given):
    from pmo_kit.resources import capacity_plan, overallocations

    plan = capacity_plan(
        resources=given["team"],
        assignments=given["assignments"],
        tasks=given["tasks"],
        start="2026-06-01",
        weeks=9,
    )
    over = overallocations(plan)
    assert list(over["resource_id"]) == [PERSON]
    assert f"{over['first_week'].iloc[0]:%Y-%m-%d}" == WEEKS[0]
    assert f"{over['last_week'].iloc[0]:%Y-%m-%d}" == WEEKS[-1]
    assert over["excess_hours"].iloc[0] == pytest.approx(EXCESS)
    assert over["peak_utilisation"].iloc[0] == pytest.approx(1.6)


# ------------------------------------------------------------------ right answers


def test_exercise_has_its_checks(checker):
    assert list(checker.checks) == CHECK_NAMES


def test_correct_answers_pass(checker, given):
    results = checker.all(_answers(given))
    assert [r.outcome for r in results] == ["correct"] * len(CHECK_NAMES), results


def _shift_p006(given: dict[str, Any]) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Another fix: P-006's Dilan work after P-004's (the levelled plan)."""
    tasks = _moved(given["tasks"], "T017", "2026-07-06", "2026-07-17")
    tasks = _moved(tasks, "T020", "2026-07-20", "2026-07-31")
    tasks = _moved(tasks, "T022", "2026-07-20", "2026-07-31")
    return tasks, given["assignments"].copy()


def _stretch(given: dict[str, Any]) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Another fix: Willem takes T016; T020 at half the units over twice the days."""
    tasks = _moved(given["tasks"], "T020", "2026-06-22", "2026-07-17")
    work = _assigned(given["assignments"], "T016", resource_id="R-006")
    return tasks, _assigned(work, "T020", units=0.2)


@pytest.mark.parametrize("fix", [_shift_p006, _stretch], ids=["shift-p006", "stretch"])
def test_other_fixes_pass(checker, given, fix):
    fixed_tasks, fixed_assignments = fix(given)
    result = _run(
        checker,
        given,
        "q4_fix",
        fixed_tasks=fixed_tasks,
        fixed_assignments=fixed_assignments,
    )
    assert result.passed, result


@pytest.mark.parametrize(
    ("name", "variable", "value"),
    [
        ("q1_who", "overbooked_person", "Dilan Fischer"),
        ("q1_who", "overbooked_person", " r-020 "),
        ("q1_who", "overbooked_person", ["R-020"]),
        ("q2_weeks", "overbooked_weeks", pd.to_datetime(WEEKS)),
        ("q2_weeks", "overbooked_weeks", ["2026-06-12", "2026-06-17", *WEEKS[2:]]),
        ("q3_excess", "excess_hours", 60),
        ("q5_delayed_task", "delayed_task", "P-006 T017"),
        ("q6_levelled_finish", "levelled_finish", pd.Timestamp(LEVELLED_FINISH)),
    ],
    ids=[
        "name",
        "lower-case-id",
        "one-item-list",
        "timestamps",
        "days-inside-the-weeks",
        "int-hours",
        "project-and-task",
        "timestamp",
    ],
)
def test_equivalent_forms_pass(checker, given, name, variable, value):
    result = _run(checker, given, name, **{variable: value})
    assert result.passed, result


# ------------------------------------------------------------------ typical mistakes


def _mistake_tables(given: dict[str, Any]) -> dict[str, dict[str, object]]:
    tasks, work = given["tasks"], given["assignments"]
    fixed_tasks, fixed_work = _fix(given)
    p004 = tasks.copy()
    for task, start, finish in [
        ("T016", "2026-06-15", "2026-07-03"),
        ("T018", "2026-07-06", "2026-07-17"),
        ("T019", "2026-07-20", "2026-07-24"),
    ]:
        p004 = _moved(p004, task, start, finish)
    return {
        "fix-nothing": {
            "fixed_tasks": tasks.copy(),
            "fixed_assignments": work.copy(),
        },
        "fix-half-done": {
            "fixed_tasks": tasks.copy(),
            "fixed_assignments": fixed_work,
        },
        "fix-overloads-someone-else": {
            "fixed_tasks": tasks.copy(),
            "fixed_assignments": _assigned(work, "T018", resource_id="R-009"),
        },
        "fix-without-skill": {
            "fixed_tasks": fixed_tasks,
            "fixed_assignments": _assigned(work, "T016", resource_id="R-009"),
        },
        "fix-before-predecessor": {
            "fixed_tasks": _moved(tasks, "T020", "2026-06-15", "2026-06-26"),
            "fixed_assignments": fixed_work,
        },
        "fix-hours-lost": {
            "fixed_tasks": tasks.copy(),
            "fixed_assignments": _assigned(fixed_work, "T020", units=0.2),
        },
        "fix-deadline-missed": {
            "fixed_tasks": p004,
            "fixed_assignments": work.copy(),
        },
        "fix-outside-the-plan": {
            "fixed_tasks": _moved(tasks, "T020", "2026-07-27", "2026-08-07"),
            "fixed_assignments": fixed_work,
        },
        "fix-task-dropped": {
            "fixed_tasks": tasks[tasks["task_id"] != "T020"].copy(),
            "fixed_assignments": fixed_work,
        },
        "fix-hired": {
            "fixed_tasks": fixed_tasks,
            "fixed_assignments": _assigned(work, "T016", resource_id="R-099"),
        },
        "fix-not-a-table": {
            "fixed_tasks": "T020 later",
            "fixed_assignments": fixed_work,
        },
    }


MISTAKES: dict[str, tuple[str, dict[str, object] | str, str]] = {
    # q1: who
    "who-someone-busy": (
        "q1_who",
        {"overbooked_person": "R-006"},
        "R-006 Willem Rossi is booked at most 50 % (week of 2026-07-06)",
    ),
    "who-role": (
        "q1_who",
        {"overbooked_person": "Data Engineer"},
        "'Data Engineer' is a role",
    ),
    "who-unknown": (
        "q1_who",
        {"overbooked_person": "R-099"},
        "'R-099' is not in the team",
    ),
    # q2: which weeks
    "weeks-peak-only": (
        "q2_weeks",
        {"overbooked_weeks": WEEKS[:2]},
        "You left out the week(s) of 2026-06-22 (120 %), 2026-06-29 (120 %)",
    ),
    "weeks-busy-week": (
        "q2_weeks",
        {"overbooked_weeks": ["2026-06-01", *WEEKS]},
        "In the week of 2026-06-01, R-020 Dilan Fischer is booked 30 of 37.5 hours "
        "(80 %): not over capacity.",
    ),
    "weeks-one-date": (
        "q2_weeks",
        {"overbooked_weeks": "2026-06-08"},
        "is one date",
    ),
    "weeks-outside": (
        "q2_weeks",
        {"overbooked_weeks": [*WEEKS, "2026-09-07"]},
        "The week of 2026-09-07 is not in the plan",
    ),
    # q3: how much
    "excess-demand": (
        "q3_excess",
        {"excess_hours": 210},
        "210 hours is everything booked in the over-booked weeks",
    ),
    "excess-capacity": (
        "q3_excess",
        {"excess_hours": 150},
        "150 hours is the capacity in those weeks",
    ),
    "excess-one-week": (
        "q3_excess",
        {"excess_hours": 22.5},
        "the excess of one week only (the week of 2026-06-08)",
    ),
    "excess-peak-weeks": (
        "q3_excess",
        {"excess_hours": 45},
        "counts only the weeks at the peak (160 %)",
    ),
    "excess-utilisation": (
        "q3_excess",
        {"excess_hours": 1.6},
        "is the peak utilisation (160 %)",
    ),
    "excess-net-over-horizon": (
        "q3_excess",
        {"excess_hours": -97.5},
        "demand - capacity over ALL 9 weeks",
    ),
    "excess-average": (
        "q3_excess",
        {"excess_hours": 15},
        "the average excess per over-booked week",
    ),
    "excess-series": (
        "q3_excess",
        {"excess_hours": pd.Series([22.5, 22.5, 7.5, 7.5])},
        "holds several values",
    ),
    # q4: the fix
    "fix-nothing": (
        "q4_fix",
        "fix-nothing",
        "R-020 Dilan Fischer is still at 160 % in the week of 2026-06-08 "
        "(P-004 T016, P-006 T017); and 3 more over-booked person-week(s)",
    ),
    "fix-half-done": (
        "q4_fix",
        "fix-half-done",
        "R-020 Dilan Fischer is still at 120 % in the week of 2026-06-22 "
        "(P-004 T018, P-006 T020)",
    ),
    "fix-overloads-someone-else": (
        "q4_fix",
        "fix-overloads-someone-else",
        "R-009 Chloe Keller is now at 140 % in the week of 2026-06-22 "
        "(P-004 T018, P-006 T023)",
    ),
    "fix-without-skill": (
        "q4_fix",
        "fix-without-skill",
        "Chloe Keller (R-009) is assigned to P-004 T016 'Tag personal data in the "
        "warehouse', which needs SQL",
    ),
    "fix-before-predecessor": (
        "q4_fix",
        "fix-before-predecessor",
        "P-006 T020 'Build dbt finance models' now starts on Mon 15 Jun 2026, before "
        "its predecessor T017 'Migrate sales data to Snowflake' finishes "
        "(Fri 19 Jun 2026)",
    ),
    "fix-hours-lost": (
        "q4_fix",
        "fix-hours-lost",
        "P-006 T020 now has 15 hours of work instead of 30: hours lost",
    ),
    "fix-deadline-missed": (
        "q4_fix",
        "fix-deadline-missed",
        "P-004 now finishes on Fri 24 Jul 2026 (T019 'Sign off the purge dry-run'), "
        "after its deadline, Fri 17 Jul 2026",
    ),
    "fix-outside-the-plan": (
        "q4_fix",
        "fix-outside-the-plan",
        "P-006 T020 now finishes on Fri 07 Aug 2026, after the last week of the plan",
    ),
    "fix-task-dropped": (
        "q4_fix",
        "fix-task-dropped",
        "P-006 T020 is no longer in `fixed_tasks`",
    ),
    "fix-hired": (
        "q4_fix",
        "fix-hired",
        "'R-099' is not in the team (no hiring in this exercise)",
    ),
    "fix-not-a-table": (
        "q4_fix",
        "fix-not-a-table",
        "`fixed_tasks` is a str; give a table",
    ),
    # q5: which task waits for Dilan
    "delayed-follower": (
        "q5_delayed_task",
        {"delayed_task": "T020"},
        "T020 does start later, but only because it follows a task that moved",
    ),
    "delayed-first-project": (
        "q5_delayed_task",
        {"delayed_task": "T018"},
        "T018 keeps its date in the levelled plan (delay 0): it belongs to P-004",
    ),
    "delayed-several": (
        "q5_delayed_task",
        {"delayed_task": ["T017", "T020", "T022"]},
        "`delayed_task` holds 3 tasks",
    ),
    "delayed-unknown": (
        "q5_delayed_task",
        {"delayed_task": "T099"},
        "'T099' is not a task of the plan",
    ),
    # q6: new finish of P-006
    "finish-original": (
        "q6_levelled_finish",
        {"levelled_finish": "2026-07-03"},
        "Fri 03 Jul 2026 is P-006's finish in the ORIGINAL plan",
    ),
    "finish-first-task": (
        "q6_levelled_finish",
        {"levelled_finish": "2026-07-17"},
        "Fri 17 Jul 2026 is when T017 finishes, but P-006 has later tasks",
    ),
    "finish-other-project": (
        "q6_levelled_finish",
        {"levelled_finish": "2026-07-10"},
        "is when P-004 finishes",
    ),
    "finish-start-date": (
        "q6_levelled_finish",
        {"levelled_finish": "2026-07-20"},
        "Mon 20 Jul 2026 is when T020 STARTS",
    ),
    "finish-period": (
        "q6_levelled_finish",
        {"levelled_finish": 45},
        "is a number of working days from the start",
    ),
}


@pytest.mark.parametrize("case", list(MISTAKES))
def test_typical_mistake_gets_its_message(checker, given, case):
    name, wrong, phrase = MISTAKES[case]
    overrides = _mistake_tables(given)[wrong] if isinstance(wrong, str) else wrong
    result = _run(checker, given, name, **overrides)
    assert result.outcome == "incorrect", result
    assert phrase in result.message, result


@pytest.mark.parametrize(
    ("name", "wrong"),
    [("q3_excess", {"excess_hours": 75})],
)
def test_other_wrong_values_get_the_hint(checker, given, name, wrong):
    result = _run(checker, given, name, **wrong)
    assert result.outcome == "incorrect"
    assert result.message.startswith(checker.checks[name].hint), result
    assert "you have 75" in result.message


def test_a_changed_plan_is_reported(checker, given):
    result = checker("q1_who", _answers(given, team="oops"))
    assert result.outcome == "incorrect"
    assert "run the cell that defines the plan again" in result.message


def test_the_original_tables_are_not_changed_by_the_checks(checker, given):
    before = given["tasks"].copy()
    checker.all(_answers(given))
    pd.testing.assert_frame_equal(given["tasks"], before)


# ----------------------------------------------------------------------- not done


@pytest.mark.parametrize("name", CHECK_NAMES)
def test_placeholder_is_not_done(checker, given, name):
    variable = checker.checks[name].variables[-1]
    result = checker(name, _answers(given, **{variable: ...}))
    assert result.outcome == "not done"
    assert f"`{variable}`" in result.message


# ------------------------------------------------------------------ learner copy


def test_learner_copy_has_placeholders_and_no_solution(tmp_path):
    learner = learner_code(SOLUTION, tmp_path, skip_comments=True)
    for variable in [
        "overbooked_person",
        "overbooked_weeks",
        "excess_hours",
        "fixed_tasks",
        "fixed_assignments",
        "delayed_task",
        "levelled_finish",
    ]:
        assert f"\n{variable} = ...\n" in f"\n{learner}\n", variable
    assert learner.count("# YOUR CODE HERE") == len(CHECK_NAMES)
    assert "assignments = pd.DataFrame(" in learner  # the plan stays


@pytest.mark.notebook
def test_learner_copy_runs_and_every_check_is_not_done(tmp_path):
    assert_learner_copy_not_done(SOLUTION, tmp_path, len(CHECK_NAMES))


@pytest.mark.notebook
def test_solution_notebook_answers_every_check(tmp_path):
    assert_solution_passes(SOLUTION, tmp_path, len(CHECK_NAMES))
