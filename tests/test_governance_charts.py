"""Governance charts and the gate review widget: specs and what the widget shows."""

from __future__ import annotations

import html
import re
from typing import Any

import pandas as pd
import pytest

from pmo_kit import ValidationError
from pmo_kit.charts import (
    RESULT_COLORS,
    SEVERITY_COLORS,
    compliance_matrix_chart,
    findings_by_rule_chart,
    gate_scorecard_chart,
)
from pmo_kit.governance import compliance_matrix, gate_review
from pmo_kit.widgets import gate_review_widget
from pmo_kit.widgets.governance import gate_review_summary, rescore

FINDINGS = pd.DataFrame(
    {
        "project_id": ["P-1", "P-2", "P-2", "P-3"],
        "rule": ["risk-review", "risk-review", "charter-approved", "risk-review"],
        "severity": ["warning", "warning", "error", "warning"],
    }
)


def _data(
    spec: dict[str, Any], layer: dict[str, Any] | None = None
) -> list[dict[str, Any]]:
    data = (layer or {}).get("data", spec.get("data"))
    assert data is not None
    return list(spec["datasets"][data["name"]])


def test_findings_by_rule_counts_and_colours():
    spec = findings_by_rule_chart(FINDINGS).to_dict()
    assert spec["mark"]["type"] == "bar"
    assert spec["encoding"]["y"]["sort"] == ["risk-review", "charter-approved"]
    assert spec["encoding"]["color"]["scale"]["range"] == list(SEVERITY_COLORS.values())
    rows = {(r["rule"], r["severity"]): r for r in _data(spec)}
    assert rows[("risk-review", "warning")]["findings"] == 3
    assert rows[("risk-review", "warning")]["projects"] == "P-1, P-2, P-3"
    assert rows[("charter-approved", "error")]["findings"] == 1


def test_findings_chart_needs_its_columns():
    with pytest.raises(
        ValidationError, match="findings_by_rule_chart needs the column"
    ):
        findings_by_rule_chart(FINDINGS.drop(columns="severity"))


def test_compliance_matrix_on_the_sample(sample):
    matrix = compliance_matrix(sample, as_of="2026-06-26")
    spec = compliance_matrix_chart(matrix, names=sample.projects).to_dict()
    rect, text = spec["layer"]
    assert rect["mark"]["type"] == "rect"
    assert text["mark"]["type"] == "text"
    assert rect["encoding"]["y"]["sort"][2] == "P-003 Warehouse Automation"
    rows = _data(spec, rect)
    cell = next(
        r
        for r in rows
        if r["project_id"] == "P-003" and r["rule"] == "charter-approved"
    )
    assert cell["result"] == "fail"
    assert rect["encoding"]["color"]["scale"]["domain"] == list(RESULT_COLORS)


def test_matrix_rejects_unknown_results():
    matrix = pd.DataFrame(
        {"project_id": ["P-1"], "rule": ["a"], "result": ["maybe"], "findings": [0]}
    )
    with pytest.raises(ValidationError, match="'maybe' is not a result"):
        compliance_matrix_chart(matrix)


def test_gate_scorecard(sample):
    review = gate_review(sample.gates, "P-010", "G1")
    spec = gate_scorecard_chart(review).to_dict()
    assert spec["title"] == "P-010 G1: Hold"
    marks = [layer["mark"]["type"] for layer in spec["layer"]]
    assert marks == ["bar", "text", "rule", "text", "rule", "text"]
    bars = _data(spec, spec["layer"][0])
    assert [b["kind"] for b in bars] == [
        "Must: not met",
        "Must: not met",
        "Should",
        "Should",
        "Should",
        "Should",
        "Weighted should-score",
    ]
    assert bars[2]["label"] == "Objectives are measurable (29%)"
    assert bars[-1]["value"] == pytest.approx(3.71)
    go = _data(spec, spec["layer"][2])
    assert go[0]["value"] == 3.0


# ------------------------------------------------------------------- the widget


def _text(widget: Any) -> str:
    text = re.sub(r"<[^>]+>", " ", widget.value)
    return re.sub(r"\s+", " ", html.unescape(text)).strip()


@pytest.fixture
def widget(sample):
    return gate_review_widget(sample.gates, "P-010", "G1")


def test_widget_starts_from_the_record(widget):
    controls, _, summary, chart = widget.children
    names = [c.description for c in controls.children]
    assert names[:2] == [
        "Business case approved by sponsor (must)",
        "Project charter signed (must)",
    ]
    assert [c.value for c in controls.children] == [False, False, 4, 5, 4, 3]
    text = _text(summary)
    assert text.startswith("Decision: Hold")
    assert "recorded 'hold': the same" in text
    assert "Scores as recorded." in text
    assert chart.outputs


def test_signing_the_charter_and_the_business_case_gives_go(widget):
    controls, _, summary, _ = widget.children
    controls.children[0].value = True
    assert "Decision: Hold" in _text(summary)  # the charter is still unsigned
    controls.children[1].value = True
    text = _text(summary)
    assert text.startswith("Decision: Go")
    assert "3.71 of 5" in text
    assert "overrode the rule" in text  # the record says hold
    assert "2 scores changed from the record." in text


def test_weak_scores_recycle_then_kill(widget):
    controls, reset, summary, _ = widget.children
    controls.children[0].value = True
    controls.children[1].value = True
    controls.children[5].value = 1  # funding (43%): 1.16 + 0.70 + 0.56 + 0.43 = 2.85
    assert _text(summary).startswith("Decision: Recycle")
    for slider in controls.children[2:]:
        slider.value = 1  # weighted 1.0 < 1.5
    assert _text(summary).startswith("Decision: Kill")
    reset.click()
    assert [c.value for c in controls.children] == [False, False, 4, 5, 4, 3]
    assert _text(summary).startswith("Decision: Hold")


def test_rescore_and_summary_escape(sample):
    review = gate_review(sample.gates, "P-010", "G1")
    criteria = rescore(review.criteria, {"Project charter signed": 1})
    assert criteria["score"].tolist()[:2] == [0, 1]
    with pytest.raises(ValidationError, match="'Charter' is not a criterion"):
        rescore(review.criteria, {"Charter": 1})
    evil = review.criteria.assign(
        criterion=["<script>x</script>", *review.criteria["criterion"][1:]]
    )
    from pmo_kit.governance import decide_gate

    text = gate_review_summary(decide_gate(evil))
    assert "<script>" not in text
    assert "&lt;script&gt;" in text
