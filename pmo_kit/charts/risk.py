"""
Risk charts: the heat map, the top risks, the contingency distribution, the trend.

The builders read what :mod:`pmo_kit.risk` produces (a heat-map table, a scored
register, a contingency result, a trend table) and return altair charts; they
never score, simulate, display or save.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Literal, Protocol

import altair as alt
import numpy as np
import pandas as pd

from pmo_kit._errors import ValidationError
from pmo_kit.charts._base import (
    RAG_COLORS,
    date_axis,
    money_format,
    require_columns,
)

if TYPE_CHECKING:
    import numpy.typing as npt

__all__ = [
    "BAND_COLORS",
    "ContingencyLike",
    "contingency_chart",
    "heat_map_chart",
    "risk_trend_chart",
    "top_risks_chart",
]

#: Colours of the built-in rating bands (the same tones as the RAG colours).
BAND_COLORS: dict[str, str] = {
    "low": RAG_COLORS["green"],
    "medium": RAG_COLORS["amber"],
    "high": RAG_COLORS["red"],
}
_IDS_PER_LINE = 2
_MAX_ID_LINES = 3
_LINE_HEIGHT = 12  # px per line of a heat-map cell (10 px text)
_MARKER_COLOR = "#1f5f8b"
_EMV_COLOR = "#6b7785"


class ContingencyLike(Protocol):
    """What :func:`contingency_chart` reads from a contingency result."""

    @property
    def totals(self) -> npt.NDArray[np.float64]:
        """Simulated totals, one per iteration."""
        ...

    @property
    def emv_sum(self) -> float:
        """Sum of chance x expected cost of the simulated risks."""
        ...

    @property
    def confidence(self) -> float:
        """Confidence of the reserve (0.8 = P80)."""
        ...

    def percentile(self, p: float) -> float:
        """Total not exceeded in a share ``p`` of iterations."""
        ...


def _cell_text(ids: list[str]) -> str:
    lines = [str(len(ids))]
    for start in range(0, len(ids), _IDS_PER_LINE):
        if len(lines) > _MAX_ID_LINES:
            lines.append(f"+{len(ids) - start} more")
            break
        lines.append(", ".join(ids[start : start + _IDS_PER_LINE]))
    return "\n".join(lines) if ids else ""


def heat_map_chart(
    grid: pd.DataFrame,
    *,
    title: str = "Risk heat map",
    probability_title: str = "Probability",
    impact_title: str = "Impact",
) -> alt.LayerChart:
    """
    Probability x impact grid coloured by band; each cell shows its count and IDs.

    Parameters
    ----------
    grid
        The table of :func:`pmo_kit.risk.heat_map_table` (one row per cell with
        ``probability``, ``impact``, ``rating``, ``color``, ``count``,
        ``risk_ids``).
    title, probability_title, impact_title
        Chart and axis titles.

    Returns
    -------
    altair.LayerChart
        A ``rect`` layer (the bands) and ``text`` layers (count, then the IDs,
        two per line, ``+n more`` past six), one per number of lines, each
        centred in its cells.

    Examples
    --------
    >>> import pandas as pd
    >>> from pmo_kit.risk import heat_map_table
    >>> r = pd.DataFrame({"risk_id": ["RK-1"], "probability": [3], "impact": [4]})
    >>> spec = heat_map_chart(heat_map_table(r)).to_dict()
    >>> [layer["mark"]["type"] for layer in spec["layer"]]
    ['rect', 'text']
    """
    require_columns(
        grid,
        {"probability", "impact", "rating", "color", "count", "risk_ids"},
        builder="heat_map_chart",
    )
    data = grid[["probability", "impact", "rating", "color", "count"]].copy()
    data["label"] = [_cell_text(list(ids)) for ids in grid["risk_ids"]]
    data["ids"] = [", ".join(ids) for ids in grid["risk_ids"]]
    data["lines"] = data["label"].str.count("\n") + 1
    bands = data.drop_duplicates("rating")
    levels_p = sorted(data["probability"].unique(), reverse=True)
    levels_i = sorted(data["impact"].unique())
    base = alt.Chart(data).encode(
        x=alt.X(
            "impact:O", title=impact_title, sort=levels_i, axis=alt.Axis(labelAngle=0)
        ),
        y=alt.Y("probability:O", title=probability_title, sort=levels_p),
    )
    cells = base.mark_rect(stroke="white", strokeWidth=2).encode(
        color=alt.Color(
            "rating:N",
            title="Rating",
            scale=alt.Scale(
                domain=bands["rating"].tolist(), range=bands["color"].tolist()
            ),
        ),
        opacity=alt.condition("datum.count > 0", alt.value(0.95), alt.value(0.45)),
        tooltip=[
            alt.Tooltip("probability:O", title="Probability"),
            alt.Tooltip("impact:O", title="Impact"),
            alt.Tooltip("rating:N", title="Rating"),
            alt.Tooltip("count:Q", title="Risks"),
            alt.Tooltip("ids:N", title="IDs"),
        ],
    )
    # Vega hangs a multi-line text down from its anchor: shift each block up by
    # half its extra lines so that it is centred in (and stays inside) its cell
    texts = [
        base.transform_filter(f"datum.lines == {n}")
        .mark_text(
            lineBreak="\n",
            fontSize=10,
            lineHeight=_LINE_HEIGHT,
            dy=-(n - 1) * _LINE_HEIGHT / 2,
            color="#1f2d3d",
        )
        .encode(text="label:N")
        for n in sorted(set(data.loc[data["label"] != "", "lines"]))
    ]
    chart: alt.LayerChart = alt.LayerChart(
        layer=[cells, *texts],
        title=title,
        width=100 * len(levels_i),
        height=72 * len(levels_p),
    )
    return chart


def top_risks_chart(
    top: pd.DataFrame,
    *,
    by: str = "residual_score",
    color_by: str = "residual_rating",
    title: str | None = None,
) -> alt.Chart:
    """
    Horizontal bars of the top risks, largest at the top, coloured by rating.

    Parameters
    ----------
    top
        The table of :func:`pmo_kit.risk.top_risks` (``risk_id``, ``title`` and
        the ``by`` column).
    by
        Column to draw: ``residual_score``, ``inherent_score``, ``exposure`` or
        ``emv`` (drawn as its absolute value).
    color_by
        Rating column giving the colour (``residual_rating`` or ``rating``).
    title
        Chart title; defaults to one naming ``by``.

    Returns
    -------
    altair.Chart
        A ``bar`` chart.

    Examples
    --------
    >>> import pandas as pd
    >>> top = pd.DataFrame(
    ...     {
    ...         "risk_id": ["RK-1", "RK-2"],
    ...         "title": ["Supplier fails", "Key user leaves"],
    ...         "residual_score": [16.0, 9.0],
    ...         "residual_rating": ["high", "medium"],
    ...     }
    ... )
    >>> top_risks_chart(top).to_dict()["mark"]["type"]
    'bar'
    """
    require_columns(top, {"risk_id", "title", by, color_by}, builder="top_risks_chart")
    words = {
        "residual_score": ("Residual score", ",.2~f"),
        "inherent_score": ("Inherent score", ",.2~f"),
        "exposure": ("Exposure (EUR, chance x expected cost)", ",.0f"),
        "emv": ("EMV (EUR, absolute)", ",.0f"),
    }
    axis_title, fmt = words.get(by, (by, ",.2~f"))
    data = top[["risk_id", "title", color_by]].copy()
    data["value"] = top[by].abs() if by == "emv" else top[by]
    data["label"] = data["risk_id"] + "  " + data["title"].astype(str).str.slice(0, 40)
    order = data.sort_values("value", ascending=False)["label"].tolist()
    ratings = [r for r in BAND_COLORS if r in set(data[color_by])]
    extra = sorted(set(data[color_by]) - set(ratings))
    chart: alt.Chart = (
        alt.Chart(
            data, title=title or f"Top risks by {axis_title.split(' (')[0].lower()}"
        )
        .mark_bar()
        .encode(
            x=alt.X("value:Q", title=axis_title, axis=alt.Axis(format=fmt)),
            y=alt.Y("label:N", title=None, sort=order),
            color=alt.Color(
                f"{color_by}:N",
                title="Rating",
                scale=alt.Scale(
                    domain=ratings + extra,
                    range=[BAND_COLORS[r] for r in ratings] + ["#7d3c98"] * len(extra),
                ),
            ),
            tooltip=[
                alt.Tooltip("risk_id:N", title="Risk"),
                alt.Tooltip("title:N", title="Title"),
                alt.Tooltip("value:Q", title=axis_title, format=fmt),
            ],
        )
        .properties(width=420, height=max(60, 22 * len(data)))
    )
    return chart


def contingency_chart(
    result: ContingencyLike,
    *,
    budget: float | None = None,
    bins: int = 40,
    title: str = "Cost of the open threats: Monte Carlo",
) -> alt.LayerChart:
    """
    Histogram of the simulated risk cost with the P50, the reserve and the EMV sum.

    Parameters
    ----------
    result
        The result of :func:`pmo_kit.risk.contingency`.
    budget
        The contingency budget (for example the charter's), drawn in red.
    bins
        Number of histogram bars (5 to 200).
    title
        Chart title.

    Returns
    -------
    altair.LayerChart
        Layers: the bars, the rules and their labels.

    Examples
    --------
    >>> import numpy as np
    >>> from types import SimpleNamespace
    >>> totals = np.array([0.0, 0.0, 100.0, 200.0, 300.0, 900.0])
    >>> result = SimpleNamespace(
    ...     totals=totals,
    ...     emv_sum=250.0,
    ...     confidence=0.8,
    ...     percentile=lambda p: float(np.quantile(totals, p)),
    ... )
    >>> spec = contingency_chart(result, budget=500).to_dict()
    >>> [layer["mark"]["type"] for layer in spec["layer"]]
    ['bar', 'rule', 'text']
    """
    if not 5 <= bins <= 200:
        msg = f"{bins!r} is an invalid value for `bins`. Allowed: 5 to 200"
        raise ValidationError(msg)
    totals = np.asarray(result.totals, dtype=float)
    if totals.size == 0:
        msg = "contingency_chart needs a contingency result with iterations"
        raise ValidationError(msg)
    high = (
        float(totals.max()) if totals.max() > totals.min() else float(totals.min()) + 1
    )
    counts, edges = np.histogram(totals, bins=bins, range=(float(totals.min()), high))
    bars_data = pd.DataFrame(
        {
            "low": edges[:-1],
            "high": edges[1:],
            "share": counts / totals.size,
        }
    )
    bars = (
        alt.Chart(bars_data)
        .mark_bar(color="#8fb3d0")
        .encode(
            x=alt.X(
                "low:Q",
                title="Total cost of the risks that happen (EUR)",
                axis=alt.Axis(format=",.0f"),
            ),
            x2="high:Q",
            y2=alt.datum(0),
            y=alt.Y(
                "share:Q",
                title="Share of simulated futures",
                axis=alt.Axis(format="%"),
                scale=alt.Scale(domain=[0, float(bars_data["share"].max()) * 1.35]),
            ),
            tooltip=[
                alt.Tooltip("low:Q", title="From", format=",.0f"),
                alt.Tooltip("high:Q", title="To", format=",.0f"),
                alt.Tooltip("share:Q", title="Share", format=".1%"),
            ],
        )
    )
    confidence = float(result.confidence)
    markers: list[tuple[str, float, str, str]] = [
        ("P50", result.percentile(0.5), _MARKER_COLOR, "solid"),
        (
            f"P{round(confidence * 100)}",
            result.percentile(confidence),
            _MARKER_COLOR,
            "dashed",
        ),
        ("EMV sum", float(result.emv_sum), _EMV_COLOR, "dotted"),
    ]
    if budget is not None:
        markers.append(("Budget", float(budget), RAG_COLORS["red"], "solid"))
    rules = pd.DataFrame(
        [
            {"x": x, "label": f"{name} {money_format(x)}", "color": color, "dash": dash}
            for name, x, color, dash in markers
        ]
    )
    rules["row"] = [4 + 15 * k for k in range(len(rules))]
    rule = (
        alt.Chart(rules)
        .mark_rule(strokeWidth=2)
        .encode(
            x="x:Q",
            color=alt.Color("color:N", scale=None),
            strokeDash=alt.StrokeDash(
                "dash:N",
                scale=alt.Scale(
                    domain=["solid", "dashed", "dotted"], range=[[1, 0], [6, 3], [2, 2]]
                ),
                legend=None,
            ),
        )
    )
    side: Literal["left"] = "left"
    labels = (
        alt.Chart(rules)
        .mark_text(align=side, baseline="top", dx=4, fontSize=11, fontWeight="bold")
        .encode(
            x="x:Q",
            y=alt.Y("row:Q", scale=None, axis=None),
            text="label:N",
            color=alt.Color("color:N", scale=None),
        )
    )
    chart: alt.LayerChart = alt.LayerChart(
        layer=[bars, rule, labels], title=title, width=560, height=240
    ).resolve_scale(y="independent")
    return chart


def risk_trend_chart(
    trend: pd.DataFrame, *, title: str = "Risk register over time"
) -> alt.Chart:
    """
    Open, new and closed risks per period.

    Parameters
    ----------
    trend
        The table of :func:`pmo_kit.risk.risk_trend`.
    title
        Chart title.

    Returns
    -------
    altair.Chart
        A ``line`` chart (with points), one line per series.

    Examples
    --------
    >>> import pandas as pd
    >>> trend = pd.DataFrame(
    ...     {
    ...         "period_end": pd.to_datetime(["2026-01-31", "2026-02-28"]),
    ...         "new": [3, 1],
    ...         "closed": [0, 2],
    ...         "open": [3, 2],
    ...     }
    ... )
    >>> risk_trend_chart(trend).to_dict()["mark"]["type"]
    'line'
    """
    require_columns(
        trend, {"period_end", "new", "closed", "open"}, builder="risk_trend_chart"
    )
    long = trend.melt(
        id_vars="period_end",
        value_vars=["open", "new", "closed"],
        var_name="series",
        value_name="risks",
    )
    chart: alt.Chart = (
        alt.Chart(long, title=title)
        .mark_line(point=True)
        .encode(
            x=alt.X(
                "period_end:T",
                title="End of period",
                axis=date_axis(long["period_end"]),
            ),
            y=alt.Y("risks:Q", title="Risks"),
            color=alt.Color(
                "series:N",
                title=None,
                scale=alt.Scale(
                    domain=["open", "new", "closed"],
                    range=["#1f5f8b", RAG_COLORS["amber"], RAG_COLORS["green"]],
                ),
            ),
            tooltip=[
                alt.Tooltip("period_end:T", title="Period end", format="%Y-%m-%d"),
                alt.Tooltip("series:N", title="Series"),
                alt.Tooltip("risks:Q", title="Risks"),
            ],
        )
        .properties(width=520, height=220)
    )
    return chart
