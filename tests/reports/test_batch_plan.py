"""Planning a batch: selections, grid files, keys and bad input (no kernel runs)."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

import pytest

from pmo_kit import ReportParameterError
from pmo_kit.reports.batch_plan import plan_batch
from tests.reports.sample_data import bundled_project_ids

if TYPE_CHECKING:
    from pathlib import Path


def test_all_projects_is_every_project_of_the_dataset_in_file_order():
    jobs = plan_batch("project-status", all_projects=True)
    assert [j.key for j in jobs] == bundled_project_ids()
    assert [j.parameters["project_id"] for j in jobs] == bundled_project_ids()


def test_common_parameters_reach_every_run():
    jobs = plan_batch(
        "project-status",
        projects="P-001, P-003",
        parameters={"status_date": "2026-05-29"},
    )
    assert [j.parameters for j in jobs] == [
        {"project_id": "P-001", "status_date": "2026-05-29"},
        {"project_id": "P-003", "status_date": "2026-05-29"},
    ]


def test_unknown_project_names_the_file_and_the_allowed_ids():
    with pytest.raises(
        ReportParameterError, match=r"'P-099' is not a project in .*projects.csv"
    ):
        plan_batch("project-status", projects=["P-001", "P-099"])


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({}, "choose exactly one of --all-projects"),
        ({"all_projects": True, "projects": "P-001"}, "choose exactly one"),
        ({"projects": " , "}, "no project id given"),
        ({"projects": "P-001", "parameters": {"project_id": "P-002"}}, "leave out -p"),
        (
            {"projects": "P-001", "parameters": {"output_json": "x"}},
            "set by the runner",
        ),
    ],
)
def test_bad_selections_say_what_is_allowed(kwargs, message):
    with pytest.raises(ReportParameterError, match=message):
        plan_batch("project-status", **kwargs)


def test_a_report_without_project_id_needs_a_grid():
    with pytest.raises(ReportParameterError, match=r"no project_id parameter.*--grid"):
        plan_batch("portfolio-overview", all_projects=True)


def test_csv_grid_one_run_per_row_keyed_by_what_varies(tmp_path: Path) -> None:
    grid = tmp_path / "weeks.csv"
    grid.write_text(
        "project_id,status_date\nP-003,2026-05-29\nP-003,2026-06-26\nP-004,2026-06-26\n",
        encoding="utf-8",
    )
    jobs = plan_batch("project-status", grid=grid)
    assert [j.key for j in jobs] == [
        "P-003_2026-05-29",
        "P-003_2026-06-26",
        "P-004_2026-06-26",
    ]
    assert jobs[1].parameters == {"project_id": "P-003", "status_date": "2026-06-26"}


def test_yaml_and_json_grids(tmp_path: Path) -> None:
    yaml_grid = tmp_path / "grid.yaml"
    yaml_grid.write_text(
        "- as_of: '2026-05-29'\n- as_of: '2026-06-26'\n", encoding="utf-8"
    )
    assert [j.key for j in plan_batch("portfolio-overview", grid=yaml_grid)] == [
        "2026-05-29",
        "2026-06-26",
    ]
    json_grid = tmp_path / "grid.json"
    json_grid.write_text(json.dumps([{"as_of": "2026-06-26"}]), encoding="utf-8")
    only = plan_batch("portfolio-overview", grid=json_grid)
    assert len(only) == 1
    assert only[0].key == "run-001"  # nothing varies: numbered
    assert only[0].parameters == {"as_of": "2026-06-26"}


def test_bad_grid_row_is_named_by_file_and_row(tmp_path: Path) -> None:
    grid = tmp_path / "weeks.csv"
    grid.write_text(
        "project_id,status_date\nP-003,2026-05-29\nP-003,2026-13-01\nP-077,\n",
        encoding="utf-8",
    )
    with pytest.raises(ReportParameterError) as info:
        plan_batch("project-status", grid=grid)
    message = str(info.value)
    assert message.startswith(f"{grid} row 3: ")  # header is row 1
    assert "2026-13-01" in message
    assert message.endswith("(and 1 more bad row)")
    assert "\n" not in message


@pytest.mark.parametrize(
    ("name", "text", "message"),
    [
        ("grid.txt", "x", "unknown file type"),
        ("grid.yaml", "as_of: x\n", "expected a list of mappings"),
        ("grid.csv", "project_id\n", "has no rows"),
        ("grid.csv", "budget\n1\n", "'budget' is not a parameter"),
        (
            "grid.csv",
            "project_id\nP-001\nP-001\n",
            "runs 1 and 2 have the same parameters",
        ),
    ],
)
def test_bad_grid_files(tmp_path: Path, name: str, text: str, message: str) -> None:
    grid = tmp_path / name
    grid.write_text(text, encoding="utf-8")
    with pytest.raises(ReportParameterError, match=message):
        plan_batch("project-status", grid=grid)


def test_missing_grid_file(tmp_path: Path) -> None:
    with pytest.raises(ReportParameterError, match="does not exist"):
        plan_batch("project-status", grid=tmp_path / "nope.csv")


def test_keys_are_safe_folder_names(tmp_path: Path) -> None:
    grid = [{"as_of": "2026-05-29", "dataset": ""}, {"as_of": "2026-06-26"}]
    keys = [j.key for j in plan_batch("portfolio-overview", grid=grid)]
    assert keys == ["2026-05-29", "2026-06-26"]
    assert all("/" not in k and not k.startswith(".") for k in keys)


def test_second_batch_on_the_same_folder_is_refused(tmp_path: Path) -> None:
    from pmo_kit.reports.batch import run_batch
    from pmo_kit.reports.batch_manifest import batch_lock

    out = tmp_path / "out"
    out.mkdir()
    with batch_lock(out), pytest.raises(ReportParameterError) as info:
        run_batch("project-status", projects="P-001", output_dir=out)
    assert str(info.value).startswith(f"another batch is writing to {out} (pid ")
    assert not (out / "P-001").exists()


def test_folder_of_another_reports_batch_is_refused(tmp_path: Path) -> None:
    from pmo_kit.reports.batch import run_batch

    out = tmp_path / "out"
    out.mkdir()
    (out / "manifest.json").write_text(
        '{"report": "risk", "jobs": {}}', encoding="utf-8"
    )
    with pytest.raises(ReportParameterError, match="holds a batch of report 'risk'"):
        run_batch("project-status", projects="P-001", output_dir=out)
