"""
Portfolio views: one row per project with its latest performance and RAG status.

Lesson 00 and the ``portfolio-overview`` report are built on
:func:`portfolio_overview` and :func:`overview_narrative`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pandas as pd

from pmo_kit.evm import (
    DEFAULT_RAG,
    RagThresholds,
    cost_performance_index,
    rag_status,
    schedule_performance_index,
    worst_rag,
)

if TYPE_CHECKING:
    from pmo_kit.data.portfolio import Portfolio

__all__ = ["overview_narrative", "portfolio_overview"]

_OVERVIEW_COLUMNS = [
    "project_id",
    "name",
    "programme",
    "manager",
    "methodology",
    "phase",
    "budget",
    "status_date",
    "pv",
    "ev",
    "ac",
    "spi",
    "cpi",
    "eac",
    "schedule_rag",
    "cost_rag",
    "overall_rag",
    "open_risks",
    "fired_risks",
]


def portfolio_overview(
    portfolio: Portfolio,
    *,
    as_of: str | pd.Timestamp | None = None,
    thresholds: RagThresholds = DEFAULT_RAG,
) -> pd.DataFrame:
    """
    Summarise every project from its latest status on or before ``as_of``.

    Parameters
    ----------
    portfolio
        The organisation's tables.
    as_of
        Cut-off date; ``None`` takes each project's latest status row.
    thresholds
        RAG bands applied to SPI and CPI.

    Returns
    -------
    pandas.DataFrame
        One row per project: phase, budget (BAC), cumulative PV/EV/AC, SPI, CPI,
        EAC (= BAC / CPI), schedule, cost and overall RAG, open and fired risks.
        Projects without status rows (not started) have NaN figures and RAG ``grey``.

    Examples
    --------
    >>> from pmo_kit import load_portfolio
    >>> overview = portfolio_overview(load_portfolio())
    >>> sorted(set(overview["overall_rag"])) <= ["amber", "green", "grey", "red"]
    True
    """
    status = portfolio.status
    if as_of is not None:
        status = status[status["status_date"] <= pd.Timestamp(as_of)]
    latest = (
        status.sort_values(["project_id", "status_date"])
        .groupby("project_id", as_index=False)
        .last()
        .rename(columns={"status_date": "status_date_latest"})
    )
    projects = portfolio.projects.drop(columns=["status_date"])
    out = projects.merge(latest, on="project_id", how="left", validate="one_to_one")
    out = out.rename(columns={"status_date_latest": "status_date"})
    out["spi"] = schedule_performance_index(out["ev"], out["pv"])
    out["cpi"] = cost_performance_index(out["ev"], out["ac"])
    out["eac"] = out["budget"] / out["cpi"]
    out["schedule_rag"] = rag_status(out["spi"], thresholds)
    out["cost_rag"] = rag_status(out["cpi"], thresholds)
    out["overall_rag"] = worst_rag(out["schedule_rag"], out["cost_rag"])
    risks = portfolio.risks
    counts = (
        risks.assign(
            open_risks=risks["status"].eq("open"),
            fired_risks=risks["status"].eq("occurred"),
        )
        .groupby("project_id")[["open_risks", "fired_risks"]]
        .sum()
    )
    out = out.merge(counts, left_on="project_id", right_index=True, how="left")
    out[["open_risks", "fired_risks"]] = (
        out[["open_risks", "fired_risks"]].fillna(0).astype("int64")
    )
    return out[_OVERVIEW_COLUMNS].reset_index(drop=True)


def overview_narrative(overview: pd.DataFrame, *, currency: str = "EUR") -> list[str]:
    """
    Write a short, data-driven narrative of a portfolio overview.

    Parameters
    ----------
    overview
        The result of :func:`portfolio_overview`.
    currency
        Currency code used in the sentences.

    Returns
    -------
    list[str]
        Plain-text sentences (no markup), most important first.

    Examples
    --------
    >>> from pmo_kit import load_portfolio
    >>> lines = overview_narrative(portfolio_overview(load_portfolio()))
    >>> lines[0].startswith("The portfolio holds")
    True
    """
    n = len(overview)
    total = overview["budget"].sum()
    measured = overview[overview["overall_rag"] != "grey"]
    lines = [
        f"The portfolio holds {n} projects with a combined budget of "
        f"{_money(total, currency)}; {len(measured)} report earned value."
    ]
    counts = measured["overall_rag"].value_counts()
    lines.append(
        f"Overall status: {counts.get('green', 0)} green, "
        f"{counts.get('amber', 0)} amber, "
        f"{counts.get('red', 0)} red."
    )
    late = measured.sort_values("spi").iloc[:1]
    if not late.empty and late["spi"].iloc[0] < 1:
        row = late.iloc[0]
        lines.append(
            f"Most behind schedule: {row['project_id']} {row['name']} "
            f"(SPI {row['spi']:.2f}: {1 - row['spi']:.0%} less work done than planned)."
        )
    over = measured.sort_values("cpi").iloc[:1]
    if not over.empty and over["cpi"].iloc[0] < 1:
        row = over.iloc[0]
        overrun = row["eac"] - row["budget"]
        lines.append(
            f"Most over budget: {row['project_id']} {row['name']} "
            f"(CPI {row['cpi']:.2f}); "
            f"at this efficiency it finishes {_money(overrun, currency)} over its "
            f"{_money(row['budget'], currency)} budget."
        )
    fired = int(overview["fired_risks"].sum())
    if fired:
        names = ", ".join(overview.loc[overview["fired_risks"] > 0, "project_id"])
        lines.append(
            f"{fired} risk(s) have occurred ({names}): check their cost in AC."
        )
    return lines


def _money(value: float, currency: str) -> str:
    sign = "-" if value < 0 else ""
    value = abs(value)
    if value >= 1e6:
        return f"{sign}{currency} {value / 1e6:.1f}M"
    if value >= 1e3:
        return f"{sign}{currency} {value / 1e3:.0f}k"
    return f"{sign}{currency} {value:.0f}"
