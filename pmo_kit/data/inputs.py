"""
What every function checks on its arguments: dates, and the columns of a table.

One definition for the whole kit, so a date argument accepts the same things
everywhere (:data:`DateLike`) and a wrong one, or a table without the columns a
function needs, is named the same way everywhere::

    'next week' is an invalid value for `as_of`. Allowed: a date (YYYY-MM-DD)
    top_risks needs the column(s) 'impact' of the risks table; the data has ...
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from pmo_kit._errors import ValidationError

if TYPE_CHECKING:
    from collections.abc import Iterable

__all__ = ["DateLike", "require_columns", "to_day", "to_timestamp"]

#: What a date argument accepts: ISO text (``"2026-06-30"``), a date or datetime,
#: a pandas Timestamp or a numpy datetime64.
DateLike = str | dt.date | pd.Timestamp | np.datetime64


def to_timestamp(value: object, name: str) -> pd.Timestamp:
    """
    Return a date argument as a pandas Timestamp (time of day kept).

    Parameters
    ----------
    value
        Anything :data:`DateLike`.
    name
        The argument's name, for the message.

    Raises
    ------
    ValidationError
        ``value`` is not a date (or is missing): the message names the argument.

    Examples
    --------
    >>> to_timestamp("2026-06-30 14:00", "as_of")
    Timestamp('2026-06-30 14:00:00')
    >>> to_timestamp("next week", "as_of")
    Traceback (most recent call last):
    ...
    pmo_kit._errors.ValidationError: 'next week' is an invalid value for `as_of`. \
Allowed: a date (YYYY-MM-DD)
    """
    msg = f"{value!r} is an invalid value for `{name}`. Allowed: a date (YYYY-MM-DD)"
    try:
        stamp = pd.Timestamp(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        raise ValidationError(msg) from None
    if pd.isna(stamp):
        raise ValidationError(msg)
    return stamp


def to_day(value: object, name: str) -> pd.Timestamp:
    """
    Return a date argument as a day: a Timestamp at midnight.

    Examples
    --------
    >>> to_day("2026-06-30 14:00", "as_of")
    Timestamp('2026-06-30 00:00:00')
    """
    return to_timestamp(value, name).normalize()


def require_columns(
    frame: object,
    columns: Iterable[str],
    what: str,
    *,
    table: str | None = None,
    hint: str | None = None,
) -> pd.DataFrame:
    """
    Check that ``frame`` is a DataFrame with ``columns``; return it.

    Parameters
    ----------
    frame
        The table a function was given.
    columns
        The columns it needs.
    what
        Who needs them, for the message (a function name).
    table
        Which canonical table ``frame`` should be (``"risks"``), for the message.
    hint
        What to pass instead, said after the missing columns; default: the columns
        the data has.

    Raises
    ------
    ValidationError
        ``frame`` is not a DataFrame, or lacks columns (all of them are named).

    Examples
    --------
    >>> frame = pd.DataFrame({"risk_id": ["RK-001"], "probability": [3]})
    >>> require_columns(frame, ["risk_id", "impact"], "score", table="risks")
    Traceback (most recent call last):
    ...
    pmo_kit._errors.ValidationError: score needs the column(s) 'impact' of the risks \
table; the data has 'risk_id', 'probability'
    """
    of = f" of the {table} table" if table else ""
    if not isinstance(frame, pd.DataFrame):
        msg = f"{what} needs a pandas DataFrame{of}, not {type(frame).__name__}"
        raise ValidationError(msg)
    missing = [c for c in dict.fromkeys(columns) if c not in frame.columns]
    if missing:
        has = ", ".join(map(repr, frame.columns)) or "no columns"
        msg = (
            f"{what} needs the column(s) {', '.join(map(repr, missing))}{of}; "
            f"{hint or f'the data has {has}'}"
        )
        raise ValidationError(msg)
    return frame
