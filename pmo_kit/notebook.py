"""Notebook set-up: charts that render offline in JupyterLab and in exported HTML."""

from __future__ import annotations

from typing import Literal

from pmo_kit._errors import MissingDependencyError, ValidationError

__all__ = ["setup_notebook"]

Renderer = Literal["svg", "png"]


def setup_notebook(*, renderer: Renderer = "svg", theme: bool = True) -> None:
    """
    Make altair charts render without network, in JupyterLab and in exported HTML.

    Altair's default output loads Vega from a CDN, and Altair 6's mimetype output is
    not rendered by every JupyterLab. This renders every chart to a static SVG with
    ``vl-convert`` inside the kernel: JupyterLab shows it natively, nbconvert embeds
    it in the HTML, and nothing is fetched from the internet.

    Parameters
    ----------
    renderer
        ``"svg"`` (sharp, small; default) or ``"png"``.
    theme
        Enable the kit's ``pmo`` chart theme.

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

    alt.renderers.enable(renderer)
    if theme:
        register_theme()
        alt.theme.enable("pmo")
