"""Shared pieces of the chart builders: colours, theme, column checks."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import altair as alt

from pmo_kit._errors import ValidationError

if TYPE_CHECKING:
    from collections.abc import Iterable

    import pandas as pd

__all__ = ["RAG_COLORS", "register_theme", "require_columns"]

#: Colours of the RAG statuses, used by every chart (colour-blind safe tones).
RAG_COLORS: dict[str, str] = {
    "green": "#2e8540",
    "amber": "#f0a30a",
    "red": "#c0392b",
    "grey": "#9e9e9e",
}

_FONT = "Helvetica, Arial, sans-serif"


def require_columns(
    frame: pd.DataFrame, columns: Iterable[str], *, builder: str
) -> None:
    """Raise a ValidationError naming the columns ``builder`` needs and lacks."""
    missing = sorted(set(columns) - set(frame.columns))
    if missing:
        msg = (
            f"{builder} needs the column(s) {', '.join(map(repr, missing))}; the data "
            f"has {', '.join(map(repr, frame.columns))}"
        )
        raise ValidationError(msg)


def rag_scale() -> alt.Scale:
    """Colour scale mapping RAG names to their colours."""
    return alt.Scale(domain=list(RAG_COLORS), range=list(RAG_COLORS.values()))


def register_theme() -> None:
    """Register (but do not enable) the ``pmo`` altair theme."""

    @alt.theme.register("pmo", enable=False)
    def _pmo_theme() -> alt.theme.ThemeConfig:
        config: dict[str, Any] = {
            "config": {
                "font": _FONT,
                "view": {
                    "stroke": None,
                    "continuousWidth": 480,
                    "continuousHeight": 280,
                },
                "axis": {
                    "labelFontSize": 11,
                    "titleFontSize": 12,
                    "gridColor": "#e6e6e6",
                },
                "legend": {"labelFontSize": 11, "titleFontSize": 12},
                "title": {"fontSize": 14, "anchor": "start", "color": "#1f2d3d"},
                "range": {
                    "category": [
                        "#1f5f8b",
                        "#f0a30a",
                        "#2e8540",
                        "#c0392b",
                        "#7d3c98",
                        "#17a589",
                        "#9e9e9e",
                    ]
                },
            }
        }
        return config  # type: ignore[return-value]
