"""
Critical path method: early and late dates, total and free float.

Conventions are those of MS Project, so figures agree with the tools PMOs use:

- offsets are 0-based working days: a task starting at 0 and lasting 5 finishes at 5;
- every task's early start is at least 0 (the project start), even with negative lags;
- project finish is the latest early finish; no late finish is after it, unless a
  deadline earlier than it is given, which then shows as negative float;
- total float = late start - early start; free float = how far a task can slip without
  moving any successor's early dates, over its outgoing links of every type, and never
  more than project finish - early finish;
- a task is critical when its total float is zero or less.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from pmo_kit.schedule.calendar import DateLike, WorkCalendar
from pmo_kit.schedule.calendar import working_day_offset as _offset
from pmo_kit.schedule.network import (
    Network,
    backward_pass,
    compile_network,
    forward_pass,
    link_weights,
)

if TYPE_CHECKING:
    from collections.abc import Mapping

__all__ = ["critical_path", "date_columns", "schedule_network"]

_RESULT_COLUMNS = [
    "early_start",
    "early_finish",
    "late_start",
    "late_finish",
    "total_float",
    "free_float",
    "critical",
]


def critical_path(
    tasks: pd.DataFrame,
    dependencies: pd.DataFrame | None = None,
    *,
    start: DateLike | None = None,
    calendar: WorkCalendar | None = None,
    start_no_earlier_than: Mapping[str, int | DateLike] | None = None,
    deadline: int | DateLike | None = None,
) -> pd.DataFrame:
    """
    Schedule a task network with the critical path method (forward and backward pass).

    Parameters
    ----------
    tasks
        One row per task: ``task_id`` and ``duration`` (working days; 0 = milestone).
    dependencies
        One row per link: ``predecessor``, ``successor``, optional ``type``
        (FS, SS, FF or SF; default FS) and ``lag`` (working days, negative = lead;
        default 0). ``None`` or empty: no links.
    start
        Project start date. When given, date columns are added.
    calendar
        Working days (default Monday to Friday, no holidays).
    start_no_earlier_than
        Constraints by task id: a working-day offset, or a date when ``start`` is given.
    deadline
        Project deadline (offset, or date when ``start`` is given). When it is earlier
        than the finish, late dates move back and total float turns negative.

    Returns
    -------
    pandas.DataFrame
        Indexed by ``task_id`` in input order: ``early_start``, ``early_finish``,
        ``late_start``, ``late_finish``, ``total_float``, ``free_float`` (working-day
        offsets) and ``critical``; with ``start`` also ``early_start_date``,
        ``early_finish_date``, ``late_start_date``, ``late_finish_date``.
        ``attrs["project_finish"]`` is the finish offset (and
        ``attrs["project_finish_date"]`` the date, when ``start`` is given).

    Raises
    ------
    ValidationError
        A cycle (the tasks on it are named), a link to an unknown task, a duplicate
        task id, a missing or negative duration, or an unknown link type.

    Examples
    --------
    >>> import pandas as pd
    >>> tasks = pd.DataFrame({"task_id": ["A", "B", "C"], "duration": [3, 5, 2]})
    >>> links = pd.DataFrame({"predecessor": ["A", "A"], "successor": ["B", "C"]})
    >>> critical_path(tasks, links)[["early_start", "total_float", "critical"]]
             early_start  total_float  critical
    task_id
    A                  0            0      True
    B                  3            0      True
    C                  3            3     False
    """
    net = compile_network(tasks, dependencies)
    calendar = calendar or WorkCalendar()
    bounds = np.zeros(net.size, dtype="int64")
    constraints = start_no_earlier_than or {}
    # One lookup table, not a search per constraint: forecasts constrain every task.
    positions = (
        {task_id: i for i, task_id in enumerate(net.task_ids.tolist())}
        if len(constraints) > 8
        else None
    )
    for task_id, value in constraints.items():
        where = (
            positions.get(str(task_id), -1)
            if positions is not None
            else net.index_of(str(task_id))
        )
        if where < 0:
            where = net.index_of(str(task_id))  # raises the usual error
        bounds[where] = max(
            0, _offset(value, start, calendar, f"start_no_earlier_than[{task_id!r}]")
        )
    cap = (
        None if deadline is None else _offset(deadline, start, calendar, "deadline", 1)
    )
    result = schedule_network(net, bounds, deadline=cap)
    if start is not None:
        result = date_columns(result, start, calendar)
    return result


def schedule_network(
    net: Network,
    lower_bounds: np.ndarray,
    *,
    deadline: float | None = None,
    durations: np.ndarray | None = None,
) -> pd.DataFrame:
    """
    Run both passes on a compiled network; see :func:`critical_path`.

    ``durations`` replaces the network's whole-day durations (PERT means, say); the
    result is then in fractional working days.
    """
    duration = net.duration if durations is None else np.asarray(durations, dtype=float)
    dtype = duration.dtype
    weights = link_weights(net.pred, net.succ, net.link_type, net.lag, duration)
    early_start = forward_pass(net, weights, lower_bounds.astype(dtype).copy())
    early_finish = early_start + duration
    finish = early_finish.max().item() if net.size else 0
    cap = finish if deadline is None else min(finish, deadline)
    late_start = backward_pass(net, weights, cap - duration)
    late_finish = late_start + duration
    total_float = late_start - early_start
    free_float = finish - early_finish
    if net.pred.size:
        slack = early_start[net.succ] - early_start[net.pred] - weights
        np.minimum.at(free_float, net.pred, slack)
    frame = pd.DataFrame(
        {
            "early_start": early_start,
            "early_finish": early_finish,
            "late_start": late_start,
            "late_finish": late_finish,
            "total_float": total_float,
            "free_float": free_float,
            "critical": total_float <= 1e-9,
        },
        index=pd.Index(net.task_ids, name="task_id"),
    )
    frame.attrs["project_finish"] = finish
    if deadline is not None:
        frame.attrs["deadline"] = deadline
    return frame[_RESULT_COLUMNS]


def date_columns(
    schedule: pd.DataFrame,
    start: DateLike,
    calendar: WorkCalendar | None = None,
    *,
    durations: pd.Series | None = None,
) -> pd.DataFrame:
    """
    Add calendar dates to a schedule of working-day offsets.

    A task of ``d > 0`` days runs on working days ``ES .. ES + d - 1``: its start date
    is working day ``ES`` and its finish date working day ``EF - 1``. A milestone's
    date is the day its predecessors finish: working day ``max(ES - 1, 0)``.
    """
    calendar = calendar or WorkCalendar()
    out = schedule.copy()
    d = (
        durations.to_numpy()
        if durations is not None
        else (schedule["early_finish"] - schedule["early_start"]).to_numpy()
    )
    milestone = d == 0
    for prefix in ("early", "late"):
        s = schedule[f"{prefix}_start"].to_numpy()
        f = schedule[f"{prefix}_finish"].to_numpy()
        out[f"{prefix}_start_date"] = calendar.dates(
            start, np.where(milestone, np.maximum(s - 1, 0), s)
        )
        out[f"{prefix}_finish_date"] = calendar.dates(
            start, np.where(milestone, np.maximum(f - 1, 0), f - 1)
        )
    out.attrs = dict(schedule.attrs)
    finish = int(
        schedule.attrs.get("project_finish", int(schedule["early_finish"].max()))
    )
    out.attrs["project_finish_date"] = calendar.dates(
        start, np.array([max(finish - 1, 0)])
    )[0]
    out.attrs["project_start_date"] = calendar.first_working_day(start)
    return out
