"""Schedule chart builders: the spec has the marks, encodings and rules promised."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

import numpy as np
import pandas as pd
import pytest

from pmo_kit import ValidationError
from pmo_kit.charts import (
    GANTT_COLORS,
    finish_distribution_chart,
    gantt_chart,
    tornado_chart,
)
from pmo_kit.schedule import critical_path, monte_carlo, remaining_work

TASKS = pd.DataFrame(
    {
        "task_id": ["A", "B", "C", "M"],
        "name": ["Design", "Build", "Document", "Go-live"],
        "duration": [3, 5, 2, 0],
        "baseline_start": pd.to_datetime(
            ["2026-01-05", "2026-01-08", "2026-01-08", "2026-01-14"]
        ),
        "baseline_finish": pd.to_datetime(
            ["2026-01-07", "2026-01-14", "2026-01-09", "2026-01-14"]
        ),
    }
)
LINKS = pd.DataFrame(
    {"predecessor": ["A", "A", "B", "C"], "successor": ["B", "C", "M", "M"]}
)


def _layers(chart: Any) -> list[dict[str, Any]]:
    return list(chart.to_dict()["layer"])


def _marks(chart: Any) -> list[str]:
    return [layer["mark"]["type"] for layer in _layers(chart)]


def _data(spec: dict[str, Any], layer: dict[str, Any]) -> list[dict[str, Any]]:
    """The inline rows of a layer (altair moves them to top-level datasets)."""
    data = layer.get("data", spec.get("data"))
    assert data is not None
    return list(spec["datasets"][data["name"]])


@pytest.fixture(scope="module")
def dated():
    return critical_path(TASKS, LINKS, start="2026-01-05")


# ------------------------------------------------------------------------ Gantt


def test_gantt_layers_with_dates_baseline_and_status(dated):
    chart = gantt_chart(dated, tasks=TASKS, status_date="2026-01-09")
    assert _marks(chart) == ["bar", "bar", "point", "bar", "point", "rule", "text"]
    layers = _layers(chart)
    assert layers[0]["encoding"]["x"]["type"] == "temporal"
    assert layers[0]["encoding"]["x2"]["field"] == "finish"
    assert layers[2]["mark"]["shape"] == "diamond"
    assert layers[2]["mark"]["filled"] is True
    assert layers[4]["mark"]["filled"] is False  # hollow baseline milestone
    assert layers[3]["mark"]["size"] < layers[0]["mark"]["size"]  # thin baseline
    assert layers[5]["mark"]["strokeDash"]


def test_gantt_critical_tasks_are_red_and_rows_keep_schedule_order(dated):
    chart = gantt_chart(dated, tasks=TASKS)
    spec = chart.to_dict()
    bars = spec["layer"][0]
    scale = bars["encoding"]["color"]["scale"]
    colours = dict(zip(scale["domain"], scale["range"], strict=True))
    assert colours["Critical"] == GANTT_COLORS["Critical"] == "#c0392b"
    assert bars["encoding"]["y"]["sort"] == ["Design", "Build", "Document", "Go-live"]
    kinds = {row["task"]: row["kind"] for row in _data(spec, bars)}
    assert kinds == {
        "Design": "Critical",
        "Build": "Critical",
        "Document": "Not critical",
    }


def test_gantt_float_bar_runs_from_early_to_late_finish(dated):
    spec = gantt_chart(dated, tasks=TASKS).to_dict()
    floats = _data(spec, spec["layer"][1])
    assert [row["task"] for row in floats] == ["Document"]  # only C has float
    row = floats[0]
    # C finishes on Fri 2026-01-09 (early) and may finish Wed 2026-01-14 (late):
    # bars end at the close of the day
    assert pd.Timestamp(row["finish"]) == pd.Timestamp("2026-01-10")
    assert pd.Timestamp(row["float_end"]) == pd.Timestamp("2026-01-15")
    assert row["kind"] == "Total float"


def test_gantt_milestone_is_a_diamond_not_a_bar(dated):
    spec = gantt_chart(dated, tasks=TASKS).to_dict()
    bars = [row["task"] for row in _data(spec, spec["layer"][0])]
    diamonds = [row["task"] for row in _data(spec, spec["layer"][2])]
    assert "Go-live" not in bars
    assert diamonds == ["Go-live"]


def test_gantt_without_dates_uses_working_days():
    schedule = critical_path(TASKS, LINKS)
    chart = gantt_chart(schedule, tasks=TASKS, status_date=4)
    layers = _layers(chart)
    assert layers[0]["encoding"]["x"]["type"] == "quantitative"
    assert layers[0]["encoding"]["x"]["title"] == "Working days from the start"
    assert _marks(chart) == ["bar", "bar", "point", "rule", "text"]  # no baseline


def test_gantt_baseline_can_be_switched_off(dated):
    assert _marks(gantt_chart(dated, tasks=TASKS, baseline=False)) == [
        "bar",
        "bar",
        "point",
    ]


def test_gantt_labels_default_to_task_ids(dated):
    spec = gantt_chart(dated).to_dict()
    assert spec["layer"][0]["encoding"]["y"]["sort"] == ["A", "B", "C", "M"]


def test_gantt_actuals_draw_done_work_from_actual_dates(sample):
    project = sample.for_project("P-002")
    row = project.projects.iloc[0]
    left, snet = remaining_work(
        project.tasks, status_date=row["status_date"], start=row["start"]
    )
    forecast = critical_path(
        left, project.dependencies, start=row["start"], start_no_earlier_than=snet
    )
    spec = gantt_chart(
        forecast, tasks=project.tasks, status_date=row["status_date"], actuals=True
    ).to_dict()
    bars = {r["task_id"]: r for r in _data(spec, spec["layer"][0])}
    first = project.tasks.iloc[0]
    assert bars[first["task_id"]]["kind"] == "Done"
    assert pd.Timestamp(bars[first["task_id"]]["start"]) == first["actual_start"]
    running = project.tasks[
        project.tasks["actual_start"].notna() & project.tasks["actual_finish"].isna()
    ].iloc[0]
    assert pd.Timestamp(bars[running["task_id"]]["start"]) == running["actual_start"]
    assert bars[running["task_id"]]["kind"] in {"Critical", "Not critical"}
    legend = spec["layer"][0]["encoding"]["color"]["scale"]["domain"]
    assert legend[0] == "Done"


def test_gantt_status_rule_sits_at_close_of_status_day(dated):
    spec = gantt_chart(dated, tasks=TASKS, status_date="2026-01-09").to_dict()
    rule = _data(spec, spec["layer"][5])[0]
    assert pd.Timestamp(rule["x"]) == pd.Timestamp("2026-01-10")
    assert rule["label"] == "Status date 09 Jan 2026"


def test_gantt_status_date_must_match_the_axis(dated):
    with pytest.raises(ValidationError, match="is a number but the schedule has dates"):
        gantt_chart(dated, status_date=3)
    with pytest.raises(ValidationError, match="working-day offset"):
        gantt_chart(critical_path(TASKS, LINKS), status_date="2026-01-09")


def test_gantt_names_missing_columns():
    with pytest.raises(ValidationError, match="gantt_chart needs the column"):
        gantt_chart(pd.DataFrame({"early_start": [0]}))


# ----------------------------------------------------------- finish distribution


def _fake_result(values: list[float]) -> Any:
    finish = np.asarray(values, dtype=float)
    return SimpleNamespace(
        finish=finish,
        percentile=lambda p: float(np.ceil(np.quantile(finish, p))),
    )


def test_distribution_histogram_rules_and_labels():
    chart = finish_distribution_chart(
        _fake_result([10, 11, 11, 12, 12, 12, 13, 14, 15, 16]),
        deadline=12,
        confidence=0.9,
    )
    spec = chart.to_dict()
    assert _marks(chart) == ["bar", "rule", "text", "text"]
    left_of_rule = spec["layer"][2]
    assert left_of_rule["mark"]["align"] == "right"
    assert [row["label"] for row in _data(spec, left_of_rule)] == ["P50 day 12"]
    right_of_rule = spec["layer"][3]
    assert right_of_rule["mark"]["align"] == "left"
    labels = [row["label"] for row in _data(spec, right_of_rule)]
    assert labels == ["P90 day 16", "Deadline day 12"]
    shares = [row["share"] for row in _data(spec, spec["layer"][0])]
    assert sum(shares) == pytest.approx(1.0)


def test_distribution_in_dates_from_a_real_simulation():
    tasks = TASKS.assign(
        optimistic=[2, 4, 2, 0], most_likely=[3, 5, 2, 0], pessimistic=[6, 9, 3, 0]
    )
    result = monte_carlo(tasks, LINKS, iterations=500, seed=1, start="2026-01-05")
    spec = finish_distribution_chart(result, deadline="2026-01-16").to_dict()
    assert spec["layer"][0]["encoding"]["x"]["type"] == "temporal"
    labels = [row["label"] for layer in spec["layer"][2:] for row in _data(spec, layer)]
    assert labels[0] == f"P50 {result.percentile_date(0.5):%d %b %Y}"
    assert labels[1] == f"P80 {result.percentile_date(0.8):%d %b %Y}"
    assert labels[2] == "Deadline 16 Jan 2026"
    colours = [row["color"] for row in _data(spec, spec["layer"][1])]
    assert colours[2] == "#c0392b"  # the deadline is red


@pytest.mark.parametrize("confidence", [0.4, 1.0, 1.5])
def test_distribution_rejects_bad_confidence(confidence):
    with pytest.raises(ValidationError, match="invalid value for `confidence`"):
        finish_distribution_chart(_fake_result([1, 2]), confidence=confidence)


# ---------------------------------------------------------------------- tornado


def test_tornado_orders_by_strength_and_keeps_top():
    sensitivity = pd.DataFrame(
        {"correlation": [0.2, 0.9, -0.5, 0.05]},
        index=pd.Index(["A", "B", "C", "D"], name="task_id"),
    )
    chart = tornado_chart(sensitivity, top=3, names={"B": "Build"})
    spec = chart.to_dict()
    assert _marks(chart) == ["bar", "text"]
    bars = spec["layer"][0]
    assert bars["encoding"]["y"]["sort"] == ["B Build", "C", "A"]
    assert bars["encoding"]["x"]["field"] == "correlation"
    directions = {r["task_id"]: r["direction"] for r in _data(spec, bars)}
    assert directions == {"B": "later", "C": "earlier", "A": "later"}


def test_tornado_takes_names_from_the_tasks_table():
    sensitivity = pd.DataFrame(
        {"correlation": [0.7]}, index=pd.Index(["B"], name="task_id")
    )
    spec = tornado_chart(sensitivity, names=TASKS).to_dict()
    assert spec["layer"][0]["encoding"]["y"]["sort"] == ["B Build"]


def test_tornado_rejects_bad_input():
    with pytest.raises(ValidationError, match="tornado_chart needs the column"):
        tornado_chart(pd.DataFrame({"rho": [0.1]}))
    with pytest.raises(ValidationError, match="invalid value for `top`"):
        tornado_chart(pd.DataFrame({"correlation": [0.1]}), top=0)
