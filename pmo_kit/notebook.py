"""
Notebook set-up: charts that render offline, tables with readable numbers.

Charts render in JupyterLab and in exported HTML without network; floats in
DataFrames show as ``28,333`` or ``0.955``, not ``28333.333333``.
"""

from __future__ import annotations

from typing import Literal

from pmo_kit._errors import MissingDependencyError, ValidationError

__all__ = ["readable_number", "setup_notebook"]

Renderer = Literal["svg", "png"]


def readable_number(value: float) -> str:
    """
    Format a float for a table: thousands separators from 1,000, else 3 digits.

    Amounts lose their cents (``28,333``); ratios, indices and hours keep three
    significant digits (``0.955``, ``1.15``, ``124``), so a small score such as
    ``0.045`` stays visible. A value that rounds to zero never shows as ``-0``.

    Examples
    --------
    >>> [readable_number(v) for v in (28333.333333, 0.9553, 0.045, 124.21, -0.0001)]
    ['28,333', '0.955', '0.045', '124', '-0.0001']
    >>> readable_number(-0.4), readable_number(float("nan"))
    ('-0.4', 'NaN')
    >>> readable_number(-999.6), readable_number(7.0)
    ('-1,000', '7')
    """
    if value != value:  # NaN
        return "NaN"
    text = f"{value:,.0f}" if abs(value) >= 999.5 else f"{value:.3g}"
    return "0" if text in ("-0", "0") else text


def setup_notebook(
    *, renderer: Renderer = "svg", theme: bool = True, tables: bool = True
) -> None:
    """
    Make altair charts render without network, in JupyterLab and in exported HTML.

    Altair's default output loads Vega from a CDN, and Altair 6's mimetype output is
    not rendered by every JupyterLab. This renders every chart to a static SVG with
    ``vl-convert`` inside the kernel: JupyterLab shows it natively, nbconvert embeds
    it in the HTML, and nothing is fetched from the internet.

    Chart text is legible on any machine: every SVG text carries the width
    vl-convert measured for it (:func:`pmo_kit.charts.svgtext.fit_svg_text`), so a
    browser without Arial or Helvetica fits its own font to that width instead of
    overflowing and being cut at the edge of the image. PNG charts are drawn by
    vl-convert with its bundled fonts.

    Parameters
    ----------
    renderer
        ``"svg"`` (sharp, small; default) or ``"png"`` (drawn at twice the size,
        shown at the chart's size: sharp on high-resolution screens).
    theme
        Enable the kit's ``pmo`` chart theme.
    tables
        Show floats in DataFrames with :func:`readable_number` (pandas'
        ``display.float_format``) instead of six decimals.

    Raises
    ------
    MissingDependencyError
        ``vl-convert-python`` is not installed.
    ValidationError
        ``renderer`` is not one of the allowed values.
    """
    if renderer not in ("svg", "png"):
        msg = (
            f"{renderer!r} is an invalid value for `renderer`. "
            "Valid values: 'svg', 'png'."
        )
        raise ValidationError(msg)
    try:
        import vl_convert  # noqa: F401
    except ImportError as exc:  # pragma: no cover - dependency of the kit
        msg = (
            "Offline charts need vl-convert-python: run "
            "`pip install vl-convert-python` "
            "(it is a dependency of pmo-kit; reinstall the kit)."
        )
        raise MissingDependencyError(msg) from exc
    import altair as alt

    from pmo_kit.charts import register_theme
    from pmo_kit.charts.svgtext import svg_renderer

    if renderer == "svg":
        alt.renderers.register("pmo-svg", svg_renderer)
        alt.renderers.enable("pmo-svg")
    else:
        # 144 ppi: twice the pixels, shown at the chart's size (sharp on HiDPI)
        alt.renderers.enable("png", ppi=144)
    if theme:
        register_theme()
        alt.theme.enable("pmo")
    if tables:
        import pandas as pd

        pd.set_option("display.float_format", readable_number)
