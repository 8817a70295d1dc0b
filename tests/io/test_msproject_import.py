"""
``pmo-kit import msproject``: MSPDI files into a dataset.

Expected values come from the XML itself (read here with plain
``defusedxml.ElementTree`` look-ups, not the kit's reader) or were worked out by
hand from the hand-written fixtures in ``tests/io/data/msproject/``.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from click.testing import CliRunner
from defusedxml import ElementTree as DefusedET  # type: ignore[import-untyped]

from pmo_kit._errors import ValidationError
from pmo_kit.cli_io_msproject import import_msproject
from pmo_kit.data.portfolio import load_portfolio
from pmo_kit.io.into import add_project
from pmo_kit.io.msproject import import_msproject_file
from pmo_kit.io.msproject.durations import DURATION_UNITS, iso_minutes, lag_days
from pmo_kit.schedule import critical_path

DATA = Path(__file__).parent / "data" / "msproject"
EXTERNAL = (
    Path(__file__).resolve().parents[2]
    / ".."
    / "shared"
    / "datasets-external"
    / "msproject"
)
NS = "{http://schemas.microsoft.com/project}"
REAL_FILES = [
    "baselines.xml",
    "mspdirelations.xml",
    "mspdiresource.xml",
    "sample.xml",
    "task-links-project2019-mspdi.xml",
]
#: Tasks whose stored dates the kit's critical path cannot give, and why (read
#: from each file by hand).
EXPECTED_NOTES = {
    # 7.5-hour task starting 09:00 on a calendar whose day is 08:00-17:00
    "baselines.xml": {"T001"},
    "mspdirelations.xml": set(),
    # Task A: its resource Brian Leach is on a "Night Shift" calendar and the stored
    # dates span 3 days for a 6-day duration; Contoured Task: 57h 8m 24s
    "mspdiresource.xml": {"T002", "T003"},
    # Second Task: 800 h but stored over 50 days (two resources, one on Night
    # Shift); four tasks carry a Start No Earlier Than constraint
    "sample.xml": {"T002", "T007", "T008", "T020", "T021"},
    "task-links-project2019-mspdi.xml": set(),
}
MSPDI_TYPES = {"0": "FF", "1": "FS", "2": "SF", "3": "SS"}


def _real(name: str) -> Path:
    path = EXTERNAL / name
    if not path.is_file():
        pytest.skip(f"{path} is not there (the shared external datasets are absent)")
    return path


def _snapshot(folder: Path) -> dict[str, str]:
    if not folder.exists():
        return {}
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def _day(text: str) -> dt.date:
    return dt.datetime.fromisoformat(text).date()


def _previous_weekday(day: dt.date) -> dt.date:
    day -= dt.timedelta(days=1)
    while day.weekday() >= 5:
        day -= dt.timedelta(days=1)
    return day


# --- durations --------------------------------------------------------------------


def test_iso_durations_and_lags_by_hand() -> None:
    assert iso_minutes("PT8H0M0S") == 480
    assert iso_minutes("PT7H30M0S") == 450
    assert iso_minutes("PT57H8M24S") == pytest.approx(57 * 60 + 8 + 24 / 60)
    # 4800 tenths of a minute = 480 minutes = one 8-hour day; LagFormat 9 = weeks
    assert lag_days(4800, DURATION_UNITS[7], 480) == 1
    assert lag_days(24000, DURATION_UNITS[9], 480) == 5
    assert lag_days(4800, DURATION_UNITS[7], 450) == pytest.approx(480 / 450)
    # 7 elapsed days = one calendar week = 5 working days
    assert lag_days(7 * 1440 * 10, DURATION_UNITS[8], 480) == pytest.approx(5)
    # 25 % of a 4-day predecessor (LinkLag in tenths of a percent)
    assert lag_days(250, DURATION_UNITS[19], 480, predecessor_days=4) == 1
    with pytest.raises(ValueError, match="ISO 8601"):
        iso_minutes("8 hours")


# --- the five real MS Project files ------------------------------------------------


@pytest.mark.parametrize("name", REAL_FILES)
def test_real_file_counts_match_the_xml(name: str) -> None:
    path = _real(name)
    root = DefusedET.parse(path).getroot()
    tasks = root.findall(f"{NS}Tasks/{NS}Task")
    leaf = {
        t.findtext(f"{NS}UID")
        for t in tasks
        if t.findtext(f"{NS}Summary") != "1" and t.findtext(f"{NS}OutlineLevel") != "0"
    }
    mpd = float(root.findtext(f"{NS}MinutesPerDay") or 480)
    links = {
        (
            "T" + link.findtext(f"{NS}PredecessorUID", "").zfill(3),
            "T" + t.findtext(f"{NS}UID", "").zfill(3),
            MSPDI_TYPES[link.findtext(f"{NS}Type", "1")],
            float(link.findtext(f"{NS}LinkLag", "0")) / 10 / mpd,
        )
        for t in tasks
        for link in t.findall(f"{NS}PredecessorLink")
    }
    people = {
        r.findtext(f"{NS}UID")
        for r in root.findall(f"{NS}Resources/{NS}Resource")
        if r.findtext(f"{NS}Type") == "1" and r.findtext(f"{NS}Name")
    }
    assigned = [
        a
        for a in root.findall(f"{NS}Assignments/{NS}Assignment")
        if a.findtext(f"{NS}ResourceUID") in people
    ]

    result = import_msproject_file(path, project_id="P-011")
    tables = result.tables
    assert set(tables["tasks"]["task_id"]) == {"T" + u.zfill(3) for u in leaf}
    deps = tables["dependencies"]
    got = set(
        zip(
            deps["predecessor"],
            deps["successor"],
            deps["type"],
            deps["lag"].astype(float),
            strict=True,
        )
    )
    assert got == links  # every link of these files is whole working days
    # + one row for the project manager (none of the five files names one)
    assert len(tables["resources"]) == len(people) + 1
    assert len(tables["assignments"]) == len(assigned)
    hours = {
        (
            f"T{int(a.findtext(f'{NS}TaskUID', '')):03d}",
            f"R-{int(a.findtext(f'{NS}ResourceUID', '')):03d}",
        ): iso_minutes(a.findtext(f"{NS}Work", "PT0H")) / 60
        for a in assigned
    }
    got_hours = {
        (r.task_id, r.resource_id): r.hours for r in tables["assignments"].itertuples()
    }
    assert got_hours == pytest.approx(hours)


@pytest.mark.parametrize("name", REAL_FILES)
def test_real_file_critical_path_dates_equal_ms_project(name: str) -> None:
    """
    The kit's CPM gives the Start and Finish MS Project stored, with the documented
    conventions: a Finish at 08:00 (the first working minute) is the end of the
    previous working day; a milestone's date is the date of its Start; a started
    task's Start is its actual start; tasks named in ``date_notes`` (and their
    reasons in the warnings) are the only ones whose dates may differ, and Start
    No Earlier Than constraints, which the dataset cannot hold, are applied here.
    """
    path = _real(name)
    root = DefusedET.parse(path).getroot()
    start = _day(root.findtext(f"{NS}StartDate", ""))
    result = import_msproject_file(path, project_id="P-011")
    assert set(result.date_notes) == EXPECTED_NOTES[name]
    for task_id in result.date_notes:
        uid = str(int(task_id[1:]))
        assert any(f"UID {uid} " in w for w in result.warnings), task_id
    snet = {
        "T" + t.findtext(f"{NS}UID", "").zfill(3): _day(
            t.findtext(f"{NS}ConstraintDate", "")
        )
        for t in root.findall(f"{NS}Tasks/{NS}Task")
        if t.findtext(f"{NS}ConstraintType") == "4"
    }
    schedule = critical_path(
        result.tables["tasks"],
        result.tables["dependencies"],
        start=start,
        start_no_earlier_than={k: v for k, v in snet.items() if v >= start},
    )
    compared = skipped = 0
    for t in root.findall(f"{NS}Tasks/{NS}Task"):
        task_id = "T" + t.findtext(f"{NS}UID", "").zfill(3)
        if task_id not in schedule.index:
            continue
        stored_start = _day(t.findtext(f"{NS}Start", ""))
        finish_text = t.findtext(f"{NS}Finish", "")
        if t.findtext(f"{NS}ActualStart"):
            row = result.tables["tasks"].set_index("task_id").loc[task_id]
            assert row["actual_start"] == stored_start
            skipped += 1
            continue
        notes_exempt = task_id in result.date_notes and task_id not in snet
        if notes_exempt:
            skipped += 1
            continue
        if t.findtext(f"{NS}Milestone") == "1":
            expected_finish = stored_start
        elif finish_text.endswith("T08:00:00"):
            expected_finish = _previous_weekday(_day(finish_text))
        else:
            expected_finish = _day(finish_text)
        got = schedule.loc[task_id]
        assert got["early_start_date"].date() == stored_start, task_id
        assert got["early_finish_date"].date() == expected_finish, task_id
        compared += 1
    assert compared + skipped == len(schedule)
    assert skipped <= len(EXPECTED_NOTES[name]) + 1


def test_task_links_file_lags_weeks_and_types() -> None:
    """Task 8 follows Task 7 by LinkLag 24000 with LagFormat 9: one week, 5 days."""
    result = import_msproject_file(_real("task-links-project2019-mspdi.xml"))
    links = result.tables["dependencies"].set_index("successor")
    assert links.loc["T008", "lag"] == 5
    assert links.loc["T010", "lag"] == 10
    assert links.loc["T012", "type"] == "SF"
    assert links.loc["T014", "type"] == "SS"
    assert links.loc["T016", "type"] == "FF"
    assert links.loc["T016", "lag"] == 2


def test_mspdiresource_money_rates_and_material() -> None:
    result = import_msproject_file(_real("mspdiresource.xml"))
    tasks = result.tables["tasks"].set_index("task_id")
    # Task A: three people 24 h each at 50, 75, 100 an hour = 5,400 (MSPDI Cost 540000)
    assert tasks.loc["T002", "budgeted_cost"] == pytest.approx(5400)
    people = result.tables["resources"].set_index("name")
    assert people.loc["Jon Iles", "cost_rate"] == 75
    assert people.loc["Wade Golden", "role"] == "Steelray"
    assert "Concrete" not in people.index
    assert any("'Concrete' (material)" in w for w in result.warnings)
    assert tasks.loc["T004", "percent_complete"] == 100
    assert tasks.loc["T004", "actual_start"] == dt.date(2006, 8, 26)


def test_real_files_import_into_one_dataset(tmp_path: Path) -> None:
    target = tmp_path / "plans"
    for number, name in enumerate(REAL_FILES, start=11):
        add_project(
            target,
            import_msproject_file(_real(name), project_id=f"P-{number:03d}").tables,
            project_id=f"P-{number:03d}",
        )
    portfolio = load_portfolio(target)
    assert portfolio.project_ids == ["P-011", "P-012", "P-013", "P-014", "P-015"]
    assert portfolio.projects.set_index("project_id").loc["P-014", "name"] == "sample"


# --- a hand-written plan with one of each hard case --------------------------------


def test_edge_cases_by_hand() -> None:
    result = import_msproject_file(DATA / "edge_cases.xml", project_id="P-007")
    t = result.tables
    tasks = t["tasks"].set_index("task_id")
    assert list(tasks.index) == ["T002", "T003", "T004", "T005", "T006", "T007"]
    assert list(tasks["duration"]) == [2, 1, 5, 1, 2, 0]
    assert list(tasks["wbs"]) == ["1.1", "1.2", "2", "3", "4", "5"]
    links = {
        (r.predecessor, r.successor, r.type, r.lag)
        for r in t["dependencies"].itertuples()
    }
    assert links == {
        ("T002", "T003", "FS", 0),
        ("T002", "T004", "FS", 0),  # Design (summary) -> Build: one per leaf
        ("T003", "T004", "FS", 0),
        ("T004", "T005", "FS", 2),  # 3 elapsed days = 3 x 5/7 = 2.14 working days
        ("T004", "T006", "SS", 2),  # 50 % of Build's 5 days = 2.5
        ("T006", "T007", "FS", -1),  # lead of one day
    }
    project = t["projects"].iloc[0]
    assert project["name"] == "Edge cases"
    assert project["budget"] == 2400  # summary baseline cost 240000 hundredths
    assert project["status_date"] == dt.date(2026, 3, 6)
    assert project["phase"] == "execution"
    people = t["resources"].set_index("name")
    assert project["manager"] == people.loc["Ann Lee", "resource_id"]
    assert people.loc["Ann Lee", "capacity_hours"] == 60  # MaxUnits 2 = 80 h, capped
    assert people.loc["Bo Chen", "capacity_hours"] == 20
    assert people.loc["Bo Chen", "cost_rate"] == 45.5
    assigned = t["assignments"].set_index("task_id")
    assert list(assigned.index) == ["T002", "T003"]
    assert assigned.loc["T002", "units"] == 1.0
    assert assigned.loc["T002", "hours"] == 24
    assert tasks.loc["T002", "actual_finish"] == dt.date(2026, 3, 3)
    assert tasks.loc["T003", "percent_complete"] == 50
    text = "\n".join(result.warnings)
    for expected in (
        "'Parked idea'",  # inactive
        "1 'Design'",  # summary kept as structure
        "2026-04-03 'Good Friday'",  # calendar exception
        "duration PT4H0M0S is 0.5 working days",
        "Start No Earlier Than 2026-03-09",
        "(elapsed days) is 2.1429 working days; kept as 2",
        "lag 50% (percent) is 2.5 working days; kept as 2",
        "MaxUnits 2 is 80 hours",
        "units 1.5 (150%)",
        "'Cement' (material)",
        "task UID 1 left out: a summary task",
    ):
        assert expected in text, expected
    assert set(result.date_notes) == {"T003", "T004", "T005", "T006"}
    assert all("\n" not in w for w in result.warnings)


# --- safety and bad input: one line, nothing written --------------------------------


@pytest.fixture
def dataset(tmp_path: Path) -> Path:
    folder = tmp_path / "ds"
    result = import_msproject_file(DATA / "edge_cases.xml", project_id="P-001")
    add_project(folder, result.tables, project_id="P-001")
    return folder


@pytest.mark.parametrize(
    ("fixture", "words"),
    [
        ("bomb.xml", "refused: the XML declares an entity"),
        ("external_entity.xml", "refused: the XML declares an entity"),
        ("not_xml.xml", "not an XML file"),
        ("cyclic.xml", "cycle: T002 -> T001 -> T002"),
        ("missing_link.xml", "'PredecessorUID': 99 is not a task in the file"),
    ],
)
def test_bad_files_one_line_nothing_written(
    dataset: Path, tmp_path: Path, fixture: str, words: str
) -> None:
    before = _snapshot(dataset)
    runner = CliRunner()
    result = runner.invoke(
        import_msproject,
        [str(DATA / fixture), "--into", str(dataset), "--project-id", "P-001"],
    )
    assert result.exit_code == 1
    lines = result.output.strip().splitlines()
    assert len(lines) == 1
    assert words in lines[0]
    assert fixture in lines[0]
    assert "Traceback" not in result.output
    assert _snapshot(dataset) == before
    fresh = tmp_path / "new"
    result = runner.invoke(
        import_msproject, [str(DATA / fixture), "--into", str(fresh)]
    )
    assert result.exit_code == 1
    assert not fresh.exists()


def test_external_entity_is_not_resolved() -> None:
    with pytest.raises(ValidationError) as info:
        import_msproject_file(DATA / "external_entity.xml")
    assert "root:" not in str(info.value)


def test_cli_adds_then_replaces_a_project(tmp_path: Path) -> None:
    folder = tmp_path / "ds"
    runner = CliRunner()
    first = runner.invoke(
        import_msproject, [str(DATA / "edge_cases.xml"), "--into", str(folder)]
    )
    assert first.exit_code == 0, first.output
    assert first.output.startswith(
        f"imported {DATA / 'edge_cases.xml'} into {folder} as P-001"
    )
    assert "6 tasks" in first.output
    assert "warning: " in first.output
    second = runner.invoke(
        import_msproject,
        [str(DATA / "edge_cases.xml"), "--into", str(folder), "--project-id", "P-001"],
    )
    assert second.exit_code == 0, second.output
    portfolio = load_portfolio(folder)
    assert portfolio.project_ids == ["P-001"]
    assert len(portfolio.tasks) == 6
    assert len(portfolio.resources) == 2
    third = runner.invoke(
        import_msproject, [str(DATA / "edge_cases.xml"), "--into", str(folder)]
    )
    assert third.exit_code == 0
    assert "as P-002" in third.output
    portfolio = load_portfolio(folder)
    assert portfolio.project_ids == ["P-001", "P-002"]
    assert len(portfolio.resources) == 2  # Ann Lee and Bo Chen merged by name


def test_add_project_keeps_other_projects_and_files(tmp_path: Path) -> None:
    folder = tmp_path / "ds"
    result = import_msproject_file(DATA / "edge_cases.xml", project_id="P-001")
    add_project(folder, result.tables, project_id="P-001")
    add_project(folder, result.tables, project_id="P-002")
    (folder / "notes.txt").write_text("mine", encoding="utf-8")
    smaller = {k: v.copy() for k, v in result.tables.items()}
    smaller["tasks"] = smaller["tasks"].iloc[:1]
    smaller["dependencies"] = smaller["dependencies"].iloc[:0]
    smaller["assignments"] = smaller["assignments"].iloc[:1]
    add_project(folder, smaller, project_id="P-001")
    portfolio = load_portfolio(folder)
    counts = portfolio.tasks.groupby("project_id").size().to_dict()
    assert counts == {"P-001": 1, "P-002": 6}
    assert (folder / "notes.txt").read_text(encoding="utf-8") == "mine"
    with pytest.raises(ValidationError, match="P-1"):
        add_project(folder, smaller, project_id="P-1")


def test_bad_rows_leave_dataset_untouched(dataset: Path) -> None:
    before = _snapshot(dataset)
    result = import_msproject_file(DATA / "edge_cases.xml", project_id="P-001")
    broken = dict(result.tables)
    broken["tasks"] = broken["tasks"].assign(duration=-1)
    with pytest.raises(ValidationError, match="duration"):
        add_project(dataset, broken, project_id="P-001")
    assert _snapshot(dataset) == before


def test_weekday_helper_is_independent() -> None:
    assert _previous_weekday(dt.date(2006, 9, 25)) == dt.date(2006, 9, 22)
    assert np.busday_count("2026-03-02", "2026-03-09") == 5
    assert isinstance(pd.Timestamp("2026-03-02"), pd.Timestamp)


# --- importing over an existing project keeps what the plan does not carry -------

SAMPLE = Path(__file__).resolve().parents[2] / "datasets" / "meridian"
KEPT_TABLES = ("risks", "status", "gates", "lessons", "sprints", "work_items")


def test_import_over_sample_project_keeps_its_registers(tmp_path: Path) -> None:
    import shutil

    from pmo_kit.io.msproject.writer import write_msproject

    folder = tmp_path / "meridian"
    shutil.copytree(SAMPLE, folder)
    before = load_portfolio(folder)
    plan = tmp_path / "p002.xml"
    write_msproject(before, "P-002", plan)
    # The updated plan: one task renamed (read back from the XML by hand).
    text = plan.read_text(encoding="utf-8")
    leaves = [
        task.find(f"{NS}Name")
        for task in DefusedET.fromstring(text.encode()).iter(f"{NS}Task")
        if task.findtext(f"{NS}Summary") == "0"
    ]
    first_name = leaves[0]
    assert first_name is not None
    assert first_name.text
    text = text.replace(
        f"<Name>{first_name.text}</Name>", "<Name>Renamed in MS Project</Name>", 1
    )
    plan.write_text(text, encoding="utf-8")

    result = CliRunner().invoke(
        import_msproject, [str(plan), "--into", str(folder), "--project-id", "P-002"]
    )
    assert result.exit_code == 0, result.output
    after = load_portfolio(folder)

    for name in KEPT_TABLES:
        old = getattr(before, name)
        new = getattr(after, name)
        pd.testing.assert_frame_equal(
            new.reset_index(drop=True), old.reset_index(drop=True), obj=name
        )
    # Tasks replaced: the renamed task is there, the old name is gone.
    names = set(after.tasks.loc[after.tasks["project_id"] == "P-002", "name"])
    assert "Renamed in MS Project" in names
    assert first_name.text not in names
    assert int((after.tasks["project_id"] == "P-002").sum()) == int(
        (before.tasks["project_id"] == "P-002").sum()
    )
    # Other projects untouched; P-002 keeps its place and the fields no plan has.
    assert after.project_ids == before.project_ids
    others = before.tasks[before.tasks["project_id"] != "P-002"].reset_index(drop=True)
    pd.testing.assert_frame_equal(
        after.tasks[after.tasks["project_id"] != "P-002"].reset_index(drop=True),
        others,
    )
    old = before.projects.set_index("project_id").loc["P-002"]
    new = after.projects.set_index("project_id").loc["P-002"]
    for column in ("sponsor", "programme", "methodology", "strategic_alignment"):
        assert new[column] == old[column]
    assert new["business_value"] == old["business_value"]
    assert new["expected_benefit"] == old["expected_benefit"]
    assert "kept P-002's projects.csv fields the plan does not carry" in result.output
    assert "sponsor" in result.output
    assert "5 risks" in result.output  # the sample's P-002 has 5 risks


def test_kept_rows_naming_a_removed_task_give_one_line(tmp_path: Path) -> None:
    folder = tmp_path / "ds"
    result = import_msproject_file(DATA / "edge_cases.xml", project_id="P-001")
    add_project(folder, result.tables, project_id="P-001")
    before = _snapshot(folder)
    # Only projects and tasks: the dataset's links and assignments are kept, and
    # some name tasks this import no longer has.
    only_tasks = {
        "projects": result.tables["projects"],
        "tasks": result.tables["tasks"].iloc[:1],
    }
    with pytest.raises(ValidationError) as caught:
        add_project(folder, only_tasks, project_id="P-001")
    message = str(caught.value)
    assert "\n" not in message
    assert "dependencies.csv" in message
    assert "assignments.csv" in message
    assert _snapshot(folder) == before
