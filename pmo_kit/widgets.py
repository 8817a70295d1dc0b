"""Interactive widgets (ipywidgets) for the lessons."""

from __future__ import annotations

import html
from typing import TYPE_CHECKING, Any

import pandas as pd

if TYPE_CHECKING:
    import ipywidgets

    from pmo_kit.data.portfolio import Portfolio

__all__ = ["project_explorer"]


def _project_card(portfolio: Portfolio, project_id: str) -> str:
    from pmo_kit.portfolio import portfolio_overview

    overview = portfolio_overview(portfolio)
    row = overview[overview["project_id"] == project_id].iloc[0]
    people = portfolio.resources.set_index("resource_id")["name"]
    manager = people.get(row["manager"], row["manager"])
    tasks = int((portfolio.tasks["project_id"] == project_id).sum())
    no_status = {
        "initiation": "not started",
        "planning": "not started",
        "closed": "no status reports (closed)",
    }.get(str(row["phase"]), "no status reports yet")
    performance = (
        no_status if pd.isna(row["spi"]) else f"{row['spi']:.2f} / {row['cpi']:.2f}"
    )
    facts = [
        ("Programme", row["programme"]),
        ("Manager", manager),
        ("Approach", row["methodology"]),
        ("Phase", row["phase"]),
        ("Budget (BAC)", f"{portfolio.currency} {row['budget']:,.0f}"),
        ("Tasks", tasks),
        ("SPI / CPI", performance),
        ("Overall RAG", row["overall_rag"]),
        ("Open / occurred risks", f"{row['open_risks']} / {row['fired_risks']}"),
    ]
    items = "".join(
        f"<tr><th style='text-align:left;padding-right:12px'>{html.escape(k)}</th>"
        f"<td>{html.escape(str(v))}</td></tr>"
        for k, v in facts
    )
    title = html.escape(f"{project_id} {row['name']}")
    return f"<h4 class='pmo-project-title'>{title}</h4><table>{items}</table>"


def project_explorer(portfolio: Portfolio, *, project_id: str | None = None) -> Any:
    """
    Build a dropdown of projects; choosing one shows its project card.

    Parameters
    ----------
    portfolio
        The organisation to explore.
    project_id
        Project shown first; default the first one.

    Returns
    -------
    ipywidgets.VBox
        ``children[0]`` is the dropdown, ``children[1]`` the card (an HTML widget).
    """
    import ipywidgets as widgets

    options = [
        (f"{pid} {name}", pid)
        for pid, name in zip(
            portfolio.projects["project_id"], portfolio.projects["name"], strict=True
        )
    ]
    first = project_id or options[0][1]
    portfolio.project(first)
    dropdown = widgets.Dropdown(options=options, value=first, description="Project:")
    card = widgets.HTML(value=_project_card(portfolio, first))

    def _update(change: dict[str, Any]) -> None:
        card.value = _project_card(portfolio, change["new"])

    dropdown.observe(_update, names="value")
    box: ipywidgets.VBox = widgets.VBox([dropdown, card])
    return box
