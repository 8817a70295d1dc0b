"""The workshop commands as a trainer types them, from a folder outside the kit."""

from __future__ import annotations

import csv
import os
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]


def _cli(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "pmo_kit", *args],
        capture_output=True,
        text=True,
        check=False,
        cwd=cwd,
        env={**os.environ, "PMO_KIT_DATASET": ""},
    )


@pytest.mark.notebook
def test_release_hand_in_grade_from_any_folder(tmp_path: Path) -> None:
    done = _cli("workshop", "release", "--teams", "2", "--seed", "7", "--out", "ws",
                cwd=tmp_path)  # fmt: skip
    assert done.returncode == 0, done.stderr
    released = len(list((REPO / "exercises").glob("*/solution.ipynb")))
    assert f"Released {released} exercises to 2 teams" in done.stdout  # the kit's own
    (tmp_path / "in").mkdir()
    for team, learner in (("team-01", "ana"), ("team-02", "ben")):
        made = _cli("workshop", "hand-in", f"ws/teams/{team}", "--learner", learner,
                    "-o", f"in/{learner}.zip", cwd=tmp_path)  # fmt: skip
        assert made.returncode == 0, made.stderr
    graded = _cli("workshop", "grade", "ws", "in", "-o", "out", "--exercise",
                  "05_kpi_evm", cwd=tmp_path)  # fmt: skip
    assert graded.returncode == 0, graded.stderr
    assert graded.stdout.startswith("Graded 2 hand-ins")
    assert graded.stderr == ""  # no kernel chatter on the trainer's terminal
    with (tmp_path / "out" / "gradebook.csv").open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert {(r["team"], r["learner"]) for r in rows} == {
        ("team-01", "ana"),
        ("team-02", "ben"),
    }
    assert all(r["points"] == "0" for r in rows if r["points"])  # nothing answered
    empty = tmp_path / "empty"
    empty.mkdir()
    none = _cli("workshop", "grade", "ws", "empty", "-o", "out2", cwd=tmp_path)
    assert none.returncode == 1
    assert none.stderr.startswith("Error: no hand-ins in empty")
    assert none.stderr.count("\n") == 1
