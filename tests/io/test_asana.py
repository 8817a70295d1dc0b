"""
Asana CSV export -> tasks and dependencies, or work items; ``pmo-kit import asana``.

``data/asana_export.csv`` is hand-made after the layout Asana documents for
Export > CSV (Task ID, Created At, Completed At, Last Modified, Name,
Section/Column, Assignee, Assignee Email, Start Date, Due Date, Tags, Notes,
Projects, Parent task, Blocked By (Dependencies), Blocking (Dependencies), then
custom fields: here "Story Points" and "Priority"). It has a multi-line quoted
note, a name with commas, subtasks, milestones, a due-date-only task and an
undated task. Expected values below are counted by hand on a calendar (March and
April 2025; weekends are not working days).
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner

from pmo_kit import ValidationError
from pmo_kit.cli_io_misc import import_asana_command
from pmo_kit.data.portfolio import load_portfolio
from pmo_kit.io.asana import read_asana_csv

EXPORT = Path(__file__).parent / "data" / "asana_export.csv"


def tid(n: int) -> str:
    return f"12090000000000{n:02d}"


def _variant(tmp_path: Path, old: str, new: str) -> Path:
    text = EXPORT.read_text()
    assert text.count(old) == 1, old
    path = tmp_path / "export.csv"
    path.write_text(text.replace(old, new))
    return path


def test_tasks_wbs_durations_and_progress():
    result = read_asana_csv(EXPORT, project_id="P-012")
    assert result.tasks is not None
    tasks = result.tasks.set_index("task_id")
    assert result.sections == ("Planning", "Design", "Build", "Launch")
    assert result.name == "Website relaunch"
    # section n -> WBS n; tasks n.k; subtasks n.k.j (their parent's section)
    assert tasks["wbs"].to_dict() == {
        tid(1): "1.1",
        tid(2): "1.2",
        tid(3): "2.1",
        tid(4): "2.1.1",
        tid(5): "2.1.2",
        tid(6): "2.2",
        tid(7): "3.1",
        tid(8): "3.2",
        tid(9): "4.1",
        tid(10): "4.2",
    }
    # working days, start and due both included:
    # Mon 3 - Tue 4 Mar = 2; milestone = 0; Mon 10 - Wed 19 Mar = 8;
    # Mon 10 - Wed 12 = 3; Thu 13 - Wed 19 = 5; Thu 20 - Fri 28 = 7;
    # Mon 31 Mar - Fri 18 Apr = 15; due only = 1; milestone = 0; Mon 14 - Thu 17 = 4
    assert tasks["duration"].to_dict() == {
        tid(1): 2,
        tid(2): 0,
        tid(3): 8,
        tid(4): 3,
        tid(5): 5,
        tid(6): 7,
        tid(7): 15,
        tid(8): 1,
        tid(9): 0,
        tid(10): 4,
    }
    assert tasks.loc[tid(8), "baseline_start"] == pd.Timestamp("2025-04-11")
    assert tasks.loc[tid(9), "baseline_finish"] == pd.Timestamp("2025-04-22")
    assert tasks.loc[tid(10), "name"] == "Accessibility audit (WCAG 2.1, AA)"
    done = tasks["percent_complete"] == 100
    assert sorted(tasks.index[done]) == [tid(1), tid(2), tid(3), tid(4), tid(5)]
    assert (tasks.loc[~done, "percent_complete"] == 0).all()
    assert tasks.loc[tid(3), "actual_finish"] == pd.Timestamp("2025-03-20")
    assert tasks.loc[tid(3), "actual_start"] == pd.Timestamp("2025-03-10")
    assert tasks["actual_finish"].isna()[tid(6)]
    assert str(result.start) == "2025-03-03"
    assert str(result.finish) == "2025-04-22"


def test_blocked_by_becomes_finish_to_start_links():
    deps = read_asana_csv(EXPORT, project_id="P-012").dependencies
    assert deps is not None
    got = set(zip(deps["predecessor"], deps["successor"], strict=True))
    assert got == {
        (tid(1), tid(2)),
        (tid(2), tid(3)),
        (tid(4), tid(5)),
        (tid(3), tid(6)),
        (tid(6), tid(7)),
        (tid(2), tid(8)),
        (tid(6), tid(8)),
        (tid(7), tid(9)),
        (tid(8), tid(9)),
    }
    assert set(deps["type"]) == {"FS"}
    assert set(deps["lag"]) == {0}


def test_undated_task_is_left_out_with_a_warning():
    result = read_asana_csv(EXPORT, project_id="P-012")
    assert result.tasks is not None
    assert tid(11) not in set(result.tasks["task_id"])
    assert any("'Explore chatbot' (row 12)" in w for w in result.warnings)


def test_work_items_reading():
    result = read_asana_csv(
        EXPORT,
        project_id="P-012",
        as_work_items=True,
        section_statuses={"Design": "In Progress"},
    )
    assert result.tasks is None
    assert result.work_items is not None
    items = result.work_items.set_index("key")
    assert len(items) == 11
    assert items.loc[f"AS-{tid(1)}", "status"] == "Done"
    assert items.loc[f"AS-{tid(1)}", "resolved"] == pd.Timestamp("2025-03-04")
    assert items.loc[f"AS-{tid(6)}", "status"] == "In Progress"  # Design, mapped
    assert items.loc[f"AS-{tid(7)}", "status"] == "To Do"  # Build: not a status
    assert items.loc[f"AS-{tid(10)}", "type"] == "bug"  # tag
    assert items.loc[f"AS-{tid(7)}", "points"] == 13.0
    assert items["points"].isna()[f"AS-{tid(2)}"]
    assert any("'Build', 'Launch'" in w for w in result.warnings)
    assert any("9 Blocked By link(s) not kept" in w for w in result.warnings)


def test_missing_column(tmp_path):
    path = _variant(tmp_path, "Task ID,Created At", "Identifier,Created At")
    with pytest.raises(ValidationError) as info:
        read_asana_csv(path, project_id="P-012")
    assert str(info.value).startswith(
        f"{path}: missing column(s) 'Task ID'; this does not look like a CSV export "
        "of Asana"
    )


def test_unknown_blocked_by_names_row_column_and_value(tmp_path):
    path = _variant(
        tmp_path,
        f"Visual design,Design,Ana Costa,ana.costa@example.org,"
        f"2025-03-20,2025-03-28,design,,Website relaunch,,{tid(3)},",
        "Visual design,Design,Ana Costa,ana.costa@example.org,"
        "2025-03-20,2025-03-28,design,,Website relaunch,,1209999999999999,",
    )
    with pytest.raises(ValidationError) as info:
        read_asana_csv(path, project_id="P-012")
    assert str(info.value).startswith(
        f"{path}, row 7, column 'Blocked By (Dependencies)': '1209999999999999' is "
        "not a task in this file"
    )


def test_cycle_is_one_line(tmp_path):
    # Kick-off (1) now blocked by Wireframes (3): 1 -> 2 -> 3 -> 1
    path = _variant(
        tmp_path,
        "Agenda in the shared drive,Website relaunch,,,",
        f"Agenda in the shared drive,Website relaunch,,{tid(3)},",
    )
    with pytest.raises(ValidationError, match=r"make a cycle: .*'Kick-off workshop'"):
        read_asana_csv(path, project_id="P-012")


def test_not_a_csv_and_bad_date(tmp_path):
    binary = tmp_path / "plan.mpp"
    binary.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1\x00\x00\xff\xfe")
    with pytest.raises(ValidationError, match=r"not UTF-8 text.*not a CSV export"):
        read_asana_csv(binary, project_id="P-012")
    path = _variant(tmp_path, "2025-04-14,2025-04-17", "2025-04-14,17/04/2025")
    with pytest.raises(
        ValidationError, match=r"row 11, column 'Due Date': '17/04/2025'"
    ):
        read_asana_csv(path, project_id="P-012")


def test_cli_import_into_a_new_dataset(tmp_path):
    into = tmp_path / "ds"
    result = CliRunner().invoke(
        import_asana_command,
        [
            str(EXPORT),
            "--into",
            str(into),
            "--project-id",
            "P-012",
            "--status-date",
            "2025-03-24",
        ],
    )
    assert result.exit_code == 0, result.output
    assert "10 tasks in 4 sections, 9 dependencies, 9 assignments" in result.output
    assert "warning: " in result.output
    p = load_portfolio(into)
    project = p.projects.set_index("project_id").loc["P-012"]
    assert project["name"] == "Website relaunch"
    assert project["methodology"] == "predictive"
    assert project["status_date"] == pd.Timestamp("2025-03-24")
    assert len(p.tasks) == 10
    assert len(p.dependencies) == 9
    # three people; the manager is the one with most tasks (Ana: 4, Ben: 3)
    assert sorted(p.resources["name"]) == ["Ana Costa", "Ben Ode", "Chen Li"]
    manager = p.resources.set_index("resource_id").loc[project["manager"], "name"]
    assert manager == "Ana Costa"
    hours = p.assignments.set_index("task_id")["hours"]
    assert hours[tid(7)] == 15 * 8.0


def test_cli_bad_input_is_one_line_and_writes_nothing(tmp_path):
    into = tmp_path / "ds"
    bad = _variant(tmp_path, "Task ID,Created At", "Identifier,Created At")
    result = CliRunner().invoke(
        import_asana_command,
        [str(bad), "--into", str(into), "--project-id", "P-012"],
    )
    assert result.exit_code == 1
    assert result.output.count("\n") == 1
    assert "missing column(s) 'Task ID'" in result.output
    assert "Traceback" not in result.output
    assert not into.exists()


def test_cli_work_items(tmp_path):
    into = tmp_path / "ds"
    result = CliRunner().invoke(
        import_asana_command,
        [
            str(EXPORT),
            "--into",
            str(into),
            "--project-id",
            "P-013",
            "--as",
            "work-items",
            "--manager",
            "Dana Fox",
            "--status-date",
            "2025-03-24",
        ],
    )
    assert result.exit_code == 0, result.output
    p = load_portfolio(into)
    assert len(p.work_items) == 11
    assert p.tasks.empty
    assert p.projects.loc[0, "methodology"] == "agile"
    assert "Dana Fox" in set(p.resources["name"])
