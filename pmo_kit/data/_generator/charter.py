"""Project charters of generated projects (plain dicts, saved as YAML)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np

from pmo_kit.data._generator.catalogue import EXECUTIVES
from pmo_kit.data._generator.governance import GATE_MILESTONE

if TYPE_CHECKING:
    from pmo_kit.data._generator.random import Dice
    from pmo_kit.data._generator.schedule import Plan

__all__ = ["build_charter"]

_STAKEHOLDER_NAMES = (
    "Lotte Verhoeven",
    "Gareth Hughes",
    "Mireille Laurent",
    "Stefan Kraus",
    "Aisha Rahman",
    "Pieter de Wit",
    "Claire Dupont",
    "Jakub Zielinski",
    "Nadia Benali",
    "Tom Fletcher",
    "Elena Petrova",
    "Ruben Castro",
)
_VAGUE_OBJECTIVE = ("Improve finance processes", None, None)


def _iso(day: np.datetime64) -> str:
    return str(np.datetime_as_string(day, unit="D"))


def build_charter(
    plan: Plan,
    *,
    budget: float,
    manager: tuple[str, str],
    reviews: dict[str, int],
    rng: Dice,
) -> dict[str, Any]:
    """
    Return the charter of one project as a YAML-ready dict (built-in types only).

    Projects flagged ``charter_vague`` get an objective without metric or target and
    an empty scope_out; ``charter_unapproved`` ones have no contingency and no
    approval. Projects still in initiation are not approved yet.
    """
    brief = plan.brief
    ctx = brief.context
    finish = plan.day(plan.finish_day - 1)
    objectives = list(brief.objectives)
    scope_out = list(brief.scope_out)
    if "charter_vague" in plan.flags:
        objectives[0] = _VAGUE_OBJECTIVE
        scope_out = []
    months = [rng.integers(3, 13) for _ in objectives]
    sponsor_name, sponsor_title = EXECUTIVES[brief.sponsor]
    _, last = plan.baseline_days()
    gate_tasks = {plan.milestones[m]: g for g, m in GATE_MILESTONE.items()}
    milestones = [
        {"name": plan.names[t], "date": _iso(plan.day(int(last[t])))}
        for t in plan.milestones
        if t in gate_tasks or t == plan.milestones[-1]
    ]
    unapproved = "charter_unapproved" in plan.flags or plan.phase == "initiation"
    approval = (
        None
        if unapproved or "G1" not in reviews
        else {
            "approved_by": sponsor_name,
            "date": _iso(plan.day(reviews["G1"])),
        }
    )
    contingency = (
        0
        if "charter_unapproved" in plan.flags
        else int(round(budget * (rng.uniform(0.08, 0.15)), -3))
    )
    picks = rng.sample(len(_STAKEHOLDER_NAMES), len(brief.stakeholders))
    return {
        "project_id": plan.project_id,
        "title": plan.name,
        "purpose": brief.purpose.format(**ctx),
        "objectives": [
            {
                "description": description,
                "metric": metric,
                "target": target,
                "due": _iso(finish + np.timedelta64(30 * int(m), "D")),
            }
            for (description, metric, target), m in zip(objectives, months, strict=True)
        ],
        "requirements": list(brief.requirements),
        "scope_in": list(brief.scope_in),
        "scope_out": scope_out,
        "milestones": milestones,
        "budget": {
            "amount": round(budget),
            "currency": "EUR",
            "contingency": contingency,
        },
        "stakeholders": [
            {"name": _STAKEHOLDER_NAMES[int(i)], "role": role, "interest": interest}
            for i, (role, interest) in zip(picks, brief.stakeholders, strict=True)
        ],
        "sponsor": {
            "name": sponsor_name,
            "authority": f"{sponsor_title}; approves changes to budget, scope and "
            "objectives beyond the project manager's tolerances",
        },
        "manager": {
            "resource_id": manager[0],
            "name": manager[1],
            "authority": "Manages budget within 5% and schedule within 10 working "
            "days; escalates anything beyond to the sponsor",
        },
        "assumptions": list(brief.assumptions),
        "constraints": list(brief.constraints),
        "risks": list(brief.risks),
        "approval": approval,
    }
