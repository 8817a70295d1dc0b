"""
Write one project of a dataset as MS Project XML (MSPDI), the file MS Project opens.

The file holds the project's tasks with their WBS outline, durations, links (all
four types, lags and leads), progress, actual dates and baseline; the resources
assigned to it and the assignments (units and work); and the standard calendar
(Monday to Friday, 08:00-12:00 and 13:00-17:00, the kit's holidays as exceptions).
Start and finish dates are the kit's critical-path dates from the project start
(:func:`pmo_kit.schedule.critical_path`), with MS Project's clock: a task starts at
08:00 of its first working day and finishes at 17:00 of its last one; a milestone
sits at 17:00 of the day its predecessors finish (08:00 of the start day when it
has none), which is the same working instant as 08:00 of the next working day.

MS Project reads MSPDI strictly: elements are written in the order of the MSPDI
schema (``mspdi_pj12.xsd``), in the namespace :data:`NAMESPACE`. Durations and
work are ISO 8601 (``PT72H0M0S`` = 9 days of 8 hours), link lags are in tenths of
a minute (``LagFormat`` 7 = shown in days), costs in hundredths of the currency
unit (as MS Project itself writes them) and rates per hour.

What MSPDI cannot hold the way the kit does:

- task and resource ids: MSPDI ids are numbers (``UID``). A task id ``T`` + digits
  (``T007``) keeps its number as UID, other ids are numbered in table order;
  the kit's ids are also kept in the custom field Text1 of each task and
  resource (alias "Kit task id", "Kit resource id");
- WBS groups: the kit has no rows for them (a task ``1.1`` needs no task ``1``);
  MS Project needs a summary task for every level, so one named ``WBS 1`` is
  added for each missing group; a kit task whose WBS is the prefix of another's
  becomes a summary in MS Project (a warning names it);
- the programme is written as Category and Company; sponsor, methodology,
  strategic scores and expected benefit, three-point estimates, resource skills,
  resources with no assignment in the project other than its manager (the
  dataset's resource table is the whole organisation's), calendars other than
  the standard one and every non-plan table (risks, status, ...) are not
  written.
"""

from __future__ import annotations

import datetime as dt
import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from pmo_kit._errors import ValidationError
from pmo_kit.data.atomic import atomic_write_bytes
from pmo_kit.schedule.calendar import WorkCalendar
from pmo_kit.schedule.cpm import critical_path

if TYPE_CHECKING:
    import os
    from collections.abc import Callable

    from pmo_kit.data.portfolio import Portfolio

__all__ = [
    "LINK_TYPE_CODES",
    "MINUTES_PER_DAY",
    "NAMESPACE",
    "RESOURCE_TEXT1_FIELD",
    "TASK_TEXT1_FIELD",
    "MSProjectExport",
    "msproject_xml",
    "write_msproject",
]

#: The MSPDI namespace; MS Project refuses a file whose root is not in it.
NAMESPACE = "http://schemas.microsoft.com/project"
#: MSPDI ``PredecessorLink/Type`` codes of the kit's link types.
LINK_TYPE_CODES: dict[str, int] = {"FF": 0, "FS": 1, "SF": 2, "SS": 3}
#: Working minutes in a day of the standard calendar (08:00-12:00, 13:00-17:00).
MINUTES_PER_DAY = 480
#: Field id of the task custom field Text1 (``pjCustomTaskText1``).
TASK_TEXT1_FIELD = "188743731"
#: Field id of the resource custom field Text1 (``pjCustomResourceText1``).
RESOURCE_TEXT1_FIELD = "205520904"

_DECLARATION = b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
_KIT_TASK_ID = re.compile(r"T\d{3,}")
_DAY_START = "08:00:00"
_DAY_FINISH = "17:00:00"
_WORKING_TIMES = (("08:00:00", "12:00:00"), ("13:00:00", "17:00:00"))
_CALENDAR_UID = 1
_LAG_FORMAT_DAYS = 7
_DURATION_FORMAT_DAYS = 7


@dataclass(frozen=True)
class MSProjectExport:
    """
    One project written as MSPDI.

    Attributes
    ----------
    xml
        The document, UTF-8 with an XML declaration.
    task_uids
        MSPDI ``UID`` of each kit task id.
    resource_uids
        MSPDI ``UID`` of each kit resource id written.
    summaries
        WBS codes of the summary tasks added for WBS groups with no kit task.
    warnings
        What MS Project will show differently from the kit, one line each.
    """

    xml: bytes
    task_uids: dict[str, int]
    resource_uids: dict[str, int]
    summaries: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def _hours_text(minutes: int) -> str:
    """ISO 8601 duration of whole minutes, as MS Project writes it."""
    sign = "-" if minutes < 0 else ""
    hours, rest = divmod(abs(minutes), 60)
    return f"{sign}PT{hours}H{rest}M0S"


def _number(value: float) -> str:
    """Shortest text of a number (no trailing ``.0``)."""
    text = format(float(value), ".15g")
    return text


def _wbs_key(wbs: str) -> tuple[int, ...]:
    return tuple(int(part) for part in wbs.split("."))


class _Builder:
    """Append child elements in order; ``None`` values are left out."""

    def __init__(self, parent: ET.Element) -> None:
        self.parent = parent

    def add(self, tag: str, value: object = None) -> ET.Element:
        child = ET.SubElement(self.parent, tag)
        if value is not None:
            child.text = value if isinstance(value, str) else str(value)
        return child

    def maybe(self, tag: str, value: object) -> None:
        if value is not None:
            self.add(tag, value)


def msproject_xml(
    portfolio: Portfolio,
    project_id: str,
    *,
    calendar: WorkCalendar | None = None,
) -> MSProjectExport:
    """
    Build the MSPDI document of one project.

    Parameters
    ----------
    portfolio
        A validated portfolio (:func:`pmo_kit.load_portfolio`).
    project_id
        The project to write.
    calendar
        Working days; its holidays become calendar exceptions. Default: Monday to
        Friday without holidays (the kit's convention).

    Returns
    -------
    MSProjectExport
        The XML bytes, the UIDs given to tasks and resources, and warnings.

    Raises
    ------
    ValidationError
        ``project_id`` is not in the portfolio, the project has no task, or its
        links form a cycle.
    """
    calendar = calendar or WorkCalendar()
    project = portfolio.project(project_id)
    tasks = portfolio.tasks[portfolio.tasks["project_id"] == project_id].reset_index(
        drop=True
    )
    if tasks.empty:
        msg = (
            f"project {project_id!r} has no task in tasks.csv; nothing to export. "
            "Allowed: a project with at least one task"
        )
        raise ValidationError(msg)
    links = portfolio.dependencies[
        portfolio.dependencies["project_id"] == project_id
    ].reset_index(drop=True)
    assignments = portfolio.assignments[
        portfolio.assignments["project_id"] == project_id
    ].reset_index(drop=True)
    start = pd.Timestamp(project["start"])
    schedule = critical_path(
        tasks[["task_id", "duration"]],
        links[["predecessor", "successor", "type", "lag"]],
        start=start,
        calendar=calendar,
    )
    days = [
        str(day)[:10]
        for day in calendar.dates(
            start, np.arange(0, int(schedule["early_finish"].max()) + 2)
        ).date
    ]
    task_ids = [str(t) for t in tasks["task_id"]]
    task_uids = _task_uids(task_ids)

    def start_at(offset: int) -> str:
        return f"{days[offset]}T{_DAY_START}"

    def finish_at(offset: int) -> str:
        """Finish instant of a task ending at working-day offset ``offset``."""
        if offset == 0:
            return start_at(0)
        return f"{days[offset - 1]}T{_DAY_FINISH}"

    first_day = calendar.first_working_day(start).date()

    def date_start(value: object) -> str | None:
        day = _date(value)
        return None if day is None else f"{day.isoformat()}T{_DAY_START}"

    def date_finish(value: object, milestone: bool) -> str | None:
        day = _date(value)
        if day is None:
            return None
        clock = _DAY_START if milestone and day <= first_day else _DAY_FINISH
        return f"{day.isoformat()}T{clock}"

    warnings: list[str] = []
    # Outline: kit tasks in WBS order plus a summary for every missing WBS group.
    by_wbs: dict[str, list[int]] = {}
    for i, wbs in enumerate(tasks["wbs"].astype(str)):
        by_wbs.setdefault(wbs, []).append(i)
    groups: set[str] = set()
    for wbs in by_wbs:
        parts = wbs.split(".")
        groups.update(".".join(parts[:k]) for k in range(1, len(parts)))
    summaries = sorted(groups - by_wbs.keys(), key=_wbs_key)
    for wbs in sorted(groups & by_wbs.keys(), key=_wbs_key):
        for i in by_wbs[wbs]:
            warnings.append(
                f"task {task_ids[i]!r} (WBS {wbs}) has sub-tasks in the WBS: MS "
                "Project shows it as a summary task and rolls its dates up from them"
            )
    order: list[tuple[tuple[int, ...], int, str]] = [
        (_wbs_key(wbs), 0, wbs) for wbs in summaries
    ]
    order += [(_wbs_key(wbs), 1, wbs) for wbs in by_wbs]
    order.sort()

    es = schedule["early_start"].to_numpy().astype("int64")
    ef = schedule["early_finish"].to_numpy().astype("int64")
    critical = schedule["critical"].to_numpy()
    durations = tasks["duration"].to_numpy().astype("int64")
    project_finish = int(ef.max())

    def span(prefix: str) -> tuple[int, int]:
        members = [
            i
            for wbs, rows in by_wbs.items()
            if wbs.startswith(prefix + ".")
            for i in rows
        ]
        return int(es[members].min()), int(ef[members].max())

    root = ET.Element("Project", {"xmlns": NAMESPACE})
    b = _Builder(root)
    name = str(project["name"])
    b.add("SaveVersion", 14)
    b.add("Name", name)
    b.add("Title", name)
    # The programme goes in Category and in Company, which the kit's importer
    # reads as the programme (MSPDI has no programme field).
    programme = _text(project.get("programme"))
    b.maybe("Category", programme)
    b.maybe("Company", programme)
    manager = _resource_name(portfolio, project.get("manager"))
    b.maybe("Manager", manager)
    b.add("ScheduleFromStart", 1)
    b.add("StartDate", start_at(0))
    # The project's planned finish (its target); MS Project recomputes the
    # finish of a plan scheduled from its start, and the tasks carry CPM dates.
    planned = _date(project.get("planned_finish"))
    b.add(
        "FinishDate",
        finish_at(project_finish) if planned is None else f"{planned}T{_DAY_FINISH}",
    )
    b.add("CurrencyDigits", 2)
    b.add("CurrencyCode", portfolio.currency)
    b.add("CalendarUID", _CALENDAR_UID)
    b.add("DefaultStartTime", _DAY_START)
    b.add("DefaultFinishTime", _DAY_FINISH)
    b.add("MinutesPerDay", MINUTES_PER_DAY)
    b.add("MinutesPerWeek", MINUTES_PER_DAY * 5)
    b.add("DaysPerMonth", 20)
    b.add("DefaultTaskType", 1)
    b.add("DurationFormat", _DURATION_FORMAT_DAYS)
    b.add("WorkFormat", 2)
    b.add("HonorConstraints", 0)
    b.add("NewTasksEffortDriven", 0)
    b.add("WeekStartDay", 1)
    status_date = project.get("status_date")
    if status_date is not None and not pd.isna(status_date):
        b.add("StatusDate", f"{pd.Timestamp(status_date).date()}T{_DAY_FINISH}")
    attributes = b.add("ExtendedAttributes")
    for field_id, alias in (
        (TASK_TEXT1_FIELD, "Kit task id"),
        (RESOURCE_TEXT1_FIELD, "Kit resource id"),
    ):
        ab = _Builder(ET.SubElement(attributes, "ExtendedAttribute"))
        ab.add("FieldID", field_id)
        ab.add("FieldName", "Text1")
        ab.add("Alias", alias)
    _calendars(b.add("Calendars"), calendar)

    task_list = b.add("Tasks")
    _summary_task(
        task_list,
        0,
        0,
        name,
        "0",
        "0",
        0,
        start_at(0),
        finish_at(project_finish),
        project_finish,
    )
    position = 0
    outline: list[int] = []
    task_rows = tasks.to_dict("records")
    link_rows = links.to_dict("records")
    preds: dict[int, list[int]] = {}
    for j, succ in enumerate(links["successor"].astype(str)):
        preds.setdefault(task_uids[succ], []).append(j)
    summary_uid = max(task_uids.values())
    for key, is_task, wbs in order:
        level = len(key)
        del outline[level:]
        while len(outline) < level:
            outline.append(0)
        outline[level - 1] += 1
        number = ".".join(str(n) for n in outline)
        if not is_task:
            summary_uid += 1
            position += 1
            first, last = span(wbs)
            _summary_task(
                task_list,
                summary_uid,
                position,
                f"WBS {wbs}",
                wbs,
                number,
                level,
                start_at(first),
                finish_at(last),
                last - first,
            )
            continue
        for i in by_wbs[wbs]:
            position += 1
            row = task_rows[i]
            d = int(durations[i])
            milestone = d == 0
            if milestone:
                begin = finish = finish_at(int(es[i]))
            else:
                begin, finish = start_at(int(es[i])), finish_at(int(ef[i]))
            tb = _task_head(
                task_list,
                (task_uids[task_ids[i]], position, str(row["name"])),
                (wbs, number, level),
                (begin, finish, d),
                milestone=milestone,
                summary=wbs in groups,
            )
            tb.add("Critical", int(bool(critical[i])))
            tb.add("PercentComplete", _whole(row["percent_complete"]))
            tb.maybe("ActualStart", date_start(row["actual_start"]))
            tb.maybe("ActualFinish", date_finish(row["actual_finish"], milestone))
            tb.add("ConstraintType", 0)
            tb.add("CalendarUID", -1)
            for j in preds.get(task_uids[task_ids[i]], []):
                link = link_rows[j]
                lb = _Builder(ET.SubElement(tb.parent, "PredecessorLink"))
                lb.add("PredecessorUID", task_uids[str(link["predecessor"])])
                lb.add("Type", LINK_TYPE_CODES[str(link["type"])])
                lb.add("CrossProject", 0)
                lb.add("LinkLag", int(link["lag"]) * MINUTES_PER_DAY * 10)
                lb.add("LagFormat", _LAG_FORMAT_DAYS)
            eb = _Builder(ET.SubElement(tb.parent, "ExtendedAttribute"))
            eb.add("FieldID", TASK_TEXT1_FIELD)
            eb.add("Value", task_ids[i])
            bb = _Builder(ET.SubElement(tb.parent, "Baseline"))
            bb.add("Number", 0)
            bb.maybe("Start", date_start(row["baseline_start"]))
            bb.maybe("Finish", date_finish(row["baseline_finish"], milestone))
            bb.add("Duration", _hours_text(d * MINUTES_PER_DAY))
            bb.add("DurationFormat", _DURATION_FORMAT_DAYS)
            bb.add("Cost", _cents(row["budgeted_cost"]))

    resource_uids = _resources(
        b.add("Resources"), portfolio, assignments, _text(project.get("manager"))
    )
    _assignments(
        b.add("Assignments"),
        assignments,
        task_uids,
        resource_uids,
        {
            tid: (int(es[i]), int(ef[i]), int(durations[i]))
            for i, tid in enumerate(task_ids)
        },
        start_at,
        finish_at,
    )
    ET.indent(root, space=" ")
    xml = _DECLARATION + ET.tostring(root, encoding="unicode").encode("utf-8")
    return MSProjectExport(
        xml=xml,
        task_uids=task_uids,
        resource_uids=resource_uids,
        summaries=summaries,
        warnings=warnings,
    )


def write_msproject(
    portfolio: Portfolio,
    project_id: str,
    path: str | os.PathLike[str],
    *,
    calendar: WorkCalendar | None = None,
) -> MSProjectExport:
    """
    Write one project as an MS Project XML file, atomically.

    See :func:`msproject_xml` for the content. The file is replaced only when the
    whole document was built; on any error the old file (if any) is untouched.
    """
    export = msproject_xml(portfolio, project_id, calendar=calendar)
    atomic_write_bytes(path, export.xml)
    return export


def _text(value: object) -> str | None:
    if value is None or pd.isna(value):  # type: ignore[call-overload]
        return None
    return str(value)


def _task_uids(task_ids: list[str]) -> dict[str, int]:
    """
    MSPDI UIDs of the kit's tasks.

    Task ids of the form ``T`` + at least three digits (``T001``, as the kit's
    generator and importer make them) keep their number, so that a plan read back
    gets the same ids; any other id scheme is numbered 1, 2, ... in table order.
    """
    numbers = [
        int(t[1:]) if _KIT_TASK_ID.fullmatch(t) and int(t[1:]) > 0 else -1
        for t in task_ids
    ]
    if min(numbers) > 0 and len(set(numbers)) == len(numbers):
        return dict(zip(task_ids, numbers, strict=True))
    return {task_id: i + 1 for i, task_id in enumerate(task_ids)}


def _date(value: object) -> dt.date | None:
    if value is None or value is pd.NaT:
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if pd.isna(value):  # type: ignore[call-overload]
        return None
    return pd.Timestamp(str(value)).date()


def _whole(value: object) -> int:
    if pd.isna(value):  # type: ignore[call-overload]
        return 0
    return round(float(value))  # type: ignore[arg-type]


def _cents(value: object) -> str:
    if pd.isna(value):  # type: ignore[call-overload]
        return "0"
    return _number(round(float(value) * 100, 4))  # type: ignore[arg-type]


def _resource_name(portfolio: Portfolio, resource_id: object) -> str | None:
    if resource_id is None or pd.isna(resource_id):  # type: ignore[call-overload]
        return None
    match = portfolio.resources[portfolio.resources["resource_id"] == resource_id]
    return str(match.iloc[0]["name"]) if len(match) else str(resource_id)


def _summary_task(
    parent: ET.Element,
    uid: int,
    position: int,
    name: str,
    wbs: str,
    number: str,
    level: int,
    begin: str,
    finish: str,
    days: int,
) -> None:
    tb = _task_head(
        parent,
        (uid, position, name),
        (wbs, number, level),
        (begin, finish, days),
        milestone=False,
        summary=True,
    )
    tb.add("ConstraintType", 0)
    tb.add("CalendarUID", -1)


def _task_head(
    parent: ET.Element,
    ids: tuple[int, int, str],
    outline: tuple[str, str, int],
    dates: tuple[str, str, int],
    *,
    milestone: bool,
    summary: bool,
) -> _Builder:
    """Write a Task's elements up to Summary, in the schema's order; return it."""
    uid, position, name = ids
    wbs, number, level = outline
    begin, finish, days = dates
    tb = _Builder(ET.SubElement(parent, "Task"))
    tb.add("UID", uid)
    tb.add("ID", position)
    tb.add("Name", name)
    tb.add("Type", 1)
    tb.add("IsNull", 0)
    tb.add("WBS", wbs)
    tb.add("OutlineNumber", number)
    tb.add("OutlineLevel", level)
    tb.add("Priority", 500)
    tb.add("Start", begin)
    tb.add("Finish", finish)
    tb.add("Duration", _hours_text(days * MINUTES_PER_DAY))
    tb.add("DurationFormat", _DURATION_FORMAT_DAYS)
    tb.add("EffortDriven", 0)
    tb.add("Estimated", 0)
    tb.add("Milestone", int(milestone))
    tb.add("Summary", int(summary))
    return tb


def _calendars(parent: ET.Element, calendar: WorkCalendar) -> None:
    cb = _Builder(ET.SubElement(parent, "Calendar"))
    cb.add("UID", _CALENDAR_UID)
    cb.add("Name", "Standard")
    cb.add("IsBaseCalendar", 1)
    cb.add("BaseCalendarUID", -1)
    week = cb.add("WeekDays")
    mask = np.busdaycalendar(weekmask=calendar.weekmask).weekmask  # Mon..Sun
    # MSPDI DayType: 1 = Sunday .. 7 = Saturday.
    for day_type, working in zip(range(1, 8), [mask[6], *mask[:6]], strict=True):
        wb = _Builder(ET.SubElement(week, "WeekDay"))
        wb.add("DayType", day_type)
        wb.add("DayWorking", int(bool(working)))
        if working:
            times = wb.add("WorkingTimes")
            for begin, end in _WORKING_TIMES:
                tb = _Builder(ET.SubElement(times, "WorkingTime"))
                tb.add("FromTime", begin)
                tb.add("ToTime", end)
    # Holidays as day exceptions (DayType 0): every MS Project version reads them.
    for holiday in sorted({pd.Timestamp(h).date() for h in calendar.holidays}):
        wb = _Builder(ET.SubElement(week, "WeekDay"))
        wb.add("DayType", 0)
        wb.add("DayWorking", 0)
        period = _Builder(wb.add("TimePeriod"))
        period.add("FromDate", f"{holiday.isoformat()}T00:00:00")
        period.add("ToDate", f"{holiday.isoformat()}T23:59:00")


def _resources(
    parent: ET.Element,
    portfolio: Portfolio,
    assignments: pd.DataFrame,
    manager: str | None,
) -> dict[str, int]:
    """Write the people assigned to the project and its manager, in table order."""
    used = set(assignments["resource_id"].astype(str)) | ({manager} - {None})
    resources = portfolio.resources[
        portfolio.resources["resource_id"].astype(str).isin(used)
    ]
    uids: dict[str, int] = {}
    for position, row in enumerate(resources.to_dict("records"), start=1):
        resource_id = str(row["resource_id"])
        uids[resource_id] = position
        rb = _Builder(ET.SubElement(parent, "Resource"))
        rb.add("UID", position)
        rb.add("ID", position)
        rb.add("Name", str(row["name"]))
        rb.add("Type", 1)
        rb.add("IsNull", 0)
        rb.maybe("Group", _text(row.get("role")))
        rb.add("MaxUnits", _number(float(row["capacity_hours"]) / 40))
        rb.add("StandardRate", _number(float(row["cost_rate"])))
        rb.add("StandardRateFormat", 2)
        rb.add("CalendarUID", -1)
        eb = _Builder(ET.SubElement(rb.parent, "ExtendedAttribute"))
        eb.add("FieldID", RESOURCE_TEXT1_FIELD)
        eb.add("Value", resource_id)
    return uids


def _assignments(
    parent: ET.Element,
    assignments: pd.DataFrame,
    task_uids: dict[str, int],
    resource_uids: dict[str, int],
    spans: dict[str, tuple[int, int, int]],
    begin_of: Callable[[int], str],
    end_of: Callable[[int], str],
) -> None:
    for uid, row in enumerate(assignments.to_dict("records"), start=1):
        task_id = str(row["task_id"])
        es, ef, d = spans[task_id]
        ab = _Builder(ET.SubElement(parent, "Assignment"))
        ab.add("UID", uid)
        ab.add("TaskUID", task_uids[task_id])
        ab.add("ResourceUID", resource_uids[str(row["resource_id"])])
        ab.add("Finish", end_of(es) if d == 0 else end_of(ef))
        ab.add("Start", end_of(es) if d == 0 else begin_of(es))
        ab.add("Units", _number(float(row["units"])))
        hours = row["hours"]
        if not pd.isna(hours):
            ab.add("Work", _hours_text(round(float(hours) * 60)))
