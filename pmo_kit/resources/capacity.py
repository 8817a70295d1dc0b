"""
Capacity against demand: hours booked and hours available, per person and week.

Units: everything is in **hours**. A week starts on Monday and is labelled by that
Monday. *Demand* is the hours people are booked for: each assignment's ``hours`` (or,
when empty, ``units x working days x capacity_hours / 5``) spread evenly over its
task's working days. *Capacity* is the hours a person can give: ``capacity_hours``
per week, spread over the working days of their calendar (``standard`` and
``part-time`` Monday to Friday, ``four-day-week`` Monday to Thursday), minus the
organisation's holidays and the person's absences. *Utilisation* = demand / capacity
(1.0 = fully booked; above 1.0 = over-allocated).

A quick tour (all in :mod:`pmo_kit.resources`)::

    plan = capacity_plan(portfolio, start="2026-05-04", weeks=12)
    plan.utilisation  # person x week: demand, capacity, free, ratio
    plan.demand  # person x task x week hours (plan.demand_by_day: per day)
    overallocations(plan)  # who, when, peak %, hours over, on what
    role_outlook(plan).summary  # demand vs supply per role; .bottlenecks
    skills_gaps(plan)  # over-booked work nobody free could take
    find_available(portfolio, skill="SQL", days=5, start=..., end=...)
    what_if(portfolio, add="Data Engineer", shift={"P-006": 4}).comparison
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING, Literal

import numpy as np
import pandas as pd

from pmo_kit._errors import ValidationError
from pmo_kit.resources._inputs import (
    CALENDARS,
    business_days,
    check_absences,
    check_assignments,
    check_horizon,
    check_resources,
    check_tasks,
    monday_of,
    row_label,
)
from pmo_kit.resources._spans import expand_days, spans_for
from pmo_kit.schedule.calendar import WorkCalendar

if TYPE_CHECKING:
    from pmo_kit.data.portfolio import Portfolio
    from pmo_kit.schedule.calendar import DateLike

__all__ = ["OVER_TOLERANCE", "CapacityPlan", "capacity_plan", "utilisation_table"]

#: Hours of demand above capacity that still count as "fully booked" (rounding).
OVER_TOLERANCE = 0.05

Dates = Literal["baseline", "forecast"]


@dataclass(frozen=True)
class CapacityPlan:
    """
    Demand and capacity of every person over a horizon of whole weeks.

    Build one with :func:`capacity_plan`. All figures are hours.

    Attributes
    ----------
    start
        Monday of the first week.
    weeks
        Number of weeks planned.
    dates
        ``'baseline'`` or ``'forecast'``: which task dates spread the hours.
    people
        Indexed by ``resource_id``: ``name``, ``role``, ``skills`` (text, ';'
        separated), ``capacity_hours`` (per week), ``calendar``, ``daily_hours``
        (hours on each working day of their calendar).
    demand
        One row per person, task and week: ``resource_id``, ``project_id``,
        ``task_id``, ``week``, ``hours``.
    demand_by_day
        One row per person, task and day with work: ``resource_id``,
        ``project_id``, ``task_id``, ``day``, ``hours``.
    daily_demand, daily_capacity
        People (rows, ``resource_id``) by days (columns, every calendar day of the
        horizon): hours booked and hours available.
    unstaffed
        Work with nobody to do it (``role``, ``project_id``, ``task_id``, ``week``,
        ``hours``): empty in a plan, filled by :func:`~pmo_kit.resources.what_if`
        when a person is removed and nobody of their role takes their work.
    """

    start: pd.Timestamp
    weeks: int
    dates: str
    people: pd.DataFrame
    demand: pd.DataFrame
    demand_by_day: pd.DataFrame
    daily_demand: pd.DataFrame
    daily_capacity: pd.DataFrame
    unstaffed: pd.DataFrame = field(default_factory=lambda: _empty_unstaffed())

    @property
    def end(self) -> pd.Timestamp:
        """Last day of the horizon (a Sunday)."""
        return self.start + pd.Timedelta(days=7 * self.weeks - 1)

    @property
    def week_starts(self) -> pd.DatetimeIndex:
        """The Monday of every week of the horizon."""
        return pd.date_range(self.start, periods=self.weeks, freq="7D")

    @cached_property
    def utilisation(self) -> pd.DataFrame:
        """
        One row per person and week; see :func:`utilisation_table`.

        Computed once per plan and shared: filter or copy it, do not change it in
        place.
        """
        return utilisation_table(self)


def _empty_unstaffed() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "role": pd.Series(dtype=str),
            "project_id": pd.Series(dtype=str),
            "task_id": pd.Series(dtype=str),
            "week": pd.Series(dtype="datetime64[ns]"),
            "hours": pd.Series(dtype=float),
        }
    )


def _weekly(matrix: np.ndarray) -> np.ndarray:
    people, days = matrix.shape
    weekly: np.ndarray = matrix.reshape(people, days // 7, 7).sum(axis=2)
    return weekly


def utilisation_table(plan: CapacityPlan) -> pd.DataFrame:
    """
    One row per person and week: demand, capacity, free hours and utilisation.

    Columns: ``resource_id``, ``name``, ``role``, ``week``, ``demand_hours``,
    ``capacity_hours``, ``free_hours`` (capacity not booked, never below 0),
    ``excess_hours`` (demand above capacity, never below 0), ``utilisation``
    (demand / capacity; infinite when work is booked in a week with no capacity,
    NaN when there is neither) and ``over`` (demand above capacity by more than
    :data:`OVER_TOLERANCE` hours).
    """
    demand = _weekly(plan.daily_demand.to_numpy())
    capacity = _weekly(plan.daily_capacity.to_numpy())
    people = plan.people
    n, w = demand.shape
    over = demand - capacity > OVER_TOLERANCE
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = np.where(
            capacity > 0, demand / capacity, np.where(demand > 0, np.inf, np.nan)
        )
    return pd.DataFrame(
        {
            "resource_id": np.repeat(people.index.to_numpy(), w),
            "name": np.repeat(people["name"].to_numpy(), w),
            "role": np.repeat(people["role"].to_numpy(), w),
            "week": np.tile(plan.week_starts.to_numpy(), n),
            "demand_hours": demand.ravel(),
            "capacity_hours": capacity.ravel(),
            "free_hours": np.maximum(capacity - demand, 0).ravel(),
            "excess_hours": np.where(over, demand - capacity, 0.0).ravel(),
            "utilisation": ratio.ravel(),
            "over": over.ravel(),
        }
    )


def _person_masks(
    people: pd.DataFrame, calendar: WorkCalendar, days: pd.DatetimeIndex
) -> np.ndarray:
    """Working-day mask (people x days) from each person's calendar and holidays."""
    org = business_days(calendar)
    holidays, org_mask = org.holidays, org.weekmask
    stamps = days.to_numpy(dtype="datetime64[D]")
    masks = {}
    for name, weekmask in CALENDARS.items():
        own = np.busdaycalendar(weekmask=weekmask).weekmask & org_mask
        busday = np.busdaycalendar(weekmask=own, holidays=holidays)
        masks[name] = np.is_busday(stamps, busdaycal=busday)
    kinds = list(CALENDARS)
    table = np.stack([masks[k] for k in kinds])
    mask: np.ndarray = table[people["calendar"].map(kinds.index).to_numpy()]
    return mask


def capacity_plan(
    portfolio: Portfolio | None = None,
    *,
    resources: pd.DataFrame | None = None,
    assignments: pd.DataFrame | None = None,
    tasks: pd.DataFrame | None = None,
    projects: pd.DataFrame | None = None,
    dependencies: pd.DataFrame | None = None,
    start: DateLike | None = None,
    weeks: int = 12,
    dates: Dates = "baseline",
    absences: pd.DataFrame | None = None,
    calendar: WorkCalendar | None = None,
) -> CapacityPlan:
    """
    Work out every person's demand and capacity, day by day, over whole weeks.

    Parameters
    ----------
    portfolio
        Where the tables come from (a :class:`~pmo_kit.Portfolio`). A table passed
        by keyword replaces the portfolio's; without a portfolio pass at least
        ``resources``, ``assignments`` and ``tasks``.
    resources
        People: ``resource_id``, ``capacity_hours`` (per week) and optionally
        ``name``, ``role``, ``skills`` (';' separated) and ``calendar``
        (``standard``, ``part-time``, ``four-day-week``).
    assignments
        ``project_id``, ``task_id``, ``resource_id`` and ``units`` (share of the
        person's capacity, 0 to 1) and/or ``hours`` (total work on the task).
    tasks
        ``project_id``, ``task_id``, ``baseline_start``, ``baseline_finish`` (for a
        forecast also ``duration``, ``percent_complete``, ``actual_start``,
        ``actual_finish``).
    projects, dependencies
        Only for ``dates='forecast'``: each project's ``start`` and ``status_date``,
        and the links between tasks.
    start
        First day to plan; the plan starts on the Monday of its week. Default: the
        latest ``status_date`` of the projects, else the earliest baseline start.
    weeks
        Number of weeks to plan, 1 to 520.
    dates
        ``'baseline'`` spreads hours over the baseline dates. ``'forecast'`` puts
        the work done on its actual dates and the rest on the critical path of the
        remaining work from each project's status date.
    absences
        Optional ``resource_id``, ``start``, ``end`` (inclusive): days off.
    calendar
        The organisation's working days and public holidays (default Monday to
        Friday, no holidays). Holidays remove capacity and tasks skip them.

    Returns
    -------
    CapacityPlan
        ``.utilisation`` has one row per person and week.

    Raises
    ------
    ValidationError
        An assignment to an unknown person or task, a negative capacity, units
        above 1, hours a person could not give even full time, an absence of an
        unknown person, or a bad ``start``/``weeks``. The message names the table,
        row, column, value and what is allowed.

    Examples
    --------
    >>> import pandas as pd
    >>> people = pd.DataFrame({"resource_id": ["R-1"], "capacity_hours": [40.0]})
    >>> tasks = pd.DataFrame(
    ...     {
    ...         "task_id": ["A"],
    ...         "baseline_start": ["2026-06-01"],
    ...         "baseline_finish": ["2026-06-12"],
    ...     }
    ... )
    >>> work = pd.DataFrame({"task_id": ["A"], "resource_id": ["R-1"], "units": [0.5]})
    >>> plan = capacity_plan(
    ...     resources=people, assignments=work, tasks=tasks, start="2026-06-01", weeks=2
    ... )
    >>> plan.utilisation[["week", "demand_hours", "utilisation"]]
            week  demand_hours  utilisation
    0 2026-06-01          20.0          0.5
    1 2026-06-08          20.0          0.5
    """
    calendar = calendar or WorkCalendar()
    if dates not in ("baseline", "forecast"):
        msg = (
            f"{dates!r} is an invalid value for `dates`. "
            "Allowed: 'baseline', 'forecast'"
        )
        raise ValidationError(msg)
    if portfolio is not None:
        resources = portfolio.resources if resources is None else resources
        assignments = portfolio.assignments if assignments is None else assignments
        tasks = portfolio.tasks if tasks is None else tasks
        projects = portfolio.projects if projects is None else projects
        dependencies = portfolio.dependencies if dependencies is None else dependencies
    if resources is None or assignments is None or tasks is None:
        msg = (
            "capacity_plan needs a portfolio, or the resources, assignments and tasks "
            "tables (resources=..., assignments=..., tasks=...)"
        )
        raise ValidationError(msg)
    weeks = check_horizon(weeks)
    people = check_resources(resources)
    checked_tasks = check_tasks(tasks, forecast=dates == "forecast")
    work = check_assignments(assignments, people, checked_tasks)
    off = check_absences(absences, people)
    if start is None:
        if (
            projects is not None
            and "status_date" in projects
            and projects["status_date"].notna().any()
        ):
            start = pd.Timestamp(pd.to_datetime(projects["status_date"]).max())
        else:
            start = checked_tasks["baseline_start"].min()
    first = monday_of(start, "start")
    days = pd.date_range(first, periods=7 * weeks, freq="D")
    busday = business_days(calendar)
    work = _fill_hours(work, people, checked_tasks, busday)
    spans = spans_for(
        work,
        checked_tasks,
        dates=dates,
        calendar=calendar,
        dependencies=dependencies,
        projects=projects,
    )
    row, position, hours = expand_days(
        spans, busday, first.to_datetime64().astype("datetime64[D]"), len(days)
    )
    person = people.index.get_indexer(pd.Index(work["resource_id"]))[row]
    n, d = len(people), len(days)
    daily = np.bincount(person * d + position, weights=hours, minlength=n * d)
    capacity = people["daily_hours"].to_numpy()[:, None] * _person_masks(
        people, calendar, days
    )
    for rid, a, b in off.itertuples(index=False):
        lo = max((a - first).days, 0)
        hi = min((b - first).days + 1, d)
        if lo < hi:
            capacity[people.index.get_loc(rid), lo:hi] = 0.0
    week_of = position // 7
    flat, totals = np.unique(row * weeks + week_of, return_inverse=True)
    summed = np.bincount(totals, weights=hours)
    a_row, w = flat // weeks, flat % weeks
    demand = pd.DataFrame(
        {
            "resource_id": work["resource_id"].to_numpy()[a_row],
            "project_id": work["project_id"].to_numpy()[a_row],
            "task_id": work["task_id"].to_numpy()[a_row],
            "week": first + pd.to_timedelta(7 * w, unit="D"),
            "hours": summed,
        }
    )
    flat, totals = np.unique(row * d + position, return_inverse=True)
    summed = np.bincount(totals, weights=hours)
    a_row, day = flat // d, flat % d
    by_day = pd.DataFrame(
        {
            "resource_id": work["resource_id"].to_numpy()[a_row],
            "project_id": work["project_id"].to_numpy()[a_row],
            "task_id": work["task_id"].to_numpy()[a_row],
            "day": first + pd.to_timedelta(day, unit="D"),
            "hours": summed,
        }
    )
    columns = pd.DatetimeIndex(days, name="day")
    return CapacityPlan(
        start=first,
        weeks=weeks,
        dates=dates,
        people=people,
        demand=demand,
        demand_by_day=by_day,
        daily_demand=pd.DataFrame(
            daily.reshape(n, d), index=people.index, columns=columns
        ),
        daily_capacity=pd.DataFrame(capacity, index=people.index, columns=columns),
    )


def _fill_hours(
    work: pd.DataFrame,
    people: pd.DataFrame,
    tasks: pd.DataFrame,
    busday: np.busdaycalendar,
) -> pd.DataFrame:
    """Fill empty hours from the units; reject hours nobody could work."""
    out = work.copy()
    out["key"] = out["project_id"] + "/" + out["task_id"]
    at = tasks.set_index("key").index.get_indexer(pd.Index(out["key"]))
    start = tasks["baseline_start"].to_numpy(dtype="datetime64[D]")[at]
    end = tasks["baseline_finish"].to_numpy(dtype="datetime64[D]")[at]
    # "More than anyone could give" is judged on the working week alone: a holiday
    # inside a planned task makes that week over-booked (which the plan reports), it
    # does not make the assignment impossible data.
    weekdays = np.busdaycalendar(weekmask=busday.weekmask)
    working = np.busday_count(start, end + np.timedelta64(1, "D"), busdaycal=weekdays)
    org_days = int(busday.weekmask.sum())
    full = (
        working
        * people["capacity_hours"].reindex(out["resource_id"]).to_numpy()
        / org_days
    )
    hours = out["hours"].to_numpy(dtype=float)
    units = out["units"].to_numpy(dtype=float)
    filled = np.where(np.isnan(hours), units * full, hours)
    too_much = filled > full * 1.01 + 0.1
    if too_much.any():
        problems = []
        for pos in np.flatnonzero(too_much)[:20]:
            rid = out["resource_id"].iloc[pos]
            problems.append(
                f"assignments, row {row_label(out.index[pos])}, column 'hours': "
                f"{filled[pos]:g} hours on {out['project_id'].iloc[pos]} "
                f"{out['task_id'].iloc[pos]} ({working[pos]} working days) is more "
                f"than {rid} could give working full time "
                f"({people.loc[rid, 'capacity_hours']:g} hours/week). Allowed: at "
                f"most {full[pos]:g} hours"
            )
        raise ValidationError.from_problems(problems)
    out["hours"] = filled
    return out
