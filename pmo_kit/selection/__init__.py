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
- :mod:`~pmo_kit.selection.frontier`: the efficient frontier over budget levels;
- :mod:`~pmo_kit.selection.pipeline`: the candidate pipeline of an organisation
  (:func:`load_pipeline`, :func:`pipeline_for`, :func:`free_capacity`).
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
from pmo_kit.selection.frontier import (
    FRONTIER_COLUMNS,
    efficient_frontier,
    frontier_changes,
)
from pmo_kit.selection.optimise import (
    ConstraintUse,
    GreedyChoice,
    SelectionResult,
    select_portfolio,
)
from pmo_kit.selection.pipeline import (
    Pipeline,
    free_capacity,
    load_pipeline,
    pipeline_for,
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
    "Pipeline",
    "SelectionResult",
    "ahp_weights",
    "discounted_payback",
    "efficient_frontier",
    "free_capacity",
    "frontier_changes",
    "irr",
    "irr_roots",
    "load_pipeline",
    "normalise_weights",
    "npv",
    "payback",
    "pipeline_for",
    "select_portfolio",
    "weighted_scores",
]
