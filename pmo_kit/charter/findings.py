"""
Review findings: what a PMO reviewer raises about a charter, with a stable code.

Each rule of the review has a code (``objective-no-metric``, ``no-scope-out``, ...)
listed in :data:`FINDING_CODES`, so a gate checklist, an exercise or a compliance
scan can refer to it. Severities:

- ``error``: the charter cannot authorise the project as it stands;
- ``warning``: a reviewer would send it back with a question;
- ``advice``: good practice, worth a sentence.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

__all__ = [
    "FINDING_CODES",
    "FINDING_COLUMNS",
    "SEVERITIES",
    "Finding",
    "findings_table",
]

#: Severities from most to least serious.
SEVERITIES: tuple[str, ...] = ("error", "warning", "advice")

#: Columns of :func:`findings_table`.
FINDING_COLUMNS: tuple[str, ...] = ("code", "severity", "field", "message", "fix")

#: Every finding code with its usual severity and what it means.
FINDING_CODES: dict[str, tuple[str, str]] = {
    "no-purpose": ("error", "No purpose or business justification"),
    "no-objectives": ("error", "No objectives"),
    "objective-no-metric": ("error", "An objective has no metric"),
    "objective-no-target": ("error", "An objective has no target"),
    "objective-no-due-date": ("error", "An objective has no due date"),
    "objective-due-before-start": ("error", "An objective is due before the start"),
    "no-scope-in": ("error", "Nothing listed in scope"),
    "no-scope-out": ("error", "Nothing listed out of scope"),
    "milestone-after-finish": ("error", "A milestone is after the planned finish"),
    "milestone-before-start": ("error", "A milestone is before the project start"),
    "no-budget": ("error", "No summary budget"),
    "no-contingency": ("error", "The budget has no contingency"),
    "no-sponsor": ("error", "No sponsor named"),
    "sponsor-no-authority": ("error", "The sponsor's authority is not stated"),
    "no-manager": ("error", "No project manager named"),
    "not-approved": ("error", "The charter is not approved"),
    "approval-after-finish": ("error", "Approved after the planned finish"),
    "objective-vague-target": ("warning", "An objective's target is not measurable"),
    "objective-long-after-finish": (
        "warning",
        "An objective is due more than a year after the finish",
    ),
    "milestones-out-of-order": ("warning", "Milestones are not in date order"),
    "no-milestones": ("warning", "No milestones"),
    "contingency-out-of-band": ("warning", "Contingency is unusually low or high"),
    "budget-differs": ("warning", "The budget differs from the project register"),
    "sponsor-differs": ("warning", "The sponsor differs from the project register"),
    "manager-differs": ("warning", "The PM differs from the project register"),
    "manager-no-authority": ("warning", "The PM's authority is not stated"),
    "sponsor-is-manager": ("warning", "Sponsor and PM are the same person"),
    "approved-by-not-sponsor": ("warning", "Approved by someone else than the sponsor"),
    "approved-late": ("warning", "Approved only after later milestones had passed"),
    "no-stakeholders": ("warning", "No stakeholders listed"),
    "no-requirements": ("warning", "No high-level requirements"),
    "no-risks": ("warning", "No high-level risks"),
    "no-assumptions": ("advice", "No assumptions listed"),
    "no-constraints": ("advice", "No constraints listed"),
    "objective-vague-wording": ("advice", "An objective is worded vaguely"),
    "no-charter": ("error", "The project has no charter"),
}


@dataclass(frozen=True, slots=True)
class Finding:
    """
    One point a reviewer raises about a charter.

    ``field`` is the path in the charter file (``objectives[0].metric``, counted
    from 0 as in Python), ``fix`` says what to change.
    """

    code: str
    severity: str
    field: str
    message: str
    fix: str

    def __str__(self) -> str:
        return f"[{self.severity}] {self.code} ({self.field}): {self.message}"


def findings_table(findings: list[Finding]) -> pd.DataFrame:
    """
    Return findings as a table: code, severity, field, message, fix.

    Examples
    --------
    >>> findings_table([]).columns.tolist()
    ['code', 'severity', 'field', 'message', 'fix']
    """
    return pd.DataFrame(
        [[getattr(f, c) for c in FINDING_COLUMNS] for f in findings],
        columns=list(FINDING_COLUMNS),
        dtype="object",
    )
