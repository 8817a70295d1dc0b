"""
The course runs on another organisation: every exercise solution passes on it.

The test generates a different organisation (seed 7, twelve projects), saves it to
a folder, points the course at it with ``PMO_KIT_DATASET`` and runs each exercise's
solution notebook: every check must show ✅, because the checks recompute their
answers from the data the learner has. A typical wrong answer still fails on it.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest

REPO = Path(__file__).resolve().parents[2]
SOLUTIONS = sorted((REPO / "exercises").glob("*/solution.ipynb"))

pytestmark = pytest.mark.notebook


@pytest.fixture(scope="module")
def team_dataset(tmp_path_factory: pytest.TempPathFactory) -> Path:
    import pmo_kit

    folder = tmp_path_factory.mktemp("team7") / "dataset"
    pmo_kit.save_portfolio(pmo_kit.generate_organisation(seed=7, projects=12), folder)
    return folder


def _run(
    notebook: Path, dataset: Path, tmp_path: Path, replace: dict[str, str] | None = None
) -> Any:
    """Run ``notebook`` in its folder with PMO_KIT_DATASET set; return it executed."""
    import nbformat
    from nbclient import NotebookClient

    nb = nbformat.read(notebook, as_version=4)
    for cell in nb.cells:
        for old, new in (replace or {}).items():
            if old in cell.source:
                cell.source = cell.source.replace(old, new)
    previous = os.environ.get("PMO_KIT_DATASET")
    os.environ["PMO_KIT_DATASET"] = str(dataset)  # the kernel inherits it
    try:
        NotebookClient(
            nb,
            timeout=300,
            kernel_name="python3",
            resources={"metadata": {"path": str(notebook.parent)}},
        ).execute()
    finally:
        if previous is None:
            os.environ.pop("PMO_KIT_DATASET", None)
        else:
            os.environ["PMO_KIT_DATASET"] = previous
    nbformat.write(nb, tmp_path / f"{notebook.parent.name}.executed.ipynb")
    return nb


def _shown(nb: Any) -> dict[str, str]:
    """What each check cell and the progress cell showed, by cell id."""
    return {
        cell.get("id", ""): " ".join(
            str(out.get("data", {}).get("text/plain", ""))
            for out in cell.outputs
            if out.output_type == "execute_result"
        )
        for cell in nb.cells
        if cell.cell_type == "code" and cell.source.lstrip().startswith("check")
    }


def _text(nb: Any) -> str:
    """Everything the notebook displayed as Markdown or text."""
    parts: list[str] = []
    for cell in nb.cells:
        for out in cell.get("outputs", []):
            data = out.get("data", {})
            parts.append(str(data.get("text/markdown", "")))
            parts.append(str(out.get("text", "")))
    return "\n".join(parts)


def test_the_team_dataset_differs_from_the_sample(team_dataset: Path) -> None:
    import pmo_kit

    sample, team = pmo_kit.load_portfolio(), pmo_kit.load_portfolio(team_dataset)
    assert len(team.projects) == 12
    assert len(sample.projects) != len(team.projects)
    assert team.projects["budget"].sum() != sample.projects["budget"].sum()


@pytest.mark.parametrize("solution", SOLUTIONS, ids=lambda p: p.parent.name)
def test_solution_passes_on_another_dataset(
    solution: Path, team_dataset: Path, tmp_path: Path
) -> None:
    nb = _run(solution, team_dataset, tmp_path)
    shown = _shown(nb)
    checks = {k: v for k, v in shown.items() if "✅" in v or "❌" in v or "⏳" in v}
    assert checks, shown
    wrong = {k: v for k, v in shown.items() if "✅" not in v}
    assert not wrong, wrong
    progress = list(shown.values())[-1]
    assert "❌" not in progress, progress
    assert "⏳" not in progress, progress


def _team_figures(team_dataset: Path) -> dict[str, Any]:
    """The exercise 05 figures on the team's data, worked out here from the CSVs."""
    import csv

    def rows(name: str) -> list[dict[str, str]]:
        with (team_dataset / f"{name}.csv").open(encoding="utf-8") as handle:
            return list(csv.DictReader(handle))

    latest: dict[str, dict[str, str]] = {}
    for row in sorted(rows("status"), key=lambda r: r["status_date"]):
        latest[row["project_id"]] = row
    cpi = {
        pid: float(r["ev"]) / float(r["ac"])
        for pid, r in latest.items()
        if float(r["ac"]) > 0 and float(r["pv"]) > 0
    }
    fired = [
        r
        for r in rows("risks")
        if r["status"] == "occurred" and cpi.get(r["project_id"], 2.0) < 1.0
    ]
    fired.sort(key=lambda r: r["closed_date"] or r["last_review_date"])
    project = fired[-1]["project_id"]
    budget = {r["project_id"]: float(r["budget"]) for r in rows("projects")}
    return {
        "project": project,
        "risk": fired[-1]["risk_id"],
        "cpi": cpi[project],
        "bac": budget[project],
        "ev": float(latest[project]["ev"]),
        "ac": float(latest[project]["ac"]),
    }


def test_question_text_quotes_the_team_figures(
    team_dataset: Path, tmp_path: Path
) -> None:
    figures = _team_figures(team_dataset)
    nb = _run(
        REPO / "exercises" / "05_kpi_evm" / "solution.ipynb", team_dataset, tmp_path
    )
    text = _text(nb)
    assert f"{figures['project']}'s CPI of {figures['cpi']:.2f}" in text
    assert figures["risk"] in text
    tcpi = (figures["bac"] - figures["ev"]) / (figures["bac"] - figures["ac"])
    assert f"TCPI {tcpi:.2f} with a CPI of {figures['cpi']:.2f}" in text
    source = json.dumps(
        json.loads((REPO / "exercises" / "05_kpi_evm" / "solution.ipynb").read_text())
    )
    assert "0.93" not in source
    assert "RK-018" not in source


@pytest.mark.parametrize(
    ("solution", "old", "new", "check_cell"),
    [
        # the sample's answer typed in: wrong on the team's data
        (
            "05_kpi_evm",
            "eac = bac / cpi",
            "eac = bac * cpi",
            "q3-check",
        ),
        (
            "00_first_check",
            'overview.sort_values("cpi").iloc[0]',
            'overview.sort_values("cpi").iloc[-1]',
            "q4-check",
        ),
        (
            "06_agile",
            'sprints.loc[sprints["finished"], "completed"].mean()',
            "23.2  # the sample's average velocity, typed in",
            "q1-check",
        ),
        (
            "07_governance",
            'findings["rule"] == "charter-approved"',
            'findings["rule"] == "risk-review"',
            "q6-check",
        ),
        (
            "08_portfolio",
            'pet_npv = npv(pipeline.discount_rate, cash["net"].tolist())',
            "pet_npv = -763_574.62  # the sample's NPV, typed in",
            "q2-check",
        ),
        (
            "09_knowledge",
            'per_category = portfolio.lessons["category"].value_counts()',
            'per_category = portfolio.lessons["category"].value_counts(normalize=True)',
            "q5-check",
        ),
        (
            "10_maturity",
            "overdue_risks = len(overdue_reviews(portfolio.risks, as_of=status_date))",
            "overdue_risks = 13  # the sample's count, typed in",
            "q3-check",
        ),
        (
            "11_your_data",
            "p80_finish = schedule_risk(imported, project_id).p_confidence",
            "p80_finish = schedule_risk(portfolio, project_id).p_confidence",
            "q4-check",
        ),
    ],
)
def test_typical_wrong_answer_still_fails(
    solution: str,
    old: str,
    new: str,
    check_cell: str,
    team_dataset: Path,
    tmp_path: Path,
) -> None:
    nb = _run(
        REPO / "exercises" / solution / "solution.ipynb",
        team_dataset,
        tmp_path,
        {old: new},
    )
    shown = _shown(nb)
    assert "❌" in shown[check_cell], shown[check_cell]
