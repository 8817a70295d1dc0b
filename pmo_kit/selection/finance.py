"""
Investment appraisal with Excel's conventions: NPV, IRR, payback.

Conventions (the same as Microsoft Excel's functions of the same names):

- :func:`npv` with ``excel=True`` (the default) is Excel's ``NPV``: every cash
  flow is discounted, the first by one full period, ``sum(c_t / (1 + r)**(t + 1))``
  for ``t = 0, 1, ...``. The usual textbook NPV, with the first flow at time 0 and
  not discounted, is ``npv(rate, flows, excel=False)``, the same as Excel's
  ``=NPV(rate, c1:cn) + c0``.
- :func:`irr` is Excel's ``IRR``: the rate at which the NPV of the flows is 0
  (which does not depend on where time 0 is), closest to ``guess`` (0.1, as
  Excel's default) when there are several. :func:`irr_roots` gives them all;
  :func:`irr` emits :class:`MultipleIRRWarning` when there is more than one.
- :func:`payback` and :func:`discounted_payback`: the first flow is at time 0,
  the others at the end of periods 1, 2, ...; within the period where the
  cumulative flow turns non-negative, cash is taken to arrive evenly, so the
  fractional period is found by linear interpolation. Discounted payback
  discounts flow ``t`` by ``(1 + r)**t`` (time 0 not discounted). Excel has no
  payback function; this is the usual textbook definition.

Undefined results (no sign change, never paid back) are NaN, not an exception.
"""

from __future__ import annotations

import math
import warnings
from typing import TYPE_CHECKING

from pmo_kit._errors import ValidationError

if TYPE_CHECKING:
    from collections.abc import Sequence

__all__ = [
    "MultipleIRRWarning",
    "discounted_payback",
    "irr",
    "irr_roots",
    "npv",
    "payback",
]


class MultipleIRRWarning(UserWarning):
    """The cash flows have several internal rates of return; IRR is ambiguous."""


def _flows(flows: Sequence[float]) -> list[float]:
    values: list[float] = []
    for i, raw in enumerate(flows):
        try:
            value = float(raw)
        except (TypeError, ValueError):
            value = math.nan
        if not math.isfinite(value):
            msg = f"{raw!r} is an invalid cash flow at position {i}: must be a number"
            raise ValidationError(msg)
        values.append(value)
    if not values:
        msg = "flows is empty: give at least one cash flow"
        raise ValidationError(msg)
    return values


def _rate(rate: float) -> float:
    if not (math.isfinite(rate) and rate > -1):
        msg = f"{rate!r} is an invalid discount rate: must be a number > -1"
        raise ValidationError(msg)
    return float(rate)


def npv(rate: float, flows: Sequence[float], *, excel: bool = True) -> float:
    """
    Net present value of cash flows at one rate per period.

    Parameters
    ----------
    rate
        Discount rate per period, as a fraction (0.1 for 10%); > -1.
    flows
        Cash flows, one per period, in order (investments negative).
    excel
        True (default): Excel's ``NPV``, the first flow discounted one period.
        False: the first flow is at time 0, not discounted.

    Returns
    -------
    float

    Examples
    --------
    Excel's documented example, ``=NPV(10%, -10000, 3000, 4200, 6800)``:

    >>> round(npv(0.1, [-10_000, 3_000, 4_200, 6_800]), 2)
    1188.44
    >>> round(npv(0.1, [-1_000, 1_210], excel=False), 2)
    100.0
    """
    r = _rate(rate)
    shift = 1 if excel else 0
    return sum(c / (1 + r) ** (t + shift) for t, c in enumerate(_flows(flows)))


def irr_roots(
    flows: Sequence[float], *, low: float = -0.99, high: float = 10.0
) -> list[float]:
    """
    Every internal rate of return in ``[low, high]``, in increasing order.

    The NPV is a polynomial in ``x = 1 / (1 + r)``; its real positive roots are
    found with numpy and polished with Newton's method.

    Examples
    --------
    A classic case with two rates (flows that change sign twice):

    >>> [round(r, 6) for r in irr_roots([-100, 230, -132])]
    [0.1, 0.2]
    """
    import numpy as np

    values = _flows(flows)
    while len(values) > 1 and values[-1] == 0:
        values = values[:-1]
    if len(values) < 2:
        return []
    # sum c_t x^t = 0, highest power first for numpy.roots
    roots = np.roots(values[::-1])
    found: list[float] = []
    for root in roots:
        if abs(root.imag) > 1e-9 * max(1.0, abs(root.real)) or root.real <= 0:
            continue
        x = float(root.real)
        for _ in range(20):  # Newton polishing on the polynomial
            f = sum(c * x**t for t, c in enumerate(values))
            df = sum(t * c * x ** (t - 1) for t, c in enumerate(values) if t)
            if df == 0:
                break
            step = f / df
            x -= step
            if abs(step) < 1e-15 * max(1.0, abs(x)):
                break
        if x <= 0:
            continue
        rate = 1 / x - 1
        if low <= rate <= high and not any(math.isclose(rate, r) for r in found):
            found.append(rate)
    return sorted(found)


def irr(flows: Sequence[float], *, guess: float = 0.1) -> float:
    """
    Return the internal rate of return, as Excel's ``IRR`` does.

    Parameters
    ----------
    flows
        Cash flows per period; need at least one negative and one positive.
    guess
        When several rates make the NPV 0, the one closest to ``guess`` is
        returned (Excel's default guess is 10%) and a :class:`MultipleIRRWarning`
        names them all.

    Returns
    -------
    float
        The rate per period; NaN when no rate in (-99%, 1000%] exists (Excel
        gives ``#NUM!``).

    Examples
    --------
    Excel's documented example (five years of income on 70,000):

    >>> round(irr([-70_000, 12_000, 15_000, 18_000, 21_000, 26_000]), 4)
    0.0866
    """
    values = _flows(flows)
    roots = irr_roots(values)
    if not roots:
        return math.nan
    if len(roots) > 1:
        listed = ", ".join(f"{r:.4%}" for r in roots)
        warnings.warn(
            f"the cash flows change sign more than once and have {len(roots)} "
            f"internal rates of return ({listed}); IRR returns the one closest to "
            f"guess={guess}: compare projects by NPV instead",
            MultipleIRRWarning,
            stacklevel=2,
        )
    return min(roots, key=lambda r: (abs(r - guess), r))


def payback(flows: Sequence[float]) -> float:
    """
    Periods until the cumulative cash flow turns non-negative.

    The first flow is at time 0; fractional periods by linear interpolation.

    Examples
    --------
    >>> payback([-1_000, 300, 400, 500])
    2.6
    """
    values = _flows(flows)
    cumulative = 0.0
    for t, flow in enumerate(values):
        before = cumulative
        cumulative += flow
        if cumulative >= 0 and (t == 0 or before < 0):
            if t == 0:
                return 0.0
            return (t - 1) + (-before) / flow
    return math.nan


def discounted_payback(rate: float, flows: Sequence[float]) -> float:
    """
    Payback of the flows discounted at ``rate``, flow ``t`` by ``(1 + rate)**t``.

    Examples
    --------
    >>> round(discounted_payback(0.0, [-1_000, 300, 400, 500]), 6)
    2.6
    """
    r = _rate(rate)
    return payback([c / (1 + r) ** t for t, c in enumerate(_flows(flows))])
