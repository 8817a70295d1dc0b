"""
The levelling engine: serial schedule generation and a genetic algorithm over it.

Private to :mod:`pmo_kit.resources.levelling`, which validates input and explains the
result. Everything here works on plain Python lists of numbers: the instances the
kit levels are small (tens to a few hundred tasks, a few hundred periods), and the
hot loop (85 % of the time in cProfile on PSPLIB j30) checks a task's window with
C-speed ``min`` over a slice of each resource's remaining-capacity list, jumping past
the last short period; a numpy call per check would cost about as much as the scan.

Time is in whole periods. A precedence link is a *start-to-start minimum distance*
``S[s] >= S[p] + w`` (the weights of :mod:`pmo_kit.schedule.network`), so every link
type with any lag is one rule here.

The optimiser is the activity-list genetic algorithm of Hartmann (1998): two-point
crossover, shift mutation, ranking selection (the best of parents and children
survive, one member per distinct schedule), each list decoded by the serial
schedule generation scheme and improved by forward-backward improvement (double
justification; Valls, Ballestin & Quintanilla 2005). The first generation comes from
the latest-finish-time and most-total-successors rules and regret-biased random
sampling. It stops at the schedule budget, the time limit, or as soon as a schedule
reaches the lower bound (then it is proven optimal).
"""

from __future__ import annotations

import heapq
import math
import random
import time
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Sequence

__all__: list[str] = []

_EPS = 1e-9


@dataclass
class Problem:
    """An instance as lists, in the task order of the input table."""

    duration: list[int]
    release: list[int]
    demand: list[list[tuple[int, float]]]  # per task: (resource index, units)
    capacity: list[float]
    preds: list[list[tuple[int, int]]]  # per task: (predecessor, weight)
    succs: list[list[tuple[int, int]]]  # per task: (successor, weight)
    topo: list[int]  # a topological order
    deadline: list[int | None] = field(default_factory=list)
    rank: list[float] | None = None  # priority rank (lower is served first)

    @property
    def size(self) -> int:
        """Number of tasks."""
        return len(self.duration)

    def horizon(self, weights_from: list[list[tuple[int, int]]]) -> int:
        """Return a period count no serial schedule can reach (sizes the profiles)."""
        positive = sum(max(w, 0) for links in weights_from for _, w in links)
        return max(self.release, default=0) + sum(self.duration) + positive + 1


def serial_sgs(
    order: list[int],
    duration: list[int],
    release: list[int],
    demand: list[list[tuple[int, float]]],
    capacity: list[float],
    preds: list[list[tuple[int, int]]],
    horizon: int,
) -> list[int]:
    """
    Schedule each task in ``order`` at its earliest start (serial generation).

    A task starts at the first period, not before its release and its predecessors'
    distances, where every resource it uses has room for its whole duration.
    ``order`` must list every predecessor before its successors.
    """
    start = [0] * len(duration)
    room = [[c] * horizon for c in capacity]
    for j in order:
        t = release[j]
        for p, w in preds[j]:
            v = start[p] + w
            if v > t:
                t = v
        d = duration[j]
        needs = demand[j]
        if d and needs:
            searching = True
            while searching:
                end = t + d
                searching = False
                for r, q in needs:
                    window = room[r][t:end]
                    need = q - _EPS
                    if min(window) < need:
                        k = d - 1  # jump past the last period that is short
                        while window[k] >= need:
                            k -= 1
                        t += k + 1
                        searching = True
                        break
            end = t + d
            for r, q in needs:
                row = room[r]
                row[t:end] = [x - q for x in row[t:end]]
        start[j] = t
    return start


def precedence_order(
    key: Sequence[float], preds: list[list[tuple[int, int]]], topo_rank: list[int]
) -> list[int]:
    """Tasks sorted by ``key`` (then topological rank), predecessors always first."""
    n = len(key)
    if all(w >= 0 for links in preds for _, w in links):
        # a start-to-start distance >= 0 keeps key order consistent with precedence
        return sorted(range(n), key=lambda j: (key[j], topo_rank[j]))
    waiting = [len(links) for links in preds]
    succs: list[list[int]] = [[] for _ in range(n)]
    for s, links in enumerate(preds):
        for p, _ in links:
            succs[p].append(s)
    heap = [(key[j], topo_rank[j], j) for j in range(n) if waiting[j] == 0]
    heapq.heapify(heap)
    out: list[int] = []
    while heap:
        _, _, j = heapq.heappop(heap)
        out.append(j)
        for s in succs[j]:
            waiting[s] -= 1
            if waiting[s] == 0:
                heapq.heappush(heap, (key[s], topo_rank[s], s))
    return out


class Engine:
    """Decoding (with optional justification) and the search, for one problem."""

    def __init__(self, problem: Problem) -> None:
        self.p = problem
        n = problem.size
        self.n = n
        self.topo_rank = [0] * n
        for i, j in enumerate(problem.topo):
            self.topo_rank[j] = i
        # the mirror problem (time reversed) for right-justification:
        # S[s] >= S[p] + w  becomes  S'[p] >= S'[s] + w + d[s] - d[p]
        d = problem.duration
        self.mirror_preds: list[list[tuple[int, int]]] = [[] for _ in range(n)]
        for s, links in enumerate(problem.preds):
            for p, w in links:
                self.mirror_preds[p].append((s, w + d[s] - d[p]))
        self.horizon = problem.horizon(problem.preds)
        self.mirror_horizon = problem.horizon(self.mirror_preds)
        self.no_release = [0] * n
        self.schedules = 0
        self.justify = problem.rank is None

    # -- decoding ---------------------------------------------------------------
    def forward(self, order: list[int]) -> list[int]:
        """Left-justified schedule of an activity list."""
        p = self.p
        self.schedules += 1
        return serial_sgs(
            order, p.duration, p.release, p.demand, p.capacity, p.preds, self.horizon
        )

    def makespan(self, start: list[int]) -> int:
        """Latest finish."""
        d = self.p.duration
        return max((s + d[j] for j, s in enumerate(start)), default=0)

    def fitness(self, start: list[int]) -> tuple[int, int]:
        """(total lateness against deadlines, makespan): lower is better."""
        d = self.p.duration
        late = 0
        for j, due in enumerate(self.p.deadline):
            if due is not None and start[j] + d[j] > due:
                late += start[j] + d[j] - due
        return late, self.makespan(start)

    def served(self, order: list[int]) -> list[int]:
        """Re-order a list so higher priority classes come first (stable)."""
        rank = self.p.rank
        return order if rank is None else sorted(order, key=rank.__getitem__)

    def evaluate(
        self, order: list[int]
    ) -> tuple[tuple[int, int], list[int], list[int]]:
        """Decode a list and improve it by forward-backward passes."""
        order = self.served(order)
        start = self.forward(order)
        fit = self.fitness(start)
        while self.justify:
            d = self.p.duration
            finish = [s + d[j] for j, s in enumerate(start)]
            back = precedence_order(
                [-f for f in finish], self.mirror_preds, [-r for r in self.topo_rank]
            )
            self.schedules += 1
            mirrored = serial_sgs(
                back,
                d,
                self.no_release,
                self.p.demand,
                self.p.capacity,
                self.mirror_preds,
                self.mirror_horizon,
            )
            right = [-(m + d[j]) for j, m in enumerate(mirrored)]  # start, shifted
            new_order = precedence_order(right, self.p.preds, self.topo_rank)
            new_start = self.forward(new_order)
            new_fit = self.fitness(new_start)
            if new_fit >= fit:
                break
            order, start, fit = new_order, new_start, new_fit
        return fit, order, start

    # -- priority rules ---------------------------------------------------------
    def latest_finish(self) -> list[int]:
        """Latest finish times against the horizon (only their order matters)."""
        p = self.p
        late = [self.horizon - p.duration[j] for j in range(self.n)]
        for j in reversed(p.topo):
            for s, w in p.succs[j]:
                v = late[s] - w
                if v < late[j]:
                    late[j] = v
        return [late[j] + p.duration[j] for j in range(self.n)]

    def rule_order(self, key: list[float]) -> list[int]:
        """Apply a priority rule: the eligible task with the lowest key, then id."""
        rank = self.p.rank or [0.0] * self.n
        full = [(rank[j], key[j], j) for j in range(self.n)]
        return precedence_order_with(full, self.p.preds)

    def total_successors(self) -> list[int]:
        """Count the direct and indirect successors of each task."""
        reach = [0] * self.n
        for j in reversed(self.p.topo):
            bits = 0
            for s, _ in self.p.succs[j]:
                bits |= reach[s] | (1 << s)
            reach[j] = bits
        return [r.bit_count() for r in reach]

    def biased_sample(self, lft: list[int], rng: random.Random) -> list[int]:
        """Regret-biased random sampling on the latest-finish rule."""
        n = self.n
        waiting = [len(links) for links in self.p.preds]
        eligible = [j for j in range(n) if waiting[j] == 0]
        rank = self.p.rank
        out: list[int] = []
        while eligible:
            pool = eligible
            if rank is not None:
                best = min(rank[j] for j in eligible)
                pool = [j for j in eligible if rank[j] == best]
            worst = max(lft[j] for j in pool)
            weights = [worst - lft[j] + 1 for j in pool]
            j = rng.choices(pool, weights=weights)[0]
            eligible.remove(j)
            out.append(j)
            for s, _ in self.p.succs[j]:
                waiting[s] -= 1
                if waiting[s] == 0:
                    eligible.append(s)
        return out

    # -- genetic operators ----------------------------------------------------
    @staticmethod
    def crossover(
        mother: list[int], father: list[int], rng: random.Random
    ) -> list[int]:
        """Hartmann's two-point crossover: keeps both parents' precedence order."""
        n = len(mother)
        q1, q2 = sorted(rng.sample(range(n + 1), 2)) if n > 1 else (0, n)
        child = mother[:q1]
        taken = set(child)
        for j in father:
            if len(child) >= q2:
                break
            if j not in taken:
                child.append(j)
                taken.add(j)
        child.extend(j for j in mother if j not in taken)
        return child

    def shift(self, order: list[int], rng: random.Random) -> list[int]:
        """Move one task to a random place between its predecessors and successors."""
        n = len(order)
        if n < 2:
            return order
        i = rng.randrange(n)
        j = order[i]
        rest = order[:i] + order[i + 1 :]
        before = {p for p, _ in self.p.preds[j]}
        after = {s for s, _ in self.p.succs[j]}
        lo, hi = 0, n - 1
        for k, t in enumerate(rest):
            if t in before:
                lo = k + 1
            elif t in after:
                hi = k
                break
        k = rng.randint(lo, hi) if hi >= lo else lo
        rest.insert(k, j)
        return rest


def precedence_order_with(
    keys: list[tuple[float, float, int]], preds: list[list[tuple[int, int]]]
) -> list[int]:
    """Repeatedly take the eligible task with the smallest key tuple."""
    n = len(keys)
    waiting = [len(links) for links in preds]
    succs: list[list[int]] = [[] for _ in range(n)]
    for s, links in enumerate(preds):
        for p, _ in links:
            succs[p].append(s)
    heap = [keys[j] for j in range(n) if waiting[j] == 0]
    heapq.heapify(heap)
    out: list[int] = []
    while heap:
        j = heapq.heappop(heap)[2]
        out.append(j)
        for s in succs[j]:
            waiting[s] -= 1
            if waiting[s] == 0:
                heapq.heappush(heap, keys[s])
    return out


@dataclass
class Outcome:
    """The best schedule found and how the search went."""

    start: list[int]
    order: list[int]
    fitness: tuple[int, int]
    schedules: int
    seconds: float


def serial_baseline(problem: Problem) -> Outcome:
    """One pass of the serial scheme with the latest-finish-time rule."""
    began = time.perf_counter()
    engine = Engine(problem)
    order = engine.rule_order([float(v) for v in engine.latest_finish()])
    start = engine.forward(order)
    return Outcome(
        start,
        order,
        engine.fitness(start),
        engine.schedules,
        time.perf_counter() - began,
    )


def genetic_search(
    problem: Problem,
    *,
    lower_bound: int,
    seed: int,
    max_schedules: int | None,
    time_limit: float | None,
    population: int = 40,
) -> Outcome:
    """Activity-list genetic algorithm with justification (see module docstring)."""
    began = time.perf_counter()
    stop_at = math.inf if time_limit is None else began + time_limit
    budget = math.inf if max_schedules is None else max_schedules
    rng = random.Random(seed)
    engine = Engine(problem)
    target = (0, lower_bound)

    def done(best: tuple[int, int]) -> bool:
        return (
            best <= target
            or engine.schedules >= budget
            or time.perf_counter() >= stop_at
        )

    lft = engine.latest_finish()
    seeds = [
        engine.rule_order([float(v) for v in lft]),
        engine.rule_order([-float(v) for v in engine.total_successors()]),
    ]
    pool: dict[tuple[int, ...], tuple[tuple[int, int], list[int], list[int]]] = {}
    best: tuple[tuple[int, int], list[int], list[int]] | None = None
    attempts = 0
    while len(pool) < population and attempts < 4 * population:
        order = seeds[attempts] if attempts < len(seeds) else None
        if order is None:
            order = engine.biased_sample(lft, rng)
        attempts += 1
        fit, order, start = engine.evaluate(order)
        pool.setdefault(tuple(order), (fit, order, start))
        if best is None or fit < best[0]:
            best = (fit, order, start)
        if done(best[0]):
            break
    if best is None:  # pragma: no cover - the loop always evaluates one list
        msg = "no activity list was evaluated"
        raise RuntimeError(msg)
    members = sorted(pool.values(), key=lambda m: m[0])
    while not done(best[0]):
        rng.shuffle(members)
        children: list[tuple[tuple[int, int], list[int], list[int]]] = []
        for a in range(0, len(members) - 1, 2):
            mother, father = members[a][1], members[a + 1][1]
            for x, y in ((mother, father), (father, mother)):
                child = engine.crossover(x, y, rng)
                child = engine.shift(child, rng)
                fit, order, start = engine.evaluate(child)
                children.append((fit, order, start))
                if fit < best[0]:
                    best = (fit, order, start)
                if done(best[0]):
                    break
            if done(best[0]):
                break
        seen: set[tuple[int, ...]] = set()
        merged = []
        for m in sorted(members + children, key=lambda m: m[0]):
            key = tuple(m[2])  # one member per schedule keeps the population diverse
            if key not in seen:
                seen.add(key)
                merged.append(m)
        members = merged[:population]
        if len(members) < 2:
            members.append((best[0], engine.biased_sample(lft, rng), best[2]))
    fit, order, start = best
    return Outcome(start, order, fit, engine.schedules, time.perf_counter() - began)
