"""Shared pieces of the chart builders: colours, theme, column checks."""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any

import altair as alt
import pandas as pd

from pmo_kit.data import inputs

if TYPE_CHECKING:
    from collections.abc import Iterable

__all__ = [
    "AMOUNT_LABELS",
    "RAG_COLORS",
    "date_axis",
    "money_format",
    "register_theme",
    "require_columns",
]

#: Colours of the RAG statuses, used by every chart (colour-blind safe tones).
RAG_COLORS: dict[str, str] = {
    "green": "#2e8540",
    "amber": "#f0a30a",
    "red": "#c0392b",
    "grey": "#9e9e9e",
}

_FONT = "Helvetica, Arial, sans-serif"

#: Axis ``labelExpr`` for amounts: ``0``, ``200k``, ``1.2M`` (each label on its own,
#: not ``0M`` and ``0.2M`` as Vega's shared ``~s`` precision gives).
AMOUNT_LABELS = "datum.value == 0 ? '0' : format(datum.value, '~s')"


def require_columns(
    frame: pd.DataFrame, columns: Iterable[str], *, builder: str
) -> None:
    """Raise a ValidationError naming the columns ``builder`` needs and lacks."""
    inputs.require_columns(frame, columns, builder)


def date_axis(*dates: Iterable[object], **options: Any) -> alt.Axis:
    """
    Time axis whose labels never collide and show the year when it is not obvious.

    Ticks are months when the dates span more than three months (a step of 1, 2,
    3, 4, 6 or 12 that keeps about eight labels), else weeks or days. Labels are
    short (``Aug``, not ``August``; ``07 Aug``); they carry the year (``Aug 2026``,
    ``28 Dec 2026``) when the dates fall in two or more calendar years, and a
    month axis within one year names it on its first label. Labels that would
    still touch are thinned out (``labelOverlap``).

    Parameters
    ----------
    *dates
        Every date the axis shows (all layers: data, projections, rules).
    **options
        Further ``alt.Axis`` properties (title, grid, ...).

    Examples
    --------
    >>> date_axis(["2026-11-02", "2027-02-15"]).to_dict()["format"]
    '%b %Y'
    >>> date_axis(["2026-03-02", "2026-09-15"]).to_dict()["format"]
    '%b'
    >>> date_axis(["2026-12-14", "2027-01-11"]).to_dict()["format"]
    '%d %b %Y'
    """
    values = [v for group in dates for v in group]
    stamps = pd.Series(pd.to_datetime(pd.Series(values), errors="coerce")).dropna()
    settings: dict[str, Any] = {"labelOverlap": True, "labelFlush": False}
    if stamps.empty:
        return alt.Axis(**settings, **options)
    first, last = pd.Timestamp(stamps.min()), pd.Timestamp(stamps.max())
    years = first.year != last.year
    days = (last - first).days
    if days > 92:
        months = (last.year - first.year) * 12 + last.month - first.month + 1
        step = next(s for s in (1, 2, 3, 4, 6, 12) if s >= months / 8 or s == 12)
        settings["tickCount"] = {"interval": "month", "step": step}
        settings["format"] = "%b %Y" if years else "%b"
        if not years:  # the first label says which year: "Sep 2026", "Oct", ...
            settings["labelExpr"] = (
                "timeFormat(datum.value, datum.index == 0 ? '%b %Y' : '%b')"
            )
    else:
        weeks = days > 21
        step = math.ceil(days / (7 if weeks else 1) / 8) or 1
        settings["tickCount"] = {"interval": "week" if weeks else "day", "step": step}
        settings["format"] = "%d %b %Y" if years else "%d %b"
    return alt.Axis(**settings, **options)


def money_format(value: float) -> str:
    """
    Format an amount for a chart label without a minus sign on a rounded zero.

    Examples
    --------
    >>> money_format(-0.4), money_format(-1234.6), money_format(1_000_000)
    ('0', '-1,235', '1,000,000')
    """
    text = f"{float(value):,.0f}"
    return "0" if text == "-0" else text


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
