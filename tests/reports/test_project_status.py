"""
The project-status notebook through papermill: it renders and writes the summary.

What the report says is tested on :func:`pmo_kit.project_status` itself
(``test_project_status_function.py``); these runs check the notebook shows it.
"""

from __future__ import annotations

import base64
import re

import pytest

from pmo_kit import ReportParameterError, load_portfolio
from pmo_kit.reports import describe_report, project_status, run_report

pytestmark = pytest.mark.notebook


def _svgs(html: str) -> list[str]:
    images = re.findall(r'src="data:image/svg\+xml;base64,([A-Za-z0-9+/=]+)"', html)
    return [base64.b64decode(image).decode() for image in images]


def test_parameters_are_declared():
    info = describe_report("project-status")
    assert [p.name for p in info.parameters] == [
        "project_id",
        "status_date",
        "dataset",
        "output_json",
    ]
    defaults = {p.name: p.default for p in info.parameters}
    assert defaults["project_id"] == '"P-002"'
    assert defaults["status_date"] == '""'
    assert "(YYYY-MM-DD)" in info.parameter("status_date").help
    assert info.title == "Project status"


def test_late_project_renders_every_section(tmp_path):
    result = run_report("project-status", output_dir=tmp_path)
    expected = project_status(load_portfolio(), "P-002").summary()
    assert result.summary == expected  # the notebook adds nothing of its own
    assert result.html is not None
    html = result.html.read_text(encoding="utf-8")
    svgs = _svgs(html)
    assert len(svgs) == 2, "S-curve and trend as SVG"
    assert "cumulative EUR" in svgs[0]  # the dataset's currency
    assert "SPI(t)" in svgs[1]
    assert not re.search(r"<script[^>]+src=", html), "no script may load from outside"
    assert "import pmo_kit" not in html  # code cells are hidden
    assert "write_summary" not in html
    assert "P-002 ERP Finance Migration: weekly status" in html
    for heading in [
        "Status at a glance",
        "Decisions needed",
        "What changed since the previous status",
        "Earned value",
        "S-curve",
        "Performance trend",
        "Milestones",
        "Slipped against the baseline",
        "Top risks",
        "Method",
        "high 14, medium 30, low 60 days",
        "Dilan Fischer",  # owners by name
    ]:
        assert heading in html, heading
    assert "Sprints and flow" not in html  # predictive: no agile section
    assert "45 days" not in html


def test_agile_project_shows_sprints_and_flow(tmp_path):
    result = run_report(
        "project-status", parameters={"project_id": "P-005"}, output_dir=tmp_path
    )
    assert result.summary["agile"]["current_sprint"] == "S08"
    assert result.html is not None
    html = result.html.read_text(encoding="utf-8")
    assert "Sprints and flow" in html
    assert len(_svgs(html)) == 5, "S-curve, trend, velocity, burndown, cycle time"


def test_not_a_date_fails_in_the_runner_before_the_notebook(tmp_path):
    with pytest.raises(ReportParameterError, match="'last friday' is not a date"):
        run_report(
            "project-status",
            parameters={"status_date": "last friday"},
            output_dir=tmp_path,
        )
