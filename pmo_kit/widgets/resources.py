"""Widget for the capacity what-if (lesson 04): move a project, add or remove people."""

from __future__ import annotations

import html
from typing import TYPE_CHECKING, Any

from pmo_kit.widgets._output import chart_output

if TYPE_CHECKING:
    import ipywidgets

    from pmo_kit.data.portfolio import Portfolio
    from pmo_kit.resources import WhatIf
    from pmo_kit.resources.capacity import Dates
    from pmo_kit.schedule.calendar import DateLike

__all__ = ["capacity_summary_html", "capacity_what_if"]

_NOBODY = ""
_BETTER, _WORSE, _SAME = "#2e8540", "#c0392b", "#4a5866"


def _figure(key: str, value: float) -> str:
    if key == "peak_utilisation":
        return "no capacity" if value == float("inf") else f"{value:.0%}"
    if key.endswith("hours"):
        return f"{value:,.0f} h"
    return f"{value:,.0f}"


def capacity_summary_html(result: WhatIf) -> str:
    """
    Summarise a what-if as HTML: the changes, the headline measures, the roles.

    The first line reads like ``Over-allocated person-weeks: 7 → 1``, coloured
    green when the scenario improves it and red when it makes it worse. Every
    name from the data is escaped.

    Examples
    --------
    >>> from pmo_kit import load_portfolio
    >>> from pmo_kit.resources import what_if
    >>> result = what_if(load_portfolio(), shift={"P-006": 6}, start="2026-05-04")
    >>> import re
    >>> re.sub("<[^>]+>", "", capacity_summary_html(result)).split("Changes")[0]
    'Over-allocated person-weeks: 7 &rarr; 8'

    """
    table = result.comparison
    rows = []
    for key, row in table.iterrows():
        before, after = float(row["before"]), float(row["after"])
        colour = _SAME if after == before else _BETTER if after < before else _WORSE
        rows.append(
            f"<tr><th style='text-align:left;padding-right:12px'>"
            f"{html.escape(str(row['measure']))}</th>"
            f"<td style='text-align:right'>{_figure(str(key), before)}</td>"
            f"<td>&rarr;</td><td style='text-align:right;color:{colour};"
            f"font-weight:600'>{_figure(str(key), after)}</td></tr>"
        )
    counts = table["before"].to_dict(), table["after"].to_dict()
    before = round(counts[0]["over_allocated_person_weeks"])
    after = round(counts[1]["over_allocated_person_weeks"])
    colour = _SAME if after == before else _BETTER if after < before else _WORSE
    roles = result.roles
    moved = roles[
        (roles["short_hours_before"] > 0)
        | (roles["short_hours_after"] > 0)
        | (roles["people_before"] != roles["people_after"])
    ]
    role_lines = "".join(
        f"<li>{html.escape(str(role))}: {r['people_before']:.0f} &rarr; "
        f"{r['people_after']:.0f} people, short {r['short_hours_before']:,.0f} h "
        f"&rarr; {r['short_hours_after']:,.0f} h</li>"
        for role, r in moved.iterrows()
    )
    changes = "; ".join(html.escape(c) for c in result.changes) or "nothing yet"
    return (
        f"<p class='pmo-capacity-headline' style='font-size:1.1em;margin:4px 0'>"
        f"<strong>Over-allocated person-weeks: {before} &rarr; "
        f"<span style='color:{colour}'>{after}</span></strong><br>"
        f"<span style='color:{_SAME}'>Changes: {changes}</span></p>"
        f"<table class='pmo-capacity-measures'>{''.join(rows)}</table>"
        + (
            f"<p style='margin:4px 0'><strong>Roles short of capacity</strong></p>"
            f"<ul class='pmo-capacity-roles' style='margin-top:0'>{role_lines}</ul>"
            if role_lines
            else ""
        )
    )


def capacity_what_if(
    portfolio: Portfolio,
    *,
    start: DateLike | None = None,
    weeks: int = 12,
    dates: Dates = "baseline",
    top: int | None = 30,
) -> Any:
    """
    Try capacity scenarios: move a project, add a person of a role, remove a person.

    Every change recomputes :func:`pmo_kit.resources.what_if` against the current
    plan and shows the summary (over-allocated person-weeks before and after, peak
    utilisation, roles short of capacity) and the heatmap of the scenario. The
    portfolio itself is never changed.

    Parameters
    ----------
    portfolio
        The organisation.
    start, weeks, dates
        The plan, as for :func:`pmo_kit.resources.capacity_plan`.
    top
        The heatmap shows the ``top`` people with the highest peak utilisation
        (``None``: everyone).

    Returns
    -------
    ipywidgets.VBox
        ``children``: the project dropdown, the weeks slider, the "add a person of
        role" dropdown, the "remove" dropdown, the reset button, the summary (an
        HTML widget) and the heatmap (an Output widget).
    """
    import ipywidgets as widgets

    from pmo_kit.charts.resources import utilisation_heatmap
    from pmo_kit.resources import capacity_plan, what_if

    base = capacity_plan(portfolio, start=start, weeks=weeks, dates=dates)
    wide = widgets.Layout(width="480px")
    style = {"description_width": "160px"}
    projects = [
        (f"{pid} {name}", pid)
        for pid, name in zip(
            portfolio.projects["project_id"], portfolio.projects["name"], strict=True
        )
    ]
    project = widgets.Dropdown(
        options=projects, description="Move project:", layout=wide, style=style
    )
    shift = widgets.IntSlider(
        value=0,
        min=-12,
        max=12,
        description="by weeks:",
        continuous_update=False,
        layout=wide,
        style=style,
    )
    roles = sorted(set(base.people["role"]))
    add = widgets.Dropdown(
        options=[("(nobody)", _NOBODY), *[(r, r) for r in roles]],
        value=_NOBODY,
        description="Add a person of role:",
        layout=wide,
        style=style,
    )
    people = base.people.sort_values(["role", "name"])
    remove = widgets.Dropdown(
        options=[
            ("(nobody)", _NOBODY),
            *[
                (f"{row.name} ({row.role})", str(rid))
                for rid, row in zip(people.index, people.itertuples(), strict=True)
            ],
        ],
        value=_NOBODY,
        description="Remove:",
        layout=wide,
        style=style,
    )
    reset = widgets.Button(description="Reset", tooltip="Back to the current plan")
    summary = widgets.HTML()
    heatmap = widgets.Output()
    shifts: dict[str, int] = {}
    syncing = False

    def _recompute() -> None:
        result = what_if(
            portfolio,
            add=add.value or None,
            remove=[remove.value] if remove.value else [],
            shift={k: v for k, v in shifts.items() if v},
            start=base.start,
            weeks=base.weeks,
            dates=dates,
        )
        summary.value = capacity_summary_html(result)
        chart = utilisation_heatmap(
            result.after.utilisation, top=top, title="Utilisation in this scenario"
        )
        heatmap.outputs = chart_output(chart)

    def _on_project(change: dict[str, Any]) -> None:
        nonlocal syncing
        syncing = True
        try:
            shift.value = shifts.get(str(change["new"]), 0)
        finally:
            syncing = False

    def _on_shift(change: dict[str, Any]) -> None:
        if syncing:
            return
        shifts[str(project.value)] = int(change["new"])
        _recompute()

    def _on_change(_: dict[str, Any]) -> None:
        if not syncing:
            _recompute()

    def _on_reset(_: Any) -> None:
        nonlocal syncing
        shifts.clear()
        syncing = True
        try:
            shift.value = 0
            add.value = _NOBODY
            remove.value = _NOBODY
        finally:
            syncing = False
        _recompute()

    project.observe(_on_project, names="value")
    shift.observe(_on_shift, names="value")
    add.observe(_on_change, names="value")
    remove.observe(_on_change, names="value")
    reset.on_click(_on_reset)
    _recompute()
    box: ipywidgets.VBox = widgets.VBox(
        [project, shift, add, remove, reset, summary, heatmap]
    )
    return box
