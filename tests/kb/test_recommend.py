"""recommend(): reasons checked against the sample CSVs with plain pandas."""

from __future__ import annotations

import re

import pandas as pd
import pytest

from pmo_kit._errors import ValidationError
from pmo_kit.data.portfolio import bundled_dataset_path, load_portfolio
from pmo_kit.kb import open_knowledge_base, recommend, recommendations_frame

SAMPLE = bundled_dataset_path()
LESSONS = pd.read_csv(SAMPLE / "lessons.csv", dtype=str)
PROJECTS = pd.read_csv(SAMPLE / "projects.csv", dtype=str).set_index("project_id")
RISKS = pd.read_csv(SAMPLE / "risks.csv", dtype=str)


def _lesson_methodology(lesson_id: str) -> str:
    project = str(LESSONS.set_index("lesson_id").at[lesson_id, "project_id"])
    return str(PROJECTS.at[project, "methodology"])


@pytest.mark.parametrize("project_id", ["P-001", "P-005", "P-009"])
def test_every_reason_is_true_of_the_data(project_id):
    recs = recommend(project_id, load_portfolio(), limit=5)
    assert len(recs) == 5
    own = set(LESSONS.loc[LESSONS["project_id"] == project_id, "lesson_id"])
    open_risks = RISKS[
        (RISKS["project_id"] == project_id) & (RISKS["status"] == "open")
    ]
    methodology = PROJECTS.loc[project_id, "methodology"]
    for rec in recs:
        assert rec.lesson_id not in own
        assert rec.reasons
        for reason in rec.reasons:
            if reason.startswith("same methodology"):
                assert reason == f"same methodology ({methodology})"
                assert _lesson_methodology(rec.lesson_id) == methodology
            elif reason.startswith("matches open risk"):
                risk_id = re.findall(r"RK-\d+", reason)[0]
                row = open_risks[open_risks["risk_id"] == risk_id]
                assert len(row) == 1, reason
                assert f"'{row['title'].iloc[0]}'" in reason
            elif reason.startswith("category"):
                assert f"category {rec.lesson.category}," in reason
            else:
                pytest.fail(f"unexpected reason {reason!r}")
    scores = [r.score for r in recs]
    assert scores == sorted(scores, reverse=True)
    assert len({r.lesson.event for r in recs}) == len(recs)  # duplicates proposed once


def test_scope_creep_risk_brings_the_change_request_lesson():
    # P-001 has an open risk about scope creep; the one sample lesson tagged
    # 'scope creep' comes from another project and must be proposed for it.
    p1 = RISKS[(RISKS["project_id"] == "P-001") & (RISKS["status"] == "open")]
    risk = p1[p1["title"].str.contains("Scope creep")]
    assert len(risk) == 1
    expected = LESSONS.loc[LESSONS["tags"].str.contains("scope creep"), "lesson_id"]
    (lesson_id,) = expected
    recs = {r.lesson_id: r for r in recommend("P-001", load_portfolio())}
    assert lesson_id in recs
    assert any(risk["risk_id"].iloc[0] in reason for reason in recs[lesson_id].reasons)


def test_knowledge_base_recommend_uses_the_starter_library_too():
    recs = open_knowledge_base().recommend("P-010", limit=8)
    project = PROJECTS.loc["P-010"]
    assert any(r.lesson.source for r in recs)
    phase_reasons = [r for r in recs if f"phase {project['phase']}" in r.reasons]
    assert all(r.lesson.phase == project["phase"] for r in phase_reasons)
    frame = recommendations_frame(recs)
    assert list(frame["lesson_id"]) == [r.lesson_id for r in recs]
    assert frame["why"].str.len().gt(0).all()


def test_unknown_project_is_one_line():
    with pytest.raises(ValidationError) as info:
        recommend("P-999", load_portfolio())
    assert "'P-999'" in str(info.value)
    assert "\n" not in str(info.value)
