"""
Benchmark: portfolio computations on a generated 5,000-project portfolio.

    .venv/bin/python bench/bench_scale.py [--projects 5000] [--iterations 10000]
        [--sample N] [--workers 2] [--no-dask]

Measures, in one process, wall and CPU time and the peak memory so far
(``ru_maxrss``, which only grows: each figure is the peak up to the end of that
step) of:

1. ``generate_organisation(seed=2026, projects=N)``;
2. splitting the portfolio into per-project slices: ``split_portfolio`` (one pass
   per table) against ``Portfolio.for_project`` on a sample (extrapolated);
3. ``portfolio_overview`` (the EVM roll-up);
4. ``portfolio_schedule_risk`` serially (every project, or the first ``--sample``
   projects extrapolated to all), and ``monte_carlo`` alone on 100 projects, to
   show what the report's analysis adds around the simulation;
5. on a real Dask cluster on 127.0.0.1 (``dask scheduler`` + ``--workers`` ``dask
   worker`` processes, one thread each, started as the tests start them):
   ``portfolio_schedule_risk(client=...)``, checked equal to the serial result,
   with each worker's and the scheduler's peak memory
   (``VmHWM`` of ``/proc/self/status`` through ``client.run``; a worker's
   ``ru_maxrss`` would show its parent's peak, inherited across fork + exec).

The machine has 2 cores: the Dask figures show the overhead and the scaling on one
machine, not what a cluster of several machines would give.
"""

from __future__ import annotations

import argparse
import os
import platform
import resource
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

if TYPE_CHECKING:
    from collections.abc import Callable


def _peak_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _timed(label: str, call: Callable[[], Any]) -> Any:
    wall, cpu = time.perf_counter(), time.process_time()
    result = call()
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    print(
        f"{label}: {wall:.2f} s (cpu {cpu:.2f} s), "
        f"peak RSS so far {_peak_mib():,.0f} MiB",
        flush=True,
    )
    return result


def _load() -> str:
    return ", ".join(f"{x:.2f}" for x in os.getloadavg())


def main() -> None:
    parser = argparse.ArgumentParser(description="Time portfolio computations.")
    parser.add_argument("--projects", type=int, default=5000)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--iterations", type=int, default=10_000)
    parser.add_argument(
        "--sample", type=int, default=0, help="serial Monte Carlo on N projects only"
    )
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--batch-size", type=int, default=100)
    parser.add_argument("--no-dask", action="store_true")
    args = parser.parse_args()

    import numpy as np
    import pandas as pd

    from pmo_kit.data.generator import generate_organisation
    from pmo_kit.portfolio import portfolio_overview
    from pmo_kit.scale import (
        batch_portfolios,
        portfolio_schedule_risk,
        split_portfolio,
    )
    from pmo_kit.schedule import monte_carlo, remaining_work

    versions = f"python {platform.python_version()}, pandas {pd.__version__}, "
    versions += f"numpy {np.__version__}"
    try:
        import dask

        versions += f", dask {dask.__version__}"  # type: ignore[attr-defined]
    except ImportError:
        pass
    print(f"{platform.machine()}, {os.cpu_count()} cores, {versions}")
    print(f"load average before: {_load()}", flush=True)

    portfolio = _timed(
        f"generate_organisation({args.projects:,} projects)",
        lambda: generate_organisation(seed=args.seed, projects=args.projects),
    )
    sizes = ", ".join(f"{len(t):,} {n}" for n, t in portfolio.tables().items())
    print(f"  tables: {sizes}")

    ids = portfolio.project_ids
    _timed("split_portfolio (every project)", lambda: split_portfolio(portfolio))
    sample = ids[:: max(1, len(ids) // 50)][:50]
    start = time.perf_counter()
    for pid in sample:
        portfolio.for_project(pid)
    each = (time.perf_counter() - start) / len(sample)
    print(
        f"Portfolio.for_project: {each * 1000:.1f} ms per project "
        f"(on {len(sample)}), {each * len(ids):.0f} s for all {len(ids):,} "
        "(extrapolated)"
    )

    overview = _timed("portfolio_overview", lambda: portfolio_overview(portfolio))
    _timed("portfolio_overview (again)", lambda: portfolio_overview(portfolio))

    options: dict[str, Any] = {"iterations": args.iterations, "seed": args.seed}
    subject = portfolio
    if args.sample:  # the first N projects, as one sub-portfolio
        subject = batch_portfolios(portfolio, args.sample)[0]
    label = f"portfolio_schedule_risk serial, {args.iterations:,} iterations"
    start = time.perf_counter()
    serial = _timed(label, lambda: portfolio_schedule_risk(subject, **options))
    spent = time.perf_counter() - start
    simulated = int((serial["state"] == "simulated").sum())
    print(
        f"  {len(serial):,} projects, {simulated:,} simulated, "
        f"{spent / len(serial) * 1000:.1f} ms per project"
    )
    if args.sample:
        print(f"  extrapolated to {len(ids):,}: {spent / len(serial) * len(ids):.0f} s")

    parts = split_portfolio(portfolio, ids[:100])
    start = time.perf_counter()
    for part in parts.values():
        project = part.projects.iloc[0]
        left, bounds = remaining_work(
            part.tasks, status_date=project["status_date"], start=project["start"]
        )
        if (left["duration"] > 0).any():
            monte_carlo(
                left,
                part.dependencies,
                iterations=args.iterations,
                seed=1,
                start=project["start"],
                start_no_earlier_than=dict(bounds),
            )
    print(
        f"monte_carlo alone (remaining work, no report): "
        f"{(time.perf_counter() - start) / len(parts) * 1000:.1f} ms per project "
        f"({len(parts)} projects)"
    )
    print(f"load average after serial: {_load()}", flush=True)

    if not args.no_dask:
        _dask(args, subject, serial, portfolio, overview, options)


def _dask(
    args: argparse.Namespace,
    subject: Any,
    serial: Any,
    portfolio: Any,
    overview: Any,
    options: dict[str, Any],
) -> None:
    import pandas as pd
    from distributed import Client

    from pmo_kit.scale import portfolio_schedule_risk
    from tests.dask_cluster import dask_cluster

    def peak() -> float:
        # VmHWM, not ru_maxrss: a process started by fork + exec reports its
        # parent's ru_maxrss when that was larger, VmHWM is its own
        from pathlib import Path

        with Path("/proc/self/status").open(encoding="ascii") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
        return float("nan")

    with (
        dask_cluster(workers=args.workers) as cluster,
        Client(cluster.address) as client,
    ):
        print(f"Dask: scheduler + {args.workers} workers x 1 thread on 127.0.0.1")
        print(f"  workers at start: {_mib(client.run(peak))}")
        label = f"portfolio_schedule_risk on Dask, batches of {args.batch_size}"
        on_dask = _timed(
            label,
            lambda: portfolio_schedule_risk(
                subject, client=client, batch_size=args.batch_size, **options
            ),
        )
        pd.testing.assert_frame_equal(on_dask, serial)
        print("  identical to the serial result")
        print(f"  workers' peak RSS: {_mib(client.run(peak))}")
        print(f"  scheduler's peak RSS: {client.run_on_scheduler(peak):,.0f} MiB")
    print(f"load average after Dask: {_load()}")


def _mib(by_worker: dict[str, float]) -> str:
    return ", ".join(f"{value:,.0f} MiB" for value in by_worker.values())


if __name__ == "__main__":
    main()
