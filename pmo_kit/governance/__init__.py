"""
Governance: stage gates, the PMO's standards and the compliance scan, the RAID log.

Pure functions over pandas: no display, no files except the explicit loaders
(:func:`load_gate_rules`, :func:`load_standards`). The decision rule of a gate and
the PMO's standards are data (YAML shipped in this package, editable by a PMO).
Lesson 07 and the ``governance`` report are built on it.

Modules, one topic each:

- :mod:`~pmo_kit.governance.gates`: gate reviews, Go / Kill / Hold / Recycle
  (``gates.validate`` checks the table, ``gates.decide`` applies the rule,
  ``gates.rules`` reads the rule from YAML);
- :mod:`~pmo_kit.governance.standards`: the standards file and its checks;
- :mod:`~pmo_kit.governance.compliance`: the scan, the matrix, the summaries;
- :mod:`~pmo_kit.governance.checks`: the built-in checks the standards name;
- :mod:`~pmo_kit.governance.raid`: the RAID log view.

The gate vocabulary (gate names, decisions, criterion kinds, the gate each phase
needs) has one home, :mod:`pmo_kit.vocabulary`, re-exported here.
"""

from __future__ import annotations

from pmo_kit.governance.compliance import (
    FINDING_COLUMNS,
    compliance,
    compliance_by_rule,
    compliance_matrix,
    compliance_scan,
    compliance_summary,
)
from pmo_kit.governance.gates import (
    DEFAULT_GATE_RULES_PATH,
    GateReview,
    GateRules,
    check_gates,
    decide_gate,
    default_gate_rules,
    gate_decisions,
    gate_review,
    load_gate_rules,
)
from pmo_kit.governance.raid import RAID_COLUMNS, RAID_TYPES, raid_log
from pmo_kit.governance.standards import (
    CHECKS,
    DEFAULT_STANDARDS_PATH,
    SEVERITIES,
    CheckSpec,
    Parameter,
    Standard,
    Standards,
    load_standards,
)
from pmo_kit.vocabulary import (
    DECISIONS,
    GATE_DECISIONS,
    GATE_REQUIREMENTS,
    GATES,
    PHASE_GATES,
    Decision,
    decision_name,
)

__all__ = [
    "CHECKS",
    "DECISIONS",
    "DEFAULT_GATE_RULES_PATH",
    "DEFAULT_STANDARDS_PATH",
    "FINDING_COLUMNS",
    "GATES",
    "GATE_DECISIONS",
    "GATE_REQUIREMENTS",
    "PHASE_GATES",
    "RAID_COLUMNS",
    "RAID_TYPES",
    "SEVERITIES",
    "CheckSpec",
    "Decision",
    "GateReview",
    "GateRules",
    "Parameter",
    "Standard",
    "Standards",
    "check_gates",
    "compliance",
    "compliance_by_rule",
    "compliance_matrix",
    "compliance_scan",
    "compliance_summary",
    "decide_gate",
    "decision_name",
    "default_gate_rules",
    "gate_decisions",
    "gate_review",
    "load_gate_rules",
    "load_standards",
    "raid_log",
]
