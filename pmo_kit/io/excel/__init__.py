"""
Excel workbooks in and out: the PMO's registers as a workbook, and back.

- :func:`write_workbook`: a dataset as ``.xlsx``, one sheet per canonical table
  (registers first), with drop-down lists, formats and a data dictionary.
- :func:`read_workbook` / :func:`import_workbook`: a workbook back into a dataset
  through the same validation as CSV, all or nothing.
- :func:`read_mapping`: a small YAML file that reads a register kept in another
  layout (other headers, other values) as one canonical table.

openpyxl (the ``excel`` extra) is imported only when a workbook is read or
written; without it the one-line :data:`INSTALL_HINT` is raised.
"""

from __future__ import annotations

from pmo_kit.io.excel.common import INSTALL_HINT, REGISTERS, SHEET_ORDER
from pmo_kit.io.excel.mapping import ColumnMapping, read_mapping
from pmo_kit.io.excel.reader import (
    ExcelImport,
    WorkbookTables,
    import_workbook,
    read_workbook,
)
from pmo_kit.io.excel.writer import workbook_bytes, write_workbook

__all__ = [
    "INSTALL_HINT",
    "REGISTERS",
    "SHEET_ORDER",
    "ColumnMapping",
    "ExcelImport",
    "WorkbookTables",
    "import_workbook",
    "read_mapping",
    "read_workbook",
    "workbook_bytes",
    "write_workbook",
]
