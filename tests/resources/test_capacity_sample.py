"""The capacity engine on Meridian Works: the over-allocated data engineer."""

from __future__ import annotations

from typing import Any

import pandas as pd
import pytest

from pmo_kit.resources import (
    capacity_plan,
    find_available,
    overallocations,
    role_outlook,
    skills_gaps,
    what_if,
)


@pytest.fixture(scope="module")
def plan(sample):
    return capacity_plan(sample, start="2026-05-04", weeks=12)


def test_only_the_data_engineer_is_over_allocated(plan):
    over = overallocations(plan)
    # datasets/README.md: R-020 Dilan Fischer, the only Data Engineer, at 112% to
    # 240% in each of the seven weeks from the week of 2026-05-18 to that of 06-29
    assert len(over) == 1
    row = over.iloc[0]
    assert row["resource_id"] == "R-020"
    assert row["name"] == "Dilan Fischer"
    assert row["role"] == "Data Engineer"
    assert row["first_week"] == pd.Timestamp("2026-05-18")
    assert row["last_week"] == pd.Timestamp("2026-06-29")
    assert row["weeks"] == 7
    assert row["peak_utilisation"] == pytest.approx(2.4)
    assert row["peak_week"] == pd.Timestamp("2026-06-08")
    # weeks of 60, 60, 60, 90, 72, 60 and 42 hours against 37.5 each
    assert row["demand_hours"] == pytest.approx(444.0)
    assert row["capacity_hours"] == pytest.approx(7 * 37.5)
    assert row["excess_hours"] == pytest.approx(181.5)
    assert row["projects"].split(", ")[:2] == ["P-004", "P-006"]


def test_weekly_utilisation_of_the_data_engineer(plan):
    table = plan.utilisation
    mine = table[table["resource_id"] == "R-020"].set_index("week")["utilisation"]
    episode = mine["2026-05-18":"2026-06-29"].round(4).tolist()
    assert episode == [1.6, 1.6, 1.6, 2.4, 1.92, 1.6, 1.12]
    assert (table.loc[table["resource_id"] != "R-020", "over"]).sum() == 0


def test_data_engineer_is_the_bottleneck_role(plan):
    outlook = role_outlook(plan)
    assert outlook.bottlenecks == ["Data Engineer"]
    row = outlook.summary.loc["Data Engineer"]
    assert row["short_weeks"] == 7
    assert row["short_hours"] == pytest.approx(181.5)
    assert set(outlook.weekly["role"]) == set(plan.people["role"])


def test_nobody_else_has_dbt_snowflake_or_data_migration(plan):
    gaps = skills_gaps(plan).set_index("need")
    for need in ["Data Engineer", "dbt", "Snowflake", "data migration"]:
        assert gaps.loc[need, "uncovered_hours"] == pytest.approx(181.5), need
        assert gaps.loc[need, "could_help"] == "", need
    # SQL: Willem Rossi (Business Analyst) has room for much of it
    assert "Willem Rossi" in str(gaps.loc["SQL", "could_help"])
    assert 0 < float(gaps.loc["SQL", "cover_hours"]) < 181.5  # type: ignore[arg-type]
    assert "Chloe Keller" in str(gaps.loc["Python", "could_help"])


def test_find_sql_people_in_june(sample):
    free = find_available(
        sample, skill="SQL", days=5, start="2026-06-01", end="2026-06-26"
    )
    assert free["name"].tolist() == ["Willem Rossi"]  # Dilan Fischer is over-booked
    busy = find_available(
        sample,
        skill="SQL",
        days=5,
        start="2026-06-01",
        end="2026-06-26",
        include_busy=True,
    )
    fischer = busy.set_index("name").loc["Dilan Fischer"]
    assert fischer["free_hours"] == 0.0
    assert not fischer["available"]


def test_adding_a_data_engineer_absorbs_all_but_the_peak_week(sample):
    result = what_if(sample, add="Data Engineer", start="2026-05-04", weeks=12)
    table = result.comparison.set_index("measure")
    assert table.loc["Over-allocated person-weeks", "before"] == 7
    # the 240% week: 90 h for two people of 37.5 h: 15 h still over
    assert table.loc["Over-allocated person-weeks", "after"] == 1
    assert table.loc["Hours booked above capacity", "after"] == pytest.approx(15.0)
    assert table.loc["Peak utilisation", "after"] == pytest.approx(52.5 / 37.5)
    assert result.handovers["hours"].sum() == pytest.approx(166.5)
    assert set(result.handovers["to_id"]) == {"NEW-01"}
    assert result.headline.startswith("Over-allocated person-weeks: 7 -> 1.")


def test_forecast_dates_run_on_the_sample(sample):
    plan = capacity_plan(sample, weeks=8, dates="forecast")
    assert plan.start == pd.Timestamp("2026-06-22")
    # work done before the status date is outside this horizon; work left is inside
    assert plan.demand["week"].min() >= plan.start
    assert plan.demand["hours"].sum() > 0
    assert "R-020" in set(overallocations(plan)["resource_id"])


def test_public_holidays_squeeze_the_plan_instead_of_failing(sample, plan):
    """A holiday inside a baselined task over-books that week; it is not bad data."""
    from pmo_kit.schedule import WorkCalendar

    holidays = ["2026-05-14", "2026-05-25", "2026-06-04"]
    squeezed = capacity_plan(
        sample, start="2026-05-04", weeks=12, calendar=WorkCalendar(holidays=holidays)
    )
    wide = capacity_plan(
        sample,
        start=sample.tasks["baseline_start"].min(),
        weeks=104,
        calendar=WorkCalendar(holidays=holidays),
    )
    assert wide.demand["hours"].sum() == pytest.approx(
        sample.assignments["hours"].sum()
    )

    def week(p: Any, day: str) -> Any:
        u = p.utilisation
        row = u[(u["resource_id"] == "R-020") & (u["week"] == pd.Timestamp(day))]
        return row.iloc[0]

    before, after = week(plan, "2026-05-25"), week(squeezed, "2026-05-25")
    # Whit Monday: one day (7.5 h) less capacity, the same hours booked
    assert after["capacity_hours"] == pytest.approx(before["capacity_hours"] - 7.5)
    assert after["demand_hours"] == pytest.approx(before["demand_hours"], rel=0.25)
    assert after["utilisation"] > before["utilisation"]
