"""
Gap to a target level per area, and the improvement roadmap.

The roadmap has one action per area and level to reach, from the level above the
assessed one up to the target. Actions are ordered by:

1. the level they reach, lowest first (fix the basics everywhere before polishing);
2. then the area's *dependency depth*: an area that others build on comes first
   (``depends_on`` in the questionnaire; depth 0 = depends on nothing, otherwise
   1 + the deepest area it depends on);
3. then the questionnaire's order of areas.

Each action lists the statements of the level to reach (all of them: a level is
achieved as a whole), the kit practice that raises the area, the lessons that
teach it and the kit functions that support it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from pmo_kit._errors import ValidationError
from pmo_kit.maturity.model import LEVEL_NAMES, LEVELS, Questionnaire

if TYPE_CHECKING:
    from pmo_kit.maturity.scoring import Assessment

__all__ = ["Action", "Gap", "dependency_depth", "gaps", "roadmap"]


@dataclass(frozen=True, slots=True)
class Gap:
    """An area's assessed level, its target and the gap (``target - level``, >= 0)."""

    area: str
    level: int
    target: int

    @property
    def gap(self) -> int:
        """Levels still to climb (0 when the target is met)."""
        return max(0, self.target - self.level)


@dataclass(frozen=True, slots=True)
class Action:
    """
    One step of the roadmap: bring ``area`` to ``level``.

    ``statements`` are the statements of that level that must become true,
    ``practice``/``lessons``/``kit`` say how the kit helps.
    """

    step: int
    area: str
    title: str
    level: int
    statements: tuple[str, ...]
    practice: str
    lessons: tuple[str, ...]
    kit: tuple[str, ...]

    @property
    def text(self) -> str:
        """The action in one sentence."""
        lessons = ", ".join(self.lessons)
        return (
            f"Bring {self.title} to level {self.level} ({LEVEL_NAMES[self.level]}): "
            f"{self.practice} (lesson {lessons})."
        )

    def summary(self) -> dict[str, Any]:
        """Return a plain dict for reports."""
        return {
            "step": self.step,
            "area": self.area,
            "level": self.level,
            "text": self.text,
            "statements": list(self.statements),
            "lessons": list(self.lessons),
            "kit": list(self.kit),
        }


def dependency_depth(questionnaire: Questionnaire) -> dict[str, int]:
    """
    Area -> depth in the dependency graph (0 = builds on no other area).

    Examples
    --------
    >>> from pmo_kit.maturity.model import default_questionnaire
    >>> d = dependency_depth(default_questionnaire())
    >>> d["standards"], d["governance"], d["risk"], d["portfolio"]
    (0, 1, 2, 3)
    """
    deps = {a.name: a.depends_on for a in questionnaire.areas}
    depth: dict[str, int] = {}
    while len(depth) < len(deps):  # acyclic: checked when the file was loaded
        for name, on in deps.items():
            if name not in depth and all(d in depth for d in on):
                depth[name] = 1 + max((depth[d] for d in on), default=-1)
    return depth


def _targets(assessment: Assessment, target: int | Mapping[str, int]) -> dict[str, int]:
    names = assessment.questionnaire.area_names
    if isinstance(target, Mapping):
        unknown = sorted(set(target) - set(names))
        if unknown:
            msg = f"target names unknown area(s) {unknown}. Known: {', '.join(names)}"
            raise ValidationError(msg)
        out = {n: target.get(n, 0) for n in names}
    else:
        out = dict.fromkeys(names, target)
    for name, value in out.items():
        if isinstance(value, bool) or value not in (0, *LEVELS):
            msg = f"{value!r} is an invalid target for {name!r}. Allowed: 1 to 5"
            raise ValidationError(msg)
    return out


def gaps(assessment: Assessment, target: int | Mapping[str, int] = 3) -> list[Gap]:
    """
    Return the gap to a target level per area, in questionnaire order.

    Parameters
    ----------
    assessment
        From :func:`pmo_kit.maturity.assess`.
    target
        One level for every area, or area -> level (areas left out: no target).
    """
    wanted = _targets(assessment, target)
    return [Gap(a.area, a.level, wanted[a.area]) for a in assessment.areas]


def roadmap(
    assessment: Assessment, target: int | Mapping[str, int] = 3
) -> list[Action]:
    """
    Ordered improvement actions to bring every area to its target.

    Examples
    --------
    >>> from pmo_kit.maturity.scoring import assess
    >>> from pmo_kit.maturity.model import default_questionnaire
    >>> q = default_questionnaire()
    >>> a = assess({"ana": {s.id: 2 for s in q.statements if s.level == 1}})
    >>> [(x.area, x.level) for x in roadmap(a, target=2)][:3]
    [('standards', 2), ('governance', 2), ('resources', 2)]
    """
    q = assessment.questionnaire
    depth = dependency_depth(q)
    order = {n: i for i, n in enumerate(q.area_names)}
    todo: list[tuple[int, int, int, str]] = []
    for g in gaps(assessment, target):
        for level in range(g.level + 1, g.target + 1):
            todo.append((level, depth[g.area], order[g.area], g.area))
    actions: list[Action] = []
    for step, (level, _, _, name) in enumerate(sorted(todo), start=1):
        area = q.area(name)
        actions.append(
            Action(
                step=step,
                area=name,
                title=area.title,
                level=level,
                statements=tuple(s.text for s in area.at_level(level)),
                practice=area.practice,
                lessons=area.lessons,
                kit=area.kit,
            )
        )
    return actions
