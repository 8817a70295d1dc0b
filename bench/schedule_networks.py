"""
Random project-like task networks and a networkx reference for the schedule engine.

Used by ``bench/bench_schedule.py`` and by the cross-check tests in
``tests/schedule/`` (``from bench.schedule_networks import ...``; the repository root
is on ``sys.path`` under pytest).

``random_network`` builds what a real plan looks like rather than a uniform random
DAG: tasks sit in a bounded number of phases (layers, as in a WBS rolled out over
time), every task after the first phase has a predecessor in the phase just before
it, every task before the last phase has a successor, and the remaining links reach
mostly one or two phases ahead. Most links are finish-to-start without lag, a few
percent of tasks are milestones, durations are skewed towards short tasks. At most
one link joins a pair of tasks (as in MS Project). Rows of both tables are shuffled,
so nothing can rely on the input being in topological order.

``SHAPES`` names variants of the same generator that stress other parts of an engine
(``shaped_network(name, ...)`` builds one): many short phases (a deep network), a few
huge ones (a wide network), hub tasks with thousands of predecessors and successors
(fan-in/fan-out, as gates and integration milestones are), an even mix of the four
link types with many lags, and leads everywhere.

``reference_cpm`` is a deliberately plain implementation of the same conventions as
``pmo_kit.schedule.critical_path`` (MS Project's): each link becomes one inequality
between the two start offsets, ``ES_succ >= ES_pred + w`` with

    w = lag + (d_pred if the link leaves the predecessor's finish: FS, FF)
            - (d_succ if the link reaches the successor's finish: FF, SF)

so the early starts are longest paths in a networkx ``DiGraph`` (from a virtual
project start at 0, which also keeps every ``ES >= 0``) and the late starts are the
mirror image from the project finish (or an earlier deadline). It shares no code
with the engine.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, cast

import networkx as nx
import numpy as np
import pandas as pd

if TYPE_CHECKING:
    from collections.abc import Sequence

__all__ = [
    "LINK_TYPES",
    "RESULT_COLUMNS",
    "SHAPES",
    "link_weight",
    "random_network",
    "reference_cpm",
    "shaped_network",
]

LINK_TYPES = ("FS", "SS", "FF", "SF")
RESULT_COLUMNS = [
    "early_start",
    "early_finish",
    "late_start",
    "late_finish",
    "total_float",
    "free_float",
    "critical",
]
_FS_SHARE = 0.75  # share of finish-to-start links when FS is among the link types
_LAGGED_SHARE = 0.2  # share of links with a non-zero lag (when lags are allowed)

#: Named network shapes: keyword arguments of :func:`random_network`.
SHAPES: dict[str, dict[str, Any]] = {
    # the default: ~1.5 sqrt(n) phases, at most 50
    "project": {},
    # many short phases: a long programme of small steps (n / 25 phases)
    "deep": {"max_depth": None, "phase_size": 25},
    # very few, very wide phases
    "wide": {"max_depth": 6},
    # gates and integration milestones: one hub per phase (12 phases) takes 60% of
    # the extra links, so hubs have thousands of predecessors and successors
    "fan": {"hub_share": 0.6, "hubs_per_phase": 1, "max_depth": 12},
    # the four link types in equal shares, 60% of links lagged, -10..+15 days
    "link-mix": {"fs_share": 0.25, "lagged_share": 0.6, "min_lag": -10, "max_lag": 15},
    # overlapping work: FS and SS links with leads of up to 15 days on most links
    "leads": {
        "link_types": ("FS", "SS"),
        "fs_share": 0.6,
        "lagged_share": 0.7,
        "min_lag": -15,
        "max_lag": 0,
    },
}


def random_network(
    n_tasks: int,
    n_links: int,
    *,
    seed: int,
    link_types: Sequence[str] = LINK_TYPES,
    max_lag: int = 5,
    min_lag: int | None = None,
    max_depth: int | None = 50,
    max_duration: int = 20,
    milestone_share: float = 0.05,
    phase_size: int | None = None,
    fs_share: float = _FS_SHARE,
    lagged_share: float = _LAGGED_SHARE,
    hub_share: float = 0.0,
    hubs_per_phase: int = 1,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """
    A seeded random project network: ``(tasks, dependencies)``.

    Parameters
    ----------
    n_tasks
        Number of tasks (ids ``T000``, ``T001``, ...).
    n_links
        Number of links wanted. The generator first links every task to the phase
        before and after it (about ``n_tasks`` links), then adds random forward links
        up to ``n_links``; when ``n_links`` is smaller it keeps a random subset.
    seed
        Same seed, same network.
    link_types
        Link types to draw from; FS (when present) takes ``fs_share`` of the links
        and the other types share the rest equally.
    max_lag, min_lag
        Lags are 0 except on a share ``lagged_share`` of the links, where they are
        uniform in ``min_lag..max_lag`` (``min_lag`` defaults to ``-max_lag``; use 0
        for no leads).
    max_depth
        Upper bound on the number of phases (``~1.5 sqrt(n_tasks)`` below it);
        ``None``: no bound.
    max_duration
        Longest task, in working days.
    milestone_share
        Share of zero-duration tasks.
    phase_size
        When given, the number of phases is ``n_tasks / phase_size`` (still capped
        by ``max_depth``) instead of ``~1.5 sqrt(n_tasks)``.
    fs_share, lagged_share
        Share of FS links (when FS is among several types) and of lagged links.
    hub_share, hubs_per_phase
        A share of the extra links is redirected to ``hubs_per_phase`` hub tasks of
        each phase (half into a hub of the successor's phase, half out of a hub of the
        predecessor's phase), giving tasks with thousands of predecessors and
        successors. 0: no hubs.

    Returns
    -------
    tuple of pandas.DataFrame
        ``tasks`` (``task_id``, ``duration``) and ``dependencies`` (``predecessor``,
        ``successor``, ``type``, ``lag``).
    """
    unknown = sorted(set(link_types) - set(LINK_TYPES))
    if unknown or not link_types:
        msg = f"link_types {list(link_types)!r}: each must be one of {LINK_TYPES}"
        raise ValueError(msg)
    low = -max_lag if min_lag is None else min_lag
    if low > max_lag:
        msg = f"min_lag {low} is above max_lag {max_lag}"
        raise ValueError(msg)
    rng = np.random.default_rng(seed)
    n = int(n_tasks)
    width = len(str(max(n - 1, 0)))
    ids = np.array([f"T{i:0{width}d}" for i in range(n)], dtype=object)

    duration = np.clip(np.rint(rng.lognormal(1.4, 0.75, n)), 1, max_duration)
    duration[rng.random(n) < milestone_share] = 0
    duration = duration.astype("int64")

    depth = _depth(n, max_depth, phase_size)
    pred, succ = _links(n, n_links, rng, depth, (hub_share, hubs_per_phase))
    m = pred.size
    types = list(link_types)
    if "FS" in types and len(types) > 1:
        others = [t for t in types if t != "FS"]
        probs = [fs_share] + [(1 - fs_share) / len(others)] * len(others)
        types = ["FS", *others]
    else:
        probs = [1 / len(types)] * len(types)
    link_type = np.asarray(types, dtype=object)[rng.choice(len(types), m, p=probs)]
    lag = np.where(
        rng.random(m) < lagged_share, rng.integers(low, max_lag + 1, m), 0
    ).astype("int64")

    task_order = rng.permutation(n)
    link_order = rng.permutation(m)
    tasks = pd.DataFrame({"task_id": ids[task_order], "duration": duration[task_order]})
    deps = pd.DataFrame(
        {
            "predecessor": ids[pred[link_order]],
            "successor": ids[succ[link_order]],
            "type": link_type[link_order],
            "lag": lag[link_order],
        }
    )
    return tasks, deps


def shaped_network(
    shape: str, n_tasks: int, n_links: int, *, seed: int
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """:func:`random_network` with the keyword arguments of ``SHAPES[shape]``."""
    if shape not in SHAPES:
        msg = f"shape {shape!r}: each must be one of {', '.join(SHAPES)}"
        raise ValueError(msg)
    return random_network(n_tasks, n_links, seed=seed, **SHAPES[shape])


def _depth(n: int, max_depth: int | None, phase_size: int | None) -> int:
    """Number of phases (at least 2, at most one task per phase)."""
    wanted = round(1.5 * n**0.5) if phase_size is None else round(n / phase_size)
    if max_depth is not None:
        wanted = min(max_depth, wanted)
    return int(min(n, max(2, wanted)))


def _links(
    n: int,
    n_links: int,
    rng: np.random.Generator,
    depth: int,
    hubs: tuple[float, int] = (0.0, 1),
) -> tuple[np.ndarray, np.ndarray]:
    """Forward links between phases: (predecessor, successor) task positions."""
    empty = np.zeros(0, dtype="int64")
    if n < 2 or n_links <= 0:
        return empty, empty
    # every phase gets at least one task; tasks are numbered phase by phase
    phase = np.sort(
        np.concatenate([np.arange(depth), rng.integers(0, depth, n - depth)])
    )
    first = np.searchsorted(phase, np.arange(depth))
    size = np.bincount(phase, minlength=depth)

    def pick(in_phase: np.ndarray) -> np.ndarray:
        offset = (rng.random(in_phase.size) * size[in_phase]).astype("int64")
        picked: np.ndarray = first[in_phase] + offset
        return picked

    # a predecessor in the previous phase for every task after the first phase
    later = np.flatnonzero(phase > 0)
    backbone = [(pick(phase[later] - 1), later)]
    # a successor in the next phase for every task that has none yet
    has_succ = np.zeros(n, dtype=bool)
    has_succ[backbone[0][0]] = True
    lonely = np.flatnonzero(~has_succ & (phase < depth - 1))
    backbone.append((lonely, pick(phase[lonely] + 1)))
    pred = np.concatenate([b[0] for b in backbone])
    succ = np.concatenate([b[1] for b in backbone])
    pred, succ = _unique_pairs(pred, succ, n)

    # extra links, mostly one phase ahead, sometimes further
    sources = np.flatnonzero(phase < depth - 1)
    hub_share, per_phase = hubs
    for _ in range(50):
        missing = n_links - pred.size
        if missing <= 0:
            break
        src = rng.choice(sources, 2 * missing + 16)
        ahead = np.minimum(phase[src] + rng.geometric(0.6, src.size), depth - 1)
        dst = pick(ahead)
        if hub_share > 0:
            # hubs: the first tasks of each phase (at most per_phase of them)
            to_hub = rng.random(src.size) < hub_share
            into = to_hub & (rng.random(src.size) < 0.5)
            hub = rng.integers(0, per_phase, src.size)
            dst = np.where(into, first[ahead] + np.minimum(hub, size[ahead] - 1), dst)
            src = np.where(
                to_hub & ~into,
                first[phase[src]] + np.minimum(hub, size[phase[src]] - 1),
                src,
            )
        pred, succ = _unique_pairs(
            np.concatenate([pred, src]), np.concatenate([succ, dst]), n
        )
    if pred.size > n_links:
        keep = np.sort(rng.choice(pred.size, n_links, replace=False))
        pred, succ = pred[keep], succ[keep]
    return pred, succ


def _unique_pairs(
    pred: np.ndarray, succ: np.ndarray, n: int
) -> tuple[np.ndarray, np.ndarray]:
    """Drop repeated (pred, succ) pairs, keeping first occurrences in order."""
    _, first = np.unique(pred.astype("int64") * n + succ, return_index=True)
    first.sort()
    return pred[first], succ[first]


def link_weight(link_type: str, lag: int, d_pred: int, d_succ: int) -> int:
    """``w`` such that the link reads ``ES_succ >= ES_pred + w``."""
    from_finish = link_type in ("FS", "FF")
    to_finish = link_type in ("FF", "SF")
    return lag + (d_pred if from_finish else 0) - (d_succ if to_finish else 0)


def reference_cpm(
    tasks: pd.DataFrame, dependencies: pd.DataFrame, *, deadline: int | None = None
) -> pd.DataFrame:
    """
    Critical path by longest paths in a networkx DiGraph (MS Project conventions).

    Same input and output as ``pmo_kit.schedule.critical_path`` with integer offsets
    (``deadline`` as an offset only; no dates, no start-no-earlier-than).
    """
    ids = [str(t) for t in tasks["task_id"].tolist()]
    duration = dict(zip(ids, (int(d) for d in tasks["duration"].tolist()), strict=True))
    graph = nx.DiGraph()
    graph.add_nodes_from(ids)
    n_links = len(dependencies)
    types = (
        dependencies["type"].fillna("FS").astype(str).str.upper().tolist()
        if "type" in dependencies
        else ["FS"] * n_links
    )
    lags = (
        dependencies["lag"].fillna(0).astype("int64").tolist()
        if "lag" in dependencies
        else [0] * n_links
    )
    for p, s, t, lag in zip(
        dependencies["predecessor"].astype(str).tolist(),
        dependencies["successor"].astype(str).tolist(),
        types,
        lags,
        strict=True,
    ):
        w = link_weight(t, lag, duration[p], duration[s])
        # parallel links: the largest weight binds in both passes and in free float
        if graph.has_edge(p, s):
            w = max(w, cast("int", graph.edges[p, s]["weight"]))
        graph.add_edge(p, s, weight=w)

    order = list(nx.topological_sort(graph))
    early: dict[str, int] = {}
    for node in order:
        early[node] = max(
            [0, *(early[p] + a["weight"] for p, a in graph.pred[node].items())]
        )
    finish = max((early[t] + duration[t] for t in ids), default=0)
    bound = finish if deadline is None else min(finish, deadline)
    late: dict[str, int] = {}
    for node in reversed(order):
        late[node] = min(
            [
                bound - duration[node],
                *(late[s] - a["weight"] for s, a in graph.succ[node].items()),
            ]
        )
    free = {
        node: min(
            [
                finish - early[node] - duration[node],
                *(
                    early[s] - early[node] - a["weight"]
                    for s, a in graph.succ[node].items()
                ),
            ]
        )
        for node in ids
    }
    es = np.array([early[t] for t in ids], dtype="int64")
    ls = np.array([late[t] for t in ids], dtype="int64")
    d = np.array([duration[t] for t in ids], dtype="int64")
    total = ls - es
    result = pd.DataFrame(
        {
            "early_start": es,
            "early_finish": es + d,
            "late_start": ls,
            "late_finish": ls + d,
            "total_float": total,
            "free_float": np.array([free[t] for t in ids], dtype="int64"),
            "critical": total <= 0,
        },
        index=pd.Index(ids, name="task_id"),
    )
    result.attrs["project_finish"] = finish
    return result
