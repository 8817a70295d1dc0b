"""
Benchmark: `pmo-kit report batch` against a loop of papermill + nbconvert.

Generates a seeded organisation of N projects (default 50), then makes the
project-status report of every project twice, on the same data and machine:

- **loop**: for each project, `papermill project-status.ipynb OUT.ipynb -p project_id
  P -p dataset D` then `jupyter nbconvert --to html --no-input OUT.ipynb` (what an
  analyst scripts today: a fresh kernel per report);
- **batch**: `pmo-kit report batch project-status --all-projects -p dataset D -o OUT`
  (warm kernels, `-j` = CPU cores unless --jobs), plus the same with `-j 1` to show
  how much comes from warm kernels alone.

    .venv/bin/python bench/bench_batch.py [--projects 50] [--jobs N] [--skip-loop]
"""

from __future__ import annotations

import argparse
import os
import platform
import subprocess
import sys
import tempfile
import time
from importlib import metadata
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
NOTEBOOK = REPO / "notebooks" / "reports" / "project-status.ipynb"
BIN = Path(sys.executable).parent


def project_ids(dataset: Path) -> list[str]:
    import csv

    with (dataset / "projects.csv").open(encoding="utf-8") as handle:
        return [row["project_id"] for row in csv.DictReader(handle)]


def loop(dataset: Path, out: Path, ids: list[str]) -> tuple[float, int]:
    failed = 0
    start = time.perf_counter()
    for pid in ids:
        folder = out / pid
        folder.mkdir(parents=True)
        executed = folder / "project-status.ipynb"
        run = subprocess.run(
            [
                str(BIN / "papermill"), str(NOTEBOOK), str(executed),
                "-p", "project_id", pid, "-p", "dataset", str(dataset),
                "-p", "output_json", str(folder / "summary.json"),
                "--no-progress-bar", "--cwd", str(folder),
            ],
            capture_output=True,
            check=False,
        )  # fmt: skip
        if run.returncode != 0:
            failed += 1
            continue
        subprocess.run(
            [str(BIN / "jupyter"), "nbconvert", "--to", "html", "--no-input",
             str(executed)],
            capture_output=True,
            check=True,
        )  # fmt: skip
    return time.perf_counter() - start, failed


def batch(dataset: Path, out: Path, jobs: int | None) -> tuple[float, str]:
    command = [
        str(BIN / "pmo-kit"), "report", "batch", "project-status", "--all-projects",
        "-p", "dataset", str(dataset), "-o", str(out),
    ]  # fmt: skip
    if jobs:
        command += ["-j", str(jobs)]
    start = time.perf_counter()
    run = subprocess.run(command, capture_output=True, text=True, check=False)
    return time.perf_counter() - start, run.stdout.strip()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[1])
    parser.add_argument("--projects", type=int, default=50)
    parser.add_argument("--jobs", type=int, default=None)
    parser.add_argument("--skip-loop", action="store_true")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        dataset = root / "org"
        subprocess.run(
            [str(BIN / "pmo-kit"), "data", "generate", "--projects",
             str(args.projects), "--out", str(dataset)],
            check=True,
            capture_output=True,
        )  # fmt: skip
        ids = project_ids(dataset)
        print(f"{len(ids)} project-status reports; {os.cpu_count()} cores")
        fast, line = batch(dataset, root / "batch", args.jobs)
        print(f"batch (-j {args.jobs or os.cpu_count()}): {fast:.1f} s  [{line}]")
        one, line1 = batch(dataset, root / "batch-j1", 1)
        print(f"batch (-j 1): {one:.1f} s  [{line1}]")
        again, line2 = batch(dataset, root / "batch", args.jobs)
        print(f"batch again, nothing changed: {again:.1f} s  [{line2}]")
        if not args.skip_loop:
            slow, failed = loop(dataset, root / "loop", ids)
            print(f"papermill + nbconvert loop: {slow:.1f} s ({failed} failed)")
            print(f"ratio loop / batch: {slow / fast:.1f}x; loop / batch -j 1: "
                  f"{slow / one:.1f}x")  # fmt: skip
    versions = ", ".join(
        f"{name} {metadata.version(name)}"
        for name in ("papermill", "nbclient", "nbconvert", "ipykernel", "pandas")
    )
    print(f"Python {platform.python_version()}, {versions}")
    load = os.getloadavg()
    print(f"load average at the end: {load[0]:.1f} {load[1]:.1f} {load[2]:.1f}")


if __name__ == "__main__":
    main()
