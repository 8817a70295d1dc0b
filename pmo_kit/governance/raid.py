"""
The RAID log: risks, assumptions, issues and dependencies in one table.

A RAID log is not a new register to keep: it is a *view* over what the PMO already
has. Here it is assembled from the data, and every row says where it came from:

- **R**isks: the risks of the register open at the status date (raised on or
  before it, not closed before it);
- **A**ssumptions: the assumptions written in each project's charter;
- **I**ssues: risks that occurred, and milestones past their baseline date and not
  finished at the status date;
- **D**ependencies: the sample organisation has no table of links between
  projects, so the only honest ones are derived from shared people: a person
  booked by two or more unfinished projects above their capacity in the weeks
  after the status date. Each project depends on the other releasing that person.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from pmo_kit._errors import ValidationError
from pmo_kit.governance._dates import DateLike, as_of_date
from pmo_kit.risk import register_as_of

if TYPE_CHECKING:
    from pmo_kit.data.portfolio import Portfolio

__all__ = ["RAID_COLUMNS", "RAID_TYPES", "raid_log"]

#: The four kinds of RAID entry, in the order the log lists them.
RAID_TYPES: dict[str, str] = {
    "R": "risk",
    "A": "assumption",
    "I": "issue",
    "D": "dependency",
}
#: Columns of :func:`raid_log`.
RAID_COLUMNS = (
    "type",
    "id",
    "project_id",
    "description",
    "owner",
    "status",
    "date",
    "source",
)


def raid_log(
    portfolio: Portfolio,
    project_id: str | None = None,
    *,
    as_of: DateLike | None = None,
    horizon_days: int = 20,
) -> pd.DataFrame:
    """
    Build the RAID log of the portfolio (or of one project) from its data.

    Parameters
    ----------
    portfolio
        The organisation (``pmo_kit.load_portfolio()``).
    project_id
        Only this project's entries; default every project.
    as_of
        Status date: risks are taken as they stood then (raised on or before it,
        not closed or fired before it), and milestones and dependencies are
        measured to it; default the latest status date of the projects.
    horizon_days
        Working days after ``as_of`` in which shared people are checked for
        over-booking (dependencies).

    Returns
    -------
    pandas.DataFrame
        Columns :data:`RAID_COLUMNS`: ``type`` (R, A, I, D), ``id``, ``project_id``,
        ``description``, ``owner`` (resource id; for entries the data gives no
        owner to, such as assumptions, slipped milestones and dependencies, the
        project manager, who owns the charter and the plan), ``status``, ``date``
        (raised, approved, due or first day of the conflict) and ``source`` (the
        file or rule the entry comes from). Sorted by project, then R, A, I, D.

    Raises
    ------
    ValidationError
        ``project_id`` is not in the portfolio, or ``horizon_days`` is not a whole
        number from 1 to 260.
    """
    if (
        isinstance(horizon_days, bool)
        or not isinstance(horizon_days, int)
        or not (1 <= horizon_days <= 260)
    ):
        msg = (
            f"{horizon_days!r} is an invalid value for `horizon_days`. Allowed: a "
            "whole number of working days from 1 to 260"
        )
        raise ValidationError(msg)
    if project_id is not None:
        portfolio.project(project_id)
    when = as_of_date(portfolio, as_of)
    managers = portfolio.projects.set_index("project_id")["manager"].astype(str)
    register = register_as_of(portfolio.risks, when)
    parts = [
        _risks(register),
        _assumptions(portfolio, managers),
        _issues(portfolio, register, managers, when),
        _dependencies(portfolio, managers, when, horizon_days),
    ]
    log = pd.concat([p for p in parts if len(p)], ignore_index=True)
    if log.empty:
        log = pd.DataFrame(columns=list(RAID_COLUMNS))
    log = log[list(RAID_COLUMNS)]
    if project_id is not None:
        log = log[log["project_id"] == project_id]
    order = {t: i for i, t in enumerate(RAID_TYPES)}
    log = (
        log.assign(_t=log["type"].map(order))
        .sort_values(["project_id", "_t", "id"], kind="stable")
        .drop(columns="_t")
        .reset_index(drop=True)
    )
    log["date"] = pd.to_datetime(log["date"])
    return log


def _frame(rows: list[dict[str, Any]]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=list(RAID_COLUMNS))


def _risks(register: pd.DataFrame) -> pd.DataFrame:
    risks = register[register["status"] == "open"]
    return _frame(
        [
            {
                "type": "R",
                "id": r["risk_id"],
                "project_id": r["project_id"],
                "description": f"{r['title']}: {r['event']}",
                "owner": r["owner"],
                "status": "open",
                "date": r["raised_date"],
                "source": "risks.csv",
            }
            for _, r in risks.iterrows()
        ]
    )


def _assumptions(portfolio: Portfolio, managers: pd.Series) -> pd.DataFrame:
    rows: list[dict[str, Any]] = []
    for pid, charter in sorted(portfolio.charters.items()):
        assumptions = charter.assumptions
        date = charter.approval.date if charter.approval else None
        status = "approved in charter" if date else "charter not approved"
        for n, text in enumerate(assumptions, start=1):
            rows.append(
                {
                    "type": "A",
                    "id": f"{pid}-A{n}",
                    "project_id": pid,
                    "description": str(text),
                    "owner": managers.get(pid),
                    "status": status,
                    "date": pd.Timestamp(date) if date else pd.NaT,
                    "source": f"charters/{pid}.yaml",
                }
            )
    return _frame(rows)


def _issues(
    portfolio: Portfolio,
    register: pd.DataFrame,
    managers: pd.Series,
    as_of: pd.Timestamp,
) -> pd.DataFrame:
    risks = register[register["status"] == "occurred"]
    rows = [
        {
            "type": "I",
            "id": r["risk_id"],
            "project_id": r["project_id"],
            "description": f"Risk occurred: {r['title']} ({r['effect']})",
            "owner": r["owner"],
            "status": "occurred",
            "date": r["closed_date"],
            "source": "risks.csv (status occurred)",
        }
        for _, r in risks.iterrows()
    ]
    tasks = portfolio.tasks
    late = tasks[
        (tasks["duration"] == 0)
        & tasks["actual_finish"].isna()
        & (tasks["baseline_finish"] < as_of)
    ]
    for _, t in late.iterrows():
        days = int(np.busday_count(t["baseline_finish"].date(), as_of.date()))
        rows.append(
            {
                "type": "I",
                "id": t["task_id"],
                "project_id": t["project_id"],
                "description": (
                    f"Milestone '{t['name']}' not reached: due "
                    f"{t['baseline_finish']:%d %b %Y}, {days} working "
                    f"day{'s' if days != 1 else ''} ago"
                ),
                "owner": managers.get(t["project_id"]),
                "status": "overdue",
                "date": t["baseline_finish"],
                "source": "tasks.csv (milestone past its baseline)",
            }
        )
    return _frame(rows)


def _dependencies(
    portfolio: Portfolio, managers: pd.Series, as_of: pd.Timestamp, horizon: int
) -> pd.DataFrame:
    """Shared people booked above capacity by two or more projects after ``as_of``."""
    tasks = portfolio.tasks[portfolio.tasks["actual_finish"].isna()]
    work = tasks.merge(portfolio.assignments, on=["project_id", "task_id"])
    if work.empty:
        return _frame([])
    end = as_of + pd.offsets.BDay(horizon)
    opened = work["actual_start"].fillna(work["baseline_start"])
    start = opened.where(opened > as_of, as_of)
    finish = work["baseline_finish"].where(work["baseline_finish"] > as_of, as_of)
    finish = finish.where(finish < end, end)
    days: list[pd.DataFrame] = []
    spans = work.assign(_s=start, _f=finish)
    for (s, f), chunk in spans.groupby(["_s", "_f"]):
        span = pd.bdate_range(pd.Timestamp(s), pd.Timestamp(f))  # type: ignore[arg-type]
        if len(span):
            days.append(
                chunk[["resource_id", "project_id", "units"]].merge(
                    pd.DataFrame({"day": span}), how="cross"
                )
            )
    if not days:
        return _frame([])
    load = pd.concat(days, ignore_index=True)
    per_day = load.groupby(["resource_id", "day"]).agg(
        units=("units", "sum"), projects=("project_id", "nunique")
    )
    over = per_day[(per_day["units"] > 1 + 1e-9) & (per_day["projects"] > 1)]
    if over.empty:
        return _frame([])
    people = portfolio.resources.set_index("resource_id")
    rows: list[dict[str, Any]] = []
    conflicts = load.merge(over.reset_index()[["resource_id", "day"]])
    peaks = over.groupby(level="resource_id")["units"].max()
    for resource, group in conflicts.groupby("resource_id"):
        peak = float(peaks[resource])
        first = group["day"].min()
        n_days = int(group["day"].nunique())
        involved = sorted(group["project_id"].unique())
        person = people.loc[resource]
        for pid in involved:
            others = ", ".join(p for p in involved if p != pid)
            rows.append(
                {
                    "type": "D",
                    "id": f"{pid}-D-{resource}",
                    "project_id": pid,
                    "description": (
                        f"Needs {person['name']} ({resource}, {person['role']}), "
                        f"also booked by {others}: up to {peak:.0%} of capacity on "
                        f"{n_days} working day{'s' if n_days > 1 else ''} from "
                        f"{first:%d %b %Y}"
                    ),
                    "owner": managers.get(pid),
                    "status": "open",
                    "date": first,
                    "source": "assignments.csv (shared person over-booked)",
                }
            )
    return _frame(rows)
