"""
Benchmark: the schedule engine on large project networks.

    .venv/bin/python bench/bench_schedule.py [--rounds 5] [--tasks 100000]

(a) ``critical_path`` on a 100,000-task network with 200,000 links (project-like:
    phases, mostly FS, all four link types, leads and lags; see
    ``schedule_networks.py``) against the networkx reference ``reference_cpm`` in the
    same run, alternating, median of several rounds each; the two results are
    checked equal first. Goals: under 0.5 s, and at least 10x faster than the
    reference.
(b) ``monte_carlo`` with 10,000 iterations (PERT) on a 1,000-task, 2,000-link network
    with three-point estimates around each duration. Goal: under 1 s.

Figures are wall-clock seconds from ``time.perf_counter``, input tables already in
memory (generation is not timed).
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import time
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

# run as a script: this folder is on sys.path
from schedule_networks import RESULT_COLUMNS, random_network, reference_cpm

from pmo_kit.schedule import critical_path
from pmo_kit.schedule.montecarlo import monte_carlo

if TYPE_CHECKING:
    from collections.abc import Callable

CPM_GOAL_S = 0.5
SPEEDUP_GOAL = 10.0
MONTE_CARLO_GOAL_S = 1.0


def timed(fn: Callable[[], object]) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def spread(values: list[float]) -> str:
    low, high = min(values), max(values)
    return (
        f"median {statistics.median(values):7.3f} s  "
        f"(min {low:.3f}, max {high:.3f}, n={len(values)})"
    )


def with_estimates(tasks: pd.DataFrame, seed: int) -> pd.DataFrame:
    """Three-point estimates around each duration (right-skewed, as in real plans)."""
    rng = np.random.default_rng(seed)
    d = tasks["duration"].to_numpy(dtype=float)
    optimistic = np.floor(d * rng.uniform(0.6, 0.95, d.size))
    pessimistic = np.ceil(d * rng.uniform(1.1, 2.2, d.size))
    return tasks.assign(
        optimistic=optimistic, most_likely=d, pessimistic=np.maximum(pessimistic, d)
    )


def bench_cpm(args: argparse.Namespace) -> None:
    tasks, links = random_network(args.tasks, args.links, seed=args.seed)
    print(
        f"(a) critical_path: {len(tasks):,} tasks, {len(links):,} links "
        f"({', '.join(f'{k} {v:,}' for k, v in links['type'].value_counts().items())})"
    )
    engine = critical_path(tasks, links)
    reference = reference_cpm(tasks, links)
    same = engine[RESULT_COLUMNS].equals(reference[RESULT_COLUMNS]) and (
        engine.attrs["project_finish"] == reference.attrs["project_finish"]
    )
    print(
        f"    project finish {engine.attrs['project_finish']} working days, "
        f"{int(engine['critical'].sum()):,} critical tasks; "
        f"engine == reference: {same}"
    )
    engine_times: list[float] = []
    reference_times: list[float] = []
    for i in range(max(args.rounds, args.reference_rounds)):
        if i < args.rounds:
            engine_times.append(timed(lambda: critical_path(tasks, links)))
        if i < args.reference_rounds:
            reference_times.append(timed(lambda: reference_cpm(tasks, links)))
    e, r = statistics.median(engine_times), statistics.median(reference_times)
    print(f"    pmo_kit critical_path      {spread(engine_times)}")
    print(f"    networkx reference_cpm     {spread(reference_times)}")
    print(
        f"    speed-up {r / e:.1f}x  "
        f"[goal: < {CPM_GOAL_S} s {'met' if e < CPM_GOAL_S else 'MISSED'}, "
        f">= {SPEEDUP_GOAL:.0f}x {'met' if r / e >= SPEEDUP_GOAL else 'MISSED'}]"
    )


def bench_monte_carlo(args: argparse.Namespace) -> None:
    tasks, links = random_network(args.mc_tasks, 2 * args.mc_tasks, seed=args.seed)
    tasks = with_estimates(tasks, args.seed)
    print(
        f"(b) monte_carlo: {args.iterations:,} iterations (pert), "
        f"{len(tasks):,} tasks, {len(links):,} links"
    )
    result = monte_carlo(tasks, links, iterations=args.iterations, seed=args.seed)
    print(
        f"    deterministic finish {result.deterministic_finish:g}, "
        f"P50 {result.percentile(0.5):g}, P80 {result.percentile(0.8):g}, "
        f"P90 {result.percentile(0.9):g} working days"
    )
    times = [
        timed(
            lambda: monte_carlo(
                tasks, links, iterations=args.iterations, seed=args.seed
            )
        )
        for _ in range(args.rounds)
    ]
    m = statistics.median(times)
    print(f"    pmo_kit monte_carlo        {spread(times)}")
    print(
        f"    [goal: < {MONTE_CARLO_GOAL_S} s "
        f"{'met' if m < MONTE_CARLO_GOAL_S else 'MISSED'}]"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[1])
    parser.add_argument("--rounds", type=int, default=5, help="engine runs per figure")
    parser.add_argument("--reference-rounds", type=int, default=3)
    parser.add_argument("--tasks", type=int, default=100_000)
    parser.add_argument("--links", type=int, default=200_000)
    parser.add_argument("--mc-tasks", type=int, default=1_000)
    parser.add_argument("--iterations", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args()
    print(
        f"machine: {platform.processor() or platform.machine()}, "
        f"{os.cpu_count()} CPUs, python {platform.python_version()}, "
        f"numpy {np.__version__}, pandas {pd.__version__}"
    )
    bench_cpm(args)
    bench_monte_carlo(args)


if __name__ == "__main__":
    main()
