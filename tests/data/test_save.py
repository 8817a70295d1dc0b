"""save_portfolio replaces only the kit's files and cleans up after a killed save."""

from __future__ import annotations

import os
import subprocess
import sys
from typing import TYPE_CHECKING

import pytest

import pmo_kit
from pmo_kit import ValidationError
from pmo_kit.data.folders import remove_stale_staging
from pmo_kit.data.portfolio import save_portfolio

if TYPE_CHECKING:
    from pathlib import Path


def _dead_pid() -> int:
    """The id of a process that has ended (and was reaped)."""
    proc = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"],
        capture_output=True,
        text=True,
        check=True,
    )
    return int(proc.stdout)


@pytest.fixture
def saved(tmp_path: Path, sample: pmo_kit.Portfolio) -> Path:
    target = tmp_path / "org"
    save_portfolio(sample, target)
    return target


def test_files_the_kit_did_not_make_survive_a_save(saved, sample):
    (saved / "notes.txt").write_text("call the sponsor", "utf-8")
    (saved / "charters" / "README.md").write_text("how we write charters", "utf-8")
    (saved / "archive").mkdir()
    (saved / "archive" / "old-plan.xlsx").write_bytes(b"PK\x03\x04")
    (saved / "empty-folder").mkdir()
    (saved / "charters" / "P-099.yaml").write_text("project_id: P-099\n", "utf-8")
    save_portfolio(sample, saved)
    assert (saved / "notes.txt").read_text("utf-8") == "call the sponsor"
    assert (saved / "charters" / "README.md").read_text("utf-8") == (
        "how we write charters"
    )
    assert (saved / "archive" / "old-plan.xlsx").read_bytes() == b"PK\x03\x04"
    assert (saved / "empty-folder").is_dir()
    # a charter file is the kit's: one for a project that is not in the data goes
    assert not (saved / "charters" / "P-099.yaml").exists()
    assert sorted(p.name for p in saved.parent.iterdir()) == ["org"]


def test_a_failed_save_keeps_everything_and_leaves_no_folder(saved, sample):
    from dataclasses import replace

    (saved / "notes.txt").write_text("keep me", "utf-8")
    before = {p.name: p.read_bytes() for p in saved.iterdir() if p.is_file()}
    broken = sample.tasks.copy()
    broken.loc[0, "duration"] = -3
    with pytest.raises(ValidationError):
        save_portfolio(replace(sample, tasks=broken), saved)
    after = {p.name: p.read_bytes() for p in saved.iterdir() if p.is_file()}
    assert after == before
    assert sorted(p.name for p in saved.parent.iterdir()) == ["org"]


def test_stale_staging_of_a_killed_save_is_removed(saved, sample):
    dead = _dead_pid()
    stale = saved.parent / f".org.pmo-kit-staging-{dead}-0123abcd"
    stale.mkdir()
    (stale / "tasks.csv").write_text("half written", "utf-8")
    old = saved.parent / f".org.pmo-kit-old-{dead}-89abcdef"
    old.mkdir()
    live = saved.parent / f".org.pmo-kit-staging-{os.getpid()}-00000000"
    live.mkdir()  # a save of this very process: still running, not stale
    mine = saved.parent / ".org.backup"
    mine.mkdir()  # a user's folder: not the kit's
    other = saved.parent / f".other.pmo-kit-staging-{dead}-0123abcd"
    other.mkdir()  # staging of another dataset folder
    save_portfolio(sample, saved)
    left = sorted(p.name for p in saved.parent.iterdir())
    assert left == sorted(["org", live.name, mine.name, other.name])


def test_old_folder_is_put_back_when_a_save_died_mid_swap(saved):
    dead = _dead_pid()
    old = saved.parent / f".org.pmo-kit-old-{dead}-89abcdef"
    saved.replace(old)  # killed after moving the target aside
    assert remove_stale_staging(saved) == [old]
    assert (saved / "tasks.csv").is_file()
    assert not old.exists()
    pmo_kit.load_portfolio(saved)
