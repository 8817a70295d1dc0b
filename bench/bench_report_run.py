"""
Benchmark: `pmo-kit report run` against plain papermill + nbconvert, one report.

Both sides run the same notebook (portfolio-overview) on the same data, as separate
processes, alternating, several rounds in one invocation; the figure that matters is
the ratio of the medians (the kit's overhead: parameter validation, building in a
staging folder and swapping it in, offline HTML template, summary read-back).

    .venv/bin/python bench/bench_report_run.py [--rounds 5]
"""

from __future__ import annotations

import argparse
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
NOTEBOOK = REPO / "notebooks" / "reports" / "portfolio-overview.ipynb"
BIN = Path(sys.executable).parent


def timed(command: list[str], cwd: Path) -> float:
    start = time.perf_counter()
    subprocess.run(command, cwd=cwd, check=True, capture_output=True)
    return time.perf_counter() - start


def kit_run(out: Path) -> float:
    return timed(
        [str(BIN / "pmo-kit"), "report", "run", "portfolio-overview", "-o", str(out)],
        out,
    )


def plain_run(out: Path) -> float:
    executed = out / "portfolio-overview.ipynb"
    start = time.perf_counter()
    subprocess.run(
        [
            str(BIN / "papermill"),
            str(NOTEBOOK),
            str(executed),
            "-p",
            "output_json",
            str(out / "summary.json"),
            "--no-progress-bar",
            "--cwd",
            str(out),
        ],
        check=True,
        capture_output=True,
    )
    subprocess.run(
        [
            str(BIN / "jupyter"),
            "nbconvert",
            "--to",
            "html",
            "--no-input",
            str(executed),
        ],
        check=True,
        capture_output=True,
    )
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[1])
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    kit: list[float] = []
    plain: list[float] = []
    with tempfile.TemporaryDirectory() as tmp:
        for i in range(args.rounds):
            for name, fn, store in (("kit", kit_run, kit), ("plain", plain_run, plain)):
                out = Path(tmp) / f"{name}-{i}"
                out.mkdir()
                store.append(fn(out))
    k, p = statistics.median(kit), statistics.median(plain)
    print(
        f"machine: {platform.processor() or platform.machine()}, "
        f"python {platform.python_version()}, rounds {args.rounds}"
    )
    rows = (("pmo-kit report run", kit, k), ("papermill + nbconvert", plain, p))
    for label, values, med in rows:
        print(
            f"{label:<24} median {med:6.2f} s  "
            f"(min {min(values):.2f}, max {max(values):.2f})"
        )
    print(f"ratio kit / plain         {k / p:6.2f}")


if __name__ == "__main__":
    main()
