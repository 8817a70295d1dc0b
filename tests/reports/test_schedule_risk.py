"""
The schedule-risk report run with papermill into a temp folder; summary and HTML.

The substance (dates, slips, drivers, narrative) is tested on the function in
test_schedule_risk_function.py; one run here checks the notebook.
"""

from __future__ import annotations

import base64
import re
from pathlib import Path

import pandas as pd
import pytest

from pmo_kit import ReportParameterError
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
    assert 0 <= summary["probability_on_time"] < 0.05
    assert summary["spi"] == pytest.approx(0.77, abs=0.01)  # EV / PV, as before
    assert summary["spi_t"] == pytest.approx(0.69, abs=0.01)  # the RAG index
    milestones = {m["task_id"]: m for m in summary["milestones"]}
    assert milestones["T032"]["slip_days"] == summary["deterministic_slip_days"]
    assert summary["critical_path"][-1] == "T032"
    assert any("SPI(t) 0.69" in line for line in summary["narrative"])


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
