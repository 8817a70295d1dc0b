"""
The selection weights widget (lesson 08): move the weights, watch the choice move.

A slider per criterion (the weights are normalised and shown), a budget slider;
live: the ranking, the exact best portfolio against the greedy ranking with the
value the ranking loses, and the limits that bind. ``widget.state`` holds what is
shown (plain values, for tests and exercises) and ``widget.result`` the
:class:`~pmo_kit.selection.SelectionResult`. The helpers below are pure functions.
"""

from __future__ import annotations

import html
import math
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from collections.abc import Mapping

    import ipywidgets
    import pandas as pd

    from pmo_kit.selection import Pipeline, SelectionResult

__all__ = [
    "ranking_html",
    "selection_state",
    "selection_summary_html",
    "selection_weights",
    "weights_html",
]


def weights_html(weights: Mapping[str, float]) -> str:
    """
    Show normalised weights as percentages (escaped).

    Examples
    --------
    >>> weights_html({"strategy": 0.75, "risk": 0.25})
    'Weights used: strategy 75%, risk 25%'
    """
    parts = [f"{html.escape(str(k))} {v:.0%}" for k, v in weights.items()]
    return "Weights used: " + ", ".join(parts)


def selection_state(
    pipeline: Pipeline,
    weights: Mapping[str, float],
    budget: float,
    *,
    value: str = "score",
) -> dict[str, Any]:
    """
    Compute what the widget shows for some weights and a budget.

    Returns
    -------
    dict
        ``weights`` (normalised), ``budget``, ``ranking`` (ids, best first),
        ``chosen``, ``greedy``, ``total_value``, ``greedy_value``, ``value_lost``,
        ``total_cost``, ``binding``, ``error`` (a one-line message, or None) and
        ``result`` (the SelectionResult, or None) and ``scored`` (the table).
    """
    from pmo_kit._errors import ValidationError
    from pmo_kit.selection import normalise_weights

    state: dict[str, Any] = {
        "weights": {},
        "budget": float(budget),
        "ranking": [],
        "chosen": [],
        "greedy": [],
        "total_value": math.nan,
        "greedy_value": math.nan,
        "value_lost": math.nan,
        "total_cost": math.nan,
        "binding": [],
        "error": None,
        "result": None,
        "scored": None,
    }
    try:
        normalised = normalise_weights(dict(weights))
        scored = pipeline.scored(normalised)
        state["weights"] = normalised
        state["scored"] = scored
        ordered = scored.sort_values(["rank", "project_id"], kind="stable")
        state["ranking"] = [str(i) for i in ordered["project_id"]]
        result = pipeline.select(normalised, budget=budget, value=value)
    except ValidationError as error:
        state["error"] = str(error)
        return state
    summary = result.summary()
    state.update(
        result=result,
        chosen=list(result.chosen),
        greedy=list(summary.get("greedy_chosen", [])),
        total_value=result.total_value,
        greedy_value=summary.get("greedy_value", math.nan),
        value_lost=summary.get("greedy_value_lost", math.nan),
        total_cost=result.total_cost,
        binding=list(result.binding),
    )
    return state


def ranking_html(scored: pd.DataFrame, result: SelectionResult | None) -> str:
    """
    Render the ranking: rank, candidate, score, cost, chosen by (escaped).

    Examples
    --------
    >>> import pandas as pd
    >>> table = pd.DataFrame(
    ...     {
    ...         "project_id": ["A"],
    ...         "name": ["<A>"],
    ...         "score": [4.0],
    ...         "rank": [1],
    ...         "cost": [1000.0],
    ...     }
    ... )
    >>> "&lt;A&gt;" in ranking_html(table, None)
    True
    """
    best = set(result.chosen) if result is not None else set()
    greedy = (
        set(result.greedy.chosen)
        if result is not None and result.greedy is not None
        else set()
    )
    rows = []
    ordered = scored.sort_values(["rank", "project_id"], kind="stable")
    for row in ordered.to_dict("records"):
        ident = str(row["project_id"])
        who = ", ".join(
            w
            for w, inside in (("optimal", ident in best), ("greedy", ident in greedy))
            if inside
        )
        rows.append(
            f"<tr><td>{int(row['rank'])}</td><td>{html.escape(ident)}</td>"
            f"<td>{html.escape(str(row.get('name', '')))}</td>"
            f"<td>{float(row['score']):.2f}</td><td>{float(row['cost']):,.0f}</td>"
            f"<td>{who or '-'}</td></tr>"
        )
    head = (
        "<tr><th>rank</th><th>id</th><th>candidate</th><th>score</th>"
        "<th>cost</th><th>chosen by</th></tr>"
    )
    return f'<table class="pmo-selection-ranking">{head}{"".join(rows)}</table>'


def selection_summary_html(state: Mapping[str, Any]) -> str:
    """
    Render the optimum against the greedy ranking and the binding limits.

    Examples
    --------
    >>> selection_summary_html({"error": "budget <0> too low"})
    '<p><b>No portfolio:</b> budget &lt;0&gt; too low</p>'
    """
    if state.get("error"):
        return f"<p><b>No portfolio:</b> {html.escape(str(state['error']))}</p>"
    chosen = ", ".join(html.escape(i) for i in state["chosen"]) or "none"
    greedy = ", ".join(html.escape(i) for i in state["greedy"]) or "none"
    binding = ", ".join(html.escape(b) for b in state["binding"]) or "none"
    return (
        f"<p><b>Best portfolio (exact):</b> {chosen}: value "
        f"{state['total_value']:.2f}, cost {state['total_cost']:,.0f}</p>"
        f"<p><b>Greedy ranking (value per cost):</b> {greedy}: value "
        f"{state['greedy_value']:.2f}; <b>value lost</b> {state['value_lost']:.2f}</p>"
        f"<p><b>Binding limits:</b> {binding}</p>"
    )


def selection_weights(
    pipeline: Pipeline | None = None,
    *,
    budget: float | None = None,
    value: str = "score",
    chart: bool = True,
) -> ipywidgets.VBox:
    """
    Build the weights widget: a slider per criterion and one for the budget.

    Parameters
    ----------
    pipeline
        The candidates (:func:`pmo_kit.selection.pipeline_for`); default: the
        sample organisation's.
    budget
        Starting total budget; default the pipeline's.
    value
        What the optimum maximises: ``"score"`` or ``"npv"``.
    chart
        Also draw the score-against-cost chart.

    Returns
    -------
    ipywidgets.VBox
        ``box.sliders`` maps criterion -> slider, ``box.budget`` is the budget
        slider; ``box.state`` is :func:`selection_state` for the current values
        and ``box.result`` its SelectionResult (None when no portfolio fits).
    """
    import ipywidgets as widgets

    from pmo_kit.selection import pipeline_for
    from pmo_kit.widgets._output import chart_output

    source = pipeline if pipeline is not None else pipeline_for(None)
    levels = source.budget_levels()
    start = float(budget if budget is not None else source.budget)
    top = max(levels[-1], start)
    sliders = {
        name: widgets.FloatSlider(
            value=float(weight),
            min=0.0,
            max=1.0,
            step=0.05,
            description=name.replace("_", " "),
            style={"description_width": "160px"},
            layout=widgets.Layout(width="480px"),
            continuous_update=False,
        )
        for name, weight in source.weights.items()
    }
    money = widgets.FloatSlider(
        value=start,
        min=0.0,
        max=top,
        step=max(round(top / 200, -3), 1000.0),
        description="total budget",
        readout_format=",.0f",
        style={"description_width": "160px"},
        layout=widgets.Layout(width="480px"),
        continuous_update=False,
    )
    shown = widgets.HTML()
    summary = widgets.HTML()
    ranking = widgets.HTML()
    picture = widgets.Output()
    current: dict[str, Any] = {}

    def _refresh(_: Any = None) -> None:
        weights = {n: float(s.value) for n, s in sliders.items()}
        state = selection_state(source, weights, float(money.value), value=value)
        current.clear()
        current.update(state)
        shown.value = (
            weights_html(state["weights"])
            if state["weights"]
            else "Weights used: none (give at least one criterion a weight)"
        )
        summary.value = selection_summary_html(state)
        if state["scored"] is not None:
            ranking.value = ranking_html(state["scored"], state["result"])
        if chart and state["result"] is not None:
            from pmo_kit.charts.selection import selection_chart

            picture.outputs = chart_output(
                selection_chart(state["scored"], state["result"])
            )

    for slider in [*sliders.values(), money]:
        slider.observe(_refresh, names="value")
    _refresh()

    class _Weights(widgets.VBox):  # type: ignore[misc]
        @property
        def state(self) -> dict[str, Any]:
            """What the widget shows now (see :func:`selection_state`)."""
            return dict(current)

        @property
        def result(self) -> SelectionResult | None:
            """The exact best portfolio for the current sliders, or None."""
            found: SelectionResult | None = current.get("result")
            return found

    box = _Weights(
        [
            widgets.VBox(list(sliders.values())),
            shown,
            money,
            summary,
            widgets.HBox([ranking, picture]),
        ]
    )
    box.sliders = sliders
    box.budget = money
    out: ipywidgets.VBox = box
    return out
