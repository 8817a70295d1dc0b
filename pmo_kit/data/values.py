"""One table cell as a plain Python value, as a database or a workbook stores it."""

from __future__ import annotations

import datetime as dt
import math
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pmo_kit.data.schemas import Kind

__all__ = ["python_value"]


def python_value(value: object, kind: Kind | None) -> object:
    """
    Return ``value`` as plain Python for a column of ``kind`` (None when empty).

    Empty cells (None, NaN, ``pd.NA``, ``NaT``) become None; numbers, booleans and
    text become ``int``/``float``/``bool``/``str``; a ``date`` column gives a
    :class:`datetime.date`, a ``datetime`` column a :class:`datetime.datetime`.
    ``kind`` None (a column no schema declares) only unwraps pandas and numpy
    scalars. Values read from a typed DataFrame, a database or a workbook compare
    equal after this.

    Examples
    --------
    >>> (
    ...     python_value(dt.datetime(2026, 3, 1, 9), "date"),
    ...     python_value(float("nan"), "float"),
    ... )
    (datetime.date(2026, 3, 1), None)
    >>> python_value(dt.date(2026, 3, 1), "datetime")
    datetime.datetime(2026, 3, 1, 0, 0)
    """
    if value is None:
        return None
    if isinstance(value, float) and math.isnan(value):
        return None
    if type(value).__name__ in {"NAType", "NaTType"}:
        return None
    if kind == "str":
        return str(value)
    if kind == "int":
        return int(value)  # type: ignore[call-overload]
    if kind == "float":
        return float(value)  # type: ignore[arg-type]
    if kind == "bool":
        return bool(value)
    to_python = getattr(value, "to_pydatetime", None)
    if to_python is not None:
        value = to_python()
    if kind == "date":
        return value.date() if isinstance(value, dt.datetime) else value
    is_day = isinstance(value, dt.date) and not isinstance(value, dt.datetime)
    if kind == "datetime" and is_day:
        return dt.datetime.combine(value, dt.time())  # type: ignore[arg-type]
    if kind is None and hasattr(value, "item"):  # numpy scalars
        return value.item()
    return value
