"""
The live portfolio dashboard (``pmo-kit dashboard``): filters, table, charts, drill-in.

:func:`portfolio_dashboard` builds the ipywidgets app that Voila serves; what it
shows comes from the plain functions of :mod:`pmo_kit.widgets.dashboard_views`
(tested without a browser), over the report functions
:func:`pmo_kit.portfolio_review` and :func:`pmo_kit.project_status`. Every part
carries a stable CSS class (``pmo-dashboard-*``, listed in
:data:`~pmo_kit.widgets.dashboard_views.PARTS`) for tests and custom styling.
"""

from __future__ import annotations

import html
from typing import TYPE_CHECKING, Any

from pmo_kit._errors import PMOError
from pmo_kit.widgets.dashboard_views import (
    ALL,
    FILTERS,
    PARTS,
    charts_html,
    dashboard_headline,
    filter_options,
    filter_projects,
    portfolio_table_html,
    project_status_html,
)

if TYPE_CHECKING:
    from collections.abc import Mapping

    import ipywidgets

    from pmo_kit.data.inputs import DateLike
    from pmo_kit.data.portfolio import Portfolio

__all__ = ["portfolio_dashboard"]

_NO_PROJECT = ""
_PROJECT_PROMPT = "Pick a project"


def portfolio_dashboard(
    portfolio: Portfolio, *, as_of: DateLike | None = None
) -> ipywidgets.VBox:
    """
    Build the live portfolio dashboard: filter, see, drill into one project.

    Parameters
    ----------
    portfolio
        The organisation (:func:`pmo_kit.load_portfolio`).
    as_of
        Status cut-off for every figure (None: each project's latest status), as
        for :func:`pmo_kit.portfolio_review` and :func:`pmo_kit.project_status`.

    Returns
    -------
    ipywidgets.VBox
        With CSS class ``pmo-dashboard`` and, in order: the title, the four filter
        dropdowns (programme, phase, overall RAG, methodology; each starts at
        :data:`ALL`), the headline, the portfolio table, the charts (SVG: schedule
        against cost, budget against spend, RAG grid), the project picker (every
        project) and the picked project's status sections. Each part has
        the CSS class named in :data:`PARTS`. No project shown gives
        :data:`NO_MATCH` instead of the table and charts.
    """
    import ipywidgets as widgets

    from pmo_kit.evm import portfolio_totals
    from pmo_kit.reports import portfolio_review, project_status

    review = portfolio_review(portfolio, as_of=as_of)
    overview = review.overview
    options = filter_options(overview)
    names = dict(zip(overview["project_id"], overview["name"], strict=True))
    statuses: dict[str, str] = {}

    def part(widget: Any, key: str) -> Any:
        widget.add_class(PARTS[key])
        return widget

    filters = {
        name: part(
            widgets.Dropdown(
                options=[ALL, *options[name]],
                value=ALL,
                description=label,
                style={"description_width": "initial"},
                layout=widgets.Layout(width="auto", margin="0 16px 0 0"),
            ),
            name,
        )
        for name, label in FILTERS.items()
    }
    day = review.status_date
    title = widgets.HTML(
        f"<h2 style='margin:4px 0'>{html.escape(review.organisation)}: portfolio "
        f"dashboard</h2><p style='color:#4a5866;margin:0'>Status date: "
        f"{'no status yet' if day is None else f'{day:%d %b %Y}'}</p>"
    )
    headline = part(widgets.HTML(), "headline")
    table = part(widgets.HTML(), "table")
    charts = part(widgets.HTML(), "charts")
    # every project, whatever the filters: options that never change cannot race
    # a pick made while a filter change is on its way to the browser
    picker = part(
        widgets.Dropdown(
            options=[
                (_PROJECT_PROMPT, _NO_PROJECT),
                *((f"{pid} {names[pid]}", pid) for pid in overview["project_id"]),
            ],
            value=_NO_PROJECT,
            description="Project",
            style={"description_width": "initial"},
            layout=widgets.Layout(width="480px"),
        ),
        "picker",
    )
    status = part(widgets.HTML(), "status")

    def show_status(change: Mapping[str, Any] | None = None) -> None:
        project_id = picker.value
        if not project_id:
            status.value = (
                "<p style='color:#4a5866'>Pick a project to see its status.</p>"
            )
            return
        if project_id not in statuses:
            try:
                statuses[project_id] = project_status_html(
                    project_status(portfolio, project_id, as_of=as_of)
                )
            except PMOError as exc:  # say why on the page, not in the server log
                status.value = f"<p><strong>{html.escape(str(exc))}</strong></p>"
                return
        status.value = statuses[project_id]

    def refresh(change: Mapping[str, Any] | None = None) -> None:
        shown = filter_projects(
            overview, **{name: box.value for name, box in filters.items()}
        )
        performance = review.performance
        totals = portfolio_totals(
            performance[performance["project_id"].isin(set(shown["project_id"]))]
        ).iloc[0]
        headline.value = dashboard_headline(
            shown, len(overview), totals, review.currency
        )
        table.value = portfolio_table_html(review, shown)
        charts.value = charts_html(review, shown)

    for box in filters.values():
        box.observe(refresh, names="value")
    refresh()
    picker.observe(show_status, names="value")
    show_status()
    heading = widgets.HTML("<h3 style='margin:16px 0 4px'>Project status</h3>")
    return part(
        widgets.VBox(
            [
                title,
                widgets.HBox(list(filters.values())),
                headline,
                table,
                charts,
                heading,
                picker,
                status,
            ]
        ),
        "dashboard",
    )
