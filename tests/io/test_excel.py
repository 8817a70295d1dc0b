"""
Excel registers out and in: structure, round trips (also through LibreOffice),
a register in another layout read with a column mapping, and bad input.

The workbooks read here are not only the kit's own: ``data/excel/risk_register.xlsx``
was made by LibreOffice Calc 7.4 from ``risk_register.csv`` (``soffice --headless
--convert-to xlsx``), and the LibreOffice tests re-save the kit's workbook and
re-make that fixture with a real LibreOffice when ``soffice`` is installed.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import os
import shutil
import subprocess
import sys
import zipfile
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd
import pytest
from click.testing import CliRunner, Result

from pmo_kit import MissingDependencyError, ValidationError
from pmo_kit.cli_io_excel import export_excel_command, import_excel_command
from pmo_kit.data.portfolio import Portfolio, bundled_dataset_path, load_portfolio
from pmo_kit.data.schemas import SCHEMAS

openpyxl = pytest.importorskip("openpyxl")

from pmo_kit.io.excel import (  # noqa: E402
    INSTALL_HINT,
    import_workbook,
    read_mapping,
    read_workbook,
    write_workbook,
)

if TYPE_CHECKING:
    from collections.abc import Callable

DATA = Path(__file__).parent / "data" / "excel"
REGISTER_CSV = DATA / "risk_register.csv"
REGISTER_XLSX = DATA / "risk_register.xlsx"  # saved by LibreOffice Calc
MAPPING = Path(__file__).resolve().parents[2] / "docs" / "examples"
MAPPING_FILE = MAPPING / "risk-register-mapping.yaml"
SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")


def require_soffice() -> str:
    """Skip without LibreOffice; under ``CI=true`` fail instead."""
    if SOFFICE:
        return SOFFICE
    msg = (
        "LibreOffice (soffice) is not installed: apt-get install -y "
        "--no-install-recommends libreoffice-calc-nogui"
    )
    if os.environ.get("CI", "").strip().lower() == "true":
        pytest.fail(f"CI=true, refusing to skip: {msg}", pytrace=False)
    pytest.skip(msg)


def libreoffice_xlsx(source: Path, out: Path) -> Path:
    """Open ``source`` in LibreOffice and save it as .xlsx in ``out``."""
    soffice = require_soffice()
    out.mkdir(parents=True, exist_ok=True)
    profile = out / "lo-profile"
    subprocess.run(
        [
            soffice,
            f"-env:UserInstallation=file://{profile}",
            "--headless",
            "--convert-to",
            "xlsx",
            "--outdir",
            str(out),
            str(source),
        ],
        check=True,
        capture_output=True,
        timeout=180,
    )
    saved = out / f"{source.stem}.xlsx"
    assert saved.is_file(), f"LibreOffice wrote no {saved.name}"
    return saved


def snapshot(folder: Path) -> dict[str, str]:
    """Every file under ``folder`` with a hash of its bytes."""
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


@pytest.fixture(scope="module")
def sample() -> Portfolio:
    return load_portfolio()


@pytest.fixture(scope="module")
def workbook(sample: Portfolio, tmp_path_factory: pytest.TempPathFactory) -> Path:
    path: Path = tmp_path_factory.mktemp("xlsx") / "pmo.xlsx"
    write_workbook(sample, path)
    return path


@pytest.fixture
def dataset(tmp_path: Path) -> Path:
    """A copy of the sample dataset to import into."""
    target = tmp_path / "dataset"
    shutil.copytree(bundled_dataset_path(), target)
    return target


def assert_same_tables(expected: Portfolio, actual: Portfolio) -> None:
    for name, frame in expected.tables().items():
        pd.testing.assert_frame_equal(frame, actual.tables()[name], obj=name)


# ------------------------------------------------------------------ the workbook


def test_sheets_registers_first_lists_hidden(workbook):
    book = openpyxl.load_workbook(workbook)
    names = book.sheetnames
    assert names[:5] == ["projects", "risks", "status", "gates", "lessons"]
    assert set(SCHEMAS) <= set(names)
    assert {"dictionary", "about", "lists"} <= set(names)
    assert book["lists"].sheet_state == "hidden"
    for table in SCHEMAS:
        assert book[table].freeze_panes == "A2", table


def test_cells_are_typed_with_formats(workbook):
    book = openpyxl.load_workbook(workbook)
    risks = book["risks"]
    header = [c.value for c in risks[1]]
    with (bundled_dataset_path() / "risks.csv").open(encoding="utf-8") as f:
        first = next(csv.DictReader(f))  # expected values read from the CSV itself
    row = {h: risks.cell(row=2, column=i + 1) for i, h in enumerate(header)}
    assert row["raised_date"].value == dt.datetime.fromisoformat(first["raised_date"])
    assert row["raised_date"].number_format == "yyyy-mm-dd"
    assert row["probability"].value == int(first["probability"])
    assert row["probability"].data_type == "n"
    assert row["cost_impact_max"].value == float(first["cost_impact_max"])
    assert row["cost_impact_max"].number_format == "#,##0.00"
    assert row["risk_id"].data_type == "s"
    changes = book["status_changes"]
    with (bundled_dataset_path() / "status_changes.csv").open(encoding="utf-8") as f:
        first_change = next(csv.DictReader(f))
    assert changes["C2"].value == dt.datetime.fromisoformat(first_change["timestamp"])
    assert changes["C2"].number_format == "yyyy-mm-dd hh:mm:ss"
    assert (risks.column_dimensions["B"].width or 0) >= len("risk_id")


def test_drop_down_lists_come_from_the_hidden_sheet(workbook):
    book = openpyxl.load_workbook(workbook)
    risks = book["risks"]
    header = [c.value for c in risks[1]]
    letter = openpyxl.utils.get_column_letter(header.index("status") + 1)
    rules = [
        v
        for v in risks.data_validations.dataValidation
        if v.type == "list"
        and any(str(r).startswith(f"{letter}2") for r in v.sqref.ranges)
    ]
    assert len(rules) == 1
    ref = rules[0].formula1.lstrip("=")
    sheet, cells = ref.split("!")
    values = [c.value for row in book[sheet][cells.replace("$", "")] for c in row]
    assert values == ["open", "closed", "occurred"]  # the register's statuses
    listed = {c.name for c in SCHEMAS["risks"].columns if c.allowed is not None}
    list_columns = {
        header[
            openpyxl.utils.column_index_from_string(str(v.sqref).split(":")[0][:-1]) - 1
        ]
        for v in risks.data_validations.dataValidation
        if v.type == "list"
    }
    assert list_columns == listed


def test_conditional_formats_and_dictionary(workbook):
    book = openpyxl.load_workbook(workbook)
    status_rules = {
        str(cf.sqref): [r.formula[0] for r in cf.rules]
        for cf in book["status"].conditional_formatting
    }
    # ev is column D, pv C, ac E; SPI = EV/PV, green band 0.95..1.05
    assert any("$D2/$C2>=0.95" in f for f in status_rules["D2:D1048576"])
    assert any("$D2/$E2>=0.95" in f for f in status_rules["E2:E1048576"])
    risk_rules = [
        r.formula[0] for cf in book["risks"].conditional_formatting for r in cf.rules
    ]
    assert any(">=15" in f for f in risk_rules)  # the 5x5 "high" band
    gate_rules = [
        r.formula[0] for cf in book["gates"].conditional_formatting for r in cf.rules
    ]
    assert any('"kill"' in f for f in gate_rules)
    dictionary = book["dictionary"]
    rows = list(dictionary.iter_rows(min_row=2, values_only=True))
    assert len(rows) == sum(len(s.columns) for s in SCHEMAS.values())
    probability = next(r for r in rows if r[:2] == ("risks", "probability"))
    assert "from 1 to 5" in probability[6]


def test_text_that_looks_like_a_formula_stays_text(sample, tmp_path):
    projects = sample.projects.copy()
    projects.loc[0, "name"] = '=HYPERLINK("http://evil")'
    changed = replace(sample, projects=projects)
    path = write_workbook(changed, tmp_path / "f.xlsx")
    cell = openpyxl.load_workbook(path)["projects"]["B2"]
    assert cell.data_type == "s"
    assert cell.value == '=HYPERLINK("http://evil")'


# ------------------------------------------------------------------ round trips


def test_round_trip_of_the_sample_changes_nothing(sample, workbook, tmp_path):
    result = import_workbook(workbook, tmp_path / "new")
    back = load_portfolio(tmp_path / "new")
    assert_same_tables(sample, back)
    assert (back.name, back.currency) == (sample.name, sample.currency)
    assert result.charters == 0
    assert not (tmp_path / "new" / "charters").exists()


def test_import_into_the_dataset_keeps_its_charters(sample, workbook, dataset):
    charters = snapshot(dataset / "charters")
    result = import_workbook(workbook, dataset)
    assert snapshot(dataset / "charters") == charters
    assert result.charters == len(charters)
    assert_same_tables(sample, load_portfolio(dataset))


def test_round_trip_through_libreoffice(sample, workbook, tmp_path):
    saved = libreoffice_xlsx(workbook, tmp_path / "lo")
    assert b"LibreOffice" in zipfile.ZipFile(saved).read("docProps/app.xml")
    import_workbook(saved, tmp_path / "new")
    assert_same_tables(sample, load_portfolio(tmp_path / "new"))


def test_one_sheet_only(sample, workbook, dataset):
    before = snapshot(dataset)
    result = import_workbook(workbook, dataset, sheet="RISKS")
    assert result.rows == {"risks": len(sample.risks)}
    assert "tasks" in result.kept
    after = snapshot(dataset)
    assert after["tasks.csv"] == before["tasks.csv"]


# ------------------------------------------------------------- another layout


def expected_register() -> list[dict[str, str]]:
    """The register's rows, read from the CSV with the csv module."""
    with REGISTER_CSV.open(encoding="utf-8") as f:
        lines = f.read().splitlines()[2:]  # a title row and a blank row on top
    return list(csv.DictReader(lines))


def check_mapped_import(xlsx: Path, dataset: Path) -> None:
    original = load_portfolio(dataset).risks
    import_workbook(xlsx, dataset, mapping=read_mapping(MAPPING_FILE))
    risks = load_portfolio(dataset).risks
    rows = expected_register()
    mine = risks[risks["project_id"] == "P-010"].set_index("risk_id")
    assert sorted(mine.index) == sorted(r["Risk ID"] for r in rows)
    status = {"Open": "open", "Closed": "closed"}
    response = {"Reduce": "mitigate", "Accept": "accept", "Avoid": "avoid"}
    for r in rows:
        got = mine.loc[r["Risk ID"]]
        assert got["title"] == r["Description"]
        assert got["probability"] == int(r["Likelihood (1-5)"])
        assert got["residual_impact"] == int(r["Impact (1-5)"])
        assert got["status"] == status[r["Status"]]
        assert got["response_strategy"] == response[r["Response"]]
        assert got["category"] == r["Category"].lower()
        assert got["raised_date"] == pd.Timestamp(r["Date Raised"])
        assert (got["owner"] or "") == r["Owner"]
    others = original[original["project_id"] != "P-010"].reset_index(drop=True)
    kept = risks[risks["project_id"] != "P-010"].reset_index(drop=True)
    pd.testing.assert_frame_equal(others, kept)


def test_register_in_another_layout_with_a_mapping(dataset):
    check_mapped_import(REGISTER_XLSX, dataset)


def test_register_made_by_libreoffice_now(dataset, tmp_path):
    check_mapped_import(libreoffice_xlsx(REGISTER_CSV, tmp_path / "lo"), dataset)


def test_mapping_problem_on_a_linked_table_names_sheet_and_row(dataset, tmp_path):
    book = openpyxl.load_workbook(REGISTER_XLSX)
    sheet = book.active
    sheet["I6"] = "R-999"  # Owner of the 3rd risk, spreadsheet row 6
    bad = tmp_path / "register.xlsx"
    book.save(bad)
    before = snapshot(dataset)
    with pytest.raises(ValidationError) as caught:
        import_workbook(bad, dataset, mapping=read_mapping(MAPPING_FILE))
    assert str(caught.value).startswith(
        "register.xlsx, sheet 'risk_register', row 6, column 'owner': 'R-999'"
    )
    assert snapshot(dataset) == before


def test_unknown_value_under_a_mapping(dataset, tmp_path):
    book = openpyxl.load_workbook(REGISTER_XLSX)
    book.active["L4"] = "Parked"  # Status of the first risk, row 4
    bad = tmp_path / "register.xlsx"
    book.save(bad)
    with pytest.raises(ValidationError) as caught:
        import_workbook(bad, dataset, mapping=read_mapping(MAPPING_FILE))
    assert str(caught.value) == (
        "register.xlsx, sheet 'risk_register', row 4, column 'status': 'Parked' is "
        "not allowed. Allowed: one of 'open', 'closed', 'occurred'"
    )


def test_bad_mapping_files(tmp_path):
    bad = tmp_path / "map.yaml"
    bad.write_text("table: risks\ncolumns: {Risk ID: risk_number}\n", encoding="utf-8")
    with pytest.raises(ValidationError, match="'risk_number' is not a column of"):
        read_mapping(bad)
    bad.write_text("table: riskz\ncolumns: {a: b}\n", encoding="utf-8")
    with pytest.raises(ValidationError, match="'riskz' is not a table"):
        read_mapping(bad)
    bad.write_text("tabel: risks\n", encoding="utf-8")
    with pytest.raises(ValidationError, match="'tabel' is not a mapping key"):
        read_mapping(bad)


def test_mapping_with_a_header_the_sheet_lacks(dataset, tmp_path):
    mapping = tmp_path / "map.yaml"
    text = MAPPING_FILE.read_text(encoding="utf-8")
    mapping.write_text(text.replace("Likelihood (1-5):", "Probability:"), "utf-8")
    with pytest.raises(ValidationError) as caught:
        import_workbook(REGISTER_XLSX, dataset, mapping=read_mapping(mapping))
    message = str(caught.value)
    assert message.startswith(
        "risk_register.xlsx, sheet 'risk_register', row 3: no column 'Probability'"
    )
    assert "\n" not in message


# ------------------------------------------------------------------ bad input


def invoke_import(*args: str) -> Result:
    return CliRunner().invoke(import_excel_command, list(args))


def assert_one_line_failure(result: Result) -> str:
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output
    lines = result.output.strip().splitlines()
    assert len(lines) == 1, result.output
    return str(lines[0])


def test_not_a_workbook(tmp_path, dataset):
    fake = tmp_path / "pmo.xlsx"
    fake.write_text("project_id,name\nP-001,x\n", encoding="utf-8")
    before = snapshot(dataset)
    line = assert_one_line_failure(invoke_import(str(fake), "--into", str(dataset)))
    assert (
        line == f"Error: {fake}: not an Excel workbook (.xlsx). Allowed: a .xlsx "
        "file saved by Excel or LibreOffice (re-save an old .xls or a .csv as .xlsx)"
    )
    assert snapshot(dataset) == before


def test_missing_sheet(workbook, dataset):
    line = assert_one_line_failure(
        invoke_import(str(workbook), "--into", str(dataset), "--sheet", "Risks 2026")
    )
    assert "no sheet 'Risks 2026'. Allowed: one of projects, risks," in line


def test_new_folder_needs_every_table(workbook, tmp_path):
    book = openpyxl.load_workbook(workbook)
    del book["tasks"]
    partial = tmp_path / "partial.xlsx"
    book.save(partial)
    line = assert_one_line_failure(
        invoke_import(str(partial), "--into", str(tmp_path / "new"))
    )
    assert "no sheet 'tasks'" in line
    assert not (tmp_path / "new").exists()


def edited(workbook: Path, tmp_path: Path, edit: Callable[[Any], None]) -> Path:
    book = openpyxl.load_workbook(workbook)
    edit(book["risks"])
    path = tmp_path / "pmo.xlsx"
    book.save(path)
    return path


def test_missing_column(workbook, dataset, tmp_path):
    header = [c.value for c in openpyxl.load_workbook(workbook)["risks"][1]]
    column = header.index("impact") + 1
    path = edited(workbook, tmp_path, lambda s: s.delete_cols(column))
    before = snapshot(dataset)
    line = assert_one_line_failure(invoke_import(str(path), "--into", str(dataset)))
    assert line.startswith("Error: pmo.xlsx, sheet 'risks': missing column 'impact'.")
    assert snapshot(dataset) == before


def test_bad_value_names_sheet_row_column(workbook, dataset, tmp_path):
    header = [c.value for c in openpyxl.load_workbook(workbook)["risks"][1]]
    column = header.index("probability") + 1

    def edit(sheet):
        sheet.cell(row=14, column=column, value="high")

    path = edited(workbook, tmp_path, edit)
    before = snapshot(dataset)
    line = assert_one_line_failure(invoke_import(str(path), "--into", str(dataset)))
    assert line == (
        "Error: pmo.xlsx, sheet 'risks', row 14, column 'probability': 'high' is not "
        "a whole number. Allowed: whole numbers from 1 to 5"
    )
    assert snapshot(dataset) == before


def test_read_workbook_lists_every_problem(workbook, tmp_path):
    def edit(sheet):
        sheet["J3"] = 9  # probability of row 3 out of range
        sheet["A5"] = None  # project_id missing

    path = edited(workbook, tmp_path, edit)
    with pytest.raises(ValidationError) as caught:
        read_workbook(path)
    problems = caught.value.problems
    assert any(
        p.startswith("pmo.xlsx, sheet 'risks', row 3, column 'probability'")
        for p in problems
    )
    assert any(
        p.startswith("pmo.xlsx, sheet 'risks', row 5, column 'project_id'")
        for p in problems
    )


# ------------------------------------------------------------------ CLI, extras


def test_cli_export_then_import(tmp_path):
    out = tmp_path / "pmo.xlsx"
    runner = CliRunner()
    result = runner.invoke(
        export_excel_command,
        [str(bundled_dataset_path()), "-o", str(out), "--tables", "projects,risks"],
    )
    assert result.exit_code == 0, result.output
    book = openpyxl.load_workbook(out)
    assert [n for n in book.sheetnames if n in SCHEMAS] == ["projects", "risks"]
    bad = runner.invoke(
        export_excel_command,
        [str(bundled_dataset_path()), "-o", str(out), "--tables", "riskz"],
    )
    assert assert_one_line_failure(bad) == (
        "Error: --tables: 'riskz' is not a table. Allowed: projects, risks, status, "
        "gates, lessons, tasks, dependencies, resources, assignments, sprints, "
        "work_items, status_changes"
    )


def test_missing_openpyxl_is_one_line(monkeypatch, tmp_path, sample):
    monkeypatch.setitem(sys.modules, "openpyxl", None)
    with pytest.raises(MissingDependencyError) as caught:
        write_workbook(sample, tmp_path / "x.xlsx")
    assert str(caught.value) == INSTALL_HINT
    fake = tmp_path / "in.xlsx"
    fake.write_bytes(b"PK")
    line = assert_one_line_failure(invoke_import(str(fake), "--into", str(tmp_path)))
    assert line == "Error: Excel files need openpyxl: pip install 'pmo-kit[excel]'"
    assert not (tmp_path / "x.xlsx").exists()
