"""
Run one report over many parameter sets: ``pmo-kit report batch`` from Python.

    >>> from pmo_kit.reports import run_batch
    >>> result = run_batch(
    ...     "project-status", all_projects=True, output_dir="build/batch/week-26"
    ... )  # doctest: +SKIP
    >>> result.ok, len(result.done), result.index  # doctest: +SKIP

The output folder holds one folder per run (``OUT/P-003/project-status.html``,
``.ipynb``, ``summary.json``), ``OUT/index.html`` (every report with its headline
figures) and ``OUT/manifest.json`` (what each output was made from).

- **Isolation**: a failing report never stops the others. Its notebook is kept at
  ``OUT/<key>.failed.ipynb``, the cause is one line in :attr:`BatchResult.failed`,
  and an older good output of the same run is left in place.
- **Nothing half-written**: each run's files are built elsewhere and swapped into
  ``OUT/<key>/`` together; the manifest is rewritten atomically after every run.
  A batch killed half-way leaves complete reports and a manifest of them.
- **Resume and skip**: a run whose notebook, parameters, input files (dataset
  folder, settings files) and kit version are unchanged since its last good output
  is skipped; ``force=True`` (``--force``) runs everything.
- **Speed**: runs execute in warm kernels (:mod:`pmo_kit.reports._warm`), ``jobs``
  at a time; ``executor="dask"`` sends them to a Dask cluster instead
  (:mod:`pmo_kit.reports.batch_dask`).
"""

from __future__ import annotations

import hashlib
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pmo_kit._errors import ReportParameterError
from pmo_kit.reports._catalog import describe_report
from pmo_kit.reports._staging import (
    failed_notebook_path,
    make_staging,
    publish,
    remove_staging,
    remove_stale_staging,
)
from pmo_kit.reports.batch_jobs import JobOutcome, JobSpec
from pmo_kit.reports.batch_local import run_local
from pmo_kit.reports.batch_manifest import (
    MANIFEST,
    Manifest,
    batch_lock,
    database_digest,
    digest,
    fingerprint,
    now,
)
from pmo_kit.reports.batch_plan import BatchJob, plan_batch
from pmo_kit.store.urls import absolute_url, is_database_url

if TYPE_CHECKING:
    import os
    from collections.abc import Callable, Sequence

__all__ = ["MANIFEST", "BatchFailure", "BatchResult", "run_batch"]


@dataclass(frozen=True)
class BatchFailure:
    """One report of a batch that failed."""

    key: str
    parameters: dict[str, Any]
    error: str
    notebook: Path | None

    def line(self) -> str:
        """Say the failure in one line: parameters, cause, kept notebook."""
        params = ", ".join(f"{k}={v}" for k, v in self.parameters.items() if v != "")
        kept = f"; notebook kept at {self.notebook}" if self.notebook else ""
        return f"FAILED {self.key} ({params}): {self.error}{kept}"


@dataclass
class BatchResult:
    """What a batch did."""

    report: str
    output_dir: Path
    index: Path
    manifest: Path
    done: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    failed: list[BatchFailure] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        """True when no report failed."""
        return not self.failed

    def failure_lines(self) -> list[str]:
        """One line per failed report."""
        return [failure.line() for failure in self.failed]

    def summary_line(self) -> str:
        """One line: how many made, skipped and failed, how long, where."""
        parts = [f"{len(self.done)} made", f"{len(self.skipped)} unchanged (skipped)"]
        parts.append(f"{len(self.failed)} failed")
        return (
            f"batch {self.report}: {', '.join(parts)} in {self.seconds:.0f} s; "
            f"index: {self.index}"
        )


def run_batch(
    report: str,
    *,
    output_dir: str | os.PathLike[str],
    all_projects: bool = False,
    projects: Sequence[str] | str | None = None,
    grid: str | os.PathLike[str] | Sequence[dict[str, Any]] | None = None,
    parameters: dict[str, Any] | None = None,
    jobs: int | None = None,
    executor: str = "local",
    scheduler: str | None = None,
    force: bool = False,
    html: bool = True,
    kernel_name: str = "python3",
    cell_timeout: int | None = 600,
    progress: Callable[[int, int, str], None] | None = None,
    progress_bar: bool = False,
) -> BatchResult:
    """
    Run ``report`` once per parameter set into ``output_dir``.

    Parameters
    ----------
    report
        Report name (see :func:`~pmo_kit.reports.available_reports`).
    output_dir
        The batch folder: ``<key>/`` per run, ``index.html``, ``manifest.json``.
    all_projects, projects, grid, parameters
        The runs, as for :func:`~pmo_kit.reports.batch_plan.plan_batch`: exactly
        one of every project, a list of project ids, or a grid (CSV, YAML or JSON
        file, or a list of mappings); ``parameters`` are common to every run.
    jobs
        Reports running at once (each in its own warm kernel); default: the
        number of CPU cores, at most the number of runs.
    executor
        ``"local"`` (kernels on this machine) or ``"dask"`` (a Dask cluster).
    scheduler
        The Dask scheduler's address (``tcp://host:8786``) for ``executor="dask"``.
    force
        Run every report, even those whose inputs are unchanged.
    html
        Export each report as self-contained HTML.
    kernel_name
        Jupyter kernel to run the notebooks in.
    cell_timeout
        Seconds a cell may run before the report counts as failed (None: no limit).
    progress
        Called after each finished run with (finished, total, line).
    progress_bar
        Show a progress bar on stderr (for a terminal).

    Returns
    -------
    BatchResult
        Keys made, skipped and failed (one line each), the index and manifest.

    Raises
    ------
    ReportParameterError
        A bad selection, parameter, grid row, executor or output folder; nothing
        has run.
    """
    start = time.perf_counter()
    info = describe_report(report)
    planned = plan_batch(
        report,
        all_projects=all_projects,
        projects=projects,
        grid=grid,
        parameters=parameters,
    )
    if executor not in ("local", "dask"):
        msg = f"executor {executor!r} is not known. Allowed: local, dask"
        raise ReportParameterError(msg)
    if executor == "dask" and not scheduler:
        msg = "--executor dask needs --scheduler ADDRESS (such as tcp://host:8786)"
        raise ReportParameterError(msg)
    if executor == "dask" and jobs is not None:
        msg = (
            "-j is for the local executor; on Dask every worker thread runs one "
            "report at a time (set --nthreads on the workers)"
        )
        raise ReportParameterError(msg)
    if executor == "local" and scheduler:
        msg = "--scheduler is only used with --executor dask"
        raise ReportParameterError(msg)
    out = Path(output_dir).expanduser().resolve()
    if out.exists() and not out.is_dir():
        msg = f"output folder {out} is a file. Allowed: a folder (or a new name)"
        raise ReportParameterError(msg)
    out.mkdir(parents=True, exist_ok=True)
    with batch_lock(out):
        return _run(
            info, planned, out, jobs, executor, scheduler, force, html,
            kernel_name, cell_timeout, progress, progress_bar, start,
        )  # fmt: skip


def _run(
    info: Any,
    planned: list[BatchJob],
    out: Path,
    jobs: int | None,
    executor: str,
    scheduler: str | None,
    force: bool,
    html: bool,
    kernel_name: str,
    cell_timeout: int | None,
    progress: Callable[[int, int, str], None] | None,
    progress_bar: bool,
    start: float,
) -> BatchResult:
    report = info.name
    notebook = info.path.read_text(encoding="utf-8")
    path_params = tuple(p.name for p in info.parameters if p.is_path)
    specs, prints = _specs(
        info, notebook, planned, path_params, html, kernel_name, cell_timeout
    )
    book = Manifest.read(out, report, info.title)
    book.forget_others({job.key for job in planned})
    result = BatchResult(report, out, out / "index.html", out / MANIFEST)
    todo = []
    for spec in specs:
        if not force and book.unchanged(spec.key, prints[spec.key], html):
            result.skipped.append(spec.key)
        else:
            todo.append(spec)
    book.write()
    total = len(todo)
    bar = _bar(total, report) if progress_bar and total else None

    by_key = {spec.key: spec for spec in todo}

    def store(outcome: JobOutcome) -> None:
        spec = by_key[outcome.key]
        _store(out, spec, outcome, prints[spec.key], book, result)
        finished = len(result.done) + len(result.failed)
        state = "ok" if outcome.ok else "FAILED"
        line = f"{finished}/{total} {outcome.key}: {state} ({outcome.seconds:.1f} s)"
        if progress is not None:
            progress(finished, total, line)
        if bar is not None:
            bar.set_postfix_str(f"{len(result.failed)} failed", refresh=False)
            bar.update(1)

    try:
        if todo:
            if executor == "dask":
                from pmo_kit.reports.batch_dask import run_batch_on_dask

                run_batch_on_dask(todo, str(scheduler), store)
            else:
                run_local(todo, jobs, store)
    finally:
        if bar is not None:
            bar.close()
        result.seconds = time.perf_counter() - start
        _write_index(out)
    return result


def _specs(
    info: Any,
    notebook: str,
    planned: list[BatchJob],
    path_params: tuple[str, ...],
    html: bool,
    kernel_name: str,
    cell_timeout: int | None,
) -> tuple[list[JobSpec], dict[str, str]]:
    """Make the job specs (paths absolute) and each one's input fingerprint."""
    digests: dict[str, str] = {}
    notebook_hash = hashlib.sha256(notebook.encode("utf-8")).hexdigest()
    specs, prints = [], {}
    for job in planned:
        values = dict(job.parameters)
        inputs = {}
        for name in path_params:
            value = values.get(name)
            if isinstance(value, str) and value and is_database_url(value):
                values[name] = absolute_url(value)
                inputs[name] = database_digest(values[name], digests)
            elif isinstance(value, str) and value:
                values[name] = str(Path(value).expanduser().resolve())
                inputs[name] = digest(Path(values[name]), digests)
        if "dataset" in path_params and not values.get("dataset"):
            inputs["dataset"] = digest(_bundled(), digests)
        spec = JobSpec(
            key=job.key,
            report=info.name,
            title=info.title,
            notebook=notebook,
            parameters=values,
            html=html,
            kernel_name=kernel_name,
            cell_timeout=cell_timeout,
            path_parameters=path_params,
        )
        specs.append(spec)
        prints[job.key] = fingerprint(notebook_hash, values, inputs, html)
    return specs, prints


def _bundled() -> Path:
    from pmo_kit.data.portfolio import bundled_dataset_path

    return bundled_dataset_path()


def _store(
    out: Path,
    spec: JobSpec,
    outcome: JobOutcome,
    fingerprint: str,
    book: Manifest,
    result: BatchResult,
) -> None:
    """Put one run's files in ``OUT/<key>/`` (or keep its failed notebook)."""
    from pmo_kit.data.atomic import atomic_write_bytes

    folder = out / spec.key
    failed = failed_notebook_path(folder)
    old = book.jobs.get(spec.key, {})
    entry: dict[str, Any] = {
        "parameters": spec.parameters,
        "fingerprint": fingerprint,
        "finished": now(),
        "seconds": round(outcome.seconds, 2),
        "worker": outcome.worker,
    }
    if outcome.ok:
        remove_stale_staging(folder)
        staging = make_staging(folder)
        try:
            for name, data in outcome.files.items():
                (staging / name).write_bytes(data)
            names = (f"{spec.report}.ipynb", f"{spec.report}.html", "summary.json")
            publish(staging, folder, names)
        finally:
            remove_staging(staging)
        failed.unlink(missing_ok=True)
        rel = folder.name
        entry.update(
            status="ok",
            folder=rel,
            notebook=f"{rel}/{spec.report}.ipynb",
            html=f"{rel}/{spec.report}.html" if spec.html else None,
            summary=f"{rel}/summary.json",
            failed_notebook=None,
            error=None,
        )
        result.done.append(spec.key)
    else:
        kept = None
        if outcome.failed_notebook is not None:
            atomic_write_bytes(failed, outcome.failed_notebook)
            kept = failed
        has_old = (folder / "summary.json").is_file()
        entry.update(
            status="failed",
            folder=folder.name if has_old else None,
            notebook=old.get("notebook") if has_old else None,
            html=old.get("html") if has_old else None,
            summary=old.get("summary") if has_old else None,
            failed_notebook=kept.name if kept else None,
            error=outcome.error or "failed",
        )
        result.failed.append(
            BatchFailure(spec.key, spec.parameters, entry["error"], kept)
        )
    book.jobs[spec.key] = entry
    book.write()


def _write_index(out: Path) -> None:
    from pmo_kit.reports.batch_index import write_batch_index

    write_batch_index(out)


def _bar(total: int, report: str) -> Any:
    from tqdm import tqdm

    return tqdm(total=total, desc=f"batch {report}", unit="report", leave=True)
