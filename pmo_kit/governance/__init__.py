"""
Governance: stage gates, the PMO's standards and the compliance scan, the RAID log.

Pure functions over pandas: no display, no files except the explicit loaders
(:func:`load_gate_rules`, :func:`load_standards`). The decision rule of a gate and
the PMO's standards are data (YAML shipped in this package, editable by a PMO).
Lesson 07 and the ``governance`` report are built on it.

Modules, one topic each:

- :mod:`~pmo_kit.governance.gates`: gate reviews, Go / Kill / Hold / Recycle;
- :mod:`~pmo_kit.governance.standards`: the standards file and its checks;
- :mod:`~pmo_kit.governance.compliance`: the scan, the matrix, the summary;
- :mod:`~pmo_kit.governance.raid`: the RAID log view.
"""

from __future__ import annotations

from pmo_kit.governance.compliance import (
    FINDING_COLUMNS,
    PHASE_GATES,
    compliance,
    compliance_matrix,
    compliance_summary,
)
from pmo_kit.governance.gates import (
    DECISIONS,
    DEFAULT_GATE_RULES_PATH,
    GATES,
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

__all__ = [
    "CHECKS",
    "DECISIONS",
    "DEFAULT_GATE_RULES_PATH",
    "DEFAULT_STANDARDS_PATH",
    "FINDING_COLUMNS",
    "GATES",
    "PHASE_GATES",
    "RAID_COLUMNS",
    "RAID_TYPES",
    "SEVERITIES",
    "CheckSpec",
    "GateReview",
    "GateRules",
    "Parameter",
    "Standard",
    "Standards",
    "check_gates",
    "compliance",
    "compliance_matrix",
    "compliance_summary",
    "decide_gate",
    "default_gate_rules",
    "gate_decisions",
    "gate_review",
    "load_gate_rules",
    "load_standards",
    "raid_log",
]
