"""Working calendars: turn working-day offsets into dates and back."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from pmo_kit._errors import ValidationError
from pmo_kit.data.inputs import DateLike, to_day

if TYPE_CHECKING:
    from collections.abc import Iterable

__all__ = ["DateLike", "WorkCalendar", "working_day_offset"]


def _day(value: DateLike, what: str) -> np.datetime64:
    return np.datetime64(to_day(value, what).date(), "D")


@dataclass(frozen=True)
class WorkCalendar:
    """
    Working days: a weekly pattern (Monday to Friday by default) minus holidays.

    Offsets count working days from the project start: offset 0 is the first working
    day on or after the start date.

    Examples
    --------
    >>> cal = WorkCalendar(holidays=["2026-12-25"])
    >>> cal.add_working_days("2026-12-24", 1).date()  # Christmas Day is skipped
    datetime.date(2026, 12, 28)
    >>> cal.working_days_between("2026-12-21", "2026-12-28")
    4
    """

    holidays: tuple[DateLike, ...] = ()
    weekmask: str = "Mon Tue Wed Thu Fri"
    _busday: np.busdaycalendar = field(init=False, repr=False, compare=False)

    def __init__(
        self, holidays: Iterable[DateLike] = (), weekmask: str = "Mon Tue Wed Thu Fri"
    ) -> None:
        days = tuple(_day(h, "holidays") for h in holidays)
        try:
            busday = np.busdaycalendar(weekmask=weekmask, holidays=list(days))
        except ValueError:
            msg = (
                f"{weekmask!r} is an invalid value for `weekmask`. Valid values: day "
                "names such as 'Mon Tue Wed Thu Fri' or a 7-character mask '1111100'"
            )
            raise ValidationError(msg) from None
        if not busday.weekmask.any():
            msg = "`weekmask` has no working day. Allowed: at least one working day"
            raise ValidationError(msg)
        object.__setattr__(self, "holidays", days)
        object.__setattr__(self, "weekmask", weekmask)
        object.__setattr__(self, "_busday", busday)

    def first_working_day(self, start: DateLike) -> pd.Timestamp:
        """Return ``start`` if it is a working day, else the next working day."""
        day = np.busday_offset(
            _day(start, "start"), 0, roll="forward", busdaycal=self._busday
        )
        return pd.Timestamp(day)

    def add_working_days(self, start: DateLike, days: int) -> pd.Timestamp:
        """Return the day ``days`` working days after ``start`` (rolled forward)."""
        day = np.busday_offset(
            _day(start, "start"), int(days), roll="forward", busdaycal=self._busday
        )
        return pd.Timestamp(day)

    def working_days_between(self, start: DateLike, end: DateLike) -> int:
        """Count working days from ``start`` (included) to ``end`` (excluded)."""
        return int(
            np.busday_count(
                _day(start, "start"), _day(end, "end"), busdaycal=self._busday
            )
        )

    def offset_of(self, start: DateLike, day: DateLike) -> int:
        """
        Return the working-day offset of ``day`` from the project start.

        A non-working ``day`` counts as the next working day.
        """
        first = self.first_working_day(start)
        rolled = self.first_working_day(day)
        return self.working_days_between(first, rolled)

    def dates(self, start: DateLike, offsets: np.ndarray) -> pd.DatetimeIndex:
        """Dates of many working-day offsets at once (vectorised)."""
        first = np.datetime64(self.first_working_day(start).date(), "D")
        days = np.busday_offset(
            first,
            np.asarray(offsets, dtype="int64"),
            roll="forward",
            busdaycal=self._busday,
        )
        return pd.DatetimeIndex(days.astype("datetime64[ns]"))


def working_day_offset(
    value: int | DateLike,
    start: DateLike | None,
    calendar: WorkCalendar,
    what: str,
    shift: int = 0,
) -> int:
    """
    Return the working-day offset of an int or a date (``shift`` 1: a finish).

    An int is an offset already; a date is counted from ``start`` on ``calendar``.
    ``what`` names the argument in messages.
    """
    if isinstance(value, bool):
        msg = f"`{what}` is {value!r}. Allowed: a working-day offset (int) or a date"
        raise ValidationError(msg)
    if isinstance(value, int | np.integer):
        return int(value)
    if start is None:
        msg = (
            f"`{what}` is the date {value!r} but no project `start` was given. "
            "Allowed: a working-day offset (int), or a date together with `start`"
        )
        raise ValidationError(msg)
    return calendar.offset_of(start, value) + shift
