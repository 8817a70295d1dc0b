"""
Chart builders (altair): data in, ``alt.Chart`` out.

Builders never display, save or enable themes. Call :func:`pmo_kit.setup_notebook`
once in a notebook to enable the ``pmo`` theme and an offline renderer.
"""

from __future__ import annotations

from pmo_kit.charts._base import RAG_COLORS, register_theme
from pmo_kit.charts.portfolio import budget_vs_spend_chart, rag_grid_chart
from pmo_kit.charts.schedule import (
    GANTT_COLORS,
    finish_distribution_chart,
    gantt_chart,
    tornado_chart,
)

__all__ = [
    "GANTT_COLORS",
    "RAG_COLORS",
    "budget_vs_spend_chart",
    "finish_distribution_chart",
    "gantt_chart",
    "rag_grid_chart",
    "register_theme",
    "tornado_chart",
]
