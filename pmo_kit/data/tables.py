"""
Read, validate and write canonical tables.

Every problem is reported as ``<file>, row <n>, column '<name>': <bad value>
<what is wrong>. Allowed: <what is allowed>``. Rows are counted as in a
spreadsheet: the header is row 1, so the first data row is row 2.
"""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from pmo_kit._errors import ValidationError
from pmo_kit.data.atomic import atomic_write_bytes, atomic_write_text, current_umask
from pmo_kit.data.schemas import SCHEMAS, Column, TableSchema
from pmo_kit.data.yaml_files import SAFE_LOADER, read_settings

if TYPE_CHECKING:
    import os
    from collections.abc import Iterator

__all__ = [
    "SAFE_LOADER",
    "atomic_write_bytes",
    "atomic_write_text",
    "current_umask",
    "empty_table",
    "read_settings",
    "read_table",
    "validate_frame",
    "write_table",
]

_DATE_FORMAT = "%Y-%m-%d"
_TRUE = {"true", "yes", "1", "y"}
_FALSE = {"false", "no", "0", "n"}


def read_table(path: str | os.PathLike[str], schema: TableSchema | str) -> pd.DataFrame:
    """
    Read one canonical table from a CSV file and validate it.

    Parameters
    ----------
    path
        The CSV file (UTF-8, with or without a byte-order mark).
    schema
        The table's schema, or its name (``"tasks"``).

    Returns
    -------
    pandas.DataFrame
        Columns converted to their declared types (dates as ``datetime64``).

    Raises
    ------
    ValidationError
        The file is missing, empty, not UTF-8, not CSV, or breaks a declared rule.
        The message names the file, row, column, bad value and what is allowed.
    """
    schema = _schema(schema)
    path = Path(path)
    if path.is_dir():
        msg = (
            f"{path}: is a folder, not a file; table {schema.name!r} is a CSV file "
            f"({schema.description}). Allowed: a CSV file named {schema.file_name}"
        )
        raise ValidationError(msg)
    if not path.is_file():
        msg = (
            f"{path}: file not found; table {schema.name!r} is required "
            f"({schema.description})"
        )
        raise ValidationError(msg)
    raw_bytes = path.read_bytes()
    try:
        text = raw_bytes.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw_bytes[: exc.start].count(b"\n") + 1
        bad = raw_bytes[exc.start : exc.start + 1].hex()
        msg = (
            f"{path}, line {line}: byte 0x{bad} is not valid UTF-8 (the file was "
            "probably saved as Latin-1/Windows-1252). Allowed: UTF-8 text; in Excel "
            "use 'Save As > CSV UTF-8'"
        )
        raise ValidationError(msg) from None
    if not text.strip():
        msg = (
            f"{path}: file is empty. Allowed: a header row with the columns "
            f"{', '.join(schema.column_names)}, then one row per record"
        )
        raise ValidationError(msg)
    try:
        frame = pd.read_csv(
            io.StringIO(text),
            dtype=str,
            keep_default_na=False,
            na_values=[],
            skipinitialspace=True,
        )
    except (pd.errors.ParserError, csv.Error) as exc:
        msg = f"{path}: not a valid CSV file: {exc}"
        raise ValidationError(msg) from None
    if not any(c.name in frame.columns for c in schema.columns if c.required):
        _refuse_other_dialect(path, text, schema)
    return validate_frame(frame, schema, source=str(path), first_row=2)


def _refuse_other_dialect(path: Path, text: str, schema: TableSchema) -> None:
    """Name a semicolon- or tab-separated file (European Excel's "CSV") as such."""
    header = text.lstrip("\ufeff").splitlines()[0]
    for separator, name in ((";", "';' separators"), ("\t", "tab separators")):
        if header.count(separator) < 1 or "," in header:
            continue
        if not any(h.strip() in schema.column_names for h in header.split(separator)):
            continue
        decimal_comma = re.search(r"(?:^|[;\t])\s*-?\d+,\d+\s*(?=[;\t]|$)", text, re.M)
        kind = "a European CSV" if decimal_comma else "a CSV in another dialect"
        commas = ", decimal commas" if decimal_comma else ""
        msg = (
            f"{path}: looks like {kind} ({name}{commas}). Allowed: comma-separated, "
            "decimal point; re-save as CSV UTF-8 (in Excel: 'Save As > CSV UTF-8', "
            "with '.' as the decimal separator)"
        )
        raise ValidationError(msg)


def validate_frame(
    frame: pd.DataFrame,
    schema: TableSchema | str,
    *,
    source: str | None = None,
    first_row: int = 0,
) -> pd.DataFrame:
    """
    Validate a DataFrame against a schema and convert its columns.

    Parameters
    ----------
    frame
        Values as text (straight from a CSV) or already typed.
    schema
        The table's schema, or its name.
    source
        How to name the data in messages (a file path); defaults to the table name.
    first_row
        Row number reported for the first row (2 for a CSV with a header row).

    Returns
    -------
    pandas.DataFrame
        A new frame: declared columns first, in declared order, then any extra ones.

    Raises
    ------
    ValidationError
        Lists every problem found; the message shows the first and counts the rest.

    Examples
    --------
    >>> import pandas as pd
    >>> bad = pd.DataFrame({"resource_id": ["R-001"], "name": ["Ada"],
    ...     "role": ["PM"], "skills": [""], "capacity_hours": ["-4"],
    ...     "cost_rate": ["80"], "calendar": ["standard"]})
    >>> validate_frame(bad, "resources", source="resources.csv", first_row=2)
    Traceback (most recent call last):
    ...
    pmo_kit._errors.ValidationError: resources.csv, row 2, column 'capacity_hours': -4 \
is out of range. Allowed: numbers from 0 to 60 (hours/week)
    """
    schema = _schema(schema)
    source = source or f"table {schema.name!r}"
    missing = [c.name for c in schema.columns if c.required and c.name not in frame]
    if missing:
        plural = "s" if len(missing) > 1 else ""
        msg = (
            f"{source}: missing column{plural} {', '.join(repr(m) for m in missing)}. "
            f"Expected columns: {', '.join(schema.column_names)}"
        )
        raise ValidationError(msg)
    frame = frame.reset_index(drop=True)
    rows = np.arange(first_row, first_row + len(frame))
    problems: list[str] = []
    out: dict[str, pd.Series] = {}
    for column in schema.columns:
        if column.name not in frame:
            out[column.name] = _empty_series(column, len(frame))
            continue
        converted, column_problems = _convert(frame[column.name], column, source, rows)
        out[column.name] = converted
        problems.extend(column_problems)
    result = pd.DataFrame(out, index=frame.index)
    for extra in frame.columns:
        if extra not in result:
            result[extra] = frame[extra]
    if not problems:
        problems.extend(_duplicate_keys(result, schema, source, rows))
    if problems:
        raise ValidationError.from_problems(problems)
    return result


def empty_table(schema: TableSchema | str) -> pd.DataFrame:
    """Return a table with the schema's columns and no rows."""
    schema = _schema(schema)
    return pd.DataFrame({c.name: _empty_series(c, 0) for c in schema.columns})


def write_table(frame: pd.DataFrame, path: str | os.PathLike[str]) -> None:
    """
    Write a table as UTF-8 CSV, atomically (temp file + rename).

    Dates are written as ``YYYY-MM-DD`` and date-times as ``YYYY-MM-DD HH:MM:SS``,
    so the file reads back identically.
    """
    out = frame.copy()
    for name in out.columns:
        series = out[name]
        if pd.api.types.is_datetime64_any_dtype(series):
            has_time = bool((series.dropna() != series.dropna().dt.normalize()).any())
            fmt = "%Y-%m-%d %H:%M:%S" if has_time else _DATE_FORMAT
            out[name] = series.dt.strftime(fmt)
    buffer = io.StringIO()
    out.to_csv(buffer, index=False, lineterminator="\n")
    atomic_write_text(path, buffer.getvalue())


# --------------------------------------------------------------------------- helpers


def _schema(schema: TableSchema | str) -> TableSchema:
    if isinstance(schema, TableSchema):
        return schema
    try:
        return SCHEMAS[schema]
    except KeyError:
        known = ", ".join(SCHEMAS)
        msg = f"{schema!r} is not a canonical table. Known tables: {known}"
        raise ValidationError(msg) from None


def _empty_series(column: Column, n: int) -> pd.Series:
    dtype = {
        "str": "object",
        "int": "Int64",
        "float": "float64",
        "date": "datetime64[ns]",
        "datetime": "datetime64[ns]",
        "bool": "boolean",
    }[column.kind]
    return pd.Series([None] * n, dtype=dtype)


def _blank(series: pd.Series) -> pd.Series:
    """Return True where a cell is empty (NaN/None or whitespace-only text)."""
    isna = series.isna()
    if series.dtype == object or pd.api.types.is_string_dtype(series):
        text = series.astype("object").where(~isna, "").astype(str)
        return isna | (text.str.strip() == "")
    return isna


def _show(value: object) -> str:
    if isinstance(value, str):
        return repr(value)
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, pd.Timestamp):
        return value.strftime(_DATE_FORMAT)
    return str(value)


def _where(source: str, row: int, column: str) -> str:
    return f"{source}, row {row}, column {column!r}"


def _report(
    mask: pd.Series,
    values: pd.Series,
    rows: np.ndarray,
    source: str,
    column: Column,
    what: str,
) -> list[str]:
    positions = np.flatnonzero(mask.to_numpy(dtype=bool))
    return [
        f"{_where(source, int(rows[i]), column.name)}: {_show(values.iloc[i])} {what}. "
        f"Allowed: {column.allowed_text()}"
        for i in positions
    ]


def _convert(
    raw: pd.Series,
    column: Column,
    source: str,
    rows: np.ndarray,
) -> tuple[pd.Series, list[str]]:
    raw = raw.reset_index(drop=True)
    blank = _blank(raw)
    problems: list[str] = []
    if not column.nullable and blank.any():
        positions = np.flatnonzero(blank.to_numpy(dtype=bool))
        problems.extend(
            f"{_where(source, int(rows[i]), column.name)}: value is missing. "
            f"Allowed: {column.allowed_text()}"
            for i in positions
        )
    kind = column.kind
    if kind == "str":
        stripped = raw.astype("object").astype(str).str.strip().astype("object")
        values = stripped.where(~blank, None)  # empty cells are None, never NaN
        present = ~blank
        if column.allowed is not None:
            bad = present & ~values.isin(column.allowed)
            problems.extend(
                _report(bad, values, rows, source, column, "is not allowed")
            )
        if column.pattern is not None:
            regex = re.compile(column.pattern)
            matches = values.map(lambda v: bool(regex.fullmatch(v)), na_action="ignore")
            bad = present & ~matches.astype("object").fillna(True).astype(bool)
            problems.extend(
                _report(
                    bad, values, rows, source, column, "does not have the expected form"
                )
            )
        return values.astype("object"), problems
    if kind in {"int", "float"}:
        as_text = raw.astype("object").where(~blank, None)
        numbers = pd.to_numeric(as_text, errors="coerce")
        bad_type = ~blank & numbers.isna()
        word = "whole number" if kind == "int" else "number"
        problems.extend(
            _report(bad_type, raw, rows, source, column, f"is not a {word}")
        )
        ok = ~blank & ~bad_type
        if kind == "int":
            fractional = ok & (numbers.fillna(0) % 1 != 0)
            problems.extend(
                _report(fractional, raw, rows, source, column, "is not a whole number")
            )
        out_of_range = pd.Series(False, index=raw.index)
        if column.minimum is not None:
            out_of_range |= ok & (numbers < column.minimum)
        if column.maximum is not None:
            out_of_range |= ok & (numbers > column.maximum)
        problems.extend(
            _report(out_of_range, numbers, rows, source, column, "is out of range")
        )
        if kind == "int" and not problems:
            return numbers.round().astype("Int64"), problems
        return numbers.astype("float64"), problems
    if kind in {"date", "datetime"}:
        if pd.api.types.is_datetime64_any_dtype(raw):
            parsed = raw.astype("datetime64[ns]")
            bad = pd.Series(False, index=raw.index)
        else:
            text = raw.astype("object").astype(str).str.strip().where(~blank, None)
            fmt = _DATE_FORMAT if kind == "date" else "ISO8601"
            parsed = pd.to_datetime(text, format=fmt, errors="coerce").astype(
                "datetime64[ns]"
            )
            bad = ~blank & parsed.isna()
        problems.extend(_report(bad, raw, rows, source, column, "is not a valid date"))
        if kind == "date":
            parsed = parsed.dt.normalize()
        return parsed, problems
    # bool
    lowered = raw.astype("object").map(
        lambda v: str(v).strip().lower(), na_action="ignore"
    )
    truth = lowered.map(
        lambda v: True if v in _TRUE else (False if v in _FALSE else None)
    )
    bad = ~blank & truth.isna()
    problems.extend(_report(bad, raw, rows, source, column, "is not true/false"))
    return truth.astype("boolean"), problems


def _duplicate_keys(
    frame: pd.DataFrame,
    schema: TableSchema,
    source: str,
    rows: np.ndarray,
) -> Iterator[str]:
    key = list(schema.key)
    dup = frame.duplicated(subset=key, keep=False)
    if not dup.any():
        return
    seen: dict[tuple[object, ...], int] = {}
    for i in np.flatnonzero(dup.to_numpy()):
        values = tuple(frame.iloc[i][k] for k in key)
        if values in seen:
            shown = ", ".join(
                f"{k}={_show(v)}" for k, v in zip(key, values, strict=True)
            )
            yield (
                f"{source}, row {int(rows[i])}: duplicate key ({shown}), first used on "
                f"row {seen[values]}. Allowed: each ({', '.join(key)}) once"
            )
        else:
            seen[values] = int(rows[i])
