"""Fixtures: a database URL for each backend (a SQLite file, a real PostgreSQL)."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

import pytest

from pmo_kit.store import close_databases
from tests.pg_server import fresh_database, postgres_server

if TYPE_CHECKING:
    from collections.abc import Iterator
    from pathlib import Path

BACKENDS = ["sqlite", "postgresql"]


@pytest.fixture(scope="session")
def pg_server() -> Iterator[str]:
    """One throwaway PostgreSQL server for the whole session."""
    with postgres_server() as url:
        yield url


@pytest.fixture(params=BACKENDS)
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """An empty database: a SQLite file, or a new database on the real server."""
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'pmo.db'}"
    else:
        server = request.getfixturevalue("pg_server")
        name = re.sub(r"\W+", "_", request.node.name.lower())[:50]
        url = fresh_database(server, name)
    yield url
    close_databases()
