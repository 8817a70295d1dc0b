"""Resource levelling on hand-worked instances, properties and the sample portfolio."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pmo_kit import ValidationError
from pmo_kit.resources import level, levelling_inputs, resource_usage
from pmo_kit.schedule import WorkCalendar
from tests.resources._levelling_checks import assert_feasible, brute_force_makespan


def frame(**columns: Any) -> pd.DataFrame:
    return pd.DataFrame(columns)


def checked(
    tasks: pd.DataFrame,
    links: pd.DataFrame | None,
    demands: pd.DataFrame,
    capacities: dict[str, float],
    **options: Any,
) -> pd.DataFrame:
    """Level, then check the result with the independent feasibility checker."""
    plan = level(tasks, links, demands, capacities, **options)
    release = options.get("start_no_earlier_than") or {}
    release = {t: v for t, v in release.items() if isinstance(v, int)}
    assert_feasible(plan, tasks, links, demands, capacities, release)
    return plan


def fast(
    tasks: pd.DataFrame,
    links: pd.DataFrame | None,
    demands: pd.DataFrame,
    capacities: dict[str, float],
    **options: Any,
) -> pd.DataFrame:
    """Level with a fixed schedule budget, so the result depends only on the seed."""
    options.setdefault("max_schedules", 2000)
    return checked(
        tasks, links, demands, capacities, time_limit=None, seed=0, **options
    )


def one_resource(
    ids: list[str], durations: list[int], units: float = 1.0
) -> tuple[pd.DataFrame, pd.DataFrame]:
    tasks = frame(task_id=ids, duration=durations)
    used = [t for t, d in zip(ids, durations, strict=True) if d > 0]
    demands = frame(task_id=used, resource=["R"] * len(used), units=[units] * len(used))
    return tasks, demands


def test_serial_rule_is_beaten_by_the_optimiser():
    # A (2) -> B (2) with a 2-period lag; C (3) has no links; all need the one unit
    # of R. Serial latest-finish rule: A first (LFT T-4), then B and C tie at T and
    # the lower id B goes first: A 0-2, B 4-6, C 6-9 (makespan 9). Best: A 0-2,
    # C 2-5, B 5-7 (makespan 7 = total work 7 / capacity 1, so proven optimal).
    tasks, demands = one_resource(["A", "B", "C"], [2, 2, 3])
    links = frame(predecessor=["A"], successor=["B"], type=["FS"], lag=[2])
    serial = checked(tasks, links, demands, {"R": 1}, method="serial")
    assert serial["start"].tolist() == [0, 4, 6]
    assert serial.attrs["makespan"] == 9
    assert serial["reason"]["C"] == (
        "waits 6 periods for R: needs 1 of its 1 units from period 0, but A, B hold it"
    )
    best = fast(tasks, links, demands, {"R": 1})
    assert best["start"].tolist() == [0, 5, 2]
    assert best["finish"].tolist() == [2, 7, 5]
    assert best["early_start"].tolist() == [0, 4, 0]
    assert best["delay"].tolist() == [0, 1, 2]
    assert best.attrs["makespan"] == 7
    assert best.attrs["lower_bound"] == 7
    assert best.attrs["cpm_length"] == 6
    assert best.attrs["optimal"] is True
    assert best["cause"]["B"] == "resource"
    assert best["resource"]["B"] == "R"
    assert best["competing_tasks"]["B"] == ("C",)
    assert best["cause"]["A"] == ""
    assert best["competing_tasks"]["A"] == ()
    assert_feasible(best, tasks, links, demands, {"R": 1})


@pytest.mark.parametrize(
    ("kind", "lag", "early_b", "start_b"),
    [
        # A (3) -> B (2), both need the one unit of R
        ("FS", 1, 4, 4),  # S_B >= 3 + 1: the lag already keeps them apart
        ("FS", -2, 1, 3),  # a lead of 2: S_B >= 1, then R is busy until 3
        ("SS", 1, 1, 3),  # S_B >= S_A + 1, R busy until 3
        ("FF", 0, 1, 3),  # F_B >= F_A: S_B >= 1, R busy until 3
        ("SF", 0, 0, 3),  # F_B >= S_A: no real wait, but A is placed first
    ],
)
def test_each_link_type_under_a_resource_limit(kind, lag, early_b, start_b):
    tasks, demands = one_resource(["A", "B"], [3, 2])
    links = frame(predecessor=["A"], successor=["B"], type=[kind], lag=[lag])
    plan = fast(tasks, links, demands, {"R": 1})
    assert plan["early_start"]["B"] == early_b
    assert plan["start"]["A"] == 0
    assert plan["start"]["B"] == start_b
    assert plan["delay"]["B"] == start_b - early_b
    if start_b > early_b:
        assert plan["cause"]["B"] == "resource"
        assert plan["competing_tasks"]["B"] == ("A",)
    assert_feasible(plan, tasks, links, demands, {"R": 1})


def test_milestones_and_tasks_without_resources():
    # A (2, R) -> M (milestone) -> B (2, R); C (3, R) and D (4, no resource) are free
    tasks = frame(task_id=["A", "M", "B", "C", "D"], duration=[2, 0, 2, 3, 4])
    links = frame(predecessor=["A", "M"], successor=["M", "B"])
    demands = frame(task_id=["A", "B", "C"], resource=["R"] * 3, units=[1, 1, 1])
    plan = fast(tasks, links, demands, {"R": 1})
    assert plan.attrs["makespan"] == 7  # total work on R
    assert [plan["start"]["D"], plan["finish"]["D"]] == [0, 4]
    assert plan["start"]["M"] == plan["finish"]["A"]
    assert plan["finish"]["M"] == plan["start"]["M"]
    assert_feasible(plan, tasks, links, demands, {"R": 1})
    # a milestone pushed by its delayed predecessor says so
    demands = frame(task_id=["A", "C"], resource=["R", "R"], units=[1, 1])
    plan = checked(tasks, links, demands, {"R": 1}, method="serial")
    # LFT: A (T-4) before C (T): A 0-2, M 2, B 2-4, C 2-5
    assert plan["start"].tolist() == [0, 2, 2, 2, 0]
    tasks2 = frame(task_id=["C", "A", "M"], duration=[3, 2, 0])
    links2 = frame(predecessor=["A"], successor=["M"])
    plan = fast(tasks2, links2, demands, {"R": 1}, priority={"C": 1})
    assert plan["start"].tolist() == [0, 3, 5]
    assert plan["cause"]["M"] == "predecessor"
    assert plan["resource"]["M"] == "R"
    assert plan["competing_tasks"]["M"] == ("C",)
    assert plan["reason"]["M"] == (
        "waits 3 periods for predecessor 'A' (itself delayed: R held by C)"
    )


def test_priority_is_served_first_and_inherited_by_predecessors():
    # P (2, R) -> H (1, no resource, priority 5); L (3, R, priority 3).
    # Served by own priority only, L (3) would go before P (0) and delay H behind a
    # lower-priority task. P inherits H's 5: P 0-2, H 2-3, L 2-5.
    tasks = frame(task_id=["L", "P", "H"], duration=[3, 2, 1])
    links = frame(predecessor=["P"], successor=["H"])
    demands = frame(task_id=["L", "P"], resource=["R", "R"], units=[1, 1])
    plan = fast(tasks, links, demands, {"R": 1}, priority={"H": 5, "L": 3})
    assert plan["start"].tolist() == [2, 0, 2]
    assert plan["priority"].tolist() == [3.0, 5.0, 5.0]
    assert plan["competing_tasks"]["L"] == ("P",)
    # the other way round, L is served first and the chain waits
    plan = fast(tasks, links, demands, {"R": 1}, priority={"H": 1, "L": 3})
    assert plan["start"].tolist() == [0, 3, 5]
    assert plan["cause"]["H"] == "predecessor"


def test_missed_deadline_and_priority_conflict_are_reported():
    tasks, demands = one_resource(["X", "Y"], [3, 3])
    # without priorities the optimiser meets Y's deadline by running it first
    plan = fast(tasks, None, demands, {"R": 1}, deadlines={"Y": 3})
    assert plan["start"].tolist() == [3, 0]
    assert plan["deadline_missed_by"].tolist() == [0, 0]
    assert plan.attrs["missed_deadlines"] == 0
    # X has the higher priority: Y cannot meet its deadline, and we say why
    plan = fast(tasks, None, demands, {"R": 1}, deadlines={"Y": 3}, priority={"X": 2})
    assert plan["start"].tolist() == [0, 3]
    assert plan["deadline"]["Y"] == 3
    assert pd.isna(plan["deadline"]["X"])
    assert plan["deadline_missed_by"].tolist() == [0, 3]
    assert plan.attrs["missed_deadlines"] == 1
    assert plan.attrs["total_lateness"] == 3
    assert plan.attrs["conflicts"] == [
        "priority and deadline conflict: 'Y' misses its deadline (period 3) by 3 "
        "periods because higher-priority 'X' is served first on 'R'"
    ]
    assert plan["reason"]["Y"].endswith("(priority conflict)")


def test_deadline_the_network_alone_cannot_meet():
    tasks = frame(task_id=["A", "B"], duration=[4, 2])
    links = frame(predecessor=["A"], successor=["B"])
    empty = frame(task_id=[], resource=[], units=[])
    plan = fast(tasks, links, empty, {}, deadlines={"B": 5})
    assert plan["deadline_missed_by"]["B"] == 1
    assert plan["reason"]["B"] == (
        "misses its deadline (period 5) by 1 period: even without resource limits "
        "it cannot finish before period 6"
    )
    assert plan.attrs["conflicts"] == []


def test_start_no_earlier_than_and_dates():
    tasks, demands = one_resource(["A", "B"], [2, 2])
    plan = fast(
        tasks,
        None,
        demands,
        {"R": 1},
        start_no_earlier_than={"A": "2026-06-02"},
        start="2026-06-01",  # a Monday
        calendar=WorkCalendar(holidays=["2026-06-04"]),
    )
    # B takes periods 0-1 (Mon, Tue); A may start on Tue, R is free from Wed (2)
    assert plan["start"].tolist() == [2, 0]
    assert plan["early_start"]["A"] == 1
    assert plan["start_date"]["A"] == pd.Timestamp("2026-06-03")
    assert plan["finish_date"]["A"] == pd.Timestamp("2026-06-05")  # Thu off


def test_fractional_units_share_a_resource():
    tasks, _ = one_resource(["A", "B", "C"], [2, 2, 2])
    demands = frame(task_id=["A", "B", "C"], resource=["R"] * 3, units=[0.5, 0.5, 0.6])
    plan = fast(tasks, None, demands, {"R": 1})
    assert plan.attrs["makespan"] == 4  # A and B together, C alone
    assert plan["start"]["C"] in (0, 2)
    assert_feasible(plan, tasks, None, demands, {"R": 1})
    usage = resource_usage(plan, demands)
    assert usage["R"].max() == pytest.approx(1.0)


@pytest.mark.parametrize(
    ("demands", "capacities", "message"),
    [
        (
            frame(task_id=["A"], resource=["R"], units=[3]),
            {"R": 2},
            "task 'A' needs 3 units of resource 'R' per period, but its capacity is "
            "2: the task could never be scheduled",
        ),
        (
            frame(task_id=["A"], resource=["R"], units=[1]),
            {"R": -1},
            "capacity of resource 'R' is -1. Allowed: a number of units available per "
            "period, >= 0",
        ),
        (
            frame(task_id=["A"], resource=["Q"], units=[1]),
            {"R": 1},
            "demand of task 'A' on resource 'Q': resource 'Q' has no capacity. "
            "Allowed: resources in `capacities` ('R')",
        ),
        (
            frame(task_id=["Z"], resource=["R"], units=[1]),
            {"R": 1},
            "demand of task 'Z' on resource 'R': task 'Z' is not a task_id",
        ),
        (
            frame(task_id=["A"], resource=["R"], units=[-0.5]),
            {"R": 1},
            "demand of task 'A' on resource 'R': units -0.5 is not allowed",
        ),
        (
            frame(task_id=["A", "A"], resource=["R", "R"], units=[0.6, 0.6]),
            {"R": 1},
            "task 'A' needs 1.2 units of resource 'R'",
        ),
        (
            frame(task_id=["A"], resource=["R"]),
            {"R": 1},
            "demands need the column(s) units",
        ),
    ],
)
def test_bad_demands_and_capacities(demands, capacities, message):
    tasks = frame(task_id=["A", "B"], duration=[2, 1])
    with pytest.raises(ValidationError) as err:
        level(tasks, None, demands, capacities)
    assert str(err.value).startswith(message)


def test_network_errors_come_from_the_schedule_engine():
    tasks = frame(task_id=["A", "B"], duration=[2, 1])
    none = frame(task_id=[], resource=[], units=[])
    cycle = frame(predecessor=["A", "B"], successor=["B", "A"])
    with pytest.raises(ValidationError, match="the dependencies form a cycle"):
        level(tasks, cycle, none, {})
    bad = frame(predecessor=["A"], successor=["B"], type=["XX"])
    with pytest.raises(ValidationError, match="'XX' is not a link type"):
        level(tasks, bad, none, {})
    with pytest.raises(ValidationError, match="`priority` names task 'Q'"):
        level(tasks, None, none, {}, priority={"Q": 1})
    with pytest.raises(ValidationError, match="invalid value for `method`"):
        level(tasks, None, none, {}, method="fast")  # type: ignore[arg-type]


def test_same_seed_same_schedule():
    tasks = frame(task_id=list("ABCDEFGH"), duration=[3, 2, 4, 1, 2, 3, 2, 5])
    links = frame(predecessor=["A", "B", "C", "D"], successor=["E", "F", "G", "H"])
    demands = frame(
        task_id=list("ABCDEFGH"),
        resource=["R", "S"] * 4,
        units=[2, 1, 1, 2, 2, 1, 2, 1],
    )
    runs = [
        checked(
            tasks,
            links,
            demands,
            {"R": 2, "S": 2},
            max_schedules=300,
            time_limit=None,
            seed=7,
        )["start"].tolist()
        for _ in range(2)
    ]
    assert runs[0] == runs[1]


# -- properties on random small instances -------------------------------------


@st.composite
def instances(draw, max_tasks=7, kinds=("FS", "SS", "FF", "SF"), lags=(-1, 2)):
    n = draw(st.integers(1, max_tasks))
    ids = [f"T{i}" for i in range(n)]
    durations = draw(st.lists(st.integers(0, 4), min_size=n, max_size=n))
    pairs = [(i, j) for i in range(n) for j in range(i + 1, n)]
    chosen = (
        draw(st.lists(st.sampled_from(pairs), unique=True, max_size=n)) if pairs else []
    )
    links = frame(
        predecessor=[ids[i] for i, _ in chosen],
        successor=[ids[j] for _, j in chosen],
        type=[draw(st.sampled_from(kinds)) for _ in chosen],
        lag=[draw(st.integers(*lags)) for _ in chosen],
    )
    capacities = {"R": draw(st.integers(1, 3)), "S": draw(st.integers(1, 2))}
    rows = []
    for t in ids:
        for r, cap in capacities.items():
            q = draw(st.integers(0, cap))
            if q:
                rows.append((t, r, q))
    demands = pd.DataFrame(rows, columns=["task_id", "resource", "units"])
    return frame(task_id=ids, duration=durations), links, demands, capacities


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(instances(max_tasks=9))
def test_every_schedule_is_feasible_and_never_below_the_bounds(case):
    tasks, links, demands, capacities = case
    serial = checked(tasks, links, demands, capacities, method="serial")
    best = checked(
        tasks, links, demands, capacities, time_limit=None, max_schedules=300
    )
    for plan in (serial, best):
        assert_feasible(plan, tasks, links, demands, capacities)
        assert plan.attrs["makespan"] >= plan.attrs["lower_bound"]
        assert plan.attrs["lower_bound"] >= plan.attrs["cpm_length"]
        assert (plan["start"] >= plan["early_start"]).all()
        delayed = plan[plan["delay"] > 0]
        assert (delayed["cause"] != "").all()
        assert (delayed["reason"] != "").all()
    assert best.attrs["makespan"] <= serial.attrs["makespan"]


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(instances(max_tasks=7, kinds=("FS", "SS"), lags=(0, 2)))
def test_optimiser_finds_the_brute_force_optimum(case):
    # with non-negative start-to-start distances, sorting an optimal (active)
    # schedule by start gives a precedence-feasible list whose serial schedule is
    # it; so the best over all lists is the optimum
    tasks, links, demands, capacities = case
    best = fast(tasks, links, demands, capacities)
    assert best.attrs["makespan"] == brute_force_makespan(
        tasks, links, demands, capacities
    )


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(instances(max_tasks=8), st.data())
def test_no_task_waits_for_a_lower_priority_task(case, data):
    tasks, links, demands, capacities = case
    priority = {
        t: data.draw(st.integers(0, 3))
        for t in tasks.task_id
        if data.draw(st.booleans())
    }
    plan = fast(tasks, links, demands, capacities, priority=priority)
    assert_feasible(plan, tasks, links, demands, capacities)
    served = plan["priority"]
    for task, value in priority.items():  # inherited: never below the own priority
        assert served[task] >= value
    # whatever held a delayed task up (directly or through its predecessors) was
    # served first because its priority is at least as high
    for task, row in plan[plan["delay"] > 0].iterrows():
        own = served[str(task)]
        assert all(served[k] >= own for k in row["competing_tasks"]), task


# -- the sample organisation ----------------------------------------------------


def test_levelling_p004_and_p006_removes_the_data_engineers_overallocation(sample):
    inputs = levelling_inputs(sample, ["P-004", "P-006"])
    assert inputs.start == pd.Timestamp("2025-12-15")  # P-006 starts first
    unlimited = dict.fromkeys(inputs.capacities, 99.0)
    baseline = checked(
        inputs.tasks,
        inputs.dependencies,
        inputs.demands,
        unlimited,
        start_no_earlier_than=inputs.start_no_earlier_than,
        start=inputs.start,
        method="serial",
    )
    # the bridge reproduces the baseline dates of tasks.csv
    tasks = sample.tasks[sample.tasks.project_id.isin(["P-004", "P-006"])]
    planned = pd.to_datetime(tasks["baseline_start"]).to_numpy()
    assert (baseline["start_date"].to_numpy() == planned).all()
    before = resource_usage(baseline, inputs.demands)
    assert before["R-020"].max() == pytest.approx(2.4)  # 240 %
    first_over = before.index[before["R-020"] > 1 + 1e-9][0]
    # P-004/T016 and P-006/T017 both start on Thursday 2026-05-14 at 80 % each
    first_day = WorkCalendar().dates(inputs.start, np.array([first_over]))[0]
    assert first_day == pd.Timestamp("2026-05-14")

    # the last task of each project must finish by the project's planned finish
    assert inputs.deadlines == {"P-004/T032": 198, "P-006/T030": 197}
    assert baseline["finish"]["P-004/T032"] == 198
    assert baseline["finish"]["P-006/T030"] == 197
    plan = level(**inputs.arguments(), time_limit=None, max_schedules=2000)
    after = resource_usage(plan, inputs.demands)
    assert after.max().max() <= 1 + 1e-9  # nobody above 100 % any more
    assert_feasible(
        plan,
        inputs.tasks,
        inputs.dependencies,
        inputs.demands,
        inputs.capacities,
        inputs.start_no_earlier_than,
    )
    held = plan[(plan["cause"] == "resource") & (plan["resource"] == "R-020")]
    assert len(held) >= 1
    r020_tasks = set(inputs.demands.task_id[inputs.demands.resource == "R-020"])
    for task, row in held.iterrows():
        assert task in r020_tasks
        assert set(row["competing_tasks"]) <= r020_tasks
        assert "R-020" in row["reason"]
    # R-020's tasks (80 % each) must now run one after another, and the search
    # finds no plan that keeps both planned finishes: the result says which
    # deadline slips and by how much
    late = plan[plan["deadline_missed_by"] > 0]
    assert plan.attrs["missed_deadlines"] == len(late) >= 1
    assert plan.attrs["total_lateness"] == late["deadline_missed_by"].sum()
    for task, row in late.iterrows():
        assert f"misses its deadline (period {row['deadline']})" in row["reason"], task
    assert plan.attrs["conflicts"] == []  # no priorities given


def test_levelling_inputs_bad_names(sample):
    with pytest.raises(ValidationError, match="unknown project"):
        levelling_inputs(sample, ["P-999"])
    with pytest.raises(ValidationError, match="unknown resource"):
        levelling_inputs(sample, ["P-004"], resources=["R-999"])
    only = levelling_inputs(sample, ["P-004", "P-006"], resources=["R-020"])
    assert list(only.capacities) == ["R-020"]
    assert set(only.demands.resource) == {"R-020"}
    assert only.priority["P-004/T016"] == 8.0  # strategic alignment 4 + value 4
