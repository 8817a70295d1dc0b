"""
Maturity chart: the radar (spider) of an assessment's level per area.

Altair has no polar line mark, so the builder places each area on a spoke itself:
area *i* of *n* at angle ``2 * pi * i / n`` clockwise from the top, a value *r* at
``x = r * sin(angle)``, ``y = r * cos(angle)``; each series is a closed polygon.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import TYPE_CHECKING

import altair as alt
import pandas as pd

from pmo_kit.charts._base import RAG_COLORS

if TYPE_CHECKING:
    from pmo_kit.maturity.scoring import Assessment

__all__ = ["MATURITY_SERIES_COLORS", "maturity_radar_chart", "radar_points"]

#: Colours of the radar's series.
MATURITY_SERIES_COLORS: dict[str, str] = {
    "level": "#1f5f8b",
    "progress": "#7fb2d5",
    "target": RAG_COLORS["amber"],
}


def radar_points(values: Mapping[str, float], series: str) -> pd.DataFrame:
    """
    Return the closed polygon of one series: ``series, area, value, order, x, y``.

    Examples
    --------
    >>> radar_points({"a": 2.0, "b": 1.0, "c": 3.0, "d": 1.0}, "level")[
    ...     ["area", "x", "y"]
    ... ]
      area    x    y
    0    a  0.0  2.0
    1    b  1.0  0.0
    2    c  0.0 -3.0
    3    d -1.0  0.0
    4    a  0.0  2.0
    """
    names = list(values)
    rows = []
    for i, name in enumerate([*names, names[0]]):
        angle = 2 * math.pi * (i % len(names)) / len(names)
        r = float(values[name])
        rows.append(
            {
                "series": series,
                "area": name,
                "value": r,
                "order": i,
                "x": round(r * math.sin(angle), 9) + 0.0,
                "y": round(r * math.cos(angle), 9) + 0.0,
            }
        )
    return pd.DataFrame(rows)


def maturity_radar_chart(
    assessment: Assessment,
    *,
    target: int | Mapping[str, int] | None = None,
    progress: bool = True,
) -> alt.LayerChart:
    """
    Radar of the assessed level per area, with partial credit and a target.

    Parameters
    ----------
    assessment
        From :func:`pmo_kit.maturity.assess`.
    target
        One level for every area or area -> level; ``None`` draws no target.
    progress
        Also draw ``progress`` (level plus partial credit of the next level).

    Returns
    -------
    altair.LayerChart
        Rings at levels 1-5, one spoke per area, one closed line per series.
    """
    areas = [a.area for a in assessment.areas]
    frames = [radar_points({a.area: a.level for a in assessment.areas}, "level")]
    if progress:
        frames.append(
            radar_points({a.area: a.progress for a in assessment.areas}, "progress")
        )
    if target is not None:
        wanted = (
            {n: float(target.get(n, 0)) for n in areas}
            if isinstance(target, Mapping)
            else dict.fromkeys(areas, float(target))
        )
        frames.append(radar_points(wanted, "target"))
    data = pd.concat(frames, ignore_index=True)
    rings = pd.concat(
        [
            radar_points(dict.fromkeys(areas, float(lv)), f"ring {lv}")
            for lv in range(1, 6)
        ],
        ignore_index=True,
    )
    labels = radar_points(dict.fromkeys(areas, 5.8), "label").iloc[:-1]
    labels = labels.assign(title=[a.title for a in assessment.areas])
    scale = alt.Scale(domain=[-7, 7], nice=False)
    x = alt.X("x:Q", scale=scale, axis=None)
    y = alt.Y("y:Q", scale=scale, axis=None)
    grid = (
        alt.Chart(rings)
        .mark_line(color="#d0d0d0", strokeWidth=1)
        .encode(x=x, y=y, order="order:Q", detail="series:N")
    )
    names = list(MATURITY_SERIES_COLORS)
    lines = (
        alt.Chart(data)
        .mark_line(point=True, strokeWidth=2)
        .encode(
            x=x,
            y=y,
            order="order:Q",
            color=alt.Color(
                "series:N",
                title=None,
                scale=alt.Scale(
                    domain=names, range=[MATURITY_SERIES_COLORS[n] for n in names]
                ),
            ),
            tooltip=["series:N", "area:N", alt.Tooltip("value:Q", format=".2f")],
        )
    )
    text = alt.Chart(labels).mark_text(fontSize=11).encode(x=x, y=y, text="title:N")
    return alt.LayerChart(layer=[grid, lines, text]).properties(
        width=360, height=360, title="PMO maturity by area"
    )
