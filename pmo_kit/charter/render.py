"""
Render a charter (and its findings) as Markdown or HTML.

Every text that comes from the charter file is escaped: a ``<script>`` typed into a
field comes out as the text ``<script>``, never as markup, in both formats.
"""

from __future__ import annotations

import html
import re
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Iterable

    from pmo_kit.charter.findings import Finding
    from pmo_kit.charter.model import Charter

__all__ = ["findings_html", "findings_markdown", "to_html", "to_markdown"]

_MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]#|~])")
_LINE_START = re.compile(r"^([-+]|\d+\.)(\s)")
_SEVERITY_COLOURS = {"error": "#c0392b", "warning": "#b7791f", "advice": "#4a5866"}


def _md(text: object) -> str:
    r"""
    Escape text for Markdown: HTML characters and Markdown punctuation.

    Examples
    --------
    >>> _md("<script>*x*</script>")
    '&lt;script&gt;\\*x\\*&lt;/script&gt;'
    """
    escaped = html.escape(str(text), quote=False)
    escaped = _MARKDOWN_SPECIAL.sub(r"\\\1", escaped).replace("\n", " ")
    return _LINE_START.sub(r"\\\1\2", escaped)


def _h(text: object) -> str:
    return html.escape(str(text))


def _money(currency: str, amount: float) -> str:
    return f"{currency} {amount:,.0f}"


def _sections(charter: Charter) -> list[tuple[str, list[tuple[str, ...]]]]:
    """Return the charter as (heading, rows) pairs; a row is a tuple of texts."""
    c = charter
    people: list[tuple[str, ...]] = []
    if c.sponsor is not None:
        people.append(("Sponsor", c.sponsor.name, c.sponsor.authority or "not stated"))
    else:
        people.append(("Sponsor", "not named", ""))
    if c.manager is not None:
        people.append(
            ("Project manager", c.manager.name, c.manager.authority or "not stated")
        )
    else:
        people.append(("Project manager", "not named", ""))
    budget: list[tuple[str, ...]] = []
    if c.budget is not None:
        b = c.budget
        budget.append(("Amount", _money(b.currency, b.amount)))
        contingency = (
            "none"
            if not b.contingency
            else f"{_money(b.currency, b.contingency)} ({b.contingency_share:.1%})"
        )
        budget.append(("Contingency", contingency))
    approval: list[tuple[str, ...]] = (
        [("Approved by", c.approval.approved_by), ("Date", c.approval.date.isoformat())]
        if c.approval is not None
        else [("Status", "not approved")]
    )
    dates: list[tuple[str, ...]] = []
    if c.start is not None:
        dates.append(("Start", c.start.isoformat()))
    if c.planned_finish is not None:
        dates.append(("Planned finish", c.planned_finish.isoformat()))
    return [
        ("Dates", dates),
        ("Purpose", [(c.purpose or "not stated",)]),
        (
            "Objectives",
            [
                (
                    o.description,
                    o.metric or "no metric",
                    o.target or "no target",
                    o.due.isoformat() if o.due else "no date",
                )
                for o in c.objectives
            ],
        ),
        ("High-level requirements", [(r,) for r in c.requirements]),
        ("In scope", [(s,) for s in c.scope_in]),
        ("Out of scope", [(s,) for s in c.scope_out]),
        ("Milestones", [(m.name, m.date.isoformat()) for m in c.milestones]),
        ("Summary budget", budget),
        ("Sponsor and project manager", people),
        (
            "Stakeholders",
            [(s.name, s.role or "", s.interest or "") for s in c.stakeholders],
        ),
        ("Assumptions", [(a,) for a in c.assumptions]),
        ("Constraints", [(a,) for a in c.constraints]),
        ("High-level risks", [(r,) for r in c.risks]),
        ("Approval", approval),
    ]


_TABLE_HEADERS = {
    "Objectives": ("Objective", "Metric", "Target", "Due"),
    "Milestones": ("Milestone", "Date"),
    "Summary budget": ("", ""),
    "Sponsor and project manager": ("Role", "Name", "Authority"),
    "Stakeholders": ("Name", "Role", "Interest"),
    "Approval": ("", ""),
    "Dates": ("", ""),
}


def findings_markdown(findings: Iterable[Finding]) -> str:
    r"""
    Return findings as a Markdown list (severity, message, fix), text escaped.

    Examples
    --------
    >>> from pmo_kit.charter.findings import Finding
    >>> found = Finding("no-scope-out", "error", "scope_out", "Empty.", "List some.")
    >>> print(findings_markdown([found]))
    - **error** `no-scope-out` (scope\_out): Empty. *Fix:* List some.
    """
    lines = [
        f"- **{_md(f.severity)}** `{html.escape(f.code)}` ({_md(f.field)}): "
        f"{_md(f.message)} *Fix:* {_md(f.fix)}"
        for f in findings
    ]
    return "\n".join(lines) if lines else "No findings."


def to_markdown(charter: Charter, *, findings: Iterable[Finding] | None = None) -> str:
    r"""
    Render a charter as Markdown, optionally followed by the reviewer's findings.

    Parameters
    ----------
    charter
        The charter.
    findings
        Usually ``charter.check(...)``; shown in a "Review findings" section.

    Returns
    -------
    str
        Markdown; every text from the charter is escaped (HTML and Markdown).

    Examples
    --------
    >>> from pmo_kit.charter.model import Charter
    >>> text = to_markdown(Charter.from_dict({"project_id": "P-1", "title": "<b>X"}))
    >>> print(text.splitlines()[0])
    # P-1 &lt;b&gt;X
    """
    out = [f"# {_md(charter.project_id)} {_md(charter.title)}", ""]
    for heading, rows in _sections(charter):
        if heading == "Dates" and not rows:
            continue
        out += [f"## {heading}", ""]
        if not rows:
            out += ["_None listed._", ""]
            continue
        headers = _TABLE_HEADERS.get(heading)
        if headers is None:
            if heading == "Purpose":
                out += [_md(rows[0][0]), ""]
            else:
                out += [f"- {_md(row[0])}" for row in rows] + [""]
            continue
        if not any(headers):  # key-value facts
            out += [f"- **{_md(row[0])}:** {_md(row[1])}" for row in rows] + [""]
            continue
        out.append("| " + " | ".join(headers) + " |")
        out.append("|" + "---|" * len(headers))
        out += ["| " + " | ".join(_md(cell) for cell in row) + " |" for row in rows]
        out.append("")
    if findings is not None:
        out += ["## Review findings", "", findings_markdown(findings), ""]
    return "\n".join(out).rstrip() + "\n"


def findings_html(findings: Iterable[Finding]) -> str:
    """Return findings as an HTML list, coloured by severity, text escaped."""
    items = "".join(
        f"<li class='pmo-finding pmo-finding-{_h(f.severity)}'>"
        f"<strong style='color:{_SEVERITY_COLOURS.get(f.severity, '#000')}'>"
        f"{_h(f.severity)}</strong> <code>{_h(f.code)}</code> "
        f"<span style='color:#4a5866'>({_h(f.field)})</span>: {_h(f.message)}"
        f"<br><em>Fix:</em> {_h(f.fix)}</li>"
        for f in findings
    )
    if not items:
        return "<p class='pmo-findings'>No findings.</p>"
    return f"<ul class='pmo-findings'>{items}</ul>"


def to_html(charter: Charter, *, findings: Iterable[Finding] | None = None) -> str:
    """
    Render a charter as an HTML fragment, optionally with the reviewer's findings.

    Parameters
    ----------
    charter
        The charter.
    findings
        Usually ``charter.check(...)``; shown in a "Review findings" section.

    Returns
    -------
    str
        An HTML ``<div class="pmo-charter">``; every text is escaped.

    Examples
    --------
    >>> from pmo_kit.charter.model import Charter
    >>> page = to_html(Charter.from_dict({"project_id": "P-1", "title": "<script>"}))
    >>> "&lt;script&gt;" in page and "<script>" not in page
    True
    """
    out = [
        "<div class='pmo-charter'>",
        f"<h3>{_h(charter.project_id)} {_h(charter.title)}</h3>",
    ]
    for heading, rows in _sections(charter):
        if heading == "Dates" and not rows:
            continue
        out.append(f"<h4>{_h(heading)}</h4>")
        if not rows:
            out.append("<p><em>None listed.</em></p>")
            continue
        headers = _TABLE_HEADERS.get(heading)
        if headers is None:
            if heading == "Purpose":
                out.append(f"<p>{_h(rows[0][0])}</p>")
            else:
                out.append(
                    "<ul>" + "".join(f"<li>{_h(r[0])}</li>" for r in rows) + "</ul>"
                )
            continue
        head = (
            "<tr>"
            + "".join(f"<th style='text-align:left'>{_h(h)}</th>" for h in headers)
            + "</tr>"
            if any(headers)
            else ""
        )
        body = "".join(
            "<tr>" + "".join(f"<td>{_h(cell)}</td>" for cell in row) + "</tr>"
            for row in rows
        )
        out.append(f"<table>{head}{body}</table>")
    if findings is not None:
        out += ["<h4>Review findings</h4>", findings_html(findings)]
    out.append("</div>")
    return "\n".join(out)
