"""Jira readers: a realistic export fixture, a real status history, bad input."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd
import pytest

from pmo_kit import ValidationError
from pmo_kit.agile import (
    cumulative_flow,
    cycle_time_percentiles,
    cycle_times,
    throughput,
)
from pmo_kit.data.schemas import SCHEMAS
from pmo_kit.io import parse_jira_datetime, read_jira_csv, read_status_history

FIXTURE = Path(__file__).parent / "fixtures" / "jira_export.csv"
# Real, anonymised Jira history (AEA Data Editor, CC-BY-4.0; see its README):
# Vilhuber, Lars. 2022. "Process data for the AEA Pre-publication Verification
# Service." American Economic Association, https://doi.org/10.3886/E117876V3
AEA = (
    Path(__file__).resolve().parents[2].parent
    / "shared"
    / "datasets-external"
    / "jira"
    / "aea_jira_status_history.csv"
)
# The AEA verification workflow mapped to the canonical statuses: "Done" when the
# replication package is accepted (pending publication); waiting for the authors'
# changes is a revision round of work in progress; Blocked issues went back to Open.
AEA_STATUSES = {
    "Open": "To Do",
    "Assigned": "To Do",
    "Blocked": "To Do",
    "Creating repository": "In Progress",
    "In Progress": "In Progress",
    "Writing Report (Part C)": "In Progress",
    "Incomplete": "In Progress",
    "Waiting for info": "In Progress",
    "Submitted PandP form": "In Progress",
    "Pending openICPSR changes": "In Progress",
    "Assess openICPSR changes": "In Progress",
    "Delete NDA data": "In Progress",
    "Report Under Review": "In Review",
    "Pre-Approved": "In Review",
    "Approved": "In Review",
    "Submitted to MC": "In Review",
    "Pending publication": "Done",
    "Pending Article DOI": "Done",
    "Request addition of article DOI": "Done",
    "Done": "Done",
}
needs_aea = pytest.mark.skipif(not AEA.exists(), reason=f"{AEA} is not available")


def _variant(tmp_path: Path, old: str, new: str) -> Path:
    """A copy of the fixture with one piece of text replaced (bytes kept as is)."""
    data = FIXTURE.read_bytes()
    assert data.count(old.encode()) == 1, old
    path = tmp_path / "export.csv"
    path.write_bytes(data.replace(old.encode(), new.encode()))
    return path


# ------------------------------------------------------------- the export CSV


def test_fixture_looks_like_a_real_export():
    data = FIXTURE.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")  # UTF-8 byte-order mark
    assert data.count(b"\r\n") > 12  # CRLF
    header = data.split(b"\r\n", 1)[0].decode("utf-8-sig").split(",")
    assert header.count("Sprint") == 3
    assert header.count("Labels") == 2
    assert '"As a customer on a phone\r\nI want' in data.decode("utf-8")


def test_read_jira_csv_returns_the_canonical_work_items():
    table = read_jira_csv(FIXTURE, project_id="P-011")
    assert list(table.columns) == SCHEMAS["work_items"].column_names
    items = table.set_index("key")
    assert len(items) == 12
    assert (items["project_id"] == "P-011").all()
    assert items.loc["CPR-1", "summary"] == "Registration: mobile layout"
    assert str(items.loc["CPR-3", "summary"]).endswith("(ü, ß)")
    assert items.loc["CPR-1", "created"] == pd.Timestamp("2025-06-02 09:12")
    assert items.loc["CPR-1", "resolved"] == pd.Timestamp("2025-06-24 16:05")
    assert items.loc["CPR-4", "started"] == pd.Timestamp("2025-07-01 15:15")
    assert items["resolved"].isna()["CPR-4"]
    assert items["started"].isna()["CPR-1"]  # no history in the export


def test_types_statuses_points_and_sprints_are_mapped():
    items = read_jira_csv(FIXTURE, project_id="P-011").set_index("key")
    assert items["type"].to_dict() == {
        "CPR-1": "story",
        "CPR-2": "story",
        "CPR-3": "bug",
        "CPR-4": "story",
        "CPR-5": "task",
        "CPR-6": "task",  # Sub-task
        "CPR-7": "spike",
        "CPR-8": "task",  # Epic: not a canonical type
        "CPR-9": "story",
        "CPR-10": "task",  # Improvement: not a canonical type
        "CPR-11": "story",
        "CPR-12": "bug",
    }
    assert items.loc["CPR-3", "status"] == "Done"  # Closed
    assert items.loc["CPR-9", "status"] == "To Do"  # Backlog
    assert items.loc["CPR-4", "status"] == "In Review"
    assert items.loc["CPR-7", "points"] == 2.0  # Story point estimate
    assert items.loc["CPR-10", "points"] == 0.5  # decimal comma
    assert items["points"].isna()["CPR-5"]
    # the last of the repeated Sprint columns
    assert items.loc["CPR-1", "sprint_id"] == "CPR Sprint 2"
    assert items.loc["CPR-11", "sprint_id"] == "CPR Sprint 3"
    assert items["sprint_id"].isna()["CPR-9"]


def test_mappings_can_be_overridden():
    items = read_jira_csv(
        FIXTURE,
        project_id="P-011",
        status_mapping={"BACKLOG": "In Progress"},
        type_mapping={"Epic": "story"},
    ).set_index("key")
    assert items.loc["CPR-9", "status"] == "In Progress"
    assert items.loc["CPR-8", "type"] == "story"
    with pytest.raises(ValidationError, match=r"'Doing'.*'Backlog'.*status_mapping"):
        read_jira_csv(FIXTURE, project_id="P-011", status_mapping={"Backlog": "Doing"})
    with pytest.raises(ValidationError, match=r"'feature'.*type_mapping"):
        read_jira_csv(FIXTURE, project_id="P-011", type_mapping={"Epic": "feature"})


def test_unknown_status_names_row_value_and_the_mapping_argument(tmp_path):
    path = _variant(
        tmp_path,
        "Upgrade build pipeline runners,CPR-5,10005,,Task,In Progress,",
        "Upgrade build pipeline runners,CPR-5,10005,,Task,Blocked,",
    )
    with pytest.raises(ValidationError) as info:
        read_jira_csv(path, project_id="P-011")
    message = str(info.value)
    assert "row 6, column 'Status': 'Blocked'" in message
    assert "Jira status category 'In Progress'" in message
    assert "status_mapping={'Blocked': ...}" in message
    items = read_jira_csv(
        path, project_id="P-011", status_mapping={"Blocked": "In Progress"}
    )
    assert items.set_index("key").loc["CPR-5", "status"] == "In Progress"


def test_bad_date_names_the_spreadsheet_row_and_column(tmp_path):
    # CPR-4 is the 4th record: row 5, although earlier records span several lines
    path = _variant(tmp_path, "16/Jun/25 9:00 AM", "16/Jnu/25 9:00 AM")
    with pytest.raises(ValidationError) as info:
        read_jira_csv(path, project_id="P-011")
    message = str(info.value)
    assert message.startswith(f"{path}, row 5, column 'Created': '16/Jnu/25 9:00 AM'")
    assert "14/Jul/25 3:42 PM" in message
    assert "date_format" in message


def test_bad_story_points_and_missing_values_are_named(tmp_path):
    path = _variant(tmp_path, ",CPR Sprint 1,,,2,", ",CPR Sprint 1,,,two,")
    with pytest.raises(ValidationError, match=r"row 4, column 'Custom field \(Story"):
        read_jira_csv(path, project_id="P-011")
    path = _variant(tmp_path, "Online payments,CPR-8,", ",CPR-8,")
    with pytest.raises(
        ValidationError, match="row 9, column 'Summary': value is missing"
    ):
        read_jira_csv(path, project_id="P-011")


def test_not_a_jira_export_or_not_a_project_id(tmp_path):
    path = tmp_path / "other.csv"
    path.write_text("Name,Value\na,1\n", encoding="utf-8")
    with pytest.raises(ValidationError, match=r"missing column\(s\) 'Issue key'"):
        read_jira_csv(path, project_id="P-011")
    with pytest.raises(ValidationError, match=r"`project_id`.*'P-011'"):
        read_jira_csv(FIXTURE, project_id="CPR")
    latin = tmp_path / "latin.csv"
    latin.write_bytes("Summary,Issue key\nCaf\xe9,X-1\n".encode("latin-1"))
    with pytest.raises(ValidationError, match="not UTF-8"):
        read_jira_csv(latin, project_id="P-011")
    with pytest.raises(ValidationError, match="no such file"):
        read_jira_csv(tmp_path / "missing.csv", project_id="P-011")


def test_a_row_with_too_many_cells_is_refused(tmp_path):
    header = "Summary,Issue key,Issue Type,Status,Created\r\n"
    path = tmp_path / "ragged.csv"
    path.write_text(
        header + "A,X-1,Task,Done,14/Jul/25 3:42 PM,extra\r\n", encoding="utf-8"
    )
    with pytest.raises(ValidationError, match="row 2: 6 cells"):
        read_jira_csv(path, project_id="P-011")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("14/Jul/25 3:42 PM", dt.datetime(2025, 7, 14, 15, 42)),
        ("14/Jul/25 12:05 AM", dt.datetime(2025, 7, 14, 0, 5)),
        ("14/jul/25 12:05 pm", dt.datetime(2025, 7, 14, 12, 5)),
        ("14/Jul/2025 15:42", dt.datetime(2025, 7, 14, 15, 42)),
        ("4/Jan/2025 09:05:30", dt.datetime(2025, 1, 4, 9, 5, 30)),
        ("14/Jul/25", dt.datetime(2025, 7, 14)),
        ("31/Dec/24 11:59 PM", dt.datetime(2024, 12, 31, 23, 59)),
        ("01/FEB/2025 08:00", dt.datetime(2025, 2, 1, 8, 0)),
        ("2025-07-14 15:42", dt.datetime(2025, 7, 14, 15, 42)),
        ("2025-07-14", dt.datetime(2025, 7, 14)),
    ],
)
def test_jira_date_layouts(text, expected):
    assert parse_jira_datetime(text) == (expected, None)


def test_iso_offsets_and_custom_formats():
    wall, offset = parse_jira_datetime("2025-07-14T15:42:00+02:00") or (None, None)
    assert wall == dt.datetime(2025, 7, 14, 15, 42)
    assert offset == dt.timedelta(hours=2)
    custom = parse_jira_datetime("14.07.2025 15:42", date_format="%d.%m.%Y %H:%M")
    assert custom == (dt.datetime(2025, 7, 14, 15, 42), None)


@pytest.mark.parametrize(
    "text",
    ["14/Jly/25 3:42 PM", "14/Anf/25", "32/Jul/25", "14/Jul/25 13:00 PM", "yesterday"],
)
def test_unparseable_dates(text):
    assert parse_jira_datetime(text) is None


# ---------------------------------------------------------- status histories


def _history(tmp_path: Path, text: str, name: str = "history.csv") -> Path:
    path = tmp_path / name
    path.write_bytes(("\ufeff" + text).replace("\n", "\r\n").encode("utf-8"))
    return path


def test_history_is_tidied_into_status_changes(tmp_path):
    path = _history(
        tmp_path,
        "issue_key,changed_at,status_after,note\n"
        "X-2,2025-03-03T10:00:00-0500,Open,\n"
        "X-1,2025-03-02T09:00:00-0500,Open,created\n"
        "X-1,2025-03-03T09:00:00-0500,Doing,\n"
        "X-1,2025-03-03T11:00:00-0500,Still doing,same canonical status\n"
        "X-1,2025-03-04T12:00:00-0500,Testing,tie: lasted no time\n"
        "X-1,2025-03-04T12:00:00-0500,Done,\n"
        'X-2,2025-03-01T08:00:00-0500,Open,"earlier row, later in the file"\n',
    )
    mapping = {"Doing": "In Progress", "Still doing": "In Progress"}
    changes = read_status_history(path, project_id="P-011", status_mapping=mapping)
    assert list(changes.columns) == SCHEMAS["status_changes"].column_names
    rows = changes[["key", "timestamp", "from_status", "to_status"]].fillna("-")
    assert rows.astype(str).values.tolist() == [
        ["X-1", "2025-03-02 09:00:00", "-", "To Do"],
        ["X-1", "2025-03-03 09:00:00", "To Do", "In Progress"],
        ["X-1", "2025-03-04 12:00:00", "In Progress", "Done"],
        ["X-2", "2025-03-01 08:00:00", "-", "To Do"],
    ]
    utc = read_status_history(
        path, project_id="P-011", status_mapping=mapping, timezone="UTC"
    )
    assert utc["timestamp"].iloc[0] == pd.Timestamp("2025-03-02 14:00")
    with pytest.raises(ValidationError, match="`timezone`"):
        read_status_history(
            path, project_id="P-011", status_mapping=mapping, timezone="Mars/Base"
        )


def test_history_columns_are_found_or_named(tmp_path):
    path = _history(
        tmp_path,
        "Issue,When,New status\n"
        "X-1,14/Jul/25 3:42 PM,To Do\n"
        "X-1,15/Jul/25 9:00 AM,Done\n",
    )
    changes = read_status_history(path, project_id="P-011")
    assert changes["to_status"].tolist() == ["To Do", "Done"]
    other = _history(tmp_path, "id,at,state\nX-1,2025-07-14,To Do\n", "other.csv")
    with pytest.raises(ValidationError, match=r"no column 'issue_key'.*key_column="):
        read_status_history(other, project_id="P-011")
    named = read_status_history(
        other,
        project_id="P-011",
        key_column="id",
        time_column="at",
        status_column="state",
    )
    assert named["key"].tolist() == ["X-1"]


def test_history_errors_name_rows(tmp_path):
    path = _history(
        tmp_path,
        "issue_key,changed_at,status_after\nX-1,2025-07-14,To Do\nX-1,,Done\n",
    )
    with pytest.raises(ValidationError, match=r"row 3, column 'changed_at'.*missing"):
        read_status_history(path, project_id="P-011")
    path = _history(
        tmp_path,
        "issue_key,changed_at,status_after\nX-1,2025-07-14,To Do\nX-1,soon,Done\n",
        "dates.csv",
    )
    with pytest.raises(ValidationError, match="row 3, column 'changed_at': 'soon'"):
        read_status_history(path, project_id="P-011")


# ------------------------------------------------- the real AEA Jira history


@needs_aea
def test_real_history_needs_its_workflow_mapped():
    with pytest.raises(ValidationError) as info:
        read_status_history(AEA, project_id="P-011")
    message = str(info.value)
    assert "row 3, column 'status_after': 'Assigned'" in message
    assert "'Creating repository' (row 4)" in message
    assert "status_mapping=" in message
    assert len(info.value.problems) == 17  # distinct unmapped statuses


@needs_aea
def test_real_history_reads_and_gives_cycle_times():
    changes = read_status_history(AEA, project_id="P-011", status_mapping=AEA_STATUSES)
    assert changes["key"].nunique() == 139
    assert not changes.duplicated(["key", "timestamp"]).any()
    assert (changes["from_status"] != changes["to_status"]).all()
    first = changes.iloc[0]
    assert first["key"] == "AEAREP-6661"
    assert first["timestamp"] == pd.Timestamp("2024-12-02 13:15:37.415")  # -0500
    times = cycle_times(changes)
    assert len(times) == 132  # 6 still in progress, 1 not started
    assert times["reopened"].sum() == 5
    assert times["cycle_time_days"].isna().sum() == 2  # never "In Progress"
    levels = cycle_time_percentiles(times)
    assert levels.round(1).to_dict() == {"P50": 83.8, "P85": 192.8, "P95": 252.2}
    lead = cycle_time_percentiles(times, column="lead_time_days")
    assert lead.round(1).to_dict() == {"P50": 104.7, "P85": 224.7, "P95": 270.0}
    flow = cumulative_flow(changes)
    assert flow.iloc[-1].to_dict() == {
        "To Do": 1,
        "In Progress": 6,
        "In Review": 0,
        "Done": 132,
    }
    assert throughput(changes).sum() == 132
