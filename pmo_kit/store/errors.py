"""
Errors of the database store, each shown as one line.

``DatabaseError`` covers a URL that cannot be used (unsupported, unreachable,
written by a newer kit); ``ConflictError`` a save that would overwrite a row someone
else changed since it was loaded.
"""

from __future__ import annotations

from pmo_kit._errors import PMOError

__all__ = ["ConflictError", "DatabaseError"]


class DatabaseError(PMOError):
    """A database URL cannot be opened or used; the message names the masked URL."""


class ConflictError(DatabaseError):
    """
    Someone else changed a row this save would change; nothing was written.

    ``conflicts`` lists every conflicting row (``"lessons L-012"``); the message
    names the first and counts the others.
    """

    def __init__(self, message: str, conflicts: list[str] | None = None) -> None:
        self.conflicts: list[str] = list(conflicts) if conflicts else []
        super().__init__(message)
