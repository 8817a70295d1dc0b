"""
The resource-capacity report as a function: who is over-booked, which roles are short.

:func:`capacity_review` builds one :class:`~pmo_kit.resources.CapacityPlan` for the
whole portfolio and reads it the way the report does: the load, every
over-allocation (people by name), the bottleneck roles, the skills nobody free has,
and who has room. The notebook ``resource-capacity`` only displays the result.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from pmo_kit._errors import ValidationError
from pmo_kit.reports._content import json_records, table_view
from pmo_kit.reports.capacity_story import COLUMNS, METHOD, capacity_narrative
from pmo_kit.resources import (
    capacity_plan,
    find_available,
    overallocations,
    role_outlook,
    skills_gaps,
)

if TYPE_CHECKING:
    from collections.abc import Sequence

    from pmo_kit.data.portfolio import Portfolio
    from pmo_kit.resources import CapacityPlan
    from pmo_kit.resources.capacity import Dates
    from pmo_kit.schedule.calendar import DateLike

__all__ = ["DATES_CHOICES", "CapacityReview", "capacity_review"]

#: The task dates a capacity review can spread the work over, and what each means.
DATES_CHOICES: dict[str, str] = {
    "baseline": "the plan's dates",
    "forecast": (
        "actual dates for work done, the rest rescheduled from each project's "
        "status date"
    ),
}
#: People drawn in the heatmap at most (the busiest by peak utilisation).
HEATMAP_PEOPLE = 40
#: People listed with the most free time.
MOST_FREE = 10
#: Tasks named per over-allocation in its table row; the rest are counted.
TASKS_SHOWN = 4


@dataclass(frozen=True)
class CapacityReview:
    """
    Everything the resource-capacity report shows, for the weeks reviewed.

    Attributes
    ----------
    organisation
        The portfolio's name.
    start, end
        Monday of the first week and the last day (a Sunday) of the horizon.
    weeks
        Number of weeks reviewed.
    dates
        ``'baseline'`` or ``'forecast'``: the task dates that spread the work.
    roles
        The roles reviewed (all of them when ``roles_chosen`` is False).
    roles_chosen
        True when the caller chose the roles.
    people
        Number of people in those roles.
    demand_hours, capacity_hours, utilisation
        Hours booked, hours available and their ratio over the whole horizon.
    over_allocated_person_weeks
        Person-weeks booked above capacity.
    peak_utilisation
        The highest utilisation of any person in any week.
    bottlenecks
        Roles whose people together cannot give the hours booked in some week.
    utilisation_table
        One row per person and week (see
        :func:`~pmo_kit.resources.utilisation_table`) for the roles reviewed.
    heatmap
        The rows of ``utilisation_table`` for the (at most 40) people with the
        highest peak utilisation: the heatmap's data.
    role_weeks
        One row per role and week (see :class:`~pmo_kit.resources.RoleOutlook`).
    role_table
        One row per role: ``role``, ``people``, ``demand_hours``,
        ``capacity_hours``, ``utilisation``, ``short_weeks``, ``short_hours``,
        ``first_short_week``, ``overbooked_hours``, ``peak_utilisation``,
        ``peak_week``, ``bottleneck`` and ``rag`` (red: the role is short; amber:
        some of its people are over-booked but others have room; green).
    overallocations
        One row per person and run of over-booked weeks (see
        :func:`~pmo_kit.resources.overallocations`), plus ``tasks_shown`` (the
        first four tasks and how many more).
    skills_gaps
        See :func:`~pmo_kit.resources.skills_gaps`, plus ``rag`` (red: a gap).
    available
        The ten people with the most free hours over the horizon (see
        :func:`~pmo_kit.resources.find_available`).
    narrative
        The headlines, one sentence each, ending with the decision needed.
    method
        The method and assumptions, one Markdown paragraph each.
    plan
        The capacity plan everything above is read from (for what-ifs).
    """

    organisation: str
    start: pd.Timestamp
    end: pd.Timestamp
    weeks: int
    dates: str
    roles: list[str]
    roles_chosen: bool
    people: int
    demand_hours: float
    capacity_hours: float
    utilisation: float
    over_allocated_person_weeks: int
    peak_utilisation: float
    bottlenecks: list[str]
    utilisation_table: pd.DataFrame
    heatmap: pd.DataFrame
    role_weeks: pd.DataFrame
    role_table: pd.DataFrame
    overallocations: pd.DataFrame
    skills_gaps: pd.DataFrame
    available: pd.DataFrame
    narrative: list[str]
    method: tuple[str, ...]
    plan: CapacityPlan

    @property
    def last_week(self) -> pd.Timestamp:
        """Monday of the last week reviewed."""
        return self.end - pd.Timedelta(days=6)

    def view(self, table: str) -> pd.DataFrame:
        """Return a table as the report shows it: its columns, dates as text."""
        if table not in COLUMNS:
            msg = (
                f"{table!r} is not a table of the report. Allowed: {', '.join(COLUMNS)}"
            )
            raise ValidationError(msg)
        return table_view(getattr(self, table), COLUMNS[table])

    def summary(self) -> dict[str, Any]:
        """Return the report's ``summary.json`` content (JSON-ready)."""
        over = self.overallocations
        return {
            "report": "resource-capacity",
            "start": f"{self.start:%Y-%m-%d}",
            "end": f"{self.end:%Y-%m-%d}",
            "weeks": self.weeks,
            "dates": self.dates,
            "roles": list(self.roles) if self.roles_chosen else [],
            "people": self.people,
            "demand_hours": self.demand_hours,
            "capacity_hours": self.capacity_hours,
            "utilisation": self.utilisation,
            "over_allocated_person_weeks": self.over_allocated_person_weeks,
            "peak_utilisation": self.peak_utilisation,
            "bottleneck_roles": list(self.bottlenecks),
            "overallocations": [
                {
                    **record,
                    "weeks": int(record["weeks"]),
                    "projects": _split(record["projects"]),
                }
                for record in json_records(
                    over,
                    [
                        "resource_id",
                        "name",
                        "role",
                        "first_week",
                        "last_week",
                        "weeks",
                        "peak_utilisation",
                        "excess_hours",
                        "projects",
                    ],
                )
            ],
            "roles_outlook": json_records(
                self.role_table,
                [
                    "role",
                    "people",
                    "demand_hours",
                    "capacity_hours",
                    "short_weeks",
                    "short_hours",
                    "overbooked_hours",
                    "bottleneck",
                    "rag",
                ],
            ),
            "skills_gaps": [
                {**record, "could_help": _split(record["could_help"])}
                for record in json_records(
                    self.skills_gaps,
                    ["kind", "need", "excess_hours", "uncovered_hours", "could_help"],
                )
            ],
            "most_free": json_records(
                self.available, ["resource_id", "name", "role", "free_hours"]
            ),
            "narrative": list(self.narrative),
        }


def _split(text: Any) -> list[str]:
    return str(text).split(", ") if text else []


def _chosen_roles(
    portfolio: Portfolio, roles: str | Sequence[str] | None
) -> tuple[list[str], bool]:
    """Return the roles to review, spelled as in the data; reject unknown ones."""
    known = sorted({str(r) for r in portfolio.resources["role"]})
    asked = roles.split(",") if isinstance(roles, str) else list(roles or [])
    asked = [str(r).strip() for r in asked if str(r).strip()]
    by_fold = {r.casefold(): r for r in known}
    for role in asked:
        if role.casefold() not in by_fold:
            msg = (
                f"{role!r} is not a role in {portfolio.name}. Allowed: empty for all "
                f"roles, or one or more of {', '.join(known)} (comma separated)"
            )
            raise ValidationError(msg)
    chosen = list(dict.fromkeys(by_fold[r.casefold()] for r in asked))
    return (chosen or known), bool(chosen)


def _check_dates(dates: str) -> Dates:
    """Return ``dates`` as a choice of :data:`DATES_CHOICES`, or explain."""
    if dates == "baseline":
        return "baseline"
    if dates == "forecast":
        return "forecast"
    allowed = " or ".join(f"{k} ({v})" for k, v in DATES_CHOICES.items())
    case = " (choices are lower case)" if str(dates).casefold() in DATES_CHOICES else ""
    msg = f"{dates!r} is not a choice for `dates`{case}. Allowed: {allowed}"
    raise ValidationError(msg)


def _busiest(table: pd.DataFrame, top: int) -> pd.DataFrame:
    """Return the rows of the ``top`` people with the highest peak utilisation."""
    peak = table["utilisation"].astype(float).fillna(0.0).groupby(table["resource_id"])
    keep = peak.max().sort_values(ascending=False, kind="stable").index[:top]
    return table[table["resource_id"].isin(keep)].reset_index(drop=True)


def _shown_tasks(tasks: pd.Series) -> pd.Series:
    """Return each task list cut to its first few tasks, with how many more."""

    def cut(text: str) -> str:
        names = _split(text)
        more = len(names) - TASKS_SHOWN
        return ", ".join(names[:TASKS_SHOWN]) + (f", +{more} more" if more > 0 else "")

    return tasks.fillna("").map(cut)


def capacity_review(
    portfolio: Portfolio,
    *,
    start: DateLike | None = None,
    weeks: int = 12,
    roles: str | Sequence[str] | None = None,
    dates: str = "baseline",
) -> CapacityReview:
    """
    Review demand against capacity of every person and role over the coming weeks.

    Parameters
    ----------
    portfolio
        The organisation (a :class:`~pmo_kit.Portfolio`).
    start
        First day to review; the review starts on the Monday of its week. Default:
        the latest status date of the projects.
    weeks
        Number of weeks to review (1 to 520).
    roles
        Roles to review, as a list or comma-separated text (any case); empty or
        None for every role.
    dates
        ``'baseline'`` (the plan's dates) or ``'forecast'`` (actual dates for work
        done, the rest rescheduled from each project's status date).

    Returns
    -------
    CapacityReview
        Every table, figure and sentence of the report; ``.summary()`` gives its
        ``summary.json``.

    Raises
    ------
    ValidationError
        ``dates`` is not one of the choices (they are lower case), a role is not
        one anybody has, or ``start``/``weeks`` is invalid.

    Examples
    --------
    >>> from pmo_kit import load_portfolio
    >>> review = capacity_review(load_portfolio(), roles="data engineer")
    >>> review.bottlenecks, review.people
    (['Data Engineer'], 1)
    >>> review.narrative[0].split(", ")[1]
    '1 person in 1 role is booked for 192 hours of project work against 450 hours of \
capacity (43%).'
    """
    chosen_dates = _check_dates(dates)
    shown, chosen = _chosen_roles(portfolio, roles)
    plan = capacity_plan(portfolio, start=start, weeks=weeks, dates=chosen_dates)
    table = plan.utilisation
    table = table[table["role"].isin(shown)].reset_index(drop=True)
    outlook = role_outlook(plan)
    role_weeks = outlook.weekly[outlook.weekly["role"].isin(shown)]
    role_table = outlook.summary[outlook.summary.index.isin(shown)]
    rag = np.where(
        role_table["bottleneck"],
        "red",
        np.where(role_table["overbooked_hours"] > 0, "amber", "green"),
    )
    role_table = role_table.assign(rag=rag).rename_axis("role").reset_index()
    over = overallocations(plan)
    over = over[over["role"].isin(shown)].reset_index(drop=True)
    over = over.assign(tasks_shown=_shown_tasks(over["tasks"]))
    gaps = skills_gaps(plan, roles=shown)
    gaps = gaps.assign(rag=np.where(gaps["gap"].astype(bool), "red", "green"))
    free = find_available(plan, days=1, start=plan.start, end=plan.end)
    free = free[free["role"].isin(shown)].head(MOST_FREE).reset_index(drop=True)
    demand = float(table["demand_hours"].sum())
    capacity = float(table["capacity_hours"].sum())
    review = CapacityReview(
        organisation=portfolio.name,
        start=plan.start,
        end=plan.end,
        weeks=plan.weeks,
        dates=chosen_dates,
        roles=shown,
        roles_chosen=chosen,
        people=int(table["resource_id"].nunique()),
        demand_hours=demand,
        capacity_hours=capacity,
        utilisation=demand / capacity if capacity else float("nan"),
        over_allocated_person_weeks=int(table["over"].sum()),
        peak_utilisation=float(table["utilisation"].max())
        if len(table)
        else float("nan"),
        bottlenecks=[r for r in outlook.bottlenecks if r in shown],
        utilisation_table=table,
        heatmap=_busiest(table, HEATMAP_PEOPLE),
        role_weeks=role_weeks.reset_index(drop=True),
        role_table=role_table,
        overallocations=over,
        skills_gaps=gaps,
        available=free,
        narrative=[],
        method=METHOD,
        plan=plan,
    )
    return replace(review, narrative=capacity_narrative(review, portfolio))
