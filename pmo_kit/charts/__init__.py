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
    s_curve_chart,
)
from pmo_kit.charts.governance import (
    RESULT_COLORS,
    SEVERITY_COLORS,
    compliance_matrix_chart,
    findings_by_rule_chart,
    gate_scorecard_chart,
)
from pmo_kit.charts.maturity import (
    MATURITY_SERIES_COLORS,
    maturity_radar_chart,
    radar_points,
)
from pmo_kit.charts.portfolio import (
    budget_vs_spend_chart,
    portfolio_bubble_chart,
    rag_grid_chart,
)
from pmo_kit.charts.resources import (
    UTILISATION_COLORS,
    resource_histogram_chart,
    role_demand_chart,
    utilisation_heatmap,
)
from pmo_kit.charts.risk import (
    BAND_COLORS,
    contingency_chart,
    heat_map_chart,
    risk_trend_chart,
    top_risks_chart,
)
from pmo_kit.charts.schedule import (
    GANTT_COLORS,
    finish_distribution_chart,
    gantt_chart,
    tornado_chart,
)
from pmo_kit.charts.selection import (
    CHOICE_COLORS,
    frontier_chart,
    frontier_labels,
    selection_chart,
    selection_points,
)

__all__ = [
    "BAND_COLORS",
    "CHOICE_COLORS",
    "EVM_COLORS",
    "GANTT_COLORS",
    "MATURITY_SERIES_COLORS",
    "RAG_COLORS",
    "RESULT_COLORS",
    "SEVERITY_COLORS",
    "STATUS_COLORS",
    "UTILISATION_COLORS",
    "budget_vs_spend_chart",
    "burndown_chart",
    "burnup_chart",
    "compliance_matrix_chart",
    "contingency_chart",
    "cumulative_flow_chart",
    "cycle_time_chart",
    "findings_by_rule_chart",
    "finish_distribution_chart",
    "forecast_histogram_chart",
    "frontier_chart",
    "frontier_labels",
    "gantt_chart",
    "gate_scorecard_chart",
    "heat_map_chart",
    "maturity_radar_chart",
    "performance_trend_chart",
    "portfolio_bubble_chart",
    "radar_points",
    "rag_grid_chart",
    "register_theme",
    "resource_histogram_chart",
    "risk_trend_chart",
    "role_demand_chart",
    "s_curve_chart",
    "selection_chart",
    "selection_points",
    "top_risks_chart",
    "tornado_chart",
    "utilisation_heatmap",
    "velocity_chart",
]
