"""
What a save changes, and whether someone else changed the same rows meanwhile.

A portfolio loaded from a database keeps a :class:`Snapshot` of the rows as read
(its *origin*). Saving it back compares three snapshots, per table and per key:

- *origin*: the rows as this portfolio loaded them;
- *mine*: the rows of the portfolio being saved;
- *current*: the rows in the database now (read under the writer lock).

Rows I added, changed or deleted are my changes. A change conflicts when the
current row is no longer the origin row (someone else changed or deleted it, or
added a row with the same key) unless it already equals mine. Rows nobody changed,
or that only someone else changed, are left as they are in the database, so two
people changing different rows both keep their changes.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from pmo_kit.data.schemas import SCHEMAS
from pmo_kit.data.values import python_value

if TYPE_CHECKING:
    import pandas as pd

    from pmo_kit.data.schemas import Kind

__all__ = [
    "Changes",
    "Snapshot",
    "TableChanges",
    "frame_rows",
    "key_text",
    "merge",
    "normalise",
    "plan_changes",
]

Key = tuple[object, ...]
Row = tuple[object, ...]


def normalise(value: object, kind: Kind) -> object:
    """
    Return one cell as the plain Python value the store compares and writes.

    Values from a typed DataFrame and from either database compare equal after
    this, so an unchanged row is never mistaken for a change
    (:func:`pmo_kit.data.values.python_value`).

    Examples
    --------
    >>> import datetime as dt
    >>> normalise(dt.datetime(2026, 3, 1), "date"), normalise(float("nan"), "float")
    (datetime.date(2026, 3, 1), None)
    """
    return python_value(value, kind)


def key_text(table: str, key: Key) -> str:
    """
    Name one row in messages: the table and its key values.

    Examples
    --------
    >>> key_text("lessons", ("L-033",)), key_text("tasks", ("P-001", "T-010"))
    ('lessons L-033', 'tasks P-001/T-010')
    """
    return f"{table} {'/'.join(str(v) for v in key)}"


def frame_rows(frame: pd.DataFrame, table: str) -> dict[Key, Row]:
    """Return a typed table's rows by key (declared columns, in frame order)."""
    schema = SCHEMAS[table]
    kinds = [c.kind for c in schema.columns]
    names = schema.column_names
    positions = [names.index(k) for k in schema.key]
    rows: dict[Key, Row] = {}
    values = frame[names].astype("object").itertuples(index=False, name=None)
    for raw in values:
        row = tuple(normalise(v, k) for v, k in zip(raw, kinds, strict=True))
        rows[tuple(row[i] for i in positions)] = row
    return rows


@dataclass
class Snapshot:
    """
    A whole dataset as rows: what a database holds, or what a portfolio would write.

    ``tables`` maps each canonical table to its rows by key, in row order;
    ``settings`` holds the organisation's ``name`` and ``currency``; ``charters``
    the YAML text of each project's charter.
    """

    tables: dict[str, dict[Key, Row]]
    settings: dict[str, str | None] = field(default_factory=dict)
    charters: dict[str, str] = field(default_factory=dict)


@dataclass
class TableChanges:
    """One table's changes: keys deleted, rows updated and rows inserted by key."""

    deleted: list[Key] = field(default_factory=list)
    updated: dict[Key, Row] = field(default_factory=dict)
    inserted: dict[Key, Row] = field(default_factory=dict)

    def __bool__(self) -> bool:
        """Tell whether the table has any change."""
        return bool(self.deleted or self.updated or self.inserted)


@dataclass
class Changes:
    """Every change a save makes, table by table, plus settings and charters."""

    tables: dict[str, TableChanges] = field(default_factory=dict)
    settings: dict[str, str | None] = field(default_factory=dict)
    charters: dict[str, str | None] = field(default_factory=dict)

    def count(self) -> int:
        """Count the rows, settings and charters changed."""
        rows = sum(
            len(t.deleted) + len(t.updated) + len(t.inserted)
            for t in self.tables.values()
        )
        return rows + len(self.settings) + len(self.charters)


def _decide(
    what: str, origin: object, mine: object, current: object, conflicts: list[str]
) -> bool:
    """Return True when ``mine`` must be written; record a conflict if needed."""
    if mine in (origin, current):
        return False
    if current != origin:
        verb = (
            "added" if origin is None else "deleted" if current is None else "changed"
        )
        conflicts.append(f"{what} was {verb} by someone else since you loaded it")
    return True


def plan_changes(
    origin: Snapshot, mine: Snapshot, current: Snapshot
) -> tuple[Changes, list[str]]:
    """
    Compare the three snapshots and list my changes and the conflicts.

    Returns
    -------
    tuple
        ``(changes, conflicts)``: the changes to write on top of ``current``, and
        one text per conflicting row (``"lessons L-012 was changed by someone else
        since you loaded it"``); any conflict means nothing may be written.
    """
    changes = Changes()
    conflicts: list[str] = []
    for name in SCHEMAS:
        before = origin.tables.get(name, {})
        after = mine.tables.get(name, {})
        now = current.tables.get(name, {})
        table_changes = TableChanges()
        for key in [*before, *(k for k in after if k not in before)]:
            row = after.get(key)
            if not _decide(
                key_text(name, key), before.get(key), row, now.get(key), conflicts
            ):
                continue
            if row is None:
                table_changes.deleted.append(key)
            elif key in now:
                table_changes.updated[key] = row
            else:
                table_changes.inserted[key] = row
        if table_changes:
            changes.tables[name] = table_changes
    for setting in ("name", "currency"):
        value = mine.settings.get(setting)
        if _decide(
            f"the organisation {setting}",
            origin.settings.get(setting),
            value,
            current.settings.get(setting),
            conflicts,
        ):
            changes.settings[setting] = value
    for project_id in sorted({*origin.charters, *mine.charters}):
        text = mine.charters.get(project_id)
        if _decide(
            f"the charter of {project_id}",
            origin.charters.get(project_id),
            text,
            current.charters.get(project_id),
            conflicts,
        ):
            changes.charters[project_id] = text
    return changes, conflicts


def merge(current: Snapshot, changes: Changes) -> Snapshot:
    """Return ``current`` with ``changes`` applied (new rows last, in their order)."""
    tables: dict[str, dict[Key, Row]] = {}
    for name in SCHEMAS:
        rows = dict(current.tables.get(name, {}))
        table_changes = changes.tables.get(name)
        if table_changes:
            for key in table_changes.deleted:
                rows.pop(key, None)
            rows.update(table_changes.updated)
            rows.update(table_changes.inserted)
        tables[name] = rows
    settings = {**current.settings, **changes.settings}
    charters = dict(current.charters)
    for project_id, text in changes.charters.items():
        if text is None:
            charters.pop(project_id, None)
        else:
            charters[project_id] = text
    return Snapshot(tables, settings, charters)
