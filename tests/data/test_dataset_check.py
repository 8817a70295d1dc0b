"""check_dataset and load_portfolio list every problem, naming each kind of mistake."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

import pmo_kit
from pmo_kit import ValidationError
from pmo_kit.charter import Charter
from pmo_kit.data.portfolio import check_dataset


def _edit_csv(path: Path, column: str, rows: slice, value: str) -> int:
    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    frame.loc[frame.index[rows], column] = value
    frame.to_csv(path, index=False)
    return len(frame.index[rows])


# -------------------------------------------------------------- every problem


def test_every_bad_row_is_listed_and_counted(dataset_copy):
    # 171 rows with a word for a duration: 171 problems, the message says +170
    changed = _edit_csv(dataset_copy / "tasks.csv", "duration", slice(0, 171), "abc")
    assert changed == 171
    result = check_dataset(dataset_copy)
    assert not result.ok
    assert len(result.problems) == 171
    rows = [int(p.split(", row ")[1].split(",")[0]) for p in result.problems]
    assert rows == list(range(2, 173))  # header is row 1
    with pytest.raises(ValidationError) as info:
        pmo_kit.load_portfolio(dataset_copy)
    assert str(info.value).endswith("(+170 more problems)")
    assert len(info.value.problems) == 171


def test_problems_of_every_file_are_listed(dataset_copy):
    _edit_csv(dataset_copy / "tasks.csv", "duration", slice(0, 1), "abc")
    _edit_csv(dataset_copy / "resources.csv", "capacity_hours", slice(2, 4), "-1")
    (dataset_copy / "gates.csv").unlink()
    problems = check_dataset(dataset_copy).problems
    where = [p.removeprefix(f"{dataset_copy}/").split(": ")[0] for p in problems]
    # tables in their declared order: tasks, then resources, ..., gates last
    assert where == [
        "tasks.csv, row 2, column 'duration'",
        "resources.csv, row 4, column 'capacity_hours'",
        "resources.csv, row 5, column 'capacity_hours'",
        "gates.csv",
    ]
    assert "gates.csv: file not found" in problems[-1]


def test_unreadable_charter_is_listed_with_the_other_problems(dataset_copy):
    (dataset_copy / "charters" / "P-003.yaml").write_text("oops: [\n", "utf-8")
    _edit_csv(dataset_copy / "risks.csv", "probability", slice(0, 1), "9")
    problems = check_dataset(dataset_copy).problems
    assert len(problems) == 2
    assert "risks.csv, row 2, column 'probability'" in problems[0]
    assert "P-003.yaml' is not valid YAML (line 2, column 1" in problems[1]


def test_progress_is_reported_file_by_file(dataset_copy):
    seen: list[tuple[str, int, int]] = []
    check_dataset(dataset_copy, progress=lambda *step: seen.append(step))
    assert [s[1] for s in seen] == list(range(1, 14))  # 12 tables + the charters
    assert {s[2] for s in seen} == {13}
    assert seen[0][0] == "projects.csv"
    assert seen[-1][0] == "charters/"


# ------------------------------------------------------------ kinds of mistake


def test_folder_where_a_file_should_be(dataset_copy):
    (dataset_copy / "status.csv").unlink()
    (dataset_copy / "status.csv").mkdir()
    (problem,) = check_dataset(dataset_copy).problems
    assert problem == (
        f"{dataset_copy / 'status.csv'}: is a folder, not a file; table 'status' is "
        "a CSV file (Weekly earned-value status: cumulative PV, EV and AC per "
        "project.). Allowed: a CSV file named status.csv"
    )


def test_header_only_table_is_named_empty(dataset_copy):
    risks = dataset_copy / "risks.csv"
    header = risks.read_text("utf-8").splitlines()[0]
    risks.write_text(header + "\n", "utf-8")
    result = check_dataset(dataset_copy)
    assert result.ok
    assert result.empty_tables == ("risks.csv",)


def test_european_csv_is_recognised(dataset_copy):
    # What Excel writes with a German or French locale: ';' and decimal commas
    (dataset_copy / "resources.csv").write_text(
        "resource_id;name;role;skills;capacity_hours;cost_rate;calendar\n"
        'R-001;Finn Garcia;Project Manager;"PRINCE2, budgeting";37,5;102,0;standard\n',
        "utf-8",
    )
    (problem,) = check_dataset(dataset_copy).problems
    assert problem.endswith(
        "resources.csv: looks like a European CSV (';' separators, decimal commas). "
        "Allowed: comma-separated, decimal point; re-save as CSV UTF-8 (in Excel: "
        "'Save As > CSV UTF-8', with '.' as the decimal separator)"
    )


def test_semicolon_csv_without_decimal_commas_is_named_too(dataset_copy):
    (dataset_copy / "resources.csv").write_text(
        "resource_id;name;role;skills;capacity_hours;cost_rate;calendar\n"
        "R-001;Finn Garcia;Project Manager;PRINCE2;40;102;standard\n",
        "utf-8",
    )
    (problem,) = check_dataset(dataset_copy).problems
    assert "looks like a CSV in another dialect (';' separators)" in problem


def test_missing_dataset_folder_and_a_file_for_a_folder(tmp_path):
    with pytest.raises(ValidationError, match="dataset folder not found"):
        check_dataset(tmp_path / "nope")
    (tmp_path / "file.csv").write_text("x\n", "utf-8")
    with pytest.raises(ValidationError, match="is a file, not a dataset folder"):
        check_dataset(tmp_path / "file.csv")


# ------------------------------------------------------------------- charters


def test_portfolio_holds_charter_objects(sample):
    assert set(sample.charters) == set(sample.project_ids)
    p003 = sample.charters["P-003"]
    assert isinstance(p003, Charter)
    # datasets/meridian/charters/P-003.yaml: no approval, contingency 0
    assert p003.approval is None
    assert p003.budget is not None
    assert p003.budget.contingency == 0
    assert p003.source is not None
    assert p003.source.endswith("charters/P-003.yaml")


def test_a_dict_for_a_charter_is_refused(sample):
    from dataclasses import replace

    charters: dict[str, object] = dict(sample.charters)
    charters["P-001"] = sample.charters["P-001"].to_dict()
    with pytest.raises(ValidationError, match="charter P-001: dict is not a Charter"):
        replace(sample, charters=charters).validate()


def test_charter_for_another_project_is_named(dataset_copy):
    text = (dataset_copy / "charters" / "P-001.yaml").read_text("utf-8")
    (dataset_copy / "charters" / "P-001.yaml").write_text(
        text.replace("project_id: P-001", "project_id: P-002", 1), "utf-8"
    )
    (problem,) = check_dataset(dataset_copy).problems
    assert "P-001.yaml, field 'project_id': 'P-002' does not match the file" in problem


@pytest.mark.parametrize(
    "first", ["pmo_kit.charter", "pmo_kit.data.portfolio", "pmo_kit.charter.model"]
)
def test_data_and_charter_import_in_any_order(first):
    code = f"import {first}; import pmo_kit.data.portfolio, pmo_kit.charter"
    subprocess.run([sys.executable, "-c", code], check=True)


def test_no_function_level_imports_in_the_data_layer_and_charter():
    import ast

    root = Path(pmo_kit.__file__).parent
    found = []
    for folder in ("data", "charter"):
        for path in (root / folder).rglob("*.py"):
            for node in ast.walk(ast.parse(path.read_text("utf-8"))):
                if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                    found += [
                        f"{path.name}:{inner.lineno}"
                        for inner in ast.walk(node)
                        if isinstance(inner, ast.Import | ast.ImportFrom)
                    ]
    assert found == []
