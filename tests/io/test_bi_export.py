"""``export_bi`` / ``pmo-kit export bi``: a star schema with the kit's KPIs."""

from __future__ import annotations

import csv
import math
import sys
from typing import TYPE_CHECKING

import pandas as pd
import pytest
from click.testing import CliRunner

from pmo_kit import MissingDependencyError
from pmo_kit.cli_io_misc import export_bi_command
from pmo_kit.data.portfolio import bundled_dataset_path, load_portfolio
from pmo_kit.evm import (
    cost_performance_index,
    portfolio_performance,
    schedule_performance_index,
)
from pmo_kit.io.bi import BI_TABLES, export_bi
from pmo_kit.risk import score

if TYPE_CHECKING:
    from pathlib import Path

DATASET = bundled_dataset_path()


@pytest.fixture(scope="module")
def exported(tmp_path_factory):
    out = tmp_path_factory.mktemp("bi")
    portfolio = load_portfolio(DATASET)
    return portfolio, export_bi(portfolio, out), out


def _csv(out: Path, name: str) -> pd.DataFrame:
    return pd.read_csv(out / f"{name}.csv", keep_default_na=True)


def test_every_table_is_written_as_csv_and_parquet(exported):
    _, _, out = exported
    for name in BI_TABLES:
        assert (out / f"{name}.csv").exists()
        assert (out / f"{name}.parquet").exists()
    assert (out / "README.txt").read_text().startswith("BI export of")
    dictionary = _csv(out, "data_dictionary")
    assert set(dictionary.columns) >= {"table", "column", "type", "meaning", "unit"}
    for name in BI_TABLES:
        with (out / f"{name}.csv").open() as handle:
            header = next(csv.reader(handle))
        listed = dictionary.loc[dictionary["table"] == name, "column"].tolist()
        assert header == listed, name


def test_latest_kpis_equal_the_kits_portfolio_rollup(exported):
    portfolio, result, _ = exported
    facts = result.tables["fact_status"]
    latest = facts.sort_values("status_date").groupby("project_id").tail(1)
    latest = latest.set_index("project_id")
    rollup = portfolio_performance(portfolio).set_index("project_id")
    reporting = rollup[rollup["status_date"].notna()]
    assert len(reporting) >= 3
    for pid in reporting.index:
        for column in ("pv", "ev", "ac", "spi", "cpi", "spi_t", "ieac_t"):
            assert latest.loc[pid, column] == pytest.approx(
                reporting.loc[pid, column], rel=1e-9, nan_ok=True
            ), (pid, column)
        assert latest.loc[pid, "eac"] == pytest.approx(
            reporting.loc[pid, "eac_cpi"], rel=1e-9, nan_ok=True
        )
        for column in ("schedule_rag", "cost_rag", "overall_rag"):
            assert latest.loc[pid, column] == reporting.loc[pid, column]
    spi = schedule_performance_index(facts["ev"], facts["pv"])
    cpi = cost_performance_index(facts["ev"], facts["ac"])
    pd.testing.assert_series_equal(facts["spi"], spi, check_names=False)
    pd.testing.assert_series_equal(facts["cpi"], cpi, check_names=False)


def test_one_status_row_recomputed_by_hand(exported):
    _, _, out = exported
    with (DATASET / "status.csv").open() as handle:
        rows = [r for r in csv.DictReader(handle) if r["project_id"] == "P-001"]
    with (DATASET / "projects.csv").open() as handle:
        bac = next(
            float(r["budget"])
            for r in csv.DictReader(handle)
            if r["project_id"] == "P-001"
        )
    row = rows[3]
    pv, ev, ac = float(row["pv"]), float(row["ev"]), float(row["ac"])
    facts = _csv(out, "fact_status")
    fact = facts[
        (facts["project_id"] == "P-001") & (facts["status_date"] == row["status_date"])
    ]
    assert len(fact) == 1
    got = fact.iloc[0]
    assert got["spi"] == pytest.approx(ev / pv, rel=1e-12)
    assert got["cpi"] == pytest.approx(ev / ac, rel=1e-12)
    assert got["sv"] == pytest.approx(ev - pv, abs=1e-6)
    assert got["cv"] == pytest.approx(ev - ac, abs=1e-6)
    assert got["eac"] == pytest.approx(bac / (ev / ac), rel=1e-12)
    assert got["vac"] == pytest.approx(bac - bac / (ev / ac), rel=1e-9)


def test_risk_scores_equal_the_risk_module(exported):
    portfolio, result, _ = exported
    facts = result.tables["fact_risk"].set_index(["project_id", "risk_id"])
    scored = score(portfolio.risks).set_index(["project_id", "risk_id"])
    for column in ("inherent_score", "residual_score", "exposure", "emv"):
        assert facts[column].to_numpy() == pytest.approx(
            scored.loc[facts.index, column].to_numpy(dtype=float), nan_ok=True
        )
    assert (facts["rating"] == scored.loc[facts.index, "rating"]).all()
    # by hand: one risk's inherent score is probability x impact
    first = portfolio.risks.iloc[0]
    key = (first["project_id"], first["risk_id"])
    assert facts.loc[key, "inherent_score"] == first["probability"] * first["impact"]


def test_parquet_reads_back_equal_to_csv(exported):
    pq = pytest.importorskip("pyarrow.parquet")
    _, _, out = exported
    for name, columns in BI_TABLES.items():
        parquet = pq.read_table(out / f"{name}.parquet").to_pandas()
        dates = [c for c, kind, _, _ in columns if kind == "date"]
        text = pd.read_csv(out / f"{name}.csv", parse_dates=dates)
        assert list(parquet.columns) == list(text.columns)
        assert len(parquet) == len(text), name
        for column, kind, _, _ in columns:
            a, b = parquet[column], text[column]
            if kind == "float":
                assert a.to_numpy(dtype=float) == pytest.approx(
                    b.to_numpy(dtype=float), rel=0, abs=0, nan_ok=True
                ), (name, column)
            elif kind == "date":
                assert (
                    pd.to_datetime(a).fillna(pd.Timestamp(0))
                    == b.fillna(pd.Timestamp(0))
                ).all()
            elif kind in ("int", "bool"):
                assert [None if pd.isna(x) else int(x) for x in a] == [
                    None if pd.isna(x) else int(x) for x in b
                ], (name, column)
            else:
                assert [None if pd.isna(x) else str(x) for x in a] == [
                    None if pd.isna(x) else str(x) for x in b
                ], (name, column)


KEYS = {
    "dim_project": ["project_id"],
    "dim_resource": ["resource_id"],
    "dim_date": ["date"],
    "dim_risk_category": ["category"],
    "dim_rag": ["rag"],
    "fact_status": ["project_id", "status_date"],
    "fact_task": ["project_id", "task_id"],
    "fact_risk": ["project_id", "risk_id"],
    "fact_assignment": ["project_id", "task_id", "resource_id"],
}


def test_keys_are_unique_and_facts_point_into_dimensions(exported):
    _, result, _ = exported
    t = result.tables
    for name, key in KEYS.items():
        assert not t[name].duplicated(key).any(), name
        assert t[name][key].notna().all().all(), name

    def inside(values: pd.Series, table: str, column: str) -> None:
        missing = set(values.dropna()) - set(t[table][column])
        assert not missing, (table, column, sorted(missing)[:3])

    projects = t["dim_project"]["project_id"]
    for fact in ("fact_status", "fact_task", "fact_risk", "fact_assignment"):
        inside(t[fact]["project_id"], "dim_project", "project_id")
    inside(t["fact_status"]["status_date"], "dim_date", "date")
    inside(t["fact_task"]["baseline_start"], "dim_date", "date")
    inside(t["fact_task"]["baseline_finish"], "dim_date", "date")
    inside(t["fact_risk"]["raised_date"], "dim_date", "date")
    inside(t["fact_risk"]["category"], "dim_risk_category", "category")
    inside(t["fact_risk"]["owner"], "dim_resource", "resource_id")
    inside(t["fact_assignment"]["resource_id"], "dim_resource", "resource_id")
    inside(t["dim_project"]["manager_id"], "dim_resource", "resource_id")
    for column in ("schedule_rag", "cost_rag", "overall_rag"):
        inside(t["fact_status"][column], "dim_rag", "rag")
    pairs = set(
        zip(t["fact_task"]["project_id"], t["fact_task"]["task_id"], strict=True)
    )
    assert (
        set(
            zip(
                t["fact_assignment"]["project_id"],
                t["fact_assignment"]["task_id"],
                strict=True,
            )
        )
        <= pairs
    )
    assert len(projects) == 10


def test_task_earned_value_by_hand(exported):
    _, result, _ = exported
    tasks = result.tables["fact_task"].set_index(["project_id", "task_id"])
    with (DATASET / "tasks.csv").open() as handle:
        row = next(
            r
            for r in csv.DictReader(handle)
            if float(r["percent_complete"]) not in (0, 100)
        )
    got = tasks.loc[(row["project_id"], row["task_id"]), "earned_value"]
    expected = float(row["budgeted_cost"]) * float(row["percent_complete"]) / 100
    assert math.isclose(got, expected, rel_tol=1e-12)


def test_without_pyarrow_one_line_and_nothing_written(tmp_path, monkeypatch):
    monkeypatch.setitem(sys.modules, "pyarrow.parquet", None)
    out = tmp_path / "bi"
    with pytest.raises(MissingDependencyError) as info:
        export_bi(load_portfolio(DATASET), out)
    assert str(info.value) == (
        "Parquet needs pyarrow: pip install 'pmo-kit[bi]' (or --format csv)"
    )
    assert not out.exists()
    result = CliRunner().invoke(export_bi_command, [str(DATASET), "-o", str(out)])
    assert result.exit_code == 1
    assert result.output == (
        "Error: Parquet needs pyarrow: pip install 'pmo-kit[bi]' (or --format csv)\n"
    )
    # CSV alone still works without pyarrow
    result = CliRunner().invoke(
        export_bi_command, [str(DATASET), "-o", str(out), "--format", "csv"]
    )
    assert result.exit_code == 0, result.output
    assert (out / "fact_status.csv").exists()
    assert not list(out.glob("*.parquet"))


def test_cli_bad_dataset_is_one_line(tmp_path):
    result = CliRunner().invoke(
        export_bi_command, [str(tmp_path / "nope"), "-o", str(tmp_path)]
    )
    assert result.exit_code == 1
    assert result.output.count("\n") == 1
    assert "is not a dataset folder" in result.output
