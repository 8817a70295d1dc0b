"""
Batches: failure isolation, warm kernels reset between runs, skip, resume.

Most runs use a tiny per-project report (served through ``PMO_KIT_REPORTS``) that
can fail for one project and wait, so that a batch can be killed half-way; one
runs the real project-status report on the bundled organisation and on a copy.
"""

from __future__ import annotations

import csv
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from typing import TYPE_CHECKING, Any

import pytest

from pmo_kit.data.portfolio import bundled_dataset_path, load_portfolio
from pmo_kit.reports import project_status
from pmo_kit.reports.batch import run_batch
from pmo_kit.reports.batch_manifest import LOCK
from tests.reports.sample_data import bundled_project_ids
from tests.reports.tiny_report import write_tiny_report

if TYPE_CHECKING:
    from pathlib import Path

pytestmark = pytest.mark.notebook

TINY_PARAMETERS = """\
project_id: str = "P-001"  # Project, such as P-001
fail_for: str = ""  # The project whose report raises
sleep: float = 0.0  # Seconds to wait [0, 60]
output_json: str = "summary.json"  # Where summary.json goes (set by the runner)"""

TINY_CODE = """\
import os
import time

from pmo_kit.reports import check_parameters, write_summary
from tests.reports.sample_data import bundled_project_ids

check_parameters("tiny", project_id=project_id, fail_for=fail_for, sleep=sleep)
seen = [name for name in ("leftover",) if name in globals()]
leftover = project_id
time.sleep(sleep)
if project_id == fail_for:
    raise RuntimeError(f"broken project {project_id}")
write_summary(
    output_json,
    {"report": "tiny", "project_id": project_id, "seen": seen,
     "cwd": os.getcwd(), "kernel": os.getpid()},
)"""


@pytest.fixture
def tiny(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A folder of reports holding only ``tiny``; PMO_KIT_REPORTS points at it."""
    reports = write_tiny_report(
        tmp_path, TINY_PARAMETERS, TINY_CODE, "A per-project report for batch tests."
    )
    monkeypatch.setenv("PMO_KIT_REPORTS", str(reports))
    return reports


def _summary(out: Path, key: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((out / key / "summary.json").read_text("utf-8"))
    return data


def _manifest(out: Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((out / "manifest.json").read_text("utf-8"))
    return data


def _cli(*args: str, reports: Path | None = None) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ)
    if reports is not None:
        env["PMO_KIT_REPORTS"] = str(reports)
    return subprocess.run(
        [sys.executable, "-m", "pmo_kit", *args],
        capture_output=True,
        text=True,
        check=False,
        env=env,
    )


def test_one_broken_project_never_stops_the_others(tiny, tmp_path):
    out = tmp_path / "batch"
    ids = bundled_project_ids()[:5]
    result = run_batch(
        "tiny",
        projects=ids,
        parameters={"fail_for": ids[2]},
        output_dir=out,
        jobs=2,
    )
    assert sorted(result.done) == sorted(ids[:2] + ids[3:])
    assert [f.key for f in result.failed] == [ids[2]]
    failure = result.failed[0]
    kept = out / f"{ids[2]}.failed.ipynb"
    assert failure.notebook == kept
    assert f"RuntimeError: broken project {ids[2]}" in failure.error
    assert failure.line().startswith(f"FAILED {ids[2]} (project_id={ids[2]}, ")
    assert f"notebook kept at {kept}" in failure.line()
    assert f"broken project {ids[2]}" in kept.read_text(encoding="utf-8")
    assert not (out / ids[2]).exists()
    for pid in ids[:2] + ids[3:]:
        assert _summary(out, pid)["project_id"] == pid
        names = sorted(p.name for p in (out / pid).iterdir())
        assert names == ["summary.json", "tiny.html", "tiny.ipynb"]
    book = _manifest(out)
    assert book["jobs"][ids[2]]["status"] == "failed"
    assert book["jobs"][ids[2]]["failed_notebook"] == kept.name
    assert (out / "index.html").is_file()


def test_warm_kernel_is_reused_and_reset_between_reports(tiny, tmp_path):
    out = tmp_path / "batch"
    ids = bundled_project_ids()[:4]
    run_batch("tiny", projects=ids, output_dir=out, jobs=1)
    summaries = [_summary(out, pid) for pid in ids]
    assert len({s["kernel"] for s in summaries}) == 1  # one warm kernel did all four
    assert all(s["seen"] == [] for s in summaries)  # no variable of a previous report
    assert len({s["cwd"] for s in summaries}) == 4  # each in its own folder
    notebook = json.loads((out / ids[-1] / "tiny.ipynb").read_text("utf-8"))
    counts = [
        c["execution_count"] for c in notebook["cells"] if c["cell_type"] == "code"
    ]
    assert counts == [1, 2, 3]  # as in a fresh kernel: parameters, injected, work
    injected = notebook["cells"][2]
    assert "injected-parameters" in injected["metadata"]["tags"]
    assert f'project_id = "{ids[-1]}"' in "".join(injected["source"])


def test_cli_batch_lists_failures_and_exits_non_zero(tiny, tmp_path):
    out = tmp_path / "batch"
    done = _cli(
        "report", "batch", "tiny", "--projects", "P-001,P-002,P-003",
        "-p", "fail_for", "P-002", "-o", str(out), "-j", "2", reports=tiny,
    )  # fmt: skip
    assert done.returncode == 1, done.stderr
    failures = [line for line in done.stderr.splitlines() if line.startswith("FAILED")]
    assert failures == [
        "FAILED P-002 (project_id=P-002, fail_for=P-002): cell 3: RuntimeError: "
        f"broken project P-002; notebook kept at {out / 'P-002.failed.ipynb'}"
    ]
    assert "Traceback" not in done.stderr
    assert done.stdout.startswith("batch tiny: 2 made, 0 unchanged (skipped), 1 failed")
    again = _cli("report", "batch", "tiny", "--projects", "P-001,P-003",
                 "-p", "fail_for", "P-002", "-o", str(out), reports=tiny)  # fmt: skip
    assert again.returncode == 0, again.stderr
    assert "0 made, 2 unchanged (skipped), 0 failed" in again.stdout


def test_cli_rejects_bad_input_in_one_line(tiny, tmp_path):
    done = _cli("report", "batch", "tiny", "--projects", "P-001,P-0X",
                "-o", str(tmp_path / "b"), reports=tiny)  # fmt: skip
    assert done.returncode == 1
    assert done.stderr.count("\n") == 1
    assert "'P-0X' is not a project in" in done.stderr
    assert not (tmp_path / "b").exists()


def test_failed_rerun_keeps_the_older_good_report(tiny, tmp_path):
    out = tmp_path / "batch"
    run_batch("tiny", projects=["P-001"], output_dir=out)
    before = {p.name: p.read_bytes() for p in (out / "P-001").iterdir()}
    result = run_batch(
        "tiny", projects=["P-001"], parameters={"fail_for": "P-001"}, output_dir=out
    )
    assert [f.key for f in result.failed] == ["P-001"]
    assert {p.name: p.read_bytes() for p in (out / "P-001").iterdir()} == before
    entry = _manifest(out)["jobs"]["P-001"]
    assert entry["status"] == "failed"
    assert entry["html"] == "P-001/tiny.html"  # the older report is still linked
    result = run_batch("tiny", projects=["P-001"], output_dir=out)
    assert result.done == ["P-001"]  # a failed entry is never skipped
    assert not (out / "P-001.failed.ipynb").exists()


def test_unchanged_inputs_are_skipped_and_changed_ones_redone(tmp_path):
    dataset = tmp_path / "data"
    shutil.copytree(bundled_dataset_path(), dataset)
    out = tmp_path / "batch"
    common = {"dataset": str(dataset)}
    first = run_batch(
        "project-status", projects="P-001,P-003", parameters=common, output_dir=out
    )
    assert sorted(first.done) == ["P-001", "P-003"]
    stamps = {p: p.stat().st_mtime_ns for p in out.rglob("*") if p.is_file()}
    second = run_batch(
        "project-status", projects="P-001,P-003", parameters=common, output_dir=out
    )
    assert (second.done, sorted(second.skipped)) == ([], ["P-001", "P-003"])
    outputs = [p for p in stamps if p.parent.name in ("P-001", "P-003")]
    assert all(p.stat().st_mtime_ns == stamps[p] for p in outputs)
    # a different status date for one project: only that one is redone
    third = run_batch(
        "project-status",
        projects="P-001,P-003",
        parameters={**common, "status_date": "2026-06-19"},
        output_dir=out,
    )
    assert sorted(third.done) == ["P-001", "P-003"]  # the common date changed both
    organisation = dataset / "organisation.yaml"
    organisation.write_text(
        organisation.read_text(encoding="utf-8").replace(
            "Meridian Works", "Meridian Ltd"
        ),
        encoding="utf-8",
    )
    fourth = run_batch(
        "project-status",
        projects="P-001,P-003",
        parameters={**common, "status_date": "2026-06-19"},
        output_dir=out,
    )
    assert sorted(fourth.done) == ["P-001", "P-003"]  # the dataset changed
    forced = run_batch(
        "project-status",
        projects="P-001,P-003",
        parameters={**common, "status_date": "2026-06-19"},
        output_dir=out,
        force=True,
    )
    assert sorted(forced.done) == ["P-001", "P-003"]


def test_real_report_batch_equals_the_report_function(tmp_path):
    """A closed project asked about a date after its last status fails; no other."""
    out = tmp_path / "batch"
    as_of = "2026-05-29"
    with (bundled_dataset_path() / "projects.csv").open(encoding="utf-8") as handle:
        latest = {
            row["project_id"]: row["status_date"] for row in csv.DictReader(handle)
        }
    broken = sorted(pid for pid, day in latest.items() if day < as_of)
    assert broken  # the sample has a project closed before that date
    result = run_batch(
        "project-status",
        all_projects=True,
        parameters={"status_date": as_of},
        output_dir=out,
        jobs=2,
    )
    assert sorted(f.key for f in result.failed) == broken
    assert all("is after the latest status" in f.error for f in result.failed)
    portfolio = load_portfolio()
    for pid in result.done:
        expected = project_status(portfolio, pid, as_of=as_of).summary()
        assert _summary(out, pid) == json.loads(json.dumps(expected, default=str))
        html = (out / pid / "project-status.html").read_text(encoding="utf-8")
        assert portfolio.project(pid)["name"] in html
        assert "<script src=" not in html


def _complete(folder: Path) -> bool:
    names = sorted(p.name for p in folder.iterdir())
    if names != ["summary.json", "tiny.html", "tiny.ipynb"]:
        return False
    json.loads((folder / "summary.json").read_text("utf-8"))
    json.loads((folder / "tiny.ipynb").read_text("utf-8"))
    return True


def test_killed_batch_leaves_complete_reports_and_resumes(tiny, tmp_path):
    out = tmp_path / "batch"
    ids = bundled_project_ids()[:6]
    command = [
        sys.executable, "-m", "pmo_kit", "report", "batch", "tiny",
        "--projects", ",".join(ids), "-p", "sleep", "1.5", "-o", str(out), "-j", "1",
    ]  # fmt: skip
    proc = subprocess.Popen(
        command,
        env={**os.environ, "PMO_KIT_REPORTS": str(tiny)},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    deadline = time.monotonic() + 120
    made: list[str] = []
    while time.monotonic() < deadline and len(made) < 2:
        time.sleep(0.2)
        try:
            made = [k for k, v in _manifest(out)["jobs"].items() if v["status"] == "ok"]
        except (OSError, ValueError):
            made = []
    assert len(made) >= 2, "the batch did not make two reports in time"
    os.killpg(proc.pid, signal.SIGKILL)  # the runner and its kernel, mid-report
    proc.wait(timeout=30)
    book = _manifest(out)  # still valid JSON: written atomically
    finished = sorted(k for k, v in book["jobs"].items() if v["status"] == "ok")
    assert len(finished) < len(ids)
    visible = sorted(p.name for p in out.iterdir() if not p.name.startswith("."))
    for name in visible:
        if name in ("manifest.json", "index.html"):
            continue
        assert name in finished, f"{name} is in the output but not finished"
        assert _complete(out / name)
    result = run_batch(
        "tiny", projects=ids, parameters={"sleep": "1.5"}, output_dir=out
    )
    assert sorted(result.skipped) == finished
    assert sorted(result.done) == sorted(set(ids) - set(finished))
    assert all(_complete(out / pid) for pid in ids)
    assert not [
        p.name for p in out.iterdir() if ".pmo-kit-" in p.name and p.name != LOCK
    ]


def test_sigterm_stops_the_batch_and_its_kernels(tiny, tmp_path):
    psutil = pytest.importorskip("psutil")
    out = tmp_path / "batch"
    command = [
        sys.executable, "-m", "pmo_kit", "report", "batch", "tiny",
        "--projects", "P-001,P-002,P-003,P-004", "-p", "sleep", "30",
        "-o", str(out), "-j", "2",
    ]  # fmt: skip
    proc = subprocess.Popen(
        command,
        env={**os.environ, "PMO_KIT_REPORTS": str(tiny)},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    runner = psutil.Process(proc.pid)
    deadline = time.monotonic() + 120
    kernels: list[Any] = []
    while time.monotonic() < deadline and len(kernels) < 2:
        time.sleep(0.2)
        kernels = [p for p in runner.children(recursive=True) if "ipykernel" in
                   " ".join(p.cmdline())]  # fmt: skip
    assert len(kernels) == 2, "two warm kernels should be running"
    time.sleep(2)  # both are inside a 30 s cell
    proc.send_signal(signal.SIGTERM)
    _, stderr = proc.communicate(timeout=60)
    assert proc.returncode != 0
    assert "Traceback" not in stderr
    _gone, alive = psutil.wait_procs(kernels, timeout=20)
    assert not alive, "a kernel outlived its batch"
    assert not [p.name for p in out.iterdir() if p.name.startswith("P-")]
    assert not [
        p.name for p in out.iterdir() if ".pmo-kit-" in p.name and p.name != LOCK
    ]
