"""What-if scenarios: moving projects, removing and adding people; never mutating."""

from __future__ import annotations

import copy
from dataclasses import replace

import pandas as pd
import pandas.testing as pdt
import pytest

from pmo_kit.resources import capacity_plan, role_outlook, what_if


@pytest.fixture(scope="module")
def small(sample):
    """Two projects sharing one developer (40 h) in June; a tester with room."""
    resources = pd.DataFrame(
        {
            "resource_id": ["R-1", "R-2", "R-3"],
            "name": ["Ana", "Ben", "Cy"],
            "role": ["Developer", "Developer", "Tester"],
            "skills": ["Python", "Java", "Selenium"],
            "capacity_hours": [40.0, 40.0, 40.0],
            "cost_rate": [80.0, 80.0, 70.0],
            "calendar": ["standard"] * 3,
        }
    )
    tasks = pd.DataFrame(
        {
            "project_id": ["P-1", "P-2", "P-2"],
            "task_id": ["T001", "T001", "T002"],
            "baseline_start": pd.to_datetime(
                ["2026-06-01", "2026-06-01", "2026-06-08"]
            ),
            "baseline_finish": pd.to_datetime(
                ["2026-06-12", "2026-06-05", "2026-06-12"]
            ),
        }
    )
    assignments = pd.DataFrame(
        {
            "project_id": ["P-1", "P-2", "P-2", "P-2"],
            "task_id": ["T001", "T001", "T002", "T002"],
            "resource_id": ["R-1", "R-1", "R-1", "R-3"],
            "units": [1.0, 0.5, 0.5, 0.25],
            "hours": [80.0, 20.0, 20.0, 10.0],
        }
    )
    projects = pd.DataFrame(
        {
            "project_id": ["P-1", "P-2"],
            "start": pd.to_datetime(["2026-06-01", "2026-06-01"]),
            "status_date": pd.to_datetime(["2026-05-29", "2026-05-29"]),
        }
    )
    return replace(
        sample,
        resources=resources,
        tasks=tasks,
        assignments=assignments,
        projects=projects,
        dependencies=sample.dependencies.iloc[:0],
    )


def test_moving_a_project_on_the_working_calendar(small):
    # 60 h in each of the first two weeks (150 %). Moving P-2 by 2 weeks puts
    # its 40 h into weeks 3 and 4: 40, 40, 20, 20.
    result = what_if(small, shift={"P-2": 2}, start="2026-06-01", weeks=4)
    before = result.before.utilisation
    after = result.after.utilisation
    mine = after.loc[after["resource_id"] == "R-1", "demand_hours"].tolist()
    assert before.loc[before["resource_id"] == "R-1", "demand_hours"].tolist() == [
        60.0,
        60.0,
        0.0,
        0.0,
    ]
    assert mine == [40.0, 40.0, 20.0, 20.0]
    table = result.comparison.set_index("measure")
    assert table.loc["Over-allocated person-weeks", "before"] == 2
    assert table.loc["Over-allocated person-weeks", "after"] == 0
    assert table.loc["Over-allocated person-weeks", "change"] == -2
    assert result.changes == ("Move P-2 by +2 weeks",)
    moved = result.after.demand
    p2 = moved[moved["project_id"] == "P-2"].groupby("week")["hours"].sum()
    assert p2.index.min() == pd.Timestamp("2026-06-15")
    assert result.headline == (
        "Over-allocated person-weeks: 2 -> 0. Peak utilisation: 150% -> 100%. "
        "Bottleneck roles: none -> none."
    )


def test_removing_a_person_leaves_their_work_unstaffed(small):
    result = what_if(small, remove="R-3", start="2026-06-01", weeks=4)
    assert "R-3" not in result.after.people.index
    assert "R-3" not in set(result.after.demand_by_day["resource_id"])
    assert result.after.unstaffed["hours"].sum() == pytest.approx(10.0)
    assert set(result.after.unstaffed["role"]) == {"Tester"}
    outlook = role_outlook(result.after)
    # the tester's 10 h stay in the Tester role, which has nobody left
    assert outlook.bottlenecks == ["Tester"]
    tester = outlook.weekly[outlook.weekly["role"] == "Tester"]
    assert tester["demand_hours"].tolist() == [10.0]  # only the week with work
    assert tester["capacity_hours"].tolist() == [0.0]
    assert result.changes == ("Remove R-3 Cy",)
    assert result.headline.endswith("Hours with nobody to do them: 0 -> 10.")


def test_an_added_person_takes_the_overflow_of_their_role(small):
    result = what_if(
        small,
        add={"role": "Developer", "name": "Dee", "capacity_hours": 10.0},
        start="2026-06-01",
        weeks=2,
    )
    after = result.after.utilisation.set_index(["resource_id", "week"])
    # R-1 is 20 h over in both weeks; Dee has 10 h a week: takes 10, 10 remain
    assert after.loc[("R-1", pd.Timestamp("2026-06-01")), "demand_hours"] == 50.0
    dee = after.xs(("NEW-01", pd.Timestamp("2026-06-08")))
    assert dee["demand_hours"] == pytest.approx(10.0)
    assert dee["utilisation"] == pytest.approx(1.0)
    # R-2 (a developer with room) is not touched: only newcomers take work
    assert after.loc[("R-2", pd.Timestamp("2026-06-01")), "demand_hours"] == 0.0
    # task by task, in proportion: week 1 R-1 has P-1 40 h and P-2 20 h; 10 of 60 go
    handed = result.handovers.groupby(["week", "project_id"])["hours"].sum()
    assert handed[(pd.Timestamp("2026-06-01"), "P-1")] == pytest.approx(40 / 6)
    assert handed[(pd.Timestamp("2026-06-01"), "P-2")] == pytest.approx(20 / 6)
    assert result.changes == ("Add NEW-01 Dee (Developer, 10 h/week)",)
    # demand is conserved
    before_total = result.before.demand["hours"].sum()
    assert result.after.demand["hours"].sum() == pytest.approx(before_total)
    assert result.after.daily_demand.to_numpy().sum() == pytest.approx(before_total)
    by_day = result.after.demand_by_day
    assert by_day["hours"].sum() == pytest.approx(before_total)
    dee = by_day[by_day["resource_id"] == "NEW-01"]
    # 10 h a week on Dee's five working days: 2 h a day, split over P-1 and P-2
    assert dee.groupby("day")["hours"].sum().round(6).tolist() == [2.0] * 10
    assert set(dee["day"].dt.day_name()) == {
        "Monday",
        "Tuesday",
        "Wednesday",
        "Thursday",
        "Friday",
    }


def test_replacing_a_person(small):
    result = what_if(
        small, remove=["R-1"], add="Developer", start="2026-06-01", weeks=2
    )
    # the newcomer (median developer hours: 40) takes 40 of R-1's 60 h each week
    assert result.after.unstaffed["hours"].sum() == pytest.approx(40.0)
    roles = result.roles
    assert roles.loc["Developer", "people_before"] == 2
    assert roles.loc["Developer", "people_after"] == 2
    assert roles.loc["Developer", "short_hours_after"] == 0.0


def test_the_portfolio_passed_in_is_never_modified(sample):
    snapshot = copy.deepcopy(sample.tables())
    what_if(
        sample,
        add=["Data Engineer", {"role": "Tester", "capacity_hours": 20.0}],
        remove=["R-009"],
        shift={"P-006": 3, "P-004": -1},
        start="2026-05-04",
        weeks=10,
    )
    what_if(sample, shift={"P-006": 2}, dates="forecast", weeks=6)
    for name, frame in sample.tables().items():
        pdt.assert_frame_equal(frame, snapshot[name], obj=name)


def test_nothing_changed_means_nothing_changes(sample):
    result = what_if(sample, start="2026-05-04", weeks=12)
    assert (result.comparison["change"] == 0).all()
    plan = capacity_plan(sample, start="2026-05-04", weeks=12)
    pdt.assert_frame_equal(result.after.utilisation, plan.utilisation)
