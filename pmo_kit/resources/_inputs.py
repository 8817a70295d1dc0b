"""
Checks on the tables the capacity engine reads, with messages that teach.

``load_portfolio`` already validates its files (types, ranges, foreign keys). The
engine also takes plain DataFrames, so it checks what it relies on itself: required
columns, known people and tasks, capacities and units a person could really give,
dates in order, and a sensible horizon. Rows are named by their DataFrame index label
(for a table read with ``load_portfolio`` that is the position, 0 for the first row).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from pmo_kit._errors import ValidationError
from pmo_kit.data.inputs import require_columns, to_day

if TYPE_CHECKING:
    from collections.abc import Iterable

    from pmo_kit.schedule.calendar import WorkCalendar

__all__ = [
    "CALENDARS",
    "MAX_WEEKLY_HOURS",
    "MAX_WEEKS",
    "as_day",
    "business_days",
    "check_absences",
    "check_assignments",
    "check_horizon",
    "check_resources",
    "check_tasks",
    "monday_of",
    "row_label",
    "split_skills",
]

#: Person calendars: working days per week (a subset of the organisation's days).
CALENDARS: dict[str, str] = {
    "standard": "Mon Tue Wed Thu Fri",
    "part-time": "Mon Tue Wed Thu Fri",
    "four-day-week": "Mon Tue Wed Thu",
}
#: Nobody can give more than this many hours a week (7 x 24).
MAX_WEEKLY_HOURS = 168.0
#: Longest horizon the engine plans (ten years of weeks).
MAX_WEEKS = 520
_TOLERANCE = 1.01  # rounding of hours to 0.1 in the data


def row_label(label: object) -> str:
    if isinstance(label, pd.Timestamp):
        return str(label.date())
    if isinstance(label, np.generic):
        return repr(label.item())
    return repr(label)


def _shown(value: object) -> str:
    if isinstance(value, pd.Timestamp):
        return repr(value.strftime("%Y-%m-%d"))
    if isinstance(value, np.generic):
        return repr(value.item())
    return repr(value)


def _fail(
    table: str,
    frame: pd.DataFrame,
    mask: np.ndarray | pd.Series,
    column: str,
    what: str,
    rule: str,
) -> None:
    """Raise one error naming every bad row (the first in the message)."""
    bad = np.flatnonzero(np.asarray(mask, dtype=bool))
    if not bad.size:
        return
    problems = []
    for pos in bad[:20]:
        label = frame.index[pos]
        value = frame[column].iloc[pos]
        problems.append(
            f"{table}, row {row_label(label)}, column {column!r}: {_shown(value)} "
            f"{what}. Allowed: {rule}"
        )
    raise ValidationError.from_problems(problems)


def _require(frame: object, table: str, columns: Iterable[str]) -> pd.DataFrame:
    return require_columns(frame, columns, table)


def _dates(
    frame: pd.DataFrame, table: str, column: str, *, nullable: bool
) -> pd.Series:
    raw = frame[column]
    parsed = pd.to_datetime(raw, errors="coerce").dt.normalize()
    bad = parsed.isna() & (raw.notna() if nullable else True)
    _fail(table, frame, bad.to_numpy(), column, "is not a date", "a date (YYYY-MM-DD)")
    return parsed


def split_skills(skills: pd.Series) -> pd.Series:
    """Split skills into lists of clean names (``'SQL; dbt'`` -> ``['SQL', 'dbt']``)."""
    return (
        skills.fillna("")
        .astype(str)
        .map(lambda text: [s.strip() for s in text.split(";") if s.strip()])
    )


def check_resources(resources: pd.DataFrame) -> pd.DataFrame:
    """
    Validate the people table and return it typed, indexed by ``resource_id``.

    Needs ``resource_id`` and ``capacity_hours`` (hours per week); ``name``,
    ``role``, ``skills`` and ``calendar`` are optional (defaults: the id, ``'(no
    role)'``, no skills, ``'standard'``).
    """
    frame = _require(resources, "resources", ["resource_id", "capacity_hours"])
    ids = frame["resource_id"].astype(str)
    _fail(
        "resources",
        frame,
        ids.duplicated().to_numpy(),
        "resource_id",
        "appears more than once",
        "each resource_id once",
    )
    hours = pd.to_numeric(frame["capacity_hours"], errors="coerce")
    _fail(
        "resources",
        frame,
        (hours.isna() | (hours < 0) | (hours > MAX_WEEKLY_HOURS)).to_numpy(),
        "capacity_hours",
        "is not a possible weekly capacity",
        f"hours per week from 0 to {MAX_WEEKLY_HOURS:g}",
    )
    calendar = (
        frame["calendar"].fillna("standard").astype(str)
        if "calendar" in frame
        else pd.Series("standard", index=frame.index)
    )
    _fail(
        "resources",
        frame.assign(calendar=calendar),
        (~calendar.isin(list(CALENDARS))).to_numpy(),
        "calendar",
        "is not a known calendar",
        ", ".join(map(repr, CALENDARS)),
    )
    out = pd.DataFrame(
        {
            "name": frame["name"].astype(str).to_numpy() if "name" in frame else ids,
            "role": (
                frame["role"].fillna("(no role)").astype(str).to_numpy()
                if "role" in frame
                else "(no role)"
            ),
            "skills": (
                frame["skills"].fillna("").astype(str).to_numpy()
                if "skills" in frame
                else ""
            ),
            "capacity_hours": hours.to_numpy(dtype=float),
            "calendar": calendar.to_numpy(),
        },
        index=pd.Index(ids.to_numpy(), name="resource_id"),
    )
    days = out["calendar"].map(lambda c: len(CALENDARS[c].split()))
    out["daily_hours"] = out["capacity_hours"] / days
    return out


def check_tasks(tasks: pd.DataFrame, *, forecast: bool = False) -> pd.DataFrame:
    """
    Validate the tasks table; return it with a ``key`` column and parsed dates.

    Needs ``task_id``, ``baseline_start`` and ``baseline_finish`` (``project_id``
    when tasks of several projects share ids). A forecast also reads ``duration``,
    ``percent_complete``, ``actual_start`` and ``actual_finish``.
    """
    needed = ["task_id", "baseline_start", "baseline_finish"]
    if forecast:
        needed += ["duration", "percent_complete"]
    frame = _require(tasks, "tasks", needed)
    out = frame.copy()
    out["project_id"] = frame["project_id"].astype(str) if "project_id" in frame else ""
    out["task_id"] = frame["task_id"].astype(str)
    out["key"] = out["project_id"] + "/" + out["task_id"]
    _fail(
        "tasks",
        frame,
        out["key"].duplicated().to_numpy(),
        "task_id",
        "appears more than once in its project",
        "each task_id once per project",
    )
    start = _dates(frame, "tasks", "baseline_start", nullable=False)
    finish = _dates(frame, "tasks", "baseline_finish", nullable=False)
    _fail(
        "tasks",
        frame,
        (finish < start).to_numpy(),
        "baseline_finish",
        "is before the baseline start",
        "a date on or after 'baseline_start'",
    )
    out["baseline_start"], out["baseline_finish"] = start, finish
    for column in ("actual_start", "actual_finish"):
        if column in frame:
            out[column] = _dates(frame, "tasks", column, nullable=True)
        else:
            out[column] = pd.NaT
    if forecast:
        pct = pd.to_numeric(frame["percent_complete"], errors="coerce")
        _fail(
            "tasks",
            frame,
            (pct.isna() | (pct < 0) | (pct > 100)).to_numpy(),
            "percent_complete",
            "is not a percentage",
            "numbers from 0 to 100",
        )
        out["percent_complete"] = pct
    return out


def check_assignments(
    assignments: pd.DataFrame, people: pd.DataFrame, tasks: pd.DataFrame
) -> pd.DataFrame:
    """
    Validate assignments against the people and tasks; return them typed.

    ``people`` is :func:`check_resources`' result, ``tasks`` :func:`check_tasks`'.
    Each row needs ``resource_id``, ``task_id`` (and ``project_id`` when the tasks
    have one) and ``units`` (share of the person's capacity, above 0 and at most 1)
    or ``hours`` (at least 0). ``hours`` may not ask more than the person could give
    working full time for the whole task.
    """
    frame = _require(assignments, "assignments", ["task_id", "resource_id"])
    if "units" not in frame and "hours" not in frame:
        msg = "assignments need a 'units' or an 'hours' column (or both)"
        raise ValidationError(msg)
    projects = (
        frame["project_id"].astype(str)
        if "project_id" in frame
        else pd.Series("", index=frame.index)
    )
    if "project_id" not in frame and (tasks["project_id"] != "").any():
        _require(frame, "assignments", ["project_id"])
    out = pd.DataFrame(
        {
            "project_id": projects.to_numpy(),
            "task_id": frame["task_id"].astype(str).to_numpy(),
            "resource_id": frame["resource_id"].astype(str).to_numpy(),
        },
        index=frame.index,
    )
    _fail(
        "assignments",
        frame,
        (~out["resource_id"].isin(people.index)).to_numpy(),
        "resource_id",
        "is not a resource_id in resources",
        "a resource_id listed in resources",
    )
    key = out["project_id"] + "/" + out["task_id"]
    _fail(
        "assignments",
        frame,
        (~key.isin(tasks["key"])).to_numpy(),
        "task_id",
        "is not a task of its project in tasks",
        "a (project_id, task_id) listed in tasks",
    )
    units = (
        pd.to_numeric(frame["units"], errors="coerce")
        if "units" in frame
        else pd.Series(np.nan, index=frame.index)
    )
    hours = (
        pd.to_numeric(frame["hours"], errors="coerce")
        if "hours" in frame
        else pd.Series(np.nan, index=frame.index)
    )
    if "units" in frame:
        bad = (units.notna() & ((units <= 0) | (units > 1))) | (
            units.isna() & hours.isna()
        )
        _fail(
            "assignments",
            frame,
            bad.to_numpy(),
            "units",
            "is not a share a person can give to one task",
            "a share above 0 and at most 1 (1.0 = full time)",
        )
    if "hours" in frame:
        _fail(
            "assignments",
            frame,
            (hours < 0).to_numpy(),
            "hours",
            "is negative",
            "hours >= 0, or empty to work them out from the units",
        )
    out["units"], out["hours"] = units.to_numpy(), hours.to_numpy()
    return out


def check_absences(absences: pd.DataFrame | None, people: pd.DataFrame) -> pd.DataFrame:
    """Validate an absences table (``resource_id``, ``start``, ``end``; inclusive)."""
    if absences is None or len(absences) == 0:
        return pd.DataFrame(
            {
                "resource_id": pd.Series(dtype=str),
                "start": pd.Series(dtype="datetime64[ns]"),
                "end": pd.Series(dtype="datetime64[ns]"),
            }
        )
    frame = _require(absences, "absences", ["resource_id", "start", "end"])
    ids = frame["resource_id"].astype(str)
    _fail(
        "absences",
        frame,
        (~ids.isin(people.index)).to_numpy(),
        "resource_id",
        "is not a resource_id in resources",
        "a resource_id listed in resources",
    )
    start = _dates(frame, "absences", "start", nullable=False)
    end = _dates(frame, "absences", "end", nullable=False)
    _fail(
        "absences",
        frame,
        (end < start).to_numpy(),
        "end",
        "is before the start of the absence",
        "a last day on or after 'start'",
    )
    return pd.DataFrame({"resource_id": ids, "start": start, "end": end})


def as_day(value: Any, what: str) -> pd.Timestamp:
    """Return ``value`` as a day (midnight), or fail naming the argument ``what``."""
    return to_day(value, what)


def monday_of(value: Any, what: str) -> pd.Timestamp:
    """Return the Monday of the week holding ``value`` (a date)."""
    day = as_day(value, what)
    return day - pd.Timedelta(days=int(day.day_of_week))


def check_horizon(weeks: object) -> int:
    """Validate a number of weeks to plan: a whole number from 1 to MAX_WEEKS."""
    if isinstance(weeks, int | np.integer) and not isinstance(weeks, bool):
        number = int(weeks)
        if 1 <= number <= MAX_WEEKS:
            return number
    msg = (
        f"{weeks!r} is an invalid value for `weeks`. Allowed: a whole number of "
        f"weeks from 1 to {MAX_WEEKS}"
    )
    raise ValidationError(msg)


def business_days(calendar: WorkCalendar) -> np.busdaycalendar:
    """Return numpy's business-day calendar for ``calendar`` (weekmask, holidays)."""
    holidays = np.array(
        [np.datetime64(pd.Timestamp(h).date(), "D") for h in calendar.holidays],
        dtype="datetime64[D]",
    )
    return np.busdaycalendar(weekmask=calendar.weekmask, holidays=holidays)
