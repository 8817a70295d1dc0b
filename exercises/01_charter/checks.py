"""
Checks of exercise 01, *Critique and fix a charter*.

The draft under review is ``erp_charter_draft.yaml`` beside this file: version 0.9
of the ERP Finance Migration charter, sent to the PMO before gate G1 (the project
is still in initiation). The right answers come from the kit's reviewer
(:meth:`pmo_kit.charter.Charter.check`) run on that file, never written down here;
the messages explain each wrong or missing answer with the draft's own content.
"""

from __future__ import annotations

import difflib
from pathlib import Path

from pmo_kit import ValidationError
from pmo_kit.charter import FINDING_CODES, Charter, Finding, load_charter
from pmo_kit.training import check, fail

DRAFT_FILE = Path(__file__).resolve().parent / "erp_charter_draft.yaml"
#: What the register says about the project when the draft is reviewed.
PROJECT = {"phase": "initiation"}
#: Findings a learner may list or leave out (advice is not asked for).
OPTIONAL = {"objective-vague-wording"}
#: Text that is a placeholder, not content.
PLACEHOLDERS = {
    "",
    "tbd",
    "tbc",
    "n/a",
    "na",
    "none",
    "nothing",
    "-",
    "...",
    "?",
    "todo",
}


def _draft() -> Charter:
    return load_charter(DRAFT_FILE)


def _review(charter: Charter) -> list[Finding]:
    return charter.check(project=PROJECT)


def _expected(charter: Charter) -> set[str]:
    return {f.code for f in _review(charter) if f.severity in {"error", "warning"}}


def _money(amount: float | None) -> str:
    return f"EUR {amount or 0:,.0f}"


# ------------------------------------------------------------- question 1


def _codes(value: object) -> list[str]:
    if isinstance(value, str):
        fail(
            "Give a set of codes, e.g. `reviewer_findings = {'no-scope-out', ...}`, "
            "not one text."
        )
    if isinstance(value, dict):
        fail("Give a set of codes, not a dict: `{'no-scope-out', ...}`.")
    if not isinstance(value, set | list | tuple | frozenset):
        fail(f"Give a set of codes, not a {type(value).__name__}.")
    out = []
    for item in value:
        if not isinstance(item, str):
            fail(
                f"{item!r} is not a finding code; codes are texts like 'no-scope-out'."
            )
        code = item.strip().lower().replace("_", "-").replace(" ", "-")
        if code not in FINDING_CODES:
            close = difflib.get_close_matches(code, list(FINDING_CODES), n=1)
            hint = f" Did you mean {close[0]!r}?" if close else ""
            fail(
                f"{item!r} is not a finding code.{hint} The codes are the keys of "
                "FINDING_CODES (printed above the question)."
            )
        out.append(code)
    return out


def _why_not(code: str, draft: Charter) -> str:
    """Why ``code`` does not apply to the draft, in the draft's own words."""
    sponsor = draft.sponsor.name if draft.sponsor else "someone"
    manager = draft.manager.name if draft.manager else "someone"
    budget = draft.budget
    reasons = {
        "no-sponsor": f"the charter names {sponsor} as sponsor. Read what it says "
        "about her, though: is a name enough?",
        "no-manager": f"the charter names {manager} as project manager, with her "
        "tolerances.",
        "manager-no-authority": f"{manager}'s authority is stated: budget within 5% "
        "and schedule within 10 working days.",
        "no-contingency": "the budget holds a contingency of "
        f"{_money(budget.contingency if budget else None)}. The question is whether "
        f"it is enough for a budget of {_money(budget.amount if budget else None)}.",
        "no-budget": f"the charter has a budget of "
        f"{_money(budget.amount if budget else None)}.",
        "objective-no-due-date": "every objective has a due date.",
        "objective-long-after-finish": "every objective is due within a year of the "
        "planned finish (2026-09-08).",
        "objective-vague-target": "the objectives that have a target state a number.",
        "no-objectives": f"the charter has {len(draft.objectives)} objectives.",
        "no-scope-in": f"{len(draft.scope_in)} items are listed in scope. What about "
        "out of scope?",
        "no-milestones": f"the charter lists {len(draft.milestones)} milestones. "
        "Check their dates instead.",
        "milestone-before-start": "no milestone is before the start (2025-11-03). "
        "Look at the other end: the planned finish.",
        "no-stakeholders": f"{len(draft.stakeholders)} stakeholders are listed.",
        "no-requirements": f"{len(draft.requirements)} requirements are listed.",
        "no-risks": f"{len(draft.risks)} risks are listed.",
        "no-assumptions": f"{len(draft.assumptions)} assumptions are listed.",
        "no-constraints": f"{len(draft.constraints)} constraints are listed.",
        "no-purpose": "the purpose is stated: legacy ERP support ends in 2027.",
        "approved-by-not-sponsor": "nobody has approved the draft yet, so there is "
        "no approver to question.",
        "approval-after-finish": "nobody has approved the draft yet.",
        "approved-late": "nobody has approved the draft yet.",
        "sponsor-is-manager": f"the sponsor ({sponsor}) and the PM ({manager}) are "
        "different people.",
    }
    return reasons.get(
        code,
        f"it does not apply to this draft ({FINDING_CODES[code][1].lower()}).",
    )


_WHERE_TO_LOOK = {
    "objective-no-metric": "Look again at the objectives: does each one say WHAT is "
    "measured (a metric), to WHAT level (a target) and by WHEN?",
    "objective-no-target": "Look again at the objectives: does each one say what is "
    "measured, to what level (a target) and by when?",
    "no-scope-out": "Look at the scope: the charter says what is in. Does it say what "
    "is out?",
    "milestone-after-finish": "Compare each milestone's date with the planned finish "
    "(2026-09-08).",
    "milestones-out-of-order": "Read the milestone dates from top to bottom: do they "
    "only go forward?",
    "sponsor-no-authority": "Look at the sponsor: a charter names the sponsor AND "
    "what she may decide.",
    "contingency-out-of-band": "Look at the budget: how big is the contingency as a "
    "share of the budget?",
    "not-approved": "Who has signed this draft? (A draft under review is not "
    "approved yet: that is a warning, not a mistake of the PM.)",
}


@check(
    hint=(
        "List every error and warning a PMO reviewer would raise about the draft, "
        "as finding codes from FINDING_CODES."
    )
)
def q1_findings(reviewer_findings: object) -> None:
    """
    Question 1: the finding codes (errors and warnings) the draft deserves.

    Parameters
    ----------
    reviewer_findings
        The learner's codes, a set (a list or tuple works too).
    """
    draft = _draft()
    given = _codes(reviewer_findings)
    expected = _expected(draft)
    wrong = [c for c in dict.fromkeys(given) if c not in expected | OPTIONAL]
    if wrong:
        more = f" ({len(wrong) - 1} more code(s) do not apply either.)" * (
            len(wrong) > 1
        )
        fail(f"You listed {wrong[0]!r}, but {_why_not(wrong[0], draft)}{more}")
    missing = [c for c in FINDING_CODES if c in expected and c not in given]
    if missing:
        plural = "s are" if len(missing) > 1 else " is"
        fail(
            f"Everything you listed is right, but {len(missing)} finding{plural} "
            f"missing. {_WHERE_TO_LOOK.get(missing[0], 'Read the draft again.')}"
        )


# ------------------------------------------------------------- question 2


def _charter(value: object) -> Charter:
    if isinstance(value, Charter):
        return value
    if not isinstance(value, dict):
        fail(
            "`fixed` should be the corrected charter: a copy of `draft` (a dict) "
            f"with your changes, not a {type(value).__name__}."
        )
    try:
        return Charter.from_dict(value, source="fixed")
    except ValidationError as exc:
        fail(f"`fixed` is no longer a valid charter: {exc}")


def _placeholder(text: str | None) -> bool:
    return text is None or text.strip().lower().strip(".") in PLACEHOLDERS


def _still(finding: Finding, fixed: Charter) -> str:
    """Say what is still wrong, naming the part of the charter."""
    code = finding.code
    if code.startswith("objective-"):
        index = int(finding.field.split("[")[1].split("]")[0])
        objective = fixed.objectives[index]
        what = {
            "objective-no-metric": "still has no metric",
            "objective-no-target": "still has no target",
            "objective-no-due-date": "still has no due date",
        }.get(code)
        if what:
            return f"Objective {index + 1} {objective.description!r} {what}."
    if code == "no-scope-out":
        return (
            "scope_out is still empty: list what people might expect but the "
            "project will not do."
        )
    if code == "sponsor-no-authority":
        return (
            "The sponsor's authority is still missing: say what Helen Brandt "
            "decides (e.g. changes beyond the PM's tolerances)."
        )
    return finding.message


@check(
    hint=(
        "Start from `fixed = copy.deepcopy(draft)`, change what the reviewer found, "
        "and leave the rest as it is."
    )
)
def q2_fixed(fixed: object) -> None:
    """
    Question 2: the corrected charter: no error left, only "not approved yet".

    Parameters
    ----------
    fixed
        The learner's corrected charter (a dict in the file's format, or a Charter).
    """
    draft = _draft()
    charter = _charter(fixed)
    if charter.approval is not None:
        fail(
            "You filled in the approval. Only the sponsor approves a charter: a "
            "reviewer who signs for her has just faked the G1 gate. Set "
            "`approval` back to None; 'not approved yet' is the one warning that "
            "stays until Helen Brandt signs."
        )
    if len(charter.objectives) < len(draft.objectives):
        fail(
            f"You deleted an objective (the draft has {len(draft.objectives)}, yours "
            f"{len(charter.objectives)}). A reviewer does not drop the sponsor's "
            "objectives: make objective 1 measurable instead (metric, target, due)."
        )
    names = {m.name for m in charter.milestones}
    gone = [m.name for m in draft.milestones if m.name not in names]
    if gone:
        fail(
            f"You removed milestone {gone[0]!r}. Keep it and move its date to on or "
            "before the planned finish."
        )
    if charter.planned_finish != draft.planned_finish or charter.start != draft.start:
        fail(
            "You changed the project's start or planned finish (draft: "
            f"{draft.start} to {draft.planned_finish}). Those dates are what the "
            "sponsor authorises; move the milestone, not the finish."
        )
    for i, objective in enumerate(charter.objectives):
        if objective.metric is not None and _placeholder(objective.metric):
            fail(
                f"Objective {i + 1} {objective.description!r}: the metric "
                f"{objective.metric!r} is a placeholder. Name what will be measured."
            )
    for item in charter.scope_out:
        if _placeholder(item):
            fail(
                f"{item!r} in scope_out is a placeholder, not an exclusion. Name "
                "something the project will NOT do (e.g. 'Consolidation of the "
                "subsidiaries')."
            )
    if charter.sponsor is not None and charter.sponsor.authority is not None:
        authority = charter.sponsor.authority
        if _placeholder(authority) or len(authority) < 15:
            fail(
                f"The sponsor's authority {authority!r} says too little. Write what "
                "she decides, e.g. 'approves changes to budget, scope and objectives "
                "beyond the PM's tolerances'."
            )
    found = _review(charter)
    errors = [f for f in found if f.severity == "error"]
    if errors:
        more = f" ({len(errors) - 1} more error(s) after this one.)" * (len(errors) > 1)
        fail(_still(errors[0], charter) + more)
    warnings = [
        f for f in found if f.severity == "warning" and f.code != "not-approved"
    ]
    if warnings:
        fail(
            "No errors left. One more thing the reviewer would send back: "
            f"{warnings[0].message} {warnings[0].fix}"
        )
