"""
Replace a dataset folder all at once, touching only what the kit made.

:func:`pmo_kit.save_portfolio` writes a whole dataset into a *staging* folder beside
the target, reads it back, then swaps the folders. This module holds the folder
work, so that:

- a file the kit did not make (notes, a spreadsheet, a ``README``) survives the
  swap: it is carried into the new folder (hard-linked when the file system allows,
  else copied) before anything is replaced;
- staging and old folders are named ``.<target>.pmo-kit-<kind>-<pid>-<random>``,
  so the kit only ever cleans up folders it made, and only when the process that
  made them is gone (a save that was killed); an old folder left by a save killed
  mid-swap is put back when the target itself is missing.
"""

from __future__ import annotations

import os
import re
import shutil
import uuid
from pathlib import Path
from typing import TYPE_CHECKING

from pmo_kit.data.atomic import current_umask

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator

__all__ = [
    "carry_over",
    "make_staging",
    "remove_stale_staging",
    "swap_in",
    "visible_files",
]

_KINDS = ("staging", "old")


def _work_name(target: Path, kind: str) -> Path:
    return target.with_name(
        f".{target.name}.pmo-kit-{kind}-{os.getpid()}-{uuid.uuid4().hex[:8]}"
    )


def _pattern(target: Path) -> re.Pattern[str]:
    return re.compile(
        rf"\.{re.escape(target.name)}\.pmo-kit-(?P<kind>staging|old)-(?P<pid>\d+)-"
        r"[0-9a-f]{8}"
    )


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # someone else's live process
        return True
    return True


def make_staging(target: Path) -> Path:
    """Create an empty staging folder beside ``target`` (mode as a new folder)."""
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = _work_name(target, "staging")
    staging.mkdir(mode=0o777 & ~current_umask())
    return staging


def remove_stale_staging(target: Path) -> list[Path]:
    """
    Remove staging and old folders of ``target`` left by a killed save.

    Only folders named by this module whose process is no longer running are
    touched. If ``target`` is missing because a save was killed between moving it
    aside and moving the new folder in, the old folder is put back first.

    Returns
    -------
    list of pathlib.Path
        The folders removed (or put back).
    """
    if not target.parent.is_dir():
        return []
    pattern = _pattern(target)
    stale = []
    for entry in target.parent.iterdir():
        match = pattern.fullmatch(entry.name)
        if match and entry.is_dir() and not _alive(int(match["pid"])):
            stale.append((match["kind"], entry))
    done = []
    for kind, entry in sorted(stale, key=lambda s: _KINDS.index(s[0])):
        if kind == "old" and not target.exists():
            entry.replace(target)
        else:
            shutil.rmtree(entry, ignore_errors=True)
        done.append(entry)
    return done


def carry_over(
    target: Path, staging: Path, is_kit_file: Callable[[Path], bool]
) -> None:
    """
    Bring every file of ``target`` that the kit did not make into ``staging``.

    Parameters
    ----------
    target
        The folder about to be replaced.
    staging
        The new folder, already holding the kit's files.
    is_kit_file
        True for a path (relative to ``target``) the kit writes and may replace.
    """
    if not target.is_dir():
        return
    for path in sorted(target.rglob("*")):
        relative = path.relative_to(target)
        if path.is_dir() or is_kit_file(relative):
            continue
        destination = staging / relative
        if destination.exists():
            continue
        destination.parent.mkdir(parents=True, exist_ok=True)
        try:
            os.link(path, destination, follow_symlinks=False)
        except OSError:
            shutil.copy2(path, destination, follow_symlinks=False)
    for path in sorted(target.rglob("*")):  # empty folders of the user's too
        if path.is_dir():
            (staging / path.relative_to(target)).mkdir(parents=True, exist_ok=True)


def swap_in(staging: Path, target: Path) -> None:
    """Replace ``target`` by ``staging`` (two renames; the old folder is removed)."""
    if not target.exists():
        staging.replace(target)
        return
    old = _work_name(target, "old")
    target.replace(old)
    try:
        staging.replace(target)
    except BaseException:
        old.replace(target)
        raise
    shutil.rmtree(old, ignore_errors=True)


def visible_files(folder: Path) -> Iterator[Path]:
    """
    Yield every file under ``folder`` in a stable (sorted) order.

    Hidden files and folders (a name starting with a dot, such as the kit's staging
    folders) are left out.
    """
    for root, dirs, files in os.walk(folder):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(files):
            if not name.startswith("."):
                yield Path(root) / name
