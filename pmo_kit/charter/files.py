"""
Charter files: read one project's YAML into a Charter, write it back atomically.

The format is the one of ``datasets/meridian/charters/*.yaml``; a charter saved
here reads back identical, and a file written by the sample-data generator is
written back byte for byte.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from pmo_kit._errors import ValidationError
from pmo_kit.charter.model import Charter
from pmo_kit.data.atomic import atomic_write_text
from pmo_kit.data.yaml_files import dump_yaml, read_yaml

if TYPE_CHECKING:
    import os

__all__ = ["charter_yaml", "load_charter", "save_charter"]


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
        The file is missing or a folder, not UTF-8, not valid YAML (the message
        gives the line and column) or breaks the charter's structure. The file is
        only read.

    Examples
    --------
    >>> from pmo_kit.data.portfolio import bundled_dataset_path
    >>> charter = load_charter(bundled_dataset_path() / "charters" / "P-001.yaml")
    >>> charter.sponsor.name
    'Sofia Marin'
    """
    file = Path(path)
    data = read_yaml(file, what="charter")
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
    return dump_yaml(charter.to_dict())


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
