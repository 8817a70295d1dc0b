"""
Build a report's outputs in a staging folder and swap them in only when complete.

A report run writes ``<name>.ipynb``, ``<name>.html`` and ``summary.json``. Readers of
the output folder must never see half of last week's files beside half of this
week's, and a failed or killed run must leave the previous good output untouched.

- :func:`make_staging` creates a hidden folder next to the output folder,
  ``.<out>.pmo-kit-new-<token>``, holding a marker file (:data:`MARKER`) with the
  process id, host and time.
- :func:`publish` moves the finished files in. When the output folder holds nothing
  but the kit's own files, the whole folder is swapped (two renames; the old folder
  is kept as ``.<out>.pmo-kit-old-<token>`` until the new one is in place). When it
  holds other files too (``-o .``), those are never touched and the kit's files are
  replaced one by one (``os.replace``, ``summary.json`` last).
- :func:`remove_stale_staging` deletes staging folders of runs that died (killed,
  power cut): only folders whose name has the kit's pattern AND which hold the
  marker file, whose process is gone (same host) or which are older than a day. An
  old output folder left by a run killed mid-swap is renamed back when the output
  folder is missing.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
import re
import secrets
import shutil
import socket
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pathlib import Path

__all__ = [
    "MARKER",
    "STALE_AFTER",
    "failed_notebook_path",
    "is_kit_staging",
    "make_staging",
    "publish",
    "remove_staging",
    "remove_stale_staging",
]

#: File that marks a folder as a staging folder made by pmo-kit.
MARKER = ".pmo-kit-staging"
#: A staging folder whose process cannot be checked is stale after this long.
STALE_AFTER = dt.timedelta(days=1)
_PATTERN = re.compile(r"^\.(?P<out>.+)\.pmo-kit-(?P<kind>new|old)-[0-9a-z]{8}$")


def _stage_name(out: Path, kind: str) -> Path:
    return out.parent / f".{out.name}.pmo-kit-{kind}-{secrets.token_hex(4)}"


def _write_marker(folder: Path) -> None:
    info = {
        "pid": os.getpid(),
        "host": socket.gethostname(),
        "created": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "made_by": "pmo-kit report run",
    }
    (folder / MARKER).write_text(json.dumps(info) + "\n", encoding="utf-8")


def make_staging(out: Path) -> Path:
    """Create an empty, marked staging folder next to ``out`` and return it."""
    out.parent.mkdir(parents=True, exist_ok=True)
    staging = _stage_name(out, "new")
    staging.mkdir()
    _write_marker(staging)
    return staging


def failed_notebook_path(out: Path) -> Path:
    """Return where a failed run's notebook goes: ``<out>.failed.ipynb`` beside it."""
    return out.parent / f"{out.name}.failed.ipynb"


def is_kit_staging(folder: Path) -> bool:
    """Tell whether ``folder`` has the kit's staging name pattern and marker file."""
    return (
        _PATTERN.match(folder.name) is not None
        and folder.is_dir()
        and not folder.is_symlink()
        and (folder / MARKER).is_file()
    )


def remove_staging(folder: Path) -> None:
    """Delete a staging folder the kit made (anything else is left alone)."""
    if is_kit_staging(folder):
        shutil.rmtree(folder, ignore_errors=True)


def _is_stale(folder: Path, now: dt.datetime) -> bool:
    try:
        info = json.loads((folder / MARKER).read_text(encoding="utf-8"))
        created = dt.datetime.fromisoformat(str(info["created"]))
        pid = int(info["pid"])
        host = str(info["host"])
    except (OSError, ValueError, KeyError, TypeError):
        info = None
    if info is None:  # unreadable marker: judge by the folder's age
        age = now.timestamp() - folder.stat().st_mtime
        return age > STALE_AFTER.total_seconds()
    if now - created > STALE_AFTER:
        return True
    if host != socket.gethostname():
        return False
    if pid == os.getpid():
        return False  # another run in this process (a thread) may still use it
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    except PermissionError:
        return False  # alive, run by someone else
    return False


def remove_stale_staging(out: Path) -> list[Path]:
    """
    Remove staging folders of dead runs next to ``out``; return what was removed.

    An old output folder kept during a swap that was killed is renamed back to
    ``out`` when ``out`` is missing (and then not listed).
    """
    parent = out.parent
    if not parent.is_dir():
        return []
    now = dt.datetime.now(dt.UTC)
    removed = []
    for folder in sorted(parent.iterdir()):
        match = _PATTERN.match(folder.name)
        if match is None or not is_kit_staging(folder) or not _is_stale(folder, now):
            continue
        target = parent / match["out"]
        if match["kind"] == "old" and not target.exists():
            folder.rename(target)
            (target / MARKER).unlink(missing_ok=True)
            continue
        shutil.rmtree(folder, ignore_errors=True)
        removed.append(folder)
    return removed


def publish(staging: Path, out: Path, files: tuple[str, ...]) -> None:
    """
    Put the finished ``files`` of ``staging`` in ``out``, all together.

    ``files`` are the kit's file names for this report (present or not in
    ``staging``); a kit file missing from ``staging`` (the HTML after ``--no-html``)
    is removed from ``out`` so that no old output is left beside new ones.
    """
    ours = {*files, MARKER}
    extra = [p for p in staging.iterdir() if p.name not in ours]
    for path in extra:  # the kernel wrote something else: not an output
        if path.is_dir() and not path.is_symlink():
            shutil.rmtree(path, ignore_errors=True)
        else:
            path.unlink(missing_ok=True)
    if not out.exists() or (
        out.is_dir()
        and not out.is_symlink()
        and {p.name for p in out.iterdir()} <= ours
    ):
        _swap_folder(staging, out)
    else:
        _replace_files(staging, out, files)


def _swap_folder(staging: Path, out: Path) -> None:
    old = None
    if out.exists():
        _write_marker(out)
        old = _stage_name(out, "old")
        out.rename(old)
    try:
        staging.rename(out)
    except BaseException:
        if old is not None and not out.exists():
            old.rename(out)
            (out / MARKER).unlink(missing_ok=True)
        raise
    (out / MARKER).unlink(missing_ok=True)
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)


def _replace_files(staging: Path, out: Path, files: tuple[str, ...]) -> None:
    last = "summary.json"
    for name in sorted(files, key=lambda n: n == last):
        source = staging / name
        if source.is_file():
            source.replace(out / name)
        else:
            with contextlib.suppress(FileNotFoundError):
                (out / name).unlink()
