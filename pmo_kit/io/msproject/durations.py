"""
MSPDI durations and lags: ISO 8601 ``PT8H0M0S`` values, format codes, ``LinkLag``.

MS Project writes a duration as working time (``PT16H0M0S`` = two 8-hour days) and
says in a separate *format code* which unit the user typed (days, weeks, elapsed
days, percent...). A link's ``LinkLag`` is in tenths of minutes; its ``LagFormat``
is such a code. The kit keeps whole working days, so every conversion here returns
the exact number of days (a float) and the caller decides what to warn about.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

__all__ = [
    "DURATION_UNITS",
    "DurationUnit",
    "duration_unit",
    "iso_minutes",
    "lag_days",
]

_ISO = re.compile(
    r"(?P<sign>-)?P(?:(?P<y>\d+(?:\.\d+)?)Y)?(?:(?P<mo>\d+(?:\.\d+)?)M)?"
    r"(?:(?P<d>\d+(?:\.\d+)?)D)?"
    r"(?:T(?:(?P<h>\d+(?:\.\d+)?)H)?(?:(?P<mi>\d+(?:\.\d+)?)M)?"
    r"(?:(?P<s>\d+(?:\.\d+)?)S)?)?"
)


@dataclass(frozen=True, slots=True)
class DurationUnit:
    """What an MSPDI duration format code means."""

    code: int
    word: str
    elapsed: bool
    percent: bool = False


_BASE_UNITS: dict[int, tuple[str, bool, bool]] = {
    3: ("minutes", False, False),
    4: ("elapsed minutes", True, False),
    5: ("hours", False, False),
    6: ("elapsed hours", True, False),
    7: ("days", False, False),
    8: ("elapsed days", True, False),
    9: ("weeks", False, False),
    10: ("elapsed weeks", True, False),
    11: ("months", False, False),
    12: ("elapsed months", True, False),
    19: ("percent", False, True),
    20: ("elapsed percent", True, True),
    21: ("null", False, False),
}

#: Every MSPDI format code: the base codes and their "estimated" twins (+32).
DURATION_UNITS: dict[int, DurationUnit] = {}
for _code, (_word, _elapsed, _percent) in _BASE_UNITS.items():
    DURATION_UNITS[_code] = DurationUnit(_code, _word, _elapsed, _percent)
    DURATION_UNITS[_code + 32] = DurationUnit(
        _code + 32, f"{_word} (estimated)", _elapsed, _percent
    )


def duration_unit(code: str | None) -> DurationUnit:
    """
    Return the unit of an MSPDI format code; an empty code means days.

    Examples
    --------
    >>> duration_unit("9").word, duration_unit("40").elapsed
    ('weeks', True)
    """
    if code is None or not code.strip():
        return DURATION_UNITS[7]
    try:
        number = int(code)
    except ValueError:
        number = -1
    unit = DURATION_UNITS.get(number)
    if unit is None:
        msg = (
            f"{code!r} is not an MS Project duration format code. Allowed: "
            + ", ".join(str(c) for c in sorted(DURATION_UNITS))
        )
        raise ValueError(msg)
    return unit


def iso_minutes(text: str) -> float:
    """
    Return the minutes of an ISO 8601 duration as MS Project writes it.

    Days, months and years (rare in MSPDI) count as 24 hours, 30 days and
    365 days of elapsed time; MS Project itself writes hours, minutes, seconds.

    Examples
    --------
    >>> iso_minutes("PT8H0M0S"), iso_minutes("PT57H8M24S"), iso_minutes("-PT4H")
    (480.0, 3428.4, -240.0)
    """
    match = _ISO.fullmatch(text.strip())
    if match is None or text.strip() in {"P", "PT", "-P", "-PT"}:
        msg = f"{text!r} is not an ISO 8601 duration. Allowed: e.g. 'PT8H0M0S'"
        raise ValueError(msg)
    parts = {
        k: float(v) if v else 0.0 for k, v in match.groupdict().items() if k != "sign"
    }
    minutes = (
        parts["y"] * 365 * 1440
        + parts["mo"] * 30 * 1440
        + parts["d"] * 1440
        + parts["h"] * 60
        + parts["mi"]
        + parts["s"] / 60
    )
    return -minutes if match.group("sign") else minutes


def lag_days(
    link_lag: float,
    unit: DurationUnit,
    minutes_per_day: float,
    *,
    predecessor_days: float = 0.0,
    working_days_per_week: int = 5,
) -> float:
    """
    Return a link lag in working days (exact, possibly fractional).

    Parameters
    ----------
    link_lag
        ``LinkLag`` as written: tenths of minutes (of working time, or of elapsed
        time for an elapsed format); for a percent format, tenths of a percent of
        the predecessor's duration.
    unit
        The link's ``LagFormat``.
    minutes_per_day
        The project's ``MinutesPerDay`` (480 for 8-hour days).
    predecessor_days
        Duration of the predecessor in working days (percent lags only).
    working_days_per_week
        Working days in the project calendar's week (elapsed lags only: an elapsed
        day is 1/7 of a week, of which this many days are worked).

    Examples
    --------
    >>> from pmo_kit.io.msproject.durations import DURATION_UNITS as U
    >>> lag_days(4800, U[7], 480), lag_days(24000, U[9], 480)
    (1.0, 5.0)
    >>> lag_days(14 * 14400, U[8], 480)
    10.0
    """
    if unit.percent:
        return link_lag / 10 / 100 * predecessor_days
    minutes = link_lag / 10
    if unit.elapsed:
        return minutes / 1440 * working_days_per_week / 7
    return minutes / minutes_per_day
