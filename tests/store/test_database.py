"""
The PMO repository in a real database: SQLite and a real PostgreSQL server.

Expected values come from the dataset folder (loaded by the folder code, which
never touches the store) or are written by hand.
"""

from __future__ import annotations

import multiprocessing
import queue
import subprocess
import sys
import textwrap
import threading
from dataclasses import replace
from typing import Any

import pandas as pd
import pytest
import sqlalchemy as sa

from pmo_kit import MissingDependencyError, ValidationError
from pmo_kit.data.portfolio import (
    Portfolio,
    check_dataset,
    load_portfolio,
    save_portfolio,
)
from pmo_kit.data.schemas import SCHEMAS
from pmo_kit.store import (
    ConflictError,
    DatabaseError,
    close_databases,
    is_database_url,
    open_database,
    table,
)
from pmo_kit.store.schema import SETTINGS
from tests.store.store_workers import edit_lessons


def _folder() -> Portfolio:
    return load_portfolio()


def _effects(url: str) -> dict[str, str]:
    lessons = load_portfolio(url).lessons
    return dict(zip(lessons["lesson_id"], lessons["effect"], strict=True))


def _assert_same(left: Portfolio, right: Portfolio) -> None:
    assert (left.name, left.currency) == (right.name, right.currency)
    for name, frame in left.tables().items():
        pd.testing.assert_frame_equal(frame, right.tables()[name], obj=name)
    assert left.charters == right.charters


def _db_rows(url: str) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table, read with plain SQL (not the store's reader)."""
    engine = open_database(url)
    out = {}
    with engine.connect() as connection:
        for name in [*SCHEMAS, "pmo_kit_settings", "pmo_kit_charters"]:
            rows = connection.execute(sa.text(f'SELECT * FROM "{name}"')).all()
            out[name] = sorted(tuple(map(str, r)) for r in rows)
    return out


# ------------------------------------------------------------------ round trip


def test_the_sample_round_trips_through_the_database(db_url: str) -> None:
    folder = _folder()
    save_portfolio(folder, db_url)
    close_databases()  # a fresh engine: nothing is served from memory
    loaded = load_portfolio(db_url)
    _assert_same(folder, loaded)
    assert loaded.path is None
    assert len(loaded.lessons) == 32  # 33 lines in lessons.csv, one is the header
    # the DB tables are the canonical ones, keyed as the schema says
    assert [c.name for c in table(open_database(db_url), "tasks").primary_key] == [
        "project_id",
        "task_id",
    ]
    with open_database(db_url).connect() as connection:
        count = connection.execute(sa.text("SELECT COUNT(*) FROM tasks")).scalar()
    assert count == 323  # 324 lines in tasks.csv


def test_check_dataset_and_empty_database(db_url: str) -> None:
    checked = check_dataset(db_url)
    assert not checked.ok
    assert checked.problems == [
        f"{db_url.replace(':pmo-test@', ':***@')}: the database holds no portfolio "
        "yet. Allowed: save one first (save_portfolio(portfolio, url))"
    ]
    save_portfolio(_folder(), db_url)
    assert check_dataset(db_url).ok


def test_a_bad_row_in_the_database_is_named_by_its_key(db_url: str) -> None:
    save_portfolio(_folder(), db_url)
    lessons = table(open_database(db_url), "lessons")
    with open_database(db_url).begin() as connection:
        connection.execute(
            lessons.update()
            .where(lessons.c.lesson_id == "L-007")
            .values(category="gossip")
        )
    problems = check_dataset(db_url).problems
    assert len(problems) == 1
    assert "lessons L-007, column 'category': 'gossip' is not allowed" in problems[0]
    with pytest.raises(ValidationError, match="lessons L-007, column 'category'"):
        load_portfolio(db_url)


# ------------------------------------------------------------- bad input, one line


def test_a_bad_value_names_table_key_column_value_and_leaves_the_db(
    db_url: str,
) -> None:
    save_portfolio(_folder(), db_url)
    before = _db_rows(db_url)
    loaded = load_portfolio(db_url)
    lessons = loaded.lessons.copy()
    lessons.loc[lessons["lesson_id"] == "L-033", "effect"] = "ok"  # no such row
    lessons.loc[lessons["lesson_id"] == "L-012", "category"] = "gossip"
    lessons.loc[lessons["lesson_id"] == "L-013", "effect"] = "a good change"
    with pytest.raises(ValidationError) as caught:
        save_portfolio(replace(loaded, lessons=lessons), db_url)
    message = str(caught.value)
    assert "\n" not in message
    assert "lessons L-012, column 'category': 'gossip' is not allowed. Allowed:" in (
        message
    )
    assert _db_rows(db_url) == before
    with pytest.raises(ValidationError):  # a replace-save fails the same way
        save_portfolio(replace(_folder(), lessons=lessons), db_url)
    assert _db_rows(db_url) == before


def test_duplicate_id_and_missing_field(db_url: str) -> None:
    folder = _folder()
    lessons = folder.lessons.copy()
    lessons.loc[4, "lesson_id"] = "L-001"
    with pytest.raises(ValidationError, match=r"lessons L-001: duplicate key"):
        save_portfolio(replace(folder, lessons=lessons), db_url)
    missing = folder.lessons.drop(columns=["event"])
    with pytest.raises(ValidationError, match=r"table lessons: missing column 'event'"):
        save_portfolio(replace(folder, lessons=missing), db_url)
    blank = folder.lessons.copy()
    blank.loc[2, "event"] = None
    with pytest.raises(
        ValidationError, match=r"lessons L-003, column 'event': value is missing"
    ):
        save_portfolio(replace(folder, lessons=blank), db_url)


def test_urls_are_told_from_folders() -> None:
    assert is_database_url("sqlite:///pmo.db")
    assert is_database_url("postgresql+psycopg://u:p@h:5432/pmo")
    assert not is_database_url("datasets/meridian")
    assert not is_database_url("C:\\data\\pmo")


@pytest.mark.parametrize(
    ("url", "line"),
    [
        (
            "mysql://pmo:secret@db/pmo",
            "mysql://pmo:***@db/pmo is not a supported database URL. Allowed: "
            "sqlite:///path/to/file.db or "
            "postgresql://user:password@host:port/database",
        ),
        (
            "sqlite:////no/such/folder/pmo.db",
            "cannot open sqlite:////no/such/folder/pmo.db: "
            "the folder /no/such/folder does not exist",
        ),
    ],
)
def test_bad_url_gives_one_line(url: str, line: str) -> None:
    with pytest.raises(DatabaseError) as caught:
        load_portfolio(url)
    assert str(caught.value) == line


def test_refused_connection_gives_one_line_with_the_password_masked() -> None:
    pytest.importorskip("psycopg")
    import socket

    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    url = f"postgresql://pmo:s3cret@127.0.0.1:{port}/pmo"
    with pytest.raises(DatabaseError) as caught:
        load_portfolio(url)
    assert str(caught.value) == (
        f"cannot connect to postgresql://pmo:***@127.0.0.1:{port}/pmo: "
        "connection refused; is the server running?"
    )


def test_missing_psycopg_gives_one_line() -> None:
    code = """
        import sys
        sys.modules["psycopg"] = None  # as if not installed
        from pmo_kit import MissingDependencyError
        from pmo_kit.data.portfolio import load_portfolio
        try:
            load_portfolio("postgresql://pmo:x@127.0.0.1:1/pmo")
        except MissingDependencyError as exc:
            print(exc)
    """
    out = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code)],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    assert out == "PostgreSQL URLs need psycopg: pip install 'pmo-kit[postgres]'"
    assert issubclass(MissingDependencyError, ImportError)


def test_sqlalchemy_is_only_imported_when_a_url_is_used() -> None:
    code = """
        import sys
        import pmo_kit.store
        from pmo_kit.data.portfolio import load_portfolio
        load_portfolio()
        print("sqlalchemy" in sys.modules)
    """
    out = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code)],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    assert out == "False"


# ---------------------------------------------------------------- merge-save


def test_saving_back_writes_only_the_changes(db_url: str) -> None:
    save_portfolio(_folder(), db_url)
    alice = load_portfolio(db_url)
    bob = load_portfolio(db_url)
    lessons = alice.lessons.copy()
    lessons.loc[lessons["lesson_id"] == "L-002", "effect"] = "Alice's effect"
    lessons = lessons[lessons["lesson_id"] != "L-005"]
    alice = replace(alice, lessons=lessons)
    save_portfolio(alice, db_url)
    risks = bob.risks.copy()
    risks.loc[0, "title"] = "Bob's title"
    save_portfolio(replace(bob, risks=risks), db_url)  # no conflict: other rows
    now = load_portfolio(db_url)
    effects = dict(zip(now.lessons["lesson_id"], now.lessons["effect"], strict=True))
    assert effects["L-002"] == "Alice's effect"
    assert "L-005" not in effects
    assert len(effects) == 31
    assert now.risks.loc[0, "title"] == "Bob's title"
    # a saved portfolio remembers what it saved: saving it again, or a copy of it
    # changed further, is not a conflict with itself
    save_portfolio(alice, db_url)
    again = replace(alice, lessons=lessons.assign(tags="t"))
    save_portfolio(again, db_url)
    save_portfolio(again, db_url)
    assert set(load_portfolio(db_url).lessons["tags"]) == {"t"}


def test_same_row_conflict_writes_nothing(db_url: str) -> None:
    save_portfolio(_folder(), db_url)
    original = _effects(db_url)
    alice = load_portfolio(db_url)
    bob = load_portfolio(db_url)
    mine = alice.lessons.copy()
    mine.loc[mine["lesson_id"] == "L-012", "effect"] = "Alice"
    save_portfolio(replace(alice, lessons=mine), db_url)
    theirs = bob.lessons.copy()
    theirs.loc[theirs["lesson_id"] == "L-012", "effect"] = "Bob"
    theirs.loc[theirs["lesson_id"] == "L-020", "effect"] = "Bob too"
    with pytest.raises(ConflictError) as caught:
        save_portfolio(replace(bob, lessons=theirs), db_url)
    assert str(caught.value) == (
        "lessons L-012 was changed by someone else since you loaded it; "
        "load again and redo your change"
    )
    effects = _effects(db_url)
    assert effects["L-012"] == "Alice"
    assert effects["L-020"] == original["L-020"]  # nothing partial


def test_merged_whole_is_validated_before_commit(db_url: str) -> None:
    folder = _folder()
    spare = pd.DataFrame(
        [
            {
                "resource_id": "R-900",
                "name": "Spare Person",
                "role": "Analyst",
                "skills": "",
                "capacity_hours": 40,
                "cost_rate": 50,
                "calendar": "standard",
            }
        ]
    )
    resources = pd.concat([folder.resources, spare], ignore_index=True)
    save_portfolio(replace(folder, resources=resources), db_url)
    alice = load_portfolio(db_url)
    bob = load_portfolio(db_url)
    kept = bob.resources[bob.resources["resource_id"] != "R-900"]
    save_portfolio(replace(bob, resources=kept), db_url)  # Bob deletes R-900
    first = alice.assignments.iloc[[0]].copy()
    task = alice.tasks.iloc[0]
    first["project_id"], first["task_id"] = task["project_id"], task["task_id"]
    first["resource_id"] = "R-900"
    taken = set(
        zip(
            alice.assignments["project_id"],
            alice.assignments["task_id"],
            alice.assignments["resource_id"],
            strict=True,
        )
    )
    assert (task["project_id"], task["task_id"], "R-900") not in taken
    assignments = pd.concat([alice.assignments, first], ignore_index=True)
    before = _db_rows(db_url)
    with pytest.raises(ValidationError, match="R-900"):
        save_portfolio(replace(alice, assignments=assignments), db_url)  # valid alone
    assert _db_rows(db_url) == before


# ---------------------------------------------------------------- concurrency


def _run_threads(url: str, edits: dict[str, dict[str, str]]) -> dict[str, str]:
    barrier = threading.Barrier(len(edits))
    results: queue.Queue[tuple[str, str]] = queue.Queue()
    threads = [
        threading.Thread(target=edit_lessons, args=(url, who, e, barrier, results))
        for who, e in edits.items()
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=300)
    return dict(results.get_nowait() for _ in edits)


def _run_processes(url: str, edits: dict[str, dict[str, str]]) -> dict[str, str]:
    context = multiprocessing.get_context("spawn")
    barrier = context.Barrier(len(edits))
    results = context.Queue()
    processes = [
        context.Process(target=edit_lessons, args=(url, who, e, barrier, results))
        for who, e in edits.items()
    ]
    for process in processes:
        process.start()
    got = dict(results.get(timeout=300) for _ in edits)
    for process in processes:
        process.join(timeout=60)
        assert process.exitcode == 0
    return got


RUNNERS = {"threads": _run_threads, "processes": _run_processes}


@pytest.mark.parametrize("how", list(RUNNERS))
def test_concurrent_saves_of_different_rows_keep_both(db_url: str, how: str) -> None:
    save_portfolio(_folder(), db_url)
    close_databases()
    results = RUNNERS[how](
        db_url, {"alice": {"L-001": "by Alice"}, "bob": {"L-002": "by Bob"}}
    )
    assert results == {"alice": "ok", "bob": "ok"}
    effects = _effects(db_url)
    assert (effects["L-001"], effects["L-002"]) == ("by Alice", "by Bob")


@pytest.mark.parametrize("how", list(RUNNERS))
def test_concurrent_saves_of_the_same_row_one_wins(db_url: str, how: str) -> None:
    save_portfolio(_folder(), db_url)
    original = _effects(db_url)
    close_databases()
    results = RUNNERS[how](
        db_url,
        {
            "alice": {"L-010": "by Alice", "L-011": "Alice's other"},
            "bob": {"L-010": "by Bob", "L-014": "Bob's other"},
        },
    )
    winners = [who for who, result in results.items() if result == "ok"]
    assert len(winners) == 1, results
    (loser,) = set(results) - set(winners)
    assert results[loser] == (
        "ConflictError: lessons L-010 was changed by someone else since you loaded "
        "it; load again and redo your change"
    )
    effects = _effects(db_url)
    other = {"alice": "L-011", "bob": "L-014"}
    assert effects["L-010"] == f"by {winners[0].title()}"
    assert effects[other[winners[0]]].endswith("'s other")
    assert effects[other[loser]] == original[other[loser]]  # nothing partial


# ---------------------------------------------------------------- schema upgrade


def test_an_older_lessons_table_is_upgraded_with_its_data(db_url: str) -> None:
    schema = SCHEMAS["lessons"]
    dropped = schema.columns[-1]  # pretend an older kit did not know it
    older = [c for c in schema.columns if c is not dropped]
    url = sa.make_url(db_url)
    if url.drivername == "postgresql":
        url = url.set(drivername="postgresql+psycopg")
    engine = sa.create_engine(url)
    with engine.begin() as connection:
        columns = ", ".join(f'"{c.name}" TEXT' for c in older)
        connection.exec_driver_sql(
            f'CREATE TABLE lessons ({columns}, PRIMARY KEY ("lesson_id"))'
        )
        connection.exec_driver_sql(
            "INSERT INTO lessons (lesson_id, project_id, event) "
            "VALUES ('L-001', 'P-001', 'kept through the upgrade')"
        )
    engine.dispose()
    upgraded = open_database(db_url)
    names = {c["name"] for c in sa.inspect(upgraded).get_columns("lessons")}
    assert dropped.name in names
    lessons = table(upgraded, "lessons")
    with upgraded.connect() as connection:
        row = connection.execute(sa.select(lessons)).one()
        version = connection.execute(
            sa.select(SETTINGS.c.value).where(SETTINGS.c.key == "schema_version")
        ).scalar()
    assert (row.lesson_id, row.event) == ("L-001", "kept through the upgrade")
    assert getattr(row, dropped.name) is None
    assert version == "1"
    assert {"projects", "tasks", "gates", "pmo_kit_charters"} <= set(
        sa.inspect(upgraded).get_table_names()
    )


def test_a_database_from_a_newer_kit_is_refused(db_url: str) -> None:
    engine = open_database(db_url)
    with engine.begin() as connection:
        connection.execute(
            SETTINGS.update()
            .where(SETTINGS.c.key == "schema_version")
            .values(value="99")
        )
    close_databases()
    with pytest.raises(DatabaseError, match="written by a newer pmo-kit"):
        open_database(db_url)
