"""What the widgets share: a chart shown in an Output widget."""

from __future__ import annotations

from typing import Any

__all__ = ["chart_output"]


def chart_output(chart: Any) -> tuple[dict[str, Any], ...]:
    """Render a chart as an Output widget's display data (altair's renderer)."""
    bundle = chart._repr_mimebundle_()
    data, metadata = bundle if isinstance(bundle, tuple) else (bundle, {})
    return ({"output_type": "display_data", "data": data, "metadata": metadata},)
