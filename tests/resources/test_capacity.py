"""Capacity engine on small plans worked out by hand (hours, weeks from Monday)."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
import pytest

from pmo_kit.resources import (
    CapacityPlan,
    capacity_plan,
    find_available,
    overallocations,
    role_outlook,
    skills_gaps,
)
from pmo_kit.schedule import WorkCalendar

MONDAY = "2026-06-01"  # weeks: 06-01, 06-08, 06-15, 06-22, 06-29, 07-06


def people(*rows: tuple[str, str, float, str, str]) -> pd.DataFrame:
    """(id, role, hours/week, skills, calendar) rows."""
    return pd.DataFrame(
        rows, columns=["resource_id", "role", "capacity_hours", "skills", "calendar"]
    ).assign(name=lambda f: "Person " + f["resource_id"])


def tasks(*rows: tuple[str, str, str], project: str = "P-1") -> pd.DataFrame:
    """(task_id, baseline_start, baseline_finish) rows."""
    frame = pd.DataFrame(rows, columns=["task_id", "baseline_start", "baseline_finish"])
    return frame.assign(project_id=project)


def work(*rows: tuple[str, str, float, float], project: str = "P-1") -> pd.DataFrame:
    """(task_id, resource_id, units, hours) rows."""
    frame = pd.DataFrame(rows, columns=["task_id", "resource_id", "units", "hours"])
    return frame.assign(project_id=project)


def weekly(
    plan: CapacityPlan, resource_id: str, column: str = "demand_hours"
) -> list[Any]:
    table = plan.utilisation
    return table.loc[table["resource_id"] == resource_id, column].round(4).tolist()


def test_hours_are_spread_evenly_over_the_working_days():
    # 30 h over the 10 working days of two weeks: 3 h a day, 15 h a week
    plan = capacity_plan(
        resources=people(("R-1", "Developer", 40.0, "", "standard")),
        tasks=tasks(("A", "2026-06-01", "2026-06-12")),
        assignments=work(("A", "R-1", 0.5, 30.0)),
        start=MONDAY,
        weeks=3,
    )
    assert weekly(plan, "R-1") == [15.0, 15.0, 0.0]
    assert weekly(plan, "R-1", "capacity_hours") == [40.0, 40.0, 40.0]
    assert weekly(plan, "R-1", "utilisation") == [0.375, 0.375, 0.0]
    assert weekly(plan, "R-1", "free_hours") == [25.0, 25.0, 40.0]
    day = plan.daily_demand.loc["R-1"]
    assert day["2026-06-05"] == pytest.approx(3.0)
    assert day["2026-06-06"] == 0.0  # Saturday
    assert list(plan.week_starts.strftime("%Y-%m-%d")) == [
        "2026-06-01",
        "2026-06-08",
        "2026-06-15",
    ]


def test_a_task_across_a_weekend_splits_between_weeks():
    # Thu 06-04 .. Tue 06-09 = 4 working days; 20 h -> 5 h a day: 10 + 10
    plan = capacity_plan(
        resources=people(("R-1", "Developer", 40.0, "", "standard")),
        tasks=tasks(("A", "2026-06-04", "2026-06-09")),
        assignments=work(("A", "R-1", 0.5, 20.0)),
        start="2026-06-03",  # a Wednesday: the plan starts on its Monday
        weeks=2,
    )
    assert plan.start == pd.Timestamp(MONDAY)
    assert weekly(plan, "R-1") == [10.0, 10.0]
    rows = plan.demand.sort_values("week")
    assert rows["hours"].tolist() == [10.0, 10.0]
    assert rows["task_id"].tolist() == ["A", "A"]
    days = plan.demand_by_day.sort_values("day")
    assert days["day"].dt.strftime("%a %d").tolist() == [
        "Thu 04",
        "Fri 05",
        "Mon 08",
        "Tue 09",
    ]
    assert days["hours"].tolist() == [5.0, 5.0, 5.0, 5.0]
    assert set(days["project_id"]) == {"P-1"}


def test_hours_come_from_units_when_empty():
    # units x working days x capacity / 5 = 0.5 x 5 x 37.5 / 5 = 18.75
    plan = capacity_plan(
        resources=people(("R-1", "Developer", 37.5, "", "standard")),
        tasks=tasks(("A", "2026-06-01", "2026-06-05")),
        assignments=work(("A", "R-1", 0.5, np.nan)),
        start=MONDAY,
        weeks=1,
    )
    assert weekly(plan, "R-1") == [18.75]
    assert weekly(plan, "R-1", "utilisation") == [0.5]


def test_part_time_and_four_day_week_calendars():
    plan = capacity_plan(
        resources=people(
            ("R-1", "Tester", 24.0, "", "part-time"),
            ("R-2", "Developer", 32.0, "", "four-day-week"),
        ),
        tasks=tasks(("A", "2026-06-01", "2026-06-05")),
        assignments=work(("A", "R-2", 1.0, 32.0)),
        start=MONDAY,
        weeks=1,
    )
    assert weekly(plan, "R-1", "capacity_hours") == [24.0]
    assert plan.daily_capacity.loc["R-1", "2026-06-05"] == pytest.approx(4.8)
    # four days of 8 hours; nothing on Friday
    capacity = plan.daily_capacity.loc["R-2"]
    assert capacity["2026-06-04"] == 8.0
    assert capacity["2026-06-05"] == 0.0
    assert weekly(plan, "R-2", "capacity_hours") == [32.0]
    assert weekly(plan, "R-2", "utilisation") == [1.0]  # weekly view: fully booked
    assert weekly(plan, "R-2", "over") == [False]


def test_holidays_remove_capacity_and_tasks_skip_them():
    calendar = WorkCalendar(holidays=["2026-06-03"])
    plan = capacity_plan(
        resources=people(("R-1", "Developer", 40.0, "", "standard")),
        tasks=tasks(("A", "2026-06-01", "2026-06-05")),
        assignments=work(("A", "R-1", 1.0, 32.0)),
        start=MONDAY,
        weeks=1,
        calendar=calendar,
    )
    assert weekly(plan, "R-1", "capacity_hours") == [32.0]
    assert plan.daily_demand.loc["R-1", "2026-06-03"] == 0.0
    assert plan.daily_demand.loc["R-1", "2026-06-04"] == pytest.approx(8.0)
    assert weekly(plan, "R-1", "utilisation") == [1.0]


def test_absences_remove_capacity_but_keep_the_bookings():
    absences = pd.DataFrame(
        {"resource_id": ["R-1"], "start": ["2026-06-08"], "end": ["2026-06-10"]}
    )
    plan = capacity_plan(
        resources=people(("R-1", "Developer", 40.0, "", "standard")),
        tasks=tasks(("A", "2026-06-01", "2026-06-12")),
        assignments=work(("A", "R-1", 0.5, 30.0)),
        start=MONDAY,
        weeks=2,
        absences=absences,
    )
    # week 2 loses Mon-Wed (3 x 8 h): 16 h left for 15 h of work
    assert weekly(plan, "R-1", "capacity_hours") == [40.0, 16.0]
    assert weekly(plan, "R-1", "utilisation") == [0.375, 0.9375]


def over_plan() -> CapacityPlan:
    """R-1 (40 h): A full time in weeks 1-3, B half time in weeks 2-3, C+D week 5."""
    return capacity_plan(
        resources=people(
            ("R-1", "Developer", 40.0, "Java;SQL", "standard"),
            ("R-2", "Developer", 40.0, "Python", "standard"),
            ("R-3", "Business Analyst", 40.0, "SQL;BPMN", "standard"),
            ("R-4", "Data Engineer", 40.0, "dbt", "standard"),
        ),
        tasks=tasks(
            ("A", "2026-06-01", "2026-06-19"),
            ("B", "2026-06-08", "2026-06-19"),
            ("C", "2026-06-29", "2026-07-03"),
            ("D", "2026-06-29", "2026-07-03"),
            ("E", "2026-06-08", "2026-06-12"),
            ("F", "2026-06-08", "2026-06-12"),
            ("G", "2026-06-15", "2026-06-19"),
        ),
        assignments=work(
            ("A", "R-1", 1.0, 120.0),
            ("B", "R-1", 0.5, 40.0),
            ("C", "R-1", 1.0, 40.0),
            ("D", "R-1", 0.5, 20.0),
            ("E", "R-2", 0.25, 10.0),
            ("F", "R-3", 0.75, 30.0),
            ("G", "R-4", 1.0, 40.0),
            ("G", "R-2", 0.25, 10.0),
        ),
        start=MONDAY,
        weeks=6,
    )


def test_overallocations_merge_consecutive_weeks_into_episodes():
    plan = over_plan()
    assert weekly(plan, "R-1", "utilisation") == [1.0, 1.5, 1.5, 0.0, 1.5, 0.0]
    over = overallocations(plan)
    assert over["resource_id"].tolist() == ["R-1", "R-1"]
    first, second = over.iloc[0], over.iloc[1]
    assert first["first_week"] == pd.Timestamp("2026-06-08")
    assert first["last_week"] == pd.Timestamp("2026-06-15")
    assert first["weeks"] == 2
    assert first["peak_utilisation"] == 1.5
    assert first["demand_hours"] == 120.0
    assert first["capacity_hours"] == 80.0
    assert first["excess_hours"] == 40.0
    assert first["projects"] == "P-1"
    assert first["tasks"] == "P-1 A, P-1 B"  # A: 80 h, B: 40 h in those weeks
    assert second["first_week"] == second["last_week"] == pd.Timestamp("2026-06-29")
    assert second["excess_hours"] == 20.0
    assert second["tasks"] == "P-1 C, P-1 D"


def test_nobody_over_allocated_gives_an_empty_table():
    plan = capacity_plan(
        resources=people(("R-1", "Developer", 40.0, "", "standard")),
        tasks=tasks(("A", "2026-06-01", "2026-06-05")),
        assignments=work(("A", "R-1", 1.0, 40.0)),
        start=MONDAY,
        weeks=1,
    )
    over = overallocations(plan)
    assert over.empty
    assert "excess_hours" in over.columns
    assert skills_gaps(plan).empty


def test_role_outlook_separates_bottlenecks_from_rebalancing():
    outlook = role_outlook(over_plan())
    summary = outlook.summary
    # Developers: R-1 is 20 h over in weeks 2, 3 and 5 but R-2 has room: the role
    # as a whole is never short (week 2: 60 + 10 = 70 h of 80 h)
    dev = summary.loc["Developer"]
    assert dev["people"] == 2
    assert dev["overbooked_hours"] == 60.0
    assert dev["short_weeks"] == 0
    assert not dev["bottleneck"]
    weekly_dev = outlook.weekly[outlook.weekly["role"] == "Developer"]
    assert weekly_dev["demand_hours"].tolist() == [40.0, 70.0, 70.0, 0.0, 60.0, 0.0]
    assert weekly_dev["gap_hours"].tolist() == [
        -40.0,
        -10.0,
        -10.0,
        -80.0,
        -20.0,
        -80.0,
    ]
    assert outlook.bottlenecks == []


def test_role_outlook_names_a_role_short_of_capacity():
    plan = capacity_plan(
        resources=people(
            ("R-1", "Data Engineer", 37.5, "dbt", "standard"),
            ("R-2", "Developer", 40.0, "", "standard"),
        ),
        tasks=tasks(
            ("A", "2026-06-01", "2026-06-05"), ("B", "2026-06-01", "2026-06-05")
        ),
        assignments=work(("A", "R-1", 0.8, 30.0), ("B", "R-1", 0.8, 30.0)),
        start=MONDAY,
        weeks=2,
    )
    outlook = role_outlook(plan)
    assert outlook.bottlenecks == ["Data Engineer"]
    row = outlook.summary.loc["Data Engineer"]
    assert row["short_weeks"] == 1
    assert row["short_hours"] == 22.5  # 60 - 37.5
    assert row["first_short_week"] == pd.Timestamp(MONDAY)
    assert row["peak_utilisation"] == 1.6
    assert outlook.summary.index[0] == "Data Engineer"


def test_skills_gaps_compare_excess_with_free_people_who_share_it():
    gaps = skills_gaps(over_plan()).set_index("need")
    # R-1 (Java, SQL) is 20 h over in weeks 2, 3 and 5 (60 h)
    java = gaps.loc["Java"]
    assert java["kind"] == "skill"
    assert java["excess_hours"] == 60.0
    assert java["cover_hours"] == 0.0  # nobody else knows Java
    assert java["uncovered_hours"] == 60.0
    assert java["gap"]
    assert java["could_help"] == ""
    # SQL: R-3 is free 10 h in week 2, 40 h in week 3 and week 5 -> 10 + 20 + 20
    sql = gaps.loc["SQL"]
    assert sql["cover_hours"] == 50.0
    assert sql["uncovered_hours"] == 10.0
    assert sql["could_help"] == "Person R-3"
    # role: R-2 is free 30 h in weeks 2 and 3 and 40 h in week 5: all covered
    dev = gaps.loc["Developer"]
    assert dev["kind"] == "role"
    assert dev["cover_hours"] == 60.0
    assert not dev["gap"]
    assert dev["over_allocated"] == "Person R-1"
    assert list(gaps.index) == ["Java", "SQL", "Developer"]
    assert skills_gaps(over_plan(), roles=["Tester", "Business Analyst"]).empty


def test_find_available_ranks_by_free_hours_week_by_week():
    plan = over_plan()
    # weeks of 06-08 and 06-15: R-2 has 30 + 30 free, R-3 10 + 40, R-4 40 + 0
    free = find_available(
        plan, role="developer", days=5, start="2026-06-08", end="2026-06-19"
    )
    assert free["resource_id"].tolist() == ["R-2"]
    assert free.loc[0, "free_hours"] == 60.0
    assert free.loc[0, "free_days"] == 7.5  # 60 h / 8 h a day
    everyone = find_available(
        plan, days=6.5, start="2026-06-08", end="2026-06-19", include_busy=True
    )
    assert everyone["resource_id"].tolist() == ["R-2", "R-3", "R-4", "R-1"]
    assert everyone["free_hours"].tolist() == [60.0, 50.0, 40.0, 0.0]
    assert everyone["available"].tolist() == [True, False, False, False]
    sql = find_available(
        plan, skill="sql", days=1, start="2026-06-08", end="2026-06-19"
    )
    assert sql["resource_id"].tolist() == ["R-3"]  # R-1 knows SQL but is full


def test_find_available_counts_part_weeks_of_the_window():
    plan = over_plan()
    # Wed 06-10 to Tue 06-16: R-3 is booked 6 h a day in week 2 (Wed-Fri: 6 h free),
    # free all of Mon-Tue of week 3 (16 h)
    free = find_available(
        plan, skill="BPMN", days=2, start="2026-06-10", end="2026-06-16"
    )
    assert free["free_hours"].tolist() == [22.0]


def test_forecast_puts_done_work_on_actual_dates_and_the_rest_after_status():
    resources = people(("R-1", "Developer", 40.0, "", "standard"))
    plan_tasks = pd.DataFrame(
        {
            "project_id": ["P-1", "P-1"],
            "task_id": ["A", "B"],
            "duration": [10, 5],
            "baseline_start": ["2026-06-01", "2026-06-15"],
            "baseline_finish": ["2026-06-12", "2026-06-19"],
            "percent_complete": [20.0, 0.0],
            "actual_start": ["2026-06-01", None],
            "actual_finish": [None, None],
        }
    )
    links = pd.DataFrame(
        {"project_id": ["P-1"], "predecessor": ["A"], "successor": ["B"]}
    )
    projects = pd.DataFrame(
        {"project_id": ["P-1"], "start": ["2026-06-01"], "status_date": ["2026-06-05"]}
    )
    plan = capacity_plan(
        resources=resources,
        tasks=plan_tasks,
        assignments=work(("A", "R-1", 0.5, 40.0), ("B", "R-1", 0.25, 10.0)),
        projects=projects,
        dependencies=links,
        start=MONDAY,
        weeks=4,
        dates="forecast",
    )
    # A: 20 % = 8 h done in week 1; 32 h left over ceil(10 x 0.8) = 8 days from
    # Mon 06-08 (4 h a day: 20 h in week 2, 12 h Mon-Wed of week 3).
    # B follows A: Thu 06-18 .. Wed 06-24, 2 h a day: 4 h in week 3, 6 h in week 4.
    assert weekly(plan, "R-1") == [8.0, 20.0, 16.0, 6.0]
    baseline = capacity_plan(
        resources=resources,
        tasks=plan_tasks,
        assignments=work(("A", "R-1", 0.5, 40.0), ("B", "R-1", 0.25, 10.0)),
        start=MONDAY,
        weeks=4,
    )
    assert weekly(baseline, "R-1") == [20.0, 20.0, 10.0, 0.0]


def test_default_start_is_the_latest_status_date(sample):
    plan = capacity_plan(sample, weeks=2)
    assert plan.start == pd.Timestamp("2026-06-22")  # the Monday of 2026-06-26
    assert plan.end == pd.Timestamp("2026-07-05")
    assert len(plan.utilisation) == 2 * len(sample.resources)
