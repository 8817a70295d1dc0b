"""
The report runner: outputs swapped in only when complete, no kernel chatter, progress.

A tiny report notebook (written here, served through ``PMO_KIT_REPORTS``) keeps these
runs to a kernel start each; it can fail, wait, and write to the kernel's own stdout
and stderr file descriptors, as ipykernel does when it logs on shutdown.
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import time
from typing import TYPE_CHECKING

import pytest

from pmo_kit import ReportExecutionError
from pmo_kit.reports import run_report
from pmo_kit.reports._staging import MARKER
from tests.reports.tiny_report import write_tiny_report

if TYPE_CHECKING:
    from pathlib import Path

pytestmark = pytest.mark.notebook

TINY_PARAMETERS = """\
fail: bool = False  # Raise in the second cell
sleep: float = 0.0  # Seconds to wait before the summary [0, 600]
output_json: str = "summary.json"  # Where summary.json goes (set by the runner)"""

TINY_CODE = """\
import os
import pathlib
import time

from pmo_kit.reports import check_parameters, write_summary

check_parameters("tiny", fail=fail, sleep=sleep)
pathlib.Path("kernel.pid").write_text(str(os.getpid()))
os.write(2, b"KERNEL-CHATTER on the kernel's stderr\\n")
os.write(1, b"KERNEL-CHATTER on the kernel's stdout\\n")
time.sleep(sleep)
if fail:
    raise RuntimeError("budget file locked")
print("week 23")
write_summary(output_json, {"report": "tiny", "week": 23})"""


@pytest.fixture
def tiny(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A folder of reports holding only ``tiny``; PMO_KIT_REPORTS points at it."""
    reports = write_tiny_report(
        tmp_path, TINY_PARAMETERS, TINY_CODE, "A report for runner tests."
    )
    monkeypatch.setenv("PMO_KIT_REPORTS", str(reports))
    return reports


def _snapshot(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


def _staging_left(parent: Path) -> list[str]:
    return sorted(p.name for p in parent.iterdir() if ".pmo-kit-" in p.name)


def _cli(*args: str, env_reports: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "pmo_kit", *args],
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, "PMO_KIT_REPORTS": str(env_reports)},
    )


def test_failing_run_keeps_previous_output_byte_identical(tiny, tmp_path):
    out = tmp_path / "build" / "tiny"
    first = run_report("tiny", output_dir=out)
    assert first.summary == {"report": "tiny", "week": 23}
    assert sorted(p.name for p in out.iterdir()) == [
        "summary.json",
        "tiny.html",
        "tiny.ipynb",
    ]
    before = _snapshot(out)
    with pytest.raises(ReportExecutionError) as info:
        run_report("tiny", parameters={"fail": "true"}, output_dir=out)
    message = str(info.value)
    failed = tmp_path / "build" / "tiny.failed.ipynb"
    assert "RuntimeError: budget file locked" in message
    assert f"failed notebook kept at {failed}" in message
    assert info.value.notebook_path == str(failed)
    assert "budget file locked" in failed.read_text(encoding="utf-8")
    assert _snapshot(out) == before
    assert _staging_left(out.parent) == []
    # the next good run replaces all three files together and drops the failed one
    again = run_report("tiny", output_dir=out, html=False)
    assert sorted(p.name for p in out.iterdir()) == ["summary.json", "tiny.ipynb"]
    assert again.html is None
    assert not failed.exists()


def test_output_folder_with_other_files_keeps_them(tiny, tmp_path):
    out = tmp_path / "mine"
    out.mkdir()
    (out / "notes.txt").write_text("my notes", encoding="utf-8")
    (out / "tiny.html").write_text("last week", encoding="utf-8")
    run_report("tiny", output_dir=out, html=False)
    assert (out / "notes.txt").read_text(encoding="utf-8") == "my notes"
    assert sorted(p.name for p in out.iterdir()) == [
        "notes.txt",
        "summary.json",
        "tiny.ipynb",
    ], "the old HTML must not stay beside the new notebook"
    assert not (out / "kernel.pid").exists()


def test_kernel_chatter_never_reaches_the_cli_user(tiny, tmp_path):
    out = tmp_path / "out"
    for _ in range(4):  # shutdown chatter came in about 5 % of runs
        proc = _cli("report", "run", "tiny", "-o", str(out), env_reports=tiny)
        assert proc.returncode == 0, proc.stderr
        assert "KERNEL-CHATTER" not in proc.stderr + proc.stdout
        assert "IPKernelApp" not in proc.stderr
        progress = proc.stderr.strip().splitlines()
        assert all(line.startswith("report tiny: ") for line in progress), progress
        assert (
            progress[0] == "report tiny: starting a kernel and running 2 code cells ..."
        )
        assert proc.stdout.strip().splitlines() == [
            f"Report: {out.resolve() / 'tiny.html'}",
            f"Summary: {out.resolve() / 'summary.json'}",
        ]
    executed = (out / "tiny.ipynb").read_text(encoding="utf-8")
    assert "week 23" in executed  # cell output still captured


def _wait_for_kernel_pid(parent: Path, timeout: float = 120.0) -> tuple[Path, int]:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        for pid_file in parent.glob(".*.pmo-kit-new-*/kernel.pid"):
            text = pid_file.read_text(encoding="utf-8").strip()
            if text:
                return pid_file.parent, int(text)
        time.sleep(0.2)
    pytest.fail("the report never started its kernel")


def _start_slow_run(tiny: Path, out: Path) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [
            *(sys.executable, "-m", "pmo_kit", "report", "run", "tiny"),
            *("-o", str(out), "-p", "sleep", "300", "--no-html"),
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "PMO_KIT_REPORTS": str(tiny)},
    )


def _stop_kernel(pid: int) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.kill(pid, signal.SIGKILL)


def test_killed_run_leaves_no_staging_after_the_next_run(tiny, tmp_path):
    parent = tmp_path / "build"
    out = parent / "tiny"
    run_report("tiny", output_dir=out, html=False)
    before = _snapshot(out)
    # things the kit did not make, some looking like its own, must all survive
    (parent / "report-notes.txt").write_text("keep", encoding="utf-8")
    lookalike = parent / ".tiny.pmo-kit-new-0000abcd"  # right name, no marker
    lookalike.mkdir()
    (lookalike / "data.csv").write_text("a,b\n", encoding="utf-8")
    marked = parent / "tiny-staging"  # a marker, but not the kit's name
    marked.mkdir()
    (marked / MARKER).write_text("{}", encoding="utf-8")

    proc = _start_slow_run(tiny, out)
    try:
        staging, kernel = _wait_for_kernel_pid(parent)
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=30)
    finally:
        proc.kill()
        proc.communicate()
    _stop_kernel(kernel)
    assert staging.is_dir(), "a SIGKILL skips clean-up: the staging folder is left"
    assert _snapshot(out) == before

    run_report("tiny", output_dir=out, html=False)
    assert not staging.exists()
    assert _staging_left(parent) == [lookalike.name]
    assert (lookalike / "data.csv").is_file()
    assert (marked / MARKER).is_file()
    assert (parent / "report-notes.txt").read_text(encoding="utf-8") == "keep"


def test_terminated_run_cleans_up_at_once(tiny, tmp_path):
    out = tmp_path / "build" / "tiny"
    proc = _start_slow_run(tiny, out)
    try:
        staging, kernel = _wait_for_kernel_pid(out.parent)
        proc.send_signal(signal.SIGTERM)
        _, stderr = proc.communicate(timeout=60)
    finally:
        proc.kill()
    _stop_kernel(kernel)
    assert proc.returncode != 0
    assert not staging.exists()
    assert not out.exists(), "no output at all rather than a half-made one"
    assert "Traceback" not in stderr
