"""Progress: forecast the remaining work from a status date, and baseline slippage."""

from __future__ import annotations

import numpy as np
import pandas as pd

from pmo_kit._errors import ValidationError
from pmo_kit.schedule.calendar import DateLike, WorkCalendar

__all__ = ["remaining_work", "slippage"]


def remaining_work(
    tasks: pd.DataFrame,
    *,
    status_date: DateLike,
    start: DateLike,
    calendar: WorkCalendar | None = None,
) -> tuple[pd.DataFrame, dict[str, int]]:
    """
    Turn a project's tasks into the work left after the status date.

    As MS Project's "reschedule uncompleted work to start after the status date":
    finished tasks (actual finish, or 100 %) last 0 days; tasks in progress keep the
    share of their duration not yet done (and of their three-point estimates); no
    unfinished work may start before the first working day after the status date.

    Parameters
    ----------
    tasks
        Canonical tasks of one project (``duration``, ``percent_complete``,
        ``actual_finish``; estimates optional).
    status_date
        The cut-off: work up to and including this day is done.
    start
        Project start date (offset 0).
    calendar
        Working days.

    Returns
    -------
    (pandas.DataFrame, dict)
        The tasks with remaining ``duration`` (and estimates), and the
        ``start_no_earlier_than`` offsets to pass to :func:`critical_path` or
        :func:`monte_carlo` with the same ``start``.

    Examples
    --------
    >>> import pandas as pd
    >>> t = pd.DataFrame(
    ...     {
    ...         "task_id": ["A", "B"],
    ...         "duration": [10, 4],
    ...         "percent_complete": [60.0, 0.0],
    ...     }
    ... )
    >>> left, snet = remaining_work(t, status_date="2026-01-09", start="2026-01-05")
    >>> left["duration"].tolist(), snet
    ([4, 4], {'A': 5, 'B': 5})
    """
    calendar = calendar or WorkCalendar()
    status = pd.Timestamp(status_date)
    if pd.Timestamp(status) < calendar.first_working_day(start) - pd.Timedelta(days=1):
        msg = f"status_date {status.date()} is before the project start {start}"
        raise ValidationError(msg)
    offset = calendar.offset_of(start, status + pd.Timedelta(days=1))
    out = tasks.copy()
    pct = pd.to_numeric(out.get("percent_complete", 0.0), errors="coerce")
    pct = pd.Series(pct, index=out.index).fillna(0.0).clip(0, 100)
    finished = pct >= 100
    if "actual_finish" in out:
        finished |= out["actual_finish"].notna()
    left = np.where(finished, 0.0, 1 - pct / 100)
    duration = pd.to_numeric(out["duration"], errors="coerce").to_numpy(dtype=float)
    out["duration"] = np.ceil(duration * left - 1e-9).astype("int64")
    for name in ("optimistic", "most_likely", "pessimistic"):
        if name in out:
            out[name] = pd.to_numeric(out[name], errors="coerce") * left
    unfinished = out.loc[~finished.to_numpy(), "task_id"].astype(str)
    return out, dict.fromkeys(unfinished, offset)


def slippage(
    tasks: pd.DataFrame,
    schedule: pd.DataFrame,
    *,
    calendar: WorkCalendar | None = None,
) -> pd.DataFrame:
    """
    Compare each task's baseline finish with its forecast finish.

    Parameters
    ----------
    tasks
        Canonical tasks (``task_id``, ``name``, ``duration``, ``baseline_finish``;
        ``actual_finish`` where known: finished work is compared at its actual date).
    schedule
        A :func:`critical_path` result with dates (``early_finish_date``).
    calendar
        Working days, to count the slip.

    Returns
    -------
    pandas.DataFrame
        Indexed by ``task_id``: ``name``, ``milestone``, ``baseline_finish``,
        ``forecast_finish`` and ``slip_days`` (working days; positive = late),
        latest slip first.
    """
    if "early_finish_date" not in schedule:
        msg = "slippage needs a schedule with dates: call critical_path(..., start=...)"
        raise ValidationError(msg)
    calendar = calendar or WorkCalendar()
    base = tasks.set_index(tasks["task_id"].astype(str))
    forecast = schedule["early_finish_date"]
    if "actual_finish" in base:
        # finished work keeps its actual date (a forecast from a status date puts
        # it at the project start as zero-length work)
        actual = pd.to_datetime(base.loc[forecast.index, "actual_finish"])
        forecast = actual.where(actual.notna(), forecast)
    baseline = pd.to_datetime(base.loc[forecast.index, "baseline_finish"])
    slip = [
        calendar.working_days_between(b, f)
        if f >= b
        else -calendar.working_days_between(f, b)
        for b, f in zip(baseline, forecast, strict=True)
    ]
    out = pd.DataFrame(
        {
            "name": base.loc[forecast.index, "name"]
            if "name" in base
            else forecast.index,
            "milestone": base.loc[forecast.index, "duration"].to_numpy() == 0,
            "baseline_finish": baseline.to_numpy(),
            "forecast_finish": forecast.to_numpy(),
            "slip_days": slip,
        },
        index=forecast.index,
    )
    return out.sort_values("slip_days", ascending=False, kind="stable")
