"""
Earned schedule (Lipke, 2003): schedule performance measured in time, not money.

SPI = EV / PV compares money, so at the end of any project EV = PV = BAC and SPI
returns to 1.0, however late the project finished. Earned schedule asks *when* the
plan expected today's earned value instead: ``ES = C + (EV - PV_C) / (PV_{C+1} -
PV_C)``, where C is the last period whose cumulative planned value does not exceed
EV. Comparing ES with the actual time AT gives indicators that stay honest to the
end (Lipke, "Schedule is Different", The Measurable News, March 2003; PMI Practice
Standard for Earned Value Management, 2nd ed., Appendix D)::

    SV(t)   = ES - AT            time variance (negative = behind)
    SPI(t)  = ES / AT            time efficiency
    IEAC(t) = PD / SPI(t)        forecast duration (PD = planned duration)
    TSPI    = (PD - ES) / (PD - AT)  time efficiency needed to finish on plan
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass
from typing import overload

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
    label_text,
)
from pmo_kit.evm._curve import earned_schedule_on_curve, pv_curve_arrays

__all__ = [
    "ScheduleMetrics",
    "earned_schedule",
    "schedule_metrics",
]

_DAY = pd.Timedelta(days=1)

#: A row label of a Series ``ev`` (period number or date).
Label = int | float | str | dt.date | pd.Timestamp


@overload
def earned_schedule(
    pv_curve: pd.Series, ev: float, *, at: None = None
) -> float | pd.Timestamp: ...


@overload
def earned_schedule(
    pv_curve: pd.Series, ev: pd.Series, *, at: None = None
) -> pd.Series: ...


@overload
def earned_schedule(
    pv_curve: pd.Series, ev: pd.Series, *, at: Label
) -> float | pd.Timestamp: ...


def earned_schedule(
    pv_curve: pd.Series, ev: float | pd.Series, *, at: Label | None = None
) -> float | pd.Timestamp | pd.Series:
    """
    Earned schedule: the time at which the plan expected the value earned so far.

    ``ES = C + (EV - PV_C) / (PV_{C+1} - PV_C)`` where C is the last period with
    ``PV_C <= EV`` (Lipke, 2003), interpolating linearly inside period C + 1.

    Parameters
    ----------
    pv_curve
        Baseline cumulative planned value, indexed by period number (1, 2, ...)
        or by date. A numeric curve starts from PV 0 at period 0 (added when
        missing, as in Lipke's tables); a dated curve must start at the project
        start. The curve ends where PV first reaches its final value (BAC), so ES
        never exceeds the planned duration. A flat stretch (a planned pause) is
        credited in full once EV reaches its level, as Lipke's rule says.
    ev
        Cumulative earned value: one number, or a Series (e.g. EV per period).
    at
        With a Series ``ev``, the label of the one row to evaluate.

    Returns
    -------
    float, pandas.Timestamp or pandas.Series
        ES in the curve's unit: a period number for a numeric index, a date for a
        date index. A Series ``ev`` (without ``at``) gives a Series with its index.

    Raises
    ------
    ValidationError
        The curve is empty, unsorted, decreasing or negative; EV is negative or
        below the first point of a dated curve; ``at`` given with a single EV.

    Examples
    --------
    BAC 100,000 planned 10/20/40/70/100% over five periods; 35,000 earned by the
    end of period 3 is where the plan stood three quarters into period 3:

    >>> import pandas as pd
    >>> plan = pd.Series(
    ...     [10_000.0, 20_000, 40_000, 70_000, 100_000], index=[1, 2, 3, 4, 5]
    ... )
    >>> earned_schedule(plan, 35_000)
    2.75
    >>> earned_schedule(plan, pd.Series([8_000.0, 20_000, 35_000])).to_dict()
    {0: 0.8, 1: 2.0, 2: 2.75}

    A dated curve gives a date:

    >>> weekly = pd.Series(
    ...     [0.0, 50, 100],
    ...     index=pd.to_datetime(["2026-01-02", "2026-01-09", "2026-01-16"]),
    ... )
    >>> earned_schedule(weekly, 75)
    Timestamp('2026-01-12 12:00:00')
    """
    times, values, origin = pv_curve_arrays(pv_curve)
    if at is not None:
        if not isinstance(ev, pd.Series):
            msg = (
                "`at` picks one row of a Series `ev`; with a single EV number, "
                "leave `at` out"
            )
            raise ValidationError(msg)
        if at not in ev.index:
            known = ", ".join(label_text(k) for k in ev.index)
            msg = f"{label_text(at)} is not a label of `ev`. Known labels: {known}"
            raise ValidationError(msg)
        ev = float(ev.loc[at])
    arrays, index = as_arrays({"ev": ev})
    check_non_negative(arrays, index)
    es = earned_schedule_on_curve(times, values, arrays["ev"])
    if origin is not None:
        dates = origin + pd.to_timedelta(es, unit="D")
        if index is None:
            return pd.Timestamp(dates[0])
        return pd.Series(dates, index=index, name="es")
    if index is None:
        return float(es[0])
    return pd.Series(es, index=index, name="es")


@dataclass(frozen=True, slots=True)
class ScheduleMetrics:
    """
    Earned schedule indicators of one project at one status date.

    Times are in the unit of the inputs (periods, weeks, days). :func:`schedule_metrics`
    returns this for numbers and a DataFrame with these columns for Series.

    Attributes
    ----------
    es
        Earned schedule: when the plan expected the value earned so far.
    at
        Actual time: time elapsed from the start to the status date.
    sv_t
        Schedule variance in time, ``ES - AT`` (negative = behind).
    spi_t
        Schedule performance index in time, ``ES / AT``.
    ieac_t
        Independent estimate at completion (time), ``PD / SPI(t)``: the forecast
        duration if the time efficiency so far continues.
    tspi
        To-complete schedule performance index, ``(PD - ES) / (PD - AT)``: the
        time efficiency the remaining work needs to finish on the planned date.
    """

    es: float
    at: float
    sv_t: float
    spi_t: float
    ieac_t: float
    tspi: float

    def as_dict(self) -> dict[str, float]:
        """Return the indicators as a plain ``{name: value}`` dictionary."""
        return dataclasses.asdict(self)


#: Column names of the DataFrame returned by :func:`schedule_metrics`, in order.
SCHEDULE_METRIC_NAMES: tuple[str, ...] = tuple(
    f.name for f in dataclasses.fields(ScheduleMetrics)
)


@overload
def schedule_metrics(
    *, es: float, at: float, planned_duration: float
) -> ScheduleMetrics: ...


@overload
def schedule_metrics(
    *, es: Values, at: Values, planned_duration: Values
) -> ScheduleMetrics | pd.DataFrame: ...


def schedule_metrics(
    *, es: Values, at: Values, planned_duration: Values
) -> ScheduleMetrics | pd.DataFrame:
    """
    Earned schedule indicators: SV(t), SPI(t), IEAC(t) and TSPI.

    Parameters
    ----------
    es
        Earned schedule (see :func:`earned_schedule`).
    at
        Actual time elapsed at the status date, in the same unit.
    planned_duration
        Planned duration PD of the project, in the same unit.

    Returns
    -------
    ScheduleMetrics or pandas.DataFrame
        A :class:`ScheduleMetrics` for numbers; for Series or arrays a DataFrame
        with columns ``es, at, sv_t, spi_t, ieac_t, tspi``. Undefined ratios
        (AT = 0, ES = 0 for IEAC(t), AT = PD for TSPI) are NaN.

    Raises
    ------
    ValidationError
        An input is negative or infinite, or inputs have different lengths.

    Examples
    --------
    Earned 18 weeks of schedule in 20 weeks on a 40-week plan:

    >>> m = schedule_metrics(es=18, at=20, planned_duration=40)
    >>> m.sv_t, m.spi_t, round(m.ieac_t, 2), m.tspi
    (-2.0, 0.9, 44.44, 1.1)
    """
    arrays, index = as_arrays(
        {"es": es, "at": at, "planned_duration": planned_duration}
    )
    check_non_negative(arrays, index)
    a_es, a_at, a_pd = arrays["es"], arrays["at"], arrays["planned_duration"]
    with np.errstate(all="ignore"):  # overflow of absurd inputs -> NaN below
        spi_t = div(a_es, a_at)
        columns: dict[str, FloatArray] = {
            "es": a_es,
            "at": a_at,
            "sv_t": a_es - a_at,
            "spi_t": spi_t,
            "ieac_t": div(a_pd, spi_t),
            "tspi": div(a_pd - a_es, a_pd - a_at),
        }
    columns = {k: finite_or_nan(v) for k, v in columns.items()}
    if index is None:
        return ScheduleMetrics(**{k: float(v[0]) for k, v in columns.items()})
    return pd.DataFrame(columns, index=index, columns=list(SCHEDULE_METRIC_NAMES))
