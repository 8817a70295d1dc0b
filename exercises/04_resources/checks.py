"""
Checks of exercise 04, *Find and fix an over-allocation*.

The right answers are computed from the tables in the notebook (``team``,
``tasks``, ``links``, ``assignments``) with the kit's resource engine
(:func:`pmo_kit.resources.capacity_plan`, :func:`~pmo_kit.resources.level`), never
written down here, so a trainer can change the plan and the checks follow.

The fix (question 4) is judged the way a resource manager would judge it: the
checks re-run the capacity calculation on the learner's plan and say what is still
over-booked ("R-020 Dilan Fischer is still at 160 % in the week of 2026-06-08
(P-004 T016, P-006 T017)"), or what the change broke: a task gone or added, a
task moved before its predecessor finishes, work moved out of the plan's weeks, a
deadline missed, hours lost (the total hours of every task must stay the same), or
work given to someone without the skill it needs.
"""

from __future__ import annotations

import datetime as dt
import warnings
from typing import Any

import numpy as np
import pandas as pd

from pmo_kit import ValidationError
from pmo_kit.resources import capacity_plan, level
from pmo_kit.training import Tolerance, as_date, as_number, check, fail

#: First Monday of the plan and its length in weeks.
PLAN_START = "2026-06-01"
PLAN_WEEKS = 9
#: P-004 must be done by this day: the data protection authority's audit.
DEADLINES = {"T019": "2026-07-17"}
#: Which project goes first when both need the same person (higher first).
PRIORITY = {"P-004": 2, "P-006": 1}
#: Hours of work a task may gain or lose through rounding.
HOURS = Tolerance(absolute=0.5)


# ------------------------------------------------------------------ the plan


def _given(team: Any, tasks: Any, links: Any, assignments: Any) -> None:
    for name, value in [
        ("team", team),
        ("tasks", tasks),
        ("links", links),
        ("assignments", assignments),
    ]:
        if not isinstance(value, pd.DataFrame):
            fail(
                f"`{name}` is no longer the table of the plan: run the cell that "
                "defines the plan again (near the top of the notebook)."
            )


def _plan(team: pd.DataFrame, tasks: pd.DataFrame, assignments: pd.DataFrame) -> Any:
    return capacity_plan(
        resources=team,
        assignments=assignments,
        tasks=tasks,
        start=PLAN_START,
        weeks=PLAN_WEEKS,
    )


def _kind(value: object) -> str:
    """Name the type of a learner's value with its article: 'an int', 'a list'."""
    name = type(value).__name__
    return f"{'an' if name[0] in 'aeiou' else 'a'} {name}"


def _day(value: Any) -> str:
    return f"{pd.Timestamp(value):%a %d %b %Y}"


def _week(value: Any) -> str:
    return f"{pd.Timestamp(value):%Y-%m-%d}"


def _percent(value: float) -> str:
    return f"{value * 100:.0f} %"


def _person(team: pd.DataFrame, rid: str) -> str:
    names = dict(zip(team["resource_id"].astype(str), team["name"], strict=True))
    return f"{rid} {names.get(rid, '')}".strip()


def _truth_over(
    team: pd.DataFrame, tasks: pd.DataFrame, assignments: pd.DataFrame
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Return the utilisation table of the original plan and its over-booked rows."""
    table = _plan(team, tasks, assignments).utilisation
    return table, table[table["over"]]


# ------------------------------------------------------- question 1: who


@check(
    hint=(
        "Build the capacity plan and look at the utilisation of every person and "
        "week: who is booked above 100 %?"
    )
)
def q1_who(
    team: pd.DataFrame,
    tasks: pd.DataFrame,
    links: pd.DataFrame,
    assignments: pd.DataFrame,
    overbooked_person: object,
) -> None:
    """
    Question 1: the person booked above capacity (resource id or name).

    Parameters
    ----------
    team, tasks, links, assignments
        The plan, given in the notebook.
    overbooked_person
        The learner's answer: ``'R-020'`` or ``'Dilan Fischer'``.
    """
    _given(team, tasks, links, assignments)
    table, over = _truth_over(team, tasks, assignments)
    truth = sorted(set(over["resource_id"]))
    if isinstance(overbooked_person, list | tuple | set | pd.Series):
        items = [str(x) for x in overbooked_person]
        if len(items) == 1:
            overbooked_person = items[0]
        else:
            fail(
                f"`overbooked_person` holds {len(items)} values; one person is over-"
                "booked in this plan. Give their resource id as text, e.g. 'R-001'."
            )
    if not isinstance(overbooked_person, str):
        fail(
            f"`overbooked_person` is {_kind(overbooked_person)}; give the "
            "person's resource id (or name) as text, e.g. 'R-001'."
        )
    answer = overbooked_person.strip().casefold()
    ids = {str(r).casefold(): str(r) for r in team["resource_id"]}
    for rid, name in zip(team["resource_id"], team["name"], strict=True):
        ids[str(name).casefold()] = str(rid)
        ids[str(name).split()[0].casefold()] = str(rid)
    if answer in {str(r).casefold() for r in team["role"]}:
        fail(
            f"{overbooked_person!r} is a role, and a role can have several people. "
            "Give the PERSON who is over-booked: their resource id, e.g. 'R-001'."
        )
    if answer not in ids:
        known = ", ".join(
            f"{r} {n}" for r, n in zip(team["resource_id"], team["name"], strict=True)
        )
        fail(f"{overbooked_person!r} is not in the team. The team: {known}.")
    rid = ids[answer]
    if rid in truth:
        return
    mine = table[table["resource_id"] == rid]
    peak = mine.iloc[int(mine["utilisation"].to_numpy().argmax())]
    fail(
        f"{_person(team, rid)} is booked at most {_percent(peak['utilisation'])} "
        f"(week of {_week(peak['week'])}): busy, but never above capacity. Look for "
        "a utilisation above 100 %."
    )


# ------------------------------------------------------- question 2: which weeks


def _as_monday(value: object) -> pd.Timestamp:
    day = as_date(
        value,
        "overbooked_weeks",
        example="2026-06-01",
        number_hint="give each week as the date of its Monday, such as '2026-06-01'.",
    )
    return day - pd.Timedelta(days=int(day.day_of_week))


@check(
    hint=(
        "A week is over-allocated when the person's demand in it is above their "
        "capacity (utilisation above 100 %). List the Monday of every such week."
    )
)
def q2_weeks(
    team: pd.DataFrame,
    tasks: pd.DataFrame,
    links: pd.DataFrame,
    assignments: pd.DataFrame,
    overbooked_weeks: object,
) -> None:
    """
    Question 2: the weeks in which that person is over-booked (their Mondays).

    Parameters
    ----------
    team, tasks, links, assignments
        The plan, given in the notebook.
    overbooked_weeks
        The learner's list of weeks, e.g. ``['2026-06-08', ...]``.
    """
    _given(team, tasks, links, assignments)
    table, over = _truth_over(team, tasks, assignments)
    if isinstance(overbooked_weeks, str | dt.date | pd.Timestamp):
        fail(
            "`overbooked_weeks` is one date; the person is over-booked in several "
            "weeks. Give a list, such as ['2026-06-01', '2026-06-08']."
        )
    if isinstance(overbooked_weeks, pd.DataFrame):
        fail(
            "You gave a whole table. Give a list of the Mondays, e.g. "
            "`list(table['week'])` of the over-booked rows."
        )
    if isinstance(overbooked_weeks, pd.Series | pd.Index | np.ndarray | set | tuple):
        overbooked_weeks = list(overbooked_weeks)
    if not isinstance(overbooked_weeks, list):
        fail(
            f"`overbooked_weeks` is {_kind(overbooked_weeks)}; give a list "
            "of dates, such as ['2026-06-01', '2026-06-08']."
        )
    given = [_as_monday(v) for v in overbooked_weeks]
    truth = sorted(set(over["week"]))
    rid = str(over["resource_id"].iloc[0])
    who = _person(team, rid)
    mine = table[table["resource_id"] == rid].set_index("week")
    weeks = set(table["week"])
    outside = [w for w in given if w not in weeks]
    if outside:
        fail(
            f"The week of {_week(outside[0])} is not in the plan: it covers the "
            f"{PLAN_WEEKS} weeks from {PLAN_START}."
        )
    extra = [w for w in sorted(set(given)) if w not in truth]
    if extra:
        row = mine.loc[[extra[0]]].iloc[0]
        fail(
            f"In the week of {_week(extra[0])}, {who} is booked "
            f"{row['demand_hours']:g} of {row['capacity_hours']:g} hours "
            f"({_percent(row['utilisation'])}): not over capacity. Only weeks above "
            "100 % are over-allocated."
        )
    missing = [w for w in truth if w not in set(given)]
    if missing:
        shown = ", ".join(
            f"{_week(w)} ({_percent(mine.loc[w, 'utilisation'])})" for w in missing
        )
        fail(
            f"You left out the week(s) of {shown}. {who} is above 100 % there too: "
            "any week above capacity counts, not only the worst."
        )
    if len(given) != len(set(given)):
        fail("A week appears twice in your list; give each week once.")


# ------------------------------------------------------- question 3: how much


@check(
    hint=(
        "In each over-booked week, the excess is demand - capacity (hours booked "
        "above what the person can give). Add the excess of those weeks up."
    )
)
def q3_excess(
    team: pd.DataFrame,
    tasks: pd.DataFrame,
    links: pd.DataFrame,
    assignments: pd.DataFrame,
    excess_hours: object,
) -> None:
    """
    Question 3: the hours booked above capacity, over all over-booked weeks.

    Parameters
    ----------
    team, tasks, links, assignments
        The plan, given in the notebook.
    excess_hours
        The learner's total, in hours.
    """
    _given(team, tasks, links, assignments)
    value = as_number(
        excess_hours,
        "excess_hours",
        many_hint="Add the weekly excess hours up, e.g. with `.sum()`.",
    )
    table, over = _truth_over(team, tasks, assignments)
    truth = float(over["excess_hours"].sum())
    if HOURS.accepts(value, truth):
        return
    rid = str(over["resource_id"].iloc[0])
    mine = table[table["resource_id"] == rid]
    booked, capacity = over["demand_hours"].sum(), over["capacity_hours"].sum()
    peak = over.iloc[int(over["utilisation"].to_numpy().argmax())]
    top = over[np.isclose(over["utilisation"], peak["utilisation"])]

    def near(x: float) -> bool:
        return HOURS.accepts(value, float(x))

    if near(booked):
        fail(
            f"{value:g} hours is everything booked in the over-booked weeks. The "
            f"excess is what is booked ABOVE capacity: {booked:g} booked - "
            f"{capacity:g} available."
        )
    if near(capacity):
        fail(
            f"{value:g} hours is the capacity in those weeks, what the person CAN "
            "give. The excess is the demand above it."
        )
    if near(peak["utilisation"]) or near(peak["utilisation"] * 100):
        fail(
            f"{value:g} is the peak utilisation ({_percent(peak['utilisation'])}), "
            "a ratio. The question asks for HOURS above capacity, added up over the "
            "over-booked weeks."
        )
    if near(peak["excess_hours"]):
        fail(
            f"{value:g} hours is the excess of one week only (the week of "
            f"{_week(peak['week'])}). Add the excess of every over-booked week."
        )
    if near(top["excess_hours"].sum()) and len(top) < len(over):
        fail(
            f"{value:g} hours counts only the weeks at the peak "
            f"({_percent(peak['utilisation'])}). Weeks at a lower over-booking count "
            "too."
        )
    net = mine["demand_hours"].sum() - mine["capacity_hours"].sum()
    if near(net) or near(-net):
        fail(
            f"{value:g} hours is demand - capacity over ALL {PLAN_WEEKS} weeks. Free "
            "time in a quiet week does not cancel an over-booked week: nobody can "
            "work last month's spare hours. Add up only the weeks above capacity."
        )
    if near(truth / len(over)):
        fail(
            f"{value:g} hours is the average excess per over-booked week. The "
            "question asks for the total."
        )
    assert near(truth), f"you have {value:g}"


# ------------------------------------------------------- question 4: the fix


def _keys(frame: pd.DataFrame) -> pd.Series:
    return frame["project_id"].astype(str) + " " + frame["task_id"].astype(str)


def _tables(fixed_tasks: object, fixed_assignments: object) -> None:
    for name, value in [
        ("fixed_tasks", fixed_tasks),
        ("fixed_assignments", fixed_assignments),
    ]:
        if not isinstance(value, pd.DataFrame):
            fail(
                f"`{name}` is {_kind(value)}; give a table (start from a "
                f"copy: `{name} = {name.removeprefix('fixed_')}.copy()`)."
            )
    for name, frame, needed in [
        ("fixed_tasks", fixed_tasks, ["project_id", "task_id", "baseline_start"]),
        ("fixed_tasks", fixed_tasks, ["baseline_finish"]),
        (
            "fixed_assignments",
            fixed_assignments,
            ["project_id", "task_id", "resource_id", "units"],
        ),
    ]:
        assert isinstance(frame, pd.DataFrame)
        missing = [c for c in needed if c not in frame.columns]
        if missing:
            fail(
                f"`{name}` has no column {', '.join(map(repr, missing))}: keep the "
                "columns of the original table and change only the values."
            )


def _same_tasks(tasks: pd.DataFrame, fixed: pd.DataFrame) -> None:
    before, after = list(_keys(tasks)), list(_keys(fixed))
    gone = [k for k in before if k not in after]
    if gone:
        fail(
            f"{gone[0]} is no longer in `fixed_tasks`. Every task must still be "
            "done: move it, stretch it or give it to someone else, but keep it."
        )
    new = [k for k in after if k not in before]
    if new:
        fail(
            f"{new[0]} is not a task of the plan; the plan's tasks: "
            f"{', '.join(before)}."
        )
    twice = [k for k in set(after) if after.count(k) > 1]
    if twice:
        fail(f"{twice[0]} appears twice in `fixed_tasks`: keep one row per task.")


def _dates(fixed: pd.DataFrame) -> pd.DataFrame:
    out = fixed.copy()
    for column in ("baseline_start", "baseline_finish"):
        with warnings.catch_warnings():  # text dates: parsed one by one, that is fine
            warnings.simplefilter("ignore", UserWarning)
            parsed = pd.to_datetime(out[column], errors="coerce")
        bad = parsed.isna()
        if bad.any():
            key = _keys(out)[bad].iloc[0]
            fail(
                f"{key}: {out.loc[bad, column].iloc[0]!r} in '{column}' is not a "
                "date. Write dates as 'YYYY-MM-DD'."
            )
        out[column] = parsed.dt.normalize()
    return out


def _working_day_after(day: pd.Timestamp) -> pd.Timestamp:
    nxt = np.busday_offset(np.datetime64(day.date(), "D"), 1, roll="forward")
    return pd.Timestamp(nxt)


def _check_links(tasks: pd.DataFrame, links: pd.DataFrame, fixed: pd.DataFrame) -> None:
    by_id = fixed.set_index("task_id")
    names = tasks.set_index("task_id")["name"]
    project = tasks.set_index("task_id")["project_id"]
    for pred, succ in zip(links["predecessor"], links["successor"], strict=True):
        finish = by_id.loc[pred, "baseline_finish"]
        start = by_id.loc[succ, "baseline_start"]
        if start < _working_day_after(finish):
            fail(
                f"{project[succ]} {succ} '{names[succ]}' now starts on {_day(start)}, "
                f"before its predecessor {pred} '{names[pred]}' finishes "
                f"({_day(finish)}). A task cannot start before the work it waits for "
                f"is done: start {succ} on {_day(_working_day_after(finish))} or "
                "later, or move its predecessor earlier."
            )


def _check_window(fixed: pd.DataFrame) -> None:
    first = pd.Timestamp(PLAN_START)
    last = first + pd.Timedelta(days=7 * PLAN_WEEKS - 1)
    for key, start, finish in zip(
        _keys(fixed), fixed["baseline_start"], fixed["baseline_finish"], strict=True
    ):
        if finish < start:
            fail(
                f"{key} finishes ({_day(finish)}) before it starts ({_day(start)}). "
                "Move both dates together."
            )
        if start < first:
            fail(
                f"{key} now starts on {_day(start)}, before the plan starts "
                f"({_day(first)}): that time is gone. Move work later, not earlier."
            )
        if finish > last:
            fail(
                f"{key} now finishes on {_day(finish)}, after the last week of the "
                f"plan (it ends {_day(last)}). Keep the work inside the "
                f"{PLAN_WEEKS} weeks."
            )


def _check_deadlines(tasks: pd.DataFrame, fixed: pd.DataFrame) -> None:
    by_id = fixed.set_index("task_id")
    names = tasks.set_index("task_id")["name"]
    for task, due in DEADLINES.items():
        finish = pd.Timestamp(by_id["baseline_finish"].to_dict()[task])
        if finish > pd.Timestamp(due):
            project = str(by_id["project_id"].to_dict()[task])
            fail(
                f"{project} now finishes on {_day(finish)} ({task} '{names[task]}'), "
                f"after its deadline, {_day(due)}: the date of the audit does not "
                f"move. Find room for {project}'s work before it, or move other work."
            )


def _check_skills(
    team: pd.DataFrame, tasks: pd.DataFrame, fixed_assignments: pd.DataFrame
) -> None:
    skills = {
        str(r): {s.strip().casefold() for s in str(text).split(";") if s.strip()}
        for r, text in zip(team["resource_id"], team["skills"].fillna(""), strict=True)
    }
    needs = tasks.set_index(_keys(tasks))["skill"]
    names = tasks.set_index(_keys(tasks))["name"]
    people = team.set_index("resource_id")["name"]
    for key, rid in zip(
        _keys(fixed_assignments),
        fixed_assignments["resource_id"].astype(str),
        strict=True,
    ):
        need = str(needs[key])
        if need.casefold() not in skills.get(rid, set()):
            able = [
                f"{people[r]} ({r})"
                for r, own in skills.items()
                if need.casefold() in own
            ]
            fail(
                f"{people.get(rid, rid)} ({rid}) is assigned to {key} '{names[key]}', "
                f"which needs {need}; {people.get(rid, rid)}'s skills: "
                f"{', '.join(sorted(skills.get(rid, set()))) or 'none'}. People with "
                f"{need}: {', '.join(able) or 'nobody'}."
            )


def _check_hours(before: Any, after: Any) -> None:
    was = before.demand.groupby(["project_id", "task_id"])["hours"].sum()
    now = after.demand.groupby(["project_id", "task_id"])["hours"].sum()
    now = now.reindex(was.index).fillna(0.0)
    for (project, task), hours in was.items():
        got = float(now[(project, task)])
        if not HOURS.accepts(got, float(hours)):
            less = got < hours
            fail(
                f"{project} {task} now has {got:g} hours of work instead of "
                f"{hours:g}: {'hours lost' if less else 'hours added'}. The work of a "
                "task does not change when you re-plan it: its total hours must stay "
                "the same. Hours = units x working days x the person's daily hours; "
                "if you lower the units, stretch the task over more days (or give "
                "the rest to someone else with the skill)."
            )


def _check_capacity(before: Any, after: Any) -> None:
    was = before.utilisation
    flagged = was[was["over"]]
    was_over = set(zip(flagged["resource_id"], flagged["week"], strict=True))
    table = after.utilisation
    over = table[table["over"]]
    # an over-booking the change created is named first, then the worst
    over = over.assign(
        new=[
            (r, w) not in was_over
            for r, w in zip(over["resource_id"], over["week"], strict=True)
        ]
    ).sort_values(
        ["new", "utilisation", "week"], ascending=[False, False, True], kind="stable"
    )
    if over.empty:
        return
    demand = after.demand[after.demand["hours"] > 0]
    lines = []
    for row in over.itertuples():
        work = demand[
            (demand["resource_id"] == row.resource_id) & (demand["week"] == row.week)
        ].sort_values(["hours", "task_id"], ascending=[False, True])
        on = ", ".join(
            f"{p} {t}" for p, t in zip(work["project_id"], work["task_id"], strict=True)
        )
        verb = "is still at" if (row.resource_id, row.week) in was_over else "is now at"
        lines.append(
            f"{row.resource_id} {row.name} {verb} {_percent(row.utilisation)} in "
            f"the week of {_week(row.week)} ({on})"
        )
    more = len(lines) - 1
    tail = f"; and {more} more over-booked person-week(s)" if more else ""
    excess = float(over["excess_hours"].sum())
    fail(
        f"{lines[0]}{tail}. Nobody may be booked above 100 % in any week: "
        f"{excess:g} hours are still above capacity."
    )


@check(
    hint=(
        "Change the plan so that nobody is above 100 % in any week, keeping every "
        "task, its hours, its links and P-004's deadline."
    )
)
def q4_fix(
    team: pd.DataFrame,
    tasks: pd.DataFrame,
    links: pd.DataFrame,
    assignments: pd.DataFrame,
    fixed_tasks: object,
    fixed_assignments: object,
) -> None:
    """
    Question 4: a plan without over-allocation that still does all the work.

    Parameters
    ----------
    team, tasks, links, assignments
        The plan, given in the notebook.
    fixed_tasks, fixed_assignments
        The learner's changed copies of ``tasks`` and ``assignments``.
    """
    _given(team, tasks, links, assignments)
    _tables(fixed_tasks, fixed_assignments)
    assert isinstance(fixed_tasks, pd.DataFrame)
    assert isinstance(fixed_assignments, pd.DataFrame)
    _same_tasks(tasks, fixed_tasks)
    fixed = _dates(fixed_tasks)
    unknown = fixed_assignments[~_keys(fixed_assignments).isin(_keys(tasks))]
    if len(unknown):
        fail(
            f"`fixed_assignments` books {_keys(unknown).iloc[0]}, which is not a task "
            "of the plan."
        )
    people = set(team["resource_id"].astype(str))
    strangers = fixed_assignments[
        ~fixed_assignments["resource_id"].astype(str).isin(people)
    ]
    if len(strangers):
        fail(
            f"{strangers['resource_id'].iloc[0]!r} is not in the team (no hiring in "
            f"this exercise). The team: {', '.join(sorted(people))}."
        )
    _check_window(fixed)
    _check_links(tasks, links, fixed)
    _check_deadlines(tasks, fixed)
    _check_skills(team, tasks, fixed_assignments)
    before = _plan(team, tasks, assignments)
    try:
        after = _plan(team, fixed, fixed_assignments)
    except ValidationError as exc:
        fail(f"The kit cannot plan your tables: {exc}")
    _check_hours(before, after)
    _check_capacity(before, after)


# ------------------------------------------------------- questions 5 and 6: levelling


def _levelled(
    team: pd.DataFrame,
    tasks: pd.DataFrame,
    links: pd.DataFrame,
    assignments: pd.DataFrame,
) -> pd.DataFrame:
    """Level the plan exactly as the notebook does."""
    return level(
        tasks[["task_id", "duration"]],
        links,
        assignments.rename(columns={"resource_id": "resource"})[
            ["task_id", "resource", "units"]
        ],
        dict.fromkeys(team["resource_id"], 1.0),
        priority=dict(
            zip(tasks["task_id"], tasks["project_id"].map(PRIORITY), strict=True)
        ),
        start_no_earlier_than=dict(
            zip(tasks["task_id"], tasks["baseline_start"], strict=True)
        ),
        deadlines=DEADLINES,
        start=PLAN_START,
        time_limit=None,
        max_schedules=2000,
    )


def _task_id(value: object, tasks: pd.DataFrame, name: str) -> str:
    if isinstance(value, list | tuple | set | pd.Series | pd.Index):
        items = list(value)
        if len(items) != 1:
            fail(
                f"`{name}` holds {len(items)} tasks; the question asks for the ONE "
                "task that waits for the person itself."
            )
        value = items[0]
    if not isinstance(value, str):
        fail(f"`{name}` is {_kind(value)}; give a task id as text, e.g. 'T001'.")
    text = value.strip().upper().replace("/", " ").split()[-1] if value.strip() else ""
    ids = [str(t) for t in tasks["task_id"]]
    if text not in ids:
        fail(f"{value!r} is not a task of the plan. The tasks: {', '.join(ids)}.")
    return text


@check(
    hint=(
        "In the levelled plan, look at the `cause` column: 'resource' means the task "
        "waits for a person, 'predecessor' that it only follows a task that moved."
    )
)
def q5_delayed_task(
    team: pd.DataFrame,
    tasks: pd.DataFrame,
    links: pd.DataFrame,
    assignments: pd.DataFrame,
    delayed_task: object,
) -> None:
    """
    Question 5: the task levelling delays because its person is busy.

    Parameters
    ----------
    team, tasks, links, assignments
        The plan, given in the notebook.
    delayed_task
        The learner's task id.
    """
    _given(team, tasks, links, assignments)
    task = _task_id(delayed_task, tasks, "delayed_task")
    plan = _levelled(team, tasks, links, assignments)
    row = plan.loc[[task]].iloc[0]
    if row["cause"] == "resource":
        return
    waiting = list(plan.index[plan["cause"] == "resource"])
    if row["cause"] == "predecessor":
        fail(
            f"{task} does start later, but only because it follows a task that moved: "
            f'its reason reads "{row["reason"]}". Which task waits for the person '
            "herself (cause 'resource')?"
        )
    priority = dict(zip(tasks["task_id"], tasks["project_id"], strict=True))
    if int(row["delay"]) == 0:
        fail(
            f"{task} keeps its date in the levelled plan (delay 0): it belongs to "
            f"{priority[task]}, which goes first. Look for a task with a delay and "
            "cause 'resource'."
        )
    assert task in waiting, f"you have {task}"


def _as_day(value: object, name: str) -> pd.Timestamp:
    return as_date(
        value,
        name,
        number_hint="that is a number of working days from the start (a period, as "
        "in the `finish` column). Give the DATE, from the `finish_date` column, such "
        "as '2026-06-30'.",
    )


@check(
    hint=(
        "A project finishes when its last task finishes: take the latest "
        "`finish_date` of P-006's tasks in the levelled plan."
    )
)
def q6_levelled_finish(
    team: pd.DataFrame,
    tasks: pd.DataFrame,
    links: pd.DataFrame,
    assignments: pd.DataFrame,
    levelled_finish: object,
) -> None:
    """
    Question 6: the day P-006 finishes in the levelled plan.

    Parameters
    ----------
    team, tasks, links, assignments
        The plan, given in the notebook.
    levelled_finish
        The learner's date.
    """
    _given(team, tasks, links, assignments)
    day = _as_day(levelled_finish, "levelled_finish")
    plan = _levelled(team, tasks, links, assignments)
    project = tasks.set_index("task_id")["project_id"]
    mine = plan[plan.index.map(project.to_dict()) == "P-006"]
    truth = pd.Timestamp(mine["finish_date"].max())
    if day == truth:
        return
    before = pd.Timestamp(
        tasks.loc[tasks["project_id"] == "P-006", "baseline_finish"].max()
    )
    if day == before:
        fail(
            f"{_day(day)} is P-006's finish in the ORIGINAL plan. Levelling moves "
            "work: read the levelled plan's `finish_date`."
        )
    other = plan[plan.index.map(project.to_dict()) != "P-006"]["finish_date"].max()
    if day == pd.Timestamp(other):
        fail(f"{_day(day)} is when P-004 finishes. The question is about P-006.")
    hits = [t for t in mine.index if pd.Timestamp(mine.loc[t, "finish_date"]) == day]
    if hits:
        fail(
            f"{_day(day)} is when {hits[0]} finishes, but P-006 has later tasks: the "
            "project finishes with its LAST task."
        )
    starts = [t for t in mine.index if pd.Timestamp(mine.loc[t, "start_date"]) == day]
    if starts:
        fail(
            f"{_day(day)} is when {starts[0]} STARTS. The project finishes when its "
            "last task finishes (`finish_date`)."
        )
    assert day == truth, f"you have {_day(day)}"
