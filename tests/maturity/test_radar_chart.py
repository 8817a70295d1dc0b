"""The radar chart's data: one closed polygon per series at hand-computed points."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from pmo_kit.charts.maturity import maturity_radar_chart, radar_points
from pmo_kit.maturity import assess, default_questionnaire


def test_points_on_spokes_clockwise_from_top() -> None:
    frame = radar_points(dict.fromkeys("abcdefgh", 2.0), "level")
    assert len(frame) == 9  # closed: first point repeated
    second = frame.iloc[1]  # 45 degrees clockwise from the top
    assert second["x"] == pytest.approx(2 / math.sqrt(2))
    assert second["y"] == pytest.approx(2 / math.sqrt(2))
    assert frame.iloc[-1]["area"] == frame.iloc[0]["area"] == "a"


def test_chart_layers_and_series() -> None:
    q = default_questionnaire()
    a = assess({"r": {s.id: 2 for s in q.statements if s.level <= 2}})
    spec = maturity_radar_chart(a, target=3).to_dict()
    assert len(spec["layer"]) == 3
    chart = maturity_radar_chart(a, target={"risk": 4}, progress=False)
    lines = chart.layer[1].data
    assert isinstance(lines, pd.DataFrame)
    assert sorted(set(lines["series"])) == ["level", "target"]
    risk_top = lines[(lines["series"] == "target") & (lines["area"] == "risk")]
    assert set(risk_top["value"]) == {4.0}
    assert set(lines.loc[lines["series"] == "level", "value"]) == {2.0}
