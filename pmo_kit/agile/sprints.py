"""
Sprint metrics: velocity, burndown and burnup.

Conventions of the canonical tables (``datasets/README.md``): ``committed_points``
is fixed at sprint planning, and an item not finished in its sprint moves to the
next one, so ``work_items.sprint_id`` is the sprint that finished it (or is working
on it). A sprint's completed points are the points of its items resolved by the
end of its last day. Items without points count as zero.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from pmo_kit._errors import ValidationError
from pmo_kit.agile._common import ONE_DAY, as_day, cutoff, require_columns

if TYPE_CHECKING:
    from pmo_kit.agile._common import DateLike

__all__ = ["sprint_burndown", "sprint_burnup", "velocity", "velocity_summary"]

_SPRINT_COLUMNS = ("project_id", "sprint_id", "start", "end", "committed_points")
_ITEM_COLUMNS = ("project_id", "sprint_id", "points", "created", "resolved")


def velocity(
    sprints: pd.DataFrame,
    work_items: pd.DataFrame,
    *,
    as_of: DateLike | None = None,
    last: int = 3,
) -> pd.DataFrame:
    """
    Velocity per sprint: points committed at planning against points completed.

    Parameters
    ----------
    sprints
        The canonical ``sprints`` table.
    work_items
        The canonical ``work_items`` table.
    as_of
        Status date: sprints ending after it are not finished, their completed
        points are counted up to it and they stay out of the averages. Default:
        every sprint is finished.
    last
        How many finished sprints the rolling ``average`` and ``median`` cover
        (the sprint itself and the ones before it, within its project).

    Returns
    -------
    pandas.DataFrame
        One row per sprint, ordered by project and start: ``project_id``,
        ``sprint_id``, ``name`` (when given), ``start``, ``end``, ``committed``,
        ``completed``, ``completion`` (completed / committed), ``finished``,
        ``average`` and ``median`` (NaN for unfinished sprints).

    Examples
    --------
    >>> import pandas as pd
    >>> sprints = pd.DataFrame(
    ...     {
    ...         "project_id": ["P-001", "P-001"],
    ...         "sprint_id": ["S01", "S02"],
    ...         "start": pd.to_datetime(["2026-03-02", "2026-03-16"]),
    ...         "end": pd.to_datetime(["2026-03-13", "2026-03-27"]),
    ...         "committed_points": [20.0, 18.0],
    ...     }
    ... )
    >>> items = pd.DataFrame(
    ...     {
    ...         "project_id": ["P-001"] * 3,
    ...         "sprint_id": ["S01", "S01", "S02"],
    ...         "points": [8.0, 5.0, 13.0],
    ...         "created": pd.to_datetime(["2026-02-27"] * 3),
    ...         "resolved": pd.to_datetime(
    ...             ["2026-03-10 10:00", "2026-03-13 16:00", "2026-03-20 11:00"]
    ...         ),
    ...     }
    ... )
    >>> velocity(sprints, items)[["sprint_id", "committed", "completed", "average"]]
      sprint_id  committed  completed  average
    0       S01       20.0       13.0     13.0
    1       S02       18.0       13.0     13.0
    """
    if last < 1:
        msg = f"{last!r} is an invalid value for `last`. Valid values: 1 or more"
        raise ValidationError(msg)
    require_columns(sprints, _SPRINT_COLUMNS, function="velocity")
    require_columns(work_items, _ITEM_COLUMNS, function="velocity")
    table = sprints.sort_values(["project_id", "start"], kind="stable").reset_index(
        drop=True
    )
    ends = pd.to_datetime(table["end"]) + ONE_DAY
    limit = cutoff(as_of) if as_of is not None else None
    if limit is not None:
        ends = ends.mask(ends > limit, limit)
    done = work_items[["project_id", "sprint_id", "points", "resolved"]].merge(
        table[["project_id", "sprint_id"]].assign(_until=ends),
        on=["project_id", "sprint_id"],
    )
    done = done[pd.to_datetime(done["resolved"]) < done["_until"]]
    completed = done.groupby(["project_id", "sprint_id"])["points"].sum()
    keys = pd.MultiIndex.from_frame(table[["project_id", "sprint_id"]])
    columns = ["project_id", "sprint_id"]
    columns += ["name"] if "name" in table else []
    out = table[[*columns, "start", "end"]].copy()
    out["committed"] = table["committed_points"].astype(float)
    out["completed"] = completed.reindex(keys).fillna(0.0).to_numpy(dtype=float)
    out["completion"] = out["completed"] / out["committed"].where(out["committed"] > 0)
    out["finished"] = (
        True if limit is None else (pd.to_datetime(out["end"]) + ONE_DAY <= limit)
    )
    finished = out["completed"].where(out["finished"])
    rolling = finished.groupby(out["project_id"]).rolling(last, min_periods=1)
    out["average"] = rolling.mean().to_numpy()
    out["median"] = rolling.median().to_numpy()
    out.loc[~out["finished"], ["average", "median"]] = np.nan
    return out


def velocity_summary(velocity_table: pd.DataFrame, *, last: int = 3) -> pd.DataFrame:
    """
    Average and median velocity of each project's last ``last`` finished sprints.

    The average is the usual planning figure; the median resists one odd sprint
    (a holiday, a missed commitment).

    Parameters
    ----------
    velocity_table
        The result of :func:`velocity`.
    last
        How many of the most recent finished sprints to use.

    Returns
    -------
    pandas.DataFrame
        Indexed by ``project_id``: ``sprints`` (how many were used), ``average``,
        ``median``, ``minimum``, ``maximum`` of completed points.
    """
    if last < 1:
        msg = f"{last!r} is an invalid value for `last`. Valid values: 1 or more"
        raise ValidationError(msg)
    require_columns(
        velocity_table,
        ("project_id", "start", "completed", "finished"),
        function="velocity_summary",
    )
    finished = velocity_table[velocity_table["finished"].astype(bool)]
    recent = (
        finished.sort_values("start", kind="stable").groupby("project_id").tail(last)
    )
    grouped = recent.groupby("project_id")["completed"]
    return pd.DataFrame(
        {
            "sprints": grouped.size(),
            "average": grouped.mean(),
            "median": grouped.median(),
            "minimum": grouped.min(),
            "maximum": grouped.max(),
        }
    )


def _sprint_days(
    sprints: pd.DataFrame,
    work_items: pd.DataFrame,
    *,
    sprint_id: str,
    project_id: str | None,
    as_of: DateLike | None,
    working_days: bool,
    function: str,
) -> tuple[pd.DataFrame, float]:
    """Scope and completed points at day 0 (start) and the end of each day."""
    require_columns(sprints, _SPRINT_COLUMNS, function=function)
    require_columns(work_items, _ITEM_COLUMNS, function=function)
    rows = sprints[sprints["sprint_id"] == sprint_id]
    if project_id is not None:
        rows = rows[rows["project_id"] == project_id]
    if len(rows) != 1:
        if rows.empty:
            known = sprints[["project_id", "sprint_id"]].drop_duplicates()
            if project_id is not None:
                known = known[known["project_id"] == project_id]
            shown = ", ".join(f"{p}/{s}" for p, s in known.head(20).to_numpy())
            msg = (
                f"{function}: no sprint {sprint_id!r}"
                + (f" in project {project_id!r}" if project_id else "")
                + f". Known sprints: {shown or 'none'}"
            )
        else:
            projects = ", ".join(map(repr, rows["project_id"]))
            msg = (
                f"{function}: sprint {sprint_id!r} exists in projects {projects}; "
                "pass project_id=... to choose one"
            )
        raise ValidationError(msg)
    sprint = rows.iloc[0]
    first = as_day(sprint["start"], name="start")
    last = as_day(sprint["end"], name="end")
    committed = float(sprint["committed_points"])
    dates = pd.date_range(first, last, freq="B" if working_days else "D")
    if dates.empty:
        dates = pd.DatetimeIndex([first])
    items = work_items[
        (work_items["project_id"] == sprint["project_id"])
        & (work_items["sprint_id"] == sprint_id)
    ]
    points = pd.to_numeric(items["points"], errors="coerce").fillna(0.0).to_numpy()
    created = pd.to_datetime(items["created"]).to_numpy()
    resolved = pd.to_datetime(items["resolved"]).to_numpy()
    added_mask = created >= first.to_datetime64()
    # day 0 is the start of the first day (planning); day k the end of its day
    moments = np.concatenate([[first.to_datetime64()], (dates + ONE_DAY).to_numpy()])
    before = created[None, :] < moments[:, None]
    scope = committed + (before & added_mask[None, :]) @ points
    finished = ~pd.isna(resolved)[None, :] & (resolved[None, :] < moments[:, None])
    completed = finished @ points
    frame = pd.DataFrame(
        {
            "day": np.arange(len(moments)),
            "date": np.concatenate([[first.to_datetime64()], dates.to_numpy()]),
            "scope": scope.astype(float),
            "completed": completed.astype(float),
        }
    )
    if as_of is not None:
        future = moments > cutoff(as_of).to_datetime64()
        frame.loc[future, ["scope", "completed"]] = np.nan
    return frame, committed


def sprint_burndown(
    sprints: pd.DataFrame,
    work_items: pd.DataFrame,
    *,
    sprint_id: str,
    project_id: str | None = None,
    as_of: DateLike | None = None,
    working_days: bool = True,
) -> pd.DataFrame:
    """
    Sprint burndown: points remaining at the end of each day, against the ideal.

    Day 0 is the start of the sprint (planning): remaining = committed points.
    Day k is the end of the sprint's k-th (working) day. The ideal line falls
    evenly from the committed points to zero on the last day. Items of the sprint
    created after it started are scope added on their creation day (the tables
    do not record removed scope).

    Parameters
    ----------
    sprints, work_items
        The canonical tables.
    sprint_id
        The sprint to draw.
    project_id
        Needed when several projects have a sprint with this id.
    as_of
        Status date: days after it are NaN (not happened yet).
    working_days
        One row per working day (Monday to Friday); weekend work shows on the
        next working day. False: one row per calendar day.

    Returns
    -------
    pandas.DataFrame
        ``day``, ``date``, ``remaining``, ``ideal``, ``completed``, ``scope``.

    Examples
    --------
    >>> import pandas as pd
    >>> sprints = pd.DataFrame(
    ...     {
    ...         "project_id": ["P-001"],
    ...         "sprint_id": ["S01"],
    ...         "start": pd.to_datetime(["2026-03-02"]),
    ...         "end": pd.to_datetime(["2026-03-05"]),
    ...         "committed_points": [8.0],
    ...     }
    ... )
    >>> items = pd.DataFrame(
    ...     {
    ...         "project_id": ["P-001", "P-001"],
    ...         "sprint_id": ["S01", "S01"],
    ...         "points": [3.0, 5.0],
    ...         "created": pd.to_datetime(["2026-02-27", "2026-02-27"]),
    ...         "resolved": pd.to_datetime(["2026-03-03 15:00", "2026-03-05 11:00"]),
    ...     }
    ... )
    >>> sprint_burndown(sprints, items, sprint_id="S01")[["day", "remaining", "ideal"]]
       day  remaining  ideal
    0    0        8.0    8.0
    1    1        8.0    6.0
    2    2        5.0    4.0
    3    3        5.0    2.0
    4    4        0.0    0.0
    """
    frame, committed = _sprint_days(
        sprints,
        work_items,
        sprint_id=sprint_id,
        project_id=project_id,
        as_of=as_of,
        working_days=working_days,
        function="sprint_burndown",
    )
    n = len(frame) - 1
    frame["remaining"] = frame["scope"] - frame["completed"]
    frame["ideal"] = committed * (1 - frame["day"] / n)
    return frame[["day", "date", "remaining", "ideal", "completed", "scope"]]


def sprint_burnup(
    sprints: pd.DataFrame,
    work_items: pd.DataFrame,
    *,
    sprint_id: str,
    project_id: str | None = None,
    as_of: DateLike | None = None,
    working_days: bool = True,
) -> pd.DataFrame:
    """
    Sprint burnup: completed points climbing towards the scope line.

    Unlike the burndown, the burnup shows scope changes: when items are added to
    the sprint the ``scope`` line steps up, instead of hiding inside "remaining".
    Days, as-of and scope rules as in :func:`sprint_burndown`; the ideal line
    climbs evenly from zero to the committed points.

    Returns
    -------
    pandas.DataFrame
        ``day``, ``date``, ``scope``, ``completed``, ``ideal``.

    Examples
    --------
    >>> import pandas as pd
    >>> sprints = pd.DataFrame(
    ...     {
    ...         "project_id": ["P-001"],
    ...         "sprint_id": ["S01"],
    ...         "start": pd.to_datetime(["2026-03-02"]),
    ...         "end": pd.to_datetime(["2026-03-03"]),
    ...         "committed_points": [5.0],
    ...     }
    ... )
    >>> items = pd.DataFrame(
    ...     {
    ...         "project_id": ["P-001", "P-001"],
    ...         "sprint_id": ["S01", "S01"],
    ...         "points": [5.0, 2.0],
    ...         "created": pd.to_datetime(["2026-02-27 16:00", "2026-03-03 10:00"]),
    ...         "resolved": pd.to_datetime(["2026-03-02 15:00", pd.NaT]),
    ...     }
    ... )
    >>> sprint_burnup(sprints, items, sprint_id="S01")[["day", "scope", "completed"]]
       day  scope  completed
    0    0    5.0        0.0
    1    1    5.0        5.0
    2    2    7.0        5.0
    """
    frame, committed = _sprint_days(
        sprints,
        work_items,
        sprint_id=sprint_id,
        project_id=project_id,
        as_of=as_of,
        working_days=working_days,
        function="sprint_burnup",
    )
    n = len(frame) - 1
    frame["ideal"] = committed * frame["day"] / n
    return frame[["day", "date", "scope", "completed", "ideal"]]
