"""
Column mappings: read a register kept in someone else's layout.

Registers arrive in every layout: "Risk ID" instead of ``risk_id``, "Likelihood
(1-5)" instead of ``probability``, "Open" instead of ``open``. A small YAML file
says how to read one sheet as one canonical table::

    sheet: Risk Register          # default: the first sheet
    table: risks
    header_row: 1                 # the row with the column headers (default 1)
    columns:                      # their header: our column (or a list of ours)
      Risk ID: risk_id
      Description: [title, event]
      Likelihood (1-5): probability
    values:                       # per column of ours: their value: our value
      status: {Open: open, Closed: closed}
    defaults:                     # a value for columns they do not have (or leave
      project_id: P-001           # empty)
      type: threat

Values are matched exactly, then ignoring case and surrounding spaces; anything
not mapped goes through the table's validation as it is, so an unknown value is
reported with the sheet, row, column and the values allowed.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from pmo_kit._errors import ValidationError
from pmo_kit.data.schemas import SCHEMAS
from pmo_kit.data.yaml_files import read_yaml

if TYPE_CHECKING:
    import os

__all__ = ["MAPPING_KEYS", "ColumnMapping", "read_mapping"]

#: The keys a mapping file may hold.
MAPPING_KEYS = ("sheet", "table", "header_row", "columns", "values", "defaults")


@dataclass(frozen=True)
class ColumnMapping:
    """
    How to read one sheet in another layout as one canonical table.

    Parameters
    ----------
    table
        The canonical table the sheet holds (``risks``, ``projects``, ...).
    columns
        Their header -> our column(s).
    sheet
        The sheet to read; None for the first sheet.
    header_row
        The spreadsheet row holding the headers (rows above it are skipped).
    values
        Our column -> {their value: our value}.
    defaults
        Our column -> value used where the sheet has no column or an empty cell.
    source
        How messages name the mapping (its file).
    """

    table: str
    columns: dict[str, tuple[str, ...]]
    sheet: str | None = None
    header_row: int = 1
    values: dict[str, dict[str, str]] = field(default_factory=dict)
    defaults: dict[str, str] = field(default_factory=dict)
    source: str = "mapping"

    def translate(self, column: str, text: str) -> str:
        """Return ``text`` mapped through ``values`` for ``column`` (or unchanged)."""
        table = self.values.get(column)
        if not table or not text:
            return text
        if text in table:
            return table[text]
        folded = text.strip().casefold()
        for theirs, ours in table.items():
            if theirs.strip().casefold() == folded:
                return ours
        return text


def read_mapping(path: str | os.PathLike[str]) -> ColumnMapping:
    """
    Read and check a mapping YAML file.

    Raises
    ------
    ValidationError
        One line naming the file, the key, the bad value and what is allowed.
    """
    file = Path(path)
    data = read_yaml(file, what="column mapping")
    where = str(file)
    if not isinstance(data, dict):
        msg = (
            f"{where}: expected a YAML mapping with the keys table and columns, got "
            f"{type(data).__name__}. Allowed keys: {', '.join(MAPPING_KEYS)}"
        )
        raise ValidationError(msg)
    unknown = [str(k) for k in data if k not in MAPPING_KEYS]
    if unknown:
        msg = (
            f"{where}: {unknown[0]!r} is not a mapping key. "
            f"Allowed: {', '.join(MAPPING_KEYS)}"
        )
        raise ValidationError(msg)
    table = data.get("table")
    if table not in SCHEMAS:
        msg = (
            f"{where}, key 'table': {table!r} is not a table. "
            f"Allowed: {', '.join(SCHEMAS)}"
        )
        raise ValidationError(msg)
    schema = SCHEMAS[str(table)]
    known = schema.column_names

    def check_column(key: str, name: object) -> str:
        if not isinstance(name, str) or name not in known:
            msg = (
                f"{where}, key {key!r}: {name!r} is not a column of table {table!r}. "
                f"Allowed: {', '.join(known)}"
            )
            raise ValidationError(msg)
        return name

    raw_columns = data.get("columns")
    if not isinstance(raw_columns, dict) or not raw_columns:
        msg = (
            f"{where}, key 'columns': expected 'their header: our column' lines, got "
            f"{raw_columns!r}. Allowed: a mapping of headers to columns of {table!r}"
        )
        raise ValidationError(msg)
    columns: dict[str, tuple[str, ...]] = {}
    targets: set[str] = set()
    for header, ours in raw_columns.items():
        names = ours if isinstance(ours, list) else [ours]
        checked = tuple(check_column("columns", n) for n in names)
        for name in checked:
            if name in targets:
                msg = (
                    f"{where}, key 'columns': {name!r} is mapped from two headers. "
                    "Allowed: each column of ours once"
                )
                raise ValidationError(msg)
            targets.add(name)
        columns[_text(header)] = checked
    values: dict[str, dict[str, str]] = {}
    raw_values = data.get("values") or {}
    if not isinstance(raw_values, dict):
        msg = f"{where}, key 'values': expected 'column: {{theirs: ours}}' lines"
        raise ValidationError(msg)
    for column, table_values in raw_values.items():
        name = check_column("values", column)
        if not isinstance(table_values, dict):
            msg = (
                f"{where}, key 'values', column {name!r}: expected "
                f"'their value: our value' lines, got {table_values!r}"
            )
            raise ValidationError(msg)
        values[name] = {_text(k): _text(v) for k, v in table_values.items()}
    raw_defaults = data.get("defaults") or {}
    if not isinstance(raw_defaults, dict):
        msg = f"{where}, key 'defaults': expected 'column: value' lines"
        raise ValidationError(msg)
    defaults = {check_column("defaults", k): _text(v) for k, v in raw_defaults.items()}
    sheet = data.get("sheet")
    header_row = data.get("header_row", 1)
    if (
        isinstance(header_row, bool)
        or not isinstance(header_row, int)
        or header_row < 1
    ):
        msg = (
            f"{where}, key 'header_row': {header_row!r} is not a row number. "
            "Allowed: whole numbers >= 1"
        )
        raise ValidationError(msg)
    return ColumnMapping(
        table=str(table),
        columns=columns,
        sheet=None if sheet is None else _text(sheet),
        header_row=header_row,
        values=values,
        defaults=defaults,
        source=where,
    )


def _text(value: object) -> str:
    """YAML turns 2026-01-05 into a date and Yes into True; bring back the text."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dt.datetime):
        return value.strftime("%Y-%m-%d %H:%M:%S")
    if isinstance(value, dt.date):
        return value.isoformat()
    if value is None:
        return ""
    return str(value)
