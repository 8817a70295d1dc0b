"""
Read Jira files: the issue "Export CSV" and a status-change history.

A real Jira CSV export is not a tidy table. Multi-valued fields repeat the *same*
header once per value (``Sprint,Sprint,Sprint``), so the file is read with the
:mod:`csv` module to keep the raw header (pandas would rename the copies
``Sprint.1``...). Dates follow the user's locale (Cloud default ``14/Jul/25 3:42
PM``); the file may start with a UTF-8 byte-order mark, use CRLF line ends and
hold multi-line quoted descriptions. Rows are numbered as a spreadsheet shows
them: the header is row 1, each record (however many lines it spans) one row.

Statuses and issue types are mapped to the canonical ones of
:mod:`pmo_kit.data.schemas`. Every workflow has its own statuses, so an unknown
status is an error that names the argument to map it with; an unknown issue
type (Improvement, Epic, a custom type) becomes ``task``: the type only labels an
item, while the status decides every flow metric.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

from pmo_kit._errors import ValidationError
from pmo_kit.data.schemas import WORK_ITEM_STATUSES, WORK_ITEM_TYPES
from pmo_kit.data.tables import validate_frame
from pmo_kit.io.csv_records import read_csv_records

if TYPE_CHECKING:
    import os
    from collections.abc import Mapping, Sequence

__all__ = [
    "JIRA_STATUS_MAPPING",
    "JIRA_TYPE_MAPPING",
    "jira_sprints",
    "parse_jira_datetime",
    "read_jira_csv",
    "read_jira_sprint_dates",
    "read_jira_sprint_membership",
    "read_status_history",
]

#: Default mapping of common Jira statuses (case-insensitive) to canonical ones.
JIRA_STATUS_MAPPING: dict[str, str] = {
    "backlog": "To Do",
    "new": "To Do",
    "open": "To Do",
    "reopened": "To Do",
    "selected for development": "To Do",
    "to do": "To Do",
    "in development": "In Progress",
    "in progress": "In Progress",
    "code review": "In Review",
    "in qa": "In Review",
    "in review": "In Review",
    "in testing": "In Review",
    "review": "In Review",
    "testing": "In Review",
    "closed": "Done",
    "done": "Done",
    "released": "Done",
    "resolved": "Done",
}

#: Default mapping of Jira issue types (case-insensitive); others become "task".
JIRA_TYPE_MAPPING: dict[str, str] = {
    "bug": "bug",
    "defect": "bug",
    "spike": "spike",
    "story": "story",
    "user story": "story",
    "sub-task": "task",
    "subtask": "task",
    "task": "task",
    "technical task": "task",
}

_POINT_COLUMNS = ("Custom field (Story Points)", "Custom field (Story point estimate)")
_REQUIRED = ("Issue key", "Issue Type", "Status", "Summary", "Created")
_MONTHS = "janfebmaraprmayjunjulaugsepoctnovdec"  # month n at 3 * (n - 1)
_JIRA_DATE = re.compile(
    r"(\d{1,2})/([A-Za-z]{3})/(\d{2}|\d{4})"
    r"(?:[ T]+(\d{1,2}):(\d{2})(?::(\d{2}))?\s*([AaPp][Mm])?)?"
)
_PROJECT_ID = re.compile(r"P-\d{3,}")
_DATE_HELP = (
    "a date as Jira writes it, e.g. '14/Jul/25 3:42 PM', '14/Jul/2025 15:42' or "
    "ISO '2025-07-14 15:42' (another layout: pass date_format=..., a strptime "
    "format such as '%d.%m.%Y %H:%M')"
)


def _where(source: str, row: int, column: str) -> str:
    return f"{source}, row {row}, column {column!r}"


def parse_jira_datetime(
    text: str, *, date_format: str | None = None
) -> tuple[dt.datetime, dt.timedelta | None] | None:
    """
    Parse one date as Jira exports it; return (wall-clock time, UTC offset) or None.

    Month names are the English abbreviations Jira writes whatever the server's
    locale settings; two-digit years are in the 2000s.

    Examples
    --------
    >>> parse_jira_datetime("14/Jul/25 3:42 PM")
    (datetime.datetime(2025, 7, 14, 15, 42), None)
    >>> parse_jira_datetime("2024-12-02T13:15:37-0500")[1]
    datetime.timedelta(days=-1, seconds=68400)
    """
    text = text.strip()
    if date_format is not None:
        try:
            parsed = dt.datetime.strptime(text, date_format)
        except ValueError:
            pass
        else:
            return parsed.replace(tzinfo=None), parsed.utcoffset()
    match = _JIRA_DATE.fullmatch(text)
    if match:
        day, month, year, hour, minute, second, ampm = match.groups()
        position = _MONTHS.find(month.lower())
        if position < 0 or position % 3:
            return None
        h = int(hour or 0)
        if ampm:
            if not 1 <= h <= 12:
                return None
            h = h % 12 + (12 if ampm.lower() == "pm" else 0)
        try:
            wall = dt.datetime(
                int(year) + (2000 if len(year) == 2 else 0),
                position // 3 + 1,
                int(day),
                h,
                int(minute or 0),
                int(second or 0),
            )
        except ValueError:
            return None
        return wall, None
    try:
        parsed = dt.datetime.fromisoformat(text)
    except ValueError:
        return None
    return parsed.replace(tzinfo=None), parsed.utcoffset()


def _read_records(path: Path) -> tuple[list[str], list[list[str]]]:
    """Header and records of a Jira CSV export (BOM, CRLF and quoted newlines)."""
    return read_csv_records(
        path,
        not_text=". Export the CSV from Jira again, or save it as 'CSV UTF-8'",
        empty="Expected a header row",
    )


def _positions(header: Sequence[str]) -> dict[str, list[int]]:
    found: dict[str, list[int]] = {}
    for i, name in enumerate(header):
        found.setdefault(name, []).append(i)
    return found


def _lookup(
    mapping: Mapping[str, str] | None, default: Mapping[str, str]
) -> dict[str, str]:
    """Case-insensitive lookup table: the caller's mapping first, then the default."""
    table = {k.strip().lower(): v for k, v in default.items()}
    table.update({k.strip().lower(): v for k, v in (mapping or {}).items()})
    return table


def _check_mapping(
    mapping: Mapping[str, str] | None, allowed: Sequence[str], name: str
) -> None:
    for key, value in (mapping or {}).items():
        if value not in allowed:
            msg = (
                f"{value!r} is an invalid value for {key!r} in `{name}`. Valid "
                f"values: {', '.join(map(repr, allowed))}"
            )
            raise ValidationError(msg)


def _map_statuses(
    values: Sequence[str],
    rows: Sequence[int],
    *,
    source: str,
    column: str,
    mapping: Mapping[str, str] | None,
    hints: Sequence[str] | None = None,
) -> list[str | None]:
    """Map raw statuses; unknown ones raise one error listing each with its row."""
    _check_mapping(mapping, WORK_ITEM_STATUSES, "status_mapping")
    table = _lookup(mapping, JIRA_STATUS_MAPPING)
    out: list[str | None] = []
    unknown: dict[str, tuple[int, str]] = {}
    for i, value in enumerate(values):
        text = value.strip()
        if not text:
            out.append(None)  # reported as missing by the table check
            continue
        mapped = table.get(text.lower())
        if mapped is None and text not in unknown:
            hint = hints[i].strip() if hints else ""
            unknown[text] = (rows[i], hint)
        out.append(mapped)
    if unknown:
        problems = []
        for text, (row, hint) in unknown.items():
            category = f" (Jira status category {hint!r})" if hint else ""
            problems.append(
                f"{_where(source, row, column)}: {text!r}{category} is not a status "
                "pmo_kit knows"
            )
        allowed = ", ".join(map(repr, WORK_ITEM_STATUSES))
        example = ", ".join(f"{t!r}: ..." for t in list(unknown)[:3])
        others = ""
        if len(unknown) > 1:
            rest = [f"{t!r} (row {r})" for t, (r, _) in list(unknown.items())[1:]]
            others = f"; also unknown: {', '.join(rest)}"
        msg = (
            f"{problems[0]}{others}. Map every status of your workflow to one of "
            f"{allowed} with status_mapping={{{example}}}"
        )
        raise ValidationError(msg, problems)
    return out


def _parse_dates(
    values: Sequence[str],
    rows: Sequence[int],
    *,
    source: str,
    column: str,
    date_format: str | None,
    problems: list[str],
) -> list[tuple[dt.datetime, dt.timedelta | None] | None]:
    parsed: list[tuple[dt.datetime, dt.timedelta | None] | None] = []
    for value, row in zip(values, rows, strict=True):
        if not value.strip():
            parsed.append(None)
            continue
        result = parse_jira_datetime(value, date_format=date_format)
        if result is None:
            problems.append(
                f"{_where(source, row, column)}: {value.strip()!r} is not a valid "
                f"date. Allowed: {_DATE_HELP}"
            )
        parsed.append(result)
    return parsed


def _wall(
    values: Sequence[tuple[dt.datetime, dt.timedelta | None] | None],
) -> pd.Series:
    return pd.Series(
        [None if v is None else v[0] for v in values], dtype="datetime64[ns]"
    )


def _check_project_id(project_id: str) -> None:
    if not isinstance(project_id, str) or not _PROJECT_ID.fullmatch(project_id):
        msg = (
            f"{project_id!r} is an invalid value for `project_id`. Valid values: a "
            "pmo_kit project id such as 'P-011' (the Jira project key stays in each "
            "issue key)"
        )
        raise ValidationError(msg)


def read_jira_csv(
    path: str | os.PathLike[str],
    *,
    project_id: str,
    status_mapping: Mapping[str, str] | None = None,
    type_mapping: Mapping[str, str] | None = None,
    date_format: str | None = None,
) -> pd.DataFrame:
    """
    Read a Jira "Export CSV" of issues as the canonical ``work_items`` table.

    Parameters
    ----------
    path
        The exported file.
    project_id
        The pmo_kit project the issues belong to (``P-011``). It is required:
        a Jira project key (``CPR``) is not a pmo_kit project id.
    status_mapping
        Your workflow's statuses mapped to ``To Do``, ``In Progress``,
        ``In Review`` or ``Done``, e.g. ``{"Blocked": "In Progress"}``. Consulted
        first (case-insensitively), then :data:`JIRA_STATUS_MAPPING`.
    type_mapping
        Issue types mapped to ``story``, ``bug``, ``task`` or ``spike``, before
        :data:`JIRA_TYPE_MAPPING`; any other type becomes ``task``.
    date_format
        A :func:`~datetime.datetime.strptime` format tried first, for exports in
        another date layout.

    Returns
    -------
    pandas.DataFrame
        The ``work_items`` table, validated. ``points`` is the first non-empty
        story-points field (``Custom field (Story Points)`` or ``Custom field
        (Story point estimate)``); ``sprint_id`` the *last* of the repeated
        ``Sprint`` columns (the sprint the issue is, or finished, in), as named in
        Jira (every sprint it was in: :func:`read_jira_sprint_membership`);
        ``started`` the ``Status Category Changed`` date of items now in progress
        or in review (the CSV has no transition history); ``resolved``
        the ``Resolved`` date of done items (else their status-category change).

    Raises
    ------
    ValidationError
        A required column is missing, a date or story-point value does not parse
        (the message names row and column), a status is not mapped (the message
        names the row, the value and ``status_mapping``), or the table breaks a
        rule of the ``work_items`` schema.
    """
    _check_project_id(project_id)
    _check_mapping(type_mapping, WORK_ITEM_TYPES, "type_mapping")
    path = Path(path)
    source = str(path)
    header, body = _read_records(path)
    where = _positions(header)
    missing = [c for c in _REQUIRED if c not in where]
    if missing:
        msg = (
            f"{source}: missing column(s) {', '.join(map(repr, missing))}; this does "
            f"not look like a Jira issue export. The header has: "
            f"{', '.join(map(repr, list(where)[:15]))}"
            + (" ..." if len(where) > 15 else "")
        )
        raise ValidationError(msg)

    rows = list(range(2, len(body) + 2))
    blank = [
        f"{_where(source, row, name)}: value is missing. Allowed: a value on every row"
        for name in _REQUIRED
        for record, row in zip(body, rows, strict=True)
        if not record[where[name][0]].strip()
    ]
    if blank:
        raise ValidationError.from_problems(blank)

    def cells(name: str) -> list[str]:
        index = where.get(name, [None])[0]
        return ["" if index is None else record[index] for record in body]

    def last_filled(name: str) -> list[str | None]:
        indexes = where.get(name, [])
        return [
            next((r[i].strip() for i in reversed(indexes) if r[i].strip()), None)
            for r in body
        ]

    statuses = _map_statuses(
        cells("Status"),
        rows,
        source=source,
        column="Status",
        mapping=status_mapping,
        hints=cells("Status Category") if "Status Category" in where else None,
    )
    types = _lookup(type_mapping, JIRA_TYPE_MAPPING)
    kinds = [
        None if not t.strip() else types.get(t.strip().lower(), "task")
        for t in cells("Issue Type")
    ]
    problems: list[str] = []
    dates = {
        name: _wall(
            _parse_dates(
                cells(name),
                rows,
                source=source,
                column=name,
                date_format=date_format,
                problems=problems,
            )
        )
        for name in ("Created", "Resolved", "Status Category Changed")
    }
    points = _points(body, where, rows, source, problems)
    if problems:
        raise ValidationError.from_problems(problems)

    status = pd.Series(statuses, dtype="object")
    changed = dates["Status Category Changed"]
    started = changed.where(status.isin(["In Progress", "In Review"]))
    resolved = dates["Resolved"].fillna(changed).where(status == "Done")
    frame = pd.DataFrame(
        {
            "project_id": project_id,
            "key": [k.strip() for k in cells("Issue key")],
            "type": pd.Series(kinds, dtype="object"),
            "summary": [s.strip() for s in cells("Summary")],
            "points": points,
            "status": status,
            "sprint_id": pd.Series(last_filled("Sprint"), dtype="object"),
            "created": dates["Created"],
            "started": started,
            "resolved": resolved,
        }
    )
    return validate_frame(frame, "work_items", source=source, first_row=2)


def _points(
    body: Sequence[Sequence[str]],
    where: Mapping[str, list[int]],
    rows: Sequence[int],
    source: str,
    problems: list[str],
) -> list[float | None]:
    """First non-empty story-points cell of each record, as a number."""
    indexes = [(name, i) for name in _POINT_COLUMNS for i in where.get(name, [])]
    out: list[float | None] = []
    for record, row in zip(body, rows, strict=True):
        value: float | None = None
        for name, i in indexes:
            text = record[i].strip()
            if not text:
                continue
            if re.fullmatch(r"\d+,\d+", text):
                text = text.replace(",", ".")  # decimal comma
            try:
                value = float(text)
            except ValueError:
                problems.append(
                    f"{_where(source, row, name)}: {record[i].strip()!r} is not a "
                    "number. Allowed: story points such as 3 or 0.5"
                )
            break
        out.append(value)
    return out


_KEY_NAMES = ("issue_key", "issue key", "key", "issue")
_TIME_NAMES = ("changed_at", "timestamp", "changed", "date", "when")
_STATUS_NAMES = ("status_after", "to_status", "to status", "tostring", "new status")


def _find_column(
    header: Sequence[str],
    given: str | None,
    candidates: Sequence[str],
    *,
    argument: str,
    source: str,
) -> int:
    lowered = [h.strip().lower() for h in header]
    names = [given.strip().lower()] if given is not None else list(candidates)
    for name in names:
        if name in lowered:
            return lowered.index(name)
    wanted = repr(given) if given is not None else " or ".join(map(repr, candidates))
    msg = (
        f"{source}: no column {wanted}. The header has: "
        f"{', '.join(map(repr, header))}. Name the column with {argument}=..."
    )
    raise ValidationError(msg)


def read_status_history(
    path: str | os.PathLike[str],
    *,
    project_id: str,
    status_mapping: Mapping[str, str] | None = None,
    timezone: str | None = None,
    key_column: str | None = None,
    time_column: str | None = None,
    status_column: str | None = None,
    date_format: str | None = None,
) -> pd.DataFrame:
    """
    Read a status-change history (one row per transition) as ``status_changes``.

    The CSV export of issues has no history; this reads a changelog extract with
    one row per status change: issue key, when, and the status after the change
    (e.g. ``issue_key, changed_at, status_after`` as in the AEA Data Editor's
    published Jira history). Other columns are ignored.

    After mapping to canonical statuses the history is tidied so it is a valid
    ``status_changes`` table: rows are sorted by item and time (equal times keep
    the file's order); of several changes of one item at the same instant only
    the last counts (the states between lasted no time); a row that does not
    change the canonical status (e.g. "Writing report" -> "Report under review",
    both mapped to "In Progress") is dropped; ``from_status`` is the previous
    row's status, empty on each item's first row (its creation).

    Parameters
    ----------
    path
        The history file (UTF-8, BOM allowed).
    project_id
        The pmo_kit project the issues belong to (``P-011``).
    status_mapping
        Workflow statuses mapped to canonical ones, before
        :data:`JIRA_STATUS_MAPPING` (case-insensitive).
    timezone
        None: keep each timestamp's wall-clock time as written (a UTC offset is
        dropped). A zone name (``"UTC"``, ``"America/New_York"``): convert
        timestamps with an offset to that zone's local time.
    key_column, time_column, status_column
        Column names, when they are not among the usual ones (``issue_key``,
        ``changed_at``/``timestamp``, ``status_after``/``to_status``...).
    date_format
        A strptime format tried first for the timestamps.

    Returns
    -------
    pandas.DataFrame
        The ``status_changes`` table, validated, in item and time order.
    """
    _check_project_id(project_id)
    path = Path(path)
    source = str(path)
    header, body = _read_records(path)
    k = _find_column(
        header, key_column, _KEY_NAMES, argument="key_column", source=source
    )
    t = _find_column(
        header, time_column, _TIME_NAMES, argument="time_column", source=source
    )
    s = _find_column(
        header, status_column, _STATUS_NAMES, argument="status_column", source=source
    )
    rows = list(range(2, len(body) + 2))
    problems: list[str] = []
    for index in (k, t, s):
        problems.extend(
            f"{_where(source, row, header[index])}: value is missing. Allowed: "
            "a value on every row"
            for record, row in zip(body, rows, strict=True)
            if not record[index].strip()
        )
    if problems:
        raise ValidationError.from_problems(problems)
    statuses = _map_statuses(
        [r[s] for r in body],
        rows,
        source=source,
        column=header[s],
        mapping=status_mapping,
    )
    parsed = _parse_dates(
        [r[t] for r in body],
        rows,
        source=source,
        column=header[t],
        date_format=date_format,
        problems=problems,
    )
    if problems:
        raise ValidationError.from_problems(problems)
    stamps = _localise(parsed, timezone)
    frame = pd.DataFrame(
        {
            "key": [r[k].strip() for r in body],
            "timestamp": stamps,
            "to_status": pd.Series(statuses, dtype="object"),
            "_instant": _instants(parsed),
        }
    )
    frame = frame.sort_values(["key", "_instant"], kind="stable")
    frame = frame.drop_duplicates(["key", "timestamp"], keep="last")
    previous = frame.groupby("key", sort=False)["to_status"].shift()
    frame = frame[frame["to_status"] != previous]
    frame = frame.assign(
        project_id=project_id,
        from_status=frame.groupby("key", sort=False)["to_status"].shift(),
    )
    frame = frame[["project_id", "key", "timestamp", "from_status", "to_status"]]
    return validate_frame(frame.reset_index(drop=True), "status_changes", source=source)


def _localise(
    parsed: Sequence[tuple[dt.datetime, dt.timedelta | None] | None],
    timezone: str | None,
) -> pd.Series:
    wall = _wall(parsed)
    if timezone is None:
        return wall
    instants = _instants(parsed)
    offset = pd.Series([p is not None and p[1] is not None for p in parsed])
    try:
        local = instants.dt.tz_localize("UTC").dt.tz_convert(timezone)
    except Exception as exc:  # zoneinfo raises several kinds of error
        msg = (
            f"{timezone!r} is an invalid value for `timezone`. Valid values: None or "
            "a time-zone name such as 'UTC' or 'Europe/Paris'"
        )
        raise ValidationError(msg) from exc
    result: pd.Series = (
        local.dt.tz_localize(None).where(offset, wall).astype("datetime64[ns]")
    )
    return result


def _instants(
    parsed: Sequence[tuple[dt.datetime, dt.timedelta | None] | None],
) -> pd.Series:
    """UTC instants for sorting (times without an offset are taken as UTC)."""
    return pd.Series(
        [None if p is None else p[0] - (p[1] or dt.timedelta(0)) for p in parsed],
        dtype="datetime64[ns]",
    )


# ------------------------------------------------------- sprint membership


def read_jira_sprint_membership(
    path: str | os.PathLike[str], *, project_id: str
) -> pd.DataFrame:
    """
    Every sprint each issue was in, from the repeated ``Sprint`` columns.

    Jira writes one ``Sprint`` column per sprint an issue was ever in (an issue
    not finished in its sprint is carried over and gains a column), oldest
    first. :func:`read_jira_csv` keeps only the last one as ``sprint_id``; this
    keeps them all, so a sprint's commitment can count every issue that was in
    it (see :func:`jira_sprints`).

    Parameters
    ----------
    path
        The exported file.
    project_id
        The pmo_kit project the issues belong to (``P-011``).

    Returns
    -------
    pandas.DataFrame
        One row per (issue, sprint): ``project_id``, ``key``, ``sprint_id`` (the
        sprint's name as Jira writes it), ``position`` (1 for the issue's first
        sprint) and ``last`` (True for the sprint the issue is, or finished, in:
        the ``sprint_id`` of :func:`read_jira_csv`). Issues in no sprint have no
        row; a sprint named twice on one issue counts once.

    Raises
    ------
    ValidationError
        The file is not a Jira issue export (no ``Issue key`` column), or an
        issue key is missing.
    """
    _check_project_id(project_id)
    path = Path(path)
    source = str(path)
    header, body = _read_records(path)
    where = _positions(header)
    if "Issue key" not in where:
        msg = (
            f"{source}: missing column 'Issue key'; this does not look like a Jira "
            "issue export"
        )
        raise ValidationError(msg)
    key_at = where["Issue key"][0]
    sprint_at = where.get("Sprint", [])
    rows: list[tuple[str, str, str, int, bool]] = []
    for number, record in enumerate(body, start=2):
        key = record[key_at].strip()
        if not key:
            msg = (
                f"{_where(source, number, 'Issue key')}: value is missing. "
                "Allowed: a value on every row"
            )
            raise ValidationError(msg)
        names: list[str] = []
        for i in sprint_at:
            name = record[i].strip()
            if name and name not in names:
                names.append(name)
        rows.extend(
            (project_id, key, name, position, position == len(names))
            for position, name in enumerate(names, start=1)
        )
    return pd.DataFrame(
        rows, columns=["project_id", "key", "sprint_id", "position", "last"]
    ).astype({"position": "int64", "last": "bool"})


_SPRINT_NAME = ("sprint", "sprint name", "name")
_SPRINT_START = ("start date", "start", "started")
_SPRINT_END = ("end date", "end", "ended", "complete date")


def read_jira_sprint_dates(
    path: str | os.PathLike[str],
    *,
    project_id: str,
    date_format: str | None = None,
) -> pd.DataFrame:
    """
    Read the sprints' dates: a small CSV ``Sprint, Start Date, End Date[, Goal]``.

    Jira's issue export names sprints but not their dates; copy them from the
    sprint report (or Jira's sprint REST resource) into this file. Dates may be
    written as Jira writes them (``01/Sep/25``) or ISO (``2025-09-01``); the end
    is the sprint's last day.

    Returns
    -------
    pandas.DataFrame
        ``project_id``, ``sprint_id`` (= the name), ``name``, ``goal``, ``start``,
        ``end``, in the file's order (``committed_points`` comes from
        :func:`jira_sprints`).

    Raises
    ------
    ValidationError
        A column is missing, a date does not parse, a sprint is named twice or
        ends before it starts (row and column named).
    """
    _check_project_id(project_id)
    path = Path(path)
    source = str(path)
    header, body = _read_records(path)
    n = _find_column(header, None, _SPRINT_NAME, argument="(rename)", source=source)
    s = _find_column(header, None, _SPRINT_START, argument="(rename)", source=source)
    e = _find_column(header, None, _SPRINT_END, argument="(rename)", source=source)
    lowered = [h.lower() for h in header]
    g = lowered.index("goal") if "goal" in lowered else None
    rows = list(range(2, len(body) + 2))
    problems: list[str] = []
    starts = _parse_dates(
        [r[s] for r in body],
        rows,
        source=source,
        column=header[s],
        date_format=date_format,
        problems=problems,
    )
    ends = _parse_dates(
        [r[e] for r in body],
        rows,
        source=source,
        column=header[e],
        date_format=date_format,
        problems=problems,
    )
    seen: dict[str, int] = {}
    for record, row, start, end in zip(body, rows, starts, ends, strict=True):
        name = record[n].strip()
        if not name:
            problems.append(
                f"{_where(source, row, header[n])}: value is missing. Allowed: "
                "the sprint's name as in the issue export"
            )
        elif name in seen:
            problems.append(
                f"{_where(source, row, header[n])}: {name!r} is already on row "
                f"{seen[name]}. Allowed: each sprint once"
            )
        else:
            seen[name] = row
        for value, column in ((start, header[s]), (end, header[e])):
            if value is None and not any(column in p for p in problems[-2:]):
                problems.append(
                    f"{_where(source, row, column)}: value is missing. Allowed: "
                    f"{_DATE_HELP}"
                )
        if start is not None and end is not None and end[0].date() < start[0].date():
            problems.append(
                f"{_where(source, row, header[e])}: {record[e].strip()!r} is before "
                f"the start {record[s].strip()!r}. Allowed: the sprint's last day"
            )
    if problems:
        raise ValidationError.from_problems(problems)
    return pd.DataFrame(
        {
            "project_id": project_id,
            "sprint_id": [r[n].strip() for r in body],
            "name": [r[n].strip() for r in body],
            "goal": pd.Series(
                [None if g is None or not r[g].strip() else r[g].strip() for r in body],
                dtype="object",
            ),
            "start": _wall(starts).dt.normalize(),
            "end": _wall(ends).dt.normalize(),
        }
    )


def jira_sprints(
    membership: pd.DataFrame,
    work_items: pd.DataFrame,
    sprint_dates: pd.DataFrame,
) -> pd.DataFrame:
    """
    Build ``sprints``, each sprint's commitment counting carried-over issues.

    Jira's velocity chart counts an issue carried over from one sprint to the
    next as *committed* in every sprint it was in, and as *completed* only in
    the sprint in which it was resolved. ``committed_points`` here is the sum of
    the points of every issue that was in the sprint (``membership``), so
    :func:`pmo_kit.agile.velocity` (completed: items whose ``sprint_id``, their
    last sprint, is the sprint and resolved by its end) gives Jira's figures.
    The CSV holds today's estimate of each issue, not the one at sprint start,
    and no record of issues added or removed mid-sprint: they count as committed.

    Parameters
    ----------
    membership
        :func:`read_jira_sprint_membership`.
    work_items
        :func:`read_jira_csv` (for the points; items without points count 0).
    sprint_dates
        :func:`read_jira_sprint_dates`.

    Returns
    -------
    pandas.DataFrame
        The ``sprints`` table, validated, in start order.

    Raises
    ------
    ValidationError
        An issue is in a sprint that has no dates (the message lists them).
    """
    known = set(sprint_dates["sprint_id"])
    unknown = sorted(set(membership["sprint_id"]) - known)
    if unknown:
        example = membership[membership["sprint_id"] == unknown[0]]["key"].iloc[0]
        msg = (
            f"sprint {unknown[0]!r} (issue {example}) has no dates"
            + (f"; also {', '.join(map(repr, unknown[1:]))}" if unknown[1:] else "")
            + f". Allowed: a sprint listed in the sprint-dates file ({len(known)} "
            "listed); add a row 'Sprint, Start Date, End Date' for it"
        )
        raise ValidationError(msg)
    points = pd.to_numeric(
        work_items.set_index(["project_id", "key"])["points"], errors="coerce"
    )
    member_points = points.reindex(
        pd.MultiIndex.from_frame(membership[["project_id", "key"]])
    ).fillna(0.0)
    committed = (
        pd.Series(member_points.to_numpy(dtype=float))
        .groupby(
            [membership["project_id"].to_numpy(), membership["sprint_id"].to_numpy()]
        )
        .sum()
    )
    table = sprint_dates.copy()
    index = pd.MultiIndex.from_frame(table[["project_id", "sprint_id"]])
    table["committed_points"] = committed.reindex(index).fillna(0.0).to_numpy()
    table = table.sort_values(["project_id", "start"], kind="stable")
    return validate_frame(table.reset_index(drop=True), "sprints")
