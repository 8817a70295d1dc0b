"""Lesson: fields, validation messages, the starter library."""

from __future__ import annotations

import pandas as pd
import pytest

from pmo_kit._errors import ValidationError
from pmo_kit.data.portfolio import bundled_dataset_path, load_portfolio
from pmo_kit.data.schemas import SCHEMAS
from pmo_kit.kb import CATEGORIES, Lesson, starter_lessons, starter_lessons_path

GOOD = {
    "lesson_id": "L-500",
    "project_id": "P-001",
    "date": "2026-06-01",
    "category": "procurement",
    "event": "The vendor shipped late",
    "effect": "Testing was compressed",
    "cause": "No delivery milestones in the contract",
    "recommendation": "Put dated milestones with penalties in contracts",
}


def test_fields_are_the_lessons_columns_in_order():
    assert list(Lesson.__dataclass_fields__) == SCHEMAS["lessons"].column_names


def test_a_complete_lesson_has_no_problems():
    assert Lesson.from_mapping(GOOD).problems(load_portfolio()) == []


def test_missing_event_and_recommendation_are_named():
    lesson = Lesson.from_mapping({**GOOD, "event": " ", "recommendation": None})
    problems = lesson.problems()
    assert len(problems) == 2
    assert "'event'" in problems[0]
    assert "missing" in problems[0]
    assert "'recommendation'" in problems[1]


def test_bad_category_lists_the_allowed_values():
    (problem,) = Lesson.from_mapping({**GOOD, "category": "money"}).problems()
    assert "'money'" in problem
    for category in ("scope", "procurement", "governance"):
        assert category in problem


def test_unknown_project_and_risk_are_checked_against_a_portfolio():
    sample = load_portfolio()
    (problem,) = Lesson.from_mapping({**GOOD, "project_id": "P-999"}).problems(sample)
    assert "'P-999'" in problem
    assert "P-001" in problem
    risks = sample.risks
    other = risks.loc[risks["project_id"] != "P-001", "risk_id"].iloc[0]
    (problem,) = Lesson.from_mapping({**GOOD, "known_risk": other}).problems(sample)
    assert repr(other) in problem
    assert "P-001" in problem
    own = risks.loc[risks["project_id"] == "P-001", "risk_id"].iloc[0]
    assert Lesson.from_mapping({**GOOD, "known_risk": own}).problems(sample) == []


def test_unknown_field_is_one_line():
    with pytest.raises(ValidationError) as info:
        Lesson.from_mapping({**GOOD, "lesson": "x"})
    assert "'lesson'" in str(info.value)
    assert "\n" not in str(info.value)


def test_check_raises_one_line_with_a_count():
    with pytest.raises(ValidationError) as info:
        Lesson("L-501").check()
    message = str(info.value)
    assert "\n" not in message
    assert "more problems" in message
    assert len(info.value.problems) >= 5


def test_starter_library_is_valid_and_covers_every_category():
    frame = pd.read_csv(starter_lessons_path(), dtype=str, keep_default_na=False)
    lessons = starter_lessons()
    assert len(lessons) == len(frame) >= 60
    assert frame["lesson_id"].is_unique
    assert set(frame["category"]) == set(CATEGORIES)
    assert (frame["project_id"] == "").all()
    assert all(lesson.problems() == [] for lesson in lessons)


def test_sample_lessons_still_load_with_the_new_columns():
    lessons = load_portfolio().lessons
    assert len(lessons) == len(pd.read_csv(bundled_dataset_path() / "lessons.csv"))
    for column in ("phase", "methodology", "early_warning", "known_risk", "source"):
        assert column in lessons
        assert lessons[column].isna().all()
