"""
Exercise 00 (first check): right answers pass, typical mistakes get their message.

The expected values are computed here from the bundled data, independently of
``exercises/00_first_check/checks.py``, so a wrong check cannot hide behind itself.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

import pmo_kit
from pmo_kit.training import Checker, load_checks, make_learner_copy
from tests.exercises._notebooks import (
    assert_learner_copy_not_done,
    assert_solution_passes,
    solution_lines,
)

if TYPE_CHECKING:
    import pandas as pd

REPO = Path(__file__).resolve().parents[2]
EXERCISE = REPO / "exercises" / "00_first_check"
SOLUTION = EXERCISE / "solution.ipynb"
CHECK_NAMES = ["q1_execution_count", "q2_total_budget", "q3_spi", "q4_lowest_cpi"]


@dataclass(frozen=True)
class Facts:
    """What the exercise asks about, computed straight from the data."""

    portfolio: pmo_kit.Portfolio
    latest: pd.DataFrame  # each project's latest status row, by project_id
    first: pd.DataFrame  # each project's first status row, by project_id
    execution_count: int
    total_budget: float
    spi_project: str
    spi: float
    lowest_cpi_project: str

    @property
    def cpi(self) -> pd.Series:
        return (self.latest["ev"] / self.latest["ac"]).dropna()

    def answers(self) -> dict[str, Any]:
        return {
            "execution_count": self.execution_count,
            "total_budget": self.total_budget,
            "spi_project": self.spi_project,
            "spi": self.spi,
            "lowest_cpi_project": self.lowest_cpi_project,
        }


@pytest.fixture(scope="module")
def checker() -> Checker:
    return load_checks(EXERCISE)


def _code_sources(path: Path) -> list[str]:
    nb = json.loads(path.read_text(encoding="utf-8"))
    return ["".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "code"]


def _given_spi_project() -> str:
    """The project question 3 names (given in the notebook, outside the solution)."""
    from pmo_kit.training.course_data import furthest_behind_project

    return furthest_behind_project(pmo_kit.load_portfolio())


@pytest.fixture(scope="module")
def facts() -> Facts:
    portfolio = pmo_kit.load_portfolio()
    projects = portfolio.projects
    status = portfolio.status.sort_values(["project_id", "status_date"])
    latest = status.groupby("project_id").last()
    first = status.groupby("project_id").first()
    spi_project = _given_spi_project()
    cpi = (latest["ev"] / latest["ac"]).dropna()
    spi = latest["ev"] / latest["pv"]
    return Facts(
        portfolio=portfolio,
        latest=latest,
        first=first,
        execution_count=int((projects["phase"] == "execution").sum()),
        total_budget=float(projects["budget"].sum()),
        spi_project=spi_project,
        spi=float(spi[spi_project]),
        lowest_cpi_project=str(cpi.idxmin()),
    )


def _namespace(facts: Facts, **overrides: object) -> dict[str, object]:
    return {**facts.answers(), **overrides}


# ------------------------------------------------------------------ right answers


def test_exercise_has_the_four_checks(checker):
    assert list(checker.checks) == CHECK_NAMES


def test_correct_answers_pass(checker, facts):
    results = checker.all(facts.answers())
    assert [r.outcome for r in results] == ["correct"] * 4, results


@pytest.mark.parametrize(
    ("name", "variable", "convert"),
    [
        ("q1_execution_count", "execution_count", float),
        ("q2_total_budget", "total_budget", round),
        ("q2_total_budget", "total_budget", int),
        ("q3_spi", "spi", lambda x: round(x, 2)),
        ("q4_lowest_cpi", "lowest_cpi_project", lambda x: f" {x} "),
    ],
    ids=[
        "count-as-float",
        "budget-rounded",
        "budget-int",
        "spi-2-decimals",
        "id-spaces",
    ],
)
def test_equivalent_forms_pass(checker, facts, name, variable, convert):
    value = convert(facts.answers()[variable])
    assert checker(name, _namespace(facts, **{variable: value})).passed


def test_numpy_and_pandas_scalars_pass(checker, facts):
    projects = facts.portfolio.projects
    namespace = _namespace(
        facts,
        execution_count=(projects["phase"] == "execution").sum(),  # numpy int64
        total_budget=projects["budget"].sum(),  # numpy float64
    )
    assert checker("q1_execution_count", namespace).passed
    assert checker("q2_total_budget", namespace).passed


def test_spi_check_follows_the_named_project(checker, facts):
    other = next(p for p in facts.latest.index if p != facts.spi_project)
    row = facts.latest.loc[other]
    namespace = _namespace(facts, spi_project=other, spi=row["ev"] / row["pv"])
    assert checker("q3_spi", namespace).passed


# ------------------------------------------------------------------ typical mistakes

#: check name, the wrong variables (from the facts), a phrase of the intended message
Mistake = tuple[str, Callable[[Facts], dict[str, object]], str]


def _projects(f: Facts) -> pd.DataFrame:
    return f.portfolio.projects


def _row(f: Facts, table: pd.DataFrame) -> pd.Series:
    return table.loc[[f.spi_project]].iloc[0]


def _project_rows(f: Facts) -> pd.DataFrame:
    status = f.portfolio.status
    return status[status["project_id"] == f.spi_project]


def _first_row_spi(f: Facts) -> dict[str, object]:
    """SPI from the first row, for the project where that differs most from today."""
    first = f.first["ev"] / f.first["pv"]
    latest = f.latest["ev"] / f.latest["pv"]
    project = str((first - latest).abs().idxmax())
    return {"spi_project": project, "spi": first[project]}


MISTAKES: dict[str, Mistake] = {
    # q1: count of the projects in execution
    "q1-counted-all": (
        "q1_execution_count",
        lambda f: {"execution_count": len(_projects(f))},
        "every project in the portfolio",
    ),
    "q1-filter-inverted": (
        "q1_execution_count",
        lambda f: {"execution_count": len(_projects(f)) - f.execution_count},
        "NOT in execution",
    ),
    "q1-capitalised-phase": (
        "q1_execution_count",
        lambda f: {
            "execution_count": int((_projects(f)["phase"] == "Execution").sum())
        },
        "Phase names are lower case",
    ),
    "q1-table-not-count": (
        "q1_execution_count",
        lambda f: {
            "execution_count": _projects(f)[_projects(f)["phase"] == "execution"]
        },
        "wrap it in `len(...)`",
    ),
    "q1-mask-not-count": (
        "q1_execution_count",
        lambda f: {"execution_count": _projects(f)["phase"] == "execution"},
        "True/False column",
    ),
    "q1-text": (
        "q1_execution_count",
        lambda f: {"execution_count": str(f.execution_count)},
        "give a number, without quotes",
    ),
    "q1-counted-tasks": (
        "q1_execution_count",
        lambda f: {
            "execution_count": int(
                f.portfolio.tasks["project_id"]
                .isin(_projects(f).query("phase == 'execution'")["project_id"])
                .sum()
            )
        },
        "counts the tasks",
    ),
    # q2: total budget (BAC)
    "q2-summed-latest-ac": (
        "q2_total_budget",
        lambda f: {"total_budget": f.latest["ac"].sum()},
        "actual cost (AC) spent so far",
    ),
    "q2-summed-all-ac-rows": (
        "q2_total_budget",
        lambda f: {"total_budget": f.portfolio.status["ac"].sum()},
        "`ac` column of every status row",
    ),
    "q2-summed-latest-ev": (
        "q2_total_budget",
        lambda f: {"total_budget": f.latest["ev"].sum()},
        "earned or planned value to date",
    ),
    "q2-execution-only": (
        "q2_total_budget",
        lambda f: {
            "total_budget": _projects(f).query("phase == 'execution'")["budget"].sum()
        },
        "in execution only",
    ),
    "q2-average": (
        "q2_total_budget",
        lambda f: {"total_budget": _projects(f)["budget"].mean()},
        "average budget",
    ),
    "q2-millions": (
        "q2_total_budget",
        lambda f: {"total_budget": round(f.total_budget / 1e6, 1)},
        "in millions",
    ),
    "q2-column": (
        "q2_total_budget",
        lambda f: {"total_budget": _projects(f)["budget"]},
        "`total_budget` holds several values (a Series); the answer is one number",
    ),
    "q2-text": (
        "q2_total_budget",
        lambda f: {"total_budget": f"{f.total_budget:,.0f}"},
        "without quotes",
    ),
    # q3: SPI of the named project from its latest status row
    "q3-inverted": (
        "q3_spi",
        lambda f: {"spi": _row(f, f.latest)["pv"] / _row(f, f.latest)["ev"]},
        "Upside down: you divided PV by EV",
    ),
    "q3-first-row": (
        "q3_spi",
        lambda f: _first_row_spi(f),
        "first status row",
    ),
    "q3-cpi-instead": (
        "q3_spi",
        lambda f: {"spi": _row(f, f.latest)["ev"] / _row(f, f.latest)["ac"]},
        "the cost performance index (CPI)",
    ),
    "q3-percentage": (
        "q3_spi",
        lambda f: {"spi": f.spi * 100},
        "looks like a percentage",
    ),
    "q3-averaged-rows": (
        "q3_spi",
        lambda f: {"spi": (_project_rows(f)["ev"] / _project_rows(f)["pv"]).mean()},
        "averaged the SPI of every status row",
    ),
    "q3-summed-rows": (
        "q3_spi",
        lambda f: {"spi": _project_rows(f)["ev"].sum() / _project_rows(f)["pv"].sum()},
        "added up EV and PV over all status rows",
    ),
    "q3-text": (
        "q3_spi",
        lambda f: {"spi": f"{f.spi:.2f}"},
        "without quotes",
    ),
    "q3-series": (
        "q3_spi",
        lambda f: {"spi": _project_rows(f)["ev"] / _project_rows(f)["pv"]},
        "the answer is one number: EV / PV of",
    ),
    "q3-project-changed-to-unknown": (
        "q3_spi",
        lambda f: {"spi_project": "P-999"},
        "is not a project of Meridian Works",
    ),
    # q4: id of the project with the lowest CPI
    "q4-highest-cpi": (
        "q4_lowest_cpi",
        lambda f: {"lowest_cpi_project": f.cpi.idxmax()},
        "HIGHEST CPI",
    ),
    "q4-lowest-spi": (
        "q4_lowest_cpi",
        lambda f: {"lowest_cpi_project": f.spi_project},
        "lowest SPI",
    ),
    "q4-name-not-id": (
        "q4_lowest_cpi",
        lambda f: {
            "lowest_cpi_project": _projects(f)
            .set_index("project_id")
            .loc[f.lowest_cpi_project, "name"]
        },
        "is the project's name",
    ),
    "q4-lower-case": (
        "q4_lowest_cpi",
        lambda f: {"lowest_cpi_project": f.lowest_cpi_project.lower()},
        "Project ids are in capitals",
    ),
    "q4-cpi-value": (
        "q4_lowest_cpi",
        lambda f: {"lowest_cpi_project": f.cpi.min()},
        "the CPI itself",
    ),
    "q4-row": (
        "q4_lowest_cpi",
        lambda f: {
            "lowest_cpi_project": pmo_kit.portfolio_overview(f.portfolio)
            .sort_values("cpi")
            .iloc[0]
        },
        "a table or a row",
    ),
    "q4-unknown": (
        "q4_lowest_cpi",
        lambda f: {"lowest_cpi_project": "P-999"},
        "Known ids:",
    ),
}


@pytest.mark.parametrize("case", list(MISTAKES))
def test_typical_mistake_gets_its_message(checker, facts, case):
    name, wrong, phrase = MISTAKES[case]
    result = checker(name, _namespace(facts, **wrong(facts)))
    assert result.outcome == "incorrect", result
    assert phrase in result.message, result


def test_summed_task_budgets(checker, facts):
    """Task budgets are wrong only when they do not add up to the projects' BAC."""
    tasks_total = facts.portfolio.tasks["budgeted_cost"].sum()
    result = checker("q2_total_budget", _namespace(facts, total_budget=tasks_total))
    if abs(tasks_total - facts.total_budget) <= 1.0:
        assert result.passed, result  # the data's task budgets add up to BAC
    else:
        assert "task budgets" in result.message, result


def test_the_data_tells_the_mistakes_apart(facts):
    """The situations in the data keep the q3 and q4 mistakes apart from the answer."""
    assert facts.spi_project != facts.lowest_cpi_project  # late != over budget
    assert facts.cpi.idxmax() != facts.lowest_cpi_project
    assert facts.spi < 0.95, "question 3 should name a project behind schedule"


@pytest.mark.parametrize(
    ("name", "wrong"),
    [
        ("q1_execution_count", {"execution_count": 999}),
        ("q2_total_budget", {"total_budget": 1.5}),
        ("q3_spi", {"spi": 3.21}),
    ],
)
def test_other_wrong_values_get_the_hint(checker, facts, name, wrong):
    result = checker(name, _namespace(facts, **wrong))
    assert result.outcome == "incorrect"
    assert result.message.startswith(checker.checks[name].hint), result
    assert "you have" in result.message


# ----------------------------------------------------------------------- not done


@pytest.mark.parametrize("name", CHECK_NAMES)
def test_missing_variable_is_not_done(checker, name):
    result = checker(name, {})
    assert result.outcome == "not done"
    assert "⏳" in repr(result)


@pytest.mark.parametrize("name", CHECK_NAMES)
def test_placeholder_is_not_done(checker, facts, name):
    variable = checker.checks[name].variables[-1]
    result = checker(name, _namespace(facts, **{variable: ...}))
    assert result.outcome == "not done"
    assert f"`{variable}`" in result.message


# ------------------------------------------------------------------ learner copy


def test_learner_copy_has_placeholders_and_no_solution(tmp_path):
    copy = make_learner_copy(SOLUTION, tmp_path / "exercise.ipynb")
    text = copy.read_text(encoding="utf-8")
    assert "SOLUTION" not in text
    solution = solution_lines(SOLUTION)
    assert len(solution) >= 4
    learner = "\n".join(_code_sources(copy))
    leaked = [line for line in solution if line in learner]
    assert not leaked, f"solution code left in the learner copy: {leaked}"
    for variable in ["execution_count", "total_budget", "spi", "lowest_cpi_project"]:
        assert f"\n{variable} = ...\n" in f"\n{learner}\n", variable
    assert learner.count("# YOUR CODE HERE") == 4
    assert "spi_project = furthest_behind_project(portfolio)" in learner


@pytest.mark.notebook
def test_learner_copy_runs_and_every_check_is_not_done(tmp_path):
    assert_learner_copy_not_done(SOLUTION, tmp_path, 4)


@pytest.mark.notebook
def test_solution_notebook_answers_every_check(tmp_path):
    assert_solution_passes(SOLUTION, tmp_path, 4)
