"""Gap to target and the roadmap's order (hand-worked expectations)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from pmo_kit import ValidationError
from pmo_kit.maturity import assess, default_questionnaire, gaps, roadmap

if TYPE_CHECKING:
    from pmo_kit.maturity.scoring import Assessment


def rated(levels: dict[str, int]) -> Assessment:
    """One rater whose answers put each area exactly at the given level."""
    q = default_questionnaire()
    return assess(
        {"r": {s.id: 2 for s in q.statements if s.level <= levels.get(s.area, 0)}}
    )


LEVELS = {
    "standards": 2,
    "governance": 1,
    "resources": 3,
    "risk": 0,
    "performance": 3,
    "knowledge": 3,
    "training": 3,
    "portfolio": 1,
}


def test_gaps() -> None:
    found = {g.area: (g.level, g.target, g.gap) for g in gaps(rated(LEVELS), 3)}
    assert found["risk"] == (0, 3, 3)
    assert found["standards"] == (2, 3, 1)
    assert found["resources"] == (3, 3, 0)
    over = gaps(rated({"risk": 5}), {"risk": 3})
    assert next(g for g in over if g.area == "risk").gap == 0


def test_order_lowest_level_then_foundations() -> None:
    # depths by hand from depends_on: standards 0; governance 1; risk 2
    # (standards, governance); portfolio 3 (governance, performance, resources, risk)
    steps = [(a.area, a.level) for a in roadmap(rated(LEVELS), target=3)]
    assert steps == [
        ("risk", 1),
        ("governance", 2),
        ("risk", 2),
        ("portfolio", 2),
        ("standards", 3),
        ("governance", 3),
        ("risk", 3),
        ("portfolio", 3),
    ]


def test_ties_follow_dependencies_then_questionnaire_order() -> None:
    steps = [a.area for a in roadmap(rated({}), target=1)]
    assert steps == [
        "standards",  # depth 0
        "governance",  # depth 1, in questionnaire order
        "resources",
        "knowledge",
        "risk",  # depth 2
        "performance",
        "training",
        "portfolio",  # depth 3
    ]


def test_actions_tied_to_practice_and_lessons() -> None:
    actions = roadmap(rated(LEVELS), target={"risk": 1})
    assert len(actions) == 1
    (action,) = actions
    assert action.step == 1
    assert action.lessons == ("02",)
    assert "pmo_kit.risk.overdue_reviews" in action.kit
    assert action.statements == (
        "People talk about what could go wrong.",
        "Some projects keep a list of risks.",
    )
    assert action.text.startswith("Bring risk management to level 1 (awareness): ")
    assert action.text.endswith("(lesson 02).")
    assert action.summary()["step"] == 1


def test_no_gap_no_actions() -> None:
    assert roadmap(rated(dict.fromkeys(LEVELS, 4)), target=3) == []


@pytest.mark.parametrize(
    ("target", "expected"),
    [
        (6, "6 is an invalid target for 'standards'. Allowed: 1 to 5"),
        ({"finance": 3}, "target names unknown area(s) ['finance']"),
        ({"risk": True}, "True is an invalid target for 'risk'"),
    ],
)
def test_bad_target(target: object, expected: str) -> None:
    with pytest.raises(ValidationError) as info:
        roadmap(rated({}), target=target)  # type: ignore[arg-type]
    assert expected in str(info.value)
