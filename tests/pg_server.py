"""
A real PostgreSQL server for tests, started by the project's own script.

``scripts/postgres.sh start DIR`` makes a throwaway cluster in a temp folder, on
127.0.0.1 only (as root the server runs as the ``postgres`` system user); the
server is stopped and the folder removed after use.

    with postgres_server() as url:          # postgresql://pmo:...@127.0.0.1:PORT/pmo
        db = fresh_database(url, "t1")       # an empty database on that server
"""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from collections.abc import Iterator

SCRIPT = Path(__file__).resolve().parent.parent / "scripts" / "postgres.sh"
INSTALL_HINT = (
    "install with `make system-deps` (Debian: `sudo apt-get install postgresql`) and "
    "`.venv/bin/python -m pip install -e '.[postgres]'` (psycopg)"
)


def _refuse(msg: str) -> None:
    if os.environ.get("CI", "").strip().lower() == "true":
        pytest.fail(f"CI=true, refusing to skip: {msg}", pytrace=False)
    pytest.skip(msg)


def require_postgres() -> None:
    """Skip without PostgreSQL or psycopg; under ``CI=true`` fail instead."""
    missing = []
    installed = any(Path("/usr/lib/postgresql").glob("*/bin/initdb"))
    if not installed and not shutil.which("pg_ctl"):
        missing.append("the PostgreSQL server (initdb)")
    try:
        import psycopg  # noqa: F401
    except ImportError:
        missing.append("the psycopg Python package")
    if missing:
        _refuse(f"PostgreSQL test needs {' and '.join(missing)}: {INSTALL_HINT}")


@contextlib.contextmanager
def postgres_server() -> Iterator[str]:
    """Start a throwaway server with scripts/postgres.sh; yield its URL; stop it."""
    require_postgres()
    folder = tempfile.mkdtemp(prefix="pmo-pg-")
    started = subprocess.run(
        ["bash", str(SCRIPT), "start", folder],
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )
    try:
        if started.returncode == 3:
            _refuse(f"PostgreSQL cannot run here: {started.stderr.strip()}")
        if started.returncode != 0:
            msg = f"scripts/postgres.sh start failed: {started.stderr.strip()}"
            raise RuntimeError(msg)
        yield started.stdout.strip().splitlines()[-1]
    finally:
        subprocess.run(
            ["bash", str(SCRIPT), "stop", folder],
            capture_output=True,
            timeout=120,
            check=False,
        )
        shutil.rmtree(folder, ignore_errors=True)


def fresh_database(server_url: str, name: str) -> str:
    """Create an empty database ``name`` on the server; return its URL."""
    import sqlalchemy as sa

    url = sa.make_url(server_url).set(drivername="postgresql+psycopg")
    engine = sa.create_engine(url, isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as connection:
            connection.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}"')
            connection.exec_driver_sql(f'CREATE DATABASE "{name}"')
    finally:
        engine.dispose()
    return (
        sa.make_url(server_url).set(database=name).render_as_string(hide_password=False)
    )
