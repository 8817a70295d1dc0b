"""The weights widget: move sliders, read what it shows (checked by brute force)."""

from __future__ import annotations

import pytest

from pmo_kit.widgets.selection import (
    ranking_html,
    selection_summary_html,
    selection_weights,
    weights_html,
)
from tests.selection import _pipeline_brute as brute
from tests.selection._needs import require_scipy


@pytest.fixture
def widget():
    require_scipy()
    return selection_weights(chart=False)


def test_starts_with_the_agreed_weights_and_the_optimum(widget):
    state = widget.state
    assert state["weights"] == pytest.approx(
        {
            "strategic_alignment": 0.4,
            "business_value": 0.3,
            "urgency": 0.15,
            "delivery_confidence": 0.15,
        }
    )
    assert state["budget"] == 3_800_000
    best, winners = brute.brute_best(brute.plain_scores())
    assert state["total_value"] == pytest.approx(best)
    assert frozenset(state["chosen"]) in winners
    assert state["value_lost"] == pytest.approx(best - state["greedy_value"])
    assert "role Data Engineer" in state["binding"]
    assert widget.result is not None
    assert widget.result.chosen == tuple(state["chosen"])


def test_moving_weight_sliders_reranks_and_reselects(widget):
    # only delivery confidence counts: the ranking is that column, best first
    for name, slider in widget.sliders.items():
        slider.value = 1.0 if name == "delivery_confidence" else 0.0
    state = widget.state
    assert state["weights"]["delivery_confidence"] == 1.0
    confidence = {
        r["candidate_id"]: int(r["delivery_confidence"])
        for r in brute.rows(brute.PIPELINE / "candidates.csv")
    }
    ranked = [confidence[i] for i in state["ranking"]]
    assert ranked == sorted(ranked, reverse=True)
    assert state["ranking"][0] == "C-011"  # the only 5
    best, winners = brute.brute_best({k: float(v) for k, v in confidence.items()})
    assert state["total_value"] == pytest.approx(best)
    assert frozenset(state["chosen"]) in winners
    # the normalised weights are shown: 0.5 / 0.5 -> 50% each
    widget.sliders["urgency"].value = 1.0
    assert widget.state["weights"]["urgency"] == pytest.approx(0.5)


def test_budget_slider_and_errors(widget):
    widget.budget.value = 2_000_000
    best, winners = brute.brute_best(brute.plain_scores(), budget_scale=2 / 3.8)
    assert widget.state["total_value"] == pytest.approx(best)
    assert frozenset(widget.state["chosen"]) in winners
    widget.budget.value = 100_000  # the must-dos alone cost more
    assert widget.result is None
    assert "no portfolio is possible" in widget.state["error"]
    assert "No portfolio" in widget.children[3].value
    widget.budget.value = 3_800_000
    for slider in widget.sliders.values():
        slider.value = 0.0
    assert "are all 0" in widget.state["error"]


def test_html_helpers_escape():
    assert weights_html({"<b>": 1.0}) == "Weights used: &lt;b&gt; 100%"
    text = selection_summary_html(
        {
            "error": None,
            "chosen": ["<A>"],
            "greedy": [],
            "binding": ["role <X>"],
            "total_value": 1.0,
            "total_cost": 2.0,
            "greedy_value": 0.0,
            "value_lost": 1.0,
        }
    )
    assert "&lt;A&gt;" in text
    assert "role &lt;X&gt;" in text
    assert "value lost</b> 1.00" in text
    import pandas as pd

    table = pd.DataFrame(
        {"project_id": ["B", "A"], "name": ["b", "a"], "score": [1.0, 2.0]}
    ).assign(rank=[2, 1], cost=[1.0, 1.0])
    html = ranking_html(table, None)
    assert html.index(">A<") < html.index(">B<")
