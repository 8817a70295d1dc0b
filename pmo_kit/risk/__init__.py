"""
Risk register: scoring, rating, EMV, reviews, trend and contingency reserve.

Pure functions over pandas and numpy: no display, no files (except
:func:`load_matrix`). Lesson 02 and the ``risk`` report
(:func:`pmo_kit.reports.risk_review`) are built on it.

One rating scale and one review cadence for the kit: both come from the
:class:`RiskMatrix` in use (its ``bands`` and ``review_days``; shipped cadence
high 14, medium 30, low 60 days). The register at a past date and score drift
are in :mod:`pmo_kit.risk.history`; the review's sentences in
:mod:`pmo_kit.risk.narrative`.
"""

from __future__ import annotations

from pmo_kit.risk.contingency import ContingencyResult, contingency
from pmo_kit.risk.editing import RiskEdit, edit_risk, next_risk_id, strategy_choices
from pmo_kit.risk.history import compare_registers, register_as_of
from pmo_kit.risk.matrix import (
    DEFAULT_REVIEW_DAYS,
    MATRICES,
    ORDINAL_5X5,
    PMBOK_NONLINEAR,
    Band,
    RiskMatrix,
    get_matrix,
    load_matrix,
)
from pmo_kit.risk.monitoring import (
    REVIEW_CADENCE_DAYS,
    fired_risks,
    overdue_reviews,
    risk_trend,
    top_risks,
)
from pmo_kit.risk.register import (
    RESPONSES,
    SCORE_COLUMNS,
    heat_map_table,
    score,
    validate_register,
)

__all__ = [
    "DEFAULT_REVIEW_DAYS",
    "MATRICES",
    "ORDINAL_5X5",
    "PMBOK_NONLINEAR",
    "RESPONSES",
    "REVIEW_CADENCE_DAYS",
    "SCORE_COLUMNS",
    "Band",
    "ContingencyResult",
    "RiskEdit",
    "RiskMatrix",
    "compare_registers",
    "contingency",
    "edit_risk",
    "fired_risks",
    "get_matrix",
    "heat_map_table",
    "load_matrix",
    "next_risk_id",
    "overdue_reviews",
    "register_as_of",
    "risk_trend",
    "score",
    "strategy_choices",
    "top_risks",
    "validate_register",
]
