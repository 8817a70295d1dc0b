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
from pmo_kit.data.generator import generate_organisation
from pmo_kit.data.portfolio import Portfolio, load_portfolio, save_portfolio
from pmo_kit.evm import cost_performance_index, rag_status, schedule_performance_index
from pmo_kit.notebook import setup_notebook
from pmo_kit.portfolio import overview_narrative, portfolio_overview

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
    "cost_performance_index",
    "generate_organisation",
    "load_portfolio",
    "overview_narrative",
    "portfolio_overview",
    "rag_status",
    "save_portfolio",
    "schedule_performance_index",
    "setup_notebook",
]
