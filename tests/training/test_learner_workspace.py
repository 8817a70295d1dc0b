"""The learner workspace: made once, refreshed without losing answers."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from pmo_kit import ExerciseError
from pmo_kit.cli_learner import learner_group
from pmo_kit.training.workspace import (
    find_workspace,
    kit_exercises_dir,
    make_workspace,
)

REPO = Path(__file__).resolve().parents[2]


def _cells(path: Path) -> dict[str, str]:
    nb = json.loads(path.read_text(encoding="utf-8"))
    return {
        c["id"]: "".join(c["source"]) if isinstance(c["source"], list) else c["source"]
        for c in nb["cells"]
    }


def _set_cell(path: Path, cell_id: str, source: str) -> None:
    nb = json.loads(path.read_text(encoding="utf-8"))
    for cell in nb["cells"]:
        if cell["id"] == cell_id:
            cell["source"] = source
    path.write_text(json.dumps(nb, indent=1), encoding="utf-8")


def test_workspace_has_lessons_and_learner_copies_only(tmp_path):
    ws = tmp_path / "ws"
    report = make_workspace(ws)
    kit_exercises = sorted(
        p.parent.name for p in (REPO / "exercises").glob("*/solution.ipynb")
    )
    made = sorted(p.parent.name for p in ws.glob("exercises/*/exercise.ipynb"))
    assert made == kit_exercises
    lessons = sorted(p.name for p in (REPO / "notebooks").glob("*.ipynb"))
    assert sorted(p.name for p in (ws / "notebooks").glob("*.ipynb")) == lessons
    assert not list(ws.rglob("solution.ipynb"))
    assert not list(ws.rglob("checks.py"))
    assert "SOLUTION" not in "".join(
        p.read_text(encoding="utf-8") for p in ws.rglob("*.ipynb")
    )
    # the exercise's data file goes with it, the lessons carry no outputs
    assert (ws / "exercises/02_risk/risks.csv").read_bytes() == (
        REPO / "exercises/02_risk/risks.csv"
    ).read_bytes()
    for lesson in (ws / "notebooks").glob("*.ipynb"):
        nb = json.loads(lesson.read_text(encoding="utf-8"))
        assert all(not c.get("outputs") for c in nb["cells"]), lesson
    files = [p for p in ws.rglob("*") if p.is_file() and ".pmo-kit" not in p.parts]
    assert len(report.created) == len(files)
    assert report.kept == []
    assert not (ws / "pmo-kit.yaml").exists()
    assert find_workspace(ws / "exercises" / "02_risk") == ws


def test_second_call_keeps_edited_files_byte_identical(tmp_path):
    ws = tmp_path / "ws"
    make_workspace(ws)
    answer = ws / "exercises/00_first_check/exercise.ipynb"
    _set_cell(answer, "q1-answer", "execution_count = 42  # mine")
    before = answer.read_bytes()
    lesson = ws / "notebooks/00_welcome.ipynb"
    lesson.write_bytes(lesson.read_bytes() + b"\n")
    lesson_before = lesson.read_bytes()
    report = make_workspace(ws)
    assert answer.read_bytes() == before
    assert lesson.read_bytes() == lesson_before
    assert report.created == []
    assert "exercises/00_first_check/exercise.ipynb" in report.kept
    # even a refresh keeps it: the kit's version did not change
    report = make_workspace(ws, refresh=True)
    assert answer.read_bytes() == before
    assert lesson.read_bytes() == lesson_before
    assert report.refreshed == []
    assert not list(answer.parent.glob("*.backup-*"))


def _solution(cells: list[tuple[str, str]]) -> dict[str, object]:
    return {
        "cells": [
            {
                "cell_type": "code",
                "id": cell_id,
                "metadata": {},
                "execution_count": None,
                "outputs": [],
                "source": source,
            }
            for cell_id, source in cells
        ],
        "metadata": {},
        "nbformat": 4,
        "nbformat_minor": 5,
    }


@pytest.fixture
def fake_kit(tmp_path, monkeypatch):
    """A kit with one exercise and one lesson whose texts the test changes."""
    from pmo_kit.training import workspace as module

    kit = tmp_path / "kit"
    (kit / "exercises" / "09_demo").mkdir(parents=True)
    (kit / "notebooks").mkdir()
    (kit / "exercises" / "09_demo" / "checks.py").write_text("", encoding="utf-8")
    monkeypatch.setattr(module, "kit_exercises_dir", lambda: kit / "exercises")
    monkeypatch.setattr(module, "kit_lessons_dir", lambda: kit / "notebooks")
    return kit


def _write_kit(kit: Path, question: str, lesson: str) -> None:
    solution = _solution(
        [
            ("setup", "check = load_checks()"),
            ("q1-question", f"# {question}"),
            ("q1-answer", "### BEGIN SOLUTION\nanswer = 42\n### END SOLUTION"),
            ("q1-check", "check('q1_answer')"),
            ("q2-answer", "### BEGIN SOLUTION\nother = 1\n### END SOLUTION"),
        ]
    )
    (kit / "exercises" / "09_demo" / "solution.ipynb").write_text(
        json.dumps(solution), encoding="utf-8"
    )
    (kit / "notebooks" / "09_demo.ipynb").write_text(
        json.dumps(_solution([("intro", lesson)])), encoding="utf-8"
    )


def test_refresh_carries_answers_and_keeps_a_backup(tmp_path, fake_kit):
    _write_kit(fake_kit, "What is the answer?", "print('v1')")
    ws = tmp_path / "ws"
    make_workspace(ws)
    rel = "exercises/09_demo/exercise.ipynb"
    path = ws / rel
    assert _cells(path)["q1-answer"] == "# YOUR CODE HERE\nanswer = ..."
    # the learner answers q1 and scribbles in the question cell
    _set_cell(path, "q1-answer", "answer = 41 + 1  # mine")
    _set_cell(path, "q1-question", "# my note")
    mine = path.read_bytes()
    _write_kit(fake_kit, "What is the answer, really?", "print('v2')")
    report = make_workspace(ws, refresh=True)
    assert sorted(report.refreshed) == [rel, "notebooks/09_demo.ipynb"]
    backups = list(path.parent.glob("exercise.backup-*.ipynb"))
    assert len(backups) == 1
    assert backups[0].read_bytes() == mine
    assert report.backed_up == {rel: backups[0].relative_to(ws).as_posix()}
    cells = _cells(path)
    assert cells["q1-answer"] == "answer = 41 + 1  # mine"
    assert cells["q1-question"] == "# What is the answer, really?"
    assert cells["q2-answer"] == "# YOUR CODE HERE\nother = ..."
    assert any("backup" in line and rel in line for line in report.lines())
    # the untouched lesson is simply replaced, with no backup
    assert _cells(ws / "notebooks/09_demo.ipynb")["intro"] == "print('v2')"
    assert not list((ws / "notebooks").glob("*.backup-*"))
    # without --refresh, a later kit change leaves everything as it is
    _write_kit(fake_kit, "Third version", "print('v3')")
    again = make_workspace(ws)
    assert again.refreshed == []
    assert _cells(path)["q1-question"] == "# What is the answer, really?"


def test_dataset_setting_written_once(tmp_path):
    data = tmp_path / "team7"
    data.mkdir()
    ws = tmp_path / "ws"
    make_workspace(ws, dataset=data)
    assert (ws / "pmo-kit.yaml").read_text(encoding="utf-8") == (
        f'dataset: "{data.resolve().as_posix()}"\n'
    )
    with pytest.raises(ExerciseError, match="no such folder"):
        make_workspace(ws, dataset=tmp_path / "missing")


def test_target_that_is_a_file(tmp_path):
    (tmp_path / "f").write_text("x", encoding="utf-8")
    with pytest.raises(ExerciseError, match="is a file"):
        make_workspace(tmp_path / "f")


def test_cli_says_what_it_did(tmp_path):
    runner = CliRunner()
    ws = tmp_path / "ws"
    first = runner.invoke(learner_group, ["workspace", str(ws)])
    assert first.exit_code == 0, first.output
    assert "created    exercises/02_risk/exercise.ipynb" in first.output
    second = runner.invoke(learner_group, ["workspace", str(ws), "--refresh"])
    assert second.exit_code == 0, second.output
    assert "kept       exercises/02_risk/exercise.ipynb" in second.output
    assert "0 created" in second.output


def test_load_checks_finds_the_kit_checks_from_a_workspace(tmp_path, monkeypatch):
    from pmo_kit.training import load_checks

    ws = tmp_path / "ws"
    make_workspace(ws)
    monkeypatch.chdir(ws / "exercises" / "02_risk")
    checker = load_checks()
    assert Path(checker.source) == kit_exercises_dir() / "02_risk" / "checks.py"
    assert checker.exercise == "02_risk"
    assert checker.progress_path == ws / ".pmo-kit" / "progress.json"
    # the existing layout still works and records nothing outside a kernel
    monkeypatch.chdir(REPO / "exercises" / "02_risk")
    authoring = load_checks()
    assert authoring.progress_path is None
