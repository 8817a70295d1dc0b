"""
Reports read a dataset kept in a database: ``-p dataset sqlite:///pmo.db``.

The parameter check lets a URL through (a relative SQLite file is made absolute,
since the kernel runs elsewhere), ``--all-projects`` reads the ids from the
database, a report on the database says what the same report on the folder says,
and a batch skips when no row changed and redoes when one did.
"""

from __future__ import annotations

import json
from dataclasses import replace
from typing import TYPE_CHECKING

import pytest

from pmo_kit import ReportParameterError
from pmo_kit.data.portfolio import bundled_dataset_path, load_portfolio, save_portfolio
from pmo_kit.reports import check_parameters, plan_batch, run_report
from pmo_kit.reports.batch import run_batch
from pmo_kit.store.urls import absolute_url
from tests.reports.sample_data import bundled_project_ids

if TYPE_CHECKING:
    from pathlib import Path


@pytest.fixture
def database(tmp_path: Path) -> str:
    url = f"sqlite:///{tmp_path / 'pmo.db'}"
    save_portfolio(load_portfolio(), url)
    return url


def test_a_url_passes_the_dataset_check(database: str) -> None:
    values = check_parameters("project-status", project_id="P-003", dataset=database)
    assert values["dataset"] == database


def test_an_unknown_project_is_named_against_the_database(database: str) -> None:
    with pytest.raises(
        ReportParameterError, match="'P-099' is not a project in sqlite"
    ):
        check_parameters("project-status", project_id="P-099", dataset=database)


def test_all_projects_come_from_the_database(database: str) -> None:
    jobs = plan_batch(
        "project-status", all_projects=True, parameters={"dataset": database}
    )
    assert [job.parameters["project_id"] for job in jobs] == bundled_project_ids()


def test_a_relative_sqlite_file_is_made_absolute(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    assert absolute_url("sqlite:///pmo.db") == f"sqlite:///{tmp_path / 'pmo.db'}"


@pytest.mark.notebook
def test_report_and_batch_on_a_database(database: str, tmp_path: Path) -> None:
    on_db = run_report(
        "project-status",
        parameters={"project_id": "P-003", "dataset": database},
        output_dir=tmp_path / "db",
        html=False,
    )
    on_folder = run_report(
        "project-status",
        parameters={"project_id": "P-003", "dataset": str(bundled_dataset_path())},
        output_dir=tmp_path / "folder",
        html=False,
    )
    db_summary = json.loads(on_db.summary_path.read_text())
    folder_summary = json.loads(on_folder.summary_path.read_text())
    assert db_summary == folder_summary

    out = tmp_path / "batch"
    two = ["P-001", "P-002"]
    common = {"dataset": database}
    first = run_batch(
        "project-status", output_dir=out, projects=two, parameters=common, html=False
    )
    assert (sorted(first.done), first.failed) == (two, [])
    again = run_batch(
        "project-status", output_dir=out, projects=two, parameters=common, html=False
    )
    assert (again.done, sorted(again.skipped)) == ([], two)
    # a PM renames a project in the shared database: the batch's input changed
    portfolio = load_portfolio(database)
    projects = portfolio.projects.copy()
    projects.loc[projects["project_id"] == "P-002", "name"] = "Renamed by a PM"
    save_portfolio(replace(portfolio, projects=projects), database)
    third = run_batch(
        "project-status", output_dir=out, projects=two, parameters=common, html=False
    )
    assert sorted(third.done) == two
    summary = json.loads((out / "P-002" / "summary.json").read_text())
    assert summary["project_name"] == "Renamed by a PM"
