"""
The sample pipeline read with the csv and yaml modules only, and solved by brute force.

Independent of pmo_kit.selection.pipeline: scores by plain arithmetic, free hours by
a plain loop over resources/assignments/tasks, the best portfolio by enumerating
every subset of the candidates that are neither must nor never (chunked numpy).
"""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path
from typing import Any

import numpy as np
import yaml

DATASET = Path(__file__).resolve().parents[2] / "datasets" / "meridian"
PIPELINE = DATASET / "pipeline"


def rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def settings() -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load(
        (PIPELINE / "pipeline.yaml").read_text("utf-8")
    )
    return data


def plain_scores(weights: dict[str, float] | None = None) -> dict[str, float]:
    """Weighted score of every candidate: sum(w_c * x_c) / sum(w)."""
    w = weights or settings()["weights"]
    total = sum(w.values())
    return {
        r["candidate_id"]: sum(float(r[c]) * float(v) for c, v in w.items()) / total
        for r in rows(PIPELINE / "candidates.csv")
    }


def plain_npv(rate: float) -> dict[str, float]:
    """Excel NPV of (benefit - cost) over 2027..2031, first flow discounted once."""
    out = {}
    for r in rows(PIPELINE / "candidates.csv"):
        total = 0.0
        for t, year in enumerate(range(2027, 2032), start=1):
            flow = float(r[f"benefit_{year}"]) - float(r.get(f"cost_{year}") or 0)
            total += flow / (1 + rate) ** t
        out[r["candidate_id"]] = total
    return out


def plain_capacity(year: int = 2027, weeks: float = 44.0) -> dict[str, float]:
    """Free hours per role, as docs/selection.md states the rule, loop by loop."""
    role_of = {}
    cap: dict[str, float] = {}
    for r in rows(DATASET / "resources.csv"):
        role_of[r["resource_id"]] = r["role"]
        cap[r["role"]] = cap.get(r["role"], 0.0) + float(r["capacity_hours"]) * weeks
    closed = {
        r["project_id"]
        for r in rows(DATASET / "projects.csv")
        if r["phase"] == "closed"
    }
    tasks = {(r["project_id"], r["task_id"]): r for r in rows(DATASET / "tasks.csv")}
    first, last = dt.date(year, 1, 1), dt.date(year, 12, 31)
    for a in rows(DATASET / "assignments.csv"):
        if a["project_id"] in closed:
            continue
        t = tasks[(a["project_id"], a["task_id"])]
        start = dt.date.fromisoformat(t["baseline_start"])
        finish = dt.date.fromisoformat(t["baseline_finish"])
        days = (finish - start).days + 1
        inside = (min(finish, last) - max(start, first)).days + 1
        if inside <= 0:
            continue
        left = 1 - float(t["percent_complete"] or 0) / 100
        cap[role_of[a["resource_id"]]] -= float(a["hours"]) * left * inside / days
    return {k: max(0.0, v) for k, v in cap.items()}


def brute_best(
    value: dict[str, float], budget_scale: float = 1.0
) -> tuple[float, list[frozenset[str]]]:
    """
    Best total value over every feasible subset, and every subset reaching it.

    Limits: total budget (sum of the yearly budgets x scale), each year's budget
    x scale, each role's free hours; must, never, requires, exclusive from the yaml.
    """
    s = settings()
    cands = rows(PIPELINE / "candidates.csv")
    ids = [r["candidate_id"] for r in cands]
    must, never = set(s["must"]), set(s["never"])
    free = [i for i in ids if i not in must and i not in never]
    years = [str(y) for y in s["budget_per_year"]]
    budgets = {y: float(s["budget_per_year"][int(y)]) * budget_scale for y in years}
    total = sum(budgets.values())
    cost = {r["candidate_id"]: {y: float(r[f"cost_{y}"]) for y in years} for r in cands}
    hours: dict[str, dict[str, float]] = {}
    for d in rows(PIPELINE / "demands.csv"):
        hours.setdefault(d["role"], {})[d["candidate_id"]] = float(d["hours"])
    capacity = plain_capacity()

    def need_vector(fn: Any) -> tuple[np.ndarray, float]:
        return np.array([fn(i) for i in free]), float(sum(fn(i) for i in must))

    limits = [(need_vector(lambda i: sum(cost[i].values())), total)]
    limits += [(need_vector(lambda i, y=y: cost[i][y]), budgets[y]) for y in years]
    limits += [
        (need_vector(lambda i, h=h: h.get(i, 0.0)), capacity[role])
        for role, h in hours.items()
    ]
    vals = np.array([value[i] for i in free])
    base = sum(value[i] for i in must)
    n = len(free)
    where = {i: k for k, i in enumerate(free)}
    best = -np.inf
    winners: list[frozenset[str]] = []
    chunk = 1 << 15
    for start in range(0, 1 << n, chunk):
        codes = np.arange(start, min(start + chunk, 1 << n), dtype=np.int64)
        grid = ((codes[:, None] >> np.arange(n)) & 1).astype(bool)
        ok = np.ones(len(grid), dtype=bool)
        for (vec, fixed), limit in limits:
            ok &= grid @ vec + fixed <= limit + 1e-6
        for a, b in s["requires"]:
            has_a = grid[:, where[a]] if a in where else np.full(len(grid), a in must)
            has_b = grid[:, where[b]] if b in where else np.full(len(grid), b in must)
            ok &= ~has_a | has_b
        for group in s["exclusive"]:
            ok &= grid[:, [where[g] for g in group]].sum(axis=1) <= 1
        if not ok.any():
            continue
        totals = np.where(ok, grid @ vals + base, -np.inf)
        top = float(totals.max())
        if top > best + 1e-9:
            best, winners = top, []
        if top >= best - 1e-9:
            for k in np.flatnonzero(totals >= best - 1e-9):
                winners.append(
                    frozenset(must | {free[j] for j in range(n) if grid[k, j]})
                )
    return float(best), winners
