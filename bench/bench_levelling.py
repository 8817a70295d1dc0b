"""
Benchmark: resource levelling on the PSPLIB j30 set (480 instances, optima known).

    .venv/bin/python bench/bench_levelling.py [--set j30] [--time-limit 1.0] [--jobs 2]
        [--max-schedules N] [--csv rows.csv]

For every instance, ``level(..., time_limit=1.0)`` (the default optimiser) and the
single-pass baseline ``level(..., method="serial")`` (latest-finish-time rule);
figures: average and maximum deviation from the optimum (j30) or best known upper
bound (j60), instances solved to the optimum, and wall-clock seconds per instance
(the whole ``level`` call: validation, search, explanation), mean and max. Instances
run in ``--jobs`` worker processes, one instance per process at a time, so the
per-instance time is its own wall time. The data is read from
``../shared/datasets-external/psplib`` (not shipped with the project).

``--max-schedules N`` replaces the time limit by a budget of schedules: the result
then depends only on the seed, not on how busy the machine is.
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import platform
import statistics
import sys
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from pmo_kit.io import read_psplib, read_psplib_optima  # noqa: E402
from pmo_kit.resources import level  # noqa: E402

PSPLIB = HERE.parent.parent / "shared" / "datasets-external" / "psplib"
GOAL_DEVIATION = 0.01
GOAL_SECONDS = 1.0


def run_one(job: tuple[str, str, float | None, int | None, int]) -> dict[str, Any]:
    """Level one instance both ways; return makespans and wall times."""
    folder, name, time_limit, max_schedules, seed = job
    inst = read_psplib(PSPLIB / folder / f"{name}.sm")
    args = (inst.tasks, inst.dependencies, inst.demands, inst.capacities)
    began = time.perf_counter()
    best = level(*args, time_limit=time_limit, max_schedules=max_schedules, seed=seed)
    seconds = time.perf_counter() - began
    began = time.perf_counter()
    serial = level(*args, method="serial")
    serial_seconds = time.perf_counter() - began
    return {
        "name": name,
        "makespan": best.attrs["makespan"],
        "serial": serial.attrs["makespan"],
        "lower_bound": best.attrs["lower_bound"],
        "schedules": best.attrs["schedules"],
        "seconds": seconds,
        "serial_seconds": serial_seconds,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--set", default="j30", choices=["j30", "j60"])
    parser.add_argument("--time-limit", type=float, default=1.0)
    parser.add_argument(
        "--max-schedules",
        type=int,
        default=None,
        help="a schedule budget instead of the time limit (load-independent)",
    )
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--limit", type=int, default=None, help="first N instances")
    parser.add_argument("--csv", default=None, help="write per-instance rows here")
    opts = parser.parse_args()
    if not (PSPLIB / opts.set).is_dir():
        sys.exit(f"{PSPLIB / opts.set} not found: the PSPLIB data lives in ../shared")
    optima = read_psplib_optima(PSPLIB / f"{opts.set}_optimum.csv")
    best_known = dict(zip(optima["problem"], optima["upper"], strict=True))
    proven = set(optima["problem"][optima["lower"].eq(optima["upper"]).fillna(False)])
    names = sorted(best_known)[: opts.limit]
    limit = None if opts.max_schedules else opts.time_limit
    jobs = [(opts.set, n, limit, opts.max_schedules, opts.seed) for n in names]
    budget = f"{opts.max_schedules} schedules" if opts.max_schedules else f"{limit} s"
    print(
        f"{opts.set}: {len(jobs)} instances, budget {budget}, "
        f"{opts.jobs} worker(s); {platform.machine()}, {os.cpu_count()} cores, "
        f"Python {platform.python_version()}; load before {os.getloadavg()}"
    )
    began = time.perf_counter()
    with multiprocessing.Pool(opts.jobs) as pool:
        rows = pool.map(run_one, jobs, chunksize=1)
    total = time.perf_counter() - began
    load_after = os.getloadavg()
    if opts.csv:
        import csv

        with Path(opts.csv).open("w", newline="") as out:
            writer = csv.DictWriter(out, fieldnames=[*rows[0], "best_known"])
            writer.writeheader()
            for r in rows:
                writer.writerow({**r, "best_known": best_known[str(r["name"])]})

    def deviation(key: str) -> list[float]:
        return [(r[key] - best_known[r["name"]]) / best_known[r["name"]] for r in rows]

    dev, base = deviation("makespan"), deviation("serial")
    seconds = [float(r["seconds"]) for r in rows]
    at_best = sum(1 for r in rows if r["makespan"] == best_known[str(r["name"])])
    better = sum(1 for r in rows if r["makespan"] < best_known[str(r["name"])])
    kind = "optimum" if len(proven) == len(best_known) else "best known upper bound"
    serial_at_best = sum(1 for d in base if d == 0)
    print(f"deviation from the {kind} (average / max):")
    print(f"  optimise, {budget}: {statistics.mean(dev):.3%} / {max(dev):.2%}")
    print(f"  serial LFT baseline: {statistics.mean(base):.3%} / {max(base):.2%}")
    print(f"  at the {kind}: {at_best} of {len(rows)} (serial: {serial_at_best})")
    if better:
        print(f"  below the best known upper bound: {better}")
    print(
        f"seconds per instance (optimise): mean {statistics.mean(seconds):.3f}, "
        f"max {max(seconds):.3f}; serial mean "
        f"{statistics.mean(float(r['serial_seconds']) for r in rows):.4f}"
    )
    searched = [r["schedules"] for r in rows if r["makespan"] > r["lower_bound"]]
    if searched:
        print(
            f"schedules evaluated where the lower bound was not reached "
            f"({len(searched)} instances): median {statistics.median(searched):.0f}"
        )
    worst = sorted(zip(dev, (r["name"] for r in rows), strict=True), reverse=True)[:5]
    print("worst:", ", ".join(f"{n} {d:.1%}" for d, n in worst))
    print(f"total wall time {total:.1f} s; load after {load_after}")
    if opts.set == "j30":
        quality = statistics.mean(dev) <= GOAL_DEVIATION
        speed = max(seconds) <= GOAL_SECONDS
        print(
            "goal (average <= 1 %, at most 1 s per instance):",
            f"deviation {'met' if quality else 'NOT met'},",
            f"time {'met' if speed else 'NOT met'}",
        )


if __name__ == "__main__":
    main()
