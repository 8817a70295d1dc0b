"""
``OUT/manifest.json``: what each output of a batch was made from.

Per run (key) it records the parameters, the status, the files, the worker, the
seconds and a fingerprint: the sha256 of the kit's version, the notebook, the
parameters, the HTML option and the content of every input file or folder (the
dataset, a settings file). A run whose fingerprint is unchanged and whose files are
all there is skipped. The file is rewritten atomically after every run, so a batch
stopped half-way leaves a manifest of the reports it finished.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import json
import os
import socket
from typing import TYPE_CHECKING, Any

from pmo_kit._errors import ReportParameterError
from pmo_kit.data.folders import visible_files

if TYPE_CHECKING:
    from collections.abc import Iterator
    from pathlib import Path

__all__ = [
    "LOCK",
    "MANIFEST",
    "Manifest",
    "batch_lock",
    "database_digest",
    "digest",
    "fingerprint",
    "now",
]

#: The manifest file in the output folder.
MANIFEST = "manifest.json"
_FORMAT = 1
#: Held (flock) by the batch writing to the folder; released when it ends or dies.
LOCK = ".pmo-kit-batch.lock"


def fingerprint(
    notebook_hash: str, values: dict[str, Any], inputs: dict[str, str], html: bool
) -> str:
    """Return the sha256 of what one run's output is made from."""
    from pmo_kit import __version__

    text = json.dumps(
        {
            "kit": __version__,
            "notebook": notebook_hash,
            "parameters": values,
            "inputs": inputs,
            "html": html,
        },
        sort_keys=True,
        default=str,
    )
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def digest(path: Path, cache: dict[str, str]) -> str:
    """Hash a file's bytes, or every file of a folder (names and bytes)."""
    key = str(path)
    if key in cache:
        return cache[key]
    sha = hashlib.sha256()
    if path.is_file():
        sha.update(path.read_bytes())
    elif path.is_dir():
        for file in visible_files(path):
            sha.update(str(file.relative_to(path)).encode("utf-8") + b"\0")
            with file.open("rb") as handle:
                for block in iter(lambda: handle.read(1 << 20), b""):
                    sha.update(block)
    cache[key] = sha.hexdigest()
    return cache[key]


def database_digest(url: str, cache: dict[str, str]) -> str:
    """
    Hash what a dataset held in a database: every table's rows, the organisation.

    A database has no file to hash, so a batch reads the portfolio once (cached per
    URL for the batch) and hashes its content: a report is redone when any row it
    could read has changed, and skipped otherwise.
    """
    if url in cache:
        return cache[url]
    import pandas as pd

    from pmo_kit.charter.files import charter_yaml
    from pmo_kit.data.portfolio import load_portfolio

    portfolio = load_portfolio(url)
    sha = hashlib.sha256(f"{portfolio.name}\0{portfolio.currency}".encode())
    for name, frame in portfolio.tables().items():
        sha.update(name.encode("utf-8") + b"\0")
        sha.update(",".join(map(str, frame.columns)).encode("utf-8"))
        rows = pd.util.hash_pandas_object(frame.astype("object"), index=False)
        sha.update(rows.to_numpy().tobytes())
    for project_id in sorted(portfolio.charters):
        sha.update(charter_yaml(portfolio.charters[project_id]).encode("utf-8"))
    cache[url] = sha.hexdigest()
    return cache[url]


class Manifest:
    """``OUT/manifest.json``: what each output was made from; written atomically."""

    def __init__(self, path: Path, data: dict[str, Any]) -> None:
        self.path = path
        self.data = data

    @classmethod
    def read(cls, out: Path, report: str, title: str) -> Manifest:
        """Read ``out``'s manifest (a new one when missing or unreadable)."""
        path = out / MANIFEST
        data: dict[str, Any] = {}
        if path.is_file():
            try:
                data = json.loads(path.read_text(encoding="utf-8"))
            except (OSError, ValueError):
                data = {}  # unreadable: every run counts as changed
        if data.get("report") not in (None, report):
            msg = (
                f"{out} holds a batch of report {data.get('report')!r}, not "
                f"{report!r}. Allowed: a new folder, or that report's folder"
            )
            raise ReportParameterError(msg)
        from pmo_kit import __version__

        jobs = data.get("jobs") if isinstance(data.get("jobs"), dict) else {}
        data = {
            "format": _FORMAT,
            "report": report,
            "title": title,
            "kit_version": __version__,
            "updated": now(),
            "jobs": jobs,
        }
        return cls(path, data)

    @property
    def jobs(self) -> dict[str, Any]:
        """Return the entry of every run, by key."""
        jobs: dict[str, Any] = self.data["jobs"]
        return jobs

    def forget_others(self, keys: set[str]) -> None:
        """Keep the entries of this batch's runs only (their folders stay)."""
        for key in list(self.jobs):
            if key not in keys:
                del self.jobs[key]

    def unchanged(self, key: str, fingerprint: str, html: bool) -> bool:
        """Tell whether run ``key`` is done from the same inputs, files all there."""
        entry = self.jobs.get(key)
        if not entry or entry.get("status") != "ok":
            return False
        if entry.get("fingerprint") != fingerprint:
            return False
        out = self.path.parent
        needed = [entry.get("notebook"), entry.get("summary")]
        if html:
            needed.append(entry.get("html"))
        return all(isinstance(n, str) and (out / n).is_file() for n in needed)

    def write(self) -> None:
        """Write the manifest atomically."""
        from pmo_kit.data.atomic import atomic_write_text

        self.data["updated"] = now()
        text = json.dumps(self.data, indent=1, sort_keys=False, default=str)
        atomic_write_text(self.path, text + "\n")


def now() -> str:
    """Return the time now, UTC, ISO 8601 to the second."""
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


@contextlib.contextmanager
def batch_lock(out: Path) -> Iterator[None]:
    """
    Hold ``out``'s batch lock: a second batch on the same folder is refused.

    The operating system releases the lock when the process ends, however it ends,
    so a killed batch never leaves the folder locked.
    """
    try:
        import fcntl
    except ImportError:  # Windows: no flock; one batch per folder is up to you
        yield
        return
    with (out / LOCK).open("a+", encoding="utf-8") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            handle.seek(0)
            holder = handle.read().strip() or "another process"
            msg = (
                f"another batch is writing to {out} ({holder}); wait for it to "
                "finish or choose another folder"
            )
            raise ReportParameterError(msg) from None
        handle.seek(0)
        handle.truncate()
        handle.write(f"pid {os.getpid()} on {socket.gethostname()}\n")
        handle.flush()
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)
