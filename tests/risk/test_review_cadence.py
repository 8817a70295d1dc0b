"""The one review cadence: data carried by the risk matrix."""

from __future__ import annotations

import pandas as pd
import pytest

from pmo_kit import ValidationError
from pmo_kit.risk import (
    DEFAULT_REVIEW_DAYS,
    ORDINAL_5X5,
    PMBOK_NONLINEAR,
    REVIEW_CADENCE_DAYS,
    Band,
    RiskMatrix,
    load_matrix,
    overdue_reviews,
)
from pmo_kit.risk.narrative import count_of, money, register_method

BANDS = [
    {"name": "low", "minimum": 1},
    {"name": "medium", "minimum": 5},
    {"name": "high", "minimum": 15},
]


def _matrix(**extra: object) -> dict[str, object]:
    return {
        "name": "house",
        "probability_values": [1, 2, 3, 4, 5],
        "impact_values": [1, 2, 3, 4, 5],
        "bands": BANDS,
        **extra,
    }


def _register() -> pd.DataFrame:
    # residual 4 x 4 = 16 high, 2 x 3 = 6 medium, 1 x 1 = 1 low on the 5x5 scale;
    # reviewed 10, 31 and 80 days before 26 Jun 2026
    return pd.DataFrame(
        {
            "risk_id": ["RK-1", "RK-2", "RK-3"],
            "type": ["threat"] * 3,
            "status": ["open"] * 3,
            "probability": [4, 2, 1],
            "impact": [4, 3, 1],
            "residual_probability": [4, 2, 1],
            "residual_impact": [4, 3, 1],
            "last_review_date": pd.to_datetime(
                ["2026-06-16", "2026-05-26", "2026-04-07"]
            ),
        }
    )


def test_shipped_cadence_is_14_30_60():
    assert dict(DEFAULT_REVIEW_DAYS) == {"high": 14, "medium": 30, "low": 60}
    for matrix in (ORDINAL_5X5, PMBOK_NONLINEAR):
        assert [matrix.review_cadence(b) for b in ("high", "medium", "low")] == [
            14,
            30,
            60,
        ]
    assert dict(DEFAULT_REVIEW_DAYS) == REVIEW_CADENCE_DAYS  # kept for callers


def test_overdue_reviews_use_the_matrix_cadence_by_default():
    late = overdue_reviews(_register(), as_of="2026-06-26")
    # high 10 days (14 allowed): fine; medium 31 (30): 1 late; low 80 (60): 20 late
    assert late["risk_id"].tolist() == ["RK-3", "RK-2"]
    assert late["days_overdue"].tolist() == [20, 1]


def test_a_matrix_file_sets_its_own_cadence(tmp_path):
    path = tmp_path / "matrix.yaml"
    path.write_text(
        "name: house\n"
        "probability_values: [1, 2, 3, 4, 5]\n"
        "impact_values: [1, 2, 3, 4, 5]\n"
        "bands:\n"
        "  - {name: low, minimum: 1}\n"
        "  - {name: medium, minimum: 5}\n"
        "  - {name: high, minimum: 15}\n"
        "review_days: {high: 7, medium: 45, low: 90}\n",
        encoding="utf-8",
    )
    matrix = load_matrix(path)
    assert matrix.review_cadence("high") == 7
    late = overdue_reviews(_register(), as_of="2026-06-26", matrix=matrix)
    # high 10 days (7 allowed): 3 late; medium 31 (45) and low 80 (90): fine
    assert late["risk_id"].tolist() == ["RK-1"]
    assert late["days_overdue"].tolist() == [3]
    # an explicit cadence still wins over the matrix's
    late = overdue_reviews(
        _register(), as_of="2026-06-26", matrix=matrix, cadence_days=5
    )
    assert late["risk_id"].tolist() == ["RK-3", "RK-2", "RK-1"]


def test_a_band_without_a_cadence_is_named():
    with pytest.raises(
        ValidationError, match=r"no cadence for the band\(s\) \['severe'\]"
    ):
        RiskMatrix(
            name="odd",
            probability_values=(1.0, 2.0),
            impact_values=(1.0, 2.0),
            probabilities=(0.25, 0.75),
            bands=(Band("low", 1.0, "#2e8540"), Band("severe", 3.0, "#c0392b")),
        )
    matrix = RiskMatrix(
        name="odd",
        probability_values=(1.0, 2.0),
        impact_values=(1.0, 2.0),
        probabilities=(0.25, 0.75),
        bands=(Band("low", 1.0, "#2e8540"), Band("severe", 3.0, "#c0392b")),
        review_days={"low": 60, "severe": 7},
    )
    assert matrix.review_cadence("severe") == 7
    with pytest.raises(ValidationError, match="'high' is not a band"):
        matrix.review_cadence("high")


@pytest.mark.parametrize(
    ("review_days", "message"),
    [
        ({"high": 0, "medium": 30, "low": 60}, "is not a number of days"),
        ({"high": 14, "medium": "monthly", "low": 60}, "is not a number of days"),
        ("fortnightly", "'review_days' is 'fortnightly'"),
        ({"high": 14, "low": 60}, r"no cadence for the band\(s\) \['medium'\]"),
    ],
    ids=["zero", "text", "not-a-mapping", "missing-band"],
)
def test_bad_cadences_are_rejected(review_days, message):
    with pytest.raises(ValidationError, match=message):
        load_matrix(_matrix(review_days=review_days))


def test_the_method_text_says_the_matrix_cadence():
    notes = register_method(
        load_matrix(_matrix(review_days={"high": 7, "medium": 45, "low": 90}))
    )
    assert "high every 7 days, medium every 45 days, low every 90 days" in notes[1]
    assert "low 1-4, medium 5-12, high 15-25" in notes[0]


def test_money_is_rounded_before_it_is_signed():
    assert money(-0.49, "EUR") == "EUR 0"
    assert money(-0.49, "EUR", signed=True) == "EUR 0"
    assert money(-0.5001, "EUR") == "EUR -1"
    assert money(12_780.4, "CHF", signed=True) == "CHF +12,780"
    assert [count_of(1, "person", "people"), count_of(2, "person", "people")] == [
        "1 person",
        "2 people",
    ]
