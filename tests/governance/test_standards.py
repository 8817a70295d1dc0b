"""The PMO's standards file: the default, custom files, errors naming the field."""

from __future__ import annotations

import pytest

from pmo_kit import ValidationError
from pmo_kit.governance import (
    CHECKS,
    DEFAULT_STANDARDS_PATH,
    Standard,
    load_standards,
)
from pmo_kit.governance.checks import CHECK_FUNCTIONS


def test_every_declared_check_is_implemented():
    assert set(CHECKS) == set(CHECK_FUNCTIONS)


def test_default_standards():
    standards = load_standards()
    assert standards.source == str(DEFAULT_STANDARDS_PATH)
    assert standards.ids == [
        "charter-approved",
        "charter-findings",
        "risk-review",
        "high-risk-response",
        "risk-register",
        "status-update",
        "gate-recorded",
        "charter-signed-at-gate",
        "gate-decision-rule",
        "lessons-recorded",
    ]
    review = standards.rule("risk-review")
    # one review cadence for the kit: the matrix's, per residual rating
    assert review.parameter("max_age_days") is None
    assert review.parameter("matrix") == "ordinal"
    assert review.severity == "warning"
    assert review.phases == ("planning", "execution", "closing")
    assert review.applies_to("execution", "agile")
    assert not review.applies_to("initiation", "agile")
    gate = standards.rule("gate-recorded")
    assert gate.phases == ("initiation", "planning", "execution", "closing", "closed")
    assert standards.rule("lessons-recorded").parameter("min_lessons") == 3


def test_a_rule_can_reuse_a_check_with_its_own_id():
    standards = load_standards(
        {
            "standards": [
                {
                    "id": "risk-review-predictive",
                    "check": "risk-review",
                    "severity": "error",
                    "methodologies": ["predictive"],
                    "parameters": {"max_age_days": 14},
                }
            ]
        }
    )
    (rule,) = standards.rules
    assert rule == Standard(
        id="risk-review-predictive",
        description=CHECKS["risk-review"].summary,
        severity="error",
        check="risk-review",
        methodologies=("predictive",),
        parameters={"max_age_days": 14},
    )
    assert rule.parameter("max_age_days") == 14


def _rule(**fields: object) -> dict[str, object]:
    return {"standards": [{"id": "risk-review", "severity": "warning", **fields}]}


BAD = {
    "unknown-check": (
        {"standards": [{"id": "charter-signed", "severity": "error"}]},
        "the standards, rule 'charter-signed', field 'check': 'charter-signed' is not "
        "a known check. Allowed: charter-approved, charter-findings",
    ),
    "negative-days": (
        _rule(parameters={"max_age_days": -5}),
        "the standards, rule 'risk-review', field 'parameters.max_age_days': -5 is "
        "not allowed. Allowed: a whole number from 1 to 3650",
    ),
    "text-days": (
        _rule(parameters={"max_age_days": "30"}),
        "field 'parameters.max_age_days': '30' is not allowed",
    ),
    "unknown-parameter": (
        _rule(parameters={"max_days": 30}),
        "field 'parameters.max_days': check 'risk-review' has no parameter "
        "'max_days'. Allowed: max_age_days",
    ),
    "severity": (
        _rule(severity="critical"),
        "field 'severity': 'critical' is not allowed. Allowed: error, warning, advice",
    ),
    "phase": (
        _rule(phases=["execution", "build"]),
        "field 'phases': 'build' is not allowed. Allowed: initiation, planning",
    ),
    "methodology": (
        _rule(methodologies=["waterfall"]),
        "field 'methodologies': 'waterfall' is not allowed. Allowed: predictive",
    ),
    "unknown-field": (
        _rule(severty="error"),
        "field 'severty': unknown field. Allowed: id, check, description",
    ),
    "no-id": (
        {"standards": [{"severity": "error"}]},
        "the standards, rule 1, field 'id': None is missing or not text",
    ),
    "duplicate-id": (
        {"standards": [_rule()["standards"][0]] * 2},  # type: ignore[index]
        "rule 'risk-review', field 'id': the id is used twice",
    ),
    "choice": (
        {
            "standards": [
                {
                    "id": "high-risk-response",
                    "severity": "error",
                    "parameters": {"basis": "after"},
                }
            ]
        },
        "field 'parameters.basis': 'after' is not allowed. Allowed: one of inherent, "
        "residual",
    ),
    "finding-code": (
        {
            "standards": [
                {
                    "id": "charter-findings",
                    "severity": "error",
                    "parameters": {"ignore": ["not-signed"]},
                }
            ]
        },
        "field 'parameters.ignore': 'not-signed' is not a charter finding code",
    ),
    "empty": ({"standards": []}, "`standards:` lists no rules"),
    "empty-text": (
        {
            "standards": [
                {
                    "id": "charter-signed-at-gate",
                    "severity": "error",
                    "parameters": {"criterion": " "},
                }
            ]
        },
        "field 'parameters.criterion': ' ' is not allowed. Allowed: a non-empty text",
    ),
    "not-a-list": ({"standards": {"id": "x"}}, "expected a mapping with a list"),
}


@pytest.mark.parametrize("case", list(BAD))
def test_bad_standards_name_the_rule_and_field(case):
    data, message = BAD[case]
    with pytest.raises(ValidationError) as info:
        load_standards(data)  # type: ignore[arg-type]
    assert message in str(info.value)


def test_every_problem_is_listed():
    data = {
        "standards": [
            {
                "id": "risk-review",
                "severity": "loud",
                "parameters": {"max_age_days": 0},
            },
            {"id": "nope", "severity": "error"},
        ]
    }
    with pytest.raises(ValidationError) as info:
        load_standards(data)
    assert len(info.value.problems) == 3
    assert "(+2 more problems)" in str(info.value)


def test_errors_name_the_file(tmp_path):
    path = tmp_path / "pmo-standards.yaml"
    text = "standards:\n  - id: status-update\n    severity: error\n    parameters:\n"
    text += "      max_age_days: 0\n"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ValidationError) as info:
        load_standards(path)
    assert str(info.value).startswith(
        f"{path}, rule 'status-update', field 'parameters.max_age_days': 0 is not "
        "allowed"
    )
    assert path.read_text(encoding="utf-8") == text


def test_bad_yaml_and_missing_file(tmp_path):
    path = tmp_path / "broken.yaml"
    path.write_text("standards: [\n", encoding="utf-8")
    with pytest.raises(
        ValidationError, match=r"broken\.yaml' is not valid YAML \(line 2"
    ):
        load_standards(path)
    with pytest.raises(ValidationError, match="does not exist"):
        load_standards(tmp_path / "missing.yaml")


def test_gate_rules_path_is_read_next_to_the_standards(tmp_path):
    (tmp_path / "strict-gates.yaml").write_text("go_threshold: 3.5\n", encoding="utf-8")
    path = tmp_path / "standards.yaml"
    path.write_text(
        "standards:\n  - id: gate-decision-rule\n    severity: warning\n"
        "    parameters:\n      rules: strict-gates.yaml\n",
        encoding="utf-8",
    )
    rule = load_standards(path).rule("gate-decision-rule")
    assert rule.parameter("rules") == str(tmp_path / "strict-gates.yaml")
    path.write_text(
        path.read_text(encoding="utf-8").replace("strict-", "lenient-"),
        encoding="utf-8",
    )
    with pytest.raises(ValidationError, match=r"lenient-gates\.yaml' does not exist"):
        load_standards(path)


def test_unknown_rule_id_lookup():
    with pytest.raises(ValidationError, match="'risk' is not a rule of"):
        load_standards().rule("risk")
