"""
Write files so that a reader sees either the old file or the new one, never half.

Every file the kit writes goes through :func:`atomic_write_bytes`: a temporary file
in the same folder, flushed to disk, then renamed over the target.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

__all__ = ["atomic_write_bytes", "atomic_write_text", "current_umask"]


def atomic_write_text(path: str | os.PathLike[str], text: str) -> None:
    """Write UTF-8 text to ``path`` through a temporary file and an atomic rename."""
    atomic_write_bytes(path, text.encode("utf-8"))


def atomic_write_bytes(path: str | os.PathLike[str], data: bytes) -> None:
    """
    Write bytes to ``path`` so that readers see either the old or the new file.

    The data goes to a temporary file in the same folder, is flushed to disk, and
    replaces ``path`` with :func:`os.replace`. On any error the temporary file is
    removed and ``path`` is untouched.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        # mkstemp makes the file private (0600); give it the mode a new file would
        # get, or keep the mode of the file it replaces.
        mode = (
            path.stat().st_mode & 0o777 if path.exists() else 0o666 & ~current_umask()
        )
        Path(tmp).chmod(mode)
        Path(tmp).replace(path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def current_umask() -> int:
    """Return the process umask (without changing it for longer than one call)."""
    mask = os.umask(0o022)
    os.umask(mask)
    return mask
