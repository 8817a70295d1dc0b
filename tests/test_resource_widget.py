"""The capacity what-if widget: set the controls, read what it shows."""

from __future__ import annotations

import html
import re
from dataclasses import replace
from typing import Any

import pytest

from pmo_kit.resources import what_if
from pmo_kit.widgets import capacity_what_if
from pmo_kit.widgets.resources import capacity_summary_html


def _text(markup: str) -> str:
    text = re.sub(r"<[^>]+>", " ", markup)
    return re.sub(r"\s+", " ", html.unescape(text)).strip()


@pytest.fixture
def widget(sample):
    return capacity_what_if(sample, start="2026-05-04", weeks=12)


def _svg(output: Any) -> str:
    data = output.outputs[0]["data"]
    return str(data.get("image/svg+xml") or data.get("text/html") or data)


def test_starts_on_the_current_plan(widget):
    project, shift, add, remove, _, summary, heatmap = widget.children
    assert project.value == "P-001"
    assert shift.value == 0
    assert add.value == ""
    assert remove.value == ""
    text = _text(summary.value)
    assert text.startswith("Over-allocated person-weeks: 7 → 7")
    assert "Changes: nothing yet" in text
    assert "Data Engineer: 1 → 1 people, short 182 h → 182 h" in text
    assert heatmap.outputs, "the heatmap is shown"


def test_adding_a_data_engineer(widget):
    _, _, add, _, _, summary, _ = widget.children
    add.value = "Data Engineer"
    text = _text(summary.value)
    assert text.startswith("Over-allocated person-weeks: 7 → 1")
    assert "Add NEW-01 New Data Engineer 1 (Data Engineer, 37.5 h/week)" in text
    assert "Peak utilisation 240% → 140%" in text
    assert "Data Engineer: 1 → 2 people, short 182 h → 15 h" in text


def test_moving_a_project_and_coming_back(widget):
    project, shift, _, _, _, summary, _ = widget.children
    project.value = "P-006"
    shift.value = 6
    assert _text(summary.value).startswith("Over-allocated person-weeks: 7 → 8")
    assert "Move P-006 by +6 weeks" in _text(summary.value)
    project.value = "P-004"  # the slider shows P-004's own shift
    assert shift.value == 0
    project.value = "P-006"
    assert shift.value == 6
    shift.value = 0
    assert _text(summary.value).startswith("Over-allocated person-weeks: 7 → 7")


def test_removing_someone_and_reset(widget):
    project, shift, _, remove, reset, summary, _ = widget.children
    remove.value = "R-020"
    text = _text(summary.value)
    assert "Remove R-020 Dilan Fischer" in text
    assert text.startswith("Over-allocated person-weeks: 7 → 0")
    # all of her 559.5 h in the twelve weeks (see the role outlook) are left
    assert "Hours with nobody to do them 0 h → 560 h" in text
    project.value = "P-006"
    shift.value = 2
    reset.click()
    assert remove.value == ""
    assert shift.value == 0
    assert _text(summary.value).startswith("Over-allocated person-weeks: 7 → 7")


def test_summary_is_escaped(sample):
    people = sample.resources.copy()
    people.loc[people["resource_id"] == "R-020", "name"] = "<b>Dilan</b> & co"
    odd = replace(sample, resources=people)
    result = what_if(odd, remove="R-020", start="2026-05-04")
    markup = capacity_summary_html(result)
    assert "<b>Dilan</b>" not in markup
    assert "&lt;b&gt;Dilan&lt;/b&gt; &amp; co" in markup


def test_summary_colours_say_better_or_worse(sample):
    better = capacity_summary_html(
        what_if(sample, add="Data Engineer", start="2026-05-04")
    )
    worse = capacity_summary_html(
        what_if(sample, shift={"P-006": 6}, start="2026-05-04")
    )
    assert "<span style='color:#2e8540'>1</span>" in better
    assert "<span style='color:#c0392b'>8</span>" in worse
