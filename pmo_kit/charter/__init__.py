"""
Project charters: the model, the reviewer's findings, Markdown and HTML rendering.

A charter authorises a project: it names the sponsor and the project manager with
their authority, and records purpose, SMART objectives, scope in and out,
milestones, the summary budget with its contingency, stakeholders, assumptions,
constraints, high-level risks and the approval. One YAML file per project
(``datasets/<org>/charters/P-001.yaml``).

Modules, one topic each:

- :mod:`~pmo_kit.charter.model`: the dataclasses and structural validation
  (:meth:`Charter.from_dict`);
- :mod:`~pmo_kit.charter.files`: :func:`load_charter`, :func:`save_charter`
  (atomic);
- :mod:`~pmo_kit.charter.findings`: :class:`Finding`, the catalogue of codes
  :data:`FINDING_CODES`, :func:`findings_table`;
- :mod:`~pmo_kit.charter.review`: :func:`review_charter` (:meth:`Charter.check`)
  and the portfolio-wide :func:`review_charters`;
- :mod:`~pmo_kit.charter.render`: :func:`to_markdown` and :func:`to_html`.
"""

from __future__ import annotations

from pmo_kit.charter.files import charter_yaml, load_charter, save_charter
from pmo_kit.charter.findings import (
    FINDING_CODES,
    FINDING_COLUMNS,
    SEVERITIES,
    Finding,
    findings_table,
)
from pmo_kit.charter.model import (
    CHARTER_FIELDS,
    Approval,
    Budget,
    Charter,
    Milestone,
    Objective,
    ProjectManager,
    Sponsor,
    Stakeholder,
)
from pmo_kit.charter.render import (
    findings_html,
    findings_markdown,
    to_html,
    to_markdown,
)
from pmo_kit.charter.review import (
    CONTINGENCY_BAND,
    charters,
    review_charter,
    review_charters,
)

__all__ = [
    "CHARTER_FIELDS",
    "CONTINGENCY_BAND",
    "FINDING_CODES",
    "FINDING_COLUMNS",
    "SEVERITIES",
    "Approval",
    "Budget",
    "Charter",
    "Finding",
    "Milestone",
    "Objective",
    "ProjectManager",
    "Sponsor",
    "Stakeholder",
    "charter_yaml",
    "charters",
    "findings_html",
    "findings_markdown",
    "findings_table",
    "load_charter",
    "review_charter",
    "review_charters",
    "save_charter",
    "to_html",
    "to_markdown",
]
