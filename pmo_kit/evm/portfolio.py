"""
Portfolio roll-up: every project's latest earned value performance, and the totals.

:func:`portfolio_performance` gives each project's latest row of
:func:`~pmo_kit.evm.project_performance` on or before ``as_of``, computed for all
projects at once (:mod:`~pmo_kit.evm.rollup`);
:func:`portfolio_totals` sums the money and recomputes the portfolio's indices
(indices are never averaged: a big project weighs more than a small one).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pandas as pd

from pmo_kit.data.inputs import DateLike, require_columns
from pmo_kit.evm.indices import cost_performance_index, schedule_performance_index
from pmo_kit.evm.rag import DEFAULT_RAG, RagRules, RagThresholds, rag_status, worst_rag
from pmo_kit.evm.rollup import latest_performance

if TYPE_CHECKING:
    from pmo_kit.data.portfolio import Portfolio
    from pmo_kit.evm.performance import ScheduleIndex

__all__ = ["portfolio_performance", "portfolio_totals"]

_PROJECT_COLUMNS = (
    "project_id",
    "name",
    "programme",
    "phase",
    "start",
    "planned_finish",
)


def portfolio_performance(
    portfolio: Portfolio,
    *,
    as_of: DateLike | None = None,
    thresholds: RagThresholds | RagRules = DEFAULT_RAG,
    schedule_index: ScheduleIndex = "spi_t",
) -> pd.DataFrame:
    """
    One row per project: its latest earned value performance on or before ``as_of``.

    Parameters
    ----------
    portfolio
        The organisation's tables (:func:`pmo_kit.load_portfolio`).
    as_of
        Cut-off date; ``None`` takes each project's latest status row.
    thresholds
        RAG bands (:class:`RagThresholds` or :class:`RagRules`).
    schedule_index
        Index behind ``schedule_rag``: ``"spi_t"`` (default) or ``"spi"``.

    Returns
    -------
    pandas.DataFrame
        ``project_id``, ``name``, ``programme``, ``phase``, ``start``,
        ``planned_finish``, then the columns of :func:`project_performance`
        (times in weeks since the start) for the latest status row. Projects with
        no status row by ``as_of`` (not started, or closed before the data
        begins) keep their ``bac`` and have NaN figures, NaT dates and RAG
        ``grey``.

    Examples
    --------
    >>> from pmo_kit import load_portfolio
    >>> table = portfolio_performance(load_portfolio())
    >>> late = table.set_index("project_id").loc["P-002"]
    >>> round(float(late["spi"]), 2), round(float(late["spi_t"]), 2)
    (0.77, 0.69)
    >>> late["schedule_rag"], late["cost_rag"], str(late["forecast_finish"].date())
    ('red', 'green', '2027-01-25')
    """
    projects = portfolio.projects
    status = portfolio.status
    if as_of is not None:
        status = status[status["status_date"] <= pd.Timestamp(as_of)]
    latest = latest_performance(
        projects,
        status,
        rules=RagRules.coerce(thresholds),
        schedule_index=schedule_index,
    )
    out = pd.DataFrame({c: projects[c].to_numpy() for c in _PROJECT_COLUMNS})
    return pd.concat([out, latest], axis=1)


def portfolio_totals(
    performance: pd.DataFrame,
    *,
    thresholds: RagThresholds | RagRules = DEFAULT_RAG,
) -> pd.DataFrame:
    """
    Portfolio totals: summed BAC, PV, EV, AC, EAC and the portfolio's SPI and CPI.

    Parameters
    ----------
    performance
        The result of :func:`portfolio_performance` (needs ``bac``, ``pv``,
        ``ev``, ``ac`` and ``eac_cpi``).
    thresholds
        RAG bands applied to the portfolio SPI and CPI.

    Returns
    -------
    pandas.DataFrame
        One row labelled ``total`` whose column names match
        :func:`portfolio_performance` where they mean the same, so
        ``pd.concat([performance, totals])`` gives a report table:
        ``projects`` and ``reporting`` (counts), ``bac`` (every project), ``pv``,
        ``ev``, ``ac``, ``sv``, ``cv`` (reporting projects), ``spi`` = ΣEV / ΣPV,
        ``cpi`` = ΣEV / ΣAC, ``eac_cpi`` (each reporting project's EAC, BAC for
        the others), ``vac`` and the RAGs of the portfolio SPI and CPI. Earned
        schedule does not add up across projects, so the schedule RAG here uses
        SPI.

    Examples
    --------
    >>> import pandas as pd
    >>> table = pd.DataFrame(
    ...     {
    ...         "bac": [100.0, 300.0, 50.0],
    ...         "pv": [50.0, 100.0, None],
    ...         "ev": [40.0, 100.0, None],
    ...         "ac": [50.0, 100.0, None],
    ...         "eac_cpi": [125.0, 300.0, None],
    ...     }
    ... )
    >>> totals = portfolio_totals(table)
    >>> totals[["reporting", "bac", "spi", "cpi", "eac_cpi", "vac"]].to_dict("records")
    [{'reporting': 2, 'bac': 450.0, 'spi': 0.9333333333333333, 'cpi': 0.9333333333333333, 'eac_cpi': 475.0, 'vac': -25.0}]
    """  # noqa: E501
    require_columns(
        performance,
        ["bac", "pv", "ev", "ac", "eac_cpi"],
        "portfolio_totals",
        hint="pass the result of portfolio_performance()",
    )
    reporting = performance["ev"].notna()
    sums = performance.loc[reporting, ["pv", "ev", "ac"]].astype("float64").sum()
    pv, ev, ac = float(sums["pv"]), float(sums["ev"]), float(sums["ac"])
    bac = float(performance["bac"].sum())
    eac = float(
        performance["eac_cpi"]
        .where(reporting & performance["eac_cpi"].notna(), performance["bac"])
        .sum()
    )
    spi = schedule_performance_index(ev, pv)
    cpi = cost_performance_index(ev, ac)
    rules = RagRules.coerce(thresholds)
    schedule_rag = rag_status(pd.Series([spi]), rules.schedule)
    cost_rag = rag_status(pd.Series([cpi]), rules.cost)
    row = {
        "projects": len(performance),
        "reporting": int(reporting.sum()),
        "bac": bac,
        "pv": pv,
        "ev": ev,
        "ac": ac,
        "sv": ev - pv,
        "cv": ev - ac,
        "spi": spi,
        "cpi": cpi,
        "eac_cpi": eac,
        "vac": bac - eac,
        "schedule_rag": schedule_rag.iloc[0],
        "cost_rag": cost_rag.iloc[0],
        "overall_rag": worst_rag(schedule_rag, cost_rag).iloc[0],
    }
    return pd.DataFrame([row], index=pd.Index(["total"]))
