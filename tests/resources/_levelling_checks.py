"""An independent feasibility checker and brute force for levelled schedules."""

from __future__ import annotations

import itertools
from collections import defaultdict
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Mapping, Sequence

    import pandas as pd

_EPS = 1e-9


def weight(kind: str, lag: int, d_pred: int, d_succ: int) -> int:
    """Minimum start-to-start distance of a link, from the link-type definitions."""
    # FS: S_s >= F_p + lag; SS: S_s >= S_p + lag; FF: F_s >= F_p + lag;
    # SF: F_s >= S_p + lag
    return {
        "FS": d_pred + lag,
        "SS": lag,
        "FF": d_pred + lag - d_succ,
        "SF": lag - d_succ,
    }[kind]


def links(tasks: pd.DataFrame, deps: pd.DataFrame | None) -> list[tuple[str, str, int]]:
    dur = _durations(tasks)
    out: list[tuple[str, str, int]] = []
    if deps is None:
        return out
    for row in deps.itertuples(index=False):
        kind = getattr(row, "type", "FS")
        lag = int(getattr(row, "lag", 0))
        p, s = str(row.predecessor), str(row.successor)
        out.append((p, s, weight(kind, lag, dur[p], dur[s])))
    return out


def _durations(tasks: pd.DataFrame) -> dict[str, int]:
    return dict(
        zip(tasks.task_id.astype(str).tolist(), tasks.duration.tolist(), strict=True)
    )


def _demand_rows(demands: pd.DataFrame) -> list[tuple[str, str, float]]:
    return list(
        zip(
            demands.task_id.astype(str).tolist(),
            demands.resource.astype(str).tolist(),
            demands.units.astype(float).tolist(),
            strict=True,
        )
    )


def assert_feasible(
    plan: pd.DataFrame,
    tasks: pd.DataFrame,
    deps: pd.DataFrame | None,
    demands: pd.DataFrame,
    capacities: Mapping[str, float],
    release: Mapping[str, int] | None = None,
) -> None:
    """Precedence, start >= 0 (and release), finish = start + d, usage <= capacity."""
    dur = _durations(tasks)
    assert set(plan.index) == set(dur)
    start = dict(zip(map(str, plan.index), plan["start"].tolist(), strict=True))
    finish = dict(zip(map(str, plan.index), plan["finish"].tolist(), strict=True))
    for t, d in dur.items():
        assert start[t] >= (release or {}).get(t, 0), t
        assert finish[t] == start[t] + d, t
    for p, s, w in links(tasks, deps):
        assert start[s] >= start[p] + w, (p, s, w, start[p], start[s])
    usage: dict[tuple[str, int], float] = defaultdict(float)
    for t, r, q in _demand_rows(demands):
        for period in range(start[t], start[t] + dur[t]):
            usage[r, period] += q
    for (r, period), used in usage.items():
        assert used <= capacities[r] + _EPS, (r, period, used)


def simple_sgs(
    order: Sequence[str],
    dur: Mapping[str, int],
    preds: Mapping[str, list[tuple[str, int]]],
    need: Mapping[str, Mapping[str, float]],
    capacities: Mapping[str, float],
) -> dict[str, int]:
    """Serial schedule generation, written plainly (one period at a time)."""
    start: dict[str, int] = {}
    usage: dict[tuple[str, int], float] = defaultdict(float)
    for t in order:
        s = max([0] + [start[p] + w for p, w in preds[t]])

        def fits(s: int, t: str = t) -> bool:
            return all(
                usage[r, u] + q <= capacities[r] + _EPS
                for r, q in need[t].items()
                for u in range(s, s + dur[t])
            )

        while not fits(s):
            s += 1
        start[t] = s
        for r, q in need[t].items():
            for u in range(s, s + dur[t]):
                usage[r, u] += q
    return start


def brute_force_makespan(
    tasks: pd.DataFrame,
    deps: pd.DataFrame | None,
    demands: pd.DataFrame,
    capacities: Mapping[str, float],
) -> int | None:
    """Best makespan over every precedence-feasible list (an optimum is active)."""
    dur = _durations(tasks)
    preds: dict[str, list[tuple[str, int]]] = {t: [] for t in dur}
    for p, s, w in links(tasks, deps):
        preds[s].append((p, w))
    need: dict[str, dict[str, float]] = {t: defaultdict(float) for t in dur}
    for t, r, q in _demand_rows(demands):
        need[t][r] += q
    best = None
    for order in itertools.permutations(dur):
        pos = {t: i for i, t in enumerate(order)}
        if any(pos[p] > pos[s] for s in dur for p, _ in preds[s]):
            continue
        start = simple_sgs(order, dur, preds, need, capacities)
        makespan = max(start[t] + dur[t] for t in dur)
        best = makespan if best is None else min(best, makespan)
    return best
