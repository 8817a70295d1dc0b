"""
The Dask executor against a real scheduler and workers on 127.0.0.1.

A worker is killed (SIGKILL, no goodbye) while it holds reports; every report must
still arrive in the output folder, made by the surviving worker.
"""

from __future__ import annotations

import json
import threading
import time
from typing import TYPE_CHECKING, Any

import pytest

from pmo_kit import ReportParameterError
from pmo_kit.data.portfolio import load_portfolio
from pmo_kit.reports import project_status
from pmo_kit.reports.batch import run_batch
from tests.dask_cluster import dask_cluster, require_dask
from tests.reports.sample_data import bundled_project_ids

if TYPE_CHECKING:
    from pathlib import Path

pytestmark = pytest.mark.notebook


def test_batch_on_a_dask_cluster_survives_a_dead_worker(tmp_path: Path) -> None:
    from distributed import Client

    out = tmp_path / "batch"
    ids = bundled_project_ids()
    with dask_cluster(workers=2) as cluster:
        doomed, survivor = cluster.worker_addresses()
        outcome: dict[str, Any] = {}

        def batch() -> None:
            try:
                outcome["result"] = run_batch(
                    "project-status",
                    all_projects=True,
                    output_dir=out,
                    executor="dask",
                    scheduler=cluster.address,
                )
            except BaseException as exc:  # surfaced below
                outcome["error"] = exc

        thread = threading.Thread(target=batch)
        thread.start()
        held: tuple[str, ...] = ()
        with Client(cluster.address, timeout="20s") as client:
            deadline = time.monotonic() + 120
            while not held and time.monotonic() < deadline:
                held = tuple(client.processing().get(doomed, ()))
                time.sleep(0.05)
        assert held, "the first worker never got a report"
        cluster.kill_worker(0)  # mid-report: its kernel is starting or running
        thread.join(timeout=600)
        assert not thread.is_alive()
    assert "error" not in outcome, outcome.get("error")
    result = outcome["result"]
    assert result.ok, result.failure_lines()
    assert sorted(result.done) == sorted(ids)
    book = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    lost = [key.rsplit("-", 2)[-2] + "-" + key.rsplit("-", 1)[-1] for key in held]
    for pid in lost:  # what the dead worker held was made by the other one
        assert book["jobs"][pid]["worker"] == survivor
    portfolio = load_portfolio()
    for pid in ids:
        summary = json.loads((out / pid / "summary.json").read_text(encoding="utf-8"))
        expected = project_status(portfolio, pid).summary()
        assert summary == json.loads(json.dumps(expected, default=str))
        assert (out / pid / "project-status.html").is_file()


def test_unreachable_scheduler_is_one_line(tmp_path: Path) -> None:
    require_dask()
    with pytest.raises(ReportParameterError) as info:
        run_batch(
            "project-status",
            projects="P-001",
            output_dir=tmp_path / "b",
            executor="dask",
            scheduler="tcp://127.0.0.1:9",
        )
    message = str(info.value)
    assert message.startswith(
        "--scheduler: no Dask scheduler answered at 'tcp://127.0.0.1:9'"
    )
    assert "\n" not in message


def test_dask_executor_needs_a_scheduler(tmp_path: Path) -> None:
    with pytest.raises(ReportParameterError, match="needs --scheduler ADDRESS"):
        run_batch(
            "project-status", projects="P-001", output_dir=tmp_path, executor="dask"
        )
