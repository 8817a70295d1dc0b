"""Portfolio charts: budget against spend, RAG grid, schedule against cost bubbles."""

from __future__ import annotations

from typing import Literal

import altair as alt
import numpy as np
import pandas as pd

from pmo_kit._errors import ValidationError
from pmo_kit.charts._base import AMOUNT_LABELS, rag_scale, require_columns
from pmo_kit.charts.labels import place_bubble_labels

__all__ = ["budget_vs_spend_chart", "portfolio_bubble_chart", "rag_grid_chart"]

_INK = "#1f2d3d"
_INDICES = {"spi": "SPI", "spi_t": "SPI(t)"}
_BUBBLE_WIDTH, _BUBBLE_HEIGHT = 440, 340
_BUBBLE_AREA = [80, 1600]  # px² of the smallest and the largest bubble


def _labelled(frame: pd.DataFrame) -> pd.DataFrame:
    """Add the axis label used by every per-project chart: ``P-001 Name``."""
    return frame.assign(label=frame["project_id"] + " " + frame["name"])


def budget_vs_spend_chart(
    overview: pd.DataFrame,
    *,
    title: str = "Budget vs spend to date",
    currency: str = "EUR",
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
    currency
        Currency code for the axis title (the dataset's ``portfolio.currency``).

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
        x=alt.X(
            "budget:Q",
            title=currency,
            # few, well-spaced labels: "1.1M1.2M" never runs together
            axis=alt.Axis(
                format="~s", labelExpr=AMOUNT_LABELS, tickCount=6, labelOverlap=True
            ),
        ),
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


# -------------------------------------------------------------- portfolio bubble


def portfolio_bubble_chart(
    portfolio_performance: pd.DataFrame,
    *,
    x: Literal["spi", "spi_t"] = "spi",
    title: str = "Portfolio: schedule vs cost performance",
    currency: str = "EUR",
) -> alt.LayerChart:
    """
    One bubble per project: schedule index across, CPI up, size BAC, colour RAG.

    The rules at 1.0 split the plane into quadrants: top right is ahead and under
    budget, bottom left late and over budget. Projects without EV (not started)
    are left out.

    Each project id is placed next to its bubble where it collides with no other
    label (above, below, right, left, then further out), so close projects stay
    readable.

    Parameters
    ----------
    portfolio_performance
        The result of :func:`pmo_kit.evm.portfolio_performance` (needs
        ``project_id``, the ``x`` column, ``cpi``, ``bac``, ``overall_rag``).
    x
        Schedule index across: ``"spi"`` (default) or ``"spi_t"``.
    title
        Chart title.
    currency
        Currency code for the size legend (the dataset's ``portfolio.currency``).

    Returns
    -------
    altair.LayerChart
        Circles, the two quadrant rules and the project-id labels (at
        ``label_x``, ``label_y`` in the data).

    Examples
    --------
    >>> import pandas as pd
    >>> data = pd.DataFrame(
    ...     {
    ...         "project_id": ["P-001", "P-002"],
    ...         "spi": [1.0, 0.77],
    ...         "cpi": [1.01, 0.96],
    ...         "bac": [317_100.0, 748_100.0],
    ...         "overall_rag": ["green", "red"],
    ...     }
    ... )
    >>> spec = portfolio_bubble_chart(data).to_dict()
    >>> [layer["mark"]["type"] for layer in spec["layer"]]
    ['rule', 'rule', 'circle', 'text']
    >>> spec["layer"][2]["encoding"]["size"]["field"]
    'bac'
    """
    if x not in ("spi", "spi_t"):
        msg = f"{x!r} is an invalid value for `x`. Valid values are 'spi' and 'spi_t'"
        raise ValidationError(msg)
    needed = {"project_id", x, "cpi", "bac", "overall_rag"}
    require_columns(portfolio_performance, needed, builder="portfolio_bubble_chart")
    extra = [c for c in ("name", "spi", "spi_t") if c in portfolio_performance.columns]
    data = portfolio_performance[sorted(needed | set(extra))].dropna(subset=[x, "cpi"])
    label = _INDICES[x]
    x_title, y_title = f"{label} (schedule)", "CPI (cost)"
    x_scale, y_scale = _around_one(data[x]), _around_one(data["cpi"])
    x_enc = alt.X(f"{x}:Q", title=x_title, scale=x_scale)
    y_enc = alt.Y("cpi:Q", title=y_title, scale=y_scale)
    tooltip = [
        alt.Tooltip("project_id:N", title="Project"),
        *([alt.Tooltip("name:N", title="Name")] if "name" in data.columns else []),
        alt.Tooltip(f"{x}:Q", title=label, format=".2f"),
        alt.Tooltip("cpi:Q", title="CPI", format=".2f"),
        alt.Tooltip("bac:Q", title="BAC", format=",.0f"),
        alt.Tooltip("overall_rag:N", title="Overall RAG"),
    ]
    quadrants = _quadrant_rules(x_title, y_title)
    bubbles = (
        alt.Chart(data)
        .mark_circle(opacity=0.8, stroke=_INK, strokeWidth=0.5)
        .encode(
            x=x_enc,
            y=y_enc,
            size=alt.Size(
                "bac:Q",
                title=f"BAC ({currency})",
                scale=alt.Scale(domain=[0, _max_bac(data)], range=_BUBBLE_AREA),
                legend=alt.Legend(values=_legend_sizes(_max_bac(data)), format=",.0f"),
            ),
            color=alt.Color("overall_rag:N", scale=rag_scale(), title="Overall RAG"),
            tooltip=tooltip,
        )
    )
    placed = place_bubble_labels(
        data.rename(columns={x: "x", "cpi": "y"}),
        x_domain=x_scale.to_dict()["domain"],
        y_domain=y_scale.to_dict()["domain"],
        size=(_BUBBLE_WIDTH, _BUBBLE_HEIGHT),
    )
    labels = (
        alt.Chart(data.assign(label_x=placed["label_x"], label_y=placed["label_y"]))
        .mark_text(fontSize=11, color=_INK, align="center", baseline="middle")
        .encode(
            x=alt.X("label_x:Q", scale=x_scale, title=x_title),
            y=alt.Y("label_y:Q", scale=y_scale, title=y_title),
            text="project_id:N",
        )
    )
    chart = alt.LayerChart(
        layer=[*quadrants, bubbles, labels],
        title=title,
        width=_BUBBLE_WIDTH,
        height=_BUBBLE_HEIGHT,
    )
    return chart


def _legend_sizes(top: float) -> list[float]:
    """Three round amounts up to ``top`` for the size legend (never 0)."""
    step = 10 ** np.floor(np.log10(top / 3))
    for factor in (1, 2, 2.5, 5, 10):
        if top / (factor * step) <= 4:
            step *= factor
            break
    return [float(step * k) for k in range(1, 5) if step * k <= top][-3:]


def _max_bac(data: pd.DataFrame) -> float:
    top = float(data["bac"].max()) if len(data) else 0.0
    return top if np.isfinite(top) and top > 0 else 1.0


def _around_one(values: pd.Series) -> alt.Scale:
    """Return a scale showing 1.0 with room around it (all four quadrants)."""
    low = min(float(values.min()) if len(values) else 1.0, 0.95) - 0.03
    high = max(float(values.max()) if len(values) else 1.0, 1.05) + 0.03
    return alt.Scale(domain=[round(low, 2), round(high, 2)], nice=False, zero=False)


def _quadrant_rules(x_title: str, y_title: str) -> list[alt.Chart]:
    base = alt.Chart(pd.DataFrame({"value": [1.0]}))
    vertical = base.mark_rule(color=_INK, strokeDash=[4, 3], strokeWidth=1).encode(
        x=alt.X("value:Q", title=x_title)
    )
    horizontal = base.mark_rule(color=_INK, strokeDash=[4, 3], strokeWidth=1).encode(
        y=alt.Y("value:Q", title=y_title)
    )
    return [vertical, horizontal]
