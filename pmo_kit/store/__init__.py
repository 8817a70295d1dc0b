"""
The PMO repository in a database (SQLAlchemy): a SQLite file or PostgreSQL.

:func:`pmo_kit.load_portfolio` and :func:`pmo_kit.save_portfolio` hand a database
URL here. The names below are imported on first use, so importing this package (or
testing a path with :func:`is_database_url`) does not import SQLAlchemy.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from pmo_kit._lazy import lazy_exports
from pmo_kit.store.errors import ConflictError, DatabaseError
from pmo_kit.store.urls import is_database_url, mask_url

if TYPE_CHECKING:
    from pmo_kit.store.database import (
        check_database,
        close_databases,
        load_database,
        open_database,
        project_ids,
        save_database,
    )
    from pmo_kit.store.schema import table

_EXPORTS = {
    "pmo_kit.store.database": (
        "check_database",
        "close_databases",
        "load_database",
        "open_database",
        "project_ids",
        "save_database",
    ),
    "pmo_kit.store.schema": ("table",),
}
if not TYPE_CHECKING:  # so that mypy still flags unknown names
    __getattr__, __dir__ = lazy_exports(__name__, _EXPORTS)

__all__ = [
    "ConflictError",
    "DatabaseError",
    "check_database",
    "close_databases",
    "is_database_url",
    "load_database",
    "mask_url",
    "open_database",
    "project_ids",
    "save_database",
    "table",
]
