"""The risk editor: set the widgets' values, read what it shows and saves."""

from __future__ import annotations

import html
import re
from typing import Any

import pandas as pd
import pytest

from pmo_kit.risk import edit_risk, next_risk_id, strategy_choices
from pmo_kit.widgets import risk_editor
from pmo_kit.widgets.risk import edit_summary_html


def _text(widget: Any) -> str:
    text = re.sub(r"</?b[^>]*>", "", widget.value)
    text = re.sub(r"<[^>]+>", " ", text)
    return re.sub(r"\s+", " ", html.unescape(text)).strip()


@pytest.fixture
def p4(sample):
    return sample.risks


def _summary(box: Any) -> Any:
    return box.children[-1]


def _save(box: Any) -> Any:
    return box.children[-2]


def test_opens_a_blank_risk_with_the_next_id(p4):
    box = risk_editor(p4, project_id="P-004")
    assert box.children[0].value == "(new risk)"
    assert box.fields["risk_id"].value == "RK-061"
    assert box.children[0].options[1:] == (
        "RK-018",
        "RK-019",
        "RK-020",
        "RK-021",
        "RK-022",
        "RK-023",
        "RK-024",
    )
    text = _text(_summary(box))
    assert "Inherent 1 x 1 = 1 (low)" in text
    assert "field 'title': empty" in text


def test_strategy_choices_follow_the_type(p4):
    box = risk_editor(p4, project_id="P-004")
    f = box.fields
    assert f["response_strategy"].options == strategy_choices("threat")
    f["type"].value = "opportunity"
    assert f["response_strategy"].options == (
        "exploit",
        "enhance",
        "share",
        "escalate",
        "accept",
    )
    assert f["response_strategy"].value == "exploit"  # 'mitigate' is not offered
    f["type"].value = "threat"
    assert f["response_strategy"].value == "avoid"


def test_loading_a_risk_shows_its_live_score(p4):
    box = risk_editor(p4)
    box.children[0].value = "RK-018"
    f = box.fields
    assert (f["probability"].value, f["impact"].value) == (3, 4)
    assert f["closed_date"].value == "2026-05-11"
    assert "Inherent 3 x 4 = 12 (medium)" in _text(_summary(box))
    f["residual_probability"].value = 5
    f["residual_impact"].value = 5
    text = _text(_summary(box))
    assert "Residual 5 x 5 = 25 (high)" in text
    assert "residual score above the inherent score" in text


def test_invalid_input_shows_messages_and_does_not_save(p4):
    saved: list[pd.DataFrame] = []
    box = risk_editor(p4, project_id="P-004", on_save=saved.append)
    f = box.fields
    f["title"].value = "Auditor finds gaps"
    f["event"].value = "the auditor may find gaps"
    f["raised_date"].value = "2026-13-01"
    _save(box).click()
    assert saved == []
    assert "field 'raised_date': '2026-13-01' is not a date" in _text(_summary(box))
    assert len(box.register) == len(p4)


def test_valid_new_risk_is_saved(p4):
    saved: list[pd.DataFrame] = []
    box = risk_editor(p4, project_id="P-004", on_save=saved.append)
    f = box.fields
    f["title"].value = "Auditor finds <gaps>"
    f["event"].value = "the auditor may find gaps"
    f["probability"].value = 4
    f["impact"].value = 4
    f["residual_probability"].value = 2
    f["residual_impact"].value = 3
    f["cost_impact_min"].value = 1000.0
    f["cost_impact_most_likely"].value = 2000.0
    f["cost_impact_max"].value = 6000.0
    f["raised_date"].value = "2026-06-01"
    f["last_review_date"].value = "2026-06-20"
    assert "Valid: Save will add the risk" in _text(_summary(box))
    _save(box).click()
    assert len(saved) == 1
    new = saved[0].set_index("risk_id").loc["RK-061"]
    assert new["project_id"] == "P-004"
    assert new["title"] == "Auditor finds <gaps>"
    assert new["probability"] == 4
    assert saved[0]["raised_date"].dtype == p4["raised_date"].dtype
    assert box.children[0].value == "RK-061"
    assert "Saved RK-061" in _text(_summary(box))
    assert len(p4) == 60  # the input is not modified


def test_edit_risk_replaces_and_reports():
    register = pd.DataFrame(
        {
            "project_id": ["P-001"],
            "risk_id": ["RK-007"],
            "title": ["Grant"],
            "type": ["opportunity"],
            "event": ["a grant may be awarded"],
            "category": ["cost"],
            "probability": [2],
            "impact": [3],
            "residual_probability": [3],
            "residual_impact": [3],
            "response_strategy": ["enhance"],
            "status": ["open"],
        }
    )
    bad = edit_risk(register, {"risk_id": "RK-007", "response_strategy": "mitigate"})
    assert not bad.ok
    assert not bad.is_new
    assert bad.problems == [
        "draft RK-007, field 'response_strategy': 'mitigate' is not a response to an "
        "opportunity (an opportunity cannot be mitigated). Allowed: exploit, enhance, "
        "share, escalate, accept"
    ]
    assert bad.register is register
    good = edit_risk(register, {"risk_id": "RK-007", "residual_probability": 5})
    assert good.ok
    assert good.register.loc[0, "residual_probability"] == 5
    assert register.loc[0, "residual_probability"] == 3
    assert good.risk is not None
    assert good.risk["residual_score"] == 15.0
    assert next_risk_id(good.register) == "RK-008"
    assert strategy_choices("issue") == ()


def test_summary_escapes_user_text():
    register = pd.DataFrame({"risk_id": ["RK-001"]})
    edit = edit_risk(register, {"risk_id": "RK-001", "category": "<script>x</script>"})
    out = edit_summary_html(edit)
    assert "<script>" not in out
    assert "&lt;script&gt;" in out
