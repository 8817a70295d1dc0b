"""
The built-in compliance checks: one function per check a standards file may name.

Each check takes the :class:`Scan` (the data and the scan date, with what is
computed once per scan), one project's row and the rule (its parameters), and
returns one ``(message, fix)`` pair per finding. :data:`CHECK_FUNCTIONS` maps the
check names of :data:`~pmo_kit.governance.standards.CHECKS` to them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import pandas as pd

from pmo_kit.governance.gates import gate_decisions, load_gate_rules
from pmo_kit.governance.standards import SEVERITIES, Standard
from pmo_kit.risk import get_matrix, overdue_reviews, score
from pmo_kit.vocabulary import GATE_DECISIONS, PHASE_GATES

if TYPE_CHECKING:
    from collections.abc import Callable

    from pmo_kit.charter import Charter
    from pmo_kit.data.portfolio import Portfolio

__all__ = ["CHECK_FUNCTIONS", "Found", "Scan"]

#: What a check returns: one (message, fix) pair per finding.
Found = list[tuple[str, str]]


# -------------------------------------------------------------------- the scan


@dataclass
class Scan:
    """What the checks read, computed once per scan (charters, scored risks...)."""

    portfolio: Portfolio
    as_of: pd.Timestamp
    cache: dict[str, Any] = field(default_factory=dict)

    def charter(self, project_id: str) -> tuple[Charter | None, str]:
        """Return the parsed charter, or None and why not."""
        key = f"charter:{project_id}"
        if key not in self.cache:
            charter = self.portfolio.charters.get(project_id)
            if charter is None:
                self.cache[key] = (None, f"{project_id} has no charter file")
            else:
                self.cache[key] = (charter, "")
        result: tuple[Charter | None, str] = self.cache[key]
        return result

    def scored_risks(self, matrix: str) -> pd.DataFrame:
        """Return the open risks scored on ``matrix``."""
        key = f"risks:{matrix}"
        if key not in self.cache:
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


def _charter_approved(scan: Scan, project: pd.Series, rule: Standard) -> Found:
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


def _charter_findings(scan: Scan, project: pd.Series, rule: Standard) -> Found:
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


def _risk_review(scan: Scan, project: pd.Series, rule: Standard) -> Found:
    limit = rule.parameter("max_age_days")
    matrix = get_matrix(str(rule.parameter("matrix")))
    risks = scan.portfolio.risks
    mine = risks[
        (risks["project_id"] == project["project_id"]) & (risks["status"] == "open")
    ]
    stale = overdue_reviews(
        mine,
        as_of=scan.as_of,
        cadence_days=None if limit is None else int(limit),
        matrix=matrix,
    )
    if stale.empty:
        return []
    listed = ", ".join(
        f"{r['risk_id']} ({r['residual_rating']}, {_days(int(r['days_since_review']))}"
        f", last {_day(r['last_review_date'])})"
        for _, r in stale.sort_values(
            "days_since_review", ascending=False, kind="stable"
        ).iterrows()
    )
    n = len(stale)
    cadence = (
        f"within {_days(int(limit))}"
        if limit is not None
        else "at the register's cadence ("
        + ", ".join(f"{k} {_days(v)}" for k, v in matrix.review_days.items())
        + ")"
    )
    return [
        (
            f"{n} open risk{'s' if n > 1 else ''} not reviewed {cadence}: {listed}.",
            "Review them with their owners: re-assess probability and impact, check "
            "the actions, and record the date in last_review_date.",
        )
    ]


def _high_risk_response(scan: Scan, project: pd.Series, rule: Standard) -> Found:
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


def _risk_register(scan: Scan, project: pd.Series, rule: Standard) -> Found:
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


def _status_update(scan: Scan, project: pd.Series, rule: Standard) -> Found:
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


def _gate_recorded(scan: Scan, project: pd.Series, rule: Standard) -> Found:
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
                f"Record the steering group's {gate} decision "
                f"({', '.join(GATE_DECISIONS[:-1])} or {GATE_DECISIONS[-1]}).",
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


def _charter_signed_at_gate(scan: Scan, project: pd.Series, rule: Standard) -> Found:
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


def _gate_decision_rule(scan: Scan, project: pd.Series, rule: Standard) -> Found:
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


def _lessons_recorded(scan: Scan, project: pd.Series, rule: Standard) -> Found:
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


#: The function behind each built-in check (:data:`~.standards.CHECKS` names them).
CHECK_FUNCTIONS: dict[str, Callable[[Scan, pd.Series, Standard], Found]] = {
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
