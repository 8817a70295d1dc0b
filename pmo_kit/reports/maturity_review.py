"""
The maturity review: what the ``maturity`` report shows, as data.

:func:`maturity_review` scores a self-assessment (several raters) with the
published rule (:mod:`pmo_kit.maturity.scoring`), sets it against a target level,
orders the roadmap, and measures the facts in the portfolio that challenge the
self-ratings; the notebook only displays the result.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd

from pmo_kit._errors import ValidationError
from pmo_kit.maturity import (
    LEVEL_NAMES,
    LEVELS,
    Action,
    Assessment,
    Challenge,
    Evidence,
    Gap,
    assess,
    challenge,
    evidence,
    gaps,
    roadmap,
)
from pmo_kit.maturity.answers import SAMPLE_ANSWERS_PATH, read_answers
from pmo_kit.reports._content import plural

if TYPE_CHECKING:
    import os

    import altair as alt

    from pmo_kit.data.portfolio import Portfolio

__all__ = ["COLUMN_LABELS", "MaturityReview", "maturity_review"]

#: How the report labels the columns of the review's tables.
COLUMN_LABELS: dict[str, str] = {
    "area": "Area",
    "title": "Area",
    "level": "Level",
    "level_name": "Stage",
    "progress": "Progress",
    "target": "Target",
    "gap": "Gap",
    "raters": "Rater levels",
    "spread": "Spread",
    "agreement": "Agreement",
    "disagree": "Raters disagree",
    "step": "Step",
    "text": "Action",
    "kit": "Kit functions",
    "fact": "Fact",
    "count": "Count",
    "total": "Out of",
    "ids": "Items",
}


@dataclass(frozen=True)
class MaturityReview:
    """
    Everything the maturity report shows.

    Attributes
    ----------
    organisation
        ``portfolio.name``.
    answers_source
        Where the answers came from (a file path, or ``"answers given"``).
    sample_answers
        True when the bundled sample self-assessment was used.
    target
        The target level of every area.
    assessment
        :func:`pmo_kit.maturity.assess` of the answers.
    table
        One row per area: ``area``, ``title``, ``level``, ``level_name``,
        ``progress``, ``target``, ``gap``, ``raters`` (each rater's level),
        ``spread``, ``agreement`` and ``disagree``.
    radar
        The radar chart's data: one row per area with ``level``, ``progress`` and
        ``target``.
    gaps
        :func:`pmo_kit.maturity.gaps` against ``target``.
    actions
        :func:`pmo_kit.maturity.roadmap` to ``target``, in order.
    evidence
        :func:`pmo_kit.maturity.evidence` on the portfolio.
    challenges
        :func:`pmo_kit.maturity.challenge`: the self-ratings the data questions.
    narrative
        The headlines.
    """

    organisation: str
    answers_source: str
    sample_answers: bool
    target: int
    assessment: Assessment
    table: pd.DataFrame
    radar: pd.DataFrame
    gaps: list[Gap]
    actions: list[Action]
    evidence: Evidence
    challenges: list[Challenge]
    narrative: list[str]

    @property
    def labels(self) -> dict[str, str]:
        """Column labels for display (:data:`COLUMN_LABELS`)."""
        return dict(COLUMN_LABELS)

    @property
    def header(self) -> dict[str, str]:
        """The report's key facts: evidence date, raters, answers, target."""
        return {
            "Evidence as of": f"{self.evidence.as_of:%a %d %b %Y}",
            "Raters": ", ".join(self.assessment.raters),
            "Answers": "sample self-assessment"
            if self.sample_answers
            else Path(self.answers_source).name,
            "Target": f"level {self.target} ({LEVEL_NAMES[self.target]})",
        }

    @property
    def roadmap_table(self) -> pd.DataFrame:
        """One row per action: ``step``, ``title``, ``level``, ``text``, ``kit``."""
        rows = [
            {
                "step": a.step,
                "title": a.title,
                "level": a.level,
                "text": a.text,
                "kit": ", ".join(a.kit),
            }
            for a in self.actions
        ]
        return pd.DataFrame(rows, columns=["step", "title", "level", "text", "kit"])

    @property
    def evidence_table(self) -> pd.DataFrame:
        """One row per measured fact: ``fact``, ``count``, ``total``, ``text``."""
        rows = [
            {"fact": f.name, "count": f.count, "total": f.total, "text": f.text}
            for f in self.evidence.facts.values()
        ]
        return pd.DataFrame(rows, columns=["fact", "count", "total", "text"])

    @property
    def challenge_lines(self) -> list[str]:
        """One sentence per challenged self-rating (or one saying there is none)."""
        if not self.challenges:
            return ["No self-rating of level 3 or above is contradicted by the data."]
        return [c.text for c in self.challenges]

    def chart(self) -> alt.LayerChart:
        """Return the radar of levels, progress and the target (altair)."""
        from pmo_kit.charts import maturity_radar_chart

        return maturity_radar_chart(self.assessment, target=self.target)

    def summary(self) -> dict[str, Any]:
        """Return the content of the report's ``summary.json``."""
        areas = {
            str(r["area"]): {
                "level": int(r["level"]),
                "progress": round(float(r["progress"]), 2),
                "gap": int(r["gap"]),
                "raters": {
                    k: int(v)
                    for k, v in self.assessment.area(
                        str(r["area"])
                    ).rater_levels.items()
                },
                "spread": int(r["spread"]),
                "agreement": round(float(r["agreement"]), 3),
                "disagree": bool(r["disagree"]),
            }
            for _, r in self.table.iterrows()
        }
        return {
            "report": "maturity",
            "organisation": self.organisation,
            "as_of": self.evidence.as_of.isoformat(),
            "answers": "sample" if self.sample_answers else self.answers_source,
            "target": self.target,
            "assessment": self.assessment.summary(),
            "areas": areas,
            "below_target": [g.area for g in self.gaps if g.gap > 0],
            "roadmap": [a.summary() for a in self.actions],
            "evidence": self.evidence.summary(),
            "challenges": [
                {
                    "area": c.area,
                    "level": c.level,
                    "facts": [f.name for f in c.facts],
                    "text": c.text,
                }
                for c in self.challenges
            ],
            "narrative": list(self.narrative),
        }


def _answers(
    answers: str | os.PathLike[str] | Mapping[str, Mapping[str, int]] | None,
) -> tuple[dict[str, dict[str, int]], str, bool]:
    if answers is None or (isinstance(answers, str) and not answers.strip()):
        return read_answers(SAMPLE_ANSWERS_PATH), str(SAMPLE_ANSWERS_PATH), True
    if isinstance(answers, Mapping):
        return {str(r): dict(a) for r, a in answers.items()}, "answers given", False
    path = Path(answers)
    return read_answers(path), str(path), False


def maturity_review(
    portfolio: Portfolio,
    answers: str | os.PathLike[str] | Mapping[str, Mapping[str, int]] | None = None,
    *,
    target: int = 3,
    as_of: Any = None,
) -> MaturityReview:
    """
    Review the PMO's maturity: self-assessment, gaps, roadmap and evidence.

    Parameters
    ----------
    portfolio
        The organisation (:func:`pmo_kit.load_portfolio`); the evidence comes
        from it.
    answers
        An answer file (YAML or CSV, :func:`pmo_kit.maturity.answers.read_answers`),
        the dict :func:`pmo_kit.maturity.assess` takes, or None (or empty text)
        for the bundled sample self-assessment of Meridian Works.
    target
        Target level of every area, 1 to 5.
    as_of
        Date the evidence is measured at (None: the latest project status date).

    Returns
    -------
    MaturityReview
        Tables, roadmap, evidence, challenges and headlines, with
        :meth:`MaturityReview.summary` for ``summary.json``.

    Raises
    ------
    ValidationError
        A bad answer file or answer (one line naming the file, row, value and
        what is allowed), or a target outside 1-5.

    Examples
    --------
    >>> import pmo_kit
    >>> review = maturity_review(pmo_kit.load_portfolio())
    >>> review.assessment.levels["governance"], review.assessment.disagreements
    (3, ('knowledge',))
    """
    if isinstance(target, bool) or not isinstance(target, int) or target not in LEVELS:
        msg = f"target: {target!r} is not a level. Allowed: an integer from 1 to 5"
        raise ValidationError(msg)
    given, source, sample = _answers(answers)
    assessment = assess(given)
    found = evidence(portfolio, as_of=as_of)
    gap_list = gaps(assessment, target)
    table = assessment.to_frame()
    table = table.assign(
        level_name=[LEVEL_NAMES.get(lv, "none") for lv in table["level"]],
        target=target,
        gap=[g.gap for g in gap_list],
        raters=[
            ", ".join(f"{r} {lv}" for r, lv in a.rater_levels.items())
            for a in assessment.areas
        ],
    )
    table = table[
        [
            "area",
            "title",
            "level",
            "level_name",
            "progress",
            "target",
            "gap",
            "raters",
            "spread",
            "agreement",
            "disagree",
        ]
    ]
    radar = pd.DataFrame(
        {
            "area": [a.area for a in assessment.areas],
            "level": [float(a.level) for a in assessment.areas],
            "progress": [a.progress for a in assessment.areas],
            "target": float(target),
        }
    )
    review = MaturityReview(
        organisation=portfolio.name,
        answers_source=source,
        sample_answers=sample,
        target=target,
        assessment=assessment,
        table=table,
        radar=radar,
        gaps=gap_list,
        actions=roadmap(assessment, target),
        evidence=found,
        challenges=challenge(assessment, found),
        narrative=[],
    )
    return replace(review, narrative=_narrative(review))


def _narrative(review: MaturityReview) -> list[str]:
    """Write the headlines of a review."""
    a = review.assessment
    levels = a.levels
    n = len(levels)
    met = [g for g in review.gaps if g.gap == 0]
    lowest = min(levels.values())
    weakest = [r.title for r in a.areas if r.level == lowest]
    lines = [
        f"{plural(len(a.raters), 'rater')} assessed {n} PMO areas: "
        f"{len(met)} of {n} reach the target level {review.target} "
        f"({LEVEL_NAMES[review.target]}).",
        f"Weakest: {', '.join(weakest)} at level {lowest}"
        + (f" ({LEVEL_NAMES[lowest]})." if lowest in LEVEL_NAMES else "."),
    ]
    if a.disagreements:
        parts = [
            f"{a.area(name).title} ("
            + ", ".join(f"{r} {lv}" for r, lv in a.area(name).rater_levels.items())
            + ")"
            for name in a.disagreements
        ]
        lines.append(
            "The raters disagree by two levels or more on "
            + "; ".join(parts)
            + ": discuss these before acting on them."
        )
    if review.actions:
        first = review.actions[0]
        lines.append(
            f"The roadmap has {plural(len(review.actions), 'step')}; first: "
            f"{first.text}"
        )
    else:
        lines.append("Every area is at or above the target: no step to take.")
    lines.append(
        f"The data questions {plural(len(review.challenges), 'self-rating')} of "
        "level 3 or above."
        if review.challenges
        else "The data does not contradict any self-rating of level 3 or above."
    )
    return lines
