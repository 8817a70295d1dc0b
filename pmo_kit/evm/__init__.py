"""
Earned value management: indices, forecasts, earned schedule and RAG status.

Pure functions over numbers or pandas Series (vectorised): the same call works on
one project's figures and on a whole column of a portfolio's status table.
Undefined ratios (a zero denominator) are NaN, never 0 and never an exception.

Modules, one topic each:

- :mod:`~pmo_kit.evm.indices`: SPI, CPI and :func:`metrics` (variances, the four
  EACs, ETC, VAC, TCPI);
- :mod:`~pmo_kit.evm.earned_schedule`: Lipke's earned schedule, SPI(t), IEAC(t);
- :mod:`~pmo_kit.evm.rag`: RAG bands, rules loaded from YAML;
- :mod:`~pmo_kit.evm.performance`: one project's performance per status date;
- :mod:`~pmo_kit.evm.portfolio`: the portfolio roll-up and its totals.
"""

from __future__ import annotations

from pmo_kit.evm.earned_schedule import (
    ScheduleMetrics,
    earned_schedule,
    schedule_metrics,
)
from pmo_kit.evm.indices import (
    EVMetrics,
    cost_performance_index,
    metrics,
    schedule_performance_index,
)
from pmo_kit.evm.performance import PERFORMANCE_COLUMNS, project_performance
from pmo_kit.evm.portfolio import portfolio_performance, portfolio_totals
from pmo_kit.evm.rag import (
    DEFAULT_RAG,
    RAG_ORDER,
    RagRules,
    RagThresholds,
    load_rag_rules,
    rag_status,
    worst_rag,
)

__all__ = [
    "DEFAULT_RAG",
    "PERFORMANCE_COLUMNS",
    "RAG_ORDER",
    "EVMetrics",
    "RagRules",
    "RagThresholds",
    "ScheduleMetrics",
    "cost_performance_index",
    "earned_schedule",
    "load_rag_rules",
    "metrics",
    "portfolio_performance",
    "portfolio_totals",
    "project_performance",
    "rag_status",
    "schedule_metrics",
    "schedule_performance_index",
    "worst_rag",
]
