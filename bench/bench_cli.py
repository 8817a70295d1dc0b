"""
Benchmark: how fast the ``pmo-kit`` command answers when no report runs.

Times, as separate processes (what a person at a terminal waits for), the start-up
of ``pmo-kit --help``, ``report list``, ``report describe project-status`` and a
rejected parameter (``report run project-status -p project_id P-999``), N runs each,
and prints the median with the range. Goal: each under 1 s.

    .venv/bin/python bench/bench_cli.py [--runs 5] [--source DIR]

``--source DIR`` times another copy of the kit with the same environment, e.g. the
last commit for a before/after comparison under the same machine load:
``git archive HEAD | tar -x -C /tmp/head`` then ``--source /tmp/head``.
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from importlib.metadata import version
from pathlib import Path

BIN = Path(sys.executable).parent
COMMANDS: tuple[tuple[str, ...], ...] = (
    ("--help",),
    ("report", "list"),
    ("report", "describe", "project-status"),
    ("report", "run", "project-status", "-p", "project_id", "P-999"),
)
GOAL_SECONDS = 1.0


def timed(args: tuple[str, ...], cwd: Path, env: dict[str, str]) -> tuple[float, int]:
    """Run ``pmo-kit ARGS`` once; return the wall time and the exit status."""
    start = time.perf_counter()
    proc = subprocess.run(
        [str(BIN / "pmo-kit"), *args],
        cwd=cwd,
        capture_output=True,
        check=False,
        env=env,
    )
    return time.perf_counter() - start, proc.returncode


def main() -> None:
    """Measure every command and print one line each."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[1])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--source", type=Path, help="another copy of the kit to time")
    args = parser.parse_args()
    env = dict(os.environ)
    if args.source is not None:
        env["PYTHONPATH"] = str(args.source.resolve())
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(
        f"{time.strftime('%Y-%m-%d %H:%M')} python {platform.python_version()}, "
        f"{platform.machine()}, {os.cpu_count()} cores, load {load:.2f}; "
        f"pmo-kit {version('pmo-kit')}, click {version('click')}, "
        f"pandas {version('pandas')}, papermill {version('papermill')}; "
        f"runs {args.runs}; source {args.source or 'this checkout'}"
    )
    slow = 0
    with tempfile.TemporaryDirectory() as tmp:
        for command in COMMANDS:
            times, statuses = [], set()
            for _ in range(args.runs):
                seconds, status = timed(command, Path(tmp), env)
                times.append(seconds)
                statuses.add(status)
            median = statistics.median(times)
            slow += median >= GOAL_SECONDS
            print(
                f"pmo-kit {' '.join(command):<58} median {median:5.2f} s "
                f"(min {min(times):.2f}, max {max(times):.2f}; exit {sorted(statuses)})"
            )
    verdict = "met" if not slow else "NOT met"
    print(f"goal: every median under {GOAL_SECONDS:.0f} s: {verdict}")


if __name__ == "__main__":
    main()
