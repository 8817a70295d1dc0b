"""
``pmo-kit export msproject``: the MSPDI file MS Project opens.

The XML is read back with defusedxml only (never with the kit's own reader) and
checked against what is known independently: the element order of the MSPDI
schema (typed here from ``mspdi_pj12.xsd``), dates worked out by hand for a small
network with every link type, a lead/lag and a holiday, and for the bundled
sample the baseline dates of ``tasks.csv`` (the generator's own forward pass).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import shutil
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd
import pytest
from click.testing import CliRunner
from defusedxml import ElementTree  # type: ignore[import-untyped]

from pmo_kit import ValidationError
from pmo_kit.cli_io_msproject_export import export_msproject_command
from pmo_kit.data.portfolio import Portfolio, load_portfolio
from pmo_kit.io.msproject.writer import msproject_xml, write_msproject
from pmo_kit.schedule.calendar import WorkCalendar

if TYPE_CHECKING:
    from xml.etree.ElementTree import Element

NS = "{http://schemas.microsoft.com/project}"


def _names(text: str) -> list[str]:
    return text.split()


# Element order of mspdi_pj12.xsd (only the elements a writer may use; the file
# must list its elements as a subsequence of these).
PROJECT_ORDER = _names("""
SaveVersion UID Name Title Subject Category Company Manager Author
CreationDate Revision LastSaved ScheduleFromStart StartDate FinishDate FYStartDate
CriticalSlackLimit CurrencyDigits CurrencySymbol CurrencyCode CurrencySymbolPosition
CalendarUID DefaultStartTime DefaultFinishTime MinutesPerDay MinutesPerWeek
DaysPerMonth DefaultTaskType DefaultFixedCostAccrual DefaultStandardRate
DefaultOvertimeRate DurationFormat WorkFormat EditableActualCosts HonorConstraints
EarnedValueMethod InsertedProjectsLikeSummary MultipleCriticalPaths
NewTasksEffortDriven NewTasksEstimated SplitsInProgressTasks SpreadActualCost
SpreadPercentComplete TaskUpdatesResource FiscalYearStart WeekStartDay
MoveCompletedEndsBack MoveRemainingStartsBack MoveRemainingStartsForward
MoveCompletedEndsForward BaselineForEarnedValue AutoAddNewResourcesAndTasks StatusDate
CurrentDate MicrosoftProjectServerURL Autolink NewTaskStartDate DefaultTaskEVMethod
ProjectExternallyEdited ExtendedCreationDate ActualsInSync RemoveFileProperties
AdminProject OutlineCodes WBSMasks ExtendedAttributes Calendars Tasks Resources
Assignments""")
TASK_ORDER = _names("""
UID ID Name Type IsNull CreateDate Contact WBS WBSLevel OutlineNumber
OutlineLevel Priority Start Finish Duration DurationFormat Work Stop Resume ResumeValid
EffortDriven Recurring OverAllocated Estimated Milestone Summary Critical IsSubproject
IsSubprojectReadOnly SubprojectName ExternalTask ExternalTaskProject EarlyStart
EarlyFinish LateStart LateFinish StartVariance FinishVariance WorkVariance FreeSlack
TotalSlack FixedCost FixedCostAccrual PercentComplete PercentWorkComplete Cost
OvertimeCost OvertimeWork ActualStart ActualFinish ActualDuration ActualCost
ActualOvertimeCost ActualWork ActualOvertimeWork RegularWork RemainingDuration
RemainingCost RemainingWork RemainingOvertimeCost RemainingOvertimeWork ACWP CV
ConstraintType CalendarUID ConstraintDate Deadline LevelAssignments LevelingCanSplit
LevelingDelay LevelingDelayFormat PreLeveledStart PreLeveledFinish Hyperlink
HyperlinkAddress HyperlinkSubAddress IgnoreResourceCalendar Notes HideBar Rollup BCWS
BCWP PhysicalPercentComplete EarnedValueMethod PredecessorLink ActualWorkProtected
ActualOvertimeWorkProtected ExtendedAttribute Baseline OutlineCode""")
LINK_ORDER = _names(
    "PredecessorUID Type CrossProject CrossProjectName LinkLag LagFormat"
)
BASELINE_ORDER = _names("""
TimephasedData Number Interim Start Finish Duration DurationFormat
EstimatedDuration Work Cost BCWS BCWP FixedCost""")
RESOURCE_ORDER = _names("""
UID ID Name Type IsNull Initials Phonetics NTAccount MaterialLabel
Code Group WorkGroup EmailAddress Hyperlink HyperlinkAddress HyperlinkSubAddress
MaxUnits PeakUnits OverAllocated AvailableFrom AvailableTo Start Finish CanLevel
AccrueAt Work RegularWork OvertimeWork ActualWork RemainingWork ActualOvertimeWork
RemainingOvertimeWork PercentWorkComplete StandardRate StandardRateFormat Cost
OvertimeRate OvertimeRateFormat OvertimeCost CostPerUse ActualCost ActualOvertimeCost
RemainingCost RemainingOvertimeCost WorkVariance CostVariance SV CV ACWP CalendarUID
Notes BCWS BCWP IsGeneric IsInactive IsEnterprise BookingType ActualWorkProtected
ActualOvertimeWorkProtected ActiveDirectoryGUID CreationDate ExtendedAttribute
Baseline""")
ASSIGNMENT_ORDER = _names("""
UID TaskUID ResourceUID PercentWorkComplete ActualCost
ActualFinish ActualOvertimeCost ActualOvertimeWork ActualStart ActualWork ACWP Confirmed
Cost CostRateTable CostVariance CV Delay Finish FinishVariance Hyperlink
HyperlinkAddress HyperlinkSubAddress WorkVariance HasFixedRateUnits FixedMaterial
LevelingDelay LevelingDelayFormat LinkedFields Milestone Notes Overallocated
OvertimeCost OvertimeWork PeakUnits RegularWork RemainingCost RemainingOvertimeCost
RemainingOvertimeWork RemainingWork ResponsePending Start Stop Resume StartVariance
Summary SV Units UpdateNeeded VAC Work WorkContour""")
CALENDAR_ORDER = _names("UID Name IsBaseCalendar BaseCalendarUID WeekDays Exceptions")
EXT_ATTRIBUTE_ORDER = _names("FieldID FieldName CFType Guid ElemType Alias")


def _local(element: Element) -> str:
    assert element.tag.startswith(NS), element.tag
    return element.tag[len(NS) :]


def _assert_schema_order(element: Element, order: list[str]) -> None:
    """The children's names must appear in ``order``'s order (repeats allowed)."""
    rank = [order.index(_local(child)) for child in element]
    assert rank == sorted(rank), [_local(c) for c in element]


def _text(element: Element, tag: str) -> str:
    found = element.find(NS + tag)
    assert found is not None, tag
    return found.text or ""


def _tasks_by_name(root: Element) -> dict[str, Element]:
    tasks = root.find(NS + "Tasks")
    assert tasks is not None
    return {_text(t, "Name"): t for t in tasks.findall(NS + "Task")}


@pytest.fixture(scope="module")
def sample() -> Portfolio:
    return load_portfolio()


@pytest.fixture(scope="module")
def p001(sample: Portfolio) -> Element:
    root: Element = ElementTree.fromstring(msproject_xml(sample, "P-001").xml)
    return root


def test_root_is_a_project_in_the_mspdi_namespace(sample: Portfolio) -> None:
    xml = msproject_xml(sample, "P-001").xml
    assert xml.startswith(b'<?xml version="1.0" encoding="UTF-8"')
    root = ElementTree.fromstring(xml)
    assert root.tag == NS + "Project"


def test_every_element_is_in_schema_order(p001: Element) -> None:
    _assert_schema_order(p001, PROJECT_ORDER)
    for task in p001.iter(NS + "Task"):
        _assert_schema_order(task, TASK_ORDER)
    for link in p001.iter(NS + "PredecessorLink"):
        _assert_schema_order(link, LINK_ORDER)
    for baseline in p001.iter(NS + "Baseline"):
        _assert_schema_order(baseline, BASELINE_ORDER)
    for resource in p001.iter(NS + "Resource"):
        _assert_schema_order(resource, RESOURCE_ORDER)
    for assignment in p001.iter(NS + "Assignment"):
        _assert_schema_order(assignment, ASSIGNMENT_ORDER)
    for calendar in p001.iter(NS + "Calendar"):
        _assert_schema_order(calendar, CALENDAR_ORDER)
    attributes = p001.find(NS + "ExtendedAttributes")
    assert attributes is not None
    for attribute in attributes:
        _assert_schema_order(attribute, EXT_ATTRIBUTE_ORDER)


def test_counts_match_the_dataset(sample: Portfolio, p001: Element) -> None:
    tasks = sample.tasks[sample.tasks["project_id"] == "P-001"]
    links = sample.dependencies[sample.dependencies["project_id"] == "P-001"]
    assignments = sample.assignments[sample.assignments["project_id"] == "P-001"]
    groups = {str(w).split(".")[0] for w in tasks["wbs"]}  # 1..6, no kit rows
    all_tasks = list(p001.iter(NS + "Task"))
    # the project summary (UID 0) + one summary per WBS group + the kit's tasks
    assert len(all_tasks) == 1 + len(groups) + len(tasks)
    assert _text(all_tasks[0], "UID") == "0"
    assert _text(all_tasks[0], "OutlineLevel") == "0"
    assert len(list(p001.iter(NS + "PredecessorLink"))) == len(links)
    assert len(list(p001.iter(NS + "Assignment"))) == len(assignments)
    assert len(list(p001.iter(NS + "Resource"))) == assignments["resource_id"].nunique()
    kit_ids = [
        _text(e, "Value")
        for t in all_tasks
        for e in t.findall(NS + "ExtendedAttribute")
        if _text(e, "FieldID") == "188743731"
    ]
    assert sorted(kit_ids) == sorted(tasks["task_id"])


def test_dates_equal_the_sample_baseline(sample: Portfolio, p001: Element) -> None:
    # datasets/README.md: baseline dates come from a forward pass from the project
    # start, so the kit's CPM dates must equal them (a milestone at 17:00 of the
    # day its predecessors finish).
    tasks = sample.tasks[sample.tasks["project_id"] == "P-001"]
    by_name = _tasks_by_name(p001)
    for row in tasks.to_dict("records"):
        task_id, days = str(row["task_id"]), int(row["duration"])
        task = by_name[str(row["name"])]
        start = dt.datetime.fromisoformat(_text(task, "Start"))
        finish = dt.datetime.fromisoformat(_text(task, "Finish"))
        assert finish.date() == pd.Timestamp(row["baseline_finish"]).date(), task_id
        assert finish.time() == dt.time(17), task_id
        if days:
            assert start.date() == pd.Timestamp(row["baseline_start"]).date(), task_id
            assert start.time() == dt.time(8), task_id
            assert _text(task, "Duration") == f"PT{8 * days}H0M0S"
        else:
            assert start == finish
            assert _text(task, "Milestone") == "1"
    project = sample.project("P-001")
    assert _text(p001, "StartDate") == f"{project['start'].date()}T08:00:00"
    assert _text(p001, "FinishDate") == f"{project['planned_finish'].date()}T17:00:00"
    assert _text(p001, "StatusDate") == "2026-06-26T17:00:00"


def test_leads_and_lags_in_tenths_of_minutes(p001: Element) -> None:
    # P-001 (tasks.csv / dependencies.csv): T007 -> T008 FS -2, T008 -> T009 FS +4,
    # T019 -> T020 FF +1; 1 day = 480 minutes = 4800 tenths.
    by_name = _tasks_by_name(p001)
    uid = {_text(t, "Name"): _text(t, "UID") for t in by_name.values()}

    def links_of(name: str) -> dict[str, tuple[str, str]]:
        return {
            _text(k, "PredecessorUID"): (_text(k, "Type"), _text(k, "LinkLag"))
            for k in by_name[name].findall(NS + "PredecessorLink")
        }

    procurement = "Agree procurement strategy with Lumen Digital"
    assert links_of(procurement)[uid["Build schedule and resource plan"]] == (
        "1",
        "-9600",
    )
    assert links_of("Set up RAID log and reporting")[uid[procurement]] == (
        "1",
        "19200",
    )
    assert links_of("Accessibility review (WCAG 2.2)")[
        uid["Feature: service notifications"]
    ] == ("0", "4800")


def _small_plan(sample: Portfolio) -> Portfolio:
    """Four tasks from Monday 2027-03-01, every link type worked by hand."""
    projects = sample.projects[sample.projects["project_id"] == "P-001"].copy()
    projects["start"] = pd.Timestamp("2027-03-01")
    tasks = pd.DataFrame(
        {
            "project_id": "P-001",
            "task_id": ["A", "B", "C", "D"],
            "name": ["Alpha", "Bravo", "Charlie & <co>", "Delta"],
            "wbs": ["1.1", "1.2", "2.1", "2.2"],
            "duration": [3, 2, 0, 4],
            "baseline_start": pd.NaT,
            "baseline_finish": pd.NaT,
            "percent_complete": [100.0, 50.0, 0.0, 0.0],
            "actual_start": pd.to_datetime(["2027-03-01", "2027-03-02", "NaT", "NaT"]),
            "actual_finish": pd.to_datetime(["2027-03-04", "NaT", "NaT", "NaT"]),
            "budgeted_cost": [1000.0, 250.5, 0.0, 10.0],
        }
    )
    links = pd.DataFrame(
        {
            "project_id": "P-001",
            "predecessor": ["A", "B", "A"],
            "successor": ["B", "C", "D"],
            "type": ["SS", "FS", "FF"],
            "lag": [1, 0, 2],
        }
    )
    assignments = pd.DataFrame(
        {
            "project_id": "P-001",
            "task_id": ["A"],
            "resource_id": [str(sample.resources["resource_id"].iloc[0])],
            "units": [0.5],
            "hours": [5.8],
        }
    )
    return dataclasses.replace(
        sample,
        projects=projects,
        tasks=tasks,
        dependencies=links,
        assignments=assignments,
    )


def test_small_plan_dates_worked_by_hand(sample: Portfolio) -> None:
    # Working days from Mon 2027-03-01 with Wed 03-03 a holiday:
    # 0=03-01 1=03-02 2=03-04 3=03-05 4=03-08.
    # A: days 0-2 -> 03-01 08:00 .. 03-04 17:00.
    # B: SS+1 after A -> days 1-2 -> 03-02 08:00 .. 03-04 17:00.
    # C: milestone FS after B -> 17:00 of B's last day, 03-04.
    # D: FF+2 after A: finishes 2 days after A (day 4), 4 days long -> days 1-4.
    export = msproject_xml(
        _small_plan(sample), "P-001", calendar=WorkCalendar(holidays=["2027-03-03"])
    )
    root = ElementTree.fromstring(export.xml)
    by_name = _tasks_by_name(root)
    expected = {
        "Alpha": ("2027-03-01T08:00:00", "2027-03-04T17:00:00"),
        "Bravo": ("2027-03-02T08:00:00", "2027-03-04T17:00:00"),
        "Charlie & <co>": ("2027-03-04T17:00:00", "2027-03-04T17:00:00"),
        "Delta": ("2027-03-02T08:00:00", "2027-03-08T17:00:00"),
        "WBS 1": ("2027-03-01T08:00:00", "2027-03-04T17:00:00"),
        "WBS 2": ("2027-03-02T08:00:00", "2027-03-08T17:00:00"),
        "Customer Portal Relaunch": ("2027-03-01T08:00:00", "2027-03-08T17:00:00"),
    }
    got = {n: (_text(t, "Start"), _text(t, "Finish")) for n, t in by_name.items()}
    assert got == expected
    # Outline: project, WBS 1, Alpha, Bravo, WBS 2, Charlie, Delta.
    names = [_text(t, "Name") for t in root.iter(NS + "Task")]
    assert names == [
        "Customer Portal Relaunch",
        "WBS 1",
        "Alpha",
        "Bravo",
        "WBS 2",
        "Charlie & <co>",
        "Delta",
    ]
    levels = [_text(t, "OutlineLevel") for t in root.iter(NS + "Task")]
    assert levels == ["0", "1", "2", "2", "1", "2", "2"]
    assert [_text(t, "Summary") for t in root.iter(NS + "Task")] == [
        "1", "1", "0", "0", "1", "0", "0"
    ]  # fmt: skip
    uid = {n: _text(t, "UID") for n, t in by_name.items()}
    bravo = by_name["Bravo"].find(NS + "PredecessorLink")
    delta = by_name["Delta"].find(NS + "PredecessorLink")
    assert bravo is not None
    assert delta is not None
    assert [_text(bravo, k) for k in ("PredecessorUID", "Type", "LinkLag")] == [
        uid["Alpha"], "3", "4800"
    ]  # fmt: skip
    assert [_text(delta, k) for k in ("PredecessorUID", "Type", "LinkLag")] == [
        uid["Alpha"], "0", "9600"
    ]  # fmt: skip
    alpha = by_name["Alpha"]
    assert _text(alpha, "PercentComplete") == "100"
    assert _text(alpha, "ActualFinish") == "2027-03-04T17:00:00"
    baseline = by_name["Bravo"].find(NS + "Baseline")
    assert baseline is not None
    assert _text(baseline, "Cost") == "25050"  # hundredths, as MS Project writes
    assert by_name["Charlie & <co>"].find(NS + "ActualStart") is None
    # The holiday is a non-working exception day of the calendar.
    exceptions = [w for w in root.iter(NS + "WeekDay") if _text(w, "DayType") == "0"]
    assert len(exceptions) == 1
    period = exceptions[0].find(NS + "TimePeriod")
    assert period is not None
    assert _text(period, "FromDate").startswith("2027-03-03")
    assert _text(exceptions[0], "DayWorking") == "0"
    assignment = next(root.iter(NS + "Assignment"))
    assert _text(assignment, "Units") == "0.5"
    assert _text(assignment, "Work") == "PT5H48M0S"  # 5.8 h
    assert _text(assignment, "Start") == "2027-03-01T08:00:00"


def test_write_is_atomic_and_an_unknown_project_writes_nothing(
    sample: Portfolio, tmp_path: Path
) -> None:
    target = tmp_path / "plan.xml"
    target.write_bytes(b"old")
    with pytest.raises(Exception, match="'P-999' is not a project"):
        write_msproject(sample, "P-999", target)
    assert target.read_bytes() == b"old"
    write_msproject(sample, "P-002", target)
    assert ElementTree.parse(target).getroot().tag == NS + "Project"
    assert [p.name for p in tmp_path.iterdir()] == ["plan.xml"]


def test_cli_writes_the_file_and_reports(tmp_path: Path) -> None:
    from pmo_kit.data.portfolio import bundled_dataset_path

    out = tmp_path / "p1.xml"
    result = CliRunner().invoke(
        export_msproject_command,
        [str(bundled_dataset_path()), "--project", "P-001", "-o", str(out)],
    )
    assert result.exit_code == 0, result.output
    assert "33 tasks" in result.output
    assert out.is_file()


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (["--project", "P-999"], "'P-999' is not a project"),
        (["--project", "P-001", "--dataset-missing"], "No such option"),
    ],
)
def test_cli_bad_input_is_one_line(
    tmp_path: Path, args: list[str], needle: str
) -> None:
    from pmo_kit.data.portfolio import bundled_dataset_path

    out = tmp_path / "p.xml"
    result = CliRunner().invoke(
        export_msproject_command,
        [str(bundled_dataset_path()), *args, "-o", str(out)],
    )
    assert result.exit_code != 0
    assert needle in result.output
    assert "Traceback" not in result.output
    assert not out.exists()


def test_cli_missing_dataset_is_one_line(tmp_path: Path) -> None:
    result = CliRunner().invoke(
        export_msproject_command,
        [str(tmp_path / "nope"), "--project", "P-001", "-o", str(tmp_path / "x.xml")],
    )
    assert result.exit_code == 1
    lines = result.output.strip().splitlines()
    assert len(lines) == 1
    assert "is not a dataset folder" in lines[0]


# --- Round trips through the kit's importer (pmo-kit import msproject) ----------

EXTERNAL = Path(__file__).resolve().parents[2] / ".." / "shared" / "datasets-external"
#: Not in MSPDI: written nowhere, so an import gives the importer's defaults.
NOT_IN_MSPDI = {
    "projects": [
        "sponsor",
        "methodology",
        "strategic_alignment",
        "business_value",
        "expected_benefit",
    ],
    "tasks": ["optimistic", "most_likely", "pessimistic"],
}
PLAN_TABLES = ("projects", "tasks", "dependencies", "resources", "assignments")


def _import(plan: Path, into: Path) -> None:
    from pmo_kit.cli_io_msproject import import_msproject

    result = CliRunner().invoke(
        import_msproject, [str(plan), "--into", str(into), "--project-id", "P-001"]
    )
    assert result.exit_code == 0, result.output


def _project_rows(portfolio: Portfolio, table: str) -> pd.DataFrame:
    frame = getattr(portfolio, table)
    if table == "resources":  # only the project's people are written
        used = set(
            portfolio.assignments.loc[
                portfolio.assignments["project_id"] == "P-001", "resource_id"
            ]
        )
        used.add(str(portfolio.project("P-001")["manager"]))
        frame = frame[frame["resource_id"].isin(used)]
        # ids are given by the dataset the plan goes into: compare people by name
        frame = frame.drop(columns="resource_id")
    elif table == "projects":
        frame = frame[frame["project_id"] == "P-001"].copy()
        names = dict(
            zip(
                portfolio.resources["resource_id"],
                portfolio.resources["name"],
                strict=True,
            )
        )
        frame["manager"] = frame["manager"].map(names)
    elif table == "assignments":
        frame = frame[frame["project_id"] == "P-001"].copy()
        names = dict(
            zip(
                portfolio.resources["resource_id"],
                portfolio.resources["name"],
                strict=True,
            )
        )
        frame["resource_id"] = frame["resource_id"].map(names)
    else:
        frame = frame[frame["project_id"] == "P-001"]
    frame = frame.drop(columns=NOT_IN_MSPDI.get(table, []))
    keys = list(frame.columns[:3])
    sorted_frame: pd.DataFrame = frame.sort_values(keys).reset_index(drop=True)
    return sorted_frame


def _assert_same_plan(before: Portfolio, after: Portfolio) -> None:
    for table in PLAN_TABLES:
        pd.testing.assert_frame_equal(
            _project_rows(before, table),
            _project_rows(after, table),
            check_dtype=False,
            obj=table,
        )


def test_round_trip_of_the_sample_project(tmp_path: Path) -> None:
    from pmo_kit.data.portfolio import bundled_dataset_path

    folder = tmp_path / "dataset"
    shutil.copytree(bundled_dataset_path(), folder)
    before = load_portfolio(folder)
    write_msproject(before, "P-001", tmp_path / "p1.xml")
    _import(tmp_path / "p1.xml", folder)  # replaces P-001 in the same dataset
    _assert_same_plan(before, load_portfolio(folder))


def test_round_trip_of_a_generated_100_task_plan(tmp_path: Path) -> None:
    from bench.bench_msproject import synthetic_plan
    from pmo_kit.data.portfolio import save_portfolio

    folder = tmp_path / "dataset"
    save_portfolio(synthetic_plan(100, seed=5), folder)
    before = load_portfolio(folder)
    links = before.dependencies[before.dependencies["project_id"] == "P-001"]
    assert set(links["type"]) == {"FS", "SS", "FF", "SF"}
    assert (links["lag"] < 0).any()
    assert (links["lag"] > 0).any()
    write_msproject(before, "P-001", tmp_path / "plan.xml")
    _import(tmp_path / "plan.xml", folder)
    _assert_same_plan(before, load_portfolio(folder))


@pytest.mark.parametrize(
    "name",
    [
        "baselines.xml",
        "mspdirelations.xml",
        "mspdiresource.xml",
        "sample.xml",
        "task-links-project2019-mspdi.xml",
    ],
)
def test_import_export_import_of_real_ms_project_files(
    tmp_path: Path, name: str
) -> None:
    # Files saved by MS Project itself (MPXJ's test suite); see their README.
    source = EXTERNAL / "msproject" / name
    if not source.is_file():
        pytest.skip(f"{source} is not on this machine")
    _import(source, tmp_path / "first")
    first = load_portfolio(tmp_path / "first")
    write_msproject(first, "P-001", tmp_path / "again.xml")
    _import(tmp_path / "again.xml", tmp_path / "second")
    _assert_same_plan(first, load_portfolio(tmp_path / "second"))


def test_a_cycle_is_one_clear_error(sample: Portfolio, tmp_path: Path) -> None:
    plan = _small_plan(sample)
    back = pd.DataFrame(
        {"project_id": ["P-001"], "predecessor": ["D"], "successor": ["A"]}
    ).assign(type="FS", lag=0)
    cyclic = dataclasses.replace(
        plan, dependencies=pd.concat([plan.dependencies, back], ignore_index=True)
    )
    with pytest.raises(ValidationError, match="cycle"):
        write_msproject(cyclic, "P-001", tmp_path / "x.xml")
    assert not (tmp_path / "x.xml").exists()


def test_a_task_with_sub_tasks_in_the_wbs_is_named(sample: Portfolio) -> None:
    plan = _small_plan(sample)
    tasks = plan.tasks.copy()
    tasks.loc[tasks["task_id"] == "C", "wbs"] = "2"  # C is now the parent of D (2.2)
    export = msproject_xml(dataclasses.replace(plan, tasks=tasks), "P-001")
    assert export.summaries == ["1"]
    assert len(export.warnings) == 1
    assert "'C' (WBS 2)" in export.warnings[0]
    root = ElementTree.fromstring(export.xml)
    charlie = _tasks_by_name(root)["Charlie & <co>"]
    assert _text(charlie, "Summary") == "1"
    assert _text(charlie, "OutlineLevel") == "1"
