"""Report catalogue: where report notebooks live, their parameters, and validation."""

from __future__ import annotations

import ast
import json
import math
import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pmo_kit._errors import ReportNotFoundError, ReportParameterError
from pmo_kit.reports._checks import (
    check_choice,
    check_path,
    check_project,
    check_range,
    choices_in,
    convert_value,
)

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

#: What papermill reads from a parameters cell line (papermill's own
#: PythonTranslator.PARAMETER_PATTERN): a line the catalogue reads must read the same
#: way there, so that plain papermill keeps working on every report.
_PAPERMILL_LINE = re.compile(
    r"^(?P<target>\w[\w_]*)\s*(:\s*[\"']?(?P<annotation>\w[\w_\[\],\s]*)[\"']?\s*)?"
    r"=\s*(?P<value>.*?)(\s*#\s*(type:\s*(?P<type_comment>[^\s]*)\s*)?(?P<help>.*))?$"
)


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
    def choices(self) -> tuple[str, ...]:
        """
        The allowed values the help text declares as ``{a, b}`` (none: empty).

        Examples
        --------
        >>> ReportParameter(
        ...     "dates", "str", '"baseline"', "{baseline, forecast}"
        ... ).choices
        ('baseline', 'forecast')
        """
        return choices_in(self.help)

    @property
    def default_value(self) -> Any:
        """The default as a Python value (the cell's literal; None if not a literal)."""
        try:
            return ast.literal_eval(self.default)
        except (ValueError, SyntaxError):
            return None

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

    The ``parameters`` cell is parsed here (Python's :mod:`ast`), without importing
    papermill, so that ``pmo-kit report list`` and a rejected value answer at once;
    every line must also read the same way with papermill's own pattern.

    Raises
    ------
    ReportNotFoundError
        No report has that name; the message lists the available ones.
    ReportParameterError
        The notebook has no ``parameters`` cell or a line papermill cannot read.

    Examples
    --------
    >>> info = describe_report("portfolio-overview")
    >>> [p.name for p in info.parameters][-1]
    'output_json'
    """
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
    params = _read_parameter_cell(path, nb)
    return ReportInfo(name, path, title, description, params)


def _read_parameter_cell(path: Path, nb: dict[str, Any]) -> tuple[ReportParameter, ...]:
    """Parse the cell tagged ``parameters``: one ``name: type = default  # help``."""
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
    source = "".join(cell.get("source", []))
    try:
        tree = ast.parse(source)
    except SyntaxError as exc:
        msg = f"{path}, parameters cell line {exc.lineno}: {exc.msg}"
        raise ReportParameterError(msg) from None
    lines = source.splitlines()
    params = []
    for node in tree.body:
        params.append(_parameter(path, node, lines))
    for p in params:
        if not p.help:
            msg = (
                f"{path}, parameters cell: {p.name!r} has no help comment. Allowed: "
                "'name: type = default  # help' on one line of 88 characters at "
                "most (ruff format wraps longer ones and papermill loses the help)"
            )
            raise ReportParameterError(msg)
    return tuple(params)


def _parameter(path: Path, node: ast.stmt, lines: list[str]) -> ReportParameter:
    line = lines[node.lineno - 1]
    match = _PAPERMILL_LINE.match(line.strip())
    target: ast.expr | None = None
    value: ast.expr | None = None
    annotation = ""
    if isinstance(node, ast.AnnAssign):
        target, value = node.target, node.value
        annotation = ast.unparse(node.annotation)
    elif isinstance(node, ast.Assign) and len(node.targets) == 1:
        target, value = node.targets[0], node.value
    readable = (
        isinstance(target, ast.Name)
        and value is not None
        and node.end_lineno == node.lineno
        and match is not None
        and match["target"] == target.id
    )
    if not readable or match is None or value is None:
        msg = (
            f"{path}, parameters cell line {node.lineno}: {line.strip()!r} cannot be "
            "read by papermill. Allowed: 'name: type = default  # help' with a "
            "simple type (str, int, float, bool) and no '=' in the help text"
        )
        raise ReportParameterError(msg)
    default = ast.get_source_segment("\n".join(lines), value) or ""
    if not annotation:
        try:
            annotation = type(ast.literal_eval(value)).__name__
        except ValueError:
            annotation = "None"
    comment = line[value.end_col_offset :].strip()
    help_text = comment[1:].strip() if comment.startswith("#") else ""
    return ReportParameter(
        name=match["target"], type_name=annotation, default=default, help=help_text
    )


def check_parameters(name: str, /, **values: Any) -> dict[str, Any]:
    """
    Validate parameter values against a report's annotated ``parameters`` cell.

    Text values (from the command line) are converted to the annotated type.
    Report notebooks call this first, so a wrong value fails before any work even
    when the notebook is run with plain papermill. Besides types, the help text
    declares what is allowed (see :mod:`pmo_kit.reports._checks`): ranges
    ``[low, high]``, choices ``{a, b}``, dates ``YYYY-MM-DD``, and paths that must
    exist (help says ``file`` or ``folder``); a ``project_id`` must be a project of
    the dataset (the ``dataset`` value, or the bundled one).

    Returns
    -------
    dict
        The values, converted to their annotated types.

    Raises
    ------
    ReportParameterError
        An unknown parameter name, a value of the wrong type, a number outside its
        declared range, a value that is not one of its choices, a missing file or
        folder, or an unknown project.

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
        converted[key] = convert_value(info, param, value)
        check_range(info, param, converted[key])
        check_choice(info, param, converted[key])
        check_path(info, param, converted[key])
    dataset = _effective(info, converted, "dataset")
    for param in info.parameters:
        if param.name == "project_id":
            value = _effective(info, converted, param.name)
            check_project(
                info, param, value, dataset if isinstance(dataset, str) else None
            )
    return converted


def _effective(info: ReportInfo, values: dict[str, Any], name: str) -> Any:
    """Return the value a run will use: the given one, else the cell's default."""
    if name in values:
        return values[name]
    param = next((p for p in info.parameters if p.name == name), None)
    return param.default_value if param is not None else None


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

    from pmo_kit.data.tables import atomic_write_text

    target = Path(path)
    atomic_write_text(
        target, json.dumps(clean(summary), indent=2, ensure_ascii=False) + "\n"
    )
    return target
