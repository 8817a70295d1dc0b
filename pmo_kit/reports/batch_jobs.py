"""
One report of a batch, as it travels to a worker and back.

A :class:`JobSpec` carries everything a worker needs: the notebook itself (so every
worker runs exactly the notebook the batch was planned with, whatever is installed
there), the checked parameters and the export options. :func:`execute_job` runs it in
the worker's warm kernel and returns a :class:`JobOutcome` holding the output files
as bytes: the process that started the batch writes them into the output folder, so
the same function serves the local threads and the machines of a Dask cluster.

A report that fails is an outcome too (``ok=False``, the cause in one line, the
failed notebook kept); only a broken worker raises, and the executor retries that
report elsewhere.
"""

from __future__ import annotations

import json
import shutil
import socket
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pmo_kit.store.urls import is_database_url

if TYPE_CHECKING:
    from pmo_kit.reports._warm import KernelPool

__all__ = ["JobOutcome", "JobSpec", "execute_job"]


@dataclass(frozen=True)
class JobSpec:
    """One report run of a batch: what to run, with which parameters."""

    key: str
    report: str
    title: str
    notebook: str  # the report notebook's JSON text
    parameters: dict[str, Any]
    html: bool = True
    kernel_name: str = "python3"
    cell_timeout: int | None = 600
    path_parameters: tuple[str, ...] = ()


@dataclass(frozen=True)
class JobOutcome:
    """What a worker made of one :class:`JobSpec`."""

    key: str
    ok: bool
    files: dict[str, bytes] = field(default_factory=dict)
    error: str | None = None
    failed_notebook: bytes | None = None
    seconds: float = 0.0
    worker: str = ""


def execute_job(spec: JobSpec, pool: KernelPool | None = None) -> JobOutcome:
    """
    Run one report in this thread's warm kernel; return its files or its failure.

    ``pool`` is the batch's own pool of kernels; on a Dask worker (``None``) the
    worker process keeps one pool for its lifetime.
    """
    from pmo_kit.reports._warm import worker_pool

    start = time.perf_counter()
    where = _worker_name()
    if pool is None:
        pool = worker_pool(spec.kernel_name)
    missing = [
        f"{name}={spec.parameters[name]}"
        for name in spec.path_parameters
        if spec.parameters.get(name)
        and not is_database_url(spec.parameters[name])
        and not Path(spec.parameters[name]).exists()
    ]
    if missing:
        error = (
            f"{', '.join(missing)} does not exist on {socket.gethostname()}: "
            "every worker needs the dataset at the same path (a shared folder)"
        )
        return JobOutcome(spec.key, False, error=error, worker=where)
    folder = Path(tempfile.mkdtemp(prefix="pmo-kit-job-"))
    try:
        return _run(spec, pool, folder, start, where)
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def _run(
    spec: JobSpec, pool: KernelPool, folder: Path, start: float, where: str
) -> JobOutcome:
    import nbformat
    from nbclient.exceptions import CellExecutionError, CellTimeoutError
    from papermill.parameterize import parameterize_notebook

    from pmo_kit.reports._runner import export_html
    from pmo_kit.reports._warm import KernelDiedError

    node = nbformat.reads(spec.notebook, as_version=4)
    for cell in node.cells:  # as papermill prepares a notebook: every cell has tags
        cell.metadata["tags"] = list(cell.metadata.get("tags", []))
    node.metadata["papermill"] = {"input_path": f"{spec.report}.ipynb"}
    values = {**spec.parameters, "output_json": str(folder / "summary.json")}
    node = parameterize_notebook(node, values, kernel_name=spec.kernel_name)
    kernel = pool.get()
    error = None
    try:
        kernel.run(node, folder, cell_timeout=spec.cell_timeout)
    except CellExecutionError as exc:
        error = f"{_cell_of(node)}: {exc.ename}: {_first_line(exc.evalue)}"
    except CellTimeoutError as exc:
        error = f"{_cell_of(node)}: {_first_line(str(exc))}"
    except KernelDiedError as exc:
        error = str(exc)
    except Exception as exc:  # the kernel could not start, a message was lost
        error = f"could not run: {type(exc).__name__}: {_first_line(str(exc))}"
    # the output_json path is a temporary one: keep the notebook readable
    node.metadata["papermill"]["parameters"] = dict(spec.parameters)
    notebook = nbformat.writes(node).encode("utf-8")
    summary = folder / "summary.json"
    if error is None and not summary.is_file():
        error = (
            "ran but did not write summary.json; its last cell must call "
            "pmo_kit.reports.write_summary(output_json, ...)"
        )
    if error is None:
        try:
            json.loads(summary.read_text(encoding="utf-8"))
        except ValueError as exc:
            error = f"summary.json is not valid JSON: {exc}"
    elapsed = time.perf_counter() - start
    if error is not None:
        return JobOutcome(
            spec.key,
            False,
            error=error,
            failed_notebook=notebook,
            seconds=elapsed,
            worker=where,
        )
    files = {f"{spec.report}.ipynb": notebook, "summary.json": summary.read_bytes()}
    if spec.html:
        executed = folder / f"{spec.report}.ipynb"
        executed.write_bytes(notebook)
        target = folder / f"{spec.report}.html"
        export_html(executed, target, title=spec.title)
        files[f"{spec.report}.html"] = target.read_bytes()
    return JobOutcome(
        spec.key, True, files, seconds=time.perf_counter() - start, worker=where
    )


def _worker_name() -> str:
    """Name where this runs: the Dask worker's address, or host/thread."""
    try:
        from distributed import get_worker

        return str(get_worker().address)
    except (ImportError, ValueError):
        return f"{socket.gethostname()}/{threading.current_thread().name}"


def _cell_of(node: Any) -> str:
    """Name the code cell that failed (the first one with an error output)."""
    number = 0
    for cell in node.cells:
        if cell.get("cell_type") != "code":
            continue
        number += 1
        if any(o.get("output_type") == "error" for o in cell.get("outputs", [])):
            return f"cell {number}"
    return "a cell"


def _first_line(text: object) -> str:
    lines = [line for line in str(text).splitlines() if line.strip()]
    return lines[0] if lines else ""
