"""Notebooks are committed the way ARCHITECTURE.md says: clean, thin and runnable."""

from __future__ import annotations

import ast
import json
from pathlib import Path
from typing import Any

import pytest

REPO = Path(__file__).resolve().parent.parent
LESSONS = sorted((REPO / "notebooks").glob("*.ipynb"))
REPORTS = sorted((REPO / "notebooks" / "reports").glob("*.ipynb"))
SOLUTIONS = sorted((REPO / "exercises").glob("*/solution.ipynb"))
DASHBOARDS = sorted((REPO / "notebooks" / "dashboard").glob("*.ipynb"))
ALL = LESSONS + REPORTS + SOLUTIONS + DASHBOARDS


def _load(path: Path) -> dict[str, Any]:
    notebook: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return notebook


def _name(path: Path) -> str:
    return str(path.relative_to(REPO))


def test_every_lesson_has_an_exercise_and_the_course_is_complete() -> None:
    lessons = {p.stem.split("_")[0] for p in LESSONS}
    exercises = {p.parent.name.split("_")[0] for p in SOLUTIONS}
    assert {"00", "01", "02", "03", "04", "05", "06", "07"} <= lessons
    assert lessons <= exercises


@pytest.mark.parametrize("path", ALL, ids=_name)
def test_committed_without_outputs_with_kernelspec(path: Path) -> None:
    notebook = _load(path)
    assert notebook["metadata"]["kernelspec"]["name"] == "python3"
    for index, cell in enumerate(notebook["cells"]):
        if cell["cell_type"] != "code":
            continue
        assert cell.get("outputs") == [], f"cell {index} has outputs: run nbstripout"
        assert cell.get("execution_count") is None, f"cell {index} execution_count"


@pytest.mark.parametrize("path", LESSONS + SOLUTIONS + DASHBOARDS, ids=_name)
def test_notebooks_stay_thin(path: Path) -> None:
    """No function or class definitions: the work lives in pmo_kit."""
    for index, cell in enumerate(_load(path)["cells"]):
        if cell["cell_type"] != "code":
            continue
        source = "".join(cell["source"])
        code = "\n".join(
            line
            for line in source.splitlines()
            if not line.lstrip().startswith(("%", "!"))
        )
        tree = ast.parse(code)
        defined = [
            node.name
            for node in ast.walk(tree)
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef)
        ]
        assert not defined, f"cell {index} defines {defined}: move it into pmo_kit"


@pytest.mark.parametrize("path", REPORTS, ids=_name)
def test_reports_start_with_an_annotated_parameters_cell(path: Path) -> None:
    code_cells = [c for c in _load(path)["cells"] if c["cell_type"] == "code"]
    assert "parameters" in code_cells[0]["metadata"].get("tags", [])
    for line in "".join(code_cells[0]["source"]).splitlines():
        if line.strip() and not line.lstrip().startswith("#"):
            assert ":" in line.split("=")[0], f"not annotated: {line}"
            assert "# " in line, f"no help comment: {line}"
