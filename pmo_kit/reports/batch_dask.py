"""
Run a batch's reports on a Dask distributed cluster.

Each report is one task, :func:`~pmo_kit.reports.batch_jobs.execute_job`, run in a
warm kernel on a worker (one kernel per worker thread, kept for the worker's life).
The task returns the report's files as bytes and this process writes them into the
output folder, so the workers need no access to it. They need pmo-kit installed and
the dataset at the same path (a shared folder); the notebook travels with the task.

A worker that dies mid-report loses nothing: the scheduler gives its tasks to
another worker (up to ``distributed.scheduler.allowed-failures`` deaths, 3 by
default, after which the report counts as failed, named in the failure line). A
task that raises for another reason (a worker without pmo-kit, say) is retried
once, then reported as failed.
"""

from __future__ import annotations

import secrets
from typing import TYPE_CHECKING, Any

from pmo_kit._errors import ReportParameterError, ValidationError
from pmo_kit.reports.batch_jobs import JobOutcome, JobSpec, execute_job

if TYPE_CHECKING:
    from collections.abc import Callable

__all__ = ["run_batch_on_dask"]


def run_batch_on_dask(
    specs: list[JobSpec], scheduler: str, store: Callable[[JobOutcome], None]
) -> None:
    """Run ``specs`` on the cluster of ``scheduler``; ``store`` each outcome here."""
    from pmo_kit.scale.cluster import connect

    try:
        client, _ = connect(scheduler, what="--scheduler")
    except ReportParameterError:
        raise
    except ValidationError as exc:  # a report's parameter error, as for -p
        raise ReportParameterError(str(exc)) from None
    from distributed import as_completed

    batch = secrets.token_hex(4)
    try:
        futures = {}
        for spec in specs:
            future = client.submit(
                execute_job,
                spec,
                key=f"pmo-report-{batch}-{spec.key}",
                pure=False,
                retries=1,
            )
            futures[future] = spec
        for future in as_completed(list(futures)):
            spec = futures[future]
            store(_outcome(future, spec))
    except BaseException:
        for future in futures:
            future.cancel()
        raise
    finally:
        client.close()


def _outcome(future: Any, spec: JobSpec) -> JobOutcome:
    from distributed import KilledWorker

    try:
        outcome: JobOutcome = future.result()
    except KilledWorker as exc:
        tries = int(exc.args[2]) + 1 if len(exc.args) > 2 else "several"
        last = getattr(exc.args[1], "address", "?") if len(exc.args) > 1 else "?"
        error = (
            f"{tries} workers died while running it (the last: {last}); "
            "Dask gave up. See the workers' logs (memory limit? killed?)"
        )
        return JobOutcome(spec.key, False, error=error)
    except Exception as exc:
        error = f"the Dask task failed: {type(exc).__name__}: {exc}"
        return JobOutcome(spec.key, False, error=error.splitlines()[0])
    return outcome
