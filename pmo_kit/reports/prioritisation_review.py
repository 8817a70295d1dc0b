"""
The prioritisation review: what the ``portfolio-prioritisation`` report shows.

:func:`portfolio_prioritisation` scores the organisation's candidate pipeline
(:func:`pmo_kit.selection.pipeline_for`), checks the board's pairwise judgements
(AHP), computes NPV, IRR and payback, chooses the exact best portfolio within the
yearly budgets, the scarce roles and the board's rules, compares it with a greedy
ranking, and draws the efficient frontier; the notebook only displays the result.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

import pandas as pd

from pmo_kit._errors import ValidationError
from pmo_kit.reports._content import plural

if TYPE_CHECKING:
    import altair as alt

    from pmo_kit.data.portfolio import Portfolio
    from pmo_kit.selection import AHPResult, Pipeline, SelectionResult

__all__ = [
    "COLUMN_LABELS",
    "WEIGHT_SOURCES",
    "PrioritisationReview",
    "portfolio_prioritisation",
]

WEIGHT_SOURCES = ("agreed", "ahp")
"""Where the criteria weights come from: the agreed weights or the AHP ones."""

#: How the report labels the columns of the review's tables.
COLUMN_LABELS: dict[str, str] = {
    "project_id": "Candidate",
    "name": "Name",
    "programme": "Programme",
    "sponsor": "Sponsor",
    "cost": "Cost",
    "score": "Score",
    "rank": "Rank",
    "npv": "NPV",
    "irr": "IRR",
    "payback": "Payback (years)",
    "chosen": "Chosen",
    "greedy": "Greedy pick",
    "rule": "Rule",
    "criterion": "Criterion",
    "agreed": "Agreed weight",
    "ahp": "AHP weight",
    "used_weight": "Weight used",
    "limit_name": "Limit",
    "kind": "Kind",
    "used": "Used",
    "limit": "Available",
    "slack": "Left",
    "binding": "Binding",
    "budget": "Budget",
    "best_value": "Best value",
    "total_cost": "Cost",
    "count": "Projects",
    "change": "What changes",
    "budget_from": "From budget",
    "budget_to": "To budget",
    "value_gain": "Value gained",
    "candidates": "Candidates",
    "chosen_count": "Chosen",
    "chosen_cost": "Cost chosen",
}


@dataclass(frozen=True)
class PrioritisationReview:
    """
    Everything the portfolio-prioritisation report shows.

    Attributes
    ----------
    organisation, currency
        ``portfolio.name`` and its currency.
    pipeline
        The candidates and rules (``pipeline.derived``: made from the organisation).
    budget
        The total budget used; the yearly budgets are scaled to it.
    value
        What the selection maximises: ``score`` or ``npv``.
    weights_source
        ``agreed`` (the pipeline's weights) or ``ahp`` (from the judgements).
    weights
        The normalised weights used.
    ahp
        :meth:`Pipeline.ahp` (weights, consistency ratio, conflicts).
    ranking
        One row per candidate, best score first: ``project_id, name, programme,
        sponsor, cost``, the criteria, ``score, rank, npv, irr, payback, chosen,
        greedy, rule`` (must / never / needs ... / one of ...).
    result
        The exact best portfolio (:class:`~pmo_kit.selection.SelectionResult`).
    limits
        One row per limit: ``limit_name, kind, used, limit, slack, binding``.
    years
        One row per budget year: ``year, budget, used, slack``.
    programmes
        One row per programme: ``programme, candidates, chosen_count,
        chosen_cost``.
    weight_table
        One row per criterion: ``criterion, agreed, ahp, used_weight``.
    frontier
        The frontier (:meth:`Pipeline.frontier`), ``budget`` levels ascending.
    changes
        :func:`pmo_kit.selection.frontier_changes` of it, with names.
    flags
        Sentences on candidates whose score and NPV disagree (pet projects).
    narrative
        The headlines.
    """

    organisation: str
    currency: str
    pipeline: Pipeline
    budget: float
    value: str
    weights_source: str
    weights: dict[str, float]
    ahp: AHPResult
    ranking: pd.DataFrame
    result: SelectionResult
    limits: pd.DataFrame
    years: pd.DataFrame
    programmes: pd.DataFrame
    weight_table: pd.DataFrame
    frontier: pd.DataFrame
    changes: pd.DataFrame
    flags: list[str]
    narrative: list[str]

    @property
    def labels(self) -> dict[str, str]:
        """Column labels for display (:data:`COLUMN_LABELS`)."""
        return dict(COLUMN_LABELS)

    @property
    def header(self) -> dict[str, str]:
        """The report's key facts: pipeline, budget, weights, objective."""
        yearly = ", ".join(
            f"{y}: {self._money(b)}"
            for y, b in self.pipeline.budgets(self.budget).items()
            if y != "total"
        )
        return {
            "Pipeline": (
                "derived from the organisation (no pipeline/ folder)"
                if self.pipeline.derived
                else f"{plural(len(self.ranking), 'candidate')} in pipeline/"
            ),
            "Budget": f"{self._money(self.budget)} ({yearly})",
            "Weights": "agreed by the board"
            if self.weights_source == "agreed"
            else "AHP, from the board's pairwise judgements",
            "Maximises": "total weighted score"
            if self.value == "score"
            else f"total NPV at {self.pipeline.discount_rate:.0%}",
        }

    def _money(self, amount: float) -> str:
        return f"{self.currency} {amount:,.0f}".strip()

    def frontier_chart(self) -> alt.LayerChart:
        """Return the efficient frontier chart with the budget marked (altair)."""
        from pmo_kit.charts.selection import frontier_chart

        title = "Total weighted score" if self.value == "score" else "Total NPV"
        return frontier_chart(
            self.frontier,
            current=self.budget,
            currency=self.currency,
            value_title=title,
        )

    def selection_chart(self) -> alt.LayerChart:
        """Return score against cost, coloured by optimum and greedy (altair)."""
        from pmo_kit.charts.selection import selection_chart

        return selection_chart(self.ranking, self.result, currency=self.currency)

    def summary(self) -> dict[str, Any]:
        """Return the content of the report's ``summary.json``."""
        greedy = self.result.greedy
        best = self.result.total_value
        return {
            "report": "portfolio-prioritisation",
            "organisation": self.organisation,
            "currency": self.currency,
            "derived_pipeline": self.pipeline.derived,
            "candidates": len(self.ranking),
            "budget": self.budget,
            "budget_per_year": {
                y: b
                for y, b in self.pipeline.budgets(self.budget).items()
                if y != "total"
            },
            "value": self.value,
            "weights_source": self.weights_source,
            "weights": {k: round(v, 4) for k, v in self.weights.items()},
            "consistency_ratio": round(self.ahp.consistency_ratio, 4),
            "chosen": list(self.result.chosen),
            "chosen_count": len(self.result.chosen),
            "total_value": round(best, 4),
            "total_cost": self.result.total_cost,
            "chosen_npv": round(
                float(self.ranking.loc[self.ranking["chosen"], "npv"].sum()), 2
            ),
            "greedy_chosen": list(greedy.chosen) if greedy else [],
            "greedy_value": round(greedy.total_value, 4) if greedy else None,
            "greedy_value_lost": round(greedy.value_lost, 4) if greedy else None,
            "binding": list(self.result.binding),
            "frontier": [
                {
                    "budget": float(r["budget"]),
                    "best_value": None
                    if not r["feasible"]
                    else round(float(r["best_value"]), 4),
                    "count": int(r["count"]),
                }
                for r in self.frontier.to_dict("records")
            ],
            "flags": list(self.flags),
            "narrative": list(self.narrative),
        }


def _rules(pipeline: Pipeline) -> dict[str, str]:
    rules: dict[str, list[str]] = {}
    for ident in pipeline.must:
        rules.setdefault(ident, []).append("must")
    for ident in pipeline.never:
        rules.setdefault(ident, []).append("never")
    for a, b in pipeline.requires:
        rules.setdefault(a, []).append(f"needs {b}")
        rules.setdefault(b, []).append(f"needed by {a}")
    for group in pipeline.exclusive:
        for ident in group:
            others = [g for g in group if g != ident]
            rules.setdefault(ident, []).append("not with " + ", ".join(others))
    return {k: "; ".join(v) for k, v in rules.items()}


def portfolio_prioritisation(
    portfolio: Portfolio,
    *,
    pipeline: Pipeline | None = None,
    budget: float | None = None,
    weights: str = "agreed",
    value: str = "score",
    steps: int = 12,
) -> PrioritisationReview:
    """
    Review the candidate pipeline: scores, finance, the best portfolio, frontier.

    Parameters
    ----------
    portfolio
        The organisation (:func:`pmo_kit.load_portfolio`).
    pipeline
        The candidates; ``None``: :func:`pmo_kit.selection.pipeline_for`
        ``(portfolio)`` (its ``pipeline/`` folder, or one derived from it).
    budget
        Total budget for new projects; ``None`` (or 0) keeps the pipeline's.
        The yearly budgets are scaled alike.
    weights
        ``"agreed"``: the pipeline's weights; ``"ahp"``: the weights of the board's
        pairwise judgements.
    value
        What the selection maximises: ``"score"`` or ``"npv"``.
    steps
        Budget levels on the frontier (:meth:`Pipeline.budget_levels`); the
        budget itself is added as one more.

    Returns
    -------
    PrioritisationReview
        Tables, the selection, the frontier and headlines, with
        :meth:`PrioritisationReview.summary` for ``summary.json``.

    Raises
    ------
    ValidationError
        A bad parameter, a bad pipeline file, or no portfolio fits the budget
        (one line naming the cause).

    Examples
    --------
    >>> import pmo_kit
    >>> review = portfolio_prioritisation(pmo_kit.load_portfolio())
    >>> review.result.chosen[:3], review.result.binding[-1]
    (('C-001', 'C-007', 'C-008'), 'role Data Engineer')
    """
    from pmo_kit.selection import frontier_changes, pipeline_for

    if weights not in WEIGHT_SOURCES:
        msg = (
            f"weights: {weights!r} is not allowed. Allowed: {', '.join(WEIGHT_SOURCES)}"
        )
        raise ValidationError(msg)
    if value not in ("score", "npv"):
        msg = f"value: {value!r} is not allowed. Allowed: score, npv"
        raise ValidationError(msg)
    if isinstance(steps, bool) or not isinstance(steps, int) or steps < 2:
        msg = f"steps: {steps!r} is not allowed. Allowed: an integer >= 2"
        raise ValidationError(msg)
    source = pipeline if pipeline is not None else pipeline_for(portfolio)
    total = source.budget if budget is None or budget == 0 else float(budget)
    source.budgets(total)  # checks the budget (one line)
    ahp = source.ahp(check=False)
    used = dict(source.weights) if weights == "agreed" else dict(ahp.weights)
    from pmo_kit.selection import normalise_weights

    used = normalise_weights(used)
    result = source.select(used, budget=total, value=value)
    scored = source.scored(used)
    best = set(result.chosen)
    greedy = set(result.greedy.chosen) if result.greedy else set()
    rules = _rules(source)
    ranking = (
        scored.assign(
            chosen=[i in best for i in scored["project_id"]],
            greedy=[i in greedy for i in scored["project_id"]],
            rule=[rules.get(i, "") for i in scored["project_id"]],
        )
        .sort_values(["rank", "project_id"], kind="stable")
        .reset_index(drop=True)
    )
    limits = pd.DataFrame(
        [
            {
                "limit_name": c.name,
                "kind": c.kind,
                "used": c.used,
                "limit": c.limit,
                "slack": c.slack,
                "binding": c.binding,
            }
            for c in result.constraints
        ]
    )
    year_rows = limits[(limits["kind"] == "period") & (limits["limit_name"] != "total")]
    years = pd.DataFrame(
        {
            "year": year_rows["limit_name"].to_numpy(),
            "budget": year_rows["limit"].to_numpy(float),
            "used": year_rows["used"].to_numpy(float),
            "slack": year_rows["slack"].to_numpy(float),
        }
    )
    programmes = pd.DataFrame(
        [
            {
                "programme": name,
                "candidates": len(group),
                "chosen_count": int(group["chosen"].sum()),
                "chosen_cost": float(group.loc[group["chosen"], "cost"].sum()),
            }
            for name, group in ranking.groupby("programme", sort=True)
        ]
    )
    weight_table = pd.DataFrame(
        {
            "criterion": list(source.criteria),
            "agreed": [normalise_weights(source.weights)[c] for c in source.criteria],
            "ahp": [ahp.weights.get(c, math.nan) for c in source.criteria],
            "used_weight": [used[c] for c in source.criteria],
        }
    )
    levels = sorted({*source.budget_levels(steps), total})
    frontier = source.frontier(levels, used, value=value)
    names = dict(
        zip(source.candidates["project_id"], source.candidates["name"], strict=True)
    )
    changes = frontier_changes(frontier, names)
    review = PrioritisationReview(
        organisation=portfolio.name,
        currency=str(portfolio.currency or ""),
        pipeline=source,
        budget=total,
        value=value,
        weights_source=weights,
        weights=used,
        ahp=ahp,
        ranking=ranking,
        result=result,
        limits=limits,
        years=years,
        programmes=programmes,
        weight_table=weight_table,
        frontier=frontier,
        changes=changes,
        flags=_flags(ranking, source.must),
        narrative=[],
    )
    return replace(review, narrative=_narrative(review))


def _flags(ranking: pd.DataFrame, must: tuple[str, ...]) -> list[str]:
    """Candidates in the top quarter by score whose NPV is negative (not musts)."""
    top = max(1, math.ceil(len(ranking) / 4))
    lines = []
    for row in ranking.head(top).to_dict("records"):
        if float(row["npv"]) < 0 and row["project_id"] not in must:
            lines.append(
                f"{row['project_id']} {row['name']} ranks {int(row['rank'])} of "
                f"{len(ranking)} on score ({float(row['score']):.2f}) but its NPV is "
                f"{float(row['npv']):,.0f}: the scores promise value the cash flows "
                "do not show; ask the sponsor for the benefits case."
            )
    return lines


def _limit_words(name: str, kind: str) -> str:
    """Say a limit in words: ``the 2027 budget``, ``Data Engineer hours``."""
    if kind == "budget" or (kind == "period" and name == "total"):
        return "the total budget"
    if kind == "period":
        return f"the {name} budget"
    return f"{name} hours"


def _narrative(review: PrioritisationReview) -> list[str]:
    """Write the headlines of a review."""
    r = review.result
    ranking = review.ranking
    money = review._money
    unit = "points" if review.value == "score" else review.currency
    lines = [
        f"{plural(len(ranking), 'candidate')} ask for "
        f"{money(float(ranking['cost'].sum()))}; with a budget of "
        f"{money(review.budget)} the best portfolio takes "
        f"{plural(len(r.chosen), 'project')} for {money(r.total_cost)} "
        f"(total value {r.total_value:,.2f} {unit})."
    ]
    if r.greedy is not None:
        if r.greedy.value_lost > 1e-9:
            share = r.greedy.value_lost / r.total_value if r.total_value else 0.0
            lines.append(
                f"Ranking by value per cost and filling the budget would choose "
                f"{plural(len(r.greedy.chosen), 'project')} and lose "
                f"{r.greedy.value_lost:,.2f} {unit} ({share:.1%}) against the optimum."
            )
        else:
            lines.append(
                "Here ranking by value per cost happens to reach the optimum; it "
                "need not (the frontier shows mixes a ranking misses)."
            )
    binding = [_limit_words(c.name, c.kind) for c in r.constraints if c.binding]
    lines.append(
        "Binding limits: " + ", ".join(binding) + "."
        if binding
        else "No limit binds: every candidate that adds value fits."
    )
    ahp = review.ahp
    verdict = "consistent" if ahp.consistency_ratio < 0.1 else "NOT consistent"
    lines.append(
        f"The board's pairwise judgements are {verdict} (consistency ratio "
        f"{ahp.consistency_ratio:.1%}, limit 10%); weights used ("
        f"{review.weights_source}): "
        + ", ".join(f"{k.replace('_', ' ')} {v:.0%}" for k, v in review.weights.items())
        + "."
    )
    names = dict(zip(ranking["project_id"], ranking["name"], strict=True))
    if review.pipeline.must:
        lines.append(
            "Must-do (always in): "
            + "; ".join(f"{i} {names[i]}" for i in review.pipeline.must)
            + "."
        )
    chosen = set(r.chosen)
    for group in review.pipeline.exclusive:
        picked = [g for g in group if g in chosen]
        lines.append(
            f"Of the alternatives {', '.join(group)}, "
            + (
                f"{picked[0]} {names[picked[0]]} is chosen."
                if picked
                else "none is chosen."
            )
        )
    lines.extend(review.flags)
    ahead = review.changes[review.changes["budget_from"] >= review.budget - 1e-6]
    if not ahead.empty:
        step = ahead.iloc[0]
        lines.append(
            f"On the frontier, going from {money(float(step['budget_from']))} to "
            f"{money(float(step['budget_to']))}: {step['change']}."
        )
    return lines
