"""Gate reviews: the decision rule worked by hand, rules as data, bad input."""

from __future__ import annotations

from typing import Any

import pandas as pd
import pytest

from pmo_kit import ValidationError
from pmo_kit.governance import (
    DEFAULT_GATE_RULES_PATH,
    GateRules,
    check_gates,
    decide_gate,
    gate_decisions,
    gate_review,
    load_gate_rules,
)


def _criteria(scores: list[float | None], **columns: Any) -> pd.DataFrame:
    """A G1-like gate: two musts, then shoulds weighted 0.5, 0.3, 0.2."""
    frame = pd.DataFrame(
        {
            "project_id": "P-099",
            "gate": "G1",
            "criterion": [
                "Business case approved",
                "Project charter signed",
                "Objectives are measurable",
                "Key risks identified",
                "Funding source confirmed",
            ],
            "requirement": ["must", "must", "should", "should", "should"],
            "weight": [0.0, 0.0, 0.5, 0.3, 0.2],
            "score": pd.array(scores, dtype="Int64"),
        }
    )
    return frame.assign(**columns)


# ----------------------------------------------------------------- the rule


def test_all_musts_and_a_good_score_is_go():
    review = decide_gate(_criteria([1, 1, 4, 3, 2]))
    # 0.5 x 4 + 0.3 x 3 + 0.2 x 2 = 2.0 + 0.9 + 0.4 = 3.3
    assert review.weighted_score == pytest.approx(3.3)
    assert review.decision == "Go"
    assert review.musts_met
    assert "3.30 of 5" in review.rationale
    assert "Go threshold of 3" in review.rationale
    assert review.criteria["contribution"].tolist()[2:] == pytest.approx(
        [2.0, 0.9, 0.4]
    )


def test_weights_matter_not_the_plain_average():
    # the heaviest criterion (0.5) scored 1: 0.5 x 1 + 0.3 x 4 + 0.2 x 4 = 2.5,
    # while the plain average (1 + 4 + 4) / 3 = 3.0 would have been a Go
    review = decide_gate(_criteria([1, 1, 1, 4, 4]))
    assert review.weighted_score == pytest.approx(2.5)
    assert review.decision == "Recycle"
    assert "rework the weakest criteria" in review.rationale


def test_exactly_on_the_go_threshold_is_go():
    review = decide_gate(_criteria([1, 1, 3, 3, 3]))
    assert review.weighted_score == pytest.approx(3.0)
    assert review.decision == "Go"


def test_a_must_not_met_is_a_hold_whatever_the_score():
    review = decide_gate(_criteria([1, 0, 5, 5, 5]))
    assert review.weighted_score == pytest.approx(5.0)
    assert review.decision == "Hold"
    assert review.failed_musts == ("Project charter signed",)
    assert review.rationale.startswith(
        "Must-meet criterion 'Project charter signed' is not met: a knock-out"
    )


def test_a_knock_out_criterion_kills():
    criteria = _criteria([0, 1, 5, 5, 5])
    rules = GateRules(knock_out=("Business case approved",))
    review = decide_gate(criteria, rules=rules)
    assert review.decision == "Kill"
    assert "'Business case approved' is not met and cannot be fixed" in (
        review.rationale
    )


def test_below_the_recycle_threshold_kills():
    # 0.5 x 1 + 0.3 x 2 + 0.2 x 1 = 1.3 < 1.5
    review = decide_gate(_criteria([1, 1, 1, 2, 1]))
    assert review.weighted_score == pytest.approx(1.3)
    assert review.decision == "Kill"
    assert "below the Recycle threshold of 1.5" in review.rationale


def test_must_not_met_can_be_a_kill_by_the_rules():
    rules = load_gate_rules({"must_not_met": "kill"})
    assert decide_gate(_criteria([1, 0, 5, 5, 5]), rules=rules).decision == "Kill"


def test_a_criterion_not_scored_holds_the_gate():
    review = decide_gate(_criteria([1, 1, 4, None, 3]))
    assert review.decision == "Hold"
    assert "Not scored: 'Key risks identified'" in review.rationale


def test_gate_without_should_criteria():
    criteria = _criteria([1, 1, 4, 3, 2]).iloc[:2]
    assert decide_gate(criteria).decision == "Go"


# ----------------------------------------------------- the sample organisation


def test_p010_g1_is_on_hold_as_recorded(sample):
    review = gate_review(sample.gates, "P-010", "G1")
    # weights 0.29, 0.14, 0.14, 0.43; scores 4, 5, 4, 3
    assert review.weighted_score == pytest.approx(
        0.29 * 4 + 0.14 * 5 + 0.14 * 4 + 0.43 * 3
    )
    assert review.weighted_score == pytest.approx(3.71)
    assert review.decision == "Hold"
    assert set(review.failed_musts) == {
        "Business case approved by sponsor",
        "Project charter signed",
    }
    assert review.recorded == "hold"
    assert review.agrees is True
    assert review.review_date == pd.Timestamp("2026-06-24")
    assert str(review).startswith("P-010 G1: Hold. Must-meet criteria")


def test_p002_g3_the_board_said_go_the_rule_says_recycle(sample):
    review = gate_review(sample.gates, "P-002", "G3")
    # 0.43 x 2 + 0.14 x 5 + 0.43 x 1 = 1.99
    assert review.weighted_score == pytest.approx(1.99)
    assert review.decision == "Recycle"
    assert review.recorded == "go"
    assert review.agrees is False


def test_rule_against_recorded_decisions(sample):
    table = gate_decisions(sample.gates)
    assert len(table) == 39  # every (project, gate) reviewed
    assert list(table.columns) == [
        "project_id",
        "gate",
        "review_date",
        "weighted_score",
        "musts_met",
        "failed_musts",
        "decision",
        "recorded",
        "agrees",
        "overridden",
        "rationale",
    ]
    overridden = table[table["overridden"]]
    assert (table["agrees"] == ~table["overridden"]).all()  # everything is recorded
    assert list(zip(overridden["project_id"], overridden["gate"], strict=True)) == [
        ("P-002", "G1"),  # 2.56
        ("P-002", "G3"),  # 1.99
        ("P-005", "G0"),  # 0.25 x 2 + 0.5 x 3 + 0.25 x 2 = 2.5
        ("P-005", "G1"),  # 2.86
        ("P-007", "G0"),  # 2.44
        ("P-009", "G0"),  # 2.90
    ]
    assert set(overridden["decision"]) == {"Recycle"}
    assert table.loc[table["gate"] == "G0", "project_id"].tolist()[:2] == [
        "P-001",
        "P-002",
    ]


def test_a_lower_go_threshold_changes_the_verdicts(sample):
    table = gate_decisions(sample.gates, rules=GateRules(go_threshold=2.4))
    overridden = table[table["overridden"]]
    assert overridden["gate"].tolist() == ["G3"]  # only P-002 G3, 1.99, is left


def test_unknown_gate_and_gate_not_reviewed(sample):
    with pytest.raises(ValidationError, match=r"'G9' is not a gate\. Allowed: G0"):
        gate_review(sample.gates, "P-001", "G9")
    with pytest.raises(
        ValidationError, match=r"P-009 has no review of gate G3.*reviewed: G0, G1"
    ):
        gate_review(sample.gates, "P-009", "G3")


# -------------------------------------------------------------------- bad input

BAD_ROWS: dict[str, tuple[dict[str, Any], str]] = {
    "gate": ({"gate": "G7"}, "'G7' is not a gate. Allowed: G0, G1, G2, G3, G4, G5"),
    "requirement": (
        {"requirement": ["must", "must", "nice", "should", "should"]},
        "requirement 'nice' is not allowed. Allowed: 'must'",
    ),
    "must-weight": (
        {"weight": [0.3, 0.0, 0.5, 0.3, 0.2]},
        "criterion 'Business case approved': a must-meet criterion has weight 0.3",
    ),
    "should-score": (
        {"score": [1, 1, 6, 3, 2]},
        "score 6 is not allowed for a should-criterion. Allowed: 0 to 5",
    ),
    "must-score": (
        {"score": [2, 1, 4, 3, 2]},
        "score 2 is not allowed for a must-criterion. Allowed: 0 (not met) or 1",
    ),
    "weights": (
        {"weight": [0.0, 0.0, 0.5, 0.3, 0.1]},
        "gates, project P-099 gate G1: the should-criteria weights add up to 0.90",
    ),
    "decision": (
        {"decision": "maybe"},
        "decision 'maybe' is not a gate decision. Allowed: go, hold, recycle, kill",
    ),
    "two-decisions": (
        {"decision": ["go", "go", "hold", "go", "go"]},
        "the rows record different decisions (go, hold)",
    ),
    "duplicate": (
        {"criterion": ["A", "A", "B", "C", "D"]},
        "criterion 'A' appears twice",
    ),
}


@pytest.mark.parametrize("case", list(BAD_ROWS))
def test_bad_gate_rows_are_named(case):
    change, message = BAD_ROWS[case]
    criteria = _criteria([1, 1, 4, 3, 2]).assign(**change)
    with pytest.raises(ValidationError) as info:
        check_gates(criteria)
    assert message in str(info.value)
    with pytest.raises(ValidationError):
        decide_gate(criteria)


def test_gates_reviewed_out_of_order():
    first = _criteria([1, 1, 4, 3, 2], review_date=pd.Timestamp("2026-03-01"))
    second = first.assign(gate="G2", review_date=pd.Timestamp("2026-02-01"))
    with pytest.raises(ValidationError) as info:
        check_gates(pd.concat([first, second]))
    assert (
        "gates, project P-099: gate G2 was reviewed on 2026-02-01, before gate G1 "
        "(2026-03-01). Allowed: gates reviewed in order, G0 first"
    ) in str(info.value)


def test_missing_columns_are_named():
    with pytest.raises(ValidationError, match="the column\\(s\\) 'weight' are missing"):
        check_gates(_criteria([1, 1, 4, 3, 2]).drop(columns="weight"))


def test_several_problems_are_all_kept():
    criteria = _criteria([1, 1, 9, 3, 2]).assign(gate="G8")
    with pytest.raises(ValidationError) as info:
        check_gates(criteria)
    assert len(info.value.problems) == 6  # five rows with G8, one bad score
    assert "(+5 more problems)" in str(info.value)


# ------------------------------------------------------------- rules as data


def test_default_rules_file():
    rules = load_gate_rules()
    assert rules == load_gate_rules(DEFAULT_GATE_RULES_PATH)
    assert (rules.go_threshold, rules.recycle_threshold) == (3.0, 1.5)
    assert rules.must_not_met == "Hold"
    assert rules.knock_out == ("Idea fits the strategy",)


def test_rules_from_a_file(tmp_path):
    path = tmp_path / "rules.yaml"
    path.write_text("go_threshold: 3.5\nknock_out: []\n", encoding="utf-8")
    rules = load_gate_rules(path)
    assert rules.go_threshold == 3.5
    assert rules.knock_out == ()
    assert rules.recycle_threshold == 1.5


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("go_treshold: 3\n", "'go_treshold' is not a key of the gate rules in"),
        ("go_threshold: high\n", "'high' is an invalid value for `go_threshold`"),
        ("go_threshold: 7\n", "7.0 is an invalid value for `go_threshold`"),
        (
            "go_threshold: 2\nrecycle_threshold: 2.5\n",
            "recycle_threshold 2.5 is above go_threshold 2.0",
        ),
        ("must_not_met: wait\n", "'wait' is an invalid value for `must_not_met`"),
        ("knock_out: Sponsor named\n", "invalid value for `knock_out`"),
        ("go_threshold: [3\n", "is not valid YAML"),
        ("- 3\n", "must be a mapping"),
    ],
)
def test_bad_rules_files_are_named(tmp_path, text, message):
    path = tmp_path / "rules.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ValidationError) as info:
        load_gate_rules(path)
    assert message in str(info.value)
    assert path.read_text(encoding="utf-8") == text  # never touched


def test_missing_rules_file(tmp_path):
    with pytest.raises(ValidationError, match="does not exist"):
        load_gate_rules(tmp_path / "nope.yaml")


def test_the_table_agrees_with_one_review_at_a_time(sample):
    table = gate_decisions(sample.gates)
    for row in table.itertuples():
        review = gate_review(sample.gates, str(row.project_id), str(row.gate))
        assert review.decision == row.decision
        assert review.rationale == row.rationale
        assert review.weighted_score == pytest.approx(row.weighted_score)
        assert review.recorded == row.recorded
        assert review.review_date == row.review_date


def test_whole_number_weights_and_text_weights():
    criteria = pd.DataFrame(
        {
            "criterion": ["Sponsor named", "Benefits described"],
            "requirement": ["must", "should"],
            "weight": [0, 1],  # int64 column
            "score": [1, 4],
        }
    )
    assert decide_gate(criteria).decision == "Go"
    with pytest.raises(ValidationError, match="weight 'heavy' is not allowed"):
        check_gates(criteria.assign(project_id="P-1", gate="G0", weight=[0, "heavy"]))
