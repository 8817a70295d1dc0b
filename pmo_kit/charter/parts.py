"""
The parts of a project charter: objectives, milestones, budget, people, approval.

Small frozen dataclasses that :class:`pmo_kit.charter.Charter` is made of (and
:meth:`~pmo_kit.charter.Charter.from_dict` builds), with the charter file's
top-level keys, :data:`CHARTER_FIELDS`.
"""

from __future__ import annotations

import datetime as dt  # noqa: TC003 (dataclass fields are resolved at run time)
from dataclasses import dataclass

__all__ = [
    "CHARTER_FIELDS",
    "Approval",
    "Budget",
    "Milestone",
    "Objective",
    "ProjectManager",
    "Sponsor",
    "Stakeholder",
]

#: Top-level keys of a charter file, in the order they are written.
CHARTER_FIELDS: tuple[str, ...] = (
    "project_id",
    "title",
    "start",
    "planned_finish",
    "purpose",
    "objectives",
    "requirements",
    "scope_in",
    "scope_out",
    "milestones",
    "budget",
    "stakeholders",
    "sponsor",
    "manager",
    "assumptions",
    "constraints",
    "risks",
    "approval",
)


@dataclass(frozen=True, slots=True)
class Objective:
    """
    A success criterion: what changes, measured how, to what level, by when.

    A SMART objective has all four; ``metric``, ``target`` and ``due`` may be
    missing in a draft (the review says so).
    """

    description: str
    metric: str | None = None
    target: str | None = None
    due: dt.date | None = None


@dataclass(frozen=True, slots=True)
class Milestone:
    """A key date the sponsor cares about (a gate, a release, completion)."""

    name: str
    date: dt.date


@dataclass(frozen=True, slots=True)
class Budget:
    """
    The summary budget: the amount authorised and the contingency reserve within it.

    Examples
    --------
    >>> Budget(amount=400_000, contingency=40_000).contingency_share
    0.1
    """

    amount: float
    currency: str = "EUR"
    contingency: float | None = None

    @property
    def contingency_share(self) -> float | None:
        """Contingency as a share of the amount (None when either is missing or 0)."""
        if self.contingency is None or not self.amount:
            return None
        return self.contingency / self.amount


@dataclass(frozen=True, slots=True)
class Stakeholder:
    """Someone affected by or influencing the project, and what they care about."""

    name: str
    role: str | None = None
    interest: str | None = None


@dataclass(frozen=True, slots=True)
class Sponsor:
    """The executive who owns the business case and what they may decide."""

    name: str
    authority: str | None = None


@dataclass(frozen=True, slots=True)
class ProjectManager:
    """The project manager, their authority (tolerances) and resource id."""

    name: str
    authority: str | None = None
    resource_id: str | None = None


@dataclass(frozen=True, slots=True)
class Approval:
    """Who approved (signed) the charter, and when."""

    approved_by: str
    date: dt.date
