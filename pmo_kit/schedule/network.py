"""
A precedence network compiled to arrays, validated, in topological order.

Every link type is turned into one *weight* on the successor's early start, so the
forward pass is a longest-path computation: ``ES[s] >= ES[p] + w`` with

=====  ===========================  ======================
type   rule                          weight ``w``
=====  ===========================  ======================
FS     ES[s] >= EF[p] + lag          d[p] + lag
SS     ES[s] >= ES[p] + lag          lag
FF     EF[s] >= EF[p] + lag          d[p] + lag - d[s]
SF     EF[s] >= ES[p] + lag          lag - d[s]
=====  ===========================  ======================

and the backward pass is the same system read the other way: ``LS[p] <= LS[s] - w``.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from itertools import pairwise
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from pmo_kit._errors import ValidationError
from pmo_kit.schedule.layers import (
    LinkGroups,
    Sweep,
    backward_in_python,
    cycle_message,
    fold,
    forward_in_python,
    group_links,
    passes_in_python,
    stable_order,
    sweep,
    topological_levels,
)

if TYPE_CHECKING:
    from collections.abc import Callable

__all__ = [
    "LINK_TYPES",
    "Network",
    "backward_pass",
    "compile_network",
    "forward_pass",
    "link_weights",
]

LINK_TYPES: tuple[str, ...] = ("FS", "SS", "FF", "SF")


@dataclass(frozen=True)
class Network:
    """
    Tasks and links as integer arrays, with a topological layering.

    ``levels[k]`` holds the tasks whose longest chain of predecessors has ``k`` links.
    ``in_links[k]`` are the links into level ``k``, sorted by successor, with
    ``in_groups[k]`` the positions where a new successor starts; ``out_links[k]`` and
    ``out_groups[k]`` the same for links out of level ``k``, sorted by predecessor.
    They are views of flat arrays (``order``, ``level_bounds``, ``inbound``,
    ``outbound``), made on first use: a deep network has tens of thousands of levels.
    """

    task_ids: np.ndarray
    duration: np.ndarray
    pred: np.ndarray
    succ: np.ndarray
    link_type: np.ndarray
    lag: np.ndarray
    order: np.ndarray
    level_bounds: np.ndarray
    inbound: LinkGroups
    outbound: LinkGroups

    @property
    def size(self) -> int:
        """Number of tasks."""
        return len(self.task_ids)

    @property
    def depth(self) -> int:
        """Number of levels."""
        return len(self.level_bounds) - 1

    @cached_property
    def levels(self) -> tuple[np.ndarray, ...]:
        """Tasks of each level, in input order inside a level."""
        bounds = self.level_bounds.tolist()
        return tuple(self.order[a:b] for a, b in pairwise(bounds))

    @cached_property
    def in_links(self) -> tuple[np.ndarray, ...]:
        """Links into each level, sorted by successor."""
        return tuple(self.inbound.level(k)[0] for k in range(self.depth))

    @cached_property
    def in_groups(self) -> tuple[np.ndarray, ...]:
        """Where a new successor starts in each ``in_links[k]``."""
        return tuple(self.inbound.level(k)[1] for k in range(self.depth))

    @cached_property
    def out_links(self) -> tuple[np.ndarray, ...]:
        """Links out of each level, sorted by predecessor."""
        return tuple(self.outbound.level(k)[0] for k in range(self.depth))

    @cached_property
    def out_groups(self) -> tuple[np.ndarray, ...]:
        """Where a new predecessor starts in each ``out_links[k]``."""
        return tuple(self.outbound.level(k)[1] for k in range(self.depth))

    @cached_property
    def link_lists(self) -> tuple[list[int], list[int]]:
        """Predecessors and successors of the links by level of the successor."""
        links = self.inbound.links
        return self.pred[links].tolist(), self.succ[links].tolist()

    @cached_property
    def forward_sweeps(self) -> tuple[Sweep, ...]:
        """Links into each level from level 1 on, grouped by successor (2-D passes)."""
        return tuple(
            sweep(*self.inbound.level(k), self.succ) for k in range(1, self.depth)
        )

    @cached_property
    def backward_sweeps(self) -> tuple[Sweep, ...]:
        """Links out of each level, deepest first, grouped by predecessor (2-D)."""
        parts = (self.outbound.level(k) for k in reversed(range(self.depth - 1)))
        return tuple(sweep(*part, self.pred) for part in parts if part[0].size)

    def index_of(self, task_id: str) -> int:
        """Position of a task in the arrays."""
        positions = np.flatnonzero(self.task_ids == task_id)
        if positions.size == 0:
            msg = f"{task_id!r} is not a task of this network"
            raise ValidationError(msg)
        return int(positions[0])


def link_weights(
    pred: np.ndarray,
    succ: np.ndarray,
    link_type: np.ndarray,
    lag: np.ndarray,
    duration: np.ndarray,
) -> np.ndarray:
    """
    Early-start weights of links for one set of durations (see the module table).

    ``duration`` is 1-D (one schedule) or 2-D with tasks on the first axis and
    iterations on the second (Monte Carlo); the result has links on the first axis.
    Only the durations a link type needs are gathered.
    """
    shape = (len(pred), *duration.shape[1:])
    dtype = np.result_type(duration.dtype, lag.dtype)
    weights = np.empty(shape, dtype=dtype)
    weights[...] = lag.reshape((-1,) + (1,) * (duration.ndim - 1))
    from_pred_finish = np.flatnonzero((link_type == 0) | (link_type == 2))
    to_succ_finish = np.flatnonzero((link_type == 2) | (link_type == 3))
    weights[from_pred_finish] += duration[pred[from_pred_finish]]
    weights[to_succ_finish] -= duration[succ[to_succ_finish]]
    return weights


def _column(frame: pd.DataFrame, name: str, default: object, what: str) -> pd.Series:
    if name in frame:
        return frame[name]
    if default is None:
        known = ", ".join(map(str, frame.columns)) or "none"
        msg = f"{what} need a {name!r} column; the data has: {known}"
        raise ValidationError(msg)
    return pd.Series([default] * len(frame), index=frame.index)


def _whole_numbers(
    values: pd.Series, what: Callable[[Any], str], *, minimum: int | None
) -> np.ndarray:
    numbers = pd.to_numeric(values, errors="coerce")
    if pd.api.types.is_integer_dtype(numbers.dtype):
        bad = pd.Series(False, index=numbers.index)  # whole numbers, never missing
    else:
        bad = numbers.isna() | (numbers % 1 != 0)
    if minimum is not None:
        bad |= numbers < minimum
    if bad.any():
        first = values[bad].index[0]
        rule = "a whole number of working days" + (
            f" >= {minimum}" if minimum is not None else ""
        )
        value = values[first]
        shown = value.item() if isinstance(value, np.generic) else value
        msg = f"{what(first)}: {shown!r} is not allowed. Allowed: {rule}"
        raise ValidationError(msg)
    return numbers.to_numpy(dtype="int64")


def compile_network(
    tasks: pd.DataFrame,
    dependencies: pd.DataFrame | None,
    *,
    duration_column: str = "duration",
) -> Network:
    """
    Validate a task network and compile it to arrays in topological order.

    Raises
    ------
    ValidationError
        Duplicate task id, missing or negative duration, a link to an unknown task,
        an unknown link type, a task linked to itself, or a cycle (named task by task).
    """
    if "project_id" in tasks and tasks["project_id"].nunique() > 1:
        projects = ", ".join(sorted(map(str, tasks["project_id"].unique()))[:5])
        msg = (
            f"the tasks belong to several projects ({projects}, ...); schedule one "
            "project at a time, e.g. portfolio.for_project('P-001')"
        )
        raise ValidationError(msg)
    ids = _as_text(_column(tasks, "task_id", None, "tasks")).to_numpy()
    labels = pd.Series(ids, index=tasks.index)
    duration = _whole_numbers(
        _column(tasks, duration_column, None, "tasks"),
        lambda i: f"task {labels[i]!r}, column {duration_column!r}",
        minimum=0,
    )
    deps = dependencies if dependencies is not None else pd.DataFrame()
    pred_ids = _as_text(_column(deps, "predecessor", "", "dependencies"))
    succ_ids = _as_text(_column(deps, "successor", "", "dependencies"))
    if len(deps) and not {"predecessor", "successor"} <= set(deps.columns):
        _column(deps, "predecessor", None, "dependencies")
        _column(deps, "successor", None, "dependencies")
    # one hash pass maps every id to a position: tasks first, so a code below n is
    # the task at that position and a code of n or more an unknown task
    codes, _ = pd.factorize(
        np.concatenate([ids, pred_ids.to_numpy(), succ_ids.to_numpy()])
    )
    n, m = len(ids), len(deps)
    # codes number ids by first appearance: the tasks are distinct when the last
    # task's code is n - 1
    if n and int(codes[:n].max()) < n - 1:
        seen, counts = np.unique(ids, return_counts=True)
        names = ", ".join(repr(t) for t in seen[counts > 1][:5])
        msg = f"duplicate task_id {names}. Allowed: each task_id once"
        raise ValidationError(msg)
    pred, succ = codes[n : n + m], codes[n + m :]

    def link(i: Any) -> str:
        return f"link {pred_ids[i]!r} -> {succ_ids[i]!r}"

    for column, values, found in (
        ("predecessor", pred_ids, pred),
        ("successor", succ_ids, succ),
    ):
        if (found >= n).any():
            i = values.index[int(np.argmax(found >= n))]
            msg = (
                f"{link(i)}: {column} {values[i]!r} is not a task_id of the tasks. "
                "Allowed: task ids listed in the tasks table"
            )
            raise ValidationError(msg)
    if (pred == succ).any():
        i = pred_ids.index[int(np.argmax(pred == succ))]
        msg = f"{link(i)}: a task cannot depend on itself"
        raise ValidationError(msg)
    raw_type = _column(deps, "type", "FS", "dependencies")
    # few distinct values; a missing type (code -1) is FS, the last entry below
    type_codes, kinds = pd.factorize(raw_type.to_numpy(dtype=object))
    lookup = {t: k for k, t in enumerate(LINK_TYPES)}
    kind_index = np.array(
        [*(lookup.get(str(k).strip().upper(), -1) for k in kinds), 0], dtype="int64"
    )
    link_type = kind_index[type_codes] if m else np.zeros(0, dtype="int64")
    if (link_type < 0).any():
        i = raw_type.index[int(np.argmax(link_type < 0))]
        msg = (
            f"{link(i)}, column 'type': {raw_type[i]!r} is not a link type. "
            f"Allowed: {', '.join(LINK_TYPES)}"
        )
        raise ValidationError(msg)
    raw_lag = _column(deps, "lag", 0, "dependencies").fillna(0)
    lag = _whole_numbers(raw_lag, lambda i: f"{link(i)}, column 'lag'", minimum=None)
    return _layered(ids, duration, pred, succ, link_type.astype("int8"), lag)


def _as_text(values: pd.Series) -> pd.Series:
    """Ids as text; columns that already hold text are not copied."""
    if values.dtype == object or pd.api.types.is_string_dtype(values):
        return values
    return values.astype(str)


def _layered(
    ids: np.ndarray,
    duration: np.ndarray,
    pred: np.ndarray,
    succ: np.ndarray,
    link_type: np.ndarray,
    lag: np.ndarray,
) -> Network:
    n = len(ids)
    level, depth = topological_levels(n, pred, succ)
    if (level < 0).any():
        raise ValidationError(cycle_message(ids, pred, succ, level))
    order = stable_order(level, np.arange(n), n)
    return Network(
        task_ids=ids,
        duration=duration,
        pred=pred,
        succ=succ,
        link_type=link_type,
        lag=lag,
        order=order,
        level_bounds=np.searchsorted(level[order], np.arange(depth + 2)),
        inbound=group_links(level[succ], succ, depth),
        outbound=group_links(level[pred], pred, depth),
    )


def _combine(starts: np.ndarray, weights: np.ndarray, ufunc: np.ufunc) -> np.ndarray:
    """``ufunc(starts, weights)``, in place when the dtypes allow it."""
    if np.result_type(starts, weights) == starts.dtype:
        result: np.ndarray = ufunc(starts, weights, out=starts)
        return result
    combined: np.ndarray = ufunc(starts, weights)
    return combined


def _in_python(net: Network, weights: np.ndarray, starts: np.ndarray) -> bool:
    """
    Whether a 1-D pass runs in Python: on a deep network, in int64 or float64.

    Python's ints and floats then give exactly numpy's sums, maxima and minima.
    """
    return (
        weights.dtype == starts.dtype
        and starts.dtype in (np.dtype(np.int64), np.dtype(np.float64))
        and passes_in_python(net.pred.size, net.depth)
    )


def forward_pass(
    net: Network, weights: np.ndarray, early_start: np.ndarray
) -> np.ndarray:
    """
    Early starts: ``ES[s] = max(ES[s], max over links (ES[p] + w))``, level by level.

    ``early_start`` holds each task's lower bound (0, or a start-no-earlier-than
    offset) and is updated in place. 1-D for one schedule; 2-D (tasks x iterations)
    evaluates many schedules at once, every gather copying contiguous rows.
    """
    if early_start.ndim > 1:
        for step in net.forward_sweeps:
            candidates = _combine(
                early_start[net.pred[step.links]], weights[step.links], np.add
            )
            best = fold(candidates, step.widths, np.maximum)
            targets = step.targets
            early_start[targets] = np.maximum(early_start[targets], best)
        return early_start
    if _in_python(net, weights, early_start):
        weight_list = weights[net.inbound.links].tolist()
        early_start[:] = forward_in_python(*net.link_lists, weight_list, early_start)
        return early_start
    for k in range(1, net.depth):
        links, groups = net.inbound.level(k)
        candidates = early_start[net.pred[links]] + weights[links]
        best = np.maximum.reduceat(candidates, groups, axis=0)
        targets = net.succ[links[groups]]
        early_start[targets] = np.maximum(early_start[targets], best)
    return early_start


def backward_pass(
    net: Network, weights: np.ndarray, late_start: np.ndarray
) -> np.ndarray:
    """
    Late starts: ``LS[p] = min(LS[p], min over links (LS[s] - w))``, deepest first.

    ``late_start`` holds each task's upper bound (finish cap minus its duration) and is
    updated in place; 1-D or 2-D as in :func:`forward_pass`.
    """
    if late_start.ndim > 1:
        for step in net.backward_sweeps:
            candidates = _combine(
                late_start[net.succ[step.links]], weights[step.links], np.subtract
            )
            best = fold(candidates, step.widths, np.minimum)
            targets = step.targets
            late_start[targets] = np.minimum(late_start[targets], best)
        return late_start
    if _in_python(net, weights, late_start):
        weight_list = weights[net.inbound.links].tolist()
        late_start[:] = backward_in_python(*net.link_lists, weight_list, late_start)
        return late_start
    for k in reversed(range(net.depth - 1)):
        links, groups = net.outbound.level(k)
        if links.size == 0:
            continue
        candidates = late_start[net.succ[links]] - weights[links]
        best = np.minimum.reduceat(candidates, groups, axis=0)
        targets = net.pred[links[groups]]
        late_start[targets] = np.minimum(late_start[targets], best)
    return late_start
