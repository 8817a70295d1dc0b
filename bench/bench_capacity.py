"""
Benchmark: capacity planning over a generated 2,000-project portfolio.

    .venv/bin/python bench/bench_capacity.py [--projects 2000] [--weeks 26] [--rounds 3]

Generates the portfolio once with the seeded generator (not timed), then times, on
the whole portfolio from the status date: the weekly demand and capacity of every
person (`capacity_plan`, which validates the tables, spreads every assignment over
its working days and builds the person x day arrays; on the baseline and on the
forecast, which reschedules the remaining work of all projects in one critical-path
pass), the utilisation table, the over-allocation episodes, the role outlook and the
skills gaps. Prints the median of the rounds.
"""

from __future__ import annotations

import argparse
import resource
import statistics
import time
from typing import TYPE_CHECKING, Any

from pmo_kit.data.generator import generate_organisation
from pmo_kit.resources import (
    capacity_plan,
    overallocations,
    role_outlook,
    skills_gaps,
    utilisation_table,
)

if TYPE_CHECKING:
    from collections.abc import Callable


def timed(rounds: int, work: Callable[[], Any]) -> tuple[float, Any]:
    """Median seconds of ``rounds`` calls, and the last result."""
    spent, result = [], None
    for _ in range(rounds):
        start = time.perf_counter()
        result = work()
        spent.append(time.perf_counter() - start)
    return statistics.median(spent), result


def main() -> None:
    parser = argparse.ArgumentParser(description="Time the capacity engine.")
    parser.add_argument("--projects", type=int, default=2000)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--weeks", type=int, default=26)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()

    portfolio = generate_organisation(seed=args.seed, projects=args.projects)
    print(
        f"projects={args.projects} people={len(portfolio.resources):,} "
        f"assignments={len(portfolio.assignments):,} tasks={len(portfolio.tasks):,} "
        f"weeks={args.weeks} rounds={args.rounds}"
    )
    start = portfolio.projects["status_date"].max()
    plan = capacity_plan(portfolio, start=start, weeks=args.weeks)
    steps: list[tuple[str, Callable[[], Any]]] = [
        (
            "capacity_plan (weekly demand + capacity)",
            lambda: capacity_plan(portfolio, start=start, weeks=args.weeks),
        ),
        (
            "capacity_plan, dates='forecast' (one CPM)",
            lambda: capacity_plan(
                portfolio, start=start, weeks=args.weeks, dates="forecast"
            ),
        ),
        ("utilisation table", lambda: utilisation_table(plan)),
        ("overallocations", lambda: overallocations(plan)),
        ("role_outlook", lambda: role_outlook(plan)),
        ("skills_gaps", lambda: skills_gaps(plan)),
    ]
    total = 0.0
    for name, work in steps:
        seconds, result = timed(args.rounds, work)
        total += seconds
        size = f"{len(result):,} rows" if hasattr(result, "__len__") else ""
        if name == "role_outlook":
            size = f"{len(result.weekly):,} role-weeks"
        print(f"{name:<42} {seconds:7.3f} s  {size}")
    print(f"{'total':<42} {total:7.3f} s")
    plan_hours = plan.demand["hours"].sum()
    print(f"hours booked in the horizon: {plan_hours:,.0f}")
    peak_mib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak memory (including generation): {peak_mib:,.0f} MiB")


if __name__ == "__main__":
    main()
