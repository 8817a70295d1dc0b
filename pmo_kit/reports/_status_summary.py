"""The ``summary.json`` of the project status report, from a :class:`ProjectStatus`."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from pmo_kit.reports._content import json_records, json_value
from pmo_kit.reports._status_agile import agile_summary

if TYPE_CHECKING:
    from pmo_kit.reports.project_status import ProjectStatus

__all__ = ["status_summary"]


def status_summary(status: ProjectStatus) -> dict[str, Any]:
    """
    Return the content of the report's ``summary.json``.

    The keys of the notebook-era report are kept (figures of the last status row,
    ``rag``, ``rag_reasons``, milestones, ``top_risks`` of threats, ``agile``,
    ``decisions``, ``changes``); added: ``phase``, ``state``, ``currency``,
    ``opportunities``, ``matrix``. A figure that cannot be measured is None.
    """
    now = status.performance.iloc[-1] if len(status.performance) else None

    def figure(column: str) -> Any:
        return None if now is None else json_value(now[column])

    due = status.milestones_due
    top = status.top_risks
    return {
        "report": "project-status",
        "project_id": status.project_id,
        "project_name": status.project_name,
        "methodology": status.methodology,
        "phase": status.phase,
        "state": status.state,
        "currency": status.currency,
        "status_date": json_value(status.status_date),
        "previous_status_date": json_value(status.previous_status_date),
        "planned_finish": json_value(status.planned_finish),
        "rag": status.rag,
        "rag_reasons": status.reasons,
        "bac": status.bac,
        **{k: figure(k) for k in ("pv", "ev", "ac", "sv", "cv", "spi", "cpi")},
        "spi_t": figure("spi_t"),
        "es_weeks": figure("es"),
        "at_weeks": figure("at"),
        "eac": figure("eac_cpi"),
        "eacs": {
            "cpi": figure("eac_cpi"),
            "remaining_at_budget": figure("eac_remaining_at_budget"),
            "cpi_spi": figure("eac_cpi_spi"),
        },
        "etc": figure("etc"),
        "vac": figure("vac"),
        "tcpi_bac": figure("tcpi_bac"),
        "forecast_finish": json_value(status.forecast_finish),
        "network_forecast_finish": json_value(status.network_forecast_finish),
        "milestones_due": json_records(
            due.assign(overdue=due["state"] == "overdue"),
            [
                "task_id",
                "name",
                "baseline_finish",
                "forecast_finish",
                "slip_days",
                "overdue",
            ],
        ),
        "milestones_slipped": json_records(
            status.milestones_slipped, ["task_id", "name", "done", "slip_days"]
        ),
        "top_risks": json_records(
            top.drop(columns="owner").rename(
                columns={"residual_score": "score", "owner_name": "owner"}
            ),
            [
                "risk_id",
                "title",
                "type",
                "score",
                "owner",
                "review_overdue",
                "residual_rating",
            ],
        ),
        "opportunities": json_records(
            status.opportunities.drop(columns="owner").rename(
                columns={"residual_score": "score", "owner_name": "owner"}
            ),
            ["risk_id", "title", "score", "residual_rating", "owner"],
        ),
        "agile": None if status.agile is None else agile_summary(status.agile),
        "decisions": list(status.decisions),
        "changes": list(status.changes),
        "matrix": status.matrix,
    }
