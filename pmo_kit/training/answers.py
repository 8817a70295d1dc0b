"""Helpers for checks: read a learner's answer or fail saying what is wrong with it."""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass
from numbers import Real
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from pmo_kit.training.checks import fail

if TYPE_CHECKING:
    from collections.abc import Sequence

__all__ = ["Tolerance", "as_date", "as_number", "choice_letter"]

_SEVERAL = (pd.Series, pd.DataFrame, list, tuple, np.ndarray)


@dataclass(frozen=True, slots=True)
class Tolerance:
    """
    How far an answer may be from the right value and still count as right.

    ``absolute`` is in the answer's unit (0.005 on an index accepts rounding to two
    decimals); ``relative`` is a share of the right value (0.0002 on money accepts
    rounding to whole units on large amounts). The answer is accepted when it is
    within either.

    Examples
    --------
    >>> INDEX = Tolerance(absolute=0.0051)
    >>> INDEX.accepts(0.91, 0.9143), INDEX.accepts(0.9, 0.9143)
    (True, False)
    >>> Tolerance(relative=0.01).accepts(101_000, 100_000)
    True
    >>> Tolerance(absolute=1).accepts(float("nan"), 0.0)
    False
    """

    absolute: float = 0.0
    relative: float = 0.0

    def accepts(self, value: float, truth: float) -> bool:
        """Tell whether ``value`` is within the tolerance of ``truth`` (both finite)."""
        return (
            math.isfinite(value)
            and math.isfinite(truth)
            and math.isclose(value, truth, rel_tol=self.relative, abs_tol=self.absolute)
        )


def as_number(
    value: object,
    name: str,
    *,
    what: str = "",
    nan_hint: str = "look at the figures you used.",
    many_hint: str = "",
) -> float:
    """
    Return ``value`` as a float, or fail saying why it is not one number.

    Parameters
    ----------
    value
        The learner's answer.
    name
        The variable's name, as the learner wrote it (``early_start['B']``).
    what
        What the number is, said when the answer is not one number
        (``"how many projects are in execution"``).
    nan_hint
        What to look at when the answer is NaN.
    many_hint
        Extra advice when the answer holds several values.

    Examples
    --------
    >>> as_number(0.9, "cpi")
    0.9
    >>> as_number("0.9", "cpi")
    Traceback (most recent call last):
    ...
    pmo_kit.training.checks.CheckFailed: `cpi` is the text '0.9'; give a number, \
without quotes.
    """
    one = f"the answer is one number: {what}." if what else "the answer is one number."
    extra = f" {many_hint}" if many_hint else ""
    if isinstance(value, Real) and not isinstance(value, bool):
        number = float(value)
        if math.isnan(number):
            fail(f"`{name}` is NaN (not a number): {nan_hint}")
        return number
    if value is Ellipsis:
        fail(f"`{name}` is still `...`; replace it with your answer.")
    if isinstance(value, str):
        fail(f"`{name}` is the text {value!r}; give a number, without quotes.")
    if isinstance(value, pd.DataFrame):
        fail(f"`{name}` is a whole table ({len(value)} rows); {one}{extra}")
    if isinstance(value, pd.Series) and value.dtype == bool:
        fail(
            f"`{name}` is a True/False column (one value per row), not a number: "
            "count the True values with `.sum()`."
        )
    if isinstance(value, _SEVERAL) or hasattr(value, "__len__"):
        fail(f"`{name}` holds several values (a {type(value).__name__}); {one}{extra}")
    fail(f"`{name}` is a {type(value).__name__}; give a number.")


def as_date(
    value: object,
    name: str,
    *,
    number_hint: str = "",
    example: str = "2026-06-30",
) -> pd.Timestamp:
    """
    Return ``value`` as a day (midnight), or fail saying why it is not a date.

    Parameters
    ----------
    value
        The learner's answer: a date, a Timestamp or ISO text.
    name
        The variable's name, as the learner wrote it.
    number_hint
        What to say when the answer is a number (a count of days, a period).
    example
        A date to show in messages.

    Examples
    --------
    >>> as_date("2026-07-31 15:00", "p85_date")
    Timestamp('2026-07-31 00:00:00')
    >>> as_date("next month", "p85_date")
    Traceback (most recent call last):
    ...
    pmo_kit.training.checks.CheckFailed: `p85_date` = 'next month' is not a date. \
Give a date such as '2026-06-30'.
    """
    if isinstance(value, Real) and not isinstance(value, bool):
        hint = number_hint or f"give a date such as {example!r}."
        fail(f"`{name}` = {value!r} is a number, not a date: {hint}")
    if isinstance(value, str | dt.date | pd.Timestamp | np.datetime64):
        try:
            day = pd.Timestamp(value)
        except (TypeError, ValueError):
            fail(
                f"`{name}` = {value!r} is not a date. Give a date such as {example!r}."
            )
        if pd.isna(day):
            fail(f"`{name}` is empty (NaT); give a date such as {example!r}.")
        return day.normalize()
    fail(
        f"`{name}` is a {type(value).__name__}; give a date (a pandas Timestamp or a "
        f"text such as {example!r})."
    )


def choice_letter(
    value: object, name: str, *, letters: Sequence[str] = ("A", "B", "C", "D")
) -> str:
    """
    Return a multiple-choice answer as its upper-case letter, or fail explaining.

    Examples
    --------
    >>> choice_letter(" b) ", "q7_answer")
    'B'
    """
    if isinstance(value, str):
        text = value.strip().upper().rstrip(").:")
        if text in letters:
            return text
        fail(
            f"`{name}` = {value!r}: answer with the letter of your choice, one of "
            f"{', '.join(repr(x) for x in letters)}."
        )
    fail(
        f"`{name}` is a {type(value).__name__}: answer with the letter of your "
        'choice as a text, such as "A".'
    )
