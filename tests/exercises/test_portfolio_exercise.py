"""
Exercise 08 (choose a portfolio): right answers pass, mistakes get their message.

The right answers are worked out here independently of
``exercises/08_portfolio/checks.py`` (which uses the kit's selection engine): the
scores and NPVs with plain pandas and arithmetic on the pipeline's files, the best
portfolio by brute force over every subset of the candidates (numpy, no solver).
"""

from __future__ import annotations

import itertools
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd
import pytest

from pmo_kit.selection.pipeline import Pipeline, pipeline_for
from pmo_kit.training import Checker, CheckResult, load_checks
from tests.exercises._notebooks import (
    assert_learner_copy_not_done,
    assert_solution_passes,
    code_cells,
    learner_code,
)

if TYPE_CHECKING:
    import pmo_kit

REPO = Path(__file__).resolve().parents[2]
EXERCISE = REPO / "exercises" / "08_portfolio"
SOLUTION = EXERCISE / "solution.ipynb"
FILES = REPO / "datasets" / "meridian" / "pipeline"
CHECK_NAMES = [
    "q1_weighted_score",
    "q2_npv",
    "q3_ranking_value",
    "q4_best_portfolio",
    "q5_scarce_role",
    "q6_extra_value",
]
# Sample: the sponsor's project C-006 Virtual Reality Showroom scores 5, 4, 4, 3 on
# strategy, business value, urgency and delivery confidence; the board's points
# are 8, 6, 3, 3 (of 20).
PET = "C-006"
PET_SCORE = (8 * 5 + 6 * 4 + 3 * 4 + 3 * 3) / 20  # 4.25
PET_FLOWS = [-700_000, 20_000 - 300_000, 50_000, 60_000, 60_000]  # 2027..2031
PET_NPV = sum(f / 1.08 ** (t + 1) for t, f in enumerate(PET_FLOWS))


@pytest.fixture(scope="module")
def pipeline(sample: pmo_kit.Portfolio) -> Pipeline:
    return pipeline_for(sample)


@pytest.fixture(scope="module")
def given(pipeline: Pipeline) -> dict[str, Any]:
    """The variables the notebook gives the learner (pipeline, points, pet)."""
    cells = code_cells(SOLUTION)
    namespace: dict[str, Any] = {
        "pd": pd,
        "pipeline": pipeline,
        "question_text": lambda text, **figures: text.format(**figures),
    }
    exec(cells["points"], namespace)
    return {k: namespace[k] for k in ("pipeline", "points", "pet")}


@pytest.fixture(scope="module")
def checker() -> Checker:
    return load_checks(EXERCISE)


# --------------------------------------------------- independent recomputation


def _files() -> tuple[pd.DataFrame, dict[str, Any]]:
    import yaml

    frame = pd.read_csv(FILES / "candidates.csv")
    settings = yaml.safe_load((FILES / "pipeline.yaml").read_text(encoding="utf-8"))
    return frame, settings


def _hand_scores() -> pd.Series:
    frame, settings = _files()
    weights = settings["weights"]
    total = sum(weights.values())
    score = sum(frame[c] * w / total for c, w in weights.items())
    return pd.Series(score.to_numpy(), index=frame["candidate_id"])


def _ranking_value() -> tuple[float, list[str]]:
    """Fund by score, highest first, while the cumulative cost fits the budget."""
    frame, settings = _files()
    frame = frame.assign(
        score=_hand_scores().to_numpy(), cost=frame["cost_2027"] + frame["cost_2028"]
    ).sort_values(["score", "candidate_id"], ascending=[False, True])
    budget = sum(settings["budget_per_year"].values())
    funded = frame[frame["cost"].cumsum() <= budget]
    return float(funded["score"].sum()), funded["candidate_id"].tolist()


def _brute_force(pipeline: Pipeline, scale: float = 1.0) -> tuple[float, set[str]]:
    """Best total score over every subset that keeps every rule (numpy)."""
    frame, settings = _files()
    ids = frame["candidate_id"].tolist()
    must = set(settings.get("must") or [])
    never = set(settings.get("never") or [])
    free = [i for i in ids if i not in must | never]
    n = len(free)
    bits = ((np.arange(2**n)[:, None] >> np.arange(n)) & 1).astype(bool)
    pick = np.zeros((2**n, len(ids)), dtype=bool)
    for j, ident in enumerate(ids):
        if ident in must:
            pick[:, j] = True
        elif ident in free:
            pick[:, j] = bits[:, free.index(ident)]
    ok = np.ones(2**n, dtype=bool)
    for year, limit in settings["budget_per_year"].items():
        ok &= pick @ frame[f"cost_{year}"].to_numpy(float) <= limit * scale + 1e-6
    demands = pd.read_csv(FILES / "demands.csv")
    for role, rows in demands.groupby("role"):
        need = np.array(
            [rows.loc[rows["candidate_id"] == i, "hours"].sum() for i in ids], float
        )
        ok &= pick @ need <= pipeline.capacity[str(role)] + 1e-6
    index = {ident: j for j, ident in enumerate(ids)}
    for a, b in settings.get("requires") or []:
        ok &= ~pick[:, index[a]] | pick[:, index[b]]
    for group in settings.get("exclusive") or []:
        ok &= pick[:, [index[g] for g in group]].sum(axis=1) <= 1
    values = pick @ _hand_scores().reindex(ids).to_numpy(float)
    values[~ok] = -np.inf
    best = int(np.argmax(values))
    return float(values[best]), {ids[j] for j in np.flatnonzero(pick[best])}


@pytest.fixture(scope="module")
def best(pipeline: Pipeline) -> tuple[float, set[str]]:
    return _brute_force(pipeline)


@pytest.fixture(scope="module")
def best_more(pipeline: Pipeline) -> tuple[float, set[str]]:
    return _brute_force(pipeline, scale=1.10)


Best = tuple[float, set[str]]


def _answers(best: Best, more: Best) -> dict[str, Any]:
    return {
        "pet_score": PET_SCORE,
        "pet_npv": PET_NPV,
        "ranking_value": _ranking_value()[0],
        "best_portfolio": sorted(best[1]),
        "scarce_role": "Data Engineer",
        "extra_value": more[0] - best[0],
    }


@pytest.fixture(scope="module")
def answers(best: Best, best_more: Best) -> dict[str, Any]:
    return _answers(best, best_more)


def _run(
    checker: Checker,
    given: dict[str, Any],
    answers: dict[str, Any],
    name: str,
    **wrong: object,
) -> CheckResult:
    return checker(name, {**given, **answers, **wrong})


# ------------------------------------------------------------------- the tests


def test_the_notebook_names_the_pet_project_and_the_points(given):
    assert given["pet"] == PET
    assert given["points"] == {
        "strategic_alignment": 8,
        "business_value": 6,
        "urgency": 3,
        "delivery_confidence": 3,
    }


def test_hand_figures_agree_with_the_pipeline_files(pipeline):
    assert _hand_scores()[PET] == pytest.approx(PET_SCORE)
    frame = pd.read_csv(FILES / "candidates.csv")
    row = frame[frame["candidate_id"] == PET].iloc[0].to_dict()
    flows = [row[f"benefit_{y}"] - row.get(f"cost_{y}", 0) for y in range(2027, 2032)]
    assert flows == PET_FLOWS
    assert PET_NPV < 0  # great score, loses money: the pet project
    value, funded = _ranking_value()
    # C-005 4.40, C-002 4.25, C-006 4.25, C-010 4.00, C-022 3.85: 3.77M of 3.8M
    assert funded == ["C-005", "C-002", "C-006", "C-010", "C-022"]
    assert value == pytest.approx(4.40 + 4.25 + 4.25 + 4.00 + 3.85)


def test_the_data_engineer_is_the_scarce_role(pipeline, best):
    demands = pd.read_csv(FILES / "demands.csv")
    engineers = demands[demands["role"] == "Data Engineer"]
    used = engineers.loc[engineers["candidate_id"].isin(best[1]), "hours"].sum()
    slack = pipeline.capacity["Data Engineer"] - used
    left_out = engineers[~engineers["candidate_id"].isin(best[1] | {"C-019"})]
    assert (left_out["hours"] > slack).any()  # it alone keeps a candidate out


def test_exercise_has_its_checks(checker):
    assert list(checker.checks) == CHECK_NAMES


def test_correct_answers_pass(checker, given, answers):
    results = checker.all({**given, **answers})
    assert [r.outcome for r in results] == ["correct"] * len(CHECK_NAMES), results


@pytest.mark.parametrize(
    ("name", "variable", "value"),
    [
        ("q1_weighted_score", "pet_score", 4.25),
        ("q1_weighted_score", "pet_score", np.float64(4.2501)),
        ("q2_npv", "pet_npv", round(PET_NPV)),
        ("q5_scarce_role", "scarce_role", " data engineer "),
        ("q5_scarce_role", "scarce_role", "role Data Engineer"),
    ],
    ids=["two-decimals", "numpy", "whole-euros", "lower-case", "binding-name"],
)
def test_equivalent_forms_pass(checker, given, answers, name, variable, value):
    result = _run(checker, given, answers, name, **{variable: value})
    assert result.passed, result


def test_best_portfolio_as_tuple_set_or_lower_case_passes(checker, given, answers):
    chosen = answers["best_portfolio"]
    for form in (tuple(chosen), set(chosen), [c.lower() for c in chosen]):
        result = _run(checker, given, answers, "q4_best_portfolio", best_portfolio=form)
        assert result.passed, (form, result)


def _relaxed(pipeline: Pipeline, **drop: Any) -> set[str]:
    from pmo_kit.selection.optimise import select_portfolio

    rules: dict[str, Any] = {**pipeline.constraints(), **drop}
    budget = rules.pop("budget", pipeline.budgets())
    return set(select_portfolio(pipeline.table(), budget=budget, **rules).chosen)


def test_forgotten_rules_get_their_message(checker, given, answers, pipeline, best):
    # within every budget, but 900 + 600 + 500 + 150 Data Engineer hours
    over_capacity = {"C-001", "C-022", "C-004", "C-005", "C-010"}
    no_requires = _relaxed(pipeline, requires=None)
    one_budget = _relaxed(pipeline, budget=pipeline.budget)
    cases = {
        "needs 2,150 Data Engineer hours and the role has 1,650 free: you forgot "
        "the capacity": over_capacity,
        "which is not in your portfolio: you forgot a requires pair": no_requires,
        "the 2027 budget of 2,600,000": one_budget,
        "C-002 and C-003 exclude each other": best[1] | {"C-002", "C-003"},
        "C-001 is a must-do (NIS2 Cyber Resilience Programme)": best[1] - {"C-001"},
        "The board ruled C-019 out": best[1] | {"C-019"},
    }
    for phrase, wrong in cases.items():
        result = _run(
            checker, given, answers, "q4_best_portfolio", best_portfolio=sorted(wrong)
        )
        assert result.outcome == "incorrect", (phrase, result)
        assert phrase in result.message, (phrase, result)


def test_a_feasible_but_worse_portfolio_is_told_the_best_total(
    checker, given, answers, best, pipeline
):
    # drop the cheapest optional candidate: every rule still kept, a lower total
    optional = sorted(best[1] - set(pipeline.must) - {b for _, b in pipeline.requires})
    worse = sorted(best[1] - {optional[0]})
    result = _run(checker, given, answers, "q4_best_portfolio", best_portfolio=worse)
    assert result.outcome == "incorrect"
    assert "keeps every rule but totals" in result.message
    assert f"the best one totals {best[0]:.2f}" in result.message


def test_the_rankings_portfolio_is_named(checker, given, answers, pipeline, best):
    from pmo_kit.selection.optimise import select_portfolio

    greedy = select_portfolio(
        pipeline.table(), budget=pipeline.budgets(), **pipeline.constraints()
    ).greedy
    assert greedy is not None
    if greedy.total_value >= best[0] - 1e-9:
        pytest.skip("the ranking happens to find the best portfolio here")
    result = _run(
        checker, given, answers, "q4_best_portfolio", best_portfolio=greedy.chosen
    )
    assert "That is the ranking's portfolio" in result.message, result


MISTAKES: dict[str, tuple[str, dict[str, object], str]] = {
    "points-not-normalised": (
        "q1_weighted_score",
        {"pet_score": 85.0},
        "without dividing by the total points (20)",
    ),
    "plain-average": (
        "q1_weighted_score",
        {"pet_score": (5 + 4 + 4 + 3) / 4},
        "4.00 is the plain average of C-006's criteria",
    ),
    "percentage": ("q1_weighted_score", {"pet_score": 425}, "looks like a percentage"),
    "other-candidate": (
        "q1_weighted_score",
        {"pet_score": (8 * 5 + 6 * 5 + 3 * 3 + 3 * 3) / 20},  # C-005: 4.40
        "is the score of C-005, not of C-006",
    ),
    "text": ("q1_weighted_score", {"pet_score": "4.25"}, "the text '4.25'"),
    "npv-time-zero": (
        "q2_npv",
        {"pet_npv": sum(f / 1.08**t for t, f in enumerate(PET_FLOWS))},
        "You left the 2027 flow undiscounted",
    ),
    "npv-undiscounted": ("q2_npv", {"pet_npv": sum(PET_FLOWS)}, "without discounting"),
    "npv-benefits-only": (
        "q2_npv",
        {
            "pet_npv": sum(
                f / 1.08 ** (t + 1)
                for t, f in enumerate([0, 20_000, 50_000, 60_000, 60_000])
            )
        },
        "discounts the benefits only",
    ),
    "npv-rate-in-percent": (
        "q2_npv",
        {"pet_npv": sum(f / 9 ** (t + 1) for t, f in enumerate(PET_FLOWS))},
        "You used the rate as 8",
    ),
    "npv-sign": ("q2_npv", {"pet_npv": -PET_NPV}, "wrong sign"),
    "npv-thousands": ("q2_npv", {"pet_npv": PET_NPV / 1000}, "not in thousands"),
    "ranking-over-budget": (
        "q3_ranking_value",
        {"ranking_value": 4.40 + 4.25 + 4.25 + 4.00 + 3.85 + 3.70},
        "You funded C-001 as well, but after 5 projects 30,000 is left",
    ),
    "ranking-count": ("q3_ranking_value", {"ranking_value": 5}, "counts the funded"),
    "ranking-cost": (
        "q3_ranking_value",
        {"ranking_value": 400_000 + 1_400_000 + 1_000_000 + 700_000 + 270_000},
        "is what the funded projects cost",
    ),
    "portfolio-text": (
        "q4_best_portfolio",
        {"best_portfolio": "C-001"},
        "give the chosen candidate ids as a list",
    ),
    "portfolio-unknown-id": (
        "q4_best_portfolio",
        {"best_portfolio": ["C-001", "C-099"]},
        "'C-099' is not a candidate of the pipeline",
    ),
    "role-budget": (
        "q5_scarce_role",
        {"scarce_role": "budget"},
        "The money binds too, but the question asks for a role",
    ),
    "role-with-slack": (
        "q5_scarce_role",
        {"scarce_role": "Developer"},
        "Developer has",
    ),
    "role-unknown": (
        "q5_scarce_role",
        {"scarce_role": "Wizard"},
        "'Wizard' is not a role of Meridian Works",
    ),
    "extra-negative": ("q6_extra_value", {"extra_value": -1.0}, "cannot make"),
}


@pytest.mark.parametrize("case", list(MISTAKES))
def test_typical_mistake_gets_its_message(checker, given, answers, case):
    name, wrong, phrase = MISTAKES[case]
    result = _run(checker, given, answers, name, **wrong)
    assert result.outcome == "incorrect", result
    assert phrase in result.message, result


def test_ranking_by_npv_or_per_euro_is_named(checker, given, answers):
    frame, settings = _files()
    years = range(2027, 2032)
    cost = frame["cost_2027"] + frame["cost_2028"]
    flows = [
        [row.get(f"benefit_{y}", 0) - (row.get(f"cost_{y}", 0) or 0) for y in years]
        for _, row in frame.iterrows()
    ]
    npvs = [sum(f / 1.08 ** (t + 1) for t, f in enumerate(fl)) for fl in flows]
    budget = sum(settings["budget_per_year"].values())
    scores = _hand_scores().to_numpy()
    by_npv = frame.assign(key=npvs, score=scores, cost=cost).sort_values(
        ["key", "candidate_id"], ascending=[False, True]
    )
    npv_value = by_npv.loc[by_npv["cost"].cumsum() <= budget, "score"].sum()
    if abs(npv_value - answers["ranking_value"]) > 0.005:
        result = _run(
            checker, given, answers, "q3_ranking_value", ranking_value=npv_value
        )
        assert "You ranked by NPV" in result.message, result
    # score per euro, skipping what does not fit
    order = frame.assign(key=scores / cost, score=scores, cost=cost).sort_values(
        ["key", "candidate_id"], ascending=[False, True]
    )
    spent = value = 0.0
    for _, row in order.iterrows():
        if spent + row["cost"] <= budget:
            spent += row["cost"]
            value += row["score"]
    result = _run(checker, given, answers, "q3_ranking_value", ranking_value=value)
    assert "You ranked by score per euro" in result.message, result


def test_extra_value_mistakes(checker, given, answers, best, best_more):
    result = _run(checker, given, answers, "q6_extra_value", extra_value=best_more[0])
    assert "is the best total with the larger budget" in result.message, result


def test_other_wrong_value_gets_the_hint(checker, given, answers):
    result = _run(checker, given, answers, "q1_weighted_score", pet_score=3.1)
    assert result.outcome == "incorrect"
    assert result.message.startswith(checker.checks["q1_weighted_score"].hint)
    assert "you have 3.10" in result.message


def test_a_changed_pipeline_is_reported(checker, given, answers):
    result = checker("q3_ranking_value", {**given, **answers, "pipeline": "oops"})
    assert result.outcome == "incorrect"
    assert "run the first code cell again" in result.message


def test_checks_follow_other_points(checker, given, answers):
    # a trainer gives every criterion 5 points: the plain average is right then
    points = dict.fromkeys(given["points"], 5)
    namespace = {**given, **answers, "points": points, "pet_score": 4.0}
    assert checker("q1_weighted_score", namespace).passed


@pytest.mark.parametrize("name", CHECK_NAMES)
def test_placeholder_is_not_done(checker, given, answers, name):
    variable = checker.checks[name].variables[-1]
    result = checker(name, {**given, **answers, variable: ...})
    assert result.outcome == "not done"
    assert f"`{variable}`" in result.message


def test_learner_copy_has_placeholders_and_no_solution(tmp_path):
    learner = learner_code(SOLUTION, tmp_path, min_length=2)
    for variable in [
        "pet_score",
        "pet_npv",
        "ranking_value",
        "best_portfolio",
        "scarce_role",
        "extra_value",
    ]:
        assert f"\n{variable} = ...\n" in f"\n{learner}\n", variable
    assert learner.count("# YOUR CODE HERE") == len(CHECK_NAMES)
    assert "pipeline = pipeline_for(portfolio)" in learner  # the data stays


def test_brute_force_is_exhaustive_on_a_tiny_case():
    """The numpy enumeration covers every subset (checked on 3 free items)."""
    bits = ((np.arange(2**3)[:, None] >> np.arange(3)) & 1).astype(bool)
    assert {tuple(map(bool, b)) for b in bits} == set(
        itertools.product([False, True], repeat=3)
    )


@pytest.mark.notebook
def test_learner_copy_runs_and_every_check_is_not_done(tmp_path):
    assert_learner_copy_not_done(SOLUTION, tmp_path, len(CHECK_NAMES))


@pytest.mark.notebook
def test_solution_notebook_answers_every_check(tmp_path):
    assert_solution_passes(SOLUTION, tmp_path, len(CHECK_NAMES))
