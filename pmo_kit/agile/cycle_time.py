"""
Cycle time and lead time of work items, from their status history.

*Cycle time* runs from the first time an item entered a start status ("In
Progress") to the moment it was finally done; *lead time* from its creation (its
first row in the history) to the same moment. Both are what a customer of the
team feels: "how long until what I asked for is finished".
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from pmo_kit._errors import ValidationError
from pmo_kit.agile._common import (
    business_clock,
    item_columns,
    ordered_changes,
    statuses_tuple,
    to_days,
)

if TYPE_CHECKING:
    from collections.abc import Iterable, Sequence

    from pmo_kit.agile._common import DateLike

__all__ = ["cycle_time_percentiles", "cycle_times", "item_flow"]


def item_flow(
    status_changes: pd.DataFrame,
    *,
    start_statuses: str | Iterable[str] = ("In Progress",),
    done_statuses: str | Iterable[str] = ("Done",),
    function: str = "item_flow",
) -> pd.DataFrame:
    """
    One row per item: created, started, done (NaT unless it is done now), reopened.

    ``done`` is the item's *last entry* into a done status (a move from a status
    that is not done into one that is) when its latest status is a done status.
    An item that was reopened and is not done again has ``done`` NaT.
    ``reopened`` is True when the item entered a done status more than once.
    """
    start = statuses_tuple(start_statuses, name="start_statuses")
    done = statuses_tuple(done_statuses, name="done_statuses")
    changes = ordered_changes(status_changes, function=function)
    items = item_columns(status_changes)
    grouped = changes.groupby(items, sort=True)
    flow = grouped.agg(
        created=("timestamp", "first"),
        last_status=("to_status", "last"),
    )
    flow["started"] = (
        changes[changes["to_status"].isin(start)].groupby(items)["timestamp"].min()
    )
    entered_done = changes["to_status"].isin(done) & ~changes["previous"].isin(done)
    done_entries = changes[entered_done].groupby(items)["timestamp"]
    flow["done"] = done_entries.max().where(flow["last_status"].isin(done))
    flow["reopened"] = done_entries.size().reindex(flow.index).fillna(0) > 1
    flow["started"] = pd.to_datetime(flow["started"])
    flow["done"] = pd.to_datetime(flow["done"])
    return flow.reset_index()


def cycle_times(
    status_changes: pd.DataFrame,
    *,
    start_statuses: str | Iterable[str] = ("In Progress",),
    done_statuses: str | Iterable[str] = ("Done",),
    working_days: bool = False,
    holidays: Sequence[DateLike] | None = None,
) -> pd.DataFrame:
    """
    Cycle time and lead time of every finished work item.

    How reopened items are handled: an item counts as finished only when its
    *latest* status is a done status, and it finished at its *last entry* into
    a done status. An item reopened and not done again is left out (it is work in
    progress, see :func:`~pmo_kit.agile.work_item_age`); an item reopened and done
    again keeps its first start, so the rework counts in its cycle time, and has
    ``reopened`` True.

    Parameters
    ----------
    status_changes
        The canonical ``status_changes`` table (``key``, ``timestamp``,
        ``to_status``; with ``project_id`` items are told apart per project). Rows
        are taken in time order; ``from_status`` is not needed.
    start_statuses
        Statuses that mean "work has started"; the clock starts at the first entry
        into any of them. An item that never entered one has no cycle time (NaN)
        but keeps its lead time.
    done_statuses
        Statuses that mean "finished".
    working_days
        Also return ``cycle_time_working_days``: the same span without Saturdays,
        Sundays and ``holidays`` (fractions of a day kept).
    holidays
        Dates that are not working days (only with ``working_days``).

    Returns
    -------
    pandas.DataFrame
        One row per finished item, in order of completion: the item columns,
        ``created`` (its first row in the history), ``started``, ``done``,
        ``cycle_time_days`` and ``lead_time_days`` (calendar days, as floats),
        ``reopened``, and ``cycle_time_working_days`` when asked.

    Examples
    --------
    >>> import pandas as pd
    >>> changes = pd.DataFrame(
    ...     {
    ...         "key": ["A-1", "A-1", "A-1", "A-2", "A-2"],
    ...         "timestamp": pd.to_datetime(
    ...             [
    ...                 "2026-03-02 09:00",
    ...                 "2026-03-04 09:00",
    ...                 "2026-03-06 21:00",
    ...                 "2026-03-02 09:00",
    ...                 "2026-03-03 09:00",
    ...             ]
    ...         ),
    ...         "to_status": ["To Do", "In Progress", "Done", "To Do", "In Progress"],
    ...     }
    ... )
    >>> cycle_times(changes)[["key", "cycle_time_days", "lead_time_days"]]
       key  cycle_time_days  lead_time_days
    0  A-1              2.5             4.5
    """
    flow = item_flow(
        status_changes,
        start_statuses=start_statuses,
        done_statuses=done_statuses,
        function="cycle_times",
    )
    items = item_columns(status_changes)
    finished = flow[flow["done"].notna()].sort_values(["done", *items], kind="stable")
    out = finished[[*items, "created", "started", "done"]].reset_index(drop=True)
    out["cycle_time_days"] = to_days(out["done"] - out["started"])
    out["lead_time_days"] = to_days(out["done"] - out["created"])
    out["reopened"] = finished["reopened"].to_numpy(dtype=bool)
    if working_days:
        out["cycle_time_working_days"] = business_clock(
            out["done"], holidays
        ) - business_clock(out["started"], holidays)
    elif holidays is not None:
        msg = "`holidays` only applies with working_days=True"
        raise ValidationError(msg)
    return out


def cycle_time_percentiles(
    times: pd.DataFrame | pd.Series,
    *,
    shares: Sequence[float] = (0.5, 0.85, 0.95),
    column: str = "cycle_time_days",
) -> pd.Series:
    """
    Cycle time (or lead time) not exceeded by a share of the finished items.

    "P85 = 9.3 days" reads: 85 % of items were finished within 9.3 days of being
    started; a team can quote it as a service level. Percentiles interpolate
    linearly between items, as Excel's ``PERCENTILE.INC`` does; items without a
    value (never started) are left out.

    Parameters
    ----------
    times
        The result of :func:`cycle_times`, or a Series of durations.
    shares
        Shares between 0 and 1 (exclusive); the default gives P50, P85 and P95.
    column
        Which column of a DataFrame to read (``lead_time_days`` for lead times).

    Returns
    -------
    pandas.Series
        Indexed ``P50``, ``P85``, ...; NaN when there are no items.

    Examples
    --------
    >>> import pandas as pd
    >>> cycle_time_percentiles(pd.Series([1.0, 2.0, 3.0, 4.0, 5.0]))
    P50    3.0
    P85    4.4
    P95    4.8
    dtype: float64
    """
    if isinstance(times, pd.DataFrame):
        if column not in times:
            known = ", ".join(map(repr, times.columns))
            msg = f"{column!r} is not a column of the table. Known columns: {known}"
            raise ValidationError(msg)
        values = times[column]
    else:
        values = times
    data = pd.to_numeric(values, errors="coerce").dropna().to_numpy(dtype=float)
    labels = []
    for share in shares:
        if not 0 < share < 1:
            msg = (
                f"{share!r} is an invalid value in `shares`. Valid values: shares "
                "between 0 and 1 (exclusive), e.g. 0.85 for P85"
            )
            raise ValidationError(msg)
        labels.append(f"P{share * 100:g}")
    result = (
        np.quantile(data, list(shares)) if data.size else np.full(len(shares), np.nan)
    )
    return pd.Series(result, index=labels, dtype=float)
