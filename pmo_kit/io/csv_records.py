"""The rows of another tool's CSV export, read one way for every importer."""

from __future__ import annotations

import csv
from typing import TYPE_CHECKING

from pmo_kit._errors import ValidationError

if TYPE_CHECKING:
    from pathlib import Path

__all__ = ["read_csv_records"]


def read_csv_records(
    path: Path, *, not_text: str, empty: str
) -> tuple[list[str], list[list[str]]]:
    """
    Read a CSV export: its header (stripped) and its records, padded to the header.

    A byte-order mark, CRLF line ends and quoted newlines are allowed; blank lines at
    the end are dropped. A missing file, text that is not UTF-8, a file that is not
    CSV, an empty file and a row with more cells than the header are each one
    :class:`ValidationError` line naming the file (and row).

    Parameters
    ----------
    path
        The exported file.
    not_text
        What to tell the user after "not UTF-8 text (...)": how to export again.
    empty
        What an empty file should have held, e.g. "Expected a header row".
    """
    try:
        with path.open(encoding="utf-8-sig", newline="") as handle:
            records = list(csv.reader(handle))
    except FileNotFoundError:
        msg = f"{path}: no such file"
        raise ValidationError(msg) from None
    except UnicodeDecodeError as exc:
        msg = f"{path}: not UTF-8 text ({exc.reason} at byte {exc.start}){not_text}"
        raise ValidationError(msg) from None
    except csv.Error as exc:
        msg = f"{path}: not a CSV file ({exc}). {empty}"
        raise ValidationError(msg) from None
    while records and not any(cell.strip() for cell in records[-1]):
        records.pop()  # blank lines at the end of the file
    if not records:
        msg = f"{path}: the file is empty. {empty}"
        raise ValidationError(msg)
    header = [name.strip() for name in records[0]]
    body = records[1:]
    for number, record in enumerate(body, start=2):
        if len(record) > len(header) and any(c.strip() for c in record[len(header) :]):
            msg = (
                f"{path}, row {number}: {len(record)} cells but the header has "
                f"{len(header)} columns. Check the quoting of that row"
            )
            raise ValidationError(msg)
        record.extend([""] * (len(header) - len(record)))
    return header, body
