"""
Write a portfolio as an Excel workbook: one sheet per canonical table.

The registers a PMO keeps in Excel come first (projects, risks, status, gates,
lessons), then the plan and agile tables, so that reading the workbook back gives
the same dataset. Each sheet has a frozen, filtered header row, column widths
fitted to the data, typed cells (dates as dates, numbers with a number format),
drop-down lists for every column with allowed values (the lists sit on the hidden
sheet ``lists``), and conditional formatting: RAG fills on the status sheet (SPI on
``ev``, CPI on ``ac``) and on gate decisions, and probability x impact bands on
the risks sheet. A ``dictionary`` sheet describes every column and an ``about``
sheet holds the organisation's name and currency.
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pmo_kit._errors import ValidationError
from pmo_kit.data.atomic import atomic_write_bytes
from pmo_kit.data.schemas import SCHEMAS, Column, TableSchema
from pmo_kit.data.values import python_value
from pmo_kit.io.excel.common import (
    ABOUT_SHEET,
    DICTIONARY_SHEET,
    LISTS_SHEET,
    SHEET_ORDER,
    require_openpyxl,
)

if TYPE_CHECKING:
    import os
    from collections.abc import Iterable, Sequence

    import pandas as pd

    from pmo_kit.data.portfolio import Portfolio

__all__ = ["RAG_FILLS", "select_tables", "workbook_bytes", "write_workbook"]

#: Fill colours (Excel's own pale conditional-format fills) for green/amber/red.
RAG_FILLS: dict[str, str] = {"green": "C6EFCE", "amber": "FFEB9C", "red": "FFC7CE"}
_RAG_FONTS: dict[str, str] = {"green": "006100", "amber": "9C5700", "red": "9C0006"}
_HEADER_FILL = "1F4E78"
_MAX_WIDTH = 60
_LAST_ROW = 1048576
_NUMBER_FORMATS: dict[str, str] = {
    "EUR": "#,##0.00",
    "EUR/hour": "#,##0.00",
    "%": "0.0",
}
_GATE_DECISION_RAG = {"go": "green", "hold": "amber", "recycle": "amber", "kill": "red"}


def select_tables(tables: Iterable[str] | None) -> list[str]:
    """
    Return the tables to write, in workbook order.

    Parameters
    ----------
    tables
        Table names (any order, commas allowed inside an item); None for all.

    Raises
    ------
    ValidationError
        A name is not a canonical table.
    """
    if tables is None:
        return list(SHEET_ORDER)
    wanted: list[str] = []
    for item in tables:
        wanted.extend(part.strip() for part in item.split(",") if part.strip())
    unknown = [name for name in wanted if name not in SCHEMAS]
    if unknown:
        msg = (
            f"--tables: {unknown[0]!r} is not a table. "
            f"Allowed: {', '.join(SHEET_ORDER)}"
        )
        raise ValidationError(msg)
    return [name for name in SHEET_ORDER if name in wanted]


def write_workbook(
    portfolio: Portfolio,
    path: str | os.PathLike[str],
    *,
    tables: Sequence[str] | None = None,
) -> Path:
    """
    Write ``portfolio`` to an ``.xlsx`` workbook, atomically.

    Parameters
    ----------
    portfolio
        The dataset, e.g. from :func:`pmo_kit.load_portfolio`.
    path
        The workbook to write (replaced if it exists).
    tables
        Tables to include (default: every canonical table).

    Returns
    -------
    pathlib.Path
        The workbook written.
    """
    target = Path(path)
    atomic_write_bytes(target, workbook_bytes(portfolio, tables=tables))
    return target


def workbook_bytes(
    portfolio: Portfolio, *, tables: Sequence[str] | None = None
) -> bytes:
    """Return the ``.xlsx`` bytes of :func:`write_workbook`."""
    openpyxl = require_openpyxl()
    names = select_tables(tables)
    book = openpyxl.Workbook()
    book.remove(book.active)
    lists = _ListSheet(book.create_sheet(LISTS_SHEET))
    for name in names:
        _table_sheet(book, name, portfolio.tables()[name], lists)
    _dictionary_sheet(book, names)
    _about_sheet(book, portfolio)
    book.move_sheet(LISTS_SHEET, offset=len(book.sheetnames) - 1)
    lists.sheet.sheet_state = "hidden"
    book.active = 0
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


# --------------------------------------------------------------------------- sheets


class _ListSheet:
    """The hidden sheet of drop-down lists: one column per distinct list."""

    def __init__(self, sheet: Any) -> None:
        self.sheet = sheet
        self.ranges: dict[tuple[str, ...], str] = {}

    def range_for(self, values: tuple[str, ...]) -> str:
        if values not in self.ranges:
            get_column_letter = require_openpyxl().utils.get_column_letter
            index = len(self.ranges) + 1
            letter = get_column_letter(index)
            self.sheet.cell(row=1, column=index, value=", ".join(values)[:250])
            for row, value in enumerate(values, start=2):
                cell = self.sheet.cell(row=row, column=index, value=value)
                cell.data_type = "s"
            last = len(values) + 1
            self.ranges[values] = f"{LISTS_SHEET}!${letter}$2:${letter}${last}"
        return self.ranges[values]


def _table_sheet(book: Any, name: str, frame: pd.DataFrame, lists: _ListSheet) -> None:
    xl = require_openpyxl()
    Alignment, Font, PatternFill = (
        xl.styles.Alignment,
        xl.styles.Font,
        xl.styles.PatternFill,
    )
    get_column_letter = xl.utils.get_column_letter
    schema = SCHEMAS[name]
    sheet = book.create_sheet(name)
    columns = list(frame.columns)
    header_font = Font(bold=True, color="FFFFFF")
    header_fill = PatternFill("solid", fgColor=_HEADER_FILL)
    for index, column in enumerate(columns, start=1):
        cell = sheet.cell(row=1, column=index, value=str(column))
        cell.data_type = "s"
        cell.font = header_font
        cell.fill = header_fill
        cell.alignment = Alignment(vertical="top")
    declared = {c.name: c for c in schema.columns}
    for index, column in enumerate(columns, start=1):
        spec = declared.get(str(column))
        kind = spec.kind if spec is not None else None
        fmt = _number_format(spec)
        width = len(str(column))
        for row, value in enumerate(frame[column].tolist(), start=2):
            python = python_value(value, kind)  # None: an empty cell
            if python is None:
                continue
            cell = sheet.cell(row=row, column=index)
            _put(cell, python, sheet=name, column=str(column))
            if fmt:
                cell.number_format = fmt
            width = max(width, _shown_width(python, kind))
        sheet.column_dimensions[get_column_letter(index)].width = min(
            width + 2, _MAX_WIDTH
        )
        if spec is not None:
            _validation(sheet, spec, index, lists)
    sheet.freeze_panes = "A2"
    last_row = max(len(frame) + 1, 2)
    if columns:
        sheet.auto_filter.ref = f"A1:{get_column_letter(len(columns))}{last_row}"
    _conditional_formats(sheet, schema, columns)


def _put(cell: Any, value: object, *, sheet: str, column: str) -> None:
    """Set a cell; text is always text (never a formula, even if it starts '=')."""
    try:
        cell.value = value
    except ValueError as exc:  # openpyxl refuses control characters
        msg = (
            f"sheet {sheet!r}, row {cell.row}, column {column!r}: {value!r} cannot "
            f"be stored in an Excel cell ({exc}). Allowed: text without control "
            "characters"
        )
        raise ValidationError(msg) from None
    if isinstance(value, str):
        cell.data_type = "s"


def _number_format(spec: Column | None) -> str:
    if spec is None:
        return ""
    if spec.kind == "date":
        return "yyyy-mm-dd"
    if spec.kind == "datetime":
        return "yyyy-mm-dd hh:mm:ss"
    if spec.kind == "int":
        return "0"
    if spec.kind == "float":
        return _NUMBER_FORMATS.get(spec.unit, "0.00")
    return ""


def _shown_width(value: object, kind: str | None) -> int:
    if kind == "date":
        return 10
    if kind == "datetime":
        return 19
    if isinstance(value, float):
        return len(f"{value:,.2f}")
    return max((len(line) for line in str(value).splitlines()), default=0)


def _validation(sheet: Any, spec: Column, index: int, lists: _ListSheet) -> None:
    xl = require_openpyxl()
    DataValidation = xl.worksheet.datavalidation.DataValidation
    letter = xl.utils.get_column_letter(index)
    cells = f"{letter}2:{letter}{_LAST_ROW}"
    allowed = spec.allowed_text()[:250]
    if spec.allowed is not None:
        rule = DataValidation(
            type="list", formula1=f"={lists.range_for(spec.allowed)}", allow_blank=True
        )
    elif spec.kind in {"int", "float"} and (
        spec.minimum is not None and spec.maximum is not None
    ):
        rule = DataValidation(
            type="whole" if spec.kind == "int" else "decimal",
            operator="between",
            formula1=_formula_number(spec.minimum),
            formula2=_formula_number(spec.maximum),
            allow_blank=True,
        )
    else:
        return
    rule.error = allowed
    rule.errorTitle = spec.name[:32]
    rule.prompt = allowed
    rule.promptTitle = spec.name[:32]
    rule.showErrorMessage = True
    rule.showInputMessage = True
    sheet.add_data_validation(rule)
    rule.add(cells)


def _formula_number(x: float) -> str:
    return str(int(x)) if float(x).is_integer() else repr(float(x))


def _conditional_formats(sheet: Any, schema: TableSchema, columns: list[Any]) -> None:
    """RAG fills wherever a column holds RAG values; risk score bands on risks."""
    from pmo_kit.evm.rag import DEFAULT_RAG
    from pmo_kit.risk.matrix import ORDINAL_5X5

    xl = require_openpyxl()
    FormulaRule = xl.formatting.rule.FormulaRule
    Font, PatternFill = xl.styles.Font, xl.styles.PatternFill
    get_column_letter = xl.utils.get_column_letter
    letters = {str(c): get_column_letter(i) for i, c in enumerate(columns, start=1)}

    def fill(rag: str) -> dict[str, Any]:
        return {
            "fill": PatternFill(
                "solid", fgColor=RAG_FILLS[rag], bgColor=RAG_FILLS[rag]
            ),
            "font": Font(color=_RAG_FONTS[rag]),
        }

    def add(column: str, formulas: dict[str, str]) -> None:
        letter = letters[column]
        for rag, formula in formulas.items():
            rule = FormulaRule(formula=[formula], stopIfTrue=True, **fill(rag))
            sheet.conditional_formatting.add(f"{letter}2:{letter}{_LAST_ROW}", rule)

    for spec in schema.columns:
        if spec.name not in letters or spec.allowed is None:
            continue
        cell = f"{letters[spec.name]}2"
        words = {a.lower() for a in spec.allowed}
        if {"green", "amber", "red"} <= words:
            add(
                spec.name,
                {r: f'LOWER({cell})="{r}"' for r in ("green", "amber", "red")},
            )
        elif schema.name == "gates" and spec.name == "decision":
            add(
                spec.name,
                {
                    rag: "OR("
                    + ",".join(
                        f'LOWER({cell})="{d}"'
                        for d, r in _GATE_DECISION_RAG.items()
                        if r == rag
                    )
                    + ")"
                    for rag in ("green", "amber", "red")
                },
            )
    if schema.name == "status" and {"pv", "ev", "ac"} <= set(letters):
        pv, ev, ac = (f"${letters[c]}2" for c in ("pv", "ev", "ac"))
        t = DEFAULT_RAG
        # SPI = EV / PV colours the ev cells, CPI = EV / AC the ac cells.
        for column, num, den in (("ev", ev, pv), ("ac", ev, ac)):
            ratio = f"{num}/{den}"
            add(
                column,
                {
                    "green": f"AND(N({den})>0,{ratio}>={t.green_low},"
                    f"{ratio}<={t.green_high})",
                    "amber": f"AND(N({den})>0,{ratio}>={t.amber_low},"
                    f"{ratio}<={t.amber_high})",
                    "red": f"N({den})>0",
                },
            )
    if schema.name == "risks":
        bands = sorted(ORDINAL_5X5.bands, key=lambda b: b.minimum, reverse=True)
        colours = dict(zip(("red", "amber", "green"), bands, strict=False))
        for pair in (
            ("probability", "impact"),
            ("residual_probability", "residual_impact"),
        ):
            if not set(pair) <= set(letters):
                continue
            score = f"N(${letters[pair[0]]}2)*N(${letters[pair[1]]}2)"
            for column in pair:
                add(
                    column,
                    {
                        rag: f"{score}>={_formula_number(band.minimum)}"
                        for rag, band in colours.items()
                    },
                )


def _dictionary_sheet(book: Any, names: list[str]) -> None:
    Font = require_openpyxl().styles.Font
    sheet = book.create_sheet(DICTIONARY_SHEET)
    header = (
        "table",
        "column",
        "kind",
        "unit",
        "required",
        "may be empty",
        "allowed",
        "description",
    )
    sheet.append(header)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for name in names:
        for c in SCHEMAS[name].columns:
            sheet.append(
                (
                    name,
                    c.name,
                    c.kind,
                    c.unit,
                    "yes" if c.required else "no",
                    "yes" if c.nullable else "no",
                    c.allowed_text(),
                    c.description,
                )
            )
    for letter, width in zip("ABCDEFGH", (14, 26, 9, 14, 9, 12, 60, 60), strict=True):
        sheet.column_dimensions[letter].width = width
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = f"A1:H{sheet.max_row}"


def _about_sheet(book: Any, portfolio: Portfolio) -> None:
    from pmo_kit import __version__

    Font = require_openpyxl().styles.Font
    sheet = book.create_sheet(ABOUT_SHEET)
    rows = (
        ("key", "value"),
        ("organisation", portfolio.name),
        ("currency", portfolio.currency),
        ("written by", f"pmo-kit {__version__}"),
        (
            "note",
            "One sheet per table; read back with: pmo-kit import excel FILE "
            "--into DATASET",
        ),
    )
    for row in rows:
        sheet.append(row)
        for cell in sheet[sheet.max_row]:
            cell.data_type = "s"
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    sheet.column_dimensions["A"].width = 14
    sheet.column_dimensions["B"].width = 60
