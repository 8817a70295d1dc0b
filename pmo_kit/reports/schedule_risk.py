"""
The schedule risk analysis (report ``schedule-risk``): :func:`schedule_risk`.

When will the project finish, and how sure can we be? The forecast of the
remaining work from the status date, a Monte Carlo simulation of it, the P50 and
P-confidence dates against the planned finish with the chance of meeting it,
the tasks that drive the date, the milestones and how far they slipped, the
narrative and the method.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import pandas as pd

from pmo_kit._errors import ValidationError
from pmo_kit.evm import DEFAULT_RAG, project_performance
from pmo_kit.reports._content import json_records
from pmo_kit.reports._status_rules import StatusRules, load_status_rules
from pmo_kit.schedule import (
    MonteCarloResult,
    critical_path,
    monte_carlo,
    remaining_work,
    slippage,
)
from pmo_kit.schedule.narrative import schedule_method, schedule_narrative, slip_rag

if TYPE_CHECKING:
    import os
    from collections.abc import Mapping

    from pmo_kit.data.inputs import DateLike
    from pmo_kit.data.portfolio import Portfolio

__all__ = ["ScheduleRisk", "schedule_risk"]

#: Seed of the simulation: the same data and parameters give the same report.
SEED = 2026
_DRIVERS = 5
_MILESTONE_COLUMNS = ["task_id", "name", "baseline_finish", "forecast_finish"]


@dataclass(frozen=True)
class ScheduleRisk:
    """
    Everything the schedule-risk report shows for one project.

    ``forecast`` (the critical path of the remaining work, with dates) and
    ``tasks`` feed the Gantt chart; ``simulation`` the finish distribution and
    the tornado. ``figures``, ``drivers`` and ``milestones`` are the report's
    tables; dates are timestamps, slips working days.
    """

    project_id: str
    project_name: str
    title: str
    facts: dict[str, object]
    status_date: pd.Timestamp
    planned_finish: pd.Timestamp
    tasks: pd.DataFrame
    forecast: pd.DataFrame
    simulation: MonteCarloResult
    confidence: float
    seed: int | None
    forecast_finish: pd.Timestamp
    p50: pd.Timestamp
    p_confidence: pd.Timestamp
    probability_on_time: float
    figures: pd.DataFrame
    drivers: pd.DataFrame
    milestones: pd.DataFrame
    critical_path: tuple[str, ...]
    tasks_done: int
    tasks_in_progress: int
    spi: float | None
    spi_t: float | None
    amber_days: int
    narrative: list[str]
    method: list[str]

    @property
    def label(self) -> str:
        """Name of the confidence level, e.g. ``"P80"``."""
        return f"P{round(self.confidence * 100)}"

    def summary(self) -> dict[str, Any]:
        """Return the content of the report's ``summary.json``."""
        slips = self.figures["vs_plan"].tolist()
        return {
            "report": "schedule-risk",
            "project_id": self.project_id,
            "project_name": self.project_name,
            "status_date": f"{self.status_date:%Y-%m-%d}",
            "planned_finish": f"{self.planned_finish:%Y-%m-%d}",
            "deterministic_finish": f"{self.forecast_finish:%Y-%m-%d}",
            "deterministic_slip_days": int(slips[1]),
            "p50": f"{self.p50:%Y-%m-%d}",
            "p50_slip_days": int(slips[2]),
            "confidence": self.confidence,
            "p_confidence": f"{self.p_confidence:%Y-%m-%d}",
            "p_confidence_slip_days": int(slips[3]),
            "probability_on_time": self.probability_on_time,
            "iterations": self.simulation.iterations,
            "seed": self.seed,
            "tasks": len(self.tasks),
            "tasks_done": self.tasks_done,
            "tasks_in_progress": self.tasks_in_progress,
            "spi": self.spi,
            "spi_t": self.spi_t,
            "amber_days": self.amber_days,
            "critical_path": list(self.critical_path),
            "top_drivers": json_records(
                self.drivers, ["task_id", "name", "criticality", "correlation"]
            ),
            "milestones": [
                {**row, "done": row["state"] == "done"}
                for row in json_records(
                    self.milestones, [*_MILESTONE_COLUMNS, "state", "slip_days"]
                )
            ],
            "narrative": list(self.narrative),
        }


def _rules(
    rules: StatusRules | str | os.PathLike[str] | Mapping[str, Any] | None,
) -> StatusRules:
    return rules if isinstance(rules, StatusRules) else load_status_rules(rules)


def _pace(
    portfolio: Portfolio, project: pd.Series
) -> tuple[float | None, float | None, bool]:
    """SPI and SPI(t) at the project's last status row, and whether it is behind."""
    status = portfolio.status[portfolio.status["project_id"] == project["project_id"]]
    status = status[status["status_date"] <= project["status_date"]]
    if status.empty:
        return None, None, False
    perf = project_performance(
        status,
        bac=float(project["budget"]),
        planned_finish=project["planned_finish"],
        start=project["start"],
    )
    last = perf.iloc[-1]
    spi = float(last["spi"]) if pd.notna(last["spi"]) else None
    spi_t = float(last["spi_t"]) if pd.notna(last["spi_t"]) else None
    behind = spi_t is not None and spi_t < DEFAULT_RAG.green_low
    return spi, spi_t, behind


def _no_work_left(portfolio: Portfolio, project: pd.Series) -> ValidationError:
    projects = portfolio.projects
    others = projects.loc[projects["phase"] != "closed", "project_id"]
    msg = (
        f"{project['project_id']} has no work left after its status date "
        f"{project['status_date']:%Y-%m-%d}: every task is finished (phase "
        f"{project['phase']}), so there is nothing to forecast. Allowed: a project "
        f"with work remaining, such as {', '.join(others)}"
    )
    return ValidationError(msg)


def schedule_risk(
    portfolio: Portfolio,
    project_id: str,
    *,
    iterations: int = 10_000,
    confidence: float = 0.8,
    seed: int | None = SEED,
    rules: StatusRules | str | os.PathLike[str] | Mapping[str, Any] | None = None,
) -> ScheduleRisk:
    """
    Forecast a project's finish from its status date and say how sure it is.

    Parameters
    ----------
    portfolio
        The organisation (:func:`pmo_kit.load_portfolio`).
    project_id
        The project, such as ``"P-002"``; it needs work left after its status date.
    iterations
        Monte Carlo runs.
    confidence
        Confidence of the committed date (0.8 gives the P80 date), 0 to 1.
    seed
        Random seed (fixed by default: same data, same report).
    rules
        The status rules (a file or mapping read by ``load_status_rules``, or
        ``None`` for the shipped ``status_rules.yaml``). Their
        ``milestone_amber_slip_days`` is the slip in working days still rated
        amber (10 by default), the same rule as the status report's.

    Returns
    -------
    ScheduleRisk

    Raises
    ------
    ValidationError
        An unknown project, a project with no work left (closed or finished),
        or a parameter out of its range.
    """
    amber_days = _rules(rules).milestone_amber_slip_days
    project = portfolio.project(project_id)
    work = portfolio.for_project(project_id)
    tasks, links = work.tasks, work.dependencies
    names = tasks.set_index("task_id")["name"]
    status_date, start = project["status_date"], project["start"]
    planned_finish = project["planned_finish"]
    remaining, not_before = remaining_work(tasks, status_date=status_date, start=start)
    if not (remaining["duration"] > 0).any():
        raise _no_work_left(portfolio, project)
    forecast = critical_path(
        remaining, links, start=start, start_no_earlier_than=not_before
    )
    bounds: dict[str, int | DateLike] = dict(not_before)
    simulation = monte_carlo(
        remaining,
        links,
        iterations=iterations,
        seed=seed,
        start=start,
        start_no_earlier_than=bounds,
    )
    calendar = simulation.calendar
    forecast_finish = forecast.attrs["project_finish_date"]
    p50 = simulation.percentile_date(0.5)
    p_confidence = simulation.percentile_date(confidence)
    on_time = simulation.probability_by(planned_finish)
    label = f"P{round(confidence * 100)}"
    figures = pd.DataFrame(
        {
            "measure": [
                "Planned finish (baseline)",
                "Forecast, if the remaining work takes its planned durations",
                "P50: as likely to be met as missed",
                f"{label}: met in {confidence:.0%} of the simulated runs",
            ],
            "date": [planned_finish, forecast_finish, p50, p_confidence],
        }
    )
    plan_offset = calendar.offset_of(start, planned_finish)
    figures["vs_plan"] = [
        calendar.offset_of(start, day) - plan_offset for day in figures["date"]
    ]
    figures["rag"] = [slip_rag(d, amber_days=amber_days) for d in figures["vs_plan"]]
    figures.loc[0, "rag"] = ""  # the baseline itself has no status
    done = int(tasks["actual_finish"].notna().sum())
    in_progress = int(
        (tasks["actual_start"].notna() & tasks["actual_finish"].isna()).sum()
    )
    sensitivity = simulation.sensitivity
    drivers = sensitivity[sensitivity["correlation"] > 0].head(_DRIVERS)
    estimates = remaining.set_index("task_id")[
        ["duration", "optimistic", "pessimistic"]
    ]
    drivers = drivers.join(names).join(estimates)
    drivers["estimate"] = [
        f"{o:.0f} / {d:.0f} / {p:.0f}"
        for o, d, p in zip(
            drivers["optimistic"],
            drivers["duration"],
            drivers["pessimistic"],
            strict=True,
        )
    ]
    drivers = drivers.rename_axis("task_id").reset_index()[
        ["task_id", "name", "estimate", "criticality", "correlation"]
    ]
    actual_finish = tasks.set_index("task_id")["actual_finish"]
    as_built = forecast.assign(
        early_finish_date=actual_finish.reindex(forecast.index).fillna(
            forecast["early_finish_date"]
        )
    )
    slipped = slippage(tasks, as_built, calendar=calendar)
    slipped = slipped[slipped["milestone"]].sort_values("baseline_finish")
    finished = actual_finish.reindex(slipped.index).notna().to_numpy()
    milestones = slipped.rename_axis("task_id").reset_index()
    milestones["state"] = ["done" if f else "forecast" for f in finished]
    milestones["slip_days"] = milestones["slip_days"].astype("int64")
    milestones["rag"] = [
        slip_rag(d, amber_days=amber_days) for d in milestones["slip_days"]
    ]
    milestones = milestones[[*_MILESTONE_COLUMNS, "state", "slip_days", "rag"]]
    unfinished = actual_finish.reindex(forecast.index).isna()
    critical = tuple(str(t) for t in forecast.index[forecast["critical"] & unfinished])
    spi, spi_t, behind = _pace(portfolio, project)
    upcoming = milestones[milestones["state"] == "forecast"]
    manager = portfolio.resources.set_index("resource_id")["name"].get(
        project["manager"], project["manager"]
    )
    narrative = schedule_narrative(
        status_date=status_date,
        tasks=len(tasks),
        done=done,
        in_progress=in_progress,
        planned_finish=planned_finish,
        forecast_finish=forecast_finish,
        slip_days=int(figures["vs_plan"].iloc[1]),
        p50=p50,
        p_confidence=p_confidence,
        confidence=confidence,
        iterations=simulation.iterations,
        probability_on_time=on_time,
        next_milestone=upcoming.iloc[0] if len(upcoming) else None,
        drivers=[
            f"{t} {n}" for t, n in zip(drivers["task_id"], drivers["name"], strict=True)
        ],
        spi_t=spi_t,
        behind_schedule=behind,
    )
    return ScheduleRisk(
        project_id=str(project["project_id"]),
        project_name=str(project["name"]),
        title=f"{project['project_id']} {project['name']}: schedule risk",
        facts={
            "Status date": f"{status_date:%a %d %b %Y}",
            "Planned finish": f"{planned_finish:%a %d %b %Y}",
            "Sponsor": project["sponsor"],
            "Manager": manager,
            "Phase": project["phase"],
        },
        status_date=status_date,
        planned_finish=planned_finish,
        tasks=tasks,
        forecast=forecast,
        simulation=simulation,
        confidence=float(confidence),
        seed=seed,
        forecast_finish=forecast_finish,
        p50=p50,
        p_confidence=p_confidence,
        probability_on_time=on_time,
        figures=figures,
        drivers=drivers,
        milestones=milestones,
        critical_path=critical,
        tasks_done=done,
        tasks_in_progress=in_progress,
        spi=spi,
        spi_t=spi_t,
        amber_days=amber_days,
        narrative=narrative,
        method=schedule_method(confidence=confidence, amber_days=amber_days),
    )
