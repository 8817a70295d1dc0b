"""Adding lessons (folder, SQLite, PostgreSQL) and equal rankings on every backend."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pandas as pd
import pytest
import yaml

from pmo_kit._errors import PMOError, ValidationError
from pmo_kit.data.portfolio import load_portfolio, save_portfolio
from pmo_kit.kb import KnowledgeBase, open_knowledge_base, starter_lessons_path

NEW = {
    "lesson_id": "L-700",
    "project_id": "P-002",
    "date": "2026-07-01",
    "category": "procurement",
    "event": "The hovercraft vendor missed the delivery window",
    "effect": "Sea trials moved by a month",
    "cause": "No penalty clause",
    "recommendation": "Agree penalties for late hovercraft delivery",
    "phase": "execution",
    "early_warning": "Vendor stopped answering emails",
}
QUERIES = [
    q["query"]
    for q in yaml.safe_load(
        (Path(__file__).parents[2] / "bench" / "kb_queries.yaml").read_text()
    )["queries"]
]


def test_add_to_a_folder_saves_and_searches(sample_folder):
    kb = open_knowledge_base(sample_folder)
    kb.add(NEW)
    saved = pd.read_csv(sample_folder / "lessons.csv", dtype=str)
    row = saved[saved["lesson_id"] == "L-700"].iloc[0]
    assert row["event"] == NEW["event"]
    assert row["early_warning"] == NEW["early_warning"]
    assert kb.search("hovercraft").lesson_ids == ["L-700"]
    assert open_knowledge_base(sample_folder).search("hovercraft").lesson_ids == [
        "L-700"
    ]


def test_duplicate_id_is_one_line_and_nothing_is_written(sample_folder):
    before = (sample_folder / "lessons.csv").read_bytes()
    kb = open_knowledge_base(sample_folder)
    with pytest.raises(ValidationError) as info:
        kb.add({**NEW, "lesson_id": "L-001"})
    message = str(info.value)
    assert "'L-001'" in message
    assert "already" in message
    assert "\n" not in message
    with pytest.raises(ValidationError, match="'effect'"):
        kb.add({**NEW, "effect": ""})
    assert (sample_folder / "lessons.csv").read_bytes() == before


def test_add_file_is_all_or_nothing(sample_folder, tmp_path):
    good = {**NEW}
    bad = {**NEW, "lesson_id": "L-701", "category": "weather"}
    file = tmp_path / "new.yaml"
    file.write_text(yaml.safe_dump({"lessons": [good, bad]}))
    kb = open_knowledge_base(sample_folder)
    with pytest.raises(ValidationError) as info:
        kb.add_file(file)
    assert str(file) in str(info.value)
    assert "'weather'" in str(info.value)
    assert "L-700" not in set(pd.read_csv(sample_folder / "lessons.csv")["lesson_id"])
    file.write_text(yaml.safe_dump([good, {**bad, "category": "risk"}]))
    assert [lesson.lesson_id for lesson in kb.add_file(file)] == ["L-700", "L-701"]


def test_the_starter_library_loads_into_a_folder(sample_folder):
    kb = open_knowledge_base(sample_folder)
    added = kb.add_file(starter_lessons_path())
    expected = pd.read_csv(starter_lessons_path(), dtype=str)["lesson_id"]
    assert [lesson.lesson_id for lesson in added] == list(expected)
    assert len(load_portfolio(sample_folder).lessons) == 32 + len(expected)


def test_the_bundled_sample_is_read_only():
    with pytest.raises(ValidationError, match="read-only"):
        open_knowledge_base().add(NEW)


def test_sqlite_database_uses_fts5_kept_in_step(tmp_path):
    url = f"sqlite:///{tmp_path / 'pmo.db'}"
    save_portfolio(load_portfolio(), url)
    kb = open_knowledge_base(url)
    assert kb.backend == "sqlite-fts5"
    kb.add(NEW)
    assert kb.search("hovercraft").lesson_ids == ["L-700"]
    with sqlite3.connect(tmp_path / "pmo.db") as conn:
        hits = conn.execute(
            "SELECT count(*) FROM lessons_fts WHERE lessons_fts MATCH 'hovercraft'"
        ).fetchone()[0]
        assert hits == 1  # the trigger indexed the new row
        conn.execute("DELETE FROM lessons WHERE lesson_id = 'L-700'")
        hits = conn.execute(
            "SELECT count(*) FROM lessons_fts WHERE lessons_fts MATCH 'hovercraft'"
        ).fetchone()[0]
        assert hits == 0


def test_unreachable_database_is_one_line():
    with pytest.raises(PMOError) as info:
        open_knowledge_base("postgresql://pmo:secret@127.0.0.1:1/pmo")
    message = str(info.value)
    assert "\n" not in message
    assert "secret" not in message
    assert "127.0.0.1" in message


def _top5(kb: KnowledgeBase) -> dict[str, list[str]]:
    return {q: kb.search(q, limit=5).lesson_ids for q in QUERIES}


def test_same_top5_on_sqlite_and_python(corpus, tmp_path):
    url = f"sqlite:///{tmp_path / 'kb.db'}"
    save_portfolio(corpus, url)
    fts = open_knowledge_base(url)
    assert fts.backend == "sqlite-fts5"
    assert _top5(fts) == _top5(open_knowledge_base(url, engine="python"))


def test_same_top5_on_sqlite_and_postgresql(corpus, tmp_path, pg_server):
    from tests.pg_server import fresh_database

    sqlite_url = f"sqlite:///{tmp_path / 'kb.db'}"
    pg_url = fresh_database(pg_server, "kb_equal_top5")
    for url in (sqlite_url, pg_url):
        save_portfolio(corpus, url)
    pg = open_knowledge_base(pg_url)
    assert pg.backend == "postgresql"
    top_sqlite, top_pg = _top5(open_knowledge_base(sqlite_url)), _top5(pg)
    assert top_pg == top_sqlite
    assert sum(bool(ids) for ids in top_pg.values()) >= len(QUERIES) - 1
    pg.add({**NEW, "lesson_id": "L-9999"})
    assert open_knowledge_base(pg_url).search("hovercraft").lesson_ids == ["L-9999"]
