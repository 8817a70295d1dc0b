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
"""

from __future__ import annotations

import html
import importlib.util
import inspect
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, NoReturn, TypeVar

from pmo_kit._errors import ExerciseError

if TYPE_CHECKING:
    from collections.abc import Callable, Mapping

__all__ = [
    "Check",
    "CheckFailed",
    "CheckResult",
    "Checker",
    "check",
    "fail",
    "load_checks",
]

Outcome = Literal["correct", "incorrect", "not done"]
F = TypeVar("F", bound="Callable[..., None]")

#: Checks defined while a ``checks.py`` module is being loaded.
_COLLECTING: list[Check] = []

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


@dataclass
class Checker:
    """
    The checks of one exercise; call it with a check's name to run that check.

    ``check("q1")`` reads the variables from the caller's namespace (the notebook).
    """

    checks: dict[str, Check]
    source: str = ""
    results: dict[str, CheckResult] = field(default_factory=dict)

    def __call__(
        self, name: str, namespace: Mapping[str, Any] | None = None
    ) -> CheckResult:
        """Run the check called ``name`` against the caller's variables."""
        if name not in self.checks:
            known = ", ".join(self.checks) or "none"
            msg = f"{name!r} is not a check of this exercise. Known checks: {known}"
            raise ExerciseError(msg)
        result = self.checks[name].run(
            namespace if namespace is not None else _caller_namespace()
        )
        self.results[name] = result
        return result

    def all(self, namespace: Mapping[str, Any] | None = None) -> list[CheckResult]:
        """Run every check, in order; the learner's progress view."""
        ns = namespace if namespace is not None else _caller_namespace()
        return [self(name, ns) for name in self.checks]

    def score(self, namespace: Mapping[str, Any] | None = None) -> tuple[float, float]:
        """Return (points scored, points possible) over every check."""
        ns = namespace if namespace is not None else _caller_namespace()
        results = self.all(ns)
        return sum(r.score for r in results), sum(r.points for r in results)


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
        current folder (where Jupyter starts a notebook's kernel).

    Raises
    ------
    ExerciseError
        No ``checks.py`` was found, or it defines no checks.
    """
    target = Path(path) if path is not None else Path.cwd()
    if target.is_dir():
        target = target / "checks.py"
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
    return Checker({c.name: c for c in found}, source=str(target))


def _caller_namespace() -> dict[str, Any]:
    """Return the notebook's namespace (IPython user_ns) or the calling frame's."""
    try:
        from IPython import get_ipython

        shell = get_ipython()
    except ImportError:  # pragma: no cover - IPython is a dependency of Jupyter
        shell = None
    if shell is not None:
        return dict(shell.user_ns)
    frame = inspect.currentframe()
    this_file = frame.f_code.co_filename if frame else ""
    while frame is not None and frame.f_code.co_filename == this_file:
        frame = frame.f_back
    if frame is None:  # pragma: no cover - always called from somewhere
        return {}
    return {**frame.f_globals, **frame.f_locals}
