"""
The compliance scan: every project against the PMO's standards.

:func:`compliance` runs each rule of the standards (:mod:`.standards`, data in
YAML) on every project it applies to and returns one row per finding: project,
rule, severity, what is wrong and how to fix it. :func:`compliance_matrix` gives
pass / fail / n/a per project and rule; :func:`compliance_summary` one row per
project, compliant ones included.

The scan reads the data as it is: ``as_of`` is the day ages are measured to
(days since a risk review or a status update), not a way to replay history.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

import pandas as pd

from pmo_kit._errors import ValidationError
from pmo_kit.governance._dates import DateLike, as_of_date
from pmo_kit.governance.checks import CHECK_FUNCTIONS, Scan
from pmo_kit.governance.standards import (
    SEVERITIES,
    Standards,
    load_standards,
)
from pmo_kit.vocabulary import PHASE_GATES

if TYPE_CHECKING:
    import os

    from pmo_kit.data.portfolio import Portfolio

__all__ = [
    "FINDING_COLUMNS",
    "PHASE_GATES",
    "compliance",
    "compliance_by_rule",
    "compliance_matrix",
    "compliance_scan",
    "compliance_summary",
]

#: Columns of :func:`compliance`.
FINDING_COLUMNS = (
    "project_id",
    "name",
    "phase",
    "rule",
    "severity",
    "message",
    "fix",
)

StandardsLike = Standards | str | Mapping[str, Any] | None


# ------------------------------------------------------------------- public API


def _standards(standards: StandardsLike | os.PathLike[str]) -> Standards:
    if isinstance(standards, Standards):
        return standards
    return load_standards(standards)


def _run(
    portfolio: Portfolio,
    as_of: DateLike | None,
    standards: StandardsLike | os.PathLike[str],
) -> tuple[pd.DataFrame, pd.DataFrame]:
    rules = _standards(standards)
    scan = Scan(portfolio, as_of_date(portfolio, as_of))
    findings: list[dict[str, Any]] = []
    matrix: list[dict[str, Any]] = []
    for _, project in portfolio.projects.iterrows():
        for rule in rules:
            applies = rule.applies_to(
                str(project["phase"]), str(project["methodology"])
            )
            found = CHECK_FUNCTIONS[rule.check](scan, project, rule) if applies else []
            matrix.append(
                {
                    "project_id": project["project_id"],
                    "rule": rule.id,
                    "severity": rule.severity,
                    "result": ("fail" if found else "pass") if applies else "n/a",
                    "findings": len(found),
                }
            )
            findings += [
                {
                    "project_id": project["project_id"],
                    "name": project["name"],
                    "phase": project["phase"],
                    "rule": rule.id,
                    "severity": rule.severity,
                    "message": message,
                    "fix": fix,
                }
                for message, fix in found
            ]
    table = pd.DataFrame(findings, columns=list(FINDING_COLUMNS))
    if len(table):
        rank = {s: i for i, s in enumerate(SEVERITIES)}
        order = {r: i for i, r in enumerate(rules.ids)}
        table = (
            table.assign(_s=table["severity"].map(rank), _r=table["rule"].map(order))
            .sort_values(["_s", "project_id", "_r"], kind="stable")
            .drop(columns=["_s", "_r"])
            .reset_index(drop=True)
        )
    table.attrs["as_of"] = scan.as_of
    table.attrs["standards"] = rules.source
    return table, pd.DataFrame(
        matrix, columns=["project_id", "rule", "severity", "result", "findings"]
    )


def compliance_scan(
    portfolio: Portfolio,
    *,
    as_of: DateLike | None = None,
    standards: StandardsLike | os.PathLike[str] = None,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """
    Run the scan once: the findings and the compliance matrix.

    Parameters are those of :func:`compliance`; the result is the pair
    (:func:`compliance`, :func:`compliance_matrix`) from one pass over the data.
    """
    return _run(portfolio, as_of, standards)


def compliance(
    portfolio: Portfolio,
    *,
    as_of: DateLike | None = None,
    standards: StandardsLike | os.PathLike[str] = None,
) -> pd.DataFrame:
    """
    Scan every project against the PMO's standards.

    Parameters
    ----------
    portfolio
        The organisation (``pmo_kit.load_portfolio()``).
    as_of
        The day ages are measured to (risk reviews, status updates); default the
        portfolio's status date (the latest ``status_date`` of its projects).
    standards
        A :class:`~pmo_kit.governance.Standards`, a YAML file path, a parsed
        mapping, or None for the standards shipped with pmo-kit.

    Returns
    -------
    pandas.DataFrame
        One row per finding, :data:`FINDING_COLUMNS`: ``project_id``, ``name``,
        ``phase``, ``rule`` (the rule id), ``severity`` (error, warning, advice),
        ``message`` (what is wrong, with the figures) and ``fix``. Errors first,
        then by project and rule order. ``attrs`` holds ``as_of`` and ``standards``
        (where the rules came from). A project with no row is compliant.

    Raises
    ------
    ValidationError
        The standards file is invalid (see :func:`load_standards`) or ``as_of``
        is not a date.

    Examples
    --------
    >>> import pmo_kit
    >>> findings = compliance(pmo_kit.load_portfolio(), as_of="2026-06-26")
    >>> findings.loc[findings["rule"] == "charter-approved", "project_id"].tolist()
    ['P-003']
    """
    return _run(portfolio, as_of, standards)[0]


def compliance_matrix(
    portfolio: Portfolio,
    *,
    as_of: DateLike | None = None,
    standards: StandardsLike | os.PathLike[str] = None,
) -> pd.DataFrame:
    """
    Pass, fail or n/a for every project and rule (the compliance matrix).

    Parameters are those of :func:`compliance`.

    Returns
    -------
    pandas.DataFrame
        One row per project and rule: ``project_id``, ``rule``, ``severity``,
        ``result`` (``pass``, ``fail``, or ``n/a`` when the rule does not apply to
        the project's phase or methodology) and ``findings`` (how many).
    """
    return _run(portfolio, as_of, standards)[1]


def compliance_by_rule(
    standards: Standards, matrix: pd.DataFrame, findings: pd.DataFrame
) -> pd.DataFrame:
    """
    Summarise a scan per rule: where it applies, who fails it, how often.

    Parameters
    ----------
    standards
        The rules scanned (:func:`load_standards`).
    matrix, findings
        The two tables of :func:`compliance_scan`.

    Returns
    -------
    pandas.DataFrame
        One row per rule in file order: ``rule``, ``severity``, ``description``,
        ``applies`` (projects the rule applies to), ``failing`` (projects with a
        finding), ``findings`` and ``projects`` (failing projects, comma-separated,
        in register order).
    """
    rows = []
    for rule in standards:
        mine = matrix[matrix["rule"] == rule.id]
        failing = mine.loc[mine["result"] == "fail", "project_id"]
        rows.append(
            {
                "rule": rule.id,
                "severity": rule.severity,
                "description": rule.description,
                "applies": int((mine["result"] != "n/a").sum()),
                "failing": len(failing),
                "findings": int((findings["rule"] == rule.id).sum()),
                "projects": ", ".join(failing),
            }
        )
    columns = ["rule", "severity", "description", "applies", "failing", "findings"]
    return pd.DataFrame(rows, columns=[*columns, "projects"])


def compliance_summary(findings: pd.DataFrame, projects: pd.DataFrame) -> pd.DataFrame:
    """
    One row per project: its findings by severity, and whether it is compliant.

    Parameters
    ----------
    findings
        The result of :func:`compliance`.
    projects
        The projects table (``portfolio.projects``): projects without findings
        appear as compliant.

    Returns
    -------
    pandas.DataFrame
        ``project_id``, ``name``, ``phase``, ``error``, ``warning``, ``advice``
        (counts), ``findings`` (total), ``compliant`` (no findings at all) and
        ``rules`` (the rules with findings, in order). Projects in register order.

    Examples
    --------
    >>> import pandas as pd
    >>> projects = pd.DataFrame(
    ...     {
    ...         "project_id": ["P-1", "P-2"],
    ...         "name": ["A", "B"],
    ...         "phase": ["execution"] * 2,
    ...     }
    ... )
    >>> findings = pd.DataFrame(
    ...     {"project_id": ["P-1"], "rule": ["risk-review"], "severity": ["warning"]}
    ... )
    >>> compliance_summary(findings, projects)[["project_id", "warning", "compliant"]]
      project_id  warning  compliant
    0        P-1        1      False
    1        P-2        0       True
    """
    for column in ("project_id", "rule", "severity"):
        if column not in findings:
            msg = (
                f"compliance_summary needs the findings of compliance(); the column "
                f"{column!r} is missing"
            )
            raise ValidationError(msg)
    out = projects[["project_id", "name", "phase"]].reset_index(drop=True).copy()
    counts = (
        findings.groupby(["project_id", "severity"]).size().unstack(fill_value=0)
        if len(findings)
        else pd.DataFrame()
    )
    for severity in SEVERITIES:
        count = counts[severity] if severity in counts else pd.Series(dtype="int64")
        out[severity] = out["project_id"].map(count).fillna(0).astype("int64")
    out["findings"] = out[list(SEVERITIES)].sum(axis=1)
    out["compliant"] = out["findings"] == 0
    rules = findings.groupby("project_id", sort=False)["rule"].agg(
        lambda r: ", ".join(dict.fromkeys(r))
    )
    out["rules"] = out["project_id"].map(rules).fillna("")
    return out
