"""
Checks of exercise 08, *Choose a portfolio*: score, NPV, ranking, exact choice.

The right answers are computed from the candidate pipeline in the notebook
(``pipeline_for(course_portfolio())``: the organisation's own ``pipeline/`` or one
derived from it) with the kit's selection engine: :func:`normalise_weights`,
:func:`npv`, :func:`select_portfolio`. Nothing is written down here, so the same
checks mark the exercise on any team's data. When an answer is wrong, the check
recognises the usual slips (points not divided by their total, the first year's
flow left undiscounted, a rule forgotten, a role's hours exceeded) and says what
went wrong.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from typing import TYPE_CHECKING

from pmo_kit.selection.finance import npv
from pmo_kit.selection.optimise import select_portfolio
from pmo_kit.selection.pipeline import Pipeline
from pmo_kit.selection.scoring import normalise_weights
from pmo_kit.training import Tolerance, as_number, check, fail

if TYPE_CHECKING:
    import pandas as pd

    from pmo_kit.selection.optimise import SelectionResult

#: Tolerance on a weighted score or a sum of scores (two decimals are right).
SCORE = Tolerance(absolute=0.005)
#: Tolerance on money: whole euros, or 0.01% on large sums.
MONEY = Tolerance(absolute=1.0, relative=0.0001)
#: Question 6: the board finds this share more money, every year alike.
EXTRA_BUDGET = 1.10


def _pipeline(pipeline: object) -> Pipeline:
    if not isinstance(pipeline, Pipeline):
        fail(
            "`pipeline` is no longer the candidate pipeline: run the first code cell "
            "again (it sets `pipeline = pipeline_for(portfolio)`)."
        )
    return pipeline


def _row(pipeline: Pipeline, candidate: object) -> pd.Series:
    frame = pipeline.candidates.set_index("project_id")
    if not isinstance(candidate, str) or candidate not in frame.index:
        fail(
            f"`pet` = {candidate!r} is not a candidate of the pipeline: run the cell "
            "that names the sponsor's project again."
        )
    return frame.loc[[str(candidate)]].iloc[0]


def _flows(pipeline: Pipeline, row: pd.Series, kind: str | None = None) -> list[float]:
    """Net flow per year (benefit - cost); ``kind`` "benefit"/"cost" for one side."""
    out = []
    for year in pipeline.years:
        benefit = float(row.get(f"benefit_{year}", 0.0) or 0.0)
        cost = float(row.get(f"cost_{year}", 0.0) or 0.0)
        if kind == "benefit":
            out.append(benefit)
        elif kind == "cost":
            out.append(-cost)
        else:
            out.append(benefit - cost)
    return out


def _column(pipeline: Pipeline, column: str) -> dict[str, object]:
    """One column of the candidates, by candidate id."""
    frame = pipeline.candidates
    return dict(zip(frame["project_id"].astype(str), frame[column], strict=True))


def _costs(pipeline: Pipeline) -> dict[str, float]:
    """Each candidate's total cost."""
    return {c: float(str(v)) for c, v in _column(pipeline, "cost").items()}


def _scores(pipeline: Pipeline) -> dict[str, float]:
    """Every candidate's weighted score with the board's weights."""
    weights = normalise_weights(pipeline.weights)
    frame = pipeline.candidates
    return {
        str(ident): sum(float(row[c]) * w for c, w in weights.items())
        for ident, (_, row) in zip(frame["project_id"], frame.iterrows(), strict=True)
    }


# ------------------------------------------------------------------ question 1


@check(
    hint=(
        "Divide each criterion's points by the total number of points (that makes "
        "weights adding up to 1), multiply by the candidate's score on that "
        "criterion, and add up: the result stays on the 1..5 scale."
    )
)
def q1_weighted_score(
    pipeline: object, points: object, pet: object, pet_score: object
) -> None:
    """
    Question 1: the weighted score of the sponsor's project from the board's points.

    Parameters
    ----------
    pipeline
        The candidate pipeline, given in the notebook.
    points
        The points the board gave each criterion, given in the notebook.
    pet
        The id of the sponsor's project, given in the notebook.
    pet_score
        The learner's weighted score.
    """
    pipe = _pipeline(pipeline)
    row = _row(pipe, pet)
    if not isinstance(points, dict) or not points:
        fail("`points` is no longer the board's points: run the cell above again.")
    value = as_number(pet_score, "pet_score")
    raw = {str(c): float(p) for c, p in points.items()}
    weights = normalise_weights(raw)
    truth = sum(float(row[c]) * w for c, w in weights.items())
    if SCORE.accepts(value, truth):
        return
    total = sum(raw.values())
    unnormalised = sum(float(row[c]) * p for c, p in raw.items())
    if SCORE.accepts(value, unnormalised):
        fail(
            f"{value:g} is sum(points x score) without dividing by the total points "
            f"({total:g}): the result is off the 1..5 scale. Weights are the points "
            f"divided by {total:g}; then {truth:.2f}."
        )
    plain = sum(float(row[c]) for c in raw) / len(raw)
    if SCORE.accepts(value, plain):
        fail(
            f"{value:.2f} is the plain average of {pet}'s criteria: every criterion "
            "counted the same. The board's points say strategy counts more: weight "
            "each score."
        )
    if SCORE.accepts(value, truth / 5 * 100) or SCORE.accepts(value, truth * 100):
        fail(f"{value:g} looks like a percentage; give the score on the 1..5 scale.")
    others = [
        c for c, s in _scores(pipe).items() if c != pet and SCORE.accepts(value, s)
    ]
    if others and not SCORE.accepts(value, truth):
        fail(
            f"{value:.2f} is the score of {others[0]}, not of {pet}: take the row of "
            f"the sponsor's project."
        )
    assert SCORE.accepts(value, truth), f"you have {value:.2f}"


# ------------------------------------------------------------------ question 2


@check(
    hint=(
        "Net flow of each year = benefit - cost. Each year's flow arrives at the end "
        "of that year: divide the first by (1 + rate), the second by (1 + rate)**2, "
        "and so on, then add up (the kit's npv(rate, flows) does exactly that)."
    )
)
def q2_npv(pipeline: object, pet: object, pet_npv: object) -> None:
    """
    Question 2: the NPV of the sponsor's project at the board's rate.

    Parameters
    ----------
    pipeline
        The candidate pipeline.
    pet
        The id of the sponsor's project.
    pet_npv
        The learner's NPV, in euros.
    """
    pipe = _pipeline(pipeline)
    row = _row(pipe, pet)
    value = as_number(pet_npv, "pet_npv")
    rate = pipe.discount_rate
    flows = _flows(pipe, row)
    truth = npv(rate, flows)
    if MONEY.accepts(value, truth):
        return
    first = pipe.years[0]
    if MONEY.accepts(value, npv(rate, flows, excel=False)):
        fail(
            f"You left the {first} flow undiscounted, as if it were paid today "
            f"(the textbook 'time 0' convention, npv(..., excel=False)). Here every "
            f"year's flow arrives at the END of its year and today is 1 January "
            f"{first}: discount the {first} flow by one year too."
        )
    if MONEY.accepts(value, sum(flows)):
        fail(
            f"{value:,.0f} adds the flows up without discounting: a euro in "
            f"{pipe.years[-1]} is worth less than a euro today. Discount each year at "
            f"{rate:.0%}."
        )
    if MONEY.accepts(value, npv(rate, _flows(pipe, row, "benefit"))):
        fail(
            f"{value:,.0f} discounts the benefits only: subtract each year's cost "
            "first (net flow = benefit - cost)."
        )
    if MONEY.accepts(value, npv(rate * 100, flows)) or MONEY.accepts(
        value, npv(rate * 100, flows, excel=False)
    ):
        fail(
            f"You used the rate as {rate * 100:g} (that is {rate * 100:.0%}); a rate "
            f"is a fraction: {rate:g}."
        )
    if MONEY.accepts(value, -truth):
        fail(
            "Your NPV has the wrong sign: costs are negative flows, benefits positive."
        )
    if MONEY.accepts(value, truth / 1000) or MONEY.accepts(value, truth / 1e6):
        fail("Give the NPV in euros, not in thousands or millions.")
    assert MONEY.accepts(value, truth), f"you have {value:,.0f}"


# ------------------------------------------------------------------ question 3


def _ranked_value(
    pipeline: Pipeline, key: dict[str, float], *, skip: bool
) -> tuple[float, float, list[str]]:
    """Fund candidates in ``key`` order (highest first, ties by id) within budget."""
    costs = _costs(pipeline)
    scores = _scores(pipeline)
    order = sorted(key, key=lambda c: (-key[c], c))
    spent, value, funded = 0.0, 0.0, []
    for ident in order:
        cost = costs[ident]
        if spent + cost > pipeline.budget + 1e-6:
            if skip:
                continue
            break
        spent += cost
        value += scores[ident]
        funded.append(ident)
    return value, spent, funded


@check(
    hint=(
        "Sort the candidates by score, highest first (ties: the lower id first), "
        "fund them from the top while the total budget lasts, and add up the scores "
        "of the funded ones."
    )
)
def q3_ranking_value(pipeline: object, ranking_value: object) -> None:
    """
    Question 3: the total score of funding by rank until the money runs out.

    Parameters
    ----------
    pipeline
        The candidate pipeline.
    ranking_value
        The learner's total score of the ranked choice.
    """
    pipe = _pipeline(pipeline)
    value = as_number(ranking_value, "ranking_value")
    scores = _scores(pipe)
    stop, spent, funded = _ranked_value(pipe, scores, skip=False)
    skip, _, _ = _ranked_value(pipe, scores, skip=True)
    if SCORE.accepts(value, stop) or SCORE.accepts(value, skip):
        return
    costs = _costs(pipe)
    order = sorted(scores, key=lambda c: (-scores[c], c))
    if len(funded) < len(order):
        nxt = order[len(funded)]
        over = stop + scores[nxt]
        if SCORE.accepts(value, over):
            fail(
                f"You funded {nxt} as well, but after {len(funded)} projects "
                f"{pipe.budget - spent:,.0f} is left and {nxt} costs "
                f"{costs[nxt]:,.0f}: it does not fit."
            )
    if SCORE.accepts(value, len(funded)):
        fail(f"{value:g} counts the funded projects; add up their scores instead.")
    if MONEY.accepts(value, spent):
        fail(f"{value:,.0f} is what the funded projects cost; add up their scores.")
    per_euro = {c: scores[c] / costs[c] for c in scores}
    if SCORE.accepts(value, _ranked_value(pipe, per_euro, skip=True)[0]):
        fail(
            "You ranked by score per euro: a smarter ranking, but the question is the "
            "board's habit, by score alone."
        )
    npvs = {
        str(c): npv(pipe.discount_rate, _flows(pipe, row))
        for c, row in pipe.candidates.set_index("project_id").iterrows()
    }
    if SCORE.accepts(value, _ranked_value(pipe, npvs, skip=False)[0]) or (
        SCORE.accepts(value, _ranked_value(pipe, npvs, skip=True)[0])
    ):
        fail("You ranked by NPV; the board ranks by the weighted score.")
    assert SCORE.accepts(value, stop), f"you have {value:.2f}"


# ------------------------------------------------------------------ question 4


def _best(pipeline: Pipeline) -> SelectionResult:
    return select_portfolio(
        pipeline.table(), budget=pipeline.budgets(), **pipeline.constraints()
    )


def _ids(value: object, name: str, known: list[str]) -> set[str]:
    if value is Ellipsis:
        fail(f"`{name}` is still `...`.")
    if isinstance(value, str) or not isinstance(value, Iterable):
        fail(
            f"`{name}` is a {type(value).__name__}: give the chosen candidate ids as "
            'a list, such as ["C-001", "C-007"] (`result.chosen` is one).'
        )
    ids = [str(v).strip().upper() for v in value]
    unknown = [i for i in ids if i not in known]
    if unknown:
        fail(
            f"{unknown[0]!r} is not a candidate of the pipeline ({known[0]} .. "
            f"{known[-1]})."
        )
    return set(ids)


def _broken_rule(pipeline: Pipeline, chosen: set[str]) -> str | None:
    """Say the first rule ``chosen`` breaks; None when it keeps every rule."""
    frame = pipeline.candidates.set_index("project_id")
    names = _column(pipeline, "name")
    for must in pipeline.must:
        if must not in chosen:
            return (
                f"{must} is a must-do ({names[must]}) and is not in your "
                "portfolio: pass must=pipeline.must."
            )
    for never in pipeline.never:
        if never in chosen:
            return (
                f"The board ruled {never} out and it is in your portfolio: pass "
                "never=pipeline.never."
            )
    for a, b in pipeline.requires:
        if a in chosen and b not in chosen:
            return (
                f"{a} needs {b} ({names[b]}), which is not in your "
                "portfolio: you forgot a requires pair (requires=pipeline.requires)."
            )
    for group in pipeline.exclusive:
        both = sorted(chosen & set(group))
        if len(both) > 1:
            return (
                f"{' and '.join(both)} exclude each other (at most one of them): you "
                "forgot exclusive=pipeline.exclusive."
            )
    for period, limit in pipeline.budgets().items():
        column = "cost" if period == "total" else f"cost_{period}"
        spent = float(frame.loc[sorted(chosen), column].sum())
        if spent > limit * (1 + 1e-9) + 1e-6:
            where = "the total budget" if period == "total" else f"the {period} budget"
            return (
                f"Your portfolio costs {spent:,.0f} against {where} of {limit:,.0f}: "
                "pass every yearly budget (budget=pipeline.budgets())."
            )
    demands = pipeline.demands[pipeline.demands["project_id"].isin(chosen)]
    for role, hours in demands.groupby("role")["hours"].sum().items():
        free = pipeline.capacity.get(str(role), 0.0)
        if float(hours) > free + 1e-6:
            return (
                f"Your portfolio needs {float(hours):,.0f} {role} hours and the role "
                f"has {free:,.0f} free: you forgot the capacity "
                "(demands=pipeline.demands, capacity=pipeline.capacity)."
            )
    return None


@check(
    hint=(
        "Call select_portfolio with the score as value, every budget, the demands "
        "and capacity, must, never, requires and exclusive, and give result.chosen."
    )
)
def q4_best_portfolio(pipeline: object, best_portfolio: object) -> None:
    """
    Question 4: the best portfolio within every rule (a list of candidate ids).

    Parameters
    ----------
    pipeline
        The candidate pipeline.
    best_portfolio
        The learner's chosen candidate ids.
    """
    pipe = _pipeline(pipeline)
    known = [str(i) for i in pipe.candidates["project_id"]]
    chosen = _ids(best_portfolio, "best_portfolio", known)
    best = _best(pipe)
    broken = _broken_rule(pipe, chosen)
    if broken is not None:
        fail(broken)
    scores = _scores(pipe)
    value = sum(scores[c] for c in chosen)
    if SCORE.accepts(value, best.total_value):
        return
    greedy = best.greedy
    if greedy is not None and chosen == set(greedy.chosen):
        fail(
            f"That is the ranking's portfolio (score per euro, funded while it "
            f"fits): it keeps every rule but totals {value:.2f}; the best mix totals "
            f"{best.total_value:.2f}. Only an exact search (select_portfolio) finds it."
        )
    fail(
        f"Your portfolio keeps every rule but totals {value:.2f}; the best one totals "
        f"{best.total_value:.2f}. Let select_portfolio search every combination."
    )


# ------------------------------------------------------------------ question 5


@check(
    hint=(
        "Look at result.constraints (or result.binding) of the best portfolio: "
        "which role's limit is binding?"
    )
)
def q5_scarce_role(pipeline: object, scarce_role: object) -> None:
    """
    Question 5: the role whose free hours keep a candidate out.

    Parameters
    ----------
    pipeline
        The candidate pipeline.
    scarce_role
        The learner's role name.
    """
    pipe = _pipeline(pipeline)
    best = _best(pipe)
    roles = {c.name: c for c in best.constraints if c.kind == "role"}
    binding = sorted(name for name, c in roles.items() if c.binding)
    if not binding:
        fail(
            f"This question cannot be marked on {pipe.name}: no role's hours bind "
            "its best portfolio (the sample's pipeline has one). Skip it."
        )
    if not isinstance(scarce_role, str):
        fail(
            f"`scarce_role` is a {type(scarce_role).__name__}: give the role's name as "
            'text, such as "Tester".'
        )
    by_lower = {name.lower(): name for name in roles}
    answer = scarce_role.strip()
    if answer.lower().startswith("role "):
        answer = answer[len("role ") :].strip()
    if answer.lower() in {b.lower() for b in binding}:
        return
    if answer.lower() in {"budget", "total", "money", *map(str, pipe.budget_per_year)}:
        fail(
            "The money binds too, but the question asks for a role: which role's "
            "hours keep a candidate out?"
        )
    if answer.lower() not in by_lower:
        fail(
            f"{scarce_role!r} is not a role of {pipe.name}. Roles: "
            f"{', '.join(sorted(roles))}."
        )
    use = roles[by_lower[answer.lower()]]
    fail(
        f"{use.name} has {use.slack:,.0f} of its {use.limit:,.0f} free hours left "
        "after the best portfolio, and no candidate left out needs more: it does not "
        "bind."
    )


# ------------------------------------------------------------------ question 6


@check(
    hint=(
        "Run the exact selection again with a 10% larger budget "
        "(pipeline.select(budget=pipeline.budget * 1.10)) and subtract the best "
        "total score at today's budget."
    )
)
def q6_extra_value(pipeline: object, extra_value: object) -> None:
    """
    Question 6: the score that 10% more budget adds to the best portfolio.

    Parameters
    ----------
    pipeline
        The candidate pipeline.
    extra_value
        The learner's gain in total score.
    """
    pipe = _pipeline(pipeline)
    value = as_number(extra_value, "extra_value")
    now = _best(pipe)
    more = select_portfolio(
        pipe.table(),
        budget=pipe.budgets(pipe.budget * EXTRA_BUDGET),
        **pipe.constraints(),
    )
    truth = more.total_value - now.total_value
    if SCORE.accepts(value, truth):
        return
    if SCORE.accepts(value, more.total_value):
        fail(
            f"{value:.2f} is the best total with the larger budget; the question "
            f"asks what it adds: subtract today's best ({now.total_value:.2f})."
        )
    if now.greedy is not None and SCORE.accepts(
        value, more.total_value - now.greedy.total_value
    ):
        fail(
            "You subtracted the ranking's total, not today's best: compare the best "
            "portfolio at each budget."
        )
    if math.isfinite(value) and value < 0:
        fail("More money cannot make the best portfolio worse: the gain is >= 0.")
    assert SCORE.accepts(value, truth), f"you have {value:.2f}"
