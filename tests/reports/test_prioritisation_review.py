"""
The portfolio-prioritisation review and its notebook.

Expected values are recomputed from the pipeline files with csv/yaml and brute
force over every subset (tests/selection/_pipeline_brute.py), or by hand.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from pmo_kit import ValidationError
from pmo_kit.reports.batch_headlines import headline
from pmo_kit.reports.prioritisation_review import portfolio_prioritisation
from tests.selection import _pipeline_brute as brute
from tests.selection._needs import require_scipy


@pytest.fixture(scope="module")
def portfolio():
    import pmo_kit

    return pmo_kit.load_portfolio()


@pytest.fixture(scope="module")
def review(portfolio):
    require_scipy()
    return portfolio_prioritisation(portfolio)


def test_selection_is_the_brute_force_optimum(review):
    best, winners = brute.brute_best(brute.plain_scores())
    assert review.result.total_value == pytest.approx(best)
    assert frozenset(review.result.chosen) in winners
    ranking = review.ranking.set_index("project_id")
    assert set(ranking.index[ranking["chosen"]]) == set(review.result.chosen)
    scores = brute.plain_scores()
    assert (
        list(review.ranking["project_id"][:2])
        == sorted(scores, key=lambda i: (-round(scores[i], 9), i))[:2]
    )
    assert ranking.loc["C-001", "rule"] == "must"
    assert ranking.loc["C-004", "rule"] == "needed by C-005"
    assert ranking.loc["C-002", "rule"] == "not with C-003"


def test_tables_by_hand(review):
    years = review.years.set_index("year")
    chosen = set(review.result.chosen)
    cands = {
        r["candidate_id"]: r for r in brute.rows(brute.PIPELINE / "candidates.csv")
    }
    for year, budget in (("2027", 2_600_000), ("2028", 1_200_000)):
        assert years.loc[year, "budget"] == budget
        spent = sum(float(cands[i][f"cost_{year}"]) for i in chosen)
        assert years.loc[year, "used"] == pytest.approx(spent)
    programmes = review.programmes.set_index("programme")
    assert programmes["candidates"].sum() == 22
    assert (
        programmes.loc["Compliance & Risk", "candidates"] == 5
    )  # C-001,012,013,015,022
    limits = review.limits.set_index("limit_name")
    assert limits.loc["Data Engineer", "limit"] == 1650.0
    assert bool(limits.loc["Data Engineer", "binding"])
    weights = review.weight_table.set_index("criterion")
    assert weights["agreed"].sum() == pytest.approx(1.0)
    assert weights.loc["strategic_alignment", "used_weight"] == pytest.approx(0.4)


def test_narrative_flags_and_frontier(review):
    lines = review.narrative
    assert lines[0] == (
        "22 candidates ask for EUR 9,620,000; with a budget of EUR 3,800,000 the best "
        f"portfolio takes {len(review.result.chosen)} projects for "
        f"EUR {review.result.total_cost:,.0f} (total value "
        f"{review.result.total_value:,.2f} points)."
    )
    assert any("Data Engineer hours" in x and x.startswith("Binding") for x in lines)
    assert any("consistent (consistency ratio 0.4%" in x for x in lines)
    # the pet project: top quarter by score, negative NPV; the must-dos are not flagged
    assert len(review.flags) == 1
    assert review.flags[0].startswith("C-006 Virtual Reality Showroom ranks 2 of 22")
    # the frontier holds the report's budget and its value is the selection's
    at_budget = review.frontier.set_index("budget").loc[3_800_000.0]
    assert at_budget["best_value"] == pytest.approx(review.result.total_value)
    values = review.frontier.loc[review.frontier["feasible"], "best_value"]
    assert values.is_monotonic_increasing
    assert lines[-1].startswith("On the frontier, going from EUR 3,800,000 to ")


def test_ahp_weights_and_npv_objective(portfolio):
    require_scipy()
    ahp = portfolio_prioritisation(portfolio, weights="ahp")
    assert ahp.weights == pytest.approx(ahp.ahp.weights)
    assert ahp.ahp.consistency_ratio < 0.1
    best, winners = brute.brute_best(brute.plain_scores(ahp.weights))
    assert ahp.result.total_value == pytest.approx(best)
    npv = portfolio_prioritisation(portfolio, value="npv", budget=3_000_000)
    best, winners = brute.brute_best(brute.plain_npv(0.08), budget_scale=3 / 3.8)
    assert npv.result.total_value == pytest.approx(best)
    assert frozenset(npv.result.chosen) in winners
    assert npv.header["Maximises"] == "total NPV at 8%"


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"weights": "AHP"}, r"weights: 'AHP' is not allowed\. Allowed: agreed, ahp"),
        ({"value": "irr"}, r"value: 'irr' is not allowed\. Allowed: score, npv"),
        ({"budget": -5.0}, r"-5\.0 is an invalid budget"),
        ({"budget": 100_000.0}, r"no portfolio is possible: the must projects"),
    ],
)
def test_bad_parameters_give_one_line(portfolio, kwargs, message):
    require_scipy()
    with pytest.raises(ValidationError, match=message) as info:
        portfolio_prioritisation(portfolio, **kwargs)
    assert "\n" not in str(info.value)


def test_summary_and_headline(review):
    summary = json.loads(json.dumps(review.summary(), allow_nan=False))
    assert summary["report"] == "portfolio-prioritisation"
    assert summary["chosen"] == list(review.result.chosen)
    assert summary["budget_per_year"] == {"2027": 2_600_000.0, "2028": 1_200_000.0}
    assert summary["derived_pipeline"] is False
    figures = {
        k: str(v) for k, v in headline("portfolio-prioritisation", summary).items()
    }
    assert figures["Chosen"] == f"{len(review.result.chosen)} of 22"
    assert figures["Budget"] == "EUR 3,800,000"
    assert figures["Binding limits"] == str(len(review.result.binding))


def test_a_generated_organisation_gets_a_derived_pipeline():
    require_scipy()
    import pmo_kit

    org = pmo_kit.generate_organisation(seed=7, projects=12)
    review = portfolio_prioritisation(org)
    assert review.pipeline.derived
    assert review.header["Pipeline"].startswith("derived from the organisation")
    assert set(review.pipeline.must) <= set(review.result.chosen)
    assert review.summary()["derived_pipeline"] is True


# --- the notebook -----------------------------------------------------------------


@pytest.fixture(scope="module")
def report_run(tmp_path_factory):
    from pmo_kit.reports import run_report

    return run_report(
        "portfolio-prioritisation",
        parameters={},
        output_dir=tmp_path_factory.mktemp("prioritisation"),
    )


@pytest.mark.notebook
def test_parameters_are_declared():
    from pmo_kit.reports import describe_report

    info = describe_report("portfolio-prioritisation")
    assert [p.name for p in info.parameters] == [
        "dataset",
        "budget",
        "weights",
        "value",
        "output_json",
    ]
    assert info.title == "Portfolio prioritisation"
    assert info.parameter("weights").choices == ("agreed", "ahp")


@pytest.mark.notebook
def test_report_runs_and_writes_summary(report_run):
    summary = report_run.summary
    assert summary["report"] == "portfolio-prioritisation"
    best, _ = brute.brute_best(brute.plain_scores())
    assert summary["total_value"] == pytest.approx(best, abs=1e-4)
    page = Path(report_run.html).read_text(encoding="utf-8")
    assert "C-006 Virtual Reality Showroom ranks 2 of 22" in page
    assert "Traceback" not in page
    assert len(re.findall(r"<img|<svg", page)) >= 2  # frontier and selection


@pytest.mark.notebook
def test_report_with_budget_weights_and_value(tmp_path):
    from pmo_kit.reports import run_report

    result = run_report(
        "portfolio-prioritisation",
        parameters={"budget": 3_000_000.0, "weights": "ahp", "value": "npv"},
        output_dir=tmp_path / "out",
    )
    best, _ = brute.brute_best(brute.plain_npv(0.08), budget_scale=3 / 3.8)
    assert result.summary["total_value"] == pytest.approx(best, abs=1e-2)
    assert result.summary["weights_source"] == "ahp"


@pytest.mark.notebook
def test_report_on_a_generated_dataset_folder(tmp_path):
    import pmo_kit
    from pmo_kit.reports import run_report

    folder = tmp_path / "team7"
    pmo_kit.save_portfolio(pmo_kit.generate_organisation(seed=7, projects=12), folder)
    result = run_report(
        "portfolio-prioritisation",
        parameters={"dataset": str(folder)},
        output_dir=tmp_path / "out",
    )
    assert result.summary["derived_pipeline"] is True
    assert {"C-001", "C-022"} <= set(result.summary["chosen"])
