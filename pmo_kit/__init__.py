"""
pmo-kit: a Jupyter-based training and analysis kit for project management offices.

The names learners use most are importable from here; heavy libraries (altair,
ipywidgets, papermill) are only imported when a chart, widget or report is used.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from pmo_kit import _lazy
from pmo_kit._errors import (
    ExerciseError,
    MissingDependencyError,
    PMOError,
    ReportExecutionError,
    ReportNotFoundError,
    ReportParameterError,
    ValidationError,
)

if TYPE_CHECKING:
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
    from pmo_kit.kb.base import KnowledgeBase, open_knowledge_base
    from pmo_kit.kb.model import Lesson
    from pmo_kit.kb.recommend import recommend as recommend_lessons
    from pmo_kit.kb.search import search_lessons
    from pmo_kit.notebook import setup_notebook
    from pmo_kit.portfolio import overview_narrative, portfolio_overview
    from pmo_kit.reports import (
        agile_metrics,
        capacity_review,
        governance_review,
        portfolio_review,
        project_status,
        risk_review,
        schedule_risk,
    )
    from pmo_kit.resources import capacity_plan, level, overallocations
    from pmo_kit.selection import (
        ahp_weights,
        efficient_frontier,
        pipeline_for,
        select_portfolio,
    )

# Everything but the errors is imported on first use (pmo_kit._lazy), so that
# `import pmo_kit` and the `pmo-kit` command start without pandas. To export a
# name, add it to the imports above, to its module in _EXPORTS and to __all__.
_EXPORTS: dict[str, tuple[str, ...]] = {
    "pmo_kit.agile": (
        "cumulative_flow",
        "cycle_time_percentiles",
        "cycle_times",
        "forecast_completion",
        "forecast_items_by",
        "sprint_burndown",
        "throughput",
        "velocity",
    ),
    "pmo_kit.charter": (
        "load_charter",
        "review_charters",
        "save_charter",
    ),
    "pmo_kit.data.generator": ("generate_organisation",),
    "pmo_kit.data.portfolio": (
        "Portfolio",
        "load_portfolio",
        "save_portfolio",
    ),
    "pmo_kit.evm": (
        "cost_performance_index",
        "earned_schedule",
        "load_rag_rules",
        "portfolio_performance",
        "portfolio_totals",
        "project_performance",
        "rag_status",
        "schedule_performance_index",
    ),
    "pmo_kit.governance": (
        "compliance",
        "gate_review",
        "raid_log",
    ),
    "pmo_kit.io": (
        "read_jira_csv",
        "read_psplib",
        "read_status_history",
    ),
    "pmo_kit.kb": (
        "KnowledgeBase",
        "Lesson",
        "open_knowledge_base",
        "recommend_lessons",
        "search_lessons",
    ),
    "pmo_kit.notebook": ("setup_notebook",),
    "pmo_kit.portfolio": (
        "overview_narrative",
        "portfolio_overview",
    ),
    # one function per report: what the report shows, without a notebook
    "pmo_kit.reports": (
        "agile_metrics",
        "capacity_review",
        "governance_review",
        "portfolio_review",
        "project_status",
        "risk_review",
        "schedule_risk",
    ),
    "pmo_kit.resources": (
        "capacity_plan",
        "level",
        "overallocations",
    ),
    "pmo_kit.selection": (
        "ahp_weights",
        "efficient_frontier",
        "pipeline_for",
        "select_portfolio",
    ),
}
if not TYPE_CHECKING:  # so that mypy still flags unknown names
    __getattr__, __dir__ = _lazy.lazy_exports(__name__, _EXPORTS)

__version__ = "0.1.0"

__all__ = [
    "ExerciseError",
    "KnowledgeBase",
    "Lesson",
    "MissingDependencyError",
    "PMOError",
    "Portfolio",
    "ReportExecutionError",
    "ReportNotFoundError",
    "ReportParameterError",
    "ValidationError",
    "__version__",
    "agile_metrics",
    "ahp_weights",
    "capacity_plan",
    "capacity_review",
    "compliance",
    "cost_performance_index",
    "cumulative_flow",
    "cycle_time_percentiles",
    "cycle_times",
    "earned_schedule",
    "efficient_frontier",
    "forecast_completion",
    "forecast_items_by",
    "gate_review",
    "generate_organisation",
    "governance_review",
    "level",
    "load_charter",
    "load_portfolio",
    "load_rag_rules",
    "open_knowledge_base",
    "overallocations",
    "overview_narrative",
    "pipeline_for",
    "portfolio_overview",
    "portfolio_performance",
    "portfolio_review",
    "portfolio_totals",
    "project_performance",
    "project_status",
    "rag_status",
    "raid_log",
    "read_jira_csv",
    "read_psplib",
    "read_status_history",
    "recommend_lessons",
    "review_charters",
    "risk_review",
    "save_charter",
    "save_portfolio",
    "schedule_performance_index",
    "schedule_risk",
    "search_lessons",
    "select_portfolio",
    "setup_notebook",
    "sprint_burndown",
    "throughput",
    "velocity",
]
