"""
Turn an :class:`~pmo_kit.io.msproject.reader.MSProjectPlan` into canonical tables.

The mapping (documented for users in ``docs/interop.md``, section "MS Project"):

- one project row; ``task_id`` = ``T`` + the MSPDI UID (``T001``); ``wbs`` = the
  outline number; summary tasks are structure only (their WBS prefix), not rows,
  and links to or from them are expanded to their leaf tasks;
- durations and lags in whole working days of the file's ``MinutesPerDay``;
  anything that is not a whole number of days (sub-day, fractional, elapsed,
  percent) is named in a warning with the original value;
- every constraint other than "As Soon As Possible", task calendars, resource
  calendars, calendar exceptions, material and cost resources, manual scheduling:
  named in a warning (the kit has no place for them);
- ``date_notes`` names each task whose dates MS Project stored will not be the
  kit's critical-path dates, and why (the conformance tests rely on it).

Nothing is silently dropped or rounded: each such case is in ``warnings``.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import math
import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np

from pmo_kit._errors import ValidationError
from pmo_kit.io.msproject.durations import DURATION_UNITS

if TYPE_CHECKING:
    import pandas as pd

    from pmo_kit.io.msproject.reader import MSPCalendar, MSProjectPlan, MSPTask

__all__ = [
    "CONSTRAINT_NAMES",
    "MSProjectImport",
    "finish_day",
    "plan_to_tables",
    "start_day",
]

#: MSPDI ConstraintType codes.
CONSTRAINT_NAMES = {
    0: "As Soon As Possible",
    1: "As Late As Possible",
    2: "Must Start On",
    3: "Must Finish On",
    4: "Start No Earlier Than",
    5: "Start No Later Than",
    6: "Finish No Earlier Than",
    7: "Finish No Later Than",
}
_UNASSIGNED_RESOURCE = -65535
_WBS = re.compile(r"\d+(\.\d+)*")
_EPS = 1e-6
_HOURS = DURATION_UNITS[5]
_MON_FRI = {2, 3, 4, 5, 6}  # MSPDI day numbers: 1 = Sunday .. 7 = Saturday


def _is_project_summary(task: MSPTask) -> bool:
    """
    MS Project's project summary row: UID 0 (outline number 0, level 0).

    TaskJuggler writes no such row and puts its top-level tasks at outline level
    0, so level 0 alone does not make a project summary.
    """
    return task.uid == 0 or (
        task.outline_level == 0 and task.summary and task.outline_number in {"", "0"}
    )


@dataclass
class MSProjectImport:
    """
    Canonical tables of one imported plan, and what could not be held exactly.

    ``tables`` are ready for :func:`pmo_kit.io.into.add_project` (provisional
    ``R-NNN`` resource ids, merged by name there). ``task_ids`` maps each MSPDI
    UID kept as a row to its ``task_id``. ``date_notes`` maps a ``task_id`` to the
    reason why the Start/Finish MS Project stored are not what the kit's critical
    path computes (every such reason is also in ``warnings``). ``not_in_plan``
    names the ``projects`` fields the plan does not carry (set to defaults, named
    in ``defaults_warning``): an import over an existing project keeps them.
    ``placeholder_manager`` is the ``resource_id`` of the manager row added
    because the plan names no manager among its resources (None otherwise).
    """

    tables: dict[str, pd.DataFrame]
    warnings: list[str] = field(default_factory=list)
    task_ids: dict[int, str] = field(default_factory=dict)
    date_notes: dict[str, str] = field(default_factory=dict)
    summary_count: int = 0
    not_in_plan: tuple[str, ...] = ()
    defaults_warning: str = ""
    placeholder_manager: str | None = None


def _days(value: float) -> str:
    return f"{value:g}"


def _names(items: list[str], limit: int = 8) -> str:
    shown = ", ".join(items[:limit])
    return shown + (f" and {len(items) - limit} more" if len(items) > limit else "")


def _resolve_week(
    plan: MSProjectPlan, uid: int
) -> tuple[dict[int, int], dict[int, dt.time]]:
    """Return a calendar's weekly working minutes, following its base calendars."""
    chain = _calendar_chain(plan, uid)
    week: dict[int, int] = {d: (480 if d in _MON_FRI else 0) for d in range(1, 8)}
    starts: dict[int, dt.time] = {}
    for calendar in reversed(chain):
        week.update(calendar.weekdays)
        starts.update(calendar.day_starts)
    return week, starts


def _calendar_chain(plan: MSProjectPlan, uid: int) -> list[MSPCalendar]:
    """Return a calendar and its base calendars, the calendar itself first."""
    chain: list[MSPCalendar] = []
    seen: set[int] = set()
    current = plan.calendars.get(uid)
    while current is not None and current.uid not in seen:
        chain.append(current)
        seen.add(current.uid)
        current = plan.calendars.get(current.base_uid)
    return chain


def _resolve_periods(
    plan: MSProjectPlan, uid: int, week: dict[int, int]
) -> dict[int, tuple[tuple[dt.time, dt.time], ...]]:
    """Working periods of each weekday of a calendar (following its bases)."""
    periods: dict[int, tuple[tuple[dt.time, dt.time], ...]] = {}
    for calendar in reversed(_calendar_chain(plan, uid)):
        periods.update(calendar.periods)
    start = plan.default_start_time
    out: dict[int, tuple[tuple[dt.time, dt.time], ...]] = {}
    for day, minutes in week.items():
        if minutes == 0:
            out[day] = ()
        elif periods.get(day):
            out[day] = periods[day]
        elif minutes > 0:
            end = dt.datetime.combine(dt.date(2000, 1, 1), start) + dt.timedelta(
                minutes=minutes
            )
            out[day] = ((start, end.time()),)
        else:
            out[day] = ((start, plan.default_finish_time),)
    return out


def _exception_days(plan: MSProjectPlan, uid: int) -> tuple[set[dt.date], set[dt.date]]:
    """Days a calendar's exceptions make non-working, and working."""
    off: set[dt.date] = set()
    extra: set[dt.date] = set()
    for calendar in _calendar_chain(plan, uid):
        for first, last, working, _ in calendar.exceptions:
            if (last - first).days > 3660:
                continue
            day = first
            while day <= last:
                (extra if working else off).add(day)
                day += dt.timedelta(days=1)
    return off, extra


def _working_minutes(b: _Builder, start: dt.datetime, finish: dt.datetime) -> float:
    """Working minutes of the project calendar between two instants."""
    total = 0.0
    day = start.date()
    while day <= finish.date():
        number = _mspdi_day(day)
        spans = b.periods.get(number, ())
        if day in b.off_days:
            spans = ()
        elif day in b.extra_days and not spans:
            spans = ((b.plan.default_start_time, b.plan.default_finish_time),)
        for first, last in spans:
            lo = dt.datetime.combine(day, first)
            hi = dt.datetime.combine(day, last)
            if hi <= lo:
                hi += dt.timedelta(days=1)
            overlap = (min(hi, finish) - max(lo, start)).total_seconds() / 60
            total += max(overlap, 0.0)
        day += dt.timedelta(days=1)
    return total


def _mspdi_day(day: dt.date) -> int:
    return (day.isoweekday() % 7) + 1  # Sunday -> 1 ... Saturday -> 7


def _previous_working_day(day: dt.date) -> dt.date:
    value = np.busday_offset(np.datetime64(day, "D"), -1, roll="backward")
    return dt.date.fromisoformat(str(value))


def _next_working_day(day: dt.date) -> dt.date:
    value = np.busday_offset(np.datetime64(day, "D"), 1, roll="forward")
    return dt.date.fromisoformat(str(value))


def finish_day(value: dt.datetime, day_start: dt.time = dt.time(8)) -> dt.date:
    """
    Return the working day a finish stored by MS Project falls on, in kit terms.

    MS Project may store a finish at the first working minute of a day
    (``2006-09-25T08:00``: nothing is worked that day); the work ended at the
    close of the previous working day, which is the kit's finish date.

    Examples
    --------
    >>> import datetime as dt
    >>> (
    ...     finish_day(dt.datetime(2006, 9, 25, 8, 0)),
    ...     finish_day(dt.datetime(2006, 9, 25, 17)),
    ... )
    (datetime.date(2006, 9, 22), datetime.date(2006, 9, 25))
    """
    if value.time() <= day_start:
        return _previous_working_day(value.date())
    return value.date()


def start_day(value: dt.datetime, day_end: dt.time = dt.time(17)) -> dt.date:
    """
    Return the working day a start stored by MS Project falls on, in kit terms.

    A start at (or after) the close of a working day means the next working day.
    """
    if value.time() >= day_end:
        return _next_working_day(value.date())
    return value.date()


class _Builder:
    def __init__(self, plan: MSProjectPlan, project_id: str) -> None:
        self.plan = plan
        self.project_id = project_id
        self.where = str(plan.path)
        self.warnings: list[str] = []
        self.date_notes: dict[str, str] = {}
        self.mpd = plan.minutes_per_day
        week, starts = _resolve_week(plan, plan.calendar_uid)
        self.week = week
        self.day_start = min(starts.values(), default=dt.time(8))
        self.day_end = plan.default_finish_time
        self.working_per_week = sum(1 for m in week.values() if m)
        self.periods = _resolve_periods(plan, plan.calendar_uid, week)
        self.off_days, self.extra_days = _exception_days(plan, plan.calendar_uid)
        self.not_in_plan: list[str] = []
        self.defaults_warning = ""
        self.placeholder_manager: str | None = None

    def warn(self, text: str) -> None:
        self.warnings.append(text)

    def note(self, task_id: str, why: str) -> None:
        previous = self.date_notes.get(task_id)
        self.date_notes[task_id] = f"{previous}; {why}" if previous else why

    def label(self, task: MSPTask) -> str:
        return f"task UID {task.uid} {task.name!r}"


def _task_id(uid: int) -> str:
    return f"T{uid:03d}"


def _check_calendar(b: _Builder) -> None:
    plan = b.plan
    cal = plan.calendars.get(plan.calendar_uid)
    name = repr(cal.name) if cal is not None else f"UID {plan.calendar_uid}"
    working = {d for d, m in b.week.items() if m}
    if working != _MON_FRI:
        days = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"]
        shown = " ".join(days[d - 1] for d in sorted(working))
        b.warn(
            f"the project calendar {name} works {shown}; the kit schedules Monday to "
            "Friday, so dates after the first non-matching week differ"
        )
    minutes = {m for d, m in b.week.items() if m > 0}
    if minutes and minutes != {int(b.mpd)}:
        b.warn(
            f"the project calendar {name} has "
            f"{'/'.join(str(m) for m in sorted(minutes))} "
            f"working minutes a day but MinutesPerDay is {b.mpd:g}: durations are "
            f"converted at {b.mpd:g} minutes a day, MS Project's dates follow the "
            "calendar's hours"
        )
    chain = []
    current = cal
    seen: set[int] = set()
    while current is not None and current.uid not in seen:
        chain.append(current)
        seen.add(current.uid)
        current = plan.calendars.get(current.base_uid)
    exceptions = [e for c in chain for e in c.exceptions]
    if exceptions:
        off = [e for e in exceptions if not e[2]]
        on = [e for e in exceptions if e[2]]
        dates = [
            f"{a.isoformat()}"
            + (f"..{z.isoformat()}" if z != a else "")
            + (f" {n!r}" if n else "")
            for a, z, _, n in exceptions
        ]
        b.warn(
            f"the project calendar {name} has {len(exceptions)} exceptions "
            f"({len(off)} non-working, {len(on)} working: {_names(dates)}); the "
            "dataset "
            "has no holiday list, so the kit schedules these days as ordinary days"
        )
    weeks = sum(c.work_weeks for c in chain)
    if weeks:
        b.warn(
            f"the project calendar {name} has {weeks} alternative work weeks; the kit "
            "keeps the default week only"
        )


def _duration_days(b: _Builder, task: MSPTask, tid: str) -> int:
    unit = task.duration_unit
    minutes = task.duration_minutes
    if not task.duration_text and task.start is not None and task.finish is not None:
        # No <Duration> (TaskJuggler): the working time between Start and Finish.
        minutes = _working_minutes(b, task.start, task.finish)
        unit = _HOURS
        task = dataclasses.replace(
            task,
            duration_minutes=minutes,
            duration_text=f"Start..Finish {minutes / 60:g} h",
            duration_unit=unit,
        )
    if task.milestone and minutes <= _EPS:
        return 0
    if unit.elapsed:
        exact = minutes / 1440 * b.working_per_week / 7
        days = math.ceil(exact - _EPS) if exact > 0 else 0
        b.warn(
            f"{b.label(task)}: elapsed duration {task.duration_text} ({unit.word}) "
            f"is about {_days(exact)} working days; kept as {days}"
        )
        b.note(tid, "elapsed duration")
        return days
    exact = minutes / b.mpd
    days = max(0, math.ceil(exact - _EPS))
    if abs(exact - round(exact)) > _EPS:
        b.warn(
            f"{b.label(task)}: duration {task.duration_text} is "
            f"{_days(round(exact, 4))} working days of {b.mpd:g} minutes; the kit "
            f"holds whole days: kept as {days}"
        )
        b.note(tid, "sub-day or fractional duration")
    if task.milestone and days > 0:
        b.warn(
            f"{b.label(task)}: marked as a milestone but lasts {task.duration_text}; "
            f"kept as a {days}-day task (the kit's milestones last 0 days)"
        )
    return days


def _drop_actuals_without_progress(b: _Builder, tasks: list[MSPTask]) -> list[MSPTask]:
    """Actual dates of a task at 0 % complete are left out (TaskJuggler writes them)."""
    out: list[MSPTask] = []
    dropped: list[str] = []
    for task in tasks:
        has_actual = task.actual_start is not None or task.actual_finish is not None
        if has_actual and task.percent_complete <= 0 and not task.summary:
            dropped.append(f"UID {task.uid} {task.name!r}")
            task = dataclasses.replace(task, actual_start=None, actual_finish=None)
        out.append(task)
    if dropped:
        b.warn(
            f"{len(dropped)} tasks have ActualStart/ActualFinish but are 0 % complete "
            "(a task cannot have started without progress; TaskJuggler writes its "
            "planned dates there): their actual dates are left out: " + _names(dropped)
        )
    return out


def _leaves(tasks: list[MSPTask]) -> dict[int, list[int]]:
    """For each summary task, the UIDs of the leaf tasks under it."""
    out: dict[int, list[int]] = {}
    for summary in tasks:
        if not summary.summary:
            continue
        prefix = summary.outline_number + "."
        out[summary.uid] = [
            t.uid
            for t in tasks
            if not t.summary and t.outline_number.startswith(prefix)
        ]
    return out


def plan_to_tables(
    plan: MSProjectPlan, *, project_id: str = "P-001"
) -> MSProjectImport:
    """
    Map an MS Project plan onto the kit's canonical tables.

    Parameters
    ----------
    plan
        What :func:`pmo_kit.io.msproject.read_msproject` read.
    project_id
        The ``P-NNN`` id the project gets.

    Returns
    -------
    MSProjectImport
        The tables (projects, tasks, dependencies, resources, assignments), the
        warnings (one line each) and the task notes.

    Raises
    ------
    ValidationError
        One line naming the file: a link to a task that is not in the file, a
        cyclic plan, or a plan without tasks.
    """
    import pandas as pd

    from pmo_kit.data.schemas import SCHEMAS
    from pmo_kit.data.tables import empty_table
    from pmo_kit.schedule.network import compile_network

    b = _Builder(plan, project_id)
    everything = {t.uid: t for t in plan.tasks}
    tasks = [t for t in plan.tasks if not _is_project_summary(t) and not t.is_null]
    tasks = _drop_actuals_without_progress(b, tasks)
    inactive = [t for t in tasks if not t.active]
    if inactive:
        b.warn(
            f"{len(inactive)} inactive tasks left out (MS Project ignores them too): "
            + _names([f"UID {t.uid} {t.name!r}" for t in inactive])
        )
        tasks = [t for t in tasks if t.active]
    leaves_of = _leaves(tasks)
    summaries = [t for t in tasks if t.summary]
    leaf_tasks = [t for t in tasks if not t.summary]
    if not leaf_tasks:
        msg = (
            f"{plan.path}: the plan has no tasks (only summary rows). "
            "Allowed: a plan with at least one task"
        )
        raise ValidationError(msg)
    if summaries:
        b.warn(
            f"{len(summaries)} summary tasks kept as WBS structure only (the kit has "
            "no summary rows; their names are not kept): "
            + _names([f"{t.outline_number} {t.name!r}" for t in summaries])
        )
    _check_calendar(b)
    ids = {t.uid: _task_id(t.uid) for t in leaf_tasks}
    wbs_differs = [t for t in leaf_tasks if t.wbs and t.wbs != t.outline_number]
    if wbs_differs:
        b.warn(
            f"{len(wbs_differs)} tasks have a custom WBS code; the kit's wbs column "
            "holds the outline number: "
            + _names(
                [
                    f"UID {t.uid} WBS {t.wbs!r} -> {t.outline_number}"
                    for t in wbs_differs
                ]
            )
        )
    no_duration = [
        t for t in leaf_tasks if not t.duration_text and t.start and t.finish
    ]
    if no_duration:
        cal = plan.calendars.get(plan.calendar_uid)
        b.warn(
            f"{len(no_duration)} tasks have no <Duration> (as TaskJuggler writes "
            "MSPDI): each duration is the working time from its Start to its Finish "
            f"in the project calendar {cal.name if cal else plan.calendar_uid!r}: "
            + _names([f"UID {t.uid} {t.name!r}" for t in no_duration])
        )
    manual = [t for t in leaf_tasks if t.manual]
    if manual:
        b.warn(
            f"{len(manual)} tasks are manually scheduled in MS Project; the kit "
            "schedules every task from its links: "
            + _names([f"UID {t.uid} {t.name!r}" for t in manual])
        )
    rows = []
    durations: dict[int, int] = {}
    no_baseline: list[str] = []
    for task in leaf_tasks:
        tid = ids[task.uid]
        days = _duration_days(b, task, tid)
        durations[task.uid] = days
        if task.constraint_type != 0:
            kind = CONSTRAINT_NAMES.get(
                task.constraint_type, f"type {task.constraint_type}"
            )
            when = (
                f" {task.constraint_date.isoformat(timespec='minutes')}"
                if task.constraint_date
                else ""
            )
            b.warn(
                f"{b.label(task)}: constraint {kind}{when} is not held by the kit "
                "(no constraint column); the task is scheduled from its links"
            )
            b.note(tid, f"constraint {kind}")
        if task.calendar_uid not in (-1, plan.calendar_uid):
            cal = plan.calendars.get(task.calendar_uid)
            b.warn(
                f"{b.label(task)}: task calendar "
                f"{cal.name if cal else task.calendar_uid!r} is not held by the kit; "
                "it is scheduled on the project calendar"
            )
            b.note(tid, "task calendar")
        _stored_dates(b, task, tid, days)
        base_start: dt.date | None
        base_finish: dt.date | None
        if task.baseline_start is not None and task.baseline_finish is not None:
            base_start = task.baseline_start.date()
            base_finish = (
                task.baseline_finish.date()
                if task.milestone or days == 0
                else finish_day(task.baseline_finish, b.day_start)
            )
        else:
            no_baseline.append(f"UID {task.uid}")
            base_start = (
                (task.start.date() if days == 0 else start_day(task.start, b.day_end))
                if task.start
                else None
            )
            base_finish = (
                (
                    task.finish.date()
                    if days == 0
                    else finish_day(task.finish, b.day_start)
                )
                if task.finish
                else None
            )
        base_finish = (
            max(base_finish, base_start) if base_start and base_finish else base_finish
        )
        actual_finish = task.actual_finish.date() if task.actual_finish else None
        actual_start = task.actual_start.date() if task.actual_start else None
        rows.append(
            {
                "project_id": project_id,
                "task_id": tid,
                "name": task.name or f"Task {task.uid}",
                "wbs": task.outline_number
                if _WBS.fullmatch(task.outline_number)
                else str(task.id or task.uid),
                "duration": days,
                "optimistic": None,
                "most_likely": None,
                "pessimistic": None,
                "baseline_start": base_start,
                "baseline_finish": base_finish,
                "percent_complete": min(max(task.percent_complete, 0.0), 100.0),
                "actual_start": actual_start,
                "actual_finish": actual_finish,
                "budgeted_cost": task.baseline_cost
                if task.baseline_cost is not None
                else task.cost,
            }
        )
    extra = sorted({n for t in leaf_tasks for n in t.other_baselines})
    if extra:
        b.warn(
            f"baselines {', '.join(str(n) for n in extra)} (Baseline1..10) are not "
            "held: the kit keeps Baseline 0 only, in baseline_start, baseline_finish "
            "and budgeted_cost"
        )
    if no_baseline:
        b.warn(
            f"{len(no_baseline)} tasks have no baseline (Baseline 0): baseline dates "
            "are "
            "set to their planned Start/Finish and budgeted_cost to their Cost: "
            + _names(no_baseline)
        )
    links = _links(b, everything, leaves_of, ids, durations)
    task_frame = pd.DataFrame(rows, columns=SCHEMAS["tasks"].column_names)
    link_frame = pd.DataFrame(links, columns=SCHEMAS["dependencies"].column_names)
    try:
        compile_network(task_frame, link_frame)
    except ValidationError as exc:
        msg = f"{plan.path}: {exc}"
        raise ValidationError(msg) from None
    _fill_missing_baseline(b, task_frame, link_frame)
    resources, kept = _resources(b)
    assignments = _assignments(b, kept, ids, leaves_of, durations)
    _assigned_off_calendar(b, assignments, kept)
    project = _project_row(b, task_frame, resources)
    tables = {
        "projects": pd.DataFrame([project], columns=SCHEMAS["projects"].column_names),
        "tasks": task_frame,
        "dependencies": link_frame,
        "resources": (
            pd.DataFrame(resources, columns=SCHEMAS["resources"].column_names)
            if resources
            else empty_table("resources")
        ),
        "assignments": pd.DataFrame(
            [
                {k: v for k, v in a.items() if not k.startswith("_")}
                for a in assignments
            ],
            columns=SCHEMAS["assignments"].column_names,
        ),
    }
    return MSProjectImport(
        tables=tables,
        warnings=b.warnings,
        task_ids=dict(ids),
        date_notes=b.date_notes,
        summary_count=len(summaries),
        not_in_plan=tuple(b.not_in_plan),
        defaults_warning=b.defaults_warning,
        placeholder_manager=b.placeholder_manager,
    )


def _fill_missing_baseline(
    b: _Builder, tasks: pd.DataFrame, links: pd.DataFrame
) -> None:
    """Tasks with neither a baseline nor stored dates get the kit's CPM dates."""
    import pandas as pd

    from pmo_kit.schedule.cpm import critical_path

    missing = tasks["baseline_start"].isna() | tasks["baseline_finish"].isna()
    if not missing.any():
        return
    start = b.plan.start.date() if b.plan.start is not None else None
    if start is None:
        known = tasks["baseline_start"].dropna()
        start = min(known) if len(known) else dt.date.today()
    schedule = critical_path(tasks, links, start=start)
    for i in tasks.index[missing]:
        tid = tasks.at[i, "task_id"]
        tasks.at[i, "baseline_start"] = pd.Timestamp(
            str(schedule.at[tid, "early_start_date"])
        ).date()
        tasks.at[i, "baseline_finish"] = pd.Timestamp(
            str(schedule.at[tid, "early_finish_date"])
        ).date()
    b.warn(
        f"{int(missing.sum())} tasks have neither a baseline nor Start/Finish dates: "
        "baseline dates set to the kit's critical-path dates from "
        f"{start.isoformat()}: " + _names(list(tasks.loc[missing, "task_id"]))
    )


def _stored_dates(b: _Builder, task: MSPTask, tid: str, days: int) -> None:
    """Note tasks whose stored dates are not whole working days the kit reproduces."""
    if task.start is None or task.finish is None or task.actual_start is not None:
        return
    if days == 0:
        return
    week, starts = b.week, b.day_start
    mid_start = starts < task.start.time() < b.day_end
    mid_finish = starts < task.finish.time() < b.day_end
    if mid_start or mid_finish:
        b.warn(
            f"{b.label(task)}: MS Project has it from "
            f"{task.start.isoformat(timespec='minutes')} to "
            f"{task.finish.isoformat(timespec='minutes')}, part-way through a day; "
            "the kit schedules whole working days"
        )
        b.note(tid, "starts or finishes part-way through a day")
        return
    first = start_day(task.start, b.day_end)
    last = finish_day(task.finish, b.day_start)
    span = int(np.busday_count(np.datetime64(first, "D"), np.datetime64(last, "D") + 1))
    if span != days and week:
        b.warn(
            f"{b.label(task)}: MS Project's dates "
            f"{first.isoformat()}..{last.isoformat()} "
            f"span {span} working days but its duration is {days} days (resource "
            "calendars, splits or an edited file); the kit uses the duration"
        )
        b.note(tid, f"stored dates span {span} working days, duration {days}")


def _links(
    b: _Builder,
    everything: dict[int, MSPTask],
    leaves_of: dict[int, list[int]],
    ids: dict[int, str],
    durations: dict[int, int],
) -> list[dict[str, object]]:
    from pmo_kit.io.msproject.durations import lag_days

    out: dict[tuple[str, str], dict[str, object]] = {}
    for task in everything.values():
        if task.uid not in ids and task.uid not in leaves_of:
            continue
        for link in task.links:
            pred = everything.get(link.predecessor_uid)
            if pred is None:
                msg = (
                    f"{b.where}, Task UID {task.uid} {task.name!r}, PredecessorLink, "
                    f"field 'PredecessorUID': {link.predecessor_uid} is not a task in "
                    "the file. "
                    "Allowed: the UID of a task of this plan"
                )
                raise ValidationError(msg)
            if pred.uid not in ids and pred.uid not in leaves_of:
                b.warn(
                    f"link {pred.uid} -> {task.uid} left out: its predecessor "
                    f"{pred.name!r} is inactive or a blank row"
                )
                continue
            preds = leaves_of.get(pred.uid, [pred.uid])
            succs = leaves_of.get(task.uid, [task.uid])
            text = (
                f"{link.type} link UID {pred.uid} {pred.name!r} -> "
                f"UID {task.uid} {task.name!r}"
            )
            if pred.uid in leaves_of or task.uid in leaves_of:
                exact = not (
                    (pred.uid in leaves_of and link.type in {"SS", "SF"})
                    or (task.uid in leaves_of and link.type in {"FF", "SF"})
                )
                b.warn(
                    f"{text} involves a summary task: expanded to its {len(preds)} x "
                    f"{len(succs)} leaf tasks"
                    + (
                        ""
                        if exact
                        else " (not exact for this link type: MS Project "
                        "ties the summary's earliest start/latest finish, the kit ties "
                        "every leaf task)"
                    )
                )
                if not exact:
                    for s in succs:
                        if s in ids:
                            b.note(ids[s], "expanded summary link")
            unit = link.lag_unit
            for p in preds:
                for s in succs:
                    if p == s or p not in ids or s not in ids:
                        continue
                    exact_lag = lag_days(
                        link.link_lag,
                        unit,
                        b.mpd,
                        predecessor_days=durations.get(p, 0),
                        working_days_per_week=b.working_per_week,
                    )
                    lag = round(exact_lag)
                    original = (
                        f"{link.link_lag / 10:g}%"
                        if unit.percent
                        else f"LinkLag {link.link_lag:g} tenths of a minute"
                    )
                    if unit.elapsed or unit.percent or abs(exact_lag - lag) > _EPS:
                        b.warn(
                            f"{text}: lag {original} ({unit.word}) is "
                            f"{_days(round(exact_lag, 4))} working days; kept as {lag}"
                        )
                        if unit.elapsed or abs(exact_lag - lag) > _EPS:
                            b.note(ids[s], "lag that is not whole working days")
                    key = (ids[p], ids[s])
                    if key in out:
                        b.warn(
                            f"{text}: a second link between {key[0]} and {key[1]} "
                            "left out (the kit holds one link per pair of tasks)"
                        )
                        b.note(ids[s], "duplicate link")
                        continue
                    out[key] = {
                        "project_id": b.project_id,
                        "predecessor": ids[p],
                        "successor": ids[s],
                        "type": link.type,
                        "lag": lag,
                    }
    return list(out.values())


def _resources(
    b: _Builder,
) -> tuple[list[dict[str, object]], dict[int, dict[str, object]]]:
    rows: list[dict[str, object]] = []
    kept: dict[int, dict[str, object]] = {}
    skipped: list[str] = []
    names: set[str] = set()
    for res in b.plan.resources:
        if res.is_null or (not res.name and res.uid == 0):
            continue
        if res.type != 1:
            kind = {0: "material", 2: "cost"}.get(res.type, f"type {res.type}")
            skipped.append(f"{res.name!r} ({kind})")
            continue
        name = res.name or f"Resource {res.uid}"
        if name.casefold() in names:
            b.warn(
                f"resource UID {res.uid}: the name {name!r} is used twice; kept as "
                f"{name} (UID {res.uid})"
            )
            name = f"{name} (UID {res.uid})"
        names.add(name.casefold())
        capacity = res.max_units * 40
        if capacity > 60:
            b.warn(
                f"resource {name!r}: MaxUnits {res.max_units:g} is {capacity:g} hours "
                "a "
                "week; the kit allows at most 60: kept as 60"
            )
            capacity = 60.0
        calendar = b.plan.calendars.get(res.calendar_uid)
        row: dict[str, object] = {
            "resource_id": f"R-{res.uid:03d}",
            "name": name,
            "role": res.group or "unassigned",
            "skills": None,
            "capacity_hours": capacity,
            "cost_rate": res.standard_rate,
            "calendar": "standard",
            "_calendar": calendar,
        }
        if (
            calendar is not None
            and calendar.uid != b.plan.calendar_uid
            and (
                calendar.weekdays
                or calendar.exceptions
                or calendar.work_weeks
                or (not calendar.is_base and calendar.base_uid != b.plan.calendar_uid)
                or (calendar.is_base and calendar.uid != b.plan.calendar_uid)
            )
            and not _same_calendar(b, calendar.uid)
        ):
            base = b.plan.calendars.get(calendar.base_uid)
            shown = calendar.name + (f" based on {base.name!r}" if base else "")
            b.warn(
                f"resource {name!r} works to calendar {shown!r}, not the project "
                "calendar; the kit records 'standard' and schedules their tasks on the "
                "project calendar"
            )
            row["_other_calendar"] = True
        kept[res.uid] = row
        rows.append({k: v for k, v in row.items() if not k.startswith("_")})
    if skipped:
        b.warn(
            f"{len(skipped)} resources left out (the kit's resources are people): "
            + _names(skipped)
            + "; their assignments are left out too"
        )
    return rows, kept


def _same_calendar(b: _Builder, uid: int) -> bool:
    """
    Whether a calendar works exactly the project calendar's hours.

    TaskJuggler gives each resource its own base calendar, a copy of the
    project's week: such a copy changes nothing.
    """
    chain = _calendar_chain(b.plan, uid)
    if any(c.exceptions or c.work_weeks for c in chain):
        return False
    week, _ = _resolve_week(b.plan, uid)
    return week == b.week and _resolve_periods(b.plan, uid, week) == b.periods


def _assignments(
    b: _Builder,
    kept: dict[int, dict[str, object]],
    ids: dict[int, str],
    leaves_of: dict[int, list[int]],
    durations: dict[int, int],
) -> list[dict[str, object]]:
    out: dict[tuple[str, str], dict[str, object]] = {}
    known = {r.uid for r in b.plan.resources}
    no_work: list[str] = []
    for a in b.plan.assignments:
        if a.resource_uid == _UNASSIGNED_RESOURCE:
            continue
        if a.resource_uid not in kept:
            if a.resource_uid not in known:
                b.warn(
                    f"assignment of task UID {a.task_uid} to resource UID "
                    f"{a.resource_uid} left out: no such resource in the file"
                )
            continue
        if a.task_uid not in ids:
            where = "a summary task" if a.task_uid in leaves_of else "no task kept"
            b.warn(
                f"assignment of {kept[a.resource_uid]['name']!r} to task UID "
                f"{a.task_uid} left out: {where} (the kit assigns leaf tasks)"
            )
            continue
        units = a.units
        if units < 0.05 or units > 1.0:
            clamped = min(max(units, 0.05), 1.0)
            b.warn(
                f"assignment of {kept[a.resource_uid]['name']!r} to {ids[a.task_uid]}: "
                f"units {units:g} ({units * 100:g}%) outside the kit's 0.05..1.0; "
                f"kept as {clamped:g} (hours kept as planned)"
            )
            units = clamped
        rid = str(kept[a.resource_uid]["resource_id"])
        key = (ids[a.task_uid], rid)
        if key in out:
            b.warn(f"a second assignment of {rid} to {key[0]} left out")
            continue
        hours = a.work_minutes / 60
        if not a.has_work:
            hours = a.units * durations.get(a.task_uid, 0) * b.mpd / 60
            no_work.append(f"{kept[a.resource_uid]['name']} on {ids[a.task_uid]}")
        out[key] = {
            "project_id": b.project_id,
            "task_id": ids[a.task_uid],
            "resource_id": rid,
            "units": units,
            "hours": hours,
            "_uid": a.resource_uid,
        }
    if no_work:
        b.warn(
            f"{len(no_work)} assignments have no <Work> (as TaskJuggler writes "
            "MSPDI): hours set to units x the task's duration x "
            f"{b.mpd / 60:g} h a day: " + _names(no_work)
        )
    return list(out.values())


def _assigned_off_calendar(
    b: _Builder,
    assignments: list[dict[str, object]],
    kept: dict[int, dict[str, object]],
) -> None:
    """Note tasks done by people on other calendars: MS Project moves them."""
    for a in assignments:
        row = kept.get(int(str(a["_uid"])))
        if row is not None and row.get("_other_calendar"):
            b.note(
                str(a["task_id"]), f"assigned to {row['name']!r} on another calendar"
            )


def _project_row(
    b: _Builder, tasks: pd.DataFrame, resources: list[dict[str, object]]
) -> dict[str, object]:
    plan = b.plan
    summary = next((t for t in plan.tasks if _is_project_summary(t)), None)
    name = (
        plan.title
        or (summary.name if summary is not None else "")
        or re.sub(r"\.xml$", "", plan.name, flags=re.IGNORECASE)
        or plan.path.stem
    )
    starts = tasks["baseline_start"].dropna()
    start = (
        plan.start.date()
        if plan.start is not None
        else (min(starts) if len(starts) else dt.date.today())
    )
    finish_source = None
    if summary is not None and summary.baseline_finish is not None:
        finish_source = summary.baseline_finish
    elif plan.finish is not None:
        finish_source = plan.finish
    planned_finish = finish_day(finish_source, b.day_start) if finish_source else start
    planned_finish = max(planned_finish, start)
    if summary is not None and summary.baseline_cost:
        budget = summary.baseline_cost
    elif summary is not None and summary.cost:
        budget = summary.cost
    else:
        budget = float(tasks["budgeted_cost"].fillna(0).sum())
    b.not_in_plan = [
        "programme",
        "sponsor",
        "methodology",
        "strategic_alignment",
        "business_value",
        "expected_benefit",
    ]
    if budget <= 0:
        b.not_in_plan.append("budget")
    if plan.status_date is not None:
        status = plan.status_date.date()
    elif plan.current_date is not None:
        status = plan.current_date.date()
        b.warn(
            f"the plan has no StatusDate; projects.status_date is its CurrentDate "
            f"{status.isoformat()}"
        )
    else:
        status = start
        b.not_in_plan.append("status_date")
        b.warn("the plan has no StatusDate nor CurrentDate; status_date is its start")
    manager_id = None
    manager = plan.manager.strip()
    for row in resources:
        if manager and str(row["name"]).casefold() == manager.casefold():
            manager_id = str(row["resource_id"])
    if manager_id is None:
        label = manager or f"Project manager of {name}"
        manager_id = "R-999999"
        if not manager:
            b.not_in_plan.append("manager")
            b.placeholder_manager = manager_id
        resources.append(
            {
                "resource_id": manager_id,
                "name": label,
                "role": "Project Manager",
                "skills": None,
                "capacity_hours": 40.0,
                "cost_rate": 0.0,
                "calendar": "standard",
            }
        )
        b.warn(
            f"the project manager {label!r} is not a resource of the plan; added to "
            "resources (role Project Manager, 40 h/week, cost rate 0) as "
            "projects.manager"
        )
    b.defaults_warning = (
        "not in an MS Project plan, set to defaults (edit projects.csv): programme "
        f"{(plan.company or 'unassigned')!r}, sponsor 'unassigned', methodology "
        "'predictive', strategic_alignment 3, business_value 3, expected_benefit 0"
    )
    b.warn(b.defaults_warning)
    if plan.currency and plan.currency not in {"EUR", "€"}:
        b.warn(
            f"amounts are in the plan's currency {plan.currency!r}; they are not "
            "converted (the dataset's currency is in organisation.yaml)"
        )
    done = tasks["percent_complete"].fillna(0)
    phase = (
        "planning"
        if (done <= 0).all()
        else ("closing" if (done >= 100).all() else "execution")
    )
    return {
        "project_id": b.project_id,
        "name": name,
        "programme": plan.company or "unassigned",
        "sponsor": "unassigned",
        "manager": manager_id,
        "methodology": "predictive",
        "phase": phase,
        "start": start,
        "planned_finish": planned_finish,
        "budget": max(budget, 0.0),
        "strategic_alignment": 3,
        "business_value": 3,
        "expected_benefit": 0.0,
        "status_date": status,
    }
