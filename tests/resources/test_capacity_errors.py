"""Bad input to the capacity engine: errors name table, row, column, value, rule."""

from __future__ import annotations

from typing import Any

import pandas as pd
import pytest

from pmo_kit import ValidationError
from pmo_kit.resources import CapacityPlan, capacity_plan, find_available, what_if

MONDAY = "2026-06-01"


def tables() -> dict[str, Any]:
    resources = pd.DataFrame(
        {
            "resource_id": ["R-1", "R-2"],
            "name": ["Ana", "Ben"],
            "role": ["Developer", "Tester"],
            "skills": ["Python", "Selenium"],
            "capacity_hours": [40.0, 37.5],
            "calendar": ["standard", "standard"],
        }
    )
    tasks = pd.DataFrame(
        {
            "project_id": ["P-1", "P-1"],
            "task_id": ["A", "B"],
            "baseline_start": ["2026-06-01", "2026-06-08"],
            "baseline_finish": ["2026-06-05", "2026-06-12"],
        }
    )
    assignments = pd.DataFrame(
        {
            "project_id": ["P-1", "P-1"],
            "task_id": ["A", "B"],
            "resource_id": ["R-1", "R-2"],
            "units": [1.0, 0.5],
            "hours": [40.0, 18.75],
        }
    )
    return {"resources": resources, "tasks": tasks, "assignments": assignments}


def plan_with(**changes: Any) -> CapacityPlan:
    frames = tables()
    frames.update(changes)
    return capacity_plan(**frames, start=MONDAY, weeks=2)


def test_good_tables_plan_fine():
    plan = plan_with()
    assert plan.utilisation["demand_hours"].sum() == pytest.approx(58.75)


def test_assignment_to_an_unknown_person():
    frames = tables()
    bad = frames["assignments"].assign(resource_id=["R-1", "R-9"])
    with pytest.raises(ValidationError) as info:
        plan_with(assignments=bad)
    assert str(info.value) == (
        "assignments, row 1, column 'resource_id': 'R-9' is not a resource_id in "
        "resources. Allowed: a resource_id listed in resources"
    )


def test_assignment_to_an_unknown_task():
    frames = tables()
    bad = frames["assignments"].assign(task_id=["A", "Z"])
    with pytest.raises(ValidationError) as info:
        plan_with(assignments=bad)
    assert str(info.value) == (
        "assignments, row 1, column 'task_id': 'Z' is not a task of its project in "
        "tasks. Allowed: a (project_id, task_id) listed in tasks"
    )


def test_negative_capacity():
    frames = tables()
    bad = frames["resources"].assign(capacity_hours=[40.0, -5.0])
    with pytest.raises(ValidationError) as info:
        plan_with(resources=bad)
    assert str(info.value) == (
        "resources, row 1, column 'capacity_hours': -5.0 is not a possible weekly "
        "capacity. Allowed: hours per week from 0 to 168"
    )


def test_units_above_full_time():
    frames = tables()
    bad = frames["assignments"].assign(units=[1.0, 1.5])
    with pytest.raises(ValidationError) as info:
        plan_with(assignments=bad)
    assert str(info.value) == (
        "assignments, row 1, column 'units': 1.5 is not a share a person can give to "
        "one task. Allowed: a share above 0 and at most 1 (1.0 = full time)"
    )


def test_hours_nobody_could_work():
    frames = tables()
    bad = frames["assignments"].assign(hours=[80.0, 18.75])
    with pytest.raises(ValidationError) as info:
        plan_with(assignments=bad)
    assert str(info.value) == (
        "assignments, row 0, column 'hours': 80 hours on P-1 A (5 working days) is "
        "more than R-1 could give working full time (40 hours/week). Allowed: at "
        "most 40 hours"
    )


def test_every_bad_row_is_listed():
    frames = tables()
    bad = frames["assignments"].assign(resource_id=["R-8", "R-9"])
    with pytest.raises(ValidationError) as info:
        plan_with(assignments=bad)
    assert str(info.value).endswith("(+1 more problem)")
    assert len(info.value.problems) == 2
    assert "'R-8'" in info.value.problems[0]
    assert "'R-9'" in info.value.problems[1]


def test_unknown_calendar_and_duplicate_person():
    frames = tables()
    with pytest.raises(ValidationError, match="'calendar': 'night-shift' is not a"):
        plan_with(
            resources=frames["resources"].assign(calendar=["standard", "night-shift"])
        )
    with pytest.raises(ValidationError, match="'resource_id': 'R-1' appears more"):
        plan_with(resources=frames["resources"].assign(resource_id=["R-1", "R-1"]))


def test_task_finishing_before_it_starts():
    frames = tables()
    bad = frames["tasks"].assign(baseline_finish=["2026-05-29", "2026-06-12"])
    with pytest.raises(ValidationError) as info:
        plan_with(tasks=bad)
    assert str(info.value) == (
        "tasks, row 0, column 'baseline_finish': '2026-05-29' is before the baseline "
        "start. Allowed: a date on or after 'baseline_start'"
    )


def test_missing_column_is_named():
    frames = tables()
    with pytest.raises(ValidationError, match="resources needs the column"):
        plan_with(resources=frames["resources"].drop(columns="capacity_hours"))


def test_absence_of_an_unknown_person_or_backwards():
    absences = pd.DataFrame(
        {"resource_id": ["R-7"], "start": ["2026-06-01"], "end": ["2026-06-02"]}
    )
    with pytest.raises(ValidationError, match="absences, row 0, column 'resource_id'"):
        plan_with(absences=absences)
    backwards = absences.assign(resource_id="R-1", end="2026-05-01")
    with pytest.raises(ValidationError) as info:
        plan_with(absences=backwards)
    assert str(info.value) == (
        "absences, row 0, column 'end': '2026-05-01' is before the start of the "
        "absence. Allowed: a last day on or after 'start'"
    )


@pytest.mark.parametrize("weeks", [0, 521, 12.5, "12", True])
def test_bad_horizon(weeks):
    frames = tables()
    with pytest.raises(ValidationError) as info:
        capacity_plan(**frames, start=MONDAY, weeks=weeks)
    assert str(info.value) == (
        f"{weeks!r} is an invalid value for `weeks`. Allowed: a whole number of "
        "weeks from 1 to 520"
    )


def test_bad_start_and_dates_option():
    frames = tables()
    with pytest.raises(
        ValidationError, match="'next week' is an invalid value for `start`"
    ):
        capacity_plan(**frames, start="next week")
    with pytest.raises(ValidationError, match="Allowed: 'baseline', 'forecast'"):
        capacity_plan(**frames, start=MONDAY, dates="actual")  # type: ignore[arg-type]
    with pytest.raises(ValidationError, match="needs the projects table"):
        capacity_plan(
            resources=frames["resources"],
            assignments=frames["assignments"],
            tasks=frames["tasks"].assign(duration=5, percent_complete=0.0),
            start=MONDAY,
            dates="forecast",
        )


def test_nothing_to_plan():
    with pytest.raises(ValidationError, match="needs a portfolio, or the resources"):
        capacity_plan(resources=tables()["resources"])


def test_find_available_bad_queries(sample):
    with pytest.raises(ValidationError) as info:
        find_available(sample, skill="Snowflak", days=2, start=MONDAY, end="2026-06-30")
    assert str(info.value).startswith(
        "'Snowflak' is not a skill anyone has. Did you mean 'Snowflake'?"
    )
    with pytest.raises(ValidationError, match="'Astronaut' is not a role"):
        find_available(sample, role="Astronaut", days=2, start=MONDAY, end="2026-06-30")
    with pytest.raises(ValidationError, match="Allowed: a number of working days"):
        find_available(sample, days=0, start=MONDAY, end="2026-06-30")
    with pytest.raises(ValidationError, match="is before `start`"):
        find_available(sample, days=1, start=MONDAY, end="2026-05-01")


def test_what_if_bad_changes(sample):
    with pytest.raises(ValidationError) as info:
        what_if(sample, shift={"P-66": 2})
    assert str(info.value).startswith("'P-66' is not a project in the portfolio.")
    with pytest.raises(ValidationError, match="from -104 to 104"):
        what_if(sample, shift={"P-006": 200})
    with pytest.raises(ValidationError, match="'R-999' is not a resource_id"):
        what_if(sample, remove=["R-999"])
    with pytest.raises(ValidationError, match="Did you mean 'Data Engineer'"):
        what_if(sample, add="Data Enginer")
    with pytest.raises(ValidationError, match="'R-001' is already taken"):
        what_if(sample, add={"role": "Tester", "resource_id": "R-001"})
    with pytest.raises(ValidationError, match="is not a person to add"):
        what_if(sample, add={"job": "Tester"})
