"""
The project charter as data: one YAML file per project, read into dataclasses.

The file format is the one of ``datasets/meridian/charters/*.yaml`` (read and
written by :mod:`pmo_kit.charter.files`). Building a charter checks its *structure*
(types, required fields, dates, numbers, unknown keys) and reports every problem at
once, naming the file and the field path (``objectives[0].due``, counted from 0 as
in Python). Whether the *content* is good enough for a PMO reviewer is a separate
question, answered by :meth:`Charter.check`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from pmo_kit.charter._reader import charter_fields
from pmo_kit.charter.parts import (
    CHARTER_FIELDS,
    Approval,
    Budget,
    Milestone,
    Objective,
    ProjectManager,
    Sponsor,
    Stakeholder,
)
from pmo_kit.charter.render import to_html, to_markdown
from pmo_kit.charter.review import review_charter

if TYPE_CHECKING:
    from collections.abc import Mapping

    import pandas as pd

    from pmo_kit.charter.findings import Finding

__all__ = [
    "CHARTER_FIELDS",
    "Approval",
    "Budget",
    "Charter",
    "Milestone",
    "Objective",
    "ProjectManager",
    "Sponsor",
    "Stakeholder",
]


@dataclass(frozen=True, slots=True)
class Charter:
    """
    A project charter: the document that authorises a project.

    Build one from a file with :func:`load_charter`, from a dict with
    :meth:`from_dict`; review it with :meth:`check`; write it with
    :func:`save_charter`. Lists are tuples, so a charter cannot change under a
    reviewer's feet: edit ``charter.to_dict()`` and build a new one.

    Examples
    --------
    >>> charter = Charter.from_dict({"project_id": "P-099", "title": "Pilot"})
    >>> charter.title, charter.is_approved
    ('Pilot', False)
    """

    project_id: str
    title: str
    purpose: str | None = None
    objectives: tuple[Objective, ...] = ()
    requirements: tuple[str, ...] = ()
    scope_in: tuple[str, ...] = ()
    scope_out: tuple[str, ...] = ()
    milestones: tuple[Milestone, ...] = ()
    budget: Budget | None = None
    stakeholders: tuple[Stakeholder, ...] = ()
    sponsor: Sponsor | None = None
    manager: ProjectManager | None = None
    assumptions: tuple[str, ...] = ()
    constraints: tuple[str, ...] = ()
    risks: tuple[str, ...] = ()
    approval: Approval | None = None
    start: dt.date | None = None
    planned_finish: dt.date | None = None
    source: str | None = field(default=None, compare=False, repr=False)

    @property
    def is_approved(self) -> bool:
        """True when the charter records who approved it and when."""
        return self.approval is not None

    @classmethod
    def from_dict(cls, data: Any, *, source: str | None = None) -> Charter:
        """
        Build a charter from a dict in the YAML file's format, checking its structure.

        Parameters
        ----------
        data
            The parsed YAML (a mapping); dates may be ``YYYY-MM-DD`` text or dates.
        source
            How to name the charter in messages (its file path); default
            ``charter <project_id>``.

        Raises
        ------
        ValidationError
            Lists every structural problem (wrong type, missing required field, bad
            date, negative budget, unknown key), each naming the field path, the bad
            value and what is allowed.

        Examples
        --------
        >>> Charter.from_dict(
        ...     {"project_id": "P-009", "title": "X", "budget": {"amount": "lots"}},
        ...     source="charters/P-009.yaml",
        ... )
        Traceback (most recent call last):
        ...
        pmo_kit._errors.ValidationError: charters/P-009.yaml, field 'budget.amount': \
'lots' is not a number. Allowed: a number >= 0
        """
        return cls(**charter_fields(data, source))

    def to_dict(self) -> dict[str, Any]:
        """Return the charter as YAML-ready built-in types (dates as ISO text)."""
        out: dict[str, Any] = {}
        for name in CHARTER_FIELDS:
            value = getattr(self, name)
            if name in ("start", "planned_finish") and value is None:
                continue  # optional additions: the sample files do not have them
            out[name] = _plain(value)
        return out

    def check(
        self,
        *,
        project: Mapping[str, Any] | pd.Series | None = None,
        contingency_band: tuple[float, float] | None = None,
    ) -> list[Finding]:
        """
        Review the charter as a PMO reviewer would; see :func:`review_charter`.

        Examples
        --------
        >>> charter = Charter.from_dict({"project_id": "P-099", "title": "Pilot"})
        >>> [f.code for f in charter.check()][:3]
        ['no-purpose', 'no-objectives', 'no-scope-in']
        """
        return review_charter(self, project=project, contingency_band=contingency_band)

    def to_markdown(self, *, findings: list[Finding] | None = None) -> str:
        """Render as Markdown; see :func:`pmo_kit.charter.to_markdown`."""
        return to_markdown(self, findings=findings)

    def to_html(self, *, findings: list[Finding] | None = None) -> str:
        """Render as HTML; see :func:`pmo_kit.charter.to_html`."""
        return to_html(self, findings=findings)

    def _repr_html_(self) -> str:
        return self.to_html()


def _plain(value: Any) -> Any:
    """Convert dataclasses, tuples, dates and integral floats to YAML-ready types."""
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, tuple):
        return [_plain(v) for v in value]
    if isinstance(value, ProjectManager):  # the sample files' key order
        return {k: getattr(value, k) for k in ("resource_id", "name", "authority")}
    if hasattr(value, "__dataclass_fields__"):
        return {
            name: _plain(getattr(value, name)) for name in value.__dataclass_fields__
        }
    return value
