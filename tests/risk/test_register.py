"""Risk register validation and scoring, checked against hand-worked cells."""

from __future__ import annotations

import pandas as pd
import pytest

from pmo_kit import ValidationError
from pmo_kit.risk import (
    ORDINAL_5X5,
    PMBOK_NONLINEAR,
    RiskMatrix,
    get_matrix,
    load_matrix,
    score,
    validate_register,
)


def _risk(**overrides: object) -> dict[str, object]:
    row: dict[str, object] = {
        "project_id": "P-001",
        "risk_id": "RK-001",
        "type": "threat",
        "owner": "R-001",
        "probability": 3,
        "impact": 4,
        "residual_probability": 2,
        "residual_impact": 3,
        "cost_impact_min": 1000.0,
        "cost_impact_most_likely": 2000.0,
        "cost_impact_max": 6000.0,
        "schedule_impact_min": 2.0,
        "schedule_impact_max": 10.0,
        "response_strategy": "mitigate",
        "status": "open",
        "raised_date": pd.Timestamp("2026-01-10"),
        "last_review_date": pd.Timestamp("2026-03-01"),
        "closed_date": pd.NaT,
    }
    row.update(overrides)
    return row


def _register(*rows: dict[str, object]) -> pd.DataFrame:
    return pd.DataFrame(list(rows))


@pytest.mark.parametrize(
    ("p", "i", "expected", "rating"),
    [
        (3, 4, 12.0, "medium"),
        (5, 3, 15.0, "high"),
        (2, 2, 4.0, "low"),
        (1, 5, 5.0, "medium"),
        (5, 5, 25.0, "high"),
        (1, 1, 1.0, "low"),
    ],
)
def test_ordinal_cells(p, i, expected, rating):
    s = score(_register(_risk(probability=p, impact=i)))
    assert s.loc[0, "inherent_score"] == expected
    assert s.loc[0, "rating"] == rating


@pytest.mark.parametrize(
    ("p", "i", "expected", "rating"),
    [
        (4, 4, 0.28, "high"),
        (2, 3, 0.06, "medium"),
        (1, 3, 0.02, "low"),
        (5, 1, 0.045, "low"),
        (3, 3, 0.10, "medium"),
        (5, 3, 0.18, "high"),
        (1, 2, 0.01, "low"),
        (5, 5, 0.72, "high"),
    ],
)
def test_pmbok_nonlinear_cells(p, i, expected, rating):
    s = score(_register(_risk(probability=p, impact=i)), matrix="pmbok")
    assert s.loc[0, "inherent_score"] == pytest.approx(expected)
    assert s.loc[0, "rating"] == rating


def test_emv_uses_residual_probability_and_triangular_mean():
    threat = _risk()  # residual level 2 -> 0.3; mean (1000 + 2000 + 6000) / 3
    opportunity = _risk(
        risk_id="RK-002",
        type="opportunity",
        response_strategy="enhance",
        residual_probability=4,
        cost_impact_min=300.0,
        cost_impact_most_likely=600.0,
        cost_impact_max=1200.0,
    )
    s = score(_register(threat, opportunity))
    assert s["chance"].tolist() == [0.3, 0.7]
    assert s["expected_cost"].tolist() == [3000.0, 700.0]
    assert s["exposure"].tolist() == pytest.approx([900.0, 490.0])
    assert s["emv"].tolist() == pytest.approx([-900.0, 490.0])
    assert s["residual_score"].tolist() == [6.0, 12.0]
    assert s["residual_rating"].tolist() == ["medium", "medium"]


def test_score_keeps_the_register_and_adds_stable_columns(sample):
    s = score(sample.risks)
    assert list(s.columns[: len(sample.risks.columns)]) == list(sample.risks.columns)
    for column in ("rating", "residual_rating", "owner", "response_strategy"):
        assert column in s
    assert set(s["rating"]) <= {"low", "medium", "high"}
    rk018 = s.set_index("risk_id").loc["RK-018"]
    assert (rk018["inherent_score"], rk018["rating"]) == (12.0, "medium")
    assert (
        sample.risks.columns.tolist()
        == pd.read_csv(sample.path / "risks.csv", nrows=0).columns.tolist()
    )  # input not modified


def test_score_names_a_level_off_the_scale():
    bad = _register(_risk(), _risk(risk_id="RK-002", probability=7))
    with pytest.raises(ValidationError) as info:
        score(bad)
    assert str(info.value) == (
        "score: risks, row 3 (RK-002), column 'probability': 7 is outside the scale "
        "of the ordinal matrix. Allowed: whole numbers 1 to 5"
    )


def test_score_names_missing_columns():
    with pytest.raises(ValidationError, match="needs the column\\(s\\) 'impact'"):
        score(_register(_risk()).drop(columns="impact"))


def test_score_rejects_an_unknown_type():
    with pytest.raises(ValidationError, match="'risk' is not a risk type"):
        score(_register(_risk(type="risk")))


def test_sample_register_is_valid(sample):
    assert validate_register(sample.risks).empty
    assert validate_register(sample.risks, matrix="pmbok").empty


def test_opportunity_cannot_be_mitigated():
    found = validate_register(
        _register(_risk(), _risk(risk_id="RK-007", type="opportunity"))
    )
    assert found["risk_id"].tolist() == ["RK-007"]
    assert str(found.loc[0, "message"]) == (
        "risks, row 3 (RK-007), column 'response_strategy': 'mitigate' is not a "
        "response to an opportunity (an opportunity cannot be mitigated). Allowed: "
        "exploit, enhance, share, escalate, accept"
    )


def test_threat_cannot_be_exploited_and_unknown_strategy_named():
    found = validate_register(
        _register(_risk(response_strategy="exploit"), _risk(response_strategy="pray"))
    )
    assert found["value"].tolist() == ["exploit", "pray"]
    assert set(found["allowed"]) == {"avoid, mitigate, transfer, escalate, accept"}


def test_residual_above_inherent_only_flagged_for_threats():
    worse = _risk(residual_probability=4, residual_impact=4)  # 16 > 12
    better_opportunity = _risk(
        risk_id="RK-002",
        type="opportunity",
        response_strategy="enhance",
        residual_probability=5,
        residual_impact=4,
    )
    found = validate_register(_register(worse, better_opportunity))
    assert found["risk_id"].tolist() == ["RK-001"]
    assert "residual score above the inherent score" in str(found.loc[0, "message"])


def test_dates_in_the_wrong_order():
    rows = _register(
        _risk(last_review_date=pd.Timestamp("2026-01-01")),
        _risk(risk_id="RK-002", closed_date=pd.Timestamp("2026-02-01")),
        _risk(risk_id="RK-003", status="closed"),
        _risk(
            risk_id="RK-004", status="occurred", closed_date=pd.Timestamp("2025-12-01")
        ),
    )
    found = validate_register(rows)
    assert list(zip(found["risk_id"], found["column"], strict=True)) == [
        ("RK-001", "last_review_date"),
        ("RK-002", "closed_date"),
        ("RK-003", "closed_date"),
        ("RK-004", "closed_date"),
    ]
    assert "is before the risk was raised" in str(found.loc[0, "message"])
    assert "still open" in str(found.loc[1, "message"])
    assert "is empty although the risk is closed" in str(found.loc[2, "message"])
    assert str(found.loc[3, "message"]).startswith(
        "risks, row 5 (RK-004), column 'closed_date': 2025-12-01 is before"
    )


def test_cost_and_schedule_ranges():
    found = validate_register(
        _register(
            _risk(cost_impact_most_likely=7000.0),
            _risk(risk_id="RK-002", schedule_impact_min=12.0),
        )
    )
    assert found["column"].tolist() == [
        "cost_impact_most_likely",
        "schedule_impact_max",
    ]
    assert found.loc[0, "allowed"] == (
        "cost_impact_min <= cost_impact_most_likely <= cost_impact_max"
    )


def test_levels_off_the_scale_and_row_numbers_follow_the_index():
    frame = _register(_risk(), _risk(risk_id="RK-006", residual_impact=0))
    frame.index = [4, 5]
    found = validate_register(frame, source="risks.csv")
    assert str(found.loc[0, "message"]) == (
        "risks.csv, row 7 (RK-006), column 'residual_impact': 0 is outside the "
        "scale of the ordinal matrix. Allowed: whole numbers 1 to 5"
    )


def test_matrix_by_name_and_unknown_name():
    assert get_matrix("ordinal") is ORDINAL_5X5
    assert get_matrix(PMBOK_NONLINEAR) is PMBOK_NONLINEAR
    with pytest.raises(ValidationError, match="Known: 'ordinal', 'pmbok'"):
        get_matrix("heat")


def test_cells_cover_the_grid():
    cells = ORDINAL_5X5.cells()
    assert len(cells) == 25
    assert sum(1 for c in cells if c[3] == "high") == 6  # 15, 16, 20, 20, 25, 15


def test_load_matrix_from_yaml(tmp_path):
    path = tmp_path / "matrix.yaml"
    path.write_text(
        "name: meridian\n"
        "probability_values: [1, 2, 3, 4]\n"
        "impact_values: [1, 2, 4, 8]\n"
        "probabilities: [0.05, 0.25, 0.5, 0.8]\n"
        "bands:\n"
        "  - {name: low, minimum: 0}\n"
        "  - {name: medium, minimum: 4}\n"
        "  - {name: high, minimum: 12, color: '#000000'}\n",
        encoding="utf-8",
    )
    m = load_matrix(path)
    assert isinstance(m, RiskMatrix)
    assert (m.score(4, 3), m.rating(16.0), m.color("high")) == (16.0, "high", "#000000")
    s = score(
        _register(
            _risk(probability=2, impact=4, residual_probability=4, residual_impact=1)
        ),
        matrix=m,
    )
    assert s.loc[0, "inherent_score"] == 16.0
    assert s.loc[0, "chance"] == 0.8
    with pytest.raises(ValidationError, match="whole numbers 1 to 4"):
        score(_register(_risk(probability=5)), matrix=m)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("name: [unclosed", "is not valid YAML"),
        (
            "probability_values: [1, 2]\nimpact_values: [1, 2]\nbandz: []",
            "'bandz' is not a key",
        ),
        (
            "probability_values: [1, 2]\nimpact_values: [1, 2]",
            "the key 'bands' is missing",
        ),
        (
            "probability_values: [1, x]\nimpact_values: [1, 2]\nbands: []",
            "'probability_values' is \\[1, 'x'\\]",
        ),
        (
            "probability_values: [1, 2]\nimpact_values: [1, 2]\n"
            "bands: [{name: low, minimum: 3}, {name: high, minimum: 1}]",
            "not strictly increasing",
        ),
    ],
)
def test_load_matrix_errors_name_the_key(tmp_path, text, message):
    path = tmp_path / "m.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ValidationError, match=message):
        load_matrix(path)
    assert path.read_text(encoding="utf-8") == text  # never touched


def test_load_matrix_missing_file(tmp_path):
    with pytest.raises(ValidationError, match="does not exist"):
        load_matrix(tmp_path / "nope.yaml")
