"""
Seeded generator of a fictional organisation's project portfolio.

:func:`generate_organisation` builds every canonical table of **Meridian Works**, a
mid-size company running IT, operations, regulatory and product projects. The first
ten projects follow a fixed scenario (a late project, an over-budget one, a risk that
fired, a missed sprint, an over-allocated specialist, flawed charters, ...); larger
portfolios add projects drawn at random around the same patterns. The same seed
always gives the same tables, whatever the date today.
"""

from __future__ import annotations

import re
from typing import Any

import numpy as np
import pandas as pd

from pmo_kit._errors import ValidationError
from pmo_kit.charter.model import Charter
from pmo_kit.data._generator.agile import build_agile
from pmo_kit.data._generator.catalogue import BRIEFS, EXECUTIVES, SITES
from pmo_kit.data._generator.charter import build_charter
from pmo_kit.data._generator.evm import build_status
from pmo_kit.data._generator.governance import build_gates, build_lessons, gate_days
from pmo_kit.data._generator.people import Staff, assign, build_staff
from pmo_kit.data._generator.random import Dice
from pmo_kit.data._generator.risks import build_risks
from pmo_kit.data._generator.schedule import (
    Plan,
    build_network,
    in_phase,
    place_in_time,
    set_elapsed,
)
from pmo_kit.data.portfolio import Portfolio

__all__ = ["MAX_PROJECTS", "generate_organisation"]

#: Largest portfolio the generator accepts.
MAX_PROJECTS = 20_000

#: The scripted first ten projects: brief, methodology, phase, position of the status
#: date within the phase (0..1), pace in % of plan, cost efficiency (CPI), flags.
_SCENARIO: tuple[tuple[int, str, str, float, int, float, tuple[str, ...]], ...] = (
    (0, "agile", "execution", 0.55, 100, 1.01, ()),
    (1, "predictive", "execution", 0.45, 70, 0.97, ("charter_vague",)),
    (2, "predictive", "execution", 0.50, 98, 0.80, ("charter_unapproved",)),
    (3, "hybrid", "execution", 0.50, 96, 0.99, ("risk_fired", "shared_specialist")),
    (4, "agile", "execution", 0.60, 97, 0.98, ("missed_sprint",)),
    (5, "hybrid", "execution", 0.45, 100, 1.00, ("shared_specialist",)),
    (6, "predictive", "closing", 0.50, 99, 0.99, ()),
    (7, "predictive", "closed", 0.00, 94, 0.96, ()),
    (8, "agile", "planning", 0.50, 100, 1.00, ()),
    (9, "predictive", "initiation", 0.50, 100, 1.00, ("gate_hold",)),
)
_PHASES = ("initiation", "planning", "execution", "closing", "closed")
_METHODS = ("predictive", "agile", "hybrid")
_SCORES = {"reg": (5, 3), "it": (4, 4), "product": (4, 5), "ops": (3, 4)}
_BENEFIT = {
    "reg": (0.8, 1.5),
    "it": (1.5, 3.0),
    "product": (2.0, 4.0),
    "ops": (1.8, 3.5),
}
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def generate_organisation(
    *,
    seed: int = 2026,
    projects: int = 10,
    name: str = "Meridian Works",
    status_date: str = "2026-06-26",
) -> Portfolio:
    """
    Generate a consistent, realistic portfolio of a fictional organisation.

    Parameters
    ----------
    seed
        Seed of the random generator; the same seed gives identical tables.
    projects
        Number of projects (1 to ``MAX_PROJECTS``). The first ten follow the
        Meridian Works scenario described in ``datasets/README.md``.
    name
        Organisation name stored in the portfolio.
    status_date
        The organisation's status (cut-off) date, ``YYYY-MM-DD``. Progress, weekly
        status rows and all history end on this date.

    Returns
    -------
    Portfolio
        All twelve canonical tables plus one charter per project, validated.

    Raises
    ------
    ValidationError
        An argument is out of range; the message names it and what is allowed.

    Examples
    --------
    >>> portfolio = generate_organisation(projects=3, seed=7)
    >>> portfolio.project_ids
    ['P-001', 'P-002', 'P-003']
    >>> list(portfolio.projects["methodology"])
    ['agile', 'predictive', 'predictive']
    """
    status = _check_arguments(seed, projects, name, status_date)
    rng = Dice(np.random.default_rng(seed))
    plans = [_make_plan(i, rng) for i in range(projects)]
    for plan in plans:
        build_network(plan, rng)
        place_in_time(plan, status, rng)
    _align_specialist_work(plans, status)
    staff = build_staff(projects, rng.rng)
    assignments = assign(plans, staff, rng)
    projects_table = _projects_table(plans, staff, status, rng)
    tasks, dependencies = _task_tables(plans)
    budgets = dict(
        zip(projects_table["project_id"], projects_table["budget"], strict=True)
    )
    teams = _teams(plans, staff, assignments)
    risks, shocks = build_risks(plans, teams, budgets, rng)
    status_table = build_status(plans, status, shocks, rng.rng)
    sprints, work_items, status_changes = build_agile(plans, rng)
    lessons = build_lessons(plans, rng)
    reviews = {plan.project_id: gate_days(plan, rng) for plan in plans}
    gates = build_gates(plans, reviews, rng)
    charters: dict[str, Charter] = {}
    for plan in plans:
        person = staff.manager_of(plan.index)
        charters[plan.project_id] = Charter.from_dict(
            build_charter(
                plan,
                budget=budgets[plan.project_id],
                manager=(staff.ids[person], str(staff.frame["name"].iloc[person])),
                reviews=reviews[plan.project_id],
                rng=rng,
            )
        )
    portfolio = Portfolio(
        name=name,
        currency="EUR",
        projects=projects_table,
        tasks=tasks,
        dependencies=dependencies,
        resources=staff.frame,
        assignments=assignments,
        risks=risks,
        status=status_table,
        sprints=sprints,
        work_items=work_items,
        status_changes=status_changes,
        lessons=lessons,
        gates=gates,
        charters=charters,
    )
    return portfolio.validate()


def _check_arguments(
    seed: object, projects: object, name: object, status_date: object
) -> np.datetime64:
    if isinstance(seed, bool) or not isinstance(seed, int | np.integer) or seed < 0:
        msg = f"{seed!r} is an invalid value for `seed`. Allowed: a whole number >= 0"
        raise ValidationError(msg)
    if (
        isinstance(projects, bool)
        or not isinstance(projects, int | np.integer)
        or not 1 <= projects <= MAX_PROJECTS
    ):
        msg = (
            f"{projects!r} is an invalid value for `projects`. Allowed: a whole number "
            f"from 1 to {MAX_PROJECTS}"
        )
        raise ValidationError(msg)
    if not isinstance(name, str) or not name.strip():
        msg = f"{name!r} is an invalid value for `name`. Allowed: a non-empty text"
        raise ValidationError(msg)
    allowed = "Allowed: a date written YYYY-MM-DD, e.g. '2026-06-26'"
    if not isinstance(status_date, str) or not _ISO_DATE.fullmatch(status_date.strip()):
        msg = f"{status_date!r} is an invalid value for `status_date`. {allowed}"
        raise ValidationError(msg)
    try:
        return np.datetime64(status_date.strip(), "D")
    except ValueError:
        msg = (
            f"{status_date!r} is not a valid calendar date for `status_date`. {allowed}"
        )
        raise ValidationError(msg) from None


def _make_plan(i: int, rng: Dice) -> Plan:
    if i < len(_SCENARIO):
        brief_no, method, phase, position, pace, cpi, flags = _SCENARIO[i]
        brief = BRIEFS[brief_no]
        name, prefix = brief.name, brief.prefix
    else:
        brief = BRIEFS[i % len(BRIEFS)]
        wave = i // len(BRIEFS) - 1
        site = SITES[wave % len(SITES)]
        suffix = f" {wave // len(SITES) + 1}" if wave >= len(SITES) else ""
        name = f"{brief.name} ({site}{suffix})"
        prefix = f"{brief.prefix}{wave + 1}"
        method = (
            brief.methodology if rng.random() < 0.7 else _METHODS[rng.integers(0, 3)]
        )
        phase = _PHASES[rng.pick((0.08, 0.18, 0.78, 0.88, 1.0))]
        position = rng.uniform(0.15, 0.85)
        pace = int(np.clip(round(rng.rng.normal(97, 6)), 75, 110))
        cpi = float(np.clip(rng.rng.normal(0.97, 0.06), 0.75, 1.15))
        flags = ()
    return Plan(
        index=i,
        project_id=f"P-{i + 1:03d}",
        brief=brief,
        name=name,
        prefix=prefix,
        methodology=method,
        phase=phase,
        position=position,
        k=pace,
        cpi=cpi,
        flags=frozenset(flags),
    )


def _align_specialist_work(plans: list[Plan], status: np.datetime64) -> None:
    """
    Shift the second ``shared_specialist`` project so both need the data engineer.

    Its first build-phase data-engineering task is moved to start on the same day as the
    first project's, as long as the project stays in its phase at the status date.
    """
    pair = [p for p in plans if "shared_specialist" in p.flags][:2]
    if len(pair) < 2:
        return
    firsts = []
    for plan in pair:
        tasks = [
            i
            for i, r in enumerate(plan.roles)
            if r == "Data Engineer" and plan.phase_no[i] == 4
        ]
        if not tasks:
            return
        firsts.append(min(int(plan.es[i]) for i in tasks))
    anchor = pair[0].day(firsts[0])
    start = np.busday_offset(anchor, -firsts[1])
    status_day = np.busday_offset(status, 0, roll="backward")
    elapsed = int(np.busday_count(start, status_day)) + 1
    if elapsed >= 1 and in_phase(pair[1], elapsed):
        set_elapsed(pair[1], elapsed, status)


def _projects_table(
    plans: list[Plan], staff: Staff, status: np.datetime64, rng: Dice
) -> pd.DataFrame:
    rows: list[tuple[object, ...]] = []
    for plan in plans:
        brief = plan.brief
        budget = float(plan.bc.sum())
        align, value = _SCORES[brief.domain]
        low, high = _BENEFIT[brief.domain]
        closed = plan.phase == "closed"
        last = plan.day(int(plan.act_finish[plan.milestones[-1]])) if closed else status
        rows.append(
            (
                plan.project_id,
                plan.name,
                brief.programme,
                EXECUTIVES[brief.sponsor][0],
                staff.ids[staff.manager_of(plan.index)],
                plan.methodology,
                plan.phase,
                plan.start,
                plan.day(plan.finish_day - 1),
                budget,
                min(5, max(1, align + rng.integers(-1, 2))),
                min(5, max(1, value + rng.integers(-1, 2))),
                round(budget * rng.uniform(low, high), -4),
                last,
            )
        )
    frame = pd.DataFrame(
        rows,
        columns=[
            "project_id",
            "name",
            "programme",
            "sponsor",
            "manager",
            "methodology",
            "phase",
            "start",
            "planned_finish",
            "budget",
            "strategic_alignment",
            "business_value",
            "expected_benefit",
            "status_date",
        ],
    )
    for column in ("start", "planned_finish", "status_date"):
        frame[column] = pd.to_datetime(frame[column])
    return frame


def _task_tables(plans: list[Plan]) -> tuple[pd.DataFrame, pd.DataFrame]:
    cols: dict[str, list[Any]] = {c: [] for c in _TASK_COLUMNS}
    links: list[tuple[str, str, str, str, int]] = []
    for plan in plans:
        first, last = plan.baseline_days()
        ids = plan.task_ids
        cols["project_id"].append(np.full(len(ids), plan.project_id, dtype=object))
        cols["task_id"].append(np.array(ids, dtype=object))
        cols["name"].append(np.array(plan.names, dtype=object))
        cols["wbs"].append(np.array(plan.wbs, dtype=object))
        cols["duration"].append(plan.duration)
        for j, column in enumerate(("optimistic", "most_likely", "pessimistic")):
            cols[column].append(plan.estimates[:, j])
        cols["baseline_start"].append(plan.days(first))
        cols["baseline_finish"].append(plan.days(last))
        cols["percent_complete"].append(plan.pct)
        for column, days in (
            ("actual_start", plan.act_start),
            ("actual_finish", plan.act_finish),
        ):
            dates = plan.days(np.maximum(days, 0))
            cols[column].append(np.where(days >= 0, dates, np.datetime64("NaT", "D")))
        cols["budgeted_cost"].append(plan.bc)
        links += [
            (plan.project_id, ids[p], ids[s], kind, lag)
            for p, s, kind, lag in plan.links
        ]
    tasks = pd.DataFrame({c: np.concatenate(parts) for c, parts in cols.items()})
    for column in (
        "baseline_start",
        "baseline_finish",
        "actual_start",
        "actual_finish",
    ):
        tasks[column] = pd.to_datetime(tasks[column])
    dependencies = pd.DataFrame(
        links, columns=["project_id", "predecessor", "successor", "type", "lag"]
    )
    return tasks, dependencies


_TASK_COLUMNS = (
    "project_id",
    "task_id",
    "name",
    "wbs",
    "duration",
    "optimistic",
    "most_likely",
    "pessimistic",
    "baseline_start",
    "baseline_finish",
    "percent_complete",
    "actual_start",
    "actual_finish",
    "budgeted_cost",
)


def _teams(
    plans: list[Plan], staff: Staff, assignments: pd.DataFrame
) -> dict[str, list[str]]:
    """People working on each project (its manager first): candidate risk owners."""
    members = assignments.groupby("project_id")["resource_id"].unique()
    teams: dict[str, list[str]] = {}
    for plan in plans:
        manager = staff.ids[staff.manager_of(plan.index)]
        others = sorted(
            str(r) for r in members.get(plan.project_id, []) if r != manager
        )
        teams[plan.project_id] = [manager, *others]
    return teams
