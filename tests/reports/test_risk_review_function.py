"""risk_review on a tiny hand-made register: every figure worked out by hand."""

from __future__ import annotations

import math
from dataclasses import replace

import pandas as pd
import pytest

from pmo_kit import ValidationError
from pmo_kit.charter.model import Budget
from pmo_kit.reports.risk_review import risk_review
from pmo_kit.risk import load_matrix

AS_OF = "2026-06-26"


def _risk(risk_id: str, **values: object) -> dict[str, object]:
    row: dict[str, object] = {
        "project_id": "P-001",
        "risk_id": risk_id,
        "title": f"Title {risk_id}",
        "type": "threat",
        "cause": "c",
        "event": "e",
        "effect": "f",
        "category": "scope",
        "owner": "R-001",
        "probability": 3,
        "impact": 3,
        "residual_probability": 3,
        "residual_impact": 3,
        "cost_impact_min": 2000.0,
        "cost_impact_most_likely": 2000.0,
        "cost_impact_max": 2000.0,
        "schedule_impact_min": 0.0,
        "schedule_impact_max": 0.0,
        "proximity": "near",
        "response_strategy": "mitigate",
        "response_actions": "a",
        "trigger": "t",
        "status": "open",
        "raised_date": "2026-01-10",
        "last_review_date": "2026-06-20",
        "closed_date": None,
    }
    row.update(values)
    return row


def _register() -> pd.DataFrame:
    rows = [
        # chance of level 3 is 0.5, cost 2000 for sure: exposure 1000; reviewed
        # 6 days before the status date (medium: every 30 days)
        _risk("RK-1"),
        # residual 4 x 4 = 16 high, chance 0.7 x 3000 = 2100; last review 25 days
        # before: 11 days past its 14-day cadence
        _risk(
            "RK-2",
            probability=4,
            impact=4,
            residual_probability=4,
            residual_impact=4,
            cost_impact_min=3000.0,
            cost_impact_most_likely=3000.0,
            cost_impact_max=3000.0,
            owner="R-002",
            raised_date="2026-03-15",
            last_review_date="2026-06-01",
        ),
        # an opportunity rated "high" (5 x 4 = 20): chance 0.9 x mean 1000 = +900
        _risk(
            "RK-3",
            type="opportunity",
            probability=5,
            impact=4,
            residual_probability=5,
            residual_impact=4,
            cost_impact_min=600.0,
            cost_impact_most_likely=900.0,
            cost_impact_max=1500.0,
            response_strategy="enhance",
            raised_date="2026-04-01",
        ),
        # fired on 11 May
        _risk(
            "RK-4",
            status="occurred",
            cost_impact_most_likely=5000.0,
            cost_impact_max=5000.0,
            raised_date="2026-02-01",
            last_review_date="2026-05-01",
            closed_date="2026-05-11",
        ),
        # closed after the status date: still open then; 1 x 1 low (chance 0.1 x
        # 100 = 10), last review 117 days before: 57 days past its 60-day cadence
        _risk(
            "RK-5",
            probability=1,
            impact=1,
            residual_probability=1,
            residual_impact=1,
            cost_impact_min=100.0,
            cost_impact_most_likely=100.0,
            cost_impact_max=100.0,
            status="closed",
            raised_date="2026-01-05",
            last_review_date="2026-03-01",
            closed_date="2026-06-30",
        ),
        # raised after the status date, with a response that breaks the rules
        _risk(
            "RK-6",
            response_strategy="exploit",
            raised_date="2026-07-01",
            last_review_date="2026-07-01",
        ),
    ]
    frame = pd.DataFrame(rows)
    for column in ("raised_date", "last_review_date", "closed_date"):
        frame[column] = pd.to_datetime(frame[column])
    return frame


@pytest.fixture(scope="module")
def tiny(sample):
    project = sample.projects[sample.projects["project_id"] == "P-001"].copy()
    project["status_date"] = pd.Timestamp(AS_OF)
    resources = pd.DataFrame(
        {
            "resource_id": ["R-001", "R-002"],
            "name": ["Ada Lovelace", "Grace Hopper"],
        }
    )
    charter = sample.charters["P-001"]
    charter = replace(charter, budget=Budget(amount=100_000.0, contingency=4000.0))
    return replace(
        sample,
        name="Tiny Works",
        currency="CHF",
        projects=project.reset_index(drop=True),
        risks=_register(),
        resources=resources,
        charters={"P-001": charter},
    )


@pytest.fixture(scope="module")
def review(tiny):
    return risk_review(tiny, "P-001", iterations=20_000)


def test_the_register_as_it_stood_at_the_status_date(review):
    s = review.summary()
    assert s["as_of"] == AS_OF
    assert s["risks"] == 5  # RK-6 was raised later
    assert (s["open"], s["open_threats"], s["open_opportunities"]) == (4, 3, 1)
    assert s["closed"] == 0  # RK-5 closed after the status date
    assert [f["risk_id"] for f in s["fired"]] == ["RK-4"]
    assert s["fired"][0]["occurred"] == "2026-05-11"
    assert s["findings"] == []  # RK-6's bad response did not exist yet
    assert s["currency"] == "CHF"


def test_top_risks_are_threats_and_opportunities_stand_apart(review):
    s = review.summary()
    assert [r["risk_id"] for r in s["top_risks"]] == ["RK-2", "RK-1", "RK-5"]
    assert [r["rank"] for r in s["top_risks"]] == [1, 2, 3]
    assert s["top_risks"][0]["owner"] == "Grace Hopper"
    assert s["top_risks"][0]["exposure"] == pytest.approx(2100.0)
    (opportunity,) = s["opportunities"]
    assert opportunity["risk_id"] == "RK-3"
    assert opportunity["type"] == "opportunity"
    assert opportunity["emv"] == 900.0
    assert opportunity["owner"] == "Ada Lovelace"
    heat = review.heat_map_residual
    placed = {i for ids in heat["risk_ids"] for i in ids}
    assert placed == {"RK-1", "RK-2", "RK-5"}  # the heat maps hold threats only
    assert not any("RK-3" in line and "high" in line for line in review.narrative)


def test_overdue_reviews_follow_the_matrix_cadence(review):
    overdue = review.overdue
    assert overdue["risk_id"].tolist() == ["RK-5", "RK-2"]
    assert overdue["days_overdue"].tolist() == [57, 11]
    assert overdue["cadence_days"].tolist() == [60, 14]
    assert overdue["owner"].tolist() == ["Ada Lovelace", "Grace Hopper"]
    assert review.summary()["review_days"] == {"low": 60, "medium": 30, "high": 14}


def test_a_matrix_with_its_own_cadence(tiny):
    matrix = load_matrix(
        {
            "name": "strict",
            "probability_values": [1, 2, 3, 4, 5],
            "impact_values": [1, 2, 3, 4, 5],
            "bands": [
                {"name": "low", "minimum": 1},
                {"name": "medium", "minimum": 5},
                {"name": "high", "minimum": 15},
            ],
            "review_days": {"high": 30, "medium": 5, "low": 200},
        }
    )
    late = risk_review(tiny, "P-001", iterations=100, matrix=matrix).overdue
    # RK-1 medium, 6 days (> 5); RK-2 high, 25 days (< 30); RK-5 low, 117 (< 200)
    assert late["risk_id"].tolist() == ["RK-1"]
    assert late["days_overdue"].tolist() == [1]


def test_contingency_against_the_charter(review):
    c = review.summary()["contingency"]
    # open threats: RK-1 2000 at 0.5, RK-2 3000 at 0.7, RK-5 100 at 0.1
    assert c["emv_sum"] == pytest.approx(1000 + 2100 + 10)
    # totals and their chance, by hand: 0 .135, 100 .015, 2000 .135, 2100 .015,
    # 3000 .315, 3100 .035, 5000 .315, 5100 .035 -> cumulative .615 at 3000
    # (P50) and .965 at 5000 (P80); 4000 covers .65 of the futures
    assert c["p50"] == 3000.0
    assert c["p80"] == 5000.0
    assert c["budget"] == 4000.0
    assert c["probability_within_budget"] == pytest.approx(0.65, abs=0.015)
    assert review.contingency_table["amount"].tolist()[-1] == 4000.0
    assert any(
        line.startswith("For decision: raise the contingency by CHF 1,000 to reach P80")
        for line in review.narrative
    )


def test_trend_counts_by_month(review):
    trend = review.summary()["trend"]
    assert [t["period"] for t in trend] == [f"2026-0{m}" for m in range(1, 7)]
    assert [t["new"] for t in trend] == [2, 1, 1, 1, 0, 0]
    assert [t["closed"] for t in trend] == [0, 0, 0, 0, 1, 0]
    assert [t["open"] for t in trend] == [2, 3, 4, 5, 4, 4]


def test_changes_since_a_previous_register(tiny):
    earlier = _register()
    earlier.loc[earlier["risk_id"] == "RK-1", "residual_probability"] = 1
    earlier = earlier[earlier["risk_id"] != "RK-2"]
    result = risk_review(tiny, "P-001", iterations=100, previous=earlier)
    changes = {c["risk_id"]: c["change"] for c in result.summary()["changes"]}
    assert changes == {"RK-1": "score up", "RK-2": "new"}


def test_a_missing_previous_file_is_named(tiny, tmp_path):
    missing = tmp_path / "april" / "risks.csv"
    with pytest.raises(ValidationError, match="does not exist") as info:
        risk_review(tiny, "P-001", iterations=100, previous=missing)
    assert str(missing) in str(info.value)
    assert "\n" not in str(info.value)
    with pytest.raises(ValidationError, match="is a folder"):
        risk_review(tiny, "P-001", iterations=100, previous=tmp_path)


def test_a_date_before_any_risk(tiny):
    result = risk_review(tiny, "P-001", as_of="2026-01-01", iterations=100)
    s = result.summary()
    assert (s["risks"], s["open"], s["top_risks"], s["fired"]) == (0, 0, [], [])
    assert s["contingency"]["emv_sum"] == 0.0
    assert result.narrative[0] == (
        "At 01 Jan 2026 the register holds no risks yet; the first was raised on "
        "05 Jan 2026."
    )
    assert not any("nan" in line for line in result.narrative)


def test_a_later_date_sees_the_later_risk_and_its_finding(tiny):
    s = risk_review(tiny, "P-001", as_of="2026-07-02", iterations=100).summary()
    assert s["risks"] == 6
    assert s["closed"] == 1  # RK-5 closed on 30 Jun
    assert len(s["findings"]) == 1
    assert "RK-6" in s["findings"][0]


def test_opportunity_money_is_never_minus_zero(tiny):
    register = _register()
    register.loc[register["risk_id"] == "RK-3", "residual_probability"] = 1
    register.loc[
        register["risk_id"] == "RK-3",
        ["cost_impact_min", "cost_impact_most_likely", "cost_impact_max"],
    ] = [1.0, 1.0, 2.0]  # 0.1 x 4/3: rounds to 0
    result = risk_review(replace(tiny, risks=register), "P-001", iterations=100)
    emv = result.opportunities["emv"].iloc[0]
    assert emv == 0.0
    assert math.copysign(1.0, emv) == 1.0
    text = " ".join(result.narrative)
    assert "EMV CHF +0)" not in text
    assert "CHF -0" not in text
    assert "RK-3 Title RK-3 (EMV CHF 0)" in text


def test_p010_had_no_risks_at_the_end_of_may(sample):
    # every P-010 risk was raised in June (datasets/meridian/risks.csv)
    raised = sample.risks.loc[sample.risks["project_id"] == "P-010", "raised_date"]
    assert (raised >= "2026-06-01").all()
    s = risk_review(sample, "P-010", as_of="2026-05-29", iterations=100).summary()
    assert (s["risks"], s["open"]) == (0, 0)


def test_the_opportunity_rk060_does_not_head_the_portfolio_top_risks(sample):
    result = risk_review(sample, "all", iterations=200, top_n=5)
    s = result.summary()
    assert "RK-060" not in [r["risk_id"] for r in s["top_risks"]]
    assert "RK-060" in [r["risk_id"] for r in s["opportunities"]]
    assert {r["risk_id"] for r in s["top_risks"]} <= set(
        sample.risks.loc[sample.risks["type"] == "threat", "risk_id"]
    )
    owners = set(sample.resources["name"])
    assert {r["owner"] for r in s["top_risks"]} <= owners


def test_the_whole_portfolio(sample):
    s = risk_review(sample, "all", iterations=200, top_n=5).summary()
    assert (s["scope"], s["project_id"], s["risks"]) == ("portfolio", None, 60)
    assert s["open"] == (sample.risks["status"] == "open").sum()
    assert len(s["top_risks"]) == 5
    assert len(s["overdue_reviews"]) == 13  # datasets/README.md
    assert s["contingency"]["risks"] == 41.0
    budgets = sum(
        c.budget.contingency or 0 for c in sample.charters.values() if c.budget
    )
    assert s["contingency"]["budget"] == budgets
    assert sum(s["ratings"].values()) == s["open"]


def test_p004_before_its_risk_fired(sample):
    s = risk_review(sample, "P-004", as_of="2026-05-01", iterations=200).summary()
    assert s["as_of"] == "2026-05-01"
    assert s["fired"] == []  # RK-018 fired on 11 May: open at 1 May
    assert "RK-018" in [r["risk_id"] for r in s["top_risks"]]
    assert s["risks"] < 7


def test_bad_arguments_name_what_is_allowed(tiny):
    with pytest.raises(ValidationError, match="'P-999' is not a project"):
        risk_review(tiny, "P-999")
    with pytest.raises(ValidationError, match="`as_of`"):
        risk_review(tiny, "P-001", as_of="someday")
    with pytest.raises(ValidationError, match="`n`"):
        risk_review(tiny, "P-001", top_n=0, iterations=100)
