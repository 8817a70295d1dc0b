"""
Stage gates: must-meet knock-outs, weighted should-meet scores, and the decision.

At a gate the steering group decides whether the project may go on: **Go**,
**Kill**, **Hold** (wait until a must-meet is fixed) or **Recycle** (rework and
come back). The decision rule is data (:func:`load_gate_rules` reads it from YAML,
``gate_rules.yaml`` in this package is the default), so a PMO changes its
thresholds without touching code:

1. a *knock-out* must-meet criterion not met -> Kill;
2. any other must-meet not met, or a criterion not scored -> Hold (or what the rules
   say in ``must_not_met``);
3. weighted should-score (``sum(weight * score)``, 0..5) >= ``go_threshold`` -> Go;
4. >= ``recycle_threshold`` -> Recycle;
5. below -> Kill.
"""

from __future__ import annotations

from pmo_kit.governance.gates.decide import (
    GateReview,
    decide_gate,
    gate_decisions,
    gate_review,
)
from pmo_kit.governance.gates.rules import (
    DEFAULT_GATE_RULES_PATH,
    GateRules,
    default_gate_rules,
    load_gate_rules,
)
from pmo_kit.governance.gates.validate import check_gates
from pmo_kit.vocabulary import DECISIONS, GATES

__all__ = [
    "DECISIONS",
    "DEFAULT_GATE_RULES_PATH",
    "GATES",
    "GateReview",
    "GateRules",
    "check_gates",
    "decide_gate",
    "default_gate_rules",
    "gate_decisions",
    "gate_review",
    "load_gate_rules",
]
