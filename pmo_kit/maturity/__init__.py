"""
PMO maturity: a self-assessment, its scoring, evidence from the data, a roadmap.

The questionnaire (``questionnaire.yaml``, the kit's own words) is shaped like the
public outlines of staged maturity models such as P3M3: eight PMO functions
(standards, governance, resources, risk, performance, knowledge, training,
portfolio) x five levels (1 awareness, 2 repeatable, 3 defined, 4 managed,
5 optimised), two statements per area and level, each answered 0 (not true),
1 (partly) or 2 (fully).

- :mod:`~pmo_kit.maturity.model`: the questionnaire and its loader;
- :mod:`~pmo_kit.maturity.scoring`: the published scoring rule, several raters,
  agreement (:func:`assess`);
- :mod:`~pmo_kit.maturity.roadmap`: gap to a target and ordered actions;
- :mod:`~pmo_kit.maturity.evidence`: facts from a portfolio and the challenge of
  self-ratings.

Examples
--------
>>> from pmo_kit.maturity import assess, default_questionnaire, roadmap
>>> q = default_questionnaire()
>>> a = assess({"ana": {s.id: 2 for s in q.statements if s.level <= 2}})
>>> a.levels["risk"], roadmap(a, target=3)[0].text[:40]
(2, 'Bring standards and methods to level 3 (')
"""

from __future__ import annotations

from pmo_kit.maturity.answers import SAMPLE_ANSWERS_PATH, read_answers, sample_answers
from pmo_kit.maturity.evidence import (
    AREA_FACTS,
    Challenge,
    Evidence,
    Fact,
    challenge,
    evidence,
)
from pmo_kit.maturity.model import (
    AREAS,
    DEFAULT_QUESTIONNAIRE_PATH,
    LEVEL_NAMES,
    LEVELS,
    Area,
    Questionnaire,
    Statement,
    default_questionnaire,
    load_questionnaire,
    questionnaire_from_dict,
)
from pmo_kit.maturity.roadmap import Action, Gap, dependency_depth, gaps, roadmap
from pmo_kit.maturity.scoring import (
    ANSWERS,
    AreaResult,
    Assessment,
    area_level,
    assess,
    level_achievement,
)

__all__ = [
    "ANSWERS",
    "AREAS",
    "AREA_FACTS",
    "DEFAULT_QUESTIONNAIRE_PATH",
    "LEVELS",
    "LEVEL_NAMES",
    "SAMPLE_ANSWERS_PATH",
    "Action",
    "Area",
    "AreaResult",
    "Assessment",
    "Challenge",
    "Evidence",
    "Fact",
    "Gap",
    "Questionnaire",
    "Statement",
    "area_level",
    "assess",
    "challenge",
    "default_questionnaire",
    "dependency_depth",
    "evidence",
    "gaps",
    "level_achievement",
    "load_questionnaire",
    "questionnaire_from_dict",
    "read_answers",
    "roadmap",
    "sample_answers",
]
