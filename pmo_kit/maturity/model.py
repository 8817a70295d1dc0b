"""
The maturity questionnaire: areas (PMO functions) x five levels x statements.

The questionnaire is data (``questionnaire.yaml`` in this package, in the kit's own
words). :func:`load_questionnaire` reads and validates a questionnaire file; every
problem is reported in one line naming the file and the item.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pmo_kit._errors import ValidationError

if TYPE_CHECKING:
    import os

__all__ = [
    "AREAS",
    "DEFAULT_QUESTIONNAIRE_PATH",
    "LEVELS",
    "LEVEL_NAMES",
    "Area",
    "Questionnaire",
    "Statement",
    "default_questionnaire",
    "load_questionnaire",
    "questionnaire_from_dict",
]

#: The maturity levels, 1 (lowest) to 5.
LEVELS: tuple[int, ...] = (1, 2, 3, 4, 5)

#: The name of each level.
LEVEL_NAMES: dict[int, str] = {
    1: "awareness",
    2: "repeatable",
    3: "defined",
    4: "managed",
    5: "optimised",
}

#: The PMO functions the shipped questionnaire assesses, in its order.
AREAS: tuple[str, ...] = (
    "standards",
    "governance",
    "resources",
    "risk",
    "performance",
    "knowledge",
    "training",
    "portfolio",
)

#: The questionnaire shipped with the kit.
DEFAULT_QUESTIONNAIRE_PATH = Path(__file__).with_name("questionnaire.yaml")


@dataclass(frozen=True, slots=True)
class Statement:
    """One statement a rater answers 0 (not true), 1 (partly) or 2 (fully)."""

    id: str
    area: str
    level: int
    text: str


@dataclass(frozen=True, slots=True)
class Area:
    """
    One assessed PMO function.

    ``practice`` is the kit practice that raises it, ``lessons`` the course lessons
    that teach it (``"01"`` .. ``"07"``), ``kit`` the kit functions that support it
    and ``depends_on`` the areas it builds on (they come first in a roadmap).
    """

    name: str
    title: str
    practice: str
    lessons: tuple[str, ...]
    kit: tuple[str, ...]
    depends_on: tuple[str, ...]
    statements: tuple[Statement, ...]

    def at_level(self, level: int) -> tuple[Statement, ...]:
        """Return the statements of one level."""
        return tuple(s for s in self.statements if s.level == level)


@dataclass(frozen=True, slots=True)
class Questionnaire:
    """
    A validated questionnaire.

    ``threshold`` is the share (0-1] of a level's points an area needs for that
    level to count as achieved (see :mod:`pmo_kit.maturity.scoring`).

    Examples
    --------
    >>> q = default_questionnaire()
    >>> len(q.areas), len(q.statements), q.threshold
    (8, 80, 0.75)
    >>> q.statement("risk-3b").text
    'Every open risk is reviewed on the cadence its rating requires.'
    """

    name: str
    threshold: float
    level_descriptions: dict[int, str]
    areas: tuple[Area, ...]
    source: str = "questionnaire"

    @property
    def statements(self) -> tuple[Statement, ...]:
        """Every statement, area by area, level by level."""
        return tuple(s for a in self.areas for s in a.statements)

    @property
    def area_names(self) -> tuple[str, ...]:
        """The area names in questionnaire order."""
        return tuple(a.name for a in self.areas)

    def area(self, name: str) -> Area:
        """Return one area by name; unknown names raise a one-line error."""
        for a in self.areas:
            if a.name == name:
                return a
        msg = (
            f"{name!r} is not an area of {self.source}. "
            f"Known areas: {', '.join(self.area_names)}"
        )
        raise ValidationError(msg)

    def statement(self, statement_id: str) -> Statement:
        """Return one statement by id (``<area>-<level><letter>``)."""
        for s in self.statements:
            if s.id == statement_id:
                return s
        msg = f"{statement_id!r} is not a statement id of {self.source}"
        raise ValidationError(msg)


def _fail(source: str, item: str, problem: str) -> ValidationError:
    return ValidationError(f"{source}: {item}: {problem}")


def _text_list(value: Any, source: str, item: str) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(
        isinstance(v, str) and v.strip() for v in value
    ):
        raise _fail(source, item, f"{value!r} is not a list of non-empty texts")
    return tuple(value)


def _area(name: Any, raw: Any, source: str) -> Area:
    item = f"area {name!r}"
    if not isinstance(name, str) or not isinstance(raw, dict):
        raise _fail(source, item, "must be a name mapped to its fields")
    missing = [
        k for k in ("title", "practice", "lessons", "kit", "statements") if k not in raw
    ]
    if missing:
        raise _fail(source, item, f"missing field(s) {', '.join(missing)}")
    lessons = tuple(str(x) for x in _text_list(raw["lessons"], source, item))
    bad = [x for x in lessons if x not in {f"0{i}" for i in range(1, 8)}]
    if bad:
        raise _fail(source, item, f"lessons {bad} unknown. Allowed: 01 .. 07")
    raw_statements = raw["statements"]
    if not isinstance(raw_statements, dict) or set(raw_statements) != set(LEVELS):
        raise _fail(source, f"{item} statements", "need exactly the levels 1 to 5")
    statements: list[Statement] = []
    for level in LEVELS:
        texts = _text_list(raw_statements[level], source, f"{item} level {level}")
        if not texts:
            raise _fail(source, f"{item} level {level}", "has no statements")
        for i, text in enumerate(texts):
            sid = f"{name}-{level}{chr(ord('a') + i)}"
            statements.append(Statement(sid, name, level, text))
    return Area(
        name=name,
        title=str(raw["title"]),
        practice=str(raw["practice"]),
        lessons=lessons,
        kit=_text_list(raw["kit"], source, f"{item} kit"),
        depends_on=_text_list(raw.get("depends_on", []), source, f"{item} depends_on"),
        statements=tuple(statements),
    )


def _check_dependencies(areas: tuple[Area, ...], source: str) -> None:
    names = {a.name for a in areas}
    for a in areas:
        unknown = sorted(set(a.depends_on) - names)
        if unknown:
            raise _fail(
                source,
                f"area {a.name!r} depends_on",
                f"unknown area(s) {unknown}. Known: {', '.join(sorted(names))}",
            )
    deps = {a.name: set(a.depends_on) for a in areas}
    done: set[str] = set()
    while len(done) < len(deps):
        ready = {n for n, d in deps.items() if n not in done and d <= done}
        if not ready:
            cycle = sorted(set(deps) - done)
            raise _fail(source, "depends_on", f"a cycle among the areas {cycle}")
        done |= ready


def questionnaire_from_dict(data: Any, source: str = "questionnaire") -> Questionnaire:
    """Build and validate a questionnaire from parsed YAML (see the module)."""
    if not isinstance(data, dict):
        raise _fail(source, "top level", "must be a mapping with levels and areas")
    threshold = data.get("threshold", 0.75)
    if (
        isinstance(threshold, bool)
        or not isinstance(threshold, int | float)
        or not 0 < threshold <= 1
    ):
        raise _fail(
            source, "threshold", f"{threshold!r} is invalid. Allowed: 0 < x <= 1"
        )
    levels = data.get("levels")
    if not isinstance(levels, dict) or set(levels) != set(LEVELS):
        raise _fail(source, "levels", "need exactly the levels 1 to 5")
    descriptions: dict[int, str] = {}
    for level in LEVELS:
        raw = levels[level]
        if not isinstance(raw, dict) or not isinstance(raw.get("description"), str):
            raise _fail(source, f"level {level}", "needs a description text")
        descriptions[level] = raw["description"]
    raw_areas = data.get("areas")
    if not isinstance(raw_areas, dict) or not raw_areas:
        raise _fail(source, "areas", "must map each area name to its fields")
    areas = tuple(_area(name, raw, source) for name, raw in raw_areas.items())
    _check_dependencies(areas, source)
    return Questionnaire(
        name=str(data.get("name", "PMO maturity self-assessment")),
        threshold=float(threshold),
        level_descriptions=descriptions,
        areas=areas,
        source=source,
    )


def load_questionnaire(path: str | os.PathLike[str]) -> Questionnaire:
    """
    Read and validate a questionnaire YAML file.

    Parameters
    ----------
    path
        The file; see ``questionnaire.yaml`` in this package for the format.

    Raises
    ------
    ValidationError
        One line naming the file, the item and what is wrong.
    """
    import yaml

    file = Path(path)
    try:
        data = yaml.safe_load(file.read_text(encoding="utf-8"))
    except OSError as exc:
        msg = f"{file}: cannot read the questionnaire ({exc.strerror})"
        raise ValidationError(msg) from None
    except yaml.YAMLError as exc:
        first = str(exc).splitlines()[0] if str(exc) else "invalid YAML"
        msg = f"{file}: not valid YAML ({first})"
        raise ValidationError(msg) from None
    return questionnaire_from_dict(data, source=str(file))


def default_questionnaire() -> Questionnaire:
    """Return the questionnaire shipped with the kit."""
    return load_questionnaire(DEFAULT_QUESTIONNAIRE_PATH)
