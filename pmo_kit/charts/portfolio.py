"""Portfolio charts: budget against spend, RAG grid."""

from __future__ import annotations

from typing import TYPE_CHECKING

import altair as alt

from pmo_kit.charts._base import rag_scale, require_columns

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["budget_vs_spend_chart", "rag_grid_chart"]


def _labelled(frame: pd.DataFrame) -> pd.DataFrame:
    """Add the axis label used by every per-project chart: ``P-001 Name``."""
    return frame.assign(label=frame["project_id"] + " " + frame["name"])


def budget_vs_spend_chart(
    overview: pd.DataFrame, *, title: str = "Budget vs spend to date"
) -> alt.LayerChart:
    """
    Bar per project: budget (BAC) in grey, actual cost coloured by cost RAG, EAC tick.

    Parameters
    ----------
    overview
        The result of :func:`pmo_kit.portfolio.portfolio_overview` (needs
        ``project_id``, ``name``, ``budget``, ``ac``, ``eac``, ``cost_rag``).
    title
        Chart title.

    Returns
    -------
    altair.LayerChart
        A layered horizontal bar chart; a tick past the grey bar is a forecast overrun.

    Examples
    --------
    >>> import pandas as pd
    >>> data = pd.DataFrame(
    ...     {
    ...         "project_id": ["P-001"],
    ...         "name": ["CRM"],
    ...         "budget": [100.0],
    ...         "ac": [45.0],
    ...         "eac": [112.5],
    ...         "cost_rag": ["red"],
    ...     }
    ... )
    >>> [
    ...     layer["mark"]["type"]
    ...     for layer in budget_vs_spend_chart(data).to_dict()["layer"]
    ... ]
    ['bar', 'bar', 'tick']
    """
    needed = {"project_id", "name", "budget", "ac", "eac", "cost_rag"}
    require_columns(overview, needed, builder="budget_vs_spend_chart")
    data = _labelled(overview[list(needed)])
    y = alt.Y("label:N", sort=None, title=None)
    tooltip = [
        alt.Tooltip("label:N", title="Project"),
        alt.Tooltip("budget:Q", title="Budget (BAC)", format=",.0f"),
        alt.Tooltip("ac:Q", title="Actual cost", format=",.0f"),
        alt.Tooltip("eac:Q", title="Forecast (EAC)", format=",.0f"),
    ]
    base = alt.Chart(data, title=title)
    budget = base.mark_bar(color="#d9d9d9", size=18).encode(
        x=alt.X("budget:Q", title="EUR", axis=alt.Axis(format="~s")),
        y=y,
        tooltip=tooltip,
    )
    spend = base.mark_bar(size=10).encode(
        x="ac:Q",
        y=y,
        color=alt.Color("cost_rag:N", scale=rag_scale(), title="Cost RAG"),
        tooltip=tooltip,
    )
    forecast = base.mark_tick(color="#1f2d3d", thickness=2, size=22).encode(
        x="eac:Q", y=y, tooltip=tooltip
    )
    chart = alt.LayerChart(layer=[budget, spend, forecast], width=480)
    return chart


def rag_grid_chart(overview: pd.DataFrame, *, title: str = "RAG status") -> alt.Chart:
    """
    Grid of projects x (schedule, cost, overall) coloured by RAG status.

    Examples
    --------
    >>> import pandas as pd
    >>> data = pd.DataFrame(
    ...     {
    ...         "project_id": ["P-001"],
    ...         "name": ["CRM"],
    ...         "schedule_rag": ["green"],
    ...         "cost_rag": ["red"],
    ...         "overall_rag": ["red"],
    ...     }
    ... )
    >>> rag_grid_chart(data).to_dict()["mark"]["type"]
    'rect'
    """
    needed = {"project_id", "name", "schedule_rag", "cost_rag", "overall_rag"}
    require_columns(overview, needed, builder="rag_grid_chart")
    data = _labelled(overview[list(needed)])
    long = data.melt(
        id_vars=["label"],
        value_vars=["schedule_rag", "cost_rag", "overall_rag"],
        var_name="dimension",
        value_name="rag",
    )
    long["dimension"] = long["dimension"].str.replace("_rag", "", regex=False)
    chart: alt.Chart = (
        alt.Chart(long, title=title)
        .mark_rect(stroke="white", strokeWidth=2)
        .encode(
            x=alt.X(
                "dimension:N",
                sort=["schedule", "cost", "overall"],
                title=None,
                axis=alt.Axis(orient="top", labelAngle=0),
            ),
            y=alt.Y("label:N", sort=None, title=None),
            color=alt.Color("rag:N", scale=rag_scale(), title="RAG"),
            tooltip=["label:N", "dimension:N", "rag:N"],
        )
        .properties(width=210)
    )
    return chart
