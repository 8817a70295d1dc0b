"""
The risk register review (report ``risk``) as a function: :func:`risk_review`.

Everything the report shows, as of its status date: the heat maps of the open
threats, the top threats, the open opportunities (listed on their own, never as
threats), the risks that fired, overdue reviews (the matrix's cadence per
rating), entries that break the register's rules, the contingency reserve by
Monte Carlo against the EMV sum and the charters' contingency, the trend, the
changes since an earlier copy of the register, the narrative and the method.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import pandas as pd

from pmo_kit.data.inputs import to_day
from pmo_kit.reports._content import json_records
from pmo_kit.reports._risk_parts import (
    CHANGE_COLUMNS,
    CONTRIBUTION_COLUMNS,
    OVERDUE_COLUMNS,
    RISK_FORMATS,
    charter_contingency,
    owner_names,
    previous_register,
    register_tables,
    risk_labels,
)
from pmo_kit.risk import (
    ORDINAL_5X5,
    ContingencyResult,
    RiskMatrix,
    compare_registers,
    contingency,
    get_matrix,
    overdue_reviews,
    register_as_of,
    risk_trend,
    score,
    validate_register,
)
from pmo_kit.risk.narrative import register_method, register_narrative

if TYPE_CHECKING:
    import os

    from pmo_kit.data.inputs import DateLike
    from pmo_kit.data.portfolio import Portfolio

__all__ = ["RiskReview", "risk_review"]

#: Seed of the contingency simulation: the same data gives the same report.
SEED = 2026
_CONTRIBUTIONS_SHOWN = 8


@dataclass(frozen=True)
class RiskReview:
    """
    Everything the risk report shows, as of ``as_of``.

    Tables hold the columns the report shows (owners by name, money in
    ``currency``); ``register`` is the whole scored register as it stood at
    ``as_of`` (owner ids in ``owner``, names in ``owner_name``).
    """

    scope: str
    project_ids: tuple[str, ...]
    title: str
    facts: dict[str, object]
    as_of: pd.Timestamp
    currency: str
    matrix: RiskMatrix
    register: pd.DataFrame
    heat_map_inherent: pd.DataFrame
    heat_map_residual: pd.DataFrame
    top_risks: pd.DataFrame
    opportunities: pd.DataFrame
    fired: pd.DataFrame
    overdue: pd.DataFrame
    findings: pd.DataFrame
    contingency: ContingencyResult
    contingency_table: pd.DataFrame
    contributions: pd.DataFrame
    budget: float | None
    budget_projects: tuple[str, ...]
    projects_without_budget: tuple[str, ...]
    probability_within_budget: float | None
    trend: pd.DataFrame
    changes: pd.DataFrame | None
    narrative: list[str]
    method: list[str]
    seed: int | None

    @property
    def label(self) -> str:
        """Name of the reserve's confidence, e.g. ``"P80"``."""
        return f"P{round(self.contingency.confidence * 100)}"

    @property
    def labels(self) -> dict[str, str]:
        """Column headings of the report's tables (money in ``currency``)."""
        return risk_labels(self.currency, self.label)

    @property
    def formats(self) -> dict[str, str]:
        """Number formats of the report's tables (whole currency units)."""
        return dict(RISK_FORMATS)

    @property
    def changes_note(self) -> str:
        """Say what the changes table holds, or why there is none."""
        if self.changes is None:
            return (
                "No earlier register given: run with -p previous path/to/old/risks.csv."
            )
        if self.changes.empty:
            return "Nothing changed since the previous register."
        return f"{len(self.changes)} risks changed since the previous register."

    @property
    def open_risks(self) -> pd.DataFrame:
        """Open risks of the register (threats and opportunities)."""
        return self.register[self.register["status"] == "open"]

    def summary(self) -> dict[str, Any]:
        """Return the content of the report's ``summary.json``."""
        register, open_risks = self.register, self.open_risks
        threats = open_risks[open_risks["type"] == "threat"]
        bands = self.matrix.band_names
        return {
            "report": "risk",
            "scope": self.scope,
            "project_id": self.project_ids[0] if self.scope == "project" else None,
            "projects": list(self.project_ids),
            "as_of": f"{self.as_of:%Y-%m-%d}",
            "matrix": self.matrix.name,
            "currency": self.currency,
            "review_days": {b: self.matrix.review_cadence(b) for b in bands},
            "risks": len(register),
            "open": len(open_risks),
            "open_threats": len(threats),
            "open_opportunities": len(open_risks) - len(threats),
            "closed": int((register["status"] == "closed").sum()),
            "ratings": {
                b: int((open_risks["residual_rating"] == b).sum()) for b in bands
            },
            "threat_ratings": {
                b: int((threats["residual_rating"] == b).sum()) for b in bands
            },
            "top_risks": json_records(self.top_risks),
            "opportunities": json_records(self.opportunities),
            "fired": [
                {
                    "risk_id": r["risk_id"],
                    "project_id": r["project_id"],
                    "title": r["title"],
                    "occurred": r["occurred"],
                    "cost_most_likely": r["cost_most_likely"],
                }
                for r in json_records(self.fired)
            ],
            "overdue_reviews": json_records(
                self.overdue,
                ["risk_id", "project_id", "days_since_review", "days_overdue"],
            ),
            "findings": self.findings["message"].tolist(),
            "contingency": {
                **self.contingency.summary(),
                "label": self.label,
                "seed": self.seed,
                "budget": self.budget,
                "budget_projects": list(self.budget_projects),
                "projects_without_budget": list(self.projects_without_budget),
                "probability_within_budget": self.probability_within_budget,
            },
            "trend": json_records(self.trend, ["period", "new", "closed", "open"]),
            "changes": None
            if self.changes is None
            else json_records(self.changes, ["project_id", "risk_id", "change"]),
            "narrative": list(self.narrative),
        }


def _scope(
    portfolio: Portfolio, project_id: str
) -> tuple[str, list[str], pd.Timestamp, str, dict[str, object]]:
    projects = portfolio.projects
    if project_id.strip().lower() in ("", "all"):
        active = projects[projects["phase"] != "closed"]
        latest = pd.Timestamp(
            (active if len(active) else projects)["status_date"].max()
        )
        title = f"{portfolio.name}: risk register, whole portfolio"
        return (
            "portfolio",
            projects["project_id"].tolist(),
            latest,
            title,
            {"Projects": len(projects)},
        )
    project = portfolio.project(project_id.strip())
    title = f"{project['project_id']} {project['name']}: risk register"
    facts: dict[str, object] = {
        "Sponsor": project["sponsor"],
        "Phase": project["phase"],
    }
    return "project", [str(project["project_id"])], project["status_date"], title, facts


def _as_of(value: DateLike | None, default: pd.Timestamp) -> pd.Timestamp:
    if value is None or (isinstance(value, str) and not value.strip()):
        return pd.Timestamp(default).normalize()
    return to_day(value, "as_of")


def risk_review(
    portfolio: Portfolio,
    project_id: str = "all",
    *,
    as_of: DateLike | None = None,
    previous: str | os.PathLike[str] | pd.DataFrame | None = None,
    top_n: int = 10,
    confidence: float = 0.8,
    iterations: int = 10_000,
    seed: int | None = SEED,
    matrix: RiskMatrix | str = ORDINAL_5X5,
) -> RiskReview:
    """
    Review the risk register of one project or the whole portfolio.

    Parameters
    ----------
    portfolio
        The organisation (:func:`pmo_kit.load_portfolio`).
    project_id
        A project such as ``"P-004"``; ``"all"`` or ``""`` for the portfolio.
    as_of
        Status date; default the project's status date (the latest of the active
        projects for the portfolio). Risks raised later do not exist yet; risks
        closed or fired later were still open.
    previous
        An earlier copy of the register (path of a risks.csv or a DataFrame) to
        list what changed since; ``None`` for no comparison.
    top_n
        Threats in the top-risks table (>= 1).
    confidence
        Confidence of the contingency reserve (0.8 = P80), between 0 and 1.
    iterations
        Monte Carlo runs of the contingency simulation.
    seed
        Random seed of the simulation (fixed by default: same data, same report).
    matrix
        The probability-impact matrix: scores, rating bands and review cadence.

    Returns
    -------
    RiskReview

    Raises
    ------
    ValidationError
        An unknown project, a bad date, a ``previous`` file that does not exist,
        or a parameter out of its range (the message names it).
    """
    m = get_matrix(matrix)
    scope, ids, default_date, title, facts = _scope(portfolio, project_id)
    stamp = _as_of(as_of, default_date)
    risks = portfolio.risks
    in_scope = risks[risks["project_id"].isin(ids)]
    register = register_as_of(in_scope, stamp)
    scored = score(register, matrix=m)
    scored["owner_name"] = owner_names(portfolio, scored["owner"])
    earlier = None
    if previous is not None:  # what existed at the status date, as for the register
        earlier = register_as_of(previous_register(previous, ids), stamp)
    tables = register_tables(scored, top_n, m)
    overdue = overdue_reviews(scored, as_of=stamp, matrix=m)
    overdue = overdue.assign(owner=overdue["owner_name"])[OVERDUE_COLUMNS]
    source = "risks" if portfolio.path is None else str(portfolio.path / "risks.csv")
    findings = validate_register(risks, matrix=m, source=source)
    exists = findings.set_index(["project_id", "risk_id"]).index.isin(
        pd.MultiIndex.from_frame(register[["project_id", "risk_id"]])
    )
    findings = findings[exists].reset_index(drop=True)
    simulation = contingency(
        register, iterations=iterations, seed=seed, confidence=confidence, matrix=m
    )
    budget, with_budget, without = charter_contingency(portfolio, ids)
    within = None if budget is None else simulation.probability_within(budget)
    label = f"P{round(confidence * 100)}"
    rows = [
        ("EMV sum (average bill)", simulation.emv_sum),
        ("P50 (as likely to be exceeded as not)", simulation.p50),
        (f"{label} reserve", simulation.reserve),
    ]
    if budget is not None:
        rows.append(("Contingency budget (charter)", budget))
    titles = scored[["project_id", "risk_id", "title"]]
    contributions = simulation.contributions.head(_CONTRIBUTIONS_SHOWN)
    if "project_id" in contributions:
        contributions = contributions.merge(titles, on=["project_id", "risk_id"])
    else:
        contributions = contributions.assign(project_id="", title="")
    contributions = contributions[CONTRIBUTION_COLUMNS]
    changes = None
    if earlier is not None:
        changes = compare_registers(earlier, register, matrix=m)[CHANGE_COLUMNS]
    trend = risk_trend(register, end=stamp)
    open_count = int((scored["status"] == "open").sum())
    facts = {
        "Status date": f"{stamp:%a %d %b %Y}",
        **facts,
        "Risks": len(register),
        "Open": open_count,
        "Matrix": m.description or m.name,
    }
    narrative = register_narrative(
        scored,
        as_of=stamp,
        first_raised=pd.to_datetime(in_scope["raised_date"]).min(),
        fired=tables["fired"],
        overdue=overdue,
        findings=len(findings),
        simulation=simulation,
        budget=budget,
        budget_count=len(with_budget),
        within=within,
        currency=portfolio.currency,
    )
    return RiskReview(
        scope=scope,
        project_ids=tuple(ids),
        title=title,
        facts=facts,
        as_of=stamp,
        currency=portfolio.currency,
        matrix=m,
        register=scored,
        heat_map_inherent=tables["heat_inherent"],
        heat_map_residual=tables["heat_residual"],
        top_risks=tables["top"],
        opportunities=tables["opportunities"],
        fired=tables["fired"],
        overdue=overdue,
        findings=findings,
        contingency=simulation,
        contingency_table=pd.DataFrame(rows, columns=["measure", "amount"]),
        contributions=contributions,
        budget=budget,
        budget_projects=with_budget,
        projects_without_budget=without,
        probability_within_budget=within,
        trend=trend,
        changes=changes,
        narrative=narrative,
        method=register_method(m),
        seed=seed,
    )
