"""Earned value chart builders: tests read the spec, never pixels."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pandas as pd
import pytest

import pmo_kit.charts
from pmo_kit import ValidationError
from pmo_kit.charts import (
    EVM_COLORS,
    performance_trend_chart,
    portfolio_bubble_chart,
    s_curve_chart,
)
from pmo_kit.evm import (
    RagRules,
    RagThresholds,
    portfolio_performance,
    project_performance,
)

if TYPE_CHECKING:
    import altair as alt


@pytest.fixture(scope="module")
def p002(sample):
    projects = sample.projects
    project = projects[projects["project_id"] == "P-002"].iloc[0]
    rows = sample.status[sample.status["project_id"] == "P-002"]
    return project, project_performance(
        rows,
        bac=project["budget"],
        start=project["start"],
        planned_finish=project["planned_finish"],
    )


def _marks(chart: alt.LayerChart) -> list[str]:
    return [layer["mark"]["type"] for layer in chart.to_dict()["layer"]]


def _data(chart: alt.LayerChart, layer: int) -> pd.DataFrame:
    """The DataFrame a layer was built from."""
    data = chart.layer[layer].data
    assert isinstance(data, pd.DataFrame)
    return data


def test_builders_are_exported():
    for name in ("s_curve_chart", "performance_trend_chart", "portfolio_bubble_chart"):
        assert name in pmo_kit.charts.__all__


# ---------------------------------------------------------------- S-curve


def test_s_curve_layers_and_legend(p002):
    _, perf = p002
    chart = s_curve_chart(perf)
    assert _marks(chart) == ["line", "line", "rule", "text", "rule", "text"]
    spec = chart.to_dict()
    assert spec["layer"][0]["encoding"]["color"]["scale"]["domain"] == [
        "Planned value (PV)",
        "Earned value (EV)",
        "Actual cost (AC)",
        "Forecast (EAC)",
    ]
    assert spec["layer"][1]["mark"]["strokeDash"] == [6, 4]


def test_s_curve_projection_runs_from_last_ac_to_eac_at_forecast_finish(p002):
    _, perf = p002
    chart = s_curve_chart(perf)
    projection = _data(chart, 1)
    last = perf.iloc[-1]
    assert projection["status_date"].tolist() == [
        last["status_date"],
        last["forecast_finish"],
    ]
    assert projection["value"].tolist() == [last["ac"], pytest.approx(last["eac_cpi"])]
    bac_rule = _data(chart, 2)
    assert bac_rule["value"].tolist() == [last["bac"]]


def test_s_curve_explicit_eac_bac_and_baseline_to_finish(p002):
    project, perf = p002
    chart = s_curve_chart(
        perf, bac=800_000.0, eac=900_000.0, planned_finish=project["planned_finish"]
    )
    dashed = _data(chart, 1)
    assert set(dashed["series"]) == {"Forecast (EAC)", "Planned value (PV)"}
    assert dashed.loc[dashed["series"] == "Forecast (EAC)", "value"].iloc[-1] == 900_000
    assert dashed.loc[dashed["series"] == "Planned value (PV)", "value"].iloc[-1] == (
        800_000
    )
    assert _data(chart, 2)["value"].tolist() == [800_000.0]


def test_s_curve_status_date_cuts_and_marks(p002):
    _, perf = p002
    chart = s_curve_chart(perf, status_date="2026-03-06")
    lines = _data(chart, 0)
    assert lines["status_date"].max() == pd.Timestamp("2026-03-06")
    assert _data(chart, -1)["label"].tolist() == ["Status 06 Mar 2026"]


def test_s_curve_without_forecast_columns_has_no_projection():
    data = pd.DataFrame(
        {
            "status_date": pd.to_datetime(["2026-01-07", "2026-01-14"]),
            "pv": [1.0, 2.0],
            "ev": [1.0, 2.0],
            "ac": [1.0, 2.0],
        }
    )
    assert _marks(s_curve_chart(data)) == ["line", "rule", "text"]


def test_s_curve_errors(p002):
    _, perf = p002
    with pytest.raises(ValidationError, match="s_curve_chart needs the column"):
        s_curve_chart(perf.drop(columns=["ac"]))
    with pytest.raises(ValidationError, match="on or before `status_date`"):
        s_curve_chart(perf, status_date="2020-01-01")


# ------------------------------------------------------- performance trend


def test_trend_bands_rule_and_lines(p002):
    _, perf = p002
    chart = performance_trend_chart(perf)
    assert _marks(chart) == ["rect", "rule", "line"]
    bands = _data(chart, 0)
    assert bands["rag"].tolist() == ["red", "amber", "green", "amber", "red"]
    assert bands["high"].tolist()[1:4] == [0.95, 1.05, 1.10]
    spec = chart.to_dict()
    assert spec["layer"][2]["encoding"]["color"]["scale"]["domain"] == [
        "SPI",
        "CPI",
        "SPI(t)",
    ]
    y = spec["layer"][2]["encoding"]["y"]["scale"]["domain"]
    assert y[0] < perf["spi"].min()  # every point is inside the drawn range
    assert y[1] > 1.10


def test_trend_custom_thresholds_and_without_spi_t(p002):
    _, perf = p002
    tight = RagThresholds(0.98, 1.02, 0.95, 1.05)
    chart = performance_trend_chart(
        perf[["status_date", "spi", "cpi"]], thresholds=tight
    )
    assert _data(chart, 0)["low"].tolist()[1:] == [0.95, 0.98, 1.02, 1.05]
    assert set(_data(chart, 2)["index"]) == {"SPI", "CPI"}


def test_trend_needs_one_set_of_bands(p002):
    _, perf = p002
    with pytest.raises(ValidationError, match=r"rules\.schedule or rules\.cost"):
        performance_trend_chart(perf, thresholds=RagRules())  # type: ignore[arg-type]


# ------------------------------------------------------- portfolio bubble


def test_bubble_one_circle_per_reporting_project(sample):
    table = portfolio_performance(sample)
    chart = portfolio_bubble_chart(table)
    assert _marks(chart) == ["rule", "rule", "circle", "text"]
    circles = _data(chart, 2)
    assert sorted(circles["project_id"]) == [f"P-00{i}" for i in range(1, 8)]
    spec = chart.to_dict()
    encoding = spec["layer"][2]["encoding"]
    assert encoding["x"]["field"] == "spi"
    assert encoding["y"]["field"] == "cpi"
    assert encoding["size"]["field"] == "bac"
    assert encoding["color"]["field"] == "overall_rag"
    assert encoding["color"]["scale"]["domain"] == ["green", "amber", "red", "grey"]
    assert spec["layer"][3]["encoding"]["text"]["field"] == "project_id"
    x_low, x_high = encoding["x"]["scale"]["domain"]
    assert x_low < circles["spi"].min()
    assert x_high > 1.0  # the quadrant rule is always inside the plot


def test_bubble_with_spi_t_and_errors(sample):
    table = portfolio_performance(sample)
    chart = portfolio_bubble_chart(table, x="spi_t")
    assert chart.to_dict()["layer"][2]["encoding"]["x"]["field"] == "spi_t"
    with pytest.raises(ValidationError, match="Valid values are 'spi' and 'spi_t'"):
        portfolio_bubble_chart(table, x="cpi")  # type: ignore[arg-type]
    with pytest.raises(
        ValidationError, match="portfolio_bubble_chart needs the column"
    ):
        portfolio_bubble_chart(table.drop(columns=["bac"]))


def test_evm_colours_cover_every_series():
    assert {"Planned value (PV)", "SPI", "SPI(t)", "Forecast (EAC)"} <= set(EVM_COLORS)
