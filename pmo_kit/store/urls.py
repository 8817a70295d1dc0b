"""
Database URLs: tell one from a folder path, and show one without its password.

This module imports nothing heavy, so :func:`pmo_kit.load_portfolio` can test its
argument without loading SQLAlchemy.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

__all__ = ["SUPPORTED_SCHEMES", "absolute_url", "is_database_url", "mask_url"]

#: URL schemes the store opens (``dialect`` or ``dialect+driver``).
SUPPORTED_SCHEMES = ("sqlite", "postgresql", "postgresql+psycopg")

_URL = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*://")
_PASSWORD = re.compile(r"^(?P<head>[^:/]+://[^:/@]*):(?P<password>[^@]*)@")


def is_database_url(text: object) -> bool:
    r"""
    Tell whether ``text`` is a database URL (``scheme://...``) rather than a path.

    Any ``scheme://`` counts, so an unsupported one (``mysql://``) reaches the store
    and gets a clear message instead of "folder not found".

    Examples
    --------
    >>> is_database_url("sqlite:///pmo.db"), is_database_url("postgresql://h/pmo")
    (True, True)
    >>> is_database_url("datasets/meridian"), is_database_url(r"C:\data\pmo")
    (False, False)
    """
    if isinstance(text, os.PathLike) or not isinstance(text, str):
        return False
    return bool(_URL.match(text.strip()))


def mask_url(url: str) -> str:
    """
    Return ``url`` with its password replaced by ``***``, for messages.

    Examples
    --------
    >>> mask_url("postgresql://pmo:secret@127.0.0.1:5432/pmo")
    'postgresql://pmo:***@127.0.0.1:5432/pmo'
    >>> mask_url("sqlite:///pmo.db")
    'sqlite:///pmo.db'
    """
    return _PASSWORD.sub(r"\g<head>:***@", url.strip(), count=1)


def absolute_url(url: str) -> str:
    """
    Return ``url`` with a relative SQLite file made absolute (from the current folder).

    A report runs its notebook in another folder, so ``sqlite:///pmo.db`` must name
    the file the user meant before the kernel starts. Other URLs are returned as
    they are.

    Examples
    --------
    >>> absolute_url("sqlite:////srv/pmo.db")
    'sqlite:////srv/pmo.db'
    >>> absolute_url("sqlite:///pmo.db").endswith("/pmo.db")
    True
    >>> absolute_url("postgresql://pmo@db/pmo")
    'postgresql://pmo@db/pmo'
    """
    text = url.strip()
    for prefix in ("sqlite:///", "sqlite+pysqlite:///"):
        if text.startswith(prefix):
            path = text[len(prefix) :]
            if path and path != ":memory:" and not Path(path).is_absolute():
                return prefix + str(Path(path).expanduser().resolve())
    return text
