"""A quick-quiz widget: one lesson's questions, checked with their explanations."""

from __future__ import annotations

import html
from typing import TYPE_CHECKING, Any

from pmo_kit.training.quiz import Quiz, QuizResult, load_quiz

if TYPE_CHECKING:
    import ipywidgets

__all__ = ["quiz_results_html", "quiz_widget"]


def quiz_results_html(quiz: Quiz, results: list[QuizResult]) -> str:
    """
    Render graded answers: the score line, then each question's verdict and why.

    Examples
    --------
    >>> from pmo_kit.training.quiz import load_quiz
    >>> quiz = load_quiz("03")
    >>> page = quiz_results_html(quiz, quiz.grade({"pert-mean": "7"}))
    >>> "1/3 correct" in page, "42 / 6 = 7 days" in page
    (True, True)
    """
    right = sum(r.correct for r in results)
    rows = []
    for result in results:
        mark = "✔" if result.correct else "✘"
        colour = "#1b7a3a" if result.correct else "#b42318"
        text = html.escape(quiz.question(result.question).text)
        rows.append(
            f'<li><span style="color:{colour};font-weight:bold">{mark}</span> '
            f"{text}<br><span>{html.escape(result.message)}</span></li>"
        )
    open_count = len(quiz.questions) - len(results)
    tail = f", {open_count} not answered" if open_count else ""
    return (
        f'<div class="pmo-quiz-results"><p><b>{right}/{len(quiz.questions)} '
        f"correct</b>{tail}</p><ul>{''.join(rows)}</ul></div>"
    )


def quiz_widget(lesson: str) -> ipywidgets.VBox:
    """
    Build the quiz of ``lesson`` (``"00"`` to ``"07"``) as a widget.

    Multiple-choice questions are radio buttons, numeric ones a text box; *Check
    my answers* grades what is answered and explains each verdict.
    """
    import ipywidgets as widgets

    quiz = load_quiz(lesson)
    inputs: dict[str, Any] = {}
    rows: list[Any] = [widgets.HTML(f"<h3>Quiz: {html.escape(quiz.title)}</h3>")]
    for number, question in enumerate(quiz.questions, start=1):
        label = widgets.HTML(f"<b>{number}.</b> {html.escape(question.text)}")
        if question.kind == "choice":
            field: Any = widgets.RadioButtons(
                options=[(f"{k}) {v}", k) for k, v in sorted(question.options.items())],
                value=None,
                layout=widgets.Layout(width="auto"),
            )
        else:
            field = widgets.Text(placeholder="a number", description="Answer")
        inputs[question.id] = field
        rows += [label, field]
    button = widgets.Button(description="Check my answers", button_style="primary")
    out = widgets.HTML()

    def grade(_button: Any = None) -> None:
        answers = {
            key: field.value
            for key, field in inputs.items()
            if field.value not in (None, "")
        }
        out.value = quiz_results_html(quiz, quiz.grade(answers))

    button.on_click(grade)
    box = widgets.VBox([*rows, button, out])
    box.add_class("pmo-quiz")
    box.grade = grade  # for tests and notebooks
    return box
