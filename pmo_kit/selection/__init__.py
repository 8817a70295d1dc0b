"""
Portfolio selection: which candidate projects to do.

- :mod:`~pmo_kit.selection.scoring`: weighted criteria scores;
- :mod:`~pmo_kit.selection.ahp`: criteria weights from pairwise judgements (AHP),
  with Saaty's consistency ratio;
- :mod:`~pmo_kit.selection.finance`: NPV, IRR, payback and discounted payback
  with Excel's conventions;
- :mod:`~pmo_kit.selection.optimise`: :func:`select_portfolio`, the exact best
  portfolio under budget, capacity and dependency rules (needs scipy: the
  ``selection`` extra);
- :mod:`~pmo_kit.selection.frontier`: the efficient frontier over budget levels.
"""

from __future__ import annotations

from pmo_kit.selection.ahp import (
    CONSISTENCY_LIMIT,
    RANDOM_INDEX,
    AHPResult,
    Judgement,
    ahp_weights,
)
from pmo_kit.selection.finance import (
    MultipleIRRWarning,
    discounted_payback,
    irr,
    irr_roots,
    npv,
    payback,
)
from pmo_kit.selection.frontier import FRONTIER_COLUMNS, efficient_frontier
from pmo_kit.selection.optimise import (
    ConstraintUse,
    GreedyChoice,
    SelectionResult,
    select_portfolio,
)
from pmo_kit.selection.scoring import normalise_weights, weighted_scores

__all__ = [
    "CONSISTENCY_LIMIT",
    "FRONTIER_COLUMNS",
    "RANDOM_INDEX",
    "AHPResult",
    "ConstraintUse",
    "GreedyChoice",
    "Judgement",
    "MultipleIRRWarning",
    "SelectionResult",
    "ahp_weights",
    "discounted_payback",
    "efficient_frontier",
    "irr",
    "irr_roots",
    "normalise_weights",
    "npv",
    "payback",
    "select_portfolio",
    "weighted_scores",
]
