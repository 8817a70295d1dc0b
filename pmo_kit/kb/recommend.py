"""
Recommend the lessons that matter for a project, each with the reasons why.

A lesson scores for a project when its text matches one of the project's open
risks (ranked with the shared BM25 scorer of :mod:`pmo_kit.kb.search`), when its
category is the knowledge area of an open risk's category, when it applies to the
project's methodology and when it is about the project's current phase. Every
point added comes with a reason in plain words, so a PMO can judge the advice.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from pmo_kit._errors import ValidationError
from pmo_kit.kb.model import Lesson, lessons_from_frame
from pmo_kit.kb.search import LessonIndex

if TYPE_CHECKING:
    from collections.abc import Iterable, Sequence

    import pandas as pd

    from pmo_kit.data.portfolio import Portfolio

__all__ = [
    "RISK_TO_LESSON_CATEGORIES",
    "Recommendation",
    "recommend",
    "recommendations_frame",
]

#: Lesson categories (knowledge areas) that answer each risk category.
RISK_TO_LESSON_CATEGORIES: dict[str, tuple[str, ...]] = {
    "technical": ("quality",),
    "schedule": ("schedule",),
    "cost": ("cost",),
    "resource": ("resources",),
    "scope": ("scope",),
    "supplier": ("procurement",),
    "regulatory": ("risk",),
    "external": ("risk",),
    "organisational": ("stakeholders", "governance"),
}

#: Weights of each reason in the recommendation score.
_RISK_WEIGHT = 3.0
_CATEGORY_WEIGHT = 1.0
_METHODOLOGY_WEIGHT = 1.0
_PHASE_WEIGHT = 0.5
#: A lesson "matches" a risk when it scores at least this share of the best match.
_RISK_SHARE = 0.35
#: ... and at least this BM25 score (below it, the words shared are incidental).
_RISK_MIN_SCORE = 8.0


@dataclass(frozen=True, slots=True)
class Recommendation:
    """A lesson proposed for a project, with its score and the reasons why."""

    lesson_id: str
    score: float
    reasons: tuple[str, ...]
    lesson: Lesson


def _risk_matches(
    index: LessonIndex, risks: pd.DataFrame, pool: set[str]
) -> dict[str, tuple[float, str]]:
    """Best open-risk match of each lesson: (share of the best score, reason)."""
    from pmo_kit.kb.text import query_words

    best: dict[str, tuple[float, str]] = {}
    for risk in risks.itertuples(index=False):
        text = " ".join(str(getattr(risk, c)) for c in ("title", "event", "cause"))
        weights = query_words(text)
        scores = {i: index.score(i, weights) for i in pool}
        top = max(scores.values(), default=0.0)
        if top <= 0:
            continue
        for lesson_id, s in scores.items():
            share = s / top
            if share < _RISK_SHARE or s < _RISK_MIN_SCORE:
                continue
            reason = (
                f"matches open risk {risk.risk_id} '{risk.title}' ({risk.category})"
            )
            if share > best.get(lesson_id, (0.0, ""))[0]:
                best[lesson_id] = (share, reason)
    return best


def recommend(
    project_id: str,
    portfolio: Portfolio,
    *,
    lessons: Iterable[Lesson] | None = None,
    limit: int = 5,
) -> list[Recommendation]:
    """
    Propose the lessons that matter for a project, best first, each with reasons.

    Parameters
    ----------
    project_id
        The project to advise (its methodology, phase and open risks are used).
    portfolio
        The portfolio holding the project, its risks and (by default) the lessons.
    lessons
        The lessons to choose from; ``None`` uses ``portfolio.lessons``. Lessons
        recorded by the project itself are left out (the team knows them).
    limit
        How many recommendations to return. Lessons with the same event text
        (the same lesson recorded by several projects) are proposed once.

    Raises
    ------
    ValidationError
        ``project_id`` is not in the portfolio, or ``limit`` is below 1.

    Examples
    --------
    >>> from pmo_kit import load_portfolio
    >>> recs = recommend("P-001", load_portfolio(), limit=2)
    >>> len(recs), all(r.reasons for r in recs)
    (2, True)
    """
    if limit < 1:
        msg = f"recommend limit={limit!r} is not allowed. Allowed: 1 or more"
        raise ValidationError(msg)
    project = portfolio.project(project_id)
    methodology = str(project["methodology"])
    phase = str(project["phase"])
    if lessons is None:
        lessons = lessons_from_frame(portfolio.lessons)
    items = [item for item in lessons if item.project_id != project_id]
    projects = portfolio.projects
    meth = dict(zip(projects["project_id"], projects["methodology"], strict=True))
    index = LessonIndex(items, meth)
    risks = portfolio.risks
    open_risks = risks[
        (risks["project_id"] == project_id) & (risks["status"] == "open")
    ]
    matches = _risk_matches(index, open_risks, set(index.lessons))
    area_risks: dict[str, list[str]] = {}
    for risk in open_risks.itertuples(index=False):
        for area in RISK_TO_LESSON_CATEGORIES.get(str(risk.category), ()):
            area_risks.setdefault(area, []).append(str(risk.risk_id))
    scored: list[Recommendation] = []
    for lesson_id, lesson in index.lessons.items():
        score = 0.0
        reasons: list[str] = []
        if lesson_id in matches:
            share, reason = matches[lesson_id]
            score += _RISK_WEIGHT * share
            reasons.append(reason)
        if lesson.category in area_risks:
            score += _CATEGORY_WEIGHT
            ids = ", ".join(area_risks[lesson.category])
            reasons.append(f"category {lesson.category}, like open risk(s) {ids}")
        if index.methodology(lesson) == methodology:
            score += _METHODOLOGY_WEIGHT
            reasons.append(f"same methodology ({methodology})")
        if lesson.phase and lesson.phase == phase:
            score += _PHASE_WEIGHT
            reasons.append(f"phase {phase}")
        if reasons:
            scored.append(Recommendation(lesson_id, score, tuple(reasons), lesson))
    scored.sort(key=lambda r: (-round(r.score, 9), r.lesson_id))
    out: list[Recommendation] = []
    seen: set[str] = set()
    for rec in scored:
        key = " ".join(rec.lesson.event.lower().split())
        if key in seen:
            continue
        seen.add(key)
        out.append(rec)
        if len(out) == limit:
            break
    return out


def recommendations_frame(recommendations: Sequence[Recommendation]) -> pd.DataFrame:
    """Return recommendations as a table for display (reasons joined by '; ')."""
    import pandas as pd

    rows = [
        {
            "lesson_id": r.lesson_id,
            "score": round(r.score, 2),
            "category": r.lesson.category,
            "event": r.lesson.event,
            "recommendation": r.lesson.recommendation,
            "why": "; ".join(r.reasons),
        }
        for r in recommendations
    ]
    columns = ["lesson_id", "score", "category", "event", "recommendation", "why"]
    return pd.DataFrame(rows, columns=columns)
