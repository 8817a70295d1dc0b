"""Portfolio computations at scale: splitting, per-project seeds, serial vs Dask."""

from __future__ import annotations

import hashlib
import sys
from typing import TYPE_CHECKING

import pandas as pd
import pytest

from pmo_kit._errors import MissingDependencyError, PMOError, ValidationError
from pmo_kit.data.generator import generate_organisation
from pmo_kit.reports.schedule_risk import schedule_risk
from pmo_kit.scale import (
    RISK_COLUMNS,
    batch_portfolios,
    portfolio_schedule_risk,
    project_seed,
    split_portfolio,
)
from tests.dask_cluster import dask_cluster, require_dask

if TYPE_CHECKING:
    from pmo_kit.data.portfolio import Portfolio

ITERATIONS = 200
SEED = 11
# people columns of the tables that reference the resources table
PEOPLE = {"projects": "manager", "assignments": "resource_id", "risks": "owner"}


@pytest.fixture(scope="module")
def portfolio() -> Portfolio:
    return generate_organisation(seed=3, projects=12)


@pytest.fixture(scope="module")
def serial(portfolio: Portfolio) -> pd.DataFrame:
    return portfolio_schedule_risk(portfolio, iterations=ITERATIONS, seed=SEED)


def _seed(seed: int, project_id: str) -> int:
    # the documented rule, written out again: first 8 bytes of SHA-256, top bit off
    digest = hashlib.sha256(f"{seed}/{project_id}".encode()).digest()
    return int(digest[:8].hex(), 16) // 2


# --- splitting ---------------------------------------------------------------


def test_split_keeps_each_tables_rows_for_the_project_and_nothing_else(
    portfolio: Portfolio,
) -> None:
    parts = split_portfolio(portfolio)
    assert list(parts) == portfolio.project_ids
    for pid, part in parts.items():
        for name, frame in portfolio.tables().items():
            got = getattr(part, name)
            if name == "resources":
                mine = set()
                for table, column in PEOPLE.items():
                    source = getattr(portfolio, table)
                    mine |= set(source.loc[source["project_id"] == pid, column])
                expected = frame[frame["resource_id"].isin(mine)]
            else:
                expected = frame[frame["project_id"] == pid]
            assert len(got) == len(expected), (pid, name)
            pd.testing.assert_frame_equal(got, expected.reset_index(drop=True))
        assert list(part.charters) == [pid]


def test_split_totals_add_up_and_batches_cover_every_row(portfolio: Portfolio) -> None:
    parts = split_portfolio(portfolio)
    batches = batch_portfolios(portfolio, 5)
    assert [len(b.projects) for b in batches] == [5, 5, 2]
    for name in ("tasks", "dependencies", "status", "risks", "status_changes"):
        total = len(getattr(portfolio, name))
        assert sum(len(getattr(p, name)) for p in parts.values()) == total
        assert sum(len(getattr(b, name)) for b in batches) == total


def test_split_fills_only_the_tables_asked_for(portfolio: Portfolio) -> None:
    part = split_portfolio(portfolio, ["P-002"], tables=["tasks"])["P-002"]
    assert part.projects["project_id"].tolist() == ["P-002"]
    assert len(part.tasks) == (portfolio.tasks["project_id"] == "P-002").sum() > 0
    assert part.status.empty
    assert part.risks.empty
    assert list(part.status.columns) == list(portfolio.status.columns)


def test_split_rejects_unknown_projects_and_tables(portfolio: Portfolio) -> None:
    with pytest.raises(ValidationError, match="P-999 not in"):
        split_portfolio(portfolio, ["P-001", "P-999"])
    with pytest.raises(ValidationError, match="taks is not a table"):
        split_portfolio(portfolio, tables=["taks"])
    with pytest.raises(ValidationError, match="batch_size: 0"):
        batch_portfolios(portfolio, 0)


# --- per-project results -----------------------------------------------------


def test_seed_follows_the_documented_rule() -> None:
    assert project_seed(2026, "P-001") == _seed(2026, "P-001")
    assert project_seed(7, "P-123") == _seed(7, "P-123")
    assert project_seed(7, "P-123") != project_seed(8, "P-123")


def test_each_row_equals_the_schedule_risk_of_that_project_alone(
    portfolio: Portfolio, serial: pd.DataFrame
) -> None:
    assert list(serial.columns) == RISK_COLUMNS
    assert serial["project_id"].tolist() == portfolio.project_ids
    rows = serial.set_index("project_id")
    closed = portfolio.projects.loc[
        portfolio.projects["phase"] == "closed", "project_id"
    ]
    assert len(closed) > 0
    for pid in portfolio.project_ids:
        row = rows.loc[pid]
        assert row["seed"] == _seed(SEED, pid)
        if pid in set(closed):
            assert row["state"] == "no work left"
            assert pd.isna(row["p50"])
            assert pd.isna(row["probability_on_time"])
            continue
        # the whole portfolio, the report's own path (Portfolio.for_project)
        alone = schedule_risk(
            portfolio, pid, iterations=ITERATIONS, seed=_seed(SEED, pid)
        )
        assert row["state"] == "simulated"
        assert row["p50"] == alone.p50
        assert row["p80"] == alone.simulation.percentile_date(0.8)
        assert row["p90"] == alone.simulation.percentile_date(0.9)
        assert row["forecast_finish"] == alone.forecast_finish
        assert row["probability_on_time"] == alone.probability_on_time
        assert row["top_driver"] == alone.drivers["task_id"].iloc[0]
        assert row["tasks"] == (portfolio.tasks["project_id"] == pid).sum()
        assert row["p50"] <= row["p80"] <= row["p90"]


def test_a_later_as_of_forecasts_from_it_and_never_earlier(
    portfolio: Portfolio, serial: pd.DataFrame
) -> None:
    as_of = pd.Timestamp("2026-08-03")
    later = portfolio_schedule_risk(
        portfolio, iterations=ITERATIONS, seed=SEED, as_of="2026-08-03"
    )
    simulated = later["state"] == "simulated"
    assert (later.loc[simulated, "forecast_from"] == as_of).all()
    # nothing progressed since the status date, so no finish comes earlier
    assert (later.loc[simulated, "p50"] >= serial.loc[simulated, "p50"]).all()
    assert (later.loc[simulated, "forecast_finish"] > as_of).all()


def test_bad_parameters_are_one_line_errors(portfolio: Portfolio) -> None:
    with pytest.raises(ValidationError, match=r"iterations.*100 to 1,000,000"):
        portfolio_schedule_risk(portfolio, iterations=10)
    with pytest.raises(ValidationError, match="client: 42 is not a Dask client"):
        portfolio_schedule_risk(portfolio, iterations=ITERATIONS, client=42)


def test_missing_dask_names_the_install(
    portfolio: Portfolio, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "distributed", None)
    with pytest.raises(MissingDependencyError) as caught:
        portfolio_schedule_risk(portfolio, iterations=ITERATIONS, client="tcp://x:1")
    message = str(caught.value)
    assert "pip install 'pmo-kit[dask]'" in message
    assert "\n" not in message


# --- on a real Dask cluster --------------------------------------------------


def test_dask_results_are_identical_to_the_serial_run(
    portfolio: Portfolio, serial: pd.DataFrame
) -> None:
    require_dask()
    from distributed import Client

    with dask_cluster(workers=2) as cluster:
        by_address = portfolio_schedule_risk(
            portfolio,
            iterations=ITERATIONS,
            seed=SEED,
            client=cluster.address,
            batch_size=5,
        )
        with Client(cluster.address) as client:
            by_client = portfolio_schedule_risk(
                portfolio, iterations=ITERATIONS, seed=SEED, client=client, batch_size=1
            )
            workers = client.run(lambda: "ok")
    assert len(workers) == 2
    pd.testing.assert_frame_equal(by_address, serial)
    pd.testing.assert_frame_equal(by_client, serial)


def test_bad_client_address_is_one_line(
    portfolio: Portfolio, monkeypatch: pytest.MonkeyPatch
) -> None:
    require_dask()
    import pmo_kit.scale.cluster

    monkeypatch.setattr(pmo_kit.scale.cluster, "CONNECT_TIMEOUT", 3)
    for address in ("tcp://127.0.0.1:1", "nonsense://nowhere"):
        with pytest.raises(PMOError) as caught:
            portfolio_schedule_risk(portfolio, iterations=ITERATIONS, client=address)
        message = str(caught.value)
        assert isinstance(caught.value, ValidationError)
        assert message.startswith("client: no Dask scheduler answered at"), message
        assert address in message
        assert "\n" not in message
