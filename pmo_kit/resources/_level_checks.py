"""Input checks of :func:`pmo_kit.resources.level`: messages that name what is wrong."""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, TypeVar

import pandas as pd

from pmo_kit._errors import ValidationError

if TYPE_CHECKING:
    from collections.abc import Mapping, Sequence

__all__: list[str] = []

_EPS = 1e-9
_V = TypeVar("_V")


def checked_map(
    values: Mapping[str, _V] | None, index: Mapping[str, int], what: str
) -> list[tuple[str, _V]]:
    if values is None:
        return []
    out = []
    for key, value in dict(values).items():
        task_id = str(key)
        if task_id not in index:
            known = ", ".join(repr(t) for t in list(index)[:5])
            msg = (
                f"`{what}` names task {task_id!r}, which is not a task_id of the "
                f"tasks. Allowed: task ids listed in the tasks table ({known}, ...)"
            )
            raise ValidationError(msg)
        out.append((task_id, value))
    return out


def capacities_of(capacities: Mapping[str, float]) -> tuple[list[str], list[float]]:
    names: list[str] = []
    values: list[float] = []
    for key, value in dict(capacities).items():
        try:
            number = float(value)
        except (TypeError, ValueError):
            number = math.nan
        if not math.isfinite(number) or number < 0:
            msg = (
                f"capacity of resource {key!r} is {value!r}. Allowed: a number of "
                "units available per period, >= 0"
            )
            raise ValidationError(msg)
        names.append(str(key))
        values.append(number)
    return names, values


def demands_of(
    demands: pd.DataFrame,
    index: Mapping[str, int],
    names: Sequence[str],
    capacity: Sequence[float],
) -> list[list[tuple[int, float]]]:
    missing = [c for c in ("task_id", "resource", "units") if c not in demands]
    if missing:
        known = ", ".join(map(str, demands.columns)) or "none"
        msg = f"demands need the column(s) {', '.join(missing)}; the data has: {known}"
        raise ValidationError(msg)
    resource_of = {r: k for k, r in enumerate(names)}
    units = pd.to_numeric(demands["units"], errors="coerce")
    total: dict[tuple[int, int], float] = {}
    for task, res, raw, q in zip(
        demands["task_id"].astype(str),
        demands["resource"].astype(str),
        demands["units"],
        units,
        strict=True,
    ):
        where = f"demand of task {task!r} on resource {res!r}"
        if task not in index:
            msg = (
                f"{where}: task {task!r} is not a task_id of the tasks. "
                "Allowed: task ids listed in the tasks table"
            )
            raise ValidationError(msg)
        if res not in resource_of:
            known = ", ".join(repr(r) for r in names[:8]) or "none"
            msg = (
                f"{where}: resource {res!r} has no capacity. "
                f"Allowed: resources in `capacities` ({known})"
            )
            raise ValidationError(msg)
        if not math.isfinite(q) or q < 0:
            msg = (
                f"{where}: units {raw!r} is not allowed. "
                "Allowed: a number of units per period, >= 0"
            )
            raise ValidationError(msg)
        key = (index[task], resource_of[res])
        total[key] = total.get(key, 0.0) + float(q)
    needs: list[list[tuple[int, float]]] = [[] for _ in index]
    for (j, r), q in total.items():
        if q > capacity[r] + _EPS:
            msg = (
                f"task {list(index)[j]!r} needs {q:g} units of resource "
                f"{names[r]!r} per period, but its capacity is {capacity[r]:g}: "
                "the task could never be scheduled. Allowed: units <= capacity "
                "(raise the capacity, or split the task or its assignment)"
            )
            raise ValidationError(msg)
        if q > 0:
            needs[j].append((r, q))
    return needs


def inherited_priority(
    priority: Mapping[str, float] | None,
    index: Mapping[str, int],
    topo: list[int],
    succs: list[list[tuple[int, int]]],
) -> list[float] | None:
    """Each task's priority, raised to the highest of its (indirect) successors."""
    if priority is None:
        return None
    own = [0.0] * len(index)
    for task_id, value in checked_map(priority, index, "priority"):
        try:
            own[index[task_id]] = float(value)
        except (TypeError, ValueError):
            msg = (
                f"`priority[{task_id!r}]` is {value!r}. "
                "Allowed: a number (higher is served first)"
            )
            raise ValidationError(msg) from None
    served = own[:]
    for j in reversed(topo):
        for s, _ in succs[j]:
            served[j] = max(served[j], served[s])
    return served
