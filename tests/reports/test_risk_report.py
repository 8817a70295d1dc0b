"""The risk report run with papermill into a temp folder; summary and HTML."""

from __future__ import annotations

import base64
import json
import re

import pytest

from pmo_kit import ReportExecutionError, ReportParameterError
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


@pytest.fixture(scope="module")
def portfolio_run(tmp_path_factory):
    return run_report(
        "risk",
        parameters={"project_id": "all", "iterations": 1000, "top_n": 5},
        output_dir=tmp_path_factory.mktemp("risk-all"),
        html=False,
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
    assert s["fired"] == [
        {
            "risk_id": "RK-018",
            "project_id": "P-004",
            "title": "Unknown copies of personal data",
            "occurred": "2026-05-11",
            "cost_most_likely": 23_500.0,
        }
    ]
    c = s["contingency"]
    assert c["emv_sum"] == pytest.approx(P004_EMV_SUM, abs=0.01)
    assert c["mean"] == pytest.approx(P004_EMV_SUM, rel=0.05)
    assert c["p50"] < c["p80"]
    assert c["p80"] > c["emv_sum"]
    assert c["reserve"] == c["p80"]
    assert c["budget"] == 55_000.0  # charters/P-004.yaml
    assert 0 < c["probability_within_budget"] < 0.8  # the budget is below P80
    assert c["seed"] == 2026
    assert s["findings"] == []
    assert s["top_risks"][0]["risk_id"] == "RK-024"  # residual 4 x 3
    assert any(
        line.startswith("For decision: raise the contingency")
        for line in s["narrative"]
    )
    assert sum(t["new"] for t in s["trend"]) == 7


def test_project_html(project_run):
    html = project_run.html.read_text(encoding="utf-8")
    images = re.findall(r'src="data:image/svg\+xml;base64,([A-Za-z0-9+/=]+)"', html)
    assert len(images) == 5, "two heat maps, top risks, contingency, trend"
    svgs = [base64.b64decode(image).decode() for image in images]
    assert "RK-024" in svgs[0]
    assert "P80" in svgs[3]
    assert "EMV sum" in svgs[3]
    assert "Budget 55,000" in svgs[3]
    assert not re.search(r"<script[^>]+src=", html), "no script may load from outside"
    assert "import pmo_kit" not in html
    assert "write_summary" not in html
    assert "P-004 Data Retention Compliance: risk register" in html
    for heading in [
        "Headlines",
        "Heat map",
        "Top risks",
        "Risks that fired",
        "Overdue reviews",
        "Response validity",
        "Contingency",
        "Trend",
        "Method and assumptions",
    ]:
        assert heading in html, heading


def test_portfolio_summary(portfolio_run, sample):
    s = portfolio_run.summary
    assert s["scope"] == "portfolio"
    assert s["project_id"] is None
    assert s["risks"] == 60
    assert s["open"] == (sample.risks["status"] == "open").sum()
    assert len(s["top_risks"]) == 5
    assert s["top_risks"][0]["risk_id"] == "RK-060"  # residual 5 x 4 = 20
    assert len(s["overdue_reviews"]) == 13  # datasets/README.md
    budgets = sum(c["budget"]["contingency"] for c in sample.charters.values())
    assert s["contingency"]["budget"] == budgets
    assert s["contingency"]["risks"] == 41.0
    assert [f["risk_id"] for f in s["fired"]] == ["RK-018"]
    assert sum(s["ratings"].values()) == s["open"]


def test_earlier_status_date(tmp_path):
    result = run_report(
        "risk",
        parameters={"project_id": "P-004", "as_of": "2026-05-01", "iterations": 300},
        output_dir=tmp_path,
        html=False,
    )
    s = result.summary
    assert s["as_of"] == "2026-05-01"
    assert s["fired"] == []  # RK-018 fired on 11 May: open at 1 May
    assert "RK-018" in [r["risk_id"] for r in s["top_risks"]]
    assert s["risks"] < 7


def test_user_text_is_escaped(tmp_path, dataset_copy):
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
    result = run_report(
        "risk",
        parameters={
            "project_id": "P-004",
            "iterations": 200,
            "dataset": str(dataset_copy),
        },
        output_dir=tmp_path / "out",
    )
    assert result.html is not None
    html = result.html.read_text(encoding="utf-8")
    assert "<script>alert" not in html
    assert "&lt;script&gt;alert" in html
    titles = [r["title"] for r in result.summary["top_risks"]]
    assert "<script>alert('x')</script>" in titles  # the data keeps the raw text


def test_unknown_project_fails_before_any_work(tmp_path):
    with pytest.raises(ReportExecutionError) as info:
        run_report("risk", parameters={"project_id": "P-999"}, output_dir=tmp_path)
    assert "'P-999' is not a project in Meridian Works" in str(info.value)
    assert not (tmp_path / "summary.json").exists()
    executed = json.loads((tmp_path / "risk.ipynb").read_text(encoding="utf-8"))
    ran = {c["id"] for c in executed["cells"] if c.get("execution_count")}
    assert "setup" in ran
    assert not ran & {"compute", "headlines", "summary"}


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


def test_changes_since_a_previous_register(tmp_path, monkeypatch, sample):
    """Score drift against an earlier copy, given as a path relative to the caller."""
    import pandas as pd

    from pmo_kit.data.tables import write_table

    earlier = sample.risks.copy()
    p004 = earlier["project_id"] == "P-004"
    drifted = earlier.index[p004 & (earlier["risk_id"] == "RK-019")][0]
    earlier.loc[drifted, "residual_probability"] = 1  # RK-019 has scored up since
    restrategy = earlier.index[p004 & (earlier["risk_id"] == "RK-020")][0]
    earlier.loc[restrategy, "response_strategy"] = "accept"
    earlier = earlier[~(p004 & (earlier["risk_id"] == "RK-024"))]  # raised since
    (tmp_path / "april").mkdir()
    write_table(earlier, tmp_path / "april" / "risks.csv")
    monkeypatch.chdir(tmp_path)
    result = run_report(
        "risk",
        parameters={
            "project_id": "P-004",
            "iterations": 500,
            "previous": "april/risks.csv",
        },
        output_dir=tmp_path / "out",
    )
    changes = {c["risk_id"]: c["change"] for c in result.summary["changes"]}
    assert changes["RK-019"] == "score up"
    assert "strategy changed" in changes["RK-020"]
    assert changes["RK-024"] == "new"
    assert set(changes) == {"RK-019", "RK-020", "RK-024"}
    assert result.html is not None
    html = result.html.read_text(encoding="utf-8")
    assert "Changes since the previous register" in html
    assert pd.notna(result.summary["as_of"])


def test_previous_register_must_exist(tmp_path):
    with pytest.raises(ReportExecutionError, match="'previous' of report 'risk'"):
        run_report(
            "risk",
            parameters={"previous": str(tmp_path / "nope.csv"), "iterations": 100},
            output_dir=tmp_path,
            html=False,
        )
