"""
Portfolio selection benchmark: the efficient frontier of 200 candidates at 20
budget levels (target: under 5 s), and one select_portfolio call.

    .venv/bin/python bench/bench_selection.py

Candidates are random but seeded: value and cost loosely correlated (harder for a
MILP than independent ones), three roles with capacity, a few dependencies and
exclusive groups, one must and one never.
"""

from __future__ import annotations

import time

import numpy as np
import pandas as pd

from pmo_kit.selection import efficient_frontier, select_portfolio

N, LEVELS, SEED = 200, 20, 2026


def candidates() -> tuple[pd.DataFrame, pd.DataFrame, dict[str, float], dict]:
    rng = np.random.default_rng(SEED)
    ids = [f"C-{i:03d}" for i in range(N)]
    cost = rng.integers(50, 2_000, N) * 1_000
    value = (cost * rng.uniform(0.6, 1.8, N)).round(-3)
    table = pd.DataFrame({"project_id": ids, "value": value, "cost": cost})
    demands = pd.DataFrame(
        {
            "project_id": ids,
            "role": rng.choice(["engineer", "analyst", "tester"], N),
            "hours": rng.integers(200, 3_000, N),
        }
    )
    capacity = {"engineer": 60_000.0, "analyst": 40_000.0, "tester": 30_000.0}
    rules = {
        "requires": [(ids[i], ids[i + 1]) for i in range(0, 40, 4)],
        "exclusive": [ids[100 + 5 * k : 105 + 5 * k] for k in range(4)],
        "must": [ids[150]],
        "never": [ids[151]],
    }
    return table, demands, capacity, rules


def main() -> None:
    table, demands, capacity, rules = candidates()
    total = float(table["cost"].sum())
    budgets = np.linspace(0.05, 1.0, LEVELS) * total
    start = time.perf_counter()
    frontier = efficient_frontier(
        table, budgets, demands=demands, capacity=capacity, **rules
    )
    frontier_s = time.perf_counter() - start
    start = time.perf_counter()
    result = select_portfolio(
        table, budget=total * 0.3, demands=demands, capacity=capacity, **rules
    )
    select_s = time.perf_counter() - start
    print(f"efficient_frontier: {N} candidates x {LEVELS} budgets: {frontier_s:.2f} s")
    print(f"  feasible levels: {int(frontier['feasible'].sum())}/{LEVELS}")
    print(
        f"select_portfolio at 30% of total cost: {select_s:.2f} s, "
        f"{len(result.chosen)} chosen, value {result.total_value:,.0f}, "
        f"greedy loses {result.greedy.value_lost if result.greedy else 0:,.0f}, "
        f"binding {list(result.binding)}"
    )
    print("target: frontier under 5 s:", "met" if frontier_s < 5 else "MISSED")


if __name__ == "__main__":
    main()
