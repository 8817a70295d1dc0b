"""
Charts and tables legible on any machine (issue 10): structure of the chart specs.

Each test states what a reader would see go wrong: two series in one legend colour,
a two-year axis without years, labels on top of each other, text out of its cell,
text wider than vl-convert measured it, "-0" in a table. The oracles are worked out
by hand from tiny inputs or computed a second, independent way.
"""

from __future__ import annotations

import re
from typing import Any
from xml.dom import minidom

import pandas as pd
import pytest

from pmo_kit.charts import (
    budget_vs_spend_chart,
    heat_map_chart,
    portfolio_bubble_chart,
    s_curve_chart,
)
from pmo_kit.charts._base import date_axis
from pmo_kit.charts.labels import label_box, place_bubble_labels
from pmo_kit.charts.svgtext import fit_svg_text, svg_renderer, text_widths
from pmo_kit.reports._display import html_table
from pmo_kit.risk import heat_map_table


def _performance(dates: list[str]) -> pd.DataFrame:
    n = len(dates)
    return pd.DataFrame(
        {
            "status_date": pd.to_datetime(dates),
            "pv": [100.0 * (k + 1) for k in range(n)],
            "ev": [80.0 * (k + 1) for k in range(n)],
            "ac": [90.0 * (k + 1) for k in range(n)],
            "bac": 1000.0,
            "eac_cpi": 1125.0,
            "forecast_finish": pd.Timestamp("2027-03-01"),
        }
    )


def _layers(spec: dict[str, Any]) -> list[dict[str, Any]]:
    return list(spec["layer"])


def _number(pattern: str, text: str) -> float:
    found = re.search(pattern, text)
    assert found is not None, (pattern, text[:200])
    return float(found[1])


# ------------------------------------------------------------------- S-curve


def test_s_curve_actual_cost_and_forecast_have_their_own_colours():
    spec = s_curve_chart(_performance(["2026-10-07", "2026-11-04"])).to_dict()
    scale = _layers(spec)[0]["encoding"]["color"]["scale"]
    colour = dict(zip(scale["domain"], scale["range"], strict=True))
    assert "Forecast (EAC)" in colour
    # one legend entry, one colour: AC and the EAC projection must differ
    assert colour["Actual cost (AC)"] != colour["Forecast (EAC)"]
    assert len(set(colour.values())) == len(colour)


def test_s_curve_axis_names_the_year_when_it_spans_two():
    # status in Oct-Nov 2026, forecast finish 1 Mar 2027: the axis runs into 2027
    spec = s_curve_chart(_performance(["2026-10-07", "2026-11-04"])).to_dict()
    axis = _layers(spec)[0]["encoding"]["x"]["axis"]
    assert "%Y" in axis["format"]
    assert "%B" not in axis["format"]  # never "AugustSeptemberOctober"
    assert axis["labelOverlap"] is True


def test_s_curve_title_uses_the_currency():
    spec = s_curve_chart(_performance(["2026-10-07"]), currency="GBP").to_dict()
    assert _layers(spec)[0]["encoding"]["y"]["title"] == "Cumulative GBP"


# ------------------------------------------------------------------ date axes


@pytest.mark.parametrize(
    ("first", "last", "fmt", "tick"),
    [
        # 3.5 months across new year: month ticks, every label with its year
        ("2026-11-02", "2027-02-15", "%b %Y", {"interval": "month", "step": 1}),
        # 6.5 months in one year: short month names (the first label adds the year)
        ("2026-03-02", "2026-09-15", "%b", {"interval": "month", "step": 1}),
        # 4 weeks across new year: day and month with the year
        ("2026-12-14", "2027-01-11", "%d %b %Y", {"interval": "week", "step": 1}),
        # 10 days: daily ticks, day and month
        ("2026-06-01", "2026-06-11", "%d %b", {"interval": "day", "step": 2}),
        # 26 months: every 4th month (26 / 8 = 3.25 -> the next nice step, 4)
        ("2025-01-15", "2027-02-15", "%b %Y", {"interval": "month", "step": 4}),
    ],
)
def test_date_axis_format_and_ticks(first, last, fmt, tick):
    axis = date_axis([first, last]).to_dict()
    assert axis["format"] == fmt
    assert axis["tickCount"] == tick
    assert axis["labelOverlap"] is True


def test_date_axis_in_one_year_names_the_year_on_the_first_label():
    axis = date_axis(["2026-03-02", "2026-09-15"]).to_dict()
    assert "'%b %Y'" in axis["labelExpr"]
    assert "datum.index == 0" in axis["labelExpr"]


# ------------------------------------------------------------- bubble labels


def _bubbles() -> pd.DataFrame:
    # three projects on top of each other near (1.0, 1.0), as P-001, P-006, P-007
    return pd.DataFrame(
        {
            "project_id": ["P-001", "P-006", "P-007", "P-002"],
            "spi": [1.00, 1.00, 0.99, 0.77],
            "cpi": [1.01, 1.00, 1.00, 0.96],
            "bac": [317_100.0, 494_700.0, 392_800.0, 748_100.0],
            "overall_rag": ["green", "green", "green", "red"],
        }
    )


def _label_boxes(spec: dict[str, Any]) -> list[tuple[float, float, float, float]]:
    """Pixel boxes of the labels, from the spec's own domains and size."""
    labels = _layers(spec)[-1]
    rows = spec["datasets"][labels["data"]["name"]]
    x_lo, x_hi = labels["encoding"]["x"]["scale"]["domain"]
    y_lo, y_hi = labels["encoding"]["y"]["scale"]["domain"]
    width, height = spec["width"], spec["height"]
    boxes = []
    for row in rows:
        px = (row["label_x"] - x_lo) / (x_hi - x_lo) * width
        py = (1 - (row["label_y"] - y_lo) / (y_hi - y_lo)) * height
        # 11 px text: at most 0.7 em a character, 13 px tall
        half = 0.7 * 11 * len(row["project_id"]) / 2
        boxes.append((px - half, py - 6.5, px + half, py + 6.5))
    return boxes


def test_bubble_labels_do_not_overlap():
    spec = portfolio_bubble_chart(_bubbles()).to_dict()
    boxes = _label_boxes(spec)
    for i, a in enumerate(boxes):
        for b in boxes[i + 1 :]:
            apart = a[2] <= b[0] or b[2] <= a[0] or a[3] <= b[1] or b[3] <= a[1]
            assert apart, (a, b)


def test_bubble_labels_stay_next_to_their_bubble():
    data = _bubbles()
    spec = portfolio_bubble_chart(data).to_dict()
    labels = _layers(spec)[-1]
    rows = spec["datasets"][labels["data"]["name"]]
    x_lo, x_hi = labels["encoding"]["x"]["scale"]["domain"]
    y_lo, y_hi = labels["encoding"]["y"]["scale"]["domain"]
    for row in rows:
        dx = (row["label_x"] - row["spi"]) / (x_hi - x_lo) * spec["width"]
        dy = (row["label_y"] - row["cpi"]) / (y_hi - y_lo) * spec["height"]
        # the largest bubble has a radius of sqrt(1600 / pi) = 22.6 px
        assert (dx**2 + dy**2) ** 0.5 < 22.6 + 24 + 30, row


def test_bubble_size_legend_uses_the_currency_and_round_amounts():
    spec = portfolio_bubble_chart(_bubbles(), currency="CHF").to_dict()
    size = next(layer for layer in _layers(spec) if "size" in layer["encoding"])
    assert size["encoding"]["size"]["title"] == "BAC (CHF)"
    # largest BAC 748,100: 748,100 / 100,000 = 7.5 steps (> 4), 748,100 / 200,000
    # = 3.7 (<= 4): steps of 200,000 up to the largest budget, never 0
    assert size["encoding"]["size"]["legend"]["values"] == [200_000, 400_000, 600_000]


def test_place_bubble_labels_moves_the_second_of_two_identical_bubbles():
    same = pd.DataFrame(
        {"project_id": ["A-1", "B-2"], "x": [1.0, 1.0], "y": [1.0, 1.0], "bac": 1.0}
    )
    placed = place_bubble_labels(
        same, x_domain=[0.5, 1.5], y_domain=[0.5, 1.5], size=(400, 400)
    )
    a, b = (
        label_box(t, (x - 0.5) * 400, (1.5 - y) * 400)
        for t, x, y in zip(
            same["project_id"], placed["label_x"], placed["label_y"], strict=True
        )
    )
    assert a[2] <= b[0] or b[2] <= a[0] or a[3] <= b[1] or b[3] <= a[1]


# ---------------------------------------------------------- budget vs spend


def test_budget_axis_has_few_labels_and_the_currency():
    overview = pd.DataFrame(
        {
            "project_id": ["P-001", "P-002"],
            "name": ["CRM", "ERP"],
            "budget": [1_100_000.0, 1_200_000.0],
            "ac": [450_000.0, 500_000.0],
            "eac": [1_150_000.0, 1_250_000.0],
            "cost_rag": ["green", "red"],
        }
    )
    spec = budget_vs_spend_chart(overview, currency="USD").to_dict()
    x = _layers(spec)[0]["encoding"]["x"]
    assert x["title"] == "USD"
    assert x["axis"]["tickCount"] <= 6  # 1.1M and 1.2M never side by side
    assert x["axis"]["labelOverlap"] is True
    # each label formatted on its own: "0" and "200k", not "0M" and "0.2M"
    assert x["axis"]["labelExpr"].startswith("datum.value == 0 ? '0'")


# ------------------------------------------------------------------ heat map


def test_heat_map_text_blocks_are_centred_in_their_cells():
    # 9 ids in one cell: "9", three lines of two ids, "+3 more" = 5 lines
    risks = pd.DataFrame(
        {
            "risk_id": [f"RK-{k:03d}" for k in range(10)],
            "probability": [3] * 9 + [1],
            "impact": [4] * 9 + [1],
        }
    )
    spec = heat_map_chart(heat_map_table(risks)).to_dict()
    _, *texts = _layers(spec)
    cell_height = spec["height"] / 5
    by_lines = {}
    for text in texts:
        lines = int(_number(r"datum.lines == (\d+)", text["transform"][0]["filter"]))
        by_lines[lines] = text["mark"]
    assert sorted(by_lines) == [2, 5]  # "1\nRK-009" and the busy cell
    for lines, mark in by_lines.items():
        height = lines * mark["lineHeight"]
        assert height <= cell_height - 4  # room for the white cell border
        # Vega hangs the block from its anchor: centred means moved up by half
        # of the lines after the first
        assert mark["dy"] == -(lines - 1) * mark["lineHeight"] / 2


# ------------------------------------------------------------- contingency


def test_contingency_labels_never_say_minus_zero():
    from types import SimpleNamespace

    import numpy as np

    from pmo_kit.charts import contingency_chart

    # no threat costs anything: every simulated total is 0, the EMV sum -0.0
    totals = np.zeros(10)
    result = SimpleNamespace(
        totals=totals, emv_sum=-0.0, confidence=0.8, percentile=lambda p: -0.2
    )
    spec = contingency_chart(result).to_dict()
    text = _layers(spec)[-1]
    labels = [row["label"] for row in spec["datasets"][text["data"]["name"]]]
    assert labels == ["P50 0", "P80 0", "EMV sum 0"]


# ---------------------------------------------------------- svg text widths


def _bar_chart_svg() -> str:
    import altair as alt

    frame = pd.DataFrame({"project": ["P-004 Data Retention Compliance"], "v": [3]})
    chart = alt.Chart(frame).mark_bar().encode(y="project:N", x="v:Q")
    return svg_renderer(chart.to_dict())["image/svg+xml"]


def test_every_chart_text_carries_its_measured_width():
    svg = _bar_chart_svg()
    minidom.parseString(svg)  # still well-formed XML
    texts = re.findall(r"<text\b[^>]*>[^<]+</text>", svg)
    assert texts
    assert all('lengthAdjust="spacingAndGlyphs"' in t for t in texts)
    label = next(t for t in texts if "P-004 Data Retention Compliance" in t)
    width = _number(r'textLength="([\d.]+)"', label)
    # second computation: the same text alone, laid out by vl-convert with no
    # padding; the image is as wide as the text (rounded up to a whole pixel)
    import vl_convert as vlc

    alone = vlc.vega_to_svg(
        {
            "width": 1,
            "height": 1,
            "padding": 0,
            "autosize": {"type": "pad"},
            "marks": [
                {
                    "type": "text",
                    "encode": {
                        "enter": {
                            "text": {"value": "P-004 Data Retention Compliance"},
                            "font": {"value": "sans-serif"},
                            "fontSize": {"value": 10},
                            "align": {"value": "left"},
                            "baseline": {"value": "top"},
                        }
                    },
                }
            ],
        }
    )
    image_width = _number(r'<svg[^>]*width="([\d.]+)"', alone)
    assert image_width - 1 <= width <= image_width


def test_multi_line_and_empty_texts_are_handled():
    svg = (
        '<svg><text font-size="10px"><tspan>3</tspan><tspan x="0" dy="12">'
        'RK-1, RK-2</tspan></text><text font-size="10px"/>'
        '<text font-size="10px"> </text></svg>'
    )
    fitted = fit_svg_text(svg)
    minidom.parseString(fitted)
    assert fitted.count("textLength") == 2  # the two tspans, not the empty texts


def test_text_widths_grow_with_size_and_weight():
    font = ("Helvetica, Arial, sans-serif", 10.0, "normal", "normal")
    bigger = ("Helvetica, Arial, sans-serif", 20.0, "normal", "normal")
    bold = ("Helvetica, Arial, sans-serif", 10.0, "bold", "normal")
    w10, w20, wb = text_widths(
        [("Committed", font), ("Committed", bigger), ("Committed", bold)]
    )
    assert w20 == pytest.approx(2 * w10, rel=0.01)
    assert wb > w10


# --------------------------------------------------------------------- tables


def test_table_never_shows_minus_zero():
    frame = pd.DataFrame({"emv": [-0.3, -0.0, -1.2, 0.4]})
    markup = str(html_table(frame, formats={"emv": ",.0f"}))
    cells = re.findall(r"<td[^>]*>([^<]*)</td>", markup)
    assert cells == ["0", "0", "-1", "0"]


def test_long_text_wraps_and_numbers_do_not():
    frame = pd.DataFrame(
        {
            "id": ["P-002-D-R-012"],
            "issue": ["Needs Youssef Dubois (R-012, Developer), also booked by P-006"],
            "hours": [160.0],
        }
    )
    markup = str(html_table(frame, formats={"hours": ",.0f"}))
    cells = re.findall(r'<td style="([^"]*)"', markup)
    assert "white-space:nowrap" in cells[0]  # a short id stays on one line
    assert "white-space:normal" in cells[1]  # the sentence wraps at its spaces
    assert "word-break:normal" in cells[1]  # ... never inside a word
    assert "white-space:nowrap" in cells[2]
    # "R-012," may not be split after its hyphen
    assert '<span style="white-space:nowrap">(R-012,</span>' in markup


def test_identifier_columns_do_not_wrap():
    frame = pd.DataFrame({"rule": ["charter-signed-at-gate", "risk-review"]})
    markup = str(html_table(frame))
    assert markup.count("white-space:nowrap") == 2  # both cells (headings may wrap)


# ------------------------------------------------------------- notebook set-up


def test_setup_notebook_renders_fitted_svg_and_readable_tables():
    import altair as alt

    import pmo_kit

    frame = pd.DataFrame({"exposure": [28333.333333, 14166.666667], "p": [0.045, 1.0]})
    try:
        pmo_kit.setup_notebook()
        renderer = alt.renderers.get()
        assert renderer is not None
        chart = alt.Chart(frame).mark_bar().encode(x="exposure:Q", y="p:Q")
        bundle = renderer(chart.to_dict())
        svg = (bundle[0] if isinstance(bundle, tuple) else bundle)["image/svg+xml"]
        assert "textLength" in svg
        shown = frame.to_string()
        assert "28,333" in shown
        assert "14,167" in shown
        assert "0.045" in shown
        assert "28333.333333" not in shown
    finally:
        alt.renderers.enable("default")
        alt.theme.enable("default")
        pd.reset_option("display.float_format")


def test_png_charts_are_sharp_but_shown_at_their_size():
    import altair as alt

    import pmo_kit

    chart = alt.Chart(pd.DataFrame({"a": [1, 2]})).mark_bar().encode(x="a:Q")
    try:
        pmo_kit.setup_notebook(renderer="png")
        renderer = alt.renderers.get()
        assert renderer is not None
        bundle: Any = renderer(chart.properties(width=400).to_dict())
        data, metadata = bundle
        pixels = int.from_bytes(data["image/png"][16:20], "big")  # IHDR width
        shown = metadata["image/png"]["width"]
        assert pixels == 2 * shown
        assert 400 < shown < 440  # the plot plus its axis
    finally:
        alt.renderers.enable("default")
        alt.theme.enable("default")
        pd.reset_option("display.float_format")
