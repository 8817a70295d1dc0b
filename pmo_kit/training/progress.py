"""
The learner's progress, kept on disk so that it survives a kernel restart.

Every check result is recorded in a progress file:

* inside a learner workspace (see :mod:`pmo_kit.training.workspace`):
  ``<workspace>/.pmo-kit/progress.json``, found from the notebook's folder;
* anywhere else: ``$XDG_DATA_HOME/pmo-kit/progress.json`` (default
  ``~/.local/share/pmo-kit/progress.json``).

Records are keyed by exercise (its folder name) and question (the check's name),
with ``status`` (``open``, ``wrong`` or ``correct``), points, message and time. A
"not done yet" result never overwrites an earlier answer: after a restart the
answers are simply not in memory yet. :func:`progress` gives the whole course.
"""

from __future__ import annotations

import ast
import contextlib
import html
import json
import os
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pmo_kit.data.atomic import atomic_write_text
from pmo_kit.training.workspace import STATE_DIR, find_workspace, kit_exercises_dir

if TYPE_CHECKING:
    from collections.abc import Iterator

    import pandas as pd

__all__ = [
    "PROGRESS_FILE",
    "CourseProgress",
    "course_questions",
    "progress",
    "progress_file",
    "read_progress",
    "record_result",
]

PROGRESS_FILE = "progress.json"
_STATUS = {"correct": "correct", "incorrect": "wrong", "not done": "open"}
_COLOURS = {"correct": "#2e8540", "wrong": "#c0392b", "open": "#6b7785"}
_ICONS = {"correct": "✅", "wrong": "❌", "open": "⏳"}


def progress_file(start: str | Path | None = None) -> Path:
    """Return the progress file for notebooks run in ``start`` (default: cwd)."""
    workspace = find_workspace(start)
    if workspace is not None:
        return workspace / STATE_DIR / PROGRESS_FILE
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / "pmo-kit" / PROGRESS_FILE


def read_progress(path: str | Path) -> dict[str, dict[str, dict[str, Any]]]:
    """Return ``{exercise: {question: record}}`` from a progress file ({} if none)."""
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError):
        return {}
    exercises = data.get("exercises", {}) if isinstance(data, dict) else {}
    return exercises if isinstance(exercises, dict) else {}


@contextlib.contextmanager
def _locked(path: Path) -> Iterator[None]:
    """Hold an exclusive lock beside ``path`` (two kernels may record at once)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        import fcntl
    except ImportError:  # pragma: no cover - not POSIX
        yield
        return
    with (path.parent / f".{path.name}.lock").open("a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def record_result(
    path: str | Path,
    exercise: str,
    question: str,
    outcome: str,
    score: float,
    points: float,
    message: str,
) -> bool:
    """
    Record one check result atomically; return whether the file changed.

    ``outcome`` is a :class:`~pmo_kit.training.CheckResult` outcome (``correct``,
    ``incorrect``, ``not done``). A "not done" result does not replace an answer
    recorded earlier.
    """
    path = Path(path)
    status = _STATUS.get(outcome, "open")
    with _locked(path):
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            if not isinstance(data, dict):
                data = {}
        except (OSError, json.JSONDecodeError):
            data = {}
        exercises = data.setdefault("exercises", {})
        questions = exercises.setdefault(exercise, {})
        if status == "open" and question in questions:
            return False
        questions[question] = {
            "status": status,
            "points": score,
            "max_points": points,
            "message": message,
            "time": datetime.now(UTC).isoformat(timespec="seconds"),
        }
        data["version"] = 1
        atomic_write_text(path, json.dumps(data, indent=1, ensure_ascii=False) + "\n")
    return True


def course_questions(
    exercises_dir: str | Path | None = None,
) -> dict[str, dict[str, float]]:
    """
    Return ``{exercise: {question: points}}`` for every exercise of the course.

    Read from each ``checks.py`` without running it: functions decorated with
    ``@check(...)``, in order, with their ``points=`` (default 1).
    """
    folder = Path(exercises_dir) if exercises_dir is not None else kit_exercises_dir()
    course: dict[str, dict[str, float]] = {}
    for checks in sorted(folder.glob("*/checks.py")):
        try:
            tree = ast.parse(checks.read_text(encoding="utf-8"))
        except (OSError, SyntaxError):
            continue
        questions: dict[str, float] = {}
        for node in tree.body:
            if not isinstance(node, ast.FunctionDef):
                continue
            for deco in node.decorator_list:
                call = deco if isinstance(deco, ast.Call) else None
                func = call.func if call is not None else deco
                if isinstance(func, ast.Name) and func.id == "check":
                    questions[node.name] = _points(call)
        if questions:
            course[checks.parent.name] = questions
    return course


def _points(call: ast.Call | None) -> float:
    if call is None:
        return 1.0
    for keyword in call.keywords:
        if keyword.arg == "points":
            with contextlib.suppress(ValueError, TypeError):
                return float(ast.literal_eval(keyword.value))
    return 1.0


@dataclass(frozen=True)
class CourseProgress:
    """Every question of the course with its status; shows as a table and a total."""

    rows: tuple[dict[str, Any], ...]
    source: Path

    @property
    def correct(self) -> int:
        """Questions answered correctly."""
        return sum(r["status"] == "correct" for r in self.rows)

    @property
    def wrong(self) -> int:
        """Questions answered, not right yet."""
        return sum(r["status"] == "wrong" for r in self.rows)

    @property
    def open(self) -> int:
        """Questions not answered yet."""
        return sum(r["status"] == "open" for r in self.rows)

    @property
    def points(self) -> tuple[float, float]:
        """(points scored, points possible) over the course."""
        return (
            sum(float(r["points"]) for r in self.rows),
            sum(float(r["max_points"]) for r in self.rows),
        )

    def status(self, exercise: str, question: str) -> str:
        """Return the status of one question (``open`` if unknown)."""
        for row in self.rows:
            if row["exercise"] == exercise and row["question"] == question:
                return str(row["status"])
        return "open"

    def total_line(self) -> str:
        """Return the course total, e.g. ``3/40 correct, 1 wrong, 36 open; ...``."""
        got, possible = self.points
        return (
            f"Course: {self.correct}/{len(self.rows)} correct, {self.wrong} wrong, "
            f"{self.open} open; {got:g}/{possible:g} points"
        )

    def to_frame(self) -> pd.DataFrame:
        """Return the rows as a DataFrame (exercise, question, status, ...)."""
        import pandas as pd

        columns = ["exercise", "question", "status", "points", "max_points"]
        return pd.DataFrame(list(self.rows), columns=[*columns, "message", "time"])

    def __repr__(self) -> str:
        lines = [self.total_line()]
        lines.extend(
            f"{_ICONS[r['status']]} {r['exercise']} {r['question']}: {r['status']}"
            for r in self.rows
        )
        return "\n".join(lines)

    def _repr_html_(self) -> str:
        body = []
        for r in self.rows:
            colour = _COLOURS[r["status"]]
            body.append(
                "<tr>"
                f"<td>{html.escape(str(r['exercise']))}</td>"
                f"<td>{html.escape(str(r['question']))}</td>"
                f'<td class="pmo-progress-{r["status"]}" style="color:{colour}">'
                f"{_ICONS[r['status']]} {r['status']}</td>"
                f"<td>{float(r['points']):g}/{float(r['max_points']):g}</td>"
                f"<td>{html.escape(str(r['message'] or ''))}</td></tr>"
            )
        return (
            '<div class="pmo-progress">'
            f"<p><strong>{html.escape(self.total_line())}</strong></p>"
            "<table><thead><tr><th>exercise</th><th>question</th><th>status</th>"
            "<th>points</th><th>message</th></tr></thead><tbody>"
            + "".join(body)
            + "</tbody></table></div>"
        )


def progress(
    workspace: str | Path | None = None,
    *,
    exercises_dir: str | Path | None = None,
) -> CourseProgress:
    """
    Return the learner's progress over the whole course, read from disk.

    Parameters
    ----------
    workspace
        The workspace (or any folder in it); default: the one holding the current
        folder, else the user's progress file (see the module docstring).
    exercises_dir
        The course's exercises; default the kit's own.
    """
    path = progress_file(workspace)
    recorded = read_progress(path)
    rows: list[dict[str, Any]] = []
    for exercise, questions in course_questions(exercises_dir).items():
        for question, points in questions.items():
            record = recorded.get(exercise, {}).get(question, {})
            status = record.get("status", "open")
            rows.append(
                {
                    "exercise": exercise,
                    "question": question,
                    "status": status if status in _ICONS else "open",
                    "points": float(record.get("points", 0.0)),
                    "max_points": float(record.get("max_points", points)),
                    "message": record.get("message", ""),
                    "time": record.get("time", ""),
                }
            )
    return CourseProgress(tuple(rows), path)
