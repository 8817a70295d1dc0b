"""
The grader that runs inside the grading kernel (imported by the graded notebook).

It loads the exercise's checks (public and hidden) before any learner code runs,
then, after each answer cell, runs the checks of that question and prints their
results as one JSON line the grader reads back from the cell's output.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from collections.abc import Mapping, Sequence

    from pmo_kit.training.checks import Check

__all__ = ["RESULT_MARKER", "QuestionGrader", "checks_of_question"]

#: Start of the output line that carries a question's check results.
RESULT_MARKER = "PMO-WORKSHOP-RESULT "


def checks_of_question(name: str, question: str) -> bool:
    """Return True when the check ``name`` (``q3_eac``) belongs to ``question``."""
    return name == question or name.startswith(question + "_")


class QuestionGrader:
    """Run the checks of one question against a notebook's namespace."""

    def __init__(self, checks: Sequence[Check]) -> None:
        self.checks = list(checks)

    @classmethod
    def from_files(cls, paths: Sequence[str]) -> QuestionGrader:
        """Load the checks of every existing file in ``paths``, in order."""
        from pmo_kit.training.checks import load_checks

        found: list[Check] = []
        for path in paths:
            if Path(path).is_file():
                found.extend(load_checks(path).checks.values())
        return cls(found)

    def results(
        self, question: str, namespace: Mapping[str, Any]
    ) -> list[dict[str, Any]]:
        """Run the question's checks; a check that breaks scores 0 with the reason."""
        out: list[dict[str, Any]] = []
        for item in self.checks:
            if not checks_of_question(item.name, question):
                continue
            try:
                result = item.run(namespace)
                row = {
                    "check": item.name,
                    "outcome": result.outcome,
                    "message": str(result.message),
                    "score": float(result.score),
                    "points": float(result.points),
                }
            except Exception as exc:
                row = {
                    "check": item.name,
                    "outcome": "incorrect",
                    "message": f"the check could not run: {type(exc).__name__}: {exc}",
                    "score": 0.0,
                    "points": float(item.points),
                }
            out.append(row)
        return out

    def report(self, question: str, namespace: Mapping[str, Any]) -> None:
        """Print the question's results as one marked JSON line."""
        payload = {"question": question, "results": self.results(question, namespace)}
        print(RESULT_MARKER + json.dumps(payload))  # noqa: T201 - read by the grader
