"""Exercises: checks with specific feedback and single-sourced solutions."""

from __future__ import annotations

from pmo_kit.training.answers import Tolerance, as_date, as_number, choice_letter
from pmo_kit.training.checks import (
    Check,
    Checker,
    CheckFailed,
    CheckResult,
    check,
    fail,
    load_checks,
)
from pmo_kit.training.solutions import learner_source, make_learner_copy

__all__ = [
    "Check",
    "CheckFailed",
    "CheckResult",
    "Checker",
    "Tolerance",
    "as_date",
    "as_number",
    "check",
    "choice_letter",
    "fail",
    "learner_source",
    "load_checks",
    "make_learner_copy",
]
