"""
Evidence from a portfolio's data that can challenge a self-assessment.

:func:`evidence` computes facts from a :func:`pmo_kit.load_portfolio` portfolio,
each with the ids behind it; :func:`challenge` turns them into plain statements
such as "You rate risk management level 4, but 13 of 42 open risks are overdue for
review and the charters of two projects past initiation are unapproved."

Definitions (every number comes from the data):

- ``as_of``: the latest ``status_date`` in the projects table (or the date given);
- *open risks overdue for review*: :func:`pmo_kit.risk.overdue_reviews` at
  ``as_of`` with the risk matrix's cadence (high 14, medium 30, low 60 days);
- *unapproved charters*: projects past initiation (phase planning or later) whose
  charter is missing or records no approval;
- *no baseline*: projects in execution, closing or closed with no task, or a task
  without ``baseline_start``/``baseline_finish``;
- *no status*: projects in execution, closing or closed with no row in ``status``;
- *gate overrides*: gate reviews whose recorded decision differs from the rule's
  (:func:`pmo_kit.governance.gate_decisions`, column ``overridden``);
- *closed projects without lessons*: phase ``closed`` and no row in ``lessons``.

The challenge rule: an area rated at ``from_level`` (default 3, *defined*) or above
is challenged by every fact mapped to it (:data:`AREA_FACTS`) whose count is not 0.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import datetime as dt

    from pmo_kit.data.portfolio import Portfolio
    from pmo_kit.maturity.scoring import Assessment

__all__ = ["AREA_FACTS", "Challenge", "Evidence", "Fact", "challenge", "evidence"]

#: Which facts challenge which area's rating.
AREA_FACTS: dict[str, tuple[str, ...]] = {
    "standards": ("unapproved_charters", "no_baseline"),
    "governance": ("unapproved_charters", "gate_overrides"),
    "risk": ("overdue_risks", "unapproved_charters"),
    "performance": ("no_baseline", "no_status"),
    "knowledge": ("closed_without_lessons",),
    "portfolio": ("no_status", "gate_overrides"),
}

_WORDS = ("no", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine")


def _n(count: int) -> str:
    return _WORDS[count] if 0 <= count < len(_WORDS) else f"{count:,}"


@dataclass(frozen=True, slots=True)
class Fact:
    """
    One measured fact: ``count`` items (``ids``) out of ``total``.

    ``text`` is the fact as a clause, e.g. "13 of 42 open risks are overdue for
    review".
    """

    name: str
    count: int
    total: int
    ids: tuple[str, ...]
    text: str


@dataclass(frozen=True)
class Evidence:
    """The facts measured on one portfolio at ``as_of`` (see the module doc)."""

    as_of: dt.date
    facts: dict[str, Fact] = field(default_factory=dict)
    lessons_per_closed_project: dict[str, int] = field(default_factory=dict)

    def fact(self, name: str) -> Fact:
        """Return one fact by name (see :data:`AREA_FACTS`)."""
        return self.facts[name]

    def summary(self) -> dict[str, Any]:
        """Return a plain dict for reports: fact -> count, total, ids, text."""
        return {
            "as_of": self.as_of.isoformat(),
            "facts": {
                n: {
                    "count": f.count,
                    "total": f.total,
                    "ids": list(f.ids),
                    "text": f.text,
                }
                for n, f in self.facts.items()
            },
            "lessons_per_closed_project": dict(self.lessons_per_closed_project),
        }


@dataclass(frozen=True, slots=True)
class Challenge:
    """A self-rating that the data questions: the area, its rating and the facts."""

    area: str
    level: int
    facts: tuple[Fact, ...]
    text: str


def _join(parts: list[str]) -> str:
    return parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]


def _ids(ids: list[str]) -> str:
    shown = ", ".join(ids[:3])
    return f" ({shown}{', ...' if len(ids) > 3 else ''})" if ids else ""


def evidence(portfolio: Portfolio, *, as_of: Any = None) -> Evidence:
    """
    Measure the facts that can challenge a self-assessment.

    Parameters
    ----------
    portfolio
        From :func:`pmo_kit.load_portfolio`.
    as_of
        Date the risk reviews are judged at; default the latest project
        ``status_date``.

    Examples
    --------
    >>> from pmo_kit import load_portfolio
    >>> ev = evidence(load_portfolio())
    >>> ev.fact("overdue_risks").total > 0
    True
    """
    import pandas as pd

    from pmo_kit.governance import gate_decisions
    from pmo_kit.risk import overdue_reviews

    projects = portfolio.projects
    stamp = pd.Timestamp(
        as_of if as_of is not None else pd.to_datetime(projects["status_date"]).max()
    ).normalize()
    facts: dict[str, Fact] = {}

    risks = portfolio.risks
    open_risks = int((risks["status"] == "open").sum())
    late = sorted(str(r) for r in overdue_reviews(risks, as_of=stamp)["risk_id"])
    facts["overdue_risks"] = Fact(
        "overdue_risks",
        len(late),
        open_risks,
        tuple(late),
        f"{len(late):,} of {open_risks:,} open risks "
        f"{'is' if len(late) == 1 else 'are'} overdue for review",
    )

    phase = dict(
        zip(projects["project_id"].astype(str), projects["phase"], strict=True)
    )
    past_init = [p for p, ph in phase.items() if ph != "initiation"]
    unapproved = [
        p
        for p in past_init
        if p not in portfolio.charters or not portfolio.charters[p].is_approved
    ]
    n = len(unapproved)
    facts["unapproved_charters"] = Fact(
        "unapproved_charters",
        n,
        len(past_init),
        tuple(unapproved),
        f"the {'charter' if n == 1 else 'charters'} of {_n(n)} "
        f"{'project' if n == 1 else 'projects'} past initiation "
        f"{'is' if n == 1 else 'are'} unapproved{_ids(unapproved)}",
    )

    running = [p for p, ph in phase.items() if ph in ("execution", "closing", "closed")]
    tasks = portfolio.tasks
    complete = (
        tasks.assign(
            ok=tasks["baseline_start"].notna() & tasks["baseline_finish"].notna()
        )
        .groupby(tasks["project_id"].astype(str))["ok"]
        .all()
    )
    no_baseline = [p for p in running if not bool(complete.get(p, False))]
    reported = set(portfolio.status["project_id"].astype(str))
    no_status = [p for p in running if p not in reported]
    for name, ids, what in (
        ("no_baseline", no_baseline, "no complete baseline"),
        ("no_status", no_status, "no status report"),
    ):
        facts[name] = Fact(
            name,
            len(ids),
            len(running),
            tuple(ids),
            f"{len(ids):,} of {len(running):,} projects past planning "
            f"{'has' if len(ids) == 1 else 'have'} {what}{_ids(ids)}",
        )

    decisions = gate_decisions(portfolio.gates)
    over = decisions[decisions["overridden"]]
    over_ids = [
        f"{p} {g}" for p, g in zip(over["project_id"], over["gate"], strict=True)
    ]
    facts["gate_overrides"] = Fact(
        "gate_overrides",
        len(over_ids),
        len(decisions),
        tuple(over_ids),
        f"{len(over_ids):,} of {len(decisions):,} gate decisions overrode the gate rule"
        f"{_ids(over_ids)}",
    )

    closed = [p for p, ph in phase.items() if ph == "closed"]
    counts = portfolio.lessons["project_id"].astype(str).value_counts()
    per_closed = {p: int(counts.get(p, 0)) for p in closed}
    without = [p for p, c in per_closed.items() if c == 0]
    facts["closed_without_lessons"] = Fact(
        "closed_without_lessons",
        len(without),
        len(closed),
        tuple(without),
        f"{len(without):,} of {len(closed):,} closed projects "
        f"{'has' if len(without) == 1 else 'have'} no lessons recorded{_ids(without)}",
    )
    return Evidence(stamp.date(), facts, per_closed)


def challenge(
    assessment: Assessment, found: Evidence, *, from_level: int = 3
) -> list[Challenge]:
    """
    Return the self-ratings the data questions (rule in the module doc).

    Parameters
    ----------
    assessment
        From :func:`pmo_kit.maturity.assess`.
    found
        From :func:`evidence`.
    from_level
        Ratings at this level or above are challenged (default 3, *defined*).

    Examples
    --------
    >>> import datetime as dt
    >>> from pmo_kit.maturity import assess, default_questionnaire
    >>> q = default_questionnaire()
    >>> a = assess({"ana": {s.id: 2 for s in q.statements if s.level <= 4}})
    >>> f = Fact(
    ...     "overdue_risks", 13, 42, (), "13 of 42 open risks are overdue for review"
    ... )
    >>> ev = Evidence(dt.date(2026, 6, 26), {"overdue_risks": f})
    >>> challenge(a, ev)[0].text
    'You rate risk management level 4, but 13 of 42 open risks are overdue for review.'
    """
    out: list[Challenge] = []
    for result in assessment.areas:
        if result.level < from_level:
            continue
        facts = tuple(
            found.facts[name]
            for name in AREA_FACTS.get(result.area, ())
            if name in found.facts and found.facts[name].count > 0
        )
        if facts:
            text = (
                f"You rate {result.title} level {result.level}, but "
                f"{_join([f.text for f in facts])}."
            )
            out.append(Challenge(result.area, result.level, facts, text))
    return out
