"""Validated selection problem as arrays (private to pmo_kit.selection)."""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, SupportsFloat

from pmo_kit._errors import MissingDependencyError, ValidationError

if TYPE_CHECKING:
    from collections.abc import Iterable

    import numpy as np
    import pandas as pd

__all__ = [
    "Problem",
    "Resource",
    "build_problem",
    "explain_infeasible",
    "forced",
    "require_scipy",
    "solve",
]


def require_scipy() -> None:
    """Raise MissingDependencyError with the install line when scipy is absent."""
    import importlib

    try:
        importlib.import_module("scipy.optimize")
    except ImportError as error:
        msg = "portfolio selection needs scipy: pip install 'pmo-kit[selection]'"
        raise MissingDependencyError(msg) from error


@dataclass(frozen=True)
class Resource:
    """One capacity row: the budget, a period's budget or a role's hours."""

    name: str
    kind: str  # "budget", "period" or "role"
    need: np.ndarray[Any, Any]
    limit: float


@dataclass
class Problem:
    """Candidates and constraints as indices and arrays."""

    ids: list[str]
    value: np.ndarray[Any, Any]
    cost: np.ndarray[Any, Any]
    resources: list[Resource]
    must: set[int] = field(default_factory=set)
    never: set[int] = field(default_factory=set)
    requires: list[tuple[int, int]] = field(default_factory=list)
    exclusive: list[list[int]] = field(default_factory=list)


def _number_column(frame: pd.DataFrame, column: str, ids: list[str]) -> Any:
    import numpy as np
    import pandas as pd

    values = pd.to_numeric(frame[column], errors="coerce").to_numpy(dtype=float)
    for ident, raw, num in zip(ids, frame[column], values, strict=True):
        if not math.isfinite(num) or (column != "value" and num < 0):
            allowed = "a finite number" if column == "value" else "a number >= 0"
            msg = (
                f"{raw!r} is an invalid {column!r} for candidate {ident!r}: "
                f"must be {allowed}"
            )
            raise ValidationError(msg)
    return np.asarray(values, dtype=float)


def _limit(value: Any, what: str) -> float:
    try:
        number = float(value)
    except (TypeError, ValueError):
        number = math.nan
    if not (math.isfinite(number) and number >= 0):
        msg = f"{value!r} is an invalid {what}: must be a number >= 0"
        raise ValidationError(msg)
    return number


def build_problem(
    candidates: pd.DataFrame,
    *,
    budget: SupportsFloat | Mapping[str, float],
    demands: pd.DataFrame | None = None,
    capacity: Mapping[str, float] | None = None,
    must: Iterable[str] = (),
    never: Iterable[str] = (),
    requires: Iterable[tuple[str, str]] | None = None,
    exclusive: Iterable[Iterable[str]] | None = None,
) -> Problem:
    """Check every input and turn it into a :class:`Problem` (one-line errors)."""
    import numpy as np

    missing = [c for c in ("project_id", "value", "cost") if c not in candidates]
    if missing:
        msg = (
            f"candidates has no {missing[0]!r} column; needs project_id, value, "
            f"cost; has {list(candidates.columns)}"
        )
        raise ValidationError(msg)
    ids = [str(i) for i in candidates["project_id"]]
    seen: set[str] = set()
    for ident in ids:
        if ident in seen:
            msg = (
                f"project_id {ident!r} appears twice in candidates: ids must be unique"
            )
            raise ValidationError(msg)
        seen.add(ident)
    index = {ident: i for i, ident in enumerate(ids)}

    def lookup(ident: Any, where: str) -> int:
        if str(ident) not in index:
            msg = f"{ident!r} in {where} is not a project_id of candidates"
            raise ValidationError(msg)
        return index[str(ident)]

    value = _number_column(candidates, "value", ids)
    cost = _number_column(candidates, "cost", ids)
    resources: list[Resource] = []
    if not isinstance(budget, Mapping):
        resources.append(Resource("budget", "budget", cost, _limit(budget, "budget")))
    else:
        if not budget:
            msg = "budget per period is empty: give {period: budget}"
            raise ValidationError(msg)
        for period, limit in budget.items():
            column = f"cost_{period}"
            if column not in candidates:
                msg = (
                    f"budget has period {period!r} but candidates has no "
                    f"{column!r} column"
                )
                raise ValidationError(msg)
            need = _number_column(candidates, column, ids)
            what = f"budget for period {period!r}"
            resources.append(Resource(str(period), "period", need, _limit(limit, what)))
    if demands is not None:
        if capacity is None:
            msg = "demands given without capacity: pass capacity={role: hours}"
            raise ValidationError(msg)
        for column in ("project_id", "role", "hours"):
            if column not in demands:
                msg = f"demands has no {column!r} column; needs project_id, role, hours"
                raise ValidationError(msg)
        needs: dict[str, np.ndarray[Any, Any]] = {
            str(role): np.zeros(len(ids)) for role in capacity
        }
        for ident, role, hours in zip(
            demands["project_id"], demands["role"], demands["hours"], strict=True
        ):
            i = lookup(ident, "demands")
            if str(role) not in needs:
                msg = (
                    f"role {role!r} in demands (project {ident!r}) has no capacity; "
                    f"capacity roles: {sorted(needs)}"
                )
                raise ValidationError(msg)
            needs[str(role)][i] += _limit(hours, f"hours for {ident!r} as {role!r}")
        for role, need in needs.items():
            limit = _limit(capacity[role], f"capacity for role {role!r}")
            resources.append(Resource(role, "role", need, limit))
    problem = Problem(ids=ids, value=value, cost=cost, resources=resources)
    problem.must = {lookup(i, "must") for i in must}
    problem.never = {lookup(i, "never") for i in never}
    both = problem.must & problem.never
    if both:
        ident = ids[min(both)]
        msg = f"{ident!r} is in both must and never"
        raise ValidationError(msg)
    for pair in requires or ():
        a, b = pair
        problem.requires.append((lookup(a, "requires"), lookup(b, "requires")))
    for group in exclusive or ():
        members = sorted({lookup(i, "exclusive") for i in group})
        if len(members) > 1:
            problem.exclusive.append(members)
    return problem


def forced(problem: Problem) -> set[int]:
    """Return the must projects and everything they require, directly or not."""
    chosen = set(problem.must)
    changed = True
    while changed:
        changed = False
        for a, b in problem.requires:
            if a in chosen and b not in chosen:
                chosen.add(b)
                changed = True
    return chosen


def explain_infeasible(problem: Problem) -> str:
    """One line naming why no portfolio satisfies the constraints."""
    need = forced(problem)
    ids = problem.ids
    blocked = need & problem.never
    if blocked:
        b = ids[min(blocked)]
        return (
            f"no portfolio is possible: {b!r} is in never but a must project needs it"
        )
    for group in problem.exclusive:
        clash = [ids[i] for i in group if i in need]
        if len(clash) > 1:
            return (
                f"no portfolio is possible: {clash} are all required (must or "
                "required by a must) but are in one exclusive group"
            )
    for resource in problem.resources:
        used = float(sum(resource.need[i] for i in need))
        if used > resource.limit + 1e-9 * max(1.0, resource.limit):
            names = [ids[i] for i in sorted(need)]
            what = {"budget": "the budget", "period": f"period {resource.name!r}"}.get(
                resource.kind, f"role {resource.name!r}"
            )
            return (
                f"no portfolio is possible: the must projects {names} (with what "
                f"they require) need {used:g} of {what} but only "
                f"{resource.limit:g} is available"
            )
    return "no portfolio satisfies the constraints (the solver found none)"


def solve(problem: Problem) -> set[int] | None:
    """Optimal set of indices, or None when infeasible (HiGHS, gap 0)."""
    require_scipy()
    import numpy as np
    from scipy.optimize import (  # type: ignore[import-untyped,import-not-found,unused-ignore]
        Bounds,
        LinearConstraint,
        milp,
    )

    n = len(problem.ids)
    rows: list[Any] = []
    upper: list[float] = []
    for resource in problem.resources:
        rows.append(resource.need)
        upper.append(resource.limit)
    for a, b in problem.requires:
        row = np.zeros(n)
        row[a] += 1.0
        row[b] -= 1.0
        rows.append(row)
        upper.append(0.0)
    for group in problem.exclusive:
        row = np.zeros(n)
        row[group] = 1.0
        rows.append(row)
        upper.append(1.0)
    lower = np.zeros(n)
    high = np.ones(n)
    lower[list(problem.must)] = 1.0
    high[list(problem.never)] = 0.0
    constraints = (
        [LinearConstraint(np.vstack(rows), -np.inf, np.array(upper))] if rows else []
    )
    result = milp(
        c=-np.asarray(problem.value, dtype=float),
        integrality=np.ones(n),
        bounds=Bounds(lower, high),
        constraints=constraints,
        options={"mip_rel_gap": 0.0},
    )
    if result.x is None or result.status not in (0,):
        return None
    return {i for i in range(n) if result.x[i] > 0.5}
