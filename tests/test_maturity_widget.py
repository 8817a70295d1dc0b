"""The maturity questionnaire widget: toggles, answers, live levels and radar."""

from __future__ import annotations

import html
import re
from typing import Any

import pytest

from pmo_kit import ValidationError
from pmo_kit.maturity import assess, default_questionnaire
from pmo_kit.widgets.maturity import (
    answer_levels,
    levels_html,
    maturity_questionnaire,
    rater_answers,
)


def _text(widget: Any) -> str:
    text = re.sub(r"<[^>]+>", " ", widget.value)
    return re.sub(r"\s+", " ", html.unescape(text)).strip()


def test_answer_levels_follow_the_rule():
    # risk: level 1 2+2=4/4, level 2 2+1=3/4 (>= 0.75), level 3 1+1=2/4 (< 0.75)
    answers = {
        "risk-1a": 2,
        "risk-1b": 2,
        "risk-2a": 2,
        "risk-2b": 1,
        "risk-3a": 1,
        "risk-3b": 1,
        # governance: level 2 achieved but not level 1 -> 0
        "governance-1a": 1,
        "governance-2a": 2,
        "governance-2b": 2,
    }
    levels = answer_levels(answers)
    assert levels["risk"] == (2, 2.5)  # 2 + 2/4
    assert levels["governance"] == (0, 0.25)  # 0 + 1/4 of level 1
    assert levels["standards"] == (0, 0.0)


def test_levels_html_escapes_and_marks_the_current_area():
    q = default_questionnaire()
    page = levels_html({"risk": (2, 2.5), "knowledge": (0, 0.0)}, q, current="risk")
    assert "<b>risk management</b>" in page
    assert "level 2 (repeatable)" in page
    assert "level 0 (none)" in page
    assert "progress 2.50" in page


def test_rater_answers_is_what_assess_takes():
    got = rater_answers("ana", {"risk-1a": 2, "risk-1b": 2})
    assert got == {"ana": {"risk-1a": 2, "risk-1b": 2}}
    assert assess(got).levels["risk"] == 1


def test_widget_starts_at_zero_with_every_statement():
    box = maturity_questionnaire()
    q = default_questionnaire()
    assert set(box.toggles) == {s.id for s in q.statements}
    assert box.answers == {"you": dict.fromkeys(box.toggles, 0)}
    assert box.area.value == "standards"
    assert "standards and methods level 0 (none)" in _text(box.levels)
    # the current page shows the area's 10 statements (+ 5 level headings)
    assert len(box.children[1].children[0].children) == 15
    assert box.children[-1].outputs  # the radar is drawn


def test_toggles_update_answers_level_and_radar():
    box = maturity_questionnaire(rater="ana")
    before = box.children[-1].outputs
    box.area.value = "risk"
    for sid, value in {"risk-1a": 2, "risk-1b": 1, "risk-2a": 2, "risk-2b": 2}.items():
        box.toggles[sid].value = value
    assert box.answers["ana"]["risk-1b"] == 1
    assert assess(box.answers).levels["risk"] == 2
    # 1a+1b = 3/4 achieved, 2a+2b = 4/4 achieved, level 3 nothing -> 2.00
    assert "risk management level 2 (repeatable) progress 2.00" in _text(box.levels)
    assert box.children[-1].outputs != before
    box.toggles["risk-1b"].value = 0  # level 1 now 2/4: the area falls to 0
    assert "risk management level 0 (none) progress 0.50" in _text(box.levels)
    # the page shown follows the dropdown
    shown = box.children[1].children[0]
    assert box.toggles["risk-1a"] in [row.children[1] for row in shown.children[1:3]]


def test_widget_takes_starting_answers_and_refuses_unknown_ids():
    box = maturity_questionnaire(answers={"knowledge-1a": 2, "knowledge-1b": 2})
    assert box.toggles["knowledge-1a"].value == 2
    assert "knowledge management level 1 (awareness)" in _text(box.levels)
    with pytest.raises(ValidationError, match="'risk-9z' is not a statement id"):
        maturity_questionnaire(answers={"risk-9z": 2})
