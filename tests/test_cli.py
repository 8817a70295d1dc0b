"""The command line: one clear line and exit status 1 for every user mistake."""

from __future__ import annotations

import subprocess
import sys

import pandas as pd
import pytest
from click.testing import CliRunner, Result

from pmo_kit.cli import cli


def run(*args: str) -> Result:
    return CliRunner().invoke(cli, list(args))


def test_version_and_help():
    assert run("--version").exit_code == 0
    result = run("--help")
    assert result.exit_code == 0
    assert "report" in result.output
    assert "data" in result.output


def test_validate_bundled_sample():
    result = run("data", "validate")
    assert result.exit_code == 0, result.output
    assert result.output.startswith("OK: Meridian Works")


def test_validate_corrupted_dataset_is_one_line(dataset_copy):
    frame = pd.read_csv(dataset_copy / "tasks.csv", dtype=str, keep_default_na=False)
    frame.loc[0, "duration"] = "abc"
    frame.to_csv(dataset_copy / "tasks.csv", index=False)
    result = run("data", "validate", str(dataset_copy))
    assert result.exit_code == 1
    lines = result.output.strip().splitlines()
    assert len(lines) == 1
    assert (
        "tasks.csv, row 2, column 'duration': 'abc' is not a whole number" in lines[0]
    )
    assert "Traceback" not in result.output


def test_real_process_shows_no_traceback(dataset_copy):
    (dataset_copy / "risks.csv").write_bytes(b"\xff\xfe garbage")
    proc = subprocess.run(
        [sys.executable, "-m", "pmo_kit", "data", "validate", str(dataset_copy)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 1
    assert proc.stdout == ""
    assert len(proc.stderr.strip().splitlines()) == 1
    assert "risks.csv, line 1: byte 0xff is not valid UTF-8" in proc.stderr


def test_report_list_and_describe():
    listing = run("report", "list")
    assert "portfolio-overview" in listing.output
    described = run("report", "describe", "portfolio-overview")
    assert "as_of" in described.output
    assert "YYYY-MM-DD" in described.output
    assert "output_json" not in described.output


def test_unknown_report_lists_available():
    result = run("report", "run", "portfolio-overveiw")
    assert result.exit_code == 1
    assert "'portfolio-overveiw' is not a report. Available reports: " in result.output
    listed = result.output.split("Available reports: ")[1].strip().split(", ")
    assert listed == sorted(listed)
    assert {"portfolio-overview", "project-status", "schedule-risk"} <= set(listed)


def test_bad_parameter_fails_before_running(tmp_path):
    result = run(
        "report",
        "run",
        "portfolio-overview",
        "-p",
        "as_of",
        "June",
        "-o",
        str(tmp_path),
    )
    assert result.exit_code == 1
    assert "parameter 'as_of' of report 'portfolio-overview': 'June' is not a date" in (
        result.output
    )
    assert list(tmp_path.iterdir()) == []
    unknown = run(
        "report",
        "run",
        "portfolio-overview",
        "-p",
        "project",
        "P-001",
        "-o",
        str(tmp_path),
    )
    assert (
        "'project' is not a parameter of report 'portfolio-overview'. Known parameters:"
        in (unknown.output)
    )


def test_generate_refuses_to_overwrite_without_force(dataset_copy):
    result = run("data", "generate", "--projects", "3", "--out", str(dataset_copy))
    assert result.exit_code == 1
    assert "--force" in result.output


def test_generate_small_organisation(tmp_path):
    out = tmp_path / "org"
    result = run(
        "data", "generate", "--seed", "5", "--projects", "4", "--out", str(out)
    )
    assert result.exit_code == 0, result.output
    assert "4 projects" in result.output
    assert (out / "projects.csv").is_file()
    assert run("data", "validate", str(out)).exit_code == 0


def test_parameter_out_of_declared_range_fails_before_running(tmp_path):
    out = tmp_path / "never"
    result = run(
        "report", "run", "schedule-risk", "-p", "confidence", "1.5", "-o", str(out)
    )
    assert result.exit_code == 1
    assert (
        "'confidence' of report 'schedule-risk': 1.5 is out of range" in result.output
    )
    assert "Allowed: [0.5, 1)" in result.output
    assert not out.exists()
    low = run(
        "report", "run", "schedule-risk", "-p", "iterations", "10", "-o", str(out)
    )
    assert "Allowed: [100, 200000]" in low.output


def test_charter_check_reviews_a_dataset_folder(dataset_copy):
    result = run("charter", "check", str(dataset_copy / "charters"))
    assert result.exit_code == 1
    lines = result.output.strip().splitlines()
    assert lines[-1] == "Error: 2 of 10 charter(s) need fixing"
    p002 = [line for line in lines if "P-002.yaml" in line]
    assert any("error [no-scope-out] scope_out:" in line for line in p002)
    # P-010 is still in initiation (projects.csv), so unapproved is a warning only
    assert any("P-010.yaml: warning [not-approved]" in line for line in lines)
    assert f"{dataset_copy / 'charters' / 'P-001.yaml'}: OK" in lines


def test_charter_check_good_file_and_strict(dataset_copy):
    p010 = dataset_copy / "charters" / "P-010.yaml"
    assert (
        run("charter", "check", str(dataset_copy / "charters" / "P-001.yaml")).exit_code
        == 0
    )
    assert run("charter", "check", str(p010)).exit_code == 0
    strict = run("charter", "check", "--strict", str(p010))
    assert strict.exit_code == 1
    assert (
        strict.output.strip().splitlines()[-1] == "Error: 1 of 1 charter(s) need fixing"
    )


def test_charter_check_malformed_yaml_is_one_finding(tmp_path):
    bad = tmp_path / "P-009.yaml"
    bad.write_text("project_id: P-009\ntitle: [unclosed\n", encoding="utf-8")
    before = bad.read_bytes()
    result = run("charter", "check", str(bad))
    assert result.exit_code == 1
    lines = result.output.strip().splitlines()
    assert len(lines) == 2  # the finding, then the count (the check goes on)
    assert lines[0].startswith(f"{bad}: error [unreadable]")
    assert "line 3" in lines[0]
    assert lines[1].startswith("Error: 1 of 1 charter(s) need fixing")
    assert bad.read_bytes() == before


def test_generate_defaults_are_the_library_defaults():
    from pmo_kit import generate_organisation
    from pmo_kit.cli import GENERATOR_DEFAULTS

    library = generate_organisation.__kwdefaults__ or {}
    assert {key: library[key] for key in GENERATOR_DEFAULTS} == GENERATOR_DEFAULTS


def test_help_does_not_import_pandas():
    proc = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "pmo_kit", "--help"],
        capture_output=True,
        text=True,
        check=True,
    )
    imported = {line.split("|")[-1].strip() for line in proc.stderr.splitlines()}
    assert "pmo_kit.cli" in imported  # the import log is read right
    assert not {"pandas", "numpy", "papermill"} & imported


HEAVY = ("pandas", "numpy", "papermill", "nbconvert", "jupyter_client")


@pytest.mark.parametrize(
    "args",
    [
        ("report", "list"),
        ("report", "describe", "project-status"),
        ("report", "run", "project-status", "-p", "project_id", "P-999"),
        ("report", "run", "schedule-risk", "-p", "confidence", "1.5"),
    ],
)
def test_report_catalogue_answers_without_heavy_imports(args):
    code = (
        "import sys\n"
        "from pmo_kit.cli import main\n"
        "try:\n"
        f"    main({list(args)!r})\n"
        "except SystemExit:\n"
        "    pass\n"
        f"print('HEAVY', sorted(set({HEAVY!r}) & set(sys.modules)))\n"
    )
    proc = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert proc.stdout.strip().splitlines()[-1] == "HEAVY []"


def one_line_rejection(*args: str, status: int = 1) -> str:
    proc = subprocess.run(
        [sys.executable, "-m", "pmo_kit", *args],
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == status
    assert proc.stdout == ""
    lines = proc.stderr.splitlines()
    assert len(lines) == 1, proc.stderr
    return lines[0]


def test_rejections_are_one_line_before_any_kernel(tmp_path):
    out = tmp_path / "never"
    run_args = ("report", "run", "-o", str(out))
    unknown = one_line_rejection(
        *run_args, "project-status", "-p", "project_id", "P-999"
    )
    assert unknown.startswith(
        "Error: parameter 'project_id' of report 'project-status': 'P-999' is not a "
        "project in "
    )
    assert unknown.endswith("Allowed: " + ", ".join(f"P-{i:03d}" for i in range(1, 11)))
    case = one_line_rejection(*run_args, "resource-capacity", "-p", "dates", "Forecast")
    assert "'Forecast' is not a choice" in case
    assert case.endswith("Allowed: baseline, forecast")
    folder = one_line_rejection(
        *run_args, "portfolio-overview", "-p", "dataset", str(tmp_path / "acme")
    )
    assert f"folder {str(tmp_path / 'acme')!r} does not exist" in folder
    previous = one_line_rejection(
        *run_args, "risk", "-p", "previous", str(tmp_path / "old.csv")
    )
    assert f"file {str(tmp_path / 'old.csv')!r} does not exist" in previous
    runner_set = one_line_rejection(
        *run_args, "portfolio-overview", "-p", "output_json", "x.json"
    )
    assert "output_json are set by the runner; leave them out" in runner_set
    assert not out.exists()
    assert not [p for p in tmp_path.iterdir() if p.name != "never"]
    out.write_text("not a folder", encoding="utf-8")
    file_out = one_line_rejection(*run_args, "portfolio-overview", status=2)
    assert file_out.startswith("Error: Invalid value for '-o' / '--output-dir': ")
    assert file_out.endswith("is a file. (see: pmo-kit report run --help)")
    missing = one_line_rejection("report", "run", status=2)
    assert missing == (
        "Error: Missing argument 'NAME'. (see: pmo-kit report run --help)"
    )
