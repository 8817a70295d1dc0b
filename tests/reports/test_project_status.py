"""The project-status report run with papermill into a temp folder; summary and HTML."""

from __future__ import annotations

import base64
import json
import re

import pandas as pd
import pytest

from pmo_kit import ReportExecutionError, ReportParameterError
from pmo_kit.evm import portfolio_performance
from pmo_kit.reports import describe_report, run_report

pytestmark = pytest.mark.notebook


@pytest.fixture(scope="module")
def late_run(tmp_path_factory):
    """P-002, the late project, at its latest status (the defaults)."""
    return run_report("project-status", output_dir=tmp_path_factory.mktemp("p002"))


@pytest.fixture(scope="module")
def agile_run(tmp_path_factory):
    """P-005, the agile project with the missed sprint, at its latest status."""
    return run_report(
        "project-status",
        parameters={"project_id": "P-005"},
        output_dir=tmp_path_factory.mktemp("p005"),
    )


@pytest.fixture(scope="module")
def latest(sample):
    return portfolio_performance(sample).set_index("project_id")


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


def test_summary_of_the_late_project(late_run, sample, latest):
    summary = late_run.summary
    project = sample.project("P-002")
    row = latest.loc["P-002"]
    assert summary["report"] == "project-status"
    assert summary["project_id"] == "P-002"
    assert summary["status_date"] == f"{project['status_date']:%Y-%m-%d}"
    assert summary["previous_status_date"] == "2026-06-19"
    assert summary["planned_finish"] == f"{project['planned_finish']:%Y-%m-%d}"
    # the engine's figures, not the notebook's own arithmetic
    for key in ["pv", "ev", "ac", "sv", "cv", "spi", "cpi", "spi_t", "vac"]:
        assert summary[key] == pytest.approx(row[key]), key
    assert summary["spi"] == pytest.approx(0.77, abs=0.01)
    assert summary["spi_t"] < summary["spi"]  # earned schedule is the harsher judge
    assert summary["eac"] == pytest.approx(summary["bac"] / summary["cpi"])
    assert summary["vac"] == pytest.approx(summary["bac"] - summary["eac"])
    assert summary["eacs"]["remaining_at_budget"] == pytest.approx(
        summary["ac"] + summary["bac"] - summary["ev"]
    )
    assert summary["tcpi_bac"] == pytest.approx(
        (summary["bac"] - summary["ev"]) / (summary["bac"] - summary["ac"])
    )
    assert summary["forecast_finish"] == f"{row['forecast_finish']:%Y-%m-%d}"
    planned = pd.Timestamp(summary["planned_finish"])
    network = pd.Timestamp(summary["network_forecast_finish"])
    assert planned < network < pd.Timestamp(summary["forecast_finish"])


def test_rag_of_the_late_project(late_run):
    summary = late_run.summary
    assert summary["rag"] == {
        "overall": "red",
        "schedule": "red",
        "cost": "green",
        "scope": "amber",  # the charter lists nothing out of scope
        "risk": "amber",  # reviews overdue, nothing high
    }
    reasons = summary["rag_reasons"]
    assert set(reasons) == set(summary["rag"])
    assert reasons["schedule"].startswith("SPI(t) 0.69")
    assert "weeks after the plan" in reasons["schedule"]
    assert reasons["scope"] == "the charter lists nothing out of scope"
    assert "not reviewed for over 45 days" in reasons["risk"]
    decisions = summary["decisions"]
    assert decisions[0].startswith("Schedule: the project will not finish on 08 Sep")
    assert any(d.startswith("Scope: the charter lists nothing") for d in decisions)
    assert not any(d.startswith("Budget") for d in decisions)  # CPI 0.96 is fine


def test_milestones_and_risks_of_the_late_project(late_run, sample):
    summary = late_run.summary
    tasks = sample.for_project("P-002").tasks.set_index("task_id")
    slipped = {m["task_id"]: m for m in summary["milestones_slipped"]}
    assert "T032" in slipped  # Project complete
    assert slipped["T032"]["done"] is False
    assert all(m["slip_days"] > 0 for m in slipped.values())
    for task_id, milestone in slipped.items():
        assert tasks.loc[task_id, "duration"] == 0
        assert milestone["done"] == pd.notna(tasks.loc[task_id, "actual_finish"])
    horizon = pd.Timestamp(summary["status_date"]) + pd.Timedelta(weeks=4)
    for milestone in summary["milestones_due"]:
        assert pd.isna(tasks.loc[milestone["task_id"], "actual_finish"])
        assert (
            min(
                pd.Timestamp(milestone["baseline_finish"]),
                pd.Timestamp(milestone["forecast_finish"]),
            )
            <= horizon
        )
    risks = sample.for_project("P-002").risks.set_index("risk_id")
    top = summary["top_risks"]
    assert 1 <= len(top) <= 5
    scores = [r["score"] for r in top]
    assert scores == sorted(scores, reverse=True)
    for risk in top:
        row = risks.loc[risk["risk_id"]]
        assert row["status"] == "open"
        assert risk["score"] == row["residual_probability"] * row["residual_impact"]
        owner = sample.resources.set_index("resource_id").loc[row["owner"], "name"]
        assert risk["owner"] == owner
    assert summary["agile"] is None  # a predictive project


def test_html_reads_like_a_weekly_status_report(late_run):
    html = late_run.html.read_text(encoding="utf-8")
    svgs = _svgs(html)
    assert len(svgs) == 2, "S-curve and trend as SVG"
    assert "BAC" in svgs[0]
    assert "SPI(t)" in svgs[1]
    assert not re.search(r"<script[^>]+src=", html), "no script may load from outside"
    assert "import pmo_kit" not in html  # code cells are hidden
    assert "write_summary" not in html
    assert "P-002 ERP Finance Migration: weekly status" in html
    for heading in [
        "Status at a glance",
        "Decisions needed",
        "What changed since last week",
        "Earned value",
        "S-curve",
        "Performance trend",
        "Milestones",
        "Top risks",
        "Method",
    ]:
        assert heading in html, heading
    assert "Sprints and flow" not in html  # predictive: no agile section


def test_agile_project_has_sprints_and_flow(agile_run, sample):
    summary = agile_run.summary
    assert summary["methodology"] == "agile"
    agile = summary["agile"]
    assert agile["current_sprint"] == "S08"  # runs past the status date
    assert agile["last_finished_sprint"] == "S07"
    assert agile["last_sprint_completion"] == pytest.approx(1.0)
    assert agile["average_velocity"] == pytest.approx((19 + 37 + 43) / 3)  # S05-S07
    assert 0 < agile["cycle_time_p85_days"] < 30
    assert summary["rag"]["scope"] == "green"
    html = agile_run.html.read_text(encoding="utf-8")
    assert "Sprints and flow" in html
    svgs = _svgs(html)
    assert len(svgs) == 5, "S-curve, trend, velocity, burndown, cycle time"
    assert "Sprint S08 burndown" in html or "S08" in svgs[3]


def test_earlier_week_when_the_risk_fired(tmp_path):
    result = run_report(
        "project-status",
        parameters={"project_id": "P-004", "status_date": "2026-05-15"},
        output_dir=tmp_path,
        html=False,
    )
    summary = result.summary
    assert summary["status_date"] == "2026-05-15"
    assert summary["previous_status_date"] == "2026-05-08"
    assert summary["cpi"] == pytest.approx(169_124 / 194_131.30)
    assert summary["rag"]["cost"] == "red"
    assert summary["rag"]["risk"] == "red"
    assert (
        "RK-018 Unknown copies of personal data fired on 11 May"
        in (summary["rag_reasons"]["risk"])
    )
    assert any("RK-018" in line and "FIRED" in line for line in summary["changes"])
    assert any("Cost went from green to red" in line for line in summary["changes"])
    budget = next(d for d in summary["decisions"] if d.startswith("Budget"))
    assert "one-off cost of RK-018" in budget
    # progress is rolled back: milestones finished after 15 May are not done yet
    assert all(
        not m["done"] for m in summary["milestones_slipped"] if m["task_id"] > "T015"
    )


def test_over_budget_project_needs_a_budget_decision(tmp_path):
    result = run_report(
        "project-status",
        parameters={"project_id": "P-003"},
        output_dir=tmp_path,
        html=False,
    )
    summary = result.summary
    assert summary["rag"]["cost"] == "red"
    assert summary["rag"]["schedule"] == "green"
    assert summary["tcpi_bac"] == pytest.approx(1.82, abs=0.01)
    decisions = summary["decisions"]
    assert any("TCPI) of 1.82, against a CPI of 0.81" in d for d in decisions)
    assert any(
        d.startswith("Governance: the charter has never been signed") for d in decisions
    )
    assert summary["rag"]["risk"] == "red"  # RK-015: high and not reviewed
    assert "RK-015" in summary["rag_reasons"]["risk"]


def test_a_date_between_status_rows_reports_the_week_before(tmp_path):
    result = run_report(
        "project-status",
        parameters={"project_id": "P-002", "status_date": "2026-05-13"},
        output_dir=tmp_path,
        html=False,
    )
    assert result.summary["status_date"] == "2026-05-08"


@pytest.mark.parametrize(
    ("parameters", "message"),
    [
        ({"project_id": "P-999"}, "'P-999' is not a project in Meridian Works"),
        (
            {"project_id": "P-009"},
            "P-009 (planning) has no earned-value status rows, so there is no status "
            "to report. Allowed: a project that reports status: P-001, P-002",
        ),
        (
            {"status_date": "2025-12-01"},
            "parameter 'status_date' of report 'project-status': 2025-12-01 is outside "
            "the status history of P-002. Allowed: a date from 2026-01-02 to "
            "2026-06-26, or empty for the latest",
        ),
    ],
    ids=["unknown-project", "not-reporting-project", "date-before-history"],
)
def test_bad_parameters_fail_before_any_work(tmp_path, parameters, message):
    with pytest.raises(ReportExecutionError) as info:
        run_report("project-status", parameters=parameters, output_dir=tmp_path)
    assert message in str(info.value)
    assert not (tmp_path / "summary.json").exists()
    assert not (tmp_path / "project-status.html").exists()
    executed = json.loads(
        (tmp_path / "project-status.ipynb").read_text(encoding="utf-8")
    )
    ran = {c["id"] for c in executed["cells"] if c.get("execution_count")}
    assert "setup" in ran
    assert not ran & {"compute-evm", "glance", "summary"}


def test_not_a_date_fails_in_the_runner_before_the_notebook(tmp_path):
    with pytest.raises(ReportParameterError, match="'last friday' is not a date"):
        run_report(
            "project-status",
            parameters={"status_date": "last friday"},
            output_dir=tmp_path,
        )
    assert not (tmp_path / "project-status.ipynb").exists()
