"""Helpers shared by the report functions: JSON-ready records for ``summary()``."""

from __future__ import annotations

import datetime as dt
import math
from typing import Any

import numpy as np
import pandas as pd

__all__ = ["json_records", "json_value", "plural"]


def json_value(value: Any) -> Any:
    """
    Turn one pandas/numpy cell into a JSON-ready value.

    Dates become ISO text (a midnight timestamp becomes a date), NaN and NaT become
    ``None``, numpy numbers become Python numbers.

    Examples
    --------
    >>> json_value(pd.Timestamp("2026-05-29"))
    '2026-05-29'
    >>> json_value(pd.Timestamp("2026-05-29 14:30"))
    '2026-05-29T14:30:00'
    >>> json_value(np.float64("nan")) is None
    True
    >>> json_value(np.int64(3)), json_value("R-002")
    (3, 'R-002')
    """
    if value is None or value is pd.NaT:
        return None
    if isinstance(value, pd.Timestamp | dt.datetime):
        stamp = pd.Timestamp(value)
        if stamp == stamp.normalize():
            return stamp.date().isoformat()
        return stamp.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, np.bool_ | bool):
        return bool(value)
    if isinstance(value, np.integer):
        return int(value)
    if isinstance(value, float | np.floating):
        number = float(value)
        return number if math.isfinite(number) else None
    if isinstance(value, list | tuple):
        return [json_value(v) for v in value]
    try:
        if pd.isna(value):
            return None
    except (TypeError, ValueError):
        pass
    return value


def json_records(
    frame: pd.DataFrame, columns: list[str] | None = None
) -> list[dict[str, Any]]:
    """
    Return a table as a list of JSON-ready records (see :func:`json_value`).

    Examples
    --------
    >>> frame = pd.DataFrame(
    ...     {"id": ["A"], "due": [pd.Timestamp("2026-06-01")], "spi": [float("nan")]}
    ... )
    >>> json_records(frame)
    [{'id': 'A', 'due': '2026-06-01', 'spi': None}]
    >>> json_records(frame, ["id"])
    [{'id': 'A'}]
    """
    if columns is not None:
        frame = frame[columns]
    return [
        {str(key): json_value(value) for key, value in row.items()}
        for row in frame.to_dict("records")
    ]


def plural(count: int, word: str, many: str | None = None) -> str:
    """
    Return ``count`` and ``word``, in the plural unless the count is one.

    Examples
    --------
    >>> plural(1, "person", "people"), plural(28, "person", "people")
    ('1 person', '28 people')
    >>> plural(1, "role"), plural(0, "role"), plural(2, "week")
    ('1 role', '0 roles', '2 weeks')
    """
    return f"{count:,} {word if count == 1 else (many or word + 's')}"
