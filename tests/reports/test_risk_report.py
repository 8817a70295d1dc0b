"""
The risk report run with papermill into a temp folder: it renders, writes its summary.

The substance (figures, as-of rules, opportunities, cadence) is tested on the
function in test_risk_review_function.py; here two runs check the notebook.
"""

from __future__ import annotations

import base64
import re

import pytest

from pmo_kit import PMOError, ReportParameterError
from pmo_kit.reports import describe_report, run_report

pytestmark = pytest.mark.notebook

# P-004's open threats, by hand: residual chance x (min + ml + max) / 3
#   RK-019 0.5 x 27,366.67 = 13,683.33    RK-020 0.5 x 28,333.33 = 14,166.67
#   RK-022 0.5 x 25,166.67 = 12,583.33    RK-023 0.1 x 23,133.33 =  2,313.33
P004_EMV_SUM = 42_746.67


@pytest.fixture(scope="module")
def project_run(tmp_path_factory):
    return run_report(
        "risk",
        parameters={"project_id": "P-004", "iterations": 2000},
        output_dir=tmp_path_factory.mktemp("risk-p004"),
    )


def test_parameters_are_declared():
    info = describe_report("risk")
    assert [p.name for p in info.parameters] == [
        "project_id",
        "as_of",
        "top_n",
        "confidence",
        "iterations",
        "previous",
        "dataset",
        "output_json",
    ]
    assert {p.name: p.default for p in info.parameters}["project_id"] == '"P-004"'
    assert info.title == "Risk register"


def test_project_summary(project_run):
    s = project_run.summary
    assert s["report"] == "risk"
    assert (s["scope"], s["project_id"], s["projects"]) == (
        "project",
        "P-004",
        ["P-004"],
    )
    assert s["as_of"] == "2026-06-26"
    assert (s["risks"], s["open"], s["open_threats"], s["open_opportunities"]) == (
        7,
        5,
        4,
        1,
    )
    assert [f["risk_id"] for f in s["fired"]] == ["RK-018"]
    c = s["contingency"]
    assert c["emv_sum"] == pytest.approx(P004_EMV_SUM, abs=0.01)
    assert c["p50"] < c["p80"]
    assert c["budget"] == 55_000.0  # charters/P-004.yaml
    assert c["seed"] == 2026
    # RK-024 is an opportunity: listed apart, not at the head of the top risks
    assert s["top_risks"][0]["risk_id"] == "RK-019"  # residual 3 x 2, threat
    assert [o["risk_id"] for o in s["opportunities"]] == ["RK-024"]
    assert s["narrative"][0].startswith("At 26 Jun 2026 the register holds 7 risks")


def test_project_html(project_run):
    html = project_run.html.read_text(encoding="utf-8")
    images = re.findall(r'src="data:image/svg\+xml;base64,([A-Za-z0-9+/=]+)"', html)
    assert len(images) == 5, "two heat maps, top risks, contingency, trend"
    svgs = [base64.b64decode(image).decode() for image in images]
    assert all("<svg" in svg for svg in svgs)
    assert not re.search(r"<script[^>]+src=", html), "no script may load from outside"
    assert "import pmo_kit" not in html
    assert "write_summary" not in html
    assert "P-004 Data Retention Compliance: risk register" in html
    assert "Julia Nowak" in html  # RK-024's owner by name, not R-0xx
    for heading in [
        "Headlines",
        "Heat map",
        "Top risks",
        "Opportunities",
        "Risks that fired",
        "Overdue reviews",
        "Response validity",
        "Contingency",
        "Trend",
        "Method and assumptions",
    ]:
        assert heading in html, heading
    assert "high every 14 days, medium every 30 days, low every 60 days" in html


def test_escaped_text_and_a_previous_register_beside_the_caller(
    tmp_path, monkeypatch, dataset_copy, sample
):
    """User text is escaped; ``previous`` is resolved against the caller's folder."""
    from pmo_kit.data.tables import write_table

    path = dataset_copy / "risks.csv"
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    lines = [
        line.replace(
            "Specialists pulled onto other projects", "<script>alert('x')</script>"
        )
        if line.startswith("P-004,RK-019,")
        else line
        for line in lines
    ]
    path.write_text("".join(lines), encoding="utf-8")
    earlier = sample.risks.copy()
    p004 = earlier["project_id"] == "P-004"
    earlier = earlier[~(p004 & (earlier["risk_id"] == "RK-024"))]  # raised since
    (tmp_path / "april").mkdir()
    write_table(earlier, tmp_path / "april" / "risks.csv")
    monkeypatch.chdir(tmp_path)
    result = run_report(
        "risk",
        parameters={
            "project_id": "P-004",
            "iterations": 200,
            "dataset": str(dataset_copy),
            "previous": "april/risks.csv",
        },
        output_dir=tmp_path / "out",
    )
    assert result.html is not None
    html = result.html.read_text(encoding="utf-8")
    assert "<script>alert" not in html
    assert "&lt;script&gt;alert" in html
    titles = [r["title"] for r in result.summary["top_risks"]]
    assert "<script>alert('x')</script>" in titles  # the data keeps the raw text
    changes = {c["risk_id"]: c["change"] for c in result.summary["changes"]}
    assert changes == {"RK-024": "new"}
    assert "Changes since the previous register" in html


@pytest.mark.parametrize(
    ("parameters", "message"),
    [
        (
            {"as_of": "2026-13-01"},
            "parameter 'as_of' of report 'risk': '2026-13-01' is not a date",
        ),
        (
            {"top_n": 0},
            "parameter 'top_n' of report 'risk': 0 is out of range. Allowed: [1, 50]",
        ),
        (
            {"confidence": 1.2},
            "parameter 'confidence' of report 'risk': 1.2 is out of range. "
            "Allowed: [0.5, 1)",
        ),
        ({"iterations": "many"}, "'many' is not"),
    ],
    ids=["bad-date", "top-0", "confidence-1.2", "iterations-text"],
)
def test_bad_parameters_fail_in_the_runner(tmp_path, parameters, message):
    with pytest.raises(ReportParameterError) as info:
        run_report("risk", parameters=parameters, output_dir=tmp_path)
    assert message in str(info.value)
    assert not (tmp_path / "risk.ipynb").exists()


def test_previous_register_must_exist(tmp_path):
    missing = tmp_path / "nope.csv"
    with pytest.raises(PMOError, match="previous") as info:
        run_report(
            "risk",
            parameters={"previous": str(missing), "iterations": 100},
            output_dir=tmp_path / "out",
            html=False,
        )
    assert "nope.csv" in str(info.value)
    assert not (tmp_path / "out" / "summary.json").exists()
