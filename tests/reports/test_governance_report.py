"""
The governance report run with papermill into a temp folder; summary and HTML.

What the report says is tested on the function (test_governance_review_function.py);
these runs check that the notebook renders it and writes summary.json.
"""

from __future__ import annotations

import base64
import re

import pytest

from pmo_kit import ReportParameterError
from pmo_kit.reports import describe_report, run_report

pytestmark = pytest.mark.notebook


@pytest.fixture(scope="module")
def governance_run(tmp_path_factory):
    return run_report(
        "governance", parameters={}, output_dir=tmp_path_factory.mktemp("governance")
    )


def test_parameters_are_declared():
    info = describe_report("governance")
    assert [p.name for p in info.parameters] == [
        "as_of",
        "standards",
        "dataset",
        "output_json",
    ]
    assert {p.name: p.default for p in info.parameters}["as_of"] == '""'
    assert info.title == "Governance"


def test_summary_of_the_scan(governance_run):
    summary = governance_run.summary
    assert summary["report"] == "governance"
    assert summary["as_of"] == "2026-06-26"  # the portfolio status date
    assert summary["standards"].endswith("standards.yaml")
    assert summary["projects"] == 10
    # P-004 (execution, everything in order), P-008 (closed), P-010 (initiation)
    assert summary["compliant_projects"] == ["P-004", "P-008", "P-010"]
    assert summary["compliant"] == 3
    by_rule = summary["by_rule"]
    assert by_rule["charter-approved"]["projects"] == ["P-003"]
    assert by_rule["charter-approved"]["applies"] == 8  # not P-008, not P-010
    assert by_rule["risk-review"]["projects"] == [
        "P-001",
        "P-002",
        "P-003",
        "P-005",
        "P-006",
    ]
    assert by_rule["status-update"]["failing"] == 0
    # P-003's G1 scored "Project charter signed" as met on a draft charter
    assert by_rule["charter-signed-at-gate"]["projects"] == ["P-003"]
    assert by_rule["gate-decision-rule"]["findings"] == 6
    assert summary["worst_rules"][0].startswith("charter-")  # errors first
    assert summary["findings_by_severity"]["warning"] == 11  # 5 reviews + 6 overrides
    total = sum(summary["findings_by_severity"].values())
    assert summary["findings"] == total


def test_summary_gates_and_raid(governance_run):
    summary = governance_run.summary
    assert summary["gate_reviews"] == 39
    overrides = {(g["project_id"], g["gate"]): g for g in summary["gate_overrides"]}
    assert set(overrides) == {
        ("P-002", "G1"),
        ("P-002", "G3"),
        ("P-005", "G0"),
        ("P-005", "G1"),
        ("P-007", "G0"),
        ("P-009", "G0"),
    }
    assert overrides[("P-002", "G3")]["weighted_score"] == pytest.approx(1.99)
    assert overrides[("P-009", "G0")]["weighted_score"] == 2.9
    assert {g["decision"] for g in overrides.values()} == {"Recycle"}
    # 45 open risks; assumptions 2 x 4 charters + 1 x 6; RK-018
    assert summary["raid"] == {"R": 45, "A": 14, "I": 1, "D": 4}
    assert summary["narrative"][0].startswith("3 of 10 projects meet every standard")


def test_html_reads_like_a_pmo_report(governance_run):
    html = governance_run.html.read_text(encoding="utf-8")
    images = re.findall(r'src="data:image/svg\+xml;base64,([A-Za-z0-9+/=]+)"', html)
    assert len(images) == 3, "findings per rule, matrix, gate scorecard as SVG"
    svgs = [base64.b64decode(image).decode() for image in images]
    assert "Findings per rule" in svgs[0]
    assert "Compliance matrix" in svgs[1]
    assert "P-002 G3: recorded go, rule Recycle" in svgs[2]  # the lowest override
    assert not re.search(r"<script[^>]+src=", html), "no script may load from outside"
    assert "import pmo_kit" not in html
    assert "write_summary" not in html
    assert "Meridian Works: governance" in html
    for heading in [
        "Headlines",
        "Projects",
        "Rules",
        "Compliance matrix",
        "Findings by rule",
        "Gate decisions",
        "RAID log",
        "Method",
    ]:
        assert heading in html, heading
    assert "The charter is not approved: nobody has signed it" in html


STRICT = """\
standards:
  - id: risk-review-7
    check: risk-review
    description: "Open risks reviewed weekly <script>alert('x')</script>"
    severity: error
    phases: [execution]
    parameters:
      max_age_days: 7
  - id: charter-approved
    severity: error
    phases: [planning, execution, closing]
"""


def test_a_stricter_standard_from_a_file(tmp_path):
    path = tmp_path / "strict.yaml"
    path.write_text(STRICT, encoding="utf-8")
    result = run_report(
        "governance",
        parameters={"standards": str(path)},
        output_dir=tmp_path / "out",
    )
    summary = result.summary
    assert summary["rules"] == ["risk-review-7", "charter-approved"]
    assert summary["standards"] == str(path)
    weekly = summary["by_rule"]["risk-review-7"]
    assert weekly["applies"] == 6  # P-001 .. P-006 are in execution
    assert "P-004" in weekly["projects"]  # RK-019 was last reviewed 8 days before
    assert "P-004" not in summary["compliant_projects"]
    assert summary["findings_by_severity"]["warning"] == 0
    assert result.html is not None
    html = result.html.read_text(encoding="utf-8")
    assert "<script>alert" not in html  # text from the YAML is escaped
    assert "&lt;script&gt;alert(" in html


def test_bad_date_fails_in_the_runner(tmp_path):
    with pytest.raises(ReportParameterError, match="'2026-13-01' is not a date"):
        run_report(
            "governance", parameters={"as_of": "2026-13-01"}, output_dir=tmp_path
        )
    assert not (tmp_path / "governance.ipynb").exists()


def test_a_missing_standards_file_fails_in_the_runner(tmp_path):
    with pytest.raises(ReportParameterError, match="parameter 'standards'"):
        run_report(
            "governance",
            parameters={"standards": str(tmp_path / "nope.yaml")},
            output_dir=tmp_path / "out",
        )
    assert not (tmp_path / "out").exists()
