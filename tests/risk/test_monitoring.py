"""Overdue reviews, top risks, fired risks, trend and register drift."""

from __future__ import annotations

import pandas as pd
import pytest

from pmo_kit import ValidationError
from pmo_kit.risk import (
    compare_registers,
    fired_risks,
    heat_map_table,
    overdue_reviews,
    register_as_of,
    risk_trend,
    score,
    top_risks,
)

STATUS_DATE = "2026-06-26"


def test_thirteen_overdue_reviews_in_the_sample(sample):
    # datasets/README.md: 13 open risks last reviewed more than 45 days ago
    late = overdue_reviews(sample.risks, as_of=STATUS_DATE, cadence_days=45)
    assert len(late) == 13
    rk008 = late.set_index("risk_id").loc["RK-008"]
    assert rk008["project_id"] == "P-002"
    assert rk008["days_since_review"] == 142  # 2026-02-04 -> 2026-06-26
    assert rk008["days_overdue"] == 142 - 45
    assert (late["status"] == "open").all()
    assert late["days_overdue"].is_monotonic_decreasing


def test_cadence_by_rating():
    r = pd.DataFrame(
        {
            "risk_id": ["RK-1", "RK-2", "RK-3"],
            "type": ["threat"] * 3,
            "status": ["open", "open", "closed"],
            "probability": [5, 2, 5],
            "impact": [5, 2, 5],
            "residual_probability": [4, 2, 4],  # 16 high, 4 low, 16 high
            "residual_impact": [4, 2, 4],
            "last_review_date": pd.to_datetime(["2026-06-10"] * 3),
        }
    )
    late = overdue_reviews(r, as_of="2026-06-26")  # 16 days: high (14) late only
    assert late["risk_id"].tolist() == ["RK-1"]
    assert late.loc[0, "review_due"] == pd.Timestamp("2026-06-24")
    late = overdue_reviews(r, as_of="2026-06-26", cadence_days={"high": 20, "low": 10})
    assert late["risk_id"].tolist() == ["RK-2"]
    with pytest.raises(ValidationError, match="no cadence for the rating"):
        overdue_reviews(r, as_of="2026-06-26", cadence_days={"high": 20})
    with pytest.raises(ValidationError, match="`as_of`"):
        overdue_reviews(r, as_of="someday")
    with pytest.raises(ValidationError, match="`cadence_days`"):
        overdue_reviews(r, as_of="2026-06-26", cadence_days=0)


def test_top_risks_by_residual_score_and_by_exposure(sample):
    top = top_risks(sample.risks, 3)
    assert top["rank"].tolist() == [1, 2, 3]
    # RK-060 residual 5x4 = 20, RK-015 4x4 = 16, then 12s by exposure: RK-024
    assert top["risk_id"].tolist() == ["RK-060", "RK-015", "RK-024"]
    by_money = top_risks(sample.risks, 2, by="exposure")
    assert by_money.loc[0, "exposure"] == pytest.approx(44_193.33, abs=0.01)
    # RK-015: 0.7 x (23,400 + 54,500 + 111,500) / 3 = 44,193: the largest
    assert by_money["risk_id"].tolist()[0] == "RK-015"
    assert (by_money["status"] == "open").all()
    with pytest.raises(ValidationError, match="Valid values: 'residual_score'"):
        top_risks(sample.risks, by="size")
    with pytest.raises(ValidationError, match="`n`"):
        top_risks(sample.risks, 0)


def test_top_risks_accepts_a_scored_register(sample):
    scored = score(sample.risks, matrix="pmbok")
    top = top_risks(scored, 1, by="inherent_score", open_only=False)
    # pmbok scores from the scored frame are kept: 0.9 x 0.8 = 0.72 for 5x5
    assert top.loc[0, "inherent_score"] == pytest.approx(0.72)


def test_fired_risk_rk018(sample):
    fired = fired_risks(sample.risks)
    assert fired["risk_id"].tolist() == ["RK-018"]
    row = fired.iloc[0]
    assert row["project_id"] == "P-004"
    assert row["closed_date"] == pd.Timestamp("2026-05-11")
    assert row["cost_impact_most_likely"] == 23_500


def test_trend_counts_add_up(sample):
    trend = risk_trend(sample.risks, end=STATUS_DATE)
    r = sample.risks
    assert trend["new"].sum() == len(r)
    assert trend["closed"].sum() == r["closed_date"].notna().sum()
    assert trend["occurred"].sum() == 1
    assert trend.iloc[-1]["open"] == (r["status"] == "open").sum()
    assert trend.iloc[-1]["period"] == "2026-06"
    may = trend.set_index("period").loc["2026-05"]
    assert may["occurred"] == 1  # RK-018 fired on 2026-05-11
    running = trend["new"].cumsum() - trend["closed"].cumsum()
    assert running.tolist() == trend["open"].tolist()


def test_trend_by_week_and_bad_freq(sample):
    weekly = risk_trend(sample.risks, freq="W", end=STATUS_DATE)
    assert weekly["new"].sum() == len(sample.risks)
    with pytest.raises(ValidationError, match="`freq`"):
        risk_trend(sample.risks, freq="D")


def test_compare_registers(sample):
    before = sample.risks
    after = before.copy()
    idx = after.set_index("risk_id").index
    after.loc[idx.get_loc("RK-001"), "residual_probability"] = 3  # 1x2 -> 3x2
    after.loc[idx.get_loc("RK-002"), ["status", "closed_date"]] = [
        "closed",
        pd.Timestamp("2026-07-01"),
    ]
    after.loc[idx.get_loc("RK-003"), "response_strategy"] = "accept"
    after.loc[idx.get_loc("RK-004"), "residual_impact"] = 1  # 1x2 -> 1x1
    new = after.iloc[[0]].assign(risk_id="RK-099")
    after = pd.concat([after.drop(index=idx.get_loc("RK-005")), new])
    diff = compare_registers(before, after).set_index("risk_id")
    assert diff["change"].to_dict() == {
        "RK-001": "score up",
        "RK-002": "closed",
        "RK-003": "strategy changed",
        "RK-004": "score down",
        "RK-005": "removed",
        "RK-099": "new",
    }
    assert diff.loc["RK-001", "score_change"] == 4.0
    assert diff.loc["RK-003", "strategy_after"] == "accept"
    full = compare_registers(before, before, include_unchanged=True)
    assert set(full["change"]) == {"unchanged"}
    assert len(full) == len(before)


def test_register_as_of_reopens_later_closures(sample):
    before = register_as_of(sample.risks, "2026-05-01")
    assert (before["raised_date"] <= pd.Timestamp("2026-05-01")).all()
    rk018 = before.set_index("risk_id").loc["RK-018"]
    assert rk018["status"] == "open"  # it fired on 11 May
    assert pd.isna(rk018["closed_date"])
    assert fired_risks(before).empty
    assert len(register_as_of(sample.risks, STATUS_DATE)) == len(sample.risks)
    with pytest.raises(ValidationError, match="`as_of`"):
        register_as_of(sample.risks, "soon")


def test_heat_map_table_counts_every_risk(sample):
    grid = heat_map_table(sample.risks)
    assert len(grid) == 25
    assert grid["count"].sum() == len(sample.risks)
    cell = grid[(grid["probability"] == 3) & (grid["impact"] == 4)].iloc[0]
    assert "RK-018" in cell["risk_ids"]
    assert (cell["score"], cell["rating"], cell["color"]) == (12.0, "medium", "#f0a30a")
    residual = heat_map_table(sample.risks, basis="residual", matrix="pmbok")
    cell = residual[(residual["probability"] == 1) & (residual["impact"] == 3)].iloc[0]
    assert "RK-018" in cell["risk_ids"]
    assert cell["score"] == pytest.approx(0.02)
