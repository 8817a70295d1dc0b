"""
Exact portfolio selection: the most value within budget, capacity and rules.

:func:`select_portfolio` solves a 0-1 integer programme (a MILP, with scipy's
HiGHS solver, optimality gap 0) rather than ranking projects by a score: a
ranking can leave money unspent that a different mix would use. The result also
gives what a greedy choice (rank by value per cost, add each project that still
fits until the money runs out) would get, and the value it loses.

Constraints, all optional but the budget:

- ``budget``: a number, against the ``cost`` column; or ``{period: budget}``,
  against columns ``cost_<period>`` (for example ``cost_2027``), one limit each;
- ``demands`` (``project_id, role, hours``) against ``capacity`` ``{role: hours}``;
- ``must`` / ``never``: projects forced in / out;
- ``requires``: pairs ``(a, b)``, "a needs b": a only if b;
- ``exclusive``: groups of which at most one is chosen.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, SupportsFloat

from pmo_kit._errors import ValidationError
from pmo_kit.selection._model import (
    Problem,
    build_problem,
    explain_infeasible,
    forced,
    solve,
)

if TYPE_CHECKING:
    from collections.abc import Iterable, Mapping

    import pandas as pd

__all__ = ["ConstraintUse", "GreedyChoice", "SelectionResult", "select_portfolio"]


@dataclass(frozen=True, slots=True)
class ConstraintUse:
    """
    How much of one limit the chosen portfolio uses.

    ``binding`` is True when this limit alone keeps out at least one project that
    is not chosen and not excluded: that project needs more than ``slack``.
    """

    name: str
    kind: str
    used: float
    limit: float
    binding: bool

    @property
    def slack(self) -> float:
        """What is left: ``limit - used``."""
        return self.limit - self.used


@dataclass(frozen=True, slots=True)
class GreedyChoice:
    """What ranking by value per cost and filling until nothing fits would pick."""

    chosen: tuple[str, ...]
    total_value: float
    total_cost: float
    value_lost: float


@dataclass(frozen=True, slots=True)
class SelectionResult:
    """
    The optimal portfolio.

    ``chosen`` lists project ids in the candidates' order; ``constraints`` has one
    entry per limit (budget or each period, then each role); ``greedy`` is the
    comparison with a ranking (None when not asked for).
    """

    chosen: tuple[str, ...]
    total_value: float
    total_cost: float
    constraints: tuple[ConstraintUse, ...]
    greedy: GreedyChoice | None

    @property
    def binding(self) -> tuple[str, ...]:
        """Names of the binding limits, e.g. ``("budget", "role engineer")``."""
        return tuple(
            c.name if c.kind == "budget" else f"{c.kind} {c.name}"
            for c in self.constraints
            if c.binding
        )

    def summary(self) -> dict[str, Any]:
        """Plain values for a report or a widget."""
        out: dict[str, Any] = {
            "chosen": list(self.chosen),
            "count": len(self.chosen),
            "total_value": self.total_value,
            "total_cost": self.total_cost,
            "binding": list(self.binding),
            "constraints": [
                {
                    "name": c.name,
                    "kind": c.kind,
                    "used": c.used,
                    "limit": c.limit,
                    "slack": c.slack,
                    "binding": c.binding,
                }
                for c in self.constraints
            ],
        }
        if self.greedy is not None:
            out["greedy_chosen"] = list(self.greedy.chosen)
            out["greedy_value"] = self.greedy.total_value
            out["greedy_value_lost"] = self.greedy.value_lost
        return out


def _fits(problem: Problem, chosen: set[int], extra: set[int]) -> bool:
    tol = 1e-9
    for resource in problem.resources:
        used = sum(resource.need[i] for i in chosen | extra)
        if used > resource.limit + tol * max(1.0, resource.limit):
            return False
    return all(sum(1 for i in g if i in chosen | extra) <= 1 for g in problem.exclusive)


def _greedy(problem: Problem) -> set[int]:
    """Rank by value per cost; add each with what it requires while it fits."""
    chosen = forced(problem)
    if not _fits(problem, set(), chosen):
        return chosen

    def ratio(i: int) -> float:
        cost = float(problem.cost[i])
        return float(problem.value[i]) / cost if cost > 0 else float("inf")

    order = sorted(range(len(problem.ids)), key=lambda i: (-ratio(i), i))
    for i in order:
        if i in chosen or i in problem.never or problem.value[i] <= 0:
            continue
        bundle = {i}
        grew = True
        while grew:
            more = {b for a, b in problem.requires if a in bundle} - bundle - chosen
            grew = bool(more)
            bundle |= more
        if bundle & problem.never:
            continue
        if _fits(problem, chosen, bundle):
            chosen |= bundle
    return chosen


def _uses(problem: Problem, chosen: set[int]) -> tuple[ConstraintUse, ...]:
    uses = []
    for resource in problem.resources:
        used = float(sum(resource.need[i] for i in chosen))
        slack = resource.limit - used
        tol = 1e-9 * max(1.0, resource.limit)
        binding = any(
            resource.need[i] > slack + tol
            for i in range(len(problem.ids))
            if i not in chosen and i not in problem.never
        )
        uses.append(
            ConstraintUse(resource.name, resource.kind, used, resource.limit, binding)
        )
    return tuple(uses)


def _result_for(problem: Problem, chosen: set[int], *, greedy: bool) -> SelectionResult:
    """Build the typed result of a chosen set of indices."""
    ordered = sorted(chosen)
    value = float(sum(problem.value[i] for i in ordered))
    comparison = None
    if greedy:
        picked = sorted(_greedy(problem))
        greedy_value = float(sum(problem.value[i] for i in picked))
        comparison = GreedyChoice(
            chosen=tuple(problem.ids[i] for i in picked),
            total_value=greedy_value,
            total_cost=float(sum(problem.cost[i] for i in picked)),
            value_lost=value - greedy_value,
        )
    return SelectionResult(
        chosen=tuple(problem.ids[i] for i in ordered),
        total_value=value,
        total_cost=float(sum(problem.cost[i] for i in ordered)),
        constraints=_uses(problem, chosen),
        greedy=comparison,
    )


def select_portfolio(
    candidates: pd.DataFrame,
    *,
    budget: SupportsFloat | Mapping[str, float],
    demands: pd.DataFrame | None = None,
    capacity: Mapping[str, float] | None = None,
    must: Iterable[str] = (),
    never: Iterable[str] = (),
    requires: Iterable[tuple[str, str]] | None = None,
    exclusive: Iterable[Iterable[str]] | None = None,
) -> SelectionResult:
    """
    Choose the projects that give the most total value within every limit.

    Parameters
    ----------
    candidates
        ``project_id``, ``value`` and ``cost`` (>= 0), and ``cost_<period>``
        columns when ``budget`` is per period.
    budget
        Total budget against ``cost``, or ``{period: budget}`` against the
        ``cost_<period>`` columns.
    demands, capacity
        Hours each project needs per role, and the hours each role has.
    must, never
        Project ids that must be / may not be chosen.
    requires
        Pairs ``(a, b)``: ``a`` may only be chosen with ``b``.
    exclusive
        Groups of project ids of which at most one is chosen.

    Returns
    -------
    SelectionResult
        Chosen ids, total value and cost, each limit's use and whether it binds,
        and the greedy comparison.

    Raises
    ------
    ValidationError
        Bad input (names the column, id and value), or no portfolio is possible:
        the message names the conflict (e.g. must projects over budget).
    MissingDependencyError
        scipy is not installed.

    Examples
    --------
    >>> import pandas as pd
    >>> table = pd.DataFrame(
    ...     {"project_id": ["A", "B", "C"], "value": [60, 50, 50], "cost": [6, 5, 5]}
    ... )
    >>> result = select_portfolio(table, budget=10)
    >>> result.chosen, result.total_value, result.greedy.value_lost
    (('B', 'C'), 100.0, 40.0)
    """
    problem = build_problem(
        candidates,
        budget=budget,
        demands=demands,
        capacity=capacity,
        must=must,
        never=never,
        requires=requires,
        exclusive=exclusive,
    )
    chosen = solve(problem)
    if chosen is None:
        raise ValidationError(explain_infeasible(problem))
    return _result_for(problem, chosen, greedy=True)
