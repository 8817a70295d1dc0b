"""
Checks on report parameter values that need no kernel (and no pandas).

The help comment of a parameter declares what is allowed, in forms read here:

- ``[low, high]`` or ``[low, high)``: a numeric range;
- ``{a, b}``: the allowed choices, matched exactly (case-sensitive);
- ``YYYY-MM-DD``: an ISO date;
- the word ``folder`` or ``file``: a path that must exist as that kind.

A ``project_id`` parameter must name a project of the dataset (its
``projects.csv``), unless it is empty or ``all`` where the help allows that.
"""

from __future__ import annotations

import csv
import datetime as dt
import math
import re
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pmo_kit._errors import PMOError, ReportParameterError
from pmo_kit.store.urls import is_database_url, mask_url

if TYPE_CHECKING:
    from pmo_kit.reports._catalog import ReportInfo, ReportParameter

__all__ = [
    "bundled_dataset_folder",
    "check_choice",
    "check_path",
    "check_project",
    "check_range",
    "choices_in",
    "convert_value",
    "project_ids",
]

_TYPES: dict[str, type] = {"int": int, "float": float, "str": str, "bool": bool}
_RANGE = re.compile(r"\[\s*(-?[\d.]+)\s*,\s*(-?[\d.]+)\s*([\])])")
_CHOICES = re.compile(r"\{([^{}]+)\}")
_SHOWN_PROJECTS = 20


def _where(info: ReportInfo, param: ReportParameter) -> str:
    return f"parameter {param.name!r} of report {info.name!r}"


def convert_value(info: ReportInfo, param: ReportParameter, value: Any) -> Any:
    """Convert ``value`` (text from the command line, or a value) to the annotation."""
    kind = param.base_type
    target = _TYPES.get(kind)
    if value is None or (isinstance(value, str) and value in {"None", "none"}):
        if param.optional:
            return None
        if target is str and value is not None:
            return value
        msg = (
            f"{_where(info, param)} cannot be empty. "
            f"Allowed: a {kind} ({param.help or 'see pmo-kit report describe'})"
        )
        raise ReportParameterError(msg)
    if target is None:
        return value
    if target is str and isinstance(value, str) and "YYYY-MM-DD" in param.help:
        if not value:
            return value
        try:
            dt.date.fromisoformat(value.strip())
        except ValueError:
            msg = (
                f"{_where(info, param)}: {value!r} is not a date. Allowed: {param.help}"
            )
            raise ReportParameterError(msg) from None
        return value.strip()
    if isinstance(value, str) and target is not str:
        return _from_text(info, param, value, target)
    if target is float and isinstance(value, int) and not isinstance(value, bool):
        return float(value)
    if not isinstance(value, target) or (target is int and isinstance(value, bool)):
        msg = (
            f"{_where(info, param)}: {value!r} is a {type(value).__name__}, not a "
            f"{kind}. Allowed: a {kind} ({param.help})"
        )
        raise ReportParameterError(msg)
    return value


def _from_text(
    info: ReportInfo, param: ReportParameter, text: str, target: type
) -> Any:
    kind = param.base_type
    try:
        if target is bool:
            lowered = text.strip().lower()
            if lowered not in {"true", "false", "yes", "no", "1", "0"}:
                raise ValueError(text)
            return lowered in {"true", "yes", "1"}
        number = target(text.strip())
    except ValueError:
        msg = (
            f"{_where(info, param)}: {text!r} is not a {kind}. "
            f"Allowed: a {kind} ({param.help})"
        )
        raise ReportParameterError(msg) from None
    if isinstance(number, float) and not math.isfinite(number):
        msg = f"{_where(info, param)}: {text!r} is not finite"
        raise ReportParameterError(msg)
    return number


def check_range(info: ReportInfo, param: ReportParameter, value: Any) -> None:
    """Apply a range written in the help text: ``[low, high]`` or ``[low, high)``."""
    match = _RANGE.search(param.help)
    if match is None or isinstance(value, bool) or not isinstance(value, int | float):
        return
    low, high, bracket = float(match[1]), float(match[2]), match[3]
    inside = low <= value <= high if bracket == "]" else low <= value < high
    if not inside:
        msg = (
            f"{_where(info, param)}: {value!r} is out of range. "
            f"Allowed: {match[0]} ({param.help})"
        )
        raise ReportParameterError(msg)


def choices_in(help_text: str) -> tuple[str, ...]:
    """
    Return the choices a help text declares as ``{a, b}`` (none: empty).

    Examples
    --------
    >>> choices_in("Task dates that spread the work: {baseline, forecast}")
    ('baseline', 'forecast')
    >>> choices_in("Weeks to plan [1, 104]")
    ()
    """
    match = _CHOICES.search(help_text)
    if match is None:
        return ()
    return tuple(c.strip() for c in match[1].split(",") if c.strip())


def check_choice(info: ReportInfo, param: ReportParameter, value: Any) -> None:
    """Fail unless ``value`` is one of the declared choices (exact case)."""
    choices = choices_in(param.help)
    if not choices or not isinstance(value, str) or value in choices:
        return
    allowed = ", ".join(choices)
    near = [c for c in choices if c.lower() == value.strip().lower()]
    hint = f" (choices are case-sensitive: did you mean {near[0]!r}?)" if near else ""
    msg = f"{_where(info, param)}: {value!r} is not a choice{hint}. Allowed: {allowed}"
    raise ReportParameterError(msg)


def check_path(info: ReportInfo, param: ReportParameter, value: Any) -> None:
    """Fail when a file or folder parameter names a path that does not exist."""
    if not param.is_path or not isinstance(value, str) or not value.strip():
        return
    if param.name == "dataset" and is_database_url(value.strip()):
        return  # a database: loading it names any problem in one line
    path = Path(value).expanduser()
    wants_folder = re.search(r"\bfolder\b", param.help, re.IGNORECASE) is not None
    if wants_folder and not path.is_dir():
        what = "is a file, not a folder" if path.exists() else "does not exist"
        msg = f"{_where(info, param)}: folder {value!r} {what}. Allowed: {param.help}"
        raise ReportParameterError(msg)
    if not wants_folder and not path.is_file():
        what = "is a folder, not a file" if path.exists() else "does not exist"
        msg = f"{_where(info, param)}: file {value!r} {what}. Allowed: {param.help}"
        raise ReportParameterError(msg)


def bundled_dataset_folder(name: str = "meridian") -> Path | None:
    """
    Return the bundled dataset folder without importing the data layer (or None).

    Same places as :func:`pmo_kit.data.portfolio.bundled_dataset_path`.
    """
    here = Path(__file__).resolve().parent.parent
    for candidate in (
        here / "_bundled" / "datasets" / name,
        here.parent / "datasets" / name,
    ):
        if candidate.is_dir():
            return candidate
    return None


def project_ids(dataset: str | None) -> tuple[Path | str, list[str]] | None:
    """
    Read the ``project_id`` column of a dataset's ``projects.csv`` with :mod:`csv`.

    ``dataset`` empty or None: the bundled dataset; a database URL: its ``projects``
    table (through the store). Returns None when the file or the column cannot be
    read (loading the portfolio reports that problem properly).
    """
    if dataset and is_database_url(dataset.strip()):
        from pmo_kit.store import project_ids as stored_ids

        try:
            return mask_url(dataset.strip()), stored_ids(dataset.strip())
        except PMOError:
            return None
    folder = (
        Path(dataset).expanduser() if dataset and dataset.strip() else None
    ) or bundled_dataset_folder()
    if folder is None:
        return None
    file = folder / "projects.csv"
    try:
        with file.open(encoding="utf-8-sig", newline="") as handle:
            rows = csv.DictReader(handle)
            if "project_id" not in (rows.fieldnames or []):
                return None
            ids = [(row.get("project_id") or "").strip() for row in rows]
    except (OSError, UnicodeDecodeError, csv.Error):
        return None
    return file, [i for i in ids if i]


def check_project(
    info: ReportInfo, param: ReportParameter, value: Any, dataset: str | None
) -> None:
    """Fail when a ``project_id`` value is not a project of the dataset."""
    if param.name != "project_id" or not isinstance(value, str):
        return
    text = value.strip()
    allows_all = re.search(r"\ball\b", param.help) is not None
    if not text or (allows_all and text.lower() == "all"):
        return
    found = project_ids(dataset)
    if found is None:
        return
    file, ids = found
    if text in ids:
        return
    shown = ", ".join(ids[:_SHOWN_PROJECTS])
    if len(ids) > _SHOWN_PROJECTS:
        shown += f" ... (+{len(ids) - _SHOWN_PROJECTS} more)"
    near = [i for i in ids if i.lower() == text.lower()]
    hint = f" (did you mean {near[0]!r}?)" if near else ""
    extra = "; empty or all for the whole portfolio" if allows_all else ""
    msg = (
        f"{_where(info, param)}: {value!r} is not a project in {file}{hint}. "
        f"Allowed: {shown or 'none (the file lists no project)'}{extra}"
    )
    raise ReportParameterError(msg)
