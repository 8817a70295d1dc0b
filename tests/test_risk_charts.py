"""Risk chart builders: the spec has the marks, encodings and markers promised."""

from __future__ import annotations

import pandas as pd
import pytest

from pmo_kit import ValidationError
from pmo_kit.charts import (
    BAND_COLORS,
    contingency_chart,
    heat_map_chart,
    risk_trend_chart,
    top_risks_chart,
)
from pmo_kit.risk import (
    contingency,
    heat_map_table,
    risk_trend,
    top_risks,
)


def test_heat_map_cells_counts_and_ids(sample):
    open_risks = sample.risks[sample.risks["status"] == "open"]
    chart = heat_map_chart(heat_map_table(open_risks))
    spec = chart.to_dict()
    rect, *texts = spec["layer"]
    assert rect["mark"]["type"] == "rect"
    assert {t["mark"]["type"] for t in texts} == {"text"}
    assert rect["encoding"]["color"]["scale"]["domain"] == ["low", "medium", "high"]
    assert rect["encoding"]["color"]["scale"]["range"] == list(BAND_COLORS.values())
    rows = spec["datasets"][spec["data"]["name"]]
    assert len(rows) == 25
    assert sum(r["count"] for r in rows) == len(open_risks)
    # RK-015 (P-003 supplier insolvency) sits at probability 5, impact 5
    corner = next(r for r in rows if r["probability"] == 5 and r["impact"] == 5)
    assert corner["label"] == "1\nRK-015"
    assert corner["rating"] == "high"
    busy = next(r for r in rows if r["count"] == 7)
    assert busy["label"].endswith("+1 more")


def test_heat_map_residual_pmbok(sample):
    grid = heat_map_table(sample.risks, basis="residual", matrix="pmbok")
    spec = heat_map_chart(grid, title="Residual").to_dict()
    rows = spec["datasets"][spec["data"]["name"]]
    cell = next(r for r in rows if r["probability"] == 5 and r["impact"] == 1)
    assert cell["rating"] == "low"  # 0.9 x 0.05 = 0.045 < 0.05
    assert spec["title"] == "Residual"


def test_heat_map_needs_its_table(sample):
    with pytest.raises(ValidationError, match="heat_map_chart needs the column"):
        heat_map_chart(sample.risks)
    with pytest.raises(ValidationError, match="`basis`"):
        heat_map_table(sample.risks, basis="gross")


def test_top_risks_bar_sorted_and_coloured(sample):
    top = top_risks(sample.risks, 5, by="exposure")
    spec = top_risks_chart(top, by="exposure").to_dict()
    assert spec["mark"]["type"] == "bar"
    order = spec["encoding"]["y"]["sort"]
    assert order[0].startswith("RK-015")
    assert spec["encoding"]["x"]["title"].startswith("Exposure")
    assert spec["encoding"]["color"]["field"] == "residual_rating"
    assert spec["title"] == "Top risks by exposure"


def test_top_risks_bar_emv_is_absolute(sample):
    top = top_risks(sample.risks, 3, by="emv")
    spec = top_risks_chart(top, by="emv").to_dict()
    values = [r["value"] for r in spec["datasets"][spec["data"]["name"]]]
    assert min(values) > 0


def test_contingency_chart_markers(sample):
    p4 = sample.risks[sample.risks["project_id"] == "P-004"]
    result = contingency(p4, iterations=2_000, seed=4)
    spec = contingency_chart(result, budget=55_000).to_dict()
    bars, rule, labels = spec["layer"]
    assert [bars["mark"]["type"], rule["mark"]["type"], labels["mark"]["type"]] == [
        "bar",
        "rule",
        "text",
    ]
    marks = spec["datasets"][rule["data"]["name"]]
    names = [m["label"].split(" ")[0] for m in marks]
    assert names == ["P50", "P80", "EMV", "Budget"]
    assert marks[1]["x"] == pytest.approx(result.p80)
    assert marks[2]["x"] == pytest.approx(result.emv_sum)
    assert marks[3]["label"] == "Budget 55,000"
    shares = [r["share"] for r in spec["datasets"][bars["data"]["name"]]]
    assert sum(shares) == pytest.approx(1.0)


def test_contingency_chart_bad_bins(sample):
    result = contingency(sample.risks, iterations=200, seed=1)
    with pytest.raises(ValidationError, match="`bins`"):
        contingency_chart(result, bins=2)


def test_risk_trend_chart(sample):
    trend = risk_trend(sample.risks, end="2026-06-26")
    spec = risk_trend_chart(trend).to_dict()
    assert spec["mark"] == {"type": "line", "point": True}
    assert spec["encoding"]["color"]["scale"]["domain"] == ["open", "new", "closed"]
    rows = spec["datasets"][spec["data"]["name"]]
    assert len(rows) == 3 * len(trend)
    with pytest.raises(ValidationError, match="risk_trend_chart needs"):
        risk_trend_chart(pd.DataFrame({"x": [1]}))
