"""
Benchmark: `pmo-kit report run` against plain papermill + nbconvert, one report.

Both sides run the same notebook (portfolio-overview, or project-status of P-003 with
``--report project-status``) on the same data, as separate
processes, alternating, several rounds in one invocation; the figure that matters is
the ratio of the medians (the kit's overhead: parameter validation, building in a
staging folder and swapping it in, offline HTML template, summary read-back).

    .venv/bin/python bench/bench_report_run.py [--rounds 5] [--report project-status]
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
BIN = Path(sys.executable).parent
#: The report to time and the parameters it gets (set by --report).
REPORT: dict[str, object] = {"name": "portfolio-overview", "params": []}
CHOICES: dict[str, list[str]] = {
    "portfolio-overview": [],
    "project-status": ["project_id", "P-003"],
}


def timed(command: list[str], cwd: Path) -> float:
    start = time.perf_counter()
    subprocess.run(command, cwd=cwd, check=True, capture_output=True)
    return time.perf_counter() - start


def kit_run(out: Path) -> float:
    name, params = str(REPORT["name"]), list(REPORT["params"])
    extra = ["-p", *params] if params else []
    return timed(
        [str(BIN / "pmo-kit"), "report", "run", name, *extra, "-o", str(out)],
        out,
    )


def plain_run(out: Path) -> float:
    name, params = str(REPORT["name"]), list(REPORT["params"])
    executed = out / f"{name}.ipynb"
    notebook = REPO / "notebooks" / "reports" / f"{name}.ipynb"
    extra = ["-p", *params] if params else []
    start = time.perf_counter()
    subprocess.run(
        [
            str(BIN / "papermill"),
            str(notebook),
            str(executed),
            *extra,
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
    parser.add_argument(
        "--report", choices=sorted(CHOICES), default="portfolio-overview"
    )
    args = parser.parse_args()
    REPORT["name"], REPORT["params"] = args.report, CHOICES[args.report]
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
        f"python {platform.python_version()}, rounds {args.rounds}, "
        f"report {args.report}"
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
