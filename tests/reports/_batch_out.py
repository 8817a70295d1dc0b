"""
A batch folder built by hand, as ``pmo-kit report batch`` leaves it.

Real ``summary.json`` files (the report functions on the bundled organisation,
written with ``write_summary``), a placeholder page per report, a manifest in the
runner's format with: a run whose key needs URL quoting (space and ``#``), a run
whose parameter holds ``<script>`` and ``&``, a failed run with its kept notebook,
and a run that failed now but left the older report of an earlier batch.
"""

from __future__ import annotations

import html
import json
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from pmo_kit.reports import project_status, write_summary

if TYPE_CHECKING:
    from pathlib import Path

    from pmo_kit.data.portfolio import Portfolio

REPORT = "project-status"
EVIL = "R&D <script>alert('x')</script>"
FAILED_ERROR = "cell 3: ValidationError: status_date 2026-05-29 is after <the> latest"
#: run key -> project id of the runs that succeeded in this batch
OK_RUNS = {
    "P-002": "P-002",
    "P-003": "P-003",
    "P-007 week#26": "P-007",
    "P-009": "P-009",
    "P-001": "P-001",  # its dataset parameter holds EVIL
}
FAILED_NOW = "P-008"  # failed, notebook kept, never succeeded
FAILED_OLDER = "P-004"  # failed now, the older report of an earlier batch stays


@dataclass
class Batch:
    """A batch folder and what went into it."""

    out: Path
    manifest: dict[str, Any]
    summaries: dict[str, dict[str, Any]]  # run key -> summary.json as read back


def _entry(key: str, project_id: str, dataset: str) -> dict[str, Any]:
    return {
        "parameters": {"project_id": project_id, "status_date": "", "dataset": dataset},
        "fingerprint": "0" * 64,
        "status": "ok",
        "folder": key,
        "html": f"{key}/{REPORT}.html",
        "notebook": f"{key}/{REPORT}.ipynb",
        "summary": f"{key}/summary.json",
        "failed_notebook": None,
        "error": None,
        "finished": "2026-12-07T10:31:02+00:00",
        "seconds": 2.4,
        "worker": "local-1",
    }


def _report_files(out: Path, key: str, summary: dict[str, Any]) -> dict[str, Any]:
    folder = out / key
    folder.mkdir(parents=True)
    write_summary(folder / "summary.json", summary)
    page = f"<html><body><h1>Status report {html.escape(key)}</h1></body></html>"
    (folder / f"{REPORT}.html").write_text(page, encoding="utf-8")
    (folder / f"{REPORT}.ipynb").write_text("{}", encoding="utf-8")
    read: dict[str, Any] = json.loads((folder / "summary.json").read_text("utf-8"))
    return read


def build_batch(out: Path, portfolio: Portfolio) -> Batch:
    """Write the batch folder ``out`` and return it with its manifest and summaries."""
    dataset = "/srv/pmo/meridian"
    jobs: dict[str, Any] = {}
    summaries = {}
    for key, project_id in OK_RUNS.items():
        summary = project_status(portfolio, project_id).summary()
        summaries[key] = _report_files(out, key, summary)
        jobs[key] = _entry(key, project_id, EVIL if project_id == "P-001" else dataset)

    failed = _entry(FAILED_NOW, FAILED_NOW, dataset)
    failed["parameters"]["status_date"] = "2026-05-29"
    (out / f"{FAILED_NOW}.failed.ipynb").write_text("{}", encoding="utf-8")
    failed.update(
        status="failed",
        folder=None,
        html=None,
        notebook=None,
        summary=None,
        failed_notebook=f"{FAILED_NOW}.failed.ipynb",
        error=FAILED_ERROR,
    )
    jobs[FAILED_NOW] = failed

    older = _entry(FAILED_OLDER, FAILED_OLDER, dataset)
    _report_files(out, FAILED_OLDER, project_status(portfolio, FAILED_OLDER).summary())
    older.update(status="failed", failed_notebook=None, error="the kernel died")
    jobs[FAILED_OLDER] = older

    manifest = {
        "format": 1,
        "report": REPORT,
        "title": "Project status",
        "kit_version": "0.test",
        "updated": "2026-12-07T10:30:00+00:00",
        "jobs": jobs,
    }
    (out / "manifest.json").write_text(json.dumps(manifest, indent=1), "utf-8")
    return Batch(out, manifest, summaries)
