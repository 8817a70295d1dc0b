"""
Charter files: read one project's YAML into a Charter, write it back atomically.

The format is the one of ``datasets/meridian/charters/*.yaml``; a charter saved
here reads back identical, and a file written by the sample-data generator is
written back byte for byte.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import yaml

from pmo_kit._errors import ValidationError
from pmo_kit.charter.model import Charter
from pmo_kit.data.tables import SAFE_LOADER, atomic_write_text

if TYPE_CHECKING:
    import os

__all__ = ["charter_yaml", "load_charter", "save_charter"]

# libyaml's safe loader/dumper when PyYAML has it, else pure Python

_SafeDumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)


def load_charter(path: str | os.PathLike[str]) -> Charter:
    """
    Read one project's charter from its YAML file.

    Parameters
    ----------
    path
        A charter file such as ``datasets/meridian/charters/P-001.yaml``.

    Returns
    -------
    Charter
        With ``source`` set to the path, so later messages name the file.

    Raises
    ------
    ValidationError
        The file is missing, not UTF-8, not valid YAML (the message gives the line
        and column) or breaks the charter's structure. The file is only read.

    Examples
    --------
    >>> from pmo_kit.data.portfolio import bundled_dataset_path
    >>> charter = load_charter(bundled_dataset_path() / "charters" / "P-001.yaml")
    >>> charter.sponsor.name
    'Sofia Marin'
    """
    file = Path(path)
    if not file.is_file():
        msg = f"{file}: charter file not found. Allowed: a YAML file, one per project"
        raise ValidationError(msg)
    try:
        text = file.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        msg = f"{file}: not valid UTF-8 text. Allowed: a UTF-8 YAML file"
        raise ValidationError(msg) from None
    try:
        data = yaml.load(text, Loader=SAFE_LOADER)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f", line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        problem = getattr(exc, "problem", None) or str(exc)
        msg = (
            f"{file}{where}: not valid YAML ({problem}). Allowed: 'key: value' lines; "
            "quote text that contains ': ' or starts with a special character"
        )
        raise ValidationError(msg) from None
    return Charter.from_dict(data, source=str(file))


def charter_yaml(charter: Charter) -> str:
    """
    Return the charter as YAML text, in the format of the sample files.

    Examples
    --------
    >>> print(charter_yaml(Charter.from_dict({"project_id": "P-099", "title": "X"})))
    ... # doctest: +ELLIPSIS
    project_id: P-099
    title: X
    purpose: null
    objectives: []
    ...
    """
    text: str = yaml.dump(
        charter.to_dict(),
        Dumper=_SafeDumper,
        sort_keys=False,
        allow_unicode=True,
        width=88,
    )
    return text


def save_charter(charter: Charter, path: str | os.PathLike[str]) -> Path:
    """
    Write a charter as YAML, atomically.

    The whole text is produced first, then written to a temporary file in the same
    folder and renamed over ``path``: if anything fails, the old file is left
    exactly as it was, never half-written.

    Returns
    -------
    pathlib.Path
        The file written.
    """
    if not isinstance(charter, Charter):
        msg = (
            f"{charter!r} is not a Charter. Allowed: a Charter, e.g. "
            "Charter.from_dict(data) or load_charter(path)"
        )
        raise ValidationError(msg)
    text = charter_yaml(charter)
    target = Path(path)
    atomic_write_text(target, text)
    return target
