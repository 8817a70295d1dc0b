"""The charter form: form <-> charter conversion, live findings, Save."""

from __future__ import annotations

import html
import re
from typing import Any

import pytest
import yaml

from pmo_kit import ValidationError
from pmo_kit.charter import Charter, load_charter
from pmo_kit.data.portfolio import bundled_dataset_path
from pmo_kit.widgets import charter_form
from pmo_kit.widgets.charter import (
    charter_form_values,
    charter_from_form,
    form_findings_html,
)

CHARTERS = bundled_dataset_path() / "charters"


def _text(widget: Any) -> str:
    text = re.sub(r"<[^>]+>", " ", widget.value)
    return re.sub(r"\s+", " ", html.unescape(text)).strip()


# ------------------------------------------------------------ plain conversion


@pytest.mark.parametrize("project_id", [f"P-{i:03d}" for i in range(1, 11)])
def test_form_round_trip_keeps_every_sample_charter(project_id):
    charter = load_charter(CHARTERS / f"{project_id}.yaml")
    assert charter_from_form(charter_form_values(charter)) == charter


def test_form_values_of_p002():
    values = charter_form_values(load_charter(CHARTERS / "P-002.yaml"))
    assert values["objectives"][0] == {
        "description": "Improve finance processes",
        "metric": "",
        "target": "",
        "due": "2027-03-07",
    }
    assert values["scope_out"] == ""
    assert values["milestones"].splitlines()[0] == "2025-11-21 | Charter approved (G1)"
    assert values["stakeholders"].splitlines()[1] == (
        "Pieter de Wit | External Auditor | high: migration evidence"
    )
    assert values["budget_amount"] == "748100"
    assert values["budget_contingency"] == "95000"
    assert values["approval_date"] == "2025-12-03"


def test_empty_form():
    values = charter_form_values()
    assert values["objectives"] == []
    assert values["budget_currency"] == "EUR"
    assert all(
        v == "" for k, v in values.items() if k not in {"objectives", "budget_currency"}
    )


def test_form_text_is_parsed_leniently():
    charter = charter_from_form(
        {
            "project_id": " P-011 ",
            "title": "Canteen app",
            "objectives": [
                {
                    "description": "Cut queues",
                    "metric": "minutes",
                    "target": "5",
                    "due": "",
                },
                {"description": "", "metric": " ", "target": "", "due": ""},  # ignored
            ],
            "scope_out": "- Vending machines\n\n* Catering contract\n",
            "milestones": "2026-03-02 | Pilot live\nGo-live | 2026-05-04",
            "stakeholders": "Ada Lovelace | Canteen manager\nBob",
            "budget_amount": "120,000",
            "budget_contingency": "",
            "sponsor_name": "Helen Brandt",
        }
    )
    assert charter.project_id == "P-011"
    assert [o.description for o in charter.objectives] == ["Cut queues"]
    assert charter.scope_out == ("Vending machines", "Catering contract")
    assert [(m.name, m.date.isoformat()) for m in charter.milestones] == [
        ("Pilot live", "2026-03-02"),
        ("Go-live", "2026-05-04"),
    ]
    assert [(s.name, s.role) for s in charter.stakeholders] == [
        ("Ada Lovelace", "Canteen manager"),
        ("Bob", None),
    ]
    assert charter.budget is not None
    assert (charter.budget.amount, charter.budget.contingency) == (120000.0, None)
    assert charter.sponsor is not None
    assert charter.sponsor.authority is None
    assert charter.manager is None
    assert charter.approval is None


def test_form_structure_problems_name_the_field():
    with pytest.raises(ValidationError) as info:
        charter_from_form(
            {
                "project_id": "P-011",
                "title": "",
                "budget_amount": "lots",
                "milestones": "Pilot live",
                "approval_date": "2026-02-30",
            }
        )
    assert info.value.problems == [
        "form, field 'title': required but missing. Allowed: non-empty text",
        "form, field 'milestones[0].date': required but missing. "
        "Allowed: a date as YYYY-MM-DD",
        "form, field 'budget.amount': 'lots' is not a number. Allowed: a number >= 0",
        "form, field 'approval.approved_by': required but missing. "
        "Allowed: non-empty text",
        "form, field 'approval.date': '2026-02-30' is not a date in the calendar. "
        "Allowed: a date as YYYY-MM-DD",
    ]


def test_findings_html_counts_and_escapes():
    values = charter_form_values(load_charter(CHARTERS / "P-002.yaml"))
    shown = form_findings_html(values)
    assert "3 errors, 0 warnings" in shown
    assert "objective-no-metric" in shown
    values["scope_out"] = "<script>x</script>"
    shown = form_findings_html(values)
    assert "2 errors, 0 warnings" in shown
    broken = form_findings_html({**values, "budget_amount": "<b>lots</b>"})
    assert "Correct these fields first" in broken
    assert "&#x27;&lt;b&gt;lots&lt;/b&gt;&#x27; is not a number" in broken
    assert "<b>lots" not in broken


# ------------------------------------------------------------------- the widget


@pytest.fixture
def p002() -> Charter:
    return load_charter(CHARTERS / "P-002.yaml")


def test_form_starts_with_the_charter_and_its_findings(p002):
    form = charter_form(p002)
    c = form.controls
    assert c["title"].value == "ERP Finance Migration"
    assert len(c["objective_rows"]) == 4  # three objectives + one empty row
    assert c["objective_rows"][0]["description"].value == "Improve finance processes"
    text = _text(c["findings"])
    assert text.startswith("3 errors, 0 warnings")
    assert "Objective 1 'Improve finance processes' has no metric" in text


def test_findings_follow_the_typing(p002):
    c = charter_form(p002).controls
    row = c["objective_rows"][0]
    row["metric"].value = "days to close the books"
    row["target"].value = "5"
    assert _text(c["findings"]).startswith("1 error, 0 warnings")
    c["scope_out"].value = "Consolidation of subsidiaries"
    assert _text(c["findings"]).startswith("0 errors, 0 warnings")
    c["budget_amount"].value = "lots"
    assert "field 'budget.amount': 'lots' is not a number" in _text(c["findings"])


def test_add_objective_adds_a_row(p002):
    form = charter_form(p002)
    c = form.controls
    c["add_objective"].click()
    assert len(c["objective_rows"]) == 5
    new = c["objective_rows"][-1]
    new["description"].value = "Pass the audit"
    assert "Objective 4 'Pass the audit' has no metric" in _text(c["findings"])


def test_save_writes_yaml_through_save_charter(p002, tmp_path):
    target = tmp_path / "P-002.yaml"
    c = charter_form(p002, path=target).controls
    c["scope_out"].value = "Consolidation of subsidiaries\nPayroll"
    c["save"].click()
    assert _text(c["status"]) == f"Saved to {target}."
    saved = load_charter(target)
    assert saved.scope_out == ("Consolidation of subsidiaries", "Payroll")
    assert yaml.safe_load(target.read_text("utf-8"))["title"] == "ERP Finance Migration"


def test_save_shows_errors_instead_of_raising(p002, tmp_path):
    target = tmp_path / "P-002.yaml"
    target.write_text("old: content\n", encoding="utf-8")
    c = charter_form(p002, path=target).controls
    c["budget_amount"].value = "lots"
    c["save"].click()
    assert _text(c["status"]).startswith(
        "Not saved: form, field 'budget.amount': 'lots' is not a number"
    )
    assert target.read_text("utf-8") == "old: content\n"
    c["budget_amount"].value = "748100"
    c["path"].value = str(tmp_path)  # a folder: the rename fails
    c["save"].click()
    assert _text(c["status"]).startswith("Not saved:")
    c["path"].value = ""
    c["save"].click()
    assert _text(c["status"]).startswith("Give a file name first")


def test_empty_form_can_be_filled_in():
    c = charter_form().controls
    assert "Correct these fields first" in _text(c["findings"])
    c["project_id"].value = "P-011"
    c["title"].value = "Canteen app"
    assert "no-purpose" in _text(c["findings"])
