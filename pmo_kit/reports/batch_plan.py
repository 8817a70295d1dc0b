"""
Plan a batch: which parameter sets to run a report with, each checked up front.

A batch is one report over many parameter sets, picked one of three ways:

- every project of the dataset (``all_projects=True``, ``--all-projects``);
- a list of projects (``projects=["P-001", "P-002"]``, ``--projects P-001,P-002``);
- a grid file (``grid="weeks.csv"``, ``--grid FILE``): a CSV whose header names the
  report's parameters, or a YAML/JSON list of mappings; one report per row.

Parameters common to every run (``-p dataset DIR``) are merged under each set. Every
set is checked with :func:`~pmo_kit.reports.check_parameters` before anything runs;
a bad row is named by file and row number. Each run gets a key, used as its folder
name in the output: the project id, or the values that differ between grid rows.
"""

from __future__ import annotations

import csv
import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pmo_kit._errors import ReportParameterError
from pmo_kit.reports._catalog import (
    RUNNER_PARAMETERS,
    check_parameters,
    describe_report,
)
from pmo_kit.reports._checks import project_ids

if TYPE_CHECKING:
    import os
    from collections.abc import Sequence

__all__ = ["BatchJob", "plan_batch"]

_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")
_SHOWN = 5


@dataclass(frozen=True)
class BatchJob:
    """One run of a batch: its key (output folder name) and checked parameters."""

    key: str
    parameters: dict[str, Any]


def plan_batch(
    report: str,
    *,
    all_projects: bool = False,
    projects: Sequence[str] | str | None = None,
    grid: str | os.PathLike[str] | Sequence[dict[str, Any]] | None = None,
    parameters: dict[str, Any] | None = None,
) -> list[BatchJob]:
    """
    Turn a selection into checked runs of ``report``.

    Parameters
    ----------
    report
        Report name (see :func:`~pmo_kit.reports.available_reports`).
    all_projects, projects, grid
        Exactly one of them: every project of the dataset, the given project ids
        (a list or ``"P-001,P-002"``), or a grid (file path, or a list of
        mappings from parameter name to value).
    parameters
        Values common to every run (``dataset``, ``status_date``, ...).

    Returns
    -------
    list of BatchJob
        In selection order; keys are unique and safe as folder names.

    Raises
    ------
    ReportParameterError
        No or several selections, a report without ``project_id`` for a project
        selection, an unknown project, a bad grid file or row (named by row), two
        runs with the same parameters, or a parameter set by the runner.
    """
    info = describe_report(report)
    common = dict(parameters or {})
    chosen = [all_projects, projects is not None, grid is not None]
    if sum(bool(c) for c in chosen) != 1:
        msg = (
            "choose exactly one of --all-projects, --projects P-001,P-002 or "
            "--grid FILE"
        )
        raise ReportParameterError(msg)
    reserved = RUNNER_PARAMETERS & set(common)
    if reserved:
        msg = f"parameter(s) {', '.join(sorted(reserved))} are set by the runner"
        raise ReportParameterError(msg)
    if grid is None:
        if not any(p.name == "project_id" for p in info.parameters):
            msg = (
                f"report {report!r} has no project_id parameter, so it cannot run "
                "per project; use --grid FILE with its parameters "
                f"({', '.join(p.name for p in info.parameters)})"
            )
            raise ReportParameterError(msg)
        if "project_id" in common:
            msg = "project_id is chosen by --all-projects/--projects; leave out -p"
            raise ReportParameterError(msg)
        ids = _project_list(common, all_projects, projects)
        rows = [{"project_id": pid, **common} for pid in ids]
        jobs = [
            BatchJob(_safe(pid), check_parameters(report, **row))
            for pid, row in zip(ids, rows, strict=True)
        ]
    else:
        source, raw = _grid_rows(grid)
        jobs = _grid_jobs(report, source, raw, common)
    _refuse_duplicates(jobs)
    return jobs


def _project_list(
    common: dict[str, Any], all_projects: bool, projects: Sequence[str] | str | None
) -> list[str]:
    dataset = common.get("dataset")
    found = project_ids(str(dataset) if dataset else None)
    if all_projects:
        if found is None:
            where = dataset or "the bundled dataset"
            msg = f"cannot read the project list (projects.csv, project_id) of {where}"
            raise ReportParameterError(msg)
        if not found[1]:
            msg = f"{found[0]} lists no project"
            raise ReportParameterError(msg)
        return found[1]
    items = projects.split(",") if isinstance(projects, str) else list(projects or [])
    ids = [str(p).strip() for p in items if str(p).strip()]
    if not ids:
        msg = "--projects: no project id given. Allowed: ids such as P-001,P-002"
        raise ReportParameterError(msg)
    return ids


def _grid_rows(
    grid: str | os.PathLike[str] | Sequence[dict[str, Any]],
) -> tuple[str, list[dict[str, Any]]]:
    if not isinstance(grid, (str, Path)) and not hasattr(grid, "__fspath__"):
        return "grid", [dict(row) for row in grid]
    path = Path(grid).expanduser()
    if not path.is_file():
        what = "is a folder" if path.exists() else "does not exist"
        msg = f"--grid {path} {what}. Allowed: a CSV, YAML or JSON file"
        raise ReportParameterError(msg)
    suffix = path.suffix.lower()
    try:
        if suffix == ".csv":
            with path.open(encoding="utf-8-sig", newline="") as handle:
                reader = csv.DictReader(handle)
                rows = [
                    {k.strip(): (v or "").strip() for k, v in row.items() if k}
                    for row in reader
                ]
        elif suffix in (".yaml", ".yml", ".json"):
            data = (
                json.loads(path.read_text(encoding="utf-8"))
                if suffix == ".json"
                else _read_yaml(path)
            )
            if not isinstance(data, list) or not all(isinstance(r, dict) for r in data):
                msg = f"{path}: expected a list of mappings (one per run)"
                raise ReportParameterError(msg)
            rows = [dict(r) for r in data]
        else:
            msg = f"--grid {path}: unknown file type. Allowed: .csv, .yaml, .yml, .json"
            raise ReportParameterError(msg)
    except ReportParameterError:
        raise
    except (OSError, UnicodeDecodeError, csv.Error, ValueError) as exc:
        msg = f"{path}: cannot read the grid: {exc}"
        raise ReportParameterError(msg) from None
    if not rows:
        msg = f"{path}: the grid has no rows"
        raise ReportParameterError(msg)
    return str(path), rows


def _read_yaml(path: Path) -> Any:
    from pmo_kit.data.yaml_files import read_yaml

    return read_yaml(path, what="batch grid")


def _grid_jobs(
    report: str, source: str, raw: list[dict[str, Any]], common: dict[str, Any]
) -> list[BatchJob]:
    first_row = 2 if source.lower().endswith(".csv") else 1  # CSV: header is row 1
    checked: list[dict[str, Any]] = []
    problems: list[str] = []
    for number, row in enumerate(raw, start=first_row):
        values = {**common, **{k: v for k, v in row.items() if v not in ("", None)}}
        try:
            reserved = RUNNER_PARAMETERS & set(values)
            if reserved:
                msg = f"{', '.join(sorted(reserved))} is set by the runner"
                raise ReportParameterError(msg)
            checked.append(check_parameters(report, **values))
        except ReportParameterError as exc:
            problems.append(f"{source} row {number}: {exc}")
    if problems:
        more = len(problems) - 1
        tail = f" (and {more} more bad row{'s' if more > 1 else ''})" if more else ""
        raise ReportParameterError(problems[0] + tail)
    varying = [
        name
        for name in dict.fromkeys(k for row in checked for k in row)
        if len({json.dumps(r.get(name), default=str) for r in checked}) > 1
    ]
    jobs = []
    for number, values in enumerate(checked, start=1):
        parts = [str(values.get(name, "")) for name in varying]
        key = "_".join(_safe(p) for p in parts if p) or f"run-{number:03d}"
        jobs.append(BatchJob(key, values))
    return jobs


def _safe(text: str) -> str:
    """Make a folder name of ``text``: letters, digits, ``.``, ``_``, ``-``."""
    cleaned = _UNSAFE.sub("-", text).strip(".-") or "run"
    return cleaned[:80]


def _refuse_duplicates(jobs: list[BatchJob]) -> None:
    seen: dict[str, int] = {}
    params: dict[str, int] = {}
    for number, job in enumerate(jobs, start=1):
        text = json.dumps(job.parameters, sort_keys=True, default=str)
        if text in params:
            msg = (
                f"runs {params[text]} and {number} have the same parameters "
                f"({_describe(job.parameters)}); each run must differ"
            )
            raise ReportParameterError(msg)
        params[text] = number
        if job.key.lower() in seen:  # folders differ only by case: clash on macOS
            msg = (
                f"runs {seen[job.key.lower()]} and {number} would share the output "
                f"folder {job.key!r}; make the varying values differ"
            )
            raise ReportParameterError(msg)
        seen[job.key.lower()] = number


def _describe(parameters: dict[str, Any]) -> str:
    shown = [f"{k}={v}" for k, v in parameters.items()][:_SHOWN]
    return ", ".join(shown)
