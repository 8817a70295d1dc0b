"""
Lessons-learned widgets (lesson 09): capture a lesson, search the knowledge base.

:func:`lesson_capture` is a form in the PRINCE2 shape of a lesson (event, effect,
cause, early-warning signs, recommendation, was it a known risk?). **Check** lists
every problem :meth:`pmo_kit.kb.Lesson.problems` finds next to the form; **Save**
adds the lesson to the knowledge base only when it has none, and never clears what
was typed when it fails. :func:`lesson_search` is a search box with filters and
live ranked hits. The helpers below are pure functions, tested without a browser.
"""

from __future__ import annotations

import datetime as dt
import html
import re
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from collections.abc import Iterable, Mapping, Sequence

    from pmo_kit.data.portfolio import Portfolio
    from pmo_kit.kb import KnowledgeBase, Lesson, SearchResult

__all__ = [
    "NOT_A_KNOWN_RISK",
    "TEXT_FIELDS",
    "hits_html",
    "lesson_capture",
    "lesson_from_form",
    "lesson_search",
    "next_lesson_id",
    "problems_html",
    "risk_options",
]

#: Label of the known-risk choice for a lesson no register foresaw.
NOT_A_KNOWN_RISK = "not a known risk"
#: The free-text boxes of the capture form: field -> (label, placeholder).
TEXT_FIELDS: dict[str, tuple[str, str]] = {
    "event": ("What happened", "The event, in one or two sentences"),
    "effect": ("Effect", "What it did to the project: days, money, quality"),
    "cause": ("Root cause", "Why it happened (ask 'why?' until it is a cause)"),
    "early_warning": ("Early-warning signs", "What could have been seen coming"),
    "recommendation": ("Recommendation", "What to do next time, as an action"),
}
_ID = re.compile(r"L-(\d+)")


def next_lesson_id(lessons: Iterable[Lesson]) -> str:
    """
    Return the next free lesson id (``L-`` and 3+ digits), after the highest one.

    Lessons of the bundled starter library (``L-9001``...) are not counted.

    Examples
    --------
    >>> from pmo_kit.kb import Lesson
    >>> next_lesson_id([Lesson("L-007"), Lesson("L-031")])
    'L-032'
    >>> next_lesson_id([])
    'L-001'
    """
    from pmo_kit.kb.base import STARTER_SOURCE

    numbers = [
        int(m.group(1))
        for lesson in lessons
        if lesson.source != STARTER_SOURCE
        and (m := _ID.fullmatch(lesson.lesson_id)) is not None
    ]
    return f"L-{max(numbers, default=0) + 1:03d}"


def risk_options(portfolio: Portfolio | None, project_id: str) -> list[tuple[str, str]]:
    """
    Return the known-risk dropdown's choices for a project: (label, risk id).

    The project's risks (open ones first), then ``("not a known risk", "")``.

    Examples
    --------
    >>> from pmo_kit import load_portfolio
    >>> options = risk_options(load_portfolio(), "P-010")
    >>> options[0][1].startswith("RK-"), options[-1]
    (True, ('not a known risk', ''))
    """
    out: list[tuple[str, str]] = []
    if portfolio is not None and project_id:
        risks = portfolio.risks[portfolio.risks["project_id"] == project_id]
        risks = risks.assign(_closed=risks["status"] != "open").sort_values(
            ["_closed", "risk_id"], kind="stable"
        )
        for row in risks.itertuples(index=False):
            out.append(
                (f"{row.risk_id} · {row.title} ({row.status})", str(row.risk_id))
            )
    out.append((NOT_A_KNOWN_RISK, ""))
    return out


def lesson_from_form(values: Mapping[str, Any]) -> Lesson:
    """
    Build a :class:`~pmo_kit.kb.Lesson` from the form's values (text as typed).

    Leading and trailing spaces are dropped; tags may be separated by ``;`` or
    ``,``. Nothing is checked here: call :meth:`~pmo_kit.kb.Lesson.problems`.

    Examples
    --------
    >>> lesson = lesson_from_form({"lesson_id": " L-040 ", "tags": "vendor, delay"})
    >>> lesson.lesson_id, lesson.tags
    ('L-040', 'vendor;delay')
    """
    from pmo_kit.kb import Lesson

    data = {k: ("" if v is None else str(v)) for k, v in values.items()}
    if "tags" in data:
        data["tags"] = ";".join(
            t.strip() for t in re.split(r"[;,]", data["tags"]) if t.strip()
        )
    return Lesson.from_mapping(data)


def problems_html(problems: Sequence[str]) -> str:
    """
    Render the problems of a lesson as an HTML list (escaped); a tick when none.

    Examples
    --------
    >>> problems_html([])
    '<div class="pmo-lesson-ok">✅ Ready to save: no problems found.</div>'
    >>> "&lt;b&gt;" in problems_html(["'event' <b> is missing"])
    True
    """
    if not problems:
        return '<div class="pmo-lesson-ok">✅ Ready to save: no problems found.</div>'
    items = "".join(f"<li>{html.escape(p)}</li>" for p in problems)
    return (
        f'<div class="pmo-lesson-problems"><b>❌ {len(problems)} '
        f"problem{'s' if len(problems) > 1 else ''} to fix before saving:</b>"
        f"<ul>{items}</ul></div>"
    )


def hits_html(result: SearchResult) -> str:
    """
    Render search hits as an HTML table (rank, id, score, category, snippet).

    Every text is escaped; an empty result says so.
    """
    if not len(result):
        return "<p>No lesson matches these words and filters.</p>"
    rows = "".join(
        "<tr>"
        f"<td>{i}</td><td>{html.escape(h.lesson_id)}</td><td>{h.score:.2f}</td>"
        f"<td>{html.escape(h.lesson.category)}</td>"
        f"<td>{html.escape(h.snippet)}</td>"
        f"<td>{html.escape(h.lesson.recommendation)}</td>"
        "</tr>"
        for i, h in enumerate(result, start=1)
    )
    head = (
        "<tr><th>#</th><th>lesson</th><th>score</th><th>category</th>"
        "<th>what happened</th><th>recommendation</th></tr>"
    )
    return f'<table class="pmo-lesson-hits">{head}{rows}</table>'


def _kb_portfolio(kb: KnowledgeBase) -> Portfolio | None:
    """Return the portfolio behind a knowledge base (projects, risks), if any."""
    return kb.portfolio()


def lesson_capture(
    kb: KnowledgeBase,
    project_id: str | None = None,
    *,
    portfolio: Portfolio | None = None,
) -> Any:
    """
    Build a form to capture one lesson learned; Check lists problems, Save adds it.

    Parameters
    ----------
    kb
        The knowledge base to add to (:func:`pmo_kit.kb.open_knowledge_base` of a
        folder or a database; the bundled sample is read-only and says so on Save).
    project_id
        The project the lesson comes from, pre-selected; its risks fill the
        known-risk dropdown.
    portfolio
        The projects and risks the lesson is checked against; default: the
        knowledge base's own data.

    Returns
    -------
    ipywidgets.VBox
        The form, the problems panel, the Check and Save buttons and a status line.
        ``box.controls`` maps each lesson field (``lesson_id``, ``project_id``,
        ``date``, ``category``, ``phase``, ``methodology``, ``event``, ``effect``,
        ``cause``, ``early_warning``, ``recommendation``, ``tags``,
        ``known_risk``) and ``check``, ``save``, ``problems``, ``status`` to its
        widget; ``box.lesson()`` returns the lesson as typed; ``box.saved`` lists
        the lessons saved. Save never raises: a problem is shown, the text stays.
    """
    import ipywidgets as w

    from pmo_kit._errors import PMOError
    from pmo_kit.data.schemas import METHODOLOGIES, PHASES
    from pmo_kit.kb import CATEGORIES

    data = portfolio if portfolio is not None else _kb_portfolio(kb)
    projects = list(data.project_ids) if data is not None else []
    if project_id and project_id not in projects:
        projects.append(project_id)
    wide = w.Layout(width="95%")
    label_style = {"description_width": "150px"}

    def text(name: str, rows: int = 2) -> Any:
        label, placeholder = TEXT_FIELDS[name]
        return w.Textarea(
            description=label,
            placeholder=placeholder,
            rows=rows,
            layout=wide,
            style=label_style,
        )

    controls: dict[str, Any] = {
        "lesson_id": w.Text(
            value=next_lesson_id(kb.lessons), description="Lesson id", style=label_style
        ),
        "project_id": w.Dropdown(
            options=[("(no project: from elsewhere)", ""), *((p, p) for p in projects)],
            value=project_id or "",
            description="Project",
            style=label_style,
        ),
        "date": w.Text(
            value=dt.date.today().isoformat(),
            description="Date",
            placeholder="YYYY-MM-DD",
            style=label_style,
        ),
        "category": w.Dropdown(
            options=[("(choose a category)", ""), *((c, c) for c in CATEGORIES)],
            value="",
            description="Category",
            style=label_style,
        ),
        "phase": w.Dropdown(
            options=[("(any phase)", ""), *((p, p) for p in PHASES)],
            value="",
            description="Phase",
            style=label_style,
        ),
        "methodology": w.Dropdown(
            options=[("(any approach)", ""), *((m, m) for m in METHODOLOGIES)],
            value="",
            description="Methodology",
            style=label_style,
        ),
        **{name: text(name) for name in TEXT_FIELDS},
        "tags": w.Text(
            description="Tags",
            placeholder="words to find it by, separated by ;",
            layout=wide,
            style=label_style,
        ),
        "known_risk": w.Dropdown(
            options=risk_options(data, project_id or ""),
            value="",
            description="Known risk?",
            layout=wide,
            style=label_style,
        ),
    }
    fields = list(controls)
    check_button = w.Button(description="Check", icon="check")
    save_button = w.Button(description="Save", icon="save", button_style="primary")
    problems = w.HTML(layout=w.Layout(width="45%"))
    status = w.HTML()
    saved: list[Lesson] = []

    def values() -> dict[str, Any]:
        return {name: controls[name].value for name in fields}

    def lesson() -> Lesson:
        return lesson_from_form(values())

    def current_problems() -> list[str]:
        try:
            return lesson().problems(data)
        except PMOError as exc:
            return [str(exc)]

    def on_project(change: Mapping[str, Any]) -> None:
        known = controls["known_risk"]
        known.options = risk_options(data, str(change["new"] or ""))
        known.value = ""

    def on_check(_: Any = None) -> None:
        problems.value = problems_html(current_problems())
        status.value = ""

    def on_save(_: Any = None) -> None:
        found = current_problems()
        problems.value = problems_html(found)
        if found:
            status.value = (
                "<b>Not saved</b>: fix the problems listed, then press Save again."
            )
            return
        try:
            added = kb.add(lesson())
        except PMOError as exc:
            status.value = f"<b>Not saved</b>: {html.escape(str(exc))}"
            return
        saved.append(added)
        status.value = (
            f"✅ Saved lesson <b>{html.escape(added.lesson_id)}</b> to "
            f"{html.escape(kb.name)}."
        )
        for name in (*TEXT_FIELDS, "tags"):
            controls[name].value = ""
        controls["lesson_id"].value = next_lesson_id(kb.lessons)

    controls["project_id"].observe(on_project, names="value")
    check_button.on_click(on_check)
    save_button.on_click(on_save)
    controls.update(check=check_button, save=save_button, problems=problems)
    controls["status"] = status
    form = w.VBox([controls[name] for name in fields], layout=w.Layout(width="55%"))
    box = w.VBox(
        [
            w.HTML("<b>Capture a lesson learned</b> (PRINCE2 shape)"),
            w.HBox([form, problems]),
            w.HBox([check_button, save_button]),
            status,
        ]
    )
    box.controls = controls
    box.lesson = lesson
    box.saved = saved
    return box


def lesson_search(kb: KnowledgeBase, query: str = "", *, limit: int = 5) -> Any:
    """
    Build a search box over a knowledge base: words, filters, live ranked hits.

    Parameters
    ----------
    kb
        The knowledge base to search.
    query
        Words to start with.
    limit
        Hits shown at first (a slider changes it).

    Returns
    -------
    ipywidgets.VBox
        ``box.controls`` maps ``query``, ``category``, ``phase``, ``methodology``,
        ``tag``, ``limit`` and ``hits`` (HTML) to their widgets; ``box.result()``
        returns the current :class:`~pmo_kit.kb.SearchResult`. A bad filter shows
        one line instead of hits.
    """
    import ipywidgets as w

    from pmo_kit._errors import PMOError
    from pmo_kit.data.schemas import METHODOLOGIES, PHASES
    from pmo_kit.kb import CATEGORIES

    def dropdown(label: str, choices: Sequence[str], any_label: str) -> Any:
        return w.Dropdown(
            options=[(any_label, ""), *((c, c) for c in choices)],
            value="",
            description=label,
        )

    controls: dict[str, Any] = {
        "query": w.Text(
            value=query,
            description="Search",
            placeholder="e.g. supplier delivered late",
            continuous_update=True,
            layout=w.Layout(width="70%"),
        ),
        "category": dropdown("Category", CATEGORIES, "(any)"),
        "phase": dropdown("Phase", PHASES, "(any)"),
        "methodology": dropdown("Methodology", METHODOLOGIES, "(any)"),
        "tag": w.Text(description="Tag", placeholder="one tag"),
        "limit": w.IntSlider(value=limit, min=1, max=20, description="Hits"),
    }
    hits = w.HTML()

    def result() -> SearchResult:
        c = controls
        return kb.search(
            str(c["query"].value),
            category=c["category"].value or None,
            phase=c["phase"].value or None,
            methodology=c["methodology"].value or None,
            tags=[c["tag"].value.strip()] if c["tag"].value.strip() else [],
            limit=int(c["limit"].value),
        )

    def refresh(_: Any = None) -> None:
        try:
            hits.value = hits_html(result())
        except PMOError as exc:
            hits.value = f"<p><b>Cannot search</b>: {html.escape(str(exc))}</p>"

    for name in ("query", "category", "phase", "methodology", "tag", "limit"):
        controls[name].observe(refresh, names="value")
    controls["hits"] = hits
    refresh()
    box = w.VBox(
        [
            controls["query"],
            w.HBox([controls["category"], controls["phase"], controls["methodology"]]),
            w.HBox([controls["tag"], controls["limit"]]),
            hits,
        ]
    )
    box.controls = controls
    box.result = result
    return box
