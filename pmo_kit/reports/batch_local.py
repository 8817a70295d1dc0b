"""
Run a batch's reports on this machine: ``jobs`` threads, each with a warm kernel.

Each thread takes the next report when its last one is done. An unexpected error
fails that report only. Ctrl-C or SIGTERM kills the kernels at once (running cells
stop), keeps what is finished and lets the caller write the index.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pmo_kit.reports._warm import KernelPool
from pmo_kit.reports.batch_jobs import JobOutcome, JobSpec, execute_job

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable

__all__ = ["run_local"]


def run_local(
    todo: list[JobSpec],
    jobs: int | None,
    store: Callable[[JobOutcome], None],
) -> None:
    """Run the specs in ``jobs`` threads, each with its own warm kernel."""
    workers = max(1, min(jobs or (os.cpu_count() or 1), len(todo)))
    logs = Path(tempfile.mkdtemp(prefix="pmo-kit-kernels-"))  # kernels' own chatter
    pool = KernelPool(todo[0].kernel_name, logs)
    executor = ThreadPoolExecutor(workers, thread_name_prefix="pmo-report")
    pending: set[Future[JobOutcome]] = set()
    queue = iter(todo)
    try:
        for spec in _take(queue, workers):
            pending.add(_submit(executor, spec, pool))
        while pending:
            finished, pending = wait(pending, return_when=FIRST_COMPLETED)
            for future in finished:
                store(_result(future))
                for spec in _take(queue, 1):
                    pending.add(_submit(executor, spec, pool))
    except BaseException:
        for future in pending:
            future.cancel()
        pool.kill_all()  # running cells stop now; their runs are not stored
        raise
    finally:
        executor.shutdown(wait=True, cancel_futures=True)
        pool.close()
        shutil.rmtree(logs, ignore_errors=True)


def _submit(executor: Any, spec: JobSpec, pool: Any) -> Any:
    future = executor.submit(execute_job, spec, pool)
    future.spec = spec
    return future


def _result(future: Any) -> JobOutcome:
    """Return a finished run's outcome; an unexpected error fails that run only."""
    spec: JobSpec = future.spec
    try:
        outcome: JobOutcome = future.result()
    except Exception as exc:
        error = f"could not run: {type(exc).__name__}: {exc}".splitlines()[0]
        return JobOutcome(spec.key, False, error=error)
    return outcome


def _take(queue: Iterable[JobSpec], count: int) -> list[JobSpec]:
    taken = []
    for spec in queue:
        taken.append(spec)
        if len(taken) == count:
            break
    return taken
