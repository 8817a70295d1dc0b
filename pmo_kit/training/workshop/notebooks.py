"""
Find the questions of a released notebook and a learner's answers to them.

Answers are found by the answer cell's id (``q3-answer``), else by the variables
the answer assigns (``eac = ...``), and are put into a CLEAN copy of the released
notebook, so whatever else the learner did to the notebook does not matter.
"""

from __future__ import annotations

import ast
import json
import re
from dataclasses import dataclass
from typing import Any

from pmo_kit.training.solutions import names_assigned

__all__ = [
    "FREE_TEXT_TAG",
    "Answer",
    "Question",
    "assigned_names",
    "cell_source",
    "find_answer",
    "parse_notebook",
    "questions_of",
]

#: Tag of an answer cell whose answer is marked by hand.
FREE_TEXT_TAG = "free-text"

_CHECK_CALL = re.compile(r"""^\s*check\(\s*["'](q\d+)(?:_\w*)?["']\s*\)\s*;?\s*$""")
_ANSWER_ID = re.compile(r"^(q\d+)-answer$")
_PLACEHOLDER = "# YOUR CODE HERE"


@dataclass(frozen=True)
class Question:
    """One question of a released notebook."""

    name: str
    answer_index: int
    answer_id: str
    placeholder: str
    variables: tuple[str, ...]
    free_text: bool = False
    rubric: str = ""
    points: float = 1.0


@dataclass(frozen=True)
class Answer:
    """A learner's answer to one question, and how it was found."""

    source: str
    found: str  # "id", "variables" or "missing"
    cell_type: str = "code"


def cell_source(cell: Any) -> str:
    """Return a cell's source as text, whatever shape the JSON has."""
    if not isinstance(cell, dict):
        return ""
    source = cell.get("source", "")
    if isinstance(source, list):
        return "".join(str(s) for s in source)
    return str(source) if source is not None else ""


def _tags(cell: dict[str, Any]) -> list[str]:
    meta = cell.get("metadata")
    tags = meta.get("tags", []) if isinstance(meta, dict) else []
    return [str(t) for t in tags] if isinstance(tags, list) else []


def parse_notebook(data: bytes | str) -> list[dict[str, Any]]:
    """
    Return the cells of a notebook file's content (only well-formed cell dicts).

    Raises
    ------
    ValueError
        The content is not a JSON notebook.
    """
    nb = json.loads(data)
    if not isinstance(nb, dict) or not isinstance(nb.get("cells"), list):
        msg = "not a notebook (no list of cells)"
        raise ValueError(msg)
    return [c for c in nb["cells"] if isinstance(c, dict)]


def assigned_names(code: str) -> list[str]:
    """Names a piece of code assigns at top level (regex fallback if it is broken)."""
    try:
        tree = ast.parse(code)
    except (SyntaxError, ValueError):
        found = re.findall(
            r"^\s*([A-Za-z_]\w*)\s*(?::[^=\n]*)?[+\-*/]?=(?!=)", code, re.M
        )
        return list(dict.fromkeys(found))
    return names_assigned(tree)


def questions_of(
    cells: list[dict[str, Any]], solution: list[dict[str, Any]] | None = None
) -> list[Question]:
    """
    Return the questions of a released (learner) notebook, in order.

    A question is an answer cell: the cell with id ``qN-answer``, else the code cell
    with ``# YOUR CODE HERE`` before a ``check("qN_...")`` cell; or a cell tagged
    ``free-text`` (marked by hand; rubric and points from the solution cell's
    ``rubric`` / ``points`` metadata).
    """
    by_id = {str(c.get("id")): c for c in solution or []}
    questions: list[Question] = []
    taken: set[int] = set()
    last_check = -1
    for index, cell in enumerate(cells):
        cid = str(cell.get("id", ""))
        match = _ANSWER_ID.match(cid)
        if FREE_TEXT_TAG in _tags(cell):
            name = match.group(1) if match else cid
            meta = by_id.get(cid, {}).get("metadata", {})
            questions.append(
                Question(
                    name,
                    index,
                    cid,
                    cell_source(cell),
                    tuple(assigned_names(cell_source(cell)))
                    if cell.get("cell_type") == "code"
                    else (),
                    free_text=True,
                    rubric=str(meta.get("rubric", "")),
                    points=float(meta.get("points", 1.0)),
                )
            )
            taken.add(index)
            continue
        check_match = _CHECK_CALL.match(cell_source(cell))
        if cell.get("cell_type") != "code" or not check_match:
            continue
        name = check_match.group(1)
        if any(q.name == name for q in questions):
            last_check = index
            continue
        answer_index = next(
            (
                i
                for i, c in enumerate(cells)
                if str(c.get("id", "")) == f"{name}-answer" and i not in taken
            ),
            None,
        )
        if answer_index is None:
            answer_index = next(
                (
                    i
                    for i in range(index - 1, last_check, -1)
                    if cells[i].get("cell_type") == "code"
                    and _PLACEHOLDER in cell_source(cells[i])
                    and i not in taken
                ),
                None,
            )
        last_check = index
        if answer_index is None:
            continue
        taken.add(answer_index)
        answer = cells[answer_index]
        questions.append(
            Question(
                name,
                answer_index,
                str(answer.get("id", "")),
                cell_source(answer),
                tuple(assigned_names(cell_source(answer))),
            )
        )
    return questions


def _is_placeholder(source: str, question: Question) -> bool:
    return source.strip() == question.placeholder.strip()


def find_answer(
    submission: list[dict[str, Any]], question: Question, clean_sources: set[str]
) -> Answer:
    """
    Find a learner's answer to ``question`` in the cells of their notebook.

    By the answer cell's id first (of duplicates, the last one that was changed);
    else by the variables the answer assigns (the last cell that assigns one of them
    and is not a cell of the released notebook); else the released placeholder.
    """
    same_id = [c for c in submission if str(c.get("id", "")) == question.answer_id]
    if question.answer_id and same_id:
        changed = [c for c in same_id if not _is_placeholder(cell_source(c), question)]
        cell = (changed or same_id)[-1]
        return Answer(cell_source(cell), "id", str(cell.get("cell_type", "code")))
    if question.variables:
        wanted = set(question.variables)
        candidates = [
            c
            for c in submission
            if cell_source(c).strip() not in clean_sources
            and wanted & set(assigned_names(cell_source(c)))
        ]
        if candidates:
            cell = candidates[-1]
            return Answer(
                cell_source(cell), "variables", str(cell.get("cell_type", "code"))
            )
    return Answer(question.placeholder, "missing")
