"""
Chart builders (altair): data in, ``alt.Chart`` out.

Builders never display, save or enable themes. Call :func:`pmo_kit.setup_notebook`
once in a notebook to enable the ``pmo`` theme and an offline renderer.
"""

from __future__ import annotations

from pmo_kit.charts._base import RAG_COLORS, register_theme
from pmo_kit.charts.agile import (
    STATUS_COLORS,
    burndown_chart,
    burnup_chart,
    cumulative_flow_chart,
    cycle_time_chart,
    forecast_histogram_chart,
    velocity_chart,
)
from pmo_kit.charts.evm import (
    EVM_COLORS,
    performance_trend_chart,
    portfolio_bubble_chart,
    s_curve_chart,
)
from pmo_kit.charts.portfolio import budget_vs_spend_chart, rag_grid_chart
from pmo_kit.charts.schedule import (
    GANTT_COLORS,
    finish_distribution_chart,
    gantt_chart,
    tornado_chart,
)

__all__ = [
    "EVM_COLORS",
    "GANTT_COLORS",
    "RAG_COLORS",
    "STATUS_COLORS",
    "budget_vs_spend_chart",
    "burndown_chart",
    "burnup_chart",
    "cumulative_flow_chart",
    "cycle_time_chart",
    "finish_distribution_chart",
    "forecast_histogram_chart",
    "gantt_chart",
    "performance_trend_chart",
    "portfolio_bubble_chart",
    "rag_grid_chart",
    "register_theme",
    "s_curve_chart",
    "tornado_chart",
    "velocity_chart",
]
