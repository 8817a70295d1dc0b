"""The portfolio overview finds the situations the sample organisation contains."""

from __future__ import annotations

import pandas as pd

import pmo_kit
from pmo_kit import overview_narrative, portfolio_overview
from pmo_kit.widgets import project_explorer


def test_overview_has_one_row_per_project(sample):
    overview = portfolio_overview(sample)
    assert list(overview["project_id"]) == sample.project_ids
    measured = overview[overview["overall_rag"] != "grey"]
    assert (measured["ev"] <= measured["budget"]).all()
    assert "red" in set(overview["overall_rag"])


def test_overview_as_of_takes_earlier_status(sample):
    first_date = sample.status["status_date"].min()
    early = portfolio_overview(sample, as_of=first_date)
    late = portfolio_overview(sample)
    assert early["ev"].sum() < late["ev"].sum()
    assert (early["status_date"].dropna() <= first_date).all()


def test_schedule_rag_is_the_one_of_portfolio_performance(sample):
    # one schedule index for RAG across the kit: SPI(t)
    overview = portfolio_overview(sample).set_index("project_id")
    performance = pmo_kit.portfolio_performance(sample).set_index("project_id")
    for column in ("spi_t", "forecast_finish"):
        pd.testing.assert_series_equal(
            overview[column],
            performance[column],
            check_names=False,
            check_index_type=False,
        )
    for column in ("schedule_rag", "cost_rag", "overall_rag"):
        assert overview[column].tolist() == performance[column].tolist(), column


def test_closed_project_is_closed_not_not_started(sample):
    overview = portfolio_overview(sample).set_index("project_id")
    assert overview.loc["P-008", "state"] == "closed"
    assert overview.loc[["P-009", "P-010"], "state"].tolist() == ["not started"] * 2


def test_narrative_names_the_late_and_the_over_budget_project(sample):
    overview = portfolio_overview(sample)
    lines = overview_narrative(overview, currency=sample.currency)
    measured = overview[overview["overall_rag"] != "grey"]
    latest = str(measured.sort_values("spi_t")["project_id"].iloc[0])
    over = str(measured.sort_values("cpi")["project_id"].iloc[0])
    assert any(line.startswith("Most behind schedule: " + latest) for line in lines)
    assert any(line.startswith("Most over budget: " + over) for line in lines)


def test_project_explorer_updates_card(sample):
    box = project_explorer(sample)
    dropdown, card = box.children
    other = sample.project_ids[2]
    dropdown.value = other
    name = sample.project(other)["name"]
    assert f"{other} {name}" in card.value.replace("&amp;", "&")
    assert pd.notna(name)
