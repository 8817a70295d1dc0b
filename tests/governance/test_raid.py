"""The RAID log assembled from Meridian Works' data."""

from __future__ import annotations

import pandas as pd
import pytest

from pmo_kit import ValidationError
from pmo_kit.governance import RAID_COLUMNS, raid_log


@pytest.fixture(scope="module")
def log(sample):
    return raid_log(sample)


def test_columns_and_types(log):
    assert list(log.columns) == list(RAID_COLUMNS)
    assert set(log["type"]) == {"R", "A", "I", "D"}


def test_risks_are_the_open_ones(log):
    risks = log[log["type"] == "R"]
    # open risks per project, counted in risks.csv
    assert risks.groupby("project_id").size().to_dict() == {
        "P-001": 4,
        "P-002": 4,
        "P-003": 6,
        "P-004": 5,
        "P-005": 5,
        "P-006": 5,
        "P-007": 4,
        "P-009": 6,
        "P-010": 6,
    }
    rk015 = risks.set_index("id").loc["RK-015"]
    assert rk015["owner"] == "R-020"
    assert rk015["description"].startswith("Supplier insolvency: ")
    assert rk015["source"] == "risks.csv"


def test_assumptions_come_from_the_charters(log):
    assumptions = log[log["type"] == "A"]
    p003 = assumptions[assumptions["project_id"] == "P-003"]
    assert p003["description"].tolist() == [
        "Peak season ends before installation starts",
        "The floor load capacity survey from 2023 is still valid",
    ]
    assert p003["id"].tolist() == ["P-003-A1", "P-003-A2"]
    assert set(p003["status"]) == {"charter not approved"}
    assert set(p003["owner"]) == {"R-003"}  # the project manager
    assert p003["source"].iloc[0] == "charters/P-003.yaml"
    p001 = assumptions[assumptions["project_id"] == "P-001"]
    assert set(p001["date"]) == {pd.Timestamp("2026-02-24")}  # approval date


def test_the_risk_that_fired_is_an_issue(log):
    issues = log[log["type"] == "I"]
    assert issues["id"].tolist() == ["RK-018"]
    row = issues.iloc[0]
    assert row["project_id"] == "P-004"
    assert row["status"] == "occurred"
    assert row["date"] == pd.Timestamp("2026-05-11")


def test_overdue_milestone_is_an_issue_after_its_date(sample):
    later = raid_log(sample, as_of="2026-06-29")  # Monday after the status date
    overdue = later[(later["type"] == "I") & (later["status"] == "overdue")]
    assert overdue["id"].tolist() == ["T024"]
    assert overdue["description"].iloc[0] == (
        "Milestone 'Release 1 live' not reached: due 26 Jun 2026, 1 working day ago"
    )


def test_dependencies_are_shared_overbooked_people(log):
    deps = log[log["type"] == "D"]
    assert list(zip(deps["project_id"], deps["id"], strict=True)) == [
        ("P-002", "P-002-D-R-012"),
        ("P-004", "P-004-D-R-020"),
        ("P-006", "P-006-D-R-012"),
        ("P-006", "P-006-D-R-020"),
    ]
    p004 = deps.set_index("id").loc["P-004-D-R-020"]
    assert p004["description"] == (
        "Needs Dilan Fischer (R-020, Data Engineer), also booked by P-006: up to "
        "160% of capacity on 2 working days from 26 Jun 2026"
    )
    assert p004["owner"] == "R-004"


def test_one_project(sample):
    one = raid_log(sample, "P-004")
    assert set(one["project_id"]) == {"P-004"}
    assert one["type"].tolist() == ["R"] * 5 + ["A"] * 2 + ["I"] + ["D"]


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"project_id": "P-999"}, "'P-999' is not a project in Meridian Works"),
        ({"as_of": "soon"}, "'soon' is an invalid value for `as_of`"),
        ({"horizon_days": 0}, "0 is an invalid value for `horizon_days`"),
    ],
)
def test_bad_arguments(sample, kwargs, message):
    with pytest.raises(ValidationError, match=message):
        raid_log(sample, **kwargs)


def test_risks_stand_as_of_the_date(sample):
    # P-010's risks are all raised in June: on 29 May none exists yet
    log = raid_log(sample, as_of="2026-05-29")
    assert log[(log["project_id"] == "P-010") & (log["type"] == "R")].empty
    # RK-018 fired on 11 May: on 1 May it was still an open risk, not an issue
    before = raid_log(sample, as_of="2026-05-01").set_index("id")
    assert before.loc["RK-018", "type"] == "R"
    after = raid_log(sample, as_of="2026-05-12").set_index("id")
    assert after.loc["RK-018", "type"] == "I"
