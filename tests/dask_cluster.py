"""
A real Dask cluster on 127.0.0.1 for tests: one scheduler and N workers, each its
own process started with the ``dask`` command the ``dask`` extra installs.

Workers run without a nanny (``--no-nanny``) so that a test can kill one (SIGKILL)
and see the scheduler hand its work to another, as on a real cluster when a machine
goes away.

    with dask_cluster(workers=2) as cluster:
        run_batch(..., executor="dask", scheduler=cluster.address)
        cluster.kill_worker(0)
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from collections.abc import Iterator

_BIN = Path(sys.executable).parent
STARTUP_SECONDS = 60.0


def require_dask() -> None:
    """Skip without dask.distributed; under ``CI=true`` fail instead."""
    try:
        import distributed  # noqa: F401
    except ImportError:
        msg = "needs dask.distributed: pip install 'pmo-kit[dask]' (make test does)"
        if os.environ.get("CI", "").strip().lower() == "true":
            pytest.fail(f"CI=true, refusing to skip: {msg}", pytrace=False)
        pytest.skip(msg)


@dataclass
class Cluster:
    """A running scheduler and its workers."""

    address: str
    scheduler: subprocess.Popen[bytes]
    workers: list[subprocess.Popen[bytes]] = field(default_factory=list)
    folder: Path = Path()

    def worker_addresses(self) -> list[str]:
        """Addresses of the workers the scheduler knows, in start order."""
        from distributed import Client

        with Client(self.address, timeout="10s") as client:
            info = client.scheduler_info(n_workers=-1)["workers"]
        by_name = {w["name"]: addr for addr, w in info.items()}
        names = [f"test-worker-{n}" for n in range(len(self.workers))]
        return [by_name[n] for n in names if n in by_name]

    def kill_worker(self, index: int) -> None:
        """SIGKILL worker ``index`` (no clean shutdown, like a lost machine)."""
        proc = self.workers[index]
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=10)


def _wait_for(path: Path, deadline: float) -> dict[str, object]:
    while time.monotonic() < deadline:
        with contextlib.suppress(OSError, ValueError):
            info: dict[str, object] = json.loads(path.read_text(encoding="utf-8"))
            if info.get("address"):
                return info
        time.sleep(0.2)
    msg = f"the Dask scheduler did not write {path} within {STARTUP_SECONDS:.0f} s"
    raise RuntimeError(msg)


def _wait_for_workers(address: str, count: int, deadline: float) -> None:
    from distributed import Client

    with Client(address, timeout="20s") as client:
        remaining = max(1.0, deadline - time.monotonic())
        client.wait_for_workers(count, timeout=remaining)


@contextlib.contextmanager
def dask_cluster(workers: int = 2, nthreads: int = 1) -> Iterator[Cluster]:
    """Start a scheduler and ``workers`` worker processes; stop them all after."""
    require_dask()
    folder = Path(tempfile.mkdtemp(prefix="pmo-dask-"))
    scheduler_file = folder / "scheduler.json"
    log = (folder / "scheduler.log").open("wb")
    logs = [log]
    env = {**os.environ, "DASK_DISTRIBUTED__WORKER__DAEMON": "False"}
    scheduler = subprocess.Popen(
        [
            str(_BIN / "dask"),
            "scheduler",
            "--host",
            "127.0.0.1",
            "--port",
            "0",
            "--no-dashboard",
            "--scheduler-file",
            str(scheduler_file),
        ],
        stdout=log,
        stderr=subprocess.STDOUT,
        env=env,
    )
    cluster = Cluster(address="", scheduler=scheduler, folder=folder)
    try:
        deadline = time.monotonic() + STARTUP_SECONDS
        cluster.address = str(_wait_for(scheduler_file, deadline)["address"])
        for number in range(workers):
            worker_log = (folder / f"worker-{number}.log").open("wb")
            logs.append(worker_log)
            cluster.workers.append(
                subprocess.Popen(
                    [
                        str(_BIN / "dask"),
                        "worker",
                        cluster.address,
                        "--host",
                        "127.0.0.1",
                        "--no-nanny",
                        "--nthreads",
                        str(nthreads),
                        "--no-dashboard",
                        "--local-directory",
                        str(folder / f"worker-{number}"),
                        "--name",
                        f"test-worker-{number}",
                    ],
                    stdout=worker_log,
                    stderr=subprocess.STDOUT,
                    env=env,
                )
            )
        _wait_for_workers(cluster.address, workers, deadline)
        yield cluster
    finally:
        for proc in [*cluster.workers, scheduler]:
            if proc.poll() is None:
                proc.terminate()
        for proc in [*cluster.workers, scheduler]:
            try:
                proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait(timeout=5)
        for handle in logs:
            handle.close()
        shutil.rmtree(folder, ignore_errors=True)
