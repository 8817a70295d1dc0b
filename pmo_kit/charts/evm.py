"""
Earned value charts: the S-curve, the performance trend, the portfolio bubble chart.

The builders read what :mod:`pmo_kit.evm` produces
(:func:`~pmo_kit.evm.project_performance`,
:func:`~pmo_kit.evm.portfolio_performance`) and return altair charts; they never
compute indices themselves, display or save. The portfolio bubble chart is built in
:mod:`pmo_kit.charts.portfolio` and importable from here as before.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import altair as alt
import numpy as np
import pandas as pd

from pmo_kit._errors import ValidationError
from pmo_kit.charts._base import (
    AMOUNT_LABELS,
    RAG_COLORS,
    date_axis,
    money_format,
    rag_scale,
    require_columns,
)
from pmo_kit.charts.portfolio import portfolio_bubble_chart
from pmo_kit.data.inputs import to_timestamp
from pmo_kit.evm.rag import DEFAULT_RAG, RagThresholds

if TYPE_CHECKING:
    from pmo_kit.data.inputs import DateLike

__all__ = [
    "EVM_COLORS",
    "performance_trend_chart",
    "portfolio_bubble_chart",
    "s_curve_chart",
]


#: Colours of the earned value series (the legend shows them in this order).
EVM_COLORS: dict[str, str] = {
    "Planned value (PV)": "#1f5f8b",
    "Earned value (EV)": RAG_COLORS["green"],
    "Actual cost (AC)": RAG_COLORS["red"],
    # the projection must not share the AC colour: the legend would show one
    # colour for two series (the dash alone does not show in a legend swatch)
    "Forecast (EAC)": "#7d3c98",
    "SPI": "#1f5f8b",
    "CPI": RAG_COLORS["red"],
    "SPI(t)": "#7d3c98",
}
_INK = "#1f2d3d"
_MONEY = {
    "pv": "Planned value (PV)",
    "ev": "Earned value (EV)",
    "ac": "Actual cost (AC)",
}
_INDICES = {"spi": "SPI", "cpi": "CPI", "spi_t": "SPI(t)"}


def _scale(names: list[str]) -> alt.Scale:
    return alt.Scale(domain=names, range=[EVM_COLORS[n] for n in names])


def _last_number(frame: pd.DataFrame, column: str) -> float | None:
    if column not in frame.columns or frame.empty:
        return None
    value = float(frame[column].iloc[-1])
    return None if np.isnan(value) else value


# -------------------------------------------------------------------- S-curve


def s_curve_chart(
    performance: pd.DataFrame,
    *,
    bac: float | None = None,
    eac: float | None = None,
    status_date: DateLike | None = None,
    planned_finish: DateLike | None = None,
    title: str = "Earned value S-curve",
    currency: str = "EUR",
) -> alt.LayerChart:
    """
    Cumulative PV, EV and AC over time, the EAC projection and the BAC line.

    The dashed purple line runs from the last actual cost to the EAC at the forecast
    finish: where the money and the calendar are heading if nothing changes. The
    date axis shows the year when the chart spans more than one.

    Parameters
    ----------
    performance
        The result of :func:`pmo_kit.evm.project_performance` (needs
        ``status_date``, ``pv``, ``ev``, ``ac``; reads ``bac``, ``eac_cpi`` and
        ``forecast_finish`` when present).
    bac
        Budget at completion for the horizontal rule; default the ``bac`` column.
    eac
        Estimate at completion the projection ends at; default the last
        ``eac_cpi``. No projection when it is unknown.
    status_date
        Draw up to this date and mark it; default the last status date.
    planned_finish
        Baseline finish: with a BAC, the PV line continues (dotted) to BAC there.
    title
        Chart title.
    currency
        Currency code for the axis and tooltip (the dataset's
        ``portfolio.currency``).

    Returns
    -------
    altair.LayerChart
        Lines for PV, EV, AC; the dashed EAC projection; the BAC rule; the
        status-date rule.

    Examples
    --------
    >>> import pandas as pd
    >>> data = pd.DataFrame(
    ...     {
    ...         "status_date": pd.to_datetime(["2026-01-07", "2026-01-14"]),
    ...         "pv": [100.0, 200.0],
    ...         "ev": [80.0, 160.0],
    ...         "ac": [90.0, 180.0],
    ...         "bac": [1000.0, 1000.0],
    ...         "eac_cpi": [1125.0, 1125.0],
    ...         "forecast_finish": pd.to_datetime(["2026-03-29", "2026-03-29"]),
    ...     }
    ... )
    >>> [layer["mark"]["type"] for layer in s_curve_chart(data).to_dict()["layer"]]
    ['line', 'line', 'rule', 'text', 'rule', 'text']
    """
    require_columns(
        performance, {"status_date", "pv", "ev", "ac"}, builder="s_curve_chart"
    )
    frame = performance.assign(status_date=pd.to_datetime(performance["status_date"]))
    frame = frame.sort_values("status_date")
    if status_date is not None:
        cut = to_timestamp(status_date, "status_date")
        frame = frame[frame["status_date"] <= cut]
    if frame.empty:
        msg = "s_curve_chart needs at least one status row on or before `status_date`"
        raise ValidationError(msg)
    status = (
        to_timestamp(status_date, "status_date")
        if status_date is not None
        else frame["status_date"].iloc[-1]
    )
    bac = bac if bac is not None else _last_number(frame, "bac")
    eac = eac if eac is not None else _last_number(frame, "eac_cpi")
    long = frame.melt(
        id_vars="status_date",
        value_vars=list(_MONEY),
        var_name="key",
        value_name="value",
    )
    long["series"] = long["key"].map(_MONEY)
    names = list(_MONEY.values())
    projection = _projection(frame, eac)
    if projection is not None:
        names.append("Forecast (EAC)")
    color = alt.Color(
        "series:N",
        scale=_scale(names),
        title=None,
        legend=alt.Legend(orient="top", direction="horizontal"),
    )
    extension = _baseline_extension(frame, bac, planned_finish)
    shown_dates: list[Any] = [frame["status_date"], [status]]
    shown_dates += [p["status_date"] for p in (projection, extension) if p is not None]
    x = alt.X("status_date:T", title=None, axis=date_axis(*shown_dates))
    y = alt.Y(
        "value:Q",
        title=f"Cumulative {currency}",
        axis=alt.Axis(format="~s", labelExpr=AMOUNT_LABELS, labelOverlap=True),
    )
    tooltip = [
        alt.Tooltip("status_date:T", title="Date", format="%Y-%m-%d"),
        alt.Tooltip("series:N", title="Series"),
        alt.Tooltip("value:Q", title=currency, format=",.0f"),
    ]
    lines = (
        alt.Chart(long)
        .mark_line(point=alt.OverlayMarkDef(size=25))
        .encode(x=x, y=y, color=color, tooltip=tooltip)
    )
    layers: list[alt.Chart] = [lines]
    if projection is not None or extension is not None:
        dashed = pd.concat([p for p in (projection, extension) if p is not None])
        layers.append(
            alt.Chart(dashed)
            .mark_line(strokeDash=[6, 4], strokeWidth=2)
            .encode(x=x, y=y, color=color, detail="series:N", tooltip=tooltip)
        )
    if bac is not None:
        layers.extend(_horizontal_rule(bac, f"BAC {money_format(bac)}"))
    layers.extend(_status_rule(status))
    chart = alt.LayerChart(layer=layers, title=title, width=560, height=300)
    return chart


def _projection(frame: pd.DataFrame, eac: float | None) -> pd.DataFrame | None:
    """Two points: the last AC and the EAC at the forecast finish."""
    if eac is None or "forecast_finish" not in frame.columns:
        return None
    finish = frame["forecast_finish"].iloc[-1]
    if pd.isna(finish):
        return None
    last = frame.iloc[-1]
    return pd.DataFrame(
        {
            "status_date": [last["status_date"], pd.Timestamp(finish)],
            "value": [float(last["ac"]), float(eac)],
            "series": "Forecast (EAC)",
        }
    )


def _baseline_extension(
    frame: pd.DataFrame, bac: float | None, planned_finish: DateLike | None
) -> pd.DataFrame | None:
    if bac is None or planned_finish is None:
        return None
    finish = to_timestamp(planned_finish, "planned_finish")
    last = frame.iloc[-1]
    if finish <= last["status_date"]:
        return None
    return pd.DataFrame(
        {
            "status_date": [last["status_date"], finish],
            "value": [float(last["pv"]), float(bac)],
            "series": "Planned value (PV)",
        }
    )


def _horizontal_rule(value: float, label: str) -> list[alt.Chart]:
    base = alt.Chart(pd.DataFrame({"value": [value], "label": [label]}))
    rule = base.mark_rule(color=_INK, strokeWidth=1).encode(y="value:Q")
    text = base.mark_text(
        align="left", baseline="bottom", dx=4, dy=-2, color=_INK, fontSize=11
    ).encode(y="value:Q", x=alt.value(0), text="label:N")
    return [rule, text]


def _status_rule(status: pd.Timestamp) -> list[alt.Chart]:
    base = alt.Chart(
        pd.DataFrame({"status_date": [status], "label": [f"Status {status:%d %b %Y}"]})
    )
    rule = base.mark_rule(color=_INK, strokeDash=[5, 3], strokeWidth=1.5).encode(
        x="status_date:T"
    )
    text = base.mark_text(
        align="left", baseline="top", dx=4, dy=2, color=_INK, fontSize=11
    ).encode(x="status_date:T", y=alt.value(0), text="label:N")
    return [rule, text]


# ----------------------------------------------------------- performance trend


def performance_trend_chart(
    performance: pd.DataFrame,
    *,
    thresholds: RagThresholds = DEFAULT_RAG,
    title: str = "Performance indices over time",
) -> alt.LayerChart:
    """
    SPI, CPI and SPI(t) at every status date over green, amber and red bands.

    A late project's SPI creeps back towards 1.0 near the end while SPI(t) stays
    low: the chart shows both so the difference can be seen.

    Parameters
    ----------
    performance
        The result of :func:`pmo_kit.evm.project_performance` (needs
        ``status_date``, ``spi``, ``cpi``; draws ``spi_t`` when present).
    thresholds
        The bands drawn behind the lines (for :class:`~pmo_kit.evm.RagRules`, pass
        ``rules.schedule`` or ``rules.cost``).
    title
        Chart title.

    Returns
    -------
    altair.LayerChart
        Five background band rectangles, a rule at 1.0 and one line per index.

    Examples
    --------
    >>> import pandas as pd
    >>> data = pd.DataFrame(
    ...     {
    ...         "status_date": pd.to_datetime(["2026-01-07", "2026-01-14"]),
    ...         "spi": [0.8, 0.85],
    ...         "cpi": [0.95, 0.97],
    ...         "spi_t": [0.8, 0.8],
    ...     }
    ... )
    >>> spec = performance_trend_chart(data).to_dict()
    >>> [layer["mark"]["type"] for layer in spec["layer"]]
    ['rect', 'rule', 'line']
    >>> spec["layer"][0]["encoding"]["fill"]["scale"]["domain"]
    ['green', 'amber', 'red', 'grey']
    """
    require_columns(
        performance, {"status_date", "spi", "cpi"}, builder="performance_trend_chart"
    )
    if not isinstance(thresholds, RagThresholds):
        msg = (
            f"{thresholds!r} is an invalid value for `thresholds`. Allowed: a "
            "RagThresholds (for RagRules pass rules.schedule or rules.cost)"
        )
        raise ValidationError(msg)
    keys = [k for k in _INDICES if k in performance.columns]
    frame = performance.assign(status_date=pd.to_datetime(performance["status_date"]))
    long = frame.melt(
        id_vars="status_date", value_vars=keys, var_name="key", value_name="value"
    ).dropna(subset=["value"])
    long["index"] = long["key"].map(_INDICES)
    t = thresholds
    observed = long["value"]
    low = min(float(observed.min()) if len(observed) else 1.0, t.amber_low) - 0.05
    high = max(float(observed.max()) if len(observed) else 1.0, t.amber_high) + 0.05
    bands = pd.DataFrame(
        {
            "low": [low, t.amber_low, t.green_low, t.green_high, t.amber_high],
            "high": [t.amber_low, t.green_low, t.green_high, t.amber_high, high],
            "rag": ["red", "amber", "green", "amber", "red"],
        }
    )
    y_scale = alt.Scale(domain=[low, high], nice=False, zero=False)
    y_title = "Index (1.0 = on plan)"
    background = (
        alt.Chart(bands)
        .mark_rect(opacity=0.15)
        .encode(
            y=alt.Y("low:Q", scale=y_scale, title=y_title),
            y2="high:Q",
            fill=alt.Fill("rag:N", scale=rag_scale(), legend=None),
        )
    )
    one = (
        alt.Chart(pd.DataFrame({"value": [1.0]}))
        .mark_rule(color=_INK, strokeWidth=1)
        .encode(y=alt.Y("value:Q", scale=y_scale, title=y_title))
    )
    names = [_INDICES[k] for k in keys]
    lines = (
        alt.Chart(long)
        .mark_line(point=alt.OverlayMarkDef(size=25))
        .encode(
            x=alt.X("status_date:T", title=None, axis=date_axis(frame["status_date"])),
            y=alt.Y("value:Q", scale=y_scale, title=y_title),
            color=alt.Color(
                "index:N",
                scale=_scale(names),
                title=None,
                legend=alt.Legend(orient="top", direction="horizontal"),
            ),
            tooltip=[
                alt.Tooltip("status_date:T", title="Date", format="%Y-%m-%d"),
                alt.Tooltip("index:N", title="Index"),
                alt.Tooltip("value:Q", title="Value", format=".2f"),
            ],
        )
    )
    chart = alt.LayerChart(
        layer=[background, one, lines], title=title, width=560, height=260
    )
    return chart
