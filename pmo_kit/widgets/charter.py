"""
A form to draft a project charter, with the reviewer's findings shown live (lesson 01).

The conversion between the form and a :class:`~pmo_kit.charter.Charter` is a pair
of plain functions (:func:`charter_form_values`, :func:`charter_from_form`), tested
without a browser; :func:`charter_form` only wires them to ipywidgets.

Lists are multi-line text, one item per line. Milestones are
``2026-03-31 | Design approved (G3)`` lines, stakeholders
``Name | role | interest`` lines; objectives are rows of four boxes.
"""

from __future__ import annotations

import html
import re
from typing import TYPE_CHECKING, Any

from pmo_kit._errors import ValidationError
from pmo_kit.charter import Charter, findings_html, save_charter

if TYPE_CHECKING:
    from collections.abc import Mapping
    from pathlib import Path

    import ipywidgets
    import pandas as pd

__all__ = [
    "LIST_FIELDS",
    "OBJECTIVE_FIELDS",
    "charter_form",
    "charter_form_values",
    "charter_from_form",
    "form_findings_html",
]

#: Charter lists edited as multi-line text, one item per line.
LIST_FIELDS: tuple[str, ...] = (
    "requirements",
    "scope_in",
    "scope_out",
    "assumptions",
    "constraints",
    "risks",
)
#: The four boxes of an objective row.
OBJECTIVE_FIELDS: tuple[str, ...] = ("description", "metric", "target", "due")

_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_TEXT_FIELDS = (
    "project_id",
    "title",
    "start",
    "planned_finish",
    "purpose",
    "budget_amount",
    "budget_currency",
    "budget_contingency",
    "sponsor_name",
    "sponsor_authority",
    "manager_name",
    "manager_resource_id",
    "manager_authority",
    "approved_by",
    "approval_date",
)


# ------------------------------------------------------------- form <-> charter


def _number_text(value: float | None) -> str:
    if value is None:
        return ""
    return str(int(value)) if float(value).is_integer() else str(value)


def charter_form_values(charter: Charter | None = None) -> dict[str, Any]:
    """
    Return the form's values for a charter (all text; objectives as row dicts).

    Parameters
    ----------
    charter
        The charter to edit; ``None`` gives an empty form.

    Returns
    -------
    dict
        One text per box of the form; ``objectives`` is a list of dicts with the
        keys of :data:`OBJECTIVE_FIELDS`; list fields and ``milestones`` and
        ``stakeholders`` are multi-line text.

    Examples
    --------
    >>> values = charter_form_values(
    ...     Charter.from_dict(
    ...         {
    ...             "project_id": "P-099",
    ...             "title": "Pilot",
    ...             "scope_out": ["Plant 2"],
    ...             "milestones": [{"name": "Go-live", "date": "2026-05-04"}],
    ...         }
    ...     )
    ... )
    >>> values["scope_out"], values["milestones"]
    ('Plant 2', '2026-05-04 | Go-live')
    """
    values: dict[str, Any] = dict.fromkeys(_TEXT_FIELDS, "")
    values["objectives"] = []
    for name in (*LIST_FIELDS, "milestones", "stakeholders"):
        values[name] = ""
    values["budget_currency"] = "EUR"
    if charter is None:
        return values
    c = charter
    values.update(
        project_id=c.project_id,
        title=c.title,
        start=c.start.isoformat() if c.start else "",
        planned_finish=c.planned_finish.isoformat() if c.planned_finish else "",
        purpose=c.purpose or "",
    )
    values["objectives"] = [
        {
            "description": o.description,
            "metric": o.metric or "",
            "target": o.target or "",
            "due": o.due.isoformat() if o.due else "",
        }
        for o in c.objectives
    ]
    for name in LIST_FIELDS:
        values[name] = "\n".join(getattr(c, name))
    values["milestones"] = "\n".join(
        f"{m.date.isoformat()} | {m.name}" for m in c.milestones
    )
    values["stakeholders"] = "\n".join(
        " | ".join([s.name, s.role or "", s.interest or ""]).rstrip(" |")
        for s in c.stakeholders
    )
    if c.budget is not None:
        values.update(
            budget_amount=_number_text(c.budget.amount),
            budget_currency=c.budget.currency,
            budget_contingency=_number_text(c.budget.contingency),
        )
    if c.sponsor is not None:
        values.update(
            sponsor_name=c.sponsor.name, sponsor_authority=c.sponsor.authority or ""
        )
    if c.manager is not None:
        values.update(
            manager_name=c.manager.name,
            manager_resource_id=c.manager.resource_id or "",
            manager_authority=c.manager.authority or "",
        )
    if c.approval is not None:
        values.update(
            approved_by=c.approval.approved_by,
            approval_date=c.approval.date.isoformat(),
        )
    return values


def _lines(text: Any) -> list[str]:
    out = []
    for line in str(text or "").splitlines():
        item = line.strip()
        if item.startswith(("- ", "* ")):
            item = item[2:].strip()
        if item:
            out.append(item)
    return out


def _number(text: Any) -> Any:
    """Return a number for number-like text; other text as is, for the model."""
    raw = str(text or "").strip()
    if not raw:
        return None
    try:
        return float(raw.replace(",", "").replace("_", "").replace(" ", ""))
    except ValueError:
        return raw


def _blank(*parts: Any) -> bool:
    return not any(str(p or "").strip() for p in parts)


def _or_none(value: Any) -> str | None:
    text = str(value or "").strip()
    return text or None


def _milestone(line: str) -> dict[str, Any]:
    parts = [p.strip() for p in line.split("|", 1)]
    if len(parts) == 1:
        return {"name": parts[0], "date": None}
    first, second = parts
    if not _ISO_DATE.match(first) and _ISO_DATE.match(second):
        first, second = second, first  # "name | date" is fine too
    return {"name": second or None, "date": first or None}


def _stakeholder(line: str) -> dict[str, Any]:
    parts = [p.strip() for p in line.split("|", 2)] + ["", ""]
    return {
        "name": parts[0] or None,
        "role": parts[1] or None,
        "interest": parts[2] or None,
    }


def charter_from_form(values: Mapping[str, Any], *, source: str = "form") -> Charter:
    r"""
    Build a charter from the form's values.

    Parameters
    ----------
    values
        As :func:`charter_form_values` returns them (missing keys count as empty).
        Objective rows left entirely empty are ignored.
    source
        How to name the draft in error messages.

    Raises
    ------
    ValidationError
        The values break the charter's structure (a budget that is not a number, a
        date that is not ``YYYY-MM-DD``, a milestone line without a date, ...);
        every problem is listed with its field.

    Examples
    --------
    >>> charter = charter_from_form(
    ...     {
    ...         "project_id": "P-099",
    ...         "title": "Pilot",
    ...         "budget_amount": "250,000",
    ...         "budget_contingency": "25000",
    ...         "scope_in": "- Line 1\n- Line 2",
    ...     }
    ... )
    >>> charter.budget.amount, charter.scope_in
    (250000.0, ('Line 1', 'Line 2'))
    """
    get = values.get
    data: dict[str, Any] = {
        "project_id": _or_none(get("project_id")),
        "title": _or_none(get("title")),
        "purpose": _or_none(get("purpose")),
    }
    for name in ("start", "planned_finish"):
        if _or_none(get(name)):
            data[name] = _or_none(get(name))
    data["objectives"] = [
        {k: _or_none(row.get(k)) for k in OBJECTIVE_FIELDS}
        for row in get("objectives") or []
        if not _blank(*(row.get(k) for k in OBJECTIVE_FIELDS))
    ]
    for name in LIST_FIELDS:
        data[name] = _lines(get(name))
    data["milestones"] = [_milestone(line) for line in _lines(get("milestones"))]
    data["stakeholders"] = [_stakeholder(line) for line in _lines(get("stakeholders"))]
    if not _blank(get("budget_amount"), get("budget_contingency")):
        data["budget"] = {
            "amount": _number(get("budget_amount")),
            "currency": _or_none(get("budget_currency")) or "EUR",
            "contingency": _number(get("budget_contingency")),
        }
    if not _blank(get("sponsor_name"), get("sponsor_authority")):
        data["sponsor"] = {
            "name": _or_none(get("sponsor_name")),
            "authority": _or_none(get("sponsor_authority")),
        }
    if not _blank(
        get("manager_name"), get("manager_resource_id"), get("manager_authority")
    ):
        data["manager"] = {
            "resource_id": _or_none(get("manager_resource_id")),
            "name": _or_none(get("manager_name")),
            "authority": _or_none(get("manager_authority")),
        }
    if not _blank(get("approved_by"), get("approval_date")):
        data["approval"] = {
            "approved_by": _or_none(get("approved_by")),
            "date": _or_none(get("approval_date")),
        }
    return Charter.from_dict(data, source=source)


def form_findings_html(
    values: Mapping[str, Any],
    *,
    project: Mapping[str, Any] | pd.Series | None = None,
) -> str:
    """
    Return what the form shows under the draft: the findings, or what to correct.

    A draft that breaks the structure lists its problems (in red); otherwise a
    one-line count of errors and warnings precedes the findings.

    Examples
    --------
    >>> "not a number" in form_findings_html(
    ...     {"project_id": "P-099", "title": "X", "budget_amount": "lots"}
    ... )
    True
    """
    try:
        charter = charter_from_form(values)
    except ValidationError as exc:
        items = "".join(f"<li>{html.escape(p)}</li>" for p in exc.problems)
        return (
            "<div class='pmo-form-problems' style='color:#c0392b'><strong>Correct "
            f"these fields first:</strong><ul>{items}</ul></div>"
        )
    found = charter.check(project=project)
    errors = sum(f.severity == "error" for f in found)
    warnings = sum(f.severity == "warning" for f in found)
    colour = "#c0392b" if errors else ("#b7791f" if warnings else "#2e8540")
    summary = (
        f"<p class='pmo-form-summary' style='color:{colour};font-weight:600'>"
        f"{errors} error{'s' * (errors != 1)}, {warnings} "
        f"warning{'s' * (warnings != 1)}</p>"
    )
    return summary + findings_html(found)


# ---------------------------------------------------------------------- the widget

_LABELS = {
    "project_id": "Project id",
    "title": "Title",
    "start": "Start",
    "planned_finish": "Planned finish",
    "purpose": "Purpose",
    "budget_amount": "Budget",
    "budget_currency": "Currency",
    "budget_contingency": "Contingency",
    "sponsor_name": "Sponsor",
    "sponsor_authority": "Authority",
    "manager_name": "Project manager",
    "manager_resource_id": "Resource id",
    "manager_authority": "Authority",
    "approved_by": "Approved by",
    "approval_date": "Approval date",
    "requirements": "Requirements",
    "scope_in": "In scope",
    "scope_out": "Out of scope",
    "assumptions": "Assumptions",
    "constraints": "Constraints",
    "risks": "Risks",
    "milestones": "Milestones",
    "stakeholders": "Stakeholders",
}
_PLACEHOLDERS = {
    "start": "YYYY-MM-DD",
    "planned_finish": "YYYY-MM-DD",
    "approval_date": "YYYY-MM-DD",
    "budget_amount": "e.g. 400000",
    "budget_contingency": "e.g. 40000",
    "milestones": "2026-03-31 | Design approved (G3)\n(one per line)",
    "stakeholders": "Name | role | interest\n(one per line)",
}
_TABS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("Project", ("project_id", "title", "start", "planned_finish", "purpose")),
    ("Objectives", ()),
    ("Scope", ("requirements", "scope_in", "scope_out")),
    (
        "Dates & budget",
        ("milestones", "budget_amount", "budget_currency", "budget_contingency"),
    ),
    (
        "People",
        (
            "sponsor_name",
            "sponsor_authority",
            "manager_name",
            "manager_resource_id",
            "manager_authority",
            "stakeholders",
        ),
    ),
    (
        "Risks & approval",
        ("assumptions", "constraints", "risks", "approved_by", "approval_date"),
    ),
)
_MULTILINE = {
    "purpose",
    "sponsor_authority",
    "manager_authority",
    "milestones",
    "stakeholders",
    *LIST_FIELDS,
}


def charter_form(
    charter: Charter | None = None,
    *,
    path: str | Path | None = None,
    project: Mapping[str, Any] | pd.Series | None = None,
) -> Any:
    """
    Build a form to draft a charter; findings update as you type; Save writes YAML.

    Parameters
    ----------
    charter
        The charter to start from (e.g. ``load_charter(...)``); default empty.
    path
        Where **Save** writes (through :func:`~pmo_kit.charter.save_charter`,
        atomically); editable in the form.
    project
        The project's row in the register, to review dates, budget and people
        against it (as :meth:`~pmo_kit.charter.Charter.check`).

    Returns
    -------
    ipywidgets.VBox
        The tabs of the form, the findings (an HTML widget), the file box, the Save
        button and the save status. ``box.controls`` maps every name to its widget
        (the field names of :func:`charter_form_values`, ``objective_rows``,
        ``add_objective``, ``findings``, ``path``, ``save``, ``status``). Save never
        raises: a problem is shown in the status line.
    """
    import ipywidgets as widgets

    initial = charter_form_values(charter)
    wide = widgets.Layout(width="640px")
    label_style = {"description_width": "120px"}
    fields: dict[str, Any] = {}
    for name in (*_TEXT_FIELDS, *LIST_FIELDS, "milestones", "stakeholders"):
        kind = widgets.Textarea if name in _MULTILINE else widgets.Text
        fields[name] = kind(
            value=initial[name],
            description=_LABELS[name],
            placeholder=_PLACEHOLDERS.get(name, ""),
            layout=wide,
            style=label_style,
        )
    findings = widgets.HTML()
    status = widgets.HTML()
    path_box = widgets.Text(
        value=str(path) if path is not None else "",
        description="File",
        placeholder="charters/P-011.yaml",
        layout=wide,
        style=label_style,
    )
    save = widgets.Button(description="Save", button_style="primary", icon="save")
    rows: list[dict[str, Any]] = []
    rows_box = widgets.VBox()
    add = widgets.Button(description="Add objective", icon="plus")

    def values() -> dict[str, Any]:
        out: dict[str, Any] = {name: box.value for name, box in fields.items()}
        out["objectives"] = [
            {k: row[k].value for k in OBJECTIVE_FIELDS} for row in rows
        ]
        return out

    def refresh(_: Any = None) -> None:
        findings.value = form_findings_html(values(), project=project)

    def add_row(start: Mapping[str, str] | None = None) -> None:
        row = {
            k: widgets.Text(
                value=(start or {}).get(k, ""),
                placeholder="YYYY-MM-DD" if k == "due" else k,
                layout=widgets.Layout(width="110px" if k == "due" else "230px"),
            )
            for k in OBJECTIVE_FIELDS
        }
        for box in row.values():
            box.observe(refresh, names="value")
        rows.append(row)
        rows_box.children = [
            *rows_box.children,
            widgets.HBox([row[k] for k in OBJECTIVE_FIELDS]),
        ]

    for objective in initial["objectives"]:
        add_row(objective)
    add_row()  # one empty row to type a new objective
    add.on_click(lambda _: add_row())

    def on_save(_: Any) -> None:
        target = path_box.value.strip()
        if not target:
            status.value = _status("Give a file name first, e.g. charters/P-011.yaml.")
            return
        try:
            written = save_charter(charter_from_form(values()), target)
        except (ValidationError, OSError) as exc:
            status.value = _status(f"Not saved: {exc}")
            return
        status.value = _status(f"Saved to {written}.", ok=True)

    for box in fields.values():
        box.observe(refresh, names="value")
    save.on_click(on_save)

    header = widgets.HTML(
        "<span style='color:#4a5866'>Objective rows: description, metric, target, "
        "due date. Empty rows are ignored.</span>"
    )
    pages = []
    for title, names in _TABS:
        if title == "Objectives":
            pages.append(widgets.VBox([header, rows_box, add]))
        else:
            pages.append(widgets.VBox([fields[n] for n in names]))
    tabs = widgets.Tab(children=pages)
    for i, (title, _) in enumerate(_TABS):
        tabs.set_title(i, title)
    refresh()
    form: ipywidgets.VBox = widgets.VBox(
        [
            tabs,
            widgets.HTML("<h4 style='margin:8px 0 2px'>Reviewer's findings</h4>"),
            findings,
            widgets.HBox([path_box, save]),
            status,
        ]
    )
    form.controls = {
        **fields,
        "objective_rows": rows,
        "add_objective": add,
        "findings": findings,
        "path": path_box,
        "save": save,
        "status": status,
    }
    return form


def _status(message: str, *, ok: bool = False) -> str:
    colour = "#2e8540" if ok else "#c0392b"
    return (
        f"<span class='pmo-save-status' style='color:{colour}'>"
        f"{html.escape(message)}</span>"
    )
