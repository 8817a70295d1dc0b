"""Contingency Monte Carlo against analytic results."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from pmo_kit import ValidationError
from pmo_kit.risk import Band, RiskMatrix, contingency


def _threat(
    risk_id: str, level: int, low: float, mode: float, high: float, **extra: object
) -> dict[str, object]:
    row: dict[str, object] = {
        "project_id": "P-001",
        "risk_id": risk_id,
        "type": "threat",
        "status": "open",
        "probability": level,
        "impact": 3,
        "residual_probability": level,
        "residual_impact": 3,
        "cost_impact_min": float(low),
        "cost_impact_most_likely": float(mode),
        "cost_impact_max": float(high),
    }
    row.update(extra)
    return row


def test_mean_matches_the_analytic_emv_sum():
    risks = pd.DataFrame(
        [
            _threat("RK-1", 2, 1000, 2000, 6000),  # 0.3 x 3000 = 900
            _threat("RK-2", 4, 5000, 8000, 20000),  # 0.7 x 11000 = 7700
            _threat("RK-3", 5, 0, 500, 1000),  # 0.9 x 500 = 450
        ]
    )
    result = contingency(risks, iterations=200_000, seed=7)
    assert result.emv_sum == pytest.approx(9050.0)
    assert result.mean == pytest.approx(9050.0, rel=0.01)
    c = result.contributions.set_index("risk_id")
    assert c.loc["RK-2", "exposure"] == pytest.approx(7700.0)
    assert c.loc["RK-2", "simulated_mean"] == pytest.approx(7700.0, rel=0.01)
    assert c.loc["RK-1", "occurred_share"] == pytest.approx(0.3, abs=0.005)
    assert result.contributions["risk_id"].iloc[0] == "RK-2"  # biggest in the tail
    assert result.p80 > result.emv_sum


def test_single_risk_percentiles():
    # chance 0.7, triangle (0, 0, 1000): P(total <= x) = 0.3 + 0.7 (1 - (1 - x)^2)
    risks = pd.DataFrame([_threat("RK-1", 4, 0, 0, 1000)])
    result = contingency(risks, iterations=200_000, seed=3)
    p80 = 1000 * (1 - math.sqrt(1 - (0.8 - 0.3) / 0.7))  # 465.5
    p50 = 1000 * (1 - math.sqrt(1 - (0.5 - 0.3) / 0.7))  # 154.8
    assert result.p80 == pytest.approx(p80, abs=10)
    assert result.p50 == pytest.approx(p50, abs=10)
    assert result.percentile(0.25) == 0.0  # 30 % of futures: it does not happen
    assert result.probability_within(0.0) == pytest.approx(0.3, abs=0.005)


def test_deterministic_case():
    certain = RiskMatrix(
        name="certain",
        probability_values=(1.0, 2.0, 3.0, 4.0, 5.0),
        impact_values=(1.0, 2.0, 3.0, 4.0, 5.0),
        probabilities=(0.0, 0.25, 0.5, 0.75, 1.0),
        bands=(Band("low", 0.0, "#2e8540"), Band("high", 10.0, "#c0392b")),
    )
    risks = pd.DataFrame(
        [
            _threat("RK-1", 5, 1000, 1000, 1000),
            _threat("RK-2", 5, 2500, 2500, 2500),
            _threat("RK-3", 1, 9000, 9000, 9000),  # never happens
        ]
    )
    result = contingency(risks, iterations=500, seed=1, matrix=certain)
    assert np.all(result.totals == 3500.0)
    assert (result.p50, result.p80, result.mean, result.emv_sum) == (
        3500.0,
        3500.0,
        3500.0,
        3500.0,
    )


def test_only_open_threats_are_simulated(sample):
    result = contingency(sample.risks, iterations=2_000, seed=1)
    r = sample.risks
    assert (
        len(result.contributions)
        == ((r["type"] == "threat") & (r["status"] == "open")).sum()
    )
    assert "RK-018" not in set(result.contributions["risk_id"])  # it already fired


def test_inherent_basis_gives_a_larger_bill(sample):
    residual = contingency(sample.risks, iterations=5_000, seed=2)
    inherent = contingency(sample.risks, iterations=5_000, seed=2, basis="inherent")
    assert inherent.emv_sum > residual.emv_sum


def test_seed_reproduces_and_confidence_moves_the_reserve(sample):
    p4 = sample.risks[sample.risks["project_id"] == "P-004"]
    a = contingency(p4, iterations=5_000, seed=11)
    b = contingency(p4, iterations=5_000, seed=11)
    c = contingency(p4, iterations=5_000, seed=12)
    assert np.array_equal(a.totals, b.totals)
    assert not np.array_equal(a.totals, c.totals)
    p90 = contingency(p4, iterations=5_000, seed=11, confidence=0.9)
    assert p90.reserve > a.reserve == a.p80
    assert a.p80 > a.emv_sum  # P80 is above the mean bill
    assert a.summary()["iterations"] == 5_000.0


def test_chunks_give_the_same_distribution():
    risks = pd.DataFrame([_threat(f"RK-{k}", 3, 0, 100, 200) for k in range(50)])
    result = contingency(risks, iterations=200_000, seed=5)  # several chunks
    assert result.totals.size == 200_000
    assert result.mean == pytest.approx(50 * 0.5 * 100, rel=0.01)


def test_no_open_threats_gives_zero():
    risks = pd.DataFrame([_threat("RK-1", 3, 0, 1, 2, status="closed")])
    result = contingency(risks, iterations=100, seed=1)
    assert (result.p80, result.emv_sum, len(result.contributions)) == (0.0, 0.0, 0)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"iterations": 0}, "`iterations`"),
        ({"iterations": 1.5}, "`iterations`"),
        ({"confidence": 1.2}, "`confidence`"),
        ({"confidence": 0}, "`confidence`"),
        ({"basis": "gross"}, "`basis`"),
        ({"matrix": "fancy"}, "not a built-in risk matrix"),
    ],
)
def test_bad_arguments(kwargs, message):
    risks = pd.DataFrame([_threat("RK-1", 3, 0, 100, 200)])
    with pytest.raises(ValidationError, match=message):
        contingency(risks, **kwargs)


def test_unordered_costs_named():
    risks = pd.DataFrame([_threat("RK-9", 3, 500, 100, 200)])
    with pytest.raises(ValidationError, match="RK-9"):
        contingency(risks, seed=1)
    with pytest.raises(ValidationError, match="percentile"):
        contingency(pd.DataFrame([_threat("RK-1", 3, 0, 1, 2)]), seed=1).percentile(1)
