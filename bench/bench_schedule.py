"""
Benchmark: the schedule engine on large project networks.

    .venv/bin/python bench/bench_schedule.py [--rounds 5] [--tasks 100000]
    .venv/bin/python bench/bench_schedule.py --shapes all      # every network shape

(a) ``critical_path`` on a 100,000-task network with 200,000 links (project-like:
    phases, mostly FS, all four link types, leads and lags; see
    ``schedule_networks.py``) against the networkx reference ``reference_cpm`` in the
    same run, alternating, median of several rounds each; the two results are
    checked equal first. Goals: under 0.5 s, and at least 10x faster than the
    reference.
(b) ``monte_carlo`` with 10,000 iterations (PERT) on a 1,000-task, 2,000-link network
    with three-point estimates around each duration. Goal: under 1 s.
(c) with ``--shapes``: (a) and (b) again on every named shape of
    ``schedule_networks.SHAPES`` (deep, wide, fan-in/fan-out hubs, link-type mix,
    leads) and on ``serial`` (two tasks per phase: 50,000 levels), one line each.

Figures are wall-clock seconds from ``time.perf_counter``, input tables already in
memory (generation is not timed), with the process CPU time (all threads) beside
them: on a shared machine the CPU time and the ratio to the reference measured in
the same run move much less than the wall clock.
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import time
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

# run as a script: this folder is on sys.path
from schedule_networks import (
    RESULT_COLUMNS,
    SHAPES,
    random_network,
    reference_cpm,
    shaped_network,
)

from pmo_kit.schedule import critical_path
from pmo_kit.schedule.montecarlo import monte_carlo

if TYPE_CHECKING:
    from collections.abc import Callable

CPM_GOAL_S = 0.5
SPEEDUP_GOAL = 10.0
MONTE_CARLO_GOAL_S = 1.0
#: Shapes of (c): the named ones, and two tasks per phase (the deepest kind).
EXTRA_SHAPES: dict[str, dict[str, Any]] = {
    "serial": {"max_depth": None, "phase_size": 2}
}


def timed(fn: Callable[[], object]) -> tuple[float, float]:
    """Wall-clock and process CPU seconds of one call."""
    start, cpu = time.perf_counter(), time.process_time()
    fn()
    return time.perf_counter() - start, time.process_time() - cpu


def spread(values: list[tuple[float, float]]) -> str:
    wall = [v[0] for v in values]
    cpu = statistics.median(v[1] for v in values)
    return (
        f"median {statistics.median(wall):7.3f} s  "
        f"(min {min(wall):.3f}, max {max(wall):.3f}, n={len(wall)}; cpu {cpu:.3f} s)"
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


def network(
    shape: str, n_tasks: int, n_links: int, seed: int
) -> tuple[pd.DataFrame, pd.DataFrame]:
    if shape in EXTRA_SHAPES:
        return random_network(n_tasks, n_links, seed=seed, **EXTRA_SHAPES[shape])
    return shaped_network(shape, n_tasks, n_links, seed=seed)


def measure_cpm(
    tasks: pd.DataFrame, links: pd.DataFrame, args: argparse.Namespace
) -> tuple[bool, list[tuple[float, float]], list[tuple[float, float]]]:
    """Check engine == reference, then time both, alternating."""
    engine = critical_path(tasks, links)
    reference = reference_cpm(tasks, links)
    same = engine[RESULT_COLUMNS].equals(reference[RESULT_COLUMNS]) and (
        engine.attrs["project_finish"] == reference.attrs["project_finish"]
    )
    engine_times: list[tuple[float, float]] = []
    reference_times: list[tuple[float, float]] = []
    for i in range(max(args.rounds, args.reference_rounds)):
        if i < args.rounds:
            engine_times.append(timed(lambda: critical_path(tasks, links)))
        if i < args.reference_rounds:
            reference_times.append(timed(lambda: reference_cpm(tasks, links)))
    return same, engine_times, reference_times


def verdict(engine: float, reference: float) -> str:
    ratio = reference / engine
    return (
        f"[goal: < {CPM_GOAL_S} s {'met' if engine < CPM_GOAL_S else 'MISSED'}, "
        f">= {SPEEDUP_GOAL:.0f}x {'met' if ratio >= SPEEDUP_GOAL else 'MISSED'}]"
    )


def bench_cpm(args: argparse.Namespace) -> None:
    tasks, links = random_network(args.tasks, args.links, seed=args.seed)
    print(
        f"(a) critical_path: {len(tasks):,} tasks, {len(links):,} links "
        f"({', '.join(f'{k} {v:,}' for k, v in links['type'].value_counts().items())})"
    )
    same, engine_times, reference_times = measure_cpm(tasks, links, args)
    engine = critical_path(tasks, links)
    print(
        f"    project finish {engine.attrs['project_finish']} working days, "
        f"{int(engine['critical'].sum()):,} critical tasks; "
        f"engine == reference: {same}"
    )
    e = statistics.median(t[0] for t in engine_times)
    r = statistics.median(t[0] for t in reference_times)
    print(f"    pmo_kit critical_path      {spread(engine_times)}")
    print(f"    networkx reference_cpm     {spread(reference_times)}")
    print(f"    speed-up {r / e:.1f}x  {verdict(e, r)}")


def measure_monte_carlo(
    tasks: pd.DataFrame, links: pd.DataFrame, args: argparse.Namespace
) -> list[tuple[float, float]]:
    def run() -> object:
        return monte_carlo(tasks, links, iterations=args.iterations, seed=args.seed)

    run()  # warm-up: first-call imports and allocations
    return [timed(run) for _ in range(args.rounds)]


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
    times = measure_monte_carlo(tasks, links, args)
    m = statistics.median(t[0] for t in times)
    print(f"    pmo_kit monte_carlo        {spread(times)}")
    print(
        f"    [goal: < {MONTE_CARLO_GOAL_S} s "
        f"{'met' if m < MONTE_CARLO_GOAL_S else 'MISSED'}]"
    )


def bench_shapes(args: argparse.Namespace) -> None:
    names = [*SHAPES, *EXTRA_SHAPES] if args.shapes == "all" else args.shapes.split(",")
    print(
        f"(c) shapes: critical_path on {args.tasks:,} tasks / {args.links:,} links vs "
        f"reference; monte_carlo {args.iterations:,} x {args.mc_tasks:,} tasks "
        "(medians, wall s / cpu s)"
    )
    print(
        f"    {'shape':10s} {'max in':>6s} {'max out':>7s} {'cpm wall':>9s} "
        f"{'cpu':>6s} {'ref wall':>9s} {'ratio':>6s} {'mc wall':>8s} {'cpu':>6s}  ok"
    )
    for name in names:
        tasks, links = network(name, args.tasks, args.links, args.seed)
        same, engine_times, reference_times = measure_cpm(tasks, links, args)
        e = statistics.median(t[0] for t in engine_times)
        e_cpu = statistics.median(t[1] for t in engine_times)
        r = statistics.median(t[0] for t in reference_times)
        small, small_links = network(name, args.mc_tasks, 2 * args.mc_tasks, args.seed)
        mc = measure_monte_carlo(with_estimates(small, args.seed), small_links, args)
        m = statistics.median(t[0] for t in mc)
        m_cpu = statistics.median(t[1] for t in mc)
        goals = (
            same and e < CPM_GOAL_S and r / e >= SPEEDUP_GOAL and m < MONTE_CARLO_GOAL_S
        )
        print(
            f"    {name:10s} {links['successor'].value_counts().max():6d} "
            f"{links['predecessor'].value_counts().max():7d} {e:9.3f} {e_cpu:6.3f} "
            f"{r:9.3f} {r / e:5.1f}x {m:8.3f} {m_cpu:6.3f}  "
            f"{'goals met' if goals else 'MISSED' if same else 'RESULTS DIFFER'}",
            flush=True,
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
    parser.add_argument(
        "--shapes",
        default="",
        help="'all' or comma-separated shapes: run (c) instead of (a) and (b)",
    )
    args = parser.parse_args()
    print(
        f"machine: {platform.processor() or platform.machine()}, "
        f"{os.cpu_count()} CPUs, python {platform.python_version()}, "
        f"numpy {np.__version__}, pandas {pd.__version__}; "
        f"load average {os.getloadavg()[0]:.1f}"
    )
    if args.shapes:
        bench_shapes(args)
    else:
        bench_cpm(args)
        bench_monte_carlo(args)
    print(f"load average at the end {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
