"""
The engine on every network shape of the benchmark, against independent computations.

``bench/schedule_networks.py`` names shapes that take the engine down its different
paths: wide and shallow networks run level by level with numpy, deep ones (``deep``,
and ``serial`` with two tasks per phase) are laid out and passed over in plain Python,
hub tasks with hundreds of links (``fan``) make long groups for the 2-D (Monte Carlo)
passes, and ``link-mix`` / ``leads`` weigh every link rule and negative lags. The
oracles are the networkx reference CPM (no shared code), a longest-chain count by
hand, and the reference run once per simulated column.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
import pytest

from bench.schedule_networks import (
    RESULT_COLUMNS,
    SHAPES,
    random_network,
    reference_cpm,
    shaped_network,
)
from pmo_kit.schedule import critical_path, monte_carlo
from pmo_kit.schedule.layers import NUMPY_LEVELS, passes_in_python
from pmo_kit.schedule.network import (
    backward_pass,
    compile_network,
    forward_pass,
    link_weights,
)

SERIAL: dict[str, Any] = {"max_depth": None, "phase_size": 2}


def network(shape: str, n: int, seed: int) -> tuple[pd.DataFrame, pd.DataFrame]:
    if shape == "serial":
        return random_network(n, 2 * n, seed=seed, **SERIAL)
    return shaped_network(shape, n, 2 * n, seed=seed)


def assert_same(got: pd.DataFrame, expected: pd.DataFrame) -> None:
    assert got.attrs["project_finish"] == expected.attrs["project_finish"]
    diff = (got[RESULT_COLUMNS] != expected[RESULT_COLUMNS]).any(axis=1)
    assert not diff.any(), got.loc[diff, RESULT_COLUMNS].head().to_string()


def test_the_shapes_are_what_they_say() -> None:
    """The generator makes deep, wide, hub and lead-heavy networks."""
    deep = compile_network(*network("serial", 600, 1))
    wide = compile_network(*network("wide", 600, 1))
    assert deep.depth > 150 > 6 >= wide.depth
    _, fan = network("fan", 2000, 1)
    assert fan["successor"].value_counts().max() > 50
    assert fan["predecessor"].value_counts().max() > 50
    _, mix = network("link-mix", 2000, 1)
    shares = mix["type"].value_counts(normalize=True)
    assert set(shares.index) == {"FS", "SS", "FF", "SF"}
    assert shares.min() > 0.2
    _, leads = network("leads", 2000, 1)
    assert (leads["lag"] < 0).mean() > 0.5
    assert (leads["lag"] <= 0).all()


@pytest.mark.parametrize("shape", [*SHAPES, "serial"])
@pytest.mark.parametrize("seed", range(3))
def test_critical_path_matches_the_reference(shape: str, seed: int) -> None:
    tasks, links = network(shape, 400, seed)
    assert_same(critical_path(tasks, links), reference_cpm(tasks, links))


@pytest.mark.parametrize("shape", ["serial", "deep", "project"])
def test_deadline_on_deep_and_shallow_networks(shape: str) -> None:
    tasks, links = network(shape, 1500, 4)
    deadline = reference_cpm(tasks, links).attrs["project_finish"] - 9
    got = critical_path(tasks, links, deadline=deadline)
    assert_same(got, reference_cpm(tasks, links, deadline=deadline))
    assert got["total_float"].min() == -9


def test_deep_networks_take_the_python_path_and_shallow_ones_numpy() -> None:
    """Both paths are exercised by the tests above (a guard on the thresholds)."""
    deep = compile_network(*network("serial", 400, 0))
    shallow = compile_network(*network("project", 400, 0))
    assert passes_in_python(deep.pred.size, deep.depth)
    assert not passes_in_python(shallow.pred.size, shallow.depth)
    assert deep.depth > NUMPY_LEVELS  # the layering switched to Python on the way


@pytest.mark.parametrize("shape", ["serial", "fan", "project"])
def test_levels_are_longest_chains(shape: str) -> None:
    """level(s) = 0 without predecessors, else 1 + the deepest predecessor's level."""
    tasks, links = network(shape, 500, 2)
    net = compile_network(tasks, links)
    ids = tasks["task_id"].tolist()
    preds: dict[str, list[str]] = {t: [] for t in ids}
    for p, s in zip(links["predecessor"], links["successor"], strict=True):
        preds[s].append(p)
    expected: dict[str, int] = {}

    def level(task: str) -> int:
        if task not in expected:
            expected[task] = max((level(p) + 1 for p in preds[task]), default=0)
        return expected[task]

    for task in ids:  # depth-first, iteratively deeper to bound the recursion
        for p in preds[task]:
            level(p)
        level(task)
    got = {str(net.task_ids[t]): k for k, part in enumerate(net.levels) for t in part}
    assert got == expected
    # every level lists its tasks in input order
    assert all((np.diff(part) > 0).all() for part in net.levels)


@pytest.mark.parametrize("shape", ["fan", "serial", "link-mix"])
def test_two_dimensional_passes_match_the_reference_per_column(shape: str) -> None:
    """Many schedules at once (Monte Carlo's passes) = the reference run per column."""
    tasks, links = network(shape, 300, 3)
    net = compile_network(tasks, links)
    rng = np.random.default_rng(0)
    columns = rng.integers(0, 15, size=(net.size, 4))
    durations = columns.astype(np.float32)
    weights = link_weights(
        net.pred, net.succ, net.link_type, net.lag.astype(np.float32), durations
    )
    early = forward_pass(net, weights, np.zeros_like(durations))
    finish = (early + durations).max(axis=0)
    late = backward_pass(net, weights, finish[None, :] - durations)
    for j in range(columns.shape[1]):
        by_id = dict(zip(net.task_ids, columns[:, j], strict=True))
        variant = tasks.assign(duration=tasks["task_id"].map(by_id))
        expected = reference_cpm(variant, links).loc[net.task_ids]
        assert np.array_equal(early[:, j], expected["early_start"].to_numpy())
        assert np.array_equal(late[:, j], expected["late_start"].to_numpy())


@pytest.mark.parametrize("shape", ["serial", "fan"])
def test_monte_carlo_without_uncertainty_is_the_critical_path(shape: str) -> None:
    tasks, links = network(shape, 400, 5)
    d = tasks["duration"]
    certain = tasks.assign(optimistic=d, most_likely=d, pessimistic=d)
    expected = reference_cpm(tasks, links)
    result = monte_carlo(certain, links, iterations=300, seed=1)
    assert (result.finish == expected.attrs["project_finish"]).all()
    critical = expected["critical"].astype(float).rename("criticality")
    pd.testing.assert_series_equal(result.criticality, critical, check_names=False)


def test_monte_carlo_does_not_depend_on_the_block_size(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The passes run on blocks of iterations; the draws come per chunk regardless."""
    tasks, links = network("fan", 300, 6)
    d = tasks["duration"].astype(float)
    uncertain = tasks.assign(optimistic=d * 0.8, most_likely=d, pessimistic=d * 1.7)
    whole = monte_carlo(uncertain, links, iterations=2000, seed=3)
    monkeypatch.setattr("pmo_kit.schedule.montecarlo._BLOCK_CELLS", 3000)
    blocks = monte_carlo(uncertain, links, iterations=2000, seed=3)
    assert np.array_equal(whole.finish, blocks.finish)
    pd.testing.assert_series_equal(whole.criticality, blocks.criticality)
    pd.testing.assert_frame_equal(whole.sensitivity, blocks.sensitivity)


def test_a_wide_block_then_a_long_chain() -> None:
    """The layering switches from numpy to Python midway; both halves must agree."""
    wide_tasks, wide_links = network("wide", 2000, 7)
    chain = pd.DataFrame(
        {"task_id": [f"C{i:04d}" for i in range(3000)], "duration": [1, 0, 3] * 1000}
    )
    ends = sorted(set(wide_tasks["task_id"]) - set(wide_links["predecessor"]))
    steps = chain["task_id"].tolist()
    links = pd.concat(
        [
            wide_links,
            pd.DataFrame({"predecessor": ends, "successor": "C0000", "type": "SS"}),
            pd.DataFrame(
                {"predecessor": steps[:-1], "successor": steps[1:], "lag": -1}
            ).assign(type=["FS", "FF", "SF"] * 999 + ["FS", "SS"]),
        ],
        ignore_index=True,
    ).fillna({"lag": 0})
    tasks = pd.concat([wide_tasks, chain], ignore_index=True)
    net = compile_network(tasks, links)
    assert net.depth > NUMPY_LEVELS * 40
    assert passes_in_python(net.pred.size, net.depth)
    assert_same(critical_path(tasks, links), reference_cpm(tasks, links))
