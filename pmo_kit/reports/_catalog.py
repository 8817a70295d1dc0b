"""Report catalogue: where report notebooks live, their parameters, and validation."""

from __future__ import annotations

import datetime as dt
import json
import math
import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pmo_kit._errors import ReportNotFoundError, ReportParameterError
from pmo_kit.data.tables import atomic_write_text

__all__ = [
    "ReportInfo",
    "ReportParameter",
    "available_reports",
    "check_parameters",
    "describe_report",
    "reports_folder",
    "write_summary",
]

#: Parameters every report has; the runner fills them in.
RUNNER_PARAMETERS = frozenset({"output_json"})

_TYPES: dict[str, type] = {"int": int, "float": float, "str": str, "bool": bool}


@dataclass(frozen=True, slots=True)
class ReportParameter:
    """One annotated line of a report's ``parameters`` cell."""

    name: str
    type_name: str
    default: str
    help: str

    @property
    def optional(self) -> bool:
        """True when ``None`` is allowed (annotated ``X | None``)."""
        return "None" in self.type_name or "Optional" in self.type_name

    @property
    def is_path(self) -> bool:
        """
        True for a text parameter whose help calls it a file or folder.

        The runner makes such values absolute before the kernel starts in the output
        folder, so ``-p dataset data/acme`` means the caller's ``data/acme``.

        Examples
        --------
        >>> ReportParameter("dataset", "str", "", "Dataset folder; or empty").is_path
        True
        >>> ReportParameter("roles", "str", "", "Roles to show").is_path
        False
        """
        return self.type_name == "str" and bool(
            re.search(r"\b(folder|file)\b", self.help, re.IGNORECASE)
        )

    @property
    def base_type(self) -> str:
        """The annotation without ``| None`` (``int``, ``float``, ``str``, ``bool``)."""
        text = self.type_name.replace("Optional[", "").replace("]", "")
        parts = [p.strip() for p in text.split("|") if p.strip() != "None"]
        return parts[0] if parts else "str"


@dataclass(frozen=True, slots=True)
class ReportInfo:
    """A report notebook: its name, file, title, purpose and parameters."""

    name: str
    path: Path
    title: str
    description: str
    parameters: tuple[ReportParameter, ...]

    def parameter(self, name: str) -> ReportParameter:
        """Return the parameter called ``name``."""
        for p in self.parameters:
            if p.name == name:
                return p
        known = ", ".join(
            p.name for p in self.parameters if p.name not in RUNNER_PARAMETERS
        )
        msg = (
            f"{name!r} is not a parameter of report {self.name!r}. "
            f"Known parameters: {known or 'none'}"
        )
        raise ReportParameterError(msg)


def reports_folder() -> Path:
    """
    Return the folder holding the report notebooks.

    ``PMO_KIT_REPORTS`` overrides it; otherwise the copy shipped in the wheel or,
    in a source checkout, ``notebooks/reports``.
    """
    override = os.environ.get("PMO_KIT_REPORTS")
    if override:
        return Path(override)
    here = Path(__file__).resolve().parent.parent
    for candidate in (
        here / "_bundled" / "reports",
        here.parent / "notebooks" / "reports",
    ):
        if candidate.is_dir():
            return candidate
    return here.parent / "notebooks" / "reports"


def available_reports() -> dict[str, Path]:
    """
    Map each report name to its notebook.

    Examples
    --------
    >>> "portfolio-overview" in available_reports()
    True
    """
    folder = reports_folder()
    if not folder.is_dir():
        return {}
    return {p.stem: p for p in sorted(folder.glob("*.ipynb"))}


def _report_path(name: str) -> Path:
    reports = available_reports()
    if name not in reports:
        known = ", ".join(reports) or "none installed"
        msg = f"{name!r} is not a report. Available reports: {known}"
        raise ReportNotFoundError(msg)
    return reports[name]


def describe_report(name: str) -> ReportInfo:
    """
    Read a report's title, description and typed parameters.

    Raises
    ------
    ReportNotFoundError
        No report has that name; the message lists the available ones.

    Examples
    --------
    >>> info = describe_report("portfolio-overview")
    >>> [p.name for p in info.parameters][-1]
    'output_json'
    """
    from papermill import inspect_notebook

    path = _report_path(name)
    nb = json.loads(path.read_text(encoding="utf-8"))
    title, description = name, ""
    for cell in nb.get("cells", []):
        if cell.get("cell_type") == "markdown":
            source = "".join(cell.get("source", []))
            lines = [line.strip() for line in source.splitlines() if line.strip()]
            if lines:
                title = lines[0].lstrip("# ").strip()
                description = " ".join(lines[1:3])
            break
    params = tuple(
        ReportParameter(
            name=p["name"],
            type_name=p["inferred_type_name"],
            default=p["default"],
            help=p["help"],
        )
        for p in inspect_notebook(str(path)).values()
    )
    _check_parameter_cell(path, nb, params)
    return ReportInfo(name, path, title, description, params)


def _check_parameter_cell(
    path: Path, nb: dict[str, Any], params: tuple[ReportParameter, ...]
) -> None:
    """Fail loudly when papermill could not fully read the parameters cell."""
    cell = next(
        (
            c
            for c in nb.get("cells", [])
            if "parameters" in c.get("metadata", {}).get("tags", [])
        ),
        None,
    )
    if cell is None:
        msg = (
            f"{path}: no cell is tagged 'parameters'. "
            "Allowed: a first code cell with that tag"
        )
        raise ReportParameterError(msg)
    parsed = {p.name for p in params}
    source = "".join(cell.get("source", []))
    for number, line in enumerate(source.splitlines(), start=1):
        name = line.split(":")[0].split("=")[0].strip()
        if line.lstrip().startswith("#") or not name.isidentifier():
            continue
        if name not in parsed:
            msg = (
                f"{path}, parameters cell line {number}: {line.strip()!r} cannot be "
                "read by papermill. Allowed: 'name: type = default  # help' with a "
                "simple type (str, int, float, bool) and no '=' in the help text"
            )
            raise ReportParameterError(msg)
    for p in params:
        if not p.help:
            msg = (
                f"{path}, parameters cell: {p.name!r} has no help comment. Allowed: "
                "'name: type = default  # help' on one line of 88 characters at "
                "most (ruff format wraps longer ones and papermill loses the help)"
            )
            raise ReportParameterError(msg)


def _convert(info: ReportInfo, param: ReportParameter, value: Any) -> Any:
    kind = param.base_type
    target = _TYPES.get(kind)
    if value is None or (isinstance(value, str) and value in {"None", "none"}):
        if param.optional:
            return None
        if target is str and value is not None:
            return value
        msg = (
            f"parameter {param.name!r} of report {info.name!r} cannot be empty. "
            f"Allowed: a {kind} ({param.help or 'see pmo-kit report describe'})"
        )
        raise ReportParameterError(msg)
    if target is None:
        return value
    if (
        target is str
        and isinstance(value, str)
        and "YYYY-MM-DD" in param.help
        and value
    ):
        try:
            dt.date.fromisoformat(value.strip())
        except ValueError:
            msg = (
                f"parameter {param.name!r} of report {info.name!r}: {value!r} is not a "
                f"date. Allowed: {param.help}"
            )
            raise ReportParameterError(msg) from None
        return value.strip()
    if isinstance(value, str) and target is not str:
        text = value.strip()
        try:
            if target is bool:
                lowered = text.lower()
                if lowered not in {"true", "false", "yes", "no", "1", "0"}:
                    raise ValueError(text)
                return lowered in {"true", "yes", "1"}
            number = target(text)
        except ValueError:
            msg = (
                f"parameter {param.name!r} of report {info.name!r}: {value!r} is not a "
                f"{kind}. Allowed: a {kind} ({param.help})"
            )
            raise ReportParameterError(msg) from None
        if isinstance(number, float) and not math.isfinite(number):
            msg = (
                f"parameter {param.name!r} of report {info.name!r}: "
                f"{value!r} is not finite"
            )
            raise ReportParameterError(msg)
        return number
    if target is float and isinstance(value, int) and not isinstance(value, bool):
        return float(value)
    if not isinstance(value, target) or (target is int and isinstance(value, bool)):
        msg = (
            f"parameter {param.name!r} of report {info.name!r}: {value!r} is a "
            f"{type(value).__name__}, not a {kind}. Allowed: a {kind} ({param.help})"
        )
        raise ReportParameterError(msg)
    return value


_RANGE = re.compile(r"\[\s*(-?[\d.]+)\s*,\s*(-?[\d.]+)\s*([\])])")


def _check_range(info: ReportInfo, param: ReportParameter, value: Any) -> None:
    """Apply a range written in the help text: ``[low, high]`` or ``[low, high)``."""
    match = _RANGE.search(param.help)
    if match is None or isinstance(value, bool) or not isinstance(value, int | float):
        return
    low, high, bracket = float(match[1]), float(match[2]), match[3]
    inside = low <= value <= high if bracket == "]" else low <= value < high
    if not inside:
        msg = (
            f"parameter {param.name!r} of report {info.name!r}: {value!r} is out of "
            f"range. Allowed: {match[0]} ({param.help})"
        )
        raise ReportParameterError(msg)


def check_parameters(name: str, /, **values: Any) -> dict[str, Any]:
    """
    Validate parameter values against a report's annotated ``parameters`` cell.

    Text values (from the command line) are converted to the annotated type.
    Report notebooks call this first, so a wrong value fails before any work even
    when the notebook is run with plain papermill.

    Returns
    -------
    dict
        The values, converted to their annotated types.

    Raises
    ------
    ReportParameterError
        An unknown parameter name, a value of the wrong type, or a number outside
        the range its help text declares (``[low, high]`` or ``[low, high)``).

    Examples
    --------
    >>> check_parameters("portfolio-overview", as_of="2026-06-26")
    {'as_of': '2026-06-26'}
    >>> check_parameters("portfolio-overview", budget_limit="x")
    Traceback (most recent call last):
    ...
    pmo_kit._errors.ReportParameterError: 'budget_limit' is not a parameter of report \
'portfolio-overview'. Known parameters: dataset, as_of
    """
    info = describe_report(name)
    converted = {}
    for key, value in values.items():
        param = info.parameter(key)
        converted[key] = _convert(info, param, value)
        _check_range(info, param, converted[key])
    return converted


def write_summary(path: str | os.PathLike[str], summary: dict[str, Any]) -> Path:
    """
    Write a report's machine-readable results as JSON, atomically.

    NaN and infinite numbers become ``null``; dates and other objects become text.
    """

    def clean(value: Any) -> Any:
        if isinstance(value, dict):
            return {str(k): clean(v) for k, v in value.items()}
        if isinstance(value, list | tuple):
            return [clean(v) for v in value]
        if isinstance(value, bool) or value is None or isinstance(value, str):
            return value
        if isinstance(value, int):
            return value
        try:
            number = float(value)
        except (TypeError, ValueError):
            return str(value)
        if not math.isfinite(number):
            return None
        return (
            int(number)
            if hasattr(value, "dtype") and "int" in str(value.dtype)
            else number
        )

    target = Path(path)
    atomic_write_text(
        target, json.dumps(clean(summary), indent=2, ensure_ascii=False) + "\n"
    )
    return target
