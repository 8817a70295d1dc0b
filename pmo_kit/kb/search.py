"""
Ranked full-text search over lessons: one shared scorer for every backend.

The databases (SQLite FTS5, PostgreSQL full text) only *find* candidate lessons;
:class:`LessonIndex` ranks them with Okapi BM25 over the stemmed terms of
:mod:`pmo_kit.kb.text`, with PMO synonyms at a lower weight. Because the ranking is
the same code everywhere, SQLite, PostgreSQL and the pure-Python fallback give the
same order for the same lessons.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from pmo_kit._errors import ValidationError
from pmo_kit.data.schemas import METHODOLOGIES, PHASES
from pmo_kit.kb.model import CATEGORIES, Lesson, lessons_from_frame
from pmo_kit.kb.text import query_words, terms

if TYPE_CHECKING:
    import pandas as pd

__all__ = [
    "Filters",
    "Hit",
    "LessonIndex",
    "SearchResult",
    "search_lessons",
    "snippet",
]

#: BM25 parameters (the usual defaults).
_K1 = 1.2
_B = 0.75
#: Field weights: words in the event and tags count more than the rest.
_FIELD_WEIGHTS: tuple[tuple[str, int], ...] = (
    ("event", 2),
    ("effect", 1),
    ("cause", 1),
    ("recommendation", 1),
    ("early_warning", 1),
    ("tags", 2),
)


@dataclass(frozen=True, slots=True)
class Hit:
    """One search result: the lesson, its score and a snippet to show."""

    lesson_id: str
    score: float
    snippet: str
    lesson: Lesson


@dataclass(frozen=True)
class SearchResult:
    """
    Ranked hits of one search (best first).

    ``backend`` says which engine found the candidates: ``"sqlite-fts5"``,
    ``"postgresql"`` or ``"python"``.
    """

    query: str
    hits: tuple[Hit, ...]
    backend: str = "python"

    def __len__(self) -> int:
        return len(self.hits)

    def __iter__(self) -> Iterator[Hit]:
        return iter(self.hits)

    def __getitem__(self, index: int) -> Hit:
        return self.hits[index]

    @property
    def lesson_ids(self) -> list[str]:
        """Lesson ids in rank order."""
        return [h.lesson_id for h in self.hits]

    def frame(self) -> pd.DataFrame:
        """Return the hits as a table for display (rank, id, score, category, ...)."""
        import pandas as pd

        rows = [
            {
                "rank": i,
                "lesson_id": h.lesson_id,
                "score": round(h.score, 3),
                "category": h.lesson.category,
                "snippet": h.snippet,
                "recommendation": h.lesson.recommendation,
                "project_id": h.lesson.project_id or None,
            }
            for i, h in enumerate(self.hits, start=1)
        ]
        columns = [
            "rank",
            "lesson_id",
            "score",
            "category",
            "snippet",
            "recommendation",
            "project_id",
        ]
        return pd.DataFrame(rows, columns=columns)


@dataclass(frozen=True)
class Filters:
    """Search filters; empty means "any". Checked against the allowed values."""

    category: str | None = None
    phase: str | None = None
    methodology: str | None = None
    tags: tuple[str, ...] = field(default=())

    def __post_init__(self) -> None:
        for name, value, allowed in (
            ("category", self.category, CATEGORIES),
            ("phase", self.phase, PHASES),
            ("methodology", self.methodology, METHODOLOGIES),
        ):
            if value is not None and value not in allowed:
                msg = (
                    f"search filter {name}={value!r} is not allowed. "
                    f"Allowed: {', '.join(allowed)}"
                )
                raise ValidationError(msg)

    def keep(self, lesson: Lesson, methodology: str) -> bool:
        """Tell whether ``lesson`` passes (``methodology``: the lesson's, resolved)."""
        if self.category and lesson.category != self.category:
            return False
        if self.phase and lesson.phase != self.phase:
            return False
        if self.methodology and methodology not in ("", self.methodology):
            return False
        if self.tags:
            have = {t.lower() for t in lesson.tag_list}
            if not all(t.strip().lower() in have for t in self.tags):
                return False
        return True


class LessonIndex:
    """
    An in-memory BM25 index over lessons (the shared scorer).

    Parameters
    ----------
    lessons
        The lessons to index.
    project_methodology
        Methodology of each project, so a lesson without its own ``methodology``
        takes its project's (a lesson with neither applies to any methodology).
    """

    def __init__(
        self,
        lessons: Iterable[Lesson],
        project_methodology: dict[str, str] | None = None,
    ) -> None:
        self.lessons: dict[str, Lesson] = {}
        self._tf: dict[str, Counter[str]] = {}
        self._length: dict[str, int] = {}
        self._df: Counter[str] = Counter()
        self._project_methodology = dict(project_methodology or {})
        for lesson in lessons:
            counts: Counter[str] = Counter()
            for name, weight in _FIELD_WEIGHTS:
                value = getattr(lesson, name)
                if name == "tags":
                    value = value.replace(";", " ")
                for term in terms(value):
                    counts[term] += weight
            self.lessons[lesson.lesson_id] = lesson
            self._tf[lesson.lesson_id] = counts
            self._length[lesson.lesson_id] = sum(counts.values())
            self._df.update(counts.keys())
        n = len(self.lessons)
        self._avg = (sum(self._length.values()) / n) if n else 0.0

    def methodology(self, lesson: Lesson) -> str:
        """Return a lesson's methodology: its own, else its project's, else ''."""
        return lesson.methodology or self._project_methodology.get(
            lesson.project_id, ""
        )

    def score(self, lesson_id: str, weights: dict[str, float]) -> float:
        """BM25 score of one lesson for weighted query terms."""
        tf = self._tf[lesson_id]
        n = len(self.lessons)
        norm = _K1 * (1 - _B + _B * self._length[lesson_id] / (self._avg or 1.0))
        total = 0.0
        for term, weight in weights.items():
            f = tf.get(term, 0)
            if not f:
                continue
            df = self._df[term]
            idf = math.log(1 + (n - df + 0.5) / (df + 0.5))
            total += weight * idf * f * (_K1 + 1) / (f + norm)
        return total

    def search(
        self,
        query: str,
        *,
        filters: Filters | None = None,
        limit: int = 10,
        candidates: Iterable[str] | None = None,
        synonyms: bool = True,
        backend: str = "python",
    ) -> SearchResult:
        """
        Rank lessons for ``query``; only ``candidates`` when a database found them.

        Ties are broken by lesson id, so the order is the same on every backend.
        """
        if limit < 1:
            msg = f"search limit={limit!r} is not allowed. Allowed: 1 or more"
            raise ValidationError(msg)
        filters = filters or Filters()
        weights = query_words(query, synonyms=synonyms)
        pool = (
            self.lessons if candidates is None else set(candidates) & set(self.lessons)
        )
        scored: list[tuple[float, str]] = []
        for lesson_id in pool:
            lesson = self.lessons[lesson_id]
            if not filters.keep(lesson, self.methodology(lesson)):
                continue
            if not weights:  # an empty query lists the filtered lessons
                scored.append((0.0, lesson_id))
                continue
            s = self.score(lesson_id, weights)
            if s > 0:
                scored.append((s, lesson_id))
        scored.sort(key=lambda x: (-round(x[0], 9), x[1]))
        hits = tuple(
            Hit(i, s, snippet(self.lessons[i], weights), self.lessons[i])
            for s, i in scored[:limit]
        )
        return SearchResult(query=query, hits=hits, backend=backend)


def snippet(lesson: Lesson, weights: dict[str, float], width: int = 160) -> str:
    """
    Return the lesson field that matches the query best, cut to ``width`` characters.

    Examples
    --------
    >>> lesson = Lesson("L-001", event="Vendor late", recommendation="Add penalties")
    >>> snippet(lesson, {"penalty": 1.0})
    'Add penalties'
    """
    best, best_score = lesson.event, -1.0
    for name in ("event", "effect", "cause", "recommendation", "early_warning"):
        value: str = getattr(lesson, name)
        s = sum(weights.get(t, 0.0) for t in terms(value))
        if s > best_score + 1e-12:
            best, best_score = value, s
    if len(best) <= width:
        return best
    return best[: width - 1].rsplit(" ", 1)[0] + "…"


def search_lessons(
    lessons: pd.DataFrame | Sequence[Lesson],
    query: str,
    *,
    category: str | None = None,
    phase: str | None = None,
    methodology: str | None = None,
    tags: Sequence[str] = (),
    limit: int = 10,
    projects: pd.DataFrame | None = None,
) -> SearchResult:
    """
    Search lessons in memory (pure Python, no database).

    Parameters
    ----------
    lessons
        A lessons table (DataFrame) or a list of :class:`Lesson`.
    query
        Words as a project manager would type them.
    category, phase, methodology, tags
        Filters; a lesson's methodology is its own, else its project's (from
        ``projects``), else it applies to any methodology.
    limit
        Number of hits to return.
    projects
        The projects table, to know each lesson's project methodology.

    Examples
    --------
    >>> from pmo_kit import load_portfolio
    >>> sample = load_portfolio()
    >>> result = search_lessons(sample.lessons, "vendor delivered late", limit=3)
    >>> result[0].lesson.category
    'risk'
    """
    items = (
        list(lessons) if isinstance(lessons, Sequence) else lessons_from_frame(lessons)
    )
    meth: dict[str, str] = {}
    if projects is not None:
        meth = dict(zip(projects["project_id"], projects["methodology"], strict=True))
    index = LessonIndex(items, meth)
    return index.search(
        query,
        filters=Filters(category, phase, methodology, tuple(tags)),
        limit=limit,
    )
