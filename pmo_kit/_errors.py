"""
Errors raised by pmo_kit.

Every error the kit raises on purpose is a :class:`PMOError`, so a caller (or the
CLI) can catch one class and show its message as a single line::

    PMOError
    ├── ValidationError (also ValueError)   input data breaks a declared rule
    │   └── ReportParameterError             a report parameter has a wrong name/type
    ├── ReportNotFoundError (also LookupError)
    ├── ReportExecutionError                a report notebook failed while running
    ├── ExerciseError                       an exercise or its checks are misconfigured
    └── MissingDependencyError (also ImportError)
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Sequence

__all__ = [
    "ExerciseError",
    "MissingDependencyError",
    "PMOError",
    "ReportExecutionError",
    "ReportNotFoundError",
    "ReportParameterError",
    "ValidationError",
]


class PMOError(Exception):
    """Base class for every error raised by pmo_kit."""


class ValidationError(PMOError, ValueError):
    """
    Input data does not satisfy a declared rule.

    The message names where the problem is (file, row, column), the bad value and
    what is allowed. When several problems were found, ``problems`` lists all of
    them and the message shows the first with a count of the rest.
    """

    def __init__(self, message: str, problems: Sequence[str] | None = None) -> None:
        self.problems: list[str] = list(problems) if problems else [message]
        super().__init__(message)

    @classmethod
    def from_problems(cls, problems: Sequence[str]) -> ValidationError:
        """Build one error whose message is the first problem plus a count."""
        first = problems[0]
        rest = len(problems) - 1
        if rest:
            plural = "s" if rest > 1 else ""
            first = f"{first} (+{rest} more problem{plural})"
        return cls(first, problems)


class ReportParameterError(ValidationError):
    """A report parameter is unknown or has the wrong type."""


class ReportNotFoundError(PMOError, LookupError):
    """No report notebook has the requested name."""


class ReportExecutionError(PMOError):
    """
    A report notebook raised an error while running.

    ``notebook_path`` is the executed notebook, kept so the failing cell can be read.
    """

    def __init__(self, message: str, notebook_path: str | None = None) -> None:
        self.notebook_path = notebook_path
        super().__init__(message)


class ExerciseError(PMOError):
    """An exercise, its checks or its solution markers are misconfigured."""


class MissingDependencyError(PMOError, ImportError):
    """An optional dependency is missing; the message names the install command."""
