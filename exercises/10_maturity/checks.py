"""
Checks of exercise 10, *Assess an organisation*: level, agreement, evidence, roadmap.

The right answers are computed here from what the notebook gives the learner: the
one-rater case and the three raters' answers are scored with the kit's published
rule (:func:`pmo_kit.maturity.assess`), the roadmap with
:func:`pmo_kit.maturity.roadmap`, and the overdue risk reviews are counted on the
learner's own data with :func:`pmo_kit.maturity.evidence`. Nothing is written down
here, so a trainer can change the answers, the target or the dataset and the checks
follow. When an answer is wrong, the check recognises the usual slips (a level
counted above a gap, "above" read for "at least", progress given for the level,
today's date for the status date, the area with the biggest gap first) and says
what went wrong. The last question is free text, graded by a small rubric.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import TYPE_CHECKING

from pmo_kit.maturity import (
    AREA_FACTS,
    LEVEL_NAMES,
    LEVELS,
    Assessment,
    assess,
    default_questionnaire,
    dependency_depth,
    evidence,
    gaps,
    level_achievement,
    roadmap,
)
from pmo_kit.training import as_number, check, fail

if TYPE_CHECKING:
    from pmo_kit.data.portfolio import Portfolio
    from pmo_kit.maturity import Area

#: Fewest words for the message to the COO (question 6).
MIN_WORDS = 25


def _whole(value: object, name: str, what: str) -> int:
    number = as_number(value, name, what=what)
    if number != int(number):
        fail(f"`{name}` = {number:g} is not a whole number: {what}.")
    return int(number)


def _case_area(case: object) -> Area:
    q = default_questionnaire()
    if not isinstance(case, Mapping) or not case:
        fail(
            "`case` is no longer the rater's answers: run the cell that defines it "
            "again (near the top of the notebook)."
        )
    areas = {str(sid).split("-")[0] for sid in case}
    if len(areas) != 1:
        fail(f"`case` should answer one area; it answers {', '.join(sorted(areas))}.")
    return q.area(areas.pop())


def _assessment(answers: object) -> Assessment:
    if not isinstance(answers, Mapping) or not answers:
        fail(
            "`answers` is no longer the three raters' answers: run the cell that "
            "loads them again (near the top of the notebook)."
        )
    return assess(answers)


def _area_name(value: object, name: str, assessment: Assessment) -> str:
    """Accept an area's name ('knowledge') or title ('knowledge management')."""
    if not isinstance(value, str):
        fail(
            f"`{name}` is a {type(value).__name__}: give the area as text, such as "
            '"risk".'
        )
    word = value.strip().lower()
    for a in assessment.areas:
        if word in (a.area, a.title.lower()):
            return a.area
    known = ", ".join(a.area for a in assessment.areas)
    fail(f"`{name}` = {value!r} is not an area of the questionnaire. Areas: {known}.")


# ------------------------------------------------------------- q1 one area's level


@check(
    hint=(
        "Per level: points scored / points possible (2 per statement). The level is "
        "the highest L such that every level 1..L reaches the threshold (0.75)."
    )
)
def q1_case_level(case: object, case_level: object) -> None:
    """
    Question 1: the level of one area for one rater, by the published rule.

    Parameters
    ----------
    case
        The rater's answers on one area, given in the notebook.
    case_level
        The learner's level, 0 to 5.
    """
    area = _case_area(case)
    assert isinstance(case, Mapping)
    threshold = default_questionnaire().threshold
    achievement = level_achievement({str(k): int(v) for k, v in case.items()}, area)
    truth = 0
    for level in LEVELS:
        if achievement[level] < threshold:
            break
        truth = level
    value = as_number(case_level, "case_level", what="the area's level, 0 to 5")
    if value == truth:
        return
    achieved = [lv for lv in LEVELS if achievement[lv] >= threshold]
    shares = ", ".join(f"level {lv}: {achievement[lv]:.2f}" for lv in LEVELS)
    first_gap = next((lv for lv in LEVELS if achievement[lv] < threshold), None)
    progress = truth + (achievement[truth + 1] if truth < LEVELS[-1] else 0.0)
    strict = 0
    for level in LEVELS:
        if achievement[level] <= threshold:
            break
        strict = level
    if achieved and value == max(achieved) and first_gap is not None:
        fail(
            f"Level {value:g} is achieved on its own, but level {first_gap} is not "
            f"({achievement[first_gap]:.2f} < {threshold:g}). The model is staged: a "
            "level counts only when every level below it is achieved too."
        )
    if value == len(achieved) and len(achieved) != truth:
        fail(
            f"You counted the achieved levels ({len(achieved)}). The level is the "
            "highest one reached without a gap below it. Achievement per level: "
            f"{shares}."
        )
    if value == strict:
        at = next(lv for lv in LEVELS if achievement[lv] == threshold)
        fail(
            f"Level {at} scores exactly {threshold:g}: the rule says a level is "
            f"achieved at *at least* {threshold:.0%} of its points, so it counts."
        )
    if abs(value - progress) < 0.005 and value != truth:
        fail(
            f"{value:g} is the progress (level + achievement of the next level). The "
            "level itself is a whole number."
        )
    fail(f"Not {value:g}. Achievement per level: {shares}; threshold {threshold:g}.")


# --------------------------------------------------------- q2 rater disagreement


@check(
    hint=(
        "Score each rater separately (assess(answers).to_frame() shows their "
        "levels); the disagreement is the spread: highest minus lowest level."
    )
)
def q2_disagreement(answers: object, most_disagreement: object) -> None:
    """
    Question 2: the area where the raters' levels are furthest apart.

    Parameters
    ----------
    answers
        The three raters' answers, loaded in the notebook.
    most_disagreement
        The learner's area name (or title).
    """
    a = _assessment(answers)
    area = _area_name(most_disagreement, "most_disagreement", a)
    widest = max(r.spread for r in a.areas)
    truth = [r.area for r in a.areas if r.spread == widest]
    if area in truth:
        return
    chosen = a.area(area)
    levels = ", ".join(f"{r} {lv}" for r, lv in chosen.rater_levels.items())
    best = a.area(truth[0])
    best_levels = ", ".join(f"{r} {lv}" for r, lv in best.rater_levels.items())
    lowest = min(r.level for r in a.areas)
    extra = (
        " A low level is not a disagreement: the raters can agree that an area is weak."
        if chosen.level == lowest
        else ""
    )
    fail(
        f"On {chosen.title} the raters give {levels}: a spread of {chosen.spread}. "
        f"On {best.title} they give {best_levels}: a spread of {best.spread}.{extra}"
    )


# ----------------------------------------------------- q3 the evidence on risks


@check(
    hint=(
        "Use pmo_kit.risk.overdue_reviews(portfolio.risks, as_of=...) at the data's "
        "status date (the latest status_date of the projects), and count the rows."
    )
)
def q3_overdue_risks(portfolio: Portfolio, overdue_risks: object) -> None:
    """
    Question 3: open risks overdue for review at the data's status date.

    Parameters
    ----------
    portfolio
        The course's organisation, loaded in the notebook.
    overdue_risks
        The learner's count.
    """
    if not hasattr(portfolio, "risks"):
        fail("`portfolio` is no longer the organisation: run the first cell again.")
    import pandas as pd

    from pmo_kit.risk import overdue_reviews

    fact = evidence(portfolio).fact("overdue_risks")
    value = as_number(
        overdue_risks, "overdue_risks", what="how many open risks are overdue"
    )
    if value == fact.count:
        return
    if 0 < value < 1 or (fact.total and abs(value - 100 * fact.count / fact.total) < 1):
        fail(
            f"{value:g} looks like a share of the open risks; give the number of "
            "overdue risks (a count)."
        )
    if value == fact.total:
        fail(
            f"{fact.total} is every open risk. Judge the reviews at the data's status "
            "date (the latest status_date), not today: at today's date every review "
            "looks late."
        )
    risks = portfolio.risks
    stamp = pd.to_datetime(portfolio.projects["status_date"]).max()
    every = len(overdue_reviews(risks.assign(status="open"), as_of=stamp))
    if value == every:
        fail(
            f"{every} counts closed risks too. Only open risks need reviews: keep "
            "status == 'open' (overdue_reviews does that for you)."
        )
    fail(
        f"Not {value:g}. Count the open risks whose last review is older than the "
        "cadence of their rating (high 14, medium 30, low 60 days) at "
        f"{stamp.date()}."
    )


# ---------------------------------------------------------------- q4 the gap


@check(
    hint=(
        "The gap of an area is max(0, target - level), with the assessed (median) "
        "level; add the gaps of all areas."
    )
)
def q4_levels_to_climb(
    answers: object, target: object, levels_to_climb: object
) -> None:
    """
    Question 4: the levels still to climb to reach the target in every area.

    Parameters
    ----------
    answers
        The three raters' answers.
    target
        The target level, given in the notebook.
    levels_to_climb
        The learner's total.
    """
    a = _assessment(answers)
    goal = _whole(target, "target", "the target level, 1 to 5")
    truth = sum(g.gap for g in gaps(a, goal))
    value = as_number(levels_to_climb, "levels_to_climb", what="a number of levels")
    if value == truth:
        return
    below = [g for g in gaps(a, goal) if g.gap > 0]
    if value == len(below) and len(below) != truth:
        fail(
            f"{len(below)} areas are below level {goal}, but some need more than one "
            f"level: {', '.join(f'{g.area} {g.gap}' for g in below)}. Add the gaps."
        )
    signed = sum(goal - r.level for r in a.areas)
    if value == signed and signed != truth:
        fail(
            "An area above the target has no gap (not a negative one): use "
            "max(0, target - level) per area."
        )
    by_progress = sum(max(0.0, goal - r.progress) for r in a.areas)
    if abs(value - by_progress) < 0.05:
        fail(
            f"{value:g} uses the progress (partial credit). A level is climbed as a "
            "whole: use the assessed level of each area."
        )
    for rater in a.raters:
        alone = sum(max(0, goal - r.rater_levels[rater]) for r in a.areas)
        if value == alone and alone != truth:
            fail(
                f"{alone:g} is the gap by {rater}'s levels alone. Use the assessed "
                "level: the median of the three raters, rounded down."
            )
    fail(f"Not {value:g}. Per area, target {goal} minus the assessed level, if above.")


# ------------------------------------------------------------ q5 the first step


@check(
    hint=(
        "The roadmap climbs the lowest level first, then starts with the area other "
        "areas build on (depends_on), then follows the questionnaire's order."
    )
)
def q5_first_step(answers: object, target: object, first_step: object) -> None:
    """
    Question 5: the area of the roadmap's first step.

    Parameters
    ----------
    answers
        The three raters' answers.
    target
        The target level.
    first_step
        The learner's area name (or title).
    """
    a = _assessment(answers)
    goal = _whole(target, "target", "the target level, 1 to 5")
    steps = roadmap(a, goal)
    if not steps:
        if first_step is None:
            return
        fail(f"Every area already reaches level {goal}: there is no step. Answer None.")
    area = _area_name(first_step, "first_step", a)
    first = steps[0]
    if area == first.area:
        return
    chosen = a.area(area)
    if chosen.level >= goal:
        fail(
            f"{chosen.title} is already at level {chosen.level}, the target is {goal}: "
            "it needs no step."
        )
    if chosen.level + 1 > first.level:
        fail(
            f"{chosen.title}'s next step reaches level {chosen.level + 1}; "
            f"{first.title} still lacks level {first.level}. Fix the basics first: "
            "the lowest level to reach comes first."
        )
    depth = dependency_depth(a.questionnaire)
    mine = a.questionnaire.area(area)
    if depth[area] > depth[first.area]:
        on = ", ".join(mine.depends_on) or "nothing"
        fail(
            f"{chosen.title} builds on {on} (dependency depth {depth[area]}); "
            f"{first.title} has depth {depth[first.area]}. Among steps to the same "
            "level, the area others build on comes first, whatever the gap."
        )
    fail(f"The first step is to level {first.level}; look again at the order rule.")


# --------------------------------------------------- q6 the message (free text)


def _mentions(text: str, *words: str) -> bool:
    return any(re.search(rf"\b{re.escape(w.lower())}\b", text) for w in words if w)


@check(
    hint=(
        f"At least {MIN_WORDS} words: how mature the PMO is (a level), one figure "
        "from the data that questions a self-rating, and the area to fix first."
    )
)
def q6_coo_message(
    answers: object, target: object, portfolio: Portfolio, coo_message: object
) -> None:
    """
    Question 6 (free text): the message to the COO, checked against a rubric.

    The rubric: enough words; a maturity level named ("level 2", "repeatable");
    a figure the data gives against a self-rating (a count of one of the facts
    that challenge a rated area); the area of the roadmap's first step. A trainer
    still reads the message: the check only says what is missing.

    Parameters
    ----------
    answers
        The three raters' answers.
    target
        The target level.
    portfolio
        The course's organisation.
    coo_message
        The learner's message.
    """
    if not isinstance(coo_message, str):
        fail(
            f"`coo_message` is a {type(coo_message).__name__}: write the message as a "
            'text between quotes ("...").'
        )
    text = " ".join(coo_message.lower().split())
    words = len(text.split())
    missing: list[str] = []
    if words < MIN_WORDS:
        missing.append(
            f"more words ({words} now, at least {MIN_WORDS}): two or three sentences"
        )
    if not (re.search(r"\blevel \d\b", text) or _mentions(text, *LEVEL_NAMES.values())):
        missing.append('a maturity level ("level 2", "repeatable", ...)')
    a = _assessment(answers)
    mapped = {name for facts in AREA_FACTS.values() for name in facts}
    figures = {
        str(f.count)
        for f in evidence(portfolio).facts.values()
        if f.count > 0 and f.name in mapped
    }
    prose = re.sub(r"\blevels? \d\b", " ", text)  # "level 1" is not a figure
    if figures and not any(re.search(rf"\b{n}\b", prose) for n in figures):
        missing.append(
            "a figure from the data that questions a self-rating (e.g. how many open "
            "risks are overdue for review)"
        )
    goal = _whole(target, "target", "the target level, 1 to 5")
    steps = roadmap(a, goal)
    if steps:
        first = steps[0]
        title_words = [w for w in first.title.split() if len(w) > 3]
        if not _mentions(text, first.area, first.title, *title_words[:1]):
            missing.append(
                f"what to fix first: the area of the roadmap's first step "
                f"({first.area})"
            )
    if missing:
        fail("Your message still needs " + "; ".join(missing) + ".")
