"""
Keep loaded portfolios in memory while their files do not change (for warm kernels).

A batch of reports runs many notebooks in one long-lived kernel, each starting with
``load_portfolio(dataset)``. Reading and validating a dataset of 2,000 projects takes
seconds; with the cache on, the kernel reads it once and every later report gets a
copy. The cache is off unless :func:`enable_load_cache` is called (the batch runner
does so in its kernels), so an interactive session always sees the files as they are.

The key is the folder's resolved path and, for every file under it, its relative
path, size and modification time: editing, adding or removing a file reloads. Each
call returns a new :class:`~pmo_kit.data.portfolio.Portfolio` whose tables are
copies (pandas copy-on-write makes them cheap), so a report that changes a table
changes nothing for the next one.
"""

from __future__ import annotations

import dataclasses
import threading
from collections import OrderedDict
from typing import TYPE_CHECKING, Any

import pandas as pd

from pmo_kit.data.folders import visible_files

if TYPE_CHECKING:
    from collections.abc import Callable
    from pathlib import Path

__all__ = [
    "cache_enabled",
    "cached_load",
    "disable_load_cache",
    "enable_load_cache",
    "folder_fingerprint",
]

_lock = threading.Lock()
_entries: OrderedDict[Path, tuple[tuple[Any, ...], Any]] = OrderedDict()
_limit = 0


def enable_load_cache(max_datasets: int = 2) -> None:
    """Keep up to ``max_datasets`` loaded portfolios (least recently used go first)."""
    global _limit
    with _lock:
        _limit = max(1, int(max_datasets))
        while len(_entries) > _limit:
            _entries.popitem(last=False)


def disable_load_cache() -> None:
    """Turn the cache off and forget what it held."""
    global _limit
    with _lock:
        _limit = 0
        _entries.clear()


def cache_enabled() -> bool:
    """Tell whether :func:`enable_load_cache` is in force."""
    return _limit > 0


def folder_fingerprint(folder: Path) -> tuple[tuple[str, int, int], ...]:
    """
    Return (relative path, size, mtime in ns) of every file under ``folder``.

    Hidden files and folders (the kit's staging folders start with a dot) are left
    out.
    """
    found = []
    for path in visible_files(folder):
        try:
            stat = path.stat()
        except OSError:
            continue
        found.append((str(path.relative_to(folder)), stat.st_size, stat.st_mtime_ns))
    return tuple(found)


def cached_load(folder: Path, load: Callable[[Path], Any]) -> Any:
    """
    Return ``load(folder)``, from the cache when the files are unchanged.

    ``load`` must return a dataclass whose DataFrame fields are the tables (a
    :class:`~pmo_kit.data.portfolio.Portfolio`); the caller gets a copy.
    """
    folder = folder.resolve()
    stamp = folder_fingerprint(folder)
    with _lock:
        entry = _entries.get(folder)
        if entry is not None and entry[0] == stamp:
            _entries.move_to_end(folder)
            return _copy(entry[1])
    loaded = load(folder)
    with _lock:
        if _limit > 0:
            _entries[folder] = (stamp, loaded)
            _entries.move_to_end(folder)
            while len(_entries) > _limit:
                _entries.popitem(last=False)
    return _copy(loaded)


def _copy(portfolio: Any) -> Any:
    changes: dict[str, Any] = {}
    for item in dataclasses.fields(portfolio):
        value = getattr(portfolio, item.name)
        if isinstance(value, pd.DataFrame):
            changes[item.name] = value.copy(deep=False)  # copy-on-write
        elif isinstance(value, dict):
            changes[item.name] = dict(value)
    return dataclasses.replace(portfolio, **changes)
