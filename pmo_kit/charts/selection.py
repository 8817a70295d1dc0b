"""
Portfolio selection charts: the efficient frontier and the candidates' choice.

- :func:`frontier_chart`: best value at each budget level (a step line), each
  point where the portfolio changes labelled with what comes in (``+``) and what
  drops out (``-``);
- :func:`selection_chart`: one point per candidate, cost across and score up,
  coloured by who picks it: the exact optimum, the greedy ranking, both or none.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import altair as alt
import pandas as pd

from pmo_kit._errors import ValidationError
from pmo_kit.charts._base import AMOUNT_LABELS, require_columns
from pmo_kit.charts.labels import place_bubble_labels

if TYPE_CHECKING:
    from pmo_kit.selection.optimise import SelectionResult

__all__ = [
    "CHOICE_COLORS",
    "frontier_chart",
    "frontier_labels",
    "selection_chart",
    "selection_points",
]

_INK = "#1f2d3d"
_WIDTH, _HEIGHT = 560, 320

#: Colours of who picks a candidate in :func:`selection_chart`.
CHOICE_COLORS: dict[str, str] = {
    "optimal and greedy": "#2e8540",
    "optimal only": "#1f5f8b",
    "greedy only": "#f0a30a",
    "not chosen": "#9e9e9e",
}


def _domain(values: pd.Series, *, pad: float = 0.08) -> list[float]:
    low, high = float(values.min()), float(values.max())
    span = (high - low) or max(abs(high), 1.0)
    return [low - span * pad, high + span * pad]


def frontier_labels(frontier: pd.DataFrame) -> pd.DataFrame:
    """
    Feasible frontier points with a label saying what changed from the last one.

    Returns
    -------
    pandas.DataFrame
        ``budget, best_value, total_cost, count, label`` (``"+B +C -A"``; empty
        for the first point and where nothing changed).

    Examples
    --------
    >>> import pandas as pd
    >>> frontier = pd.DataFrame(
    ...     {
    ...         "budget": [5.0, 6.0, 10.0],
    ...         "feasible": [True, True, True],
    ...         "best_value": [50.0, 60.0, 100.0],
    ...         "total_cost": [5.0, 6.0, 10.0],
    ...         "count": [1, 1, 2],
    ...         "added": [("B",), ("A",), ("B", "C")],
    ...         "removed": [(), ("B",), ("A",)],
    ...     }
    ... )
    >>> frontier_labels(frontier)["label"].tolist()
    ['', '+A -B', '+B +C -A']
    """
    needed = ["budget", "feasible", "best_value", "added", "removed"]
    require_columns(frontier, needed, builder="frontier_chart")
    data = frontier[frontier["feasible"].astype(bool)].sort_values("budget")
    labels = []
    for k, (added, removed) in enumerate(
        zip(data["added"], data["removed"], strict=True)
    ):
        parts = [f"+{i}" for i in added] + [f"-{i}" for i in removed]
        labels.append("" if k == 0 else " ".join(parts))
    columns = [c for c in ("budget", "best_value", "total_cost", "count") if c in data]
    out = data[columns].reset_index(drop=True)
    out["label"] = labels
    return out


def frontier_chart(
    frontier: pd.DataFrame,
    *,
    current: float | None = None,
    title: str = "Efficient frontier: best value at each budget",
    currency: str = "EUR",
    value_title: str = "Best total value",
) -> alt.LayerChart:
    """
    Best value against budget, labelled with what changes between levels.

    Parameters
    ----------
    frontier
        From :func:`pmo_kit.selection.efficient_frontier` or
        :meth:`pmo_kit.selection.Pipeline.frontier`.
    current
        A budget to mark with a vertical rule (the budget asked for).
    title, currency, value_title
        Chart title, currency of the budget axis, title of the value axis.

    Returns
    -------
    altair.LayerChart
        A step line, its points, the change labels and (with ``current``) a rule.

    Examples
    --------
    >>> import pandas as pd
    >>> frontier = pd.DataFrame(
    ...     {
    ...         "budget": [5.0, 10.0],
    ...         "feasible": [True, True],
    ...         "best_value": [50.0, 100.0],
    ...         "total_cost": [5.0, 10.0],
    ...         "count": [1, 2],
    ...         "added": [("B",), ("C",)],
    ...         "removed": [(), ()],
    ...     }
    ... )
    >>> [layer["mark"]["type"] for layer in frontier_chart(frontier).to_dict()["layer"]]
    ['line', 'circle', 'text']
    """
    data = frontier_labels(frontier)
    if data.empty:
        msg = "the frontier has no feasible budget level: nothing to draw"
        raise ValidationError(msg)
    x_domain = _domain(data["budget"])
    y_domain = _domain(data["best_value"], pad=0.15)
    x_scale = alt.Scale(domain=x_domain, nice=False, zero=False)
    y_scale = alt.Scale(domain=y_domain, nice=False, zero=False)
    x_title = f"Budget ({currency})"
    x = alt.X(
        "budget:Q", title=x_title, scale=x_scale, axis=alt.Axis(labelExpr=AMOUNT_LABELS)
    )
    y = alt.Y("best_value:Q", title=value_title, scale=y_scale)
    tooltip = [
        alt.Tooltip("budget:Q", title="Budget", format=",.0f"),
        alt.Tooltip("best_value:Q", title="Best value", format=",.2f"),
        *(
            [alt.Tooltip("total_cost:Q", title="Cost", format=",.0f")]
            if "total_cost" in data
            else []
        ),
        alt.Tooltip("label:N", title="Change"),
    ]
    line = (
        alt.Chart(data)
        .mark_line(interpolate="step-after", color="#1f5f8b", strokeWidth=2)
        .encode(x=x, y=y)
    )
    points = (
        alt.Chart(data)
        .mark_circle(size=60, color="#1f5f8b", opacity=1)
        .encode(x=x, y=y, tooltip=tooltip)
    )
    labelled = data[data["label"] != ""].reset_index(drop=True)
    labels = _point_labels(
        labelled,
        ("label", "budget", "best_value"),
        domains=(x_domain, y_domain),
        scales=(x_scale, y_scale),
        titles=(x_title, value_title),
        area=60.0,
    )
    layers: list[alt.Chart] = [line, points, labels]
    if current is not None:
        layers.append(
            alt.Chart(pd.DataFrame({"budget": [float(current)]}))
            .mark_rule(color="#c0392b", strokeDash=[4, 3])
            .encode(x=alt.X("budget:Q", scale=x_scale, title=x_title))
        )
    return alt.LayerChart(layer=layers, title=title, width=_WIDTH, height=_HEIGHT)


def selection_points(scored: pd.DataFrame, result: SelectionResult) -> pd.DataFrame:
    """
    One row per candidate with who picks it: ``choice`` of :data:`CHOICE_COLORS`.

    Examples
    --------
    >>> import pandas as pd
    >>> from pmo_kit.selection import select_portfolio
    >>> table = pd.DataFrame(
    ...     {"project_id": ["A", "B", "C"], "value": [60, 50, 50], "cost": [6, 5, 5]}
    ... )
    >>> result = select_portfolio(table, budget=10)
    >>> selection_points(table.rename(columns={"value": "score"}), result)[
    ...     ["project_id", "choice"]
    ... ]
      project_id        choice
    0          A   greedy only
    1          B  optimal only
    2          C  optimal only
    """
    require_columns(scored, ["project_id", "score", "cost"], builder="selection_chart")
    best = set(result.chosen)
    greedy = set(result.greedy.chosen) if result.greedy is not None else set()
    names = {
        (True, True): "optimal and greedy",
        (True, False): "optimal only",
        (False, True): "greedy only",
        (False, False): "not chosen",
    }
    data = scored.copy()
    data["choice"] = [
        names[(str(i) in best, str(i) in greedy)] for i in data["project_id"]
    ]
    return data


def selection_chart(
    scored: pd.DataFrame,
    result: SelectionResult,
    *,
    title: str = "Candidates: score against cost",
    currency: str = "EUR",
) -> alt.LayerChart:
    """
    Score against cost per candidate, coloured by optimum vs greedy choice.

    Parameters
    ----------
    scored
        ``project_id, score, cost`` (and ``name``), e.g.
        :meth:`pmo_kit.selection.Pipeline.scored`.
    result
        The selection (:func:`~pmo_kit.selection.select_portfolio`).
    title, currency
        Chart title and the currency of the cost axis.

    Returns
    -------
    altair.LayerChart
        Points and their (non-overlapping) id labels.
    """
    data = selection_points(scored, result)
    x_domain = _domain(data["cost"])
    y_domain = _domain(data["score"], pad=0.12)
    x_scale = alt.Scale(domain=x_domain, nice=False, zero=False)
    y_scale = alt.Scale(domain=y_domain, nice=False, zero=False)
    x_title = f"Cost ({currency})"
    y_title = "Weighted score"
    names = list(CHOICE_COLORS)
    tooltip = [
        alt.Tooltip("project_id:N", title="Candidate"),
        *([alt.Tooltip("name:N", title="Name")] if "name" in data else []),
        alt.Tooltip("score:Q", title="Score", format=".2f"),
        alt.Tooltip("cost:Q", title="Cost", format=",.0f"),
        alt.Tooltip("choice:N", title="Chosen by"),
    ]
    points = (
        alt.Chart(data)
        .mark_circle(size=90, opacity=0.9, stroke=_INK, strokeWidth=0.5)
        .encode(
            x=alt.X(
                "cost:Q",
                title=x_title,
                scale=x_scale,
                axis=alt.Axis(labelExpr=AMOUNT_LABELS),
            ),
            y=alt.Y("score:Q", title=y_title, scale=y_scale),
            color=alt.Color(
                "choice:N",
                title="Chosen by",
                scale=alt.Scale(domain=names, range=[CHOICE_COLORS[n] for n in names]),
            ),
            tooltip=tooltip,
        )
    )
    labels = _point_labels(
        data,
        ("project_id", "cost", "score"),
        domains=(x_domain, y_domain),
        scales=(x_scale, y_scale),
        titles=(x_title, y_title),
        area=90.0,
    )
    return alt.LayerChart(
        layer=[points, labels], title=title, width=_WIDTH, height=_HEIGHT
    )


def _point_labels(
    data: pd.DataFrame,
    columns: tuple[str, str, str],
    *,
    domains: tuple[list[float], list[float]],
    scales: tuple[alt.Scale, alt.Scale],
    titles: tuple[str, str],
    area: float,
) -> alt.Chart:
    """Text labels beside the points, placed so they overlap no point or label."""
    text, x, y = columns
    placed = place_bubble_labels(
        pd.DataFrame(
            {
                "project_id": data[text].astype(str),
                "x": data[x].astype(float),
                "y": data[y].astype(float),
                "bac": 1.0,
            }
        ),
        x_domain=domains[0],
        y_domain=domains[1],
        size=(_WIDTH, _HEIGHT),
        area=(area, area),
        font_size=10.0,
    )
    labels: alt.Chart = (
        alt.Chart(data.assign(label_x=placed["label_x"], label_y=placed["label_y"]))
        .mark_text(fontSize=10, color=_INK, align="center", baseline="middle")
        .encode(
            x=alt.X("label_x:Q", scale=scales[0], title=titles[0]),
            y=alt.Y("label_y:Q", scale=scales[1], title=titles[1]),
            text=f"{text}:N",
        )
    )
    return labels
