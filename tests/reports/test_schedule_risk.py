"""The schedule-risk report run with papermill into a temp folder; summary and HTML."""

from __future__ import annotations

import base64
import json
import re
from pathlib import Path

import pandas as pd
import pytest

from pmo_kit import ReportExecutionError, ReportParameterError
from pmo_kit.reports import check_parameters, describe_report, run_report
from pmo_kit.schedule import critical_path, remaining_work

pytestmark = pytest.mark.notebook

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def risk_run(tmp_path_factory):
    return run_report(
        "schedule-risk",
        parameters={"project_id": "P-002", "iterations": 500},
        output_dir=tmp_path_factory.mktemp("schedule-risk"),
    )


def test_parameters_are_declared():
    info = describe_report("schedule-risk")
    assert [p.name for p in info.parameters] == [
        "project_id",
        "iterations",
        "confidence",
        "dataset",
        "output_json",
    ]
    defaults = {p.name: p.default for p in info.parameters}
    assert defaults["project_id"] == '"P-002"'
    assert defaults["iterations"] == "10000"
    assert defaults["confidence"] == "0.8"
    assert info.title == "Schedule risk"


def test_summary_of_the_late_project(risk_run, sample):
    summary = risk_run.summary
    project = sample.project("P-002")
    assert summary["report"] == "schedule-risk"
    assert summary["project_id"] == "P-002"
    assert summary["iterations"] == 500
    assert summary["planned_finish"] == f"{project['planned_finish']:%Y-%m-%d}"
    assert summary["status_date"] == f"{project['status_date']:%Y-%m-%d}"

    # the deterministic forecast is the engine's, from the status date
    work = sample.for_project("P-002")
    left, snet = remaining_work(
        work.tasks, status_date=project["status_date"], start=project["start"]
    )
    forecast = critical_path(
        left, work.dependencies, start=project["start"], start_no_earlier_than=snet
    )
    finish = forecast.attrs["project_finish_date"]
    assert summary["deterministic_finish"] == f"{finish:%Y-%m-%d}"

    # P-002 is the late project: the forecast, the P50 and the P80 are all late
    planned = pd.Timestamp(summary["planned_finish"])
    deterministic = pd.Timestamp(summary["deterministic_finish"])
    p50, p80 = pd.Timestamp(summary["p50"]), pd.Timestamp(summary["p_confidence"])
    assert planned < deterministic <= p50 <= p80
    assert summary["deterministic_slip_days"] > 10
    assert summary["p_confidence_slip_days"] >= summary["deterministic_slip_days"]
    assert summary["confidence"] == 0.8
    assert 0 <= summary["probability_on_time"] < 0.05
    assert summary["spi"] == pytest.approx(0.77, abs=0.01)


def test_summary_drivers_and_milestones(risk_run, sample):
    summary = risk_run.summary
    tasks = sample.for_project("P-002").tasks.set_index("task_id")
    drivers = summary["top_drivers"]
    assert 1 <= len(drivers) <= 5
    correlations = [d["correlation"] for d in drivers]
    assert correlations == sorted(correlations, reverse=True)
    for driver in drivers:
        assert driver["name"] == tasks.loc[driver["task_id"], "name"]
        assert pd.isna(tasks.loc[driver["task_id"], "actual_finish"])  # not done
        assert 0 < driver["criticality"] <= 1
    milestones = {m["task_id"]: m for m in summary["milestones"]}
    assert set(milestones) == set(tasks.index[tasks["duration"] == 0])
    for task_id, milestone in milestones.items():
        done = pd.notna(tasks.loc[task_id, "actual_finish"])
        assert milestone["done"] == done
        if done:  # finished milestones are measured at their actual date
            assert milestone["forecast_finish"] == (
                f"{tasks.loc[task_id, 'actual_finish']:%Y-%m-%d}"
            )
    assert milestones["T032"]["slip_days"] == summary["deterministic_slip_days"]
    assert all(m["slip_days"] > 0 for m in milestones.values())  # all late
    assert summary["critical_path"][-1] == "T032"
    assert summary["narrative"][0].startswith("At the status date")
    assert any(line.startswith("For decision") for line in summary["narrative"])
    assert any("SPI 0.77" in line for line in summary["narrative"])


def test_html_reads_like_a_sponsor_report(risk_run):
    html = risk_run.html.read_text(encoding="utf-8")
    images = re.findall(r'src="data:image/svg\+xml;base64,([A-Za-z0-9+/=]+)"', html)
    assert len(images) == 3, "Gantt, finish distribution and tornado as SVG"
    svgs = [base64.b64decode(image).decode() for image in images]
    assert "Status date" in svgs[0]
    assert "P50" in svgs[1]
    assert "P80" in svgs[1]
    assert "Deadline" in svgs[1]
    assert not re.search(r"<script[^>]+src=", html), "no script may load from outside"
    assert "import pmo_kit" not in html  # code cells are hidden
    assert "write_summary" not in html
    assert "P-002 ERP Finance Migration: schedule risk" in html
    for heading in [
        "Headlines",
        "Forecast against the plan",
        "How sure are we?",
        "What drives the date",
        "Milestones",
        "Method and assumptions",
    ]:
        assert heading in html, heading


def test_other_confidence_level(tmp_path):
    result = run_report(
        "schedule-risk",
        parameters={"project_id": "P-006", "iterations": 300, "confidence": 0.9},
        output_dir=tmp_path,
        html=False,
    )
    summary = result.summary
    assert summary["project_id"] == "P-006"
    assert summary["confidence"] == 0.9
    assert pd.Timestamp(summary["p_confidence"]) >= pd.Timestamp(summary["p50"])


@pytest.mark.parametrize(
    ("parameters", "message"),
    [
        ({"project_id": "P-999"}, "'P-999' is not a project in Meridian Works"),
        ({"project_id": "P-008"}, "P-008 has no work left after its status date"),
    ],
    ids=[
        "unknown-project",
        "closed-project",
    ],
)
def test_bad_parameters_fail_before_any_work(tmp_path, parameters, message):
    with pytest.raises(ReportExecutionError) as info:
        run_report("schedule-risk", parameters=parameters, output_dir=tmp_path)
    assert message in str(info.value)
    assert not (tmp_path / "summary.json").exists()
    assert not (tmp_path / "schedule-risk.html").exists()
    # it failed in the set-up cells: the simulation never ran
    executed = json.loads(
        (tmp_path / "schedule-risk.ipynb").read_text(encoding="utf-8")
    )
    ran = {c["id"] for c in executed["cells"] if c.get("execution_count")}
    assert "setup" in ran
    assert not ran & {"compute", "headlines", "gantt", "summary"}


@pytest.mark.parametrize(
    ("parameters", "message"),
    [
        (
            {"confidence": 1.5},
            "parameter 'confidence' of report 'schedule-risk': 1.5 is out of range. "
            "Allowed: [0.5, 1)",
        ),
        (
            {"iterations": 50},
            "parameter 'iterations' of report 'schedule-risk': 50 is out of range. "
            "Allowed: [100, 200000]",
        ),
    ],
    ids=["confidence-1.5", "iterations-50"],
)
def test_out_of_range_fails_in_the_runner_before_the_notebook(
    tmp_path, parameters, message
):
    with pytest.raises(ReportParameterError) as info:
        run_report("schedule-risk", parameters=parameters, output_dir=tmp_path)
    assert message in str(info.value)
    assert not (tmp_path / "schedule-risk.ipynb").exists()


def test_wrong_type_fails_in_the_runner_before_the_notebook(tmp_path):
    with pytest.raises(ReportParameterError, match="'many' is not"):
        run_report(
            "schedule-risk", parameters={"iterations": "many"}, output_dir=tmp_path
        )
    assert not (tmp_path / "schedule-risk.ipynb").exists()


def test_check_parameters_converts_command_line_text():
    values = check_parameters("schedule-risk", iterations="2000", confidence="0.9")
    assert values == {"iterations": 2000, "confidence": 0.9}
