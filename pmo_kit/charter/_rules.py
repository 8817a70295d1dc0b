"""The review rules behind :func:`pmo_kit.charter.review_charter` (private)."""

from __future__ import annotations

import datetime as dt
import itertools
import math
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import pandas as pd

from pmo_kit.charter.findings import FINDING_CODES, Finding

if TYPE_CHECKING:
    from collections.abc import Mapping

    from pmo_kit.charter.model import Charter

__all__ = ["ProjectFacts", "Review"]

#: Words that say which way, not how far: fine in a description next to a metric.
_VAGUE_WORDS = frozenset(
    {
        "improve",
        "improved",
        "improving",
        "enhance",
        "enhanced",
        "optimise",
        "optimize",
        "optimised",
        "optimized",
        "streamline",
        "streamlined",
        "better",
        "strengthen",
        "maximise",
        "maximize",
        "minimise",
        "minimize",
        "modernise",
        "modernize",
    }
)
#: A target made only of these words (and no number) cannot be measured.
_VAGUE_TARGET_WORDS = frozenset(
    {
        "better",
        "improved",
        "higher",
        "lower",
        "more",
        "less",
        "faster",
        "good",
        "high",
        "significant",
        "significantly",
        "increased",
        "reduced",
        "tbd",
        "tbc",
        "n/a",
        "na",
        "as",
        "possible",
        "soon",
        "much",
        "substantial",
        "substantially",
    }
)
_WORD = re.compile(r"[a-z/]+")
_LONG_AFTER_FINISH = dt.timedelta(days=365)


def _as_date(value: Any) -> dt.date | None:
    if value is None:
        return None
    if isinstance(value, float) and math.isnan(value):
        return None
    if value is pd.NaT:
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str) and value.strip():
        try:
            return pd.Timestamp(value).date()
        except ValueError:
            return None
    return None


def _as_text(value: Any) -> str | None:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    text = str(value).strip()
    return text or None


@dataclass(frozen=True, slots=True)
class ProjectFacts:
    """What the project register says about the project (all optional)."""

    start: dt.date | None = None
    planned_finish: dt.date | None = None
    phase: str | None = None
    budget: float | None = None
    sponsor: str | None = None
    manager: str | None = None

    @classmethod
    def of(cls, project: Mapping[str, Any] | pd.Series | None) -> ProjectFacts:
        if project is None:
            return cls()
        get = project.get
        budget = get("budget")
        number = (
            float(budget)
            if isinstance(budget, int | float) and not isinstance(budget, bool)
            else None
        )
        if number is not None and math.isnan(number):
            number = None
        return cls(
            start=_as_date(get("start")),
            planned_finish=_as_date(get("planned_finish")),
            phase=_as_text(get("phase")),
            budget=number,
            sponsor=_as_text(get("sponsor")),
            manager=_as_text(get("manager")),
        )


def _fmt(day: dt.date) -> str:
    return day.isoformat()


class Review:
    """Apply every rule to one charter; ``findings`` collects what they raise."""

    def __init__(self, charter: Charter, facts: ProjectFacts) -> None:
        self.c = charter
        self.facts = facts
        self.findings: list[Finding] = []
        self.start = charter.start or facts.start
        self.finish = charter.planned_finish or facts.planned_finish

    def add(self, code: str, field: str, message: str, fix: str, **kw: str) -> None:
        severity = kw.get("severity", FINDING_CODES[code][0])
        self.findings.append(Finding(code, severity, field, message, fix))

    # -- purpose and objectives
    def purpose(self) -> None:
        if not self.c.purpose:
            self.add(
                "no-purpose",
                "purpose",
                "The charter does not say why the project exists.",
                "Write one or two sentences: the problem or opportunity, and why now.",
            )

    def objectives(self) -> None:
        if not self.c.objectives:
            self.add(
                "no-objectives",
                "objectives",
                "The charter has no objectives, so nobody can tell whether the "
                "project succeeded.",
                "Add 2-4 objectives, each with a metric, a target and a due date.",
            )
            return
        # a benefit is often measured after the project closes: compare with the
        # finish, or failing that the last milestone
        last = max((m.date for m in self.c.milestones), default=None)
        finish, finish_name = (
            (self.finish, "the planned finish")
            if self.finish
            else (last, "the last milestone")
        )
        for i, objective in enumerate(self.c.objectives):
            path = f"objectives[{i}]"
            name = f"Objective {i + 1} {objective.description!r}"
            words = set(_WORD.findall(objective.description.lower()))
            vague = sorted(words & _VAGUE_WORDS)
            if objective.metric is None:
                why = (
                    f" {vague[0].capitalize()!r} says which way, not how far."
                    if vague
                    else ""
                )
                self.add(
                    "objective-no-metric",
                    f"{path}.metric",
                    f"{name} has no metric: what will be measured?{why}",
                    "Name the measure, e.g. 'working days to month-end close'.",
                )
            if objective.target is None:
                self.add(
                    "objective-no-target",
                    f"{path}.target",
                    f"{name} has no target: what value counts as success?",
                    "Give the level to reach, with today's value if known, e.g. "
                    "'5 days (today 9)'.",
                )
            elif not re.search(r"\d", objective.target) and (
                set(_WORD.findall(objective.target.lower())) <= _VAGUE_TARGET_WORDS
            ):
                self.add(
                    "objective-vague-target",
                    f"{path}.target",
                    f"{name} has the target {objective.target!r}, which cannot be "
                    "measured.",
                    "State a number or a yes/no outcome, e.g. '25% below the 2025 "
                    "baseline'.",
                )
            if objective.due is None:
                self.add(
                    "objective-no-due-date",
                    f"{path}.due",
                    f"{name} has no due date: by when?",
                    "Give the date the target must be reached (YYYY-MM-DD).",
                )
            else:
                if self.start and objective.due < self.start:
                    self.add(
                        "objective-due-before-start",
                        f"{path}.due",
                        f"{name} is due {_fmt(objective.due)}, before the project "
                        f"starts ({_fmt(self.start)}).",
                        "Correct the due date: a project cannot deliver before it "
                        "starts.",
                    )
                if finish and objective.due > finish + _LONG_AFTER_FINISH:
                    months = (objective.due - finish).days // 30
                    self.add(
                        "objective-long-after-finish",
                        f"{path}.due",
                        f"{name} is due {_fmt(objective.due)}, about {months} months "
                        f"after {finish_name} ({_fmt(finish)}).",
                        "Bring the date within a year of the finish, or name who "
                        "measures the benefit after the project closes.",
                    )
            if vague and objective.metric is not None:
                self.add(
                    "objective-vague-wording",
                    f"{path}.description",
                    f"{name} uses {vague[0]!r}: the metric carries the meaning, the "
                    "wording does not.",
                    "Say the change itself, e.g. 'Close the books in 5 days'.",
                )
            elif vague:  # no metric: the advice repeats the error's point
                self.add(
                    "objective-vague-wording",
                    f"{path}.description",
                    f"{name} uses {vague[0]!r}, which is not specific.",
                    "Say what changes and how far, e.g. 'Close the books in 5 days'.",
                )

    # -- scope and milestones
    def scope(self) -> None:
        if not self.c.scope_in:
            self.add(
                "no-scope-in",
                "scope_in",
                "Nothing is listed in scope: what will the project deliver?",
                "List the deliverables and the areas the project covers.",
            )
        if not self.c.scope_out:
            self.add(
                "no-scope-out",
                "scope_out",
                "Nothing is listed out of scope, so every request looks like part "
                "of the project (scope creep).",
                "List what people might expect but the project will NOT do, e.g. "
                "'Consolidation of subsidiaries'.",
            )

    def milestones(self) -> None:
        items = self.c.milestones
        if not items:
            self.add(
                "no-milestones",
                "milestones",
                "The charter has no milestones.",
                "Add the key dates: gates, releases and completion.",
            )
            return
        for i, m in enumerate(items):
            path = f"milestones[{i}].date"
            if self.finish and m.date > self.finish:
                self.add(
                    "milestone-after-finish",
                    path,
                    f"Milestone {m.name!r} is on {_fmt(m.date)}, after the planned "
                    f"finish ({_fmt(self.finish)}).",
                    "Move the milestone on or before the planned finish, or ask the "
                    "sponsor to approve a later finish.",
                )
            if self.start and m.date < self.start:
                self.add(
                    "milestone-before-start",
                    path,
                    f"Milestone {m.name!r} is on {_fmt(m.date)}, before the project "
                    f"starts ({_fmt(self.start)}).",
                    "Correct the date or the project start.",
                )
        for i, (a, b) in enumerate(itertools.pairwise(items)):
            if b.date < a.date:
                self.add(
                    "milestones-out-of-order",
                    f"milestones[{i + 1}].date",
                    f"Milestone {b.name!r} ({_fmt(b.date)}) comes after {a.name!r} in "
                    f"the list but is dated earlier ({_fmt(a.date)}).",
                    "Check the dates; list milestones in date order.",
                )

    # -- budget
    def budget(self, low: float, high: float) -> None:
        b = self.c.budget
        if b is None:
            self.add(
                "no-budget",
                "budget",
                "The charter has no summary budget.",
                "State the amount authorised, its currency and the contingency.",
            )
            return
        if not b.contingency:
            self.add(
                "no-contingency",
                "budget.contingency",
                f"The budget of {b.currency} {b.amount:,.0f} has no contingency: "
                "any risk that occurs becomes an overrun.",
                f"Hold a contingency reserve, typically {low:.0%}-{high:.0%} of the "
                "budget, sized from the risk register.",
            )
        else:
            share = b.contingency_share
            if share is not None and not low <= share <= high:
                side = "low" if share < low else "high"
                self.add(
                    "contingency-out-of-band",
                    "budget.contingency",
                    f"Contingency is {share:.1%} of the budget, unusually {side} "
                    f"(usual band {low:.0%}-{high:.0%}).",
                    "Size the contingency from the risks (EMV or Monte Carlo P80) "
                    "and explain it.",
                )
        register = self.facts.budget
        if register and abs(b.amount - register) > 0.005 * register:
            self.add(
                "budget-differs",
                "budget.amount",
                f"The charter's budget ({b.amount:,.0f}) differs from the project "
                f"register ({register:,.0f}).",
                "Align the register and the charter, or record the approved change.",
            )

    # -- people
    def people(self) -> None:
        sponsor, manager = self.c.sponsor, self.c.manager
        if sponsor is None:
            self.add(
                "no-sponsor",
                "sponsor",
                "No sponsor is named: nobody owns the business case or can decide "
                "beyond the PM's tolerances.",
                "Name the executive sponsor and what they may decide.",
            )
        else:
            if not sponsor.authority:
                self.add(
                    "sponsor-no-authority",
                    "sponsor.authority",
                    f"The sponsor {sponsor.name} is named but their authority is not "
                    "stated.",
                    "Say what the sponsor decides, e.g. 'approves changes to budget, "
                    "scope and objectives beyond the PM's tolerances'.",
                )
            registered = self.facts.sponsor
            if registered and registered != sponsor.name:
                self.add(
                    "sponsor-differs",
                    "sponsor.name",
                    f"The charter names {sponsor.name} as sponsor; the project "
                    f"register says {registered}.",
                    "Align the register and the charter.",
                )
        if manager is None:
            self.add(
                "no-manager",
                "manager",
                "No project manager is named.",
                "Name the PM and their authority (budget and schedule tolerances).",
            )
        else:
            if not manager.authority:
                self.add(
                    "manager-no-authority",
                    "manager.authority",
                    f"The project manager {manager.name} has no stated authority.",
                    "State the PM's tolerances, e.g. 'budget within 5%, schedule "
                    "within 10 working days'.",
                )
            registered = self.facts.manager
            if registered and manager.resource_id and registered != manager.resource_id:
                self.add(
                    "manager-differs",
                    "manager.resource_id",
                    f"The charter's PM is {manager.resource_id}; the project register "
                    f"says {registered}.",
                    "Align the register and the charter.",
                )
            if sponsor is not None and sponsor.name == manager.name:
                self.add(
                    "sponsor-is-manager",
                    "manager.name",
                    f"{manager.name} is both sponsor and project manager: nobody "
                    "holds the PM to account.",
                    "Name a different sponsor or PM.",
                )
        if not self.c.stakeholders:
            self.add(
                "no-stakeholders",
                "stakeholders",
                "No stakeholders are listed.",
                "List who is affected or has influence, with their interest.",
            )

    # -- approval
    def approval(self) -> None:
        approval = self.c.approval
        if approval is None:
            if self.facts.phase == "initiation":
                self.add(
                    "not-approved",
                    "approval",
                    "The charter is not approved yet (the project is in initiation).",
                    "Have the sponsor approve it before the project leaves initiation.",
                    severity="warning",
                )
            else:
                phase = f" although the project is in {self.facts.phase}" * bool(
                    self.facts.phase
                )
                self.add(
                    "not-approved",
                    "approval",
                    f"The charter is not approved{phase}: nothing authorises the "
                    "project or the PM to spend.",
                    "Get the sponsor's signature and record approved_by and date.",
                )
            return
        sponsor = self.c.sponsor
        if sponsor is not None and approval.approved_by != sponsor.name:
            self.add(
                "approved-by-not-sponsor",
                "approval.approved_by",
                f"Approved by {approval.approved_by}, not by the sponsor "
                f"{sponsor.name}.",
                "The sponsor approves the charter; record their approval.",
            )
        if self.finish and approval.date > self.finish:
            self.add(
                "approval-after-finish",
                "approval.date",
                f"Approved on {_fmt(approval.date)}, after the planned finish "
                f"({_fmt(self.finish)}).",
                "Correct the date; a charter approved after the fact authorises "
                "nothing.",
            )
        passed = [
            m
            for m in self.c.milestones
            if "charter" not in m.name.lower() and m.date < approval.date
        ]
        if passed:
            self.add(
                "approved-late",
                "approval.date",
                f"Approved on {_fmt(approval.date)}, after milestone "
                f"{passed[0].name!r} ({_fmt(passed[0].date)}): work went ahead "
                "without an approved charter.",
                "Approve the charter before the first gate after initiation.",
            )

    # -- the remaining lists
    def lists(self) -> None:
        rules = [
            ("requirements", "no-requirements", "high-level requirements"),
            ("risks", "no-risks", "high-level risks"),
            ("assumptions", "no-assumptions", "assumptions"),
            ("constraints", "no-constraints", "constraints"),
        ]
        for name, code, what in rules:
            if not getattr(self.c, name):
                self.add(
                    code,
                    name,
                    f"No {what} are listed.",
                    f"List the main {what}; each is a line in the charter.",
                )
