"""
Sprints and flow of an agile or hybrid project, for its weekly status report.

Built on :mod:`pmo_kit.agile` (velocity, burndown, cycle times), all as of the status
date: sprints that had not started are left out, the running sprint counts the points
done so far, and cycle times count items finished by then.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import pandas as pd

from pmo_kit.agile import cycle_time_percentiles, cycle_times, sprint_burndown, velocity
from pmo_kit.reports._content import json_value
from pmo_kit.vocabulary import plural

if TYPE_CHECKING:
    from pmo_kit.data.portfolio import Portfolio
    from pmo_kit.reports._status_rules import StatusRules

__all__ = ["AgileStatus", "agile_status", "agile_summary"]


@dataclass(frozen=True, slots=True)
class AgileStatus:
    """Sprints and flow of an agile or hybrid project at the status date."""

    velocity: pd.DataFrame
    current_sprint: str
    current_sprint_finished: bool
    last_finished_sprint: str | None
    last_sprint_completion: float
    average_velocity: float
    sprints_averaged: int
    burndown: pd.DataFrame
    cycle_times: pd.DataFrame
    cycle_time_p85_days: float
    text: str


def agile_summary(agile: AgileStatus) -> dict[str, Any]:
    """Return the ``agile`` part of the status report's ``summary.json``."""
    return {
        "current_sprint": agile.current_sprint,
        "last_finished_sprint": agile.last_finished_sprint,
        "last_sprint_completion": json_value(agile.last_sprint_completion),
        "average_velocity": json_value(agile.average_velocity),
        "cycle_time_p85_days": json_value(agile.cycle_time_p85_days),
    }


def agile_status(
    work: Portfolio, project_id: str, status_date: pd.Timestamp, rules: StatusRules
) -> AgileStatus | None:
    """
    Return the sprints and flow of one project as of the status date.

    ``work`` holds one project's tables (:meth:`Portfolio.for_project`). None when
    no sprint has started by the status date.
    """
    table = velocity(
        work.sprints, work.work_items, as_of=status_date, last=rules.velocity_sprints
    )
    table = table[table["start"] <= status_date].reset_index(drop=True)
    if table.empty:
        return None
    finished = table[table["finished"]]
    running = table[(table["start"] <= status_date) & (table["end"] >= status_date)]
    current = running.iloc[0] if len(running) else table.iloc[-1]
    last = finished.iloc[-1] if len(finished) else None
    changes = work.status_changes[
        work.status_changes["timestamp"] < status_date + pd.Timedelta(days=1)
    ]
    times = cycle_times(changes)
    p85 = float(cycle_time_percentiles(times)["P85"])
    recent = finished.tail(rules.velocity_sprints)
    average = float(recent["completed"].mean()) if len(recent) else float("nan")
    text = (
        f"{project_id} delivers in sprints. Average velocity over the last "
        f"{plural(len(recent), 'finished sprint')}: {average:.0f} points per sprint. "
        if len(recent)
        else f"{project_id} delivers in sprints; none has finished yet. "
    )
    if pd.notna(p85):
        text += (
            f"85% of items are finished within {p85:.1f} days of being started "
            "(P85 cycle time)."
        )
    if not current["finished"]:
        text += (
            f" Sprint {current['sprint_id']} is in progress: its bars count the "
            "points done so far."
        )
    return AgileStatus(
        velocity=table,
        current_sprint=str(current["sprint_id"]),
        current_sprint_finished=bool(current["finished"]),
        last_finished_sprint=None if last is None else str(last["sprint_id"]),
        last_sprint_completion=(
            float("nan") if last is None else float(last["completion"])
        ),
        average_velocity=average,
        sprints_averaged=len(recent),
        burndown=sprint_burndown(
            work.sprints,
            work.work_items,
            sprint_id=str(current["sprint_id"]),
            as_of=status_date,
        ),
        cycle_times=times,
        cycle_time_p85_days=p85,
        text=text,
    )
