"""Chart builders return specs; tests read the spec, never pixels (altair's way)."""

from __future__ import annotations

import pytest

from pmo_kit import ValidationError, portfolio_overview
from pmo_kit.charts import budget_vs_spend_chart, rag_grid_chart


def test_budget_vs_spend_layers(sample):
    spec = budget_vs_spend_chart(portfolio_overview(sample)).to_dict()
    assert [layer["mark"]["type"] for layer in spec["layer"]] == ["bar", "bar", "tick"]
    assert spec["layer"][1]["encoding"]["color"]["scale"]["domain"] == [
        "green",
        "amber",
        "red",
        "grey",
    ]


def test_rag_grid_one_cell_per_project_and_dimension(sample):
    overview = portfolio_overview(sample)
    chart = rag_grid_chart(overview)
    assert len(chart.data) == 3 * len(overview)


def test_missing_column_names_builder(sample):
    with pytest.raises(ValidationError, match="budget_vs_spend_chart needs the column"):
        budget_vs_spend_chart(portfolio_overview(sample).drop(columns=["eac"]))


def test_setup_notebook_renders_svg_offline(sample):
    import altair as alt

    import pmo_kit

    pmo_kit.setup_notebook()
    try:
        renderer = alt.renderers.get()
        assert renderer is not None
        bundle = renderer(budget_vs_spend_chart(portfolio_overview(sample)).to_dict())
        mimebundle = bundle[0] if isinstance(bundle, tuple) else bundle
        svg = mimebundle["image/svg+xml"]
        assert svg.lstrip().startswith("<svg")
        assert "http" not in svg.split(">", 1)[1].replace("http://www.w3.org", "")
    finally:
        alt.renderers.enable("default")
        alt.theme.enable("default")


def test_setup_notebook_rejects_unknown_renderer():
    import pmo_kit

    with pytest.raises(ValidationError, match="Valid values: 'svg', 'png'"):
        pmo_kit.setup_notebook(renderer="html")  # type: ignore[arg-type]
