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
from typing import TYPE_CHECKING, Any

from pmo_kit._errors import ValidationError
from pmo_kit.selection._model import build_problem, solve

if TYPE_CHECKING:
    from collections.abc import Iterable, Mapping

    import pandas as pd

__all__ = [
    "CHANGE_COLUMNS",
    "FRONTIER_COLUMNS",
    "efficient_frontier",
    "frontier_changes",
]

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

CHANGE_COLUMNS = (
    "budget_from",
    "budget_to",
    "value_from",
    "value_to",
    "value_gain",
    "added",
    "removed",
    "change",
)
"""Columns of :func:`frontier_changes`'s table, in order."""


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


def frontier_changes(
    frontier: pd.DataFrame, names: Mapping[str, str] | None = None
) -> pd.DataFrame:
    """
    Say what changes between neighbouring feasible points of a frontier.

    Parameters
    ----------
    frontier
        A table with :data:`FRONTIER_COLUMNS` (from :func:`efficient_frontier`).
    names
        Project id -> name, used in the ``change`` sentence; ids otherwise.

    Returns
    -------
    pandas.DataFrame
        :data:`CHANGE_COLUMNS`: one row per pair of neighbouring feasible levels
        where the chosen set changes; ``change`` says it in words, e.g.
        ``"+7.2 value: adds B, C; drops A"``.

    Examples
    --------
    >>> import pandas as pd
    >>> table = pd.DataFrame(
    ...     {"project_id": ["A", "B", "C"], "value": [60, 50, 50], "cost": [6, 5, 5]}
    ... )
    >>> frontier_changes(efficient_frontier(table, [5, 6, 10]))["change"].tolist()
    ['+10 value: adds A; drops B', '+40 value: adds B, C; drops A']
    """
    import pandas as pd

    missing = [c for c in FRONTIER_COLUMNS if c not in frontier]
    if missing:
        msg = f"frontier has no {missing[0]!r} column: give efficient_frontier's table"
        raise ValidationError(msg)
    label = dict(names or {})
    rows: list[tuple[object, ...]] = []
    previous: dict[str, Any] | None = None
    for record in frontier.sort_values("budget").to_dict("records"):
        row: dict[str, Any] = {str(k): v for k, v in record.items()}
        if not row["feasible"]:
            continue
        added, removed = tuple(row["added"]), tuple(row["removed"])
        if previous is not None and (added or removed):
            gain = float(row["best_value"]) - float(previous["best_value"])
            parts = []
            if added:
                parts.append("adds " + ", ".join(label.get(i, i) for i in added))
            if removed:
                parts.append("drops " + ", ".join(label.get(i, i) for i in removed))
            rows.append(
                (
                    float(previous["budget"]),
                    float(row["budget"]),
                    float(previous["best_value"]),
                    float(row["best_value"]),
                    gain,
                    added,
                    removed,
                    f"{_signed(gain)} value: " + "; ".join(parts),
                )
            )
        previous = row
    return pd.DataFrame(rows, columns=list(CHANGE_COLUMNS))


def _signed(gain: float) -> str:
    """``+7.15`` for scores, ``+131,700`` for money."""
    return f"{gain:+,.0f}" if abs(gain) >= 1000 else f"{gain:+.3g}"
