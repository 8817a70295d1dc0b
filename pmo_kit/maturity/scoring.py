"""
Scoring a maturity self-assessment: the published rule, several raters, agreement.

The rule (staged, as in the public outlines of P3M3-like models)
----------------------------------------------------------------
1. Each statement is answered 0 (not true), 1 (partly true) or 2 (fully true); a
   statement a rater left out counts as 0 and is listed in ``unanswered``.
2. The *achievement* of a level in an area is the points scored on that level's
   statements divided by the points possible (2 per statement): 0.0 to 1.0.
3. A level is *achieved* when its achievement is at least the questionnaire's
   ``threshold`` (0.75 in the shipped questionnaire: with two statements, one
   "fully" and one "partly" is enough).
4. The area's *level* is the highest level L such that every level 1..L is
   achieved; 0 when level 1 is not (the area is not yet at awareness). A level
   achieved above a gap does not count (staged model).
5. *Progress* shows partial credit: ``level + achievement of level + 1`` (just
   ``level`` at level 5), e.g. 2.5 = level 2 and half of level 3.

Several raters
--------------
Each rater is scored separately with the rule above. Per area the assessment's
``level`` is the **median** of the raters' levels, rounded **down** when the median
falls between two levels (a conservative reading); ``median`` keeps the unrounded
value and ``achievement`` is the **mean** of the raters' achievements per level.
Agreement is reported two ways: ``spread`` (highest minus lowest rater level) and
``agreement`` (the share of rater pairs giving exactly the same level, 1.0 with one
rater). An area where two raters are 2 or more levels apart (``spread >= 2``) is
flagged ``disagree``: discuss it before acting on its level.
"""

from __future__ import annotations

import math
import statistics
from collections.abc import Mapping
from dataclasses import dataclass
from itertools import combinations
from typing import TYPE_CHECKING, Any

from pmo_kit._errors import ValidationError
from pmo_kit.maturity.model import LEVELS, Area, Questionnaire, default_questionnaire

if TYPE_CHECKING:
    import pandas as pd

__all__ = [
    "ANSWERS",
    "AreaResult",
    "Assessment",
    "area_level",
    "assess",
    "level_achievement",
]

#: The allowed answers: 0 not true, 1 partly true, 2 fully true.
ANSWERS: dict[int, str] = {0: "not true", 1: "partly true", 2: "fully true"}

Answers = Mapping[str, int]


def level_achievement(answers: Answers, area: Area) -> dict[int, float]:
    """
    Share of the possible points scored on each level of one area.

    Examples
    --------
    >>> from pmo_kit.maturity.model import default_questionnaire
    >>> risk = default_questionnaire().area("risk")
    >>> level_achievement({"risk-1a": 2, "risk-1b": 1}, risk)[1]
    0.75
    """
    out: dict[int, float] = {}
    for level in LEVELS:
        items = area.at_level(level)
        points = sum(answers.get(s.id, 0) for s in items)
        out[level] = points / (2 * len(items))
    return out


def area_level(achievement: Mapping[int, float], threshold: float) -> int:
    """
    Return the staged level: highest L with every level 1..L achieved (0 if none).

    Examples
    --------
    >>> area_level({1: 1.0, 2: 0.75, 3: 0.5, 4: 1.0, 5: 1.0}, 0.75)
    2
    >>> area_level({1: 0.5, 2: 1.0, 3: 1.0, 4: 1.0, 5: 1.0}, 0.75)
    0
    """
    level = 0
    for lv in LEVELS:
        if achievement.get(lv, 0.0) < threshold:
            break
        level = lv
    return level


def _progress(level: int, achievement: Mapping[int, float]) -> float:
    if level >= LEVELS[-1]:
        return float(level)
    return level + achievement[level + 1]


@dataclass(frozen=True)
class AreaResult:
    """
    The assessed level of one area, with each rater's level and their agreement.

    ``level`` is the median rater level rounded down; ``median`` is unrounded;
    ``achievement`` maps level -> mean share of points achieved; ``progress`` is
    ``level`` plus the mean achievement of the next level; ``rater_levels`` maps
    rater -> level; ``spread`` = max - min rater level; ``agreement`` = share of
    rater pairs with the same level; ``disagree`` is ``spread >= 2``.
    """

    area: str
    title: str
    level: int
    median: float
    progress: float
    achievement: dict[int, float]
    rater_levels: dict[str, int]
    spread: int
    agreement: float

    @property
    def disagree(self) -> bool:
        """True when two raters are 2 or more levels apart."""
        return self.spread >= 2


@dataclass(frozen=True)
class Assessment:
    """
    A scored self-assessment of one organisation by one or more raters.

    Build it with :func:`assess`. ``areas`` follows the questionnaire's order.
    """

    questionnaire: Questionnaire
    raters: tuple[str, ...]
    areas: tuple[AreaResult, ...]
    unanswered: dict[str, tuple[str, ...]]

    def area(self, name: str) -> AreaResult:
        """Return one area's result (unknown names raise a one-line error)."""
        self.questionnaire.area(name)
        return next(a for a in self.areas if a.area == name)

    @property
    def levels(self) -> dict[str, int]:
        """Area -> assessed level."""
        return {a.area: a.level for a in self.areas}

    @property
    def disagreements(self) -> tuple[str, ...]:
        """Areas where raters are 2 or more levels apart."""
        return tuple(a.area for a in self.areas if a.disagree)

    def summary(self) -> dict[str, Any]:
        """Return a plain dict for reports: raters, rule, levels, flags."""
        return {
            "questionnaire": self.questionnaire.name,
            "threshold": self.questionnaire.threshold,
            "raters": list(self.raters),
            "levels": self.levels,
            "progress": {a.area: round(a.progress, 2) for a in self.areas},
            "disagreements": list(self.disagreements),
            "unanswered": {r: len(ids) for r, ids in self.unanswered.items()},
        }

    def to_frame(self) -> pd.DataFrame:
        """One row per area: level, median, progress, spread, agreement, flags."""
        import pandas as pd

        rows = [
            {
                "area": a.area,
                "title": a.title,
                "level": a.level,
                "median": a.median,
                "progress": a.progress,
                "spread": a.spread,
                "agreement": a.agreement,
                "disagree": a.disagree,
                **{f"rater:{r}": lv for r, lv in a.rater_levels.items()},
            }
            for a in self.areas
        ]
        return pd.DataFrame(rows)


def _check_answers(
    rater: str, answers: Any, questionnaire: Questionnaire
) -> tuple[str, ...]:
    if not isinstance(answers, Mapping):
        msg = f"answers of rater {rater!r} must map statement id -> 0, 1 or 2"
        raise ValidationError(msg)
    known = {s.id for s in questionnaire.statements}
    for sid, value in answers.items():
        if sid not in known:
            msg = (
                f"rater {rater!r}: {sid!r} is not a statement id of "
                f"{questionnaire.source} (ids look like 'risk-3b')"
            )
            raise ValidationError(msg)
        if isinstance(value, bool) or value not in ANSWERS:
            msg = (
                f"rater {rater!r}, statement {sid!r}: {value!r} is an invalid answer. "
                "Allowed: 0 (not true), 1 (partly true), 2 (fully true)"
            )
            raise ValidationError(msg)
    return tuple(sorted(known - set(answers)))


def _agreement(levels: list[int]) -> float:
    pairs = list(combinations(levels, 2))
    if not pairs:
        return 1.0
    return sum(a == b for a, b in pairs) / len(pairs)


def assess(
    answers: Mapping[str, Answers],
    questionnaire: Questionnaire | None = None,
) -> Assessment:
    """
    Score every rater's answers and combine them per area (rule in the module doc).

    Parameters
    ----------
    answers
        Rater name -> (statement id -> 0, 1 or 2). Missing statements count 0.
    questionnaire
        Default: the questionnaire shipped with the kit.

    Raises
    ------
    ValidationError
        No rater, an unknown statement id or an answer other than 0, 1, 2.

    Examples
    --------
    >>> q = default_questionnaire()
    >>> full = {s.id: 2 for s in q.statements if s.level <= 3}
    >>> a = assess({"ana": full, "ben": {**full, "risk-1a": 0}})
    >>> a.area("governance").level, a.area("risk").rater_levels
    (3, {'ana': 3, 'ben': 0})
    >>> a.area("risk").level, a.area("risk").disagree
    (1, True)
    """
    q = questionnaire or default_questionnaire()
    if not answers:
        msg = "answers has no rater. Give rater name -> {statement id: 0, 1 or 2}"
        raise ValidationError(msg)
    unanswered = {str(r): _check_answers(str(r), a, q) for r, a in answers.items()}
    raters = tuple(str(r) for r in answers)
    results: list[AreaResult] = []
    for area in q.areas:
        per_rater = {str(r): level_achievement(a, area) for r, a in answers.items()}
        levels = {r: area_level(ach, q.threshold) for r, ach in per_rater.items()}
        median = float(statistics.median(levels.values()))
        mean_ach = {
            lv: statistics.fmean(ach[lv] for ach in per_rater.values()) for lv in LEVELS
        }
        level = math.floor(median)
        results.append(
            AreaResult(
                area=area.name,
                title=area.title,
                level=level,
                median=median,
                progress=_progress(level, mean_ach),
                achievement=mean_ach,
                rater_levels=levels,
                spread=max(levels.values()) - min(levels.values()),
                agreement=_agreement(list(levels.values())),
            )
        )
    return Assessment(q, raters, tuple(results), unanswered)
