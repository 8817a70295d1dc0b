"""The schedule what-if widget: set the widgets' values, read what it shows."""

from __future__ import annotations

import html
import re
from typing import Any

import pandas as pd
import pytest

from pmo_kit import ValidationError
from pmo_kit.widgets import schedule_what_if

TASKS = pd.DataFrame(
    {
        "task_id": ["A", "B", "C", "M"],
        "name": ["Design", "Build", "Document", "Go-live"],
        "duration": [3, 5, 2, 0],
    }
)
LINKS = pd.DataFrame(
    {"predecessor": ["A", "A", "B", "C"], "successor": ["B", "C", "M", "M"]}
)


def _text(widget: Any) -> str:
    text = re.sub(r"<[^>]+>", " ", widget.value)
    return re.sub(r"\s+", " ", html.unescape(text)).strip()


@pytest.fixture
def widget():
    return schedule_what_if(TASKS, LINKS, start="2026-01-05")


def test_starts_on_the_plan(widget):
    dropdown, slider, _, summary, gantt = widget.children
    assert [value for _, value in dropdown.options] == ["A", "B", "C"]  # no milestone
    assert slider.value == 3
    assert slider.max == 9  # three times the planned duration
    text = _text(summary)
    assert "Project finish: Wed 14 Jan 2026 (on the planned finish)" in text
    assert "Changed: nothing yet" in text
    assert "A Design" in text
    assert "B Build" in text
    assert "C Document" not in text  # C has float: not on the critical path
    assert gantt.outputs, "the Gantt chart is shown"


def test_longer_critical_task_moves_the_finish(widget):
    dropdown, slider, _, summary, _ = widget.children
    dropdown.value = "B"
    assert slider.value == 5
    assert slider.max == 15
    slider.value = 8
    text = _text(summary)
    assert "Mon 19 Jan 2026 (3 working days later than planned)" in text
    assert "B Build: 5 → 8 days" in text


def test_task_with_float_absorbs_a_delay_until_it_runs_out(widget):
    dropdown, slider, _, summary, _ = widget.children
    dropdown.value = "C"
    slider.value = 5  # C had 3 days of float: still on time
    assert "(on the planned finish)" in _text(summary)
    assert "C Document" in _text(summary)  # now critical
    slider.value = 6
    assert "(1 working day later than planned)" in _text(summary)


def test_shorter_task_brings_the_finish_forward(widget):
    dropdown, slider, _, summary, _ = widget.children
    dropdown.value = "B"
    slider.value = 2
    assert "3 working days earlier than planned" in _text(summary)


def test_changes_add_up_and_reset_restores_the_plan(widget):
    dropdown, slider, reset, summary, _ = widget.children
    slider.value = 4  # A: 3 -> 4
    dropdown.value = "B"
    slider.value = 6  # B: 5 -> 6
    text = _text(summary)
    assert "2 working days later than planned" in text
    assert "A Design: 3 → 4 days; B Build: 5 → 6 days" in text
    dropdown.value = "A"
    assert slider.value == 4  # the slider shows the task's current duration
    reset.click()
    assert slider.value == 3
    assert "(on the planned finish)" in _text(summary)
    assert "Changed: nothing yet" in _text(summary)


def test_choosing_a_task_does_not_recompute(widget):
    dropdown, _, _, summary, _ = widget.children
    before = summary.value
    dropdown.value = "C"
    assert summary.value == before


def test_without_start_shows_working_days():
    widget = schedule_what_if(TASKS, LINKS)
    dropdown, slider, _, summary, _ = widget.children
    assert "Project finish: working day 8" in _text(summary)
    dropdown.value = "B"
    slider.value = 7
    assert "working day 10 (2 working days later than planned)" in _text(summary)


def test_start_constraints_are_kept():
    widget = schedule_what_if(
        TASKS, LINKS, start_no_earlier_than={"A": 2}
    )  # A cannot start before day 2
    assert "working day 10" in _text(widget.children[3])


def test_task_names_are_escaped():
    tasks = TASKS.assign(name=["<b>Design</b>", "Build", "Document", "Go-live"])
    widget = schedule_what_if(tasks, LINKS)
    assert "<b>Design" not in widget.children[3].value
    assert "&lt;b&gt;Design" in widget.children[3].value


def test_needs_work_to_play_with():
    with pytest.raises(ValidationError, match="at least one task with a duration"):
        schedule_what_if(TASKS.assign(duration=0), LINKS)
