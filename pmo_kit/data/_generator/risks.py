"""Risk registers of generated projects."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from pmo_kit.data._generator.risk_text import OPPORTUNITIES, THREATS, RiskTemplate

if TYPE_CHECKING:
    from pmo_kit.data._generator.random import Dice
    from pmo_kit.data._generator.schedule import Plan

__all__ = ["FIRED_RISK_TITLE", "build_risks"]

#: The threat that fires in the project flagged ``risk_fired``.
FIRED_RISK_TITLE = "Unknown copies of personal data"

_PROXIMITY = ("imminent", "near", "medium", "far")
_COLUMNS = [
    "project_id",
    "risk_id",
    "title",
    "type",
    "cause",
    "event",
    "effect",
    "category",
    "owner",
    "probability",
    "impact",
    "residual_probability",
    "residual_impact",
    "cost_impact_min",
    "cost_impact_most_likely",
    "cost_impact_max",
    "schedule_impact_min",
    "schedule_impact_max",
    "proximity",
    "response_strategy",
    "response_actions",
    "trigger",
    "status",
    "raised_date",
    "last_review_date",
    "closed_date",
]

Shock = tuple[np.datetime64, float]


def _fits(template: RiskTemplate, domain: str) -> bool:
    return "any" in template.domains.split() or domain in template.domains.split()


def build_risks(
    plans: list[Plan],
    teams: dict[str, list[str]],
    budgets: dict[str, float],
    rng: Dice,
) -> tuple[pd.DataFrame, dict[str, list[Shock]]]:
    """
    Write five to seven risks per project and note the costs of risks that fired.

    Returns
    -------
    tuple
        The risks table, and for each project the (date, cost) of every risk with
        status ``occurred`` so the actual cost can show it.
    """
    rows: list[list[object]] = []
    shocks: dict[str, list[Shock]] = {}
    for plan in plans:
        domain = plan.brief.domain
        threats = [t for t in THREATS if _fits(t, domain)]
        opportunities = [t for t in OPPORTUNITIES if _fits(t, domain)]
        n = rng.integers(5, 8)
        n_opp = 1 if rng.random() < 0.6 else 0
        picked = [threats[i] for i in rng.sample(len(threats), n - n_opp)]
        picked += [opportunities[rng.integers(0, len(opportunities))]] * n_opp
        fired: RiskTemplate | None = None
        if "risk_fired" in plan.flags:
            fired = next(t for t in THREATS if t.title == FIRED_RISK_TITLE)
            if fired not in picked:
                picked[0] = fired
        context = plan.brief.context
        team = teams[plan.project_id]
        now = _last_day(plan)
        budget = budgets[plan.project_id]
        for tpl in picked:
            is_threat = tpl in THREATS
            row = _dates_and_status(plan, now, tpl is fired, rng)
            status, raised, review, closed = row
            prob = 1 + rng.pick((0.08, 0.35, 0.7, 0.92, 1.0))
            imp = 1 + rng.pick((0.05, 0.25, 0.6, 0.88, 1.0))
            if tpl is fired:
                prob, imp = 3, 4
            if not is_threat:
                r_prob, r_imp = min(5, prob + rng.integers(0, 2)), imp
            elif tpl.strategy == "accept" or rng.random() < 0.1:
                r_prob, r_imp = prob, imp
            else:
                r_prob = max(1, prob - rng.integers(1, 3))
                r_imp = max(1, imp - rng.integers(0, 2))
            share = 0.06 if tpl is fired else (rng.uniform(0.01, 0.06))
            ml = max(500.0, round(budget * share / 500.0) * 500.0)
            low = round(ml * rng.uniform(0.3, 0.7), -2)
            high = round(ml * rng.uniform(1.4, 2.5), -2)
            s_min = rng.integers(0, 6)
            s_max = s_min + rng.integers(3, 25)
            if status == "occurred" and closed is not None:
                shocks.setdefault(plan.project_id, []).append((plan.day(closed), ml))
            rows.append(
                [
                    plan.project_id,
                    "",
                    tpl.title.format(**context),
                    "threat" if is_threat else "opportunity",
                    tpl.cause.format(**context),
                    tpl.event.format(**context),
                    tpl.effect.format(**context),
                    tpl.category,
                    team[0]
                    if rng.random() < 0.35
                    else team[rng.integers(0, len(team))],
                    prob,
                    imp,
                    r_prob,
                    r_imp,
                    low,
                    ml,
                    high,
                    float(s_min),
                    float(s_max),
                    _PROXIMITY[rng.integers(0, 4)],
                    tpl.strategy,
                    tpl.actions.format(**context),
                    tpl.trigger.format(**context),
                    status,
                    plan.day(raised),
                    plan.day(review),
                    plan.day(closed) if closed is not None else None,
                ]
            )
    frame = pd.DataFrame(rows, columns=_COLUMNS)
    frame["risk_id"] = [f"RK-{i + 1:03d}" for i in range(len(frame))]
    for column in ("raised_date", "last_review_date", "closed_date"):
        frame[column] = pd.to_datetime(frame[column])
    return frame, shocks


def _last_day(plan: Plan) -> int:
    """Working-day offset of the project's status date (its end when closed)."""
    if plan.phase == "closed":
        return int(plan.act_finish[plan.milestones[-1]])
    return plan.elapsed - 1


def _dates_and_status(
    plan: Plan, now: int, fired: bool, rng: Dice
) -> tuple[str, int, int, int | None]:
    """Status, raised, last review and closed dates as working-day offsets."""
    raised = rng.integers(-20, max(-19, int(now * 0.7)))
    if plan.phase == "closed":
        closed = rng.integers(min(raised + 5, now), now + 1)
        return ("closed", raised, closed, closed)
    if fired:
        closed = max(now - rng.integers(25, 40), 1)
        raised = min(raised, closed - 15)
        return ("occurred", raised, min(now, closed + rng.integers(1, 5)), closed)
    active = plan.phase in {"execution", "closing"}
    if active and plan.index >= 10 and rng.random() < 0.03 and raised < now - 10:
        closed = rng.integers(raised + 5, now)
        return ("occurred", raised, closed, closed)
    if raised < now - 15 and rng.random() < 0.15:
        closed = rng.integers(raised + 5, now)
        return ("closed", raised, closed, closed)
    if now > 60 and rng.random() < 0.18:
        review = now - rng.integers(45, 110)
        raised = min(raised, review - rng.integers(5, 30))
    else:
        review = max(raised, now - rng.integers(0, 15))
    return ("open", raised, review, None)
