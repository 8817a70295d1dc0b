"""
The report catalogue without a kernel: the parameters cell parser and early checks.

These run in the unit suite: nothing here starts a kernel.
"""

from __future__ import annotations

import ast
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from pmo_kit import ReportParameterError
from pmo_kit.reports import available_reports, check_parameters, describe_report

REPO = Path(__file__).resolve().parents[2]
MAX_CODE_LINES = 80


def test_parser_reads_every_report_as_papermill_does():
    from papermill import inspect_notebook  # the oracle: papermill's own reader

    for name, path in available_reports().items():
        theirs = [
            (p["name"], p["inferred_type_name"], p["default"], p["help"])
            for p in inspect_notebook(str(path)).values()
        ]
        ours = [
            (p.name, p.type_name, p.default, p.help)
            for p in describe_report(name).parameters
        ]
        assert ours == theirs, name


def _reports_with(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, cell: str) -> None:
    notebook = {
        "cells": [
            {"cell_type": "markdown", "id": "t", "metadata": {}, "source": "# X"},
            {
                "cell_type": "code",
                "id": "p",
                "metadata": {"tags": ["parameters"]},
                "source": cell,
                "outputs": [],
                "execution_count": None,
            },
        ],
        "metadata": {},
        "nbformat": 4,
        "nbformat_minor": 5,
    }
    folder = tmp_path / "reports"
    folder.mkdir()
    (folder / "x.ipynb").write_text(json.dumps(notebook), encoding="utf-8")
    monkeypatch.setenv("PMO_KIT_REPORTS", str(folder))


def test_line_papermill_cannot_read_is_refused(tmp_path, monkeypatch):
    _reports_with(
        tmp_path, monkeypatch, 'weeks: int = (\n    12\n)  # Weeks\nx: str = ""  # X'
    )
    with pytest.raises(ReportParameterError, match=r"line 1: .* cannot be read"):
        describe_report("x")


def test_parameter_without_help_is_refused(tmp_path, monkeypatch):
    _reports_with(tmp_path, monkeypatch, "weeks: int = 12\n")
    with pytest.raises(ReportParameterError, match="'weeks' has no help comment"):
        describe_report("x")


def test_choices_are_exact(tmp_path, monkeypatch):
    _reports_with(tmp_path, monkeypatch, 'mode: str = "a"  # Mode: {alpha, beta}')
    (param,) = describe_report("x").parameters
    assert param.choices == ("alpha", "beta")
    assert check_parameters("x", mode="beta") == {"mode": "beta"}
    with pytest.raises(ReportParameterError) as info:
        check_parameters("x", mode="Beta")
    assert str(info.value) == (
        "parameter 'mode' of report 'x': 'Beta' is not a choice (choices are "
        "case-sensitive: did you mean 'beta'?). Allowed: alpha, beta"
    )
    with pytest.raises(
        ReportParameterError, match=r"'gamma' is not a choice\. Allowed"
    ):
        check_parameters("x", mode="gamma")


def test_resource_capacity_declares_its_date_choices():
    with pytest.raises(ReportParameterError, match="did you mean 'forecast'"):
        check_parameters("resource-capacity", dates="Forecast")
    assert check_parameters("resource-capacity", dates="forecast")["dates"] == (
        "forecast"
    )


@pytest.fixture
def two_projects(tmp_path: Path) -> Path:
    """A dataset folder whose projects.csv lists Q-1 and Q-2 (written by hand)."""
    folder = tmp_path / "org"
    folder.mkdir()
    (folder / "projects.csv").write_text(
        "project_id,name\nQ-1,Depot\nQ-2,Ledger\n", encoding="utf-8"
    )
    return folder


def test_project_must_be_in_the_given_dataset(two_projects):
    dataset = str(two_projects)
    ok = check_parameters("project-status", project_id="Q-2", dataset=dataset)
    assert ok["project_id"] == "Q-2"
    with pytest.raises(ReportParameterError) as info:
        check_parameters("project-status", project_id="P-002", dataset=dataset)
    assert str(info.value) == (
        "parameter 'project_id' of report 'project-status': 'P-002' is not a "
        f"project in {two_projects / 'projects.csv'}. Allowed: Q-1, Q-2"
    )
    # the default project (P-002) is checked too when only the dataset is given
    with pytest.raises(ReportParameterError, match="'P-002' is not a project"):
        check_parameters("project-status", dataset=dataset)


def test_project_default_dataset_is_the_bundled_one():
    with pytest.raises(ReportParameterError) as info:
        check_parameters("schedule-risk", project_id="P-999")
    message = str(info.value)
    assert "'P-999' is not a project in " in message
    assert message.endswith("Allowed: " + ", ".join(f"P-{i:03d}" for i in range(1, 11)))
    assert check_parameters("schedule-risk", project_id="P-010")


def test_portfolio_wide_words_are_not_projects(two_projects):
    for value in ("", "all", "ALL"):
        checked = check_parameters("risk", project_id=value, dataset=str(two_projects))
        assert checked["project_id"] == value
    with pytest.raises(ReportParameterError, match="empty or all for the whole"):
        check_parameters("risk", project_id="Q-3", dataset=str(two_projects))


def test_missing_folder_and_file_fail_early(tmp_path, two_projects):
    missing = str(tmp_path / "nowhere")
    with pytest.raises(ReportParameterError) as info:
        check_parameters("portfolio-overview", dataset=missing)
    assert str(info.value) == (
        f"parameter 'dataset' of report 'portfolio-overview': folder {missing!r} "
        "does not exist. Allowed: Dataset folder; empty for the bundled sample "
        "organisation"
    )
    csv_file = str(two_projects / "projects.csv")
    with pytest.raises(ReportParameterError, match="is a file, not a folder"):
        check_parameters("portfolio-overview", dataset=csv_file)
    with pytest.raises(ReportParameterError, match=r"file '.*nowhere' does not exist"):
        check_parameters("risk", previous=missing)
    with pytest.raises(ReportParameterError, match="is a folder, not a file"):
        check_parameters("governance", standards=str(two_projects))
    assert check_parameters("risk", previous=csv_file, project_id="all")


def _code_lines(path: Path) -> int:
    notebook = json.loads(path.read_text(encoding="utf-8"))
    count = 0
    for cell in notebook["cells"]:
        if cell["cell_type"] != "code":
            continue
        source = "".join(cell["source"])
        count += sum(
            1
            for line in source.splitlines()
            if line.strip() and not line.strip().startswith("#")
        )
    return count


def test_code_line_counter(tmp_path):
    # hand-made: two code lines, a comment, a blank line and a markdown cell
    notebook = {
        "cells": [
            {"cell_type": "markdown", "source": ["# Title\n", "text"]},
            {"cell_type": "code", "source": ["x = 1\n", "\n", "# note\n", "y = x"]},
        ]
    }
    path = tmp_path / "n.ipynb"
    path.write_text(json.dumps(notebook), encoding="utf-8")
    assert _code_lines(path) == 2


@pytest.mark.parametrize("name", sorted(available_reports()))
def test_report_notebook_is_thin(name):
    lines = _code_lines(available_reports()[name])
    assert lines <= MAX_CODE_LINES, f"{name}: {lines} lines of code"
    cells = json.loads(available_reports()[name].read_text(encoding="utf-8"))["cells"]
    code = ["".join(c["source"]) for c in cells if c["cell_type"] == "code"]
    assert all("def " not in source for source in code), "no functions in a report"
    assert re.search(r"write_summary\(output_json, \w+\.summary\(\)\)", code[-1])


def test_check_parameters_stays_light():
    """A rejected value is answered without pandas, numpy or papermill."""
    code = (
        "import sys\n"
        "from pmo_kit.reports import check_parameters\n"
        "try:\n"
        "    check_parameters('project-status', project_id='P-999')\n"
        "except Exception as exc:\n"
        "    print(type(exc).__name__)\n"
        "print(sorted({'pandas', 'numpy', 'papermill'} & set(sys.modules)))\n"
    )
    proc = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert proc.stdout.splitlines() == ["ReportParameterError", "[]"]


def test_parameter_default_values_are_literals():
    for name in available_reports():
        for param in describe_report(name).parameters:
            assert param.default_value == ast.literal_eval(param.default)
