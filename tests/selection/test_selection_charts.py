"""Frontier and selection charts: labels worked out by hand, legible offline SVG."""

from __future__ import annotations

import pandas as pd
import pytest

from pmo_kit import ValidationError
from pmo_kit.charts.selection import (
    CHOICE_COLORS,
    frontier_chart,
    frontier_labels,
    selection_chart,
    selection_points,
)
from tests.selection._needs import require_scipy


def _frontier() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "budget": [1e6, 2e6, 3e6, 4e6],
            "feasible": [False, True, True, True],
            "best_value": [float("nan"), 10.0, 14.0, 14.0],
            "total_cost": [float("nan"), 0.9e6, 2.8e6, 2.8e6],
            "count": [0, 2, 3, 3],
            "added": [(), ("A", "B"), ("C", "D"), ()],
            "removed": [(), (), ("B",), ()],
        }
    )


def test_frontier_labels_say_what_comes_in_and_goes_out():
    labels = frontier_labels(_frontier())
    assert labels["budget"].tolist() == [2e6, 3e6, 4e6]  # the infeasible level goes
    assert labels["label"].tolist() == ["", "+C +D -B", ""]


def test_frontier_chart_layers_and_current_budget_rule():
    spec = frontier_chart(_frontier(), current=2.5e6).to_dict()
    marks = [layer["mark"]["type"] for layer in spec["layer"]]
    assert marks == ["line", "circle", "text", "rule"]
    assert spec["layer"][0]["mark"]["interpolate"] == "step-after"
    text = spec["layer"][2]["encoding"]["text"]["field"]
    assert text == "label"
    with pytest.raises(ValidationError, match="no feasible budget level"):
        frontier_chart(_frontier().assign(feasible=False))


def test_selection_points_by_hand():
    require_scipy()
    from pmo_kit.selection import select_portfolio

    # budget 10: optimum B + C (100); greedy ranks all at 10/unit, takes A (6),
    # then neither B nor C fits
    table = pd.DataFrame(
        {
            "project_id": ["A", "B", "C", "D"],
            "value": [60, 50, 50, 1],
            "cost": [6, 5, 5, 9],
        }
    )
    result = select_portfolio(table, budget=10)
    points = selection_points(table.rename(columns={"value": "score"}), result)
    assert points.set_index("project_id")["choice"].to_dict() == {
        "A": "greedy only",
        "B": "optimal only",
        "C": "optimal only",
        "D": "not chosen",
    }
    spec = selection_chart(table.rename(columns={"value": "score"}), result).to_dict()
    scale = spec["layer"][0]["encoding"]["color"]["scale"]
    assert dict(zip(scale["domain"], scale["range"], strict=True)) == CHOICE_COLORS
    assert len(set(CHOICE_COLORS.values())) == len(CHOICE_COLORS)


def test_sample_charts_render_to_svg_offline_without_overlapping_labels():
    require_scipy()
    import pmo_kit
    from pmo_kit.charts.labels import label_box
    from pmo_kit.charts.svgtext import svg_renderer
    from pmo_kit.reports.prioritisation_review import portfolio_prioritisation

    review = portfolio_prioritisation(pmo_kit.load_portfolio())
    frontier_svg = svg_renderer(review.frontier_chart().to_dict())["image/svg+xml"]
    assert "<svg" in frontier_svg
    assert "+C-006" in frontier_svg
    picked_svg = svg_renderer(review.selection_chart().to_dict())["image/svg+xml"]
    assert "C-019" in picked_svg
    assert "greedy only" in picked_svg
    # the selection labels never sit on top of each other (boxes in pixels)
    spec = review.selection_chart().to_dict()
    layer = next(x for x in spec["layer"] if x["mark"]["type"] == "text")
    data = pd.DataFrame(spec["datasets"][layer["data"]["name"]])
    x0, x1 = layer["encoding"]["x"]["scale"]["domain"]
    y0, y1 = layer["encoding"]["y"]["scale"]["domain"]
    boxes = [
        label_box(
            str(r.project_id),
            (r.label_x - x0) / (x1 - x0) * 560,
            (y1 - r.label_y) / (y1 - y0) * 320,
            10.0,
        )
        for r in data.itertuples()
    ]
    for i, a in enumerate(boxes):
        for b in boxes[i + 1 :]:
            apart = a[2] <= b[0] or b[2] <= a[0] or a[3] <= b[1] or b[3] <= a[1]
            assert apart, (a, b)
