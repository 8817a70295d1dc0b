"""
Earned value management: performance indices and RAG status.

Pure functions over numbers or pandas Series (vectorised): the same call works on
one project's figures and on a whole column of a portfolio's status table.
Undefined ratios (a zero denominator) are NaN, never 0 and never an exception.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TypeVar

import numpy as np
import pandas as pd

from pmo_kit._errors import ValidationError

__all__ = [
    "DEFAULT_RAG",
    "RagThresholds",
    "cost_performance_index",
    "rag_status",
    "schedule_performance_index",
    "worst_rag",
]

Number = TypeVar("Number", float, pd.Series)

RAG_ORDER = ("green", "amber", "red")


def _ratio(numerator: Number, denominator: Number) -> Number:
    with np.errstate(divide="ignore", invalid="ignore"):
        if isinstance(numerator, pd.Series) or isinstance(denominator, pd.Series):
            num = pd.Series(numerator, dtype="float64")
            den = pd.Series(denominator, dtype="float64")
            return num / den.where(den != 0)
        if float(denominator) == 0.0:
            return float("nan")
        return float(numerator) / float(denominator)


def cost_performance_index(earned_value: Number, actual_cost: Number) -> Number:
    """
    Cost performance index, ``CPI = EV / AC``.

    Parameters
    ----------
    earned_value
        Budgeted cost of the work performed (EV).
    actual_cost
        Actual cost of the work performed (AC). Zero gives NaN.

    Returns
    -------
    float or pandas.Series
        Below 1.0 means the work cost more than budgeted.

    Examples
    --------
    >>> cost_performance_index(90_000, 100_000)
    0.9
    >>> cost_performance_index(10.0, 0.0)
    nan
    """
    return _ratio(earned_value, actual_cost)


def schedule_performance_index(earned_value: Number, planned_value: Number) -> Number:
    """
    Schedule performance index, ``SPI = EV / PV``.

    Parameters
    ----------
    earned_value
        Budgeted cost of the work performed (EV).
    planned_value
        Budgeted cost of the work scheduled to date (PV). Zero gives NaN.

    Returns
    -------
    float or pandas.Series
        Below 1.0 means less work was done than planned.

    Examples
    --------
    >>> schedule_performance_index(35_000, 40_000)
    0.875
    """
    return _ratio(earned_value, planned_value)


@dataclass(frozen=True, slots=True)
class RagThresholds:
    """
    Bands that turn a performance index into red, amber or green.

    An index inside ``[green_low, green_high]`` is green; inside
    ``[amber_low, amber_high]`` but not green it is amber; beyond, red.
    Over-performance far above 1.0 is flagged too: it usually means a bad plan.
    """

    green_low: float = 0.95
    green_high: float = 1.05
    amber_low: float = 0.90
    amber_high: float = 1.10

    def __post_init__(self) -> None:
        if not (
            self.amber_low
            <= self.green_low
            <= 1.0
            <= self.green_high
            <= self.amber_high
        ):
            msg = (
                f"RAG thresholds {self} are not nested. Allowed: "
                "amber_low <= green_low <= 1.0 <= green_high <= amber_high"
            )
            raise ValidationError(msg)


DEFAULT_RAG = RagThresholds()


def rag_status(index: pd.Series, thresholds: RagThresholds = DEFAULT_RAG) -> pd.Series:
    """
    Classify performance indices as ``green``, ``amber``, ``red`` (or ``grey``).

    Parameters
    ----------
    index
        SPI or CPI values; NaN (not measurable yet) gives ``grey``.
    thresholds
        The bands to apply.

    Returns
    -------
    pandas.Series
        One of ``green``, ``amber``, ``red``, ``grey`` per value.

    Examples
    --------
    >>> import pandas as pd
    >>> rag_status(pd.Series([1.0, 0.92, 0.7, float("nan")])).tolist()
    ['green', 'amber', 'red', 'grey']
    """
    values = pd.Series(index, dtype="float64")
    t = thresholds
    green = values.between(t.green_low, t.green_high)
    amber = values.between(t.amber_low, t.amber_high) & ~green
    out = np.select(
        [values.isna(), green, amber], ["grey", "green", "amber"], default="red"
    )
    return pd.Series(out, index=values.index, dtype="object")


def worst_rag(*statuses: pd.Series) -> pd.Series:
    """
    Combine RAG columns: the overall status is the worst of them.

    ``grey`` (not measurable) only wins when every input is grey.

    Examples
    --------
    >>> import pandas as pd
    >>> worst_rag(pd.Series(["green", "grey"]), pd.Series(["amber", "grey"])).tolist()
    ['amber', 'grey']
    """
    rank = {"grey": -1, "green": 0, "amber": 1, "red": 2}
    names = {v: k for k, v in rank.items()}
    ranks = pd.concat([s.map(rank) for s in statuses], axis=1).max(axis=1)
    return ranks.map(names).astype("object")
