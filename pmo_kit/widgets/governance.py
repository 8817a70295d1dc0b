"""The gate review widget (lesson 07): score the criteria, watch the decision."""

from __future__ import annotations

import html
from typing import TYPE_CHECKING, Any

import pandas as pd

if TYPE_CHECKING:
    from collections.abc import Mapping

    import ipywidgets

    from pmo_kit.governance import GateReview, GateRules

__all__ = ["DECISION_COLORS", "gate_review_summary", "gate_review_widget", "rescore"]

#: Colour of each gate decision in the widget and the lesson.
DECISION_COLORS: dict[str, str] = {
    "Go": "#2e8540",
    "Recycle": "#f0a30a",
    "Hold": "#1f5f8b",
    "Kill": "#c0392b",
}


def rescore(criteria: pd.DataFrame, scores: Mapping[str, float | None]) -> pd.DataFrame:
    """
    Return a copy of one gate's criteria with some scores changed.

    Parameters
    ----------
    criteria
        One gate's rows of the gates table.
    scores
        New scores by criterion name (must 0/1, should 0..5; None = not scored).

    Examples
    --------
    >>> import pandas as pd
    >>> c = pd.DataFrame({"criterion": ["A", "B"], "score": [1, 3]})
    >>> rescore(c, {"B": 5})["score"].tolist()
    [1, 5]
    """
    out = criteria.copy()
    known = set(out["criterion"])
    unknown = [name for name in scores if name not in known]
    if unknown:
        from pmo_kit._errors import ValidationError

        msg = (
            f"{unknown[0]!r} is not a criterion of this gate. Criteria: "
            f"{', '.join(map(str, out['criterion']))}"
        )
        raise ValidationError(msg)
    new = out["criterion"].map(scores)
    changed = out["criterion"].isin(list(scores))
    out["score"] = pd.array(
        [
            (None if pd.isna(n) else n) if c else s
            for s, n, c in zip(out["score"], new, changed, strict=True)
        ],
        dtype="Int64",
    )
    return out


def gate_review_summary(review: GateReview, *, changed: int = 0) -> str:
    """
    Describe a gate review as HTML: the decision, why, and the recorded decision.

    Parameters
    ----------
    review
        The result of :func:`pmo_kit.governance.decide_gate`.
    changed
        How many scores differ from those recorded (said in the text).

    Returns
    -------
    str
        HTML, every piece of text escaped.
    """
    colour = DECISION_COLORS[review.decision]
    score = (
        "not computable (a criterion is not scored)"
        if pd.isna(review.weighted_score)
        else f"{review.weighted_score:.2f} of 5"
    )
    rules = review.rules
    if review.recorded is None:
        recorded = "No decision recorded for this gate."
    elif review.agrees:
        recorded = f"The steering group recorded '{review.recorded}': the same."
    else:
        recorded = (
            f"The steering group recorded '{review.recorded}': it overrode the rule "
            "(the minutes should say why)."
        )
    edits = (
        "Scores as recorded."
        if not changed
        else f"{changed} score{'s' if changed > 1 else ''} changed from the record."
    )
    return (
        f"<p style='font-size:1.2em;margin:4px 0'><strong>Decision:</strong> "
        f"<span class='pmo-decision' style='color:{colour};font-weight:700'>"
        f"{html.escape(review.decision)}</span></p>"
        f"<p class='pmo-rationale' style='margin:4px 0'>"
        f"{html.escape(review.rationale)}</p>"
        f"<p style='margin:4px 0;color:#4a5866'>Weighted should-score: "
        f"{html.escape(score)}. Go from {rules.go_threshold:g}, Recycle from "
        f"{rules.recycle_threshold:g}. {html.escape(recorded)} "
        f"{html.escape(edits)}</p>"
    )


def gate_review_widget(
    gates: pd.DataFrame,
    project_id: str,
    gate: str,
    *,
    rules: GateRules | None = None,
) -> Any:
    """
    Re-run a gate review: tick the must-meets, slide the scores, read the decision.

    Each must-meet criterion is a checkbox (met or not), each should-meet a slider
    from 0 to 5 with its weight in the label. Every change re-applies the decision
    rule (:func:`pmo_kit.governance.decide_gate`): the decision, its rationale and
    the scorecard chart follow. **Reset** puts back the recorded scores.

    Parameters
    ----------
    gates
        The gates table (``portfolio.gates``).
    project_id, gate
        The review to start from, e.g. ``"P-010"``, ``"G1"``.
    rules
        The decision rule; default the shipped ``gate_rules.yaml``.

    Returns
    -------
    ipywidgets.VBox
        ``children``: a VBox of the criterion controls (in table order), the reset
        button, the summary (HTML) and the scorecard chart (an Output widget).
    """
    import ipywidgets as widgets

    from pmo_kit.charts.governance import gate_scorecard_chart
    from pmo_kit.governance import decide_gate, gate_review
    from pmo_kit.widgets._output import chart_output

    first = gate_review(gates, project_id, gate, rules=rules)
    criteria = first.criteria
    recorded = dict(zip(criteria["criterion"], criteria["score"], strict=True))
    controls: dict[str, Any] = {}
    style = {"description_width": "320px"}
    layout = widgets.Layout(width="620px")
    for _, row in criteria.iterrows():
        name = str(row["criterion"])
        score = row["score"]
        if row["requirement"] == "must":
            controls[name] = widgets.Checkbox(
                value=bool(score >= 1) if not pd.isna(score) else False,
                description=f"{name} (must)",
                style=style,
                layout=layout,
                indent=True,
            )
        else:
            controls[name] = widgets.IntSlider(
                value=0 if pd.isna(score) else int(score),
                min=0,
                max=5,
                description=f"{name} ({row['weight']:.0%})",
                style=style,
                layout=layout,
                continuous_update=False,
            )
    reset = widgets.Button(description="Reset", tooltip="Back to the recorded scores")
    summary = widgets.HTML()
    chart = widgets.Output()
    syncing = False

    def _scores() -> dict[str, float | None]:
        return {name: float(int(c.value)) for name, c in controls.items()}

    def _recompute() -> None:
        scores = _scores()
        now = decide_gate(
            rescore(criteria, scores),
            rules=first.rules,
            project_id=project_id,
            gate=gate,
        )
        changed = sum(
            1
            for name, value in scores.items()
            if pd.isna(recorded[name]) or float(recorded[name]) != value
        )
        summary.value = gate_review_summary(now, changed=changed)
        chart.outputs = chart_output(gate_scorecard_chart(now))

    def _on_change(_: dict[str, Any]) -> None:
        if not syncing:
            _recompute()

    def _on_reset(_: Any) -> None:
        nonlocal syncing
        syncing = True
        try:
            for name, control in controls.items():
                score = recorded[name]
                if isinstance(control, widgets.Checkbox):
                    control.value = bool(not pd.isna(score) and score >= 1)
                else:
                    control.value = 0 if pd.isna(score) else int(score)
        finally:
            syncing = False
        _recompute()

    for control in controls.values():
        control.observe(_on_change, names="value")
    reset.on_click(_on_reset)
    _recompute()
    box: ipywidgets.VBox = widgets.VBox(
        [widgets.VBox(list(controls.values())), reset, summary, chart]
    )
    return box
