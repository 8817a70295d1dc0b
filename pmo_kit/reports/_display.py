"""HTML building blocks for report and lesson notebooks (user text is escaped)."""

from __future__ import annotations

import html
import re
from typing import TYPE_CHECKING

import pandas as pd

from pmo_kit.charts import RAG_COLORS

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


#: Text columns longer than this may wrap (at spaces) when the table is too wide.
WRAP_AFTER = 16
_NEGATIVE_ZERO = re.compile(r"^-(?=[^1-9]*$)")


def _number(value: float, fmt: str) -> str:
    """Format a number; a value that rounds to zero never shows as ``-0``."""
    return _NEGATIVE_ZERO.sub("", format(value, fmt))


def _keep_hyphenated(text: str) -> str:
    """Let a text wrap at its spaces only, never after the hyphen of ``risk-review``."""
    nowrap = '<span style="white-space:nowrap">{}</span>'
    return " ".join(nowrap.format(w) if "-" in w else w for w in text.split(" "))


def _cell(value: object, fmt: str | None) -> str:
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return "&ndash;"
    if isinstance(value, pd.Timestamp):
        return value.strftime("%Y-%m-%d")
    if fmt and isinstance(value, int | float):
        return html.escape(_number(value, fmt))
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
    Numbers, dates, RAG cells, identifiers and short texts stay on one line;
    longer texts wrap at spaces (never inside a word nor after the hyphen of an
    identifier such as ``risk-review``), so a wide table fits the page instead of
    hiding its last columns behind a scroll bar. A value that rounds to zero is
    shown as ``0``, never ``-0``.

    Examples
    --------
    >>> import pandas as pd
    >>> t = html_table(
    ...     pd.DataFrame({"name": ["<b>x</b>"], "rag": ["red"]}), rag_columns=["rag"]
    ... )
    >>> "&lt;b&gt;" in str(t) and "#c0392b" in str(t)
    True
    >>> ">-0<" in str(
    ...     html_table(pd.DataFrame({"emv": [-0.3]}), formats={"emv": ",.0f"})
    ... )
    False
    """
    formats = dict(formats or {})
    labels = dict(labels or {})
    rag = set(rag_columns)
    numeric = {
        c
        for c in frame.columns
        if pd.api.types.is_numeric_dtype(frame[c]) and c not in rag
    }

    wrap = {
        c
        for c in frame.columns
        if c not in numeric
        and c not in rag
        and frame[c].map(lambda v: len(str(v))).max() > WRAP_AFTER
        and frame[c].map(lambda v: " " in str(v)).any()
    }

    def align(column: str) -> str:
        side = "right" if column in numeric else "left"
        if column in wrap:
            flow = "white-space:normal;overflow-wrap:normal;word-break:normal;"
            flow += "min-width:8em"
        else:
            flow = "white-space:nowrap"
        return f"text-align:{side};{flow};padding:3px 8px"

    def heading(column: str) -> str:
        # a heading may wrap at its spaces when the table would not fit otherwise
        return align(column).replace("white-space:nowrap", "white-space:normal")

    head = "".join(
        f'<th style="{heading(c)}">{html.escape(labels.get(c, c))}</th>'
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
                if column in wrap:
                    text = _keep_hyphenated(text)
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
