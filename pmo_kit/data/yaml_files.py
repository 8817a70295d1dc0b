"""
The kit's one YAML reader and writer.

Everything the kit keeps as YAML goes through here: a dataset's
``organisation.yaml``, project charters, and the settings a PMO tunes (RAG rules,
risk matrices, gate rules, standards). So every YAML problem is named the same way:
the file, the line and column, and what is allowed.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml

from pmo_kit._errors import ValidationError

if TYPE_CHECKING:
    from collections.abc import Mapping

__all__ = [
    "SAFE_DUMPER",
    "SAFE_LOADER",
    "dump_yaml",
    "read_settings",
    "read_yaml",
]

#: PyYAML's safe loader, the C one (libyaml) when it is installed: safe_load speed.
SAFE_LOADER: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
#: PyYAML's safe dumper, the C one when it is installed.
SAFE_DUMPER: type[yaml.SafeDumper] = getattr(yaml, "CSafeDumper", yaml.SafeDumper)

_YAML_RULES = (
    "'key: value' lines; quote text that contains ': ' or starts with a special "
    "character"
)


def read_yaml(path: str | os.PathLike[str], *, what: str) -> Any:
    """
    Read one YAML file with the safe loader.

    Parameters
    ----------
    path
        The file.
    what
        What the file holds, for messages (``"charter"``, ``"gate rules"``).

    Returns
    -------
    Any
        The parsed data, not yet checked (an empty file gives ``None``).

    Raises
    ------
    ValidationError
        The file does not exist, is a folder, is not UTF-8, or is not valid YAML
        (the message gives the line and column). The file is only read.

    Examples
    --------
    >>> read_yaml("nope.yaml", what="charter")
    Traceback (most recent call last):
    ...
    pmo_kit._errors.ValidationError: charter file 'nope.yaml' does not exist
    """
    file = Path(path)
    if file.is_dir():
        msg = f"{str(file)!r} is a folder, not a {what} file. Allowed: a YAML file"
        raise ValidationError(msg)
    if not file.is_file():
        msg = f"{what} file {str(file)!r} does not exist"
        raise ValidationError(msg)
    try:
        text = file.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        msg = f"{str(file)!r} is not valid UTF-8 text. Allowed: a UTF-8 YAML file"
        raise ValidationError(msg) from None
    try:
        return yaml.load(text, Loader=SAFE_LOADER)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        at = f"line {mark.line + 1}, column {mark.column + 1}: " if mark else ""
        problem = getattr(exc, "problem", None) or str(exc)
        msg = f"{str(file)!r} is not valid YAML ({at}{problem}). Allowed: {_YAML_RULES}"
        raise ValidationError(msg) from None


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
        What the settings are, for messages (``"gate rules"``).

    Returns
    -------
    tuple
        The parsed data (not yet checked: any YAML value) and how to name its source
        in messages: ``"the gate rules"`` or ``"the gate rules in 'x.yaml'"``.

    Raises
    ------
    ValidationError
        As :func:`read_yaml`.

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
    return read_yaml(source, what=what), f"the {what} in {str(Path(source))!r}"


def dump_yaml(data: object) -> str:
    """
    Return ``data`` as YAML text in the kit's file style (keys in order, UTF-8).

    Examples
    --------
    >>> print(dump_yaml({"name": "Meridian Works", "currency": "EUR"}), end="")
    name: Meridian Works
    currency: EUR
    """
    text: str = yaml.dump(
        data, Dumper=SAFE_DUMPER, sort_keys=False, allow_unicode=True, width=88
    )
    return text
