"""Loaders against bad input: every message names file, row, column and value."""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd
import pytest

import pmo_kit
from pmo_kit import ValidationError
from pmo_kit.data.schemas import SCHEMAS, data_dictionary_markdown
from pmo_kit.data.tables import read_table, validate_frame, write_table

if TYPE_CHECKING:
    from collections.abc import Callable


def _rewrite(path: Path, edit: Callable[[pd.DataFrame], pd.DataFrame | None]) -> None:
    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    changed = edit(frame)
    (frame if changed is None else changed).to_csv(path, index=False)


def _load_error(folder: Path) -> ValidationError:
    with pytest.raises(ValidationError) as info:
        pmo_kit.load_portfolio(folder)
    return info.value


def test_bundled_sample_loads_typed(sample):
    assert sample.name == "Meridian Works"
    assert pd.api.types.is_datetime64_any_dtype(sample.projects["start"])
    assert str(sample.tasks["duration"].dtype) == "Int64"
    assert set(sample.tables()) == set(SCHEMAS)


def test_missing_column_is_named(dataset_copy):
    _rewrite(dataset_copy / "tasks.csv", lambda f: f.drop(columns=["duration"]))
    message = str(_load_error(dataset_copy))
    assert "tasks.csv" in message
    assert "missing column 'duration'" in message
    assert "Expected columns: project_id, task_id" in message


def test_wrong_type_names_file_row_column_value_and_rule(dataset_copy):
    _rewrite(
        dataset_copy / "tasks.csv", lambda f: f.loc.__setitem__((3, "duration"), "five")
    )
    message = str(_load_error(dataset_copy))
    assert re.search(
        r"tasks\.csv, row 5, column 'duration': 'five' is not a whole number", message
    )
    assert "Allowed: whole numbers >= 0 (working days)" in message


def test_value_not_allowed_lists_allowed(dataset_copy):
    _rewrite(
        dataset_copy / "projects.csv",
        lambda f: f.loc.__setitem__((0, "methodology"), "waterfall"),
    )
    message = str(_load_error(dataset_copy))
    assert (
        "projects.csv, row 2, column 'methodology': 'waterfall' is not allowed"
        in message
    )
    assert "one of 'predictive', 'agile', 'hybrid'" in message


def test_out_of_range_and_bad_date(dataset_copy):
    def edit(f):
        f.loc[0, "probability"] = "7"
        f.loc[1, "raised_date"] = "31/12/2025"

    _rewrite(dataset_copy / "risks.csv", edit)
    error = _load_error(dataset_copy)
    assert "row 2, column 'probability': 7 is out of range" in str(error)
    assert "Allowed: whole numbers from 1 to 5" in str(error)
    assert any(
        "row 3, column 'raised_date': '31/12/2025' is not a valid date" in p
        for p in error.problems
    )
    assert "(+1 more problem)" in str(error)


def test_duplicate_key(dataset_copy):
    def edit(f):
        f.loc[len(f)] = f.loc[0]

    _rewrite(dataset_copy / "resources.csv", edit)
    message = str(_load_error(dataset_copy))
    assert "resources.csv" in message
    assert "duplicate key (resource_id='R-001'), first used on row 2" in message


def test_dangling_foreign_key(dataset_copy):
    _rewrite(
        dataset_copy / "assignments.csv",
        lambda f: f.loc.__setitem__((0, "resource_id"), "R-999"),
    )
    message = str(_load_error(dataset_copy))
    assert (
        "assignments.csv, row 2, column 'resource_id': 'R-999' is not a resource_id"
        in message
    )
    assert "resources.csv" in message


def test_dependency_to_unknown_task_names_project(dataset_copy):
    _rewrite(
        dataset_copy / "dependencies.csv",
        lambda f: f.loc.__setitem__((0, "successor"), "T-NOPE"),
    )
    message = str(_load_error(dataset_copy))
    assert (
        "dependencies.csv, row 2, column 'successor': 'T-NOPE' is not a task_id "
        "of project" in message
    )


def test_empty_file(dataset_copy):
    (dataset_copy / "lessons.csv").write_bytes(b"")
    message = str(_load_error(dataset_copy))
    assert "lessons.csv: file is empty" in message
    assert "lesson_id" in message


def test_non_utf8_file(dataset_copy):
    path = dataset_copy / "resources.csv"
    text = path.read_text(encoding="utf-8").replace(
        "\n", "\nR-777,Zoë,PM,,40,90,standard\n", 1
    )
    path.write_bytes(text.encode("latin-1"))
    message = str(_load_error(dataset_copy))
    assert "resources.csv, line 2: byte 0xeb is not valid UTF-8" in message
    assert "CSV UTF-8" in message


def test_missing_file(dataset_copy):
    (dataset_copy / "status.csv").unlink()
    assert "status.csv: file not found" in str(_load_error(dataset_copy))


def test_optional_agile_tables_may_be_absent(dataset_copy):
    for name in ("status_changes", "work_items", "sprints"):
        (dataset_copy / f"{name}.csv").unlink()
    portfolio = pmo_kit.load_portfolio(dataset_copy)
    assert portfolio.work_items.empty


def test_earned_value_above_budget(dataset_copy, sample):
    project = sample.status["project_id"].iloc[0]
    budget = float(sample.projects.set_index("project_id").loc[project, "budget"])

    def edit(f):
        f.loc[0, "ev"] = str(budget * 2)

    _rewrite(dataset_copy / "status.csv", edit)
    message = str(_load_error(dataset_copy))
    assert "status.csv, row 2, column 'ev'" in message
    assert "above the project's budget" in message


def test_malformed_charter_yaml_names_line(dataset_copy):
    charter = sorted((dataset_copy / "charters").glob("*.yaml"))[0]
    charter.write_text("project_id: [unclosed\n", encoding="utf-8")
    message = str(_load_error(dataset_copy))
    assert charter.name in message
    assert "not valid YAML" in message
    assert "line 2" in message or "line 1" in message


def test_validate_frame_accepts_typed_frames(sample):
    again = validate_frame(sample.tasks, "tasks")
    pd.testing.assert_frame_equal(again, sample.tasks)


def test_unknown_table_lists_known():
    with pytest.raises(ValidationError, match="Known tables: projects, tasks"):
        validate_frame(pd.DataFrame(), "task")


def test_write_then_read_round_trips(tmp_path, sample):
    write_table(sample.status_changes, tmp_path / "status_changes.csv")
    back = read_table(tmp_path / "status_changes.csv", "status_changes")
    pd.testing.assert_frame_equal(back, sample.status_changes)


def test_failed_save_leaves_existing_data_untouched(tmp_path, sample):
    target = tmp_path / "org"
    pmo_kit.save_portfolio(sample, target)
    before = {p.name: p.read_bytes() for p in target.glob("*.csv")}
    broken_tasks = sample.tasks.copy()
    broken_tasks.loc[0, "duration"] = -3
    from dataclasses import replace

    with pytest.raises(ValidationError, match="column 'duration'"):
        pmo_kit.save_portfolio(replace(sample, tasks=broken_tasks), target)
    after = {p.name: p.read_bytes() for p in target.glob("*.csv")}
    assert after == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["org"]  # no temp folder left


def test_data_dictionary_covers_every_column():
    text = data_dictionary_markdown()
    for schema in SCHEMAS.values():
        assert f"### `{schema.file_name}`" in text
        for column in schema.columns:
            assert f"| `{column.name}` |" in text


def test_committed_data_dictionary_is_current():
    readme = (Path(__file__).resolve().parents[2] / "datasets" / "README.md").read_text(
        encoding="utf-8"
    )
    assert data_dictionary_markdown().strip() in readme


def test_status_dated_after_the_reporting_date(dataset_copy, sample):
    project = sample.status["project_id"].iloc[0]

    def edit(f):
        row = f.index[f["project_id"] == project][-1]
        f.loc[row, "status_date"] = "2030-01-04"

    _rewrite(dataset_copy / "status.csv", edit)
    message = str(_load_error(dataset_copy))
    assert "status.csv, row" in message
    assert "'2030-01-04' is after the project's status_date in projects.csv" in message


def test_cumulative_actual_cost_going_down(dataset_copy):
    def edit(f):
        f.loc[3, "ac"] = "1"

    _rewrite(dataset_copy / "status.csv", edit)
    message = str(_load_error(dataset_copy))
    assert (
        "status.csv, row 5, column 'ac': 1.0 is lower than the actual cost" in message
    )
    assert "AC is a running total" in message


def test_negative_cost_is_refused(dataset_copy):
    _rewrite(dataset_copy / "status.csv", lambda f: f.loc.__setitem__((0, "pv"), "-10"))
    message = str(_load_error(dataset_copy))
    assert "status.csv, row 2, column 'pv': -10 is out of range" in message
