"""The facts of an agile review as the report states them: header, summary.json."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pandas as pd

from pmo_kit.reports._content import json_records

if TYPE_CHECKING:
    from pmo_kit.reports.agile_metrics import AgileMetrics

__all__ = ["agile_metrics_summary", "forecast_summary", "header_facts"]


def forecast_summary(review: AgileMetrics) -> dict[str, Any] | None:
    """Return the forecast part of ``summary.json`` (None without a forecast)."""
    forecast = review.forecast
    if forecast is None:
        return None
    rows = review.forecasts.set_index("method")["date"]
    average = pd.Timestamp(rows["Average throughput"])
    planned = pd.Timestamp(review.project["planned_finish"])
    return {
        "iterations": review.iterations,
        "seed": review.seed,
        "p50": f"{forecast.date(0.5):%Y-%m-%d}",
        "p85": f"{forecast.date(0.85):%Y-%m-%d}",
        "p95": f"{forecast.date(0.95):%Y-%m-%d}",
        "average_throughput_date": f"{average:%Y-%m-%d}",
        "chance_of_average_date": forecast.chance_by(average),
        "planned_finish": f"{planned:%Y-%m-%d}",
        "chance_of_planned_finish": forecast.chance_by(planned),
    }


def agile_metrics_summary(review: AgileMetrics) -> dict[str, Any]:
    """Return the agile-metrics report's ``summary.json`` content (JSON-ready)."""
    little = review.littles_law
    return {
        "report": "agile-metrics",
        "project_id": review.project_id,
        "project_name": str(review.project["name"]),
        "methodology": str(review.project["methodology"]),
        "status_date": f"{review.status_date:%Y-%m-%d}",
        "first_sprint": review.first_sprint,
        "last_sprint": review.last_sprint,
        "window_start": f"{review.window_start:%Y-%m-%d}",
        "window_end": f"{review.window_end:%Y-%m-%d}",
        "sprints": json_records(
            review.sprints,
            [
                "sprint_id",
                "committed",
                "completed",
                "completion",
                "finished",
                "rag",
            ],
        ),
        "average_velocity": review.average_velocity,
        "recent_velocity": review.recent_velocity,
        "commitment_reliability": review.commitment_reliability,
        "missed_sprints": list(review.missed_sprints),
        "cycle_time_days": {
            k: float(v) for k, v in review.cycle_time_percentiles.items()
        },
        "items_finished": len(review.cycle_times),
        "throughput_per_day": little.throughput_per_day,
        "littles_law": {
            "average_wip": little.average_wip,
            "expected_wip": little.expected_wip,
            "ratio": little.ratio,
        },
        "items_in_progress": len(review.in_progress),
        "items_older_than_p85": review.older_than_p85,
        "remaining_items": review.remaining_items,
        "remaining_points": review.remaining_points,
        "unestimated_items": review.unestimated_items,
        "forecast": forecast_summary(review),
        "narrative": list(review.narrative),
    }


def header_facts(review: AgileMetrics) -> dict[str, str]:
    """Return the facts the report's header shows, by label."""
    project = review.project
    return {
        "Status date": f"{review.status_date:%a %d %b %Y}",
        "Sprints": f"{review.sprint_span} ({review.window_start:%d %b} to "
        f"{review.window_end:%d %b %Y})",
        "Approach": str(project["methodology"]),
        "Sponsor": str(project["sponsor"]),
        "Manager": review.manager,
        "Planned finish": f"{pd.Timestamp(project['planned_finish']):%d %b %Y}",
    }
