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

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import pandas as pd

from pmo_kit._errors import ValidationError
from pmo_kit.governance._dates import DateLike, as_of_date
from pmo_kit.governance.gates import gate_decisions, load_gate_rules
from pmo_kit.governance.standards import (
    SEVERITIES,
    Standard,
    Standards,
    load_standards,
)

if TYPE_CHECKING:
    import os

    from pmo_kit.charter import Charter
    from pmo_kit.data.portfolio import Portfolio

__all__ = [
    "FINDING_COLUMNS",
    "PHASE_GATES",
    "compliance",
    "compliance_matrix",
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
#: The gate a project must have passed to be in each phase.
PHASE_GATES: dict[str, str] = {
    "initiation": "G0",
    "planning": "G1",
    "execution": "G2",
    "closing": "G4",
    "closed": "G5",
}

StandardsLike = Standards | str | Mapping[str, Any] | None
Found = list[tuple[str, str]]  # (message, fix)


# -------------------------------------------------------------------- the scan


@dataclass
class _Scan:
    """What the checks read, computed once per scan."""

    portfolio: Portfolio
    as_of: pd.Timestamp
    cache: dict[str, Any] = field(default_factory=dict)

    def charter(self, project_id: str) -> tuple[Charter | None, str]:
        """Return the parsed charter, or None and why not."""
        key = f"charter:{project_id}"
        if key not in self.cache:
            from pmo_kit.charter import Charter

            data = self.portfolio.charters.get(project_id)
            if data is None:
                self.cache[key] = (None, f"{project_id} has no charter file")
            else:
                try:
                    charter = Charter.from_dict(
                        data, source=f"charters/{project_id}.yaml"
                    )
                    self.cache[key] = (charter, "")
                except ValidationError as exc:
                    self.cache[key] = (None, f"the charter cannot be read: {exc}")
        result: tuple[Charter | None, str] = self.cache[key]
        return result

    def scored_risks(self, matrix: str) -> pd.DataFrame:
        """Return the open risks scored on ``matrix``."""
        key = f"risks:{matrix}"
        if key not in self.cache:
            from pmo_kit.risk import score

            risks = self.portfolio.risks
            self.cache[key] = score(risks[risks["status"] == "open"], matrix=matrix)
        frame: pd.DataFrame = self.cache[key]
        return frame

    def decisions(self, rules: str) -> pd.DataFrame:
        """Gate decisions by the rule (``rules``: a YAML path, empty = default)."""
        key = f"gates:{rules}"
        if key not in self.cache:
            self.cache[key] = gate_decisions(
                self.portfolio.gates, rules=load_gate_rules(rules or None)
            )
        frame: pd.DataFrame = self.cache[key]
        return frame


def _day(value: object) -> str:
    return f"{pd.Timestamp(value):%d %b %Y}"  # type: ignore[arg-type]


def _days(n: int) -> str:
    return f"{n} day" if n == 1 else f"{n} days"


# ------------------------------------------------------------------- the checks


def _charter_approved(scan: _Scan, project: pd.Series, rule: Standard) -> Found:
    pid = str(project["project_id"])
    charter, problem = scan.charter(pid)
    if charter is None:
        return [
            (
                f"{problem}, so nothing authorises the work.",
                f"Write the charter (charters/{pid}.yaml) and have the sponsor, "
                f"{project['sponsor']}, approve it.",
            )
        ]
    if not charter.is_approved:
        return [
            (
                f"The charter is not approved: nobody has signed it, yet the project "
                f"is in {project['phase']}.",
                f"Have the sponsor, {project['sponsor']}, sign the charter and record "
                "approved_by and date under `approval`.",
            )
        ]
    return []


def _charter_findings(scan: _Scan, project: pd.Series, rule: Standard) -> Found:
    pid = str(project["project_id"])
    charter, problem = scan.charter(pid)
    if charter is None:
        return [(f"Cannot review the charter: {problem}.", "Fix or write the charter.")]
    limit = SEVERITIES.index(rule.parameter("min_severity"))
    ignore = set(rule.parameter("ignore"))
    return [
        (f"Charter finding {f.code} ({f.field}): {f.message}", f.fix)
        for f in charter.check(project=project)
        if f.severity in SEVERITIES
        and SEVERITIES.index(f.severity) <= limit
        and f.code not in ignore
    ]


def _risk_review(scan: _Scan, project: pd.Series, rule: Standard) -> Found:
    limit = int(rule.parameter("max_age_days"))
    risks = scan.portfolio.risks
    mine = risks[
        (risks["project_id"] == project["project_id"]) & (risks["status"] == "open")
    ]
    age = (scan.as_of - mine["last_review_date"]).dt.days
    stale = (
        mine[age > limit]
        .assign(age=age[age > limit])
        .sort_values("age", ascending=False)
    )
    if stale.empty:
        return []
    listed = ", ".join(
        f"{r['risk_id']} ({_days(int(r['age']))}, last {_day(r['last_review_date'])})"
        for _, r in stale.iterrows()
    )
    n = len(stale)
    return [
        (
            f"{n} open risk{'s' if n > 1 else ''} not reviewed in the last "
            f"{_days(limit)}: {listed}.",
            "Review them with their owners: re-assess probability and impact, check "
            "the actions, and record the date in last_review_date.",
        )
    ]


def _high_risk_response(scan: _Scan, project: pd.Series, rule: Standard) -> Found:
    scored = scan.scored_risks(str(rule.parameter("matrix")))
    column = "rating" if rule.parameter("basis") == "inherent" else "residual_rating"
    bands = {"high"} if rule.parameter("rating") == "high" else {"high", "medium"}
    mine = scored[
        (scored["project_id"] == project["project_id"]) & scored[column].isin(bands)
    ]
    out: Found = []
    basis = rule.parameter("basis")
    for _, r in mine.iterrows():
        missing = [
            noun
            for noun, column_name in (
                ("owner", "owner"),
                ("response strategy", "response_strategy"),
                ("response actions", "response_actions"),
            )
            if pd.isna(r.get(column_name)) or not str(r.get(column_name)).strip()
        ]
        if missing:
            out.append(
                (
                    f"{r['risk_id']} '{r['title']}' is rated {r[column]} ({basis}) "
                    f"but has no {' and no '.join(missing)}.",
                    f"Name an owner for {r['risk_id']} and agree a response (strategy "
                    "and actions) at the next risk review: a high risk nobody owns "
                    "is nobody's job.",
                )
            )
    return out


def _risk_register(scan: _Scan, project: pd.Series, rule: Standard) -> Found:
    need = int(rule.parameter("min_open_risks"))
    risks = scan.portfolio.risks
    n = int(
        (
            (risks["project_id"] == project["project_id"]) & (risks["status"] == "open")
        ).sum()
    )
    if n >= need:
        return []
    return [
        (
            f"The risk register has {n} open risk{'s' if n != 1 else ''}; the standard "
            f"asks for at least {need}.",
            "Hold a risk workshop with the team and the sponsor and record the risks "
            "with owners and responses.",
        )
    ]


def _status_update(scan: _Scan, project: pd.Series, rule: Standard) -> Found:
    limit = int(rule.parameter("max_age_days"))
    status = scan.portfolio.status
    dates = status.loc[status["project_id"] == project["project_id"], "status_date"]
    if dates.empty:
        return [
            (
                "No earned-value status update has been recorded.",
                "Report PV, EV and AC at the next status date (weekly or fortnightly).",
            )
        ]
    latest = pd.Timestamp(dates.max())
    age = int((scan.as_of - latest).days)
    if age <= limit:
        return []
    return [
        (
            f"The latest status update is from {_day(latest)}, {_days(age)} before "
            f"{_day(scan.as_of)} (the standard: at most {_days(limit)}).",
            "Report PV, EV and AC for the current period.",
        )
    ]


def _gate_recorded(scan: _Scan, project: pd.Series, rule: Standard) -> Found:
    phase = str(project["phase"])
    gate = PHASE_GATES[phase]
    gates = scan.portfolio.gates
    rows = gates[
        (gates["project_id"] == project["project_id"]) & (gates["gate"] == gate)
    ]
    if rows.empty:
        return [
            (
                f"The project is in {phase} but no review of gate {gate} is recorded.",
                f"Hold the {gate} review and record its criteria, scores and decision.",
            )
        ]
    decision = rows["decision"].dropna()
    if decision.empty:
        return [
            (
                f"Gate {gate} was reviewed but no decision is recorded.",
                f"Record the steering group's {gate} decision (go, hold, recycle or "
                "kill).",
            )
        ]
    if str(decision.iloc[0]).lower() != "go":
        when = rows["review_date"].dropna()
        on = f" on {_day(when.iloc[0])}" if len(when) else ""
        return [
            (
                f"Gate {gate} was decided '{decision.iloc[0]}'{on}, yet the project is "
                f"in {phase}, which needs a Go at {gate}.",
                f"Stop the {phase} work until {gate} is passed, or record the Go.",
            )
        ]
    return []


def _charter_signed_at_gate(scan: _Scan, project: pd.Series, rule: Standard) -> Found:
    pid = str(project["project_id"])
    criterion = str(rule.parameter("criterion"))
    gates = scan.portfolio.gates
    rows = gates[
        (gates["project_id"] == pid)
        & (gates["criterion"] == criterion)
        & (pd.to_numeric(gates["score"], errors="coerce") >= 1)
    ]
    if rows.empty:
        return []
    charter, _ = scan.charter(pid)
    approval = charter.approval if charter is not None else None
    out: Found = []
    for _, r in rows.iterrows():
        reviewed = r["review_date"]
        on = f" on {_day(reviewed)}" if pd.notna(reviewed) else ""
        if approval is None:
            out.append(
                (
                    f"Gate {r['gate']}{on} scored '{criterion}' as met (evidence: "
                    f"{r['evidence']}), but the charter records no approval: the "
                    "gate was passed on paper.",
                    f"Re-open the {r['gate']} decision: get the charter signed, then "
                    "record who approved it and when.",
                )
            )
        elif pd.notna(reviewed) and pd.Timestamp(approval.date) > reviewed:
            out.append(
                (
                    f"Gate {r['gate']}{on} scored '{criterion}' as met, but the "
                    f"charter was approved only on {_day(approval.date)}.",
                    "Check the gate evidence: a criterion is met when the evidence "
                    "exists at the review, not later.",
                )
            )
    return out


def _gate_decision_rule(scan: _Scan, project: pd.Series, rule: Standard) -> Found:
    table = scan.decisions(str(rule.parameter("rules")))
    mine = table[(table["project_id"] == project["project_id"]) & table["overridden"]]
    return [
        (
            f"Gate {r['gate']}"
            + (f" ({_day(r['review_date'])})" if pd.notna(r["review_date"]) else "")
            + f": the board recorded '{r['recorded']}', the decision rule gives "
            f"{r['decision']}. {r['rationale']}",
            "Record in the gate minutes why the board overrode the rule, or review "
            "the gate again.",
        )
        for _, r in mine.iterrows()
    ]


def _lessons_recorded(scan: _Scan, project: pd.Series, rule: Standard) -> Found:
    need = int(rule.parameter("min_lessons"))
    lessons = scan.portfolio.lessons
    n = int((lessons["project_id"] == project["project_id"]).sum())
    if n >= need:
        return []
    return [
        (
            f"{n} lesson{'s' if n != 1 else ''} learned recorded; the standard asks "
            f"for at least {need} from a project in {project['phase']}.",
            "Run a lessons-learned session with the team and record what to repeat "
            "and what to change.",
        )
    ]


_CHECKS: dict[str, Callable[[_Scan, pd.Series, Standard], Found]] = {
    "charter-approved": _charter_approved,
    "charter-findings": _charter_findings,
    "risk-review": _risk_review,
    "high-risk-response": _high_risk_response,
    "risk-register": _risk_register,
    "status-update": _status_update,
    "gate-recorded": _gate_recorded,
    "charter-signed-at-gate": _charter_signed_at_gate,
    "gate-decision-rule": _gate_decision_rule,
    "lessons-recorded": _lessons_recorded,
}


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
    scan = _Scan(portfolio, as_of_date(portfolio, as_of))
    findings: list[dict[str, Any]] = []
    matrix: list[dict[str, Any]] = []
    for _, project in portfolio.projects.iterrows():
        for rule in rules:
            applies = rule.applies_to(
                str(project["phase"]), str(project["methodology"])
            )
            found = _CHECKS[rule.check](scan, project, rule) if applies else []
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
