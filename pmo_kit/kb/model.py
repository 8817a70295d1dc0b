"""
One lesson learned, in the PRINCE2 shape, and its validation.

A :class:`Lesson` holds the columns of the ``lessons`` table
(:data:`pmo_kit.data.schemas.SCHEMAS`): what happened (event), its effect, the root
cause, the early-warning signs, the recommendation and whether it was a known risk.
:meth:`Lesson.problems` lists, in plain words, what a capture form must show before
the lesson can be saved.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from dataclasses import asdict, dataclass, fields
from typing import TYPE_CHECKING

from pmo_kit._errors import ValidationError
from pmo_kit.data.schemas import METHODOLOGIES, PHASES, SCHEMAS

if TYPE_CHECKING:
    from collections.abc import Mapping

    import pandas as pd

    from pmo_kit.data.portfolio import Portfolio

__all__ = [
    "CATEGORIES",
    "LESSON_COLUMNS",
    "Lesson",
    "lessons_frame",
    "lessons_from_frame",
]

#: Knowledge areas a lesson can belong to (the ``category`` column).
CATEGORIES: tuple[str, ...] = SCHEMAS["lessons"].column("category").allowed or ()
#: Columns of the lessons table, in file order.
LESSON_COLUMNS: tuple[str, ...] = tuple(SCHEMAS["lessons"].column_names)

_REQUIRED_TEXT = ("event", "effect", "cause", "recommendation")
_LESSON_ID = re.compile(r"L-\d{3,}")
_PROJECT_ID = re.compile(r"P-\d{3,}")
_RISK_ID = re.compile(r"RK-\d{3,}")


def _text(value: object) -> str:
    """Return a cell as stripped text; empty for None/NaN/NaT."""
    if value is None:
        return ""
    if isinstance(value, float) and math.isnan(value):
        return ""
    if isinstance(value, (dt.datetime, dt.date)):
        return value.strftime("%Y-%m-%d")
    text = str(value).strip()
    return "" if text in {"nan", "NaT", "None", "<NA>"} else text


@dataclass(frozen=True, slots=True)
class Lesson:
    """
    One lesson learned.

    Every field is text; empty text means "not given". ``date`` is ``YYYY-MM-DD``.

    Examples
    --------
    >>> lesson = Lesson.from_mapping(
    ...     {
    ...         "lesson_id": "L-100",
    ...         "category": "cost",
    ...         "event": "Licences cost more",
    ...         "effect": "Budget overrun",
    ...         "cause": "Priced in dollars",
    ...         "recommendation": "Hedge the currency",
    ...         "date": "2026-05-01",
    ...     }
    ... )
    >>> lesson.problems()
    []
    >>> Lesson.from_mapping({"lesson_id": "L-101", "category": "money"}).problems()[0]
    "lesson L-101: 'event' (what happened) is missing"
    """

    lesson_id: str
    project_id: str = ""
    date: str = ""
    category: str = ""
    event: str = ""
    effect: str = ""
    cause: str = ""
    recommendation: str = ""
    tags: str = ""
    phase: str = ""
    methodology: str = ""
    early_warning: str = ""
    known_risk: str = ""
    source: str = ""

    @classmethod
    def from_mapping(cls, data: Mapping[str, object]) -> Lesson:
        """
        Build a lesson from a mapping (a form, a YAML entry, a table row).

        Unknown keys are refused with one line naming them; every value is read as
        text (``date`` accepts a date object; ``tags`` a list of words).

        Raises
        ------
        ValidationError
            The mapping has keys that are not lesson fields.
        """
        names = [f.name for f in fields(cls)]
        unknown = sorted(str(k) for k in data if k not in names)
        if unknown:
            msg = (
                f"unknown lesson field{'s' if len(unknown) > 1 else ''} "
                f"{', '.join(repr(u) for u in unknown)}. Allowed: {', '.join(names)}"
            )
            raise ValidationError(msg)
        values: dict[str, str] = {}
        for name in names:
            value = data.get(name)
            if name == "tags" and isinstance(value, (list, tuple)):
                value = ";".join(_text(v) for v in value if _text(v))
            values[name] = _text(value)
        return cls(**values)

    def to_row(self) -> dict[str, str | None]:
        """Return the lesson as a table row (empty text becomes ``None``)."""
        return {k: (v or None) for k, v in asdict(self).items()}

    @property
    def tag_list(self) -> list[str]:
        """Tags as a list (the ``tags`` column holds them separated by ';')."""
        return [t.strip() for t in self.tags.split(";") if t.strip()]

    @property
    def text(self) -> str:
        """Everything searchable, in one string."""
        parts = (
            self.event,
            self.effect,
            self.cause,
            self.recommendation,
            self.early_warning,
            self.tags.replace(";", " "),
        )
        return " ".join(p for p in parts if p)

    def problems(self, portfolio: Portfolio | None = None) -> list[str]:
        """
        List what is wrong with this lesson, one plain line per problem.

        Parameters
        ----------
        portfolio
            When given, ``project_id`` and ``known_risk`` must exist in it.

        Returns
        -------
        list of str
            Empty when the lesson can be saved.
        """
        who = f"lesson {self.lesson_id or '(no id)'}"
        out: list[str] = []
        if not self.lesson_id:
            out.append(f"{who}: 'lesson_id' is missing. Allowed: L- and 3+ digits")
        elif not _LESSON_ID.fullmatch(self.lesson_id):
            out.append(
                f"{who}: lesson_id {self.lesson_id!r} does not have the expected "
                "form. Allowed: L- and 3+ digits, e.g. L-042"
            )
        labels = {
            "event": "what happened",
            "effect": "effect on the project",
            "cause": "root cause",
            "recommendation": "what to do next time",
        }
        for name in _REQUIRED_TEXT:
            if not getattr(self, name):
                out.append(f"{who}: {name!r} ({labels[name]}) is missing")
        if self.category not in CATEGORIES:
            shown = repr(self.category) if self.category else "missing"
            out.append(
                f"{who}: category {shown} is not allowed. "
                f"Allowed: {', '.join(CATEGORIES)}"
            )
        out += self._value_problems(who)
        if portfolio is not None:
            out += self._link_problems(who, portfolio)
        return out

    def _value_problems(self, who: str) -> list[str]:
        out: list[str] = []
        try:
            dt.date.fromisoformat(self.date)
        except ValueError:
            shown = repr(self.date) if self.date else "missing"
            out.append(f"{who}: date {shown} is not a date. Allowed: YYYY-MM-DD")
        for name, allowed in (("phase", PHASES), ("methodology", METHODOLOGIES)):
            value = getattr(self, name)
            if value and value not in allowed:
                out.append(
                    f"{who}: {name} {value!r} is not allowed. "
                    f"Allowed: {', '.join(allowed)} or empty"
                )
        if self.project_id and not _PROJECT_ID.fullmatch(self.project_id):
            out.append(
                f"{who}: project_id {self.project_id!r} does not have the expected "
                "form. Allowed: P- and 3+ digits, or empty"
            )
        if self.known_risk and not _RISK_ID.fullmatch(self.known_risk):
            out.append(
                f"{who}: known_risk {self.known_risk!r} is not a risk id. "
                "Allowed: RK- and 3+ digits, or empty if it was not a known risk"
            )
        if self.known_risk and not self.project_id:
            out.append(
                f"{who}: known_risk {self.known_risk!r} needs the project_id whose "
                "risk register holds it"
            )
        return out

    def _link_problems(self, who: str, portfolio: Portfolio) -> list[str]:
        out: list[str] = []
        if self.project_id and self.project_id not in portfolio.project_ids:
            out.append(
                f"{who}: project_id {self.project_id!r} is not a project in "
                f"{portfolio.name}. Allowed: {', '.join(portfolio.project_ids)}"
            )
            return out
        if self.known_risk and self.project_id:
            risks = portfolio.risks
            ids = sorted(
                str(r)
                for r in risks.loc[risks["project_id"] == self.project_id, "risk_id"]
            )
            if self.known_risk not in ids:
                out.append(
                    f"{who}: known_risk {self.known_risk!r} is not a risk of project "
                    f"{self.project_id}. Allowed: {', '.join(ids) or 'no risks'}"
                )
        return out

    def check(self, portfolio: Portfolio | None = None) -> Lesson:
        """
        Return the lesson if it has no problems, else raise one clear error.

        Raises
        ------
        ValidationError
            The first problem (with a count of the rest); ``problems`` lists all.
        """
        problems = self.problems(portfolio)
        if problems:
            raise ValidationError.from_problems(problems)
        return self


def lessons_frame(lessons: list[Lesson]) -> pd.DataFrame:
    """Return lessons as a DataFrame with the columns of the lessons table."""
    import pandas as pd

    return pd.DataFrame(
        [lesson.to_row() for lesson in lessons], columns=list(LESSON_COLUMNS)
    )


def lessons_from_frame(frame: pd.DataFrame) -> list[Lesson]:
    """Return the rows of a lessons table as :class:`Lesson` objects."""
    columns = [c for c in frame.columns if c in LESSON_COLUMNS]
    records = frame[columns].to_dict("records")
    return [Lesson.from_mapping({str(k): v for k, v in r.items()}) for r in records]
