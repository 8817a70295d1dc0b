"""Helpers for checks: read a learner's answer or fail saying what is wrong with it."""

from __future__ import annotations

import math
from numbers import Real
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from pmo_kit.training.checks import fail

if TYPE_CHECKING:
    from collections.abc import Sequence

__all__ = ["as_number", "choice_letter"]

_SEVERAL = (pd.Series, pd.DataFrame, list, tuple, np.ndarray)


def as_number(
    value: object,
    name: str,
    *,
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
        The variable's name, as the learner wrote it.
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
    if isinstance(value, Real) and not isinstance(value, bool):
        number = float(value)
        if math.isnan(number):
            fail(f"`{name}` is NaN (not a number): {nan_hint}")
        return number
    if isinstance(value, str):
        fail(f"`{name}` is the text {value!r}; give a number, without quotes.")
    if isinstance(value, _SEVERAL) or hasattr(value, "__len__"):
        extra = f" {many_hint}" if many_hint else ""
        fail(
            f"`{name}` holds several values (a {type(value).__name__}); the answer "
            f"is one number.{extra}"
        )
    fail(f"`{name}` is a {type(value).__name__}; give a number.")


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
