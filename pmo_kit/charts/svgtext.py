"""
Chart text that keeps its measured width in any browser, whatever fonts it has.

vl-convert lays a chart out with the widths of the fonts *it* has (it ships Liberation
Sans, metric-compatible with Arial and Helvetica). A browser without those fonts draws
the same text in a wider fallback (DejaVu Sans on a bare Debian), so labels overflow
their space and are cut at the edge of the image ("-004 Data Retention Compliance").

:func:`fit_svg_text` asks vl-convert for the exact width it gave every text of a
chart (one extra conversion per chart) and writes it into the SVG as
``textLength`` with ``lengthAdjust="spacingAndGlyphs"``: every browser then squeezes
or stretches its own font to that width, so nothing moves, overlaps or is cut. The
text stays text (searchable, selectable, readable by tests). :func:`svg_renderer` is
the altair renderer that :func:`pmo_kit.setup_notebook` enables.
"""

from __future__ import annotations

import html
import re
from typing import Any

__all__ = ["fit_svg_text", "svg_renderer", "text_widths"]

# an element's attributes (quoted values may hold ">"), not self-closing, its body
_ATTRS = r'((?:[^>"]|"[^"]*")*?)(?<!/)'
_TEXT = re.compile(rf"<text\b{_ATTRS}>(.*?)</text>", re.DOTALL)
_TSPAN = re.compile(rf"<tspan\b{_ATTRS}>(.*?)</tspan>", re.DOTALL)
_ATTR = re.compile(r'([\w:-]+)="([^"]*)"')

Font = tuple[str, float, str, str]
"""A text's font as vl-convert sees it: family list, size (px), weight, style."""


def _font(attributes: str) -> Font:
    found = dict(_ATTR.findall(attributes))
    size = found.get("font-size", "11").removesuffix("px")
    try:
        px = float(size)
    except ValueError:
        px = 11.0
    return (
        html.unescape(found.get("font-family", "sans-serif")),
        px,
        found.get("font-weight", "normal"),
        found.get("font-style", "normal"),
    )


def text_widths(items: list[tuple[str, Font]]) -> list[float]:
    """
    Width in px that vl-convert gives each text in its font (kerning included).

    One Vega conversion measures them all: a text mark per item, and a second mark
    built from the first one's scene items that prints each item's bounds width.

    Examples
    --------
    >>> font = ("Helvetica, Arial, sans-serif", 10.0, "normal", "normal")
    >>> narrow, wide = text_widths([("ii", font), ("WW", font)])
    >>> 0 < narrow < wide
    True
    """
    if not items:
        return []
    import vl_convert as vlc

    values = [
        {"i": i, "t": text, "f": f[0], "s": f[1], "w": f[2], "st": f[3]}
        for i, (text, f) in enumerate(items)
    ]
    enter = {
        "text": {"field": "t"},
        "font": {"field": "f"},
        "fontSize": {"field": "s"},
        "fontWeight": {"field": "w"},
        "fontStyle": {"field": "st"},
        "x": {"value": 0},
        "y": {"value": 0},
        "align": {"value": "left"},
    }
    width = "datum.bounds.x2 - datum.bounds.x1"
    spec = {
        "$schema": "https://vega.github.io/schema/vega/v6.json",
        "width": 1,
        "height": 1,
        "data": [{"name": "texts", "values": values}],
        "marks": [
            {
                "type": "text",
                "name": "measured",
                "from": {"data": "texts"},
                "encode": {"enter": enter},
            },
            {
                "type": "text",
                "name": "widths",
                "from": {"data": "measured"},
                "encode": {
                    "enter": {
                        "text": {"signal": f"datum.datum.i + ':' + ({width})"},
                        "x": {"value": 0},
                        "y": {"value": 0},
                    }
                },
            },
        ],
    }
    scene = vlc.vega_to_scenegraph(spec)
    widths = [0.0] * len(items)
    for mark in scene["scenegraph"]["items"][0]["items"]:
        if mark.get("name") != "widths":
            continue
        for item in mark["items"]:
            index, value = str(item["text"]).split(":", 1)
            widths[int(index)] = float(value)
    return widths


def fit_svg_text(svg: str) -> str:
    """
    Pin every text of a vl-convert SVG to the width vl-convert measured for it.

    Adds ``textLength`` and ``lengthAdjust="spacingAndGlyphs"`` to each ``<text>``
    (or to each ``<tspan>`` of a multi-line text); texts that already have a
    ``textLength`` and empty texts are left alone.

    Examples
    --------
    >>> svg = (
    ...     '<svg><text font-family="Helvetica, Arial, sans-serif" font-size="10px">'
    ...     "P-004 Data Retention Compliance</text></svg>"
    ... )
    >>> fitted = fit_svg_text(svg)
    >>> 'lengthAdjust="spacingAndGlyphs"' in fitted, "P-004 Data" in fitted
    (True, True)
    >>> fit_svg_text('<svg><text font-size="10px"/><text>a</text></svg>').count(
    ...     "textLength"
    ... )
    1
    """
    found: list[tuple[str, Font]] = []

    def collect(match: re.Match[str]) -> str:
        attributes, body = match.group(1), match.group(2)
        if "textLength" in attributes:
            return match.group(0)
        font = _font(attributes)
        spans = _TSPAN.findall(body)
        parts = [content for _, content in spans] if spans else [body]
        for part in parts:
            text = html.unescape(re.sub(r"<[^>]+>", "", part))
            if text.strip():
                found.append((text, font))
        return match.group(0)

    _TEXT.sub(collect, svg)
    widths = iter(text_widths(found))

    def pin(attributes: str, body: str) -> tuple[str, str]:
        text = html.unescape(re.sub(r"<[^>]+>", "", body))
        if not text.strip():
            return attributes, body
        return (
            f'{attributes} textLength="{next(widths):.2f}" '
            'lengthAdjust="spacingAndGlyphs"',
            body,
        )

    def rewrite(match: re.Match[str]) -> str:
        attributes, body = match.group(1), match.group(2)
        if "textLength" in attributes:
            return match.group(0)
        if _TSPAN.search(body):

            def span(inner: re.Match[str]) -> str:
                attrs, content = pin(inner.group(1), inner.group(2))
                return f"<tspan{attrs}>{content}</tspan>"

            return f"<text{attributes}>{_TSPAN.sub(span, body)}</text>"
        attrs, content = pin(attributes, body)
        return f"<text{attrs}>{content}</text>"

    return _TEXT.sub(rewrite, svg)


def svg_renderer(spec: dict[str, Any], **metadata: Any) -> dict[str, str]:
    """
    Altair renderer: the chart as SVG with every text pinned to its measured width.

    What altair's ``"svg"`` renderer does (vl-convert in the kernel, nothing fetched
    from the network), followed by :func:`fit_svg_text`.
    """
    import altair as alt
    from altair.utils.mimebundle import spec_to_mimebundle

    bundle = spec_to_mimebundle(
        spec,
        format="svg",
        mode="vega-lite",
        vega_version=alt.VEGA_VERSION,
        vegaembed_version=alt.VEGAEMBED_VERSION,
        vegalite_version=alt.VEGALITE_VERSION,
        **metadata,
    )
    return {"image/svg+xml": fit_svg_text(str(bundle["image/svg+xml"]))}
