"""HTML building blocks for report and lesson notebooks (user text is escaped)."""

from __future__ import annotations

import html
import re
from typing import TYPE_CHECKING

import pandas as pd

from pmo_kit.charts._base import RAG_COLORS

if TYPE_CHECKING:
    from collections.abc import Iterable, Mapping

__all__ = ["html_table", "narrative_html", "report_header"]


class HTMLBlock:
    """A piece of HTML that Jupyter displays (``_repr_html_``)."""

    def __init__(self, markup: str) -> None:
        self.markup = markup

    def _repr_html_(self) -> str:
        return self.markup

    def __str__(self) -> str:
        return self.markup

    def __repr__(self) -> str:
        text = re.sub(r"<[^>]+>", " ", self.markup)
        return re.sub(r"\s+", " ", html.unescape(text)).strip()


def _cell(value: object, fmt: str | None) -> str:
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return "&ndash;"
    if isinstance(value, pd.Timestamp):
        return value.strftime("%Y-%m-%d")
    if fmt and isinstance(value, int | float):
        return html.escape(format(value, fmt))
    return html.escape(str(value))


def html_table(
    frame: pd.DataFrame,
    *,
    formats: Mapping[str, str] | None = None,
    rag_columns: Iterable[str] = (),
    labels: Mapping[str, str] | None = None,
) -> HTMLBlock:
    """
    Render a DataFrame as a compact HTML table, RAG cells coloured.

    Every value is HTML-escaped, so text from a data file can never inject markup.

    Examples
    --------
    >>> import pandas as pd
    >>> t = html_table(
    ...     pd.DataFrame({"name": ["<b>x</b>"], "rag": ["red"]}), rag_columns=["rag"]
    ... )
    >>> "&lt;b&gt;" in str(t) and "#c0392b" in str(t)
    True
    """
    formats = dict(formats or {})
    labels = dict(labels or {})
    rag = set(rag_columns)
    numeric = {
        c
        for c in frame.columns
        if pd.api.types.is_numeric_dtype(frame[c]) and c not in rag
    }

    def align(column: str) -> str:
        side = "right" if column in numeric else "left"
        return f"text-align:{side};white-space:nowrap;padding:3px 8px"

    head = "".join(
        f'<th style="{align(c)}">{html.escape(labels.get(c, c))}</th>'
        for c in frame.columns
    )
    rows = []
    for record in frame.itertuples(index=False):
        cells = []
        for column, value in zip(frame.columns, record, strict=True):
            text = _cell(value, formats.get(column))
            if column in rag and str(value) in RAG_COLORS:
                colour = RAG_COLORS[str(value)]
                style = (
                    f"{align(column)};background:{colour};color:white;font-weight:600"
                )
                cells.append(f'<td style="{style}">{text}</td>')
            else:
                cells.append(f'<td style="{align(column)}">{text}</td>')
        rows.append("<tr>" + "".join(cells) + "</tr>")
    markup = (
        f'<table class="pmo-table"><thead><tr>{head}</tr></thead>'
        f"<tbody>{''.join(rows)}</tbody></table>"
    )
    return HTMLBlock(markup)


def narrative_html(lines: Iterable[str]) -> HTMLBlock:
    """Render narrative sentences as an HTML list, escaped."""
    items = "".join(f"<li>{html.escape(line)}</li>" for line in lines)
    return HTMLBlock(f'<ul class="pmo-narrative">{items}</ul>')


def report_header(title: str, facts: Mapping[str, object]) -> HTMLBlock:
    """
    Render a report's title line and key facts (escaped).

    Examples
    --------
    >>> "As of" in str(report_header("Status", {"As of": "2026-06-26"}))
    True
    >>> header = str(report_header("R&D <b>", {"Sponsor": "A & B"}))
    >>> "<h1>R&amp;D &lt;b&gt;</h1>" in header, "</strong> A &amp; B</p>" in header
    (True, True)
    """
    items = " &middot; ".join(
        f"<strong>{html.escape(str(k))}</strong> {_cell(v, None)}"
        for k, v in facts.items()
    )
    return HTMLBlock(
        f'<div class="pmo-header"><h1>{html.escape(title)}</h1>'
        f'<p style="color:#4a5866">{items}</p></div>'
    )
