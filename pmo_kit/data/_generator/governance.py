"""Lessons learned and stage-gate reviews of generated projects."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from pmo_kit.data._generator.lesson_text import GATE_CRITERIA, LESSONS

if TYPE_CHECKING:
    from pmo_kit.data._generator.random import Dice
    from pmo_kit.data._generator.schedule import Plan

__all__ = ["GATE_MILESTONE", "build_gates", "build_lessons", "gate_days"]

#: Lessons recorded per project, by phase.
_LESSONS_PER_PHASE = {"closed": 11, "closing": 8, "execution": 2, "planning": 1}

#: Tags of the lesson only the project flagged ``charter_unapproved`` records.
_UNSIGNED_CHARTER = "charter;gate;approval"

#: Which phase milestone (0-based phase index) each gate closes.
GATE_MILESTONE = {"G1": 0, "G2": 1, "G3": 2, "G4": 4, "G5": 5}


def _status_day(plan: Plan) -> int:
    if plan.phase == "closed":
        return int(plan.act_finish[plan.milestones[-1]])
    return plan.elapsed - 1


def build_lessons(plans: list[Plan], rng: Dice) -> pd.DataFrame:
    """Lessons of every project: many from closed and closing ones, few from others."""
    rows: list[tuple[object, ...]] = []
    for plan in plans:
        count = _LESSONS_PER_PHASE.get(plan.phase, 0)
        if not count:
            continue
        domain = plan.brief.domain
        early = plan.phase in {"planning", "execution"}
        pool = [
            t
            for t in LESSONS
            if ("any" in t.domains or domain in t.domains.split())
            and not (early and t.late)
            and t.tags != _UNSIGNED_CHARTER
        ]
        chosen = [pool[i] for i in rng.sample(len(pool), min(count, len(pool)))]
        if "charter_unapproved" in plan.flags:
            chosen[0] = next(t for t in LESSONS if t.tags == _UNSIGNED_CHARTER)
        now = _status_day(plan)
        lo = now - 15 if plan.phase in {"closed", "closing"} else max(now // 3, 0)
        days = sorted(rng.integers(min(lo, now), now + 1) for _ in chosen)
        ctx = plan.brief.context
        for t, day in zip(chosen, days, strict=True):
            rows.append(
                (
                    plan.project_id,
                    plan.day(int(day)),
                    t.category,
                    t.event.format(**ctx),
                    t.effect.format(**ctx),
                    t.cause.format(**ctx),
                    t.recommendation.format(**ctx),
                    t.tags,
                )
            )
    frame = pd.DataFrame(
        rows,
        columns=[
            "project_id",
            "date",
            "category",
            "event",
            "effect",
            "cause",
            "recommendation",
            "tags",
        ],
    )
    frame.insert(0, "lesson_id", [f"L-{i + 1:03d}" for i in range(len(frame))])
    frame["date"] = pd.to_datetime(frame["date"])
    return frame


def gate_days(plan: Plan, rng: Dice) -> dict[str, int]:
    """Working-day offset of every gate the project has been reviewed at."""
    now = _status_day(plan)
    days = {"G0": -rng.integers(10, 30)}
    for gate, m in GATE_MILESTONE.items():
        task = plan.milestones[m]
        if plan.act_finish[task] >= 0:
            days[gate] = min(now, int(plan.act_finish[task]) + rng.integers(0, 3))
    if "gate_hold" in plan.flags:
        days["G1"] = max(0, now - 2)
    return days


def build_gates(
    plans: list[Plan], reviews: dict[str, dict[str, int]], rng: Dice
) -> pd.DataFrame:
    """One row per criterion of every gate reviewed so far."""
    rows: list[tuple[object, ...]] = []
    for plan in plans:
        for gate, day in reviews[plan.project_id].items():
            criteria = GATE_CRITERIA[gate]
            should = [c for c in criteria if c[1] == "should"]
            raw = np.array([rng.integers(1, 5) for _ in should], dtype=np.float64)
            weights = np.round(raw / raw.sum(), 2)
            weights[-1] = round(1.0 - float(weights[:-1].sum()), 2)
            hold = gate == "G1" and "gate_hold" in plan.flags
            w = iter(weights)
            for criterion, requirement, evidence in criteria:
                score, proof = _assess(
                    plan, gate, criterion, requirement, evidence, rng
                )
                if hold and criterion in {
                    "Project charter signed",
                    "Business case approved by sponsor",
                }:
                    score, proof = (
                        0,
                        "Draft only; sponsor asked for a revised benefits case",
                    )
                rows.append(
                    (
                        plan.project_id,
                        gate,
                        criterion,
                        requirement,
                        0.0 if requirement == "must" else float(next(w)),
                        proof,
                        score,
                        plan.day(day),
                        "hold" if hold else "go",
                    )
                )
    frame = pd.DataFrame(
        rows,
        columns=[
            "project_id",
            "gate",
            "criterion",
            "requirement",
            "weight",
            "evidence",
            "score",
            "review_date",
            "decision",
        ],
    )
    frame["review_date"] = pd.to_datetime(frame["review_date"])
    return frame


def _assess(
    plan: Plan,
    gate: str,
    criterion: str,
    requirement: str,
    evidence: str,
    rng: Dice,
) -> tuple[int, str]:
    """Score one criterion; the scenario's flawed projects show their flaws here."""
    if requirement == "must":
        if criterion == "Project charter signed" and "charter_unapproved" in plan.flags:
            return 1, "Draft charter v0.9 (not signed)"
        return 1, evidence
    if criterion == "Objectives are measurable" and "charter_vague" in plan.flags:
        return 2, "Objective table; one objective has no metric"
    if criterion == "Schedule performance within tolerance" and plan.k < 85:
        return 1, "EVM report: SPI below tolerance"
    return 2 + rng.pick((0.1, 0.45, 0.85, 1.0)), evidence
