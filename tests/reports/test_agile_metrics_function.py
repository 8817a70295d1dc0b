"""agile_metrics on a tiny hand-built team: every figure worked out by hand.

Project P-A "Beta App" (agile), status date Wed 18 March 2026; one-week sprints:

- S1 (2-6 Mar) commits 10 points: A (5) done Wed 4 Mar 17:00, B (5) done Thu 5 Mar
  09:00 -> 10 of 10 (100 %, green).
- S2 (9-13 Mar) commits 10: C (5) done Thu 12 Mar 09:00 -> 5 of 10 (50 %, red, missed);
  nothing finished until day 4 of 5.
- S3 (16-20 Mar) commits 8, running: D (5) in progress since Tue 10 Mar, E (3) to do.
- S4 (23-27 Mar) has not started: the review ends with S3.

All items were created on Fri 27 Feb. Cycle times: A 2 d 8 h, B 3 d, C 3 d.
The window runs from Mon 2 Mar to the status date, 17 days. End-of-day WIP (In
Progress or In Review): 2, 2, 1, 0, 0, 0, 0, 1, 2, 2, 1 and 1 for the six days from
13 to 18 Mar: 17 item-days / 17 days = 1.0 on average.
"""

from __future__ import annotations

from dataclasses import replace

import pandas as pd
import pytest

from pmo_kit import Portfolio, ValidationError
from pmo_kit.reports import AgileMetrics, agile_metrics

T = pd.Timestamp


def _changes(key: str, *moves: tuple[str, str]) -> list[tuple[object, ...]]:
    first = ("P-A", key, T("2026-02-27 09:00"), None, "To Do")
    rows: list[tuple[object, ...]] = [first]
    status = "To Do"
    for when, to in moves:
        rows.append(("P-A", key, T(when), status, to))
        status = to
    return rows


@pytest.fixture(scope="module")
def tiny(sample):
    projects = sample.projects.iloc[:2].copy()
    projects["project_id"] = ["P-A", "P-B"]
    projects["name"] = ["Beta App", "Gamma ERP"]
    projects["methodology"] = ["agile", "predictive"]
    projects["phase"] = ["execution", "execution"]
    projects["sponsor"] = ["Sam Lee", "Sam Lee"]
    projects["manager"] = ["R-001", "R-001"]
    projects["planned_finish"] = [T("2026-04-30"), T("2026-09-30")]
    projects["status_date"] = [T("2026-03-18"), T("2026-03-18")]
    manager = sample.resources.iloc[:1].assign(resource_id="R-001", name="Ana Silva")
    sprints = pd.DataFrame(
        {
            "project_id": ["P-A"] * 4,
            "sprint_id": ["S1", "S2", "S3", "S4"],
            "name": ["Sprint 1", "Sprint 2", "Sprint 3", "Sprint 4"],
            "goal": [""] * 4,
            "start": pd.to_datetime(
                ["2026-03-02", "2026-03-09", "2026-03-16", "2026-03-23"]
            ),
            "end": pd.to_datetime(
                ["2026-03-06", "2026-03-13", "2026-03-20", "2026-03-27"]
            ),
            "committed_points": [10.0, 10.0, 8.0, 0.0],
        }
    )
    items = pd.DataFrame(
        {
            "project_id": ["P-A"] * 5,
            "key": list("ABCDE"),
            "type": ["story"] * 5,
            "summary": [f"Story {k}" for k in "ABCDE"],
            "points": [5.0, 5.0, 5.0, 5.0, 3.0],
            "status": ["Done", "Done", "Done", "In Progress", "To Do"],
            "sprint_id": ["S1", "S1", "S2", "S3", "S3"],
            "created": [T("2026-02-27 09:00")] * 5,
            "started": pd.to_datetime(
                [  # type: ignore[arg-type]
                    "2026-03-02 09:00",
                    "2026-03-02 09:00",
                    "2026-03-09 09:00",
                    "2026-03-10 09:00",
                    None,
                ]
            ),
            "resolved": pd.to_datetime(
                [  # type: ignore[arg-type]
                    "2026-03-04 17:00",
                    "2026-03-05 09:00",
                    "2026-03-12 09:00",
                    None,
                    None,
                ]
            ),
        }
    )
    changes = (
        _changes("A", ("2026-03-02 09:00", "In Progress"), ("2026-03-04 17:00", "Done"))
        + _changes(
            "B", ("2026-03-02 09:00", "In Progress"), ("2026-03-05 09:00", "Done")
        )
        + _changes(
            "C", ("2026-03-09 09:00", "In Progress"), ("2026-03-12 09:00", "Done")
        )
        + _changes("D", ("2026-03-10 09:00", "In Progress"))
        + _changes("E")
    )
    status_changes = pd.DataFrame(
        changes, columns=["project_id", "key", "timestamp", "from_status", "to_status"]
    )
    return replace(
        sample,
        name="Tiny Co",
        projects=projects.reset_index(drop=True),
        resources=manager,
        sprints=sprints,
        work_items=items,
        status_changes=status_changes,
    )


@pytest.fixture(scope="module")
def review(tiny: Portfolio) -> AgileMetrics:
    return agile_metrics(tiny, "P-A", iterations=2_000, seed=1)


def test_sprints_up_to_the_running_one(review):
    assert (review.first_sprint, review.last_sprint) == ("S1", "S3")
    assert review.window_start == T("2026-03-02")
    assert review.window_end == T("2026-03-18")  # S3 runs past the status date
    sprints = review.sprints.set_index("sprint_id")
    assert list(sprints["completed"]) == [10.0, 5.0, 0.0]
    assert list(sprints["rag"]) == ["green", "red", ""]
    assert list(sprints["state"]) == ["finished", "finished", "in progress"]
    assert sprints.loc["S2", "dates"] == "09 Mar to 13 Mar"
    assert review.average_velocity == pytest.approx(7.5)
    assert review.recent_velocity == pytest.approx(7.5)
    assert review.commitment_reliability == pytest.approx(15 / 20)
    assert review.missed_sprints == ["S2"]
    assert review.sprint_days == 7
    assert review.sprint_span == "S1 to S3"
    assert review.burndown_title == "Sprint S3 burndown (in progress, to 18 Mar)"


def test_flow_by_hand(review):
    assert sorted(review.cycle_times["key"]) == ["A", "B", "C"]
    p = review.cycle_time_percentiles
    assert p["P50"] == pytest.approx(3.0)
    assert p["P85"] == pytest.approx(3.0)
    little = review.littles_law
    assert little.completed == 3
    assert little.days == 17
    assert little.throughput_per_day == pytest.approx(3 / 17)
    assert little.average_wip == pytest.approx(1.0)
    mean_cycle = (2 + 8 / 24 + 3 + 3) / 3
    assert little.expected_wip == pytest.approx(3 / 17 * mean_cycle)
    assert list(review.in_progress["key"]) == ["D"]
    assert review.older_than_p85 == ["D"]  # 8 days and more against 3


def test_backlog_and_forecasts_by_hand(review):
    assert review.remaining_items == 2
    assert review.remaining_points == pytest.approx(8.0)
    assert review.unestimated_items == 0
    rows = review.forecasts.set_index("method")
    # 8 points / 7.5 a sprint -> 2 more one-week sprints from 18 Mar
    assert rows.loc["Average velocity", "date"] == T("2026-04-01")
    assert rows.loc["Average velocity", "how"].startswith(
        "8 points / 7.5 points a sprint = 2 more sprints of one week"
    )
    # 2 items / (3 / 17) a day = 11.3 -> 12 days after 18 Mar
    assert rows.loc["Average throughput", "date"] == T("2026-03-30")
    forecast = review.forecast
    assert forecast is not None
    assert forecast.start == T("2026-03-19")
    assert rows.loc["Monte Carlo P85", "date"] == forecast.date(0.85)
    assert list(rows.index)[-1] == "Planned finish"


def test_narrative_by_hand(review):
    lines = review.narrative
    assert lines[0] == (
        "In 2 finished sprints the team completed 15 of 20 committed points (75%). "
        "Average velocity: 8 points a sprint; 8 over the last 2."
    )
    assert lines[1] == (
        "Sprint S2 (09 Mar to 13 Mar) delivered 5 of 10 committed points (50%); "
        "nothing was finished until day 4 of 5: work was started but not finished."
    )
    assert lines[2] == (
        "Half the items are finished within 3.0 days of being started and 85% within "
        "3.0 days (cycle time, 3 items)."
    )
    assert lines[3].endswith("work is piling up; limit work in progress.")
    assert lines[4] == (
        "1 item in progress is older than the P85 cycle time: D. Ask what blocks them."
    )
    assert lines[5].startswith("The remaining 2 items (8 points) will be done by")
    assert lines[6].startswith("For decision:")


def test_tolerances_are_data(tiny):
    lenient = agile_metrics(
        tiny,
        "P-A",
        iterations=100,
        tolerances={"sprint_amber_below": 0.5, "sprint_red_below": 0.4},
    )
    assert lenient.missed_sprints == []
    assert list(lenient.sprints["rag"]) == ["green", "green", ""]
    assert lenient.narrative[1] == (
        "Every finished sprint delivered at least 50% of its commitment."
    )
    assert "less than 50% of its commitment" in lenient.method[0]


def test_a_range_of_sprints(tiny):
    one = agile_metrics(
        tiny, "P-A", first_sprint="S2", last_sprint="S2", iterations=100
    )
    assert one.sprint_span == "S2"
    assert one.window_end == T("2026-03-13")
    assert list(one.cycle_times["key"]) == ["C"]
    assert one.remaining_items == 2  # D and E were open at the end of S2
    assert one.burndown_title == "Sprint S2 burndown"
    assert one.header["Sprints"] == "S2 (09 Mar to 13 Mar 2026)"
    assert one.header["Manager"] == "Ana Silva"


def test_summary_keeps_the_report_keys(review):
    summary = review.summary()
    assert set(summary) >= {
        "report",
        "project_id",
        "project_name",
        "methodology",
        "status_date",
        "first_sprint",
        "last_sprint",
        "window_start",
        "window_end",
        "sprints",
        "average_velocity",
        "recent_velocity",
        "commitment_reliability",
        "missed_sprints",
        "cycle_time_days",
        "items_finished",
        "throughput_per_day",
        "littles_law",
        "items_in_progress",
        "items_older_than_p85",
        "remaining_items",
        "remaining_points",
        "forecast",
        "narrative",
    }
    assert summary["report"] == "agile-metrics"
    assert summary["window_end"] == "2026-03-18"
    assert summary["sprints"][1] == {
        "sprint_id": "S2",
        "committed": 10.0,
        "completed": 5.0,
        "completion": 0.5,
        "finished": True,
        "rag": "red",
    }
    assert summary["items_finished"] == 3
    assert summary["forecast"]["seed"] == 1
    assert summary["forecast"]["average_throughput_date"] == "2026-03-30"


@pytest.mark.parametrize(
    ("project_id", "options", "message"),
    [
        (
            "P-B",
            {},
            "P-B Gamma ERP is run as a predictive project: it has no sprints, so there "
            "are no agile metrics to report. Allowed: an agile or hybrid project with "
            "sprints: P-A",
        ),
        ("P-Z", {}, "'P-Z' is not a project in Tiny Co"),
        (
            "P-A",
            {"last_sprint": "S9"},
            "`last_sprint` 'S9' is not a sprint of P-A. Allowed: one of S1, S2, S3, "
            "S4, or empty",
        ),
        (
            "P-A",
            {"first_sprint": "S4"},
            "`first_sprint` S4 starts on 2026-03-23, after the status date 2026-03-18. "
            "Allowed: a sprint that has started: S1, S2, S3, or empty",
        ),
        (
            "P-A",
            {"first_sprint": "S3", "last_sprint": "S1"},
            "`first_sprint` S3 comes after `last_sprint` S1",
        ),
    ],
    ids=["predictive", "unknown-project", "unknown-sprint", "future", "reversed"],
)
def test_one_clear_error(tiny, project_id, options, message):
    with pytest.raises(ValidationError) as info:
        agile_metrics(tiny, project_id, **options)
    assert message in str(info.value)
    assert "\n" not in str(info.value)


def test_an_agile_project_without_sprints_yet(tiny):
    later = replace(
        tiny, sprints=tiny.sprints.assign(project_id="P-B")
    )  # P-A loses its sprints
    with pytest.raises(
        ValidationError, match=r"P-A Beta App \(execution\) has no sprints"
    ):
        agile_metrics(later, "P-A")


def test_sample_sprints_s03_to_s05(sample):
    """P-005 completed 31, 34 and 19 points in S03 to S05 (S05 missed)."""
    review = agile_metrics(
        sample, "P-005", first_sprint="S03", last_sprint="S05", iterations=500
    )
    assert list(review.sprints["sprint_id"]) == ["S03", "S04", "S05"]
    assert review.window_start == T("2026-04-13")
    assert review.window_end == T("2026-05-22")  # the end of S05
    assert review.average_velocity == pytest.approx((31 + 34 + 19) / 3)
    assert review.missed_sprints == ["S05"]
    assert review.forecast is not None
    assert review.forecast.date(0.5) > T("2026-05-22")


def test_sample_hybrid_project(sample):
    review = agile_metrics(sample, "P-004", iterations=500)
    assert review.project["methodology"] == "hybrid"
    assert list(review.sprints["sprint_id"]) == ["S01", "S02", "S03"]
    assert review.missed_sprints == []


@pytest.mark.parametrize(
    ("project_id", "message"),
    [
        (
            "P-002",
            "P-002 ERP Finance Migration is run as a predictive project: it has no "
            "sprints, so there are no agile metrics to report. Allowed: an agile or "
            "hybrid project with sprints: P-001, P-004, P-005, P-006",
        ),
        ("P-009", "P-009 Supplier Self-Service Portal (planning) has no sprints yet."),
    ],
)
def test_sample_projects_without_agile_metrics(sample, project_id, message):
    with pytest.raises(ValidationError) as info:
        agile_metrics(sample, project_id)
    assert message in str(info.value)
