"""Markdown and HTML rendering: content and escaping."""

from __future__ import annotations

import re

import pytest

from pmo_kit.charter import (
    Charter,
    findings_html,
    findings_markdown,
    to_html,
    to_markdown,
)

from .conftest import read

SCRIPT = "<script>alert('x')</script>"


@pytest.fixture
def hostile(good):
    """P-001 with markup typed into every kind of field."""
    good["title"] = f"Portal {SCRIPT}"
    good["purpose"] = f"Replace *everything* | {SCRIPT}"
    good["objectives"][0]["metric"] = SCRIPT
    good["scope_out"].append(SCRIPT)
    good["milestones"][0]["name"] = "<b>G1</b>"
    good["stakeholders"][0]["interest"] = "<img src=x onerror=alert(1)>"
    good["sponsor"]["authority"] = SCRIPT
    good["approval"] = None
    return Charter.from_dict(good)


def test_html_escapes_every_text(hostile):
    page = to_html(hostile, findings=hostile.check())
    assert "<script" not in page
    assert "<img" not in page
    assert "<b>G1" not in page
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in page
    assert "&lt;img src=x onerror=alert(1)&gt;" in page
    assert hostile._repr_html_() == to_html(hostile)


def test_markdown_escapes_every_text(hostile):
    text = to_markdown(hostile, findings=hostile.check())
    assert "<script" not in text
    assert "<img" not in text
    assert "&lt;script&gt;" in text
    assert r"Replace \*everything\* \| &lt;script&gt;" in text
    # a table row stays one row: the pipe in the purpose is escaped, cells are not
    rows = [line for line in text.splitlines() if line.startswith("| Sponsor")]
    assert len(rows) == 1
    assert rows[0].count(" | ") == 2


def test_markdown_lists_every_section_of_p001(good):
    text = to_markdown(Charter.from_dict(good))
    headings = re.findall(r"^## (.+)$", text, flags=re.MULTILINE)
    assert headings == [
        "Purpose",
        "Objectives",
        "High-level requirements",
        "In scope",
        "Out of scope",
        "Milestones",
        "Summary budget",
        "Sponsor and project manager",
        "Stakeholders",
        "Assumptions",
        "Constraints",
        "High-level risks",
        "Approval",
    ]
    assert text.startswith("# P-001 Customer Portal Relaunch\n")
    assert (
        "| Shift routine service requests to self-service | share of service "
        "requests raised online | 60% | 2027-08-07 |"
    ) in text
    assert "- **Contingency:** EUR 30,000 (9.5%)" in text
    assert "- **Approved by:** Sofia Marin" in text
    assert "## Review findings" not in text


def test_gaps_are_shown_not_hidden():
    charter = Charter.from_dict(read("P-003"))
    text = to_markdown(charter)
    assert "- **Contingency:** none" in text
    assert "- **Status:** not approved" in text
    empty = to_markdown(Charter.from_dict({"project_id": "P-9", "title": "X"}))
    assert "## Out of scope\n\n_None listed._" in empty
    assert "| Sponsor | not named |  |" in empty


def test_findings_are_rendered_with_the_charter():
    charter = Charter.from_dict(read("P-002"))
    found = charter.check()
    text = to_markdown(charter, findings=found)
    assert text.rstrip().endswith(findings_markdown(found))
    assert "- **error** `no-scope-out` (scope\\_out): Nothing is listed out" in text
    page = charter.to_html(findings=found)
    assert "<h4>Review findings</h4>" in page
    assert page.count("class='pmo-finding ") == len(found)
    assert findings_html([]) == "<p class='pmo-findings'>No findings.</p>"
    assert findings_markdown([]) == "No findings."
    assert charter.to_markdown() == to_markdown(charter)


def test_planned_dates_are_shown_when_present(good):
    good["planned_finish"] = "2026-09-11"
    text = to_markdown(Charter.from_dict(good))
    assert "## Dates\n\n- **Planned finish:** 2026-09-11" in text
