"""Why each task of a levelled schedule moved, in columns and plain English."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pandas as pd

if TYPE_CHECKING:
    from collections.abc import Sequence

    from pmo_kit.resources._sgs import Outcome, Problem

__all__: list[str] = []

_EPS = 1e-9


def explain(
    problem: Problem,
    ids: list[str],
    names: list[str],
    outcome: Outcome,
    early_start: list[int],
    served: list[float] | None,
) -> pd.DataFrame:
    """One row per task with the delay and its cause, followed back to a resource."""
    n = len(ids)
    d = problem.duration
    start = outcome.start
    finish = [start[j] + d[j] for j in range(n)]
    placed = [0] * n  # position in the list the schedule was generated from
    for i, j in enumerate(outcome.order):
        placed[j] = i
    cause = [""] * n
    resource: list[str | None] = [None] * n
    competing: list[tuple[str, ...]] = [()] * n
    reason = [""] * n
    for j in problem.topo:
        delay = start[j] - early_start[j]
        if delay <= 0:
            continue
        ready = problem.release[j]
        binding = None
        for p, w in problem.preds[j]:
            if start[p] + w > ready or (start[p] + w == ready and binding is None):
                ready, binding = start[p] + w, p
        parts = []
        if ready > early_start[j] and binding is not None:
            cause[j] = "predecessor"
            resource[j], competing[j] = resource[binding], competing[binding]
            waited = ready - early_start[j]
            parts.append(f"waits {_periods(waited)} for predecessor {ids[binding]!r}")
            if resource[binding]:
                held = ", ".join(competing[binding])
                parts[-1] += f" (itself delayed: {resource[binding]} held by {held})"
        if start[j] > ready:
            short, holders, first = _shortage(problem, j, ready, start, finish, placed)
            cause[j] = "resource"
            if short:
                resource[j] = ", ".join(names[r] for r in short)
                competing[j] = tuple(ids[k] for k in holders)
                r, period, used = first
                need = dict(problem.demand[j])[r]
                parts.append(
                    f"waits {_periods(start[j] - ready)} for {resource[j]}: needs "
                    f"{need:g} of its {problem.capacity[r]:g} units from period "
                    f"{period}, but {_listing(competing[j])} "
                    f"{'holds' if len(holders) == 1 else 'hold'} it"
                    + (f" ({used:g} in use)" if used < problem.capacity[r] else "")
                )
        reason[j] = "; then ".join(parts)
    frame = pd.DataFrame(
        {
            "duration": d,
            "early_start": early_start,
            "start": start,
            "finish": finish,
            "delay": [start[j] - early_start[j] for j in range(n)],
            "cause": cause,
            "resource": resource,
            "competing_tasks": competing,
            "reason": reason,
        },
        index=pd.Index(ids, name="task_id"),
    )
    if served is not None:
        frame["priority"] = served
    return frame


def _periods(count: int) -> str:
    return f"{count} period{'s' if count != 1 else ''}"


def _listing(names: Sequence[str], limit: int = 4) -> str:
    shown = ", ".join(names[:limit])
    return shown + (f" and {len(names) - limit} more" if len(names) > limit else "")


def _shortage(
    problem: Problem,
    j: int,
    ready: int,
    start: list[int],
    finish: list[int],
    placed: list[int],
) -> tuple[list[int], list[int], tuple[int, int, float]]:
    """
    Find what kept task ``j`` from every start between ``ready`` and its start.

    Only tasks placed before ``j`` count: they were there when ``j`` was placed.
    Returns the short resources, the tasks holding them (in order of appearance)
    and the first shortage as (resource, period, units in use).
    """
    rivals = [k for k in range(len(start)) if placed[k] < placed[j]]
    use = {k: dict(problem.demand[k]) for k in rivals}
    short: list[int] = []
    holders: list[int] = []
    first: tuple[int, int, float] = (-1, -1, 0.0)
    for t in range(ready, start[j]):
        blocked = False
        for period in range(t, t + problem.duration[j]):
            for r, q in problem.demand[j]:
                here = [
                    k for k in rivals if r in use[k] and start[k] <= period < finish[k]
                ]
                used = sum(use[k][r] for k in here)
                if used + q > problem.capacity[r] + _EPS:
                    if first[0] < 0:
                        first = (r, period, used)
                    if r not in short:
                        short.append(r)
                    holders.extend(k for k in here if k not in holders)
                    blocked = True
                    break
            if blocked:
                break
    return short, holders, first


def deadline_columns(
    result: pd.DataFrame,
    problem: Problem,
    ids: list[str],
    early_start: list[int],
    served: list[float] | None,
) -> None:
    due = problem.deadline
    result["deadline"] = pd.array(due, dtype="Int64")
    missed = [
        max(0, f - dl) if dl is not None else 0
        for f, dl in zip(result["finish"], due, strict=True)
    ]
    result["deadline_missed_by"] = missed
    conflicts: list[str] = []
    rank = dict(zip(ids, served or [0.0] * len(ids), strict=True))
    held_by: list[tuple[str, ...]] = result["competing_tasks"].tolist()
    short_of: list[str | None] = result["resource"].tolist()
    reasons: list[str] = result["reason"].tolist()
    for j, late in enumerate(missed):
        if not late:
            continue
        dl = due[j]
        task = ids[j]
        earliest = early_start[j] + problem.duration[j]
        if dl is not None and earliest > dl:
            note = (
                f"misses its deadline (period {dl}) by {_periods(late)}: even without "
                f"resource limits it cannot finish before period {earliest}"
            )
        else:
            note = f"misses its deadline (period {dl}) by {_periods(late)}"
            higher = [
                k for k in held_by[j] if served is not None and rank[k] > rank[task]
            ]
            if higher:
                conflicts.append(
                    f"priority and deadline conflict: {task!r} {note} because "
                    f"higher-priority {', '.join(map(repr, higher))} "
                    f"{'is' if len(higher) == 1 else 'are'} served first on "
                    f"{short_of[j]!r}"
                )
                note += " (priority conflict)"
        reasons[j] = f"{reasons[j]}; {note}" if reasons[j] else note
    result["reason"] = reasons
    result.attrs["missed_deadlines"] = sum(1 for m in missed if m)
    result.attrs["conflicts"] = conflicts
