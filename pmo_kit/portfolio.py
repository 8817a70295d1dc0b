"""
Portfolio views: one row per project with its latest performance and RAG status.

Lesson 00 and the ``portfolio-overview`` report are built on
:func:`portfolio_overview` and :func:`overview_narrative`. The schedule RAG uses
SPI(t) (earned schedule), as :func:`pmo_kit.evm.portfolio_performance` and every
report do: SPI drifts back to 1.0 at the end of a late project, SPI(t) does not.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from pmo_kit.data.inputs import DateLike, to_day
from pmo_kit.evm import (
    DEFAULT_RAG,
    RagRules,
    RagThresholds,
    portfolio_performance,
)
from pmo_kit.risk import register_as_of
from pmo_kit.vocabulary import plural

if TYPE_CHECKING:
    from pmo_kit.data.portfolio import Portfolio

__all__ = ["PROJECT_STATES", "overview_narrative", "portfolio_overview"]

#: What a project's row can say about its earned value: ``reporting`` (rated from
#: its latest status), ``closed``, ``not started`` (initiation, planning, or a start
#: after the cut-off) or ``no status yet`` (under way but no status reported).
PROJECT_STATES = ("reporting", "closed", "not started", "no status yet")

_OVERVIEW_COLUMNS = [
    "project_id",
    "name",
    "programme",
    "manager",
    "methodology",
    "phase",
    "state",
    "budget",
    "start",
    "planned_finish",
    "status_date",
    "pv",
    "ev",
    "ac",
    "spi",
    "spi_t",
    "cpi",
    "eac",
    "forecast_finish",
    "weeks_late",
    "schedule_rag",
    "cost_rag",
    "overall_rag",
    "open_risks",
    "fired_risks",
]
_NOT_EXECUTING = ("initiation", "planning")


def portfolio_overview(
    portfolio: Portfolio,
    *,
    as_of: DateLike | None = None,
    thresholds: RagThresholds | RagRules = DEFAULT_RAG,
) -> pd.DataFrame:
    """
    Summarise every project from its latest status on or before ``as_of``.

    Parameters
    ----------
    portfolio
        The organisation's tables.
    as_of
        Cut-off date; ``None`` takes each project's latest status row and the
        register as it is. A date also counts risks as they stood then (raised on
        or before it, not closed before it).
    thresholds
        RAG bands applied to SPI(t) (schedule) and CPI (cost).

    Returns
    -------
    pandas.DataFrame
        One row per project, in register order: ``project_id``, ``name``,
        ``programme``, ``manager``, ``methodology``, ``phase``, ``state`` (one of
        :data:`PROJECT_STATES`), ``budget`` (BAC), ``start``, ``planned_finish``,
        ``status_date`` (of the latest status), cumulative ``pv``, ``ev``,
        ``ac``, ``spi``, ``spi_t``, ``cpi``, ``eac`` (= BAC / CPI),
        ``forecast_finish`` (start + planned duration / SPI(t)), ``weeks_late``
        (forecast against planned finish, whole weeks), ``schedule_rag`` (from
        SPI(t)), ``cost_rag`` (from CPI), ``overall_rag`` (the worse),
        ``open_risks`` and ``fired_risks``. Projects without a status row have
        NaN figures and RAG ``grey``; ``state`` says why.

    Examples
    --------
    >>> from pmo_kit import load_portfolio
    >>> overview = portfolio_overview(load_portfolio()).set_index("project_id")
    >>> overview.loc["P-002", ["spi_t", "schedule_rag"]].tolist()[1]
    'red'
    >>> overview.loc["P-008", ["state", "overall_rag"]].tolist()
    ['closed', 'grey']
    """
    cutoff = None if as_of is None else to_day(as_of, "as_of")
    performance = portfolio_performance(
        portfolio, as_of=cutoff, thresholds=thresholds
    ).set_index("project_id")
    projects = portfolio.projects.set_index("project_id", drop=False)
    out = projects[
        ["project_id", "name", "programme", "manager", "methodology", "phase"]
    ].copy()
    out["budget"] = projects["budget"].astype("float64")
    for column in ("start", "planned_finish"):
        out[column] = pd.to_datetime(projects[column])
    figures = ["status_date", "pv", "ev", "ac", "spi", "spi_t", "cpi", "eac_cpi"]
    figures += ["forecast_finish", "schedule_rag", "cost_rag", "overall_rag"]
    out = out.join(performance[figures]).rename(columns={"eac_cpi": "eac"})
    out["weeks_late"] = (
        (out["forecast_finish"] - out["planned_finish"]).dt.days / 7
    ).round()
    out["state"] = _states(out, projects["status_date"], cutoff)
    risks = (
        portfolio.risks if cutoff is None else register_as_of(portfolio.risks, cutoff)
    )
    counts = (
        risks.assign(
            open_risks=risks["status"].eq("open"),
            fired_risks=risks["status"].eq("occurred"),
        )
        .groupby("project_id")[["open_risks", "fired_risks"]]
        .sum()
    )
    out = out.join(counts)
    out[["open_risks", "fired_risks"]] = (
        out[["open_risks", "fired_risks"]].fillna(0).astype("int64")
    )
    return out[_OVERVIEW_COLUMNS].reset_index(drop=True)


def _states(
    out: pd.DataFrame, last_status: pd.Series, cutoff: pd.Timestamp | None
) -> np.ndarray[tuple[int], np.dtype[np.object_]]:
    """Say why a row is (not) rated: see :data:`PROJECT_STATES`."""
    last = pd.to_datetime(last_status)
    closed = out["phase"].eq("closed")
    if cutoff is not None:  # a project closed after the cut-off was still running
        closed &= last.isna() | (last <= cutoff)
    reporting = out["ev"].notna()
    starts_later = out["start"] > (cutoff if cutoff is not None else last)
    not_started = out["phase"].isin(_NOT_EXECUTING) | starts_later.fillna(False)
    return np.select(
        [closed, reporting, not_started],
        ["closed", "reporting", "not started"],
        default="no status yet",
    ).astype(object)


def overview_narrative(overview: pd.DataFrame, *, currency: str = "EUR") -> list[str]:
    """
    Write a short, data-driven narrative of a portfolio overview.

    Parameters
    ----------
    overview
        The result of :func:`portfolio_overview`.
    currency
        Currency code used in the sentences (pass ``portfolio.currency``).

    Returns
    -------
    list[str]
        Plain-text sentences (no markup), most important first: the size of the
        portfolio and how many projects report earned value (closed and not
        started ones named as such), the RAG counts, the project most behind
        schedule (lowest SPI(t)) and most over budget (lowest CPI), risks that
        occurred.

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
    state = overview["state"] if "state" in overview else pd.Series(dtype=object)
    reporting = len(measured)
    parts = [
        f"{reporting} report{'s' if reporting == 1 else ''} earned value"
        if reporting
        else "none reports earned value"
    ]
    closed = int(state.eq("closed").sum())
    waiting = int(state.eq("not started").sum())
    silent = int(state.eq("no status yet").sum())
    if closed:
        parts.append(f"{closed} {'is' if closed == 1 else 'are'} closed")
    if waiting:
        parts.append(f"{waiting} {'has' if waiting == 1 else 'have'} not started")
    if silent:
        parts.append(f"{silent} {'has' if silent == 1 else 'have'} no status yet")
    listed = (
        parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]
    )
    lines = [
        f"The portfolio holds {plural(n, 'project')} with a combined budget of "
        f"{_money(total, currency)}; {listed}."
    ]
    if not reporting:
        return lines
    counts = measured["overall_rag"].value_counts()
    lines.append(
        f"Overall status: {counts.get('green', 0)} green, "
        f"{counts.get('amber', 0)} amber, "
        f"{counts.get('red', 0)} red."
    )
    index = "spi_t" if "spi_t" in measured else "spi"
    late = measured.dropna(subset=[index]).sort_values(index, kind="stable").iloc[:1]
    if not late.empty and late[index].iloc[0] < 1:
        row = late.iloc[0]
        if index == "spi_t":
            lines.append(
                f"Most behind schedule: {row['project_id']} {row['name']} (SPI(t) "
                f"{row['spi_t']:.2f}: the work done so far was planned to take "
                f"{row['spi_t']:.0%} of the time spent)."
            )
        else:
            lines.append(
                f"Most behind schedule: {row['project_id']} {row['name']} "
                f"(SPI {row['spi']:.2f}: {1 - row['spi']:.0%} less work done than "
                "planned)."
            )
    over = measured.dropna(subset=["cpi"]).sort_values("cpi", kind="stable").iloc[:1]
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
        has, its = ("has", "its") if fired == 1 else ("have", "their")
        lines.append(
            f"{plural(fired, 'risk')} {has} occurred ({names}): check {its} cost in AC."
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
