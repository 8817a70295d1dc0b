"""Progress on disk, the score line and failed answer cells in a real kernel."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap

import pytest

from pmo_kit.training import load_checks
from pmo_kit.training.progress import (
    course_questions,
    progress,
    read_progress,
    record_result,
)
from pmo_kit.training.workspace import make_workspace

CHECKS = """
from pmo_kit.training import check, fail


@check(hint="CPI is EV / AC.")
def q1_cpi(cpi):
    if abs(cpi - 45 / 40) < 1e-3:
        fail("You divided AC by EV; CPI is EV / AC.")
    assert abs(cpi - 40 / 45) < 1e-3


@check(hint="Count the projects.", points=2)
def q2_count(count):
    assert count == 3


@check(points=3)
def q3_name(name):
    assert name == "P-002"
"""


@pytest.fixture
def exercise(tmp_path):
    folder = tmp_path / "09_demo"
    folder.mkdir()
    (folder / "checks.py").write_text(CHECKS, encoding="utf-8")
    return folder


def test_score_line_and_open_items(exercise):
    checker = load_checks(exercise)
    board = checker.all({"cpi": 45 / 40, "count": 3})
    # by hand: q2 right (2 points), q1 wrong (1), q3 not done (3): 1/3, 2/6
    assert board.score_line() == "1/3 correct, 2/6 points"
    text = repr(board)
    assert text.splitlines()[0] == "1/3 correct, 2/6 points"
    assert "❌ q1_cpi: You divided AC by EV; CPI is EV / AC." in text
    assert "⏳ q3_name: Not done yet" in text
    assert [r.name for r in board.open_items] == ["q1_cpi", "q3_name"]
    page = board._repr_html_()
    assert "<strong>1/3 correct, 2/6 points</strong>" in page
    assert "q3_name" in page
    # still the list of results it always was
    assert [r.name for r in board] == ["q1_cpi", "q2_count", "q3_name"]
    assert checker.score({"cpi": 40 / 45, "count": 3, "name": "P-002"}) == (6.0, 6.0)


def test_progress_file_records_and_keeps_answers(tmp_path):
    path = tmp_path / "progress.json"
    assert record_result(path, "02_risk", "q1_x", "incorrect", 0, 1, "no")
    assert record_result(path, "02_risk", "q1_x", "correct", 1, 1, "Correct.")
    # "not done" (the answer is not in memory after a restart) keeps the answer
    assert not record_result(path, "02_risk", "q1_x", "not done", 0, 1, "later")
    assert record_result(path, "02_risk", "q2_y", "not done", 0, 2, "Not done yet.")
    data = read_progress(path)
    assert data["02_risk"]["q1_x"]["status"] == "correct"
    assert data["02_risk"]["q1_x"]["points"] == 1
    assert data["02_risk"]["q2_y"]["status"] == "open"
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]


def test_progress_survives_a_new_process(tmp_path, monkeypatch):
    from pmo_kit.training import workspace as module

    kit = tmp_path / "kit" / "exercises"
    (kit / "09_demo").mkdir(parents=True)
    (kit / "09_demo" / "checks.py").write_text(CHECKS, encoding="utf-8")
    (kit / "09_demo" / "solution.ipynb").write_text(
        json.dumps(
            _notebook([("q1-answer", "### BEGIN SOLUTION\ncpi = 1\n### END SOLUTION")])
        ),
        encoding="utf-8",
    )
    monkeypatch.setattr(module, "kit_exercises_dir", lambda: kit)
    monkeypatch.setattr(module, "kit_lessons_dir", lambda: None)
    ws = tmp_path / "ws"
    make_workspace(ws)
    assert not (ws / "exercises" / "09_demo" / "checks.py").exists()
    # another Python process (a kernel) in the workspace's exercise folder: the
    # checks come from the kit folder the workspace was made from
    code = textwrap.dedent(
        f"""
        import os
        os.chdir({str(ws / "exercises" / "09_demo")!r})
        from pmo_kit.training import load_checks
        check = load_checks()
        check("q1_cpi", {{"cpi": 40 / 45}})
        check("q2_count", {{"count": 4}})
        """
    )
    subprocess.run([sys.executable, "-c", code], check=True, cwd=tmp_path)
    course = progress(ws, exercises_dir=kit)
    assert course.status("09_demo", "q1_cpi") == "correct"
    assert course.status("09_demo", "q2_count") == "wrong"
    assert course.status("09_demo", "q3_name") == "open"
    # by hand: 1 of 3 right, 1 wrong, 1 open; 1 point of 1 + 2 + 3
    assert course.total_line() == "Course: 1/3 correct, 1 wrong, 1 open; 1/6 points"
    frame = course.to_frame()
    assert list(frame["status"]) == ["correct", "wrong", "open"]
    assert "q3_name" in course._repr_html_()
    # found from any folder inside the workspace
    inside = progress(ws / "exercises" / "09_demo", exercises_dir=kit)
    assert inside.total_line() == course.total_line()


def test_course_questions_reads_points(exercise):
    assert course_questions(exercise.parent) == {
        "09_demo": {"q1_cpi": 1.0, "q2_count": 2.0, "q3_name": 3.0}
    }


def _notebook(cells: list[tuple[str, str]]) -> dict[str, object]:
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
        "metadata": {"kernelspec": {"name": "python3", "display_name": "Python 3"}},
        "nbformat": 4,
        "nbformat_minor": 5,
    }


SETUP = "from pmo_kit.training import load_checks\ncheck = load_checks()"


def _text(cell: object) -> str:
    return " ".join(
        str(out.get("data", {}).get("text/plain", ""))
        for out in cell.outputs  # type: ignore[attr-defined]
        if out.output_type == "execute_result"
    )


@pytest.mark.notebook
def test_failed_answer_cell_is_reported_in_a_real_kernel(exercise, tmp_path):
    nbformat = pytest.importorskip("nbformat")
    nbclient = pytest.importorskip("nbclient")
    nb = nbformat.from_dict(
        _notebook(
            [
                ("setup", SETUP),
                ("q1-answer", "cpi = 40 / 45"),
                ("q1-check", 'check("q1_cpi")'),
                # the learner edits the answer into something that raises
                ("q1-answer-2", "cpi = ev / ac"),
                ("q1-check-2", 'check("q1_cpi")'),
                # a check after a working cell grades again
                ("q1-answer-3", "cpi = 45 / 40"),
                ("q1-check-3", 'check("q1_cpi")'),
                ("q2-answer", "count = len(undefined_table)"),
                ("progress", "check.all()"),
            ]
        )
    )
    client = nbclient.NotebookClient(
        nb,
        timeout=120,
        kernel_name="python3",
        allow_errors=True,
        resources={"metadata": {"path": str(exercise)}},
    )
    client.execute()
    shown = {cell.id: _text(cell) for cell in nb.cells}
    assert "✅ q1_cpi: Correct." in shown["q1-check"]
    assert "NameError" in shown["q1-check-2"]
    assert (
        "Your answer cell raised NameError: name 'ev' is not defined"
        in (shown["q1-check-2"])
    )
    assert "fix it and run it again" in shown["q1-check-2"]
    assert "✅" not in shown["q1-check-2"]
    assert "You divided AC by EV" in shown["q1-check-3"]
    # by hand: q1 wrong (45/40), q2 and q3 never answered
    assert shown["progress"].splitlines()[0] == "0/3 correct, 0/6 points"
    # authoring layout (checks.py beside the notebook): nothing recorded on disk
    assert not (exercise / ".pmo-kit").exists()
    json.dumps(shown)  # plain text all the way


def test_answer_cell_found_by_id_in_an_ipython_shell(exercise, monkeypatch):
    """JupyterLab sends cell ids: the check looks at its own question's answer cell."""
    from IPython.core.interactiveshell import InteractiveShell

    monkeypatch.chdir(exercise)
    shell = InteractiveShell.instance()
    try:
        shell.run_cell(SETUP, cell_id="setup")
        shell.run_cell("cpi = 40 / 45", cell_id="q1-answer")
        shell.run_cell("count = 1 / 0", cell_id="q2-answer")
        # another cell fails in between: it is not q1's answer
        shell.run_cell("oops(", cell_id="scratch")
        first = shell.run_cell('check("q1_cpi")', cell_id="q1-check").result
        second = shell.run_cell('check("q2_count")', cell_id="q2-check").result
        board = shell.run_cell("check.all()", cell_id="progress").result
        shell.run_cell("count = 3", cell_id="q2-answer")
        fixed = shell.run_cell('check("q2_count")', cell_id="q2-check").result
    finally:
        InteractiveShell.clear_instance()
    assert first.passed
    assert second.outcome == "not done"
    assert second.message.startswith(
        "Your answer cell raised ZeroDivisionError: division by zero; fix it"
    )
    assert board.score_line() == "1/3 correct, 1/6 points"
    assert fixed.passed
