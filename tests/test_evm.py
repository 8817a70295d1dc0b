"""Earned-value indices and RAG against published textbook figures."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from pmo_kit import ValidationError
from pmo_kit.evm import (
    RagThresholds,
    cost_performance_index,
    rag_status,
    schedule_performance_index,
    worst_rag,
)


@pytest.mark.parametrize(
    ("ev", "ac", "pv", "cpi", "spi"),
    [
        # BAC 100, EV 40, AC 45, PV 50 (PMBOK-style worked example)
        (40.0, 45.0, 50.0, 0.889, 0.8),
        # BAC 100,000, period 3: PV 40,000, EV 35,000, AC 36,000
        (35_000.0, 36_000.0, 40_000.0, 0.9722, 0.875),
    ],
)
def test_textbook_indices(ev, ac, pv, cpi, spi):
    assert cost_performance_index(ev, ac) == pytest.approx(cpi, abs=1e-3)
    assert schedule_performance_index(ev, pv) == pytest.approx(spi, abs=1e-4)


def test_undefined_ratios_are_nan_scalar_and_vector():
    assert math.isnan(cost_performance_index(10.0, 0.0))
    series = schedule_performance_index(pd.Series([1.0, 2.0]), pd.Series([0.0, 4.0]))
    assert math.isnan(series.iloc[0])
    assert series.iloc[1] == 0.5


def test_rag_bands_edges():
    statuses = rag_status(pd.Series([0.95, 1.05, 0.9499, 0.90, 1.10, 1.1001, 0.5]))
    assert statuses.tolist() == [
        "green",
        "green",
        "amber",
        "amber",
        "amber",
        "red",
        "red",
    ]


def test_worst_rag_prefers_red_and_ignores_grey():
    out = worst_rag(
        pd.Series(["green", "grey", "grey"]), pd.Series(["red", "amber", "grey"])
    )
    assert out.tolist() == ["red", "amber", "grey"]


def test_thresholds_must_nest():
    with pytest.raises(ValidationError, match="not nested"):
        RagThresholds(green_low=0.8, amber_low=0.9)
