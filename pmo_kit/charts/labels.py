"""Label placement for scatter charts: each label beside its mark, none on another."""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

import pandas as pd

if TYPE_CHECKING:
    from collections.abc import Sequence

__all__ = ["label_box", "place_bubble_labels"]

Box = tuple[float, float, float, float]
"""A rectangle in pixels: left, top, right, bottom (y grows downwards)."""

#: Average advance of a character, in font sizes (Arial/Liberation digits and
#: capitals are 0.56-0.67 em; a little generous so that a label never touches).
CHAR_WIDTH = 0.64


def label_box(text: str, x: float, y: float, font_size: float = 11.0) -> Box:
    """
    Pixel box of a label centred on ``(x, y)``.

    Examples
    --------
    >>> label_box("P-001", 100.0, 50.0)
    (81.4, 43.5, 118.6, 56.5)
    """
    half_w = (CHAR_WIDTH * font_size * len(text) + 2) / 2
    half_h = (font_size + 2) / 2
    return (
        round(x - half_w, 2),
        round(y - half_h, 2),
        round(x + half_w, 2),
        round(y + half_h, 2),
    )


def _overlap(a: Box, b: Box) -> float:
    w = min(a[2], b[2]) - max(a[0], b[0])
    h = min(a[3], b[3]) - max(a[1], b[1])
    return w * h if w > 0 and h > 0 else 0.0


def _covers_circle(box: Box, cx: float, cy: float, r: float) -> bool:
    nearest_x = min(max(cx, box[0]), box[2])
    nearest_y = min(max(cy, box[1]), box[3])
    return (nearest_x - cx) ** 2 + (nearest_y - cy) ** 2 < r * r


def _outside(box: Box, width: float, height: float) -> float:
    return (
        max(0.0, -box[0])
        + max(0.0, box[2] - width)
        + max(0.0, -box[1])
        + max(0.0, box[3] - height)
    )


def place_bubble_labels(
    bubbles: pd.DataFrame,
    *,
    x_domain: Sequence[float],
    y_domain: Sequence[float],
    size: tuple[float, float],
    area: Sequence[float] = (80.0, 1600.0),
    font_size: float = 11.0,
) -> pd.DataFrame:
    """
    Where to write each bubble's label so that no two labels overlap.

    Bubbles are taken largest first; each label goes to the first free spot of:
    above, below, right, left, the four diagonals, then the same further out. A
    spot is free when the label overlaps no label already placed, no other bubble
    and stays inside the plot; when no spot is free, the least crowded one is used.

    Parameters
    ----------
    bubbles
        One row per bubble: ``x``, ``y`` (data units), ``bac`` (the size field,
        on a linear area scale from 0) and ``project_id`` (the label).
    x_domain, y_domain
        The axes' ``[low, high]`` (the chart's scale domains).
    size
        The plot's width and height in pixels.
    area
        Areas (px²) of a zero-size and of the largest bubble (the size range).
    font_size
        Label font size in pixels.

    Returns
    -------
    pandas.DataFrame
        ``label_x``, ``label_y`` in data units, on the index of ``bubbles``.

    Examples
    --------
    >>> close = pd.DataFrame(
    ...     {
    ...         "project_id": ["P-1", "P-2"],
    ...         "x": [1.0, 1.0],
    ...         "y": [1.0, 1.01],
    ...         "bac": [1.0, 1.0],
    ...     }
    ... )
    >>> placed = place_bubble_labels(
    ...     close, x_domain=[0.9, 1.1], y_domain=[0.9, 1.1], size=(400, 400)
    ... )
    >>> placed["label_y"].nunique() == 2 or placed["label_x"].nunique() == 2
    True
    """
    width, height = size
    x_lo, x_hi = float(x_domain[0]), float(x_domain[1])
    y_lo, y_hi = float(y_domain[0]), float(y_domain[1])
    x_span = (x_hi - x_lo) or 1.0
    y_span = (y_hi - y_lo) or 1.0
    top = float(bubbles["bac"].max()) if len(bubbles) else 0.0
    top = top if math.isfinite(top) and top > 0 else 1.0
    centres = {
        key: (
            (float(row.x) - x_lo) / x_span * width,
            (1.0 - (float(row.y) - y_lo) / y_span) * height,
            math.sqrt(
                (area[0] + (area[1] - area[0]) * max(float(row.bac), 0.0) / top)
                / math.pi
            ),
        )
        for key, row in bubbles.iterrows()
    }
    placed: dict[object, tuple[float, float]] = {}
    boxes: list[Box] = []
    for key in bubbles["bac"].sort_values(ascending=False, kind="stable").index:
        text = str(bubbles.at[key, "project_id"])
        cx, cy, r = centres[key]
        half_w = (CHAR_WIDTH * font_size * len(text) + 2) / 2
        half_h = (font_size + 2) / 2
        best: tuple[float, float, float] | None = None
        for gap in (3.0, 12.0, 24.0):
            d = r + gap
            diag = d / math.sqrt(2)
            spots = [
                (cx, cy - d - half_h),
                (cx, cy + d + half_h),
                (cx + d + half_w, cy),
                (cx - d - half_w, cy),
                (cx + diag + half_w, cy - diag - half_h),
                (cx - diag - half_w, cy - diag - half_h),
                (cx + diag + half_w, cy + diag + half_h),
                (cx - diag - half_w, cy + diag + half_h),
            ]
            for sx, sy in spots:
                box = label_box(text, sx, sy, font_size)
                crowd = sum(_overlap(box, other) for other in boxes) * 10
                crowd += sum(
                    50.0
                    for other, (ox, oy, orad) in centres.items()
                    if other != key and _covers_circle(box, ox, oy, orad)
                )
                crowd += _outside(box, width, height) * 20
                if best is None or crowd < best[2]:
                    best = (sx, sy, crowd)
                if crowd == 0:
                    break
            if best is not None and best[2] == 0:
                break
        assert best is not None
        placed[key] = (best[0], best[1])
        boxes.append(label_box(text, best[0], best[1], font_size))
    return pd.DataFrame(
        {
            "label_x": [x_lo + placed[k][0] / width * x_span for k in bubbles.index],
            "label_y": [
                y_lo + (1.0 - placed[k][1] / height) * y_span for k in bubbles.index
            ],
        },
        index=bubbles.index,
    )
