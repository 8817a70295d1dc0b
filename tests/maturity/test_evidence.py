"""Evidence on the sample, checked against counts derived with plain pandas."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd
import pytest
import yaml

from pmo_kit.maturity import (
    Evidence,
    Fact,
    assess,
    challenge,
    default_questionnaire,
    evidence,
)

if TYPE_CHECKING:
    from pmo_kit.data.portfolio import Portfolio

MERIDIAN = Path(__file__).resolve().parents[2] / "datasets" / "meridian"


def csv(name: str) -> pd.DataFrame:
    return pd.read_csv(MERIDIAN / f"{name}.csv")


@pytest.fixture(scope="module")
def found(sample: Portfolio) -> Evidence:
    return evidence(sample)


def test_as_of_is_latest_status_date(found: Evidence) -> None:
    assert found.as_of == pd.to_datetime(csv("projects")["status_date"]).max().date()


def test_overdue_risks_match_hand_rule(found: Evidence) -> None:
    risks = csv("risks")
    as_of = pd.to_datetime(csv("projects")["status_date"]).max()
    open_ = risks[risks["status"] == "open"].copy()
    score = open_["residual_probability"] * open_["residual_impact"]
    # ordinal 5x5 bands: high from 15, medium from 5; cadence high 14, medium 30, low 60
    cadence = score.map(lambda s: 14 if s >= 15 else 30 if s >= 5 else 60)
    days = (as_of - pd.to_datetime(open_["last_review_date"])).dt.days
    late = sorted(open_.loc[days > cadence, "risk_id"])
    fact = found.fact("overdue_risks")
    assert (fact.count, fact.total) == (len(late), len(open_))
    assert list(fact.ids) == late
    assert fact.count > 0
    assert fact.text == f"{len(late)} of {len(open_)} open risks are overdue for review"


def test_unapproved_charters_from_yaml_files(found: Evidence) -> None:
    projects = csv("projects")
    past = projects.loc[projects["phase"] != "initiation", "project_id"]
    unapproved = []
    for pid in past:
        path = MERIDIAN / "charters" / f"{pid}.yaml"
        data = yaml.safe_load(path.read_text(encoding="utf-8")) if path.exists() else {}
        if not data.get("approval"):
            unapproved.append(pid)
    fact = found.fact("unapproved_charters")
    assert (list(fact.ids), fact.total) == (sorted(unapproved), len(past))
    assert fact.count == len(unapproved) >= 1


def test_baseline_and_status(found: Evidence) -> None:
    projects = csv("projects")
    running = projects.loc[
        projects["phase"].isin(["execution", "closing", "closed"]), "project_id"
    ]
    tasks = csv("tasks")
    missing = tasks[tasks["baseline_start"].isna() | tasks["baseline_finish"].isna()]
    no_baseline = [
        p
        for p in running
        if p in set(missing["project_id"]) or p not in set(tasks["project_id"])
    ]
    no_status = [p for p in running if p not in set(csv("status")["project_id"])]
    assert list(found.fact("no_baseline").ids) == no_baseline
    assert list(found.fact("no_status").ids) == no_status
    assert found.fact("no_status").total == len(running)


def _hand_gate_decision(rows: pd.DataFrame) -> str:
    # gate_rules.yaml: knock-out "Idea fits the strategy"; must not met -> hold;
    # weighted should-score >= 3.0 go, >= 1.5 recycle, else kill.
    musts = rows[rows["requirement"] == "must"]
    if ((musts["criterion"] == "Idea fits the strategy") & (musts["score"] == 0)).any():
        return "kill"
    if rows["score"].isna().any() or (musts["score"] != 1).any():
        return "hold"
    shoulds = rows[rows["requirement"] == "should"]
    weighted = (shoulds["weight"] * shoulds["score"]).sum()
    return "go" if weighted >= 3.0 else "recycle" if weighted >= 1.5 else "kill"


def test_gate_overrides_by_hand_rule(found: Evidence) -> None:
    gates = csv("gates")
    overridden = []
    reviews = 0
    for (pid, gate), rows in gates.groupby(["project_id", "gate"]):
        reviews += 1
        recorded = rows["decision"].dropna()
        if len(recorded) and recorded.iloc[0].lower() != _hand_gate_decision(rows):
            overridden.append(f"{pid} {gate}")
    fact = found.fact("gate_overrides")
    assert (sorted(fact.ids), fact.total) == (sorted(overridden), reviews)


def test_lessons_per_closed_project(found: Evidence) -> None:
    projects = csv("projects")
    closed = projects.loc[projects["phase"] == "closed", "project_id"]
    counts = csv("lessons")["project_id"].value_counts()
    expected = {p: int(counts.get(p, 0)) for p in closed}
    assert found.lessons_per_closed_project == expected
    assert found.fact("closed_without_lessons").count == sum(
        1 for c in expected.values() if c == 0
    )


def test_as_of_moves_the_overdue_count(sample: Portfolio) -> None:
    early = evidence(sample, as_of="2026-01-01").fact("overdue_risks")
    late = evidence(sample, as_of="2027-01-01").fact("overdue_risks")
    assert late.count == late.total  # half a year on, every open risk is overdue
    assert early.count <= late.count


def rated(level: int) -> dict[str, dict[str, int]]:
    q = default_questionnaire()
    return {"r": {s.id: 2 for s in q.statements if s.level <= level}}


def test_challenge_wording_on_sample(found: Evidence) -> None:
    by_area = {c.area: c for c in challenge(assess(rated(4)), found)}
    risk = found.fact("overdue_risks")
    ids = found.fact("unapproved_charters").ids
    words = {1: "one", 2: "two", 3: "three"}
    charters = (
        f"the charter{'s' if len(ids) > 1 else ''} of {words[len(ids)]} "
        f"project{'s' if len(ids) > 1 else ''} past initiation "
        f"{'are' if len(ids) > 1 else 'is'} unapproved ({', '.join(ids)})"
    )
    assert by_area["risk"].text == (
        f"You rate risk management level 4, but {risk.count} of {risk.total} open "
        f"risks are overdue for review and {charters}."
    )
    assert "resources" not in by_area  # no fact is mapped to it
    assert "knowledge" not in by_area  # every closed project has lessons


def test_low_ratings_are_not_challenged(found: Evidence) -> None:
    assert challenge(assess(rated(2)), found) == []
    assert challenge(assess(rated(2)), found, from_level=2) != []


def test_challenge_with_made_up_facts() -> None:
    facts = {
        "overdue_risks": Fact(
            "overdue_risks", 13, 42, (), "13 of 42 open risks are overdue for review"
        ),
        "unapproved_charters": Fact(
            "unapproved_charters", 2, 9, (), "two charters are unapproved"
        ),
        "gate_overrides": Fact("gate_overrides", 0, 9, (), "no override"),
    }
    out = challenge(assess(rated(4)), Evidence(dt.date(2026, 6, 26), facts))
    texts = {c.area: c.text for c in out}
    assert texts["risk"] == (
        "You rate risk management level 4, but 13 of 42 open risks are overdue for "
        "review and two charters are unapproved."
    )
    # a fact with count 0 does not challenge
    assert texts["governance"] == (
        "You rate governance and stage gates level 4, but two charters are unapproved."
    )


def test_summary_is_plain(found: Evidence) -> None:
    summary = found.summary()
    assert summary["as_of"] == found.as_of.isoformat()
    assert (
        summary["facts"]["overdue_risks"]["count"] == found.fact("overdue_risks").count
    )
