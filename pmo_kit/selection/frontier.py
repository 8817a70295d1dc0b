"""
The efficient frontier: the best value at each budget level.

For each budget the exact optimum (:func:`~pmo_kit.selection.select_portfolio`
without the greedy comparison) is found, with every other constraint unchanged;
the table says which projects come in or drop out from one level to the next,
which a learner reads as "what the next million buys".
"""

from __future__ import annotations

import math
from dataclasses import replace
from typing import TYPE_CHECKING

from pmo_kit._errors import ValidationError
from pmo_kit.selection._model import build_problem, solve

if TYPE_CHECKING:
    from collections.abc import Iterable, Mapping

    import pandas as pd

__all__ = ["FRONTIER_COLUMNS", "efficient_frontier"]

FRONTIER_COLUMNS = (
    "budget",
    "feasible",
    "best_value",
    "total_cost",
    "count",
    "chosen",
    "added",
    "removed",
)
"""Columns of :func:`efficient_frontier`'s table, in order."""


def efficient_frontier(
    candidates: pd.DataFrame,
    budgets: Iterable[float],
    *,
    demands: pd.DataFrame | None = None,
    capacity: Mapping[str, float] | None = None,
    must: Iterable[str] = (),
    never: Iterable[str] = (),
    requires: Iterable[tuple[str, str]] | None = None,
    exclusive: Iterable[Iterable[str]] | None = None,
) -> pd.DataFrame:
    """
    Best portfolio value at each budget level, and what changes between levels.

    Parameters
    ----------
    candidates
        ``project_id``, ``value``, ``cost`` as for :func:`select_portfolio`.
    budgets
        Total budget levels (against ``cost``); sorted ascending in the result.
    demands, capacity, must, never, requires, exclusive
        As for :func:`select_portfolio`, the same at every level.

    Returns
    -------
    pandas.DataFrame
        :data:`FRONTIER_COLUMNS`: one row per budget; ``feasible`` is False (value
        NaN, nothing chosen) where the must projects do not fit; ``chosen``,
        ``added`` and ``removed`` are tuples of project ids, ``added`` and
        ``removed`` relative to the previous feasible row.

    Examples
    --------
    >>> import pandas as pd
    >>> table = pd.DataFrame(
    ...     {"project_id": ["A", "B", "C"], "value": [60, 50, 50], "cost": [6, 5, 5]}
    ... )
    >>> efficient_frontier(table, [5, 6, 10])[
    ...     ["budget", "best_value", "added", "removed"]
    ... ]
       budget  best_value added removed
    0     5.0        50.0  (B,)      ()
    1     6.0        60.0  (A,)    (B,)
    2    10.0       100.0  (B, C)    (A,)
    """
    import pandas as pd

    levels = sorted(float(b) for b in budgets)
    if not levels:
        msg = "budgets is empty: give at least one budget level"
        raise ValidationError(msg)
    demands_frame = demands
    problem = build_problem(
        candidates,
        budget=levels[0],
        demands=demands_frame,
        capacity=capacity,
        must=must,
        never=never,
        requires=requires,
        exclusive=exclusive,
    )
    budget_row = problem.resources[0]
    bad = [level for level in levels if not level >= 0]
    if bad:
        msg = f"{bad[0]!r} is an invalid budget level: must be a number >= 0"
        raise ValidationError(msg)
    # The best portfolio with no budget limit is also the best at every level
    # that can pay for it: solve it once and reuse it there.
    problem.resources[0] = replace(budget_row, limit=math.inf)
    unlimited = solve(problem)
    enough = (
        math.inf
        if unlimited is None
        else float(sum(budget_row.need[i] for i in unlimited))
    )
    rows: list[tuple[object, ...]] = []
    previous: set[int] = set()
    for level in levels:
        problem.resources[0] = replace(budget_row, limit=level)
        chosen = unlimited if level >= enough else solve(problem)
        ids = problem.ids
        if chosen is None:
            rows.append((level, False, float("nan"), float("nan"), 0, (), (), ()))
            continue
        rows.append(
            (
                level,
                True,
                float(sum(problem.value[i] for i in chosen)),
                float(sum(problem.cost[i] for i in chosen)),
                len(chosen),
                tuple(ids[i] for i in sorted(chosen)),
                tuple(ids[i] for i in sorted(chosen - previous)),
                tuple(ids[i] for i in sorted(previous - chosen)),
            )
        )
        previous = chosen
    return pd.DataFrame(rows, columns=list(FRONTIER_COLUMNS))
