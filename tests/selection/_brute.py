"""Brute force over every subset: the reference the MILP is checked against."""

from __future__ import annotations

import itertools
from typing import Any

import numpy as np


def best_by_brute_force(
    ids: list[str],
    value: Any,
    needs: list[Any],
    limits: list[Any],
    *,
    must: Any = (),
    never: Any = (),
    requires: Any = (),
    exclusive: Any = (),
) -> float | None:
    """
    Best total value over all 2**n subsets, or None when none is feasible.

    needs: list of arrays (one per limit), limits: matching numbers.
    """
    n = len(ids)
    index = {ident: i for i, ident in enumerate(ids)}
    grid = np.array(list(itertools.product((0, 1), repeat=n)), dtype=bool)
    ok = np.ones(len(grid), dtype=bool)
    for need, limit in zip(needs, limits, strict=True):
        ok &= grid @ np.asarray(need, dtype=float) <= limit + 1e-9
    for ident in must:
        ok &= grid[:, index[ident]]
    for ident in never:
        ok &= ~grid[:, index[ident]]
    for a, b in requires:
        ok &= ~grid[:, index[a]] | grid[:, index[b]]
    for group in exclusive:
        ok &= grid[:, [index[g] for g in group]].sum(axis=1) <= 1
    if not ok.any():
        return None
    values = grid[ok] @ np.asarray(value, dtype=float)
    return float(values.max())


def knapsack_dp(values: list[int], costs: list[int], budget: int) -> float:
    """Classic 0-1 knapsack by dynamic programming over integer costs."""
    best = [0.0] * (budget + 1)
    for v, c in zip(values, costs, strict=True):
        for b in range(budget, c - 1, -1):
            if best[b - c] + v > best[b]:
                best[b] = best[b - c] + v
    return best[budget]
