"""
Quick quizzes: a question bank per lesson, each answer with its explanation.

The bank lives in ``pmo_kit/training/quizzes/<lesson>_*.yaml`` (the kit's own words):
multiple-choice questions, where every option carries the reason it is right or
wrong, and numeric questions with a tolerance. Lesson 00 covers the PMO profession
itself: the PMO's functions and types, the roles (PMO manager, analyst,
specialist, coordinator), the certifications (PMP, CAPM, PRINCE2, PMI-ACP) and the
project life cycle. A trainer can add a file of their own with :func:`load_quiz`.

>>> quiz = load_quiz("05")
>>> quiz.title
'Earned value'
>>> result = quiz.question("cpi").grade("0.90")
>>> result.correct, result.message
(True, 'Right. CPI = EV / AC = 450,000 / 500,000 = 0.90.')
>>> quiz.question("spi-meaning").grade("d").message
'Not quite. Percent complete is EV / BAC, not EV / PV.'
>>> quiz.score({"cpi": 0.9, "eac": 1_250_000, "spi-meaning": "A"})
QuizScore(correct=2, total=3)
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pmo_kit._errors import ValidationError

if TYPE_CHECKING:
    import os
    from collections.abc import Mapping

__all__ = [
    "QUIZ_FOLDER",
    "Question",
    "Quiz",
    "QuizResult",
    "QuizScore",
    "load_quiz",
    "quiz_lessons",
]

#: Where the kit's question bank lives.
QUIZ_FOLDER = Path(__file__).resolve().parent / "quizzes"
_KINDS = ("choice", "numeric")


@dataclass(frozen=True)
class QuizResult:
    """The verdict on one answer: right or not, and why."""

    question: str
    correct: bool
    message: str


@dataclass(frozen=True)
class QuizScore:
    """How many answers were right."""

    correct: int
    total: int

    def __str__(self) -> str:
        """Say the score as a line: ``7/9 correct``."""
        return f"{self.correct}/{self.total} correct"


@dataclass(frozen=True)
class Question:
    """One question of the bank."""

    id: str
    kind: str
    text: str
    answer: str | float
    options: dict[str, str] = field(default_factory=dict)
    explain: dict[str, str] = field(default_factory=dict)
    tolerance: float = 0.0
    explain_right: str = ""
    explain_wrong: str = ""

    def grade(self, answer: object) -> QuizResult:
        """Grade ``answer`` (a letter, or a number or numeric text)."""
        if self.kind == "choice":
            return self._grade_choice(answer)
        return self._grade_number(answer)

    def _grade_choice(self, answer: object) -> QuizResult:
        letters = sorted(self.options)
        text = str(answer).strip().upper().rstrip(").:") if answer is not None else ""
        if text not in self.options:
            msg = f"Answer with one letter: {', '.join(letters)}."
            return QuizResult(self.id, False, msg)
        right = text == self.answer
        why = self.explain.get(text, "")
        if right:
            text = why if why.startswith("Right") else f"Right. {why}".strip()
            return QuizResult(self.id, True, text)
        return QuizResult(self.id, False, f"Not quite. {why}".strip())

    def _grade_number(self, answer: object) -> QuizResult:
        value = _number(answer)
        if value is None:
            return QuizResult(self.id, False, "Answer with a number, such as 12.5.")
        truth = float(self.answer)
        right = math.isclose(value, truth, rel_tol=0.0, abs_tol=self.tolerance)
        if right:
            return QuizResult(self.id, True, f"Right. {self.explain_right}".strip())
        return QuizResult(self.id, False, f"Not quite. {self.explain_wrong}".strip())


def _number(answer: object) -> float | None:
    if isinstance(answer, bool):
        return None
    if isinstance(answer, int | float):
        return float(answer) if math.isfinite(float(answer)) else None
    if isinstance(answer, str):
        text = answer.strip().replace(",", "").rstrip("%").strip()
        try:
            value = float(text)
        except ValueError:
            return None
        return value if math.isfinite(value) else None
    return None


@dataclass(frozen=True)
class Quiz:
    """The questions of one lesson."""

    lesson: str
    title: str
    questions: tuple[Question, ...]
    source: Path

    def question(self, question_id: str) -> Question:
        """Return one question by id; an unknown id names the ones there are."""
        for item in self.questions:
            if item.id == question_id:
                return item
        known = ", ".join(q.id for q in self.questions)
        msg = f"quiz {self.lesson}: no question {question_id!r}. Allowed: {known}"
        raise ValidationError(msg)

    def grade(self, answers: Mapping[str, object]) -> list[QuizResult]:
        """Grade every answered question (by id); unanswered ones are left out."""
        return [q.grade(answers[q.id]) for q in self.questions if q.id in answers]

    def score(self, answers: Mapping[str, object]) -> QuizScore:
        """Count the right answers against every question of the quiz."""
        right = sum(result.correct for result in self.grade(answers))
        return QuizScore(right, len(self.questions))


def quiz_lessons(folder: str | os.PathLike[str] | None = None) -> list[str]:
    """Return the lessons that have a quiz (``"00"``, ``"01"``, ...)."""
    base = Path(folder) if folder is not None else QUIZ_FOLDER
    return sorted({p.name.split("_", 1)[0] for p in base.glob("*.yaml")})


def load_quiz(lesson: str, *, folder: str | os.PathLike[str] | None = None) -> Quiz:
    """
    Read and check the quiz of ``lesson`` (``"05"``; or a path to a YAML file).

    Raises
    ------
    ValidationError
        No such quiz, or a question that breaks the bank's rules (named by file
        and question id): unknown kind, an answer that is not one of the options,
        an option without its explanation, a duplicate id, a numeric answer that
        is not a number.
    """
    from pmo_kit.data.yaml_files import read_yaml

    path = Path(lesson)
    if path.suffix not in (".yaml", ".yml"):
        base = Path(folder) if folder is not None else QUIZ_FOLDER
        found = sorted(base.glob(f"{lesson}_*.yaml"))
        if not found:
            known = ", ".join(quiz_lessons(base)) or "none"
            msg = f"no quiz for lesson {lesson!r} in {base}. Allowed: {known}"
            raise ValidationError(msg)
        path = found[0]
    data = read_yaml(path, what="quiz")
    if not isinstance(data, dict) or not isinstance(data.get("questions"), list):
        msg = f"{path}: expected a mapping with lesson, title and a list of questions"
        raise ValidationError(msg)
    questions = tuple(_question(path, item) for item in data["questions"])
    ids = [q.id for q in questions]
    duplicates = sorted({i for i in ids if ids.count(i) > 1})
    if duplicates:
        msg = (
            f"{path}: question id {duplicates[0]!r} is used twice. Allowed: unique ids"
        )
        raise ValidationError(msg)
    return Quiz(
        str(data.get("lesson", "")), str(data.get("title", "")), questions, path
    )


def _question(path: Path, item: Any) -> Question:
    if not isinstance(item, dict) or not item.get("id"):
        msg = f"{path}: every question needs an id, a kind, a question and an answer"
        raise ValidationError(msg)
    where = f"{path}, question {item['id']!r}"
    kind = item.get("kind")
    if kind not in _KINDS:
        msg = f"{where}: kind {kind!r} is not allowed. Allowed: {', '.join(_KINDS)}"
        raise ValidationError(msg)
    text = str(item.get("question") or "")
    if not text:
        msg = f"{where}: the question text is missing"
        raise ValidationError(msg)
    if kind == "choice":
        options = {
            str(k).upper(): str(v) for k, v in (item.get("options") or {}).items()
        }
        explain = {
            str(k).upper(): str(v) for k, v in (item.get("explain") or {}).items()
        }
        answer = str(item.get("answer", "")).upper()
        if len(options) < 2 or answer not in options:
            msg = (
                f"{where}: answer {answer!r} is not one of the options. "
                f"Allowed: {', '.join(sorted(options)) or 'two or more options'}"
            )
            raise ValidationError(msg)
        missing = sorted(set(options) - set(explain))
        if missing:
            msg = f"{where}: option {missing[0]} has no explanation (explain: {{...}})"
            raise ValidationError(msg)
        return Question(str(item["id"]), kind, text, answer, options, explain)
    value = _number(item.get("answer"))
    tolerance = _number(item.get("tolerance", 0))
    if value is None or tolerance is None or tolerance < 0:
        msg = f"{where}: a numeric question needs a number answer and tolerance >= 0"
        raise ValidationError(msg)
    return Question(
        str(item["id"]),
        kind,
        text,
        value,
        tolerance=tolerance,
        explain_right=str(item.get("explain_right", "")),
        explain_wrong=str(item.get("explain_wrong", "")),
    )
