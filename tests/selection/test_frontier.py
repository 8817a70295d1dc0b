import math

import numpy as np
import pandas as pd
import pytest

from pmo_kit.selection import FRONTIER_COLUMNS, efficient_frontier

from ._brute import best_by_brute_force
from ._needs import require_scipy


@pytest.fixture(autouse=True)
def _scipy():
    require_scipy()


def test_frontier_by_hand():
    table = pd.DataFrame(
        {"project_id": ["A", "B", "C"], "value": [66, 50, 50], "cost": [6, 5, 5]}
    )
    out = efficient_frontier(table, [10, 0, 5, 6, 16])
    assert list(out.columns) == list(FRONTIER_COLUMNS)
    assert out["budget"].tolist() == [0, 5, 6, 10, 16]
    assert out["best_value"].tolist() == [0, 50, 66, 100, 166]
    assert out["added"].tolist() == [(), ("B",), ("A",), ("B", "C"), ("A",)]
    assert out["removed"].tolist() == [(), (), ("B",), ("A",), ()]


def test_infeasible_levels_are_marked():
    table = pd.DataFrame({"project_id": ["A", "B"], "value": [5, 4], "cost": [3, 2]})
    out = efficient_frontier(table, [2, 3, 5], must=["A"])
    assert out["feasible"].tolist() == [False, True, True]
    assert math.isnan(float(out["best_value"].iloc[0]))
    assert out.loc[1, "chosen"] == ("A",)
    assert out.loc[1, "added"] == ("A",)
    assert out.loc[2, "added"] == ("B",)


@pytest.mark.parametrize("seed", range(4))
def test_every_level_is_optimal_against_brute_force(seed):
    rng = np.random.default_rng(seed + 50)
    n = 10
    ids = [f"P{i}" for i in range(n)]
    value = rng.integers(1, 60, n).astype(float)
    cost = rng.integers(1, 30, n).astype(float)
    table = pd.DataFrame({"project_id": ids, "value": value, "cost": cost})
    requires = [(ids[0], ids[1])]
    exclusive = [[ids[2], ids[3]]]
    budgets = np.linspace(0, cost.sum(), 7)
    out = efficient_frontier(table, budgets, requires=requires, exclusive=exclusive)
    previous = -1.0
    for level, best in zip(out["budget"], out["best_value"], strict=True):
        expected = best_by_brute_force(
            ids, value, [cost], [level], requires=requires, exclusive=exclusive
        )
        assert best == pytest.approx(expected)
        assert best >= previous  # more money never gives less value
        previous = best
