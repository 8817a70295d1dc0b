"""
Topological layering of a compiled task network, and the link groupings its passes use.

``topological_levels`` finds each task's level (the number of links on its longest
chain of predecessors) level by level with numpy while levels are wide, and finishes
in plain Python when they turn out narrow (a long chain of small steps), where one
numpy call per level would cost more than the work it does. ``group_links`` sorts the
links by level and by task inside a level, once, as flat arrays; the per-level views
are taken from them on demand. The passes over one schedule run in Python the same
way on narrow networks (``passes_in_python``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np

if TYPE_CHECKING:
    from collections.abc import Sequence

__all__ = [
    "LinkGroups",
    "Sweep",
    "backward_in_python",
    "cycle_message",
    "fold",
    "forward_in_python",
    "group_links",
    "passes_in_python",
    "stable_order",
    "sweep",
    "topological_levels",
]

#: Levels laid out with numpy before the layering may switch to plain Python.
NUMPY_LEVELS = 64
#: Mean links per level below which a plain Python loop beats one numpy call per
#: level (measured: ~1.5 us per numpy call, ~0.1 us per link in Python).
LINKS_PER_LEVEL = 64


@dataclass(frozen=True)
class LinkGroups:
    """
    Links sorted by level, and by task (``key``) inside a level, as flat arrays.

    ``links[bounds[k]:bounds[k + 1]]`` are the links of level ``k``; ``starts`` holds
    the positions in ``links`` where a new task's group starts, those of level ``k``
    being ``starts[start_bounds[k]:start_bounds[k + 1]]``.
    """

    links: np.ndarray
    bounds: np.ndarray
    starts: np.ndarray
    start_bounds: np.ndarray

    def level(self, k: int) -> tuple[np.ndarray, np.ndarray]:
        """Links of level ``k`` and their group starts (from the level's first link)."""
        first, last = int(self.bounds[k]), int(self.bounds[k + 1])
        groups = self.starts[self.start_bounds[k] : self.start_bounds[k + 1]] - first
        return self.links[first:last], groups


@dataclass(frozen=True)
class Sweep:
    """
    The links of one level in *rank-major* order, for passes over 2-D arrays.

    The tasks the links update (``targets``) are sorted by their number of links,
    most first; ``links`` holds every target's first link, then every target's
    second link (for the ``widths[1]`` targets that have one), and so on, so that
    folding rank ``r`` into the first ``widths[r]`` rows is one ufunc call on two
    slices. (``ufunc.reduceat`` along the first axis of a 2-D array is several times
    slower than this in numpy 2.)
    """

    links: np.ndarray
    targets: np.ndarray
    widths: tuple[int, ...]


def sweep(links: np.ndarray, groups: np.ndarray, key: np.ndarray) -> Sweep:
    """Rank-major order of one level's links (see :class:`Sweep`)."""
    if links.size == 0:
        return Sweep(links, links, ())
    sizes = np.diff(np.r_[groups, links.size])
    by_size = np.argsort(-sizes, kind="stable")
    slot = np.empty_like(by_size)
    slot[by_size] = np.arange(by_size.size)
    group_of = np.repeat(np.arange(groups.size), sizes)
    rank = np.arange(links.size) - groups[group_of]
    order = np.lexsort((slot[group_of], rank))
    widths = np.bincount(rank)
    return Sweep(
        links=links[order],
        targets=key[links[groups[by_size]]],
        widths=tuple(int(w) for w in widths),
    )


def fold(
    candidates: np.ndarray, widths: tuple[int, ...], ufunc: np.ufunc
) -> np.ndarray:
    """Fold the rank-major rows of one sweep into its first ``widths[0]`` rows."""
    offset = widths[0]
    for width in widths[1:]:
        head = candidates[:width]
        ufunc(head, candidates[offset : offset + width], out=head)
        offset += width
    return candidates[: widths[0]]


def stable_order(major: np.ndarray, minor: np.ndarray, span: int) -> np.ndarray:
    """
    ``np.lexsort((minor, major))`` (ties in input order) through one unstable sort.

    ``minor`` lies in ``0 .. span - 1`` and ``major`` is non-negative; the position is
    folded into the key, so keys are distinct and the quick sort is stable.
    """
    size = major.size
    top = (int(major.max()) + 1 if size else 1) * span * max(size, 1)
    if top >= 2**63:
        return np.lexsort((minor, major))
    key = (major.astype(np.int64) * span + minor) * size + np.arange(size)
    return np.argsort(key)


def group_links(link_level: np.ndarray, key: np.ndarray, depth: int) -> LinkGroups:
    """Sort links by level, by ``key`` inside a level, and find the group starts."""
    order = stable_order(link_level, key, int(key.max()) + 1 if key.size else 1)
    bounds = np.searchsorted(link_level[order], np.arange(depth + 2))
    keys = key[order]
    # a group starts where the key changes or a level starts
    starts = np.ones(order.size, dtype=bool)
    if order.size:
        starts[1:] = keys[1:] != keys[:-1]
    starts[bounds[:-1][bounds[:-1] < order.size]] = True
    first = np.flatnonzero(starts)
    return LinkGroups(order, bounds, first, np.searchsorted(first, bounds))


def topological_levels(
    n: int, pred: np.ndarray, succ: np.ndarray
) -> tuple[np.ndarray, int]:
    """
    Level of every task (-1 on or after a cycle) and the deepest level.

    Kahn's algorithm, one level at a time: with numpy while the levels are wide, in
    Python once ``NUMPY_LEVELS`` levels have averaged under ``LINKS_PER_LEVEL`` links.
    """
    by_pred = np.argsort(pred)  # any order of the links of one predecessor will do
    out_ptr = np.searchsorted(pred[by_pred], np.arange(n + 1))
    remaining = np.bincount(succ, minlength=n)
    level = np.full(n, -1, dtype="int64")
    frontier = np.flatnonzero(remaining == 0)
    depth = 0
    seen = 0
    while frontier.size:
        level[frontier] = depth
        if depth >= NUMPY_LEVELS and seen < LINKS_PER_LEVEL * depth:
            return _levels_in_python(
                level, depth, frontier, remaining, out_ptr, succ[by_pred]
            )
        out = by_pred[_gather(out_ptr, frontier)]
        if out.size == 0:
            break
        seen += out.size
        targets, counts = np.unique(succ[out], return_counts=True)
        remaining[targets] -= counts
        frontier = targets[remaining[targets] == 0]
        depth += 1
    return level, depth


def _levels_in_python(
    level: np.ndarray,
    depth: int,
    frontier: np.ndarray,
    remaining: np.ndarray,
    out_ptr: np.ndarray,
    next_of: np.ndarray,
) -> tuple[np.ndarray, int]:
    """Carry on :func:`topological_levels` in Python from ``frontier`` at ``depth``."""
    left = remaining.tolist()
    ptr = out_ptr.tolist()
    successors = next_of.tolist()
    tasks: list[int] = []
    depths: list[int] = []
    current = frontier.tolist()
    while True:
        found = []
        for v in current:
            for t in successors[ptr[v] : ptr[v + 1]]:
                left[t] -= 1
                if not left[t]:
                    found.append(t)
        if not found:
            break
        depth += 1
        tasks += found
        depths += [depth] * len(found)
        current = found
    level[np.asarray(tasks, dtype=np.int64)] = depths
    return level, depth


def _gather(indptr: np.ndarray, nodes: np.ndarray) -> np.ndarray:
    """Positions ``indptr[v]:indptr[v+1]`` of every node ``v``, concatenated."""
    starts = indptr[nodes]
    counts = indptr[nodes + 1] - starts
    total = int(counts.sum())
    if total == 0:
        return np.zeros(0, dtype="int64")
    offsets = np.repeat(starts - np.cumsum(counts) + counts, counts)
    return offsets + np.arange(total)


def passes_in_python(links: int, levels: int) -> bool:
    """Whether a 1-D pass over ``links`` in ``levels`` levels is cheaper in Python."""
    return levels > NUMPY_LEVELS and links < LINKS_PER_LEVEL * levels


def forward_in_python(
    pred: list[int], succ: list[int], weights: list[Any], early_start: np.ndarray
) -> list[Any]:
    """
    Run the forward pass in Python, over links by level of the successor.

    Plain ints and floats give the same sums and maxima as numpy's int64/float64.
    """
    early: list[Any] = early_start.tolist()
    for p, s, w in zip(pred, succ, weights, strict=True):
        candidate = early[p] + w
        if candidate > early[s]:
            early[s] = candidate
    return early


def backward_in_python(
    pred: list[int], succ: list[int], weights: list[Any], late_start: np.ndarray
) -> list[Any]:
    """
    Run the backward pass in Python, over the same links in reverse order.

    In reverse order every link out of a task comes after the links out of its
    successors, so ``late[s]`` is final when a link into ``s`` is read.
    """
    late: list[Any] = late_start.tolist()
    for p, s, w in zip(reversed(pred), reversed(succ), reversed(weights), strict=True):
        candidate = late[s] - w
        if candidate < late[p]:
            late[p] = candidate
    return late


def cycle_message(
    ids: np.ndarray, pred: np.ndarray, succ: np.ndarray, level: np.ndarray
) -> str:
    """Name the tasks of one cycle among the tasks left without a level."""
    stuck = level < 0
    preds_of: dict[int, list[int]] = {}
    for p, s in zip(pred.tolist(), succ.tolist(), strict=True):
        if stuck[p] and stuck[s]:
            preds_of.setdefault(s, []).append(p)
    node = int(np.flatnonzero(stuck)[0])
    path: list[int] = []
    where: dict[int, int] = {}
    while node not in where:
        where[node] = len(path)
        path.append(node)
        node = preds_of[node][0]
    cycle: Sequence[int] = path[where[node] :][::-1]
    names = " -> ".join(str(ids[i]) for i in [*cycle, cycle[0]])
    return (
        f"the dependencies form a cycle: {names}. Allowed: a network without loops; "
        "remove or reverse one of these links"
    )
