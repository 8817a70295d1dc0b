"""schedule_risk on a tiny hand-made plan: dates and slips counted by hand."""

from __future__ import annotations

from dataclasses import replace

import pandas as pd
import pytest

from pmo_kit import ValidationError
from pmo_kit.evm import portfolio_performance
from pmo_kit.reports.schedule_risk import schedule_risk
from pmo_kit.schedule.narrative import likelihood, slip_rag

# Mon 5 Jan 2026 start. T1 (5 days) is done on Fri 9 Jan. The status date is Tue
# 13 Jan, so T2 (10 days) starts on Wed 14 Jan and ends on Tue 27 Jan, two working
# days (Mon 26, Tue 27) after its baseline finish, Fri 23 Jan, where the
# milestone M sits. T3 (3 days, SS after T2) has float.
START, STATUS = pd.Timestamp("2026-01-05"), pd.Timestamp("2026-01-13")


def _task(task_id: str, duration: int, **values: object) -> dict[str, object]:
    row: dict[str, object] = {
        "project_id": "P-001",
        "task_id": task_id,
        "name": f"Task {task_id}",
        "wbs": "1",
        "duration": duration,
        "optimistic": float(duration),
        "most_likely": float(duration),
        "pessimistic": float(duration),
        "baseline_start": pd.NaT,
        "baseline_finish": pd.NaT,
        "percent_complete": 0.0,
        "actual_start": pd.NaT,
        "actual_finish": pd.NaT,
        "budgeted_cost": 1000.0,
    }
    row.update(values)
    return row


@pytest.fixture(scope="module")
def tiny(sample):
    tasks = pd.DataFrame(
        [
            _task(
                "T1",
                5,
                baseline_start=pd.Timestamp("2026-01-05"),
                baseline_finish=pd.Timestamp("2026-01-09"),
                percent_complete=100.0,
                actual_start=pd.Timestamp("2026-01-05"),
                actual_finish=pd.Timestamp("2026-01-09"),
            ),
            _task(
                "T2",
                10,
                optimistic=8.0,
                pessimistic=12.0,
                baseline_start=pd.Timestamp("2026-01-12"),
                baseline_finish=pd.Timestamp("2026-01-23"),
            ),
            _task(
                "T3",
                3,
                baseline_start=pd.Timestamp("2026-01-12"),
                baseline_finish=pd.Timestamp("2026-01-14"),
            ),
            _task(
                "M",
                0,
                name="Go-live",
                baseline_start=pd.Timestamp("2026-01-23"),
                baseline_finish=pd.Timestamp("2026-01-23"),
            ),
        ]
    )
    tasks["duration"] = tasks["duration"].astype("Int64")
    links = pd.DataFrame(
        {
            "project_id": "P-001",
            "predecessor": ["T1", "T1", "T2", "T3"],
            "successor": ["T2", "T3", "M", "M"],
            "type": ["FS", "FS", "FS", "FS"],
            "lag": [0, 0, 0, 0],
        }
    )
    project = sample.projects[sample.projects["project_id"] == "P-001"].copy()
    project["start"] = START
    project["planned_finish"] = pd.Timestamp("2026-01-23")
    project["status_date"] = STATUS
    return replace(
        sample,
        projects=project.reset_index(drop=True),
        tasks=tasks,
        dependencies=links,
        status=sample.status.iloc[0:0],
    )


@pytest.fixture(scope="module")
def result(tiny):
    return schedule_risk(tiny, "P-001", iterations=2000, confidence=0.9)


def test_forecast_from_the_status_date(result):
    s = result.summary()
    assert s["status_date"] == "2026-01-13"
    assert s["planned_finish"] == "2026-01-23"
    assert s["deterministic_finish"] == "2026-01-27"
    assert s["deterministic_slip_days"] == 2
    assert (s["tasks"], s["tasks_done"], s["tasks_in_progress"]) == (4, 1, 0)
    assert s["critical_path"] == ["T2", "M"]
    assert s["spi"] is None
    assert s["spi_t"] is None


def test_simulated_dates_bracket_the_forecast(result):
    s = result.summary()
    # T2 takes 8 to 12 days from Wed 14 Jan: finish Fri 23 Jan to Thu 29 Jan
    p50, p90 = pd.Timestamp(s["p50"]), pd.Timestamp(s["p_confidence"])
    assert pd.Timestamp("2026-01-23") <= p50 <= p90 <= pd.Timestamp("2026-01-29")
    assert s["confidence"] == 0.9
    # only T2 at exactly 8 days would meet the plan: a continuous draw never is
    assert s["probability_on_time"] == 0.0
    assert "The chance of meeting the planned finish is less than 1%." in s["narrative"]
    assert result.figures["rag"].tolist()[0] == ""
    assert result.figures["rag"].tolist()[1] == "amber"  # 2 days, within 10
    assert result.label == "P90"


def test_milestones_and_drivers(result):
    (milestone,) = result.summary()["milestones"]
    assert milestone == {
        "task_id": "M",
        "name": "Go-live",
        "baseline_finish": "2026-01-23",
        "forecast_finish": "2026-01-27",
        "state": "forecast",
        "slip_days": 2,
        "done": False,
    }
    assert result.milestones["rag"].tolist() == ["amber"]
    drivers = result.summary()["top_drivers"]
    assert drivers[0]["task_id"] == "T2"  # the only task with a range
    assert result.drivers["estimate"].iloc[0] == "8 / 10 / 12"


def test_narrative(result):
    lines = result.narrative
    assert lines[0] == (
        "At the status date, 13 Jan 2026, 1 of 4 tasks are finished and 0 in progress."
    )
    assert lines[1] == (
        "If the remaining work takes its planned durations, the project finishes on "
        "Tue 27 Jan 2026, 2 working days after the planned finish (23 Jan 2026)."
    )
    assert any(
        line.startswith(
            "Next milestone: Go-live, planned for 23 Jan 2026, now "
            "forecast for 27 Jan 2026 (2 working days late)"
        )
        for line in lines
    )
    assert lines[-1].startswith("For decision: the chance of meeting the planned")
    assert not any("Caution" in line for line in lines)  # no SPI(t) to judge


def test_the_tolerance_is_the_status_rules(tiny):
    strict = schedule_risk(
        tiny, "P-001", iterations=200, rules={"milestone_amber_slip_days": 1}
    )
    assert strict.amber_days == 1
    assert strict.milestones["rag"].tolist() == ["red"]


def test_pace_is_spi_t_as_in_the_status_reports(sample):
    result = schedule_risk(sample, "P-002", iterations=200)
    performance = portfolio_performance(sample).set_index("project_id")
    assert result.spi_t == pytest.approx(performance.loc["P-002", "spi_t"])
    assert result.spi == pytest.approx(performance.loc["P-002", "spi"])
    caution = [line for line in result.narrative if line.startswith("Caution")]
    assert caution
    assert f"SPI(t) {result.spi_t:.2f}" in caution[0]


def test_a_project_with_no_work_left(sample):
    with pytest.raises(ValidationError, match="P-008 has no work left") as info:
        schedule_risk(sample, "P-008", iterations=100)
    assert "phase closed" in str(info.value)


def test_unknown_project(sample):
    with pytest.raises(ValidationError, match="'P-999' is not a project"):
        schedule_risk(sample, "P-999")


@pytest.mark.parametrize(
    ("days", "rag"),
    [(-1, "green"), (0, "green"), (1, "amber"), (10, "amber"), (11, "red")],
)
def test_slip_rag(days, rag):
    assert slip_rag(days, amber_days=10) == rag


def test_likelihood_words():
    assert [likelihood(p) for p in (0.0, 0.004, 0.5, 0.996)] == [
        "less than 1%",
        "less than 1%",
        "50%",
        "more than 99%",
    ]
