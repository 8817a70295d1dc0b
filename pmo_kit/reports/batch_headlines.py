"""
Headline figures of one report's ``summary.json``, for the batch index page.

:func:`headline` picks, per report, the few figures a reader of ``OUT/index.html``
scans first (the RAG of every area for a project status, the contingency reserve for
a risk review, ...). Each figure is a :class:`Figure`: the value exactly as the
summary holds it, and how to show it to people (``1.02``, ``EUR 1,196,104``,
``13 Oct 2026``, ``88%``). A report this module does not know gets its top-level
scalars. Nothing here imports pandas or altair.
"""

from __future__ import annotations

import datetime as dt
import html
import math
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from collections.abc import Callable, Mapping, Sequence

__all__ = [
    "KINDS",
    "RAG_AREAS",
    "RAG_ORDER",
    "Figure",
    "figure_cell",
    "format_date",
    "format_money",
    "heading_row",
    "headline",
    "rag_chips",
    "rag_css",
]

#: The RAG areas of a project status, in the order the reports show them.
RAG_AREAS = ("overall", "schedule", "cost", "scope", "risk")
#: RAG values, worst first (the order of the index page and of its counts).
RAG_ORDER = ("red", "amber", "green", "grey")
#: How a :class:`Figure` may be shown.
KINDS = frozenset(
    (
        "count",
        "date",
        "money",
        "number",
        "percent",
        "rag",
        "rag_counts",
        "ratio",
        "text",
    )
)
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_DASH = "\N{EN DASH}"
#: Most figures of the generic fallback (top-level scalars of an unknown report).
_MAX_GENERIC = 6


@dataclass(frozen=True, slots=True)
class Figure:
    """
    One headline figure: the summary's value and how to show it.

    Parameters
    ----------
    value
        The value as ``summary.json`` holds it (``None`` when it has none).
    kind
        One of :data:`KINDS`: ``ratio`` (two decimals), ``money`` (whole units with
        the currency), ``date`` (``13 Oct 2026``), ``percent``, ``count``,
        ``number``, ``rag`` (a RAG word), ``rag_counts`` (RAG word -> count) or
        ``text``.
    currency
        Currency code of a ``money`` figure.
    unit
        Words after a ``count`` or ``number`` (``points``, ``days``, ``of 10``).

    Examples
    --------
    >>> str(Figure(1.0249, "ratio")), str(Figure(1196103.69, "money", "EUR"))
    ('1.02', 'EUR 1,196,104')
    >>> str(Figure("2026-10-13", "date")), str(Figure(0.8819, "percent"))
    ('13 Oct 2026', '88%')
    >>> str(Figure({"red": 2, "green": 1}, "rag_counts"))
    '2 red, 0 amber, 1 green, 0 grey'
    >>> str(Figure(None, "count")) == chr(0x2013)  # an en dash
    True
    """

    value: object
    kind: str = "text"
    currency: str = ""
    unit: str = ""

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            msg = f"{self.kind!r} is not a figure kind. Allowed: {sorted(KINDS)}"
            raise ValueError(msg)

    def __str__(self) -> str:
        value = self.value
        if value is None or (isinstance(value, float) and not math.isfinite(value)):
            return _DASH
        if self.kind == "rag_counts" and isinstance(value, dict):
            return ", ".join(f"{int(value.get(r) or 0)} {r}" for r in RAG_ORDER)
        if isinstance(value, bool):
            return "yes" if value else "no"
        if self.kind == "date":
            return format_date(value)
        if self.kind == "money" and isinstance(value, int | float):
            return format_money(value, self.currency)
        if isinstance(value, int | float):
            text = _number(float(value), self.kind)
            return f"{text} {self.unit}" if self.unit else text
        return str(value)


def _number(value: float, kind: str) -> str:
    if kind == "ratio":
        text = f"{value:.2f}"
    elif kind == "percent":
        text = f"{value:.0%}"
    elif kind == "count" and value == int(value):
        text = f"{int(value):,}"
    elif abs(value) < 10:
        text = f"{value:.2f}"
    elif abs(value) < 1000:
        text = f"{value:,.1f}"
    else:
        text = f"{value:,.0f}"
    # a value that rounds to zero never shows as -0
    return re.sub(r"^-(?=[^1-9]*$)", "", text)


def format_date(value: object) -> str:
    """
    Show an ISO date (or timestamp) as ``13 Oct 2026``; other text as it is.

    Examples
    --------
    >>> format_date("2026-10-13"), format_date("2026-06-26T00:00:00")
    ('13 Oct 2026', '26 Jun 2026')
    """
    text = str(value).strip() if value is not None else ""
    if not text:
        return _DASH
    try:
        day = dt.datetime.fromisoformat(text).date()
    except ValueError:
        return text
    return f"{day:%d %b %Y}"


def format_money(amount: float, currency: str = "") -> str:
    """
    Show an amount in whole units with its currency, as every report does.

    Examples
    --------
    >>> format_money(1196103.69, "EUR"), format_money(-0.4, "EUR"), format_money(12.6)
    ('EUR 1,196,104', 'EUR 0', '13')
    """
    whole = round(float(amount))
    text = f"{whole:,}"
    return f"{currency} {text}" if currency else text


def _get(summary: Mapping[str, Any], *path: str) -> Any:
    """Return ``summary[a][b]...`` or ``None`` when any step is missing."""
    value: Any = summary
    for key in path:
        if not isinstance(value, dict):
            return None
        value = value.get(key)
    return value


def _length(value: object) -> int | None:
    return len(value) if isinstance(value, list) else None


def _project_status(s: Mapping[str, Any]) -> dict[str, Figure]:
    figures = {
        area.capitalize(): Figure(_get(s, "rag", area), "rag") for area in RAG_AREAS
    }
    currency = str(s.get("currency") or "")
    figures.update(
        {
            "SPI(t)": Figure(s.get("spi_t"), "ratio"),
            "CPI": Figure(s.get("cpi"), "ratio"),
            "EAC": Figure(s.get("eac"), "money", currency),
            "Forecast finish": Figure(s.get("forecast_finish"), "date"),
        }
    )
    return figures


def _portfolio_overview(s: Mapping[str, Any]) -> dict[str, Figure]:
    currency = str(s.get("currency") or "")
    return {
        "Projects": Figure(s.get("projects"), "count"),
        "Overall RAG": Figure(s.get("rag_counts"), "rag_counts"),
        "SPI": Figure(s.get("portfolio_spi"), "ratio"),
        "CPI": Figure(s.get("portfolio_cpi"), "ratio"),
        "Budget": Figure(s.get("total_budget"), "money", currency),
        "EAC": Figure(s.get("total_eac"), "money", currency),
    }


def _schedule_risk(s: Mapping[str, Any]) -> dict[str, Figure]:
    confidence = s.get("confidence")
    level = f"P{confidence * 100:.0f}" if isinstance(confidence, int | float) else "P80"
    return {
        "Planned finish": Figure(s.get("planned_finish"), "date"),
        "P50 finish": Figure(s.get("p50"), "date"),
        f"{level} finish": Figure(s.get("p_confidence"), "date"),
        f"Slip at {level}": Figure(
            s.get("p_confidence_slip_days"), "count", unit="days"
        ),
        "Chance on time": Figure(s.get("probability_on_time"), "percent"),
        "SPI(t)": Figure(s.get("spi_t"), "ratio"),
    }


def _risk(s: Mapping[str, Any]) -> dict[str, Figure]:
    label = _get(s, "contingency", "label") or "P80"
    return {
        "Open threats": Figure(s.get("open_threats"), "count"),
        "High threats": Figure(_get(s, "threat_ratings", "high"), "count"),
        "Overdue reviews": Figure(_length(s.get("overdue_reviews")), "count"),
        "Fired": Figure(_length(s.get("fired")), "count"),
        f"Reserve ({label})": Figure(
            _get(s, "contingency", "reserve"), "money", str(s.get("currency") or "")
        ),
        "Chance within budget": Figure(
            _get(s, "contingency", "probability_within_budget"), "percent"
        ),
    }


def _resource_capacity(s: Mapping[str, Any]) -> dict[str, Figure]:
    roles = s.get("bottleneck_roles")
    return {
        "People": Figure(s.get("people"), "count"),
        "Utilisation": Figure(s.get("utilisation"), "percent"),
        "Peak utilisation": Figure(s.get("peak_utilisation"), "percent"),
        "Over-allocated person-weeks": Figure(
            s.get("over_allocated_person_weeks"), "count"
        ),
        "Bottleneck roles": Figure(
            (", ".join(map(str, roles)) or "none") if isinstance(roles, list) else None
        ),
    }


def _governance(s: Mapping[str, Any]) -> dict[str, Figure]:
    projects = s.get("projects")
    return {
        "Compliant": Figure(
            s.get("compliant"), "count", unit=f"of {projects}" if projects else ""
        ),
        "Findings": Figure(s.get("findings"), "count"),
        "Errors": Figure(_get(s, "findings_by_severity", "error"), "count"),
        "Warnings": Figure(_get(s, "findings_by_severity", "warning"), "count"),
        "Gate overrides": Figure(_length(s.get("gate_overrides")), "count"),
    }


def _agile_metrics(s: Mapping[str, Any]) -> dict[str, Figure]:
    return {
        "Velocity": Figure(s.get("average_velocity"), "number", unit="points"),
        "Commitment reliability": Figure(s.get("commitment_reliability"), "percent"),
        "Cycle time P85": Figure(
            _get(s, "cycle_time_days", "P85"), "number", unit="days"
        ),
        "Remaining": Figure(s.get("remaining_points"), "number", unit="points"),
        "Forecast P85": Figure(_get(s, "forecast", "p85"), "date"),
        "Chance by planned finish": Figure(
            _get(s, "forecast", "chance_of_planned_finish"), "percent"
        ),
    }


def _portfolio_prioritisation(s: Mapping[str, Any]) -> dict[str, Figure]:
    currency = str(s.get("currency") or "")
    candidates = s.get("candidates")
    return {
        "Chosen": Figure(
            s.get("chosen_count"),
            "count",
            unit=f"of {candidates}" if candidates else "",
        ),
        "Budget": Figure(s.get("budget"), "money", currency),
        "Cost chosen": Figure(s.get("total_cost"), "money", currency),
        "Value": Figure(s.get("total_value"), "number"),
        "Greedy loses": Figure(s.get("greedy_value_lost"), "number"),
        "Binding limits": Figure(_length(s.get("binding")), "count"),
    }


def _generic(s: Mapping[str, Any]) -> dict[str, Figure]:
    figures: dict[str, Figure] = {}
    for key, value in s.items():
        if key == "report" or isinstance(value, dict | list):
            continue
        if len(figures) == _MAX_GENERIC:
            break
        label = str(key).replace("_", " ").capitalize()
        if isinstance(value, bool) or value is None:
            figures[label] = Figure(value)
        elif isinstance(value, int):
            figures[label] = Figure(value, "count")
        elif isinstance(value, float):
            figures[label] = Figure(value, "number")
        elif isinstance(value, str) and _ISO_DATE.match(value):
            figures[label] = Figure(value, "date")
        else:
            figures[label] = Figure(str(value))
    return figures


_HEADLINES: dict[str, Callable[[Mapping[str, Any]], dict[str, Figure]]] = {
    "agile-metrics": _agile_metrics,
    "governance": _governance,
    "portfolio-overview": _portfolio_overview,
    "portfolio-prioritisation": _portfolio_prioritisation,
    "project-status": _project_status,
    "resource-capacity": _resource_capacity,
    "risk": _risk,
    "schedule-risk": _schedule_risk,
}


def headline(report: str, summary: Mapping[str, Any]) -> dict[str, Figure]:
    """
    Return the headline figures of one report's ``summary.json``, label -> figure.

    Parameters
    ----------
    report
        The report's name (``pmo-kit report list``). An unknown report gets the
        first six top-level scalars of its summary.
    summary
        The report's ``summary.json`` as read. A missing value gives a figure whose
        value is ``None`` (shown as a dash), never an error.

    Returns
    -------
    dict of str to Figure
        In the order the index page shows them; ``str(figure)`` is the text for
        people and ``figure.value`` the summary's own value.

    Examples
    --------
    >>> figures = headline("project-status", {"rag": {"overall": "red"}, "cpi": 0.81})
    >>> figures["Overall"].value, str(figures["CPI"]), figures["EAC"].value
    ('red', '0.81', None)
    >>> {k: str(v) for k, v in headline("new-report", {"report": "x", "n": 3}).items()}
    {'N': '3'}
    """
    return _HEADLINES.get(report, _generic)(summary)


#: Figure kinds whose cells are right-aligned numbers.
_NUMERIC = frozenset({"count", "money", "number", "percent", "ratio"})


def figure_cell(figure: Figure) -> str:
    """
    Return one figure as a table cell (escaped); a RAG cell carries ``rag-<colour>``.

    Examples
    --------
    >>> figure_cell(Figure("red", "rag")), figure_cell(Figure("<b>", "text"))
    ('<td class="rag rag-red">red</td>', '<td>&lt;b&gt;</td>')
    """
    if figure.kind == "rag_counts" and isinstance(figure.value, dict):
        return f"<td>{rag_chips(figure.value)}</td>"
    classes = _classes(figure)
    if figure.kind == "rag" and figure.value in RAG_ORDER:
        classes += f" rag-{figure.value}"
    attribute = f' class="{classes}"' if classes else ""
    return f"<td{attribute}>{html.escape(str(figure))}</td>"


def _classes(figure: Figure) -> str:
    """Return ``rag``, ``num``, ``date`` or nothing: how a figure's column aligns."""
    if figure.kind in ("rag", "date"):
        return figure.kind
    return "num" if figure.kind in _NUMERIC else ""


def heading_row(first: Sequence[str], figures: Mapping[str, Figure]) -> str:
    """Return a table's heading: plain columns, then one per figure, aligned."""
    cells = [f"<th>{html.escape(c)}</th>" for c in first]
    for label, figure in figures.items():
        cells.append(f'<th class="{_classes(figure)}">{html.escape(label)}</th>')
    return f"<thead><tr>{''.join(cells)}</tr></thead>"


def rag_chips(counts: Mapping[str, Any]) -> str:
    """
    Return RAG counts as coloured chips, worst first: ``2 red, 0 amber, ...``.

    Examples
    --------
    >>> rag_chips({"green": 3}).count("chip rag-"), "3 green" in rag_chips({"green": 3})
    (4, True)
    """
    return ", ".join(
        f'<span class="chip rag-{r}">{int(counts.get(r) or 0)} {r}</span>'
        for r in RAG_ORDER
    )


def rag_css() -> str:
    """Return the CSS classes ``rag-red`` ... in the kit's RAG colours (one palette)."""
    from pmo_kit.charts import RAG_COLORS  # imports altair: only when a page is made

    return "".join(
        f".rag-{name} {{ background: {c}; }}\n" for name, c in RAG_COLORS.items()
    )
