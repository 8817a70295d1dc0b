"""The agile-metrics report run with papermill into a temp folder; summary and HTML."""

from __future__ import annotations

import base64
import json
import re

import pandas as pd
import pytest

from pmo_kit import ReportExecutionError
from pmo_kit.agile import cycle_time_percentiles, cycle_times
from pmo_kit.reports import describe_report, run_report

pytestmark = pytest.mark.notebook

COMPLETED = {
    "S01": 45,
    "S02": 30,
    "S03": 31,
    "S04": 34,
    "S05": 19,
    "S06": 37,
    "S07": 43,
}


@pytest.fixture(scope="module")
def agile_run(tmp_path_factory):
    """P-005, the agile project whose sprint S05 missed, every sprint (defaults)."""
    return run_report("agile-metrics", output_dir=tmp_path_factory.mktemp("p005"))


def test_parameters_are_declared():
    info = describe_report("agile-metrics")
    assert [p.name for p in info.parameters] == [
        "project_id",
        "first_sprint",
        "last_sprint",
        "dataset",
        "output_json",
    ]
    defaults = {p.name: p.default for p in info.parameters}
    assert defaults["project_id"] == '"P-005"'
    assert defaults["first_sprint"] == defaults["last_sprint"] == '""'
    assert info.title == "Agile metrics"


def test_velocity_of_the_missed_sprint(agile_run):
    summary = agile_run.summary
    assert summary["report"] == "agile-metrics"
    assert summary["project_id"] == "P-005"
    assert summary["status_date"] == "2026-06-26"
    assert (summary["first_sprint"], summary["last_sprint"]) == ("S01", "S08")
    sprints = {s["sprint_id"]: s for s in summary["sprints"]}
    assert list(sprints) == [f"S0{i}" for i in range(1, 9)]
    for sprint_id, points in COMPLETED.items():
        assert sprints[sprint_id]["completed"] == points, sprint_id
        assert sprints[sprint_id]["finished"] is True
    assert sprints["S08"]["finished"] is False  # ends after the status date
    assert sprints["S05"]["committed"] == 35
    assert sprints["S05"]["completion"] == pytest.approx(19 / 35)
    assert summary["missed_sprints"] == ["S05"]
    assert summary["average_velocity"] == pytest.approx(sum(COMPLETED.values()) / 7)
    assert summary["recent_velocity"] == pytest.approx((19 + 37 + 43) / 3)
    assert any(
        "Sprint S05" in line and "(54%)" in line and "day 8 of 10" in line
        for line in summary["narrative"]
    )


def test_flow_and_cycle_time_are_the_engines(agile_run, sample):
    summary = agile_run.summary
    changes = sample.status_changes[sample.status_changes["project_id"] == "P-005"]
    expected = cycle_time_percentiles(cycle_times(changes))
    for key in ["P50", "P85", "P95"]:
        assert summary["cycle_time_days"][key] == pytest.approx(expected[key]), key
    assert summary["items_finished"] == int(
        (sample.work_items.query("project_id == 'P-005'")["status"] == "Done").sum()
    )
    little = summary["littles_law"]
    assert little["ratio"] == pytest.approx(
        little["average_wip"] / little["expected_wip"]
    )
    assert 0.8 < little["ratio"] < 1.2  # the sample team's flow is stable


def test_forecast_of_the_remaining_backlog(agile_run, sample):
    summary = agile_run.summary
    items = sample.work_items[sample.work_items["project_id"] == "P-005"]
    left = items[items["status"] != "Done"]
    assert summary["remaining_items"] == len(left)
    assert summary["remaining_points"] == pytest.approx(left["points"].sum())
    forecast = summary["forecast"]
    assert forecast["seed"] == 2026
    assert forecast["iterations"] == 10_000
    status = pd.Timestamp(summary["status_date"])
    p50, p85, p95 = (pd.Timestamp(forecast[k]) for k in ["p50", "p85", "p95"])
    assert status < p50 <= p85 <= p95
    # the average-based date is about a coin flip: why the report commits to P85
    assert 0.3 < forecast["chance_of_average_date"] < 0.7
    assert forecast["chance_of_planned_finish"] == pytest.approx(1.0)
    decision = summary["narrative"][-1]
    assert decision.startswith(
        f"For decision: promise the current backlog for {p85:%d %b %Y}"
    )


def test_html_reads_like_a_sponsor_report(agile_run):
    html = agile_run.html.read_text(encoding="utf-8")
    images = re.findall(r'src="data:image/svg\+xml;base64,([A-Za-z0-9+/=]+)"', html)
    assert len(images) == 6, "forecast, velocity, burndown, burnup, CFD, cycle time"
    svgs = [base64.b64decode(image).decode() for image in images]
    assert "P85" in svgs[0]
    assert "Committed" in svgs[1]
    assert "Sprint S08 burndown" in svgs[2]
    assert "P85" in svgs[5]
    assert not re.search(r"<script[^>]+src=", html), "no script may load from outside"
    assert "import pmo_kit" not in html
    assert "write_summary" not in html
    assert "P-005 Field Service Mobile App: agile metrics" in html
    for heading in [
        "Headlines",
        "When will the remaining work be done?",
        "Velocity: commitment against delivery",
        "The last sprint, day by day",
        "Flow: cumulative flow, throughput and Little",
        "Cycle time",
        "Method",
    ]:
        assert heading in html, heading


def test_a_range_of_sprints(tmp_path):
    result = run_report(
        "agile-metrics",
        parameters={"first_sprint": "S03", "last_sprint": "S05"},
        output_dir=tmp_path,
        html=False,
    )
    summary = result.summary
    assert [s["sprint_id"] for s in summary["sprints"]] == ["S03", "S04", "S05"]
    assert summary["window_start"] == "2026-04-13"
    assert summary["window_end"] == "2026-05-22"  # the end of S05
    assert summary["average_velocity"] == pytest.approx((31 + 34 + 19) / 3)
    assert summary["missed_sprints"] == ["S05"]
    # the backlog and forecast as they stood at the end of S05
    assert pd.Timestamp(summary["forecast"]["p50"]) > pd.Timestamp("2026-05-22")


def test_a_hybrid_project(tmp_path):
    result = run_report(
        "agile-metrics",
        parameters={"project_id": "P-004"},
        output_dir=tmp_path,
        html=False,
    )
    summary = result.summary
    assert summary["methodology"] == "hybrid"
    assert [s["sprint_id"] for s in summary["sprints"]] == ["S01", "S02", "S03"]
    assert summary["missed_sprints"] == []


@pytest.mark.parametrize(
    ("parameters", "message"),
    [
        (
            {"project_id": "P-002"},
            "P-002 ERP Finance Migration is run as a predictive project: it has no "
            "sprints, so there are no agile metrics to report. Allowed: an agile or "
            "hybrid project with sprints: P-001, P-004, P-005, P-006",
        ),
        (
            {"project_id": "P-009"},
            "P-009 Supplier Self-Service Portal (planning) has no sprints yet.",
        ),
        ({"project_id": "P-999"}, "'P-999' is not a project in Meridian Works"),
        (
            {"last_sprint": "S99"},
            "parameter 'last_sprint' of report 'agile-metrics': 'S99' is not a "
            "sprint of P-005. Allowed: one of S01, S02, S03, S04, S05, S06, S07, S08, "
            "or empty",
        ),
        (
            {"first_sprint": "S05", "last_sprint": "S02"},
            "parameter 'first_sprint' of report 'agile-metrics': S05 comes after "
            "last_sprint S02",
        ),
    ],
    ids=[
        "predictive",
        "no-sprints-yet",
        "unknown-project",
        "unknown-sprint",
        "reversed",
    ],
)
def test_bad_parameters_fail_before_any_work(tmp_path, parameters, message):
    with pytest.raises(ReportExecutionError) as info:
        run_report("agile-metrics", parameters=parameters, output_dir=tmp_path)
    assert message in str(info.value)
    assert not (tmp_path / "summary.json").exists()
    assert not (tmp_path / "agile-metrics.html").exists()
    executed = json.loads(
        (tmp_path / "agile-metrics.ipynb").read_text(encoding="utf-8")
    )
    ran = {c["id"] for c in executed["cells"] if c.get("execution_count")}
    assert "setup" in ran
    assert not ran & {"compute", "forecast", "summary"}
