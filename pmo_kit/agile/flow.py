"""
Flow metrics from a status history: cumulative flow, WIP, throughput, age, Little's law.

Every daily figure is read at the *end* of the day: an item that moved to "Done" at
15:42 on 3 March counts as done on 3 March. A date given as ``as_of``, ``start``
or ``end`` means the whole day.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

import pandas as pd

from pmo_kit._errors import ValidationError
from pmo_kit.agile._common import (
    ONE_DAY,
    as_day,
    cutoff,
    item_columns,
    ordered_changes,
    statuses_tuple,
    to_days,
)
from pmo_kit.agile.cycle_time import item_flow
from pmo_kit.data.schemas import WORK_ITEM_STATUSES

if TYPE_CHECKING:
    from collections.abc import Iterable

    from pmo_kit.agile._common import DateLike

__all__ = [
    "LittlesLaw",
    "cumulative_flow",
    "littles_law",
    "throughput",
    "work_in_progress",
    "work_item_age",
]

_WIP = ("In Progress", "In Review")


def _daily_counts(
    changes: pd.DataFrame, start: DateLike | None, end: DateLike | None
) -> pd.DataFrame:
    """Items in each status at the end of every day from ``start`` to ``end``."""
    days = changes["timestamp"].dt.normalize()
    first = as_day(start, name="start") if start is not None else days.min()
    last = as_day(end, name="end") if end is not None else days.max()
    if last < first:
        msg = f"end ({last:%Y-%m-%d}) is before start ({first:%Y-%m-%d})"
        raise ValidationError(msg)
    index = pd.date_range(first, last, freq="D", name="date")
    # +1 for the status entered, -1 for the status left; earlier moves pile up on
    # the first day, later ones are not seen.
    entered = pd.DataFrame({"date": days, "status": changes["to_status"], "n": 1})
    left = pd.DataFrame({"date": days, "status": changes["previous"], "n": -1})
    moves = pd.concat([entered, left.dropna(subset=["status"])], ignore_index=True)
    moves = moves[moves["date"] <= last]
    moves["date"] = moves["date"].mask(moves["date"] < first, first)
    net = moves.pivot_table(
        index="date", columns="status", values="n", aggfunc="sum", fill_value=0
    )
    counts = net.reindex(index, fill_value=0).cumsum().astype("int64")
    counts.columns.name = "status"
    return counts


def cumulative_flow(
    status_changes: pd.DataFrame,
    *,
    statuses: Iterable[str] = WORK_ITEM_STATUSES,
    start: DateLike | None = None,
    end: DateLike | None = None,
) -> pd.DataFrame:
    """
    Cumulative flow: how many items sit in each status at the end of every day.

    Stacked, the columns draw the cumulative flow diagram: the vertical distance
    between two bands is the work queued there, the horizontal distance roughly
    the time items take to cross it. Widening bands mean work piles up.

    Parameters
    ----------
    status_changes
        The canonical ``status_changes`` table (``key``, ``timestamp``,
        ``to_status``); rows are taken in time order within each item.
    statuses
        Every status in workflow order; the columns come out in this order.
    start, end
        First and last day; default the days of the first and last change.

    Returns
    -------
    pandas.DataFrame
        Indexed by ``date`` (every calendar day), one integer column per status.

    Examples
    --------
    >>> import pandas as pd
    >>> changes = pd.DataFrame(
    ...     {
    ...         "key": ["A-1", "A-1", "A-2"],
    ...         "timestamp": pd.to_datetime(
    ...             ["2026-03-02 09:00", "2026-03-03 10:00", "2026-03-03 11:00"]
    ...         ),
    ...         "to_status": ["To Do", "In Progress", "To Do"],
    ...     }
    ... )
    >>> cumulative_flow(changes)
    status      To Do  In Progress  In Review  Done
    date
    2026-03-02      1            0          0     0
    2026-03-03      1            1          0     0
    """
    order = statuses_tuple(statuses, name="statuses")
    changes = ordered_changes(status_changes, function="cumulative_flow")
    unknown = sorted(set(changes["to_status"].dropna()) - set(order))
    if unknown:
        msg = (
            f"cumulative_flow: the history has the status(es) "
            f"{', '.join(map(repr, unknown))}, not in `statuses` "
            f"({', '.join(map(repr, order))}). Pass every status of the history, "
            "in workflow order, as `statuses`"
        )
        raise ValidationError(msg)
    if changes.empty:
        return pd.DataFrame(columns=list(order), dtype="int64")
    counts = _daily_counts(changes, start, end)
    return counts.reindex(columns=list(order), fill_value=0)


def work_in_progress(
    status_changes: pd.DataFrame,
    *,
    wip_statuses: str | Iterable[str] = _WIP,
    start: DateLike | None = None,
    end: DateLike | None = None,
) -> pd.Series:
    """
    Work in progress (WIP) at the end of every day: items in a WIP status.

    Examples
    --------
    >>> import pandas as pd
    >>> changes = pd.DataFrame(
    ...     {
    ...         "key": ["A-1", "A-1", "A-1"],
    ...         "timestamp": pd.to_datetime(
    ...             ["2026-03-02 09:00", "2026-03-03 10:00", "2026-03-05 10:00"]
    ...         ),
    ...         "to_status": ["To Do", "In Progress", "Done"],
    ...     }
    ... )
    >>> work_in_progress(changes).tolist()
    [0, 1, 1, 0]
    """
    wip = statuses_tuple(wip_statuses, name="wip_statuses")
    changes = ordered_changes(status_changes, function="work_in_progress")
    if changes.empty:
        return pd.Series(dtype="int64", name="wip")
    counts = _daily_counts(changes, start, end)
    present = [s for s in wip if s in counts.columns]
    result = counts[present].sum(axis=1).astype("int64")
    result.name = "wip"
    return result


def throughput(
    status_changes: pd.DataFrame,
    *,
    done_statuses: str | Iterable[str] = ("Done",),
    freq: Literal["D", "W"] = "D",
    start: DateLike | None = None,
    end: DateLike | None = None,
) -> pd.Series:
    """
    Throughput: items finished per day (or per week), zero periods included.

    An item is counted once, on the day of its last entry into a done status, and
    only if it is done now (see :func:`~pmo_kit.agile.cycle_times` for reopened
    items). This daily series is what the Monte Carlo forecasts sample from.

    Parameters
    ----------
    status_changes
        The canonical ``status_changes`` table.
    done_statuses
        Statuses that mean "finished".
    freq
        ``"D"`` for calendar days, ``"W"`` for weeks starting on Monday (labelled
        by their Monday; the first and last week may be partial).
    start, end
        First and last day counted; default the day of the first completion and
        the day of the last change in the history (the data's cut-off).

    Returns
    -------
    pandas.Series
        Integer counts named ``throughput``, indexed by ``date``.

    Examples
    --------
    >>> import pandas as pd
    >>> changes = pd.DataFrame(
    ...     {
    ...         "key": ["A-1", "A-2", "A-3"],
    ...         "timestamp": pd.to_datetime(
    ...             ["2026-03-02 09:00", "2026-03-04 10:00", "2026-03-04 11:00"]
    ...         ),
    ...         "to_status": ["Done", "Done", "Done"],
    ...     }
    ... )
    >>> throughput(changes).tolist()
    [1, 0, 2]
    """
    if freq not in {"D", "W"}:
        msg = f"{freq!r} is an invalid value for `freq`. Valid values: 'D', 'W'"
        raise ValidationError(msg)
    flow = item_flow(
        status_changes,
        start_statuses=done_statuses,
        done_statuses=done_statuses,
        function="throughput",
    )
    done_days = flow["done"].dropna().dt.normalize()
    changes_end = pd.to_datetime(status_changes["timestamp"]).max()
    if done_days.empty and start is None:
        return pd.Series(
            dtype="int64", name="throughput", index=pd.DatetimeIndex([], name="date")
        )
    first = as_day(start, name="start") if start is not None else done_days.min()
    if end is not None:
        last = as_day(end, name="end")
    else:
        last = first if pd.isna(changes_end) else changes_end.normalize()
    index = pd.date_range(first, max(first, last), freq="D", name="date")
    counts = done_days.value_counts().reindex(index, fill_value=0).astype("int64")
    if freq == "W":
        monday = counts.index - pd.to_timedelta(counts.index.day_of_week, unit="D")
        counts = counts.groupby(monday).sum()
        counts.index.name = "date"
    counts.name = "throughput"
    result: pd.Series = counts
    return result


def work_item_age(
    status_changes: pd.DataFrame,
    *,
    as_of: DateLike,
    wip_statuses: str | Iterable[str] = _WIP,
) -> pd.DataFrame:
    """
    Age of every item in progress at ``as_of``: time since it first entered WIP.

    Compare each age with the cycle-time percentiles: an item older than the P85
    cycle time is already slower than 85 % of finished items and needs attention.

    Parameters
    ----------
    status_changes
        The canonical ``status_changes`` table.
    as_of
        The date (its end) or the moment at which items are looked at.
    wip_statuses
        Statuses that count as work in progress; the age runs from the first
        entry into any of them.

    Returns
    -------
    pandas.DataFrame
        The item columns, ``status`` (at ``as_of``), ``started`` and ``age_days``
        (calendar days, float), oldest first.

    Examples
    --------
    >>> import pandas as pd
    >>> changes = pd.DataFrame(
    ...     {
    ...         "key": ["A-1", "A-1", "A-2"],
    ...         "timestamp": pd.to_datetime(
    ...             ["2026-03-02 09:00", "2026-03-03 12:00", "2026-03-02 09:00"]
    ...         ),
    ...         "to_status": ["To Do", "In Progress", "To Do"],
    ...     }
    ... )
    >>> work_item_age(changes, as_of="2026-03-05")[["key", "age_days"]]
       key  age_days
    0  A-1       2.5
    """
    wip = statuses_tuple(wip_statuses, name="wip_statuses")
    moment = cutoff(as_of)
    changes = ordered_changes(status_changes, function="work_item_age")
    changes = changes[changes["timestamp"] < moment]
    items = item_columns(status_changes)
    grouped = changes.groupby(items, sort=True)
    state = grouped.agg(status=("to_status", "last"))
    state["started"] = (
        changes[changes["to_status"].isin(wip)].groupby(items)["timestamp"].min()
    )
    state = state[state["status"].isin(wip)].reset_index()
    state["started"] = pd.to_datetime(state["started"])
    state["age_days"] = to_days(moment - state["started"])
    return state.sort_values(
        ["age_days", *items], ascending=[False] + [True] * len(items), kind="stable"
    ).reset_index(drop=True)


@dataclass(frozen=True, slots=True)
class LittlesLaw:
    """
    Little's law over a window: average WIP = throughput x average cycle time.

    ``average_wip`` is measured (the mean of the end-of-day WIP counts);
    ``expected_wip`` is ``throughput_per_day * average_cycle_time_days``. A
    ``ratio`` (measured / expected) near 1 means the flow is stable and the
    measures agree; well above 1, work is piling up (WIP grows, or items in
    progress are older than the finished ones); well below 1, WIP is shrinking.
    """

    start: pd.Timestamp
    end: pd.Timestamp
    days: int
    completed: int
    average_wip: float
    throughput_per_day: float
    average_cycle_time_days: float
    expected_wip: float
    ratio: float


def littles_law(
    status_changes: pd.DataFrame,
    *,
    start: DateLike,
    end: DateLike,
    wip_statuses: str | Iterable[str] = _WIP,
    start_statuses: str | Iterable[str] = ("In Progress",),
    done_statuses: str | Iterable[str] = ("Done",),
) -> LittlesLaw:
    """
    Check Little's law on a window of days: report both sides and their ratio.

    Throughput counts items finished in the window (per calendar day); the average
    cycle time is over those same items; average WIP is the mean end-of-day WIP
    of the window's days. Choose ``wip_statuses`` to match the span cycle time
    measures (from ``start_statuses`` up to, not including, ``done_statuses``).

    Examples
    --------
    >>> import pandas as pd
    >>> changes = pd.DataFrame(
    ...     {
    ...         "key": ["A-1", "A-1", "A-2", "A-2"],
    ...         "timestamp": pd.to_datetime(
    ...             [
    ...                 "2026-03-02 09:00",
    ...                 "2026-03-04 09:00",
    ...                 "2026-03-03 09:00",
    ...                 "2026-03-05 09:00",
    ...             ]
    ...         ),
    ...         "to_status": ["In Progress", "Done", "In Progress", "Done"],
    ...     }
    ... )
    >>> check = littles_law(changes, start="2026-03-02", end="2026-03-05")
    >>> check.average_wip, check.throughput_per_day, check.average_cycle_time_days
    (1.0, 0.5, 2.0)
    >>> check.ratio
    1.0
    """
    first, last = as_day(start, name="start"), as_day(end, name="end")
    if last < first:
        msg = f"end ({last:%Y-%m-%d}) is before start ({first:%Y-%m-%d})"
        raise ValidationError(msg)
    days = int((last - first) / ONE_DAY) + 1
    flow = item_flow(
        status_changes,
        start_statuses=start_statuses,
        done_statuses=done_statuses,
        function="littles_law",
    )
    finished = flow[(flow["done"] >= first) & (flow["done"] < last + ONE_DAY)]
    cycle = to_days(finished["done"] - finished["started"]).dropna()
    wip = work_in_progress(
        status_changes, wip_statuses=wip_statuses, start=first, end=last
    )
    rate = len(finished) / days
    average_cycle = float(cycle.mean()) if len(cycle) else float("nan")
    expected = rate * average_cycle
    average_wip = float(wip.mean()) if len(wip) else 0.0
    ratio = average_wip / expected if expected > 0 else float("nan")
    return LittlesLaw(
        start=first,
        end=last,
        days=days,
        completed=len(finished),
        average_wip=average_wip,
        throughput_per_day=rate,
        average_cycle_time_days=average_cycle,
        expected_wip=expected,
        ratio=ratio,
    )
