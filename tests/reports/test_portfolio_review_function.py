"""portfolio_review and portfolio_overview on a tiny portfolio worked out by hand."""

from __future__ import annotations

import dataclasses

import pandas as pd
import pytest

import pmo_kit
from pmo_kit import overview_narrative, portfolio_overview
from pmo_kit.reports import PortfolioReview, portfolio_review

# Project A starts Thursday 1 January 2026 and is planned over 8 weeks (56 days, to
# Wednesday 25 February), BAC 2,000. Its weekly status dates end weeks 1..4 (a
# status date counts to the end of its day), PV 100, 200, 900, 1,000. On 28 January
# EV = 955 and AC = 1,000:
#   SPI  = 955 / 1,000 = 0.955                      -> green (0.95-1.05)
#   ES   = 3 + (955 - 900) / (1,000 - 900) = 3.55 weeks (PV reached 955 then)
#   SPI(t) = ES / AT = 3.55 / 4 = 0.8875             -> red (below 0.90)
#   CPI  = 955 / 1,000 = 0.955                      -> green
#   EAC  = 2,000 / 0.955 = 2,094.24
#   forecast finish = start + 8 / 0.8875 weeks = start + 63.1 days = Thu 5 March,
#   8 days after the plan: 1 week late (rounded).
# B is closed (no status rows in the data), C is in planning and starts in March.
A_SPI_T = 3.55 / 4
A_EAC = 2000 / 0.955


def _projects() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "project_id": ["P-A", "P-B", "P-C"],
            "name": ["Alpha", "Bravo", "Charlie"],
            "programme": ["One"] * 3,
            "sponsor": ["S"] * 3,
            "manager": ["R-1"] * 3,
            "methodology": ["predictive"] * 3,
            "phase": ["execution", "closed", "planning"],
            "start": pd.to_datetime(["2026-01-01", "2025-06-02", "2026-03-02"]),
            "planned_finish": pd.to_datetime(
                ["2026-02-25", "2025-12-01", "2026-09-30"]
            ),
            "budget": [2000.0, 5000.0, 3000.0],
            "status_date": pd.to_datetime(["2026-01-28", "2025-12-15", "2026-01-28"]),
        }
    )


def _status() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "project_id": "P-A",
            "status_date": pd.to_datetime(
                ["2026-01-07", "2026-01-14", "2026-01-21", "2026-01-28"]
            ),
            "pv": [100.0, 200.0, 900.0, 1000.0],
            "ev": [100.0, 200.0, 700.0, 955.0],
            "ac": [100.0, 210.0, 720.0, 1000.0],
        }
    )


def _risks(sample: pmo_kit.Portfolio) -> pd.DataFrame:
    """Four risks of P-A: open, raised late, closed early, fired on 5 February."""
    rows = sample.risks.iloc[:4].copy()
    rows["project_id"] = "P-A"
    rows["risk_id"] = ["RK-1", "RK-2", "RK-3", "RK-4"]
    rows["status"] = ["open", "open", "closed", "occurred"]
    rows["raised_date"] = pd.to_datetime(
        ["2026-01-05", "2026-02-10", "2026-01-02", "2026-01-03"]
    )
    rows["closed_date"] = pd.to_datetime(
        pd.Series([None, None, "2026-01-20", "2026-02-05"])
    )
    return rows.reset_index(drop=True)


@pytest.fixture
def tiny(sample: pmo_kit.Portfolio) -> pmo_kit.Portfolio:
    return dataclasses.replace(
        sample,
        name="Tiny Org",
        currency="CHF",
        projects=_projects(),
        status=_status(),
        risks=_risks(sample),
    )


def test_schedule_rag_comes_from_spi_t_not_spi(tiny):
    row = portfolio_overview(tiny).set_index("project_id").loc["P-A"]
    assert row["spi"] == pytest.approx(0.955)
    assert row["spi_t"] == pytest.approx(A_SPI_T)
    assert (row["schedule_rag"], row["cost_rag"], row["overall_rag"]) == (
        "red",
        "green",
        "red",
    )
    assert row["eac"] == pytest.approx(A_EAC)
    assert row["forecast_finish"] == pd.Timestamp("2026-03-05")
    assert row["weeks_late"] == 1


def test_closed_and_not_started_say_so(tiny):
    overview = portfolio_overview(tiny).set_index("project_id")
    assert overview["state"].to_dict() == {
        "P-A": "reporting",
        "P-B": "closed",
        "P-C": "not started",
    }
    assert set(overview.loc[["P-B", "P-C"], "overall_rag"]) == {"grey"}
    lines = overview_narrative(overview.reset_index(), currency="CHF")
    assert lines[0] == (
        "The portfolio holds 3 projects with a combined budget of CHF 10k; "
        "1 reports earned value, 1 is closed and 1 has not started."
    )


def test_risks_are_counted_as_they_stood_on_as_of(tiny):
    now = portfolio_overview(tiny).set_index("project_id").loc["P-A"]
    # the register as it is: RK-1 and RK-2 open, RK-4 fired
    assert (now["open_risks"], now["fired_risks"]) == (2, 1)
    then = portfolio_overview(tiny, as_of="2026-01-28").set_index("project_id")
    # on 28 January RK-2 was not raised yet and RK-4 had not fired: RK-1, RK-4 open
    assert (then.loc["P-A", "open_risks"], then.loc["P-A", "fired_risks"]) == (2, 0)
    early = portfolio_overview(tiny, as_of="2026-01-04").set_index("project_id")
    assert early.loc["P-A", "open_risks"] == 2  # RK-3 (2 Jan) and RK-4 (3 Jan)


def test_review_totals_narrative_and_summary(tiny):
    review = portfolio_review(tiny)
    assert isinstance(review, PortfolioReview)
    assert review.status_date == pd.Timestamp("2026-01-28")
    # totals: EAC of the reporting project, BAC of the others
    assert review.totals["eac_cpi"] == pytest.approx(A_EAC + 5000 + 3000)
    assert review.totals["spi"] == pytest.approx(0.955)
    summary = review.summary()
    assert summary["as_of"] == "2026-01-28"
    assert summary["currency"] == "CHF"
    assert summary["rag_counts"] == {"green": 0, "amber": 0, "red": 1, "grey": 2}
    assert summary["states"] == {"reporting": 1, "closed": 1, "not started": 1}
    assert summary["total_budget"] == 10000
    assert summary["total_actual_cost"] == 1000
    rows = {r["project_id"]: r for r in summary["project_rows"]}
    assert rows["P-A"]["forecast_finish"] == "2026-03-05"
    assert rows["P-B"]["spi"] is None
    text = " ".join(review.narrative)
    assert "EUR" not in text
    assert "CHF" in text
    assert "1 risk has occurred (P-A): check its cost in AC." in review.narrative
    assert review.narrative[-1] == (
        "The 1 project that reports earned value has a portfolio SPI of 0.95 and "
        f"CPI of 0.95; all 3 projects are forecast to cost CHF {A_EAC + 8000:,.0f} "
        f"against budgets of CHF 10,000 (CHF {A_EAC - 2000:,.0f} over)."
    )
    assert review.header["Budget"] == "CHF 10,000"


def test_as_of_before_any_data_says_so(tiny):
    review = portfolio_review(tiny, as_of="2025-05-01")
    assert review.rag_counts["grey"] == 3
    assert set(review.overview["state"]) == {"not started"}
    assert review.narrative[-1] == (
        "No project had reported earned value by 01 May 2025; the first status is "
        "from 07 Jan 2026."
    )
    assert not any("nan" in line for line in review.narrative)
    summary = review.summary()
    assert summary["portfolio_spi"] is None
    assert summary["as_of"] == "2025-05-01"


def test_a_closed_project_after_as_of_was_still_running(tiny):
    # Bravo closed after its last status on 15 Dec 2025: on 1 Nov it was running
    overview = portfolio_overview(tiny, as_of="2025-11-01").set_index("project_id")
    assert overview.loc["P-B", "state"] == "no status yet"


def test_late_headline_names_the_latest_finish(tiny):
    late = tiny.projects.assign(
        planned_finish=tiny.projects["planned_finish"].where(
            tiny.projects["project_id"] != "P-A", pd.Timestamp("2026-02-18")
        )
    )
    # planned finish a week earlier: PD = 7 weeks, forecast = 7 / 0.8875 weeks =
    # 55.2 days -> Thu 26 Feb; 8 days after 18 Feb: 1 week, below the 2 weeks a
    # headline needs
    review = portfolio_review(dataclasses.replace(tiny, projects=late))
    assert not any(line.startswith("Latest forecast") for line in review.narrative)
    slow = _status().assign(ev=[100.0, 150.0, 160.0, 500.0])
    # EV 500 between PV 200 (week 2) and 900 (week 3): ES = 2 + 300 / 700 = 2.4286,
    # SPI(t) = 0.6071; forecast = 8 / 0.6071 weeks = 92.2 days -> 3 April 2026,
    # 37 days = 5 weeks after 25 Feb
    review = portfolio_review(dataclasses.replace(tiny, status=slow))
    assert review.narrative[-2] == (
        "Latest forecast finish: P-A Alpha on 03 Apr 2026, 5 weeks after its plan "
        "if its pace so far continues (SPI(t) 0.61)."
    )


def test_a_bad_date_is_named(tiny):
    with pytest.raises(
        pmo_kit.ValidationError, match=r"'someday' is an invalid value for `as_of`"
    ):
        portfolio_review(tiny, as_of="someday")
