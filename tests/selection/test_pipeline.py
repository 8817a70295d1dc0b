"""
The candidate pipeline: the sample's files, the loader's checks, the derived pipeline.

Expected values come from tests/selection/_pipeline_brute.py: the files read with
csv/yaml, scores and NPV by plain arithmetic, free hours by a loop, the best
portfolio by enumerating every subset.
"""

from __future__ import annotations

import math
import shutil
from typing import TYPE_CHECKING

import pytest

from pmo_kit import ValidationError
from pmo_kit.selection import (
    frontier_changes,
    load_pipeline,
    pipeline_for,
)
from tests.selection import _pipeline_brute as brute
from tests.selection._needs import require_scipy

if TYPE_CHECKING:
    from pathlib import Path


@pytest.fixture(scope="module")
def sample():
    return load_pipeline()


def test_sample_files_and_rules(sample):
    assert len(sample.candidates) == 22
    assert sample.candidates["project_id"].tolist()[:2] == ["C-001", "C-002"]
    assert sample.must == ("C-001", "C-022")
    assert sample.never == ("C-019",)
    assert sample.requires == (("C-005", "C-004"), ("C-021", "C-010"))
    assert sample.exclusive == (("C-002", "C-003"),)
    assert sample.budget_per_year == {"2027": 2_600_000.0, "2028": 1_200_000.0}
    assert sample.budget == 3_800_000.0
    assert sample.years == (2027, 2028, 2029, 2030, 2031)
    assert not sample.derived
    # cost is the sum of the yearly costs: C-002 900k + 500k
    costs = dict(
        zip(sample.candidates["project_id"], sample.candidates["cost"], strict=True)
    )
    assert costs["C-002"] == 1_400_000.0
    roles = {r["role"] for r in brute.rows(brute.DATASET / "resources.csv")}
    assert set(sample.demands["role"]) <= roles


def test_free_capacity_matches_a_plain_loop(sample):
    expected = brute.plain_capacity()
    assert set(sample.capacity) == set(expected)
    for role, hours in expected.items():
        assert sample.capacity[role] == pytest.approx(hours, abs=0.05), role
    # by hand: the one Data Engineer, 37.5 h/week x 44 weeks, nothing booked in 2027
    assert sample.capacity["Data Engineer"] == 1650.0


def test_scores_and_npv_match_plain_arithmetic(sample):
    scored = sample.scored().set_index("project_id")
    for ident, score in brute.plain_scores().items():
        assert scored.loc[ident, "score"] == pytest.approx(score)
    for ident, value in brute.plain_npv(0.08).items():
        assert scored.loc[ident, "npv"] == pytest.approx(value)
    # C-009: flows -70k, 250k x 4 (benefit 150k - cost 220k in 2027): paid back
    # within year 2 at 70/250 of it -> 1.28 years from the start of 2027
    assert scored.loc["C-009", "payback"] == pytest.approx(1 + 70 / 250)


def test_the_situations_the_lesson_needs(sample):
    scored = sample.scored().set_index("project_id")
    # the pet project: second best score, worst NPV
    assert scored.loc["C-006", "rank"] == 2
    assert scored["npv"].idxmin() == "C-006"
    assert scored.loc["C-006", "npv"] < 0
    # the regulatory must-do does not pay back
    assert math.isnan(scored.loc["C-001", "payback"])
    require_scipy()
    result = sample.select()
    assert "role Data Engineer" in result.binding  # the scarce role
    assert "period 2027" in result.binding
    assert {"C-001", "C-022"} <= set(result.chosen)
    assert "C-019" not in result.chosen


def test_select_is_the_brute_force_optimum(sample):
    require_scipy()
    result = sample.select()
    best, winners = brute.brute_best(brute.plain_scores())
    assert result.total_value == pytest.approx(best)
    assert frozenset(result.chosen) in winners
    assert result.greedy is not None
    assert result.greedy.value_lost == pytest.approx(best - result.greedy.total_value)
    assert result.greedy.value_lost > 0  # the ranking loses here


def test_select_with_npv_and_a_smaller_budget(sample):
    require_scipy()
    npv = brute.plain_npv(0.08)
    result = sample.select(value="npv", budget=3_000_000)
    best, winners = brute.brute_best(npv, budget_scale=3_000_000 / 3_800_000)
    assert result.total_value == pytest.approx(best)
    assert frozenset(result.chosen) in winners


def test_frontier_levels_are_brute_force_optima(sample):
    require_scipy()
    scores = brute.plain_scores()
    frontier = sample.frontier([1_500_000, 3_800_000, 6_000_000])
    for row in frontier.itertuples():
        best, winners = brute.brute_best(scores, budget_scale=row.budget / 3_800_000)
        assert row.best_value == pytest.approx(best)
        assert frozenset(row.chosen) in winners
    levels = sample.budget_levels()
    # lowest level: the must-dos' 2027 cost (420k + 210k) must fit 2027's share
    # of the budget (2.6M of 3.8M): 630k x 3.8 / 2.6 = 920,769 -> 921,000
    assert levels[0] == 921_000
    assert levels[-1] == float(sample.candidates["cost"].sum())
    assert sample.frontier(levels[:1])["feasible"].tolist() == [True]
    assert sample.frontier([levels[0] - 2000])["feasible"].tolist() == [False]


def test_frontier_changes_by_hand():
    import pandas as pd

    frontier = pd.DataFrame(
        {
            "budget": [1.0, 2.0, 3.0, 4.0],
            "feasible": [True, False, True, True],
            "best_value": [10.0, math.nan, 25.0, 25.0],
            "total_cost": [1.0, math.nan, 3.0, 3.0],
            "count": [1, 0, 2, 2],
            "chosen": [("A",), (), ("B", "C"), ("B", "C")],
            "added": [("A",), (), ("B", "C"), ()],
            "removed": [(), (), ("A",), ()],
        }
    )
    changes = frontier_changes(frontier, {"B": "Bravo"})
    assert changes["budget_from"].tolist() == [1.0]
    assert changes["budget_to"].tolist() == [3.0]
    assert changes["value_gain"].tolist() == [15.0]
    assert changes["change"].tolist() == ["+15 value: adds Bravo, C; drops A"]
    with pytest.raises(ValidationError, match="frontier has no 'budget' column"):
        frontier_changes(pd.DataFrame({"x": [1]}))


# --- bad files: one line naming file, row, column, value, allowed ------------------


@pytest.fixture
def copy(tmp_path):
    target = tmp_path / "org"
    shutil.copytree(brute.DATASET, target)
    return target


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text("utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), "utf-8")


@pytest.mark.parametrize(
    ("file", "old", "new", "message"),
    [
        (
            "candidates.csv",
            "C-003,CRM Upgrade (extend the current CRM),Customer Growth,Sofia Marin,"
            "predictive,4",
            "C-003,CRM Upgrade (extend the current CRM),Customer Growth,Sofia Marin,"
            "predictive,6",
            r"candidates.csv, row 4, column 'strategic_alignment': 6 is out of range"
            r"\. Allowed: whole numbers from 1 to 5",
        ),
        (
            "candidates.csv",
            "Sofia Marin,hybrid",
            "Sofia Marin,waterfall",
            r"candidates.csv, row 3, column 'methodology': 'waterfall'.*Allowed: one "
            r"of 'predictive', 'agile', 'hybrid'",
        ),
        (
            "demands.csv",
            "C-001,Security Specialist",
            "C-001,Hacker",
            r"demands.csv, row 2, column 'role': 'Hacker'.*Allowed: one of 'Business "
            r"Analyst'",
        ),
        (
            "pipeline.yaml",
            "must: [C-001, C-022]",
            "must: [C-001, C-099]",
            r"pipeline.yaml, 'must': 'C-099' is not allowed\. Allowed: a candidate_id",
        ),
        (
            "pipeline.yaml",
            "discount_rate: 0.08",
            "discount_rate: lots",
            r"pipeline.yaml, 'discount_rate': 'lots' is not allowed\. "
            r"Allowed: a number",
        ),
        (
            "pipeline.yaml",
            "urgency, delivery_confidence, 1]",
            "urgency, speed, 1]",
            r"pipeline.yaml, 'judgements': 'speed' is not allowed\. Allowed: criteria "
            r"strategic_alignment",
        ),
        (
            "pipeline.yaml",
            "project_weeks: 44",
            "projects_weeks: 44",
            r"pipeline.yaml, 'projects_weeks'.*Allowed: the keys budget_per_year",
        ),
    ],
)
def test_bad_pipeline_files_give_one_line(copy, file, old, new, message):
    _edit(copy / "pipeline" / file, old, new)
    with pytest.raises(ValidationError, match=message) as info:
        load_pipeline(copy)
    assert "\n" not in str(info.value)


def test_weights_must_be_criterion_columns(copy):
    _edit(copy / "pipeline" / "pipeline.yaml", "  urgency: 0.15", "  speed: 0.15")
    with pytest.raises(ValidationError, match=r"missing column 'speed'"):
        load_pipeline(copy)


def test_a_folder_without_pipeline_names_pipeline_for(copy):
    shutil.rmtree(copy / "pipeline")
    with pytest.raises(ValidationError, match=r"has no pipeline .*pipeline_for"):
        load_pipeline(copy)
    derived = pipeline_for(copy)
    assert derived.derived


def test_the_pipeline_folder_itself_and_the_dataset_folder_read_alike(sample):
    again = load_pipeline(brute.PIPELINE)
    assert again.candidates.equals(sample.candidates)
    assert pipeline_for(None).candidates.equals(sample.candidates)


def test_check_dataset_accepts_the_pipeline_subfolder():
    from pmo_kit.data.portfolio import check_dataset

    assert list(check_dataset(brute.DATASET).problems) == []


# --- derived pipeline for a generated organisation ----------------------------------


@pytest.fixture(scope="module")
def generated():
    import pmo_kit

    return pmo_kit.generate_organisation(seed=7, projects=12)


def test_derived_pipeline_for_a_generated_organisation(generated, sample):
    from pmo_kit.selection import free_capacity

    derived = pipeline_for(generated)
    assert derived.derived
    assert pipeline_for(generated).candidates.equals(derived.candidates)  # same seed
    assert derived.must == sample.must
    assert derived.requires == sample.requires
    assert derived.exclusive == sample.exclusive
    programmes = set(generated.projects["programme"])
    assert set(derived.candidates["programme"]) <= programmes
    assert set(derived.candidates["sponsor"]) <= set(generated.projects["sponsor"])
    first = int(generated.projects["status_date"].max().year) + 1
    assert derived.years[0] == first
    assert derived.capacity == free_capacity(generated, year=first)
    # each role's total demand keeps its ratio to the free hours (+-5% jitter)
    for role in ("Data Engineer", "Security Specialist"):
        share = derived.demands.loc[derived.demands["role"] == role, "hours"].sum()
        was = sample.demands.loc[sample.demands["role"] == role, "hours"].sum()
        assert share / derived.capacity[role] == pytest.approx(
            was / sample.capacity[role], rel=0.06
        )
    require_scipy()
    result = derived.select()
    assert set(derived.must) <= set(result.chosen)
    assert "role Data Engineer" in result.binding
    pet = derived.scored().set_index("project_id").to_dict("index")["C-006"]
    assert pet["npv"] < 0
    assert pet["rank"] <= 3


def test_saving_the_organisation_keeps_its_pipeline(copy):
    import pmo_kit
    from pmo_kit.data.portfolio import load_portfolio

    pmo_kit.save_portfolio(load_portfolio(copy), copy)
    assert len(load_pipeline(copy).candidates) == 22
