"""
The governance review: what the ``governance`` report shows, as data.

:func:`governance_review` scans every project against the PMO's standards, decides
every recorded gate review again with the PMO's decision rule, and builds the RAID
log as of the scan date; the notebook only displays the result.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd

from pmo_kit.governance import (
    RAID_TYPES,
    SEVERITIES,
    GateReview,
    GateRules,
    Standards,
    compliance_by_rule,
    compliance_scan,
    compliance_summary,
    default_gate_rules,
    gate_decisions,
    gate_review,
    load_standards,
    raid_log,
)
from pmo_kit.reports._content import json_records, plural

if TYPE_CHECKING:
    import os
    from collections.abc import Mapping

    from pmo_kit.data.inputs import DateLike
    from pmo_kit.data.portfolio import Portfolio

__all__ = ["COLUMN_LABELS", "GovernanceReview", "governance_review"]

_OVERRIDE_COLUMNS = [
    "project_id",
    "gate",
    "review_date",
    "weighted_score",
    "recorded",
    "decision",
]


#: How the report labels the columns of the review's tables.
COLUMN_LABELS: dict[str, str] = {
    "project_id": "ID",
    "name": "Project",
    "phase": "Phase",
    "error": "Errors",
    "warning": "Warnings",
    "advice": "Advice",
    "status": "Status",
    "rules": "Rules with findings",
    "rule": "Rule",
    "severity": "Severity",
    "description": "Standard",
    "applies": "Applies to",
    "failing": "Failing",
    "findings": "Findings",
    "gate": "Gate",
    "review_date": "Reviewed",
    "weighted_score": "Weighted score",
    "recorded": "Recorded",
    "decision": "Rule",
    "R": "Risks",
    "A": "Assumptions",
    "I": "Issues",
    "D": "Dependencies",
    "type": "",
    "id": "ID",
    "owner": "Owner",
    "date": "Date",
}


@dataclass(frozen=True)
class GovernanceReview:
    """
    Everything the governance report shows.

    Attributes
    ----------
    organisation
        ``portfolio.name``.
    scan_date
        The day ages are measured to and the RAID log stands at.
    standards
        The rules applied (``standards.source`` says where they came from).
    default_standards
        True when the standards shipped with pmo-kit were used.
    findings
        :func:`pmo_kit.governance.compliance`: one row per finding (message, fix).
    matrix
        Pass / fail / n/a per project and rule.
    projects
        One row per project: findings by severity, ``compliant``, ``rules`` and
        ``status`` (green: no finding; amber: warnings or advice only; red: an
        error).
    by_rule
        One row per rule: ``rule``, ``severity``, ``description``, ``applies``
        (projects it applies to), ``failing``, ``findings``, ``projects`` (the
        failing ones, comma-separated).
    worst_rules
        The failing rules, most serious first, then most projects failing.
    decisions
        :func:`pmo_kit.governance.gate_decisions` for every recorded gate review.
    gate_rules
        The decision rule the gates were decided with.
    scorecard
        The lowest-scoring override (None when every decision follows the rule).
    raid
        :func:`pmo_kit.governance.raid_log` as of the scan date, ``owner`` shown
        by name (``owner_id`` keeps the resource id).
    narrative
        The headlines.
    """

    organisation: str
    scan_date: pd.Timestamp
    standards: Standards
    default_standards: bool
    findings: pd.DataFrame
    matrix: pd.DataFrame
    projects: pd.DataFrame
    by_rule: pd.DataFrame
    worst_rules: pd.DataFrame
    decisions: pd.DataFrame
    gate_rules: GateRules
    scorecard: GateReview | None
    raid: pd.DataFrame
    narrative: list[str]

    @property
    def labels(self) -> dict[str, str]:
        """Column labels for display (:data:`COLUMN_LABELS`)."""
        return dict(COLUMN_LABELS)

    @property
    def compliant(self) -> list[str]:
        """Projects with no finding, in register order."""
        ids = self.projects.loc[self.projects["compliant"], "project_id"]
        return [str(p) for p in ids]

    @property
    def findings_by_severity(self) -> dict[str, int]:
        """Findings per severity (error, warning, advice)."""
        return {s: int((self.findings["severity"] == s).sum()) for s in SEVERITIES}

    @property
    def overrides(self) -> pd.DataFrame:
        """Gate reviews where the board recorded another decision than the rule's."""
        return self.decisions[self.decisions["overridden"]].reset_index(drop=True)

    @property
    def gate_lines(self) -> list[str]:
        """The decision rule in use, and whether every decision follows it."""
        n = len(self.decisions)
        overridden = len(self.overrides)
        return [
            f"The decision rule: {self.gate_rule_text}.",
            f"All {plural(n, 'gate decision')} follow the rule."
            if overridden == 0
            else f"{overridden} of {plural(n, 'gate decision')} went otherwise than "
            "the rule:",
        ]

    @property
    def raid_counts(self) -> dict[str, int]:
        """RAID entries per type (R, A, I, D)."""
        return {t: int((self.raid["type"] == t).sum()) for t in RAID_TYPES}

    @property
    def raid_by_project(self) -> pd.DataFrame:
        """One row per project with RAID entries: counts of R, A, I and D."""
        table = self.raid.pivot_table(
            index="project_id", columns="type", values="id", aggfunc="count"
        )
        table = table.reindex(columns=list(RAID_TYPES)).fillna(0).astype("int64")
        table.columns.name = None
        return table.reset_index()

    @property
    def raid_items(self) -> pd.DataFrame:
        """The issues and dependencies of the RAID log (what needs action)."""
        return self.raid[self.raid["type"].isin(["I", "D"])].reset_index(drop=True)

    @property
    def header(self) -> dict[str, str]:
        """The report's key facts: scan date, projects, standards, rules."""
        source = Path(self.standards.source).name
        return {
            "Scan date": f"{self.scan_date:%a %d %b %Y}",
            "Projects": str(len(self.projects)),
            "Standards": "PMO default" if self.default_standards else source,
            "Rules": str(len(self.standards)),
        }

    @property
    def gate_rule_text(self) -> str:
        """The decision rule in words, with the thresholds in use."""
        rules = self.gate_rules
        return (
            "must-meet criteria are knock-outs; Go from a weighted should-score of "
            f"{rules.go_threshold:g}, Recycle from {rules.recycle_threshold:g}, "
            "below that Kill"
        )

    def rule_sections(self) -> list[dict[str, Any]]:
        """
        Return the findings grouped by rule, errors first.

        Each item: ``rule``, ``severity``, ``description``, ``heading``
        (``rule (severity): description``) and ``lines`` (one sentence per
        finding: project, what is wrong, the fix). Rules without findings are
        left out.
        """
        rank = {s: i for i, s in enumerate(SEVERITIES)}
        order = self.by_rule.assign(_s=self.by_rule["severity"].map(rank))
        sections = []
        for _, rule in order.sort_values("_s", kind="stable").iterrows():
            rows = self.findings[self.findings["rule"] == rule["rule"]]
            if rows.empty:
                continue
            sections.append(
                {
                    "rule": rule["rule"],
                    "severity": rule["severity"],
                    "description": rule["description"],
                    "heading": (
                        f"{rule['rule']} ({rule['severity']}): {rule['description']}"
                    ),
                    "lines": [
                        f"{r['project_id']} {r['name']}: {r['message']} Fix: {r['fix']}"
                        for _, r in rows.iterrows()
                    ],
                }
            )
        return sections

    def summary(self) -> dict[str, Any]:
        """Return the content of the report's ``summary.json``."""
        by_rule = {
            str(r["rule"]): {
                "severity": r["severity"],
                "applies": int(r["applies"]),
                "failing": int(r["failing"]),
                "findings": int(r["findings"]),
                "projects": [p for p in str(r["projects"]).split(", ") if p],
            }
            for _, r in self.by_rule.iterrows()
        }
        rows = ["project_id", "error", "warning", "advice", "compliant", "status"]
        return {
            "report": "governance",
            "organisation": self.organisation,
            "as_of": f"{self.scan_date:%Y-%m-%d}",
            "standards": self.standards.source,
            "rules": self.standards.ids,
            "projects": len(self.projects),
            "compliant": len(self.compliant),
            "compliant_projects": self.compliant,
            "findings": len(self.findings),
            "findings_by_severity": self.findings_by_severity,
            "by_rule": by_rule,
            "worst_rules": self.worst_rules["rule"].head(3).tolist(),
            "project_rows": json_records(self.projects, rows),
            "gate_reviews": len(self.decisions),
            "gate_overrides": json_records(self.overrides, _OVERRIDE_COLUMNS),
            "raid": self.raid_counts,
            "narrative": list(self.narrative),
        }


def governance_review(
    portfolio: Portfolio,
    *,
    as_of: DateLike | None = None,
    standards: str | os.PathLike[str] | Mapping[str, Any] | Standards | None = None,
) -> GovernanceReview:
    """
    Review the portfolio's governance: standards, gate decisions, the RAID log.

    Parameters
    ----------
    portfolio
        The organisation (:func:`pmo_kit.load_portfolio`).
    as_of
        Scan date (empty text or None: the portfolio's status date). Ages (risk
        reviews, status updates) are measured to it; the RAID log shows the
        risks as they stood then.
    standards
        A standards YAML file, a parsed mapping, a loaded
        :class:`~pmo_kit.governance.Standards`, or None (or empty text) for the
        standards shipped with pmo-kit.

    Returns
    -------
    GovernanceReview
        Tables, decisions, RAID log and headlines, with
        :meth:`GovernanceReview.summary` for ``summary.json``.

    Raises
    ------
    ValidationError
        ``as_of`` is not a date, or the standards file is missing or invalid
        (the message names the file, the rule and the field).

    Examples
    --------
    >>> import pmo_kit
    >>> review = governance_review(pmo_kit.load_portfolio())
    >>> review.compliant, review.raid_counts["R"]
    (['P-004', 'P-008', 'P-010'], 45)
    """
    default = standards is None or (isinstance(standards, str) and not standards)
    if isinstance(standards, Standards):
        rules = standards
    else:
        rules = load_standards(None if default else standards)
    findings, matrix = compliance_scan(portfolio, as_of=as_of, standards=rules)
    scan_date = pd.Timestamp(findings.attrs["as_of"])
    projects = compliance_summary(findings, portfolio.projects)
    projects["status"] = [
        "green" if f == 0 else ("red" if e else "amber")
        for f, e in zip(projects["findings"], projects["error"], strict=True)
    ]
    by_rule = compliance_by_rule(rules, matrix, findings)
    gate_rules = default_gate_rules()
    decisions = gate_decisions(portfolio.gates, rules=gate_rules)
    overrides = decisions[decisions["overridden"]]
    scorecard = None
    if len(overrides):
        lowest = overrides.sort_values("weighted_score", kind="stable").iloc[0]
        scorecard = gate_review(
            portfolio.gates, lowest["project_id"], lowest["gate"], rules=gate_rules
        )
    raid = raid_log(portfolio, as_of=scan_date)
    people = portfolio.resources.set_index("resource_id")["name"]
    raid = raid.rename(columns={"owner": "owner_id"})
    raid.insert(4, "owner", raid["owner_id"].map(people).fillna(raid["owner_id"]))
    rank = {s: i for i, s in enumerate(SEVERITIES)}
    worst = (
        by_rule[by_rule["failing"] > 0]
        .assign(_s=by_rule["severity"].map(rank))
        .sort_values(["_s", "failing"], ascending=[True, False], kind="stable")
        .drop(columns="_s")
        .reset_index(drop=True)
    )
    review = GovernanceReview(
        organisation=portfolio.name,
        scan_date=scan_date,
        standards=rules,
        default_standards=default and not isinstance(standards, Standards),
        findings=findings,
        matrix=matrix,
        projects=projects,
        by_rule=by_rule,
        worst_rules=worst,
        decisions=decisions,
        gate_rules=gate_rules,
        scorecard=scorecard,
        raid=raid,
        narrative=[],
    )
    return replace(review, narrative=_narrative(review, portfolio))


def _narrative(review: GovernanceReview, portfolio: Portfolio) -> list[str]:
    """Write the headlines of a review."""
    names = portfolio.projects.set_index("project_id")["name"]
    compliant = review.compliant
    counts = review.findings_by_severity
    n = len(review.findings)
    lines = [
        f"{len(compliant)} of {len(review.projects)} projects meet every standard on "
        f"{review.scan_date:%d %b %Y}"
        + (
            f": {', '.join(f'{p} {names[p]}' for p in compliant)}."
            if compliant
            else "."
        ),
        f"The scan raised {plural(n, 'finding')}: {plural(counts['error'], 'error')}, "
        f"{plural(counts['warning'], 'warning')} and {counts['advice']} advice.",
    ]
    worst = review.worst_rules
    if len(worst):
        lines.append(
            "Worst rules, most serious first: "
            + "; ".join(
                f"{r['rule']} ({r['severity']}, {r['failing']} of "
                f"{plural(int(r['applies']), 'project')})"
                for _, r in worst.head(3).iterrows()
            )
            + "."
        )
    errors = review.findings[review.findings["severity"] == "error"]
    if len(errors):
        by_project = errors.groupby("project_id", sort=False)["rule"].agg(
            lambda r: ", ".join(dict.fromkeys(r))
        )
        lines.append(
            "Act first on the errors: "
            + "; ".join(f"{p} {names[str(p)]} ({r})" for p, r in by_project.items())
            + "."
        )
    overrides = review.overrides
    listed = ", ".join(
        f"{p} {g}"
        for p, g in zip(overrides["project_id"], overrides["gate"], strict=True)
    )
    lines.append(
        f"Gates: {plural(len(review.decisions), 'review')} recorded; "
        f"{len(overrides)} went otherwise than the PMO's decision rule"
        + (f" ({listed})." if listed else ".")
    )
    raid = review.raid_counts
    lines.append(
        f"RAID log: {plural(raid['R'], 'open risk')}, "
        f"{plural(raid['A'], 'assumption')}, {plural(raid['I'], 'issue')} and "
        f"{plural(raid['D'], 'dependency', 'dependencies')} on shared people."
    )
    return lines
