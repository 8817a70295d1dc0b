"""
Governance charts: findings per rule, the compliance matrix, a gate's scorecard.

The builders read what :mod:`pmo_kit.governance` produces (the findings of
``compliance``, the table of ``compliance_matrix``, a ``GateReview``) and return
altair charts; they never run a scan, display or save.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Protocol

import altair as alt
import pandas as pd

from pmo_kit._errors import ValidationError
from pmo_kit.charts._base import RAG_COLORS, require_columns

if TYPE_CHECKING:
    from pmo_kit.governance.gates import GateRules

__all__ = [
    "RESULT_COLORS",
    "SCORECARD_COLORS",
    "SEVERITY_COLORS",
    "ReviewLike",
    "compliance_matrix_chart",
    "findings_by_rule_chart",
    "gate_scorecard_chart",
]

#: Colours of finding severities (most serious first).
SEVERITY_COLORS: dict[str, str] = {
    "error": RAG_COLORS["red"],
    "warning": RAG_COLORS["amber"],
    "advice": "#1f5f8b",
}
#: Colours of the compliance matrix cells.
RESULT_COLORS: dict[str, str] = {
    "pass": RAG_COLORS["green"],
    "fail": RAG_COLORS["red"],
    "n/a": "#e6e6e6",
}
#: Colours of the gate scorecard bars.
SCORECARD_COLORS: dict[str, str] = {
    "Must: met": RAG_COLORS["green"],
    "Must: not met": RAG_COLORS["red"],
    "Should": "#1f5f8b",
    "Weighted should-score": "#1f2d3d",
}


class ReviewLike(Protocol):
    """What :func:`gate_scorecard_chart` reads from a gate review."""

    @property
    def project_id(self) -> str:
        """Project reviewed."""
        ...

    @property
    def gate(self) -> str:
        """Gate reviewed."""
        ...

    @property
    def decision(self) -> str:
        """The rule's decision."""
        ...

    @property
    def criteria(self) -> pd.DataFrame:
        """Criteria with requirement, weight, score."""
        ...

    @property
    def weighted_score(self) -> float:
        """Weighted should-score."""
        ...

    @property
    def rules(self) -> GateRules:
        """The decision rule applied."""
        ...


def findings_by_rule_chart(
    findings: pd.DataFrame, *, title: str = "Findings per rule"
) -> alt.Chart:
    """
    Horizontal bars: how many findings each rule raised, coloured by severity.

    Parameters
    ----------
    findings
        The result of :func:`pmo_kit.governance.compliance` (``rule``,
        ``severity``, ``project_id``).
    title
        Chart title.

    Returns
    -------
    altair.Chart
        Stacked bars, the rule with most findings on top; the tooltip lists the
        projects.

    Examples
    --------
    >>> import pandas as pd
    >>> findings = pd.DataFrame(
    ...     {
    ...         "project_id": ["P-1", "P-2", "P-2"],
    ...         "rule": ["risk-review", "risk-review", "charter-approved"],
    ...         "severity": ["warning", "warning", "error"],
    ...     }
    ... )
    >>> spec = findings_by_rule_chart(findings).to_dict()
    >>> spec["mark"]["type"], spec["encoding"]["y"]["sort"]
    ('bar', ['risk-review', 'charter-approved'])
    """
    require_columns(
        findings, {"rule", "severity", "project_id"}, builder="findings_by_rule_chart"
    )
    counts = (
        findings.groupby(["rule", "severity"], sort=False)
        .agg(
            findings=("project_id", "size"),
            projects=("project_id", lambda p: ", ".join(dict.fromkeys(p))),
        )
        .reset_index()
    )
    order = (
        counts.groupby("rule", sort=False)["findings"]
        .sum()
        .sort_values(ascending=False, kind="stable")
        .index.tolist()
    )
    chart: alt.Chart = (
        alt.Chart(counts, title=title)
        .mark_bar()
        .encode(
            y=alt.Y("rule:N", sort=order, title=None, axis=alt.Axis(labelLimit=240)),
            x=alt.X("findings:Q", title="Findings", axis=alt.Axis(tickMinStep=1)),
            color=alt.Color(
                "severity:N",
                scale=alt.Scale(
                    domain=list(SEVERITY_COLORS), range=list(SEVERITY_COLORS.values())
                ),
                legend=alt.Legend(title="Severity", orient="top"),
            ),
            order=alt.Order("severity:N"),
            tooltip=[
                alt.Tooltip("rule:N", title="Rule"),
                alt.Tooltip("severity:N", title="Severity"),
                alt.Tooltip("findings:Q", title="Findings"),
                alt.Tooltip("projects:N", title="Projects"),
            ],
        )
    )
    return chart


def compliance_matrix_chart(
    matrix: pd.DataFrame,
    *,
    names: pd.DataFrame | None = None,
    title: str = "Compliance matrix",
) -> alt.LayerChart:
    """
    Projects by rules: green pass, red fail (with the number of findings), grey n/a.

    Parameters
    ----------
    matrix
        The result of :func:`pmo_kit.governance.compliance_matrix`
        (``project_id``, ``rule``, ``result``, ``findings``).
    names
        The projects table, to label rows ``P-003 Warehouse Automation``.
    title
        Chart title.

    Returns
    -------
    altair.LayerChart
        A rect layer (the cells) and a text layer (finding counts on failed cells).

    Examples
    --------
    >>> import pandas as pd
    >>> matrix = pd.DataFrame(
    ...     {
    ...         "project_id": ["P-1", "P-1"],
    ...         "rule": ["a", "b"],
    ...         "result": ["pass", "fail"],
    ...         "findings": [0, 2],
    ...     }
    ... )
    >>> [
    ...     layer["mark"]["type"]
    ...     for layer in compliance_matrix_chart(matrix).to_dict()["layer"]
    ... ]
    ['rect', 'text']
    """
    require_columns(
        matrix,
        {"project_id", "rule", "result", "findings"},
        builder="compliance_matrix_chart",
    )
    bad = sorted(set(matrix["result"]) - set(RESULT_COLORS))
    if bad:
        msg = (
            f"compliance_matrix_chart: {bad[0]!r} is not a result. Allowed: "
            f"{', '.join(RESULT_COLORS)}"
        )
        raise ValidationError(msg)
    frame = matrix.copy()
    frame["project"] = frame["project_id"].astype(str)
    if names is not None:
        require_columns(
            names, {"project_id", "name"}, builder="compliance_matrix_chart"
        )
        label = names.set_index("project_id")["name"]
        frame["project"] = [
            f"{p} {label[p]}" if p in label.index else str(p)
            for p in frame["project_id"]
        ]
    projects = list(dict.fromkeys(frame["project"]))
    rules = list(dict.fromkeys(frame["rule"]))
    base = alt.Chart(frame, title=title).encode(
        x=alt.X(
            "rule:N",
            sort=rules,
            title=None,
            axis=alt.Axis(orient="top", labelAngle=-35, labelLimit=200),
        ),
        y=alt.Y("project:N", sort=projects, title=None, axis=alt.Axis(labelLimit=260)),
    )
    cells = base.mark_rect(stroke="white", strokeWidth=2).encode(
        color=alt.Color(
            "result:N",
            scale=alt.Scale(
                domain=list(RESULT_COLORS), range=list(RESULT_COLORS.values())
            ),
            legend=alt.Legend(title="Result", orient="bottom"),
        ),
        tooltip=[
            alt.Tooltip("project:N", title="Project"),
            alt.Tooltip("rule:N", title="Rule"),
            alt.Tooltip("result:N", title="Result"),
            alt.Tooltip("findings:Q", title="Findings"),
        ],
    )
    counts = (
        base.transform_filter(alt.datum.result == "fail")
        .mark_text(color="white", fontWeight="bold")
        .encode(text=alt.Text("findings:Q"))
    )
    chart = alt.LayerChart(
        layer=[cells, counts], width=alt.Step(34), height=alt.Step(24)
    )
    return chart


def gate_scorecard_chart(
    review: ReviewLike, *, title: str | None = None
) -> alt.LayerChart:
    """
    Draw a gate's scorecard: each criterion, the weighted score, the thresholds.

    Must-meet criteria are full bars, green when met and red when not; should-meet
    criteria are blue bars of their score (0..5) with their weight in the label;
    the last bar is the weighted should-score. Dashed rules mark the Go and Recycle
    thresholds of the rule the review used.

    Parameters
    ----------
    review
        The result of :func:`pmo_kit.governance.gate_review` or
        :func:`~pmo_kit.governance.decide_gate`.
    title
        Chart title; default ``"P-010 G1: Hold"``.

    Returns
    -------
    altair.LayerChart
        Layers: bars, score labels, the Go threshold rule and its label, the
        Recycle threshold rule and its label.
    """
    criteria = review.criteria
    require_columns(
        criteria,
        {"criterion", "requirement", "weight", "score"},
        builder="gate_scorecard_chart",
    )
    rows: list[dict[str, Any]] = []
    for _, c in criteria.iterrows():
        score = c["score"]
        scored = not pd.isna(score)
        if c["requirement"] == "must":
            met = scored and score >= 1
            rows.append(
                {
                    "label": f"{c['criterion']} (must)",
                    "value": 5.0,
                    "kind": "Must: met" if met else "Must: not met",
                    "text": "met"
                    if met
                    else ("not scored" if not scored else "NOT MET"),
                }
            )
        else:
            rows.append(
                {
                    "label": f"{c['criterion']} ({c['weight']:.0%})",
                    "value": float(score) if scored else 0.0,
                    "kind": "Should",
                    "text": f"{score:.0f}" if scored else "not scored",
                }
            )
    weighted = review.weighted_score
    rows.append(
        {
            "label": "Weighted should-score",
            "value": 0.0 if pd.isna(weighted) else float(weighted),
            "kind": "Weighted should-score",
            "text": "n/a" if pd.isna(weighted) else f"{weighted:.2f}",
        }
    )
    frame = pd.DataFrame(rows)
    order = frame["label"].tolist()
    y = alt.Y("label:N", sort=order, title=None, axis=alt.Axis(labelLimit=300))
    x = alt.X("value:Q", scale=alt.Scale(domain=[0, 5]), title="Score (0 to 5)")
    bars = (
        alt.Chart(frame)
        .mark_bar()
        .encode(
            y=y,
            x=x,
            color=alt.Color(
                "kind:N",
                scale=alt.Scale(
                    domain=list(SCORECARD_COLORS), range=list(SCORECARD_COLORS.values())
                ),
                legend=alt.Legend(title=None, orient="top"),
            ),
            tooltip=[
                alt.Tooltip("label:N", title="Criterion"),
                alt.Tooltip("text:N", title="Score"),
            ],
        )
    )
    labels = (
        alt.Chart(frame)
        .mark_text(align="right", dx=-4, color="white", fontWeight="bold")
        .encode(y=y, x=x, text="text:N")
    )
    rules = review.rules
    thresholds = pd.DataFrame(
        {
            "value": [rules.go_threshold, rules.recycle_threshold],
            "name": [
                f"Go {rules.go_threshold:g}",
                f"Recycle {rules.recycle_threshold:g}",
            ],
        }
    )
    layers: list[alt.Chart] = [bars, labels]
    for i, colour in enumerate((RAG_COLORS["green"], RAG_COLORS["amber"])):
        one = thresholds.iloc[[i]]
        layers.append(
            alt.Chart(one)
            .mark_rule(strokeDash=[6, 4], color=colour, size=2)
            .encode(x="value:Q")
        )
        layers.append(
            alt.Chart(one)
            .mark_text(align="left", dx=3, dy=-6, color=colour, baseline="bottom")
            .encode(x="value:Q", y=alt.value(0), text="name:N")
        )
    heading = title or f"{review.project_id} {review.gate}: {review.decision}"
    chart = alt.LayerChart(layer=layers, title=heading)
    return chart
