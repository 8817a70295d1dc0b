"""
pmo-kit: a Jupyter-based training and analysis kit for project management offices.

The names learners use most are importable from here; heavy libraries (altair,
ipywidgets, papermill) are only imported when a chart, widget or report is used.
"""

from __future__ import annotations

from pmo_kit._errors import (
    ExerciseError,
    MissingDependencyError,
    PMOError,
    ReportExecutionError,
    ReportNotFoundError,
    ReportParameterError,
    ValidationError,
)
from pmo_kit.agile import (
    cumulative_flow,
    cycle_time_percentiles,
    cycle_times,
    forecast_completion,
    forecast_items_by,
    sprint_burndown,
    throughput,
    velocity,
)
from pmo_kit.charter import load_charter, review_charters, save_charter
from pmo_kit.data.generator import generate_organisation
from pmo_kit.data.portfolio import Portfolio, load_portfolio, save_portfolio
from pmo_kit.evm import (
    cost_performance_index,
    earned_schedule,
    load_rag_rules,
    portfolio_performance,
    portfolio_totals,
    project_performance,
    rag_status,
    schedule_performance_index,
)
from pmo_kit.governance import compliance, gate_review, raid_log
from pmo_kit.io import read_jira_csv, read_psplib, read_status_history
from pmo_kit.notebook import setup_notebook
from pmo_kit.portfolio import overview_narrative, portfolio_overview
from pmo_kit.resources import capacity_plan, level, overallocations

__version__ = "0.1.0"

__all__ = [
    "ExerciseError",
    "MissingDependencyError",
    "PMOError",
    "Portfolio",
    "ReportExecutionError",
    "ReportNotFoundError",
    "ReportParameterError",
    "ValidationError",
    "__version__",
    "capacity_plan",
    "compliance",
    "cost_performance_index",
    "cumulative_flow",
    "cycle_time_percentiles",
    "cycle_times",
    "earned_schedule",
    "forecast_completion",
    "forecast_items_by",
    "gate_review",
    "generate_organisation",
    "level",
    "load_charter",
    "load_portfolio",
    "load_rag_rules",
    "overallocations",
    "overview_narrative",
    "portfolio_overview",
    "portfolio_performance",
    "portfolio_totals",
    "project_performance",
    "rag_status",
    "raid_log",
    "read_jira_csv",
    "read_psplib",
    "read_status_history",
    "review_charters",
    "save_charter",
    "save_portfolio",
    "schedule_performance_index",
    "setup_notebook",
    "sprint_burndown",
    "throughput",
    "velocity",
]
