"""
Benchmark: `pmo-kit workshop grade` on 30 hand-ins of one exercise.

Releases a 3-team workshop of exercise 05_kpi_evm, makes N hand-ins (default 30:
a third correct, a third with typical mistakes, a third blank), grades them with
`-j` = CPU cores (each hand-in in its own fresh kernel) and prints the time.
Goal: under a minute on a 2-core machine.

    .venv/bin/python bench/bench_grading.py [--handins 30] [--jobs N]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import tempfile
import time
import zipfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
EXERCISE = "05_kpi_evm"


def _answers() -> dict[str, str]:
    nb = json.loads((REPO / "exercises" / EXERCISE / "solution.ipynb").read_text())
    return {
        c["id"]: "\n".join(
            line for line in "".join(c["source"]).splitlines() if "SOLUTION" not in line
        )
        for c in nb["cells"]
        if c["id"].endswith("-answer")
    }


def main() -> None:
    """Release, make hand-ins, grade, print the time."""
    from pmo_kit.training.workshop import grade, release

    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--handins", type=int, default=30)
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        course = root / "course"
        shutil.copytree(
            REPO / "exercises" / EXERCISE,
            course / EXERCISE,
            ignore=shutil.ignore_patterns("exercise.ipynb"),
        )
        release(root / "w", teams=3, seed=7, exercises=course, projects=10)
        answers = _answers()
        handins = root / "handins"
        handins.mkdir()
        for i in range(args.handins):
            team = f"team-{i % 3 + 1:02d}"
            path = root / "w" / "teams" / team / "exercises" / EXERCISE
            nb = json.loads((path / "exercise.ipynb").read_text())
            for cell in nb["cells"]:
                if i % 3 != 2 and cell.get("id") in answers:
                    cell["source"] = answers[cell["id"]]
                if i % 3 == 1 and cell.get("id") == "q2-answer":
                    cell["source"] = "spi = ev / pv\ncpi = ac / ev"
            with zipfile.ZipFile(handins / f"l{i:02d}.zip", "w") as archive:
                archive.writestr(
                    "handin.json", json.dumps({"team": team, "learner": f"l{i:02d}"})
                )
                archive.writestr(f"exercises/{EXERCISE}/exercise.ipynb", json.dumps(nb))
        start = time.perf_counter()
        rows = grade(root / "w", handins, root / "results", jobs=args.jobs)
        elapsed = time.perf_counter() - start
    points = sum(r.points or 0 for r in rows)
    print(
        f"graded {args.handins} hand-ins of {EXERCISE} ({len(rows)} rows, "
        f"{points:g} points) with -j {args.jobs} on {os.cpu_count()} cores "
        f"({platform.python_version()}): {elapsed:.1f} s "
        f"({elapsed / args.handins:.2f} s per hand-in)"
    )


if __name__ == "__main__":
    main()
