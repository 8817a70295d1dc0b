"""
Over-allocation: who is booked above capacity, when, by how much and on what.

Also which roles and skills of the over-booked work nobody free could take over.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from pmo_kit.resources._inputs import split_skills
from pmo_kit.resources.capacity import OVER_TOLERANCE

if TYPE_CHECKING:
    from collections.abc import Sequence

    from pmo_kit.resources.capacity import CapacityPlan

__all__ = ["overallocations", "skills_gaps"]

_WEEK = pd.Timedelta(days=7)

_EPISODE_COLUMNS = [
    "resource_id",
    "name",
    "role",
    "first_week",
    "last_week",
    "weeks",
    "peak_utilisation",
    "peak_week",
    "demand_hours",
    "capacity_hours",
    "excess_hours",
    "projects",
    "tasks",
]


def _joined(values: pd.Series) -> str:
    return ", ".join(sorted(set(map(str, values))))


def _by_hours(booked: pd.DataFrame, column: str) -> pd.Series:
    """Per episode, the values of ``column`` joined, most hours first."""
    hours = booked.groupby(["episode", column])["hours"].sum().reset_index()
    hours = hours.sort_values(
        ["episode", "hours", column], ascending=[True, False, True], kind="stable"
    )
    return hours.groupby("episode")[column].agg(lambda v: ", ".join(map(str, v)))


def overallocations(plan: CapacityPlan) -> pd.DataFrame:
    """
    List every over-allocation: one row per person and run of consecutive weeks.

    A person-week is over-allocated when its demand is above its capacity (by more
    than :data:`~pmo_kit.resources.capacity.OVER_TOLERANCE` hours); consecutive
    over-allocated weeks of one person form one *episode*.

    Parameters
    ----------
    plan
        The result of :func:`~pmo_kit.resources.capacity_plan`.

    Returns
    -------
    pandas.DataFrame
        Columns ``resource_id``, ``name``, ``role``, ``first_week`` and
        ``last_week`` (Mondays), ``weeks``, ``peak_utilisation`` (e.g. 2.4 = 240 %)
        and ``peak_week``, ``demand_hours``, ``capacity_hours`` and
        ``excess_hours`` (demand above capacity, summed over the episode's weeks),
        ``projects`` and ``tasks`` (the work booked in those weeks, most hours
        first, as ``'P-004, P-006'`` and ``'P-004 T016, ...'``). Largest excess
        first.

    Examples
    --------
    >>> from pmo_kit import load_portfolio
    >>> from pmo_kit.resources import capacity_plan
    >>> plan = capacity_plan(load_portfolio(), start="2026-05-04", weeks=12)
    >>> over = overallocations(plan)
    >>> first = over.iloc[0]
    >>> first["name"], f"{first['first_week']:%Y-%m-%d}", int(first["weeks"])
    ('Dilan Fischer', '2026-05-18', 7)
    >>> f"{first['peak_utilisation']:.0%} on {first['projects']}"
    '240% on P-004, P-006, P-003'
    """
    table = plan.utilisation
    over = table[table["over"]].sort_values(["resource_id", "week"], kind="stable")
    if over.empty:
        return pd.DataFrame({c: [] for c in _EPISODE_COLUMNS}).astype(
            {
                "weeks": "int64",
                "first_week": "datetime64[ns]",
                "last_week": "datetime64[ns]",
            }
        )
    new = (over["resource_id"] != over["resource_id"].shift()) | (
        over["week"] - over["week"].shift() != _WEEK
    )
    over = over.assign(episode=new.cumsum().to_numpy())
    peak = over.loc[over.groupby("episode")["utilisation"].idxmax()].set_index(
        "episode"
    )
    grouped = over.groupby("episode")
    episodes = grouped.agg(
        resource_id=("resource_id", "first"),
        name=("name", "first"),
        role=("role", "first"),
        first_week=("week", "min"),
        last_week=("week", "max"),
        weeks=("week", "size"),
        demand_hours=("demand_hours", "sum"),
        capacity_hours=("capacity_hours", "sum"),
        excess_hours=("excess_hours", "sum"),
    )
    episodes["peak_utilisation"] = peak["utilisation"]
    episodes["peak_week"] = peak["week"]
    booked = plan.demand.merge(
        over[["resource_id", "week", "episode"]], on=["resource_id", "week"]
    )
    booked = booked[booked["hours"] > 0]
    booked["task"] = booked["project_id"] + " " + booked["task_id"]
    episodes["projects"] = _by_hours(booked, "project_id")
    episodes["tasks"] = _by_hours(booked, "task")
    episodes[["projects", "tasks"]] = episodes[["projects", "tasks"]].fillna("")
    out = episodes[_EPISODE_COLUMNS].sort_values(
        ["excess_hours", "resource_id"], ascending=[False, True], kind="stable"
    )
    return out.reset_index(drop=True)


def skills_gaps(
    plan: CapacityPlan, *, roles: Sequence[str] | None = None, helpers: int = 5
) -> pd.DataFrame:
    """
    Over-booked work that nobody with spare time could take over.

    For every over-allocated person-week, the hours above capacity need someone
    else. Someone *could take them* if they share the person's role, or one of the
    person's skills, and have free hours in that same week. Per role and per skill
    of the over-allocated people, the excess hours are compared with the free hours
    of everyone else who has that role or skill, week by week.

    Parameters
    ----------
    plan
        The result of :func:`~pmo_kit.resources.capacity_plan`.
    roles
        Only the over-allocations of people in these roles (helpers can still have
        any role). Default: everyone's.
    helpers
        How many possible helpers to name per row (most free hours first).

    Returns
    -------
    pandas.DataFrame
        One row per role or skill: ``kind`` (``'role'`` or ``'skill'``), ``need``
        (its name), ``weeks`` (weeks with excess), ``first_week``, ``last_week``,
        ``excess_hours`` (hours above capacity of the over-allocated people having
        it), ``cover_hours`` (of those, the hours others with free time could take),
        ``uncovered_hours``, ``gap`` (True when some hours cannot be covered),
        ``over_allocated`` (their names) and ``could_help`` (names of people with the
        role or skill and free hours in those weeks). Gaps first, largest first.
    """
    columns = [
        "kind",
        "need",
        "weeks",
        "first_week",
        "last_week",
        "excess_hours",
        "cover_hours",
        "uncovered_hours",
        "gap",
        "over_allocated",
        "could_help",
    ]
    table = plan.utilisation
    over = table[table["over"]]
    if roles is not None:
        over = over[over["role"].isin(list(roles))]
    if over.empty:
        return pd.DataFrame({c: [] for c in columns})
    people = plan.people
    needs = pd.concat(
        [
            pd.DataFrame(
                {"resource_id": people.index, "kind": "role", "need": people["role"]}
            ),
            split_skills(people["skills"])
            .explode()
            .dropna()
            .rename("need")
            .reset_index()
            .assign(kind="skill"),
        ],
        ignore_index=True,
    )
    needs["key"] = needs["kind"] + ":" + needs["need"].str.casefold()
    short = over[["resource_id", "name", "week", "excess_hours"]].merge(
        needs, on="resource_id"
    )
    weeks = set(over["week"])
    free = table[table["week"].isin(weeks) & (table["free_hours"] > OVER_TOLERANCE)]
    free = (
        free[["resource_id", "name", "week", "free_hours"]]
        .merge(needs, on="resource_id")
        .merge(short[["key", "week"]].drop_duplicates(), on=["key", "week"])
    )
    excess = short.groupby(["key", "week"])["excess_hours"].sum()
    supply = free.groupby(["key", "week"])["free_hours"].sum()
    weekly = pd.DataFrame({"excess": excess}).join(supply.rename("free")).fillna(0.0)
    weekly["cover"] = np.minimum(weekly["excess"], weekly["free"])
    weekly = weekly.reset_index()
    per = weekly.groupby("key").agg(
        weeks=("week", "size"),
        first_week=("week", "min"),
        last_week=("week", "max"),
        excess_hours=("excess", "sum"),
        cover_hours=("cover", "sum"),
    )
    label = short.drop_duplicates("key").set_index("key")
    per["kind"], per["need"] = label["kind"], label["need"]
    per["uncovered_hours"] = per["excess_hours"] - per["cover_hours"]
    per["gap"] = per["uncovered_hours"] > OVER_TOLERANCE
    per["over_allocated"] = short.groupby("key")["name"].agg(_joined)
    ranked = (
        free.groupby(["key", "name"])["free_hours"]
        .sum()
        .reset_index()
        .sort_values(["key", "free_hours", "name"], ascending=[True, False, True])
    )
    per["could_help"] = ranked.groupby("key")["name"].agg(
        lambda names: ", ".join(list(names)[:helpers])
    )
    per["could_help"] = per["could_help"].fillna("")
    out = per.reset_index(drop=True)[columns]
    out = out.assign(_kind=(out["kind"] == "skill").astype(int))
    out = out.sort_values(
        ["gap", "uncovered_hours", "_kind", "need"],
        ascending=[False, False, True, True],
        kind="stable",
    ).drop(columns="_kind")
    return out.reset_index(drop=True)
