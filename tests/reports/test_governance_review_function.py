"""governance_review on a tiny organisation worked out by hand."""

from __future__ import annotations

import dataclasses

import pandas as pd
import pytest

import pmo_kit
from pmo_kit import ValidationError
from pmo_kit.governance import compliance_by_rule, load_standards
from pmo_kit.reports import GovernanceReview, governance_review

AS_OF = "2026-03-01"

# Two rules only: gate decisions against the rule, and the risk review cadence.
STANDARDS = {
    "standards": [
        {"id": "gate-decision-rule", "severity": "warning"},
        {"id": "risk-review", "severity": "warning"},
    ]
}


def _gate(project: str, gate: str, scores: tuple[int, int], day: str) -> pd.DataFrame:
    """One must (met) and two shoulds weighted 0.5 each; the board said go."""
    return pd.DataFrame(
        {
            "project_id": project,
            "gate": gate,
            "criterion": ["Sponsor named", "Benefits", "Plan"],
            "requirement": ["must", "should", "should"],
            "weight": [0.0, 0.5, 0.5],
            "evidence": "minutes",
            "score": pd.array([1, *scores], dtype="Int64"),
            "review_date": pd.Timestamp(day),
            "decision": "go",
        }
    )


def _gates() -> pd.DataFrame:
    # weighted should-scores: 0.5 x a + 0.5 x b
    return pd.concat(
        [
            _gate("P-X", "G0", (4, 4), "2025-10-01"),  # 4.0: Go, as recorded
            _gate("P-X", "G1", (2, 2), "2025-11-01"),  # 2.0: Recycle, board said go
            _gate("P-X", "G2", (3, 4), "2025-12-01"),  # 3.5: Go
            _gate("P-Y", "G0", (1, 2), "2026-01-10"),  # 1.5: Recycle, board said go
        ],
        ignore_index=True,
    )


def _risks(sample: pmo_kit.Portfolio) -> pd.DataFrame:
    rows = sample.risks.iloc[:4].copy()
    rows["project_id"] = ["P-X", "P-X", "P-Y", "P-Y"]
    rows["risk_id"] = ["RK-1", "RK-2", "RK-3", "RK-4"]
    rows["type"] = "threat"
    rows["owner"] = ["R-3", "R-1", "R-2", "R-2"]
    rows["residual_probability"] = [3, 3, 3, 3]
    rows["residual_impact"] = [3, 3, 3, 3]  # 9: medium, reviewed every 30 days
    rows["status"] = ["open", "open", "open", "occurred"]
    rows["raised_date"] = pd.to_datetime(
        ["2026-01-10", "2026-02-01", "2026-04-01", "2026-01-05"]
    )
    rows["last_review_date"] = pd.to_datetime(
        ["2026-01-15", "2026-02-20", "2026-04-02", "2026-02-15"]
    )
    rows["closed_date"] = pd.to_datetime(pd.Series([None, None, None, "2026-02-15"]))
    return rows.reset_index(drop=True)


@pytest.fixture
def tiny(sample: pmo_kit.Portfolio) -> pmo_kit.Portfolio:
    projects = pd.DataFrame(
        {
            "project_id": ["P-X", "P-Y", "P-Z"],
            "name": ["Xray", "Yankee", "Zulu"],
            "programme": "One",
            "sponsor": "S",
            "manager": ["R-1", "R-2", "R-1"],
            "methodology": ["predictive", "agile", "hybrid"],
            "phase": ["execution", "planning", "closed"],
            "start": pd.to_datetime(["2025-10-01", "2026-01-10", "2025-01-01"]),
            "planned_finish": pd.to_datetime(
                ["2026-06-30", "2026-09-30", "2025-06-30"]
            ),
            "budget": [1000.0, 2000.0, 3000.0],
            "status_date": pd.Timestamp(AS_OF),
        }
    )
    resources = pd.DataFrame(
        {
            "resource_id": ["R-1", "R-2", "R-3"],
            "name": ["Ana Lima", "Ben Ode", "Cy Park"],
            "role": "Project Manager",
            "skills": "",
            "capacity_hours": 40.0,
            "cost_rate": 100.0,
            "calendar": "standard",
        }
    )
    return dataclasses.replace(
        sample,
        name="Tiny Org",
        projects=projects,
        resources=resources,
        risks=_risks(sample),
        gates=_gates(),
        tasks=sample.tasks.iloc[0:0],
        assignments=sample.assignments.iloc[0:0],
        status=sample.status.iloc[0:0],
        lessons=sample.lessons.iloc[0:0],
        charters={},
    )


@pytest.fixture
def review(tiny: pmo_kit.Portfolio) -> GovernanceReview:
    return governance_review(tiny, as_of=AS_OF, standards=load_standards(STANDARDS))


def test_findings_rules_and_compliance(review):
    # gate-decision-rule: P-X G1 and P-Y G0 overridden; risk-review: RK-1 (medium,
    # last review 15 Jan = 45 days before 1 Mar, over 30). RK-2: 9 days. RK-3 is
    # reviewed after the scan date.
    assert review.compliant == ["P-Z"]
    assert review.findings_by_severity == {"error": 0, "warning": 3, "advice": 0}
    rules = review.by_rule.set_index("rule")
    assert rules.loc[
        "gate-decision-rule", ["applies", "failing", "findings"]
    ].tolist() == [
        3,
        2,
        2,
    ]
    assert rules.loc["gate-decision-rule", "projects"] == "P-X, P-Y"
    assert rules.loc["risk-review", ["applies", "failing", "findings"]].tolist() == [
        3,
        1,
        1,
    ]
    assert review.worst_rules["rule"].tolist() == ["gate-decision-rule", "risk-review"]
    status = review.projects.set_index("project_id")["status"].to_dict()
    assert status == {"P-X": "amber", "P-Y": "amber", "P-Z": "green"}


def test_gate_decisions_overrides_and_scorecard(review):
    assert len(review.decisions) == 4
    overrides = review.overrides
    assert list(zip(overrides["project_id"], overrides["gate"], strict=True)) == [
        ("P-X", "G1"),
        ("P-Y", "G0"),
    ]
    assert overrides["weighted_score"].tolist() == pytest.approx([2.0, 1.5])
    assert set(overrides["decision"]) == {"Recycle"}
    # the lowest override is shown as a scorecard
    assert review.scorecard is not None
    assert (review.scorecard.project_id, review.scorecard.gate) == ("P-Y", "G0")
    assert review.gate_lines == [
        "The decision rule: must-meet criteria are knock-outs; Go from a weighted "
        "should-score of 3, Recycle from 1.5, below that Kill.",
        "2 of 4 gate decisions went otherwise than the rule:",
    ]


def test_raid_as_of_the_scan_date_with_owners_by_name(review):
    # RK-3 is raised in April: not yet a risk on 1 March; RK-4 fired 15 Feb: issue
    assert review.raid_counts == {"R": 2, "A": 0, "I": 1, "D": 0}
    raid = review.raid.set_index("id")
    assert raid.loc["RK-1", "owner"] == "Cy Park"
    assert raid.loc["RK-1", "owner_id"] == "R-3"
    assert raid.loc["RK-4", ["type", "owner"]].tolist() == ["I", "Ben Ode"]
    assert review.raid_items["id"].tolist() == ["RK-4"]
    by_project = review.raid_by_project.set_index("project_id")
    assert by_project.loc["P-X"].tolist() == [2, 0, 0, 0]
    assert by_project.loc["P-Y"].tolist() == [0, 0, 1, 0]


def test_a_later_scan_sees_the_later_risk(tiny):
    later = governance_review(tiny, as_of="2026-04-15", standards=STANDARDS)
    assert later.raid_counts["R"] == 3  # RK-3 raised 1 April


def test_narrative(review):
    assert review.narrative == [
        "1 of 3 projects meet every standard on 01 Mar 2026: P-Z Zulu.",
        "The scan raised 3 findings: 0 errors, 3 warnings and 0 advice.",
        "Worst rules, most serious first: gate-decision-rule (warning, 2 of 3 "
        "projects); risk-review (warning, 1 of 3 projects).",
        "Gates: 4 reviews recorded; 2 went otherwise than the PMO's decision rule "
        "(P-X G1, P-Y G0).",
        "RAID log: 2 open risks, 0 assumptions, 1 issue and 0 dependencies on shared "
        "people.",
    ]


def test_summary_keeps_the_report_keys(review):
    summary = review.summary()
    assert summary["as_of"] == AS_OF
    assert summary["rules"] == ["gate-decision-rule", "risk-review"]
    assert summary["compliant_projects"] == ["P-Z"]
    assert summary["findings"] == 3
    assert summary["by_rule"]["gate-decision-rule"] == {
        "severity": "warning",
        "applies": 3,
        "failing": 2,
        "findings": 2,
        "projects": ["P-X", "P-Y"],
    }
    assert summary["by_rule"]["risk-review"]["projects"] == ["P-X"]
    assert summary["worst_rules"] == ["gate-decision-rule", "risk-review"]
    assert summary["gate_reviews"] == 4
    assert summary["gate_overrides"][0] == {
        "project_id": "P-X",
        "gate": "G1",
        "review_date": "2025-11-01",
        "weighted_score": 2.0,
        "recorded": "go",
        "decision": "Recycle",
    }
    assert summary["raid"] == {"R": 2, "A": 0, "I": 1, "D": 0}
    assert summary["narrative"] == review.narrative
    assert review.header["Standards"] == "the standards"  # a mapping, no file


def test_rule_table_by_hand():
    standards = load_standards(STANDARDS)
    matrix = pd.DataFrame(
        {
            "project_id": ["P-1", "P-2", "P-3"] * 2,
            "rule": ["gate-decision-rule"] * 3 + ["risk-review"] * 3,
            "result": ["fail", "pass", "n/a", "fail", "fail", "pass"],
        }
    )
    findings = pd.DataFrame(
        {"rule": ["gate-decision-rule"] * 3 + ["risk-review"] * 2},
    )
    table = compliance_by_rule(standards, matrix, findings)
    assert table[["rule", "applies", "failing", "findings", "projects"]].to_dict(
        "records"
    ) == [
        {
            "rule": "gate-decision-rule",
            "applies": 2,
            "failing": 1,
            "findings": 3,
            "projects": "P-1",
        },
        {
            "rule": "risk-review",
            "applies": 3,
            "failing": 2,
            "findings": 2,
            "projects": "P-1, P-2",
        },
    ]


def test_default_standards_and_a_missing_file(sample, tmp_path):
    review = governance_review(sample, standards="")
    assert review.default_standards
    assert review.header["Standards"] == "PMO default"
    missing = tmp_path / "nope.yaml"
    with pytest.raises(ValidationError, match=r"nope\.yaml"):
        governance_review(sample, standards=str(missing))
    with pytest.raises(ValidationError, match="'someday' is an invalid value"):
        governance_review(sample, as_of="someday")


# ------------------------------------------- the sample organisation (Meridian)


def test_a_later_scan_date_finds_late_status_updates(sample):
    later = governance_review(sample, as_of="2026-07-20")
    by_rule = later.summary()["by_rule"]
    # the last status is from 26 Jun: 24 days before 20 Jul, over the 14 allowed
    assert by_rule["status-update"]["projects"] == [f"P-00{i}" for i in range(1, 8)]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (
            "standards:\n  - id: risk-review\n    severity: warning\n"
            "    parameters: {max_age_days: -5}\n",
            "rule 'risk-review', field 'parameters.max_age_days': -5 is not allowed",
        ),
        (
            "standards:\n  - id: signed-charter\n    severity: error\n",
            "rule 'signed-charter', field 'check': 'signed-charter' is not a known "
            "check",
        ),
    ],
    ids=["bad-parameter", "unknown-check"],
)
def test_bad_standards_name_the_file_rule_and_field(sample, tmp_path, content, message):
    path = tmp_path / "standards.yaml"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(ValidationError) as info:
        governance_review(sample, standards=str(path))
    assert message in str(info.value)
    assert str(path) in str(info.value)


def test_meridian_headlines(sample):
    review = governance_review(sample)
    assert review.scan_date == pd.Timestamp("2026-06-26")  # the status date
    assert review.compliant == ["P-004", "P-008", "P-010"]
    # 45 open risks; assumptions 2 x 4 charters + 1 x 6; RK-018
    assert review.raid_counts == {"R": 45, "A": 14, "I": 1, "D": 4}
    owners = set(review.raid["owner"])
    assert not any(o.startswith("R-") for o in owners)  # names, not ids
