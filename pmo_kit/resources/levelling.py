"""
Resource levelling: delay work until no resource is over-allocated, finish early.

Work is delayed inside the dependency network, with the shortest finish the search
can find.

This is the resource-constrained project scheduling problem (RCPSP). :func:`level`
solves it with a genetic algorithm over activity lists, each decoded by the serial
schedule generation scheme and tightened by forward-backward improvement (see
``pmo_kit/resources/_sgs.py``); ``method="serial"`` is the classic single pass of a
priority rule (latest finish time first), the way most planning tools level. On the
public PSPLIB j30 benchmark the optimiser lands on average within a fraction of a
percent of the proven optima (bench/README.md has the figures).

Every delayed task says why: the resource that was short, the competing tasks that
held it, and in plain English how long it waited.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

import numpy as np
import pandas as pd

from pmo_kit._errors import ValidationError
from pmo_kit.resources._level_checks import (
    capacities_of,
    checked_map,
    demands_of,
    inherited_priority,
)
from pmo_kit.resources._level_explain import deadline_columns, explain
from pmo_kit.resources._sgs import Problem, genetic_search, serial_baseline
from pmo_kit.schedule.calendar import WorkCalendar
from pmo_kit.schedule.calendar import working_day_offset as _offset
from pmo_kit.schedule.network import compile_network, forward_pass, link_weights

if TYPE_CHECKING:
    from collections.abc import Mapping, Sequence

    from pmo_kit.data.portfolio import Portfolio
    from pmo_kit.schedule.calendar import DateLike

__all__ = [
    "LevellingInputs",
    "level",
    "levelling_inputs",
    "resource_usage",
]


def level(
    tasks: pd.DataFrame,
    dependencies: pd.DataFrame | None,
    demands: pd.DataFrame,
    capacities: Mapping[str, float],
    *,
    priority: Mapping[str, float] | None = None,
    deadlines: Mapping[str, int | DateLike] | None = None,
    start_no_earlier_than: Mapping[str, int | DateLike] | None = None,
    method: Literal["optimise", "serial"] = "optimise",
    time_limit: float | None = 1.0,
    max_schedules: int | None = None,
    seed: int = 0,
    start: DateLike | None = None,
    calendar: WorkCalendar | None = None,
) -> pd.DataFrame:
    """
    Level resources: start each task when its resources are free, finish early.

    Parameters
    ----------
    tasks
        ``task_id`` and ``duration`` (whole periods, e.g. working days; 0 = milestone).
    dependencies
        ``predecessor``, ``successor``, optional ``type`` (FS, SS, FF, SF) and
        ``lag`` (periods, negative = lead), as for
        :func:`pmo_kit.schedule.critical_path`. ``None``: no links.
    demands
        ``task_id``, ``resource``, ``units`` used in every period the task runs
        (several rows for one task and resource add up).
    capacities
        Resource -> units available in every period.
    priority
        Task -> number; higher is served first. A task's predecessors inherit its
        priority (they must finish for it to start), so no task is ever delayed in
        favour of a lower-priority one. Tasks not listed count as 0.
    deadlines
        Task -> latest finish (a period count, or a date when ``start`` is given).
        The optimiser then minimises total lateness first, the finish second.
    start_no_earlier_than
        Task -> earliest start (period, or date when ``start`` is given).
    method
        ``"optimise"`` (genetic algorithm) or ``"serial"`` (one latest-finish-time
        pass, ties to the task listed first: the baseline).
    time_limit, max_schedules
        The optimiser stops at whichever comes first: seconds for the whole call,
        or schedules evaluated (``None``: no limit of that kind; give
        ``max_schedules`` and ``time_limit=None`` for a result that depends only
        on ``seed``), or as soon as it proves a schedule optimal.
    seed
        Seed of the optimiser's random choices.
    start, calendar
        Project start date and working calendar: adds ``start_date`` and
        ``finish_date`` (a milestone's date is the day its predecessors finish).

    Returns
    -------
    pandas.DataFrame
        Indexed by ``task_id`` in input order: ``duration``, ``early_start``
        (critical path, no resource limits), ``start``, ``finish`` (periods;
        a task runs in periods ``start .. finish - 1``), ``delay`` (start -
        early_start), ``cause`` (``"resource"``, ``"predecessor"`` or empty),
        ``resource`` and ``competing_tasks`` (the short resource and the tasks that
        held it, followed back through delayed predecessors) and ``reason`` (plain
        English); with ``priority`` also ``priority`` (as served, inherited);
        with ``deadlines`` also ``deadline`` and ``deadline_missed_by``.
        ``attrs``: ``method``, ``makespan``, ``cpm_length``, ``lower_bound``
        (max of the critical path and, per resource, total work / capacity),
        ``optimal`` (True when the makespan equals the lower bound: proven),
        ``schedules`` (schedules evaluated), ``seconds`` (search time),
        ``total_lateness``, ``missed_deadlines`` and ``conflicts`` (sentences
        naming each deadline lost to a higher-priority task).

    Raises
    ------
    ValidationError
        Bad network (cycle, unknown task, link type), a demand for an unknown task
        or resource, negative units or capacity, or units above a resource's
        capacity (such a task could never be scheduled).

    Notes
    -----
    Links of every type become minimum distances between starts (see
    :mod:`pmo_kit.schedule.network`), so leads and lags are honoured exactly.
    ``method="optimise"`` searches activity lists (orders in which tasks are
    placed); each list is decoded by placing every task at its earliest start
    where all its resources have room for its whole duration. With ``priority``
    the lists are kept in priority order and the forward-backward improvement is
    off (it would reorder tasks across priorities): the search reorders tasks only
    within a priority class. ``competing_tasks`` lists the tasks already placed
    that held the short resource while the task waited.

    Examples
    --------
    >>> import pandas as pd
    >>> tasks = pd.DataFrame({"task_id": ["A", "B", "C"], "duration": [3, 2, 2]})
    >>> demands = pd.DataFrame(
    ...     {"task_id": ["A", "B", "C"], "resource": "Ana", "units": [1, 1, 1]}
    ... )
    >>> plan = level(tasks, None, demands, {"Ana": 1})
    >>> plan[["start", "finish", "delay"]]
             start  finish  delay
    task_id
    A            0       3      0
    B            3       5      3
    C            5       7      5
    >>> plan.loc["B", "reason"]
    'waits 3 periods for Ana: needs 1 of its 1 units from period 0, but A holds it'
    >>> plan.attrs["makespan"], plan.attrs["lower_bound"], plan.attrs["optimal"]
    (7, 7, True)
    """
    if method not in ("optimise", "serial"):
        msg = (
            f"{method!r} is an invalid value for `method`. "
            "Valid values: 'optimise', 'serial'"
        )
        raise ValidationError(msg)
    began = time.perf_counter()
    calendar = calendar or WorkCalendar()
    net = compile_network(tasks, dependencies)
    ids = [str(t) for t in net.task_ids]
    index = {t: i for i, t in enumerate(ids)}
    n = len(ids)
    weights = link_weights(net.pred, net.succ, net.link_type, net.lag, net.duration)
    release = np.zeros(n, dtype="int64")
    for task_id, value in checked_map(
        start_no_earlier_than, index, "start_no_earlier_than"
    ):
        release[index[task_id]] = max(
            0, _offset(value, start, calendar, f"start_no_earlier_than[{task_id!r}]")
        )
    due: list[int | None] = [None] * n
    for task_id, value in checked_map(deadlines, index, "deadlines"):
        due[index[task_id]] = _offset(
            value, start, calendar, f"deadlines[{task_id!r}]", 1
        )
    names, capacity = capacities_of(capacities)
    needs = demands_of(demands, index, names, capacity)
    duration = [int(d) for d in net.duration]
    preds: list[list[tuple[int, int]]] = [[] for _ in range(n)]
    succs: list[list[tuple[int, int]]] = [[] for _ in range(n)]
    for p, s, w in zip(
        net.pred.tolist(), net.succ.tolist(), weights.tolist(), strict=True
    ):
        preds[s].append((p, int(w)))
        succs[p].append((s, int(w)))
    topo = np.concatenate(net.levels).tolist() if n else []
    served = inherited_priority(priority, index, topo, succs)
    problem = Problem(
        duration=duration,
        release=release.tolist(),
        demand=needs,
        capacity=capacity,
        preds=preds,
        succs=succs,
        topo=topo,
        deadline=due,
        rank=None if served is None else [-v for v in served],
    )
    early_start = forward_pass(net, weights, release.copy()).tolist()
    cpm_length = max((early_start[j] + duration[j] for j in range(n)), default=0)
    work = [0.0] * len(names)
    for j in range(n):
        for r, q in needs[j]:
            work[r] += q * duration[j]
    resource_bound = max(
        (math.ceil(w / c - 1e-6) for w, c in zip(work, capacity, strict=True) if c > 0),
        default=0,
    )
    lower_bound = max(cpm_length, resource_bound)
    if method == "serial":
        outcome = serial_baseline(problem)
    else:
        search_time = None
        if time_limit is not None:  # the limit covers the whole call: keep 10 % back
            search_time = 0.9 * time_limit - (time.perf_counter() - began)
        outcome = genetic_search(
            problem,
            lower_bound=lower_bound,
            seed=seed,
            max_schedules=max_schedules,
            time_limit=search_time,
        )
    result = explain(problem, ids, names, outcome, early_start, served)
    makespan = outcome.fitness[1]
    if deadlines is not None:
        deadline_columns(result, problem, ids, early_start, served)
    if start is not None:
        milestone = result["duration"].to_numpy() == 0
        s = result["start"].to_numpy()
        f = result["finish"].to_numpy()
        result["start_date"] = calendar.dates(
            start, np.where(milestone, np.maximum(s - 1, 0), s)
        )
        result["finish_date"] = calendar.dates(start, np.maximum(f - 1, 0))
    result.attrs.update(
        {
            "method": method,
            "makespan": makespan,
            "cpm_length": cpm_length,
            "lower_bound": lower_bound,
            "optimal": makespan <= lower_bound and outcome.fitness[0] == 0,
            "schedules": outcome.schedules,
            "seconds": outcome.seconds,
            "total_lateness": outcome.fitness[0],
        }
    )
    result.attrs.setdefault("missed_deadlines", 0)
    result.attrs.setdefault("conflicts", [])
    return result


def resource_usage(schedule: pd.DataFrame, demands: pd.DataFrame) -> pd.DataFrame:
    """
    Units of each resource in use in each period of a levelled schedule.

    Parameters
    ----------
    schedule
        A result of :func:`level` (``start`` and ``finish`` by ``task_id``).
    demands
        The ``task_id, resource, units`` table given to :func:`level`.

    Returns
    -------
    pandas.DataFrame
        One row per period ``0 .. makespan - 1``, one column per resource.

    Examples
    --------
    >>> import pandas as pd
    >>> plan = pd.DataFrame(
    ...     {"start": [0, 1], "finish": [2, 3]},
    ...     index=pd.Index(["A", "B"], name="task_id"),
    ... )
    >>> need = pd.DataFrame({"task_id": ["A", "B"], "resource": "R", "units": [1, 2]})
    >>> resource_usage(plan, need)["R"].tolist()
    [1.0, 3.0, 2.0]
    """
    horizon = int(schedule["finish"].max()) if len(schedule) else 0
    resources = list(dict.fromkeys(demands["resource"].astype(str)))
    usage = np.zeros((horizon, len(resources)))
    col = {r: k for k, r in enumerate(resources)}
    ids = [str(t) for t in schedule.index]
    start = dict(zip(ids, schedule["start"].astype(int).tolist(), strict=True))
    finish = dict(zip(ids, schedule["finish"].astype(int).tolist(), strict=True))
    for task, res, q in zip(
        demands["task_id"].astype(str).tolist(),
        demands["resource"].astype(str).tolist(),
        demands["units"].astype(float).tolist(),
        strict=True,
    ):
        usage[start[task] : finish[task], col[res]] += q
    return pd.DataFrame(
        usage, columns=pd.Index(resources, name="resource")
    ).rename_axis("period")


@dataclass(frozen=True, eq=False)
class LevellingInputs:
    """
    Projects of a portfolio as inputs of :func:`level` (see :func:`levelling_inputs`).

    ``tasks`` also has ``project`` and ``name``; task ids are
    ``"<project_id>/<task_id>"``. ``start`` is period 0 (the earliest project
    start); ``start_no_earlier_than`` keeps each project's tasks after its start;
    ``deadlines`` holds each project's planned finish, as the latest finish of its
    last task(s); ``priority`` is the project's priority for each of its tasks.
    """

    tasks: pd.DataFrame
    dependencies: pd.DataFrame
    demands: pd.DataFrame
    capacities: dict[str, float]
    priority: dict[str, float]
    start_no_earlier_than: dict[str, int]
    deadlines: dict[str, int]
    start: pd.Timestamp

    def arguments(
        self, *, priority: bool = False, deadlines: bool = True
    ) -> dict[str, Any]:
        """
        Return the keyword arguments of :func:`level` for these projects.

        ``level(**inputs.arguments())`` levels them against their planned
        finishes; ``priority=True`` also serves higher-priority projects first.
        """
        out: dict[str, Any] = {
            "tasks": self.tasks,
            "dependencies": self.dependencies,
            "demands": self.demands,
            "capacities": self.capacities,
            "start_no_earlier_than": self.start_no_earlier_than,
            "start": self.start,
        }
        if priority:
            out["priority"] = self.priority
        if deadlines:
            out["deadlines"] = self.deadlines
        return out


def levelling_inputs(
    portfolio: Portfolio,
    project_ids: Sequence[str],
    *,
    resources: Sequence[str] | None = None,
) -> LevellingInputs:
    """
    Turn projects' tasks, links and assignments into inputs of :func:`level`.

    Periods are working days (Monday to Friday) from the earliest project start.
    Each person has one unit of capacity per day and an assignment's ``units`` is
    the share of it the task takes. A project's priority is its
    ``strategic_alignment + business_value`` (each 1 to 5). The plan levelled is the
    baseline network from each project's start (as ``tasks.csv`` was scheduled);
    progress and actual dates are not taken into account.

    Parameters
    ----------
    portfolio
        The organisation (``pmo_kit.load_portfolio()``).
    project_ids
        The projects to level together.
    resources
        Only these people are levelled (others are treated as always available);
        default: everyone assigned to the projects.

    Raises
    ------
    ValidationError
        An unknown project or person.

    Examples
    --------
    >>> import pmo_kit
    >>> inputs = levelling_inputs(pmo_kit.load_portfolio(), ["P-004", "P-006"])
    >>> inputs.capacities["R-020"], inputs.tasks["task_id"].iloc[0]
    (1.0, 'P-004/T001')
    """
    projects = portfolio.projects.set_index("project_id")
    unknown = [p for p in project_ids if p not in projects.index]
    if unknown or not project_ids:
        known = ", ".join(map(str, projects.index[:10]))
        named = ", ".join(map(repr, unknown)) or "(none given)"
        msg = f"unknown project(s) {named}. Allowed: {known}"
        raise ValidationError(msg)
    chosen = list(dict.fromkeys(project_ids))
    calendar = WorkCalendar()
    rows = portfolio.projects
    ids = rows["project_id"].astype(str).tolist()
    start_of = dict(zip(ids, pd.to_datetime(rows["start"]).tolist(), strict=True))
    score_of = dict(
        zip(
            ids,
            (rows["strategic_alignment"] + rows["business_value"])
            .astype(float)
            .tolist(),
            strict=True,
        )
    )
    starts = {p: start_of[p] for p in chosen}
    first = calendar.first_working_day(min(starts.values()))
    tasks = portfolio.tasks[portfolio.tasks["project_id"].isin(chosen)]
    links = portfolio.dependencies[portfolio.dependencies["project_id"].isin(chosen)]
    work = portfolio.assignments[portfolio.assignments["project_id"].isin(chosen)]
    if resources is not None:
        people = set(portfolio.resources["resource_id"].astype(str))
        missing = [r for r in resources if r not in people]
        if missing:
            msg = (
                f"unknown resource(s) {', '.join(map(repr, missing))}. "
                "Allowed: resource ids of resources.csv"
            )
            raise ValidationError(msg)
        work = work[work["resource_id"].isin(list(resources))]

    def key(project: pd.Series, task: pd.Series) -> pd.Series:
        return project.astype(str) + "/" + task.astype(str)

    task_ids = key(tasks["project_id"], tasks["task_id"])
    offsets = {p: calendar.offset_of(first, s) for p, s in starts.items()}
    scores = {p: score_of[p] for p in chosen}
    project_of = dict(zip(task_ids, tasks["project_id"], strict=True))
    finish_of = dict(
        zip(ids, pd.to_datetime(rows["planned_finish"]).tolist(), strict=True)
    )
    has_successor = set(key(links["project_id"], links["predecessor"]))
    deadlines = {
        t: calendar.offset_of(first, finish_of[project_of[t]]) + 1
        for t in task_ids
        if t not in has_successor
    }
    return LevellingInputs(
        tasks=pd.DataFrame(
            {
                "task_id": task_ids.to_numpy(),
                "duration": tasks["duration"].to_numpy(),
                "project": tasks["project_id"].to_numpy(),
                "name": tasks["name"].to_numpy(),
            }
        ),
        dependencies=pd.DataFrame(
            {
                "predecessor": key(
                    links["project_id"], links["predecessor"]
                ).to_numpy(),
                "successor": key(links["project_id"], links["successor"]).to_numpy(),
                "type": links["type"].to_numpy(),
                "lag": links["lag"].to_numpy(),
            }
        ),
        demands=pd.DataFrame(
            {
                "task_id": key(work["project_id"], work["task_id"]).to_numpy(),
                "resource": work["resource_id"].astype(str).to_numpy(),
                "units": work["units"].astype(float).to_numpy(),
            }
        ),
        capacities=dict.fromkeys(sorted(work["resource_id"].astype(str).unique()), 1.0),
        priority={t: scores[project_of[t]] for t in task_ids},
        start_no_earlier_than={
            t: offsets[project_of[t]] for t in task_ids if offsets[project_of[t]]
        },
        deadlines=deadlines,
        start=first,
    )
