"""Helpers shared by the report functions: JSON-ready records for ``summary()``."""

from __future__ import annotations

import datetime as dt
import math
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from pmo_kit.vocabulary import plural

if TYPE_CHECKING:
    from collections.abc import Iterable

__all__ = ["json_records", "json_value", "plural", "table_view"]


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


def table_view(
    frame: pd.DataFrame, columns: Iterable[str], *, date_format: str = "%d %b %Y"
) -> pd.DataFrame:
    """
    Return the columns a report shows of a table, in order, dates as text.

    Examples
    --------
    >>> frame = pd.DataFrame({"id": ["A"], "due": [pd.Timestamp("2026-06-01")]})
    >>> table_view(frame, ["due", "id"]).to_dict("records")
    [{'due': '01 Jun 2026', 'id': 'A'}]
    """
    view = frame[list(columns)].copy()
    for column in view.columns:
        if pd.api.types.is_datetime64_any_dtype(view[column]):
            view[column] = view[column].dt.strftime(date_format)
    return view
