"""
Read an MS Project XML file (MSPDI) into a typed :class:`MSProjectPlan`.

Parsing goes through :mod:`defusedxml` only: a file that declares entities (an XML
bomb, an external entity such as ``SYSTEM "file:///etc/passwd"``) or that is not
XML is refused with one line naming the file. Nothing is converted here beyond
types: what the kit can or cannot hold is decided in
:mod:`pmo_kit.io.msproject.to_dataset`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from pmo_kit._errors import ValidationError
from pmo_kit.io.msproject.durations import DurationUnit, duration_unit, iso_minutes

if TYPE_CHECKING:
    import os
    from xml.etree.ElementTree import Element

__all__ = [
    "NAMESPACE",
    "MSPAssignment",
    "MSPCalendar",
    "MSPLink",
    "MSPResource",
    "MSPTask",
    "MSProjectPlan",
    "read_msproject",
]

#: The MSPDI namespace every element lives in.
NAMESPACE = "http://schemas.microsoft.com/project"
_NS = "{" + NAMESPACE + "}"


@dataclass(frozen=True, slots=True)
class MSPLink:
    """One ``PredecessorLink`` of a task: ``type`` is FS, SS, FF or SF."""

    predecessor_uid: int
    successor_uid: int
    type: str
    link_lag: float
    lag_unit: DurationUnit


@dataclass(frozen=True, slots=True)
class MSPTask:
    """One ``Task`` element, typed; dates keep their time of day."""

    uid: int
    id: int | None
    name: str
    wbs: str
    outline_number: str
    outline_level: int
    summary: bool
    milestone: bool
    manual: bool
    active: bool
    is_null: bool
    duration_minutes: float
    duration_text: str
    duration_unit: DurationUnit
    start: dt.datetime | None
    finish: dt.datetime | None
    constraint_type: int
    constraint_date: dt.datetime | None
    percent_complete: float
    actual_start: dt.datetime | None
    actual_finish: dt.datetime | None
    calendar_uid: int
    cost: float  # currency units (MSPDI stores hundredths)
    baseline_start: dt.datetime | None
    baseline_finish: dt.datetime | None
    baseline_cost: float | None
    links: tuple[MSPLink, ...] = ()
    other_baselines: tuple[int, ...] = ()


@dataclass(frozen=True, slots=True)
class MSPCalendar:
    """
    One ``Calendar``: its own week (day 1 = Sunday .. 7 = Saturday) and exceptions.

    ``weekdays`` maps a day number to its working minutes (0 = non-working) for
    the days this calendar sets itself; a derived calendar inherits the others from
    ``base_uid``. ``periods`` holds the same days' working periods (from, to).
    ``exceptions`` lists (from, to, working) date ranges.
    """

    uid: int
    name: str
    is_base: bool
    base_uid: int
    weekdays: dict[int, int] = field(default_factory=dict)
    day_starts: dict[int, dt.time] = field(default_factory=dict)
    exceptions: tuple[tuple[dt.date, dt.date, bool, str], ...] = ()
    work_weeks: int = 0
    periods: dict[int, tuple[tuple[dt.time, dt.time], ...]] = field(
        default_factory=dict
    )


@dataclass(frozen=True, slots=True)
class MSPResource:
    """One ``Resource`` (``type`` 1 = work, 0 = material, 2 = cost)."""

    uid: int
    name: str
    type: int
    group: str
    max_units: float
    standard_rate: float
    calendar_uid: int
    is_null: bool


@dataclass(frozen=True, slots=True)
class MSPAssignment:
    """
    One ``Assignment``: ``units`` as a share (1.0 = 100 %), work in minutes.

    ``has_work`` is False when the file has no ``<Work>`` (TaskJuggler's export).
    """

    task_uid: int
    resource_uid: int
    units: float
    work_minutes: float
    has_work: bool = True


@dataclass(frozen=True)
class MSProjectPlan:
    """Everything the importer reads from one MSPDI file."""

    path: Path
    name: str
    title: str
    manager: str
    company: str
    start: dt.datetime | None
    finish: dt.datetime | None
    status_date: dt.datetime | None
    current_date: dt.datetime | None
    calendar_uid: int
    minutes_per_day: float
    minutes_per_week: float
    default_start_time: dt.time
    default_finish_time: dt.time
    currency: str
    tasks: tuple[MSPTask, ...]
    calendars: dict[int, MSPCalendar]
    resources: tuple[MSPResource, ...]
    assignments: tuple[MSPAssignment, ...]

    @property
    def links(self) -> list[MSPLink]:
        """Every link of every task, in file order."""
        return [link for task in self.tasks for link in task.links]


_LINK_TYPES = {0: "FF", 1: "FS", 2: "SF", 3: "SS"}


class _Where:
    """Builds one-line messages naming the file and the element."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def fail(self, element: str, fieldname: str, value: object, allowed: str) -> None:
        msg = (
            f"{self.path}, {element}, field {fieldname!r}: {value!r} is not valid. "
            f"Allowed: {allowed}"
        )
        raise ValidationError(msg)


def _text(element: Element, tag: str) -> str:
    found = element.find(_NS + tag)
    return (found.text or "").strip() if found is not None else ""


def _int(element: Element, tag: str, where: _Where, label: str, default: int) -> int:
    raw = _text(element, tag)
    if not raw:
        return default
    try:
        return int(raw)
    except ValueError:
        where.fail(label, tag, raw, "a whole number")
    raise AssertionError  # pragma: no cover


def _float(
    element: Element, tag: str, where: _Where, label: str, default: float
) -> float:
    raw = _text(element, tag)
    if not raw:
        return default
    try:
        return float(raw)
    except ValueError:
        where.fail(label, tag, raw, "a number")
    raise AssertionError  # pragma: no cover


def _bool(element: Element, tag: str) -> bool:
    return _text(element, tag).lower() in {"1", "true"}


def _datetime(
    element: Element, tag: str, where: _Where, label: str
) -> dt.datetime | None:
    raw = _text(element, tag)
    if not raw or raw.startswith("NA"):
        return None
    try:
        return dt.datetime.fromisoformat(raw)
    except ValueError:
        where.fail(label, tag, raw, "a date and time such as 2026-01-05T08:00:00")
    raise AssertionError  # pragma: no cover


def _time(raw: str, default: dt.time) -> dt.time:
    try:
        return dt.time.fromisoformat(raw) if raw else default
    except ValueError:
        return default


def _duration(element: Element, tag: str, where: _Where, label: str) -> float:
    raw = _text(element, tag)
    if not raw:
        return 0.0
    try:
        return iso_minutes(raw)
    except ValueError:
        where.fail(label, tag, raw, "an ISO 8601 duration such as PT8H0M0S")
    raise AssertionError  # pragma: no cover


def _unit(element: Element, tag: str, where: _Where, label: str) -> DurationUnit:
    raw = _text(element, tag)
    try:
        return duration_unit(raw)
    except ValueError as exc:
        where.fail(label, tag, raw, str(exc).split("Allowed: ", 1)[-1])
    raise AssertionError  # pragma: no cover


def _parse(path: Path) -> Element:
    from defusedxml import DefusedXmlException  # type: ignore[import-untyped]
    from defusedxml import ElementTree as DefusedET

    try:
        data = path.read_bytes()
    except OSError as exc:
        msg = (
            f"{path}: cannot read the file ({exc.strerror}). "
            "Allowed: an MS Project XML file"
        )
        raise ValidationError(msg) from None
    try:
        root: Element = DefusedET.fromstring(data, forbid_dtd=False)
    except DefusedXmlException as exc:
        msg = (
            f"{path}: refused: the XML declares an entity or external reference "
            f"({type(exc).__name__}), as an XML bomb or an external-entity attack "
            "does. Allowed: MS Project XML, which never declares entities"
        )
        raise ValidationError(msg) from None
    except DefusedET.ParseError as exc:
        msg = (
            f"{path}: not an XML file ({exc}). Allowed: an MS Project XML file "
            "(File > Save As > XML Format)"
        )
        raise ValidationError(msg) from None
    if root.tag != _NS + "Project":
        msg = (
            f"{path}: the root element is {root.tag!r}, not an MS Project plan. "
            f'Allowed: a <Project xmlns="{NAMESPACE}"> document (MSPDI)'
        )
        raise ValidationError(msg)
    return root


def _read_task(element: Element, where: _Where) -> MSPTask:
    uid = _int(element, "UID", where, "a Task", -1)
    label = f"Task UID {uid}"
    if uid < 0:
        where.fail("a Task", "UID", _text(element, "UID"), "a whole number >= 0")
    links = []
    for link in element.findall(_NS + "PredecessorLink"):
        code = _int(link, "Type", where, f"{label} PredecessorLink", 1)
        if code not in _LINK_TYPES:
            where.fail(
                f"{label} PredecessorLink",
                "Type",
                code,
                "0 (FF), 1 (FS), 2 (SF), 3 (SS)",
            )
        pred = _int(link, "PredecessorUID", where, f"{label} PredecessorLink", -1)
        links.append(
            MSPLink(
                predecessor_uid=pred,
                successor_uid=uid,
                type=_LINK_TYPES[code],
                link_lag=_float(link, "LinkLag", where, f"{label} PredecessorLink", 0),
                lag_unit=_unit(link, "LagFormat", where, f"{label} PredecessorLink"),
            )
        )
    baseline = None
    others: list[int] = []
    for candidate in element.findall(_NS + "Baseline"):
        number = _int(candidate, "Number", where, f"{label} Baseline", 0)
        if number == 0:
            baseline = candidate
        else:
            others.append(number)
    base_cost = None
    if baseline is not None and _text(baseline, "Cost"):
        base_cost = _float(baseline, "Cost", where, f"{label} Baseline", 0) / 100
    task_id = _text(element, "ID")
    return MSPTask(
        uid=uid,
        id=int(task_id) if task_id.isdigit() else None,
        name=_text(element, "Name"),
        wbs=_text(element, "WBS"),
        outline_number=_text(element, "OutlineNumber"),
        outline_level=_int(element, "OutlineLevel", where, label, 1),
        summary=_bool(element, "Summary"),
        milestone=_bool(element, "Milestone"),
        manual=_bool(element, "Manual"),
        active=_text(element, "Active") != "0",
        is_null=_bool(element, "IsNull"),
        duration_minutes=_duration(element, "Duration", where, label),
        duration_text=_text(element, "Duration"),
        duration_unit=_unit(element, "DurationFormat", where, label),
        start=_datetime(element, "Start", where, label),
        finish=_datetime(element, "Finish", where, label),
        constraint_type=_int(element, "ConstraintType", where, label, 0),
        constraint_date=_datetime(element, "ConstraintDate", where, label),
        percent_complete=_float(element, "PercentComplete", where, label, 0),
        actual_start=_datetime(element, "ActualStart", where, label),
        actual_finish=_datetime(element, "ActualFinish", where, label),
        calendar_uid=_int(element, "CalendarUID", where, label, -1),
        cost=_float(element, "Cost", where, label, 0) / 100,
        baseline_start=(
            _datetime(baseline, "Start", where, f"{label} Baseline")
            if baseline is not None
            else None
        ),
        baseline_finish=(
            _datetime(baseline, "Finish", where, f"{label} Baseline")
            if baseline is not None
            else None
        ),
        baseline_cost=base_cost,
        links=tuple(links),
        other_baselines=tuple(others),
    )


def _working_minutes(
    day: Element,
) -> tuple[int, dt.time | None, tuple[tuple[dt.time, dt.time], ...]]:
    total = 0
    first: dt.time | None = None
    periods: list[tuple[dt.time, dt.time]] = []
    for period in day.iter(_NS + "WorkingTime"):
        start = _time(_text(period, "FromTime"), dt.time(0))
        end = _time(_text(period, "ToTime"), dt.time(0))
        minutes = (end.hour * 60 + end.minute) - (start.hour * 60 + start.minute)
        if minutes <= 0:
            minutes += 1440
        total += minutes
        periods.append((start, end))
        if first is None or start < first:
            first = start
    return total, first, tuple(periods)


def _date_range(element: Element) -> tuple[dt.date, dt.date] | None:
    period = element.find(_NS + "TimePeriod")
    if period is None:
        return None
    start, end = _text(period, "FromDate"), _text(period, "ToDate")
    try:
        return dt.datetime.fromisoformat(start).date(), dt.datetime.fromisoformat(
            end
        ).date()
    except ValueError:
        return None


def _read_calendar(element: Element, where: _Where) -> MSPCalendar:
    uid = _int(element, "UID", where, "a Calendar", -1)
    weekdays: dict[int, int] = {}
    starts: dict[int, dt.time] = {}
    periods: dict[int, tuple[tuple[dt.time, dt.time], ...]] = {}
    exceptions: list[tuple[dt.date, dt.date, bool, str]] = []
    days = element.find(_NS + "WeekDays")
    for day in days.findall(_NS + "WeekDay") if days is not None else []:
        day_type = _int(day, "DayType", where, f"Calendar UID {uid} WeekDay", -1)
        working = _bool(day, "DayWorking")
        minutes, first, spans = _working_minutes(day) if working else (0, None, ())
        if working and minutes == 0:
            minutes = -1  # working, hours inherited from the default
        if day_type == 0:  # an exception in the older MSPDI layout
            found = _date_range(day)
            if found is not None:
                exceptions.append((found[0], found[1], working, ""))
        elif 1 <= day_type <= 7:
            weekdays[day_type] = minutes
            periods[day_type] = spans
            if first is not None:
                starts[day_type] = first
    block = element.find(_NS + "Exceptions")
    for exception in block.findall(_NS + "Exception") if block is not None else []:
        found = _date_range(exception)
        if found is not None:
            exceptions.append(
                (
                    found[0],
                    found[1],
                    _bool(exception, "DayWorking"),
                    _text(exception, "Name"),
                )
            )
    weeks = element.find(_NS + "WorkWeeks")
    return MSPCalendar(
        uid=uid,
        name=_text(element, "Name"),
        is_base=_bool(element, "IsBaseCalendar"),
        base_uid=_int(element, "BaseCalendarUID", where, f"Calendar UID {uid}", -1),
        weekdays=weekdays,
        day_starts=starts,
        exceptions=tuple(exceptions),
        work_weeks=len(weeks.findall(_NS + "WorkWeek")) if weeks is not None else 0,
        periods=periods,
    )


def read_msproject(path: str | os.PathLike[str]) -> MSProjectPlan:
    """
    Read an MSPDI file (MS Project's "Save As XML") into typed records.

    Parameters
    ----------
    path
        The ``.xml`` file.

    Returns
    -------
    MSProjectPlan
        Project fields, tasks (with their predecessor links), calendars,
        resources and assignments as the file states them.

    Raises
    ------
    ValidationError
        One line naming the file (and element and field): not XML, not an MSPDI
        document, an entity declaration (XML bomb, external entity), or a value
        of the wrong type.
    """
    file = Path(path)
    root = _parse(file)
    where = _Where(file)
    tasks_block = root.find(_NS + "Tasks")
    tasks = tuple(
        _read_task(t, where)
        for t in (tasks_block.findall(_NS + "Task") if tasks_block is not None else [])
    )
    calendars_block = root.find(_NS + "Calendars")
    calendars = {
        c.uid: c
        for c in (
            _read_calendar(e, where)
            for e in (
                calendars_block.findall(_NS + "Calendar")
                if calendars_block is not None
                else []
            )
        )
    }
    resources_block = root.find(_NS + "Resources")
    resources = tuple(
        MSPResource(
            uid=_int(r, "UID", where, "a Resource", -1),
            name=_text(r, "Name"),
            type=_int(r, "Type", where, "a Resource", 1),
            group=_text(r, "Group"),
            max_units=_float(r, "MaxUnits", where, "a Resource", 1.0),
            standard_rate=_float(r, "StandardRate", where, "a Resource", 0.0),
            calendar_uid=_int(r, "CalendarUID", where, "a Resource", -1),
            is_null=_bool(r, "IsNull"),
        )
        for r in (
            resources_block.findall(_NS + "Resource")
            if resources_block is not None
            else []
        )
    )
    assignments_block = root.find(_NS + "Assignments")
    assignments = tuple(
        MSPAssignment(
            task_uid=_int(a, "TaskUID", where, "an Assignment", -1),
            resource_uid=_int(a, "ResourceUID", where, "an Assignment", -65535),
            units=_float(a, "Units", where, "an Assignment", 1.0),
            work_minutes=_duration(a, "Work", where, "an Assignment"),
            has_work=bool(_text(a, "Work")),
        )
        for a in (
            assignments_block.findall(_NS + "Assignment")
            if assignments_block is not None
            else []
        )
    )
    return MSProjectPlan(
        path=file,
        name=_text(root, "Name"),
        title=_text(root, "Title"),
        manager=_text(root, "Manager"),
        company=_text(root, "Company"),
        start=_datetime(root, "StartDate", where, "Project"),
        finish=_datetime(root, "FinishDate", where, "Project"),
        status_date=_datetime(root, "StatusDate", where, "Project"),
        current_date=_datetime(root, "CurrentDate", where, "Project"),
        calendar_uid=_int(root, "CalendarUID", where, "Project", -1),
        minutes_per_day=_float(root, "MinutesPerDay", where, "Project", 480) or 480,
        minutes_per_week=_float(root, "MinutesPerWeek", where, "Project", 2400) or 2400,
        default_start_time=_time(_text(root, "DefaultStartTime"), dt.time(8)),
        default_finish_time=_time(_text(root, "DefaultFinishTime"), dt.time(17)),
        currency=_text(root, "CurrencyCode") or _text(root, "CurrencySymbol"),
        tasks=tasks,
        calendars=calendars,
        resources=resources,
        assignments=assignments,
    )
