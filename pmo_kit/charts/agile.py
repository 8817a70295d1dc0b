"""
Agile charts: velocity, burndown, burnup, cumulative flow, cycle time, forecasts.

The builders read what :mod:`pmo_kit.agile` produces and return altair charts;
they never compute metrics themselves, display or save.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Literal

import altair as alt
import numpy as np
import pandas as pd

from pmo_kit._errors import ValidationError
from pmo_kit.agile.cycle_time import cycle_time_percentiles
from pmo_kit.agile.forecast import CompletionForecast, ItemsForecast
from pmo_kit.charts._base import RAG_COLORS, date_axis, require_columns

if TYPE_CHECKING:
    from collections.abc import Sequence

__all__ = [
    "STATUS_COLORS",
    "burndown_chart",
    "burnup_chart",
    "cumulative_flow_chart",
    "cycle_time_chart",
    "forecast_histogram_chart",
    "velocity_chart",
]

#: Colours of the canonical work-item statuses, in workflow order.
STATUS_COLORS: dict[str, str] = {
    "To Do": "#c9d3dd",
    "In Progress": "#1f5f8b",
    "In Review": RAG_COLORS["amber"],
    "Done": RAG_COLORS["green"],
}
_PLAN = "#9e9e9e"
_ACTUAL = "#1f5f8b"
_RULE = "#1f2d3d"
_DASH = alt.Scale(domain=["solid", "dashed"], range=[[1, 0], [6, 3]])


def _series_lines(
    frame: pd.DataFrame,
    series: dict[str, tuple[str, str, str]],
    *,
    title: str,
    builder: str,
) -> alt.Chart:
    """One line per column of ``series`` (column -> label, colour, dash) by day."""
    require_columns(frame, {"day", *series}, builder=builder)
    columns = ["day", "date"] if "date" in frame else ["day"]
    long = frame[[*columns, *series]].melt(
        id_vars=columns, var_name="column", value_name="points"
    )
    long["series"] = long["column"].map({k: v[0] for k, v in series.items()})
    long["dash"] = long["column"].map({k: v[2] for k, v in series.items()})
    labels = [v[0] for v in series.values()]
    tooltip = [alt.Tooltip("day:O", title="Day"), "series:N", "points:Q"]
    if "date" in frame:
        tooltip.insert(1, alt.Tooltip("date:T", title="Date", format="%a %d %b"))
    chart: alt.Chart = (
        alt.Chart(long, title=title)
        .mark_line(point=True)
        .encode(
            x=alt.X("day:O", title="Day of the sprint", axis=alt.Axis(labelAngle=0)),
            y=alt.Y("points:Q", title="Story points"),
            color=alt.Color(
                "series:N",
                scale=alt.Scale(domain=labels, range=[v[1] for v in series.values()]),
                title=None,
            ),
            strokeDash=alt.StrokeDash("dash:N", scale=_DASH, legend=None),
            tooltip=tooltip,
        )
        .properties(width=480)
    )
    return chart


def velocity_chart(
    velocity_table: pd.DataFrame, *, title: str = "Velocity"
) -> alt.LayerChart:
    """
    Draw committed and completed points per sprint, and the average velocity.

    Parameters
    ----------
    velocity_table
        The result of :func:`pmo_kit.agile.velocity` for one project (needs
        ``sprint_id``, ``committed``, ``completed``; ``average`` draws the line).
    title
        Chart title.

    Returns
    -------
    altair.LayerChart
        Grouped bars (committed grey, completed blue) and the average line.

    Examples
    --------
    >>> import pandas as pd
    >>> table = pd.DataFrame(
    ...     {
    ...         "sprint_id": ["S01", "S02"],
    ...         "committed": [20.0, 18.0],
    ...         "completed": [13.0, 18.0],
    ...         "average": [13.0, 15.5],
    ...     }
    ... )
    >>> [layer["mark"]["type"] for layer in velocity_chart(table).to_dict()["layer"]]
    ['bar', 'line']
    """
    require_columns(
        velocity_table,
        {"sprint_id", "committed", "completed"},
        builder="velocity_chart",
    )
    if "project_id" in velocity_table and velocity_table["project_id"].nunique() > 1:
        projects = ", ".join(map(repr, velocity_table["project_id"].unique()))
        msg = (
            f"velocity_chart draws one project; the table has {projects}. Filter "
            "it first: table[table['project_id'] == 'P-005']"
        )
        raise ValidationError(msg)
    order = list(velocity_table["sprint_id"].astype(str))
    bars_data = velocity_table[["sprint_id", "committed", "completed"]].melt(
        id_vars="sprint_id", var_name="series", value_name="points"
    )
    bars_data["series"] = bars_data["series"].str.capitalize()
    domain = ["Committed", "Completed", "Average"]
    color = alt.Color(
        "series:N",
        scale=alt.Scale(domain=domain, range=[_PLAN, _ACTUAL, _RULE]),
        title=None,
    )
    x = alt.X("sprint_id:N", sort=order, title="Sprint", axis=alt.Axis(labelAngle=0))
    bars = (
        alt.Chart(bars_data)
        .mark_bar()
        .encode(
            x=x,
            xOffset=alt.XOffset("series:N", sort=["Committed", "Completed"]),
            y=alt.Y("points:Q", title="Story points"),
            color=color,
            tooltip=["sprint_id:N", "series:N", "points:Q"],
        )
    )
    line_data = pd.DataFrame(
        {
            "sprint_id": velocity_table["sprint_id"].astype(str),
            "points": velocity_table.get("average", np.nan),
            "series": "Average",
        }
    ).dropna(subset=["points"])
    line = (
        alt.Chart(line_data)
        .mark_line(point=True, strokeWidth=2)
        .encode(
            x=x,
            y="points:Q",
            color=color,
            tooltip=[
                "sprint_id:N",
                alt.Tooltip("points:Q", title="Average velocity", format=".1f"),
            ],
        )
    )
    chart = alt.LayerChart(layer=[bars, line], title=title, width=480)
    return chart


def burndown_chart(
    burndown: pd.DataFrame, *, title: str = "Sprint burndown"
) -> alt.Chart:
    """
    Draw the points remaining at the end of each sprint day, and the ideal line.

    Parameters
    ----------
    burndown
        The result of :func:`pmo_kit.agile.sprint_burndown` (``day``,
        ``remaining``, ``ideal``).
    title
        Chart title.

    Examples
    --------
    >>> import pandas as pd
    >>> data = pd.DataFrame(
    ...     {"day": [0, 1, 2], "remaining": [8.0, 5.0, 0.0], "ideal": [8.0, 4.0, 0.0]}
    ... )
    >>> spec = burndown_chart(data).to_dict()
    >>> spec["mark"]["type"], spec["encoding"]["strokeDash"]["field"]
    ('line', 'dash')
    """
    return _series_lines(
        burndown,
        {
            "remaining": ("Remaining", _ACTUAL, "solid"),
            "ideal": ("Ideal", _PLAN, "dashed"),
        },
        title=title,
        builder="burndown_chart",
    )


def burnup_chart(burnup: pd.DataFrame, *, title: str = "Sprint burnup") -> alt.Chart:
    """
    Draw completed points climbing towards the scope line (scope changes show).

    Parameters
    ----------
    burnup
        The result of :func:`pmo_kit.agile.sprint_burnup` (``day``, ``scope``,
        ``completed``, ``ideal``).
    title
        Chart title.

    Examples
    --------
    >>> import pandas as pd
    >>> data = pd.DataFrame(
    ...     {
    ...         "day": [0, 1, 2],
    ...         "scope": [5.0, 5.0, 7.0],
    ...         "completed": [0.0, 5.0, 5.0],
    ...         "ideal": [0.0, 2.5, 5.0],
    ...     }
    ... )
    >>> spec = burnup_chart(data).to_dict()
    >>> spec["mark"]["type"], spec["encoding"]["color"]["scale"]["domain"]
    ('line', ['Scope', 'Completed', 'Ideal'])
    """
    return _series_lines(
        burnup,
        {
            "scope": ("Scope", RAG_COLORS["red"], "solid"),
            "completed": ("Completed", _ACTUAL, "solid"),
            "ideal": ("Ideal", _PLAN, "dashed"),
        },
        title=title,
        builder="burnup_chart",
    )


def cumulative_flow_chart(
    flow: pd.DataFrame, *, title: str = "Cumulative flow"
) -> alt.Chart:
    """
    Draw the cumulative flow diagram: items per status, stacked, Done at the bottom.

    Parameters
    ----------
    flow
        The result of :func:`pmo_kit.agile.cumulative_flow`: indexed by date, one
        column per status in workflow order (the legend keeps that order; the
        last status is stacked at the bottom).
    title
        Chart title.

    Examples
    --------
    >>> import pandas as pd
    >>> flow = pd.DataFrame(
    ...     {"To Do": [3, 2], "In Progress": [1, 1], "Done": [0, 1]},
    ...     index=pd.date_range("2026-03-02", periods=2, name="date"),
    ... )
    >>> spec = cumulative_flow_chart(flow).to_dict()
    >>> spec["mark"]["type"], spec["encoding"]["y"]["stack"]
    ('area', 'zero')
    """
    statuses = [str(c) for c in flow.columns]
    if not statuses or len(flow) == 0:
        msg = "cumulative_flow_chart needs the result of cumulative_flow with rows"
        raise ValidationError(msg)
    data = flow.copy()
    data.columns = statuses
    data.index = pd.to_datetime(data.index)
    data = data.rename_axis("date").reset_index()
    long = data.melt(id_vars="date", var_name="status", value_name="items")
    rank = {s: len(statuses) - i for i, s in enumerate(statuses)}
    long["stack"] = long["status"].map(rank)
    known = all(s in STATUS_COLORS for s in statuses)
    scale = (
        alt.Scale(domain=statuses, range=[STATUS_COLORS[s] for s in statuses])
        if known
        else alt.Scale(domain=statuses)
    )
    chart: alt.Chart = (
        alt.Chart(long, title=title)
        .mark_area(opacity=0.9)
        .encode(
            x=alt.X("date:T", title=None, axis=date_axis(data["date"])),
            y=alt.Y("items:Q", stack="zero", title="Work items"),
            color=alt.Color("status:N", scale=scale, sort=statuses, title="Status"),
            order=alt.Order("stack:Q", sort="ascending"),
            tooltip=[
                alt.Tooltip("date:T", format="%Y-%m-%d"),
                "status:N",
                "items:Q",
            ],
        )
        .properties(width=560)
    )
    return chart


def _rules(
    rows: list[dict[str, Any]],
    *,
    axis: str,
    field_type: str,
    p50_side: Literal["left", "right"] = "left",
) -> list[alt.Chart]:
    """
    Percentile rules and their labels.

    ``y`` rules (cycle time) are labelled at the right end. ``x`` rules
    (forecasts, ``rows`` from P50 outwards) are labelled in rows from the top, so
    labels never overlap: the most extreme percentile's label on the outer side
    of its rule, the others on ``p50_side``, the side where P50's label has room
    and where the next rule is furthest away.
    """
    data = pd.DataFrame(rows)
    position = (
        alt.X(f"value:{field_type}") if axis == "x" else alt.Y(f"value:{field_type}")
    )
    rule = (
        alt.Chart(data)
        .mark_rule(color=_RULE, strokeWidth=1.5)
        .encode(position, strokeDash=alt.StrokeDash("dash:N", scale=_DASH, legend=None))
    )
    if axis == "y":
        text = (
            alt.Chart(data)
            .mark_text(align="right", baseline="bottom", dx=-2, dy=-2, fontSize=11)
            .encode(
                y=alt.Y(f"value:{field_type}"),
                x=alt.value(560),
                text="label:N",
                color=alt.value(_RULE),
            )
        )
        return [rule, text]
    data["row"] = [4 + 15 * k for k in range(len(data))]
    outer = pd.Series(False, index=data.index)
    if len(data) > 1:
        outer.iloc[-1] = True
    other: Literal["left", "right"] = "right" if p50_side == "left" else "left"
    labels = []
    for side, part in ((p50_side, data[~outer]), (other, data[outer])):
        if part.empty:
            continue
        # text on the left of its rule is right-aligned, and the other way round
        align: Literal["left", "right"] = "right" if side == "left" else "left"
        labels.append(
            alt.Chart(part)
            .mark_text(
                align=align,
                baseline="top",
                dx=-4 if side == "left" else 4,
                fontSize=11,
            )
            .encode(
                x=alt.X(f"value:{field_type}"),
                y=alt.Y("row:Q", scale=None, axis=None),
                text="label:N",
                color=alt.value(_RULE),
            )
        )
    return [rule, *labels]


def cycle_time_chart(
    cycle_times: pd.DataFrame,
    *,
    shares: Sequence[float] = (0.5, 0.85, 0.95),
    column: str = "cycle_time_days",
    title: str = "Cycle time",
) -> alt.LayerChart:
    """
    Plot cycle time against completion date, with percentile rules (P50/P85/P95).

    Each dot is a finished item; a dot above the P85 rule took longer than 85 %
    of the items. Read the rules as service levels: "85 % of items are finished
    within N days of being started".

    Parameters
    ----------
    cycle_times
        The result of :func:`pmo_kit.agile.cycle_times` (``key``, ``done`` and
        ``column``).
    shares
        The percentile rules to draw.
    column
        ``cycle_time_days``, ``lead_time_days`` or ``cycle_time_working_days``.
    title
        Chart title.

    Examples
    --------
    >>> import pandas as pd
    >>> times = pd.DataFrame(
    ...     {
    ...         "key": ["A-1", "A-2", "A-3"],
    ...         "done": pd.to_datetime(["2026-03-02", "2026-03-04", "2026-03-05"]),
    ...         "cycle_time_days": [1.5, 4.0, 2.0],
    ...     }
    ... )
    >>> spec = cycle_time_chart(times).to_dict()
    >>> [layer["mark"]["type"] for layer in spec["layer"]]
    ['circle', 'rule', 'text']
    """
    require_columns(cycle_times, {"key", "done", column}, builder="cycle_time_chart")
    data = cycle_times[["key", "done", column]].dropna()
    data = data.rename(columns={column: "days"})
    levels = cycle_time_percentiles(data["days"], shares=shares)
    rows = [
        {
            "value": float(value),
            "label": f"{name} {value:,.1f} d",
            "dash": "solid" if name == "P50" else "dashed",
        }
        for name, value in levels.items()
        if np.isfinite(value)
    ]
    y_title = column.replace("_", " ").replace(" days", " (days)").capitalize()
    dots = (
        alt.Chart(data)
        .mark_circle(size=48, opacity=0.7, color=_ACTUAL)
        .encode(
            x=alt.X("done:T", title="Finished", axis=date_axis(data["done"])),
            y=alt.Y("days:Q", title=y_title),
            tooltip=[
                alt.Tooltip("key:N", title="Item"),
                alt.Tooltip("done:T", title="Finished", format="%Y-%m-%d"),
                alt.Tooltip("days:Q", title="Days", format=".1f"),
            ],
        )
    )
    layers: list[alt.Chart] = [dots]
    if rows:
        layers += _rules(rows, axis="y", field_type="Q")
    chart = alt.LayerChart(layer=layers, title=title, width=560, height=280)
    return chart


def forecast_histogram_chart(
    forecast: ItemsForecast | CompletionForecast,
    *,
    shares: Sequence[float] = (0.5, 0.85, 0.95),
    title: str | None = None,
) -> alt.LayerChart:
    """
    Draw the distribution of Monte Carlo forecast outcomes, with percentile rules.

    For "how many items" (:func:`pmo_kit.agile.forecast_items_by`) the rules are
    at the number of items finished *at least* with each probability, so P85 is
    left of P50. For "when" (:func:`pmo_kit.agile.forecast_completion`) they are
    at the date met with each probability, so P85 is right of P50.

    Examples
    --------
    >>> import numpy as np
    >>> from pmo_kit.agile import ItemsForecast
    >>> forecast = ItemsForecast(days=10, outcomes=np.array([8, 9, 9, 10, 12]))
    >>> spec = forecast_histogram_chart(forecast).to_dict()
    >>> [layer["mark"]["type"] for layer in spec["layer"]]
    ['bar', 'rule', 'text', 'text']
    """
    outcomes = np.asarray(forecast.outcomes)
    if outcomes.size == 0:
        msg = "forecast_histogram_chart needs a forecast with iterations"
        raise ValidationError(msg)
    shares = sorted(shares)
    rows: list[dict[str, Any]] = []
    x_options: dict[str, Any] = {}
    p50_side: Literal["left", "right"] = "left"
    if isinstance(forecast, ItemsForecast):
        # fewer items are more likely: P85 and P95 lie left of P50
        p50_side = "right"
        x_options["scale"] = alt.Scale(
            domain=[float(outcomes.min()) - 0.5, float(outcomes.max()) + 0.5],
            nice=False,
        )
        counts = pd.Series(outcomes).value_counts(normalize=True).sort_index()
        x_type, x_title = "Q", f"Items finished in {forecast.days} days"
        default_title = f"How many items in the next {forecast.days} days"
        for p in shares:
            n = forecast.at_least(p)
            rows.append({"value": n, "label": f"P{p * 100:g} ≥ {n}"})
    else:
        completion: CompletionForecast = forecast
        dated = completion.start is not None
        values = completion.dates() if dated else pd.Index(outcomes)
        counts = pd.Series(values).value_counts(normalize=True).sort_index()
        x_type = "T" if dated else "Q"
        if dated:
            x_options["axis"] = date_axis(values)
        x_title = "Finished by" if dated else "Days needed"
        default_title = f"When will {completion.items} items be finished"
        for p in shares:
            value = completion.date(p) if dated else completion.days_needed(p)
            shown = f"{value:%d %b %Y}" if dated else f"{value} d"
            rows.append({"value": value, "label": f"P{p * 100:g} {shown}"})
    for row in rows:
        row["dash"] = "solid" if row["label"].startswith("P50 ") else "dashed"
    bars_data = pd.DataFrame({"outcome": counts.index, "share": counts.to_numpy()})
    bars = (
        alt.Chart(bars_data)
        .mark_bar(color="#8fb3d0")
        .encode(
            x=alt.X(f"outcome:{x_type}", title=x_title, **x_options),
            y=alt.Y(
                "share:Q",
                title="Share of simulated futures",
                axis=alt.Axis(format="%"),
                scale=alt.Scale(domain=[0, float(counts.max()) * 1.3]),
            ),
            tooltip=[
                alt.Tooltip(f"outcome:{x_type}", title=x_title),
                alt.Tooltip("share:Q", title="Share", format=".1%"),
            ],
        )
    )
    chart: alt.LayerChart = alt.LayerChart(
        layer=[bars, *_rules(rows, axis="x", field_type=x_type, p50_side=p50_side)],
        title=title or default_title,
        width=560,
        height=240,
    ).resolve_scale(y="independent")
    return chart
