"""The published scoring rule, by hand-made answer sets with known levels."""

from __future__ import annotations

import pytest
import yaml

from pmo_kit import ValidationError
from pmo_kit.maturity import (
    DEFAULT_QUESTIONNAIRE_PATH,
    assess,
    default_questionnaire,
    questionnaire_from_dict,
)


def answers(area: str, per_level: dict[int, tuple[int, int]]) -> dict[str, int]:
    """Answers (a, b) for the two statements of each listed level of one area."""
    out: dict[str, int] = {}
    for level, (a, b) in per_level.items():
        out[f"{area}-{level}a"] = a
        out[f"{area}-{level}b"] = b
    return out


FULL = (2, 2)


def level_of(per_level: dict[int, tuple[int, int]], area: str = "risk") -> int:
    return assess({"r": answers(area, per_level)}).area(area).level


def test_everything_fully_true_is_level_5() -> None:
    q = default_questionnaire()
    a = assess({"r": {s.id: 2 for s in q.statements}})
    assert set(a.levels.values()) == {5}
    assert {r.progress for r in a.areas} == {5.0}


def test_nothing_answered_is_level_0_and_listed() -> None:
    a = assess({"r": {}})
    assert set(a.levels.values()) == {0}
    assert len(a.unanswered["r"]) == 80
    assert a.summary()["unanswered"] == {"r": 80}


@pytest.mark.parametrize(
    ("level1", "expected"),
    [((2, 1), 1), ((1, 2), 1), ((1, 1), 0), ((2, 0), 0), ((0, 0), 0), (FULL, 1)],
)
def test_threshold_boundary_three_quarters(
    level1: tuple[int, int], expected: int
) -> None:
    # 0.75 = 3 of 4 points is achieved; 2 of 4 is not.
    assert level_of({1: level1}) == expected


def test_staged_a_gap_stops_the_climb() -> None:
    assert level_of({1: FULL, 2: FULL, 3: (0, 0), 4: FULL, 5: FULL}) == 2
    assert level_of({1: (1, 1), 2: FULL, 3: FULL, 4: FULL, 5: FULL}) == 0
    assert level_of({1: FULL, 2: FULL, 3: FULL, 4: (2, 1)}) == 4


def test_progress_shows_partial_credit_of_next_level() -> None:
    a = assess({"r": answers("risk", {1: FULL, 2: FULL, 3: (1, 0)})})
    result = a.area("risk")
    assert result.level == 2
    assert result.progress == pytest.approx(2.25)
    assert result.achievement[3] == pytest.approx(0.25)
    # other areas untouched: level 0, no credit
    assert a.area("governance").progress == 0.0


def test_threshold_comes_from_the_questionnaire() -> None:
    data = yaml.safe_load(DEFAULT_QUESTIONNAIRE_PATH.read_text(encoding="utf-8"))
    data["threshold"] = 1.0
    strict = questionnaire_from_dict(data)
    mixed = answers("risk", {1: FULL, 2: (2, 1)})
    assert assess({"r": mixed}, strict).area("risk").level == 1
    assert assess({"r": mixed}).area("risk").level == 2


def up_to(level: int, area: str = "risk") -> dict[str, int]:
    return answers(area, dict.fromkeys(range(1, level + 1), FULL))


def test_three_raters_median_spread_and_flag() -> None:
    a = assess({"ana": up_to(1), "ben": up_to(3), "cem": up_to(5)})
    risk = a.area("risk")
    assert risk.rater_levels == {"ana": 1, "ben": 3, "cem": 5}
    assert (risk.level, risk.median, risk.spread, risk.agreement) == (3, 3.0, 4, 0.0)
    assert risk.disagree
    assert a.disagreements == ("risk",)


def test_even_raters_median_rounds_down() -> None:
    risk = assess({"ana": up_to(2), "ben": up_to(3)}).area("risk")
    assert (risk.median, risk.level, risk.spread, risk.disagree) == (2.5, 2, 1, False)
    # mean achievement: level 3 is 0 for ana and 1 for ben
    assert risk.achievement[3] == pytest.approx(0.5)
    assert risk.progress == pytest.approx(2.5)


def test_agreement_is_share_of_equal_pairs() -> None:
    risk = assess({"a": up_to(2), "b": up_to(2), "c": up_to(3)}).area("risk")
    assert risk.agreement == pytest.approx(1 / 3)
    assert not risk.disagree  # 2 and 3 are one level apart
    two_apart = assess({"a": up_to(1), "b": up_to(3)}).area("risk")
    assert two_apart.disagree
    assert assess({"a": up_to(4)}).area("risk").agreement == 1.0


def test_to_frame_and_summary() -> None:
    a = assess({"ana": up_to(1), "ben": up_to(4)})
    frame = a.to_frame()
    row = frame.set_index("area").loc["risk"]
    assert (row["rater:ana"], row["rater:ben"], row["disagree"]) == (1, 4, True)
    assert a.summary()["levels"]["risk"] == 2  # median 2.5 rounded down


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        (
            {"r": {"risk-1a": 3}},
            "rater 'r', statement 'risk-1a': 3 is an invalid answer",
        ),
        ({"r": {"risk-1a": True}}, "True is an invalid answer"),
        ({"r": {"risk-9z": 1}}, "rater 'r': 'risk-9z' is not a statement id"),
        ({}, "answers has no rater"),
        ({"r": [1, 2]}, "answers of rater 'r' must map statement id"),
    ],
)
def test_bad_answers_one_line(given: object, expected: str) -> None:
    with pytest.raises(ValidationError) as info:
        assess(given)  # type: ignore[arg-type]
    assert expected in str(info.value)
    assert "\n" not in str(info.value)


def test_unknown_area_lists_known() -> None:
    with pytest.raises(ValidationError, match=r"'finance' is not an area.*Known areas"):
        assess({"r": {}}).area("finance")
