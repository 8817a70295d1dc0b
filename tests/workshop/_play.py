"""Helpers for the workshop tests: a small course, hand-ins edited like learners do."""

from __future__ import annotations

import json
import shutil
import zipfile
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[2]
EXERCISE = "05_kpi_evm"

HIDDEN = """
from pmo_kit.training import check


@check(hint="An index is positive.", points=2)
def q2_hidden_cpi_positive(cpi: float) -> None:
    assert cpi > 0
"""

FREE_TEXT_CELL: dict[str, Any] = {
    "cell_type": "markdown",
    "id": "q10-answer",
    "metadata": {"tags": ["free-text"], "rubric": "Names the TCPI and a decision."},
    "source": "What do you tell the sponsor? *Write here.*",
}


def course(tmp: Path) -> Path:
    """One exercise (05) with a hidden check and a free-text question."""
    target = tmp / "course" / EXERCISE
    shutil.copytree(
        REPO / "exercises" / EXERCISE,
        target,
        ignore=shutil.ignore_patterns("exercise.ipynb", "__pycache__"),
    )
    (target / "hidden_checks.py").write_text(HIDDEN, encoding="utf-8")
    solution = json.loads((target / "solution.ipynb").read_text(encoding="utf-8"))
    solution["cells"].insert(-2, FREE_TEXT_CELL)
    (target / "solution.ipynb").write_text(json.dumps(solution), encoding="utf-8")
    return target.parent


def solutions() -> dict[str, str]:
    """The solution's answer cells by id, markers removed."""
    nb = json.loads((REPO / "exercises" / EXERCISE / "solution.ipynb").read_text())
    out = {}
    for cell in nb["cells"]:
        if cell["id"].endswith("-answer"):
            lines = "".join(cell["source"]).splitlines()
            out[cell["id"]] = "\n".join(
                line for line in lines if "SOLUTION" not in line
            )
    return out


def notebook(team_folder: Path) -> dict[str, Any]:
    path = team_folder / "exercises" / EXERCISE / "exercise.ipynb"
    data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return data


def write_handin(
    out: Path, team: str, learner: str, content: dict[str, Any] | str | None
) -> Path:
    """A hand-in zip as `hand_in` writes it, with ``content`` as the notebook."""
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("handin.json", json.dumps({"team": team, "learner": learner}))
        if content is not None:
            text = content if isinstance(content, str) else json.dumps(content)
            archive.writestr(f"exercises/{EXERCISE}/exercise.ipynb", text)
    return out
