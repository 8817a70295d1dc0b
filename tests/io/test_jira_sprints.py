"""
Jira: an issue carried over several sprints keeps every sprint it was in.

The fixture ``data/jira_carried_over.csv`` is hand-made after Jira's "Export CSV"
layout (BOM, CRLF, the ``Sprint`` header repeated once per sprint). Expected
figures are worked out by hand from the rows, the way Jira's velocity chart
counts them: an issue is *committed* in every sprint it was in, *completed* only
in the sprint that resolved it (before that sprint's end).

    key    points  sprints       resolved
    DEV-1  5       S1, S2, S3    08 Oct (in S3: 29 Sep - 10 Oct)
    DEV-2  3       S1            05 Sep (in S1: 01 - 12 Sep)
    DEV-3  8       S1, S2        24 Sep (in S2: 15 - 26 Sep)
    DEV-4  2       S2            not resolved
    DEV-5  1       S3            01 Oct
    DEV-6  -       S3            30 Sep (no points: counts 0)
    DEV-7  13      (backlog)     -

    committed: S1 = 5+3+8 = 16, S2 = 5+8+2 = 15, S3 = 5+1 = 6
    completed: S1 = 3, S2 = 8, S3 = 5+1 = 6
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner

from pmo_kit import ValidationError
from pmo_kit.agile import velocity
from pmo_kit.cli_io_misc import import_jira_command
from pmo_kit.data.portfolio import load_portfolio
from pmo_kit.io.jira import (
    jira_sprints,
    read_jira_csv,
    read_jira_sprint_dates,
    read_jira_sprint_membership,
)

DATA = Path(__file__).parent / "data"
EXPORT = DATA / "jira_carried_over.csv"
DATES = DATA / "jira_sprint_dates.csv"
S1, S2, S3 = "DEV Sprint 1", "DEV Sprint 2", "DEV Sprint 3"


def test_fixture_repeats_the_sprint_column():
    header = EXPORT.read_bytes().split(b"\r\n", 1)[0].decode("utf-8-sig")
    assert header.split(",").count("Sprint") == 3


def test_membership_keeps_every_sprint_in_order():
    table = read_jira_sprint_membership(EXPORT, project_id="P-011")
    got = {k: list(g["sprint_id"]) for k, g in table.groupby("key")}
    assert got == {
        "DEV-1": [S1, S2, S3],
        "DEV-2": [S1],
        "DEV-3": [S1, S2],
        "DEV-4": [S2],
        "DEV-5": [S3],
        "DEV-6": [S3],
    }
    last = table[table["last"]].set_index("key")["sprint_id"]
    items = read_jira_csv(EXPORT, project_id="P-011").set_index("key")
    # the last membership is the work item's sprint_id (the existing API)
    assert last.to_dict() == items["sprint_id"].dropna().to_dict()
    assert list(table[table["key"] == "DEV-1"]["position"]) == [1, 2, 3]


def test_commitment_counts_carried_over_issues_in_each_sprint():
    items = read_jira_csv(EXPORT, project_id="P-011")
    sprints = jira_sprints(
        read_jira_sprint_membership(EXPORT, project_id="P-011"),
        items,
        read_jira_sprint_dates(DATES, project_id="P-011"),
    )
    assert list(sprints["sprint_id"]) == [S1, S2, S3]
    assert list(sprints["committed_points"]) == [16.0, 15.0, 6.0]
    assert sprints.loc[0, "start"] == pd.Timestamp("2025-09-01")
    assert sprints.loc[2, "end"] == pd.Timestamp("2025-10-10")
    assert sprints.loc[0, "goal"] == "Checkout basics"
    table = velocity(sprints, items).set_index("sprint_id")
    assert table["committed"].to_dict() == {S1: 16.0, S2: 15.0, S3: 6.0}
    assert table["completed"].to_dict() == {S1: 3.0, S2: 8.0, S3: 6.0}


def test_commitment_from_last_sprint_only_would_undercount():
    """The bug this fixes: grouping items by their last sprint loses S1's 13."""
    items = read_jira_csv(EXPORT, project_id="P-011")
    old = items.groupby("sprint_id")["points"].sum().to_dict()
    assert old == {S1: 3.0, S2: 10.0, S3: 6.0}


def test_a_sprint_without_dates_is_one_clear_error(tmp_path):
    dates = tmp_path / "dates.csv"
    dates.write_text(
        "Sprint,Start Date,End Date\nDEV Sprint 1,2025-09-01,2025-09-12\n"
        "DEV Sprint 3,2025-09-29,2025-10-10\n"
    )
    with pytest.raises(ValidationError, match=r"'DEV Sprint 2' \(issue DEV-1\).*dates"):
        jira_sprints(
            read_jira_sprint_membership(EXPORT, project_id="P-011"),
            read_jira_csv(EXPORT, project_id="P-011"),
            read_jira_sprint_dates(dates, project_id="P-011"),
        )


@pytest.mark.parametrize(
    ("text", "match"),
    [
        ("Sprint,Start Date\nA,2025-09-01\n", r"no column 'end date'"),
        (
            "Sprint,Start Date,End Date\nA,2025-09-01,2025-08-01\n",
            r"row 2, column 'End Date': '2025-08-01' is before the start",
        ),
        (
            "Sprint,Start Date,End Date\nA,first of Sept,2025-09-12\n",
            r"row 2, column 'Start Date': 'first of Sept' is not a valid date",
        ),
        (
            "Sprint,Start Date,End Date\nA,2025-09-01,2025-09-12\n"
            "A,2025-09-15,2025-09-26\n",
            r"row 3, column 'Sprint': 'A' is already on row 2",
        ),
    ],
)
def test_bad_sprint_dates_file(tmp_path, text, match):
    path = tmp_path / "dates.csv"
    path.write_text(text)
    with pytest.raises(ValidationError, match=match):
        read_jira_sprint_dates(path, project_id="P-011")


# --------------------------------------------------------- pmo-kit import jira


def test_cli_import_with_sprints_keeps_the_commitment(tmp_path):
    into = tmp_path / "ds"
    result = CliRunner().invoke(
        import_jira_command,
        [
            str(EXPORT),
            "--into",
            str(into),
            "--project-id",
            "P-011",
            "--sprints",
            str(DATES),
            "--status-date",
            "2025-10-10",
            "--manager",
            "Eva Lind",
        ],
    )
    assert result.exit_code == 0, result.output
    assert "7 work items, 3 sprints (3 carry-over(s)" in result.output
    p = load_portfolio(into)
    table = velocity(p.sprints, p.work_items).set_index("sprint_id")
    assert table["committed"].to_dict() == {S1: 16.0, S2: 15.0, S3: 6.0}
    assert table["completed"].to_dict() == {S1: 3.0, S2: 8.0, S3: 6.0}
    project = p.projects.iloc[0]
    assert project["methodology"] == "agile"
    assert p.resources.set_index("resource_id").loc[project["manager"], "name"] == (
        "Eva Lind"
    )


def test_cli_import_without_sprint_dates_warns(tmp_path):
    into = tmp_path / "ds"
    result = CliRunner().invoke(
        import_jira_command,
        [str(EXPORT), "--into", str(into), "--project-id", "P-011"],
    )
    assert result.exit_code == 0, result.output
    assert "warning: " in result.output
    assert "6 issue(s) name a sprint" in result.output
    assert load_portfolio(into).work_items["sprint_id"].isna().all()


def test_cli_unknown_status_is_one_line_and_writes_nothing(tmp_path):
    text = EXPORT.read_bytes().replace(b",Backlog,", b",Parked,")
    bad = tmp_path / "export.csv"
    bad.write_bytes(text)
    into = tmp_path / "ds"
    args = [str(bad), "--into", str(into), "--project-id", "P-011"]
    result = CliRunner().invoke(import_jira_command, args)
    assert result.exit_code == 1
    assert result.output.count("\n") == 1
    assert "row 8, column 'Status': 'Parked'" in result.output
    assert not into.exists()
    result = CliRunner().invoke(
        import_jira_command, [*args, "--status-map", "Parked=To Do"]
    )
    assert result.exit_code == 0, result.output
