"""
The PMO repository in a database: open it, load a portfolio, save one back.

A SQLite file (``sqlite:///path/to/pmo.db``, nothing to install) or a PostgreSQL
server (``postgresql://user:password@host:port/database``, needs the ``postgres``
extra) holds every table of a dataset, validated exactly as a dataset folder.

Saving is one transaction, with writers queued (SQLite ``BEGIN IMMEDIATE`` and a
busy timeout; PostgreSQL a row lock, ``SELECT ... FOR UPDATE``, on the schema
version row). A portfolio loaded from the database remembers the rows it read and
saving it back writes only its own changes, after checking nobody changed those
rows meanwhile (see :mod:`pmo_kit.store.merge`); any other portfolio replaces the
database's content, as saving to a folder replaces the folder's.
"""

from __future__ import annotations

import os
import re
import threading
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd
import sqlalchemy as sa
import yaml

from pmo_kit._errors import MissingDependencyError, ValidationError
from pmo_kit.charter.files import charter_yaml
from pmo_kit.charter.model import Charter
from pmo_kit.data.cross_checks import FIRST_ROW, cross_checks
from pmo_kit.data.portfolio import DatasetCheck, Portfolio
from pmo_kit.data.schemas import SCHEMAS
from pmo_kit.data.tables import validate_frame
from pmo_kit.data.yaml_files import SAFE_LOADER
from pmo_kit.store.errors import ConflictError, DatabaseError
from pmo_kit.store.merge import (
    Changes,
    Key,
    Row,
    Snapshot,
    frame_rows,
    key_text,
    merge,
    normalise,
    plan_changes,
)
from pmo_kit.store.schema import CHARTERS, METADATA, ROW_ORDER, SETTINGS, upgrade_schema
from pmo_kit.store.urls import mask_url

if TYPE_CHECKING:
    from collections.abc import Callable

__all__ = [
    "BUSY_TIMEOUT_SECONDS",
    "Origin",
    "check_database",
    "close_databases",
    "load_database",
    "open_database",
    "project_ids",
    "save_database",
]

#: How long a SQLite writer waits for another one before giving up.
BUSY_TIMEOUT_SECONDS = 60.0
_ALLOWED = "sqlite:///path/to/file.db or postgresql://user:password@host:port/database"
_PG_LOCK = 0x504D4F  # advisory lock that serialises schema upgrades ("PMO")

_ENGINES: dict[str, sa.Engine] = {}
_IDENTITY: dict[int, str] = {}
_LOCK = threading.Lock()


def _forget_engines() -> None:  # a forked child must not reuse the parent's sockets
    _ENGINES.clear()
    _IDENTITY.clear()


os.register_at_fork(after_in_child=_forget_engines)


@dataclass(frozen=True)
class Origin:
    """Where a portfolio was loaded from: the database and its rows as read."""

    identity: str
    snapshot: Snapshot


def open_database(url: str) -> sa.Engine:
    """
    Connect to a database, creating or upgrading the kit's schema.

    Engines are cached per URL, so calling this again is cheap.

    Parameters
    ----------
    url
        ``sqlite:///relative/file.db``, ``sqlite:////absolute/file.db`` (the file
        is created when missing; its folder must exist) or
        ``postgresql://user:password@host:port/database``.

    Returns
    -------
    sqlalchemy.Engine
        With every table of :func:`pmo_kit.store.table` present.

    Raises
    ------
    DatabaseError
        The URL is not a supported database URL, or the database cannot be
        reached; one line naming the URL with its password masked.
    MissingDependencyError
        A PostgreSQL URL without psycopg installed.
    """
    key = url.strip()
    with _LOCK:
        engine = _ENGINES.get(key)
        if engine is None:
            engine = _connect(key)
            _ENGINES[key] = engine
    return engine


def close_databases() -> None:
    """Close every cached engine (their pooled connections)."""
    with _LOCK:
        engines = list(_ENGINES.values())
        _forget_engines()
    for engine in engines:
        engine.dispose()


def _unsupported(shown: str) -> DatabaseError:
    return DatabaseError(
        f"{shown} is not a supported database URL. Allowed: {_ALLOWED}"
    )


def _connect(url: str) -> sa.Engine:
    shown = mask_url(url)
    try:
        parsed = sa.make_url(url)
    except sa.exc.ArgumentError:
        raise _unsupported(shown) from None
    backend = parsed.get_backend_name()
    if backend == "sqlite" and parsed.drivername in {"sqlite", "sqlite+pysqlite"}:
        database = parsed.database or ""
        if database in {"", ":memory:"} or database.startswith("file:"):
            msg = (
                f"{shown}: a SQLite URL needs a file (an in-memory database would be "
                f"lost at once). Allowed: {_ALLOWED}"
            )
            raise DatabaseError(msg)
        folder = Path(database).expanduser().resolve().parent
        if not folder.is_dir():
            msg = f"cannot open {shown}: the folder {folder} does not exist"
            raise DatabaseError(msg)
        identity = f"sqlite:///{Path(database).expanduser().resolve()}"
        engine = sa.create_engine(
            parsed,
            connect_args={"timeout": BUSY_TIMEOUT_SECONDS, "check_same_thread": False},
        )
        _queue_sqlite_writers(engine)
    elif backend == "postgresql" and parsed.drivername in {
        "postgresql",
        "postgresql+psycopg",
    }:
        try:
            import psycopg  # noqa: F401
        except ImportError:
            msg = "PostgreSQL URLs need psycopg: pip install 'pmo-kit[postgres]'"
            raise MissingDependencyError(msg) from None
        parsed = parsed.set(drivername="postgresql+psycopg")
        identity = parsed.set(password=None).render_as_string()
        engine = sa.create_engine(
            parsed, pool_pre_ping=True, connect_args={"connect_timeout": 10}
        )
    else:
        raise _unsupported(shown)
    try:
        with engine.begin() as connection:
            if backend == "postgresql":
                connection.execute(
                    sa.text("SELECT pg_advisory_xact_lock(:key)"), {"key": _PG_LOCK}
                )
            upgrade_schema(connection, shown)
    except sa.exc.DBAPIError as exc:
        engine.dispose()
        raise DatabaseError(_connection_problem(shown, exc, parsed.password)) from None
    except BaseException:
        engine.dispose()
        raise
    _IDENTITY[id(engine)] = identity
    return engine


def _queue_sqlite_writers(engine: sa.Engine) -> None:
    """SQLAlchemy's "serializable SQLite" recipe: every transaction BEGIN IMMEDIATE."""

    @sa.event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None  # we issue BEGIN ourselves
        cursor = dbapi_connection.cursor()
        cursor.execute(f"PRAGMA busy_timeout = {int(BUSY_TIMEOUT_SECONDS * 1000)}")
        cursor.close()

    @sa.event.listens_for(engine, "begin")
    def _on_begin(connection: sa.Connection) -> None:
        connection.exec_driver_sql("BEGIN IMMEDIATE")


def _connection_problem(
    shown: str, exc: sa.exc.DBAPIError, password: str | None
) -> str:
    text = str(exc.orig).strip() or type(exc.orig).__name__
    if password:
        text = text.replace(password, "***")
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    reason = lines[0] if lines else text
    reason = re.sub(r"^connection failed:\s*", "", reason)
    if "refused" in text.lower():
        reason = "connection refused; is the server running?"
    elif "timeout" in text.lower() or "timed out" in text.lower():
        reason = "no answer (timed out); is the host and port right?"
    verb = "open" if shown.startswith("sqlite") else "connect to"
    return f"cannot {verb} {shown}: {reason}"


# --------------------------------------------------------------------- reading


def _read_snapshot(connection: sa.Connection) -> Snapshot:
    tables: dict[str, dict[Key, Row]] = {}
    for name, schema in SCHEMAS.items():
        sql = METADATA.tables[name]
        kinds = [c.kind for c in schema.columns]
        positions = [schema.column_names.index(k) for k in schema.key]
        statement = sa.select(*(sql.c[c] for c in schema.column_names)).order_by(
            sql.c[ROW_ORDER], *(sql.c[k] for k in schema.key)
        )
        rows: dict[Key, Row] = {}
        for raw in connection.execute(statement):
            row = tuple(normalise(v, k) for v, k in zip(raw, kinds, strict=True))
            rows[tuple(row[i] for i in positions)] = row
        tables[name] = rows
    settings = {
        str(k): v
        for k, v in connection.execute(sa.select(SETTINGS.c.key, SETTINGS.c.value))
        if k in {"name", "currency"}
    }
    charters = {
        str(k): str(v)
        for k, v in connection.execute(
            sa.select(CHARTERS.c.project_id, CHARTERS.c.yaml).order_by(
                CHARTERS.c.project_id
            )
        )
    }
    return Snapshot(tables, settings, charters)


_ROW_REFERENCE = re.compile(r"^(?P<table>\w+)\.csv, row (?P<row>\d+)")
_TABLE_FILE = re.compile(r"^(?P<table>\w+)\.csv:")
_FIRST_USED = re.compile(r", first used on row \d+")


def _name_rows(
    problems: list[str], frames: dict[str, pd.DataFrame], shown: str
) -> list[str]:
    """Say ``<url>: lessons L-033`` where a folder's message says ``row 34``."""
    named = []
    for problem in problems:
        match = _ROW_REFERENCE.match(problem)
        frame = frames.get(match["table"]) if match else None
        if match is None or frame is None:
            problem = _TABLE_FILE.sub(r"table \g<table>:", problem)
            named.append(f"{shown}: {problem}")
            continue
        table = match["table"]
        position = int(match["row"]) - FIRST_ROW
        where = f"{table} row {position + 1}"
        if 0 <= position < len(frame):
            key = tuple(frame.iloc[position][k] for k in SCHEMAS[table].key)
            if not any(v is None or pd.isna(v) for v in key):
                kinds = [SCHEMAS[table].column(k).kind for k in SCHEMAS[table].key]
                key = tuple(normalise(v, k) for v, k in zip(key, kinds, strict=True))
                where = key_text(table, key)
        rest = _FIRST_USED.sub("", problem[match.end() :])
        named.append(f"{shown}: {where}{rest}")
    return named


def _typed_tables(
    frames: dict[str, pd.DataFrame], shown: str
) -> tuple[dict[str, pd.DataFrame], list[str]]:
    typed: dict[str, pd.DataFrame] = {}
    problems: list[str] = []
    for name, frame in frames.items():
        try:
            typed[name] = validate_frame(
                frame, name, source=SCHEMAS[name].file_name, first_row=FIRST_ROW
            )
        except ValidationError as exc:
            problems.extend(_name_rows(exc.problems, {name: frame}, shown))
    return typed, problems


def _frame(snapshot: Snapshot, name: str) -> pd.DataFrame:
    """Rows as a text-like frame; an optional column with no value is left out."""
    schema = SCHEMAS[name]
    frame = pd.DataFrame(
        list(snapshot.tables.get(name, {}).values()),
        columns=schema.column_names,
        dtype="object",
    )
    unused = [
        c.name for c in schema.columns if not c.required and frame[c.name].isna().all()
    ]
    return frame.drop(columns=unused)


def _portfolio_of(
    snapshot: Snapshot, shown: str, default_name: str
) -> tuple[Portfolio | None, list[str]]:
    frames = {name: _frame(snapshot, name) for name in SCHEMAS}
    typed, problems = _typed_tables(frames, shown)
    charters: dict[str, Charter] = {}
    for project_id, text in snapshot.charters.items():
        where = f"{shown} charter {project_id}"
        try:
            charters[project_id] = Charter.from_dict(
                yaml.load(text, Loader=SAFE_LOADER), source=where
            )
        except yaml.YAMLError as exc:
            problems.append(f"{where}: not valid YAML ({exc})")
        except ValidationError as exc:
            problems.extend(exc.problems)
    if problems:
        return None, problems
    bundle = Portfolio(
        name=snapshot.settings.get("name") or default_name,
        currency=snapshot.settings.get("currency") or "EUR",
        charters=charters,
        **typed,  # type: ignore[arg-type]
    )
    problems = _name_rows(cross_checks(bundle), typed, shown)
    return (None if problems else bundle), problems


def _default_name(engine: sa.Engine) -> str:
    database = engine.url.database or "pmo"
    return (
        Path(database).stem if engine.url.get_backend_name() == "sqlite" else database
    )


def check_database(
    url: str, *, progress: Callable[[str, int, int], None] | None = None
) -> DatasetCheck:
    """
    Check a database's portfolio and list every problem (as ``check_dataset``).

    Parameters
    ----------
    url
        A database URL (see :func:`open_database`).
    progress
        Called with a step name, its number (from 1) and the number of steps.

    Returns
    -------
    DatasetCheck
        ``path`` is the URL with its password masked; ``portfolio`` remembers the
        rows it was loaded from, so saving it back merges (see
        :func:`save_database`).

    Raises
    ------
    DatabaseError, MissingDependencyError
        As :func:`open_database`.
    """
    shown = mask_url(url)
    if progress is not None:
        progress("connect", 1, 3)
    engine = open_database(url)
    if progress is not None:
        progress("read tables", 2, 3)
    with engine.begin() as connection:
        snapshot = _read_snapshot(connection)
    if progress is not None:
        progress("check", 3, 3)
    if not snapshot.settings and not any(snapshot.tables.values()):
        msg = (
            f"{shown}: the database holds no portfolio yet. Allowed: save one first "
            "(save_portfolio(portfolio, url))"
        )
        return DatasetCheck(shown, [msg])
    portfolio, problems = _portfolio_of(snapshot, shown, _default_name(engine))
    empty = tuple(
        SCHEMAS[name].name for name, rows in snapshot.tables.items() if not rows
    )
    if portfolio is not None:
        origin = Origin(_IDENTITY[id(engine)], snapshot)
        portfolio = replace(portfolio, origin=origin)
    return DatasetCheck(shown, problems, empty, portfolio)


def load_database(url: str) -> Portfolio:
    """
    Load and validate the portfolio a database holds.

    Raises
    ------
    ValidationError
        A row breaks a rule; the message names the table, the row's key, the
        column, the bad value and what is allowed.
    DatabaseError, MissingDependencyError
        As :func:`open_database`.
    """
    checked = check_database(url)
    if checked.portfolio is None or checked.problems:
        raise ValidationError.from_problems(checked.problems)
    return checked.portfolio


def project_ids(url: str) -> list[str]:
    """
    Return the ids in a database's ``projects`` table, in the table's order.

    One small query, not a load: a report's parameter check and a batch's
    ``--all-projects`` ask for it once per run or per row.

    Raises
    ------
    DatabaseError, MissingDependencyError
        As :func:`open_database`.
    """
    projects = METADATA.tables["projects"]
    statement = sa.select(projects.c.project_id).order_by(
        projects.c[ROW_ORDER], projects.c.project_id
    )
    with open_database(url).connect() as connection:
        return [str(pid) for (pid,) in connection.execute(statement)]


# --------------------------------------------------------------------- writing


def _snapshot_of(portfolio: Portfolio, shown: str) -> Snapshot:
    """Validate a portfolio as a folder save would, and return its rows."""
    if not isinstance(portfolio, Portfolio):
        msg = f"{portfolio!r} is not a Portfolio. Allowed: a Portfolio (load_portfolio)"
        raise ValidationError(msg)
    typed, problems = _typed_tables(portfolio.tables(), shown)
    if not problems:
        bundle = replace(portfolio, path=None, **typed)  # type: ignore[arg-type]
        problems = _name_rows(cross_checks(bundle), typed, shown)
    if problems:
        raise ValidationError.from_problems(problems)
    return Snapshot(
        {name: frame_rows(frame, name) for name, frame in typed.items()},
        {"name": portfolio.name, "currency": portfolio.currency},
        {pid: charter_yaml(c) for pid, c in sorted(portfolio.charters.items())},
    )


def save_database(portfolio: Portfolio, url: str) -> str:
    """
    Save a portfolio to a database in one transaction.

    A portfolio loaded from this database writes only its changes (rows added,
    changed, deleted), after checking each of those rows is still as it was
    loaded; the merged whole is validated before commit. Any other portfolio
    replaces the database's content. Either way, a failure leaves the database
    exactly as it was.

    Returns
    -------
    str
        The URL, password masked.

    Raises
    ------
    ValidationError
        The portfolio (or the merge of it with other people's changes) breaks a
        rule; the message names the table, the row's key, the column, the value
        and what is allowed.
    ConflictError
        Someone else changed a row this save changes; nothing was written.
    DatabaseError, MissingDependencyError
        As :func:`open_database`.
    """
    shown = mask_url(url)
    engine = open_database(url)
    mine = _snapshot_of(portfolio, shown)
    identity = _IDENTITY[id(engine)]
    origin = portfolio.origin
    merging = isinstance(origin, Origin) and origin.identity == identity
    with engine.begin() as connection:
        connection.execute(  # the writers' queue (a no-op clause on SQLite)
            sa.select(SETTINGS.c.value)
            .where(SETTINGS.c.key == "schema_version")
            .with_for_update()
        )
        current = _read_snapshot(connection)
        if isinstance(origin, Origin) and merging:
            changes, conflicts = plan_changes(origin.snapshot, mine, current)
            if conflicts:
                more = len(conflicts) - 1
                extra = f" (+{more} more conflict{'s' if more > 1 else ''})"
                msg = (
                    f"{conflicts[0]}{extra if more else ''}; "
                    "load again and redo your change"
                )
                raise ConflictError(msg, conflicts)
            merged = merge(current, changes)
            if changes.count():
                _, problems = _portfolio_of(merged, shown, _default_name(engine))
                if problems:
                    raise ValidationError.from_problems(problems)
            _write_changes(connection, changes)
        else:
            _replace_all(connection, mine)
            merged = mine
    object.__setattr__(portfolio, "origin", Origin(identity, merged))
    return shown


def _key_params(key_columns: tuple[str, ...], key: Key) -> dict[str, object]:
    return {f"k_{c}": v for c, v in zip(key_columns, key, strict=True)}


def _write_changes(connection: sa.Connection, changes: Changes) -> None:
    for name, table_changes in changes.tables.items():
        sql = METADATA.tables[name]
        schema = SCHEMAS[name]
        columns = schema.column_names
        where = sa.and_(*(sql.c[k] == sa.bindparam(f"k_{k}") for k in schema.key))
        if table_changes.deleted:
            connection.execute(
                sql.delete().where(where),
                [_key_params(schema.key, k) for k in table_changes.deleted],
            )
        if table_changes.updated:
            connection.execute(
                sql.update()
                .where(where)
                .values({c: sa.bindparam(f"v_{c}") for c in columns}),
                [
                    {
                        **_key_params(schema.key, key),
                        **{f"v_{c}": v for c, v in zip(columns, row, strict=True)},
                    }
                    for key, row in table_changes.updated.items()
                ],
            )
        if table_changes.inserted:
            last = connection.execute(sa.select(sa.func.max(sql.c[ROW_ORDER]))).scalar()
            start = int(last) + 1 if last is not None else 0
            connection.execute(
                sql.insert(),
                [
                    {**dict(zip(columns, row, strict=True)), ROW_ORDER: start + n}
                    for n, row in enumerate(table_changes.inserted.values())
                ],
            )
    if changes.settings:
        _write_settings(connection, changes.settings)
    for project_id, text in changes.charters.items():
        connection.execute(CHARTERS.delete().where(CHARTERS.c.project_id == project_id))
        if text is not None:
            connection.execute(
                CHARTERS.insert().values(project_id=project_id, yaml=text)
            )


def _write_settings(connection: sa.Connection, settings: dict[str, str | None]) -> None:
    connection.execute(SETTINGS.delete().where(SETTINGS.c.key.in_(list(settings))))
    connection.execute(
        SETTINGS.insert(), [{"key": k, "value": v} for k, v in settings.items()]
    )


def _replace_all(connection: sa.Connection, snapshot: Snapshot) -> None:
    for name, schema in SCHEMAS.items():
        sql = METADATA.tables[name]
        connection.execute(sql.delete())
        rows = snapshot.tables.get(name, {})
        if rows:
            columns = schema.column_names
            connection.execute(
                sql.insert(),
                [
                    {**dict(zip(columns, row, strict=True)), ROW_ORDER: n}
                    for n, row in enumerate(rows.values())
                ],
            )
    _write_settings(connection, snapshot.settings)
    connection.execute(CHARTERS.delete())
    if snapshot.charters:
        connection.execute(
            CHARTERS.insert(),
            [{"project_id": k, "yaml": v} for k, v in snapshot.charters.items()],
        )
