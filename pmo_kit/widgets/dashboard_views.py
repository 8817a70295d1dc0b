"""
What the portfolio dashboard shows, as plain functions (no widgets, no browser).

:func:`pmo_kit.widgets.portfolio_dashboard` wires these to its controls: the
filters (:func:`filter_projects`), the headline (:func:`dashboard_headline`), the
portfolio-overview report's table (:func:`portfolio_table_html`), its charts as inline
SVG (:func:`charts_html`, :func:`chart_svg`) and one project's status sections
(:func:`project_status_html`). Every figure comes from the report functions
(:func:`pmo_kit.portfolio_review`, :func:`pmo_kit.project_status`); every text from the
data is escaped. Charts are SVG drawn in the kernel by vl-convert (the kit's offline
renderer), so nothing is fetched from the network.
"""

from __future__ import annotations

import html
from typing import TYPE_CHECKING, Any

from pmo_kit._errors import ValidationError

if TYPE_CHECKING:
    from collections.abc import Iterable

    import pandas as pd

    from pmo_kit.reports import PortfolioReview, ProjectStatus

__all__ = [
    "ALL",
    "FILTERS",
    "NO_MATCH",
    "PARTS",
    "TABLE_COLUMNS",
    "chart_svg",
    "charts_html",
    "dashboard_headline",
    "filter_options",
    "filter_projects",
    "portfolio_table_html",
    "project_status_html",
]

#: The choice that leaves a filter open.
ALL = "All"
#: Filter name (a column of :func:`pmo_kit.portfolio_overview`) -> its label.
FILTERS: dict[str, str] = {
    "programme": "Programme",
    "phase": "Phase",
    "overall_rag": "Overall RAG",
    "methodology": "Methodology",
}
#: Shown instead of the table and charts when the filters leave no project.
NO_MATCH = "No project matches these filters."
#: Part of the dashboard -> its CSS class (the filters: ``pmo-filter-<name>``).
PARTS: dict[str, str] = {
    "dashboard": "pmo-dashboard",
    "headline": "pmo-dashboard-headline",
    "table": "pmo-dashboard-table",
    "charts": "pmo-dashboard-charts",
    "picker": "pmo-project-picker",
    "status": "pmo-dashboard-status",
    **{name: f"pmo-filter-{name}" for name in FILTERS},
}
#: Columns of the portfolio table: the report's, with the filtered ones added.
TABLE_COLUMNS = (
    "project_id",
    "name",
    "programme",
    "methodology",
    "phase",
    "state",
    "budget",
    "eac",
    "spi_t",
    "cpi",
    "forecast_finish",
    "schedule_rag",
    "cost_rag",
    "overall_rag",
    "open_risks",
)
_RAGS = ("green", "amber", "red", "grey")


def filter_options(overview: pd.DataFrame) -> dict[str, list[str]]:
    """
    List the choices of each filter: the values present in the overview, sorted.

    RAG colours come in their order of severity (green, amber, red, grey), other
    values alphabetically. :data:`ALL` is not included.

    Examples
    --------
    >>> import pandas as pd
    >>> table = pd.DataFrame(
    ...     {
    ...         "programme": ["B", "A", "B"],
    ...         "phase": ["execution"] * 3,
    ...         "overall_rag": ["red", "green", "grey"],
    ...         "methodology": ["agile", "hybrid", "agile"],
    ...     }
    ... )
    >>> filter_options(table)["overall_rag"], filter_options(table)["programme"]
    (['green', 'red', 'grey'], ['A', 'B'])
    """
    options: dict[str, list[str]] = {}
    for name in FILTERS:
        values = {str(v) for v in overview[name].dropna()}
        if name == "overall_rag":
            rank = {rag: i for i, rag in enumerate(_RAGS)}
            options[name] = sorted(values, key=lambda v: (rank.get(v, len(rank)), v))
        else:
            options[name] = sorted(values)
    return options


def _chosen(name: str, value: str | Iterable[str] | None) -> set[str] | None:
    """Turn a filter's value into the set of accepted values (None: no filter)."""
    if value is None:
        return None
    chosen = {value} if isinstance(value, str) else {str(v) for v in value}
    if not chosen or ALL in chosen:
        return None
    return chosen


def filter_projects(
    overview: pd.DataFrame,
    *,
    programme: str | Iterable[str] | None = None,
    phase: str | Iterable[str] | None = None,
    overall_rag: str | Iterable[str] | None = None,
    methodology: str | Iterable[str] | None = None,
) -> pd.DataFrame:
    """
    Keep the projects that pass every filter, in the overview's order.

    Parameters
    ----------
    overview
        :attr:`pmo_kit.reports.PortfolioReview.overview` (any table with the
        filter columns).
    programme, phase, overall_rag, methodology
        One value, several values (any of them passes), or None / :data:`ALL` /
        nothing for no filter on that column.

    Returns
    -------
    pandas.DataFrame
        The rows that pass (possibly none), index kept.

    Raises
    ------
    ValidationError
        A value that does not occur in its column (a typo such as ``"Agile"``
        would otherwise just show nothing); the message lists the values there are.

    Examples
    --------
    >>> import pandas as pd
    >>> table = pd.DataFrame(
    ...     {
    ...         "project_id": ["P-1", "P-2", "P-3"],
    ...         "programme": ["B", "A", "B"],
    ...         "phase": ["execution", "planning", "execution"],
    ...         "overall_rag": ["red", "green", "grey"],
    ...         "methodology": ["agile", "hybrid", "agile"],
    ...     }
    ... )
    >>> list(
    ...     filter_projects(table, programme="B", overall_rag=["red", "green"])[
    ...         "project_id"
    ...     ]
    ... )
    ['P-1']
    >>> filter_projects(table, methodology="Agile")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    pmo_kit._errors.ValidationError: 'Agile' is an invalid value for filter ...
    """
    given = {
        "programme": programme,
        "phase": phase,
        "overall_rag": overall_rag,
        "methodology": methodology,
    }
    options = filter_options(overview)
    keep = overview.index == overview.index  # every row
    for name, value in given.items():
        chosen = _chosen(name, value)
        if chosen is None:
            continue
        unknown = sorted(chosen - set(options[name]))
        if unknown:
            valid = ", ".join(repr(v) for v in options[name]) or "none"
            msg = (
                f"{unknown[0]!r} is an invalid value for filter `{name}`. "
                f"Valid values: {valid} (or {ALL!r})."
            )
            raise ValidationError(msg)
        keep &= overview[name].astype(str).isin(chosen).to_numpy()
    return overview[keep]


def dashboard_headline(
    shown: pd.DataFrame, total: int, totals: pd.Series, currency: str
) -> str:
    """
    Write the headline as HTML: projects shown of all, money, overall RAG counts.

    ``totals`` is :func:`pmo_kit.evm.portfolio_totals` of the shown projects (the
    report's own sums: budget of every project, forecast EAC = BAC / CPI).

    Examples
    --------
    >>> import pandas as pd
    >>> shown = pd.DataFrame({"overall_rag": ["red", "green", "red"]})
    >>> totals = pd.Series({"bac": 1_500_000.0, "eac_cpi": 1_620_000.0})
    >>> import re
    >>> text = re.sub("<[^>]+>", "", dashboard_headline(shown, 10, totals, "EUR"))
    >>> for part in text.split(" · "):
    ...     print(part)
    3 of 10 projects shown
    budget EUR 1,500,000
    forecast (EAC) EUR 1,620,000
    overall RAG: green 1, amber 0, red 2, grey 0
    """
    counts = shown["overall_rag"].value_counts()
    rags = ", ".join(
        f'<span class="pmo-rag-{rag}">{rag} {int(counts.get(rag, 0))}</span>'
        for rag in _RAGS
    )
    noun = "project" if total == 1 else "projects"
    money = html.escape(currency)
    return (
        f'<p class="{PARTS["headline"]}-text" style="font-size:1.1em;margin:6px 0">'
        f"<strong>{len(shown)} of {total} {noun} shown</strong>"
        f" · budget {money} {float(totals['bac']):,.0f}"
        f" · forecast (EAC) {money} {float(totals['eac_cpi']):,.0f}"
        f" · overall RAG: {rags}</p>"
    )


def portfolio_table_html(review: PortfolioReview, shown: pd.DataFrame) -> str:
    """
    Render the portfolio-overview report's table for the shown projects (escaped).

    ``shown`` is a selection of ``review.overview`` rows (:func:`filter_projects`);
    no rows gives the :data:`NO_MATCH` sentence instead of an empty table.
    """
    from pmo_kit.reports import html_table

    if shown.empty:
        return f'<p class="pmo-dashboard-empty"><strong>{NO_MATCH}</strong></p>'
    finish = review.finish_labels.loc[shown.index]
    table = shown.assign(forecast_finish=finish)[list(TABLE_COLUMNS)]
    currency = review.currency
    return str(
        html_table(
            table,
            formats={"budget": ",.0f", "eac": ",.0f", "spi_t": ".2f", "cpi": ".2f"},
            rag_columns=["schedule_rag", "cost_rag", "overall_rag"],
            labels={
                "project_id": "ID",
                "name": "Project",
                "programme": "Programme",
                "methodology": "Methodology",
                "phase": "Phase",
                "state": "State",
                "budget": f"BAC ({currency})",
                "eac": f"EAC ({currency})",
                "spi_t": "SPI(t)",
                "cpi": "CPI",
                "forecast_finish": "Forecast finish",
                "schedule_rag": "Schedule",
                "cost_rag": "Cost",
                "overall_rag": "Overall",
                "open_risks": "Risks",
            },
        )
    )


def chart_svg(chart: Any) -> str:
    """
    Draw an altair chart as inline SVG in the kit's ``pmo`` theme (nothing fetched).

    The same renderer as :func:`pmo_kit.setup_notebook` (vl-convert, text pinned
    to its measured width); the globally enabled altair theme is left as it was.
    """
    import altair as alt

    from pmo_kit.charts import register_theme
    from pmo_kit.charts.svgtext import svg_renderer

    register_theme()
    with alt.theme.enable("pmo"):
        spec = chart.to_dict()
    svg = svg_renderer(spec)["image/svg+xml"]
    return f'<div class="pmo-dashboard-chart" style="max-width:100%">{svg}</div>'


def _section(title: str, body: str) -> str:
    return f"<h3>{html.escape(title)}</h3>{body}"


def project_status_html(status: ProjectStatus) -> str:
    """
    One project's status sections, as the project-status report shows them.

    The header facts, the RAG table with the reason for each area, the decisions
    needed, what changed, the earned-value table, the milestones (due and slipped)
    and the top risks (threats, then opportunities). Every text is escaped.
    """
    from pmo_kit.reports import html_table, narrative_html, report_header

    labels = status.LABELS
    parts = [
        str(
            report_header(
                f"{status.project_id} {status.project_name}: status", status.header()
            )
        ),
        _section(
            "Status at a glance",
            str(
                html_table(
                    status.rag_table(), rag_columns=["rag"], labels=labels["areas"]
                )
            ),
        ),
        _section("Decisions needed", str(narrative_html(status.decisions))),
        _section("What changed", str(narrative_html(status.changes))),
        _section(
            "Earned value",
            str(html_table(status.evm, labels=labels["evm"]))
            if len(status.evm)
            else str(narrative_html([status.areas["cost"].reason])),
        ),
    ]
    for heading, name, rag, labelled, empty in (
        (
            f"Milestones due by {status.milestone_window_end:%d %b %Y}",
            "milestones_due",
            "rag",
            "milestones",
            "None.",
        ),
        ("Milestones slipped", "milestones_slipped", "rag", "milestones", "None."),
        ("Top risks: threats", "top_risks", "rating_rag", "risks", "None open."),
        ("Opportunities", "opportunities", "rating_rag", "risks", "None open."),
    ):
        table = status.shown(name)
        body = (
            str(html_table(table, rag_columns=[rag], labels=labels[labelled]))
            if len(table)
            else f"<p>{empty}</p>"
        )
        parts.append(_section(heading, body))
    return f'<div class="pmo-status-sections">{"".join(parts)}</div>'


def charts_html(review: PortfolioReview, shown: pd.DataFrame) -> str:
    """
    Draw the report's charts for the shown projects, side by side, as inline SVG.

    Schedule against cost (the projects that report earned value), budget against
    spend, and the RAG grid; nothing when no project is shown.
    """
    from pmo_kit.charts import (
        budget_vs_spend_chart,
        portfolio_bubble_chart,
        rag_grid_chart,
    )

    if shown.empty:
        return ""
    currency = review.currency
    ids = set(shown["project_id"])
    performance = review.performance[review.performance["project_id"].isin(ids)]
    rated = performance["spi_t"].notna() & performance["cpi"].notna()
    bubble = (
        chart_svg(portfolio_bubble_chart(performance, x="spi_t", currency=currency))
        if rated.any()
        else "<p>No shown project reports earned value: no bubble to draw.</p>"
    )
    return (
        '<div style="display:flex;flex-wrap:wrap;gap:24px;align-items:flex-start">'
        f"<div>{bubble}</div>"
        f"<div>{chart_svg(budget_vs_spend_chart(shown, currency=currency))}</div>"
        f"<div>{chart_svg(rag_grid_chart(shown))}</div></div>"
    )
