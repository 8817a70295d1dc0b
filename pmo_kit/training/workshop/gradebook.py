"""Write the gradebook (CSV and offline HTML) and one feedback page per learner."""

from __future__ import annotations

import csv
import html
import io
import re
from collections import Counter, defaultdict
from typing import TYPE_CHECKING

from pmo_kit.data.atomic import atomic_write_text

if TYPE_CHECKING:
    from collections.abc import Sequence
    from pathlib import Path

    from pmo_kit.training.workshop.grading import GradeRow

__all__ = ["COLUMNS", "write_results"]

#: Columns of ``gradebook.csv``.
COLUMNS = (
    "team",
    "learner",
    "exercise",
    "question",
    "points",
    "max_points",
    "message",
    "free_text_answer",
    "rubric",
    "handin",
)

_STYLE = (
    "body{font-family:system-ui,sans-serif;margin:2em;color:#222}"
    "table{border-collapse:collapse;margin:1em 0}"
    "td,th{border:1px solid #ccc;padding:4px 8px;text-align:left;vertical-align:top}"
    ".ok{background:#e6f4ea}.ko{background:#fdecea}.hand{background:#fff7e0}"
)


def _number(value: float | None) -> str:
    return "" if value is None else f"{value:g}"


def _page(title: str, body: str) -> str:
    return (
        f'<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>'
        f"{html.escape(title)}</title><style>{_STYLE}</style></head><body>"
        f"<h1>{html.escape(title)}</h1>{body}</body></html>\n"
    )


def _safe(name: str) -> str:
    return re.sub(r"[^A-Za-z0-9_.-]", "_", name) or "_"


def _csv(rows: Sequence[GradeRow]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(COLUMNS)
    for r in rows:
        writer.writerow(
            [
                r.team,
                r.learner,
                r.exercise,
                r.question,
                _number(r.points),
                _number(r.max_points),
                r.message,
                r.free_text_answer,
                r.rubric,
                r.handin,
            ]
        )
    return buffer.getvalue()


def _class(r: GradeRow) -> str:
    if r.points is None:
        return "hand"
    return "ok" if r.points >= r.max_points > 0 else "ko"


def _gradebook(rows: Sequence[GradeRow]) -> str:
    e = html.escape
    learners: dict[tuple[str, str], list[GradeRow]] = defaultdict(list)
    for r in rows:
        learners[(r.team, r.learner)].append(r)
    parts = [
        "<h2>Per learner</h2><table><tr><th>Team</th><th>Learner</th>"
        "<th>Points</th><th>Out of</th><th>To mark by hand</th></tr>"
    ]
    for (team, learner), items in sorted(learners.items()):
        got = sum(r.points or 0 for r in items if r.points is not None)
        out_of = sum(r.max_points for r in items if r.points is not None)
        hand = sum(1 for r in items if r.points is None)
        parts.append(
            f"<tr><td>{e(team)}</td><td>{e(learner)}</td><td>{got:g}</td>"
            f"<td>{out_of:g}</td><td>{hand}</td></tr>"
        )
    parts.append("</table>")
    parts.extend(_grids(rows))
    parts.append(
        "<h2>Per question</h2><table><tr><th>Exercise</th>"
        "<th>Question</th><th>Correct</th><th>Average</th><th>Out of</th>"
        "<th>Most common mistakes</th></tr>"
    )
    questions: dict[tuple[str, str], list[GradeRow]] = defaultdict(list)
    for r in rows:
        if r.question:
            questions[(r.exercise, r.question)].append(r)
    for (exercise, question), items in sorted(questions.items()):
        scored = [r for r in items if r.points is not None]
        if not scored:
            mistakes = "free text: see the answers below"
            correct = average = "-"
        else:
            right = sum(1 for r in scored if _class(r) == "ok")
            correct = f"{right}/{len(scored)}"
            average = f"{sum(r.points or 0 for r in scored) / len(scored):.2f}"
            counts = Counter(r.message for r in scored if _class(r) == "ko")
            mistakes = "".join(
                f"<li>{n} x {e(m)}</li>" for m, n in counts.most_common(3)
            )
            mistakes = f"<ol>{mistakes}</ol>" if mistakes else ""
        parts.append(
            f"<tr><td>{e(exercise)}</td><td>{e(question)}</td><td>{correct}</td>"
            f"<td>{average}</td><td>{items[0].max_points:g}</td><td>{mistakes}</td></tr>"
        )
    parts.append("</table>")
    free = [r for r in rows if r.points is None]
    if free:
        parts.append(
            "<h2>Free-text answers to mark by hand</h2><table><tr><th>Team"
            "</th><th>Learner</th><th>Question</th><th>Answer</th>"
            "<th>Rubric</th></tr>"
        )
        parts.extend(
            f"<tr class=hand><td>{e(r.team)}</td><td>{e(r.learner)}</td><td>"
            f"{e(r.exercise)} {e(r.question)}</td><td><pre>{e(r.free_text_answer)}"
            f"</pre></td><td>{e(r.rubric)}</td></tr>"
            for r in free
        )
        parts.append("</table>")
    problems = [r for r in rows if not r.question]
    if problems:
        parts.append("<h2>Hand-ins that could not be graded</h2><ul>")
        parts.extend(f"<li>{e(r.message)}</li>" for r in problems)
        parts.append("</ul>")
    return _page("Workshop gradebook", "".join(parts))


def _grids(rows: Sequence[GradeRow]) -> list[str]:
    """One table per exercise: a row per learner, a column per question."""
    e = html.escape
    parts = ["<h2>Per learner and question</h2>"]
    by_exercise: dict[str, list[GradeRow]] = defaultdict(list)
    for r in rows:
        if r.question:
            by_exercise[r.exercise].append(r)
    for exercise, items in sorted(by_exercise.items()):
        questions = sorted({r.question for r in items}, key=_question_order)
        cells: dict[tuple[str, str], dict[str, GradeRow]] = defaultdict(dict)
        for r in items:
            cells[(r.team, r.learner)][r.question] = r
        head = "".join(f"<th>{e(q)}</th>" for q in questions)
        parts.append(
            f"<h3>{e(exercise)}</h3><table><tr><th>Team</th><th>Learner</th>{head}</tr>"
        )
        for (team, learner), answered in sorted(cells.items()):
            row = []
            for question in questions:
                found = answered.get(question)
                if found is None:
                    row.append("<td>-</td>")
                    continue
                shown = "hand" if found.points is None else f"{found.points:g}"
                if found.points is not None:
                    shown += f"/{found.max_points:g}"
                title = e(found.message)
                row.append(f'<td class={_class(found)} title="{title}">{shown}</td>')
            parts.append(
                f"<tr><td>{e(team)}</td><td>{e(learner)}</td>{''.join(row)}</tr>"
            )
        parts.append("</table>")
    return parts


def _question_order(question: str) -> tuple[int, str]:
    digits = "".join(ch for ch in question.split("_")[0] if ch.isdigit())
    return (int(digits) if digits else 999, question)


def _feedback(team: str, learner: str, items: Sequence[GradeRow]) -> str:
    e = html.escape
    parts = [
        "<table><tr><th>Exercise</th><th>Question</th><th>Points</th>"
        "<th>What the checks say</th></tr>"
    ]
    for r in items:
        if r.details:
            said = "".join(
                f"<li><strong>{e(check)}</strong> ({e(outcome)}): {e(message)}</li>"
                for check, outcome, message in r.details
            )
            said = f"<ul>{said}</ul>"
        else:
            said = e(r.message)
        points = (
            "to be marked" if r.points is None else f"{r.points:g}/{r.max_points:g}"
        )
        parts.append(
            f"<tr class={_class(r)}><td>{e(r.exercise)}</td><td>{e(r.question)}</td>"
            f"<td>{points}</td><td>{said}</td></tr>"
        )
    parts.append("</table>")
    return _page(f"Feedback for {learner} ({team})", "".join(parts))


def write_results(rows: Sequence[GradeRow], out: Path) -> None:
    """Write ``gradebook.csv``, ``gradebook.html`` and ``feedback/`` in ``out``."""
    out.mkdir(parents=True, exist_ok=True)
    atomic_write_text(out / "gradebook.csv", _csv(rows))
    atomic_write_text(out / "gradebook.html", _gradebook(rows))
    learners: dict[tuple[str, str], list[GradeRow]] = defaultdict(list)
    for r in rows:
        learners[(r.team, r.learner)].append(r)
    for (team, learner), items in learners.items():
        atomic_write_text(
            out / "feedback" / f"{_safe(team)}-{_safe(learner)}.html",
            _feedback(team, learner, items),
        )
