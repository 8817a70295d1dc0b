"""capacity_review on a tiny hand-built organisation: every figure worked out by hand.

Two weeks from Mon 1 June 2026; three people on one project "Alpha":

- Ana Silva, Data Engineer (SQL; dbt), 40 h/week: 40 h on T1 and 20 h on T4 (both
  in week 1), 20 h on T3 (week 2) -> 60 h and 20 h: 150 % in week 1, 20 h over.
- Ben Okafor, Developer (Python; SQL), 40 h/week: 40 h on T2 (both weeks, 20 + 20)
  and 30 h on T3 (week 2) -> 20 h and 50 h: 10 h over in week 2.
- Cleo Park, Developer (Java), part-time 20 h/week: 10 h on T2 -> 5 h and 5 h.

Demand 40 + 20 + 20 + 40 + 30 + 10 = 160 h against 2 x (40 + 40 + 20) = 200 h (80 %).
Data Engineer: 60 h booked in week 1 for 40 h: short 20 h, a bottleneck (red).
Developer: 25 h for 60 h in week 1, 55 h for 60 h in week 2: Ben's 10 h fit in
Cleo's free 15 h (amber: move work inside the role).
"""

from __future__ import annotations

from dataclasses import replace

import pandas as pd
import pytest

from pmo_kit import Portfolio, ValidationError
from pmo_kit.reports import CapacityReview, capacity_review

WEEK1, WEEK2 = pd.Timestamp("2026-06-01"), pd.Timestamp("2026-06-08")


@pytest.fixture(scope="module")
def tiny(sample):
    projects = pd.DataFrame(
        {
            "project_id": ["P-1"],
            "name": ["Alpha"],
            "status_date": [pd.Timestamp("2026-06-03")],
        }
    )
    tasks = pd.DataFrame(
        {
            "project_id": ["P-1"] * 4,
            "task_id": ["T1", "T2", "T3", "T4"],
            "baseline_start": pd.to_datetime(
                ["2026-06-01", "2026-06-01", "2026-06-08", "2026-06-01"]
            ),
            "baseline_finish": pd.to_datetime(
                ["2026-06-05", "2026-06-12", "2026-06-12", "2026-06-05"]
            ),
        }
    )
    resources = pd.DataFrame(
        {
            "resource_id": ["R-1", "R-2", "R-3"],
            "name": ["Ana Silva", "Ben Okafor", "Cleo Park"],
            "role": ["Data Engineer", "Developer", "Developer"],
            "skills": ["SQL;dbt", "Python;SQL", "Java"],
            "capacity_hours": [40.0, 40.0, 20.0],
            "calendar": ["standard", "standard", "part-time"],
        }
    )
    assignments = pd.DataFrame(
        {
            "project_id": ["P-1"] * 6,
            "task_id": ["T1", "T4", "T3", "T2", "T3", "T2"],
            "resource_id": ["R-1", "R-1", "R-1", "R-2", "R-2", "R-3"],
            "units": [float("nan")] * 6,
            "hours": [40.0, 20.0, 20.0, 40.0, 30.0, 10.0],
        }
    )
    return replace(
        sample,
        name="Tiny Co",
        projects=projects,
        tasks=tasks,
        dependencies=sample.dependencies.iloc[:0],
        resources=resources,
        assignments=assignments,
    )


@pytest.fixture(scope="module")
def review(tiny: Portfolio) -> CapacityReview:
    return capacity_review(tiny, start="2026-06-03", weeks=2)


def test_totals_by_hand(review):
    assert review.start == WEEK1  # the Monday of the week of 3 June
    assert review.end == pd.Timestamp("2026-06-14")
    assert review.people == 3
    assert review.roles == ["Data Engineer", "Developer"]
    assert not review.roles_chosen
    assert review.demand_hours == pytest.approx(160.0)
    assert review.capacity_hours == pytest.approx(200.0)
    assert review.utilisation == pytest.approx(0.8)
    assert review.over_allocated_person_weeks == 2
    assert review.peak_utilisation == pytest.approx(1.5)
    assert review.bottlenecks == ["Data Engineer"]


def test_roles_rated_red_amber(review):
    roles = review.role_table.set_index("role")
    assert roles.loc["Data Engineer", "rag"] == "red"
    assert roles.loc["Data Engineer", "short_hours"] == pytest.approx(20.0)
    assert roles.loc["Data Engineer", "short_weeks"] == 1
    assert roles.loc["Developer", "rag"] == "amber"
    assert roles.loc["Developer", "demand_hours"] == pytest.approx(80.0)
    assert roles.loc["Developer", "overbooked_hours"] == pytest.approx(10.0)


def test_overallocations_name_people(review):
    over = review.overallocations
    assert list(over["name"]) == ["Ana Silva", "Ben Okafor"]  # most hours over first
    assert list(over["excess_hours"]) == pytest.approx([20.0, 10.0])
    assert list(over["first_week"]) == [WEEK1, WEEK2]
    assert list(over["tasks_shown"]) == ["P-1 T1, P-1 T4", "P-1 T3, P-1 T2"]


def test_skills_gaps_by_hand(review):
    gaps = review.skills_gaps
    rows = {
        (k, n): r
        for k, n, r in zip(gaps["kind"], gaps["need"], gaps["rag"], strict=True)
    }
    # nobody else is a data engineer, has dbt or Python: gaps
    assert rows[("role", "Data Engineer")] == "red"
    assert rows[("skill", "dbt")] == "red"
    assert rows[("skill", "Python")] == "red"
    # Ben has 20 h free in week 1 for Ana's SQL; Ana 20 h in week 2 for Ben's
    assert rows[("skill", "SQL")] == "green"
    assert rows[("role", "Developer")] == "green"  # Cleo's 15 h free in week 2
    uncovered = dict(zip(gaps["need"], gaps["uncovered_hours"], strict=True))
    assert uncovered["Data Engineer"] == pytest.approx(20.0)
    assert uncovered["Python"] == pytest.approx(10.0)
    assert uncovered["SQL"] == pytest.approx(0.0)


def test_most_free_time(review):
    free = review.available
    # Cleo 15 + 15; Ana 0 + 20; Ben 20 + 0 (a tie: by id)
    assert list(free["name"]) == ["Cleo Park", "Ana Silva", "Ben Okafor"]
    assert list(free["free_hours"]) == pytest.approx([30.0, 20.0, 20.0])
    assert list(free["free_days"]) == pytest.approx([7.5, 2.5, 2.5])


def test_narrative_by_hand(review):
    assert review.narrative[0] == (
        "From the week of 01 Jun 2026 to the week of 08 Jun 2026 (2 weeks), 3 people "
        "in 2 roles are booked for 160 hours of project work against 200 hours of "
        "capacity (80%)."
    )
    assert review.narrative[1] == (
        "Ana Silva (Data Engineer) is over-booked in the week of 01 Jun 2026: up to "
        "150% of capacity (week of 01 Jun), 20 hours more than they can give, on "
        "P-1 Alpha."
    )
    assert review.narrative[3] == (
        "Bottleneck: Data Engineer. The role is short of capacity in 1 of 2 weeks by "
        "20 hours in all (from the week of 01 Jun 2026): its only person cannot give "
        "the hours booked, and too few people with free time have dbt."
    )
    assert review.narrative[4].startswith("Developer: 10 hours over-booked")
    assert review.narrative[-1].startswith("For decision: Data Engineer is short")


@pytest.mark.parametrize(
    ("roles", "first"),
    [
        (
            "data engineer",
            "1 person in 1 role is booked for 80 hours of project work against 80 "
            "hours of capacity (100%).",
        ),
        (
            ["Developer"],
            "2 people in 1 role are booked for 80 hours of project work against 120 "
            "hours of capacity (67%).",
        ),
    ],
)
def test_plurals_and_a_role_filter(tiny, roles, first):
    review = capacity_review(tiny, start="2026-06-01", weeks=2, roles=roles)
    assert review.roles_chosen
    assert review.narrative[0].endswith(first)
    summary = review.summary()
    assert summary["roles"] == review.roles
    assert {r["role"] for r in summary["roles_outlook"]} == set(review.roles)


def test_one_week_is_singular(tiny):
    review = capacity_review(tiny, start="2026-06-08", weeks=1, roles="Data Engineer")
    assert "(1 week), 1 person in 1 role is booked for 20 hours" in review.narrative[0]
    assert review.narrative[1] == "Nobody is booked above capacity in these weeks."


def test_summary_keeps_the_report_keys(review):
    summary = review.summary()
    assert set(summary) >= {
        "report",
        "start",
        "end",
        "weeks",
        "dates",
        "roles",
        "people",
        "demand_hours",
        "capacity_hours",
        "utilisation",
        "over_allocated_person_weeks",
        "peak_utilisation",
        "bottleneck_roles",
        "overallocations",
        "roles_outlook",
        "skills_gaps",
        "most_free",
        "narrative",
    }
    assert summary["report"] == "resource-capacity"
    assert (summary["start"], summary["end"]) == ("2026-06-01", "2026-06-14")
    assert summary["roles"] == []  # all roles
    first = summary["overallocations"][0]
    assert first["name"] == "Ana Silva"
    assert first["first_week"] == "2026-06-01"
    assert first["projects"] == ["P-1"]
    assert isinstance(first["weeks"], int)
    gaps = {g["need"]: g for g in summary["skills_gaps"]}
    assert gaps["SQL"]["could_help"] == ["Ana Silva", "Ben Okafor"]
    assert gaps["dbt"]["could_help"] == []


def test_view_formats_dates_and_keeps_the_shown_columns(review):
    view = review.view("overallocations")
    assert list(view.columns)[:3] == ["name", "role", "first_week"]
    assert view["first_week"].iloc[0] == "01 Jun 2026"
    with pytest.raises(ValidationError, match="'nope' is not a table"):
        review.view("nope")


@pytest.mark.parametrize(
    ("options", "message"),
    [
        (
            {"dates": "Forecast"},
            "'Forecast' is not a choice for `dates` (choices are lower case). "
            "Allowed: baseline (the plan's dates) or forecast (",
        ),
        (
            {"dates": "actual"},
            "'actual' is not a choice for `dates`. Allowed: baseline",
        ),
        (
            {"roles": "Data Engineer, Astronaut"},
            "'Astronaut' is not a role in Tiny Co. Allowed: empty for all roles, or "
            "one or more of Data Engineer, Developer (comma separated)",
        ),
        ({"weeks": 0}, "0 is an invalid value for `weeks`"),
    ],
    ids=["wrong-case", "unknown-dates", "unknown-role", "no-weeks"],
)
def test_bad_choices_name_the_value_and_what_is_allowed(tiny, options, message):
    with pytest.raises(ValidationError) as info:
        capacity_review(tiny, **options)
    assert message in str(info.value)
    assert "\n" not in str(info.value)


def test_the_sample_data_engineer_from_may(sample):
    """datasets/README.md: 112% to 240% in the seven weeks from 2026-05-18."""
    review = capacity_review(sample, start="2026-05-04", roles="data engineer, Tester")
    assert review.roles == ["Data Engineer", "Tester"]
    assert review.people == 4
    (only,) = review.overallocations.itertuples()
    assert only.name == "Dilan Fischer"
    assert only.weeks == 7
    assert only.first_week == pd.Timestamp("2026-05-18")
    assert only.peak_utilisation == pytest.approx(2.4)
    assert only.excess_hours == pytest.approx(181.5)
    assert set(review.available["role"]) <= {"Data Engineer", "Tester"}
    assert review.narrative[0].split(", ")[1].startswith("4 people in 2 roles are")
