"""Run an exercise notebook the way a learner would, for the exercise tests."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pathlib import Path


def run_check_cells(notebook: Path, folder: Path, tmp_path: Path) -> list[str]:
    """
    Run ``notebook`` with its kernel in ``folder`` (where ``load_checks()`` finds
    checks.py); return what each ``check(...)`` cell showed, in order.
    """
    import nbformat
    from nbclient import NotebookClient

    nb = nbformat.read(notebook, as_version=4)
    client = NotebookClient(
        nb,
        timeout=240,
        kernel_name="python3",
        resources={"metadata": {"path": str(folder)}},
    )
    client.execute()  # raises CellExecutionError if any cell fails
    nbformat.write(nb, tmp_path / f"{notebook.stem}.executed.ipynb")
    return [
        " ".join(
            str(output.get("data", {}).get("text/plain", ""))
            for output in cell.outputs
            if output.output_type == "execute_result"
        )
        for cell in nb.cells
        if cell.cell_type == "code" and cell.source.lstrip().startswith("check")
    ]


def code_cells(notebook: Path) -> dict[str, str]:
    """Return the source of each code cell, by cell id."""
    import json

    nb = json.loads(notebook.read_text(encoding="utf-8"))
    return {
        c["id"]: "".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "code"
    }


def solution_lines(
    solution: Path, *, skip_comments: bool = False, min_length: int = 1
) -> list[str]:
    """Return the lines between ``### BEGIN/END SOLUTION`` markers, stripped."""
    from pmo_kit.training.solutions import BEGIN, END

    lines: list[str] = []
    for source in code_cells(solution).values():
        inside = False
        for line in source.splitlines():
            text = line.strip()
            if text == BEGIN:
                inside = True
            elif text == END:
                inside = False
            elif (
                inside
                and len(text) >= min_length
                and not (skip_comments and text.startswith("#"))
            ):
                lines.append(text)
    return lines


def assert_learner_copy_not_done(solution: Path, tmp_path: Path, checks: int) -> None:
    """The learner copy runs to the end and every check shows ⏳, none ✅ or ❌."""
    from pmo_kit.training import make_learner_copy

    copy = make_learner_copy(solution, tmp_path / "exercise.ipynb")
    *shown, progress = run_check_cells(copy, solution.parent, tmp_path)
    assert len(shown) == checks, shown
    for text in shown:
        assert "⏳" in text, text
        assert "✅" not in text
        assert "❌" not in text
    assert progress.count("⏳") == checks, progress  # check.all(): the progress view


def assert_solution_passes(solution: Path, tmp_path: Path, checks: int) -> None:
    """The solution notebook runs to the end and every check shows ✅."""
    *shown, progress = run_check_cells(solution, solution.parent, tmp_path)
    assert len(shown) == checks, shown
    assert all("✅" in text for text in shown), shown
    assert progress.count("✅") == checks, progress


def learner_code(
    solution: Path, tmp_path: Path, *, skip_comments: bool = False, min_length: int = 1
) -> str:
    """
    Make the learner copy; check it has no marker and no solution line left; return
    its code cells joined, for the placeholder checks of each exercise.
    """
    from pmo_kit.training import make_learner_copy

    copy = make_learner_copy(solution, tmp_path / "exercise.ipynb")
    assert "SOLUTION" not in copy.read_text(encoding="utf-8")
    learner = "\n".join(code_cells(copy).values())
    answers = solution_lines(
        solution, skip_comments=skip_comments, min_length=min_length
    )
    leaked = [line for line in answers if line in learner]
    assert not leaked, f"solution code left in the learner copy: {leaked}"
    return learner
