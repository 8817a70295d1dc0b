"""
Grade a folder of hand-ins, question by question, in fresh kernels.

For each hand-in and exercise, the learner's answer cells are put into a clean
copy of the released notebook, which runs in a temporary folder with the team's
dataset (``PMO_KIT_DATASET``), a time limit per cell and per notebook, and errors
allowed: after each answer cell a grading cell runs that question's checks
(public and hidden) and prints the results. An answer cell that raises scores 0
for its question only. No submission stops the grading: what cannot be graded is
a row with 0 points and the reason.
"""

from __future__ import annotations

import json
import os
import re
import secrets
import shutil
import tempfile
import zipfile
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pmo_kit.training.workshop.handin import HANDIN_MANIFEST
from pmo_kit.training.workshop.kernel import RESULT_MARKER, checks_of_question
from pmo_kit.training.workshop.notebooks import (
    Question,
    cell_source,
    find_answer,
    parse_notebook,
    questions_of,
)
from pmo_kit.training.workshop.releasing import HIDDEN_CHECKS, read_manifest

__all__ = ["MAX_NOTEBOOK_BYTES", "ExerciseKey", "GradeRow", "grade", "grade_notebook"]

#: A notebook in a hand-in larger than this is not read.
MAX_NOTEBOOK_BYTES = 20_000_000


@dataclass(frozen=True)
class GradeRow:
    """One row of the gradebook: a learner's result on one question."""

    team: str
    learner: str
    exercise: str
    question: str
    points: float | None
    max_points: float
    message: str
    free_text_answer: str = ""
    rubric: str = ""
    handin: str = ""
    details: tuple[tuple[str, str, str], ...] = field(default=())
    """Every check of the question: (check, outcome, message)."""


@dataclass(frozen=True)
class ExerciseKey:
    """What the trainer knows about one exercise: clean notebook, questions, checks."""

    name: str
    folder: Path
    cells: list[dict[str, Any]]
    notebook: dict[str, Any]
    questions: list[Question]
    max_points: dict[str, float]

    @classmethod
    def load(cls, folder: Path) -> ExerciseKey:
        """Load ``trainer/exercises/<name>/`` (exercise.ipynb, solution, checks)."""
        from pmo_kit.training.checks import load_checks

        notebook = json.loads((folder / "exercise.ipynb").read_text(encoding="utf-8"))
        cells = [c for c in notebook["cells"] if isinstance(c, dict)]
        solution_path = folder / "solution.ipynb"
        solution = (
            parse_notebook(solution_path.read_text(encoding="utf-8"))
            if solution_path.is_file()
            else None
        )
        questions = questions_of(cells, solution)
        checks = list(load_checks(folder / "checks.py").checks.values())
        if (folder / HIDDEN_CHECKS).is_file():
            checks += list(load_checks(folder / HIDDEN_CHECKS).checks.values())
        max_points = {
            q.name: (
                q.points
                if q.free_text
                else sum(c.points for c in checks if checks_of_question(c.name, q.name))
            )
            for q in questions
        }
        return cls(folder.name, folder, cells, notebook, questions, max_points)


@dataclass
class _Handin:
    path: Path
    team: str = ""
    learner: str = ""
    notebooks: dict[str, bytes] = field(default_factory=dict)
    error: str = ""


def _open_handin(path: Path, teams: dict[str, Any]) -> _Handin:
    handin = _Handin(path, learner=path.stem)
    try:
        with zipfile.ZipFile(path) as archive:
            infos = {i.filename: i for i in archive.infolist() if not i.is_dir()}
            if HANDIN_MANIFEST not in infos:
                handin.error = (
                    f"{path.name}: not a hand-in (no {HANDIN_MANIFEST} inside)"
                )
                return handin
            meta = json.loads(archive.read(HANDIN_MANIFEST)[:100_000])
            handin.team = str(meta.get("team", ""))
            handin.learner = str(meta.get("learner", "")) or path.stem
            for name, info in infos.items():
                if name.endswith(".ipynb") and info.file_size <= MAX_NOTEBOOK_BYTES:
                    with archive.open(info) as member:
                        handin.notebooks[name] = member.read(MAX_NOTEBOOK_BYTES + 1)
    except (
        OSError,
        zipfile.BadZipFile,
        ValueError,
        AttributeError,
        RuntimeError,
    ) as exc:
        handin.error = f"{path.name}: not a hand-in zip ({type(exc).__name__}: {exc})"
        return handin
    if handin.team not in teams:
        handin.error = (
            f"{path.name}: team {handin.team!r} is not a team of this workshop "
            f"({', '.join(teams)})"
        )
    return handin


def _safe(name: str) -> str:
    """Return a file name made of ``name``: no separators, no leading dot."""
    return re.sub(r"[^A-Za-z0-9_.-]", "_", name).lstrip(".") or "_"


def _pick_notebook(notebooks: dict[str, bytes], exercise: str) -> str | None:
    exact = f"exercises/{exercise}/exercise.ipynb"
    if exact in notebooks:
        return exact
    near = sorted(
        n for n in notebooks if f"{exercise}/" in n or exercise in Path(n).stem
    )
    return near[-1] if near else None


def _code_cell(source: str, role: str = "") -> dict[str, Any]:
    return {
        "cell_type": "code",
        "execution_count": None,
        "id": secrets.token_hex(4),
        "metadata": {"pmo_workshop": role} if role else {},
        "outputs": [],
        "source": source,
    }


def _graded_notebook(
    key: ExerciseKey, submission: list[dict[str, Any]]
) -> tuple[dict[str, Any], dict[str, str], dict[str, str]]:
    """Return the notebook to run, how each answer was found, free-text answers."""
    by_index = {q.answer_index: q for q in key.questions}
    clean_sources = {
        cell_source(c).strip()
        for i, c in enumerate(key.cells)
        if i not in by_index and cell_source(c).strip()
    }
    grader = f"_pmo_grader_{secrets.token_hex(6)}"
    cells = [
        _code_cell(
            "from pmo_kit.training.workshop.kernel import QuestionGrader\n"
            f"{grader} = QuestionGrader.from_files(['checks.py', '{HIDDEN_CHECKS}'])\n"
            "del QuestionGrader",
            "grader",
        )
    ]
    found: dict[str, str] = {}
    texts: dict[str, str] = {}
    for index, cell in enumerate(key.cells):
        question = by_index.get(index)
        source = cell_source(cell)
        if question is None:
            if cell.get("cell_type") == "code" and not (
                source.strip().startswith("check(") or "check.all(" in source
            ):
                cells.append(_code_cell(source))
            continue
        answer = find_answer(submission, question, clean_sources)
        found[question.name] = answer.found
        if question.free_text:
            texts[question.name] = answer.source if answer.found != "missing" else ""
            if answer.cell_type != "code" or not question.variables:
                continue
        cells.append(_code_cell(answer.source, f"answer:{question.name}"))
        if not question.free_text:
            cells.append(
                _code_cell(
                    f"{grader}.report({question.name!r}, globals())",
                    f"grade:{question.name}",
                )
            )
    nb = {**key.notebook, "cells": cells}
    nb.setdefault("nbformat", 4)
    nb["nbformat_minor"] = max(int(nb.get("nbformat_minor", 5)), 5)
    return nb, found, texts


def _error_of(cell: dict[str, Any]) -> str:
    for output in cell.get("outputs", []):
        if output.get("output_type") == "error":
            return f"{output.get('ename', 'Error')}: {output.get('evalue', '')}".strip()
    return ""


def _results_of(cell: dict[str, Any]) -> list[dict[str, Any]] | None:
    for output in cell.get("outputs", []):
        if output.get("output_type") == "stream":
            for line in str(output.get("text", "")).splitlines():
                if line.startswith(RESULT_MARKER):
                    data = json.loads(line[len(RESULT_MARKER) :])
                    return list(data.get("results", []))
    return None


def _execute(
    nb: dict[str, Any],
    folder: Path,
    dataset: Path,
    cell_timeout: float,
    notebook_timeout: float,
) -> tuple[dict[str, Any], str]:
    """Run ``nb`` in ``folder``; return it with outputs and why it stopped early."""
    import asyncio

    import nbformat
    from nbclient import NotebookClient

    node = nbformat.from_dict(nb)
    env = {
        **os.environ,
        "PMO_KIT_DATASET": str(dataset),
        "HOME": str(folder.parent / "home"),
        "MPLBACKEND": "agg",
    }
    from pmo_kit.reports import quiet_kernel_manager

    client = NotebookClient(
        node,
        timeout=int(cell_timeout),
        kernel_name="python3",
        # the kernel's own log lines (ipykernel's TCP warning, shutdown noise) go to
        # a file in the grading folder, not to the trainer's terminal
        kernel_manager_class=quiet_kernel_manager(folder / "kernel.log"),
        extra_arguments=["--IPKernelApp.log_level=ERROR"],
        allow_errors=True,
        interrupt_on_timeout=True,
        shutdown_kernel="immediate",
        resources={"metadata": {"path": str(folder)}},
    )

    async def run() -> None:
        await asyncio.wait_for(
            client.async_execute(cwd=str(folder), env=env), timeout=notebook_timeout
        )

    stopped = ""
    try:
        asyncio.run(run())
    except TimeoutError:
        stopped = f"the notebook went over its time limit ({notebook_timeout:g} s)"
    except Exception as exc:
        stopped = f"the notebook stopped: {type(exc).__name__}: {exc}".strip()
    return json.loads(json.dumps(node)), stopped


def grade_notebook(
    key: ExerciseKey,
    data: bytes,
    *,
    dataset: Path,
    team: str,
    learner: str,
    handin: str = "",
    cell_timeout: float = 30,
    notebook_timeout: float = 120,
    keep: Path | None = None,
) -> list[GradeRow]:
    """
    Grade one learner notebook of one exercise; never raises on a bad submission.

    Parameters
    ----------
    key
        The exercise's answer key.
    data
        The learner's notebook file, as handed in.
    dataset
        The team's dataset folder (copied; the kernel sees the copy).
    team, learner, handin
        Who it is, for the rows.
    cell_timeout, notebook_timeout
        Time limits in seconds: per cell (the kernel is interrupted) and per notebook
        (the kernel is killed).
    keep
        Where to save the executed notebook, if anywhere.
    """

    def row(q: Question, points: float | None, message: str, **extra: Any) -> GradeRow:
        return GradeRow(
            team,
            learner,
            key.name,
            q.name,
            points,
            key.max_points[q.name],
            message,
            rubric=q.rubric,
            handin=handin,
            **extra,
        )

    try:
        submission = parse_notebook(data)
    except (ValueError, UnicodeDecodeError, RecursionError) as exc:
        reason = f"the notebook cannot be read ({type(exc).__name__}: {str(exc)[:120]})"
        return [row(q, 0.0, reason) for q in key.questions]
    nb, found, texts = _graded_notebook(key, submission)
    with tempfile.TemporaryDirectory(prefix="pmo-grade-") as tmp:
        root = Path(tmp)
        work = root / key.name
        shutil.copytree(
            key.folder,
            work,
            ignore=shutil.ignore_patterns("solution.ipynb", "__pycache__"),
        )
        shutil.copytree(dataset, root / "data")
        (root / "home").mkdir()
        (root / "pmo-kit.yaml").write_text("dataset: data\n", encoding="utf-8")
        executed, stopped = _execute(
            nb, work, root / "data", cell_timeout, notebook_timeout
        )
    if keep is not None:
        keep.parent.mkdir(parents=True, exist_ok=True)
        keep.write_text(json.dumps(executed, indent=1), encoding="utf-8")
    answers: dict[str, str] = {}
    results: dict[str, list[dict[str, Any]] | None] = {}
    for cell in executed.get("cells", []):
        role = str(cell.get("metadata", {}).get("pmo_workshop", ""))
        kind, _, name = role.partition(":")
        if kind == "answer":
            answers[name] = _error_of(cell)
        elif kind == "grade":
            results[name] = _results_of(cell)
    rows: list[GradeRow] = []
    for q in key.questions:
        if q.free_text:
            rows.append(
                row(
                    q,
                    None,
                    "free text: mark by hand with the rubric",
                    free_text_answer=texts.get(q.name, ""),
                )
            )
            continue
        how = found.get(q.name, "missing")
        error = answers.get(q.name, "")
        got = results.get(q.name)
        if how == "missing":
            rows.append(
                row(
                    q,
                    0.0,
                    f"no answer found (cell id {q.answer_id or '?'} or a cell "
                    f"assigning {', '.join(q.variables) or '?'})",
                )
            )
        elif error:
            rows.append(row(q, 0.0, f"your answer cell raised {error}"))
        elif got is None:
            rows.append(
                row(q, 0.0, f"not graded: {stopped or 'the checks did not run'}")
            )
        else:
            messages = [str(r["message"]) for r in got if r.get("outcome") != "correct"]
            rows.append(
                row(
                    q,
                    float(sum(float(r.get("score", 0)) for r in got)),
                    " | ".join(messages) or "Correct.",
                    details=tuple(
                        (
                            str(r.get("check")),
                            str(r.get("outcome")),
                            str(r.get("message")),
                        )
                        for r in got
                    ),
                )
            )
    return rows


def grade(
    workshop: str | Path,
    handins: str | Path,
    out: str | Path,
    *,
    jobs: int | None = None,
    cell_timeout: float = 30,
    notebook_timeout: float = 120,
    exercises: list[str] | None = None,
) -> list[GradeRow]:
    """
    Grade every hand-in in a folder and write the gradebook and feedback pages.

    Parameters
    ----------
    workshop
        The released workshop folder (``teams/`` and ``trainer/``).
    handins
        A folder of hand-in zips (any other file there is a row with its reason).
    out
        Results folder: ``gradebook.csv``, ``gradebook.html``,
        ``feedback/<team>-<learner>.html``, ``executed/`` notebooks.
    jobs
        Notebooks graded at once (default: the CPU cores).
    cell_timeout, notebook_timeout
        Time limits in seconds per cell and per notebook.
    exercises
        Grade only these exercises (default: every released one).

    Returns
    -------
    list of GradeRow
        Every row written to ``gradebook.csv``.

    Raises
    ------
    WorkshopError
        ``workshop`` is not a released workshop, or ``handins`` is not a folder.
    """
    from pmo_kit.training.workshop.gradebook import write_results
    from pmo_kit.training.workshop.releasing import WorkshopError

    workshop = Path(workshop)
    handins = Path(handins)
    out = Path(out)
    manifest = read_manifest(workshop)
    if not handins.is_dir():
        msg = f"{handins}: not a folder of hand-ins"
        raise WorkshopError(msg)
    names = list(manifest.get("exercises", []))
    if exercises is not None:
        unknown = [e for e in exercises if e not in names]
        if unknown:
            msg = (
                f"--exercise {unknown[0]!r} is not released in {workshop} "
                f"({', '.join(names)})"
            )
            raise WorkshopError(msg)
        names = list(exercises)
    keys = {n: ExerciseKey.load(workshop / "trainer" / "exercises" / n) for n in names}
    teams: dict[str, Any] = manifest["teams"]

    tasks: list[tuple[_Handin, str]] = []
    rows_by_task: dict[int, list[GradeRow]] = {}
    errors: list[GradeRow] = []
    for path in sorted(p for p in handins.iterdir() if p.is_file()):
        handin = _open_handin(path, teams)
        if handin.error:
            errors.append(
                GradeRow(
                    handin.team or "?",
                    handin.learner,
                    "",
                    "",
                    0.0,
                    0.0,
                    handin.error,
                    handin=path.name,
                )
            )
            continue
        for name in names:
            tasks.append((handin, name))

    def run(index: int) -> None:
        handin, name = tasks[index]
        key = keys[name]
        chosen = _pick_notebook(handin.notebooks, name)
        if chosen is None:
            rows_by_task[index] = [
                GradeRow(
                    handin.team,
                    handin.learner,
                    name,
                    q.name,
                    0.0 if not q.free_text else None,
                    key.max_points[q.name],
                    "the exercise notebook is missing from the hand-in",
                    rubric=q.rubric,
                    handin=handin.path.name,
                )
                for q in key.questions
            ]
            return
        try:
            rows_by_task[index] = grade_notebook(
                key,
                handin.notebooks[chosen],
                dataset=workshop / "teams" / handin.team / "data",
                team=handin.team,
                learner=handin.learner,
                handin=handin.path.name,
                cell_timeout=cell_timeout,
                notebook_timeout=notebook_timeout,
                keep=out
                / "executed"
                / _safe(f"{handin.team}-{handin.learner}")
                / f"{name}.ipynb",
            )
        except Exception as exc:
            rows_by_task[index] = [
                GradeRow(
                    handin.team,
                    handin.learner,
                    name,
                    q.name,
                    0.0,
                    key.max_points[q.name],
                    f"could not be graded: {type(exc).__name__}: {exc}",
                    handin=handin.path.name,
                )
                for q in key.questions
            ]

    workers = jobs or os.cpu_count() or 1
    with ThreadPoolExecutor(max_workers=workers) as pool:
        list(pool.map(run, range(len(tasks))))
    rows = errors + [r for i in range(len(tasks)) for r in rows_by_task[i]]
    write_results(rows, out)
    return rows
