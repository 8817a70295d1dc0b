"""Exercises: checks with specific feedback and single-sourced solutions."""

from __future__ import annotations

from pmo_kit.training.answers import Tolerance, as_date, as_number, choice_letter
from pmo_kit.training.checks import (
    Check,
    Checker,
    CheckFailed,
    CheckResult,
    Scoreboard,
    check,
    fail,
    load_checks,
)
from pmo_kit.training.course_data import course_dataset_path, course_portfolio
from pmo_kit.training.progress import progress
from pmo_kit.training.quiz import load_quiz, quiz_lessons
from pmo_kit.training.solutions import learner_source, make_learner_copy

__all__ = [
    "Check",
    "CheckFailed",
    "CheckResult",
    "Checker",
    "Scoreboard",
    "Tolerance",
    "as_date",
    "as_number",
    "check",
    "choice_letter",
    "course_dataset_path",
    "course_portfolio",
    "fail",
    "learner_source",
    "load_checks",
    "load_quiz",
    "make_learner_copy",
    "progress",
    "quiz_lessons",
]
