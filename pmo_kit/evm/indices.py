"""
Earned value indices, variances and forecasts of cost at completion.

Every function works on one project's figures (plain numbers) and on whole columns
(pandas Series or numpy arrays) alike. An undefined ratio (a zero denominator, such
as CPI when nothing has been spent yet) is NaN, never 0 and never an exception:
"not measurable yet" must not look like "terrible" or "perfect".
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import TypeVar, overload

import numpy as np
import pandas as pd

from pmo_kit._errors import ValidationError
from pmo_kit.evm._arrays import (
    FloatArray,
    Values,
    as_arrays,
    check_non_negative,
    div,
    finite_or_nan,
    where_label,
)

__all__ = [
    "EVMetrics",
    "cost_performance_index",
    "metrics",
    "schedule_performance_index",
]

Number = TypeVar("Number", float, pd.Series)

#: Relative tolerance when checking EV <= BAC (cents of rounding are not an error).
_EV_TOLERANCE = 1e-9


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
class EVMetrics:
    """
    Earned value metrics of one project at one status date.

    :func:`metrics` returns this for plain numbers (attribute access, ``m.cpi``,
    reads like the formula sheet) and a DataFrame with the same names as columns
    for Series or arrays. NaN marks a ratio that is not defined yet.

    Attributes
    ----------
    sv
        Schedule variance ``EV - PV`` (money; negative = behind).
    cv
        Cost variance ``EV - AC`` (money; negative = over budget).
    spi
        Schedule performance index ``EV / PV``.
    cpi
        Cost performance index ``EV / AC``.
    eac_cpi
        Estimate at completion if the cost efficiency so far continues,
        ``BAC / CPI`` (the "typical" forecast).
    eac_remaining_at_budget
        EAC if the remaining work costs what was budgeted, ``AC + (BAC - EV)``
        (the past overrun was a one-off, "atypical").
    eac_cpi_spi
        EAC if both cost and schedule efficiency weigh on the remaining work,
        ``AC + (BAC - EV) / (CPI * SPI)``.
    eac_bottom_up
        EAC from a fresh bottom-up estimate to complete, ``AC + ETC``; NaN when no
        estimate was given.
    etc
        Estimate to complete at the current efficiency, ``EAC_cpi - AC``.
    vac
        Variance at completion, ``BAC - EAC_cpi`` (negative = forecast overrun).
    tcpi_bac
        Cost efficiency the remaining work needs to finish within BAC,
        ``(BAC - EV) / (BAC - AC)``. Negative once AC has passed BAC: the budget
        can no longer be met.
    tcpi_eac
        Cost efficiency needed to finish at the forecast, ``(BAC - EV) / (EAC - AC)``
        with the bottom-up EAC when one was given, else ``EAC_cpi`` (then it equals
        CPI by construction).
    """

    sv: float
    cv: float
    spi: float
    cpi: float
    eac_cpi: float
    eac_remaining_at_budget: float
    eac_cpi_spi: float
    eac_bottom_up: float
    etc: float
    vac: float
    tcpi_bac: float
    tcpi_eac: float

    def as_dict(self) -> dict[str, float]:
        """Return the metrics as a plain ``{name: value}`` dictionary."""
        return dataclasses.asdict(self)


#: Column names of the DataFrame returned by :func:`metrics`, in order.
METRIC_NAMES: tuple[str, ...] = tuple(f.name for f in dataclasses.fields(EVMetrics))


@overload
def metrics(
    *,
    bac: float,
    pv: float,
    ev: float,
    ac: float,
    etc: float | None = None,
) -> EVMetrics: ...


@overload
def metrics(
    *,
    bac: Values,
    pv: pd.Series | np.ndarray | list[float],
    ev: Values,
    ac: Values,
    etc: Values | None = None,
) -> pd.DataFrame: ...


@overload
def metrics(
    *,
    bac: Values,
    pv: Values,
    ev: Values,
    ac: Values,
    etc: Values | None = None,
) -> EVMetrics | pd.DataFrame: ...


def metrics(
    *,
    bac: Values,
    pv: Values,
    ev: Values,
    ac: Values,
    etc: Values | None = None,
) -> EVMetrics | pd.DataFrame:
    """
    Compute every earned value metric at once: variances, indices, EACs, ETC, TCPI.

    Parameters
    ----------
    bac
        Budget at completion.
    pv, ev, ac
        Cumulative planned value, earned value and actual cost at the status date.
    etc
        Optional bottom-up estimate to complete (money still to spend); gives
        ``eac_bottom_up = AC + ETC``. ``None`` or NaN leaves that EAC NaN.

    Returns
    -------
    EVMetrics or pandas.DataFrame
        An :class:`EVMetrics` when every input is a number. When any input is a
        Series or array, a DataFrame with one column per metric (see
        :class:`EVMetrics` for the formulas) and one row per value; a Series' index
        is kept. Numbers are broadcast against the columns.

    Raises
    ------
    ValidationError
        An input is negative or infinite, EV exceeds BAC, inputs have different
        lengths, or Series inputs have different indexes.

    Examples
    --------
    >>> m = metrics(bac=100, pv=50, ev=40, ac=45)
    >>> round(m.cpi, 3), m.eac_cpi, m.etc, m.vac
    (0.889, 112.5, 67.5, -12.5)
    >>> round(m.eac_cpi_spi, 3), round(m.tcpi_bac, 4)
    (129.375, 1.0909)

    Series in, a DataFrame out; undefined ratios are NaN:

    >>> import pandas as pd
    >>> status = pd.DataFrame({"pv": [0.0, 40.0], "ev": [0.0, 35.0], "ac": [0.0, 36.0]})
    >>> table = metrics(bac=100.0, pv=status["pv"], ev=status["ev"], ac=status["ac"])
    >>> table[["sv", "spi", "cpi"]].round(4).to_dict("list")
    {'sv': [0.0, -5.0], 'spi': [nan, 0.875], 'cpi': [nan, 0.9722]}
    """
    named: dict[str, Values | None] = {"bac": bac, "pv": pv, "ev": ev, "ac": ac}
    named["etc"] = etc
    arrays, index = as_arrays(named)
    check_non_negative(arrays, index)
    _check_ev_within_bac(arrays, index)
    a_bac, a_pv, a_ev, a_ac, a_etc = (
        arrays[k] for k in ("bac", "pv", "ev", "ac", "etc")
    )
    with np.errstate(all="ignore"):  # overflow of absurd inputs -> NaN below
        spi = div(a_ev, a_pv)
        cpi = div(a_ev, a_ac)
        eac_cpi = div(a_bac, cpi)
        eac_bottom_up = a_ac + a_etc
        eac_target = np.where(np.isnan(eac_bottom_up), eac_cpi, eac_bottom_up)
        columns: dict[str, FloatArray] = {
            "sv": a_ev - a_pv,
            "cv": a_ev - a_ac,
            "spi": spi,
            "cpi": cpi,
            "eac_cpi": eac_cpi,
            "eac_remaining_at_budget": a_ac + (a_bac - a_ev),
            "eac_cpi_spi": a_ac + div(a_bac - a_ev, cpi * spi),
            "eac_bottom_up": eac_bottom_up,
            "etc": eac_cpi - a_ac,
            "vac": a_bac - eac_cpi,
            "tcpi_bac": div(a_bac - a_ev, a_bac - a_ac),
            "tcpi_eac": div(a_bac - a_ev, eac_target - a_ac),
        }
    columns = {k: finite_or_nan(v) for k, v in columns.items()}
    if index is None:
        return EVMetrics(**{k: float(v[0]) for k, v in columns.items()})
    return pd.DataFrame(columns, index=index, columns=list(METRIC_NAMES))


def _check_ev_within_bac(arrays: dict[str, FloatArray], index: pd.Index | None) -> None:
    bac, ev = arrays["bac"], arrays["ev"]
    over = np.flatnonzero(ev > bac * (1 + _EV_TOLERANCE) + _EV_TOLERANCE)
    if over.size:
        pos = int(over[0])
        row = where_label(index, pos)
        msg = (
            f"`ev` = {float(ev[pos])!r} exceeds `bac` = {float(bac[pos])!r}{row}. "
            "Earned value is the budget of the work done, so it can never be more "
            "than the budget at completion"
        )
        raise ValidationError(msg)
