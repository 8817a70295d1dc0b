"""
Resource charts: utilisation heatmap, role demand and a project's histogram.

The builders read what :mod:`pmo_kit.resources` produces (a plan's ``utilisation``
table, a role outlook's ``weekly`` table, a :class:`~pmo_kit.resources.CapacityPlan`)
and return altair charts; they never compute a plan themselves, display or save.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import altair as alt
import numpy as np
import pandas as pd

from pmo_kit._errors import ValidationError
from pmo_kit.charts._base import RAG_COLORS, require_columns

if TYPE_CHECKING:
    from pmo_kit.resources import CapacityPlan

__all__ = [
    "UTILISATION_COLORS",
    "resource_histogram_chart",
    "role_demand_chart",
    "utilisation_heatmap",
]

#: Colours of the heatmap, diverging at 100 %: idle, fully booked, just over
#: (anything above 100 % is at least orange), twice booked and more.
UTILISATION_COLORS: dict[str, str] = {
    "idle": "#2c6fa6",
    "full": "#f4f4f4",
    "over": "#f5a05a",
    "double": RAG_COLORS["red"],
}
_DOMAIN = [0.0, 1.0, 1.001, 2.0]
_CAPACITY_COLOR = "#1f2d3d"
_OTHER_COLOR = "#c8ced6"
_CLIP = 2.0  # utilisation shown at full red from 200 %


def _percent_label(value: float) -> str:
    if np.isnan(value):
        return ""
    if np.isinf(value):
        return "no cap."
    return f"{value:.0%}"


def utilisation_heatmap(
    utilisation: pd.DataFrame,
    *,
    top: int | None = None,
    labels: str = "over",
    title: str = "Utilisation by person and week",
) -> alt.LayerChart:
    """
    Heatmap of people (rows) by weeks (columns), coloured by utilisation.

    The colour scale diverges around 100 %: blue is free time, near-white is fully
    booked and red is over-allocated (full red from 200 %), so over-booked weeks
    stand out (anything over 100 % is at least orange); their percentage is written
    in the cell.

    Parameters
    ----------
    utilisation
        A plan's ``utilisation`` table (``resource_id``, ``name``, ``role``,
        ``week``, ``utilisation``, ``demand_hours``, ``capacity_hours``), filtered
        as you like (one role, a few people).
    top
        Show only the ``top`` people with the highest peak utilisation.
    labels
        ``'over'`` writes the percentage in over-allocated cells, ``'all'`` in
        every cell with work, ``'none'`` nowhere.
    title
        Chart title.

    Returns
    -------
    altair.LayerChart
        Layers: the coloured cells (``rect``) and the labels (``text``).

    Examples
    --------
    >>> import pandas as pd
    >>> table = pd.DataFrame(
    ...     {
    ...         "resource_id": ["R-1", "R-1"],
    ...         "name": ["Ana", "Ana"],
    ...         "role": ["Developer", "Developer"],
    ...         "week": pd.to_datetime(["2026-06-01", "2026-06-08"]),
    ...         "utilisation": [0.5, 1.6],
    ...         "demand_hours": [20.0, 64.0],
    ...         "capacity_hours": [40.0, 40.0],
    ...     }
    ... )
    >>> spec = utilisation_heatmap(table).to_dict()
    >>> [layer["mark"]["type"] for layer in spec["layer"]]
    ['rect', 'text']
    """
    needed = {"resource_id", "name", "role", "week", "utilisation"}
    require_columns(utilisation, needed, builder="utilisation_heatmap")
    if labels not in ("over", "all", "none"):
        msg = (
            f"{labels!r} is an invalid value for `labels`. "
            "Allowed: 'over', 'all', 'none'"
        )
        raise ValidationError(msg)
    frame = utilisation.copy()
    ratio = frame["utilisation"].astype(float)
    if top is not None:
        peak = ratio.fillna(0).groupby(frame["resource_id"]).max()
        keep = peak.sort_values(ascending=False, kind="stable").index[: int(top)]
        chosen = frame["resource_id"].isin(keep)
        frame, ratio = frame[chosen], ratio[chosen]
    frame["person"] = frame["name"].astype(str) + " (" + frame["role"].astype(str) + ")"
    frame["shown"] = ratio.fillna(0.0).clip(0, _CLIP)
    frame["label"] = [_percent_label(v) for v in ratio]
    frame["week_label"] = pd.to_datetime(frame["week"]).dt.strftime("%d %b %y")
    frame["week"] = pd.to_datetime(frame["week"])
    for column in ("demand_hours", "capacity_hours"):
        if column not in frame:
            frame[column] = np.nan
    order = (
        frame.drop_duplicates("person")
        .sort_values(["role", "name"], kind="stable")["person"]
        .tolist()
    )
    weeks = frame.drop_duplicates("week").sort_values("week")["week_label"].tolist()
    x = alt.X("week_label:O", sort=weeks, title=None, axis=alt.Axis(labelAngle=-45))
    y = alt.Y("person:N", sort=order, title=None, axis=alt.Axis(labelLimit=260))
    colour = alt.Color(
        "shown:Q",
        title="Utilisation",
        scale=alt.Scale(
            domain=_DOMAIN,
            range=list(UTILISATION_COLORS.values()),
            clamp=True,
        ),
        legend=alt.Legend(format=".0%", values=[0, 0.5, 1, 1.5, 2]),
    )
    tooltip = [
        alt.Tooltip("person:N", title="Person"),
        alt.Tooltip("week_label:N", title="Week of"),
        alt.Tooltip("label:N", title="Utilisation"),
        alt.Tooltip("demand_hours:Q", title="Booked (h)", format=",.1f"),
        alt.Tooltip("capacity_hours:Q", title="Capacity (h)", format=",.1f"),
    ]
    cells = (
        alt.Chart(frame)
        .mark_rect(stroke="white", strokeWidth=1)
        .encode(x=x, y=y, color=colour, tooltip=tooltip)
    )
    if labels == "over":
        over = pd.Series(frame.get("over", ratio > 1.001), index=frame.index)
        texts = frame[over.to_numpy(dtype=bool)]
    elif labels == "all":
        texts = frame[ratio.reindex(frame.index).fillna(0) > 0]
    else:
        texts = frame.iloc[:0]
    text = (
        alt.Chart(texts)
        .mark_text(fontSize=10, fontWeight="bold")
        .encode(
            x=x,
            y=y,
            text="label:N",
            color=alt.condition(
                "datum.shown > 1.4", alt.value("white"), alt.value(_CAPACITY_COLOR)
            ),
        )
    )
    chart = alt.LayerChart(layer=[cells, text], title=title).properties(
        width=alt.Step(34), height=alt.Step(18)
    )
    return chart


def _week_labels(weeks: pd.Series) -> tuple[pd.Series, list[str]]:
    stamps = pd.to_datetime(weeks)
    labels = stamps.dt.strftime("%d %b %y")
    order = (
        pd.DataFrame({"week": stamps, "label": labels})
        .drop_duplicates("week")
        .sort_values("week")["label"]
        .tolist()
    )
    return labels, order


def role_demand_chart(
    weekly: pd.DataFrame,
    *,
    roles: list[str] | None = None,
    columns: int = 3,
    title: str = "Demand against capacity by role",
) -> alt.FacetChart:
    """
    Small multiples, one per role: hours booked per week against the role's capacity.

    Bars are the hours booked on the role's people (red in weeks where they are
    more than the whole role can give); the dark line is the role's capacity.

    Parameters
    ----------
    weekly
        A role outlook's ``weekly`` table (``role``, ``week``, ``demand_hours``,
        ``capacity_hours``, ``gap_hours``), see
        :func:`pmo_kit.resources.role_outlook`.
    roles
        Roles to draw, in this order; default every role, those short of capacity
        first.
    columns
        Panels per row.
    title
        Chart title.

    Returns
    -------
    altair.FacetChart
        A facet by ``role`` of a layer of bars (demand) and a line (capacity), each
        panel with its own y scale.

    Examples
    --------
    >>> import pandas as pd
    >>> weekly = pd.DataFrame(
    ...     {
    ...         "role": ["Data Engineer"] * 2,
    ...         "week": pd.to_datetime(["2026-06-01", "2026-06-08"]),
    ...         "demand_hours": [60.0, 20.0],
    ...         "capacity_hours": [37.5, 37.5],
    ...         "gap_hours": [22.5, -17.5],
    ...     }
    ... )
    >>> spec = role_demand_chart(weekly).to_dict()
    >>> [layer["mark"]["type"] for layer in spec["spec"]["layer"]]
    ['bar', 'line']
    """
    needed = {"role", "week", "demand_hours", "capacity_hours", "gap_hours"}
    require_columns(weekly, needed, builder="role_demand_chart")
    frame = weekly.copy()
    if roles is None:
        worst = frame.groupby("role")["gap_hours"].max().reset_index()
        worst = worst.sort_values(["gap_hours", "role"], ascending=[False, True])
        roles = worst["role"].tolist()
    else:
        unknown = sorted(set(roles) - set(frame["role"]))
        if unknown:
            msg = (
                f"{unknown[0]!r} is not a role in the table. "
                f"Known roles: {', '.join(sorted(set(frame['role'])))}"
            )
            raise ValidationError(msg)
        frame = frame[frame["role"].isin(roles)]
    frame["week_label"], order = _week_labels(frame["week"])
    frame["state"] = np.where(
        frame["gap_hours"] > 0.05, "Short of capacity", "Within capacity"
    )
    x = alt.X("week_label:O", sort=order, title=None, axis=alt.Axis(labelAngle=-45))
    bars = (
        alt.Chart()
        .mark_bar()
        .encode(
            x=x,
            y=alt.Y("demand_hours:Q", title="Hours per week"),
            color=alt.Color(
                "state:N",
                title=None,
                scale=alt.Scale(
                    domain=["Within capacity", "Short of capacity"],
                    range=["#1f5f8b", RAG_COLORS["red"]],
                ),
                legend=alt.Legend(orient="top"),
            ),
            tooltip=[
                alt.Tooltip("role:N", title="Role"),
                alt.Tooltip("week_label:N", title="Week of"),
                alt.Tooltip("demand_hours:Q", title="Booked (h)", format=",.1f"),
                alt.Tooltip("capacity_hours:Q", title="Capacity (h)", format=",.1f"),
            ],
        )
    )
    line = (
        alt.Chart()
        .mark_line(
            color=_CAPACITY_COLOR,
            strokeWidth=2,
            point=alt.OverlayMarkDef(color=_CAPACITY_COLOR, size=18),
        )
        .encode(x=x, y="capacity_hours:Q")
    )
    chart: alt.FacetChart = (
        alt.layer(bars, line, data=frame)
        .properties(width=220, height=120)
        .facet(
            facet=alt.Facet("role:N", sort=roles, title=None),
            columns=columns,
            title=alt.TitleParams(
                title,
                subtitle="Bars: hours booked on the role's people; "
                "line: what they can give",
            ),
        )
        .resolve_scale(y="independent")
    )
    return chart


def resource_histogram_chart(
    plan: CapacityPlan,
    project_id: str,
    *,
    others: bool = True,
    title: str | None = None,
) -> alt.LayerChart:
    """
    Resource histogram of one project: its hours per week, stacked by person.

    The people are those booked on the project in the plan's weeks. With
    ``others``, a grey block on top adds their hours on other projects, and the
    dark line is their combined capacity: where the stack rises above the line,
    the project's people are over-booked.

    Parameters
    ----------
    plan
        A :class:`~pmo_kit.resources.CapacityPlan`.
    project_id
        The project to draw.
    others
        Stack the same people's hours on other projects (grey).
    title
        Chart title (default ``'Resource histogram: <project_id>'``).

    Returns
    -------
    altair.LayerChart
        Layers: stacked bars (``bar``) and the capacity line (``line``).
    """
    demand = plan.demand
    require_columns(
        demand,
        {"resource_id", "project_id", "week", "hours"},
        builder="resource_histogram_chart",
    )
    mine = demand[demand["project_id"] == project_id]
    if mine.empty:
        known = sorted(set(demand["project_id"]))
        shown = ", ".join(known[:20]) + (", ..." if len(known) > 20 else "")
        msg = (
            f"{project_id!r} has no work booked between {plan.start:%Y-%m-%d} and "
            f"{plan.end:%Y-%m-%d}. Allowed: a project with work in the plan's weeks: "
            f"{shown or 'none'}"
        )
        raise ValidationError(msg)
    names = plan.people["name"]
    team = list(dict.fromkeys(mine.sort_values("resource_id")["resource_id"]))
    stack = mine.groupby(["resource_id", "week"], as_index=False)["hours"].sum()
    stack["series"] = names.reindex(stack["resource_id"]).to_numpy()
    series = [str(names[r]) for r in team]
    if others:
        rest = demand[
            demand["resource_id"].isin(team) & (demand["project_id"] != project_id)
        ]
        extra = rest.groupby("week", as_index=False)["hours"].sum()
        stack = pd.concat([stack, extra.assign(series="Other projects")])
        series.append("Other projects")
    stack["order"] = stack["series"].map({s: i for i, s in enumerate(series)})
    table = plan.utilisation
    capacity = (
        table[table["resource_id"].isin(team)]
        .groupby("week", as_index=False)["capacity_hours"]
        .sum()
    )
    stack["week_label"], order = _week_labels(stack["week"])
    capacity["week_label"], _ = _week_labels(capacity["week"])
    order = _week_labels(capacity["week"])[1]
    palette = [
        "#1f5f8b",
        "#f0a30a",
        "#2e8540",
        "#7d3c98",
        "#17a589",
        "#c0392b",
        "#8c6d31",
        "#d35400",
    ]
    colours = [palette[i % len(palette)] for i in range(len(team))]
    if others:
        colours.append(_OTHER_COLOR)
    x = alt.X("week_label:O", sort=order, title=None, axis=alt.Axis(labelAngle=-45))
    bars = (
        alt.Chart(stack)
        .mark_bar()
        .encode(
            x=x,
            y=alt.Y("sum(hours):Q", title="Hours per week", stack="zero"),
            color=alt.Color(
                "series:N",
                title=None,
                sort=series,
                scale=alt.Scale(domain=series, range=colours),
                legend=alt.Legend(orient="right"),
            ),
            order=alt.Order("order:Q"),
            tooltip=[
                alt.Tooltip("series:N", title="Who"),
                alt.Tooltip("week_label:N", title="Week of"),
                alt.Tooltip("sum(hours):Q", title="Hours", format=",.1f"),
            ],
        )
    )
    line = (
        alt.Chart(capacity.assign(what="Capacity of these people"))
        .mark_line(
            color=_CAPACITY_COLOR,
            strokeWidth=2,
            point=alt.OverlayMarkDef(color=_CAPACITY_COLOR, size=18),
        )
        .encode(
            x=x,
            y="capacity_hours:Q",
            tooltip=[
                alt.Tooltip("week_label:N", title="Week of"),
                alt.Tooltip("capacity_hours:Q", title="Capacity (h)", format=",.1f"),
            ],
        )
    )
    subtitle = f"Bars: hours on {project_id} by person"
    if others:
        subtitle += ", grey: the same people on other projects"
    chart = alt.LayerChart(
        layer=[bars, line],
        title=alt.TitleParams(
            title or f"Resource histogram: {project_id}",
            subtitle=f"{subtitle}; line: their capacity",
        ),
    ).properties(width=alt.Step(30), height=260)
    return chart
