"""Risk editor widget (lesson 02): add or edit a risk, see its score and problems."""

from __future__ import annotations

import html
from typing import TYPE_CHECKING, Any

import pandas as pd

from pmo_kit.data.schemas import PROXIMITIES, RISK_CATEGORIES, RISK_STATUSES
from pmo_kit.risk.editing import RiskEdit, edit_risk, next_risk_id, strategy_choices
from pmo_kit.risk.matrix import ORDINAL_5X5, RiskMatrix, get_matrix

if TYPE_CHECKING:
    from collections.abc import Callable

    import ipywidgets

__all__ = ["edit_summary_html", "risk_editor"]

_NEW = "(new risk)"
_TEXT_FIELDS = ("title", "cause", "event", "effect", "owner", "response_actions")
_LEVELS = ("probability", "impact", "residual_probability", "residual_impact")
_COSTS = ("cost_impact_min", "cost_impact_most_likely", "cost_impact_max")
_DATES = ("raised_date", "last_review_date", "closed_date")


def edit_summary_html(edit: RiskEdit, *, matrix: RiskMatrix | str = ORDINAL_5X5) -> str:
    """
    HTML the editor shows: the live score and rating, then the problems.

    Every value from the draft is escaped.

    Examples
    --------
    >>> import pmo_kit
    >>> from pmo_kit.risk import edit_risk
    >>> risks = pmo_kit.load_portfolio().risks
    >>> html_text = edit_summary_html(edit_risk(risks, {"risk_id": "RK-018"}))
    >>> "Inherent 3 x 4 = 12" in html_text
    True
    """
    m = get_matrix(matrix)
    parts = []
    risk = edit.risk
    if risk is not None:
        rows = []
        for label, p, i, s, r in (
            ("Inherent", "probability", "impact", "inherent_score", "rating"),
            (
                "Residual",
                "residual_probability",
                "residual_impact",
                "residual_score",
                "residual_rating",
            ),
        ):
            colour = m.color(str(risk[r]))
            rows.append(
                f"<li>{label} {int(risk[p])} x {int(risk[i])} = "
                f"{float(risk[s]):g} (<b style='color:{colour}'>"
                f"{html.escape(str(risk[r]))}</b>)</li>"
            )
        if not pd.isna(risk["emv"]):
            rows.append(
                f"<li>EMV {float(risk['emv']):,.0f} (chance {risk['chance']:.0%})</li>"
            )
        parts.append(f"<ul class='pmo-risk-score'>{''.join(rows)}</ul>")
    else:
        parts.append("<p class='pmo-risk-score'>No score yet: fill in the levels.</p>")
    if edit.problems:
        items = "".join(f"<li>{html.escape(p)}</li>" for p in edit.problems)
        parts.append(
            "<p style='color:#c0392b'><b>Not saved yet. Please fix:</b></p>"
            f"<ul class='pmo-risk-problems'>{items}</ul>"
        )
    else:
        verb = "add" if edit.is_new else "update"
        parts.append(f"<p style='color:#2e8540'>Valid: Save will {verb} the risk.</p>")
    return "".join(parts)


def risk_editor(
    register: pd.DataFrame,
    *,
    project_id: str | None = None,
    matrix: RiskMatrix | str = ORDINAL_5X5,
    on_save: Callable[[pd.DataFrame], None] | None = None,
) -> Any:
    """
    Build a form to add or edit a risk, with live score and validation messages.

    Choosing a risk loads its fields; "(new risk)" starts a blank one with the
    next free id. The strategy dropdown offers the responses allowed for the
    chosen type. Problems are listed under the form instead of raised; Save
    stores the risk only when there are none.

    Parameters
    ----------
    register
        The risks table to start from (not modified).
    project_id
        Show and add risks of this project only.
    matrix
        Scale of the level sliders, and the scoring.
    on_save
        Called with the whole updated register after each successful save.

    Returns
    -------
    ipywidgets.VBox
        The form; ``box.register`` is the register with the saved changes and
        ``box.fields`` the input widgets by column name.
    """
    import ipywidgets as widgets

    m = get_matrix(matrix)
    state = {"register": register.copy()}

    def own(frame: pd.DataFrame) -> pd.DataFrame:
        if project_id is None:
            return frame
        return frame[frame["project_id"] == project_id]

    def choices() -> list[str]:
        return [_NEW, *own(state["register"])["risk_id"].astype(str).tolist()]

    picker = widgets.Dropdown(options=choices(), value=_NEW, description="Risk:")
    fields: dict[str, Any] = {
        "risk_id": widgets.Text(description="Risk id:"),
        "project_id": widgets.Text(value=project_id or "", description="Project:"),
        "type": widgets.Dropdown(
            options=["threat", "opportunity"], description="Type:"
        ),
        "category": widgets.Dropdown(
            options=list(RISK_CATEGORIES), description="Category:"
        ),
        "response_strategy": widgets.Dropdown(
            options=list(strategy_choices("threat")), description="Response:"
        ),
        "status": widgets.Dropdown(options=list(RISK_STATUSES), description="Status:"),
        "proximity": widgets.Dropdown(
            options=list(PROXIMITIES), description="Proximity:"
        ),
    }
    for name in _TEXT_FIELDS:
        fields[name] = widgets.Text(
            description=name.replace("_", " ").capitalize() + ":"
        )
    for name in _LEVELS:
        top = m.probability_levels if "probability" in name else m.impact_levels
        fields[name] = widgets.IntSlider(
            value=1,
            min=1,
            max=top,
            description=name.replace("_", " ").capitalize() + ":",
        )
    for name in _COSTS:
        fields[name] = widgets.FloatText(
            value=0.0,
            description=name.removeprefix("cost_impact_").replace("_", " ") + ":",
        )
    for name in _DATES:
        fields[name] = widgets.Text(
            description=name.replace("_", " ").capitalize() + ":",
            placeholder="YYYY-MM-DD",
        )
    summary = widgets.HTML()
    save = widgets.Button(description="Save", button_style="primary")

    def values() -> dict[str, Any]:
        out = {name: w.value for name, w in fields.items()}
        if project_id is not None:
            out["project_id"] = project_id
        return out

    def refresh(_: object = None) -> RiskEdit:
        edit = edit_risk(state["register"], values(), matrix=m)
        summary.value = edit_summary_html(edit, matrix=m)
        return edit

    def on_type(change: dict[str, Any]) -> None:
        options = list(strategy_choices(str(change["new"])))
        current = fields["response_strategy"].value
        fields["response_strategy"].options = options
        fields["response_strategy"].value = (
            current if current in options else options[0]
        )
        refresh()

    def blank() -> dict[str, Any]:
        row: dict[str, Any] = dict.fromkeys(_TEXT_FIELDS + _DATES, "")
        row.update(dict.fromkeys(_LEVELS, 1))
        row.update(dict.fromkeys(_COSTS, 0.0))
        row.update(
            risk_id=next_risk_id(state["register"]),
            project_id=project_id or "",
            type="threat",
            category=RISK_CATEGORIES[0],
            response_strategy="mitigate",
            status="open",
            proximity=PROXIMITIES[0],
        )
        return row

    def load(change: dict[str, Any]) -> None:
        chosen = change["new"]
        frame = own(state["register"])
        if chosen == _NEW:
            row = blank()
        else:
            row = frame[frame["risk_id"] == chosen].iloc[0].to_dict()
        fields["type"].value = row["type"]
        for name, w in fields.items():
            value: Any = row.get(name)
            if name in _DATES:
                w.value = (
                    ""
                    if value in ("", None) or pd.isna(value)
                    else (f"{pd.Timestamp(value):%Y-%m-%d}")
                )
            elif name in _LEVELS:
                w.value = int(value)
            elif name in _COSTS:
                w.value = float(value)
            elif name != "type":
                w.value = "" if value is None or pd.isna(value) else str(value)
        refresh()

    def on_save_click(_: object) -> None:
        edit = refresh()
        if not edit.ok:
            return
        state["register"] = edit.register
        box.register = edit.register
        saved = str(fields["risk_id"].value)
        picker.unobserve(load, names="value")
        picker.options = choices()
        picker.value = saved
        picker.observe(load, names="value")
        summary.value = (
            f"<p style='color:#2e8540'><b>Saved {html.escape(saved)}.</b></p>"
            + edit_summary_html(edit_risk(edit.register, values(), matrix=m), matrix=m)
        )
        if on_save is not None:
            on_save(edit.register)

    fields["type"].observe(on_type, names="value")
    for name, w in fields.items():
        if name != "type":
            w.observe(refresh, names="value")
    picker.observe(load, names="value")
    save.on_click(on_save_click)
    load({"new": _NEW})
    column = widgets.VBox
    box: ipywidgets.VBox = widgets.VBox(
        [
            picker,
            widgets.HBox(
                [
                    column(
                        [
                            fields[n]
                            for n in (
                                "risk_id",
                                "project_id",
                                "type",
                                "category",
                                "status",
                                "proximity",
                                "response_strategy",
                            )
                        ]
                    ),
                    column([fields[n] for n in _LEVELS + _COSTS]),
                ]
            ),
            column([fields[n] for n in _TEXT_FIELDS + _DATES]),
            save,
            summary,
        ]
    )
    box.register = state["register"]
    box.fields = fields
    return box
