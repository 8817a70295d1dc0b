"""
Checks of exercise 11, *Run a report on an imported plan*.

The right answers are recomputed from the files the notebook made: the plan (MS
Project XML, read with the kit's reader), the project manager's workbook (read
with pandas) and the dataset folder the learner imported them into (the analyses
run on it with the kit's report functions). Nothing is written down here, so the
checks follow any course dataset. When an answer is wrong, the check recognises
the usual slips (the project summary and the WBS summary tasks counted as tasks,
the MS Project UID given for the kit's task id, a column left out of the mapping,
a word not translated, the P80 or the reserve of the PMO's own copy) and says what
went wrong.
"""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

from pmo_kit import PMOError
from pmo_kit.data.portfolio import load_portfolio
from pmo_kit.training import Tolerance, as_date, as_number, check, fail

if TYPE_CHECKING:
    from pmo_kit.data.portfolio import Portfolio
    from pmo_kit.io.excel import ColumnMapping
    from pmo_kit.io.msproject.reader import MSPTask

#: MSPDI ``ConstraintType`` 0, As Soon As Possible: a task free of constraints.
AS_SOON_AS_POSSIBLE = 0
#: The project manager's likelihood words, as the question gives them.
CHANCE = {"Rare": 1, "Unlikely": 2, "Possible": 3, "Likely": 4, "Almost certain": 5}
#: The project manager's statuses, as the question decides them.
STATUSES = {"Open": "open", "Monitoring": "open", "Closed": "closed"}
#: Columns of her workbook the kit has no place for: they may stay unmapped.
NOT_NEEDED = {"Comments"}
#: Tolerance on money (whole currency units).
MONEY = Tolerance(absolute=1.0)


# ------------------------------------------------------------------ the files


def _path(value: object, name: str) -> Path:
    if not isinstance(value, str | Path):
        fail(f"`{name}` is no longer a path: run the first cells again.")
    return Path(value)


def _plan_tasks(plan: object) -> tuple[MSPTask, ...]:
    from pmo_kit.io.msproject.reader import read_msproject

    file = _path(plan, "plan")
    if not file.is_file():
        fail(f"The plan {file} is gone: run the cell that writes it again.")
    return read_msproject(file).tasks


def _imported(dataset: object) -> Portfolio:
    folder = _path(dataset, "dataset")
    if not (folder / "projects.csv").is_file():
        fail(
            f"{folder} holds no dataset yet: import the plan into `dataset` first "
            "(question 1)."
        )
    return load_portfolio(folder)


def _project(portfolio: Portfolio, project_id: object) -> str:
    if not isinstance(project_id, str) or project_id not in portfolio.project_ids:
        fail(
            f"The imported dataset has no project {project_id!r}: import the plan "
            "with `project_id=project_id` (question 1)."
        )
    return project_id


# ----------------------------------------------------------------- question 1


@check(
    hint=(
        "Load the dataset you imported into (pmo_kit.load_portfolio(dataset)) and "
        "count the project's rows in tasks and in dependencies."
    )
)
def q1_imported_counts(
    plan: object,
    dataset: object,
    project_id: str,
    tasks_imported: object,
    links_imported: object,
) -> None:
    """
    Question 1: how many tasks and links the import brought in.

    Parameters
    ----------
    plan, dataset, project_id
        The plan file, the dataset folder and the project, given in the notebook.
    tasks_imported, links_imported
        The learner's counts.
    """
    tasks = as_number(tasks_imported, "tasks_imported", what="how many tasks")
    links = as_number(links_imported, "links_imported", what="how many links")
    imported = _imported(dataset)
    work = imported.for_project(_project(imported, project_id))
    n_tasks, n_links = len(work.tasks), len(work.dependencies)
    if tasks == n_tasks and links == n_links:
        return
    if tasks == n_links and links == n_tasks:
        fail(
            f"You swapped the two: {n_tasks} tasks and {n_links} links (the rows of "
            "tasks and of dependencies)."
        )
    if tasks != n_tasks:
        elements = _plan_tasks(plan)
        summaries = sum(t.summary for t in elements if t.uid != 0)
        if tasks == len(elements):
            fail(
                f"{tasks:g} is every Task element of the XML. Task UID 0 is the "
                f"project itself, and {summaries} more are summary tasks (the WBS "
                "groups): the kit keeps them as the outline (the wbs column), not "
                "as tasks. Count the rows of the imported tasks table."
            )
        if tasks == len(elements) - 1:
            fail(
                f"{tasks:g} leaves out the project summary (UID 0) but still counts "
                f"the {summaries} summary tasks of the WBS groups: the kit keeps "
                "them as the outline, not as tasks. Count the rows of the imported "
                "tasks table."
            )
        assert tasks == n_tasks, f"you have {tasks:g} tasks"
    assert links == n_links, f"you have {links:g} links"


# ----------------------------------------------------------------- question 2


@check(
    hint=(
        "Print the warnings of the import (`.warnings`) and find the one that "
        "names a constraint; give that task's id as the kit has it (such as "
        '"T017").'
    )
)
def q2_constrained_task(
    plan: object, dataset: object, project_id: str, constrained_task: object
) -> None:
    """
    Question 2: the task whose constraint the kit does not hold.

    Parameters
    ----------
    plan, dataset, project_id
        Given in the notebook.
    constrained_task
        The learner's task id (the task's name is accepted too).
    """
    pinned = [t for t in _plan_tasks(plan) if t.constraint_type != AS_SOON_AS_POSSIBLE]
    if not pinned:
        fail(
            "No task of the plan carries a constraint: run the cell that writes "
            "her plan again."
        )
    imported = _imported(dataset)
    tasks = imported.for_project(_project(imported, project_id)).tasks
    names = {t.name.casefold() for t in pinned}
    truth = set(tasks.loc[tasks["name"].str.casefold().isin(names), "task_id"])
    if isinstance(constrained_task, int | float) and not isinstance(
        constrained_task, bool
    ):
        if any(constrained_task == t.uid for t in pinned):
            fail(
                f"{constrained_task:g} is the task's UID in MS Project, the number "
                "the warning shows. Give the id the kit has for it: the task_id of "
                "that task in the imported tasks table, as text."
            )
        fail(
            f"`constrained_task` = {constrained_task!r} is a number: give the task "
            "id as text, as in the task_id column."
        )
    if not isinstance(constrained_task, str):
        fail(
            f"`constrained_task` is a {type(constrained_task).__name__}: give the "
            'task id as text, such as "T017".'
        )
    answer = constrained_task.strip()
    if answer.upper() in {t.upper() for t in truth} or answer.casefold() in names:
        return
    if answer.isdigit() and any(int(answer) == t.uid for t in pinned):
        fail(
            f"{answer} is the task's UID in MS Project, the number the warning "
            "shows. Give the kit's task_id of that task (the imported tasks table)."
        )
    by_id = tasks.set_index("task_id")["name"]
    if answer.upper() not in {str(t).upper() for t in by_id.index}:
        fail(
            f"{answer!r} is not a task of the imported plan: give its id from the "
            "task_id column."
        )
    fail(
        f"{answer.upper()} has no constraint in her plan: it is scheduled as soon "
        "as its links allow. Look for the warning that names a constraint."
    )


# ----------------------------------------------------------------- question 3


def _mapping_file(mapping_text: object, folder: Path) -> Path:
    if isinstance(mapping_text, dict):
        from pmo_kit.data.yaml_files import dump_yaml

        mapping_text = dump_yaml(mapping_text)
    if not isinstance(mapping_text, str):
        fail(
            f"`mapping_text` is a {type(mapping_text).__name__}: give the mapping as "
            "YAML text (in triple quotes), as in the draft."
        )
    file = folder / "mapping.yaml"
    file.write_text(mapping_text, encoding="utf-8")
    return file


def _first_line(exc: Exception, file: Path) -> str:
    """Return the problem's first line, naming the mapping `mapping_text`."""
    return str(exc).splitlines()[0].replace(str(file), "`mapping_text`").rstrip(".")


def _why(mapping: ColumnMapping, workbook: Path) -> str:
    """Say which of her columns the mapping leaves out, or which value is new."""
    from pmo_kit.data.schemas import SCHEMAS

    headers = pd.read_excel(workbook, sheet_name=mapping.sheet or 0, nrows=0).columns
    mapped = {h.strip().casefold() for h in mapping.columns}
    missing = [
        str(h)
        for h in headers
        if str(h).strip().casefold() not in mapped and str(h) not in NOT_NEEDED
    ]
    if missing:
        plural = len(missing) > 1
        return (
            f" Her column{'s' if plural else ''} {', '.join(map(repr, missing))} "
            f"{'are' if plural else 'is'} not in your mapping."
        )
    targets = {c for ours in mapping.columns.values() for c in ours}
    required = [c.name for c in SCHEMAS[mapping.table].columns if c.required]
    empty = [c for c in required if c not in targets and c not in mapping.defaults]
    if empty:
        return (
            f" Nothing fills {', '.join(map(repr, empty))}: one of her columns can "
            "fill several of ours (a list)."
        )
    return " Translate her word under `values` for that column."


@check(
    hint=(
        "Run the import with your mapping and read its one-line message: it names "
        "the sheet, the row, the column and the value it could not take."
    )
)
def q3_mapping(
    register_file: object, dataset: object, project_id: str, mapping_text: object
) -> None:
    """
    Question 3: a mapping that reads the project manager's risk register.

    Parameters
    ----------
    register_file, dataset, project_id
        Given in the notebook.
    mapping_text
        The learner's mapping, as YAML text.
    """
    from pmo_kit.io.excel import read_mapping, read_workbook

    workbook = _path(register_file, "register_file")
    if not workbook.is_file():
        fail(f"The workbook {workbook} is gone: run the cell that writes it again.")
    with tempfile.TemporaryDirectory() as scratch:
        file = _mapping_file(mapping_text, Path(scratch))
        try:
            mapping = read_mapping(file)
        except PMOError as exc:
            fail(f"The mapping cannot be read: {_first_line(exc, file)}")
        try:
            read = read_workbook(workbook, mapping=mapping)
        except PMOError as exc:
            fail(
                f"The import stops: {_first_line(exc, file)}.{_why(mapping, workbook)}"
            )
    risks = read.tables["risks"].frame
    theirs = pd.read_excel(workbook, sheet_name=read.tables["risks"].sheet)
    for row, (word, got) in enumerate(
        zip(theirs["Chance"], risks["probability"], strict=True), 2
    ):
        expected = CHANCE.get(str(word).strip())
        if expected is not None and got != expected:
            fail(
                f"Row {row}: {word!r} became probability {got}; the scale says "
                f"{expected}. Check the words under values: probability."
            )
    if not (risks["residual_probability"] == risks["probability"]).all():
        fail(
            "Her register has no residual likelihood: map 'Chance' to both "
            "probability and residual_probability (a list), as her one impact "
            "is mapped to impact and residual_impact."
        )
    for row, (word, got) in enumerate(
        zip(theirs["Status"], risks["status"], strict=True), 2
    ):
        expected_status = STATUSES.get(str(word).strip())
        if expected_status is not None and got != expected_status:
            fail(
                f"Row {row}: {word!r} became {got!r}. A risk she is monitoring can "
                "still happen: it is open (closed means it can no longer happen)."
            )
    imported = _imported(dataset)
    pid = _project(imported, project_id)
    ids = set(imported.risks.loc[imported.risks["project_id"] == pid, "risk_id"])
    if ids != set(risks["risk_id"]):
        fail(
            "Your mapping reads her register. Now import it into `dataset` "
            "(import_workbook(register_file, dataset, mapping=...)) so the reports "
            "see it."
        )


# ----------------------------------------------------------------- question 4


@check(
    hint=(
        "Run schedule_risk on the IMPORTED dataset (pmo_kit.load_portfolio(dataset)) "
        "and take its P80 date (`.p_confidence`)."
    )
)
def q4_p80_finish(
    dataset: object, project_id: str, portfolio: Portfolio, p80_finish: object
) -> None:
    """
    Question 4: the P80 finish of the imported plan.

    Parameters
    ----------
    dataset, project_id, portfolio
        Given in the notebook.
    p80_finish
        The learner's date.
    """
    from pmo_kit.reports import schedule_risk

    imported = _imported(dataset)
    pid = _project(imported, project_id)
    day = as_date(p80_finish, "p80_finish")
    result = schedule_risk(imported, pid)
    truth = result.p_confidence.normalize()
    if day == truth:
        return
    if day == pd.Timestamp(result.planned_finish).normalize():
        fail(
            f"{day:%Y-%m-%d} is the planned (baseline) finish, the date the plan "
            "promised. The P80 is the date the remaining work is 80% likely to meet."
        )
    if hasattr(portfolio, "projects") and pid in portfolio.project_ids:
        copy = schedule_risk(portfolio, pid)
        if day == copy.p_confidence.normalize():
            fail(
                f"{day:%Y-%m-%d} is the P80 of the PMO's own copy of {pid}, which has "
                "three-point estimates. Run the analysis on the imported dataset: "
                "the plan from MS Project has one duration per task."
            )
    if day == result.p50.normalize():
        fail(f"{day:%Y-%m-%d} is the P50 date; the question asks for the P80.")
    assert day == truth, f"you have {day:%Y-%m-%d}"


# ----------------------------------------------------------------- question 5


@check(
    hint=(
        "Run risk_review on the imported dataset for the project and take the P80 "
        "contingency reserve (`.contingency.reserve`)."
    )
)
def q5_reserve(
    dataset: object, project_id: str, portfolio: Portfolio, reserve: object
) -> None:
    """
    Question 5: the P80 contingency reserve of her register.

    Parameters
    ----------
    dataset, project_id, portfolio
        Given in the notebook.
    reserve
        The learner's amount.
    """
    from pmo_kit.reports import risk_review

    imported = _imported(dataset)
    pid = _project(imported, project_id)
    if not (imported.risks["project_id"] == pid).any():
        fail("The imported dataset has no risks yet: import her register (question 3).")
    value = as_number(reserve, "reserve", what="the P80 reserve in currency units")
    result = risk_review(imported, pid)
    truth = result.contingency.reserve
    if MONEY.accepts(value, truth):
        return
    if MONEY.accepts(value, result.contingency.emv_sum):
        fail(
            f"{value:,.0f} is the EMV sum, the average bill of the risks. The reserve "
            "is the P80 of the simulated total: the amount that covers 4 runs in 5."
        )
    if MONEY.accepts(value, result.contingency.p50):
        fail(f"{value:,.0f} is the P50 of the simulated total; the reserve is the P80.")
    if hasattr(portfolio, "projects") and pid in portfolio.project_ids:
        copy = risk_review(portfolio, pid)
        if MONEY.accepts(value, copy.contingency.reserve):
            fail(
                f"{value:,.0f} is the reserve of the PMO's own register of {pid}. Run "
                "the review on the imported dataset, with her register."
            )
    if MONEY.accepts(value * 1000, truth):
        fail(f"{value:g} looks like thousands: give the amount in currency units.")
    assert MONEY.accepts(value, truth), f"you have {value:,.0f}"
