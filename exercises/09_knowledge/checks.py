"""
Checks of exercise 09, *Find and apply lessons*: search, recommend, capture, count.

The right answers are recomputed from the learner's organisation (any dataset):
the case (the project starting now, the sponsor's words and the filter) is picked
from the data by :func:`pmo_kit.training.knowledge.knowledge_case`, search and
recommendations come
from the kit's knowledge base (:mod:`pmo_kit.kb`), a captured lesson must pass
:meth:`pmo_kit.kb.Lesson.problems`, and the counts are plain pandas. When an answer
is wrong, the check recognises the usual slips (a filter forgotten, a risk of
another project, the starter library counted in) and says what went wrong.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

import pandas as pd

from pmo_kit import ValidationError
from pmo_kit.kb import Lesson, recommend, search_lessons
from pmo_kit.kb.model import lessons_from_frame
from pmo_kit.kb.recommend import RISK_TO_LESSON_CATEGORIES
from pmo_kit.kb.search import LessonIndex
from pmo_kit.kb.text import query_words
from pmo_kit.training import check, choice_letter, fail
from pmo_kit.training.knowledge import knowledge_case

if TYPE_CHECKING:
    from pmo_kit.data.portfolio import Portfolio
    from pmo_kit.kb import Recommendation, SearchResult

#: What each letter of question 2 says.
_WHY = {
    "A": "its text matches one of the project's open risks",
    "B": "its category is the knowledge area of an open risk (no text match)",
    "C": "it applies to the same methodology, nothing more",
    "D": "it was recorded by the project itself",
}


def _portfolio(portfolio: object) -> Portfolio:
    if not hasattr(portfolio, "lessons") or not hasattr(portfolio, "risks"):
        fail("`portfolio` is no longer the organisation: run the first cell again.")
    return portfolio  # type: ignore[return-value]


def newest_project(portfolio: Portfolio) -> str:
    """Return the project starting now: the case's project (see knowledge_case)."""
    return knowledge_case(portfolio).project_id


def case_search(portfolio: Portfolio) -> SearchResult:
    """Return question 1's search: the case's words among its category's lessons."""
    case = knowledge_case(portfolio)
    return search_lessons(
        portfolio.lessons,
        case.query,
        category=case.category,
        limit=10,
        projects=portfolio.projects,
    )


def top_lessons(portfolio: Portfolio) -> list[str]:
    """Return the lessons ranked first by question 1's search (ties included)."""
    result = case_search(portfolio)
    if not result.hits:  # knowledge_case only picks a search with hits
        case = knowledge_case(portfolio)
        fail(
            f"This question cannot be marked on {portfolio.name}: no "
            f"{case.category} lesson matches {case.query!r}."
        )
    best = result.hits[0].score
    return [h.lesson_id for h in result.hits if abs(h.score - best) < 1e-9]


def first_recommendation(portfolio: Portfolio) -> Recommendation:
    """Return the first lesson recommended for the newest project."""
    project = newest_project(portfolio)
    recs = recommend(project, portfolio, limit=5)
    if not recs:
        fail(
            f"This question cannot be marked on {portfolio.name}: no lesson is "
            f"recommended for {project}."
        )
    return recs[0]


def known_risks(portfolio: Portfolio) -> set[str]:
    """
    Return the open risks of the newest project that question 1's lesson is about.

    The open risks whose text matches the lesson best, and those whose category is
    answered by the lesson's category (a supplier risk for a procurement lesson).
    """
    project = newest_project(portfolio)
    lesson_id = top_lessons(portfolio)[0]
    risks = portfolio.risks
    open_risks = risks[(risks["project_id"] == project) & (risks["status"] == "open")]
    methodology = dict(
        zip(
            portfolio.projects["project_id"],
            portfolio.projects["methodology"],
            strict=True,
        )
    )
    index = LessonIndex(lessons_from_frame(portfolio.lessons), methodology)
    lesson = index.lessons[lesson_id]
    scores = {
        str(r.risk_id): index.score(
            lesson_id, query_words(f"{r.title} {r.event} {r.cause}")
        )
        for r in open_risks.itertuples(index=False)
    }
    best = max(scores.values(), default=0.0)
    found = {k for k, s in scores.items() if best > 0 and s >= best - 1e-9}
    found |= {
        str(r.risk_id)
        for r in open_risks.itertuples(index=False)
        if lesson.category in RISK_TO_LESSON_CATEGORIES.get(str(r.category), ())
    }
    if not found:
        fail(
            f"This question cannot be marked on {portfolio.name}: no open risk of "
            f"{project} is about lesson {lesson_id}."
        )
    return found


def _lesson_id(value: object, name: str) -> str:
    if value is Ellipsis:
        fail(f"`{name}` is still `...`.")
    if not isinstance(value, str):
        fail(
            f"`{name}` is a {type(value).__name__}: give the lesson id as text, such "
            'as "L-001".'
        )
    return value.strip().upper()


@check(
    hint=(
        "kb.search(case.query, category=case.category) and take the first hit's "
        "lesson_id."
    )
)
def q1_top_lesson(portfolio: Portfolio, top_lesson: object) -> None:
    """
    Question 1: the top lesson of the case's category for the sponsor's words.

    Parameters
    ----------
    portfolio
        The course's organisation.
    top_lesson
        The learner's lesson id.
    """
    portfolio = _portfolio(portfolio)
    answer = _lesson_id(top_lesson, "top_lesson")
    truth = top_lessons(portfolio)
    if answer in truth:
        return
    lessons = portfolio.lessons.set_index("lesson_id")
    if answer not in lessons.index:
        fail(
            f"{top_lesson!r} is not a lesson of {portfolio.name} (starter-library "
            "lessons such as L-9001 are not in your organisation's data)."
        )
    case = knowledge_case(portfolio)
    unfiltered = search_lessons(
        portfolio.lessons, case.query, limit=1, projects=portfolio.projects
    )
    category = str(lessons.loc[answer, "category"])
    if unfiltered.lesson_ids[:1] == [answer] and category != case.category:
        fail(
            f"{answer} is the top hit without a filter, but it is a {category!r} "
            f"lesson. The PMO asked for {case.category} lessons: add "
            f"category={case.category!r}."
        )
    if category != case.category:
        fail(f"{answer} is a {category!r} lesson; filter on {case.category!r}.")
    fail(
        f"{answer} is a {case.category} lesson, but not the best match for "
        f"{case.query!r}: take the first hit (hits come best first)."
    )


@check(
    hint=(
        "recs = kb.recommend(project_id); recs[0].lesson_id, and read recs[0].reasons."
    )
)
def q2_recommendation(portfolio: Portfolio, recommended: object, why: object) -> None:
    """
    Question 2: the first lesson recommended for the newest project, and why.

    Parameters
    ----------
    portfolio
        The course's organisation.
    recommended
        The learner's lesson id.
    why
        The learner's letter, A to D.
    """
    portfolio = _portfolio(portfolio)
    answer = _lesson_id(recommended, "recommended")
    first = first_recommendation(portfolio)
    project = newest_project(portfolio)
    if answer != first.lesson_id:
        own = portfolio.lessons.loc[
            portfolio.lessons["project_id"] == project, "lesson_id"
        ]
        if answer in set(own):
            fail(
                f"{answer} was recorded by {project} itself: recommend() leaves a "
                "project's own lessons out (the team knows them)."
            )
        recs = [r.lesson_id for r in recommend(project, portfolio, limit=5)]
        if answer in recs:
            place = recs.index(answer) + 1
            fail(
                f"{answer} is recommended, but in place {place}: give the first one "
                f"({project}'s recommendations come best first)."
            )
        fail(
            f"{answer} is not the first recommendation for {project}: run "
            f"kb.recommend({project!r}) and take recs[0].lesson_id."
        )
    letter = choice_letter(why, "why")
    reasons = first.reasons
    if any(r.startswith("matches open risk") for r in reasons):
        truth = "A"
    elif any(r.startswith("category ") for r in reasons):
        truth = "B"
    else:
        truth = "C"
    if letter == truth:
        return
    shown = "; ".join(reasons)
    fail(
        f"{letter} says {_WHY[letter]}; the reasons recommend() gives for "
        f"{first.lesson_id} are: {shown}."
    )


@check(
    hint=(
        "Give every PRINCE2 part: lesson_id, project_id, date (YYYY-MM-DD), "
        "category, event, effect, cause, recommendation."
    ),
    points=2,
)
def q3_my_lesson(portfolio: Portfolio, my_lesson: object) -> None:
    """
    Question 3: a lesson written by the learner, that passes every check.

    Parameters
    ----------
    portfolio
        The course's organisation.
    my_lesson
        The learner's lesson, a dict.
    """
    portfolio = _portfolio(portfolio)
    if isinstance(my_lesson, Lesson):
        lesson = my_lesson
    elif isinstance(my_lesson, Mapping):
        try:
            lesson = Lesson.from_mapping({str(k): v for k, v in my_lesson.items()})
        except ValidationError as exc:
            fail(f"`my_lesson`: {exc}.")
    else:
        fail(
            f"`my_lesson` is a {type(my_lesson).__name__}: write the lesson as a dict, "
            '{"lesson_id": "L-...", "event": "...", ...}.'
        )
    problems = lesson.problems(portfolio)
    if problems:
        fail(
            f"{len(problems)} problem{'s' if len(problems) > 1 else ''}: "
            + "; ".join(problems)
        )
    project = newest_project(portfolio)
    if lesson.project_id != project:
        fail(
            f"project_id is {lesson.project_id or 'empty'}; this lesson is "
            f"{project}'s: set project_id to {project!r}."
        )
    taken = set(portfolio.lessons["lesson_id"])
    if lesson.lesson_id in taken:
        numbers = [int(i[2:]) for i in taken if i[2:].isdigit()]
        fail(
            f"lesson_id {lesson.lesson_id!r} is already used in {portfolio.name}: "
            f"take a new one, e.g. L-{max(numbers, default=0) + 1:03d}."
        )
    if len(lesson.recommendation.split()) < 4:
        fail(
            f"The recommendation {lesson.recommendation!r} is too short to act on: "
            "write what to do next time, as an action (4 words or more)."
        )


@check(
    hint=(
        "List the newest project's open risks (portfolio.risks) and find the one "
        "the lesson of question 1 warns about."
    )
)
def q4_known_risk(portfolio: Portfolio, known_risk: object) -> None:
    """
    Question 4: which open risk of the newest project the lesson of q1 is about.

    Parameters
    ----------
    portfolio
        The course's organisation.
    known_risk
        The learner's risk id.
    """
    portfolio = _portfolio(portfolio)
    if not isinstance(known_risk, str):
        fail(
            f"`known_risk` is a {type(known_risk).__name__}: give the risk id as "
            'text, such as "RK-001".'
        )
    answer = known_risk.strip().upper()
    truth = known_risks(portfolio)
    if answer in truth:
        return
    project = newest_project(portfolio)
    risks = portfolio.risks.set_index("risk_id")
    if answer not in risks.index:
        fail(f"{known_risk!r} is not a risk of {portfolio.name}.")
    risk = risks.loc[answer]
    if risk["project_id"] != project:
        fail(
            f"{answer} is a risk of {risk['project_id']}; the question is about "
            f"{project}'s register."
        )
    if risk["status"] != "open":
        fail(f"{answer} is {risk['status']}; look at {project}'s open risks.")
    lesson_id = top_lessons(portfolio)[0]
    case = knowledge_case(portfolio)
    fail(
        f"{answer} '{risk['title']}' is a {risk['category']} risk; lesson "
        f"{lesson_id} is a {case.category} lesson, found for the project's "
        f"{case.risk_category} risk. Which open risk would the lesson have warned "
        "about?"
    )


@check(
    hint=(
        "portfolio.lessons['category'].value_counts(): one count per category, "
        "from your organisation's lessons only."
    )
)
def q5_per_category(portfolio: Portfolio, per_category: object) -> None:
    """
    Question 5: the number of lessons per category.

    Parameters
    ----------
    portfolio
        The course's organisation.
    per_category
        The learner's counts, a Series (or dict) category -> count.
    """
    portfolio = _portfolio(portfolio)
    if isinstance(per_category, pd.DataFrame) and per_category.shape[1] == 1:
        per_category = per_category.iloc[:, 0]
    if isinstance(per_category, Mapping):
        per_category = pd.Series(dict(per_category))
    if not isinstance(per_category, pd.Series):
        fail(
            f"`per_category` is a {type(per_category).__name__}: give a Series "
            "category -> number of lessons (value_counts gives one)."
        )
    truth = portfolio.lessons["category"].value_counts()
    given = per_category.rename(index=str)
    given = given[given != 0]
    if set(given.index) == set(truth.index) and all(
        float(given[k]) == float(truth[k]) for k in truth.index
    ):
        return
    if float(given.sum()) > 0 and abs(float(given.sum()) - 1.0) < 1e-6:
        fail(
            "These are shares (they add up to 1): give the number of lessons per "
            "category (value_counts without normalize=True)."
        )
    if float(given.sum()) > len(portfolio.lessons):
        fail(
            f"Your counts add up to {given.sum():g} lessons, but {portfolio.name} "
            f"has {len(portfolio.lessons)}: kb.lessons also holds the starter "
            "library. Count portfolio.lessons."
        )
    extra = sorted(set(given.index) - set(truth.index))
    if extra:
        fail(
            f"{', '.join(map(repr, extra[:3]))} are not lesson categories: count "
            "the 'category' column."
        )
    wrong = [k for k in truth.index if float(given.get(k, 0)) != float(truth[k])]
    fail(
        f"The count of {wrong[0]!r} is {given.get(wrong[0], 0):g}; count "
        "portfolio.lessons by 'category'."
    )
