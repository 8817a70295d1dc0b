"""
Single-sourced solutions: make the learner copy of an exercise notebook.

Authors write one solution notebook. Inside code cells, each answer sits between
``### BEGIN SOLUTION`` and ``### END SOLUTION``. The learner copy replaces each
region with a placeholder: every name the region assigns becomes ``name = ...``
under a ``# YOUR CODE HERE`` line, so the learner copy runs top to bottom and
its checks answer "not done yet" instead of crashing. Cells tagged ``solution``
(an explanation of the answer, say) are dropped from the learner copy.
"""

from __future__ import annotations

import ast
import json
import re
from pathlib import Path
from typing import Any

from pmo_kit._errors import ExerciseError
from pmo_kit.data.atomic import atomic_write_text

__all__ = ["BEGIN", "END", "learner_source", "make_learner_copy", "names_assigned"]

BEGIN = "### BEGIN SOLUTION"
END = "### END SOLUTION"
_PLACEHOLDER = "# YOUR CODE HERE"


def _assigned_names(code: str, where: str) -> list[str]:
    try:
        tree = ast.parse(_dedent_block(code))
    except SyntaxError as exc:
        msg = (
            f"{where}: the solution region is not valid Python "
            f"({exc.msg}, line {exc.lineno})"
        )
        raise ExerciseError(msg) from None
    return names_assigned(tree)


def names_assigned(tree: ast.Module) -> list[str]:
    """
    Return the names a block of code assigns at its top level, in order.

    Examples
    --------
    >>> names_assigned(ast.parse("a = 1; b: int = 2; c += a; d, e = 1, 2"))
    ['a', 'b', 'c', 'd', 'e']
    """
    names: list[str] = []
    for node in tree.body:
        targets: list[ast.expr] = []
        if isinstance(node, ast.Assign):
            targets = list(node.targets)
        elif isinstance(node, ast.AnnAssign | ast.AugAssign):
            targets = [node.target]
        for target in targets:
            for sub in ast.walk(target):
                if isinstance(sub, ast.Name) and sub.id not in names:
                    names.append(sub.id)
    return names


def _dedent_block(code: str) -> str:
    lines = [line for line in code.splitlines() if line.strip()]
    indent = min((len(line) - len(line.lstrip()) for line in lines), default=0)
    return "\n".join(line[indent:] for line in code.splitlines())


def learner_source(source: str, *, where: str = "cell") -> str:
    r"""
    Replace every solution region of a code cell with placeholders.

    Examples
    --------
    >>> code = "x = 1\n### BEGIN SOLUTION\ncpi = ev / ac\n### END SOLUTION\ncheck('q1')"
    >>> print(learner_source(code))
    x = 1
    # YOUR CODE HERE
    cpi = ...
    check('q1')
    """
    out: list[str] = []
    region: list[str] | None = None
    indent = ""
    for number, line in enumerate(source.splitlines(), start=1):
        stripped = line.strip()
        if stripped == BEGIN:
            if region is not None:
                msg = f"{where}, line {number}: {BEGIN} inside another solution region"
                raise ExerciseError(msg)
            region, indent = [], line[: len(line) - len(line.lstrip())]
        elif stripped == END:
            if region is None:
                msg = f"{where}, line {number}: {END} without a {BEGIN} before it"
                raise ExerciseError(msg)
            out.append(indent + _PLACEHOLDER)
            out.extend(
                f"{indent}{name} = ..."
                for name in _assigned_names("\n".join(region), where)
            )
            region = None
        elif region is not None:
            region.append(line)
        else:
            out.append(line)
    if region is not None:
        msg = f"{where}: {BEGIN} is never closed by {END}"
        raise ExerciseError(msg)
    return "\n".join(out)


def make_learner_copy(solution: str | Path, target: str | Path | None = None) -> Path:
    """
    Write the learner copy of a solution notebook.

    Parameters
    ----------
    solution
        ``<exercise>/solution.ipynb``.
    target
        Where to write; default ``exercise.ipynb`` beside the solution.

    Returns
    -------
    pathlib.Path
        The learner notebook, outputs cleared, no solution left in it.

    Raises
    ------
    ExerciseError
        Unbalanced markers or a solution region that is not valid Python.
    """
    solution = Path(solution)
    target = (
        Path(target) if target is not None else solution.with_name("exercise.ipynb")
    )
    try:
        nb: dict[str, Any] = json.loads(solution.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as exc:
        msg = f"{solution}: cannot be read as a notebook ({exc})"
        raise ExerciseError(msg) from None
    cells = []
    found = False
    for index, cell in enumerate(nb.get("cells", []), start=1):
        tags = cell.get("metadata", {}).get("tags", [])
        if "solution" in tags:
            found = True
            continue
        source = "".join(cell.get("source", []))
        if cell.get("cell_type") == "code":
            if BEGIN in source or END in source:
                found = True
                source = learner_source(source, where=f"{solution}, cell {index}")
            cell = {**cell, "outputs": [], "execution_count": None}
        lines = source.splitlines(keepends=True)
        cells.append({**cell, "source": lines})
    if not found:
        msg = f"{solution}: has no {BEGIN} / {END} regions, so nothing would be hidden"
        raise ExerciseError(msg)
    nb["cells"] = cells
    text = json.dumps(nb, indent=1, ensure_ascii=False) + "\n"
    if re.search(r"BEGIN SOLUTION|END SOLUTION", text):
        msg = f"{solution}: a solution marker survived in the learner copy"
        raise ExerciseError(msg)
    atomic_write_text(target, text)
    return target
