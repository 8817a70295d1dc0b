"""
Read an Asana project's CSV export as tasks and dependencies, or as work items.

Asana's "Export > CSV" writes one row per task and subtask with the columns
``Task ID, Created At, Completed At, Last Modified, Name, Section/Column,
Assignee, Assignee Email, Start Date, Due Date, Tags, Notes, Projects, Parent
task, Blocked By (Dependencies), Blocking (Dependencies)`` and then one column
per custom field. Dates are ISO (``2025-03-03``).

Two readings, chosen by ``as_work_items``:

- **Tasks** (a predictive plan). Section *n* is WBS level 1 (``n``); a task is
  ``n.k``; a subtask ``n.k.j`` (its section is its parent's). The duration is the
  number of working days from Start Date to Due Date, both included; a task with
  only a due date lasts one day (its due date); a task tagged ``milestone`` (or
  with a true ``Milestone`` column) is a milestone (duration 0) on its due date.
  A completed task is 100 % complete, finished on its Completed At date and
  started on its planned start (Asana keeps no actual start); any other is 0 %
  (Asana keeps no percent complete). "Blocked By" becomes finish-to-start links
  with no lag. Tasks without any date cannot be scheduled: they are left out
  with a warning, as are their links. Asana has no costs: ``budgeted_cost`` is 0.
- **Work items** (an agile board). Each task and subtask is a work item whose key
  is ``<key_prefix>-<Task ID>``; a completed task is ``Done`` (resolved at its
  Completed At); an open one takes its status from its section (board column),
  ``To Do`` when the section's name is not a known status (a warning names it).
  Points come from a ``Story Points``/``Points``/``Estimate`` custom field.
  Dependencies cannot be kept (a warning counts them).

Bad input (not a CSV export of Asana, a missing column, a bad date, a parent or
"Blocked By" task that is not in the file, a cycle of dependencies) raises one
:class:`~pmo_kit._errors.ValidationError` naming file, row, column and value.
"""

from __future__ import annotations

import csv
import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from pmo_kit._errors import ValidationError
from pmo_kit.io.csv_records import read_csv_records

if TYPE_CHECKING:
    import os
    from collections.abc import Mapping, Sequence

    import pandas as pd

    from pmo_kit.schedule import WorkCalendar

__all__ = [
    "ASANA_COLUMNS",
    "ASANA_SECTION_STATUSES",
    "AsanaImport",
    "read_asana_csv",
]

#: The columns of Asana's CSV export this reader uses (custom fields follow them).
ASANA_COLUMNS: tuple[str, ...] = (
    "Task ID",
    "Created At",
    "Completed At",
    "Last Modified",
    "Name",
    "Section/Column",
    "Assignee",
    "Assignee Email",
    "Start Date",
    "Due Date",
    "Tags",
    "Notes",
    "Projects",
    "Parent task",
    "Blocked By (Dependencies)",
    "Blocking (Dependencies)",
)
_REQUIRED = ("Task ID", "Name", "Section/Column", "Due Date", "Completed At")

#: Board sections (case-insensitive) read as a work item's status when open.
ASANA_SECTION_STATUSES: dict[str, str] = {
    "backlog": "To Do",
    "to do": "To Do",
    "todo": "To Do",
    "ready": "To Do",
    "next": "To Do",
    "doing": "In Progress",
    "in progress": "In Progress",
    "in development": "In Progress",
    "review": "In Review",
    "in review": "In Review",
    "testing": "In Review",
    "qa": "In Review",
    "done": "Done",
    "complete": "Done",
    "completed": "Done",
}
_POINT_FIELDS = ("story points", "points", "estimate", "story point estimate")
_TYPES = {"bug": "bug", "defect": "bug", "spike": "spike", "story": "story"}
_NO_SECTION = "(no section)"
_TRUE = {"true", "yes", "y", "1", "x"}


@dataclass(frozen=True)
class AsanaImport:
    """
    What :func:`read_asana_csv` read: canonical frames plus what was not kept.

    Attributes
    ----------
    project_id
        The pmo_kit project the rows belong to.
    tasks, dependencies
        The canonical ``tasks`` and ``dependencies`` tables (None when read as
        work items).
    work_items
        The canonical ``work_items`` table (None when read as tasks).
    assignees
        ``project_id``, ``task_id`` (the work item's key when read as work
        items), ``name``, ``email``: who each task is assigned to, for
        ``assignments`` once the names are matched with ``resources``.
    sections
        The sections in file order (section *n* is WBS code ``n``).
    name
        The Asana project's name (the ``Projects`` column), or the file's stem.
    start, finish
        Earliest start and latest due date of the rows read (None if none).
    warnings
        One line for each thing the kit could not represent.
    """

    project_id: str
    tasks: pd.DataFrame | None
    dependencies: pd.DataFrame | None
    work_items: pd.DataFrame | None
    assignees: pd.DataFrame
    sections: tuple[str, ...]
    name: str
    start: dt.date | None
    finish: dt.date | None
    warnings: tuple[str, ...] = field(default=())


@dataclass
class _Row:
    number: int
    task_id: str
    name: str
    section: str
    parent: str
    start: dt.date | None
    due: dt.date | None
    created: dt.datetime | None
    completed: dt.datetime | None
    assignee: str
    email: str
    tags: tuple[str, ...]
    blocked_by: str
    milestone: bool
    points: float | None
    children: list[_Row] = field(default_factory=list)
    wbs: str = ""


def _problem(source: str, row: int, column: str, text: str) -> str:
    return f"{source}, row {row}, column {column!r}: {text}"


def _read(path: Path) -> tuple[list[str], list[list[str]]]:
    source = str(path)
    header, body = read_csv_records(
        path,
        not_text="; this is not a CSV export of Asana. Allowed: the file Asana "
        "writes with Export > CSV",
        empty="Expected Asana's header row (Export > CSV)",
    )
    missing = [c for c in _REQUIRED if c not in header]
    if missing:
        shown = ", ".join(map(repr, header[:10])) + (" ..." if len(header) > 10 else "")
        msg = (
            f"{source}: missing column(s) {', '.join(map(repr, missing))}; this does "
            f"not look like a CSV export of Asana (its header has {shown}). "
            f"Allowed: Asana's Export > CSV, with {', '.join(map(repr, _REQUIRED))}"
        )
        raise ValidationError(msg)
    return header, body


def _date(
    text: str, source: str, row: int, column: str, problems: list[str]
) -> dt.date | None:
    value = _datetime(text, source, row, column, problems)
    return None if value is None else value.date()


def _datetime(
    text: str, source: str, row: int, column: str, problems: list[str]
) -> dt.datetime | None:
    text = text.strip()
    if not text:
        return None
    try:
        value = dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        problems.append(
            _problem(
                source,
                row,
                column,
                f"{text!r} is not a valid date. Allowed: an ISO date as Asana "
                "exports it, e.g. '2025-03-03'",
            )
        )
        return None
    return value.replace(tzinfo=None)


def _points(header: Sequence[str]) -> int | None:
    for i, name in enumerate(header):
        if name.strip().lower() in _POINT_FIELDS:
            return i
    return None


def _rows(path: Path) -> tuple[list[_Row], list[str]]:
    source = str(path)
    header, body = _read(path)
    at = {name: header.index(name) for name in header if name}
    points_at = _points(header)
    milestone_at = next(
        (i for i, h in enumerate(header) if h.lower() in ("milestone", "is milestone")),
        None,
    )

    def cell(record: Sequence[str], name: str) -> str:
        return record[at[name]].strip() if name in at else ""

    problems: list[str] = []
    rows: list[_Row] = []
    seen: dict[str, int] = {}
    for number, record in enumerate(body, start=2):
        task_id = cell(record, "Task ID")
        if not task_id:
            problems.append(
                _problem(
                    source,
                    number,
                    "Task ID",
                    "value is missing. Allowed: Asana's task id on every row",
                )
            )
            continue
        if task_id in seen:
            problems.append(
                _problem(
                    source,
                    number,
                    "Task ID",
                    f"{task_id!r} is already on row {seen[task_id]}. Allowed: each "
                    "task once",
                )
            )
        seen[task_id] = number
        points: float | None = None
        if points_at is not None and record[points_at].strip():
            text = record[points_at].strip()
            try:
                points = float(
                    text.replace(",", ".") if re.fullmatch(r"\d+,\d+", text) else text
                )
            except ValueError:
                problems.append(
                    _problem(
                        source,
                        number,
                        header[points_at],
                        f"{text!r} is not a number. Allowed: points such as 3",
                    )
                )
            else:
                if points < 0:
                    problems.append(
                        _problem(
                            source,
                            number,
                            header[points_at],
                            f"{text!r} is negative. Allowed: 0 or more",
                        )
                    )
        tags = tuple(
            t.strip().lower() for t in cell(record, "Tags").split(",") if t.strip()
        )
        flag = record[milestone_at].strip().lower() if milestone_at is not None else ""
        rows.append(
            _Row(
                number=number,
                task_id=task_id,
                name=cell(record, "Name"),
                section=cell(record, "Section/Column"),
                parent=cell(record, "Parent task"),
                start=_date(
                    cell(record, "Start Date"), source, number, "Start Date", problems
                ),
                due=_date(
                    cell(record, "Due Date"), source, number, "Due Date", problems
                ),
                created=_datetime(
                    cell(record, "Created At"), source, number, "Created At", problems
                ),
                completed=_datetime(
                    cell(record, "Completed At"),
                    source,
                    number,
                    "Completed At",
                    problems,
                ),
                assignee=cell(record, "Assignee"),
                email=cell(record, "Assignee Email"),
                tags=tags,
                blocked_by=cell(record, "Blocked By (Dependencies)"),
                milestone="milestone" in tags or flag in _TRUE,
                points=points,
            )
        )
    for row in rows:
        if not row.name:
            problems.append(
                _problem(
                    source,
                    row.number,
                    "Name",
                    "value is missing. Allowed: the task's name",
                )
            )
        if row.start and row.due and row.due < row.start:
            problems.append(
                _problem(
                    source,
                    row.number,
                    "Due Date",
                    f"{row.due.isoformat()!r} is before the Start Date "
                    f"{row.start.isoformat()!r}. Allowed: a due date on or "
                    "after the start",
                )
            )
    if problems:
        raise ValidationError.from_problems(problems)
    return rows, header


def _resolve(
    text: str,
    by_id: Mapping[str, _Row],
    by_name: Mapping[str, list[_Row]],
) -> _Row | None:
    if text in by_id:
        return by_id[text]
    named = by_name.get(text, [])
    return named[0] if len(named) == 1 else None


def _structure(rows: list[_Row], source: str) -> tuple[list[_Row], list[str]]:
    """Attach subtasks to parents, number the WBS; return top-level rows, sections."""
    by_id = {r.task_id: r for r in rows}
    by_name: dict[str, list[_Row]] = {}
    for r in rows:
        by_name.setdefault(r.name, []).append(r)
    top: list[_Row] = []
    for r in rows:
        if not r.parent:
            top.append(r)
            continue
        parent = _resolve(r.parent, by_id, by_name)
        if parent is None or parent is r:
            many = len(by_name.get(r.parent, [])) > 1
            why = "names several tasks" if many else "is not a task in this file"
            msg = _problem(
                source,
                r.number,
                "Parent task",
                f"{r.parent!r} {why}. Allowed: the name or Task ID of one task of "
                "the export",
            )
            raise ValidationError(msg)
        parent.children.append(r)
    # a loop of parents never reaches the top level
    reached: set[int] = set()
    stack = list(top)
    while stack:
        r = stack.pop()
        reached.add(id(r))
        stack.extend(r.children)
    lost = [r for r in rows if id(r) not in reached]
    if lost:
        msg = _problem(
            source,
            lost[0].number,
            "Parent task",
            f"{lost[0].parent!r} makes a loop of parent tasks. Allowed: a tree",
        )
        raise ValidationError(msg)
    sections: list[str] = []
    counters: dict[str, int] = {}
    for r in top:
        section = r.section or _NO_SECTION
        if section not in sections:
            sections.append(section)
        counters[section] = counters.get(section, 0) + 1
        r.wbs = f"{sections.index(section) + 1}.{counters[section]}"
        _number_children(r)
    return top, sections


def _number_children(row: _Row) -> None:
    for j, child in enumerate(row.children, start=1):
        child.wbs = f"{row.wbs}.{j}"
        child.section = row.section
        _number_children(child)


def _links(rows: list[_Row], source: str) -> list[tuple[str, str, int]]:
    """(predecessor, successor, row) for every Blocked By entry."""
    by_id = {r.task_id: r for r in rows}
    by_name: dict[str, list[_Row]] = {}
    for r in rows:
        by_name.setdefault(r.name, []).append(r)
    links: list[tuple[str, str, int]] = []
    for r in rows:
        if not r.blocked_by:
            continue
        whole = _resolve(r.blocked_by, by_id, by_name)
        parts = (
            [r.blocked_by] if whole else [p.strip() for p in r.blocked_by.split(",")]
        )
        for part in parts:
            if not part:
                continue
            found = _resolve(part, by_id, by_name)
            if found is None or found is r:
                why = (
                    "is the task itself" if found is r else "is not a task in this file"
                )
                msg = _problem(
                    source,
                    r.number,
                    "Blocked By (Dependencies)",
                    f"{part!r} {why}. Allowed: Task IDs (or names) of other tasks "
                    "of the export, separated by commas",
                )
                raise ValidationError(msg)
            if (found.task_id, r.task_id, r.number) not in links:
                links.append((found.task_id, r.task_id, r.number))
    _check_cycles(links, by_id, source)
    return links


def _check_cycles(
    links: Sequence[tuple[str, str, int]], by_id: Mapping[str, _Row], source: str
) -> None:
    successors: dict[str, list[str]] = {}
    for pred, succ, _ in links:
        successors.setdefault(pred, []).append(succ)
    state: dict[str, int] = {}  # 1 on the path, 2 done
    for start in successors:
        if state.get(start):
            continue
        path: list[str] = [start]
        iters = [iter(successors.get(start, []))]
        state[start] = 1
        while iters:
            nxt = next(iters[-1], None)
            if nxt is None:
                state[path.pop()] = 2
                iters.pop()
                continue
            if state.get(nxt) == 1:
                cycle = [*path[path.index(nxt) :], nxt]
                names = " -> ".join(f"{by_id[t].name!r}" for t in cycle)
                msg = _problem(
                    source,
                    by_id[cycle[1]].number,
                    "Blocked By (Dependencies)",
                    f"the dependencies make a cycle: {names}. Allowed: dependencies "
                    "without a cycle",
                )
                raise ValidationError(msg)
            if not state.get(nxt):
                state[nxt] = 1
                path.append(nxt)
                iters.append(iter(successors.get(nxt, [])))


def _check_project_id(project_id: str) -> None:
    if not isinstance(project_id, str) or not re.fullmatch(r"P-\d{3,}", project_id):
        msg = (
            f"{project_id!r} is an invalid value for `project_id`. Valid values: a "
            "pmo_kit project id such as 'P-012'"
        )
        raise ValidationError(msg)


def read_asana_csv(
    path: str | os.PathLike[str],
    *,
    project_id: str,
    as_work_items: bool = False,
    key_prefix: str = "AS",
    calendar: WorkCalendar | None = None,
    section_statuses: Mapping[str, str] | None = None,
) -> AsanaImport:
    """
    Read Asana's CSV export of one project.

    Parameters
    ----------
    path
        The file written by Asana's Export > CSV.
    project_id
        The pmo_kit project the rows belong to (``P-012``).
    as_work_items
        False: tasks and dependencies (a predictive plan). True: work items.
    key_prefix
        Work items only: the key is ``<key_prefix>-<Task ID>`` (capital letters
        and digits, starting with a letter).
    calendar
        Working days for durations (default: Monday to Friday, no holidays).
    section_statuses
        Work items only: section names mapped to ``To Do``, ``In Progress``,
        ``In Review`` or ``Done``, before :data:`ASANA_SECTION_STATUSES`.

    Returns
    -------
    AsanaImport
        The canonical frames (validated) and a warning for each thing not kept.

    Raises
    ------
    ValidationError
        Not an Asana CSV export, a missing column, a bad date or number, a parent
        or dependency naming a task not in the file, or a cycle (one line).
    """
    from pmo_kit.data.schemas import WORK_ITEM_STATUSES

    _check_project_id(project_id)
    if not re.fullmatch(r"[A-Z][A-Z0-9]*", key_prefix):
        msg = (
            f"{key_prefix!r} is an invalid value for `key_prefix`. Valid values: "
            "capital letters and digits starting with a letter, e.g. 'AS'"
        )
        raise ValidationError(msg)
    for key, value in (section_statuses or {}).items():
        if value not in WORK_ITEM_STATUSES:
            msg = (
                f"{value!r} is an invalid value for {key!r} in `section_statuses`. "
                f"Valid values: {', '.join(map(repr, WORK_ITEM_STATUSES))}"
            )
            raise ValidationError(msg)
    path = Path(path)
    source = str(path)
    rows, header = _rows(path)
    top, sections = _structure(rows, source)
    links = _links(rows, source)
    ordered: list[_Row] = []

    def walk(r: _Row) -> None:
        ordered.append(r)
        for child in r.children:
            walk(child)

    for r in top:
        walk(r)
    name = _project_name(path, header)
    if as_work_items:
        return _as_work_items(
            ordered,
            links,
            sections,
            project_id,
            key_prefix,
            source,
            section_statuses,
            name,
        )
    return _as_tasks(ordered, links, sections, project_id, calendar, source, name)


def _project_name(path: Path, header: Sequence[str]) -> str:
    if "Projects" in header:
        i = header.index("Projects")
        with path.open(encoding="utf-8-sig", newline="") as handle:
            for record in list(csv.reader(handle))[1:]:
                if len(record) > i and record[i].strip():
                    return record[i].split(",")[0].strip()
    return path.stem


def _as_tasks(
    rows: list[_Row],
    links: list[tuple[str, str, int]],
    sections: list[str],
    project_id: str,
    calendar: WorkCalendar | None,
    source: str,
    name: str,
) -> AsanaImport:
    import pandas as pd

    from pmo_kit.data.schemas import SCHEMAS
    from pmo_kit.data.tables import validate_frame
    from pmo_kit.schedule import WorkCalendar

    cal = calendar or WorkCalendar()
    warnings: list[str] = []
    undated = [r for r in rows if r.start is None and r.due is None]
    if undated:
        shown = ", ".join(f"{r.name!r} (row {r.number})" for r in undated[:5])
        more = f" and {len(undated) - 5} more" if len(undated) > 5 else ""
        warnings.append(
            f"{source}: {len(undated)} task(s) have neither Start Date nor Due Date "
            f"and were left out (a plan needs dates): {shown}{more}"
        )
    kept = [r for r in rows if r not in undated]
    kept_ids = {r.task_id for r in kept}
    records = []
    for r in kept:
        if r.start is None:
            assert r.due is not None
            start = finish = r.due
            duration = 0 if r.milestone else 1
        elif r.due is None:
            start = finish = r.start
            duration = 0 if r.milestone else 1
            warnings.append(
                f"{source}, row {r.number}: {r.name!r} has a Start Date but no Due "
                "Date; read as a one-day task"
            )
        else:
            start, finish = r.start, r.due
            duration = cal.working_days_between(start, finish + dt.timedelta(days=1))
            if r.milestone:
                duration = 0
                start = finish
            elif duration == 0:
                duration = 1
                warnings.append(
                    f"{source}, row {r.number}: {r.name!r} runs on non-working days "
                    "only; read as one working day"
                )
        done = r.completed is not None
        records.append(
            {
                "project_id": project_id,
                "task_id": r.task_id,
                "name": r.name,
                "wbs": r.wbs,
                "duration": duration,
                "optimistic": None,
                "most_likely": None,
                "pessimistic": None,
                "baseline_start": pd.Timestamp(start),
                "baseline_finish": pd.Timestamp(finish),
                "percent_complete": 100.0 if done else 0.0,
                "actual_start": pd.Timestamp(start) if done else pd.NaT,
                "actual_finish": (
                    pd.Timestamp(r.completed.date()) if r.completed else pd.NaT
                ),
                "budgeted_cost": 0.0,
            }
        )
    dropped = [lk for lk in links if lk[0] not in kept_ids or lk[1] not in kept_ids]
    if dropped:
        warnings.append(
            f"{source}: {len(dropped)} Blocked By link(s) involve undated tasks and "
            "were left out"
        )
    tasks = pd.DataFrame(records, columns=SCHEMAS["tasks"].column_names)
    deps = pd.DataFrame(
        [
            {
                "project_id": project_id,
                "predecessor": p,
                "successor": s,
                "type": "FS",
                "lag": 0,
            }
            for p, s, _ in links
            if p in kept_ids and s in kept_ids
        ],
        columns=["project_id", "predecessor", "successor", "type", "lag"],
    )
    tasks = validate_frame(tasks, "tasks", source=source)
    deps = validate_frame(deps, "dependencies", source=source)
    starts = [r.start or r.due for r in kept]
    ends = [r.due or r.start for r in kept]
    return AsanaImport(
        project_id=project_id,
        tasks=tasks,
        dependencies=deps,
        work_items=None,
        assignees=_assignees(kept, project_id, None),
        sections=tuple(sections),
        name=name,
        start=min((d for d in starts if d), default=None),
        finish=max((d for d in ends if d), default=None),
        warnings=tuple(warnings),
    )


def _assignees(
    rows: Sequence[_Row], project_id: str, key_prefix: str | None
) -> pd.DataFrame:
    import pandas as pd

    return pd.DataFrame(
        [
            {
                "project_id": project_id,
                "task_id": r.task_id
                if key_prefix is None
                else f"{key_prefix}-{r.task_id}",
                "name": r.assignee,
                "email": r.email or None,
            }
            for r in rows
            if r.assignee
        ],
        columns=["project_id", "task_id", "name", "email"],
    )


def _as_work_items(
    rows: list[_Row],
    links: list[tuple[str, str, int]],
    sections: list[str],
    project_id: str,
    key_prefix: str,
    source: str,
    section_statuses: Mapping[str, str] | None,
    name: str,
) -> AsanaImport:
    import pandas as pd

    from pmo_kit.data.tables import validate_frame

    table = dict(ASANA_SECTION_STATUSES.items())
    table.update({k.strip().lower(): v for k, v in (section_statuses or {}).items()})
    warnings: list[str] = []
    unknown: list[str] = []
    records = []
    for r in rows:
        if r.created is None:
            msg = _problem(
                source,
                r.number,
                "Created At",
                "value is missing. Allowed: the creation date Asana exports (work "
                "items need it)",
            )
            raise ValidationError(msg)
        if r.completed is not None:
            status = "Done"
        else:
            section = r.section or _NO_SECTION
            status = table.get(section.lower(), "")
            if status in ("", "Done"):
                if status == "" and section not in unknown:
                    unknown.append(section)
                status = "To Do"
        kind = next((_TYPES[t] for t in r.tags if t in _TYPES), "task")
        records.append(
            {
                "project_id": project_id,
                "key": f"{key_prefix}-{r.task_id}",
                "type": kind,
                "summary": r.name,
                "points": r.points,
                "status": status,
                "sprint_id": None,
                "created": pd.Timestamp(r.created),
                "started": pd.NaT,
                "resolved": pd.Timestamp(r.completed) if r.completed else pd.NaT,
            }
        )
    if unknown:
        warnings.append(
            f"{source}: section(s) {', '.join(map(repr, unknown))} are not statuses; "
            "their open tasks are 'To Do' (map them with --section-status "
            "'NAME=In Progress')"
        )
    if links:
        warnings.append(
            f"{source}: {len(links)} Blocked By link(s) not kept: work items have "
            "no dependencies"
        )
    if any(r.points is None for r in rows):
        missing = sum(r.points is None for r in rows)
        warnings.append(f"{source}: {missing} work item(s) have no points")
    frame = pd.DataFrame(
        records,
        columns=[
            "project_id",
            "key",
            "type",
            "summary",
            "points",
            "status",
            "sprint_id",
            "created",
            "started",
            "resolved",
        ],
    ).astype({"points": "float64", "sprint_id": "object"})
    items = validate_frame(frame, "work_items", source=source)
    created = [r.created.date() for r in rows if r.created]
    ends = [
        d
        for r in rows
        for d in (r.due, r.completed.date() if r.completed else None)
        if d
    ]
    return AsanaImport(
        project_id=project_id,
        tasks=None,
        dependencies=None,
        work_items=items,
        assignees=_assignees(rows, project_id, key_prefix),
        sections=tuple(sections),
        name=name,
        start=min(created, default=None),
        finish=max(ends, default=None),
        warnings=tuple(warnings),
    )
