"""
What-if: add or remove people, move projects, and compare the capacity picture.

The portfolio passed in is never changed: every scenario works on copies.
"""

from __future__ import annotations

import difflib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from pmo_kit._errors import ValidationError
from pmo_kit.resources._inputs import business_days
from pmo_kit.resources.capacity import OVER_TOLERANCE, CapacityPlan, capacity_plan
from pmo_kit.resources.outlook import role_outlook
from pmo_kit.schedule.calendar import WorkCalendar

if TYPE_CHECKING:
    from pmo_kit.data.portfolio import Portfolio
    from pmo_kit.resources.capacity import Dates
    from pmo_kit.schedule.calendar import DateLike

__all__ = ["MAX_SHIFT_WEEKS", "WhatIf", "plan_measures", "what_if"]

#: A project can be moved by at most this many weeks either way.
MAX_SHIFT_WEEKS = 104

NewPerson = str | Mapping[str, Any]


def plan_measures(plan: CapacityPlan) -> dict[str, float]:
    """
    Measure a plan: its headline figures, as numbers.

    Keys: ``over_allocated_person_weeks``, ``people_over_allocated``,
    ``excess_hours`` (hours booked above capacity), ``unstaffed_hours``,
    ``peak_utilisation`` (of any person in any week), ``short_role_weeks`` (role x
    week with more demand than the role can give) and ``bottleneck_roles``.
    """
    table = plan.utilisation
    over = table[table["over"]]
    outlook = role_outlook(plan)
    peak = table["utilisation"].max()
    return {
        "over_allocated_person_weeks": float(len(over)),
        "people_over_allocated": float(over["resource_id"].nunique()),
        "excess_hours": float(over["excess_hours"].sum()),
        "unstaffed_hours": float(plan.unstaffed["hours"].sum()),
        "peak_utilisation": float(peak) if pd.notna(peak) else 0.0,
        "short_role_weeks": float((outlook.weekly["gap_hours"] > OVER_TOLERANCE).sum()),
        "bottleneck_roles": float(len(outlook.bottlenecks)),
    }


_LABELS = {
    "over_allocated_person_weeks": "Over-allocated person-weeks",
    "people_over_allocated": "People over-allocated",
    "excess_hours": "Hours booked above capacity",
    "unstaffed_hours": "Hours with nobody to do them",
    "peak_utilisation": "Peak utilisation",
    "short_role_weeks": "Role-weeks short of capacity",
    "bottleneck_roles": "Bottleneck roles",
}


@dataclass(frozen=True)
class WhatIf:
    """
    A scenario against the current plan.

    Attributes
    ----------
    before, after
        The plans without and with the changes (same weeks).
    changes
        The changes in words, e.g. ``('Move P-006 by +4 weeks',)``.
    handovers
        Hours handed to the people added: ``from_id`` (a person, or ``''`` for
        work left by someone removed), ``to_id``, ``project_id``, ``task_id``,
        ``week``, ``hours``.
    """

    before: CapacityPlan
    after: CapacityPlan
    changes: tuple[str, ...]
    handovers: pd.DataFrame

    @property
    def comparison(self) -> pd.DataFrame:
        """One row per measure of :func:`plan_measures`: before, after, change."""
        a, b = plan_measures(self.before), plan_measures(self.after)
        return pd.DataFrame(
            {
                "measure": [_LABELS[k] for k in a],
                "before": list(a.values()),
                "after": [b[k] for k in a],
                "change": [b[k] - a[k] for k in a],
            },
            index=pd.Index(list(a), name="key"),
        )

    @property
    def roles(self) -> pd.DataFrame:
        """Per role: people, short and over-booked hours, bottleneck, before/after."""
        a = role_outlook(self.before).summary
        b = role_outlook(self.after).summary
        out = pd.DataFrame(index=a.index.union(b.index).rename("role"))
        for name, frame in (("before", a), ("after", b)):
            for column in ("people", "short_hours", "overbooked_hours", "bottleneck"):
                out[f"{column}_{name}"] = frame[column].reindex(out.index)
        out = out.fillna(
            {
                "people_before": 0,
                "people_after": 0,
                "short_hours_before": 0.0,
                "short_hours_after": 0.0,
                "overbooked_hours_before": 0.0,
                "overbooked_hours_after": 0.0,
                "bottleneck_before": False,
                "bottleneck_after": False,
            }
        )
        return out.sort_values(
            ["short_hours_before", "short_hours_after"], ascending=False, kind="stable"
        )

    @property
    def headline(self) -> str:
        """
        One line for people in a hurry.

        ``'Over-allocated person-weeks: 7 -> 0. Peak utilisation: 240% -> 100%.
        Bottleneck roles: Data Engineer -> none.'``
        """
        a, b = plan_measures(self.before), plan_measures(self.after)
        roles_a = role_outlook(self.before).bottlenecks
        roles_b = role_outlook(self.after).bottlenecks
        text = (
            f"Over-allocated person-weeks: {a['over_allocated_person_weeks']:.0f} -> "
            f"{b['over_allocated_person_weeks']:.0f}. Peak utilisation: "
            f"{_percent(a['peak_utilisation'])} -> {_percent(b['peak_utilisation'])}. "
            f"Bottleneck roles: {', '.join(roles_a) or 'none'} -> "
            f"{', '.join(roles_b) or 'none'}."
        )
        if a["unstaffed_hours"] or b["unstaffed_hours"]:
            text += (
                f" Hours with nobody to do them: {a['unstaffed_hours']:,.0f} -> "
                f"{b['unstaffed_hours']:,.0f}."
            )
        return text


def _percent(value: float) -> str:
    return "no capacity" if np.isinf(value) else f"{value:.0%}"


def _known(value: str, known: Sequence[str], what: str) -> None:
    if value in known:
        return
    close = difflib.get_close_matches(value, list(known), n=3, cutoff=0.6)
    hint = f" Did you mean {', '.join(map(repr, close))}?" if close else ""
    shown = ", ".join(list(known)[:30]) + (", ..." if len(known) > 30 else "")
    msg = f"{value!r} is not a {what}.{hint} Known: {shown}"
    raise ValidationError(msg)


def _new_people(add: Any, resources: pd.DataFrame) -> pd.DataFrame:
    items: list[NewPerson] = (
        [add]
        if isinstance(add, str | Mapping)
        else list(add)
        if add is not None
        else []
    )
    roles = sorted(set(resources["role"].astype(str)))
    rows = []
    for n, item in enumerate(items, start=1):
        spec: dict[str, Any] = {"role": item} if isinstance(item, str) else dict(item)
        unknown = set(spec) - {
            "resource_id",
            "name",
            "role",
            "skills",
            "capacity_hours",
            "calendar",
        }
        if unknown or "role" not in spec:
            msg = (
                f"add: {item!r} is not a person to add. Allowed: a role name, or a "
                "dict with 'role' and optionally 'name', 'resource_id', 'skills', "
                "'capacity_hours', 'calendar'"
            )
            raise ValidationError(msg)
        role = str(spec["role"])
        _known(role, roles, "role in resources")
        peers = resources[resources["role"] == role]
        rows.append(
            {
                "resource_id": str(spec.get("resource_id", f"NEW-{n:02d}")),
                "name": str(spec.get("name", f"New {role} {n}")),
                "role": role,
                "skills": str(spec.get("skills", peers["skills"].fillna("").iloc[0])),
                "capacity_hours": float(
                    spec.get("capacity_hours", peers["capacity_hours"].median())
                ),
                "calendar": str(spec.get("calendar", "standard")),
            }
        )
    out = pd.DataFrame(
        rows,
        columns=["resource_id", "name", "role", "skills", "capacity_hours", "calendar"],
    )
    clash = set(out["resource_id"]) & set(resources["resource_id"].astype(str))
    repeated = out.loc[out["resource_id"].duplicated(), "resource_id"]
    taken = sorted(clash) or list(repeated)
    if taken:
        msg = (
            f"add: resource_id {taken[0]!r} is already taken. "
            "Allowed: a new, unique resource_id"
        )
        raise ValidationError(msg)
    return out


def _shifted(
    portfolio: Portfolio,
    shift: Mapping[str, int],
    calendar: WorkCalendar,
    dates: str,
) -> tuple[pd.DataFrame, pd.DataFrame, list[str]]:
    tasks, projects = portfolio.tasks.copy(), portfolio.projects.copy()
    busday = business_days(calendar)
    per_week = int(busday.weekmask.sum())
    changes = []
    known = [str(p) for p in projects["project_id"]]
    for project_id, weeks in shift.items():
        _known(str(project_id), known, "project in the portfolio")
        if (
            isinstance(weeks, bool)
            or not isinstance(weeks, int | np.integer)
            or not (-MAX_SHIFT_WEEKS <= int(weeks) <= MAX_SHIFT_WEEKS)
        ):
            msg = (
                f"shift: {weeks!r} weeks for {project_id!r} is not allowed. Allowed: a "
                f"whole number of weeks from -{MAX_SHIFT_WEEKS} to {MAX_SHIFT_WEEKS}"
            )
            raise ValidationError(msg)
        if int(weeks) == 0:
            continue
        days = per_week * int(weeks)
        mask = tasks["project_id"].astype(str) == str(project_id)
        for column in ("baseline_start", "baseline_finish"):
            values = tasks.loc[mask, column].to_numpy(dtype="datetime64[D]")
            moved = np.busday_offset(values, days, roll="forward", busdaycal=busday)
            tasks.loc[mask, column] = pd.to_datetime(moved)
        row = projects["project_id"].astype(str) == str(project_id)
        if dates == "forecast":
            status = pd.Timestamp(projects.loc[row, "status_date"].iloc[0])
            begin = max(
                pd.Timestamp(projects.loc[row, "start"].iloc[0]),
                status + pd.Timedelta(days=1),
            )
        else:
            begin = pd.Timestamp(projects.loc[row, "start"].iloc[0])
        projects.loc[row, "start"] = pd.Timestamp(
            np.busday_offset(
                np.datetime64(begin.date()), days, roll="forward", busdaycal=busday
            )
        )
        changes.append(f"Move {project_id} by {int(weeks):+d} weeks")
    return tasks, projects, changes


def what_if(
    portfolio: Portfolio,
    *,
    add: NewPerson | Sequence[NewPerson] | None = None,
    remove: str | Sequence[str] = (),
    shift: Mapping[str, int] | None = None,
    start: DateLike | None = None,
    weeks: int = 12,
    dates: Dates = "baseline",
    absences: pd.DataFrame | None = None,
    calendar: WorkCalendar | None = None,
) -> WhatIf:
    """
    Compare the capacity picture before and after adding, removing or moving.

    The rules of the scenario, kept simple on purpose:

    - **shift** ``{project_id: weeks}`` moves every task of the project by that
      many weeks of working days (with ``dates='forecast'``, the work not yet done:
      it starts that many weeks after the status date, or after its own start).
    - **remove** takes people out: their booked hours stay in their role's demand
      but have nobody to do them ("unstaffed") unless someone is added.
    - **add** brings in people of a role (a role name, or a dict with ``role`` and
      optionally ``name``, ``resource_id``, ``skills``, ``capacity_hours``,
      ``calendar``; default: the role's median hours and the first member's
      skills). Week by week they take the hours above capacity of the
      over-allocated people of their role, and the unstaffed hours of that role,
      up to their own capacity, task by task in proportion. Nobody else's work
      is moved (that is what levelling is for).

    Parameters
    ----------
    portfolio
        The organisation; it is not modified.
    add, remove, shift
        The changes (see above). ``remove`` takes resource ids.
    start, weeks, dates, absences, calendar
        The plan, as for :func:`~pmo_kit.resources.capacity_plan`.

    Returns
    -------
    WhatIf
        ``.before``, ``.after``, ``.comparison`` (the measures side by side),
        ``.roles`` (per role, before and after), ``.headline`` and ``.handovers``.

    Examples
    --------
    >>> from pmo_kit import load_portfolio
    >>> result = what_if(load_portfolio(), add="Data Engineer", start="2026-05-04")
    >>> result.headline.split(". ")[0]
    'Over-allocated person-weeks: 7 -> 1'
    """
    calendar = calendar or WorkCalendar()
    before = capacity_plan(
        portfolio,
        start=start,
        weeks=weeks,
        dates=dates,
        absences=absences,
        calendar=calendar,
    )
    removed = [remove] if isinstance(remove, str) else [str(r) for r in remove]
    known = [str(r) for r in portfolio.resources["resource_id"]]
    for rid in removed:
        _known(rid, known, "resource_id in resources")
    added = _new_people(add, portfolio.resources)
    tasks, projects, changes = _shifted(portfolio, shift or {}, calendar, dates)
    resources = pd.concat([portfolio.resources, added], ignore_index=True)
    raw = capacity_plan(
        resources=resources,
        assignments=portfolio.assignments,
        tasks=tasks,
        projects=projects,
        dependencies=portfolio.dependencies,
        start=before.start,
        weeks=before.weeks,
        dates=dates,
        absences=absences,
        calendar=calendar,
    )
    names = before.people["name"]
    changes += [f"Remove {rid} {names[rid]}" for rid in removed]
    changes += [
        f"Add {row.resource_id} {row.name} ({row.role}, {row.capacity_hours:g} h/week)"
        for row in added.itertuples()
    ]
    after = _without(raw, removed)
    after, handovers = _hand_over(after, list(added["resource_id"]))
    return WhatIf(
        before=before, after=after, changes=tuple(changes), handovers=handovers
    )


def _without(plan: CapacityPlan, removed: list[str]) -> CapacityPlan:
    """Take people out; their booked hours become unstaffed work of their role."""
    if not removed:
        return plan
    gone = plan.demand["resource_id"].isin(removed)
    left = plan.demand[gone]
    unstaffed = pd.DataFrame(
        {
            "role": plan.people["role"].reindex(left["resource_id"]).to_numpy(),
            "project_id": left["project_id"].to_numpy(),
            "task_id": left["task_id"].to_numpy(),
            "week": left["week"].to_numpy(),
            "hours": left["hours"].to_numpy(),
        }
    )
    stay = ~plan.people.index.isin(removed)
    return replace(
        plan,
        people=plan.people[stay],
        demand=plan.demand[~gone].reset_index(drop=True),
        demand_by_day=plan.demand_by_day[
            ~plan.demand_by_day["resource_id"].isin(removed)
        ].reset_index(drop=True),
        daily_demand=plan.daily_demand[stay],
        daily_capacity=plan.daily_capacity[stay],
        unstaffed=pd.concat([plan.unstaffed, unstaffed], ignore_index=True),
    )


def _hand_over(
    plan: CapacityPlan, newcomers: list[str]
) -> tuple[CapacityPlan, pd.DataFrame]:
    """Give newcomers the over-booked and unstaffed hours of their role."""
    columns = ["from_id", "to_id", "project_id", "task_id", "week", "hours"]
    if not newcomers:
        return plan, pd.DataFrame({c: [] for c in columns})
    people = plan.people
    n, d = plan.daily_demand.shape
    weeks = d // 7
    daily_demand = plan.daily_demand.to_numpy().copy()
    daily_cap = plan.daily_capacity.to_numpy()
    demand_w = daily_demand.reshape(n, weeks, 7).sum(axis=2)
    cap_w = daily_cap.reshape(n, weeks, 7).sum(axis=2)
    week_index = {w: i for i, w in enumerate(plan.week_starts)}
    is_new = people.index.isin(newcomers)
    keep_share = np.ones((n, weeks))  # share of each person's weekly demand kept
    demand_rows, unstaffed = plan.demand.copy(), plan.unstaffed.copy()
    unstaffed_keep = np.ones(len(unstaffed))
    pieces = []
    for role in people.loc[is_new, "role"].unique():
        in_role = (people["role"] == role).to_numpy()
        givers = in_role & ~is_new
        takers = np.flatnonzero(in_role & is_new)
        excess = (
            np.where(demand_w - cap_w > OVER_TOLERANCE, demand_w - cap_w, 0.0)
            * givers[:, None]
        )
        mine = (unstaffed["role"] == role).to_numpy()
        loose = np.zeros(weeks)
        np.add.at(
            loose,
            unstaffed.loc[mine, "week"].map(week_index).to_numpy(dtype=int),
            unstaffed.loc[mine, "hours"].to_numpy(),
        )
        pool = excess.sum(axis=0) + loose
        room = np.maximum(cap_w[takers] - demand_w[takers], 0.0)
        with np.errstate(divide="ignore", invalid="ignore"):
            taken = np.where(pool > 0, np.minimum(1.0, room.sum(axis=0) / pool), 0.0)
            split = np.where(room.sum(axis=0) > 0, room / room.sum(axis=0), 0.0)
            keep_share = np.where(
                givers[:, None] & (demand_w > 0),
                1.0 - excess * taken / np.where(demand_w > 0, demand_w, 1.0),
                keep_share,
            )
        # per task: what each giver hands over, and the unstaffed hours taken
        givers_ids = people.index[givers]
        rows = demand_rows[demand_rows["resource_id"].isin(givers_ids)]
        w = rows["week"].map(week_index).to_numpy(dtype=int)
        p = people.index.get_indexer(pd.Index(rows["resource_id"]))
        moved = rows["hours"].to_numpy() * (1.0 - keep_share[p, w])
        sources = [(rows["resource_id"].to_numpy(), rows, moved, w)]
        u_rows = unstaffed[mine]
        u_w = u_rows["week"].map(week_index).to_numpy(dtype=int)
        u_moved = u_rows["hours"].to_numpy() * taken[u_w]
        unstaffed_keep[np.flatnonzero(mine)] = 1.0 - taken[u_w]
        sources.append((np.full(len(u_rows), ""), u_rows, u_moved, u_w))
        for from_id, frame, hours, wk in sources:
            for t in takers:
                share = split[list(takers).index(t), wk]
                pieces.append(
                    pd.DataFrame(
                        {
                            "from_id": from_id,
                            "to_id": people.index[int(t)],
                            "project_id": frame["project_id"].to_numpy(),
                            "task_id": frame["task_id"].to_numpy(),
                            "week": frame["week"].to_numpy(),
                            "hours": hours * share,
                        }
                    )
                )
    handovers = pd.concat(pieces, ignore_index=True) if pieces else pd.DataFrame()
    handovers = handovers[handovers["hours"] > 1e-9].reset_index(drop=True)
    # scale the givers' days and task rows, then book the newcomers
    daily_demand *= np.repeat(keep_share, 7, axis=1)
    p = people.index.get_indexer(pd.Index(demand_rows["resource_id"]))
    w = demand_rows["week"].map(week_index).to_numpy(dtype=int)
    demand_rows["hours"] = demand_rows["hours"].to_numpy() * keep_share[p, w]
    by_day = plan.demand_by_day.copy()
    p = people.index.get_indexer(pd.Index(by_day["resource_id"]))
    w = ((by_day["day"] - plan.start).dt.days // 7).to_numpy(dtype=int)
    by_day["hours"] = by_day["hours"].to_numpy() * keep_share[p, w]
    booked = (
        handovers.groupby(["to_id", "project_id", "task_id", "week"])["hours"]
        .sum()
        .reset_index()
        .rename(columns={"to_id": "resource_id"})
    )
    # a newcomer works each handed-over task-week on their working days that week
    i = people.index.get_indexer(pd.Index(booked["resource_id"]))
    k = booked["week"].map(week_index).to_numpy(dtype=int)
    week_cap = daily_cap.reshape(n, weeks, 7)[i, k]
    total = week_cap.sum(axis=1, keepdims=True)
    spread = np.where(total > 0, week_cap / np.where(total > 0, total, 1.0), 1 / 7)
    hours7 = booked["hours"].to_numpy()[:, None] * spread
    positions = (7 * k)[:, None] + np.arange(7)
    np.add.at(daily_demand, (np.repeat(i, 7), positions.ravel()), hours7.ravel())
    new_days = pd.DataFrame(
        {
            "resource_id": np.repeat(booked["resource_id"].to_numpy(), 7),
            "project_id": np.repeat(booked["project_id"].to_numpy(), 7),
            "task_id": np.repeat(booked["task_id"].to_numpy(), 7),
            "day": plan.start + pd.to_timedelta(positions.ravel(), unit="D"),
            "hours": hours7.ravel(),
        }
    )
    by_day = pd.concat(
        [by_day[by_day["hours"] > 1e-12], new_days[new_days["hours"] > 1e-12]],
        ignore_index=True,
    )
    unstaffed["hours"] = unstaffed["hours"].to_numpy() * unstaffed_keep
    after = replace(
        plan,
        demand=pd.concat([demand_rows, booked], ignore_index=True),
        demand_by_day=by_day,
        daily_demand=pd.DataFrame(
            daily_demand,
            index=plan.daily_demand.index,
            columns=plan.daily_demand.columns,
        ),
        unstaffed=unstaffed[unstaffed["hours"] > 1e-9].reset_index(drop=True),
    )
    return after, handovers[columns]
