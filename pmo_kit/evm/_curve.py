"""
The planned-value curve that earned schedule reads (shared by the evm modules).

:func:`pv_curve_arrays` checks a cumulative PV curve and turns it into arrays;
:func:`earned_schedule_on_curve` finds, for each EV, when the plan had earned it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from pmo_kit._errors import ValidationError
from pmo_kit.evm._arrays import label_text

if TYPE_CHECKING:
    from pmo_kit.evm._arrays import FloatArray

__all__ = ["earned_schedule_on_curve", "pv_curve_arrays"]

_DAY = pd.Timedelta(days=1)


def earned_schedule_on_curve(
    times: FloatArray, planned: FloatArray, earned: FloatArray
) -> FloatArray:
    """
    Earned schedule of each EV in ``earned`` on the curve (``times``, ``planned``).

    The curve must start where EV can start (PV 0, or a PV not above any EV) and
    ``planned`` must never decrease. The curve is cut where PV first reaches its
    final value (the planned duration): ES never exceeds PD. NaN EV gives NaN.
    """
    last = int(np.argmax(planned >= planned.max()))
    t, pv = times[: last + 1], planned[: last + 1]
    es = np.full(earned.shape, np.nan, dtype=np.float64)
    known = ~np.isnan(earned)
    ev = earned[known]
    if ev.size and ev.min() < pv[0]:
        msg = (
            f"EV {float(ev.min())!r} is below the first point of the PV curve "
            f"(PV {float(pv[0])!r}), so its earned schedule is before the curve "
            "starts. Allowed: a PV curve that begins at the project start with PV 0"
        )
        raise ValidationError(msg)
    if len(pv) == 1:
        es[known] = t[0]
        return es
    c = np.searchsorted(pv, ev, side="right") - 1  # last period with PV_C <= EV
    inside = c < len(pv) - 1
    ci = np.minimum(c, len(pv) - 2)
    with np.errstate(divide="ignore", invalid="ignore"):
        share = (ev - pv[ci]) / (pv[ci + 1] - pv[ci])
    value = np.where(inside, t[ci] + share * (t[ci + 1] - t[ci]), t[-1])
    es[known] = value
    return es


def pv_curve_arrays(
    pv_curve: pd.Series,
) -> tuple[FloatArray, FloatArray, pd.Timestamp | None]:
    """Validate a cumulative PV curve; return times, values and the date origin."""
    if not isinstance(pv_curve, pd.Series) or pv_curve.empty:
        got = (
            "an empty Series"
            if isinstance(pv_curve, pd.Series)
            else f"a {type(pv_curve).__name__}"
        )
        msg = (
            f"`pv_curve` is {got}. Allowed: a non-empty pandas Series of "
            "cumulative planned value indexed by period number or date"
        )
        raise ValidationError(msg)
    index = pv_curve.index
    origin: pd.Timestamp | None = None
    if isinstance(index, pd.DatetimeIndex):
        origin = index[0]
        times = np.asarray((index - index[0]) / _DAY, dtype=np.float64)
    elif pd.api.types.is_numeric_dtype(index):
        times = np.asarray(index, dtype=np.float64)
    else:
        msg = (
            f"`pv_curve` is indexed by {index.dtype} values ({list(index[:3])!r}...). "
            "Allowed: period numbers (1, 2, 3, ...) or dates"
        )
        raise ValidationError(msg)
    values = np.asarray(pv_curve, dtype=np.float64)
    for name, array in (("period", times), ("planned value", values)):
        bad = np.flatnonzero(~np.isfinite(array))
        if bad.size:
            msg = (
                f"The {name} of `pv_curve` at {label_text(index[bad[0]])} is "
                "missing or infinite. Allowed: finite numbers"
            )
            raise ValidationError(msg)
    if (np.diff(times) <= 0).any():
        pos = int(np.flatnonzero(np.diff(times) <= 0)[0]) + 1
        msg = (
            f"`pv_curve` periods must increase; {label_text(index[pos])} comes "
            f"after {label_text(index[pos - 1])}. Sort the curve by period (and drop "
            "duplicates)"
        )
        raise ValidationError(msg)
    if (values < 0).any() or (np.diff(values) < 0).any():
        drop = np.flatnonzero(np.diff(values) < 0)
        pos = int(drop[0]) + 1 if drop.size else int(np.flatnonzero(values < 0)[0])
        msg = (
            f"{float(values[pos])!r} is an invalid planned value at "
            f"{label_text(index[pos])} "
            "in `pv_curve`. Allowed: cumulative planned value, >= 0 and never "
            "decreasing"
        )
        raise ValidationError(msg)
    if origin is None and times[0] > 0 and values[0] > 0:
        # Lipke numbers periods 1..n; period 0 (the start) has PV 0.
        times = np.concatenate([[0.0], times])
        values = np.concatenate([[0.0], values])
    return times, values, origin
