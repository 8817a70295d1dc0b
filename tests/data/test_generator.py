"""The seeded organisation generator and the committed Meridian Works sample."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pandas.testing as pdt
import pytest

from pmo_kit._errors import ValidationError
from pmo_kit.charter.model import Charter
from pmo_kit.data.generator import generate_organisation
from pmo_kit.data.portfolio import Portfolio, load_portfolio

REPO = Path(__file__).resolve().parents[2]
DATASET = REPO / "datasets" / "meridian"
STATUS_DATE = pd.Timestamp("2026-06-26")


@pytest.fixture(scope="module")
def org() -> Portfolio:
    return generate_organisation()


# --------------------------------------------------------------------------- helpers


def latest_indices(p: Portfolio) -> pd.DataFrame:
    """SPI and CPI of each reporting project from its latest status row."""
    last = p.status.sort_values("status_date").groupby("project_id").tail(1)
    last = last.set_index("project_id")
    return pd.DataFrame(
        {"spi": last["ev"] / last["pv"], "cpi": last["ev"] / last["ac"]}
    )


def daily_load(p: Portfolio) -> pd.DataFrame:
    """One row per person, project and working day of their assignments."""
    tasks = p.tasks.set_index(["project_id", "task_id"])
    joined = p.assignments.join(
        tasks[["baseline_start", "baseline_finish"]], on=["project_id", "task_id"]
    )
    starts = joined["baseline_start"].to_numpy(dtype="datetime64[D]")
    ends = joined["baseline_finish"].to_numpy(dtype="datetime64[D]")
    counts = np.busday_count(starts, ends + np.timedelta64(1, "D"))
    rows = np.repeat(np.arange(len(joined)), counts)
    offsets = np.arange(counts.sum()) - np.repeat(np.cumsum(counts) - counts, counts)
    days = pd.to_datetime(np.busday_offset(starts[rows], offsets, roll="forward"))
    load = pd.DataFrame(
        {
            "resource_id": joined["resource_id"].to_numpy()[rows],
            "project_id": joined["project_id"].to_numpy()[rows],
            "day": days,
            "units": joined["units"].to_numpy()[rows],
        }
    )
    load["week"] = load["day"] - pd.to_timedelta(load["day"].dt.day_of_week, unit="D")
    return load


def over_allocated_weeks(p: Portfolio) -> pd.DataFrame:
    """Weeks where a person's average daily load is above 100% of capacity."""
    load = daily_load(p)
    weekly = load.groupby(["resource_id", "week"])["units"].sum() / 5
    projects = load.groupby(["resource_id", "week"])["project_id"].nunique()
    out = pd.DataFrame({"load": weekly, "projects": projects}).reset_index()
    return out[out["load"] > 1.0 + 1e-9]


def sprint_completion(p: Portfolio) -> pd.DataFrame:
    """Committed and completed points of every finished sprint."""
    items = p.work_items
    done = items[items["status"] == "Done"].groupby(["project_id", "sprint_id"])
    sprints = p.sprints.set_index(["project_id", "sprint_id"])
    sprints["completed"] = done["points"].sum()
    sprints["completed"] = sprints["completed"].fillna(0.0)
    sprints["ratio"] = sprints["completed"] / sprints["committed_points"]
    return sprints[sprints["end"] <= STATUS_DATE]


def situations(p: Portfolio) -> dict[str, Any]:
    """Find the scenario's situations from the data alone."""
    idx = latest_indices(p)
    late = set(idx.index[idx["spi"] < 0.85])
    over = set(idx.index[idx["cpi"] < 0.85])
    healthy = set(
        idx.index[idx["spi"].between(0.95, 1.05) & idx["cpi"].between(0.95, 1.05)]
    )
    weeks = over_allocated_weeks(p)
    missed = sprint_completion(p)
    missed = missed[missed["ratio"] < 0.75]
    return {
        "late": late,
        "over_budget": over,
        "healthy": healthy,
        "over_allocated": set(weeks["resource_id"]),
        "shared_weeks": weeks[weeks["projects"] >= 2],
        "missed_sprints": set(missed.index),
        "occurred": p.risks[p.risks["status"] == "occurred"],
    }


# --------------------------------------------------------------------- (a) seeding


def test_same_seed_gives_identical_tables(org):
    again = generate_organisation(seed=2026)
    for name, frame in org.tables().items():
        pdt.assert_frame_equal(frame, getattr(again, name), obj=name)
    assert org.charters == again.charters


def test_different_seed_gives_different_tables(org):
    other = generate_organisation(seed=7)
    assert not other.tasks.equals(org.tasks)
    assert not other.resources.equals(org.resources)
    assert not other.status.equals(org.status)


# ------------------------------------------------------------ (b) committed sample


def test_committed_sample_equals_generator_output(org):
    committed = load_portfolio(DATASET)
    assert committed.name == org.name == "Meridian Works"
    assert committed.currency == "EUR"
    for name, frame in org.tables().items():
        pdt.assert_frame_equal(getattr(committed, name), frame, obj=name)
    assert committed.charters == org.charters


# ------------------------------------------------------------------ (c) situations


def test_situations_of_the_bundled_sample(org):
    found = situations(org)
    assert found["late"] == {"P-002"}
    assert found["over_budget"] == {"P-003"}
    assert found["healthy"] == {"P-001", "P-005", "P-006", "P-007"}
    assert found["missed_sprints"] == {("P-005", "S05")}
    assert found["over_allocated"] == {"R-020"}
    assert (
        org.resources.set_index("resource_id").loc["R-020", "role"] == "Data Engineer"
    )
    assert len(found["shared_weeks"]) >= 3
    occurred = found["occurred"]
    assert list(occurred["project_id"]) == ["P-004"]
    assert list(occurred["title"]) == ["Unknown copies of personal data"]


def test_figures_quoted_in_the_readme(org):
    sizes = {name: len(frame) for name, frame in org.tables().items()}
    assert sizes == {
        "projects": 10,
        "tasks": 323,
        "dependencies": 387,
        "resources": 28,
        "assignments": 286,
        "risks": 60,
        "status": 172,
        "sprints": 24,
        "work_items": 222,
        "status_changes": 792,
        "lessons": 32,
        "gates": 213,
    }
    assert (
        org.resources.set_index("resource_id").loc["R-020", "name"] == "Dilan Fischer"
    )
    weeks = over_allocated_weeks(org)
    assert weeks["week"].min() == pd.Timestamp("2026-05-18")
    assert weeks["week"].max() == pd.Timestamp("2026-06-29")
    assert weeks["load"].max() == pytest.approx(2.4)
    risk = org.risks.set_index("risk_id").loc["RK-018"]
    assert risk["status"] == "occurred"
    assert risk["closed_date"] == pd.Timestamp("2026-05-11")
    assert risk["cost_impact_most_likely"] == 23_500
    sprints = sprint_completion(org).reset_index()
    s05 = sprints[(sprints["project_id"] == "P-005") & (sprints["sprint_id"] == "S05")]
    assert s05[["committed_points", "completed"]].to_numpy().tolist() == [[35, 19]]
    r = org.risks
    stale = r["last_review_date"] < STATUS_DATE - pd.Timedelta(days=45)
    assert ((r["status"] == "open") & stale).sum() == 13
    lesson = org.lessons.set_index("lesson_id").loc["L-005"]
    assert (lesson["project_id"], lesson["category"]) == ("P-003", "governance")
    assert (org.dependencies["lag"] < 0).sum() == 5
    idx = latest_indices(org).round(2)
    assert idx.loc["P-002", "spi"] == 0.77
    assert idx.loc["P-003", "cpi"] == 0.81


@pytest.mark.parametrize("seed", [2026, 1, 99])
def test_situations_hold_for_other_seeds(seed, org):
    p = org if seed == 2026 else generate_organisation(seed=seed)
    found = situations(p)
    assert found["late"]
    assert found["over_budget"]
    assert found["late"].isdisjoint(found["over_budget"])
    assert len(found["healthy"]) >= 2
    assert found["missed_sprints"]
    assert len(found["shared_weeks"]) >= 3
    assert len(found["occurred"]) >= 1


def test_fired_risk_cost_shows_in_actual_cost(org):
    occurred = org.risks[org.risks["status"] == "occurred"]
    assert len(occurred) >= 1
    for risk in occurred.itertuples(index=False):
        series = org.status[org.status["project_id"] == risk.project_id]
        series = series.sort_values("status_date").reset_index(drop=True)
        after = series.index[series["status_date"] >= risk.closed_date]
        assert len(after) > 0
        assert after[0] > 0
        spent = series["ac"].diff()
        earned = series["ev"].diff()
        week = after[0]
        assert spent.iloc[week] >= risk.cost_impact_most_likely
        # that week's cost efficiency is far below the project's usual one
        usual = (earned / spent).drop(index=[0, week]).dropna().median()
        assert earned.iloc[week] / spent.iloc[week] < 0.75 * usual


def test_flawed_charters_and_gate_hold(org):
    ch = org.charters
    vague = [o for o in ch["P-002"].objectives if not o.metric or not o.target]
    assert vague
    assert ch["P-002"].scope_out == ()
    budget = ch["P-003"].budget
    assert budget is not None
    assert budget.contingency == 0
    assert ch["P-003"].approval is None
    assert ch["P-010"].approval is None
    for pid in ("P-001", "P-004", "P-005", "P-006", "P-007", "P-008"):
        assert ch[pid].approval is not None
        good_budget = ch[pid].budget
        assert good_budget is not None
        assert (good_budget.contingency or 0) > 0
        assert ch[pid].scope_out
        assert all(o.metric and o.target for o in ch[pid].objectives)
    gates = org.gates.set_index(["project_id", "gate"])
    assert set(gates.loc[("P-010", "G1"), "decision"]) == {"hold"}
    assert set(org.gates["decision"]) == {"go", "hold"}


# ------------------------------------------------------------------ (d) consistency


def test_earned_value_rules(org):
    status = org.status.merge(org.projects[["project_id", "budget"]], on="project_id")
    assert (status["ev"] <= status["budget"]).all()
    assert (status["pv"] <= status["budget"] + 0.01).all()
    budgets = org.tasks.groupby("project_id")["budgeted_cost"].sum()
    projects = org.projects.set_index("project_id")
    np.testing.assert_allclose(budgets.loc[projects.index], projects["budget"])
    for pid, rows in status.groupby("project_id"):
        rows = rows.sort_values("status_date")
        for column in ("pv", "ev", "ac"):
            assert rows[column].is_monotonic_increasing, (pid, column)
        finished = rows[rows["status_date"] >= projects.loc[pid, "planned_finish"]]
        assert (finished["pv"] == finished["budget"]).all()
    latest = org.status.sort_values("status_date").groupby("project_id").tail(1)
    tasks = org.tasks.assign(
        earned=org.tasks["budgeted_cost"] * org.tasks["percent_complete"]
    )
    earned = tasks.groupby("project_id")["earned"].sum() / 100
    for row in latest.itertuples(index=False):
        assert row.ev == pytest.approx(earned[row.project_id], abs=0.01)


def test_planned_value_reaches_budget_at_planned_finish(org):
    tasks = org.tasks.merge(org.projects, on="project_id", suffixes=("", "_p"))
    assert (tasks["baseline_finish"] <= tasks["planned_finish"]).all()
    assert (tasks["baseline_start"] >= tasks["start"]).all()
    final = org.tasks[org.tasks["name"] == "Project complete"].set_index("project_id")
    projects = org.projects.set_index("project_id")
    assert (final["duration"] == 0).all()
    assert (
        final["baseline_finish"] == projects.loc[final.index, "planned_finish"]
    ).all()
    assert len(final) == len(projects)


def test_task_estimates_and_progress(org):
    t = org.tasks
    three = t.dropna(subset=["optimistic", "most_likely", "pessimistic"])
    assert len(three) > 0.75 * (t["duration"] > 0).sum()
    assert (three["optimistic"] <= three["most_likely"]).all()
    assert (three["most_likely"] <= three["pessimistic"]).all()
    assert ((three["duration"] - three["most_likely"]).abs() <= 0.6).all()
    assert t.loc[t["duration"] == 0, "most_likely"].isna().all()
    status = t["project_id"].map(org.projects.set_index("project_id")["status_date"])
    done = t["percent_complete"] == 100
    doing = t["percent_complete"].between(0, 100, inclusive="neither")
    todo = t["percent_complete"] == 0
    assert (t.loc[done, "actual_finish"] <= status[done]).all()
    assert t.loc[doing, "actual_start"].notna().all()
    assert t.loc[doing, "actual_finish"].isna().all()
    assert t.loc[todo, ["actual_start", "actual_finish"]].isna().all().all()
    assert (t["actual_start"].dropna() <= status[t["actual_start"].notna()]).all()


def _working_day(start: pd.Series, day: pd.Series) -> np.ndarray:
    return np.busday_count(
        start.to_numpy().astype("datetime64[D]"), day.to_numpy().astype("datetime64[D]")
    )


def test_dependency_network_is_acyclic_and_respected(org):
    deps = org.dependencies
    assert set(deps["type"]) >= {"FS", "SS", "FF"}
    assert (deps["lag"] < 0).any()
    assert (deps["lag"] > 0).any()
    assert (deps["type"] == "FS").mean() > 0.8
    for pid, links in deps.groupby("project_id"):
        preds: dict[str, set[str]] = {}
        for row in links.itertuples(index=False):
            preds.setdefault(row.successor, set()).add(row.predecessor)
        tasks = set(org.tasks.loc[org.tasks["project_id"] == pid, "task_id"])
        ordered: list[str] = []
        remaining = dict.fromkeys(tasks)
        while remaining:
            ready = [k for k in remaining if not (preds.get(k, set()) - set(ordered))]
            assert ready, f"cycle in {pid}"
            ordered += ready
            for k in ready:
                del remaining[k]
    t = org.tasks.merge(org.projects[["project_id", "start"]], on="project_id")
    milestone = t["duration"] == 0
    first = _working_day(t["start"], t["baseline_start"]) + milestone
    last = _working_day(t["start"], t["baseline_finish"]) + 1
    t = t.assign(es=first, ef=last).set_index(["project_id", "task_id"])
    p = t.loc[list(zip(deps["project_id"], deps["predecessor"], strict=True))]
    s = t.loc[list(zip(deps["project_id"], deps["successor"], strict=True))]
    lag = deps["lag"].to_numpy()
    kind = deps["type"].to_numpy()
    ok = np.select(
        [kind == "FS", kind == "SS", kind == "FF"],
        [
            s["es"].to_numpy() >= p["ef"].to_numpy() + lag,
            s["es"].to_numpy() >= p["es"].to_numpy() + lag,
            s["ef"].to_numpy() >= p["ef"].to_numpy() + lag,
        ],
        default=False,
    )
    assert ok.all()


def test_people_and_assignments(org):
    res = org.resources.set_index("resource_id")
    a = org.assignments
    assert a["resource_id"].isin(res.index).all()
    assert a["units"].between(0.2, 1.0).all()
    tasks = org.tasks.set_index(["project_id", "task_id"])
    duration = tasks.loc[
        list(zip(a["project_id"], a["task_id"], strict=True)), "duration"
    ]
    daily = res.loc[a["resource_id"], "capacity_hours"].to_numpy() / 5
    expected = np.round(a["units"].to_numpy() * duration.to_numpy() * daily, 1)
    np.testing.assert_allclose(a["hours"].to_numpy(), expected)
    managers = org.projects["manager"].map(res["role"])
    assert (managers == "Project Manager").all()
    part_time = res[res["calendar"] == "part-time"]
    assert len(part_time) >= 2
    assert part_time["capacity_hours"].between(20, 30).all()
    assert res["skills"].str.contains(";").all()


def test_risk_register_rules(org):
    r = org.risks
    assert r["owner"].isin(org.resources["resource_id"]).all()
    ended = r["status"].isin(["closed", "occurred"])
    assert r.loc[ended, "closed_date"].notna().all()
    assert r.loc[~ended, "closed_date"].isna().all()
    assert (r["raised_date"] <= r["last_review_date"]).all()
    assert (r["last_review_date"] <= STATUS_DATE).all()
    threats = r[r["type"] == "threat"]
    lower = (threats["residual_probability"] * threats["residual_impact"]) <= (
        threats["probability"] * threats["impact"]
    )
    assert lower.all()
    overdue = r[
        (r["status"] == "open")
        & (r["last_review_date"] < STATUS_DATE - pd.Timedelta(days=45))
    ]
    assert len(overdue) >= 3
    assert r["risk_id"].is_unique
    assert (r["type"] == "opportunity").sum() >= 3


def test_status_rows_are_weekly_up_to_the_status_date(org):
    reporting = set(
        org.projects.loc[
            org.projects["phase"].isin(["execution", "closing"]), "project_id"
        ]
    )
    assert set(org.status["project_id"]) == reporting
    for pid, rows in org.status.groupby("project_id"):
        dates = rows["status_date"].sort_values()
        assert dates.iloc[-1] == STATUS_DATE
        assert (dates.diff().dropna() == pd.Timedelta(days=7)).all()
        assert len(dates) <= 26
        start = org.projects.set_index("project_id").loc[pid, "start"]
        assert dates.iloc[0] >= start
        assert len(dates) == 26 or dates.iloc[0] - pd.Timedelta(days=7) < start
    assert (org.status["status_date"].dt.day_of_week == 4).all()


def test_agile_tables_are_consistent(org):
    sp = org.sprints.sort_values(["project_id", "start"])
    assert ((sp["end"] - sp["start"]) == pd.Timedelta(days=11)).all()
    for _, rows in sp.groupby("project_id"):
        gaps = rows["start"].diff().dropna()
        assert (gaps == pd.Timedelta(days=14)).all()
        assert (
            rows["start"].iloc[1:].to_numpy() > rows["end"].iloc[:-1].to_numpy()
        ).all()
    methods = org.projects.set_index("project_id")["methodology"]
    assert (sp["project_id"].map(methods) != "predictive").all()
    wi = org.work_items
    end_of_day = STATUS_DATE + pd.Timedelta(days=1)
    assert (wi["created"] < end_of_day).all()
    assert (wi["started"].dropna() >= wi.loc[wi["started"].notna(), "created"]).all()
    started = wi["started"].notna() & wi["resolved"].notna()
    assert (wi.loc[started, "resolved"] >= wi.loc[started, "started"]).all()
    assert (wi["status"] == "Done").eq(wi["resolved"].notna()).all()
    assert wi.loc[wi["status"] == "To Do", "started"].isna().all()
    assert (
        wi.loc[wi["status"].isin(["In Progress", "In Review"]), "started"].notna().all()
    )
    assert set(wi["type"]) == {"story", "bug", "task", "spike"}


def test_status_changes_tell_each_items_story(org):
    sc = org.status_changes
    assert (sc["timestamp"] < STATUS_DATE + pd.Timedelta(days=1)).all()
    items = org.work_items.set_index(["project_id", "key"])
    moved_back = 0
    for (pid, key), rows in sc.groupby(["project_id", "key"], sort=False):
        assert rows["timestamp"].is_monotonic_increasing
        assert rows["timestamp"].is_unique
        assert pd.isna(rows["from_status"].iloc[0])
        assert rows["to_status"].iloc[0] == "To Do"
        assert (
            rows["from_status"].iloc[1:].to_numpy()
            == rows["to_status"].iloc[:-1].to_numpy()
        ).all()
        item = items.loc[(pid, key)]
        assert rows["to_status"].iloc[-1] == item["status"]
        assert rows["timestamp"].iloc[0] == item["created"]
        if item["status"] == "Done":
            assert rows["timestamp"].iloc[-1] == item["resolved"]
        moved_back += int(
            (
                (rows["from_status"] == "In Review")
                & (rows["to_status"] == "In Progress")
            ).any()
        )
    assert moved_back >= 3
    assert len(sc.groupby(["project_id", "key"])) == len(items)


def test_lessons_and_gates(org):
    lessons = org.lessons
    assert (lessons["date"] <= STATUS_DATE).all()
    phase = lessons["project_id"].map(org.projects.set_index("project_id")["phase"])
    assert phase.isin(["closed", "closing"]).mean() > 0.5
    g = org.gates
    should = (
        g[g["requirement"] == "should"].groupby(["project_id", "gate"])["weight"].sum()
    )
    np.testing.assert_allclose(should.to_numpy(), 1.0)
    assert (g.loc[g["requirement"] == "must", "weight"] == 0).all()
    assert g.loc[g["requirement"] == "must", "score"].isin([0, 1]).all()
    passed = g.groupby("project_id")["gate"].nunique()
    phases = org.projects.set_index("project_id")["phase"]
    assert passed[phases == "closed"].eq(6).all()
    assert passed[phases == "initiation"].le(2).all()


# --------------------------------------------------------------------------- (e)


def test_sizes_of_the_default_sample(org):
    p = org.projects
    assert len(p) == 10
    assert list(p["project_id"]) == [f"P-{i:03d}" for i in range(1, 11)]
    assert 200 <= len(org.tasks) <= 400
    assert 20 <= len(org.resources) <= 30
    assert len(org.risks) >= 50
    assert len(org.lessons) >= 30
    methods = p["methodology"].value_counts()
    assert methods["agile"] >= 2
    assert methods["hybrid"] >= 2
    phases = p["phase"].value_counts()
    assert {"initiation", "planning", "closing"} <= set(phases.index)
    assert phases["execution"] > len(p) / 2
    assert (p.loc[p["phase"] != "closed", "status_date"] == STATUS_DATE).all()
    assert set(org.charters) == set(p["project_id"])
    for pid, charter in org.charters.items():
        assert isinstance(charter, Charter)
        assert charter.project_id == pid
        assert charter.objectives
        assert charter.scope_in
        assert charter.milestones
        assert charter.budget is not None
        assert charter.sponsor is not None
        assert charter.manager is not None
        assert charter.stakeholders


# --------------------------------------------------------------------------- (f)


def test_large_portfolio_generates_and_validates():
    began = time.perf_counter()
    big = generate_organisation(projects=200, seed=11)
    assert time.perf_counter() - began < 30
    assert len(big.projects) == 200
    assert big.projects["project_id"].is_unique
    assert big.projects["name"].is_unique
    assert big.risks["risk_id"].is_unique
    status = big.status.merge(big.projects[["project_id", "budget"]], on="project_id")
    assert (status["ev"] <= status["budget"]).all()


# --------------------------------------------------------------------- arguments


@pytest.mark.parametrize(
    ("kwargs", "words"),
    [
        ({"projects": 0}, ["0", "projects", "from 1 to"]),
        ({"projects": -3}, ["-3", "projects"]),
        ({"projects": 2.5}, ["2.5", "projects"]),
        ({"projects": True}, ["True", "projects"]),
        ({"seed": -1}, ["-1", "seed"]),
        ({"name": "  "}, ["name"]),
        ({"status_date": "26/06/2026"}, ["26/06/2026", "YYYY-MM-DD"]),
        ({"status_date": "2026-02-30"}, ["2026-02-30", "calendar date"]),
    ],
)
def test_bad_arguments_are_explained(kwargs, words):
    with pytest.raises(ValidationError) as info:
        generate_organisation(**kwargs)
    for word in words:
        assert word in str(info.value)
