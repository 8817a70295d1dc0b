"""Agile metrics on hand-made data with known answers, and on the bundled sample."""

from __future__ import annotations

import importlib
import inspect
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd
import pytest

from pmo_kit import ValidationError
from pmo_kit.agile import (
    cumulative_flow,
    cycle_time_percentiles,
    cycle_times,
    littles_law,
    sprint_burndown,
    sprint_burnup,
    throughput,
    velocity,
    velocity_summary,
    work_in_progress,
    work_item_age,
)
from pmo_kit.data.tables import empty_table

if TYPE_CHECKING:
    from collections.abc import Sequence

STATUS_DATE = "2026-06-26"


def _dates(values: Sequence[str | None] | pd.Series) -> pd.Series:
    return pd.to_datetime(pd.Series(values, dtype=object), format="ISO8601")


def _changes(
    rows: list[tuple[str, str, str]], project_id: str | None = None
) -> pd.DataFrame:
    frame = pd.DataFrame(rows, columns=["key", "timestamp", "to_status"])
    frame["timestamp"] = _dates(frame["timestamp"])
    if project_id is not None:
        frame.insert(0, "project_id", project_id)
    return frame


@pytest.mark.parametrize("name", ["pmo_kit.agile", "pmo_kit.io"])
def test_all_lists_what_the_package_exports(name):
    module = importlib.import_module(name)
    public = {
        n
        for n, v in vars(module).items()
        if not n.startswith("_") and (inspect.isfunction(v) or inspect.isclass(v))
    }
    assert public <= set(module.__all__)
    assert all(hasattr(module, n) for n in module.__all__)
    assert module.__all__ == sorted(module.__all__, key=lambda n: (not n.isupper(), n))


# ---------------------------------------------------------------------- velocity

SPRINTS = pd.DataFrame(
    {
        "project_id": ["P-001", "P-001"],
        "sprint_id": ["S01", "S02"],
        "name": ["Sprint 1", "Sprint 2"],
        "start": _dates(["2026-03-02", "2026-03-16"]),
        "end": _dates(["2026-03-13", "2026-03-27"]),
        "committed_points": [10.0, 12.0],
    }
)
ITEMS = pd.DataFrame(
    {
        "project_id": ["P-001"] * 5,
        "key": ["A-1", "A-2", "A-3", "A-4", "A-5"],
        "sprint_id": ["S01", "S01", "S01", "S02", "S02"],
        "points": [5.0, 3.0, np.nan, 8.0, 2.0],
        "created": _dates(["2026-02-27"] * 5),
        "resolved": _dates(
            [
                "2026-03-13 17:00",  # on the last day: counts
                "2026-03-14 10:00",  # the day after the end: does not count
                "2026-03-05 12:00",  # no points: counts as 0
                "2026-03-20 11:00",
                None,
            ]
        ),
    }
)


def test_velocity_committed_against_completed_by_the_sprint_end():
    table = velocity(SPRINTS, ITEMS, last=2)
    assert table["committed"].tolist() == [10.0, 12.0]
    assert table["completed"].tolist() == [5.0, 8.0]
    assert table["completion"].tolist() == pytest.approx([0.5, 8 / 12])
    assert table["finished"].tolist() == [True, True]
    assert table["average"].tolist() == [5.0, 6.5]
    assert table["median"].tolist() == [5.0, 6.5]
    assert table["name"].tolist() == ["Sprint 1", "Sprint 2"]


def test_velocity_as_of_leaves_the_current_sprint_out_of_the_averages():
    table = velocity(SPRINTS, ITEMS, as_of="2026-03-20")
    assert table["finished"].tolist() == [True, False]
    assert table["completed"].tolist() == [5.0, 8.0]  # resolved on the as-of day
    assert np.isnan(table["average"].iloc[1])
    earlier = velocity(SPRINTS, ITEMS, as_of="2026-03-19")
    assert earlier["completed"].tolist() == [5.0, 0.0]


def test_velocity_summary_uses_the_last_finished_sprints():
    summary = velocity_summary(velocity(SPRINTS, ITEMS), last=1)
    assert summary.loc["P-001", "sprints"] == 1
    assert summary.loc["P-001", "average"] == 8.0
    both = velocity_summary(velocity(SPRINTS, ITEMS), last=5)
    assert both.loc["P-001"].to_numpy().tolist() == [2, 6.5, 6.5, 5.0, 8.0]
    current = velocity_summary(velocity(SPRINTS, ITEMS, as_of="2026-03-20"))
    assert current.loc["P-001", "average"] == 5.0


def test_velocity_errors_name_the_problem():
    with pytest.raises(ValidationError, match="`last`"):
        velocity(SPRINTS, ITEMS, last=0)
    with pytest.raises(ValidationError, match="'committed_points'"):
        velocity(SPRINTS.drop(columns="committed_points"), ITEMS)


def test_sample_p005_sprint_s05_missed_its_commitment(sample):
    table = velocity(sample.sprints, sample.work_items, as_of=STATUS_DATE)
    table = table.set_index(["project_id", "sprint_id"])
    s05 = table.xs(("P-005", "S05"))
    assert (s05["committed"], s05["completed"]) == (35.0, 19.0)
    assert s05["completion"] == pytest.approx(19 / 35)
    finished = table[table["finished"]]
    missed = finished[finished["completion"] < 0.8]
    assert list(missed.index) == [("P-005", "S05")]
    # the current sprints end after the status date and are not finished
    current = set(table[~table["finished"]].index)
    assert current == {
        ("P-001", "S06"),
        ("P-004", "S03"),
        ("P-005", "S08"),
        ("P-006", "S07"),
    }


# ------------------------------------------------------------ burndown / burnup

BURN_SPRINT = pd.DataFrame(
    {
        "project_id": ["P-001"],
        "sprint_id": ["S01"],
        "start": _dates(["2026-03-05"]),  # Thursday
        "end": _dates(["2026-03-10"]),  # Tuesday: 4 working days
        "committed_points": [10.0],
    }
)
BURN_ITEMS = pd.DataFrame(
    {
        "project_id": ["P-001"] * 4,
        "sprint_id": ["S01"] * 4,
        "points": [5.0, 5.0, 3.0, np.nan],
        "created": _dates(
            ["2026-03-01", "2026-03-01", "2026-03-06 10:00", "2026-03-01"]
        ),
        "resolved": _dates(
            ["2026-03-05 15:00", "2026-03-07 11:00", None, "2026-03-09 09:00"]
        ),
    }
)


def test_burndown_days_ideal_and_weekend_work():
    frame = sprint_burndown(BURN_SPRINT, BURN_ITEMS, sprint_id="S01")
    assert frame["day"].tolist() == [0, 1, 2, 3, 4]
    assert [f"{d:%a %d}" for d in frame["date"]] == [
        "Thu 05",
        "Thu 05",
        "Fri 06",
        "Mon 09",
        "Tue 10",
    ]
    assert frame["ideal"].tolist() == [10.0, 7.5, 5.0, 2.5, 0.0]
    # Friday: 3 points added; Saturday's 5 points show on Monday
    assert frame["scope"].tolist() == [10.0, 10.0, 13.0, 13.0, 13.0]
    assert frame["completed"].tolist() == [0.0, 5.0, 5.0, 10.0, 10.0]
    assert frame["remaining"].tolist() == [10.0, 5.0, 8.0, 3.0, 3.0]


def test_burnup_shows_scope_and_calendar_days():
    frame = sprint_burnup(BURN_SPRINT, BURN_ITEMS, sprint_id="S01", working_days=False)
    assert list(frame.columns) == ["day", "date", "scope", "completed", "ideal"]
    assert len(frame) == 7  # day 0 + six calendar days
    assert frame["completed"].tolist() == [0.0, 5.0, 5.0, 10.0, 10.0, 10.0, 10.0]
    assert frame["ideal"].iloc[-1] == 10.0
    assert frame["ideal"].iloc[3] == pytest.approx(5.0)


def test_burndown_as_of_leaves_the_future_empty():
    frame = sprint_burndown(
        BURN_SPRINT, BURN_ITEMS, sprint_id="S01", as_of="2026-03-06"
    )
    assert frame["remaining"].notna().tolist() == [True, True, True, False, False]
    assert frame["ideal"].notna().all()


def test_burndown_names_unknown_or_ambiguous_sprints(sample):
    with pytest.raises(ValidationError, match=r"no sprint 'S99'.*P-001/S01"):
        sprint_burndown(BURN_SPRINT, BURN_ITEMS, sprint_id="S99")
    with pytest.raises(ValidationError, match="pass project_id"):
        sprint_burndown(sample.sprints, sample.work_items, sprint_id="S01")


def test_sample_burndown_of_the_missed_sprint(sample):
    frame = sprint_burndown(
        sample.sprints, sample.work_items, sprint_id="S05", project_id="P-005"
    )
    assert len(frame) == 11  # day 0 and ten working days
    assert frame["remaining"].iloc[0] == 35.0
    assert frame["completed"].iloc[-1] == 19.0
    assert frame["remaining"].iloc[-1] == 16.0


# ---------------------------------------------------------------- flow metrics

FLOW = _changes(
    [
        ("A-1", "2026-03-02 09:00", "To Do"),
        ("A-1", "2026-03-03 10:00", "In Progress"),
        ("A-1", "2026-03-05 16:00", "Done"),
        ("A-2", "2026-03-02 11:00", "To Do"),
        ("A-2", "2026-03-04 09:00", "In Progress"),
        ("A-2", "2026-03-04 15:00", "In Review"),
        ("A-3", "2026-03-04 12:00", "To Do"),
    ]
)


def test_cumulative_flow_counts_items_per_status_at_day_end():
    flow = cumulative_flow(FLOW)
    assert list(flow.columns) == ["To Do", "In Progress", "In Review", "Done"]
    assert flow.index[0] == pd.Timestamp("2026-03-02")
    assert flow.to_numpy().tolist() == [
        [2, 0, 0, 0],
        [1, 1, 0, 0],
        [1, 1, 1, 0],
        [1, 0, 1, 1],
    ]


def test_cumulative_flow_window_and_row_order_do_not_matter():
    shuffled = FLOW.sample(frac=1.0, random_state=3)
    flow = cumulative_flow(shuffled, start="2026-03-04", end="2026-03-07")
    assert flow.to_numpy().tolist() == [
        [1, 1, 1, 0],
        [1, 0, 1, 1],
        [1, 0, 1, 1],
        [1, 0, 1, 1],
    ]


def test_cumulative_flow_refuses_unknown_statuses():
    odd = _changes([("A-1", "2026-03-02", "Blocked")])
    with pytest.raises(ValidationError, match=r"'Blocked'.*`statuses`"):
        cumulative_flow(odd)
    flow = cumulative_flow(odd, statuses=["Blocked", "Done"])
    assert flow.to_numpy().tolist() == [[1, 0]]


def test_work_in_progress_and_throughput():
    assert work_in_progress(FLOW).tolist() == [0, 1, 2, 1]
    assert work_in_progress(FLOW, wip_statuses="In Review").tolist() == [0, 0, 1, 1]
    assert throughput(FLOW).tolist() == [1]
    daily = throughput(FLOW, start="2026-03-02", end="2026-03-08")
    assert daily.tolist() == [0, 0, 0, 1, 0, 0, 0]
    weekly = throughput(FLOW, start="2026-03-02", end="2026-03-15", freq="W")
    assert weekly.to_dict() == {
        pd.Timestamp("2026-03-02"): 1,
        pd.Timestamp("2026-03-09"): 0,
    }


def test_work_item_age_at_end_of_day_or_at_a_moment():
    end_of_day = work_item_age(FLOW, as_of="2026-03-05")
    assert end_of_day["key"].tolist() == ["A-2"]
    assert end_of_day["age_days"].tolist() == [pytest.approx(1.625)]
    moment = work_item_age(FLOW, as_of=pd.Timestamp("2026-03-04 12:00"))
    assert moment["key"].tolist() == ["A-1", "A-2"]  # oldest first
    assert moment["status"].tolist() == ["In Progress", "In Progress"]
    assert moment["age_days"].tolist() == pytest.approx([26 / 24, 3 / 24])


# ------------------------------------------------------------------ cycle time

REOPEN = _changes(
    [
        # reopened and done again: keeps its first start
        ("B-1", "2026-03-02 09:00", "To Do"),
        ("B-1", "2026-03-02 12:00", "In Progress"),
        ("B-1", "2026-03-04 12:00", "Done"),
        ("B-1", "2026-03-05 09:00", "In Progress"),
        ("B-1", "2026-03-06 12:00", "Done"),
        # reopened and not done again: left out
        ("B-2", "2026-03-02 00:00", "To Do"),
        ("B-2", "2026-03-03 00:00", "In Progress"),
        ("B-2", "2026-03-04 00:00", "Done"),
        ("B-2", "2026-03-05 00:00", "To Do"),
        # done without ever being started: lead time only
        ("B-3", "2026-03-02 00:00", "To Do"),
        ("B-3", "2026-03-03 00:00", "Done"),
        # over a weekend: Friday noon to Monday noon
        ("B-4", "2026-03-06 12:00", "In Progress"),
        ("B-4", "2026-03-09 12:00", "Done"),
    ]
)


def test_cycle_times_handle_reopen_skip_and_weekends():
    times = cycle_times(REOPEN, working_days=True).set_index("key")
    assert list(times.index) == ["B-3", "B-1", "B-4"]  # in order of completion
    assert times.loc["B-1", "cycle_time_days"] == 4.0
    assert times.loc["B-1", "lead_time_days"] == 4.125
    assert bool(times.loc["B-1", "reopened"])
    assert times["cycle_time_days"].isna()["B-3"]
    assert times.loc["B-3", "lead_time_days"] == 1.0
    assert times.loc["B-4", "cycle_time_days"] == 3.0
    assert times.loc["B-4", "cycle_time_working_days"] == pytest.approx(1.0)
    assert times.loc["B-1", "cycle_time_working_days"] == pytest.approx(4.0)


def test_cycle_times_with_holidays_and_several_start_statuses():
    times = cycle_times(REOPEN, working_days=True, holidays=["2026-03-09"])
    b4 = times.set_index("key").loc["B-4"]
    assert b4["cycle_time_working_days"] == pytest.approx(0.5)  # Friday afternoon
    review = _changes(
        [
            ("C-1", "2026-03-02", "To Do"),
            ("C-1", "2026-03-03", "In Review"),
            ("C-1", "2026-03-05", "Done"),
        ]
    )
    assert np.isnan(cycle_times(review)["cycle_time_days"].iloc[0])
    both = cycle_times(review, start_statuses=("In Progress", "In Review"))
    assert both["cycle_time_days"].tolist() == [2.0]
    with pytest.raises(ValidationError, match="working_days=True"):
        cycle_times(REOPEN, holidays=["2026-03-09"])


def test_cycle_times_tell_projects_apart():
    two: pd.DataFrame = pd.concat(
        [
            _changes(
                [("X-1", "2026-03-02", "In Progress"), ("X-1", "2026-03-03", "Done")],
                "P-001",
            ),
            _changes(
                [("X-1", "2026-03-02", "In Progress"), ("X-1", "2026-03-06", "Done")],
                "P-002",
            ),
        ]
    )
    times = cycle_times(two)
    assert times[["project_id", "cycle_time_days"]].values.tolist() == [
        ["P-001", 1.0],
        ["P-002", 4.0],
    ]


def test_cycle_time_percentiles_interpolate_like_excel():
    times = cycle_times(REOPEN)
    levels = cycle_time_percentiles(times, shares=(0.5,))
    assert levels.to_dict() == {"P50": 3.5}  # of 3.0 and 4.0; B-3 has none
    lead = cycle_time_percentiles(times, column="lead_time_days", shares=(0.5, 0.9))
    assert list(lead.index) == ["P50", "P90"]
    assert lead["P50"] == 3.0
    assert cycle_time_percentiles(pd.Series(dtype=float)).isna().all()
    with pytest.raises(ValidationError, match="shares"):
        cycle_time_percentiles(times, shares=(85,))
    with pytest.raises(ValidationError, match="'nope'"):
        cycle_time_percentiles(times, column="nope")


def test_empty_histories_give_empty_answers():
    empty = empty_table("status_changes")
    assert cumulative_flow(empty).empty
    assert work_in_progress(empty).empty
    assert throughput(empty).empty
    assert throughput(empty, start="2026-03-02").tolist() == [0]
    assert cycle_times(empty).empty
    assert work_item_age(empty, as_of="2026-03-02").empty
    assert cycle_time_percentiles(cycle_times(empty)).isna().all()


def test_status_history_needs_its_columns():
    with pytest.raises(ValidationError, match="cycle_times needs the column"):
        cycle_times(pd.DataFrame({"key": ["A-1"]}))


# --------------------------------------------------------------- Little's law


def test_littles_law_hand_case():
    changes = _changes(
        [
            ("A-1", "2026-03-02 09:00", "In Progress"),
            ("A-1", "2026-03-04 09:00", "Done"),
            ("A-2", "2026-03-03 09:00", "In Progress"),
            ("A-2", "2026-03-05 09:00", "Done"),
        ]
    )
    check = littles_law(changes, start="2026-03-02", end="2026-03-05")
    assert check.days == 4
    assert check.completed == 2
    assert check.average_wip == 1.0
    assert check.throughput_per_day == 0.5
    assert check.average_cycle_time_days == 2.0
    assert check.expected_wip == 1.0
    assert check.ratio == 1.0
    with pytest.raises(ValidationError, match="before start"):
        littles_law(changes, start="2026-03-05", end="2026-03-02")


def test_sample_flow_is_stable_enough_for_littles_law(sample):
    changes = sample.status_changes
    changes = changes[changes["project_id"] == "P-005"]
    check = littles_law(changes, start="2026-04-01", end="2026-06-19")
    assert check.completed > 40
    assert 0.8 < check.ratio < 1.25
    flow = cumulative_flow(changes, end=STATUS_DATE)
    items = sample.work_items
    assert flow.iloc[-1].sum() == (items["project_id"] == "P-005").sum()
    assert (
        flow["Done"].iloc[-1]
        == ((items["project_id"] == "P-005") & (items["status"] == "Done")).sum()
    )
    assert throughput(changes).sum() == flow["Done"].iloc[-1]
    ages = work_item_age(changes, as_of=STATUS_DATE)
    assert len(ages) == flow[["In Progress", "In Review"]].iloc[-1].sum()
