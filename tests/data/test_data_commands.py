"""`pmo-kit data validate`, `data generate` and `charter check` as a user meets them."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pandas as pd
import pytest
from click.testing import CliRunner, Result

from pmo_kit import cli as cli_module
from pmo_kit.cli import cli

if TYPE_CHECKING:
    from pathlib import Path


@pytest.fixture(autouse=True)
def _quick(monkeypatch: pytest.MonkeyPatch) -> None:
    """No progress lines unless a test asks: a busy machine must not add them."""
    monkeypatch.setattr(cli_module, "VALIDATE_PROGRESS_SECONDS", 3600.0)


def run(*args: str) -> Result:
    return CliRunner().invoke(cli, list(args))


def _bad_durations(folder: Path, count: int) -> None:
    frame = pd.read_csv(folder / "tasks.csv", dtype=str, keep_default_na=False)
    frame.loc[frame.index[:count], "duration"] = "abc"
    frame.to_csv(folder / "tasks.csv", index=False)


# ----------------------------------------------------------------- data validate


def test_validate_lists_twenty_problems_and_counts_the_rest(dataset_copy):
    _bad_durations(dataset_copy, 171)
    result = run("data", "validate", str(dataset_copy))
    assert result.exit_code == 1
    lines = result.output.strip().splitlines()
    assert len(lines) == 21  # 20 problems, then the count
    assert lines[0].endswith(
        "tasks.csv, row 2, column 'duration': 'abc' is not a whole number. "
        "Allowed: whole numbers >= 0 (working days)"
    )
    assert "tasks.csv, row 21, column 'duration'" in lines[19]
    assert lines[20] == (
        f"Error: 171 problems in {dataset_copy}; +151 more not listed "
        "(pass --all to list every one)"
    )


def test_validate_all_lists_every_problem(dataset_copy):
    _bad_durations(dataset_copy, 171)
    result = run("data", "validate", "--all", str(dataset_copy))
    assert result.exit_code == 1
    lines = result.output.strip().splitlines()
    assert len(lines) == 172
    assert "tasks.csv, row 172, column 'duration'" in lines[170]
    assert lines[171] == f"Error: 171 problems in {dataset_copy}"


def test_validate_names_an_empty_table(dataset_copy):
    lessons = dataset_copy / "lessons.csv"
    lessons.write_text(lessons.read_text("utf-8").splitlines()[0] + "\n", "utf-8")
    result = run("data", "validate", str(dataset_copy))
    assert result.exit_code == 0, result.output
    assert result.output.startswith("OK: Meridian Works")
    assert "0 lessons" in result.output
    assert result.output.strip().splitlines()[-1] == (
        "note: lessons.csv is empty (a header row and no records)"
    )


def test_validate_shows_progress_on_a_large_dataset(dataset_copy, monkeypatch):
    monkeypatch.setattr(cli_module, "VALIDATE_PROGRESS_BYTES", 1)
    result = run("data", "validate", str(dataset_copy))
    assert result.exit_code == 0, result.output
    lines = result.output.strip().splitlines()
    assert lines[0] == "checking projects.csv (1/13)"
    assert lines[1] == "checking tasks.csv (2/13)"
    assert lines[12] == "checking charters/ (13/13)"
    assert lines[13].startswith("OK: ")


def test_validate_shows_progress_once_it_takes_long(dataset_copy, monkeypatch):
    monkeypatch.setattr(cli_module, "VALIDATE_PROGRESS_SECONDS", 0.0)
    result = run("data", "validate", str(dataset_copy))
    assert result.output.startswith("checking projects.csv (1/13)\n")


def test_validate_small_quick_dataset_shows_no_progress(dataset_copy):
    result = run("data", "validate", str(dataset_copy))
    assert "checking" not in result.output


# ----------------------------------------------------------------- data generate


def test_generate_force_keeps_files_the_kit_did_not_make(tmp_path):
    out = tmp_path / "org"
    assert run("data", "generate", "--projects", "3", "--out", str(out)).exit_code == 0
    (out / "budget-notes.xlsx").write_bytes(b"not the kit's")
    refused = run("data", "generate", "--projects", "3", "--out", str(out))
    assert refused.exit_code == 1
    assert "--force" in refused.output
    result = run("data", "generate", "--projects", "4", "--force", "--out", str(out))
    assert result.exit_code == 0, result.output
    assert (out / "budget-notes.xlsx").read_bytes() == b"not the kit's"
    assert len(pd.read_csv(out / "projects.csv")) == 4
    assert sorted(p.name for p in tmp_path.iterdir()) == ["org"]


def test_generate_into_a_folder_without_a_dataset_needs_no_force(tmp_path):
    out = tmp_path / "team-a"
    out.mkdir()
    (out / "README.txt").write_text("workshop material", "utf-8")
    result = run("data", "generate", "--projects", "3", "--out", str(out))
    assert result.exit_code == 0, result.output
    assert (out / "README.txt").read_text("utf-8") == "workshop material"
    assert (out / "projects.csv").is_file()


# ---------------------------------------------------------------- charter check


def test_charter_check_goes_on_past_an_unreadable_charter(dataset_copy):
    charters = dataset_copy / "charters"
    (charters / "P-003.yaml").write_text("oops: [\n", "utf-8")
    result = run("charter", "check", str(charters))
    assert result.exit_code == 1
    lines = result.output.strip().splitlines()
    unreadable = [line for line in lines if "[unreadable]" in line]
    assert len(unreadable) == 1
    assert unreadable[0].startswith(f"{charters / 'P-003.yaml'}: error [unreadable] ")
    assert "is not valid YAML (line 2, column 1" in unreadable[0]
    # every other charter is still reviewed: P-001 is clean, P-010 after the bad one
    assert f"{charters / 'P-001.yaml'}: OK" in lines
    assert any(line.startswith(f"{charters / 'P-010.yaml'}: ") for line in lines)
    # P-002 has errors (datasets/README.md), P-003 could not be read
    assert lines[-1] == "Error: 2 of 10 charter(s) need fixing (1 could not be read)"


def test_charter_check_without_problems_reports_ok(dataset_copy):
    result = run("charter", "check", str(dataset_copy / "charters" / "P-001.yaml"))
    assert result.exit_code == 0, result.output
    assert result.output.strip().endswith("P-001.yaml: OK")
