"""
Schedules of generated projects: the task network, its forward pass and progress.

Conventions (working days, Monday to Friday, no holidays):

- A task with early start ``es`` and duration ``d > 0`` runs on working days
  ``es .. es + d - 1`` counted from the project start (day 0).
- A milestone (``d == 0``) with early start ``es`` falls at the end of day ``es - 1``.
- Progress runs at ``k`` percent of the planned pace: after ``e`` elapsed working days
  the project has done the work planned for ``k * e / 100`` days. All comparisons are
  in integers, so percent complete, actual dates and earned value always agree.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np
import numpy.typing as npt

from pmo_kit.data._generator.templates import TaskTemplate, phase_templates

if TYPE_CHECKING:
    from pmo_kit.data._generator.catalogue import Brief
    from pmo_kit.data._generator.random import Dice

__all__ = [
    "Plan",
    "build_network",
    "in_phase",
    "percent_complete",
    "place_in_time",
    "set_elapsed",
]

IntArray = npt.NDArray[np.int64]
FloatArray = npt.NDArray[np.float64]

#: Planned labour cost per hour by role, used for budgets (people vary around it).
ROLE_RATES: dict[str, float] = {
    "Project Manager": 95.0,
    "Business Analyst": 85.0,
    "Developer": 80.0,
    "Tester": 70.0,
    "Solution Architect": 115.0,
    "Data Engineer": 90.0,
    "Security Specialist": 110.0,
    "Scrum Master": 85.0,
    "Product Owner": 90.0,
    "Change Manager": 80.0,
    "Process Engineer": 75.0,
    "Compliance Officer": 95.0,
    "UX Designer": 75.0,
    "PMO Analyst": 65.0,
}

_DEFAULT_CONTEXT = {
    "system": "the new system",
    "vendor": "the main supplier",
    "site": "the site",
    "equipment": "the new equipment",
    "regulation": "the regulation",
    **{f"f{i}": f"feature set {i + 1}" for i in range(6)},
}


@dataclass
class Plan:
    """Everything generated about one project, shared by the table builders."""

    index: int
    project_id: str
    brief: Brief
    name: str
    prefix: str
    methodology: str
    phase: str
    position: float
    k: int
    cpi: float
    flags: frozenset[str]
    names: list[str] = field(default_factory=list)
    wbs: list[str] = field(default_factory=list)
    roles: list[str] = field(default_factory=list)
    fallbacks: list[str] = field(default_factory=list)
    links: list[tuple[int, int, str, int]] = field(default_factory=list)
    milestones: list[int] = field(default_factory=list)
    phase_no: IntArray = field(default_factory=lambda: np.zeros(0, np.int64))
    duration: IntArray = field(default_factory=lambda: np.zeros(0, np.int64))
    es: IntArray = field(default_factory=lambda: np.zeros(0, np.int64))
    estimates: FloatArray = field(default_factory=lambda: np.zeros((0, 3)))
    crew: FloatArray = field(default_factory=lambda: np.zeros(0))
    bc: FloatArray = field(default_factory=lambda: np.zeros(0))
    start: np.datetime64 = field(default_factory=lambda: np.datetime64("2026-01-05"))
    elapsed: int = 0
    pct: FloatArray = field(default_factory=lambda: np.zeros(0))
    act_start: IntArray = field(default_factory=lambda: np.zeros(0, np.int64))
    act_finish: IntArray = field(default_factory=lambda: np.zeros(0, np.int64))

    @property
    def task_ids(self) -> list[str]:
        """Task identifiers ``T001``, ``T002``, ... in network order."""
        return [f"T{i + 1:03d}" for i in range(len(self.names))]

    @property
    def finish_day(self) -> int:
        """Early finish of the final milestone: the planned duration in working days."""
        return int(self.es[self.milestones[-1]])

    def day(self, offset: int) -> np.datetime64:
        """Date of the working day ``offset`` days from the project start."""
        out: np.datetime64 = np.busday_offset(self.start, offset)
        return out

    def days(self, offsets: IntArray) -> npt.NDArray[np.datetime64]:
        """Dates of working-day ``offsets`` from the project start."""
        out: npt.NDArray[np.datetime64] = np.busday_offset(self.start, offsets)
        return out

    def baseline_days(self) -> tuple[IntArray, IntArray]:
        """Working-day offsets of each task's baseline start and finish."""
        ms = self.duration == 0
        first = np.where(ms, np.maximum(self.es - 1, 0), self.es)
        last = np.where(ms, first, self.es + self.duration - 1)
        return first, last

    def reached(self, task: int, elapsed: int | None = None) -> bool:
        """Whether a task (or milestone) is finished after ``elapsed`` working days."""
        e = self.elapsed if elapsed is None else elapsed
        return self.k * e >= 100 * int(self.es[task] + self.duration[task])


def build_network(plan: Plan, rng: Dice) -> None:
    """Fill ``plan`` with tasks, links, three-point estimates, early starts, costs."""
    context = {**_DEFAULT_CONTEXT, **plan.brief.context}
    names: list[str] = []
    wbs: list[str] = []
    phase_no: list[int] = []
    dur: list[int] = []
    est: list[tuple[float, float, float]] = []
    crew: list[float] = []
    spend: list[float] = []
    links = plan.links
    previous: int | None = None
    for p, phase in enumerate(phase_templates(plan.brief.domain), start=1):
        lo, hi = phase.pick
        count = rng.integers(lo, hi + 1)
        chosen = np.array(sorted(rng.sample(len(phase.tasks), count)), dtype=np.int64)
        if "shared_specialist" in plan.flags:
            chosen = _with_role(chosen, phase.tasks, "Data Engineer")
        first = len(names)
        for j, pick in enumerate(chosen, start=1):
            tpl = phase.tasks[int(pick)]
            ml = rng.uniform(tpl.dmin, tpl.dmax) * plan.brief.scale
            names.append(tpl.name.format(**context))
            wbs.append(f"{p}.{j}")
            phase_no.append(p)
            dur.append(max(1, round(ml)))
            ml = round(ml, 1)
            est.append(
                (
                    round(ml * rng.uniform(0.6, 0.9), 1),
                    ml,
                    round(ml * rng.uniform(1.2, 2.0), 1),
                )
            )
            plan.roles.append(tpl.role)
            plan.fallbacks.append(tpl.fallback)
            crew.append(tpl.crew)
            extra = rng.uniform(*tpl.spend) * plan.brief.spend if tpl.spend[1] else 0.0
            spend.append(extra)
        members = list(range(first, len(names)))
        n_branches = 1 if count <= 3 else rng.integers(2, min(3, count // 2) + 1)
        cuts = sorted(1 + c for c in rng.sample(count - 1, n_branches - 1))
        edges = [0, *cuts, count]
        branches = [members[a:b] for a, b in itertools.pairwise(edges)]
        ms = len(names)
        names.append(phase.milestone)
        wbs.append(f"{p}.{count + 1}")
        phase_no.append(p)
        dur.append(0)
        est.append((np.nan, np.nan, np.nan))
        plan.roles.append("")
        plan.fallbacks.append("")
        crew.append(0.0)
        spend.append(0.0)
        _link_phase(links, branches, previous, ms, dur, rng)
        plan.milestones.append(ms)
        previous = ms
    if plan.index % 3 == 1 and not any(lag < 0 for *_, lag in links):
        _add_lead(links, dur)
    plan.names, plan.wbs = names, wbs
    plan.phase_no = np.array(phase_no, dtype=np.int64)
    plan.duration = np.array(dur, dtype=np.int64)
    plan.estimates = np.array(est, dtype=np.float64)
    without = rng.rng.random(len(names)) < 0.12
    plan.estimates[without] = np.nan
    plan.crew = np.array(crew)
    plan.es = forward_pass(len(names), plan.duration, links)
    rates = np.array([ROLE_RATES.get(r, 0.0) for r in plan.roles])
    labour = (
        plan.duration
        * 8.0
        * plan.crew
        * 1.5
        * rates
        * rng.rng.uniform(0.9, 1.1, len(rates))
    )
    plan.bc = np.round((labour + np.array(spend)) / 100.0) * 100.0


def _with_role(
    chosen: IntArray, tasks: tuple[TaskTemplate, ...], role: str
) -> IntArray:
    """Swap picks so that every candidate task of ``role`` is in ``chosen``."""
    need = [j for j, t in enumerate(tasks) if t.role == role and j not in chosen]
    spare = [int(j) for j in chosen if tasks[int(j)].role != role]
    keep = [int(j) for j in chosen if int(j) not in spare[: len(need)]]
    return np.sort(np.array(keep + need[: len(spare)], dtype=np.int64))


def _link_phase(
    links: list[tuple[int, int, str, int]],
    branches: list[list[int]],
    previous: int | None,
    milestone: int,
    dur: list[int],
    rng: Dice,
) -> None:
    """Link the branches of one phase: chains, a few cross-links, merge at the end."""
    bounded: set[int] = set()
    for b, branch in enumerate(branches):
        if previous is not None:
            links.append((previous, branch[0], "FS", 0))
        for pred, succ in itertools.pairwise(branch):
            kind, lag = _link_kind(dur[pred], dur[succ], rng)
            links.append((pred, succ, kind, lag))
            if kind in {"FS", "FF"} and lag >= 0:
                bounded.add(pred)
        if b + 1 < len(branches) and len(branches[b + 1]) > 1 and rng.random() < 0.5:
            pred = branch[rng.integers(0, len(branch))]
            succ = branches[b + 1][rng.integers(1, len(branches[b + 1]))]
            links.append((pred, succ, "FS", 0))
            bounded.add(pred)
    for branch in branches:
        for task in branch:
            if task not in bounded:
                links.append((task, milestone, "FS", 0))


def _link_kind(d_pred: int, d_succ: int, rng: Dice) -> tuple[str, int]:
    """Mostly finish-to-start; some overlaps (SS, FF), waits (lag) and leads."""
    r = rng.random()
    if r < 0.10 and d_pred >= 3:
        return "SS", rng.integers(1, max(2, d_pred // 2) + 1)
    if r < 0.20:
        return ("FF", rng.integers(0, 3)) if d_succ <= d_pred else ("FS", 0)
    if r < 0.25:
        return "FS", rng.integers(2, 8)
    if r < 0.30 and d_pred >= 4 and d_succ >= 4:
        return "FS", -rng.integers(1, 3)
    return "FS", 0


def _add_lead(links: list[tuple[int, int, str, int]], dur: list[int]) -> None:
    """Turn the first eligible plain finish-to-start link into a two-day lead."""
    for i, (pred, succ, kind, lag) in enumerate(links):
        if kind == "FS" and lag == 0 and dur[pred] >= 4 and dur[succ] >= 4:
            links[i] = (pred, succ, "FS", -2)
            return


def forward_pass(
    n: int, duration: IntArray, links: list[tuple[int, int, str, int]]
) -> IntArray:
    """Early starts of a network whose links always point to a later task index."""
    preds: list[list[tuple[int, str, int]]] = [[] for _ in range(n)]
    for pred, succ, kind, lag in links:
        preds[succ].append((pred, kind, lag))
    d = [int(x) for x in duration]
    es = [0] * n
    for s in range(n):
        best = 0
        for p, kind, lag in preds[s]:
            if kind == "FS":
                c = es[p] + d[p] + lag
            elif kind == "SS":
                c = es[p] + lag
            elif kind == "FF":
                c = es[p] + d[p] + lag - d[s]
            else:  # SF
                c = es[p] + lag - d[s]
            best = max(best, c)
        es[s] = best
    return np.array(es, dtype=np.int64)


def percent_complete(es: IntArray, duration: IntArray, effort: IntArray) -> IntArray:
    """
    Whole-number percent complete of each task for each progress value.

    ``effort`` is ``k * elapsed`` (planned days times 100); the result has shape
    ``(len(effort), len(es))``. Started tasks show at least 1%, unfinished ones at
    most 99%.
    """
    eff = np.asarray(effort, dtype=np.int64).reshape(-1, 1)
    num = eff - 100 * es
    finished = num >= 100 * duration
    started = num > 0
    partial = np.clip((100 * num) // (100 * np.maximum(duration, 1)), 1, 99)
    out: IntArray = np.where(finished, 100, np.where(started, partial, 0)).astype(
        np.int64
    )
    return out


_TARGET_PHASE = {
    "initiation": (0, 1),
    "planning": (1, 2),
    "execution": (2, 5),
    "closing": (5, 6),
}


def place_in_time(plan: Plan, status: np.datetime64, rng: Dice) -> None:
    """Choose the project start so that the status date falls in the plan's phase."""
    ms = [0, *(int(plan.es[m]) for m in plan.milestones)]
    if plan.phase == "closed":
        elapsed = -(-100 * ms[6] // plan.k) + rng.integers(15, 60)
    else:
        lo, hi = _TARGET_PHASE[plan.phase]
        target = ms[lo] + plan.position * (ms[hi] - ms[lo])
        elapsed = max(1, round(100 * target / plan.k))
        before = plan.milestones[lo - 1] if lo else None
        after = plan.milestones[hi - 1]
        while elapsed > 1 and plan.reached(after, elapsed):
            elapsed -= 1
        while before is not None and not plan.reached(before, elapsed):
            elapsed += 1
    set_elapsed(plan, elapsed, status)


def in_phase(plan: Plan, elapsed: int) -> bool:
    """Whether after ``elapsed`` working days the project is in its declared phase."""
    if plan.phase == "closed":
        return plan.reached(plan.milestones[-1], elapsed)
    lo, hi = _TARGET_PHASE[plan.phase]
    before = lo == 0 or plan.reached(plan.milestones[lo - 1], elapsed)
    return before and not plan.reached(plan.milestones[hi - 1], elapsed)


def set_elapsed(plan: Plan, elapsed: int, status: np.datetime64) -> None:
    """Start the project ``elapsed`` working days before the status date."""
    plan.elapsed = elapsed
    status_day = np.busday_offset(status, 0, roll="backward")
    plan.start = np.busday_offset(status_day, -(elapsed - 1))
    pct = percent_complete(plan.es, plan.duration, np.array([plan.k * elapsed]))[0]
    plan.pct = pct.astype(np.float64)
    done = pct == 100
    begun = pct > 0
    ms_mask = plan.duration == 0
    start_idx = np.where(
        ms_mask,
        np.maximum(-(-100 * plan.es // plan.k) - 1, 0),
        (100 * plan.es) // plan.k,
    )
    finish_idx = np.where(
        ms_mask, start_idx, -(-100 * (plan.es + plan.duration) // plan.k) - 1
    )
    plan.act_start = np.where(begun, start_idx, -1).astype(np.int64)
    plan.act_finish = np.where(done, finish_idx, -1).astype(np.int64)
