"""
Benchmark: generate (and validate) a large portfolio with the seeded generator.

    .venv/bin/python bench/bench_generate.py [--projects 2000]

Prints the time of `generate_organisation` (and how much of it is validation), the
table sizes, the peak memory, and the time to save the portfolio as CSV and load it
back with `load_portfolio` (what an analyst with a large dataset waits for).
"""

from __future__ import annotations

import argparse
import resource
import tempfile
import time
from pathlib import Path

from pmo_kit.data import portfolio as portfolio_module
from pmo_kit.data.generator import generate_organisation
from pmo_kit.data.portfolio import load_portfolio, save_portfolio


def main() -> None:
    parser = argparse.ArgumentParser(description="Time the sample-data generator.")
    parser.add_argument("--projects", type=int, default=2000)
    parser.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args()

    spent = {"validate": 0.0}
    original = portfolio_module.Portfolio.validate

    def timed_validate(self: portfolio_module.Portfolio) -> portfolio_module.Portfolio:
        start = time.perf_counter()
        try:
            return original(self)
        finally:
            spent["validate"] += time.perf_counter() - start

    portfolio_module.Portfolio.validate = timed_validate  # type: ignore[method-assign]
    start = time.perf_counter()
    portfolio = generate_organisation(seed=args.seed, projects=args.projects)
    total = time.perf_counter() - start
    peak_mib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    sizes = ", ".join(f"{len(t):,} {n}" for n, t in portfolio.tables().items())
    print(f"projects={args.projects} seed={args.seed}")
    print(
        f"generate_organisation: {total:.2f} s (validation {spent['validate']:.2f} s)"
    )
    print(f"peak memory: {peak_mib:,.0f} MiB")
    print(f"tables: {sizes}")
    with tempfile.TemporaryDirectory() as tmp:
        start = time.perf_counter()
        save_portfolio(portfolio, Path(tmp) / "org")
        saved = time.perf_counter() - start
        start = time.perf_counter()
        load_portfolio(Path(tmp) / "org")
        loaded = time.perf_counter() - start
    print(f"save_portfolio (validate, write, read back, swap): {saved:.2f} s")
    print(f"load_portfolio from CSV (parse + validate + cross-checks): {loaded:.2f} s")


if __name__ == "__main__":
    main()
