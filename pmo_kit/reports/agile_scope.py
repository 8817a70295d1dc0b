"""
What an agile review covers: an agile or hybrid project, a range of its sprints.

Each function explains a choice that cannot be reviewed in one line naming the
value and what is allowed.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

import pandas as pd

from pmo_kit._errors import ValidationError

if TYPE_CHECKING:
    from pmo_kit.data.portfolio import Portfolio

__all__ = ["agile_project", "chosen_sprints", "sprint_cadence"]


def agile_project(portfolio: Portfolio, project_id: str) -> pd.Series:
    """Return the project's row, or say why it has no agile metrics."""
    project = portfolio.project(project_id)
    sprints = portfolio.sprints
    with_sprints = ", ".join(sorted(set(sprints["project_id"])))
    allowed = f"Allowed: an agile or hybrid project with sprints: {with_sprints}"
    if project["methodology"] not in ("agile", "hybrid"):
        msg = (
            f"{project_id} {project['name']} is run as a {project['methodology']} "
            f"project: it has no sprints, so there are no agile metrics to report. "
            f"{allowed}"
        )
        raise ValidationError(msg)
    if not (sprints["project_id"] == project_id).any():
        msg = (
            f"{project_id} {project['name']} ({project['phase']}) has no sprints yet. "
            f"{allowed}"
        )
        raise ValidationError(msg)
    return project


def chosen_sprints(
    sprints: pd.DataFrame,
    project_id: str,
    first_sprint: str | None,
    last_sprint: str | None,
    status_date: pd.Timestamp,
) -> pd.DataFrame:
    """
    Return the sprints from first to last (start order); explain a bad choice.

    Without ``last_sprint``, the latest sprint that has started by the status date.
    """
    ordered = sprints.sort_values("start", kind="stable").reset_index(drop=True)
    ids = [str(s) for s in ordered["sprint_id"]]
    started = int((ordered["start"] <= status_date).sum())
    if not started:
        msg = (
            f"no sprint of {project_id} has started by its status date "
            f"{status_date:%Y-%m-%d} (the first, {ids[0]}, starts on "
            f"{ordered['start'].iloc[0]:%Y-%m-%d}). Allowed: a project whose sprints "
            "have started"
        )
        raise ValidationError(msg)
    for name, value in (("first_sprint", first_sprint), ("last_sprint", last_sprint)):
        if value and value not in ids:
            msg = (
                f"`{name}` {value!r} is not a sprint of {project_id}. Allowed: one of "
                f"{', '.join(ids)}, or empty"
            )
            raise ValidationError(msg)
        if value and ids.index(value) >= started:
            msg = (
                f"`{name}` {value} starts on "
                f"{ordered['start'].iloc[ids.index(value)]:%Y-%m-%d}, after the status "
                f"date {status_date:%Y-%m-%d}. Allowed: a sprint that has started: "
                f"{', '.join(ids[:started])}, or empty"
            )
            raise ValidationError(msg)
    first = ids.index(first_sprint) if first_sprint else 0
    last = ids.index(last_sprint) if last_sprint else started - 1
    if first > last:
        msg = (
            f"`first_sprint` {ids[first]} comes after `last_sprint` {ids[last]}. "
            "Allowed: a first sprint on or before the last one"
        )
        raise ValidationError(msg)
    return ordered.iloc[first : last + 1]


def sprint_cadence(sprints: pd.DataFrame) -> int:
    """Return the team's cadence: the usual days from one sprint start to the next."""
    starts = pd.to_datetime(sprints["start"]).sort_values()
    steps = starts.diff().dropna().dt.days
    if len(steps):
        return int(steps.median())
    only = sprints.iloc[0]
    return int(math.ceil(((only["end"] - only["start"]).days + 1) / 7) * 7)
