"""
Exercise 01 (critique and fix a charter): right answers pass, mistakes get a message.

The right answers are written here by hand from reading the draft
(``exercises/01_charter/erp_charter_draft.yaml``), independently of the exercise's
``checks.py``, which asks the kit's reviewer.
"""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest
import yaml

from pmo_kit.charter import Charter, load_charter
from pmo_kit.training import Checker, CheckResult, load_checks
from tests.exercises._notebooks import (
    assert_learner_copy_not_done,
    assert_solution_passes,
    learner_code,
)

REPO = Path(__file__).resolve().parents[2]
EXERCISE = REPO / "exercises" / "01_charter"
SOLUTION = EXERCISE / "solution.ipynb"
DRAFT = EXERCISE / "erp_charter_draft.yaml"
CHECK_NAMES = ["q1_findings", "q2_fixed"]

# Reading the draft: objective 1 has neither metric nor target; scope_out is empty;
# G4 (2026-09-15) is after the planned finish (2026-09-08) and after "Project
# complete" in date; contingency 20,000 is 2.7% of 748,100 (band 5-25%); the
# sponsor has no authority; nobody has approved it (the project is in initiation).
FINDINGS = {
    "objective-no-metric",
    "objective-no-target",
    "no-scope-out",
    "milestone-after-finish",
    "milestones-out-of-order",
    "sponsor-no-authority",
    "contingency-out-of-band",
    "not-approved",
}


def _draft() -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load(DRAFT.read_text(encoding="utf-8"))
    return data


def _fixed() -> dict[str, Any]:
    fixed = copy.deepcopy(_draft())
    fixed["objectives"][0].update(
        metric="days to pay a supplier invoice", target="10 (today 24)"
    )
    fixed["scope_out"] = ["Consolidation of the subsidiaries"]
    fixed["milestones"][3]["date"] = "2026-08-27"
    fixed["budget"]["contingency"] = 90000
    fixed["sponsor"]["authority"] = (
        "Chief Financial Officer; approves changes beyond the PM's tolerances"
    )
    return fixed


@pytest.fixture(scope="module")
def checker() -> Checker:
    return load_checks(EXERCISE)


def _run(checker: Checker, name: str, value: object) -> CheckResult:
    variable = checker.checks[name].variables[0]
    return checker(name, {variable: value})


# ------------------------------------------------------------------- the draft


def test_draft_has_the_flaws_described_here():
    draft = load_charter(DRAFT)
    assert draft.objectives[0].metric is None
    assert draft.objectives[0].target is None
    assert draft.scope_out == ()
    assert [m.date.isoformat() for m in draft.milestones][3:] == [
        "2026-09-15",
        "2026-09-08",
    ]
    assert draft.planned_finish is not None
    assert draft.planned_finish.isoformat() == "2026-09-08"
    assert draft.budget is not None
    assert round(draft.budget.contingency / draft.budget.amount, 3) == 0.027  # type: ignore[operator]
    assert draft.sponsor is not None
    assert draft.sponsor.authority is None
    assert draft.approval is None
    found = draft.check(project={"phase": "initiation"})
    assert {f.code for f in found if f.severity != "advice"} == FINDINGS


# ------------------------------------------------------------------ right answers


def test_exercise_has_its_checks(checker):
    assert list(checker.checks) == CHECK_NAMES


def test_correct_answers_pass(checker):
    results = checker.all({"reviewer_findings": set(FINDINGS), "fixed": _fixed()})
    assert [r.outcome for r in results] == ["correct", "correct"], results


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("q1_findings", sorted(FINDINGS)),
        ("q1_findings", tuple(FINDINGS)),
        ("q1_findings", {c.upper().replace("-", "_") for c in FINDINGS}),
        ("q1_findings", FINDINGS | {"objective-vague-wording"}),
        ("q2_fixed", Charter.from_dict(_fixed())),
    ],
    ids=["list", "tuple", "upper-underscores", "with-advice", "charter-object"],
)
def test_equivalent_forms_pass(checker, name, value):
    result = _run(checker, name, value)
    assert result.passed, result


# ------------------------------------------------------------------ typical mistakes


def _without(code: str) -> set[str]:
    return FINDINGS - {code}


def _change(edit: Any) -> dict[str, Any]:
    fixed = _fixed()
    edit(fixed)
    return fixed


MISTAKES: dict[str, tuple[str, object, str]] = {
    # q1: the reviewer's list
    "listed-no-sponsor": (
        "q1_findings",
        FINDINGS | {"no-sponsor"},
        "You listed 'no-sponsor', but the charter names Helen Brandt as sponsor.",
    ),
    "listed-no-contingency": (
        "q1_findings",
        FINDINGS | {"no-contingency"},
        "You listed 'no-contingency', but the budget holds a contingency of "
        "EUR 20,000. The question is whether it is enough for a budget of "
        "EUR 748,100.",
    ),
    "listed-no-manager": (
        "q1_findings",
        FINDINGS | {"no-manager"},
        "the charter names Bianca Petersen as project manager",
    ),
    "listed-due-date": (
        "q1_findings",
        FINDINGS | {"objective-no-due-date"},
        "every objective has a due date",
    ),
    "listed-two-wrong": (
        "q1_findings",
        FINDINGS | {"no-risks", "no-sponsor"},
        "(1 more code(s) do not apply either.)",
    ),
    "missed-milestones": (
        "q1_findings",
        FINDINGS - {"milestone-after-finish", "milestones-out-of-order"},
        "2 findings are missing. Compare each milestone's date with the planned "
        "finish (2026-09-08).",
    ),
    "missed-scope-out": (
        "q1_findings",
        _without("no-scope-out"),
        "1 finding is missing. Look at the scope",
    ),
    "missed-not-approved": (
        "q1_findings",
        _without("not-approved"),
        "Who has signed this draft?",
    ),
    "missed-contingency": (
        "q1_findings",
        _without("contingency-out-of-band"),
        "how big is the contingency as a share of the budget?",
    ),
    "unknown-code": (
        "q1_findings",
        _without("no-scope-out") | {"no-scope"},
        "'no-scope' is not a finding code. Did you mean 'no-scope-in'?",
    ),
    "one-text": ("q1_findings", "no-scope-out", "not one text"),
    "not-text": ("q1_findings", {1, 2}, "1 is not a finding code"),
    # q2: the fixed charter
    "still-no-metric": (
        "q2_fixed",
        _change(lambda f: f["objectives"][0].update(metric=None)),
        "Objective 1 'Improve finance processes' still has no metric.",
    ),
    "still-no-target-and-more": (
        "q2_fixed",
        _change(
            lambda f: (f["objectives"][0].update(target=None), f.update(scope_out=[]))
        ),
        "Objective 1 'Improve finance processes' still has no target. (1 more "
        "error(s) after this one.)",
    ),
    "scope-out-still-empty": (
        "q2_fixed",
        _change(lambda f: f.update(scope_out=[])),
        "scope_out is still empty",
    ),
    "scope-out-placeholder": (
        "q2_fixed",
        _change(lambda f: f.update(scope_out=["TBD"])),
        "'TBD' in scope_out is a placeholder",
    ),
    "milestone-not-moved": (
        "q2_fixed",
        _change(lambda f: f["milestones"][3].update(date="2026-09-15")),
        "Milestone 'Ready for go-live (G4)' is on 2026-09-15, after the planned "
        "finish (2026-09-08).",
    ),
    "milestone-deleted": (
        "q2_fixed",
        _change(lambda f: f["milestones"].pop(3)),
        "You removed milestone 'Ready for go-live (G4)'.",
    ),
    "finish-moved": (
        "q2_fixed",
        _change(
            lambda f: (
                f["milestones"][3].update(date="2026-09-15"),
                f.update(planned_finish="2026-09-30"),
            )
        ),
        "You changed the project's start or planned finish",
    ),
    "objective-deleted": (
        "q2_fixed",
        _change(lambda f: f["objectives"].pop(0)),
        "You deleted an objective (the draft has 3, yours 2).",
    ),
    "approval-faked": (
        "q2_fixed",
        _change(
            lambda f: f.update(
                approval={"approved_by": "Helen Brandt", "date": "2025-11-21"}
            )
        ),
        "You filled in the approval. Only the sponsor approves a charter",
    ),
    "sponsor-authority-missing": (
        "q2_fixed",
        _change(lambda f: f["sponsor"].update(authority=None)),
        "The sponsor's authority is still missing",
    ),
    "sponsor-authority-too-short": (
        "q2_fixed",
        _change(lambda f: f["sponsor"].update(authority="CFO")),
        "The sponsor's authority 'CFO' says too little.",
    ),
    "metric-placeholder": (
        "q2_fixed",
        _change(lambda f: f["objectives"][0].update(metric="tbd")),
        "the metric 'tbd' is a placeholder",
    ),
    "vague-target": (
        "q2_fixed",
        _change(lambda f: f["objectives"][0].update(target="better")),
        "has the target 'better', which cannot be measured.",
    ),
    "contingency-still-low": (
        "q2_fixed",
        _change(lambda f: f["budget"].update(contingency=20000)),
        "No errors left. One more thing the reviewer would send back: Contingency "
        "is 2.7% of the budget, unusually low (usual band 5%-25%).",
    ),
    "broken-structure": (
        "q2_fixed",
        _change(lambda f: f["budget"].update(contingency="95k")),
        "`fixed` is no longer a valid charter: fixed, field 'budget.contingency': "
        "'95k' is not a number. Allowed: a number >= 0",
    ),
    "not-a-dict": ("q2_fixed", "fixed", "not a str"),
}


@pytest.mark.parametrize("case", list(MISTAKES))
def test_typical_mistake_gets_its_message(checker, case):
    name, wrong, phrase = MISTAKES[case]
    result = _run(checker, name, wrong)
    assert result.outcome == "incorrect", result
    assert phrase in result.message, result


@pytest.mark.parametrize("name", CHECK_NAMES)
def test_placeholder_is_not_done(checker, name):
    result = _run(checker, name, ...)
    assert result.outcome == "not done"


def test_unedited_draft_is_not_accepted(checker):
    result = _run(checker, "q2_fixed", _draft())
    assert result.outcome == "incorrect"
    assert result.message.startswith(
        "Objective 1 'Improve finance processes' still has no metric. (4 more "
        "error(s) after this one.)"
    )


# ------------------------------------------------------------------ learner copy


def test_learner_copy_has_placeholders_and_no_solution(tmp_path):
    learner = learner_code(SOLUTION, tmp_path, min_length=4)
    for variable in ["reviewer_findings", "fixed"]:
        assert f"\n{variable} = ...\n" in f"\n{learner}\n", variable
    assert learner.count("# YOUR CODE HERE") == len(CHECK_NAMES)


@pytest.mark.notebook
def test_learner_copy_runs_and_every_check_is_not_done(tmp_path):
    assert_learner_copy_not_done(SOLUTION, tmp_path, len(CHECK_NAMES))


@pytest.mark.notebook
def test_solution_notebook_answers_every_check(tmp_path):
    assert_solution_passes(SOLUTION, tmp_path, len(CHECK_NAMES))
