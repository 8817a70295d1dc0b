"""What the widgets share: a chart shown in an Output widget."""

from __future__ import annotations

from typing import Any

__all__ = ["chart_output"]

#: Altair renderers that draw in the kernel and fetch nothing from the network.
_OFFLINE_RENDERERS = frozenset({"pmo-svg", "png", "svg"})


def chart_output(chart: Any) -> tuple[dict[str, Any], ...]:
    """
    Render a chart as an Output widget's display data, always offline.

    The active altair renderer is used when it draws in the kernel (after
    :func:`pmo_kit.setup_notebook`); otherwise the chart is drawn as the kit's SVG
    here, so a widget never makes the browser fetch Vega from a CDN.
    """
    import altair as alt

    if alt.renderers.active in _OFFLINE_RENDERERS:
        bundle = chart._repr_mimebundle_()
        data, metadata = bundle if isinstance(bundle, tuple) else (bundle, {})
    else:
        from pmo_kit.charts.svgtext import svg_renderer

        data, metadata = svg_renderer(chart.to_dict()), {}
    return ({"output_type": "display_data", "data": data, "metadata": metadata},)
