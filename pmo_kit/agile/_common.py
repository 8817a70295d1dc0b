"""Helpers shared by the agile metrics: dates, column checks, ordered histories."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from pmo_kit._errors import ValidationError
from pmo_kit.data import inputs
from pmo_kit.data.inputs import DateLike

if TYPE_CHECKING:
    from collections.abc import Iterable, Sequence

    import numpy.typing as npt

__all__ = [
    "ONE_DAY",
    "DateLike",
    "as_day",
    "business_clock",
    "cutoff",
    "item_columns",
    "ordered_changes",
    "require_columns",
    "statuses_tuple",
    "to_days",
]

ONE_DAY = pd.Timedelta(days=1)


def require_columns(
    frame: pd.DataFrame, columns: Iterable[str], *, function: str
) -> None:
    """Raise a ValidationError naming the columns ``function`` needs and lacks."""
    inputs.require_columns(frame, columns, function)


def as_day(value: DateLike, *, name: str) -> pd.Timestamp:
    """Return ``value`` as a Timestamp at midnight, or a ValidationError naming it."""
    return inputs.to_day(value, name)


def to_days(delta: pd.Series) -> pd.Series:
    """Durations as float days (NaN where a duration is missing)."""
    days: pd.Series = pd.to_timedelta(delta).dt.total_seconds() / 86_400.0
    return days


def cutoff(value: DateLike, *, name: str = "as_of") -> pd.Timestamp:
    """
    Return the instant that ``value`` stands for: a date means the end of that day.

    ``"2026-06-30"`` (or a timestamp at midnight) becomes 2026-07-01 00:00, so
    everything that happened on the 30th counts; a timestamp with a time of day is
    used as it is.
    """
    stamp = inputs.to_timestamp(value, name)
    if stamp.tzinfo is not None:
        stamp = stamp.tz_localize(None)
    return stamp + ONE_DAY if stamp == stamp.normalize() else stamp


def statuses_tuple(value: str | Iterable[str], *, name: str) -> tuple[str, ...]:
    """Accept one status or several; refuse an empty selection."""
    result = (value,) if isinstance(value, str) else tuple(value)
    if not result:
        msg = f"`{name}` is empty. Valid values: one or more statuses, e.g. ('Done',)"
        raise ValidationError(msg)
    return result


def item_columns(status_changes: pd.DataFrame) -> list[str]:
    """Columns that identify a work item: ``project_id`` (when present) and ``key``."""
    return ["project_id", "key"] if "project_id" in status_changes else ["key"]


def ordered_changes(status_changes: pd.DataFrame, *, function: str) -> pd.DataFrame:
    """
    Return the history sorted by item then time (stable), with the previous status.

    The result has the item columns, ``timestamp``, ``to_status`` and ``previous``
    (the status the item left; empty on its first row). ``from_status`` is not read:
    the order of the rows is the truth.
    """
    require_columns(
        status_changes, ["key", "timestamp", "to_status"], function=function
    )
    items = item_columns(status_changes)
    frame = status_changes[[*items, "timestamp", "to_status"]].copy()
    frame["timestamp"] = pd.to_datetime(frame["timestamp"])
    if frame["timestamp"].isna().any():
        row = int(np.flatnonzero(frame["timestamp"].isna().to_numpy())[0])
        msg = (
            f"{function}: status change {row} (key {frame['key'].iloc[row]!r}) has no "
            "timestamp. Allowed: a date and time on every row"
        )
        raise ValidationError(msg)
    frame = frame.sort_values([*items, "timestamp"], kind="stable").reset_index(
        drop=True
    )
    frame["previous"] = frame.groupby(items, sort=False)["to_status"].shift()
    return frame


def business_clock(
    stamps: pd.Series, holidays: Sequence[DateLike] | None = None
) -> npt.NDArray[np.float64]:
    """
    Working days elapsed since 1970-01-01 at each timestamp (NaN for NaT).

    Weekends and ``holidays`` do not advance the clock, so the difference of two
    readings is the working time between them, in days (a working day = 24 h).
    """
    values = pd.to_datetime(stamps)
    missing = values.isna().to_numpy()
    filled = values.fillna(pd.Timestamp("1970-01-01"))
    days = filled.dt.normalize().to_numpy().astype("datetime64[D]")
    fraction = ((filled - filled.dt.normalize()) / ONE_DAY).to_numpy(dtype=float)
    holiday_days = (
        np.array([], dtype="datetime64[D]")
        if holidays is None
        else np.array(
            [as_day(h, name="holidays").to_datetime64() for h in holidays],
            dtype="datetime64[D]",
        )
    )
    epoch = np.datetime64("1970-01-01", "D")
    whole = np.busday_count(epoch, days, holidays=holiday_days).astype(float)
    working = np.is_busday(days, holidays=holiday_days)
    clock = whole + np.where(working, fraction, 0.0)
    clock[missing] = np.nan
    return clock
