"""
Portfolio computations at scale: split a portfolio cheaply, run per project on Dask.

The Monte Carlo schedule risk of every project (:func:`pmo_kit.reports.schedule_risk`
per project) grows with the organisation and is independent per project, so it splits
into batches of projects, each a sub-portfolio holding only its projects' rows
(:func:`split_portfolio`, :func:`batch_portfolios`), that run anywhere:
:func:`portfolio_schedule_risk` gives one row per project (P50/P80/P90 finish, chance
of meeting the planned finish, ...), serially or as one Dask task per batch, with
identical results (each project has its own seed, :func:`project_seed`).

The EVM roll-up (:func:`pmo_kit.portfolio_overview`) is vectorised across projects
(:mod:`pmo_kit.evm.rollup`): 0.05 s at 5,000 projects, so it does not go to Dask.
Figures: ``bench/README.md`` and ``docs/scale.md``.

Dask is imported only inside the functions that use it; without it they raise
:class:`~pmo_kit._errors.MissingDependencyError` naming ``pip install
'pmo-kit[dask]'``.
"""

from __future__ import annotations

from pmo_kit.scale.cluster import CONNECT_TIMEOUT
from pmo_kit.scale.schedule import (
    RISK_COLUMNS,
    RISK_STATES,
    SCHEDULE_TABLES,
    portfolio_schedule_risk,
    project_seed,
    schedule_risk_rows,
)
from pmo_kit.scale.split import batch_portfolios, split_portfolio

__all__ = [
    "CONNECT_TIMEOUT",
    "RISK_COLUMNS",
    "RISK_STATES",
    "SCHEDULE_TABLES",
    "batch_portfolios",
    "portfolio_schedule_risk",
    "project_seed",
    "schedule_risk_rows",
    "split_portfolio",
]
