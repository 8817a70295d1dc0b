"""Agile chart builders: the spec has the marks, encodings, order and rules promised."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
import pytest

from pmo_kit import ValidationError
from pmo_kit.agile import (
    CompletionForecast,
    ItemsForecast,
    cumulative_flow,
    cycle_times,
    sprint_burndown,
    sprint_burnup,
    velocity,
)
from pmo_kit.charts import (
    STATUS_COLORS,
    burndown_chart,
    burnup_chart,
    cumulative_flow_chart,
    cycle_time_chart,
    forecast_histogram_chart,
    velocity_chart,
)


def _marks(spec: dict[str, Any]) -> list[str]:
    return [layer["mark"]["type"] for layer in spec["layer"]]


def _rows(spec: dict[str, Any], layer: dict[str, Any]) -> list[dict[str, Any]]:
    """The inline rows of a chart or layer (altair moves them to datasets)."""
    data = layer.get("data", spec.get("data"))
    assert data is not None
    return list(spec["datasets"][data["name"]])


@pytest.fixture(scope="module")
def p005(sample):
    return {
        "velocity": velocity(sample.sprints, sample.work_items, as_of="2026-06-26"),
        "changes": sample.status_changes[
            sample.status_changes["project_id"] == "P-005"
        ],
    }


def test_velocity_chart_groups_bars_and_draws_the_average(p005):
    table = p005["velocity"]
    table = table[table["project_id"] == "P-005"]
    spec = velocity_chart(table).to_dict()
    assert _marks(spec) == ["bar", "line"]
    bars, line = spec["layer"]
    assert bars["encoding"]["xOffset"]["field"] == "series"
    assert bars["encoding"]["x"]["sort"] == [f"S0{n}" for n in range(1, 9)]
    assert bars["encoding"]["color"]["scale"]["domain"] == [
        "Committed",
        "Completed",
        "Average",
    ]
    s05 = [r for r in _rows(spec, bars) if r["sprint_id"] == "S05"]
    assert {r["series"]: r["points"] for r in s05} == {
        "Committed": 35.0,
        "Completed": 19.0,
    }
    # the unfinished sprint S08 has no average point
    assert [r["sprint_id"] for r in _rows(spec, line)][-1] == "S07"


def test_velocity_chart_wants_one_project(p005):
    with pytest.raises(ValidationError, match="one project"):
        velocity_chart(p005["velocity"])
    with pytest.raises(ValidationError, match="'completed'"):
        velocity_chart(pd.DataFrame({"sprint_id": ["S01"], "committed": [3.0]}))


def test_burndown_and_burnup_lines(sample):
    args = (sample.sprints, sample.work_items)
    down = burndown_chart(
        sprint_burndown(*args, sprint_id="S05", project_id="P-005")
    ).to_dict()
    assert down["mark"]["type"] == "line"
    assert down["encoding"]["x"]["field"] == "day"
    assert down["encoding"]["color"]["scale"]["domain"] == ["Remaining", "Ideal"]
    assert {r["dash"] for r in _rows(down, down) if r["series"] == "Ideal"} == {
        "dashed"
    }
    up = burnup_chart(sprint_burnup(*args, sprint_id="S05", project_id="P-005"))
    spec = up.to_dict()
    assert spec["encoding"]["color"]["scale"]["domain"] == [
        "Scope",
        "Completed",
        "Ideal",
    ]
    last = [r for r in _rows(spec, spec) if r["day"] == 10]
    assert {r["series"]: r["points"] for r in last} == {
        "Scope": 35.0,
        "Completed": 19.0,
        "Ideal": 35.0,
    }
    with pytest.raises(ValidationError, match="burndown_chart needs"):
        burndown_chart(pd.DataFrame({"day": [0]}))


def test_cumulative_flow_chart_stacks_done_at_the_bottom(p005):
    spec = cumulative_flow_chart(cumulative_flow(p005["changes"])).to_dict()
    assert spec["mark"]["type"] == "area"
    encoding = spec["encoding"]
    assert encoding["color"]["scale"]["domain"] == list(STATUS_COLORS)
    assert encoding["color"]["scale"]["range"] == list(STATUS_COLORS.values())
    assert encoding["order"] == {
        "field": "stack",
        "sort": "ascending",
        "type": "quantitative",
    }
    ranks = {r["status"]: r["stack"] for r in _rows(spec, spec)}
    assert ranks == {"To Do": 4, "In Progress": 3, "In Review": 2, "Done": 1}


def test_cumulative_flow_chart_other_workflows_and_empty_input():
    flow = pd.DataFrame(
        {"Open": [2], "Doing": [1]}, index=pd.to_datetime(["2026-03-02"])
    )
    spec = cumulative_flow_chart(flow).to_dict()
    assert spec["encoding"]["color"]["scale"] == {"domain": ["Open", "Doing"]}
    with pytest.raises(ValidationError, match="with rows"):
        cumulative_flow_chart(flow.iloc[0:0])


def test_cycle_time_chart_rules_at_the_percentiles(p005):
    times = cycle_times(p005["changes"])
    spec = cycle_time_chart(times).to_dict()
    assert _marks(spec) == ["circle", "rule", "text"]
    rules = _rows(spec, spec["layer"][1])
    expected = np.quantile(times["cycle_time_days"], [0.5, 0.85, 0.95])
    assert [r["value"] for r in rules] == pytest.approx(expected.tolist())
    assert [r["label"].split()[0] for r in rules] == ["P50", "P85", "P95"]
    assert [r["dash"] for r in rules] == ["solid", "dashed", "dashed"]
    lead = cycle_time_chart(times, column="lead_time_days", shares=(0.9,)).to_dict()
    assert lead["layer"][0]["encoding"]["y"]["title"] == "Lead time (days)"
    assert len(_rows(lead, lead["layer"][1])) == 1


def test_forecast_histogram_for_how_many():
    forecast = ItemsForecast(days=10, outcomes=np.array([8, 9, 9, 10, 12] * 20))
    spec = forecast_histogram_chart(forecast).to_dict()
    assert _marks(spec) == ["bar", "rule", "text", "text"]
    assert spec["title"] == "How many items in the next 10 days"
    # P50 and P85 labelled right of their rules, the outermost (P95) left of its
    assert [layer["mark"]["align"] for layer in spec["layer"][2:]] == ["left", "right"]
    assert spec["layer"][0]["encoding"]["x"]["scale"]["domain"] == [7.5, 12.5]
    bars = _rows(spec, spec["layer"][0])
    assert {r["outcome"]: r["share"] for r in bars} == {
        8: 0.2,
        9: 0.4,
        10: 0.2,
        12: 0.2,
    }
    labels = [r["label"] for r in _rows(spec, spec["layer"][1])]
    assert labels == ["P50 ≥ 9", "P85 ≥ 8", "P95 ≥ 8"]


def test_forecast_histogram_for_when_with_and_without_dates():
    dated = CompletionForecast(
        items=5, outcomes=np.array([3, 4, 4, 5]), start=pd.Timestamp("2026-03-02")
    )
    spec = forecast_histogram_chart(dated, shares=(0.5,)).to_dict()
    assert spec["layer"][0]["encoding"]["x"]["type"] == "temporal"
    assert spec["layer"][2]["mark"]["align"] == "right"  # P50 left of its rule
    assert [r["label"] for r in _rows(spec, spec["layer"][1])] == ["P50 05 Mar 2026"]
    plain = CompletionForecast(items=5, outcomes=np.array([3, 4, 4, 5]))
    spec = forecast_histogram_chart(plain, title="When").to_dict()
    assert spec["title"] == "When"
    assert spec["layer"][0]["encoding"]["x"]["type"] == "quantitative"
    assert [r["label"] for r in _rows(spec, spec["layer"][1])] == [
        "P50 4 d",
        "P85 5 d",
        "P95 5 d",
    ]
    with pytest.raises(ValidationError, match="iterations"):
        forecast_histogram_chart(ItemsForecast(days=1, outcomes=np.array([])))
