"""Looking ahead: demand against supply per role, and who is free for some work."""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from pmo_kit._errors import ValidationError
from pmo_kit.resources._inputs import as_day, monday_of, split_skills
from pmo_kit.resources.capacity import OVER_TOLERANCE, CapacityPlan, capacity_plan

if TYPE_CHECKING:
    from pmo_kit.data.portfolio import Portfolio
    from pmo_kit.resources.capacity import Dates
    from pmo_kit.schedule.calendar import DateLike, WorkCalendar

__all__ = ["RoleOutlook", "find_available", "role_outlook"]


@dataclass(frozen=True)
class RoleOutlook:
    """
    Demand against supply per role over a plan's weeks.

    Attributes
    ----------
    weekly
        One row per role and week: ``role``, ``week``, ``people``,
        ``demand_hours`` (booked on people of the role, plus work left unstaffed in
        a what-if), ``capacity_hours``, ``gap_hours`` (demand - capacity; positive =
        the role is short that week), ``utilisation``, ``overbooked_hours`` (hours
        above capacity of its over-allocated people) and ``free_hours``.
    summary
        One row per role (index ``role``): ``people``, ``demand_hours``,
        ``capacity_hours``, ``utilisation``, ``short_weeks`` (weeks with a gap),
        ``short_hours`` (the gaps added up), ``first_short_week``,
        ``overbooked_hours``, ``peak_utilisation``, ``peak_week`` and
        ``bottleneck``. Bottlenecks first, the largest shortfall first.
    """

    weekly: pd.DataFrame
    summary: pd.DataFrame

    @property
    def bottlenecks(self) -> list[str]:
        """
        Roles short of capacity in at least one week.

        In those weeks the role's demand is above what all its people together can
        give: moving work between them cannot help; it takes more people, less
        work, or later dates.
        """
        return [str(r) for r in self.summary.index[self.summary["bottleneck"]]]


def role_outlook(plan: CapacityPlan) -> RoleOutlook:
    """
    Compare demand with supply per role, week by week, across the portfolio.

    Parameters
    ----------
    plan
        The result of :func:`~pmo_kit.resources.capacity_plan` (its horizon is the
        outlook's: ``weeks=13`` for the next quarter).

    Returns
    -------
    RoleOutlook
        ``.weekly`` (role x week), ``.summary`` (one row per role) and
        ``.bottlenecks`` (the roles short of capacity).

    Examples
    --------
    >>> from pmo_kit import load_portfolio
    >>> from pmo_kit.resources import capacity_plan
    >>> outlook = role_outlook(capacity_plan(load_portfolio(), start="2026-05-04"))
    >>> outlook.bottlenecks
    ['Data Engineer']
    >>> int(outlook.summary.loc["Data Engineer", "short_weeks"])
    7
    """
    table = plan.utilisation
    weekly = table.groupby(["role", "week"], as_index=False).agg(
        people=("resource_id", "size"),
        demand_hours=("demand_hours", "sum"),
        capacity_hours=("capacity_hours", "sum"),
        overbooked_hours=("excess_hours", "sum"),
        free_hours=("free_hours", "sum"),
    )
    if len(plan.unstaffed):
        extra = plan.unstaffed.groupby(["role", "week"])["hours"].sum()
        weekly = weekly.set_index(["role", "week"])
        weekly = weekly.reindex(weekly.index.union(extra.index))
        weekly["people"] = weekly["people"].fillna(0).astype("int64")
        weekly = weekly.fillna(0.0)
        weekly["demand_hours"] += extra.reindex(weekly.index).fillna(0.0)
        weekly = weekly.reset_index()
    weekly["gap_hours"] = weekly["demand_hours"] - weekly["capacity_hours"]
    with np.errstate(divide="ignore", invalid="ignore"):
        weekly["utilisation"] = np.where(
            weekly["capacity_hours"] > 0,
            weekly["demand_hours"] / weekly["capacity_hours"],
            np.where(weekly["demand_hours"] > 0, np.inf, np.nan),
        )
    weekly = weekly[
        [
            "role",
            "week",
            "people",
            "demand_hours",
            "capacity_hours",
            "gap_hours",
            "utilisation",
            "overbooked_hours",
            "free_hours",
        ]
    ]
    short = weekly["gap_hours"] > OVER_TOLERANCE
    summary = weekly.assign(
        short=short,
        short_hours=weekly["gap_hours"].where(short, 0.0),
        short_week=weekly["week"].where(short),
    ).groupby("role")
    out = summary.agg(
        people=("people", "max"),
        demand_hours=("demand_hours", "sum"),
        capacity_hours=("capacity_hours", "sum"),
        short_weeks=("short", "sum"),
        short_hours=("short_hours", "sum"),
        first_short_week=("short_week", "min"),
        overbooked_hours=("overbooked_hours", "sum"),
    )
    peak = weekly.loc[
        weekly["utilisation"].fillna(-1.0).groupby(weekly["role"]).idxmax()
    ].set_index("role")
    with np.errstate(divide="ignore", invalid="ignore"):
        out["utilisation"] = out["demand_hours"] / out["capacity_hours"]
    out["peak_utilisation"] = peak["utilisation"]
    out["peak_week"] = peak["week"]
    out["bottleneck"] = out["short_hours"] > OVER_TOLERANCE
    out = out.sort_values(
        ["bottleneck", "short_hours", "overbooked_hours", "utilisation"],
        ascending=[False, False, False, False],
        kind="stable",
    )
    columns = [
        "people",
        "demand_hours",
        "capacity_hours",
        "utilisation",
        "short_weeks",
        "short_hours",
        "first_short_week",
        "overbooked_hours",
        "peak_utilisation",
        "peak_week",
        "bottleneck",
    ]
    return RoleOutlook(weekly=weekly.reset_index(drop=True), summary=out[columns])


def _choose(value: str, known: list[str], what: str) -> str:
    """Match ``value`` case-insensitively to one of ``known``, or explain."""
    by_fold = {k.casefold(): k for k in known}
    if value.casefold() in by_fold:
        return by_fold[value.casefold()]
    close = difflib.get_close_matches(value, known, n=3, cutoff=0.6)
    hint = f" Did you mean {', '.join(map(repr, close))}?" if close else ""
    listed = ", ".join(sorted(known)[:40])
    msg = f"{value!r} is not a {what} anyone has.{hint} Known {what}s: {listed}"
    raise ValidationError(msg)


def find_available(
    source: Portfolio | CapacityPlan,
    *,
    days: float,
    start: DateLike,
    end: DateLike,
    skill: str | None = None,
    role: str | None = None,
    include_busy: bool = False,
    dates: Dates = "baseline",
    absences: pd.DataFrame | None = None,
    calendar: WorkCalendar | None = None,
) -> pd.DataFrame:
    """
    Who is free for ``days`` days of work between two dates, with a skill or role.

    A person's free time is counted week by week inside the window (capacity minus
    demand, never below 0, for the days of each week that fall in the window), so
    hours booked in one week never hide free time in another. ``free_days`` is
    their free hours divided by their hours per working day.

    Parameters
    ----------
    source
        A portfolio (a plan covering the window is built) or a
        :class:`~pmo_kit.resources.CapacityPlan` that covers it.
    days
        Working days of work to place (above 0).
    start, end
        The window, both days included.
    skill, role
        Only people with this skill (one of their ';'-separated skills) and/or this
        role; case does not matter. A skill or role nobody has is an error that
        lists the known ones.
    include_busy
        Also list the people with the skill or role who do not have ``days`` free.
    dates, absences, calendar
        As for :func:`~pmo_kit.resources.capacity_plan`, when ``source`` is a
        portfolio.

    Returns
    -------
    pandas.DataFrame
        Columns ``resource_id``, ``name``, ``role``, ``skills``, ``free_hours``,
        ``free_days``, ``demand_hours`` and ``capacity_hours`` (in the window),
        ``utilisation`` and ``available``; most free hours first.

    Examples
    --------
    >>> from pmo_kit import load_portfolio
    >>> free = find_available(
    ...     load_portfolio(), skill="sql", days=5, start="2026-06-01", end="2026-06-26"
    ... )
    >>> list(free["name"])
    ['Willem Rossi']
    """
    number = (
        float(days)
        if isinstance(days, int | float) and not isinstance(days, bool)
        else float("nan")
    )
    if not (number > 0 and np.isfinite(number)):
        msg = (
            f"{days!r} is an invalid value for `days`. "
            "Allowed: a number of working days above 0"
        )
        raise ValidationError(msg)
    window_start, window_end = as_day(start, "start"), as_day(end, "end")
    if window_end < window_start:
        msg = (
            f"`end` {window_end:%Y-%m-%d} is before `start` {window_start:%Y-%m-%d}. "
            "Allowed: an end on or after the start"
        )
        raise ValidationError(msg)
    if isinstance(source, CapacityPlan):
        plan = source
        if window_start < plan.start or window_end > plan.end:
            msg = (
                f"the window {window_start:%Y-%m-%d} to {window_end:%Y-%m-%d} is not "
                f"inside the plan ({plan.start:%Y-%m-%d} to {plan.end:%Y-%m-%d}). "
                "Allowed: a window inside the plan, or pass the portfolio"
            )
            raise ValidationError(msg)
    else:
        first, last = monday_of(window_start, "start"), monday_of(window_end, "end")
        plan = capacity_plan(
            source,
            start=first,
            weeks=(last - first).days // 7 + 1,
            dates=dates,
            absences=absences,
            calendar=calendar,
        )
    people = plan.people
    keep = np.ones(len(people), dtype=bool)
    if skill is not None:
        skills = split_skills(people["skills"])
        known = sorted({s for row in skills for s in row})
        chosen = _choose(str(skill), known, "skill").casefold()
        keep &= skills.map(lambda row: chosen in {s.casefold() for s in row}).to_numpy()
    if role is not None:
        chosen_role = _choose(str(role), sorted(set(people["role"])), "role")
        keep &= (people["role"] == chosen_role).to_numpy()
    lo = (window_start - plan.start).days
    hi = (window_end - plan.start).days + 1
    demand = plan.daily_demand.to_numpy()[keep, lo:hi]
    capacity = plan.daily_capacity.to_numpy()[keep, lo:hi]
    week_of = (np.arange(lo, hi) // 7) - lo // 7
    cuts = np.flatnonzero(np.r_[True, week_of[1:] != week_of[:-1]])
    net = np.add.reduceat(capacity - demand, cuts, axis=1)
    free = np.maximum(net, 0.0).sum(axis=1)
    chosen_people = people[keep]
    daily = chosen_people["daily_hours"].to_numpy()
    with np.errstate(divide="ignore", invalid="ignore"):
        free_days = np.where(daily > 0, free / daily, 0.0)
        booked, cap = demand.sum(axis=1), capacity.sum(axis=1)
        ratio = np.where(cap > 0, booked / cap, np.where(booked > 0, np.inf, np.nan))
    out = pd.DataFrame(
        {
            "resource_id": chosen_people.index.to_numpy(),
            "name": chosen_people["name"].to_numpy(),
            "role": chosen_people["role"].to_numpy(),
            "skills": chosen_people["skills"].to_numpy(),
            "free_hours": free,
            "free_days": free_days,
            "demand_hours": booked,
            "capacity_hours": cap,
            "utilisation": ratio,
            "available": free_days >= number - 1e-9,
        }
    )
    if not include_busy:
        out = out[out["available"]]
    out = out.sort_values(
        ["available", "free_hours", "resource_id"],
        ascending=[False, False, True],
        kind="stable",
    )
    return out.reset_index(drop=True)
