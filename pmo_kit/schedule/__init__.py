"""
Schedule engine: critical path, PERT, Monte Carlo schedule risk, progress.

Pure functions over pandas and numpy: no display, no files. Lesson 03 and the
``schedule-risk`` report are built on it.
"""

from __future__ import annotations

from pmo_kit.schedule.calendar import WorkCalendar
from pmo_kit.schedule.cpm import critical_path, date_columns
from pmo_kit.schedule.montecarlo import MonteCarloResult, monte_carlo
from pmo_kit.schedule.network import compile_network
from pmo_kit.schedule.pert import PertResult, pert_analysis, pert_estimates
from pmo_kit.schedule.progress import remaining_work, slippage

__all__ = [
    "MonteCarloResult",
    "PertResult",
    "WorkCalendar",
    "compile_network",
    "critical_path",
    "date_columns",
    "monte_carlo",
    "pert_analysis",
    "pert_estimates",
    "remaining_work",
    "slippage",
]
