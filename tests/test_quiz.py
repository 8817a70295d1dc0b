"""The question bank: every lesson has a quiz, answers and explanations are sound."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from pmo_kit import ValidationError
from pmo_kit.training.quiz import QUIZ_FOLDER, load_quiz, quiz_lessons
from pmo_kit.widgets.quiz import quiz_widget

if TYPE_CHECKING:
    from pathlib import Path

LESSONS = ["00", "01", "02", "03", "04", "05", "06", "07", "08", "09", "10", "11"]


def test_every_lesson_has_a_quiz_of_three_or_more() -> None:
    assert quiz_lessons() == LESSONS
    for lesson in LESSONS:
        quiz = load_quiz(lesson)
        assert quiz.lesson == lesson
        assert len(quiz.questions) >= 3, lesson


def test_the_pmo_profession_is_covered() -> None:
    text = " ".join(
        q.text + " " + " ".join(q.options.values()) + " ".join(q.explain.values())
        for q in load_quiz("00").questions
    )
    for term in ("PMP", "CAPM", "PRINCE2", "PMI-ACP", "PMO analyst", "coordinator",
                 "PMO manager", "specialist", "initiation", "closing"):  # fmt: skip
        assert term in text, term


@pytest.mark.parametrize("lesson", LESSONS)
def test_the_right_answer_is_right_and_every_other_is_wrong(lesson: str) -> None:
    for question in load_quiz(lesson).questions:
        assert question.grade(question.answer).correct, question.id
        if question.kind == "choice":
            for letter in question.options:
                if letter != question.answer:
                    result = question.grade(letter.lower())
                    assert not result.correct
                    assert result.message.startswith("Not quite.")
                    assert len(result.message) > len("Not quite. ")
        else:
            assert isinstance(question.answer, float)
            off = question.answer + question.tolerance + 1
            assert not question.grade(off).correct


def test_numeric_answers_hand_checked() -> None:
    """The arithmetic of the numeric questions, done here by hand."""
    assert load_quiz("02").question("risk-score").answer == 4 * 3
    assert load_quiz("03").question("pert-mean").answer == (4 + 4 * 6 + 14) / 6
    assert load_quiz("04").question("utilisation").answer == 48 / 32 * 100
    assert load_quiz("05").question("cpi").answer == 450_000 / 500_000
    assert load_quiz("05").question("eac").answer == 1_000_000 / 0.8
    assert load_quiz("06").question("littles-law").answer == 2 * 5
    weighted = (2 * 4 + 1 * 3 + 1 * 5) / 4
    assert load_quiz("08").question("weighted-score").answer == weighted


def test_answers_people_type() -> None:
    cpi = load_quiz("05").question("cpi")
    assert cpi.grade(" 0.9 ").correct
    assert cpi.grade("0.90").correct
    assert not cpi.grade("ninety").correct
    assert cpi.grade("ninety").message == "Answer with a number, such as 12.5."
    assert load_quiz("04").question("utilisation").grade("150%").correct
    choice = load_quiz("00").question("pmo-types")
    assert choice.grade("A)").correct
    assert choice.grade("E").message == "Answer with one letter: A, B, C, D."


def test_score_counts_against_the_whole_quiz() -> None:
    quiz = load_quiz("05")
    score = quiz.score({"cpi": 0.9, "eac": 1, "spi-meaning": "B"})
    assert (score.correct, score.total, str(score)) == (2, 3, "2/3 correct")


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("lesson: '09'\nquestions:\n- {id: a, kind: essay, question: x, answer: 1}\n",
         "kind 'essay' is not allowed"),
        ("lesson: '09'\nquestions:\n- {id: a, kind: choice, question: x, answer: C,"
         " options: {A: a, B: b}, explain: {A: a, B: b}}\n", "'C' is not one of"),
        ("lesson: '09'\nquestions:\n- {id: a, kind: choice, question: x, answer: A,"
         " options: {A: a, B: b}, explain: {A: a}}\n", "option B has no explanation"),
        ("lesson: '09'\nquestions:\n- {id: a, kind: numeric, question: x, answer: 1}\n"
         "- {id: a, kind: numeric, question: y, answer: 2}\n", "'a' is used twice"),
        ("lesson: '09'\nquestions:\n- {id: a, kind: numeric, question: x, answer: z}\n",
         "needs a number answer"),
    ],
)  # fmt: skip
def test_a_broken_bank_is_one_line(tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / "09_mine.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ValidationError, match=message) as info:
        load_quiz(str(path))
    assert str(path) in str(info.value)
    assert "\n" not in str(info.value)


def test_unknown_lesson_names_the_ones_there_are() -> None:
    with pytest.raises(
        ValidationError, match=r"no quiz for lesson '42'.*Allowed: 00, 01"
    ):
        load_quiz("42")
    assert QUIZ_FOLDER.is_dir()


def test_widget_grades_what_is_answered() -> None:
    box = quiz_widget("03")
    fields = [
        c for c in box.children if hasattr(c, "value") and not hasattr(c, "on_click")
    ]
    radios = [f for f in fields if type(f).__name__ == "RadioButtons"]
    texts = [f for f in fields if type(f).__name__ == "Text"]
    radios[0].value = "B"  # critical path: right
    texts[0].value = "6"  # PERT mean: wrong
    box.grade()
    page = box.children[-1].value
    assert "1/3 correct</b>, 1 not answered" in page
    assert "Not quite. The PERT mean weighs the most likely value four times" in page
