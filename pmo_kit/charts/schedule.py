"""
Schedule charts: the Gantt chart, the Monte Carlo finish distribution, the tornado.

The builders read what :mod:`pmo_kit.schedule` produces (a critical-path table, a
Monte Carlo result, its sensitivity table) and return altair charts; they never
compute a schedule themselves, display or save.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Literal, Protocol

import altair as alt
import numpy as np
import pandas as pd

from pmo_kit._errors import ValidationError
from pmo_kit.charts._base import RAG_COLORS, date_axis, require_columns
from pmo_kit.data.inputs import DateLike, to_timestamp

if TYPE_CHECKING:
    from collections.abc import Mapping

    import numpy.typing as npt

__all__ = [
    "GANTT_COLORS",
    "FinishResult",
    "finish_distribution_chart",
    "gantt_chart",
    "tornado_chart",
]

#: Colours of the Gantt's bar kinds (the legend shows them in this order).
GANTT_COLORS: dict[str, str] = {
    "Done": "#6b7785",
    "Critical": RAG_COLORS["red"],
    "Not critical": "#1f5f8b",
    "Total float": "#a9c4d9",
    "Baseline": "#9e9e9e",
}
_STATUS_COLOR = "#1f2d3d"
_DEADLINE_COLOR = RAG_COLORS["red"]
_PERCENTILE_COLOR = "#1f5f8b"
_ONE_DAY = pd.Timedelta(days=1)


class FinishResult(Protocol):
    """What :func:`finish_distribution_chart` reads from a Monte Carlo result."""

    @property
    def finish(self) -> npt.NDArray[Any]:
        """Finish of every iteration, in working days from the start."""
        ...

    def percentile(self, p: float) -> float:
        """Finish offset met in share ``p`` of the iterations."""
        ...


# ------------------------------------------------------------------------ Gantt


def gantt_chart(
    schedule: pd.DataFrame,
    *,
    tasks: pd.DataFrame | None = None,
    status_date: DateLike | int | None = None,
    baseline: bool = True,
    actuals: bool = False,
    title: str = "Schedule",
) -> alt.LayerChart:
    """
    Gantt chart of a critical-path schedule: critical tasks in red, float after each.

    Bars run from each task's early start to its early finish. Critical tasks (no
    total float) are red, others blue with a light bar showing their total float
    (how far they can slip without moving the project finish). Milestones are
    diamonds. When the schedule has dates, a thin grey bar under each task shows its
    baseline (``baseline_start`` .. ``baseline_finish`` of ``tasks``; a hollow
    diamond for a milestone), and a dark rule marks the status date.

    Parameters
    ----------
    schedule
        The result of :func:`pmo_kit.schedule.critical_path`, indexed by task_id, in
        the order the tasks are drawn (top to bottom). Needs ``early_start``,
        ``early_finish``, ``late_finish`` and ``critical``; with the ``*_date``
        columns (a schedule computed with a ``start``) the x axis is dates,
        otherwise working days from the start.
    tasks
        The tasks table (``task_id``, ``name``, optionally ``duration``,
        ``baseline_start``, ``baseline_finish``, ``actual_start``,
        ``actual_finish``): names label the bars and ``duration`` 0 marks
        milestones. Pass the original tasks, not the output of
        :func:`~pmo_kit.schedule.remaining_work`.
    status_date
        Draw a "Status date" rule at the close of this day (a date, or a working-day
        offset when the schedule has no dates).
    baseline
        Draw the baseline bars when ``tasks`` has baseline dates.
    actuals
        For a forecast from a status date: draw finished tasks from their actual
        dates (grey, "Done") and tasks in progress from their actual start.
    title
        Chart title.

    Returns
    -------
    altair.LayerChart
        Layers: task bars, float bars, milestone diamonds, then the baseline bars and
        diamonds and the status-date rule and label when drawn.

    Examples
    --------
    >>> import pandas as pd
    >>> schedule = pd.DataFrame(
    ...     {
    ...         "early_start": [0, 0, 5],
    ...         "early_finish": [5, 3, 5],
    ...         "late_start": [0, 2, 5],
    ...         "late_finish": [5, 5, 5],
    ...         "total_float": [0, 2, 0],
    ...         "critical": [True, False, True],
    ...     },
    ...     index=pd.Index(["A", "B", "M"], name="task_id"),
    ... )
    >>> spec = gantt_chart(schedule, status_date=2).to_dict()
    >>> [layer["mark"]["type"] for layer in spec["layer"]]
    ['bar', 'bar', 'point', 'rule', 'text']
    """
    needed = {"early_start", "early_finish", "late_finish", "critical"}
    require_columns(schedule, needed, builder="gantt_chart")
    dated = {"early_start_date", "early_finish_date", "late_finish_date"} <= set(
        schedule.columns
    )
    by_id = _tasks_by_id(tasks, schedule.index)
    frame = _gantt_frame(schedule, by_id, dated=dated)
    if actuals:
        if not dated:
            msg = (
                "gantt_chart(actuals=True) needs a schedule with dates: call "
                "critical_path(..., start=...)"
            )
            raise ValidationError(msg)
        _apply_actuals(frame, by_id)
    order = list(frame["task"])
    x_type = "T" if dated else "Q"
    shown = [k for k in GANTT_COLORS if k in set(frame["kind"])]
    floats_shown = bool((frame["float_end"] > frame["finish"]).any())
    baseline_frame = _baseline_frame(by_id, frame) if baseline and dated else None
    legend = [
        k
        for k in GANTT_COLORS
        if k in shown
        or (k == "Total float" and floats_shown)
        or (k == "Baseline" and baseline_frame is not None)
    ]
    color = alt.Color(
        "kind:N",
        scale=alt.Scale(domain=legend, range=[GANTT_COLORS[k] for k in legend]),
        title=None,
        legend=alt.Legend(orient="top", direction="horizontal"),
    )
    y = alt.Y(
        "task:N", sort=order, title=None, axis=alt.Axis(labelLimit=260, ticks=False)
    )
    x = alt.X(f"start:{x_type}", title=None if dated else "Working days from the start")
    if dated:
        spanned: list[Any] = [frame["start"], frame["finish"], frame["float_end"]]
        if baseline_frame is not None:
            spanned += [baseline_frame["x"], baseline_frame["x2"]]
        if status_date is not None:
            spanned.append([status_date])
        x = alt.X(f"start:{x_type}", title=None, axis=date_axis(*spanned))
    fmt = "%Y-%m-%d" if dated else ",d"
    tooltip = [
        alt.Tooltip("task_id:N", title="Task"),
        alt.Tooltip("task:N", title="Name"),
        alt.Tooltip(f"shown_start:{x_type}", title="Start", format=fmt),
        alt.Tooltip(f"shown_finish:{x_type}", title="Finish", format=fmt),
        alt.Tooltip("total_float:Q", title="Total float (working days)"),
    ]
    bars = (
        alt.Chart(frame[~frame["milestone"]])
        .mark_bar(size=11, cornerRadius=2)
        .encode(x=x, x2="finish", y=y, color=color, tooltip=tooltip)
    )
    with_float = frame[frame["float_end"] > frame["finish"]]
    floats = (
        alt.Chart(with_float.assign(kind="Total float"))
        .mark_bar(size=4)
        .encode(
            x=alt.X(f"finish:{x_type}"),
            x2="float_end",
            y=y,
            color=color,
            tooltip=tooltip,
        )
    )
    diamonds = (
        alt.Chart(frame[frame["milestone"]])
        .mark_point(shape="diamond", filled=True, size=120, opacity=1)
        .encode(x=x, y=y, color=color, tooltip=tooltip)
    )
    layers: list[alt.Chart] = [bars, floats, diamonds]
    if baseline_frame is not None:
        layers.extend(_baseline_layers(baseline_frame, y, color))
    if status_date is not None:
        layers.extend(_status_layers(status_date, dated=dated, x_type=x_type))
    chart = alt.LayerChart(
        layer=layers, title=title, width=620, height=max(120, 22 * len(order))
    )
    return chart


def _tasks_by_id(tasks: pd.DataFrame | None, index: pd.Index) -> pd.DataFrame:
    """Return the tasks indexed by task_id in the schedule's order (may be empty)."""
    if tasks is None:
        return pd.DataFrame(index=index.astype(str))
    by_id = (
        tasks.set_index(tasks["task_id"].astype(str)) if "task_id" in tasks else tasks
    )
    return by_id.reindex(index.astype(str))


def _gantt_frame(
    schedule: pd.DataFrame, by_id: pd.DataFrame, *, dated: bool
) -> pd.DataFrame:
    """One row per task: label, bar start and end, float end, kind, milestone."""
    ids = pd.Series(schedule.index.astype(str), index=by_id.index)
    labels = ids.copy()
    if "name" in by_id:
        labels = by_id["name"].astype("string").fillna(ids).astype(str)
        repeated = labels.duplicated(keep=False)
        labels[repeated] = ids[repeated] + " " + labels[repeated]
    same_day = (schedule["early_start"] == schedule["early_finish"]).to_numpy()
    milestone = same_day
    if "duration" in by_id:
        duration = pd.to_numeric(by_id["duration"], errors="coerce").to_numpy()
        milestone = np.where(np.isnan(duration), same_day, duration == 0)
    critical = schedule["critical"].astype(bool).to_numpy()
    frame = pd.DataFrame(
        {
            "task": labels.to_numpy(),
            "task_id": ids.to_numpy(),
            "kind": np.where(critical, "Critical", "Not critical"),
            "milestone": milestone.astype(bool),
            "total_float": pd.to_numeric(schedule["total_float"]).to_numpy()
            if "total_float" in schedule
            else np.nan,
        }
    )
    if dated:
        # dates are whole working days: a task runs to the END of its finish date,
        # and a milestone falls at the end of its day, where its predecessors end
        start = pd.to_datetime(schedule["early_start_date"]).to_numpy()
        finish = pd.to_datetime(schedule["early_finish_date"]).to_numpy()
        frame["shown_start"] = start
        frame["shown_finish"] = finish
        frame["start"] = np.where(frame["milestone"], finish + _ONE_DAY, start)
        frame["finish"] = finish + _ONE_DAY
        frame["float_end"] = (
            pd.to_datetime(schedule["late_finish_date"]).to_numpy() + _ONE_DAY
        )
    else:
        frame["start"] = pd.to_numeric(schedule["early_start"]).to_numpy()
        frame["finish"] = pd.to_numeric(schedule["early_finish"]).to_numpy()
        frame["float_end"] = pd.to_numeric(schedule["late_finish"]).to_numpy()
        frame["shown_start"] = frame["start"]
        frame["shown_finish"] = frame["finish"]
    return frame


def _apply_actuals(frame: pd.DataFrame, by_id: pd.DataFrame) -> None:
    """Draw finished work from its actual dates, work in progress from its start."""
    started = (
        pd.to_datetime(by_id["actual_start"]).to_numpy()
        if "actual_start" in by_id
        else np.full(len(frame), np.datetime64("NaT"))
    )
    ended = (
        pd.to_datetime(by_id["actual_finish"]).to_numpy()
        if "actual_finish" in by_id
        else np.full(len(frame), np.datetime64("NaT"))
    )
    done = ~pd.isna(ended)
    running = ~done & ~pd.isna(started)
    frame.loc[running, "start"] = started[running]
    frame.loc[running, "shown_start"] = started[running]
    begun = np.where(pd.isna(started), ended, started)
    frame.loc[done, "kind"] = "Done"
    frame.loc[done, "shown_start"] = begun[done]
    frame.loc[done, "shown_finish"] = ended[done]
    frame.loc[done, "finish"] = ended[done] + _ONE_DAY
    frame.loc[done, "start"] = np.where(
        frame.loc[done, "milestone"], ended[done] + _ONE_DAY, begun[done]
    )
    frame.loc[done, "float_end"] = frame.loc[done, "finish"]
    frame.loc[done, "total_float"] = np.nan


def _baseline_frame(by_id: pd.DataFrame, frame: pd.DataFrame) -> pd.DataFrame | None:
    """Baseline start and bar end of each task, or None without baseline dates."""
    if not {"baseline_start", "baseline_finish"} <= set(by_id.columns):
        return None
    start = pd.to_datetime(by_id["baseline_start"]).to_numpy()
    finish = pd.to_datetime(by_id["baseline_finish"]).to_numpy()
    base = pd.DataFrame(
        {
            "task": frame["task"].to_numpy(),
            "milestone": frame["milestone"].to_numpy(),
            "baseline_start": start,
            "baseline_finish": finish,
            "kind": "Baseline",
        }
    ).dropna(subset=["baseline_start", "baseline_finish"])
    base["x"] = np.where(
        base["milestone"], base["baseline_finish"] + _ONE_DAY, base["baseline_start"]
    )
    base["x2"] = base["baseline_finish"] + _ONE_DAY
    return None if base.empty else base


def _baseline_layers(base: pd.DataFrame, y: alt.Y, color: alt.Color) -> list[alt.Chart]:
    """Thin grey bars under the tasks, hollow grey diamonds for the milestones."""
    tooltip = [
        alt.Tooltip("task:N", title="Name"),
        alt.Tooltip("baseline_start:T", title="Baseline start", format="%Y-%m-%d"),
        alt.Tooltip("baseline_finish:T", title="Baseline finish", format="%Y-%m-%d"),
    ]
    bars: alt.Chart = (
        alt.Chart(base[~base["milestone"]])
        .mark_bar(size=3, yOffset=9)
        .encode(x="x:T", x2="x2", y=y, color=color, tooltip=tooltip)
    )
    diamonds: alt.Chart = (
        alt.Chart(base[base["milestone"]])
        .mark_point(shape="diamond", filled=False, size=90, strokeWidth=1.5)
        .encode(x="x:T", y=y, color=color, tooltip=tooltip)
    )
    return [bars, diamonds]


def _status_layers(
    status_date: DateLike | int, *, dated: bool, x_type: str
) -> list[alt.Chart]:
    """Draw a dark dashed rule at the status date, labelled at the top."""
    if dated:
        if isinstance(status_date, int | float) and not isinstance(status_date, bool):
            msg = (
                f"status_date={status_date!r} is a number but the schedule has dates. "
                "Allowed: a date such as '2026-06-26'"
            )
            raise ValidationError(msg)
        stamp = to_timestamp(status_date, "status_date")
        # progress is reported at the close of the status date
        frame = pd.DataFrame(
            {"x": [stamp + _ONE_DAY], "label": [f"Status date {stamp:%d %b %Y}"]}
        )
    else:
        if not isinstance(status_date, int | float) or isinstance(status_date, bool):
            msg = (
                f"status_date={status_date!r}: the schedule has no dates (computed "
                "without a start), so give the status date as a working-day offset"
            )
            raise ValidationError(msg)
        frame = pd.DataFrame(
            {"x": [status_date], "label": [f"Status day {status_date}"]}
        )
    base = alt.Chart(frame)
    rule = base.mark_rule(
        color=_STATUS_COLOR, strokeDash=[5, 3], strokeWidth=1.5
    ).encode(x=alt.X(f"x:{x_type}"))
    text = base.mark_text(
        align="left", baseline="top", dx=4, dy=2, color=_STATUS_COLOR, fontSize=11
    ).encode(x=alt.X(f"x:{x_type}"), y=alt.value(0), text="label:N")
    return [rule, text]


# ------------------------------------------------------- finish distribution


def _percentile_label(p: float) -> str:
    return f"P{round(p * 100):d}"


def finish_distribution_chart(
    result: FinishResult,
    *,
    deadline: DateLike | int | None = None,
    confidence: float = 0.8,
    title: str = "Forecast finish: Monte Carlo simulation",
) -> alt.LayerChart:
    """
    Histogram of the simulated finish, with the P50, the P<confidence> and a deadline.

    Each bar counts the share of simulated runs finishing on that day (or working
    day). The P50 rule is the finish met in half of the runs; the P80 rule (or the
    chosen ``confidence``) the finish met in 80 % of them, the date a PMO commits
    to. A red rule marks the deadline.

    Parameters
    ----------
    result
        The result of :func:`pmo_kit.schedule.monte_carlo`. With a ``start``, the x
        axis is dates (``percentile_date``, ``finish_dates``); otherwise working
        days from the start.
    deadline
        A date (or a working-day offset when the result has no dates) to draw.
    confidence
        The confidence level of the second rule, between 0.5 and 1 (exclusive).
    title
        Chart title.

    Returns
    -------
    altair.LayerChart
        Layers: the histogram bars, the rules, the P50 label (left of its rule)
        and the other labels (right of theirs).

    Examples
    --------
    >>> import numpy as np
    >>> from types import SimpleNamespace
    >>> finish = np.array([10, 11, 11, 12, 12, 12, 13, 14])
    >>> result = SimpleNamespace(
    ...     finish=finish, percentile=lambda p: float(np.percentile(finish, p * 100))
    ... )
    >>> spec = finish_distribution_chart(result, deadline=12).to_dict()
    >>> [layer["mark"]["type"] for layer in spec["layer"]]
    ['bar', 'rule', 'text', 'text']
    """
    if not 0.5 <= confidence < 1:
        msg = (
            f"{confidence!r} is an invalid value for `confidence`. Valid values: "
            "from 0.5 up to (not including) 1, e.g. 0.8 for the P80 date"
        )
        raise ValidationError(msg)
    finish = np.asarray(result.finish, dtype=float)
    if finish.size == 0:
        msg = "finish_distribution_chart needs a Monte Carlo result with iterations"
        raise ValidationError(msg)
    dates = _finish_dates(result)
    dated = dates is not None
    levels = [0.5] if confidence == 0.5 else [0.5, confidence]
    markers: list[tuple[str, object]]

    if dates is not None:
        counts = pd.Series(dates).value_counts(normalize=True).sort_index()
        x_type, x_title, fmt = "T", "Finish date", "%Y-%m-%d"
        dated_result: Any = result
        markers = [
            (_percentile_label(p), pd.Timestamp(dated_result.percentile_date(p)))
            for p in levels
        ]
    else:
        counts = pd.Series(np.round(finish)).value_counts(normalize=True).sort_index()
        x_type, x_title, fmt = "Q", "Finish (working days from the start)", ",d"
        markers = [(_percentile_label(p), float(result.percentile(p))) for p in levels]

    bars_data = pd.DataFrame({"finish": counts.index, "share": counts.to_numpy()})
    span = _span(bars_data["finish"], dated)
    shown_dates = [m[1] for m in markers]
    if dated and deadline is not None:
        shown_dates.append(to_timestamp(deadline, "deadline"))
    bars = (
        alt.Chart(bars_data)
        .mark_bar(color="#8fb3d0", size=max(1.0, min(14.0, 480 / span)))
        .encode(
            x=alt.X(
                f"finish:{x_type}",
                title=x_title,
                axis=date_axis(bars_data["finish"], shown_dates)
                if dated
                else alt.Axis(),
            ),
            y=alt.Y(
                "share:Q",
                title="Share of simulated runs",
                axis=alt.Axis(format="%"),
                # headroom above the tallest bar for the rule labels
                scale=alt.Scale(domain=[0, float(counts.max()) * 1.3]),
            ),
            tooltip=[
                alt.Tooltip(f"finish:{x_type}", title="Finish", format=fmt),
                alt.Tooltip("share:Q", title="Share of runs", format=".1%"),
            ],
        )
    )
    rows = [
        {
            "x": value,
            "label": f"{name} {_fmt(value, dated)}",
            "kind": name,
            "color": _PERCENTILE_COLOR,
            "dash": "solid" if name == "P50" else "dashed",
        }
        for name, value in markers
    ]
    if deadline is not None:
        value: object = to_timestamp(deadline, "deadline") if dated else deadline
        if not dated and not isinstance(value, int | float):
            msg = (
                f"deadline={deadline!r}: the simulation has no dates (run without a "
                "start), so give the deadline as a working-day offset"
            )
            raise ValidationError(msg)
        rows.append(
            {
                "x": value,
                "label": f"Deadline {_fmt(value, dated)}",
                "kind": "Deadline",
                "color": _DEADLINE_COLOR,
                "dash": "solid",
            }
        )
    rules = pd.DataFrame(rows)
    rules["row"] = [4 + 15 * k for k in range(len(rules))]  # pixels from the top
    base = alt.Chart(rules)
    rule = base.mark_rule(strokeWidth=2).encode(
        x=alt.X(f"x:{x_type}"),
        color=alt.Color("color:N", scale=None),
        strokeDash=alt.StrokeDash(
            "dash:N",
            scale=alt.Scale(domain=["solid", "dashed"], range=[[1, 0], [6, 3]]),
            legend=None,
        ),
    )
    labels = []
    # the P50 label sits left of its rule, the others right: they never cross
    sides: list[tuple[Literal["left", "right"], pd.DataFrame]] = [
        ("right", rules[rules["kind"] == "P50"]),
        ("left", rules[rules["kind"] != "P50"]),
    ]
    for side, rows_on_side in sides:
        labels.append(
            alt.Chart(rows_on_side)
            .mark_text(
                align=side,
                baseline="top",
                dx=-4 if side == "right" else 4,
                fontSize=11,
                fontWeight="bold",
            )
            .encode(
                x=alt.X(f"x:{x_type}"),
                y=alt.Y("row:Q", scale=None, axis=None),
                text="label:N",
                color=alt.Color("color:N", scale=None),
            )
        )
    chart: alt.LayerChart = alt.LayerChart(
        layer=[bars, rule, *labels], title=title, width=560, height=240
    ).resolve_scale(y="independent")
    return chart


def _finish_dates(result: FinishResult) -> pd.DatetimeIndex | None:
    """Return each iteration's finish date, or None when the result has no dates."""
    start = getattr(result, "start", None)
    calendar = getattr(result, "calendar", None)
    if start is None or calendar is None or not hasattr(result, "percentile_date"):
        return None
    finish = np.asarray(result.finish, dtype=float)
    # a finish offset f ends on working day f - 1 (whole days, rounded up)
    days = np.maximum(np.ceil(finish - 1e-9).astype("int64") - 1, 0)
    return pd.DatetimeIndex(calendar.dates(start, days))


def _span(values: pd.Series, dated: bool) -> float:
    """How many days (or working days) the histogram covers, at least one."""
    if dated:
        days = (values.max() - values.min()) / _ONE_DAY
        return max(1.0, float(days) + 1)
    return max(1.0, float(values.max() - values.min()) + 1)


def _fmt(value: object, dated: bool) -> str:
    if dated:
        return f"{pd.Timestamp(value):%d %b %Y}"  # type: ignore[arg-type]
    return f"day {float(value):,.0f}"  # type: ignore[arg-type]


# ---------------------------------------------------------------------- tornado


def tornado_chart(
    sensitivity: pd.DataFrame,
    *,
    top: int = 10,
    names: Mapping[str, str] | pd.Series | pd.DataFrame | None = None,
    title: str = "What drives the finish date",
) -> alt.LayerChart:
    """
    Tornado chart: the tasks whose duration moves the finish most, longest bar on top.

    Each bar is the rank correlation between a task's simulated duration and the
    simulated finish: near 1, when the task runs long the project finishes late;
    near 0, the task hardly matters (it has float, or little uncertainty).

    Parameters
    ----------
    sensitivity
        ``MonteCarloResult.sensitivity``: indexed by task_id, with ``correlation``.
    top
        How many tasks to show (largest absolute correlation first).
    names
        Task names to label the bars: a mapping or Series task_id -> name, or the
        tasks table (``task_id``, ``name``). Default: the task ids.
    title
        Chart title.

    Returns
    -------
    altair.LayerChart
        Horizontal bars and their value labels.

    Examples
    --------
    >>> import pandas as pd
    >>> sens = pd.DataFrame(
    ...     {"correlation": [0.8, 0.3, -0.05]},
    ...     index=pd.Index(["E", "B", "C"], name="task_id"),
    ... )
    >>> spec = tornado_chart(sens, names={"E": "Testing"}).to_dict()
    >>> [layer["mark"]["type"] for layer in spec["layer"]]
    ['bar', 'text']
    """
    require_columns(sensitivity, {"correlation"}, builder="tornado_chart")
    if top < 1:
        msg = f"{top!r} is an invalid value for `top`. Valid values: 1 or more"
        raise ValidationError(msg)
    data = sensitivity[["correlation"]].copy()
    data["task_id"] = data.index.astype(str)
    data = data.dropna(subset=["correlation"])
    data = data.loc[data["correlation"].abs().sort_values(ascending=False).index]
    data = data.head(top)
    lookup = _name_lookup(names)
    data["label"] = [
        f"{tid} {lookup[tid]}" if tid in lookup else tid for tid in data["task_id"]
    ]
    data["direction"] = np.where(data["correlation"] >= 0, "later", "earlier")
    y = alt.Y(
        "label:N", sort=list(data["label"]), title=None, axis=alt.Axis(labelLimit=280)
    )
    x = alt.X(
        "correlation:Q",
        title="Sensitivity: correlation of the task's duration with the finish",
        scale=alt.Scale(domain=[min(0.0, float(data["correlation"].min())), 1.0]),
    )
    base = alt.Chart(data)
    bars = base.mark_bar(size=14).encode(
        x=x,
        y=y,
        color=alt.Color(
            "direction:N",
            scale=alt.Scale(
                domain=["later", "earlier"], range=[RAG_COLORS["red"], "#1f5f8b"]
            ),
            legend=None,
        ),
        tooltip=[
            alt.Tooltip("label:N", title="Task"),
            alt.Tooltip("correlation:Q", title="Correlation", format=".2f"),
        ],
    )
    text = base.mark_text(align="left", dx=4, fontSize=11).encode(
        x=x, y=y, text=alt.Text("correlation:Q", format=".2f")
    )
    chart = alt.LayerChart(
        layer=[bars, text], title=title, width=480, height=max(80, 24 * len(data))
    )
    return chart


def _name_lookup(
    names: Mapping[str, str] | pd.Series | pd.DataFrame | None,
) -> dict[str, str]:
    if names is None:
        return {}
    if isinstance(names, pd.DataFrame):
        require_columns(names, {"task_id", "name"}, builder="tornado_chart")
        return dict(
            zip(names["task_id"].astype(str), names["name"].astype(str), strict=True)
        )
    if isinstance(names, pd.Series):
        return {str(k): str(v) for k, v in names.items()}
    return {str(k): str(v) for k, v in names.items()}
