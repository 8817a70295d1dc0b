"""
Read an Excel workbook back into a dataset, through the same validation as CSV.

Each sheet named after a canonical table (``risks``, ``tasks``, ...) is read as
that table; with a :class:`~pmo_kit.io.excel.mapping.ColumnMapping` one sheet in
another layout is read as one table. Cells are turned into the text a CSV file
would hold (dates as ``YYYY-MM-DD``, numbers as written) and checked by
:func:`pmo_kit.data.tables.validate_frame`, so a problem reads
``pmo.xlsx, sheet 'risks', row 14, column 'probability': 'high' is not a whole
number. Allowed: ...``. :func:`import_workbook` then checks the links between
tables and writes the dataset with :func:`pmo_kit.data.portfolio.save_portfolio`:
all or nothing.
"""

from __future__ import annotations

import datetime as dt
import re
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pmo_kit._errors import ValidationError
from pmo_kit.data.schemas import SCHEMAS
from pmo_kit.data.tables import validate_frame
from pmo_kit.io.excel.common import ABOUT_SHEET, SHEET_ORDER, require_openpyxl

if TYPE_CHECKING:
    import os

    import pandas as pd

    from pmo_kit.io.excel.mapping import ColumnMapping

__all__ = [
    "ExcelImport",
    "SheetTable",
    "WorkbookTables",
    "cell_text",
    "import_workbook",
    "read_workbook",
]


@dataclass(frozen=True)
class SheetTable:
    """One table read from one sheet: validated, with where each row came from."""

    table: str
    sheet: str
    frame: pd.DataFrame
    source: str
    first_row: int


@dataclass(frozen=True)
class WorkbookTables:
    """What :func:`read_workbook` found: tables by name, and the organisation."""

    path: Path
    tables: dict[str, SheetTable]
    organisation: dict[str, str]


@dataclass(frozen=True)
class ExcelImport:
    """What :func:`import_workbook` wrote."""

    target: Path
    rows: dict[str, int]
    kept: tuple[str, ...]
    charters: int


def cell_text(value: object, kind: str) -> str:
    """
    Return a cell value as the text a CSV file would hold for a column ``kind``.

    Examples
    --------
    >>> import datetime as dt
    >>> cell_text(dt.datetime(2026, 3, 2), "date"), cell_text(3.0, "str")
    ('2026-03-02', '3')
    >>> cell_text(dt.datetime(2026, 3, 2, 9, 30, 0, 999_600), "datetime")
    '2026-03-02 09:30:01'
    """
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dt.datetime):
        # Excel stores date-times as fractions of a day: round to the second.
        value = (value + dt.timedelta(microseconds=500_000)).replace(microsecond=0)
        if kind == "date" and value.time() == dt.time(0):
            return value.strftime("%Y-%m-%d")
        return value.strftime("%Y-%m-%d %H:%M:%S")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, dt.time):
        return value.isoformat()
    if isinstance(value, float):
        if value.is_integer() and abs(value) < 1e15:
            return str(int(value))
        return repr(value)
    return str(value)


def read_workbook(
    path: str | os.PathLike[str],
    *,
    mapping: ColumnMapping | None = None,
    sheet: str | None = None,
) -> WorkbookTables:
    """
    Read the tables of a workbook and validate each one.

    Parameters
    ----------
    path
        The ``.xlsx`` file.
    mapping
        Read one sheet in another layout as one table (see
        :func:`pmo_kit.io.excel.mapping.read_mapping`).
    sheet
        Read only this sheet: with a mapping, instead of the mapping's sheet;
        without, a sheet named after a table.

    Returns
    -------
    WorkbookTables
        The validated tables and the organisation's name and currency (from the
        ``about`` sheet the kit writes, when present).

    Raises
    ------
    ValidationError
        The file is not a workbook, a sheet or column is missing, or a value
        breaks a rule: one line naming the file, sheet, row, column and value.
    """
    file = Path(path)
    book = _open(file)
    try:
        if mapping is not None:
            name = _find_sheet(book, file, sheet or mapping.sheet, first=True)
            found = {mapping.table: _read_mapped(book[name], file, name, mapping)}
            return WorkbookTables(file, found, {})
        if sheet is not None:
            name = _find_sheet(book, file, sheet)
            table = name.strip().lower()
            if table not in SCHEMAS:
                msg = (
                    f"{file}, sheet {name!r}: not a table name. Allowed: "
                    f"{', '.join(SHEET_ORDER)}; or give --mapping to read another "
                    "layout"
                )
                raise ValidationError(msg)
            wanted = {table: name}
        else:
            wanted = _table_sheets(book)
            if not wanted:
                msg = (
                    f"{file}: no sheet is named after a table "
                    f"(sheets: {', '.join(book.sheetnames)}). Allowed: sheets named "
                    f"{', '.join(SHEET_ORDER)} (as pmo-kit export excel writes them); "
                    "or give --mapping to read a sheet in another layout"
                )
                raise ValidationError(msg)
        problems: list[str] = []
        tables: dict[str, SheetTable] = {}
        for table, name in wanted.items():
            try:
                tables[table] = _read_canonical(book[name], file, name, table)
            except ValidationError as exc:
                problems.extend(exc.problems)
        if problems:
            raise ValidationError.from_problems(problems)
        return WorkbookTables(file, tables, _organisation(book))
    finally:
        book.close()


def import_workbook(
    path: str | os.PathLike[str],
    into: str | os.PathLike[str],
    *,
    mapping: ColumnMapping | None = None,
    sheet: str | None = None,
) -> ExcelImport:
    """
    Read a workbook into a dataset folder, all or nothing.

    Without a mapping, every sheet named after a table replaces that table; the
    tables the workbook lacks are kept from the dataset in ``into`` (a new folder
    needs them all, except the optional agile tables). With a mapping, the rows
    read replace the rows of the projects they name (a table without projects is
    replaced whole). Charters are YAML files, never in the workbook: those of
    ``into`` are kept.

    Returns
    -------
    ExcelImport
        The folder written, the rows per table taken from the workbook, the tables
        kept from the dataset, and the number of charters kept.

    Raises
    ------
    ValidationError
        Any problem in the workbook or in the links between tables; nothing is
        written then.
    """
    from pmo_kit.data.portfolio import Portfolio, load_portfolio, save_portfolio

    read = read_workbook(path, mapping=mapping, sheet=sheet)
    target = Path(into)
    if target.exists() and not target.is_dir():
        msg = f"--into {target}: is a file. Allowed: a dataset folder (new or existing)"
        raise ValidationError(msg)
    existing = load_portfolio(target) if (target / "projects.csv").is_file() else None
    tables: dict[str, pd.DataFrame] = {}
    labels: dict[str, list[str]] = {}
    kept: list[str] = []
    missing: list[str] = []
    for name, schema in SCHEMAS.items():
        sheet_table = read.tables.get(name)
        old = None if existing is None else existing.tables()[name]
        if sheet_table is not None:
            tables[name], labels[name] = _merge(
                sheet_table, old, target, by_project=mapping is not None
            )
        elif old is not None:
            tables[name] = old
            labels[name] = _file_labels(target, name, range(len(old)))
            kept.append(name)
        elif schema.optional:
            from pmo_kit.data.tables import empty_table

            tables[name] = empty_table(schema)
            labels[name] = []
        else:
            missing.append(name)
    if missing:
        msg = (
            f"{read.path}: no sheet {missing[0]!r}, and {target} holds no dataset to "
            f"keep it from. Allowed: a workbook with a sheet for each of "
            f"{', '.join(n for n in SHEET_ORDER if not SCHEMAS[n].optional)} (as "
            "pmo-kit export excel writes it), or --into an existing dataset"
        )
        raise ValidationError(msg)
    name = read.organisation.get("organisation") or (
        existing.name if existing is not None else target.name
    )
    currency = read.organisation.get("currency") or (
        existing.currency if existing is not None else "EUR"
    )
    charters = dict(existing.charters) if existing is not None else {}
    bundle = Portfolio(name=name, currency=currency, charters=charters, **tables)  # type: ignore[arg-type]
    try:
        checked = bundle.validate()
    except ValidationError as exc:
        raise ValidationError.from_problems(
            [_relabel(p, labels) for p in exc.problems]
        ) from None
    save_portfolio(checked, target)
    rows = {n: len(t.frame) for n, t in read.tables.items()}
    return ExcelImport(target, rows, tuple(kept), len(charters))


# --------------------------------------------------------------------------- helpers


def _open(file: Path) -> Any:
    if not file.is_file():
        what = "is a folder" if file.is_dir() else "file not found"
        msg = f"{file}: {what}. Allowed: an Excel workbook (.xlsx)"
        raise ValidationError(msg)
    openpyxl = require_openpyxl()
    InvalidFileException = openpyxl.utils.exceptions.InvalidFileException
    try:
        return openpyxl.load_workbook(file, read_only=True, data_only=True)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, OSError, ValueError):
        msg = (
            f"{file}: not an Excel workbook (.xlsx). Allowed: a .xlsx file saved by "
            "Excel or LibreOffice (re-save an old .xls or a .csv as .xlsx)"
        )
        raise ValidationError(msg) from None


def _find_sheet(
    book: Any, file: Path, wanted: str | None, *, first: bool = False
) -> str:
    names: list[str] = list(book.sheetnames)
    if wanted is None and first:
        return names[0]
    if wanted is not None:
        if wanted in names:
            return wanted
        folded = [n for n in names if n.strip().casefold() == wanted.strip().casefold()]
        if folded:
            return folded[0]
    msg = f"{file}: no sheet {wanted!r}. Allowed: one of {', '.join(names)}"
    raise ValidationError(msg)


def _table_sheets(book: Any) -> dict[str, str]:
    by_name = {str(n).strip().lower(): str(n) for n in book.sheetnames}
    return {t: by_name[t] for t in SHEET_ORDER if t in by_name}


def _rows(
    sheet: Any, file: Path, name: str, header_row: int
) -> tuple[list[str], list[tuple[Any, ...]]]:
    """Return the header and the data rows (trailing empty rows dropped)."""
    if hasattr(sheet, "reset_dimensions"):
        sheet.reset_dimensions()  # files from other tools may state wrong sizes
    rows = [tuple(r) for r in sheet.iter_rows(min_row=header_row, values_only=True)]
    while rows and all(_empty(v) for v in rows[-1]):
        rows.pop()
    if not rows:
        msg = (
            f"{file}, sheet {name!r}: the sheet is empty. Allowed: a header row "
            f"(row {header_row}), then one row per record"
        )
        raise ValidationError(msg)
    header = [cell_text(v, "str").strip() for v in rows[0]]
    width = len(header)
    data = [tuple(r[:width]) + (None,) * (width - len(r)) for r in rows[1:]]
    seen: dict[str, int] = {}
    for index, title in enumerate(header):
        if not title:
            continue
        if title in seen:
            msg = (
                f"{file}, sheet {name!r}, row {header_row}: column {title!r} appears "
                "twice. Allowed: each column once"
            )
            raise ValidationError(msg)
        seen[title] = index
    for r_index, row in enumerate(rows[1:], start=header_row + 1):
        extra = [
            v
            for i, v in enumerate(row)
            if (i >= width or not header[i]) and not _empty(v)
        ]
        if extra:
            msg = (
                f"{file}, sheet {name!r}, row {r_index}: value {extra[0]!r} is in a "
                "column without a header. Allowed: values under a header only"
            )
            raise ValidationError(msg)
    return header, data


def _empty(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _read_canonical(sheet: Any, file: Path, name: str, table: str) -> SheetTable:
    import pandas as pd

    schema = SCHEMAS[table]
    kinds = {c.name: c.kind for c in schema.columns}
    header, data = _rows(sheet, file, name, 1)
    columns = {
        title: [cell_text(row[i], kinds.get(title, "str")) for row in data]
        for i, title in enumerate(header)
        if title
    }
    frame = pd.DataFrame(columns, dtype=object, index=range(len(data)))
    source = f"{file.name}, sheet {name!r}"
    typed = validate_frame(frame, schema, source=source, first_row=2)
    return SheetTable(table, name, typed, source, 2)


def _read_mapped(
    sheet: Any, file: Path, name: str, mapping: ColumnMapping
) -> SheetTable:
    import pandas as pd

    schema = SCHEMAS[mapping.table]
    kinds = {c.name: c.kind for c in schema.columns}
    header, data = _rows(sheet, file, name, mapping.header_row)
    folded = {h.casefold(): i for i, h in enumerate(header) if h}
    source = f"{file.name}, sheet {name!r}"
    columns: dict[str, list[str]] = {}
    for theirs, ours in mapping.columns.items():
        index = folded.get(theirs.strip().casefold())
        if index is None:
            found = ", ".join(repr(h) for h in header if h)
            msg = (
                f"{source}, row {mapping.header_row}: no column {theirs!r} (mapped to "
                f"{', '.join(ours)} by {mapping.source}). Allowed: one of {found}"
            )
            raise ValidationError(msg)
        for column in ours:
            columns[column] = [
                mapping.translate(column, cell_text(row[index], kinds[column]).strip())
                for row in data
            ]
    for column, value in mapping.defaults.items():
        current = columns.get(column, [""] * len(data))
        columns[column] = [v if v != "" else value for v in current]
    for spec in schema.columns:  # columns that may be empty need no mapping
        if spec.nullable and spec.name not in columns:
            columns[spec.name] = [""] * len(data)
    frame = pd.DataFrame(columns, dtype=object, index=range(len(data)))
    missing = [c.name for c in schema.columns if c.required and c.name not in frame]
    if missing:
        msg = (
            f"{source}: no column for {', '.join(repr(m) for m in missing)} of table "
            f"{mapping.table!r}. Allowed: map a header to it under 'columns' or give "
            f"a value under 'defaults' in {mapping.source}"
        )
        raise ValidationError(msg)
    first_row = mapping.header_row + 1
    typed = validate_frame(frame, schema, source=source, first_row=first_row)
    return SheetTable(mapping.table, name, typed, source, first_row)


def _organisation(book: Any) -> dict[str, str]:
    by_name = {str(n).strip().lower(): str(n) for n in book.sheetnames}
    if ABOUT_SHEET not in by_name:
        return {}
    found: dict[str, str] = {}
    for row in book[by_name[ABOUT_SHEET]].iter_rows(max_col=2, values_only=True):
        if len(row) == 2 and row[0] in {"organisation", "currency"} and row[1]:
            found[str(row[0])] = str(row[1]).strip()
    return found


def _merge(
    read: SheetTable, old: pd.DataFrame | None, target: Path, *, by_project: bool
) -> tuple[pd.DataFrame, list[str]]:
    """Return the table to write: the sheet's rows, plus other projects' old rows."""
    import pandas as pd

    labels = [
        f"{read.source}, row {read.first_row + i}" for i in range(len(read.frame))
    ]
    frame = read.frame
    if not by_project or old is None or "project_id" not in frame:
        return frame, labels
    projects = set(frame["project_id"].dropna())
    keep = ~old["project_id"].isin(projects)
    positions = [i for i, k in enumerate(keep.tolist()) if k]
    rest = old[keep]
    merged = pd.concat([frame, rest], ignore_index=True)
    labels += _file_labels(target, read.table, positions)
    order = merged["project_id"].astype(str).to_numpy().argsort(kind="stable")
    return merged.iloc[order].reset_index(drop=True), [labels[i] for i in order]


def _file_labels(target: Path, table: str, positions: Any) -> list[str]:
    file = target / SCHEMAS[table].file_name
    return [f"{file}, row {i + 2}" for i in positions]


_LOCATION = re.compile(r"^(?P<table>[a-z_]+)\.csv, row (?P<row>\d+)(?P<rest>.*)$", re.S)


def _relabel(problem: str, labels: dict[str, list[str]]) -> str:
    """Name the sheet and row (or kept file and row) a linked-table problem is on."""
    match = _LOCATION.match(problem)
    if match is None:
        return problem
    table, position = match["table"], int(match["row"]) - 2
    where = labels.get(table, [])
    if 0 <= position < len(where):
        return where[position] + match["rest"]
    return problem
