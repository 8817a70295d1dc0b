"""
The weekly status of one project, as a sponsor reads it: :func:`project_status`.

RAG per area (schedule, cost, scope, risk and overall) with the reason for each, the
decisions needed, what changed since the previous status, earned value with its
meaning, milestones due and slipped, the top risks (opportunities apart), and for
agile and hybrid projects the sprints and flow. Everything holds as of the status
date. The ``project-status`` report notebook only displays the result.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, ClassVar

import pandas as pd

from pmo_kit._errors import ValidationError
from pmo_kit.agile import FlowTolerances, load_flow_tolerances
from pmo_kit.evm import (
    DEFAULT_RAG,
    PERFORMANCE_COLUMNS,
    RagRules,
    RagThresholds,
    project_performance,
    worst_rag,
)
from pmo_kit.reports._status_agile import AgileStatus, agile_status
from pmo_kit.reports._status_areas import (
    AreaStatus,
    milestone_forecast,
    risk_area,
    risk_picture,
    scope_area,
    tasks_as_of,
)
from pmo_kit.reports._status_evm import evm_areas, status_date_for
from pmo_kit.reports._status_rules import StatusRules, load_status_rules
from pmo_kit.reports._status_summary import status_summary
from pmo_kit.reports._status_text import (
    change_texts,
    decision_texts,
    evm_table,
    method_texts,
)
from pmo_kit.risk import ORDINAL_5X5, RiskMatrix, get_matrix

if TYPE_CHECKING:
    from pmo_kit.data.portfolio import Portfolio
    from pmo_kit.schedule.calendar import DateLike

__all__ = [
    "AgileStatus",
    "AreaStatus",
    "ProjectStatus",
    "StatusRules",
    "load_status_rules",
    "project_status",
]

_MILESTONE_COLUMNS = [
    "task_id", "name", "baseline_finish", "forecast_finish", "slip_days", "done",
    "state", "rag",
]  # fmt: skip


@dataclass(frozen=True)
class ProjectStatus:
    """
    Everything the weekly status report of one project shows.

    Tables are DataFrames; ``areas`` maps overall, schedule, cost, scope and risk to
    an :class:`AreaStatus` (colour and reason); ``performance`` is one row per
    status date up to this one (:func:`pmo_kit.evm.project_performance`: the
    S-curve and trend charts take it as it is).
    """

    project_id: str
    project_name: str
    methodology: str
    phase: str
    state: str
    sponsor: str
    manager: str
    currency: str
    bac: float
    start: pd.Timestamp
    planned_finish: pd.Timestamp
    status_date: pd.Timestamp
    previous_status_date: pd.Timestamp | None
    areas: dict[str, AreaStatus]
    decisions: tuple[str, ...]
    changes: tuple[str, ...]
    performance: pd.DataFrame
    evm: pd.DataFrame
    forecast_finish: pd.Timestamp | None
    network_forecast_finish: pd.Timestamp | None
    milestones: pd.DataFrame
    milestones_due: pd.DataFrame
    milestones_slipped: pd.DataFrame
    milestone_window_end: pd.Timestamp
    top_risks: pd.DataFrame
    opportunities: pd.DataFrame
    agile: AgileStatus | None
    method: tuple[str, ...]
    matrix: str
    rules: StatusRules = field(default_factory=StatusRules)
    rag_rules: RagRules = field(default_factory=RagRules)

    #: Column headings of the report's tables (the columns shown, in order).
    LABELS: ClassVar[dict[str, dict[str, str]]] = {
        "areas": {"area": "", "rag": "Status", "why": "Why"},
        "evm": {"measure": "", "value": "Value", "meaning": "What it means"},
        "milestones": {
            "task_id": "Task",
            "name": "Milestone",
            "baseline_finish": "Baseline",
            "forecast_finish": "Actual / forecast",
            "state": "",
            "slip_days": "Slip (working days)",
            "rag": "Status",
        },
        "risks": {
            "risk_id": "Risk",
            "title": "",
            "scoring": "Score (P x I)",
            "rating_rag": "Rating",
            "residual_rating": "",
            "owner_name": "Owner",
            "response_strategy": "Response",
            "proximity": "When",
            "review": "Last review",
        },
    }

    def shown(self, table: str) -> pd.DataFrame:
        """
        Return a table with the columns the report shows, in order.

        ``table`` is ``milestones_due``, ``milestones_slipped``, ``top_risks``,
        ``opportunities`` or ``evm``; headings are in :attr:`LABELS`.
        """
        kinds = {
            "milestones_due": "milestones",
            "milestones_slipped": "milestones",
            "top_risks": "risks",
            "opportunities": "risks",
            "evm": "evm",
        }
        if table not in kinds:
            msg = f"{table!r} is not a table of the status. Known: {', '.join(kinds)}"
            raise ValidationError(msg)
        frame: pd.DataFrame = getattr(self, table)
        columns = list(self.LABELS[kinds[table]])
        if table == "opportunities":
            columns.remove("rating_rag")  # an opportunity is never coloured a threat
        return frame[columns]

    @property
    def rag(self) -> dict[str, str]:
        """Colour per area (overall first)."""
        return {area: s.rag for area, s in self.areas.items()}

    @property
    def reasons(self) -> dict[str, str]:
        """Reason per area (overall first)."""
        return {area: s.reason for area, s in self.areas.items()}

    def rag_table(self) -> pd.DataFrame:
        """One row per area: ``area``, ``rag``, ``why``."""
        return pd.DataFrame(
            {
                "area": [a.capitalize() for a in self.areas],
                "rag": [s.rag for s in self.areas.values()],
                "why": [s.reason for s in self.areas.values()],
            }
        )

    def header(self) -> dict[str, str]:
        """Return the report header's fields, as shown."""
        phase = self.phase + (f" ({self.state})" if self.state != "in progress" else "")
        return {
            "Week ending": f"{self.status_date:%a %d %b %Y}",
            "Sponsor": self.sponsor,
            "Manager": self.manager,
            "Approach": self.methodology,
            "Phase": phase,
            "Budget (BAC)": f"{self.currency} {self.bac:,.0f}",
            "Planned finish": f"{self.planned_finish:%d %b %Y}",
        }

    def summary(self) -> dict[str, Any]:
        """Return the content of the report's ``summary.json``."""
        return status_summary(self)


def project_status(
    portfolio: Portfolio,
    project_id: str,
    *,
    as_of: DateLike | None = None,
    rules: StatusRules | None = None,
    rag_rules: RagThresholds | RagRules = DEFAULT_RAG,
    matrix: RiskMatrix | str = ORDINAL_5X5,
    tolerances: FlowTolerances | None = None,
) -> ProjectStatus:
    """
    Return the weekly status of one project, true as of its status date.

    Parameters
    ----------
    portfolio
        The organisation's data (:func:`pmo_kit.load_portfolio`).
    project_id
        The project to report on.
    as_of
        Status date; the report is on the last weekly status row on or before it
        (before the first row: no earned value yet). Default: the latest.
    rules
        Thresholds for scope, risk and milestones (default: the shipped
        ``status_rules.yaml``, see :func:`load_status_rules`).
    rag_rules
        Schedule (SPI(t)) and cost (CPI) bands (:func:`pmo_kit.evm.load_rag_rules`).
    matrix
        The register's risk matrix: ratings, the high band and review cadences.
    tolerances
        When a sprint missed its commitment (agile and hybrid projects), the same
        bands as the agile-metrics report (default: the shipped
        ``flow_tolerances.yaml``, see :func:`pmo_kit.agile.load_flow_tolerances`).

    Returns
    -------
    ProjectStatus

    Raises
    ------
    ValidationError
        The project is unknown (the message lists the known ones), or ``as_of`` is
        not a date or is after the latest status.
    """
    project = portfolio.project(project_id)
    rules = load_status_rules() if rules is None else rules
    tolerances = load_flow_tolerances(tolerances)
    grid = get_matrix(matrix)
    bands = RagRules.coerce(rag_rules)
    work = portfolio.for_project(project_id)
    history = work.status.sort_values("status_date").reset_index(drop=True)
    status_date = status_date_for(history, project, as_of)
    history = history[history["status_date"] <= status_date].reset_index(drop=True)
    start = pd.Timestamp(project["start"])
    planned_finish = pd.Timestamp(project["planned_finish"])
    recorded = pd.Timestamp(project["status_date"])
    if project["phase"] == "closed" and status_date >= recorded:
        state = "closed"
    elif status_date < start:
        state = "not started"
    else:
        state = "in progress"
    people = portfolio.resources.set_index("resource_id")["name"]
    currency = portfolio.currency

    if len(history):
        performance = project_performance(
            history,
            bac=float(project["budget"]),
            planned_finish=planned_finish,
            start=start,
            thresholds=bands,
        )
    else:
        performance = pd.DataFrame(columns=list(PERFORMANCE_COLUMNS))
    now = performance.iloc[-1] if len(performance) else None
    before = performance.iloc[-2] if len(performance) > 1 else None
    previous_date = pd.Timestamp(before["status_date"]) if before is not None else start

    tasks = tasks_as_of(work.tasks, status_date, recorded)
    milestones, network_finish = milestone_forecast(
        tasks,
        work.dependencies,
        start=start,
        status_date=status_date,
        amber_slip_days=rules.milestone_amber_slip_days,
    )
    horizon = status_date + pd.Timedelta(weeks=rules.milestone_window_weeks)
    milestones = milestones.reset_index()
    milestones["state"] = [
        "achieved" if done else ("overdue" if base <= status_date else "forecast")
        for done, base in zip(
            milestones["done"], milestones["baseline_finish"], strict=True
        )
    ]
    milestones = milestones[_MILESTONE_COLUMNS]
    due = milestones[
        ~milestones["done"]
        & (
            (milestones["baseline_finish"] <= horizon)
            | (milestones["forecast_finish"] <= horizon)
        )
    ].assign(state=lambda m: m["state"].replace({"forecast": "due"}))
    slipped = milestones[milestones["slip_days"] > 0]

    picture = risk_picture(
        work.risks, as_of=status_date, people=people, matrix=grid, rules=rules
    )
    agile = (
        agile_status(work, project_id, status_date, rules)
        if project["methodology"] in ("agile", "hybrid")
        else None
    )
    last_sprint = None
    if agile is not None and agile.last_finished_sprint is not None:
        table = agile.velocity
        last_sprint = table[table["sprint_id"] == agile.last_finished_sprint].iloc[-1]
    charter = portfolio.charters.get(project_id)

    areas = evm_areas(
        now, state=state, project=project, history=history, currency=currency
    )
    areas["scope"] = scope_area(
        picture,
        charter=charter,
        last_sprint=last_sprint,
        matrix=grid,
        rules=rules,
        tolerances=tolerances,
    )
    areas["risk"] = risk_area(picture, matrix=grid, rules=rules)
    overall = str(worst_rag(*(pd.Series([a.rag]) for a in areas.values())).iloc[0])
    worst = [area for area, a in areas.items() if a.rag == overall]
    why = f"the worst of the four: {', '.join(worst)}"
    grey = [area for area, a in areas.items() if a.rag == "grey"]
    if grey and overall != "grey":
        why += f" ({' and '.join(grey)} not measured)"
    areas = {"overall": AreaStatus(overall, why), **areas}

    decisions = decision_texts(
        project=project,
        status_date=status_date,
        now=now,
        areas=areas,
        currency=currency,
        network_finish=network_finish,
        picture=picture,
        charter=charter,
        last_sprint=last_sprint,
        rules=rules,
        tolerances=tolerances,
    )
    changes = change_texts(
        project_id=project_id,
        now=now,
        before=before,
        status_date=status_date,
        previous_date=previous_date,
        currency=currency,
        milestones=milestones,
        picture=picture,
    )
    evm = (
        evm_table(
            now,
            currency=currency,
            planned_finish=planned_finish,
            network_finish=network_finish,
            tcpi_margin=rules.tcpi_margin,
        )
        if now is not None
        else pd.DataFrame(columns=["measure", "value", "meaning"])
    )
    return ProjectStatus(
        project_id=project_id,
        project_name=str(project["name"]),
        methodology=str(project["methodology"]),
        phase=str(project["phase"]),
        state=state,
        sponsor=str(project["sponsor"]),
        manager=str(people.get(project["manager"], project["manager"])),
        currency=currency,
        bac=float(project["budget"]),
        start=start,
        planned_finish=planned_finish,
        status_date=status_date,
        previous_status_date=(
            pd.Timestamp(before["status_date"]) if before is not None else None
        ),
        areas=areas,
        decisions=tuple(decisions),
        changes=tuple(changes),
        performance=performance,
        evm=evm,
        forecast_finish=(
            pd.Timestamp(now["forecast_finish"])
            if now is not None and pd.notna(now["forecast_finish"])
            else None
        ),
        network_forecast_finish=network_finish,
        milestones=milestones.reset_index(drop=True),
        milestones_due=due.reset_index(drop=True),
        milestones_slipped=slipped.reset_index(drop=True),
        milestone_window_end=horizon,
        top_risks=picture.top,
        opportunities=picture.opportunities,
        agile=agile,
        method=tuple(
            method_texts(
                rules=rules, tolerances=tolerances, matrix=grid, rag_rules=bands
            )
        ),
        matrix=grid.name,
        rules=rules,
        rag_rules=bands,
    )
