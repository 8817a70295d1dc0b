"""
The portfolio review: what the ``portfolio-overview`` report shows, as data.

:func:`portfolio_review` rates every project from its latest earned-value status on
or before ``as_of`` (schedule from SPI(t), cost from CPI), totals the money, and
writes the headlines; the notebook only displays the result.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import pandas as pd

from pmo_kit.data.inputs import DateLike, to_day
from pmo_kit.evm import (
    DEFAULT_RAG,
    RagRules,
    RagThresholds,
    portfolio_performance,
    portfolio_totals,
)
from pmo_kit.portfolio import overview_narrative, portfolio_overview
from pmo_kit.reports._content import json_records, json_value, plural

if TYPE_CHECKING:
    from pmo_kit.data.portfolio import Portfolio

__all__ = ["LATE_HEADLINE_WEEKS", "PortfolioReview", "portfolio_review", "rag_legend"]

#: RAG values counted in ``summary()["rag_counts"]``.
_RAGS = ("green", "amber", "red", "grey")
#: Columns of ``summary()["project_rows"]``.
_ROW_COLUMNS = [
    "project_id",
    "spi",
    "cpi",
    "overall_rag",
    "spi_t",
    "eac",
    "forecast_finish",
    "schedule_rag",
    "cost_rag",
    "state",
    "weeks_late",
    "open_risks",
]
#: A forecast finish at least this many weeks after the plan makes a headline.
LATE_HEADLINE_WEEKS = 2


@dataclass(frozen=True)
class PortfolioReview:
    """
    Everything the portfolio-overview report shows.

    Attributes
    ----------
    organisation, currency
        From the dataset (``portfolio.name``, ``portfolio.currency``).
    as_of
        The cut-off asked for, or None (each project's latest status).
    status_date
        The date the figures speak of: ``as_of``, else the latest status date;
        None when there is no status at all.
    overview
        :func:`pmo_kit.portfolio_overview`: one row per project with SPI, SPI(t),
        CPI, EAC, forecast finish, weeks late, RAGs, ``state`` and open risks.
    performance
        :func:`pmo_kit.evm.portfolio_performance` (the bubble chart's input).
    totals
        :func:`pmo_kit.evm.portfolio_totals` as one row (``projects``,
        ``reporting``, ``bac``, ``ac``, ``spi``, ``cpi``, ``eac_cpi``, ``vac``...).
    narrative
        The headlines, plain sentences, most important first.
    legend
        How the RAG is worked out, with the bands actually used.
    first_status
        The earliest status date in the data (None: no status at all).
    """

    organisation: str
    currency: str
    as_of: pd.Timestamp | None
    status_date: pd.Timestamp | None
    overview: pd.DataFrame
    performance: pd.DataFrame
    totals: pd.Series
    narrative: list[str]
    legend: str
    first_status: pd.Timestamp | None = None

    @property
    def rag_counts(self) -> dict[str, int]:
        """Projects per overall RAG (grey: no earned value to rate)."""
        counts = self.overview["overall_rag"].value_counts()
        return {rag: int(counts.get(rag, 0)) for rag in _RAGS}

    @property
    def state_counts(self) -> dict[str, int]:
        """Projects per state (reporting, closed, not started, no status yet)."""
        counts = self.overview["state"].value_counts()
        return {str(k): int(v) for k, v in counts.items()}

    @property
    def finish_labels(self) -> pd.Series:
        """
        Forecast finish per project as text, weeks late added: ``25 Jan 2027 (+20 wk)``.

        None where there is no forecast (no earned value to forecast from).
        """
        return pd.Series(
            [
                None
                if pd.isna(day)
                else f"{day:%d %b %Y}" + (f" (+{late:.0f} wk)" if late >= 1 else "")
                for day, late in zip(
                    self.overview["forecast_finish"],
                    self.overview["weeks_late"],
                    strict=True,
                )
            ],
            index=self.overview.index,
            dtype=object,
        )

    @property
    def header(self) -> dict[str, str]:
        """The report's key facts: status date, projects, budget, forecast."""
        day = self.status_date
        return {
            "Status date": "no status yet" if day is None else f"{day:%Y-%m-%d}",
            "Projects": str(len(self.overview)),
            "Budget": f"{self.currency} {self.totals['bac']:,.0f}",
            "Forecast (EAC)": f"{self.currency} {self.totals['eac_cpi']:,.0f}",
        }

    def summary(self) -> dict[str, Any]:
        """Return the content of the report's ``summary.json``."""
        day = self.status_date
        return {
            "report": "portfolio-overview",
            "organisation": self.organisation,
            "as_of": None if day is None else f"{day:%Y-%m-%d}",
            "currency": self.currency,
            "projects": len(self.overview),
            "reporting": int(self.totals["reporting"]),
            "total_budget": json_value(self.overview["budget"].sum()),
            "total_actual_cost": json_value(self.overview["ac"].sum()),
            "total_eac": json_value(self.totals["eac_cpi"]),
            "portfolio_spi": json_value(self.totals["spi"]),
            "portfolio_cpi": json_value(self.totals["cpi"]),
            "rag_counts": self.rag_counts,
            "states": self.state_counts,
            "narrative": list(self.narrative),
            "project_rows": json_records(self.overview, _ROW_COLUMNS),
        }


def portfolio_review(
    portfolio: Portfolio,
    *,
    as_of: DateLike | None = None,
    thresholds: RagThresholds | RagRules = DEFAULT_RAG,
) -> PortfolioReview:
    """
    Review the whole portfolio as of a date: status, forecasts, money, headlines.

    Parameters
    ----------
    portfolio
        The organisation (:func:`pmo_kit.load_portfolio`).
    as_of
        Cut-off date (empty text or None: each project's latest status). Status
        rows after it are ignored and risks are counted as they stood then.
    thresholds
        RAG bands for SPI(t) and CPI (:func:`pmo_kit.load_rag_rules` reads them
        from YAML); default 0.95-1.05 green, 0.90-1.10 amber.

    Returns
    -------
    PortfolioReview
        The tables, totals, narrative and legend of the report, with
        :meth:`PortfolioReview.summary` for ``summary.json``.

    Examples
    --------
    >>> import pmo_kit
    >>> review = portfolio_review(pmo_kit.load_portfolio(), as_of="2026-06-26")
    >>> review.rag_counts
    {'green': 4, 'amber': 1, 'red': 2, 'grey': 3}
    """
    if isinstance(as_of, str) and not as_of.strip():
        as_of = None
    cutoff = None if as_of is None else to_day(as_of, "as_of")
    overview = portfolio_overview(portfolio, as_of=cutoff, thresholds=thresholds)
    performance = portfolio_performance(portfolio, as_of=cutoff, thresholds=thresholds)
    totals = portfolio_totals(performance, thresholds=thresholds).iloc[0]
    dates = portfolio.status["status_date"]
    first = pd.Timestamp(dates.min()) if len(dates) else None
    latest = overview["status_date"].max()
    status_date = (
        cutoff if cutoff is not None else (None if pd.isna(latest) else latest)
    )
    currency = portfolio.currency
    narrative = overview_narrative(overview, currency=currency)
    narrative += _forecast_lines(overview, totals, currency, status_date, first)
    return PortfolioReview(
        organisation=portfolio.name,
        currency=currency,
        as_of=cutoff,
        status_date=status_date,
        overview=overview,
        performance=performance,
        totals=totals,
        narrative=narrative,
        legend=rag_legend(thresholds),
        first_status=first,
    )


def _forecast_lines(
    overview: pd.DataFrame,
    totals: pd.Series,
    currency: str,
    status_date: pd.Timestamp | None,
    first: pd.Timestamp | None,
) -> list[str]:
    """Write the latest forecast finish and the portfolio's totals as sentences."""
    reporting = int(totals["reporting"])
    if reporting == 0:
        when = "yet" if status_date is None else f"by {status_date:%d %b %Y}"
        since = "" if first is None else f"; the first status is from {first:%d %b %Y}"
        return [f"No project had reported earned value {when}{since}."]
    lines = []
    late = overview.dropna(subset=["weeks_late"]).sort_values(
        "weeks_late", kind="stable"
    )
    if len(late) and late["weeks_late"].iloc[-1] >= LATE_HEADLINE_WEEKS:
        row = late.iloc[-1]
        lines.append(
            f"Latest forecast finish: {row['project_id']} {row['name']} on "
            f"{row['forecast_finish']:%d %b %Y}, {row['weeks_late']:.0f} weeks after "
            f"its plan if its pace so far continues (SPI(t) {row['spi_t']:.2f})."
        )
    verb = "reports" if reporting == 1 else "report"
    vac = float(totals["vac"])
    lines.append(
        f"The {plural(reporting, 'project')} that {verb} earned value "
        f"{'has' if reporting == 1 else 'have'} a portfolio SPI of "
        f"{totals['spi']:.2f} and CPI of {totals['cpi']:.2f}; all "
        f"{plural(int(totals['projects']), 'project')} are forecast to cost "
        f"{currency} {totals['eac_cpi']:,.0f} against budgets of "
        f"{currency} {totals['bac']:,.0f} "
        f"({currency} {abs(vac):,.0f} {'over' if vac < 0 else 'under'})."
    )
    return lines


def rag_legend(thresholds: RagThresholds | RagRules = DEFAULT_RAG) -> str:
    """
    Say how the report's RAG is worked out, with the bands in use.

    Examples
    --------
    >>> rag_legend()[:60]
    'Schedule from SPI(t): green 0.95-1.05, amber 0.90-0.95 or 1.'
    """
    rules = RagRules.coerce(thresholds)

    def bands(t: RagThresholds) -> str:
        return (
            f"green {t.green_low:.2f}-{t.green_high:.2f}, amber {t.amber_low:.2f}-"
            f"{t.green_low:.2f} or {t.green_high:.2f}-{t.amber_high:.2f}, red beyond"
        )

    return (
        f"Schedule from SPI(t): {bands(rules.schedule)}. Cost from CPI: "
        f"{bands(rules.cost)}. Overall is the worse of the two. Grey: no earned "
        "value to rate; the State column says why (closed, not started, or no "
        "status yet)."
    )
