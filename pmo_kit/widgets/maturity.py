"""
The maturity questionnaire widget (lesson 10): answer it, watch the levels move.

One area at a time (a dropdown), each statement with a 0 / 1 / 2 toggle, the level
of every area updated live and the radar redrawn. ``widget.answers`` gives the
dict :func:`pmo_kit.maturity.assess` takes. The helpers below are pure functions,
tested without a browser.
"""

from __future__ import annotations

import html
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from collections.abc import Mapping

    import ipywidgets

    from pmo_kit.maturity import Questionnaire

__all__ = [
    "ANSWER_OPTIONS",
    "answer_levels",
    "levels_html",
    "maturity_questionnaire",
    "rater_answers",
]

#: The toggle's choices: label -> answer.
ANSWER_OPTIONS: tuple[tuple[str, int], ...] = (
    ("0 not true", 0),
    ("1 partly", 1),
    ("2 fully", 2),
)


def answer_levels(
    answers: Mapping[str, int], questionnaire: Questionnaire | None = None
) -> dict[str, tuple[int, float]]:
    """
    Score one rater's answers: area -> (level, progress).

    Uses the published rule (:func:`pmo_kit.maturity.assess`); statements left
    out count 0.

    Examples
    --------
    >>> from pmo_kit.maturity import default_questionnaire
    >>> q = default_questionnaire()
    >>> answer_levels({"risk-1a": 2, "risk-1b": 1, "risk-2a": 2}, q)["risk"]
    (1, 1.5)
    """
    from pmo_kit.maturity import assess

    a = assess({"you": dict(answers)}, questionnaire)
    return {r.area: (r.level, r.progress) for r in a.areas}


def rater_answers(rater: str, answers: Mapping[str, int]) -> dict[str, dict[str, int]]:
    """
    Return ``{rater: answers}``, the dict :func:`pmo_kit.maturity.assess` takes.

    Examples
    --------
    >>> rater_answers("ana", {"risk-1a": 2})
    {'ana': {'risk-1a': 2}}
    """
    return {rater: {k: int(v) for k, v in answers.items()}}


def levels_html(
    levels: Mapping[str, tuple[int, float]],
    questionnaire: Questionnaire | None = None,
    *,
    current: str | None = None,
) -> str:
    """
    Render area -> (level, progress) as a small HTML table (escaped).

    The ``current`` area is shown in bold.

    Examples
    --------
    >>> from pmo_kit.maturity import default_questionnaire
    >>> q = default_questionnaire()
    >>> "<b>risk management</b>" in levels_html({"risk": (2, 2.5)}, q, current="risk")
    True
    """
    from pmo_kit.maturity import LEVEL_NAMES, default_questionnaire

    q = questionnaire or default_questionnaire()
    rows = []
    for name, (level, progress) in levels.items():
        title = html.escape(q.area(name).title)
        if name == current:
            title = f"<b>{title}</b>"
        stage = html.escape(LEVEL_NAMES.get(level, "none"))
        rows.append(
            f"<tr><td>{title}</td><td>level {level} ({stage})</td>"
            f"<td>progress {progress:.2f}</td></tr>"
        )
    return f'<table class="pmo-maturity-levels">{"".join(rows)}</table>'


def maturity_questionnaire(
    questionnaire: Questionnaire | None = None,
    *,
    answers: Mapping[str, int] | None = None,
    rater: str = "you",
) -> ipywidgets.VBox:
    """
    Build the self-assessment widget: one area at a time, levels and radar live.

    Parameters
    ----------
    questionnaire
        Default: the questionnaire shipped with the kit.
    answers
        Starting answers (statement id -> 0, 1 or 2); others start at 0.
    rater
        The rater's name in :attr:`answers`.

    Returns
    -------
    ipywidgets.VBox
        A dropdown of areas, the current area's statements with a 0/1/2 toggle
        each, the level of every area and the radar. ``box.answers`` is
        ``{rater: {statement id: answer}}`` (what :func:`pmo_kit.maturity.assess`
        takes); ``box.toggles`` maps statement id -> toggle, ``box.area`` is the
        dropdown and ``box.levels`` the HTML of levels.
    """
    import ipywidgets as widgets

    from pmo_kit.charts import maturity_radar_chart
    from pmo_kit.maturity import LEVEL_NAMES, assess, default_questionnaire
    from pmo_kit.widgets._output import chart_output

    q = questionnaire or default_questionnaire()
    start = dict(answers or {})
    unknown = [sid for sid in start if sid not in {s.id for s in q.statements}]
    if unknown:
        from pmo_kit._errors import ValidationError

        msg = (
            f"answers: {unknown[0]!r} is not a statement id of {q.source}. "
            "Allowed: ids like 'risk-3b'"
        )
        raise ValidationError(msg)
    toggles: dict[str, Any] = {}
    pages: dict[str, Any] = {}
    for area in q.areas:
        rows: list[Any] = []
        for level in range(1, 6):
            rows.append(
                widgets.HTML(
                    f"<b>Level {level} ({html.escape(LEVEL_NAMES[level])})</b>"
                )
            )
            for s in area.at_level(level):
                toggle = widgets.ToggleButtons(
                    options=list(ANSWER_OPTIONS),
                    value=int(start.get(s.id, 0)),
                    style={"button_width": "90px"},
                )
                toggles[s.id] = toggle
                rows.append(
                    widgets.HBox(
                        [
                            widgets.HTML(
                                html.escape(s.text),
                                layout=widgets.Layout(width="460px"),
                            ),
                            toggle,
                        ]
                    )
                )
        pages[area.name] = widgets.VBox(rows)
    chooser = widgets.Dropdown(
        options=[(a.title, a.name) for a in q.areas],
        value=q.areas[0].name,
        description="Area",
    )
    page = widgets.Box([pages[chooser.value]])
    levels = widgets.HTML()
    chart = widgets.Output()

    def _answers() -> dict[str, int]:
        return {sid: int(t.value) for sid, t in toggles.items()}

    def _refresh(_: Any = None) -> None:
        current = _answers()
        levels.value = levels_html(answer_levels(current, q), q, current=chooser.value)
        chart.outputs = chart_output(
            maturity_radar_chart(assess({rater: current}, q), target=None)
        )

    def _on_area(change: dict[str, Any]) -> None:
        page.children = (pages[change["new"]],)
        _refresh()

    chooser.observe(_on_area, names="value")
    for toggle in toggles.values():
        toggle.observe(_refresh, names="value")
    _refresh()

    class _Questionnaire(widgets.VBox):  # type: ignore[misc]
        @property
        def answers(self) -> dict[str, dict[str, int]]:
            """``{rater: {statement id: answer}}`` as :func:`assess` takes it."""
            return rater_answers(rater, _answers())

    box = _Questionnaire([chooser, page, levels, chart])
    box.toggles = toggles
    box.area = chooser
    box.levels = levels
    result: ipywidgets.VBox = box
    return result
