import sys
from typing import Any

import numpy as np
import pandas as pd
import pytest

from pmo_kit._errors import MissingDependencyError, ValidationError
from pmo_kit.selection import select_portfolio

from ._brute import best_by_brute_force, knapsack_dp
from ._needs import require_scipy


@pytest.fixture(autouse=True)
def _scipy():
    require_scipy()


def frame(values: Any, costs: Any, **columns: Any) -> pd.DataFrame:
    ids = [f"P{i:02d}" for i in range(len(values))]
    return pd.DataFrame({"project_id": ids, "value": values, "cost": costs, **columns})


def test_exact_beats_greedy_on_a_hand_example():
    # budget 10: A alone (value 60, best ratio 10.0... tied) vs B + C (100)
    table = pd.DataFrame(
        {"project_id": ["A", "B", "C"], "value": [66, 50, 50], "cost": [6, 5, 5]}
    )
    result = select_portfolio(table, budget=np.int64(10))  # numpy numbers work
    assert result.chosen == ("B", "C")
    assert result.total_value == 100
    assert result.total_cost == 10
    # greedy takes A first (ratio 11 > 10), then nothing else fits
    assert result.greedy is not None
    assert result.greedy.chosen == ("A",)
    assert result.greedy.value_lost == 34
    assert result.binding == ("budget",)
    summary = result.summary()
    assert summary["greedy_value_lost"] == 34
    assert summary["constraints"][0]["slack"] == 0


def test_rules_are_respected_by_hand():
    table = pd.DataFrame(
        {
            "project_id": ["A", "B", "C", "D"],
            "value": [10, 9, 8, 1],
            "cost": [4, 4, 4, 1],
        }
    )
    # A needs D; A and B exclusive; C never: best is A + D (11) with budget 9
    result = select_portfolio(
        table, budget=9, requires=[("A", "D")], exclusive=[["A", "B"]], never=["C"]
    )
    assert result.chosen == ("A", "D")
    assert result.total_value == 11
    # budget left 4: B would fit but is excluded, C is never: budget not binding
    assert result.binding == ()


def test_roles_and_periods_bind_by_name():
    table = pd.DataFrame(
        {
            "project_id": ["A", "B", "C"],
            "value": [5, 4, 3],
            "cost": [2, 2, 2],
            "cost_2027": [1, 1, 1],
            "cost_2028": [1, 1, 1],
        }
    )
    demands = pd.DataFrame(
        {"project_id": ["A", "B", "C"], "role": ["dev", "dev", "qa"], "hours": [8] * 3}
    )
    result = select_portfolio(
        table,
        budget={"2027": 10, "2028": 10},
        demands=demands,
        capacity={"dev": 10, "qa": 10},
    )
    # dev has hours for only one of A, B
    assert result.chosen == ("A", "C")
    assert result.binding == ("role dev",)
    uses = {c.name: c for c in result.constraints}
    assert uses["dev"].used == 8
    assert uses["2027"].used == 2
    assert not uses["2027"].binding


@pytest.mark.parametrize("seed", range(25))
def test_small_cases_are_optimal_against_brute_force(seed):
    rng = np.random.default_rng(seed)
    n = int(rng.integers(8, 16))  # up to 15: 32,768 subsets
    ids = [f"P{i:02d}" for i in range(n)]
    value = rng.integers(1, 100, n).astype(float)
    cost = rng.integers(1, 50, n).astype(float)
    c27 = rng.integers(0, 30, n).astype(float)
    c28 = cost - np.minimum(c27, cost)
    hours = rng.integers(0, 40, n).astype(float)
    table = pd.DataFrame(
        {
            "project_id": ids,
            "value": value,
            "cost": cost,
            "cost_27": c27,
            "cost_28": c28,
        }
    )
    per_period = bool(seed % 2)
    budget = float(cost.sum() * 0.4)
    pb = {"27": float(c27.sum() * 0.5), "28": float(c28.sum() * 0.5)}
    demands = pd.DataFrame({"project_id": ids, "role": "pm", "hours": hours})
    cap = float(hours.sum() * 0.5)
    order = rng.permutation(n)
    requires = [(ids[order[0]], ids[order[1]]), (ids[order[2]], ids[order[3]])]
    exclusive = [[ids[order[4]], ids[order[5]], ids[order[6]]]]
    must = [ids[order[1]]] if seed % 3 == 0 else []
    never = [ids[order[7]]] if seed % 4 == 0 else []
    if per_period:
        needs, limits = [c27, c28], [pb["27"], pb["28"]]
    else:
        needs, limits = [cost], [budget]
    needs, limits = [*needs, hours], [*limits, cap]
    expected = best_by_brute_force(
        ids,
        value,
        needs,
        limits,
        must=must,
        never=never,
        requires=requires,
        exclusive=exclusive,
    )
    kwargs: dict[str, Any] = {
        "budget": pb if per_period else budget,
        "demands": demands,
        "capacity": {"pm": cap},
        "must": must,
        "never": never,
        "requires": requires,
        "exclusive": exclusive,
    }
    if expected is None:
        with pytest.raises(ValidationError):
            select_portfolio(table, **kwargs)
        return
    result = select_portfolio(table, **kwargs)
    assert result.total_value == pytest.approx(expected)
    assert result.greedy is not None
    assert result.greedy.total_value <= expected + 1e-9


@pytest.mark.parametrize("seed", range(5))
def test_larger_random_cases_never_break_a_constraint(seed):
    rng = np.random.default_rng(100 + seed)
    n = 80
    ids = [f"P{i:02d}" for i in range(n)]
    table = frame(rng.integers(1, 100, n), rng.integers(1, 60, n))
    roles = rng.choice(["dev", "ba", "qa"], n)
    demands = pd.DataFrame(
        {"project_id": ids, "role": roles, "hours": rng.integers(10, 200, n)}
    )
    capacity = {"dev": 1500.0, "ba": 800.0, "qa": 600.0}
    requires = [(ids[i], ids[i + 1]) for i in range(0, 20, 4)]
    exclusive = [ids[30:33], ids[40:44]]
    must, never = [ids[50]], [ids[51], ids[52]]
    budget = 900.0
    result = select_portfolio(
        table,
        budget=budget,
        demands=demands,
        capacity=capacity,
        must=must,
        never=never,
        requires=requires,
        exclusive=exclusive,
    )
    chosen = set(result.chosen)
    rows = table.set_index("project_id")
    assert rows.loc[list(chosen), "cost"].sum() <= budget
    assert result.total_cost == rows.loc[list(chosen), "cost"].sum()
    assert result.total_value == rows.loc[list(chosen), "value"].sum()
    used = demands[demands["project_id"].isin(chosen)].groupby("role")["hours"].sum()
    for role, hours in used.items():
        assert hours <= capacity[str(role)]
    assert set(must) <= chosen
    assert not set(never) & chosen
    for a, b in requires:
        assert a not in chosen or b in chosen
    for group in exclusive:
        assert len(chosen & set(group)) <= 1
    assert result.greedy is not None
    assert result.greedy.total_value <= result.total_value + 1e-9


@pytest.mark.parametrize("seed", range(3))
def test_plain_knapsack_matches_dynamic_programming(seed):
    rng = np.random.default_rng(7 + seed)
    n = 120
    values = rng.integers(10, 1000, n)
    costs = rng.integers(5, 120, n)
    budget = int(costs.sum() // 3)
    expected = knapsack_dp(values.tolist(), costs.tolist(), budget)
    result = select_portfolio(frame(values, costs), budget=budget)
    assert result.total_value == pytest.approx(expected)


@pytest.mark.parametrize(
    ("kwargs", "words"),
    [
        ({"budget": 5, "must": ["A", "B"]}, "need 8 of the budget but only 5"),
        (
            {"budget": 9, "must": ["A"], "never": ["C"], "requires": [("A", "C")]},
            "'C' is in never but a must project needs it",
        ),
        (
            {"budget": 9, "must": ["A", "B"], "exclusive": [["A", "B"]]},
            "one exclusive group",
        ),
        ({"budget": 9, "must": ["Z"]}, "'Z' in must is not a project_id"),
        (
            {
                "budget": 9,
                "must": ["A"],
                "capacity": {"qa": 5},
                "demands": pd.DataFrame(
                    {"project_id": ["A"], "role": ["qa"], "hours": [8]}
                ),
            },
            "need 8 of role 'qa' but only 5",
        ),
        ({"budget": 9, "must": ["A"], "never": ["A"]}, "both must and never"),
        ({"budget": -1}, "invalid budget"),
        ({"budget": {"2027": 5}}, "no 'cost_2027' column"),
        (
            {
                "budget": 9,
                "demands": pd.DataFrame(
                    {"project_id": ["A"], "role": ["dev"], "hours": [1]}
                ),
            },
            "without capacity",
        ),
        (
            {
                "budget": 9,
                "capacity": {"qa": 5},
                "demands": pd.DataFrame(
                    {"project_id": ["A"], "role": ["dev"], "hours": [1]}
                ),
            },
            "role 'dev' in demands",
        ),
    ],
)
def test_conflicts_and_bad_input_give_one_line(kwargs, words):
    table = pd.DataFrame(
        {"project_id": ["A", "B", "C"], "value": [3, 2, 1], "cost": [4, 4, 4]}
    )
    with pytest.raises(ValidationError) as info:
        select_portfolio(table, **kwargs)
    assert words in str(info.value)
    assert "\n" not in str(info.value)


def test_bad_candidates():
    with pytest.raises(ValidationError, match="'cost' for candidate 'B'"):
        select_portfolio(
            pd.DataFrame({"project_id": ["A", "B"], "value": [1, 2], "cost": [1, -2]}),
            budget=5,
        )
    with pytest.raises(ValidationError, match="appears twice"):
        select_portfolio(
            pd.DataFrame({"project_id": ["A", "A"], "value": [1, 2], "cost": [1, 2]}),
            budget=5,
        )
    with pytest.raises(ValidationError, match="no 'value' column"):
        select_portfolio(pd.DataFrame({"project_id": ["A"], "cost": [1]}), budget=5)


def test_without_scipy_one_line_names_the_extra(monkeypatch):
    monkeypatch.setitem(sys.modules, "scipy.optimize", None)
    table = pd.DataFrame({"project_id": ["A"], "value": [1], "cost": [1]})
    with pytest.raises(
        MissingDependencyError, match=r"pip install 'pmo-kit\[selection\]'"
    ):
        select_portfolio(table, budget=5)
