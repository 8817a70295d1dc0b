"""RAG rules as data: YAML files the PMO edits, errors that name the key."""

from __future__ import annotations

import pandas as pd
import pytest

from pmo_kit import ValidationError
from pmo_kit.evm import (
    DEFAULT_RAG,
    RagRules,
    RagThresholds,
    load_rag_rules,
    rag_status,
)


def test_default_bands_match_the_documented_ones():
    statuses = rag_status(pd.Series([0.95, 1.05, 0.94, 0.90, 1.10, 0.89, 1.11]))
    assert statuses.tolist() == [
        "green",
        "green",
        "amber",
        "amber",
        "amber",
        "red",
        "red",
    ]


def test_flat_file_applies_to_schedule_and_cost(tmp_path):
    path = tmp_path / "rag.yaml"
    path.write_text("green: [0.97, 1.03]\namber: [0.92, 1.08]\n", encoding="utf-8")
    rules = load_rag_rules(path)
    expected = RagThresholds(0.97, 1.03, 0.92, 1.08)
    assert rules == RagRules(schedule=expected, cost=expected)


def test_sections_override_the_top_level_bands(tmp_path):
    path = tmp_path / "rag.yaml"
    path.write_text(
        "# tolerances agreed with the board\n"
        "green: [0.95, 1.05]\n"
        "amber: [0.85, 1.15]\n"
        "cost:\n"
        "  green: [0.98, 1.02]\n",
        encoding="utf-8",
    )
    rules = load_rag_rules(str(path))
    assert rules.schedule == RagThresholds(0.95, 1.05, 0.85, 1.15)
    assert rules.cost == RagThresholds(0.98, 1.02, 0.85, 1.15)


def test_empty_mapping_keeps_the_defaults():
    assert load_rag_rules({}) == RagRules()
    assert RagRules().schedule == DEFAULT_RAG


@pytest.mark.parametrize(
    ("data", "match"),
    [
        ({"gren": [0.9, 1.1]}, r"'gren' is not a key of the RAG rules\. Known keys: "),
        ({"cost": {"green": [0.97, 1.03], "red": [0, 2]}}, r"'cost\.red' is not a key"),
        ({"cost": {"green": 0.97}}, r"0\.97 is an invalid value for `cost\.green`"),
        ({"amber": [0.9, 1.1, 1.2]}, r"invalid value for `amber`.*two numbers"),
        ({"green": ["low", "high"]}, r"invalid value for `green`"),
        (
            {"schedule": {"green": [1.05, 0.95]}},
            r"`schedule\.green`.*low is above high",
        ),
        ({"schedule": [0.9, 1.1]}, r"`schedule` in the RAG rules must be a mapping"),
        (
            {"cost": {"green": [0.85, 1.05], "amber": [0.9, 1.1]}},
            r"The bands `cost` in the RAG rules are not nested",
        ),
        ({"green": [1.01, 1.05]}, r"are not nested: green \[1\.01, 1\.05\]"),
    ],
)
def test_errors_name_the_key(data, match):
    with pytest.raises(ValidationError, match=match):
        load_rag_rules(data)


def test_file_errors_name_the_file(tmp_path):
    missing = tmp_path / "nope.yaml"
    with pytest.raises(ValidationError, match=r"nope\.yaml' does not exist"):
        load_rag_rules(missing)
    broken = tmp_path / "broken.yaml"
    broken.write_text("green: [0.95, 1.05\n", encoding="utf-8")
    with pytest.raises(ValidationError, match=r"broken\.yaml' is not valid YAML"):
        load_rag_rules(broken)
    listed = tmp_path / "list.yaml"
    listed.write_text("- 0.95\n- 1.05\n", encoding="utf-8")
    with pytest.raises(ValidationError, match=r"list\.yaml' must be a mapping"):
        load_rag_rules(listed)
    bad_key = tmp_path / "key.yaml"
    bad_key.write_text("cost:\n  gren: [0.9, 1.1]\n", encoding="utf-8")
    with pytest.raises(
        ValidationError, match=r"'cost\.gren' is not a key of .*key\.yaml"
    ):
        load_rag_rules(bad_key)


def test_rules_coerce_from_thresholds_and_reject_other_types():
    t = RagThresholds(0.9, 1.1, 0.8, 1.2)
    assert RagRules.coerce(t) == RagRules(schedule=t, cost=t)
    with pytest.raises(ValidationError, match="invalid value for `thresholds`"):
        RagRules.coerce({"green": [0.9, 1.1]})  # type: ignore[arg-type]
