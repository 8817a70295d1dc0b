"""The lesson-capture and lesson-search widgets: set values, press buttons, read."""

from __future__ import annotations

import html
import re
import sqlite3
from typing import TYPE_CHECKING, Any

import pytest

from pmo_kit import load_portfolio
from pmo_kit.data.portfolio import save_portfolio
from pmo_kit.kb import Lesson, open_knowledge_base
from pmo_kit.widgets.lessons import (
    NOT_A_KNOWN_RISK,
    hits_html,
    lesson_capture,
    lesson_from_form,
    lesson_search,
    next_lesson_id,
    problems_html,
    risk_options,
)

if TYPE_CHECKING:
    from pathlib import Path

GOOD = {
    "category": "procurement",
    "phase": "execution",
    "event": "The sensor supplier shipped the gateways five weeks late",
    "effect": "The pilot start moved by a month",
    "cause": "The contract had no delivery milestones or penalties",
    "early_warning": "Supplier stopped answering the weekly status mail",
    "recommendation": "Put dated delivery milestones with penalties in the contract",
    "tags": "supplier, delivery",
}


def _text(widget: Any) -> str:
    text = re.sub(r"<[^>]+>", " ", widget.value)
    return re.sub(r"\s+", " ", html.unescape(text)).strip()


@pytest.fixture
def db(tmp_path: Path) -> tuple[str, Path]:
    file = tmp_path / "kb.db"
    url = f"sqlite:///{file}"
    save_portfolio(load_portfolio(), url)
    return url, file


def _stored_ids(file: Path) -> list[str]:
    with sqlite3.connect(file) as conn:
        return sorted(r[0] for r in conn.execute("SELECT lesson_id FROM lessons"))


def _fill(box: Any, values: dict[str, str]) -> None:
    for name, value in values.items():
        box.controls[name].value = value


# ------------------------------------------------------------------ pure helpers


def test_next_lesson_id_skips_the_starter_library():
    starter = Lesson("L-9001", source="pmo-kit starter library")
    assert next_lesson_id([Lesson("L-002"), starter, Lesson("L-010")]) == "L-011"
    assert next_lesson_id([starter]) == "L-001"


def test_risk_options_list_the_projects_risks_open_first():
    sample = load_portfolio()
    risks = sample.risks[sample.risks["project_id"] == "P-003"]
    options = risk_options(sample, "P-003")
    ids = [value for _, value in options]
    assert ids[-1] == ""
    assert options[-1][0] == NOT_A_KNOWN_RISK
    assert sorted(ids[:-1]) == sorted(risks["risk_id"])
    n_open = int((risks["status"] == "open").sum())
    open_ids = set(risks.loc[risks["status"] == "open", "risk_id"])
    assert set(ids[:n_open]) == open_ids
    assert risk_options(sample, "") == [(NOT_A_KNOWN_RISK, "")]


def test_lesson_from_form_normalises_tags_and_spaces():
    lesson = lesson_from_form({"lesson_id": " L-050 ", "tags": " a ; b, c ,"})
    assert lesson.lesson_id == "L-050"
    assert lesson.tag_list == ["a", "b", "c"]


def test_problems_html_escapes_and_counts():
    out = problems_html(["lesson L-1: <script> bad", "second"])
    assert "<script>" not in out
    assert "&lt;script&gt;" in out
    assert "2 problems" in out


# ------------------------------------------------------------------ capture form


def test_form_starts_with_the_next_id_and_the_projects_risks(db):
    url, _ = db
    sample = load_portfolio()
    box = lesson_capture(open_knowledge_base(url), "P-010")
    c = box.controls
    numbers = [int(i[2:]) for i in sample.lessons["lesson_id"]]
    assert c["lesson_id"].value == f"L-{max(numbers) + 1:03d}"
    assert c["project_id"].value == "P-010"
    p010 = set(sample.risks.loc[sample.risks["project_id"] == "P-010", "risk_id"])
    assert {v for _, v in c["known_risk"].options} == p010 | {""}
    # another project: its own risks replace them
    c["project_id"].value = "P-002"
    p002 = set(sample.risks.loc[sample.risks["project_id"] == "P-002", "risk_id"])
    assert {v for _, v in c["known_risk"].options} == p002 | {""}
    assert c["known_risk"].value == ""


def test_check_lists_every_problem_and_save_keeps_the_text(db):
    url, file = db
    before = _stored_ids(file)
    box = lesson_capture(open_knowledge_base(url), "P-010")
    c = box.controls
    c["event"].value = "Gateways came late"
    c["date"].value = "10/07/2026"
    c["check"].click()
    shown = _text(c["problems"])
    for missing in ("'effect'", "'cause'", "'recommendation'", "category missing"):
        assert missing in shown
    assert "date '10/07/2026' is not a date" in shown
    assert "4 problems" not in shown  # five: effect, cause, recommendation, cat, date
    assert "5 problems" in shown
    c["save"].click()
    assert "Not saved" in _text(c["status"])
    assert c["event"].value == "Gateways came late"
    assert c["date"].value == "10/07/2026"
    assert _stored_ids(file) == before


def test_save_adds_a_valid_lesson_and_shows_its_id(db):
    url, file = db
    before = _stored_ids(file)
    kb = open_knowledge_base(url)
    box = lesson_capture(kb, "P-010")
    c = box.controls
    new_id = c["lesson_id"].value
    _fill(box, {**GOOD, "date": "2026-07-10", "known_risk": "RK-057"})
    c["check"].click()
    assert "Ready to save" in _text(c["problems"])
    c["save"].click()
    assert f"Saved lesson {new_id}" in _text(c["status"])
    assert _stored_ids(file) == sorted([*before, new_id])
    with sqlite3.connect(file) as conn:
        row = conn.execute(
            "SELECT project_id, category, known_risk, tags, phase FROM lessons "
            "WHERE lesson_id = ?",
            (new_id,),
        ).fetchone()
    assert row == ("P-010", "procurement", "RK-057", "supplier;delivery", "execution")
    # the form is ready for the next lesson, with the next id
    assert c["event"].value == ""
    assert c["lesson_id"].value == f"L-{int(new_id[2:]) + 1:03d}"
    assert [s.lesson_id for s in box.saved] == [new_id]


def test_a_duplicate_id_is_refused_without_losing_text(db):
    url, file = db
    box = lesson_capture(open_knowledge_base(url), "P-010")
    c = box.controls
    _fill(box, {**GOOD, "lesson_id": "L-001", "date": "2026-07-10"})
    c["save"].click()
    assert "L-001" in _text(c["status"])
    assert "already" in _text(c["status"])
    assert "Not saved" in _text(c["status"])
    assert c["event"].value == GOOD["event"]
    assert _stored_ids(file).count("L-001") == 1


def test_a_known_risk_must_belong_to_the_project(db):
    url, _ = db
    sample = load_portfolio()
    other = sample.risks.loc[sample.risks["project_id"] == "P-002", "risk_id"].iloc[0]
    box = lesson_capture(open_knowledge_base(url), "P-010")
    # the dropdown offers only P-010's risks ...
    assert other not in {v for _, v in box.controls["known_risk"].options}
    # ... and a lesson naming another project's risk does not pass Check
    form = {**GOOD, "lesson_id": "L-500", "date": "2026-07-10"}
    lesson = lesson_from_form({**form, "project_id": "P-010", "known_risk": other})
    assert any("not a risk of project P-010" in p for p in lesson.problems(sample))


def test_the_bundled_sample_is_read_only_and_says_so():
    box = lesson_capture(open_knowledge_base(), "P-010")
    _fill(box, {**GOOD, "date": "2026-07-10"})
    box.controls["save"].click()
    status = _text(box.controls["status"])
    assert "Not saved" in status
    assert "read-only" in status
    assert box.controls["event"].value == GOOD["event"]


# ------------------------------------------------------------------ search widget


def test_search_widget_ranks_live_and_filters():
    kb = open_knowledge_base()
    box = lesson_search(kb, "supplier delivered late", limit=3)
    c = box.controls
    assert (
        box.result().lesson_ids
        == kb.search("supplier delivered late", limit=3).lesson_ids
    )
    first = box.result().lesson_ids[0]
    assert first in _text(c["hits"])
    c["category"].value = "procurement"
    result = box.result()
    assert result.hits
    assert {h.lesson.category for h in result} == {"procurement"}
    assert result.lesson_ids[0] in _text(c["hits"])
    c["query"].value = "zzqx nothing matches"
    assert "No lesson matches" in _text(c["hits"])


def test_hits_html_escapes_lesson_text():
    lesson = Lesson("L-001", category="cost", event="<b>x</b>", recommendation="<i>")
    from pmo_kit.kb import Hit, SearchResult

    out = hits_html(SearchResult("q", (Hit("L-001", 1.0, "<b>x</b>", lesson),)))
    assert "<b>x</b>" not in out
    assert "&lt;b&gt;x&lt;/b&gt;" in out
