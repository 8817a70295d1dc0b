"""
The agile-metrics report as a function: sprints, flow and forecasts of one project.

:func:`agile_metrics` reads one agile or hybrid project's sprints, work items and
status history up to its status date: velocity against commitment, the last
sprint's burndown and burnup, cumulative flow, cycle time percentiles, throughput,
work in progress and Little's law, and a Monte Carlo forecast of when the remaining
backlog will be done. The notebook ``agile-metrics`` only displays the result.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from pmo_kit._errors import ValidationError
from pmo_kit.agile import (
    cumulative_flow,
    cycle_time_percentiles,
    cycle_times,
    forecast_completion,
    littles_law,
    load_flow_tolerances,
    sprint_burndown,
    sprint_burnup,
    throughput,
    velocity,
    work_item_age,
)
from pmo_kit.reports._content import table_view
from pmo_kit.reports.agile_facts import agile_metrics_summary, header_facts
from pmo_kit.reports.agile_scope import agile_project, chosen_sprints, sprint_cadence
from pmo_kit.reports.agile_story import (
    COLUMNS,
    agile_method,
    agile_narrative,
    flow_measures,
    forecast_rows,
)

if TYPE_CHECKING:
    import os
    from collections.abc import Mapping

    from pmo_kit.agile import CompletionForecast, FlowTolerances, LittlesLaw
    from pmo_kit.data.portfolio import Portfolio

__all__ = ["AgileMetrics", "agile_metrics"]

DAY = pd.Timedelta(days=1)


@dataclass(frozen=True)
class AgileMetrics:
    """
    Everything the agile-metrics report shows for one project and range of sprints.

    Attributes
    ----------
    project
        The project's row (``project_id``, ``name``, ``methodology``, ``sponsor``,
        ``planned_finish``, ...).
    manager
        The project manager's name.
    status_date
        The project's status date: nothing after it is counted.
    window_start, window_end
        The first day of the first sprint and the last day counted (the end of
        the last sprint, or the status date when that sprint is running).
    sprints
        Velocity per chosen sprint (see :func:`~pmo_kit.agile.velocity`), plus
        ``state`` (finished / in progress) and ``rag`` (completion against the
        tolerances; empty for a running sprint).
    average_velocity, recent_velocity, commitment_reliability
        Over the finished sprints: mean completed points, mean of the last three,
        completed / committed points (NaN without a finished sprint).
    missed_sprints
        Finished sprints that missed their commitment.
    burndown, burnup
        The last chosen sprint, day by day, up to the status date.
    flow
        Cumulative flow: items per status at the end of each day of the window.
    cycle_times, cycle_time_percentiles
        Items finished in the window and their cycle time percentiles (P50, P85,
        P95, in calendar days).
    daily_throughput, weekly_throughput
        Items finished per day and per week of the window.
    littles_law
        Average WIP measured against throughput x average cycle time.
    flow_measures
        The flow table the report shows (``measure``, ``value``, ``note``).
    in_progress
        Items in progress at the end of the window (``key``, ``summary``,
        ``points``, ``status``, ``started``, ``age_days``) and ``flag`` (red when
        older than the P85 cycle time).
    remaining_items, remaining_points, unestimated_items
        The backlog not done at the end of the window.
    forecast
        The Monte Carlo forecast of the remaining items (None when the backlog
        is empty or nothing was finished).
    forecasts
        Forecast dates side by side (``method``, ``date``, ``how``).
    sprint_days
        The team's sprint cadence in calendar days.
    iterations, seed
        Simulated futures and the seed (the same data gives the same report).
    tolerances
        The tolerances sprints and flow were judged by.
    narrative
        The headlines, one sentence each, ending with the decision needed.
    method
        The method, one Markdown paragraph each.
    """

    project: pd.Series
    manager: str
    status_date: pd.Timestamp
    window_start: pd.Timestamp
    window_end: pd.Timestamp
    sprints: pd.DataFrame
    average_velocity: float
    recent_velocity: float
    commitment_reliability: float
    missed_sprints: list[str]
    burndown: pd.DataFrame
    burnup: pd.DataFrame
    flow: pd.DataFrame
    cycle_times: pd.DataFrame
    cycle_time_percentiles: pd.Series
    daily_throughput: pd.Series
    weekly_throughput: pd.Series
    littles_law: LittlesLaw
    flow_measures: pd.DataFrame
    in_progress: pd.DataFrame
    remaining_items: int
    remaining_points: float
    unestimated_items: int
    forecast: CompletionForecast | None
    forecasts: pd.DataFrame
    sprint_days: int
    iterations: int
    seed: int
    tolerances: FlowTolerances
    narrative: list[str]
    method: tuple[str, ...]

    @property
    def project_id(self) -> str:
        """The project's id."""
        return str(self.project["project_id"])

    @property
    def first_sprint(self) -> str:
        """The first sprint reviewed."""
        return str(self.sprints["sprint_id"].iloc[0])

    @property
    def last_sprint(self) -> str:
        """The last sprint reviewed."""
        return str(self.sprints["sprint_id"].iloc[-1])

    @property
    def finished(self) -> pd.DataFrame:
        """The finished sprints among those reviewed."""
        return self.sprints[self.sprints["finished"]]

    @property
    def older_than_p85(self) -> list[str]:
        """Items in progress for longer than the P85 cycle time."""
        return [
            str(k)
            for k in self.in_progress.loc[self.in_progress["flag"] == "red", "key"]
        ]

    def view(self, table: str) -> pd.DataFrame:
        """Return a table as the report shows it: its columns, dates as text."""
        if table not in COLUMNS:
            msg = (
                f"{table!r} is not a table of the report. Allowed: {', '.join(COLUMNS)}"
            )
            raise ValidationError(msg)
        return table_view(
            getattr(self, table), COLUMNS[table], date_format="%a %d %b %Y"
        )

    @property
    def sprint_span(self) -> str:
        """The sprints reviewed, as ``'S01 to S08'`` (or one id)."""
        first, last = self.first_sprint, self.last_sprint
        return first if first == last else f"{first} to {last}"

    @property
    def header(self) -> dict[str, str]:
        """The facts the report's header shows, by label."""
        return header_facts(self)

    @property
    def burndown_title(self) -> str:
        """The burndown's title: the last sprint, and the day when it is running."""
        running = not self.sprints["finished"].iloc[-1]
        return f"Sprint {self.last_sprint} burndown" + (
            f" (in progress, to {self.status_date:%d %b})" if running else ""
        )

    def summary(self) -> dict[str, Any]:
        """Return the report's ``summary.json`` content (JSON-ready)."""
        return agile_metrics_summary(self)


def agile_metrics(
    portfolio: Portfolio,
    project_id: str,
    *,
    first_sprint: str | None = None,
    last_sprint: str | None = None,
    iterations: int = 10_000,
    seed: int = 2026,
    tolerances: FlowTolerances
    | str
    | os.PathLike[str]
    | Mapping[str, object]
    | None = None,
) -> AgileMetrics:
    """
    Review one agile or hybrid project's sprints and flow up to its status date.

    Parameters
    ----------
    portfolio
        The organisation (a :class:`~pmo_kit.Portfolio`).
    project_id
        An agile or hybrid project with sprints.
    first_sprint, last_sprint
        The sprints to review (ids such as ``'S03'``); empty or None for the first
        and the latest. Flow, cycle time and the backlog are taken as they stood
        at the end of the last one (or the status date, if earlier).
    iterations, seed
        Simulated futures of the forecast, and its seed.
    tolerances
        When a sprint missed its commitment and when a flow is stable: a
        :class:`~pmo_kit.agile.FlowTolerances`, a YAML file or a mapping (default:
        the shipped ``flow_tolerances.yaml``).

    Returns
    -------
    AgileMetrics
        Every table, figure, forecast and sentence of the report;
        ``.summary()`` gives its ``summary.json``.

    Raises
    ------
    ValidationError
        An unknown project, a predictive project or one without sprints yet, an
        unknown sprint, a first sprint after the last, or one that has not
        started by the status date.

    Examples
    --------
    >>> from pmo_kit import load_portfolio
    >>> review = agile_metrics(load_portfolio(), "P-005", last_sprint="S05")
    >>> review.missed_sprints, review.window_end.date().isoformat()
    (['S05'], '2026-05-22')
    """
    rules = load_flow_tolerances(tolerances)
    project = agile_project(portfolio, project_id)
    work = portfolio.for_project(project_id)
    status_date = pd.Timestamp(project["status_date"])
    chosen = chosen_sprints(
        work.sprints, project_id, first_sprint, last_sprint, status_date
    )
    window_start = chosen["start"].iloc[0]
    window_end = min(chosen["end"].iloc[-1], status_date)
    table = velocity(work.sprints, work.work_items, as_of=status_date)
    table = table[table["sprint_id"].isin(chosen["sprint_id"])].reset_index(drop=True)
    table["dates"] = [
        f"{a:%d %b} to {b:%d %b}"
        for a, b in zip(table["start"], table["end"], strict=True)
    ]
    table["state"] = np.where(table["finished"], "finished", "in progress")
    table["rag"] = [
        rules.sprint_rag(c) if done else ""
        for c, done in zip(table["completion"], table["finished"], strict=True)
    ]
    finished = table[table["finished"]]
    # flow: only what had happened by the end of the window
    changes = work.status_changes[work.status_changes["timestamp"] < window_end + DAY]
    times = cycle_times(changes)
    times = times[times["done"] >= window_start].reset_index(drop=True)
    percentiles = (
        cycle_time_percentiles(times)
        if len(times)
        else pd.Series(np.nan, index=["P50", "P85", "P95"])
    )
    daily = throughput(changes, start=window_start, end=window_end)
    weekly = throughput(changes, freq="W", start=window_start, end=window_end)
    little = littles_law(changes, start=window_start, end=window_end)
    ageing = work_item_age(changes, as_of=window_end).merge(
        work.work_items[["key", "summary", "points"]], on="key"
    )
    ageing["flag"] = np.where(ageing["age_days"] > percentiles["P85"], "red", "green")
    # the remaining backlog at the end of the window
    items = work.work_items[work.work_items["created"] < window_end + DAY]
    open_items = items[~(items["resolved"] < window_end + DAY)]
    remaining = len(open_items)
    forecast = (
        forecast_completion(
            daily,
            items=remaining,
            iterations=iterations,
            seed=seed,
            start=window_end + DAY,
        )
        if remaining and daily.sum() > 0
        else None
    )
    last = table.iloc[-1]
    day_by_day = {"sprint_id": last["sprint_id"], "as_of": status_date}
    managers = portfolio.resources.set_index("resource_id")["name"]
    review = AgileMetrics(
        project=project,
        manager=str(managers.get(project["manager"], project["manager"])),
        status_date=status_date,
        window_start=window_start,
        window_end=window_end,
        sprints=table,
        average_velocity=float(finished["completed"].mean())
        if len(finished)
        else math.nan,
        recent_velocity=float(finished["completed"].tail(3).mean())
        if len(finished)
        else math.nan,
        commitment_reliability=float(
            finished["completed"].sum() / finished["committed"].sum()
        )
        if len(finished)
        else math.nan,
        missed_sprints=[
            str(s)
            for s, c in zip(finished["sprint_id"], finished["completion"], strict=True)
            if rules.missed(c)
        ],
        burndown=sprint_burndown(work.sprints, work.work_items, **day_by_day),
        burnup=sprint_burnup(work.sprints, work.work_items, **day_by_day),
        flow=cumulative_flow(changes, start=window_start, end=window_end),
        cycle_times=times,
        cycle_time_percentiles=percentiles,
        daily_throughput=daily,
        weekly_throughput=weekly,
        littles_law=little,
        flow_measures=flow_measures(little, weekly, rules),
        in_progress=ageing[
            ["key", "summary", "points", "status", "started", "age_days", "flag"]
        ],
        remaining_items=remaining,
        remaining_points=float(open_items["points"].sum()),
        unestimated_items=int(open_items["points"].isna().sum()),
        forecast=forecast,
        forecasts=pd.DataFrame(),
        sprint_days=sprint_cadence(work.sprints),
        iterations=iterations,
        seed=seed,
        tolerances=rules,
        narrative=[],
        method=(),
    )
    review = replace(review, forecasts=forecast_rows(review))
    return replace(
        review, narrative=agile_narrative(review, work), method=agile_method(review)
    )
