"""Flow tolerances: one rule for sprint commitment and stable flow, kept as data."""

from __future__ import annotations

import math

import pytest

from pmo_kit import ValidationError
from pmo_kit.agile import (
    DEFAULT_FLOW_TOLERANCES_PATH,
    FlowTolerances,
    load_flow_tolerances,
)


def test_the_shipped_file_holds_the_defaults():
    assert DEFAULT_FLOW_TOLERANCES_PATH.is_file()
    assert load_flow_tolerances() == FlowTolerances(0.8, 0.6, 0.8, 1.2)


@pytest.mark.parametrize(
    ("completion", "rag", "missed"),
    [
        (1.0, "green", False),
        (0.8, "green", False),  # exactly 80 % meets the commitment
        (0.79, "amber", True),
        (0.6, "amber", True),
        (0.59, "red", True),
        (math.nan, "", False),
    ],
)
def test_sprint_completion_bands(completion, rag, missed):
    rules = FlowTolerances()
    assert rules.sprint_rag(completion) == rag
    assert rules.missed(completion) is missed


@pytest.mark.parametrize(
    ("ratio", "verdict"),
    [(0.79, "shrinking"), (0.8, "stable"), (1.2, "stable"), (1.21, "piling up")],
)
def test_littles_law_ratio(ratio, verdict):
    assert FlowTolerances().flow(ratio) == verdict


def test_a_team_file(tmp_path):
    file = tmp_path / "team.yaml"
    file.write_text("sprint_amber_below: 0.9\nwip_ratio_high: 1.5\n", encoding="utf-8")
    rules = load_flow_tolerances(file)
    assert rules.sprint_amber_below == 0.9
    assert rules.sprint_red_below == 0.6  # not given: the default
    assert rules.flow(1.4) == "stable"


@pytest.mark.parametrize(
    ("source", "message"),
    [
        (
            {"sprint_amber": 0.9},
            "'sprint_amber' in the flow tolerances is not a tolerance",
        ),
        (
            {"sprint_red_below": "high"},
            "'high' is an invalid value for `sprint_red_below`",
        ),
        (
            {"sprint_red_below": 0.9},
            "`sprint_red_below` 0.9 is above `sprint_amber_below`",
        ),
        ({"wip_ratio_low": 2.0}, "`wip_ratio_low` 2 is above `wip_ratio_high` 1.2"),
        ("missing.yaml", "flow tolerances file 'missing.yaml' does not exist"),
        ([0.8], "the flow tolerances must be a mapping"),
    ],
)
def test_bad_tolerances_are_named(source, message):
    with pytest.raises(ValidationError) as info:
        load_flow_tolerances(source)
    assert message in str(info.value)
