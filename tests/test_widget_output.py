"""A widget's chart is drawn offline even before ``setup_notebook()`` is called."""

from __future__ import annotations

import altair as alt
import pandas as pd

from pmo_kit.widgets._output import chart_output


def test_chart_output_is_static_svg_with_the_default_renderer() -> None:
    chart = alt.Chart(pd.DataFrame({"a": [1, 2]})).mark_bar().encode(x="a:Q")
    with alt.renderers.enable("default"):
        (output,) = chart_output(chart)
    assert set(output["data"]) == {"image/svg+xml"}
    svg = output["data"]["image/svg+xml"]
    assert svg.lstrip().startswith("<svg")
    assert "cdn.jsdelivr" not in svg
    assert "vega-embed" not in svg
