"""
Answer files of the maturity self-assessment: read and validate them.

Two shapes are read (the suffix decides):

- YAML (``.yaml``/``.yml``): rater -> {statement id: 0, 1 or 2};
- CSV (``.csv``): a header ``rater,statement,answer`` and one row per answer.

Every problem is one line naming the file, the row (CSV) or rater and statement
(YAML), the column, the bad value and what is allowed. A statement left out counts
0 when scored (:func:`pmo_kit.maturity.assess`).

``SAMPLE_ANSWERS_PATH`` is a sample self-assessment of the bundled organisation
(Meridian Works) by three raters.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pmo_kit._errors import ValidationError
from pmo_kit.maturity.model import default_questionnaire

if TYPE_CHECKING:
    import os

    from pmo_kit.maturity.model import Questionnaire

__all__ = ["CSV_COLUMNS", "SAMPLE_ANSWERS_PATH", "read_answers", "sample_answers"]

#: The sample self-assessment of Meridian Works (three raters).
SAMPLE_ANSWERS_PATH = Path(__file__).with_name("sample_answers.yaml")

#: The columns of a CSV answer file, in order.
CSV_COLUMNS: tuple[str, ...] = ("rater", "statement", "answer")

_ALLOWED = "0 (not true), 1 (partly true) or 2 (fully true)"


def _statement(name: str, where: str, value: Any, known: set[str], column: str) -> str:
    sid = str(value).strip() if value is not None else ""
    if sid not in known:
        msg = (
            f"{name}: {where}, {column}: {sid!r} is not a statement id of the "
            "questionnaire. Allowed: ids like 'risk-3b' (area, level 1-5, letter)"
        )
        raise ValidationError(msg)
    return sid


def _answer(name: str, where: str, value: Any) -> int:
    if isinstance(value, bool):
        text = repr(value)
    elif isinstance(value, int):
        if value in (0, 1, 2):
            return value
        text = repr(value)
    else:
        stripped = str(value).strip() if value is not None else ""
        if stripped in ("0", "1", "2"):
            return int(stripped)
        text = repr(stripped)
    msg = f"{name}: {where}: {text} is not an answer. Allowed: {_ALLOWED}"
    raise ValidationError(msg)


def _from_yaml(name: str, text: str, known: set[str]) -> dict[str, dict[str, int]]:
    import yaml

    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = f"line {mark.line + 1}" if mark is not None else "somewhere"
        msg = f"{name}: {line}: not valid YAML. Allowed: rater -> {{statement: 0-2}}"
        raise ValidationError(msg) from None
    if not isinstance(data, dict) or not data:
        msg = (
            f"{name}: the file must map rater name -> {{statement id: answer}} "
            "(e.g. 'ana: {risk-1a: 2}'), found "
            f"{type(data).__name__ if data is not None else 'nothing'}"
        )
        raise ValidationError(msg)
    out: dict[str, dict[str, int]] = {}
    for rater, answers in data.items():
        who = str(rater).strip()
        if not who:
            msg = f"{name}: a rater has an empty name. Allowed: any non-empty name"
            raise ValidationError(msg)
        if not isinstance(answers, dict):
            msg = (
                f"{name}: rater {who!r}: {answers!r} is not a mapping. Allowed: "
                f"statement id -> {_ALLOWED}"
            )
            raise ValidationError(msg)
        given: dict[str, int] = {}
        for sid, value in answers.items():
            where = f"rater {who!r}"
            checked = _statement(name, where, sid, known, "statement")
            given[checked] = _answer(name, f"{where}, statement {checked!r}", value)
        out[who] = given
    return out


def _from_csv(name: str, text: str, known: set[str]) -> dict[str, dict[str, int]]:
    rows = list(csv.reader(io.StringIO(text)))
    header = [c.strip() for c in rows[0]] if rows else []
    if tuple(header) != CSV_COLUMNS:
        msg = (
            f"{name}: row 1 (header): {','.join(header)!r} is not the header. "
            f"Allowed: {','.join(CSV_COLUMNS)}"
        )
        raise ValidationError(msg)
    out: dict[str, dict[str, int]] = {}
    for number, row in enumerate(rows[1:], start=2):
        if not any(cell.strip() for cell in row):
            continue
        if len(row) != len(CSV_COLUMNS):
            msg = (
                f"{name}: row {number}: {len(row)} values, expected "
                f"{len(CSV_COLUMNS)}. Allowed: {','.join(CSV_COLUMNS)}"
            )
            raise ValidationError(msg)
        rater = row[0].strip()
        if not rater:
            msg = f"{name}: row {number}, column 'rater': '' is empty. Allowed: a name"
            raise ValidationError(msg)
        where = f"row {number}"
        sid = _statement(name, where, row[1], known, "column 'statement'")
        answers = out.setdefault(rater, {})
        if sid in answers:
            msg = (
                f"{name}: row {number}, column 'statement': {sid!r} is answered "
                f"twice by {rater!r}. Allowed: one answer per rater and statement"
            )
            raise ValidationError(msg)
        answers[sid] = _answer(name, f"{where}, column 'answer'", row[2])
    if not out:
        msg = f"{name}: no answers. Allowed: one row per rater and statement"
        raise ValidationError(msg)
    return out


def read_answers(
    path: str | os.PathLike[str], questionnaire: Questionnaire | None = None
) -> dict[str, dict[str, int]]:
    """
    Read an answer file (YAML or CSV) into the dict :func:`assess` takes.

    Parameters
    ----------
    path
        A ``.yaml``/``.yml`` file (rater -> {statement id: 0, 1 or 2}) or a
        ``.csv`` file with the columns ``rater,statement,answer``.
    questionnaire
        The statements answered (default: the kit's questionnaire).

    Returns
    -------
    dict
        Rater -> (statement id -> 0, 1 or 2), in file order.

    Raises
    ------
    ValidationError
        One line naming the file, the row or rater, the column, the bad value and
        what is allowed.

    Examples
    --------
    >>> answers = read_answers(SAMPLE_ANSWERS_PATH)
    >>> list(answers), answers["pmo_lead"]["risk-3a"]
    (['pmo_lead', 'finance_director', 'project_manager'], 2)
    """
    file = Path(path)
    name = str(file)
    suffix = file.suffix.lower()
    if suffix not in (".yaml", ".yml", ".csv"):
        msg = (
            f"{name}: {file.suffix!r} is not an answer file type. "
            "Allowed: .yaml, .yml, .csv"
        )
        raise ValidationError(msg)
    if not file.is_file():
        what = "is a folder, not a file" if file.exists() else "does not exist"
        msg = f"{name}: the answer file {what}. Allowed: a YAML or CSV file"
        raise ValidationError(msg)
    text = file.read_text(encoding="utf-8-sig")
    known = {s.id for s in (questionnaire or default_questionnaire()).statements}
    if suffix == ".csv":
        return _from_csv(name, text, known)
    return _from_yaml(name, text, known)


def sample_answers() -> dict[str, dict[str, int]]:
    """Return the sample self-assessment of Meridian Works (three raters)."""
    return read_answers(SAMPLE_ANSWERS_PATH)
