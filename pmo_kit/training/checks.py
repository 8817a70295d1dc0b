"""
Exercise checks that say *what* is wrong (in the spirit of otter-grader).

An exercise folder has a ``checks.py``::

    from pmo_kit.training import check, fail


    @check(hint="CPI is EV / AC.")
    def q1_cpi(cpi: float) -> None:
        if abs(cpi - 1 / 0.9) < 1e-3:
            fail("You divided AC by EV; CPI is EV / AC.")
        assert abs(cpi - 0.9) < 1e-3

The notebook loads them with ``check = load_checks()`` and calls ``check("q1_cpi")``:
the check pulls ``cpi`` from the notebook's variables by parameter name and shows
✅ correct, ❌ with the specific message, or ⏳ not done yet.

In a Jupyter kernel, a check whose answer cell (id ``qN-answer``, else the cell run
just before the check) raised an error says so instead of grading a stale value, and
every result is recorded in the learner's progress file
(:mod:`pmo_kit.training.progress`). ``check.all()`` returns a :class:`Scoreboard`: a
score line ("7/9 correct, 14/18 points") and the open items.
"""

from __future__ import annotations

import contextlib
import html
import importlib.util
import inspect
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, NoReturn, TypeVar

from pmo_kit._errors import ExerciseError, PMOError

if TYPE_CHECKING:
    from collections.abc import Callable, Mapping

__all__ = [
    "Check",
    "CheckFailed",
    "CheckResult",
    "Checker",
    "Scoreboard",
    "check",
    "fail",
    "load_checks",
]

Outcome = Literal["correct", "incorrect", "not done"]
F = TypeVar("F", bound="Callable[..., None]")

#: Checks defined while a ``checks.py`` module is being loaded.
_COLLECTING: list[Check] = []
#: The last run of each notebook cell, by cell id: None if it succeeded, else the error.
_CELL_RUNS: dict[str, BaseException | None] = {}
_QUESTION = re.compile(r"^(q\d+)")

_ICONS: dict[str, str] = {"correct": "✅", "incorrect": "❌", "not done": "⏳"}
_COLOURS: dict[str, str] = {
    "correct": "#2e8540",
    "incorrect": "#c0392b",
    "not done": "#6b7785",
}


class CheckFailed(AssertionError):
    """Raised inside a check to give the learner a specific message."""


def fail(message: str) -> NoReturn:
    """
    Fail the current check with a message that says what is wrong.

    Raises
    ------
    CheckFailed
        Always.
    """
    raise CheckFailed(message)


@dataclass(frozen=True)
class Check:
    """A named check: a function whose parameters name notebook variables."""

    name: str
    function: Callable[..., None]
    hint: str
    points: float = 1.0

    @property
    def variables(self) -> list[str]:
        """Names of the notebook variables the check reads."""
        return list(inspect.signature(self.function).parameters)

    def run(self, namespace: Mapping[str, Any]) -> CheckResult:
        """Run the check against the variables in ``namespace``."""
        missing = [v for v in self.variables if v not in namespace]
        placeholders = [
            v for v in self.variables if v in namespace and namespace[v] is Ellipsis
        ]
        if missing or placeholders:
            names = ", ".join(f"`{v}`" for v in missing + placeholders)
            return CheckResult(
                self.name,
                "not done",
                f"Not done yet: give {names} a value in the cell above, run it, then "
                "run this check again.",
                0.0,
                self.points,
            )
        args = [namespace[v] for v in self.variables]
        try:
            self.function(*args)
        except NotImplementedError:
            return CheckResult(self.name, "not done", "Not done yet.", 0.0, self.points)
        except CheckFailed as exc:
            return CheckResult(self.name, "incorrect", str(exc), 0.0, self.points)
        except AssertionError as exc:
            detail = str(exc).strip()
            message = self.hint + (f" ({detail})" if detail else "")
            return CheckResult(
                self.name, "incorrect", message or "Not right yet.", 0.0, self.points
            )
        except Exception as exc:  # the learner's value broke the check itself
            message = (
                f"Your value could not be checked: {type(exc).__name__}: {exc}. "
                f"{self.hint}"
            ).strip()
            return CheckResult(self.name, "incorrect", message, 0.0, self.points)
        return CheckResult(self.name, "correct", "Correct.", self.points, self.points)


@dataclass(frozen=True)
class CheckResult:
    """The outcome of one check, shown as ✅ / ❌ / ⏳ and a message."""

    name: str
    outcome: Outcome
    message: str
    score: float
    points: float

    @property
    def passed(self) -> bool:
        """True when the answer is correct."""
        return self.outcome == "correct"

    def __repr__(self) -> str:
        return f"{_ICONS[self.outcome]} {self.name}: {self.message}"

    def _repr_html_(self) -> str:
        colour = _COLOURS[self.outcome]
        return (
            f'<div class="pmo-check" style="border-left:4px solid {colour};'
            f'padding:4px 10px;margin:4px 0"><strong>{_ICONS[self.outcome]} '
            f"{html.escape(self.name)}</strong>: {html.escape(self.message)}</div>"
        )


class Scoreboard(list[CheckResult]):
    """
    The results of every check of an exercise: a list with a score line.

    Shows "7/9 correct, 14/18 points" and, below it, the open items (not done or
    wrong) with their messages.
    """

    @property
    def correct(self) -> int:
        """Number of checks answered correctly."""
        return sum(r.passed for r in self)

    @property
    def points(self) -> tuple[float, float]:
        """(points scored, points possible)."""
        return sum(r.score for r in self), sum(r.points for r in self)

    @property
    def open_items(self) -> list[CheckResult]:
        """The checks not done yet or not right yet, in order."""
        return [r for r in self if not r.passed]

    def score_line(self) -> str:
        """Return e.g. ``7/9 correct, 14/18 points``."""
        got, possible = self.points
        return f"{self.correct}/{len(self)} correct, {got:g}/{possible:g} points"

    def __repr__(self) -> str:
        lines = [self.score_line()]
        if self.open_items:
            lines.append("Still open:")
            lines.extend(f"  {item!r}" for item in self.open_items)
        done = [r for r in self if r.passed]
        if done:
            lines.append("Correct:")
            lines.extend(f"  {item!r}" for item in done)
        return "\n".join(lines)

    def _repr_html_(self) -> str:
        items = "".join(item._repr_html_() for item in self.open_items)
        done = ", ".join(html.escape(r.name) for r in self if r.passed)
        if done:
            items += f'<p class="pmo-score-done">✅ Correct: {done}</p>'
        return (
            '<div class="pmo-scoreboard"><p class="pmo-score-line"><strong>'
            f"{html.escape(self.score_line())}</strong></p>{items}</div>"
        )


@dataclass
class Checker:
    """
    The checks of one exercise; call it with a check's name to run that check.

    ``check("q1")`` reads the variables from the caller's namespace (the notebook).
    """

    checks: dict[str, Check]
    source: str = ""
    results: dict[str, CheckResult] = field(default_factory=dict)
    #: The exercise's name (its folder), the key of its progress records.
    exercise: str = ""
    #: Where results are recorded; None records nothing.
    progress_path: Path | None = None

    def __call__(
        self, name: str, namespace: Mapping[str, Any] | None = None
    ) -> CheckResult:
        """Run the check called ``name`` against the caller's variables."""
        return self._run(name, namespace, direct=namespace is None)

    def _run(
        self, name: str, namespace: Mapping[str, Any] | None, *, direct: bool
    ) -> CheckResult:
        if name not in self.checks:
            known = ", ".join(self.checks) or "none"
            msg = f"{name!r} is not a check of this exercise. Known checks: {known}"
            raise ExerciseError(msg)
        error = _answer_cell_error(name, last_execution=direct)
        if error is not None:
            detail = f"{type(error).__name__}: {error}".strip().rstrip(":")
            result = CheckResult(
                name,
                "not done",
                f"Your answer cell raised {detail}; fix it and run it again, then "
                "run this check.",
                0.0,
                self.checks[name].points,
            )
        else:
            result = self.checks[name].run(
                namespace if namespace is not None else _caller_namespace()
            )
        self.results[name] = result
        self._record(result)
        return result

    def _record(self, result: CheckResult) -> None:
        if self.progress_path is None:
            return
        from pmo_kit.training.progress import record_result

        # progress is a convenience: a read-only disk never breaks a check
        with contextlib.suppress(OSError):
            record_result(
                self.progress_path,
                self.exercise,
                result.name,
                result.outcome,
                result.score,
                result.points,
                result.message,
            )

    def all(self, namespace: Mapping[str, Any] | None = None) -> Scoreboard:
        """Run every check, in order: a score line and the open items."""
        ns = namespace if namespace is not None else _caller_namespace()
        return Scoreboard(self._run(name, ns, direct=False) for name in self.checks)

    def score(self, namespace: Mapping[str, Any] | None = None) -> tuple[float, float]:
        """Return (points scored, points possible) over every check."""
        ns = namespace if namespace is not None else _caller_namespace()
        return self.all(ns).points


def check(*, hint: str = "", points: float = 1.0) -> Callable[[F], F]:
    """
    Register a function in a ``checks.py`` module as an exercise check.

    Parameters
    ----------
    hint
        Shown when the check fails on a plain ``assert``; say what to look at.
    points
        Weight of the check in the score.
    """

    def register(function: F) -> F:
        _COLLECTING.append(Check(function.__name__, function, hint, points))
        return function

    return register


def load_checks(path: str | Path | None = None) -> Checker:
    """
    Load the checks of an exercise.

    Parameters
    ----------
    path
        A ``checks.py`` file or the exercise folder holding it; ``None`` looks in the
        current folder (where Jupyter starts a notebook's kernel), and, for a
        notebook in a learner workspace (no ``checks.py`` beside it), in the kit's
        exercise of the same name as the notebook's folder.

    Raises
    ------
    ExerciseError
        No ``checks.py`` was found, or it defines no checks.
    """
    here = Path(path) if path is not None else Path.cwd()
    target = here / "checks.py" if here.is_dir() else here
    beside = target.is_file()
    if not beside and here.is_dir():
        target = _kit_checks(here) or target
    if not target.is_file():
        msg = (
            f"{target}: no checks.py found. Open the exercise notebook from its own "
            "folder, or pass the exercise folder: load_checks('exercises/<name>')"
        )
        raise ExerciseError(msg)
    module_name = f"_pmo_checks_{abs(hash(str(target.resolve())))}"
    spec = importlib.util.spec_from_file_location(module_name, target)
    if spec is None or spec.loader is None:  # pragma: no cover - defensive
        msg = f"{target}: cannot be imported as a Python module"
        raise ExerciseError(msg)
    module = importlib.util.module_from_spec(spec)
    _COLLECTING.clear()
    try:
        sys.modules[module_name] = module
        spec.loader.exec_module(module)
        found = list(_COLLECTING)
    finally:
        _COLLECTING.clear()
        sys.modules.pop(module_name, None)
    if not found:
        msg = f"{target}: defines no checks; decorate functions with @check()"
        raise ExerciseError(msg)
    shell = _shell()
    if shell is not None:
        _watch_cells(shell)
    return Checker(
        {c.name: c for c in found},
        source=str(target),
        exercise=target.resolve().parent.name,
        progress_path=_progress_path(here, beside=beside, in_kernel=shell is not None),
    )


def _kit_checks(folder: Path) -> Path | None:
    """Return the kit's ``checks.py`` of the exercise named like ``folder``, if any."""
    import json

    from pmo_kit.training.workspace import MANIFEST, STATE_DIR, find_workspace

    roots: list[Path] = []
    workspace = find_workspace(folder)
    if workspace is not None:
        with contextlib.suppress(OSError, ValueError, TypeError, AttributeError):
            manifest = json.loads(
                (workspace / STATE_DIR / MANIFEST).read_text(encoding="utf-8")
            )
            roots.append(Path(manifest["exercises_dir"]))
    with contextlib.suppress(PMOError):
        from pmo_kit.training.workspace import kit_exercises_dir

        roots.append(kit_exercises_dir())
    for root in roots:
        candidate = root / folder.resolve().name / "checks.py"
        if candidate.is_file():
            return candidate
    return None


def _progress_path(here: Path, *, beside: bool, in_kernel: bool) -> Path | None:
    """
    Where this exercise's results go: the workspace's progress file, or the user's.

    Nothing is recorded for a notebook beside its ``checks.py`` outside a workspace
    (the kit's own solutions, run by authors and tests), nor outside a kernel.
    """
    from pmo_kit.training.progress import progress_file
    from pmo_kit.training.workspace import find_workspace

    folder = here if here.is_dir() else here.parent
    if find_workspace(folder) is not None:
        return progress_file(folder)
    if beside or not in_kernel:
        return None
    return progress_file(folder)


def _shell() -> Any:
    """Return the running IPython shell, or None."""
    try:
        from IPython import get_ipython
    except ImportError:  # pragma: no cover - IPython is a dependency of Jupyter
        return None
    return get_ipython()


def _remember_cell_run(result: Any) -> None:
    """IPython ``post_run_cell`` hook: remember whether each cell (by id) raised."""
    cell_id = getattr(getattr(result, "info", None), "cell_id", None)
    if cell_id:
        _CELL_RUNS[str(cell_id)] = _error_of(result)


def _error_of(result: Any) -> BaseException | None:
    error = getattr(result, "error_before_exec", None) or getattr(
        result, "error_in_exec", None
    )
    return error if isinstance(error, BaseException) else None


def _watch_cells(shell: Any) -> None:
    events = getattr(shell, "events", None)
    if events is None:  # pragma: no cover - every InteractiveShell has events
        return
    if _remember_cell_run not in events.callbacks.get("post_run_cell", []):
        events.register("post_run_cell", _remember_cell_run)


def _answer_cell_error(name: str, *, last_execution: bool) -> BaseException | None:
    """
    Return the error the answer cell of check ``name`` raised on its last run, if any.

    The answer cell is the one with id ``qN-answer`` (``qN`` from the check's name)
    when the front end sends cell ids (JupyterLab does); otherwise, with
    ``last_execution``, the cell run just before the check (nbclient, consoles):
    while a cell runs, IPython's ``last_execution_result`` is the previous run.
    """
    shell = _shell()
    if shell is None:  # not in a kernel: nothing ran in cells
        return None
    match = _QUESTION.match(name)
    answer_id = f"{match.group(1)}-answer" if match else None
    if answer_id is not None and answer_id in _CELL_RUNS:
        return _CELL_RUNS[answer_id]
    if not last_execution:
        return None
    last = getattr(shell, "last_execution_result", None)
    if last is None or getattr(shell, "last_execution_succeeded", True):
        return None
    info = getattr(last, "info", None)
    cell_id = getattr(info, "cell_id", None)
    raw = str(getattr(info, "raw_cell", "") or "")
    if cell_id not in (None, answer_id) or "check(" in raw or "check.all(" in raw:
        return None  # another cell (or a check) failed, not the answer
    return _error_of(last)


def _caller_namespace() -> dict[str, Any]:
    """Return the notebook's namespace (IPython user_ns) or the calling frame's."""
    shell = _shell()
    if shell is not None:
        return dict(shell.user_ns)
    frame = inspect.currentframe()
    this_file = frame.f_code.co_filename if frame else ""
    while frame is not None and frame.f_code.co_filename == this_file:
        frame = frame.f_back
    if frame is None:  # pragma: no cover - always called from somewhere
        return {}
    return {**frame.f_globals, **frame.f_locals}
