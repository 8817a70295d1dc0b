"""The compliance scan on Meridian Works, and on copies with a planted flaw."""

from __future__ import annotations

from dataclasses import replace

import pandas as pd
import pytest

from pmo_kit import Portfolio, ValidationError
from pmo_kit.charter import Charter
from pmo_kit.governance import (
    FINDING_COLUMNS,
    compliance,
    compliance_matrix,
    compliance_summary,
    load_standards,
)

AS_OF = "2026-06-26"  # the sample's status date


@pytest.fixture(scope="module")
def findings(sample):
    return compliance(sample, as_of=AS_OF)


def _pairs(frame: pd.DataFrame, rule: str) -> list[str]:
    return frame.loc[frame["rule"] == rule, "project_id"].tolist()


def _only(
    rule_id: str, phases: tuple[str, ...] = (), **parameters: object
) -> dict[str, object]:
    """Standards with one rule (all phases unless ``phases`` is given)."""
    rule: dict[str, object] = {"id": rule_id, "severity": "error"}
    if phases:
        rule["phases"] = list(phases)
    if parameters:
        rule["parameters"] = parameters
    return {"standards": [rule]}


def test_columns_and_order(findings):
    assert list(findings.columns) == list(FINDING_COLUMNS)
    ranks = findings["severity"].map({"error": 0, "warning": 1, "advice": 2})
    assert ranks.is_monotonic_increasing  # errors first
    assert findings.attrs["as_of"] == pd.Timestamp(AS_OF)


def test_the_unsigned_charter_is_found(findings):
    assert _pairs(findings, "charter-approved") == ["P-003"]  # P-010 is in initiation
    row = findings[findings["rule"] == "charter-approved"].iloc[0]
    assert row["severity"] == "error"
    assert "not approved" in row["message"]
    assert "Marcus Okafor" in row["fix"]  # the sponsor signs


def test_charter_review_findings(findings):
    charter = findings[findings["rule"] == "charter-findings"]
    assert "no-contingency" in " ".join(
        charter.loc[charter["project_id"] == "P-003", "message"]
    )
    assert not charter["message"].str.contains("not-approved").any()  # ignored


def test_stale_risk_reviews(findings):
    # open risks whose last review is older than the cadence of their residual
    # rating (high 14, medium 30, low 60 days) on 26 Jun 2026
    assert _pairs(findings, "risk-review") == [
        "P-001",
        "P-002",
        "P-003",
        "P-005",
        "P-006",
    ]
    p001 = findings[
        (findings["rule"] == "risk-review") & (findings["project_id"] == "P-001")
    ]
    message = p001["message"].iloc[0]
    # RK-001 last reviewed 23 Feb 2026 = 123 days; RK-003 24 Feb = 122 days
    assert message.startswith(
        "2 open risks not reviewed at the register's cadence (high 14 days, medium "
        "30 days, low 60 days): RK-001"
    )
    assert "RK-001 (low, 123 days, last 23 Feb 2026)" in message
    assert "RK-003 (low, 122 days" in message


def _register(sample: Portfolio, reviewed: list[str], residual: list[int]) -> Portfolio:
    """One project, P-001, with one open risk per review date (residual P = I)."""
    rows = sample.risks.iloc[: len(reviewed)].copy()
    rows["project_id"] = "P-001"
    rows["risk_id"] = [f"RK-{i}" for i in range(1, len(reviewed) + 1)]
    rows["type"] = "threat"
    rows["status"] = "open"
    rows["closed_date"] = pd.NaT
    rows["residual_probability"] = residual
    rows["residual_impact"] = residual
    rows["last_review_date"] = pd.to_datetime(reviewed)
    return replace(
        sample,
        projects=sample.projects[sample.projects["project_id"] == "P-001"],
        risks=rows.reset_index(drop=True),
    )


def test_review_cadence_follows_the_rating(sample):
    # on 26 Jun: RK-1 high (5 x 5), reviewed 20 days before: over its 14 days;
    # RK-2 low (1 x 1), reviewed 50 days before: within its 60 days
    portfolio = _register(sample, ["2026-06-06", "2026-05-07"], [5, 1])
    only = {"standards": [{"id": "risk-review", "severity": "warning"}]}
    found = compliance(portfolio, as_of="2026-06-26", standards=only)
    assert found["message"].tolist() == [
        "1 open risk not reviewed at the register's cadence (high 14 days, medium "
        "30 days, low 60 days): RK-1 (high, 20 days, last 06 Jun 2026)."
    ]
    # one limit for every risk when the standard says so: 30 days flags RK-2 only
    flat = {
        "standards": [
            {
                "id": "risk-review",
                "severity": "warning",
                "parameters": {"max_age_days": 30},
            }
        ]
    }
    found = compliance(portfolio, as_of="2026-06-26", standards=flat)
    assert found["message"].tolist() == [
        "1 open risk not reviewed within 30 days: RK-2 (low, 50 days, last 07 May "
        "2026)."
    ]


def test_gate_overrides_are_warnings(findings):
    rows = findings[findings["rule"] == "gate-decision-rule"]
    assert rows["project_id"].tolist() == [
        "P-002",
        "P-002",
        "P-005",
        "P-005",
        "P-007",
        "P-009",
    ]
    assert set(rows["severity"]) == {"warning"}
    assert (
        rows["message"]
        .iloc[1]
        .startswith(
            "Gate G3 (31 Mar 2026): the board recorded 'go', the decision rule gives "
            "Recycle."
        )
    )


def test_nothing_else_on_the_status_date(findings):
    assert set(findings["rule"]) == {
        "charter-approved",
        "charter-findings",
        "risk-review",
        "charter-signed-at-gate",
        "gate-decision-rule",
    }


def test_a_gate_passed_on_paper(findings):
    rows = findings[findings["rule"] == "charter-signed-at-gate"]
    assert rows["project_id"].tolist() == ["P-003"]
    assert rows["message"].iloc[0] == (
        "Gate G1 on 12 Feb 2026 scored 'Project charter signed' as met (evidence: "
        "Draft charter v0.9 (not signed)), but the charter records no approval: the "
        "gate was passed on paper."
    )


def test_charter_approved_after_the_gate(sample):
    charters = dict(sample.charters)
    late = charters["P-001"].to_dict()
    late["approval"] = {"approved_by": "Sofia Marin", "date": "2026-03-10"}
    charters["P-001"] = Charter.from_dict(late)  # G1 scored it signed on 24 Feb 2026
    found = compliance(
        replace(sample, charters=charters),
        as_of=AS_OF,
        standards=_only("charter-signed-at-gate"),
    )
    assert found["project_id"].tolist() == ["P-001", "P-003"]
    assert found["message"].iloc[0] == (
        "Gate G1 on 24 Feb 2026 scored 'Project charter signed' as met, but the "
        "charter was approved only on 10 Mar 2026."
    )


def test_summary_lists_compliant_projects(sample, findings):
    summary = compliance_summary(findings, sample.projects)
    assert summary["project_id"].tolist() == sample.project_ids
    assert summary.loc[summary["compliant"], "project_id"].tolist() == [
        "P-004",
        "P-008",
        "P-010",
    ]
    p003 = summary.set_index("project_id").loc["P-003"]
    assert p003["error"] >= 2
    assert p003["warning"] == 1
    assert p003["rules"].startswith("charter-approved, charter-findings")
    assert (
        summary["findings"] == summary[["error", "warning", "advice"]].sum(axis=1)
    ).all()


def test_summary_needs_findings_columns(sample):
    with pytest.raises(ValidationError, match="the column 'rule' is missing"):
        compliance_summary(
            pd.DataFrame({"project_id": [], "severity": []}), sample.projects
        )


def test_matrix_pass_fail_and_not_applicable(sample):
    matrix = compliance_matrix(sample, as_of=AS_OF).set_index(["project_id", "rule"])
    assert len(matrix) == 10 * 10  # projects x rules
    assert matrix.loc[("P-003", "charter-approved"), "result"] == "fail"
    assert matrix.loc[("P-004", "charter-approved"), "result"] == "pass"
    assert matrix.loc[("P-010", "charter-approved"), "result"] == "n/a"  # initiation
    assert matrix.loc[("P-008", "risk-review"), "result"] == "n/a"  # closed
    assert matrix.loc[("P-008", "gate-recorded"), "result"] == "pass"  # G5 go
    assert matrix.loc[("P-003", "risk-review"), "findings"] == 1


# --------------------------------------------------------------- as_of and rules


def test_a_later_as_of_makes_status_updates_late(sample):
    later = compliance(sample, as_of="2026-07-20")  # 24 days after 26 Jun
    assert _pairs(later, "status-update") == [
        "P-001",
        "P-002",
        "P-003",
        "P-004",
        "P-005",
        "P-006",
        "P-007",
    ]
    message = later.loc[later["rule"] == "status-update", "message"].iloc[0]
    assert message == (
        "The latest status update is from 26 Jun 2026, 24 days before 20 Jul 2026 "
        "(the standard: at most 14 days)."
    )


def test_default_as_of_is_the_status_date(sample, findings):
    pd.testing.assert_frame_equal(compliance(sample), findings)


def test_a_stricter_rule_finds_more(sample):
    strict = compliance(
        sample, as_of=AS_OF, standards=_only("risk-review", max_age_days=7)
    )
    # with 7 days, P-004 (RK-019 reviewed 18 Jun, 8 days) and others join
    assert "P-004" in _pairs(strict, "risk-review")
    assert set(strict["severity"]) == {"error"}
    lenient = compliance(
        sample, as_of=AS_OF, standards=_only("risk-review", max_age_days=365)
    )
    assert lenient.empty


def test_standards_from_a_file(sample, tmp_path):
    path = tmp_path / "standards.yaml"
    path.write_text(
        "standards:\n  - id: lessons\n    check: lessons-recorded\n"
        "    severity: advice\n"
        "    phases: [closing, closed]\n    parameters: {min_lessons: 9}\n",
        encoding="utf-8",
    )
    found = compliance(sample, as_of=AS_OF, standards=path)
    # P-007 (closing) recorded 8 lessons, P-008 (closed) 11
    assert found["project_id"].tolist() == ["P-007"]
    assert found["message"].iloc[0].startswith("8 lessons learned recorded")
    assert found.attrs["standards"] == str(path)
    assert compliance(sample, standards=load_standards(path)).equals(found)


def test_methodology_filter(sample):
    rules = _only("risk-review")
    rules["standards"][0]["methodologies"] = ["agile"]  # type: ignore[index]
    found = compliance(sample, as_of=AS_OF, standards=rules)
    assert _pairs(found, "risk-review") == ["P-001", "P-005"]  # the agile ones


def test_bad_standards_and_as_of(sample):
    with pytest.raises(ValidationError, match="field 'severity'"):
        compliance(sample, standards={"standards": [{"id": "risk-review"}]})
    with pytest.raises(
        ValidationError, match="'next week' is an invalid value for `as_of`"
    ):
        compliance(sample, as_of="next week")


# ------------------------------------------------------------ planted flaws


def test_high_risk_without_owner(sample):
    risks = sample.risks.copy()
    risks.loc[risks["risk_id"] == "RK-015", "owner"] = None  # P-003, 5 x 5
    risks.loc[risks["risk_id"] == "RK-012", "response_actions"] = ""  # 4 x 4
    risks.loc[risks["risk_id"] == "RK-001", "owner"] = None  # 3 x 3: medium
    found = compliance(
        replace(sample, risks=risks), as_of=AS_OF, standards=_only("high-risk-response")
    )
    assert found["project_id"].tolist() == ["P-003", "P-003"]
    assert found["message"].iloc[0].startswith("RK-012 ")
    assert (
        found["message"]
        .iloc[0]
        .endswith("is rated high (inherent) but has no response actions.")
    )
    assert found["message"].iloc[1].endswith("but has no owner.")
    medium = compliance(
        replace(sample, risks=risks),
        as_of=AS_OF,
        standards=_only("high-risk-response", rating="medium"),
    )
    assert "P-001" in medium["project_id"].tolist()


def test_gate_not_passed_for_the_phase(sample):
    gates = sample.gates.copy()
    gates.loc[
        (gates["project_id"] == "P-009") & (gates["gate"] == "G1"), "decision"
    ] = "hold"
    gates = gates[~((gates["project_id"] == "P-004") & (gates["gate"] == "G2"))]
    found = compliance(
        replace(sample, gates=gates), as_of=AS_OF, standards=_only("gate-recorded")
    )
    assert found["project_id"].tolist() == ["P-004", "P-009"]
    assert found["message"].tolist() == [
        "The project is in execution but no review of gate G2 is recorded.",
        "Gate G1 was decided 'hold' on 05 Jun 2026, yet the project is in planning, "
        "which needs a Go at G1.",
    ]


def test_missing_charter(sample):
    # An unreadable charter can no longer reach a Portfolio: load_portfolio names it.
    charters = dict(sample.charters)
    del charters["P-004"]
    found = compliance(
        replace(sample, charters=charters),
        as_of=AS_OF,
        standards=_only("charter-approved", ("planning", "execution", "closing")),
    )
    assert found["project_id"].tolist() == ["P-003", "P-004"]
    messages = dict(zip(found["project_id"], found["message"], strict=True))
    assert (
        messages["P-004"]
        == "P-004 has no charter file, so nothing authorises the work."
    )


def test_empty_register(sample):
    risks = sample.risks[sample.risks["project_id"] != "P-006"]
    found = compliance(
        replace(sample, risks=risks),
        as_of=AS_OF,
        standards=_only("risk-register", ("execution",)),
    )
    assert found["project_id"].tolist() == ["P-006"]
    assert found["message"].iloc[0] == (
        "The risk register has 0 open risks; the standard asks for at least 1."
    )
