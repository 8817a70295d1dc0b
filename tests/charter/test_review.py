"""The reviewer's findings: the flawed samples, every rule, the portfolio view."""

from __future__ import annotations

from typing import Any

import pandas as pd
import pytest

from pmo_kit import ValidationError
from pmo_kit.charter import (
    FINDING_CODES,
    FINDING_COLUMNS,
    SEVERITIES,
    Charter,
    Finding,
    charters,
    findings_table,
    review_charter,
    review_charters,
)

from .conftest import read

GOOD = ["P-001", "P-004", "P-005", "P-006", "P-007", "P-008", "P-009"]


def codes(findings: list[Finding]) -> list[str]:
    return [f.code for f in findings]


def check(data: dict[str, Any], **project: Any) -> list[Finding]:
    return Charter.from_dict(data).check(project=project or None)


# ------------------------------------------------------------------ the samples


def test_p002_is_vague_and_has_no_scope_out(sample):
    charter = charters(sample)["P-002"]
    found = charter.check(project=sample.project("P-002"))
    assert [(f.code, f.severity, f.field) for f in found] == [
        ("objective-no-metric", "error", "objectives[0].metric"),
        ("objective-no-target", "error", "objectives[0].target"),
        ("no-scope-out", "error", "scope_out"),
        ("objective-vague-wording", "advice", "objectives[0].description"),
    ]
    assert found[0].message == (
        "Objective 1 'Improve finance processes' has no metric: what will be "
        "measured? 'Improve' says which way, not how far."
    )
    assert all(f.fix for f in found)


def test_p003_has_no_contingency_and_is_not_approved(sample):
    charter = charters(sample)["P-003"]
    found = charter.check(project=sample.project("P-003"))
    assert [(f.code, f.severity, f.field) for f in found] == [
        ("no-contingency", "error", "budget.contingency"),
        ("not-approved", "error", "approval"),
    ]
    assert "EUR 973,900 has no contingency" in found[0].message
    assert "although the project is in execution" in found[1].message
    assert charter.approval is None


def test_p010_in_initiation_is_not_approved_yet(sample):
    charter = charters(sample)["P-010"]
    found = charter.check(project=sample.project("P-010"))
    assert [(f.code, f.severity) for f in found] == [("not-approved", "warning")]
    # without the register, the reviewer cannot know the phase: an error
    assert [(f.code, f.severity) for f in charter.check()] == [
        ("not-approved", "error")
    ]


@pytest.mark.parametrize("project_id", GOOD)
def test_good_samples_have_no_findings(sample, project_id):
    charter = charters(sample)[project_id]
    assert charter.check(project=sample.project(project_id)) == []
    assert charter.check() == []


def test_review_charters_lists_every_finding_of_the_sample(sample):
    table = review_charters(sample)
    assert list(table.columns) == ["project_id", *FINDING_COLUMNS]
    assert list(zip(table["project_id"], table["code"], strict=True)) == [
        ("P-002", "objective-no-metric"),
        ("P-002", "objective-no-target"),
        ("P-002", "no-scope-out"),
        ("P-002", "objective-vague-wording"),
        ("P-003", "no-contingency"),
        ("P-003", "not-approved"),
        ("P-010", "not-approved"),
    ]


def test_review_charters_for_some_projects_and_a_missing_charter(sample):
    from dataclasses import replace

    without = replace(
        sample, charters={k: v for k, v in sample.charters.items() if k != "P-005"}
    )
    table = review_charters(without, project_ids=["P-005", "P-001"])
    assert table.to_dict("records") == [
        {
            "project_id": "P-005",
            "code": "no-charter",
            "severity": "error",
            "field": "charters",
            "message": "project P-005 has no charter file (charters/P-005.yaml)",
            "fix": "Write the charter, get it approved by the sponsor and save it as "
            "charters/P-005.yaml",
        }
    ]
    with pytest.raises(ValidationError, match="'P-404' is not a project"):
        review_charters(sample, project_ids=["P-404"])


def test_charters_builds_every_charter(sample):
    built = charters(sample)
    assert sorted(built) == [f"P-{i:03d}" for i in range(1, 11)]
    assert built["P-001"].source is not None
    assert built["P-001"].source.endswith("charters/P-001.yaml")


# --------------------------------------------------------------- rule by rule


def test_an_empty_charter_gets_every_missing_section_in_severity_order():
    found = check({"project_id": "P-099", "title": "Empty"})
    assert codes(found) == [
        "no-purpose",
        "no-objectives",
        "no-scope-in",
        "no-scope-out",
        "no-budget",
        "no-sponsor",
        "no-manager",
        "not-approved",
        "no-milestones",
        "no-stakeholders",
        "no-requirements",
        "no-risks",
        "no-assumptions",
        "no-constraints",
    ]
    ranks = [SEVERITIES.index(f.severity) for f in found]
    assert ranks == sorted(ranks)


def test_every_code_is_catalogued_with_a_known_severity():
    assert {sev for sev, _ in FINDING_CODES.values()} == set(SEVERITIES)


def test_objective_without_due_date_and_vague_target(good):
    good["objectives"][1]["due"] = None
    good["objectives"][2]["target"] = "significantly lower"
    found = check(good)
    assert [(f.code, f.field) for f in found] == [
        ("objective-no-due-date", "objectives[1].due"),
        ("objective-vague-target", "objectives[2].target"),
    ]
    assert found[0].message == (
        "Objective 2 'Raise customer satisfaction with the portal' has no due date: "
        "by when?"
    )


@pytest.mark.parametrize(
    "target", ["yes, first time", "presented to the board", "0", "below 5", "100%"]
)
def test_definite_targets_are_measurable(good, target):
    good["objectives"][0]["target"] = target
    assert check(good) == []


def test_vague_wording_with_a_metric_is_advice_only(good):
    good["objectives"][0]["description"] = "Improve self-service"
    found = check(good)
    assert [(f.code, f.severity) for f in found] == [
        ("objective-vague-wording", "advice")
    ]


def test_objective_due_before_start_and_long_after_finish(good):
    # P-001 runs 2026-01-29 .. 2026-09-11 (projects.csv)
    good["objectives"][0]["due"] = "2026-01-15"
    good["objectives"][1]["due"] = "2027-09-12"  # 366 days after the finish
    good["objectives"][2]["due"] = "2027-09-11"  # exactly a year: still fine
    found = check(good, start="2026-01-29", planned_finish="2026-09-11")
    assert [(f.code, f.field) for f in found] == [
        ("objective-due-before-start", "objectives[0].due"),
        ("objective-long-after-finish", "objectives[1].due"),
    ]
    assert "about 12 months after the planned finish (2026-09-11)" in found[1].message


def test_objective_timing_falls_back_on_the_last_milestone(good):
    good["objectives"][0]["due"] = "2027-10-01"  # last milestone 2026-09-11
    found = check(good)
    assert codes(found) == ["objective-long-after-finish"]
    assert "after the last milestone (2026-09-11)" in found[0].message


def test_milestone_after_finish_before_start_and_out_of_order(good):
    good["milestones"][4]["date"] = "2026-10-02"  # Project complete, after finish
    good["milestones"][0]["date"] = "2026-01-20"  # before the start
    good["milestones"][3]["date"] = "2026-05-01"  # G4 before G3 (2026-05-18)
    found = check(good, start="2026-01-29", planned_finish="2026-09-11")
    assert [(f.code, f.field) for f in found] == [
        ("milestone-before-start", "milestones[0].date"),
        ("milestone-after-finish", "milestones[4].date"),
        ("milestones-out-of-order", "milestones[3].date"),
    ]
    assert found[1].message == (
        "Milestone 'Project complete' is on 2026-10-02, after the planned finish "
        "(2026-09-11)."
    )


def test_charter_dates_take_precedence_over_the_register(good):
    good["planned_finish"] = "2026-09-01"
    found = check(good, planned_finish="2026-09-30")
    assert [(f.code, f.field) for f in found] == [
        ("milestone-after-finish", "milestones[4].date")
    ]


@pytest.mark.parametrize(
    ("contingency", "expected"),
    [
        (0, ["no-contingency"]),
        (None, ["no-contingency"]),
        (15_855, []),  # exactly 5% of 317,100
        (15_000, ["contingency-out-of-band"]),  # 4.7%
        (79_275, []),  # exactly 25%
        (80_000, ["contingency-out-of-band"]),  # 25.2%
    ],
)
def test_contingency_band(good, contingency, expected):
    good["budget"]["contingency"] = contingency
    assert codes(check(good)) == expected


def test_contingency_message_and_custom_band(good):
    good["budget"]["contingency"] = 15_000
    (finding,) = check(good)
    assert finding.message == (
        "Contingency is 4.7% of the budget, unusually low (usual band 5%-25%)."
    )
    charter = Charter.from_dict(good)
    assert charter.check(contingency_band=(0.04, 0.30)) == []
    with pytest.raises(ValidationError, match="contingency_band"):
        charter.check(contingency_band=(0.3, 0.1))


def test_budget_sponsor_and_manager_are_compared_with_the_register(good):
    found = check(good, budget=320_000.0, sponsor="Helen Brandt", manager="R-002")
    assert [(f.code, f.severity) for f in found] == [
        ("budget-differs", "warning"),
        ("sponsor-differs", "warning"),
        ("manager-differs", "warning"),
    ]
    # within half a percent is the same budget (rounding)
    assert check(good, budget=318_000.0, sponsor="Sofia Marin", manager="R-001") == []


def test_people_and_authority(good):
    good["sponsor"]["authority"] = None
    good["manager"] = {"name": "Sofia Marin"}
    found = check(good)
    assert [(f.code, f.severity) for f in found] == [
        ("sponsor-no-authority", "error"),
        ("manager-no-authority", "warning"),
        ("sponsor-is-manager", "warning"),
    ]


def test_approval_rules(good):
    good["approval"] = {"approved_by": "Finn Garcia", "date": "2026-09-20"}
    found = check(good, planned_finish="2026-09-11")
    assert [(f.code, f.field) for f in found] == [
        ("approval-after-finish", "approval.date"),
        ("approved-by-not-sponsor", "approval.approved_by"),
        ("approved-late", "approval.date"),
    ]
    assert "after milestone 'Project plan baselined (G2)' (2026-04-08)" in (
        found[2].message
    )


def test_not_approved_names_the_phase(good):
    good["approval"] = None
    (finding,) = check(good, phase="closed")
    assert finding.message.startswith(
        "The charter is not approved although the project is in closed"
    )


def test_project_row_as_a_pandas_series_with_missing_values(good):
    row = pd.Series(
        {
            "start": pd.Timestamp("2026-01-29"),
            "planned_finish": pd.NaT,
            "phase": "execution",
            "budget": float("nan"),
            "sponsor": None,
        }
    )
    assert Charter.from_dict(good).check(project=row) == []


def test_review_charter_function_equals_the_method(good):
    charter = Charter.from_dict({**good, "scope_out": []})
    assert review_charter(charter) == charter.check()


# ------------------------------------------------------------------ the table


def test_findings_table():
    found = [
        Finding("no-scope-out", "error", "scope_out", "Nothing out.", "List some."),
        Finding("no-risks", "warning", "risks", "No risks.", "List them."),
    ]
    table = findings_table(found)
    assert table.to_dict("list") == {
        "code": ["no-scope-out", "no-risks"],
        "severity": ["error", "warning"],
        "field": ["scope_out", "risks"],
        "message": ["Nothing out.", "No risks."],
        "fix": ["List some.", "List them."],
    }
    assert findings_table([]).empty
    assert str(found[0]) == "[error] no-scope-out (scope_out): Nothing out."


def test_read_helper_gives_fresh_copies():
    a, b = read("P-002"), read("P-002")
    a["scope_out"].append("x")
    assert b["scope_out"] == []
