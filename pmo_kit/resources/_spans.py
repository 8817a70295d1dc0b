"""
When each assignment's hours are worked: spans of working days, spread evenly.

An assignment's hours are spread evenly over the working days of its task. With the
baseline that is ``baseline_start .. baseline_finish``. With the forecast, the share
already done (``percent_complete``) sits on the actual dates (actual start to actual
finish, or to the status date for work in progress) and the rest on the dates the
critical path of the remaining work gives from the status date (as
:func:`pmo_kit.schedule.remaining_work`: nothing unfinished starts before the first
working day after the status date).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from pmo_kit._errors import ValidationError
from pmo_kit.resources._inputs import business_days

if TYPE_CHECKING:
    from pmo_kit.schedule import WorkCalendar

__all__ = ["Spans", "expand_days", "spans_for"]

_DAY = np.timedelta64(1, "D")


class Spans:
    """Parallel arrays: one span of working days per (assignment, part)."""

    def __init__(
        self, row: np.ndarray, start: np.ndarray, end: np.ndarray, hours: np.ndarray
    ) -> None:
        self.row = row  # position of the assignment
        self.start = start  # datetime64[D], first day (inclusive)
        self.end = end  # datetime64[D], last day (inclusive)
        self.hours = hours  # hours worked in the span


def _d(values: pd.Series) -> np.ndarray:
    return values.to_numpy(dtype="datetime64[ns]").astype("datetime64[D]")


def _forecast_dates(
    tasks: pd.DataFrame,
    dependencies: pd.DataFrame | None,
    projects: pd.DataFrame,
    calendar: WorkCalendar,
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Per task: done share, done span, remaining span (NaT where none)."""
    from pmo_kit.schedule import critical_path

    info = projects.assign(project_id=projects["project_id"].astype(str)).set_index(
        "project_id"
    )
    missing = sorted(set(tasks["project_id"]) - set(info.index))
    if missing:
        msg = (
            f"dates='forecast' needs every project in the projects table; "
            f"{', '.join(map(repr, missing[:5]))} is not there. Allowed: projects "
            "with 'project_id', 'start' and 'status_date'"
        )
        raise ValidationError(msg)
    status = pd.to_datetime(tasks["project_id"].map(info["status_date"]))
    if status.isna().any():
        pid = tasks.loc[status.isna(), "project_id"].iloc[0]
        msg = (
            f"projects, project {pid!r}, column 'status_date': empty. Allowed: a date "
            "(YYYY-MM-DD); dates='forecast' forecasts from each project's status date"
        )
        raise ValidationError(msg)
    project_start = pd.to_datetime(tasks["project_id"].map(info["start"]))
    pct = tasks["percent_complete"].to_numpy(dtype=float) / 100.0
    finished = (pct >= 1.0) | tasks["actual_finish"].notna().to_numpy()
    done_share = np.where(finished, 1.0, pct)
    # work done: actual start (or baseline start) to actual finish (or status date)
    done_start = _d(tasks["actual_start"].fillna(tasks["baseline_start"]))
    done_end = np.where(
        finished, _d(tasks["actual_finish"].fillna(status)), _d(status)
    ).astype("datetime64[D]")
    done_end = np.maximum(done_end, done_start)
    # work left: the critical path of the remaining durations from the status date
    duration = pd.to_numeric(tasks["duration"], errors="coerce").fillna(0).to_numpy()
    left = np.where(finished, 0, np.ceil(duration * (1 - pct) - 1e-9)).astype("int64")
    origin = min(project_start.min(), tasks["baseline_start"].min())
    after_status = (status + pd.Timedelta(days=1)).to_numpy(dtype="datetime64[ns]")
    not_before = np.maximum(
        after_status, project_start.to_numpy(dtype="datetime64[ns]")
    )
    keys = tasks["key"].to_numpy()
    # "not before" constraints as links from one synthetic task per distinct offset
    # (a task of that many days from day 0): one vectorised network, no per-task
    # constraint lookups
    busday = business_days(calendar)
    first = np.busday_offset(
        np.datetime64(pd.Timestamp(origin).date(), "D"), 0, "forward", busdaycal=busday
    )
    floor = np.busday_offset(
        not_before.astype("datetime64[D]"), 0, "forward", busdaycal=busday
    )
    offset = np.busday_count(first, floor, busdaycal=busday)
    open_ = ~finished & (offset > 0)
    marks = np.unique(offset[open_])
    mark_ids = np.array([f"~not-before-{d}" for d in marks], dtype=object)
    links = pd.DataFrame(
        {
            "predecessor": mark_ids[np.searchsorted(marks, offset[open_])],
            "successor": keys[open_],
        }
    )
    if dependencies is not None and len(dependencies):
        pid = (
            dependencies["project_id"].astype(str)
            if "project_id" in dependencies
            else pd.Series("", index=dependencies.index)
        )
        own = pd.DataFrame(
            {
                "predecessor": (pid + "/" + dependencies["predecessor"].astype(str)),
                "successor": (pid + "/" + dependencies["successor"].astype(str)),
                "type": dependencies.get("type", "FS"),
                "lag": dependencies.get("lag", 0),
            }
        )
        links = pd.concat([own, links.assign(type="FS", lag=0)], ignore_index=True)
    network = pd.DataFrame(
        {
            "task_id": np.concatenate([keys, mark_ids]),
            "duration": np.concatenate([left, marks]),
        }
    )
    schedule = critical_path(network, links, start=origin, calendar=calendar).reindex(
        keys
    )
    es = schedule["early_start"].to_numpy(dtype="int64")
    rest_start = calendar.dates(origin, es).to_numpy(dtype="datetime64[D]")
    rest_end = calendar.dates(origin, es + np.maximum(left - 1, 0)).to_numpy(
        dtype="datetime64[D]"
    )
    nat = np.datetime64("NaT", "D")
    rest_start = np.where(left > 0, rest_start, nat)
    rest_end = np.where(left > 0, rest_end, nat)
    return done_share, done_start, done_end, rest_start, rest_end


def spans_for(
    work: pd.DataFrame,
    tasks: pd.DataFrame,
    *,
    dates: str,
    calendar: WorkCalendar,
    dependencies: pd.DataFrame | None = None,
    projects: pd.DataFrame | None = None,
) -> Spans:
    """
    Spans of the checked assignments ``work`` (with ``key`` and ``hours`` filled).

    ``tasks`` are the checked tasks (with ``key``); ``dates`` is ``'baseline'`` or
    ``'forecast'`` (which needs ``projects`` and, for links, ``dependencies``).
    """
    at = tasks.set_index("key").index.get_indexer(pd.Index(work["key"]))
    rows = np.arange(len(work))
    hours = work["hours"].to_numpy(dtype=float)
    if dates == "baseline":
        return Spans(
            rows,
            _d(tasks["baseline_start"])[at],
            _d(tasks["baseline_finish"])[at],
            hours,
        )
    if projects is None:
        msg = (
            "dates='forecast' needs the projects table (project_id, start, "
            "status_date) and the dependencies; pass a portfolio or projects=..."
        )
        raise ValidationError(msg)
    share, d_start, d_end, r_start, r_end = _forecast_dates(
        tasks, dependencies, projects, calendar
    )
    done = share[at] > 0
    rest = (share[at] < 1) & ~np.isnat(r_start[at])
    return Spans(
        np.concatenate([rows[done], rows[rest]]),
        np.concatenate([d_start[at][done], r_start[at][rest]]),
        np.concatenate([d_end[at][done], r_end[at][rest]]),
        np.concatenate(
            [hours[done] * share[at][done], hours[rest] * (1 - share[at][rest])]
        ),
    )


def expand_days(
    spans: Spans, busday: np.busdaycalendar, first: np.datetime64, days: int
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """
    Spread each span's hours evenly over its working days.

    Returns the assignment row, the day's position from ``first`` and the hours,
    for the days inside ``first .. first + days - 1`` only. A span with no working
    day (say a weekend) puts its hours on the next working day.
    """
    start = np.busday_offset(spans.start, 0, roll="forward", busdaycal=busday)
    count = np.busday_count(start, spans.end + _DAY, busdaycal=busday)
    count = np.maximum(count, 1)
    last = np.busday_offset(start, count - 1, roll="forward", busdaycal=busday)
    horizon_end = first + np.timedelta64(days, "D")
    inside = (start < horizon_end) & (last >= first) & (spans.hours > 0)
    start, count, row = start[inside], count[inside], spans.row[inside]
    per_day = spans.hours[inside] / count
    total = int(count.sum())
    which = np.repeat(np.arange(len(count)), count)
    offset = np.arange(total) - np.repeat(np.cumsum(count) - count, count)
    day = np.busday_offset(start[which], offset, roll="forward", busdaycal=busday)
    position = (day - first).astype("int64")
    keep = (position >= 0) & (position < days)
    return row[which][keep], position[keep], per_day[which][keep]
