"""
``critical_path`` against an independent networkx implementation, column by column.

The reference (``bench/schedule_networks.py::reference_cpm``) turns every link into
``ES_succ >= ES_pred + w`` and computes longest paths in a networkx DiGraph forwards
(early dates) and backwards (late dates); it shares no code with the engine. The
networks are seeded, project-like (phases, mostly FS, a few milestones) with 200
tasks, all four link types and lags from -5 to 5, so the MS Project conventions
(ES >= 0 with leads, no late finish after the project finish, free float capped by
the project finish) are exercised on every run.
"""

from __future__ import annotations

import networkx as nx
import pandas as pd
import pytest

from bench.schedule_networks import (
    RESULT_COLUMNS,
    link_weight,
    random_network,
    reference_cpm,
)
from pmo_kit.schedule import critical_path

SEEDS = range(20)


def assert_same_schedule(got: pd.DataFrame, expected: pd.DataFrame) -> None:
    """Every column equal; on failure name the first tasks that differ."""
    assert list(got.index) == list(expected.index), "task order differs"
    assert list(got.columns[: len(RESULT_COLUMNS)]) == RESULT_COLUMNS
    assert got.attrs["project_finish"] == expected.attrs["project_finish"]
    for column in RESULT_COLUMNS:
        kind = "b" if column == "critical" else "i"
        assert got[column].dtype.kind == kind, f"{column}: dtype {got[column].dtype}"
    diff = (got[RESULT_COLUMNS] != expected[RESULT_COLUMNS]).any(axis=1)
    if diff.any():
        both = pd.concat(
            {"engine": got.loc[diff, RESULT_COLUMNS], "reference": expected[diff]},
            axis=1,
        )
        pytest.fail(f"{int(diff.sum())} tasks differ:\n{both.head(10).to_string()}")


@pytest.mark.parametrize("seed", SEEDS)
def test_all_link_types_with_leads_and_lags(seed: int) -> None:
    tasks, links = random_network(200, 400, seed=seed, max_lag=5)
    assert_same_schedule(critical_path(tasks, links), reference_cpm(tasks, links))


@pytest.mark.parametrize("seed", range(100, 105))
def test_finish_to_start_only_without_type_and_lag_columns(seed: int) -> None:
    tasks, links = random_network(200, 300, seed=seed, link_types=("FS",), max_lag=0)
    plain = links[["predecessor", "successor"]]
    assert_same_schedule(critical_path(tasks, plain), reference_cpm(tasks, plain))


@pytest.mark.parametrize("seed", range(200, 205))
def test_deadline_before_the_finish(seed: int) -> None:
    tasks, links = random_network(200, 400, seed=seed, max_lag=5)
    finish = reference_cpm(tasks, links).attrs["project_finish"]
    deadline = finish - 7
    got = critical_path(tasks, links, deadline=deadline)
    expected = reference_cpm(tasks, links, deadline=deadline)
    assert_same_schedule(got, expected)
    assert got["total_float"].min() == -7


def test_deadline_after_the_finish_changes_nothing() -> None:
    tasks, links = random_network(200, 400, seed=7, max_lag=5)
    finish = reference_cpm(tasks, links).attrs["project_finish"]
    got = critical_path(tasks, links, deadline=finish + 10)
    assert_same_schedule(got, reference_cpm(tasks, links))


@pytest.mark.parametrize("seed", range(3))
def test_reference_early_starts_are_networkx_longest_paths(seed: int) -> None:
    """Self-check of the reference: ES by Bellman-Ford on negated weights."""
    tasks, links = random_network(200, 400, seed=seed, max_lag=5)
    duration = dict(zip(tasks["task_id"], tasks["duration"], strict=True))
    graph = nx.MultiDiGraph()
    graph.add_edges_from(("start", t, {"weight": 0}) for t in tasks["task_id"])
    for p, s, t, lag in links[["predecessor", "successor", "type", "lag"]].itertuples(
        index=False
    ):
        w = link_weight(t, int(lag), int(duration[p]), int(duration[s]))
        graph.add_edge(p, s, weight=-w)
    distance = nx.single_source_bellman_ford_path_length(graph, "start")
    expected = pd.Series({t: -distance[t] for t in tasks["task_id"]})
    got = reference_cpm(tasks, links)["early_start"]
    pd.testing.assert_series_equal(
        got, expected.rename("early_start").rename_axis("task_id"), check_dtype=False
    )
