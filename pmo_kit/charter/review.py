"""
Review a charter as a PMO reviewer would, one charter or a whole portfolio.

:func:`review_charter` (also :meth:`Charter.check`) returns
:class:`~pmo_kit.charter.Finding` objects, errors first; :func:`review_charters`
runs it on every project of a portfolio against the project register.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pandas as pd

from pmo_kit._errors import ValidationError
from pmo_kit.charter._rules import ProjectFacts, Review
from pmo_kit.charter.findings import (
    FINDING_CODES,
    FINDING_COLUMNS,
    SEVERITIES,
    Finding,
    findings_table,
)

if TYPE_CHECKING:
    from collections.abc import Mapping

    from pmo_kit.charter.model import Charter
    from pmo_kit.data.portfolio import Portfolio

# FINDING_CODES, SEVERITIES, Finding, ... live in pmo_kit.charter.findings; they
# are re-exported here because callers import them from this module too.
__all__ = [
    "CONTINGENCY_BAND",
    "FINDING_CODES",
    "FINDING_COLUMNS",
    "SEVERITIES",
    "Finding",
    "charters",
    "findings_table",
    "review_charter",
    "review_charters",
]

#: Contingency as a share of the budget that a reviewer accepts without a question.
CONTINGENCY_BAND: tuple[float, float] = (0.05, 0.25)

_ORDER = {s: i for i, s in enumerate(SEVERITIES)}


def review_charter(
    charter: Charter,
    *,
    project: Mapping[str, Any] | pd.Series | None = None,
    contingency_band: tuple[float, float] | None = None,
) -> list[Finding]:
    """
    Return the findings a PMO reviewer would raise about a charter.

    Parameters
    ----------
    charter
        The charter to review.
    project
        The project's row in ``projects.csv`` (``start``, ``planned_finish``,
        ``phase``, ``budget``, ``sponsor``, ``manager``), when known: milestones and
        objectives are checked against its dates, the charter against its budget
        and people, and a charter still in initiation is *not approved yet*
        (warning) rather than *not approved* (error). The charter's own ``start``
        and ``planned_finish`` take precedence when present.
    contingency_band
        Contingency share of the budget accepted without a question; default
        :data:`CONTINGENCY_BAND` (5% to 25%).

    Returns
    -------
    list of Finding
        Errors first, then warnings, then advice; within a severity, in the order
        of the charter's sections. Empty when there is nothing to say.

    Examples
    --------
    >>> from pmo_kit.charter import Charter
    >>> charter = Charter.from_dict({
    ...     "project_id": "P-099", "title": "Pilot",
    ...     "objectives": [{"description": "Improve finance processes"}],
    ... })
    >>> [f.code for f in review_charter(charter) if f.field.startswith("objectives")]
    ['objective-no-metric', 'objective-no-target', 'objective-no-due-date', \
'objective-vague-wording']
    """
    low, high = contingency_band or CONTINGENCY_BAND
    if not 0 <= low <= high:
        msg = (
            f"{(low, high)!r} is an invalid value for `contingency_band`. "
            "Allowed: (low, high) shares with 0 <= low <= high, e.g. (0.05, 0.25)"
        )
        raise ValidationError(msg)
    review = Review(charter, ProjectFacts.of(project))
    review.purpose()
    review.objectives()
    review.scope()
    review.milestones()
    review.budget(low, high)
    review.people()
    review.approval()
    review.lists()
    return sorted(review.findings, key=lambda f: _ORDER.get(f.severity, len(_ORDER)))


def charters(portfolio: Portfolio) -> dict[str, Charter]:
    """
    Return every charter of a portfolio, by project id (``portfolio.charters``).

    Kept for callers written when the portfolio held plain dicts; the portfolio
    now holds :class:`Charter` objects, read and checked when it was loaded.

    Examples
    --------
    >>> from pmo_kit import load_portfolio
    >>> charters(load_portfolio())["P-002"].sponsor.name
    'Helen Brandt'
    """
    return dict(portfolio.charters)


def review_charters(
    portfolio: Portfolio, *, project_ids: list[str] | None = None
) -> pd.DataFrame:
    """
    Review every project's charter against its row in the project register.

    Parameters
    ----------
    portfolio
        The organisation.
    project_ids
        Only these projects; default all.

    Returns
    -------
    pandas.DataFrame
        project_id, code, severity, field, message, fix: one row per finding,
        projects in register order; a project without a charter file gets one
        ``no-charter`` error.

    Examples
    --------
    >>> from pmo_kit import load_portfolio
    >>> table = review_charters(load_portfolio())
    >>> sorted(set(table.loc[table["severity"] == "error", "project_id"]))
    ['P-002', 'P-003']
    """
    wanted = portfolio.project_ids if project_ids is None else list(project_ids)
    for pid in wanted:
        portfolio.project(pid)  # names the known projects when one is unknown
    by_id = charters(portfolio)
    frames = []
    for pid in wanted:
        row = portfolio.project(pid)
        if pid in by_id:
            found = by_id[pid].check(project=row)
        else:
            found = [
                Finding(
                    "no-charter",
                    "error",
                    "charters",
                    f"project {pid} has no charter file (charters/{pid}.yaml)",
                    "Write the charter, get it approved by the sponsor and save it "
                    f"as charters/{pid}.yaml",
                )
            ]
        table = findings_table(found)
        table.insert(0, "project_id", pid)
        frames.append(table)
    if not frames:
        return pd.DataFrame(columns=["project_id", *FINDING_COLUMNS], dtype="object")
    return pd.concat(frames, ignore_index=True)
