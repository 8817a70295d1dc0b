"""
Read, validate and write canonical tables.

Every problem is reported as ``<file>, row <n>, column '<name>': <bad value>
<what is wrong>. Allowed: <what is allowed>``. Rows are counted as in a
spreadsheet: the header is row 1, so the first data row is row 2.
"""

from __future__ import annotations

import csv
import io
import os
import re
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd
import yaml

from pmo_kit._errors import ValidationError
from pmo_kit.data.schemas import SCHEMAS, Column, TableSchema

if TYPE_CHECKING:
    from collections.abc import Iterator, Mapping

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

#: How many problems of one kind are listed before the rest are only counted.
MAX_PROBLEMS_PER_RULE = 20

#: PyYAML's safe loader, the C one (libyaml) when it is installed: safe_load speed.
SAFE_LOADER: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def read_settings(
    source: str | os.PathLike[str] | Mapping[str, object], *, what: str
) -> tuple[object, str]:
    """
    Read a PMO settings file (YAML), or take settings already given as a mapping.

    Used by everything the PMO keeps as data rather than code: RAG rules, risk
    matrices, gate rules, standards.

    Parameters
    ----------
    source
        A path to a YAML file, or the parsed settings.
    what
        What the settings are, for messages ("gate rules").

    Returns
    -------
    tuple
        The parsed data (not yet checked: any YAML value) and how to name its source
        in messages: ``"the gate rules"`` or ``"the gate rules in 'x.yaml'"``.

    Raises
    ------
    ValidationError
        The file does not exist, is not UTF-8, or is not valid YAML (with the line
        and column).

    Examples
    --------
    >>> read_settings({"go_threshold": 3.0}, what="gate rules")
    ({'go_threshold': 3.0}, 'the gate rules')
    >>> read_settings("nope.yaml", what="gate rules")
    Traceback (most recent call last):
    ...
    pmo_kit._errors.ValidationError: gate rules file 'nope.yaml' does not exist
    """
    if not isinstance(source, str | os.PathLike):
        return source, f"the {what}"
    path = Path(source)
    if not path.is_file():
        msg = f"{what} file {str(path)!r} does not exist"
        raise ValidationError(msg)
    try:
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=SAFE_LOADER)
    except UnicodeDecodeError:
        msg = f"{str(path)!r} is not valid UTF-8 text. Allowed: a UTF-8 YAML file"
        raise ValidationError(msg) from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        at = f"line {mark.line + 1}, column {mark.column + 1}: " if mark else ""
        problem = getattr(exc, "problem", None) or str(exc)
        msg = f"{str(path)!r} is not valid YAML ({at}{problem})"
        raise ValidationError(msg) from None
    return data, f"the {what} in {str(path)!r}"


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
    return validate_frame(frame, schema, source=str(path), first_row=2)


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


def atomic_write_text(path: str | os.PathLike[str], text: str) -> None:
    """Write UTF-8 text to ``path`` through a temporary file and an atomic rename."""
    atomic_write_bytes(path, text.encode("utf-8"))


def atomic_write_bytes(path: str | os.PathLike[str], data: bytes) -> None:
    """
    Write bytes to ``path`` so that readers see either the old or the new file.

    The data goes to a temporary file in the same folder, is flushed to disk, and
    replaces ``path`` with :func:`os.replace`. On any error the temporary file is
    removed and ``path`` is untouched.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        # mkstemp makes the file private (0600); give it the mode a new file would
        # get, or keep the mode of the file it replaces.
        mode = (
            path.stat().st_mode & 0o777 if path.exists() else 0o666 & ~current_umask()
        )
        Path(tmp).chmod(mode)
        Path(tmp).replace(path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


# --------------------------------------------------------------------------- helpers


def current_umask() -> int:
    """Return the process umask (without changing it for longer than one call)."""
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


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
    problems = [
        f"{_where(source, int(rows[i]), column.name)}: {_show(values.iloc[i])} {what}. "
        f"Allowed: {column.allowed_text()}"
        for i in positions[:MAX_PROBLEMS_PER_RULE]
    ]
    if len(positions) > MAX_PROBLEMS_PER_RULE:
        problems.append(
            f"{source}, column {column.name!r}: "
            f"{len(positions) - MAX_PROBLEMS_PER_RULE} more rows with the same problem"
        )
    return problems


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
            for i in positions[:MAX_PROBLEMS_PER_RULE]
        )
    kind = column.kind
    if kind == "str":
        values = raw.astype("object").astype(str).str.strip().where(~blank, None)
        present = ~blank
        if column.allowed is not None:
            bad = present & ~values.isin(column.allowed)
            problems.extend(
                _report(bad, values, rows, source, column, "is not allowed")
            )
        if column.pattern is not None:
            regex = re.compile(column.pattern)
            matches = values.map(lambda v: bool(regex.fullmatch(v)), na_action="ignore")
            bad = present & ~matches.fillna(True).astype(bool)
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
    reported = 0
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
            reported += 1
            if reported >= MAX_PROBLEMS_PER_RULE:
                return
        else:
            seen[values] = int(rows[i])
