"""Shared helpers of the EVM modules: numbers, Series and arrays as float arrays."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from pmo_kit._errors import ValidationError

if TYPE_CHECKING:
    import numpy.typing as npt

__all__ = [
    "FloatArray",
    "Values",
    "as_arrays",
    "check_non_negative",
    "div",
    "where_label",
]

#: What the vectorised functions accept for one input: a number, or one value per row.
Values = float | int | pd.Series | np.ndarray | list[float]

FloatArray = np.ndarray[tuple[int], np.dtype[np.float64]]


def div(numerator: FloatArray, denominator: FloatArray) -> FloatArray:
    """
    Element-wise ratio; a zero or NaN denominator gives NaN.

    So does a ratio too large to represent (an EV of 1e-308 would give an EAC
    beyond float range): NaN means "not measurable", never infinity.
    """
    with np.errstate(all="ignore"):
        ratio = numerator / denominator
    out: FloatArray = np.where(
        (denominator == 0) | ~np.isfinite(ratio), np.nan, ratio
    ).astype(np.float64)
    return out


def finite_or_nan(values: FloatArray) -> FloatArray:
    """Replace infinities (overflow) by NaN."""
    out: FloatArray = np.where(np.isinf(values), np.nan, values)
    return out


def _is_scalar(value: object) -> bool:
    return isinstance(value, int | float | np.number) and not isinstance(value, bool)


def as_arrays(
    named: dict[str, Values | None],
) -> tuple[dict[str, FloatArray], pd.Index | None]:
    """
    Turn numbers, Series and arrays into equally long float arrays.

    Returns the arrays and the index of the result: ``None`` when every input was
    a number (scalar mode).
    """
    index: pd.Index | None = None
    index_from = ""
    length: int | None = None
    length_from = ""
    values: dict[str, npt.NDArray[np.float64] | float] = {}
    for name, value in named.items():
        if value is None:
            values[name] = float("nan")
            continue
        if _is_scalar(value):
            values[name] = float(value)  # type: ignore[arg-type]
            continue
        if isinstance(value, pd.Series):
            if index is None:
                index, index_from = value.index, name
            elif not value.index.equals(index):
                msg = (
                    f"`{name}` and `{index_from}` are Series with different indexes. "
                    "Allowed: Series with the same index (take them from one table), "
                    "or numbers"
                )
                raise ValidationError(msg)
        try:
            array = np.asarray(value, dtype=np.float64)
        except (TypeError, ValueError) as exc:
            msg = (
                f"{value!r} is an invalid value for `{name}`. Allowed: a number, "
                "or a pandas Series / numpy array of numbers"
            )
            raise ValidationError(msg) from exc
        if array.ndim != 1:
            msg = (
                f"`{name}` has shape {array.shape}. Allowed: a number or a "
                "one-dimensional Series or array"
            )
            raise ValidationError(msg)
        if length is None:
            length, length_from = len(array), name
        elif len(array) != length:
            msg = (
                f"`{name}` has {len(array)} values but `{length_from}` has {length}. "
                "Allowed: inputs of the same length, or numbers"
            )
            raise ValidationError(msg)
        values[name] = array
    if length is None:
        return {k: np.array([v], dtype=np.float64) for k, v in values.items()}, None
    if index is None:
        index = pd.RangeIndex(length)
    arrays = {
        k: np.full(length, v, dtype=np.float64) if isinstance(v, float) else v
        for k, v in values.items()
    }
    return arrays, index


def label_text(label: object) -> str:
    """Show an index label as a learner would type it: ``2``, ``'P-001'``, a date."""
    if isinstance(label, pd.Timestamp):
        return str(label.date()) if label == label.normalize() else str(label)
    if isinstance(label, np.generic):
        return repr(label.item())
    return repr(label)


def where_label(index: pd.Index | None, position: int) -> str:
    """Name the row at ``position`` for an error message (empty for scalars)."""
    if index is None:
        return ""
    return f" (row {label_text(index[position])})"


def check_non_negative(arrays: dict[str, FloatArray], index: pd.Index | None) -> None:
    """Reject negative or infinite inputs, naming the argument, value and row."""
    for name, array in arrays.items():
        bad = np.flatnonzero((array < 0) | np.isinf(array))
        if bad.size:
            pos = int(bad[0])
            row = where_label(index, pos)
            msg = (
                f"{float(array[pos])!r} is an invalid value for `{name}`{row}. "
                "Allowed: a number >= 0, or NaN when unknown"
            )
            raise ValidationError(msg)
