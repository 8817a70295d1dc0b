"""
Lessons-learned knowledge base: ranked full-text search, recommendations, capture.

>>> from pmo_kit.kb import open_knowledge_base
>>> kb = open_knowledge_base()  # the bundled sample, read-only
>>> hits = kb.search("vendor slipped", limit=5)  # ranked, with snippets
>>> recs = kb.recommend("P-001")  # each with its reasons
>>> all(r.reasons for r in recs)
True

See docs/knowledge-base.md.
"""

from __future__ import annotations

from pmo_kit.kb.base import (
    KnowledgeBase,
    fts5_available,
    open_knowledge_base,
    read_lessons_file,
    starter_lessons,
    starter_lessons_path,
)
from pmo_kit.kb.model import CATEGORIES, Lesson, lessons_frame, lessons_from_frame
from pmo_kit.kb.recommend import Recommendation, recommend, recommendations_frame
from pmo_kit.kb.search import Filters, Hit, LessonIndex, SearchResult, search_lessons

#: ``recommend`` under the name ``pmo_kit`` exports it by.
recommend_lessons = recommend

__all__ = [
    "CATEGORIES",
    "Filters",
    "Hit",
    "KnowledgeBase",
    "Lesson",
    "LessonIndex",
    "Recommendation",
    "SearchResult",
    "fts5_available",
    "lessons_frame",
    "lessons_from_frame",
    "open_knowledge_base",
    "read_lessons_file",
    "recommend",
    "recommend_lessons",
    "recommendations_frame",
    "search_lessons",
    "starter_lessons",
    "starter_lessons_path",
]
