"""Search: ranking sanity, filters, the pure-Python fallback."""

from __future__ import annotations

import pandas as pd
import pytest

from pmo_kit._errors import ValidationError
from pmo_kit.data.portfolio import bundled_dataset_path
from pmo_kit.kb import base, open_knowledge_base, search_lessons, starter_lessons_path

SAMPLE = bundled_dataset_path()


def _lessons() -> pd.DataFrame:
    """Sample lessons + starter library, with each lesson's methodology (pandas)."""
    sample = pd.read_csv(SAMPLE / "lessons.csv", dtype=str)
    projects = pd.read_csv(SAMPLE / "projects.csv", dtype=str)
    sample = sample.merge(projects[["project_id", "methodology"]], how="left")
    starter = pd.read_csv(starter_lessons_path(), dtype=str)
    return pd.concat([sample, starter], ignore_index=True)


@pytest.fixture(scope="module")
def kb() -> base.KnowledgeBase:
    return open_knowledge_base()


def test_the_words_of_an_event_find_that_lesson_first(kb):
    lessons = _lessons()
    for event in lessons.drop_duplicates("event")["event"].head(40):
        ids = set(lessons.loc[lessons["event"] == event, "lesson_id"])
        top = kb.search(event, limit=len(ids)).lesson_ids
        assert set(top) == ids, event


def test_scores_descend_and_hits_carry_snippets(kb):
    result = kb.search("supplier delivered late", limit=10)
    scores = [hit.score for hit in result]
    assert scores == sorted(scores, reverse=True)
    assert scores[-1] > 0
    assert all(hit.snippet and hit.lesson.lesson_id == hit.lesson_id for hit in result)
    frame = result.frame()
    assert list(frame["lesson_id"]) == result.lesson_ids
    assert list(frame["rank"]) == list(range(1, len(result) + 1))


def test_words_found_nowhere_find_nothing(kb):
    assert len(kb.search("zebra xylophone")) == 0


@pytest.mark.parametrize(
    ("option", "value", "column"),
    [("category", "procurement", "category"), ("phase", "execution", "phase")],
)
def test_column_filters(kb, option, value, column):
    lessons = _lessons()
    expected = set(lessons.loc[lessons[column] == value, "lesson_id"])
    got = kb.search("", limit=500, **{option: value}).lesson_ids
    assert set(got) == expected
    assert expected


def test_methodology_filter_uses_the_project_and_keeps_lessons_for_any(kb):
    lessons = _lessons()
    keep = lessons["methodology"].isna() | (lessons["methodology"] == "agile")
    expected = set(lessons.loc[keep, "lesson_id"])
    got = set(kb.search("", methodology="agile", limit=500).lesson_ids)
    assert got == expected
    assert "L-002" in got
    assert "L-003" not in got


def test_tags_filter_needs_every_tag(kb):
    lessons = _lessons()
    tag_sets = (
        lessons["tags"]
        .fillna("")
        .map(lambda t: {x.strip().lower() for x in t.split(";")})
    )
    expected = set(
        lessons.loc[tag_sets.map(lambda t: {"supplier", "contract"} <= t), "lesson_id"]
    )
    got = set(kb.search("", tags=["Supplier", "contract"], limit=500).lesson_ids)
    assert got == expected
    assert len(expected) >= 3


def test_filters_combine_with_the_query(kb):
    result = kb.search("late delivery", category="procurement", phase="execution")
    assert result.lesson_ids
    assert {(h.lesson.category, h.lesson.phase) for h in result} == {
        ("procurement", "execution")
    }


def test_bad_filter_is_one_line(kb):
    with pytest.raises(ValidationError) as info:
        kb.search("x", category="money")
    assert "category='money'" in str(info.value)
    assert "procurement" in str(info.value)
    with pytest.raises(ValidationError, match="limit"):
        kb.search("x", limit=0)


def test_pure_python_fallback_gives_the_same_ranking(kb, monkeypatch):
    monkeypatch.setattr(base, "fts5_available", lambda: False)
    fallback = open_knowledge_base()
    assert fallback.backend == "python"
    assert kb.backend == "sqlite-fts5"
    for query in ("vendor slipped", "sponsor never available", "risk log", "budget"):
        assert fallback.search(query).lesson_ids == kb.search(query).lesson_ids


def test_search_lessons_is_a_pure_function_on_a_frame():
    lessons = pd.read_csv(SAMPLE / "lessons.csv")
    result = search_lessons(lessons, "works council tracking", limit=1)
    expected = lessons.loc[lessons["tags"].str.contains("works council"), "lesson_id"]
    assert result.lesson_ids == list(expected)
    assert result.backend == "python"
