"""
The agile-metrics report run with papermill: it renders and writes its summary.

One kernel run (P-005, the defaults); the figures of other projects, sprint ranges
and the errors are checked on :func:`pmo_kit.reports.agile_metrics` in
test_agile_metrics_function.py.
"""

from __future__ import annotations

import base64
import re

import pandas as pd
import pytest

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
