"""
Words the whole kit shares, written once: the stage-gate vocabulary, and counts.

Gate names, gate decisions and criterion kinds are used by the data schemas (the
values ``gates.csv`` allows), the governance domain (the decision rule, the
compliance scan), charts, widgets and exercises. They live here, in a module with
no imports of its own, so every layer can import them without an import cycle
(the data layer sits below :mod:`pmo_kit.governance`). :mod:`pmo_kit.governance`
re-exports them. :func:`plural` words a count the same way in every narrative
("1 person in 1 role", "28 people").

Examples
--------
>>> GATES[0], DECISIONS
('G0', ('Go', 'Hold', 'Recycle', 'Kill'))
>>> decision_name(" recycle "), decision_name("proceed") is None
('Recycle', True)
"""

from __future__ import annotations

from typing import Literal

__all__ = [
    "DECISIONS",
    "GATES",
    "GATE_DECISIONS",
    "GATE_REQUIREMENTS",
    "PHASE_GATES",
    "Decision",
    "decision_name",
    "plural",
]

#: The gates of the life cycle, in order.
GATES = ("G0", "G1", "G2", "G3", "G4", "G5")

#: A gate decision as the decision rule states it.
Decision = Literal["Go", "Hold", "Recycle", "Kill"]

#: The four gate decisions, as the rule states them (capitalised).
DECISIONS: tuple[Decision, ...] = ("Go", "Hold", "Recycle", "Kill")

#: The same decisions as ``gates.csv`` records them (lower case).
GATE_DECISIONS: tuple[str, ...] = tuple(d.lower() for d in DECISIONS)

#: Criterion kinds: ``must`` is a knock-out (met or not), ``should`` is scored 0..5.
GATE_REQUIREMENTS = ("must", "should")

#: The gate a project must have passed to be in each phase.
PHASE_GATES: dict[str, str] = {
    "initiation": "G0",
    "planning": "G1",
    "execution": "G2",
    "closing": "G4",
    "closed": "G5",
}


def decision_name(text: object) -> Decision | None:
    """
    Return a decision written in any case (``" recycle "``) as the rule names it.

    Returns None when ``text`` is not one of :data:`DECISIONS`.
    """
    key = str(text).strip().lower()
    for decision in DECISIONS:
        if decision.lower() == key:
            return decision
    return None


def plural(count: int, word: str, many: str | None = None) -> str:
    """
    Return ``count`` and ``word``, in the plural unless the count is one.

    Examples
    --------
    >>> plural(1, "person", "people"), plural(28, "person", "people")
    ('1 person', '28 people')
    >>> plural(1, "role"), plural(0, "role"), plural(1200, "risk")
    ('1 role', '0 roles', '1,200 risks')
    """
    return f"{count:,} {word if count == 1 else (many or word + 's')}"
