"""Widgets for the portfolio explorer and the schedule what-if (lessons 00 and 03)."""

from __future__ import annotations

import html
from typing import TYPE_CHECKING, Any

import pandas as pd

from pmo_kit._errors import ValidationError
from pmo_kit.widgets._output import chart_output

if TYPE_CHECKING:
    from collections.abc import Mapping

    import ipywidgets

    from pmo_kit.data.portfolio import Portfolio
    from pmo_kit.schedule import WorkCalendar
    from pmo_kit.schedule.calendar import DateLike

__all__ = ["project_explorer", "schedule_what_if"]


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


def _what_if_summary(
    plan: pd.DataFrame,
    now: pd.DataFrame,
    names: pd.Series,
    changed: dict[str, tuple[int, int]],
) -> str:
    """HTML: project finish now vs plan, the tasks changed, the critical path."""
    finish, planned = now.attrs["project_finish"], plan.attrs["project_finish"]
    delta = int(finish) - int(planned)
    if "project_finish_date" in now.attrs:
        when = f"{now.attrs['project_finish_date']:%a %d %b %Y}"
        was = f"{plan.attrs['project_finish_date']:%a %d %b %Y}"
    else:
        when, was = f"working day {finish}", f"working day {planned}"
    if delta == 0:
        change, colour = "on the planned finish", "#2e8540"
    else:
        days = "working day" if abs(delta) == 1 else "working days"
        later = "later" if delta > 0 else "earlier"
        change = f"{abs(delta)} {days} {later} than planned"
        colour = "#c0392b" if delta > 0 else "#2e8540"
    critical = now[now["critical"]].sort_values(["early_start", "early_finish"])
    path = "".join(
        f"<li>{html.escape(str(tid))} {html.escape(str(names.get(tid, '')))}</li>"
        for tid in critical.index
    )
    edits = "; ".join(
        f"{html.escape(str(tid))} {html.escape(str(names.get(tid, '')))}: "
        f"{old} &rarr; {new} days"
        for tid, (old, new) in changed.items()
    )
    return (
        f"<p style='font-size:1.1em;margin:4px 0'><strong>Project finish:</strong> "
        f"{html.escape(when)} <span style='color:{colour};font-weight:600'>"
        f"({html.escape(change)})</span><br><span style='color:#4a5866'>Plan: "
        f"{html.escape(was)}. Changed: {edits or 'nothing yet'}</span></p>"
        f"<p style='margin:4px 0'><strong>Critical path</strong> "
        f"({len(critical)} tasks with no float):</p>"
        f"<ol class='pmo-critical-path' style='margin-top:0;columns:2'>{path}</ol>"
    )


def schedule_what_if(
    tasks: pd.DataFrame,
    dependencies: pd.DataFrame,
    *,
    start: DateLike | None = None,
    calendar: WorkCalendar | None = None,
    start_no_earlier_than: Mapping[str, int | DateLike] | None = None,
) -> Any:
    """
    Play with task durations and watch the project finish and the critical path move.

    Pick a task in the list and drag the slider (0 to three times its planned
    duration): the schedule is recomputed with
    :func:`pmo_kit.schedule.critical_path`, and the widget shows the new project
    finish, how far it moved from the plan, the critical path and a Gantt chart.
    Changes to several tasks add up; **Reset** puts every duration back.

    Parameters
    ----------
    tasks
        One project's tasks: ``task_id``, ``duration`` and optionally ``name``
        (milestones, of duration 0, are not in the list).
    dependencies
        The project's links: ``predecessor``, ``successor``, ``type``, ``lag``.
    start
        Project start date: finishes are shown as dates. Default: working-day
        offsets.
    calendar
        Working days (default Monday to Friday).
    start_no_earlier_than
        Start constraints by task id, as for
        :func:`~pmo_kit.schedule.critical_path` (for example those
        :func:`~pmo_kit.schedule.remaining_work` returns, to play with a forecast
        from the status date).

    Returns
    -------
    ipywidgets.VBox
        ``children``: the task dropdown, the duration slider, the reset button, the
        summary (an HTML widget) and the Gantt chart (an Output widget).
    """
    import ipywidgets as widgets

    from pmo_kit.charts.schedule import gantt_chart
    from pmo_kit.schedule import critical_path

    ids = tasks["task_id"].astype(str)
    names = (
        pd.Series(tasks["name"].astype(str).to_numpy(), index=ids)
        if "name" in tasks.columns
        else pd.Series("", index=ids)
    )
    planned = pd.Series(
        pd.to_numeric(tasks["duration"]).to_numpy(dtype="int64"), index=ids
    )
    work = planned[planned > 0]
    if work.empty:
        msg = "schedule_what_if needs at least one task with a duration above 0"
        raise ValidationError(msg)
    durations = planned.copy()
    plan = critical_path(
        tasks,
        dependencies,
        start=start,
        calendar=calendar,
        start_no_earlier_than=start_no_earlier_than,
    )

    options = [(f"{tid} {names[tid]}".strip(), tid) for tid in work.index]
    first = str(work.index[0])
    dropdown = widgets.Dropdown(
        options=options,
        value=first,
        description="Task:",
        layout=widgets.Layout(width="480px"),
    )
    slider = widgets.IntSlider(
        value=int(planned[first]),
        min=0,
        max=3 * int(planned[first]),
        description="Duration:",
        continuous_update=False,
        layout=widgets.Layout(width="480px"),
    )
    reset = widgets.Button(description="Reset", tooltip="Back to the planned durations")
    summary = widgets.HTML()
    gantt = widgets.Output()
    syncing = False

    def _recompute() -> None:
        frame = tasks.assign(duration=durations.to_numpy())
        now = critical_path(
            frame,
            dependencies,
            start=start,
            calendar=calendar,
            start_no_earlier_than=start_no_earlier_than,
        )
        changed = {
            str(tid): (int(planned[tid]), int(durations[tid]))
            for tid in durations.index[durations != planned]
        }
        summary.value = _what_if_summary(plan, now, names, changed)
        chart = gantt_chart(now, tasks=frame, baseline=False, title="What-if schedule")
        gantt.outputs = chart_output(chart)

    def _on_task(change: dict[str, Any]) -> None:
        nonlocal syncing
        tid = str(change["new"])
        syncing = True
        try:
            slider.max = max(3 * int(planned[tid]), 1)
            slider.value = int(durations[tid])
        finally:
            syncing = False

    def _on_duration(change: dict[str, Any]) -> None:
        if syncing:
            return
        durations[str(dropdown.value)] = int(change["new"])
        _recompute()

    def _on_reset(_: Any) -> None:
        durations[:] = planned
        _on_task({"new": dropdown.value})
        _recompute()

    dropdown.observe(_on_task, names="value")
    slider.observe(_on_duration, names="value")
    reset.on_click(_on_reset)
    _recompute()
    box: ipywidgets.VBox = widgets.VBox([dropdown, slider, reset, summary, gantt])
    return box
