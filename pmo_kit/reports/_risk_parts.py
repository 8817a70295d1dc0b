"""
Pieces of the risk review: its tables, the charters' contingency, an earlier register.

Helpers of :func:`pmo_kit.reports.risk_review`; the column lists name what each of
the report's tables shows.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd

from pmo_kit._errors import ValidationError
from pmo_kit.data.tables import read_table
from pmo_kit.risk import fired_risks, heat_map_table, top_risks

if TYPE_CHECKING:
    import os

    from pmo_kit.data.portfolio import Portfolio
    from pmo_kit.risk import RiskMatrix

__all__ = [
    "CHANGE_COLUMNS",
    "CONTRIBUTION_COLUMNS",
    "FIRED_COLUMNS",
    "OPPORTUNITY_COLUMNS",
    "OVERDUE_COLUMNS",
    "RISK_FORMATS",
    "TOP_COLUMNS",
    "charter_contingency",
    "owner_names",
    "previous_register",
    "register_tables",
    "risk_labels",
    "whole_units",
]

_WHO = ["project_id", "risk_id", "title", "owner"]
#: Columns of the top-risks table (open threats).
TOP_COLUMNS = [
    "rank",
    *_WHO,
    "residual_score",
    "residual_rating",
    "response_strategy",
    "exposure",
]
#: Columns of the opportunities table.
OPPORTUNITY_COLUMNS = [
    *_WHO,
    "type",
    "residual_score",
    "residual_rating",
    "response_strategy",
    "emv",
]
#: Columns of the fired-risks table.
FIRED_COLUMNS = ["project_id", "risk_id", "title", "occurred", "cost_most_likely"]
FIRED_COLUMNS += ["response_strategy", "trigger"]
#: Columns of the overdue-reviews table.
OVERDUE_COLUMNS = [*_WHO, "residual_rating", "cadence_days", "last_review_date"]
OVERDUE_COLUMNS += ["days_since_review", "days_overdue"]
#: Columns of the changes-since-the-previous-register table.
CHANGE_COLUMNS = ["project_id", "risk_id", "change", "residual_score_before"]
CHANGE_COLUMNS += ["residual_score_after", "strategy_before", "strategy_after"]
#: Columns of the contributions-to-the-reserve table.
CONTRIBUTION_COLUMNS = ["project_id", "risk_id", "title", "chance", "expected_cost"]
CONTRIBUTION_COLUMNS += ["exposure", "tail_mean"]

#: Number formats of the risk report's tables (money in whole currency units).
RISK_FORMATS: dict[str, str] = {
    "residual_score": "g",
    "residual_score_before": "g",
    "residual_score_after": "g",
    "exposure": ",.0f",
    "emv": "+,.0f",
    "cost_most_likely": ",.0f",
    "amount": ",.0f",
    "chance": ".0%",
    "expected_cost": ",.0f",
    "tail_mean": ",.0f",
}


def risk_labels(currency: str, label: str) -> dict[str, str]:
    """Return the column headings of the risk report's tables."""
    cur = currency
    return {
        "rank": "#",
        "project_id": "Project",
        "risk_id": "Risk",
        "title": "Title",
        "type": "Type",
        "owner": "Owner",
        "residual_score": "Score",
        "residual_rating": "Rating",
        "response_strategy": "Response",
        "exposure": f"Exposure ({cur})",
        "emv": f"EMV ({cur})",
        "occurred": "Occurred",
        "cost_most_likely": f"Most likely cost ({cur})",
        "trigger": "Trigger",
        "cadence_days": "Review every (days)",
        "last_review_date": "Last review",
        "days_since_review": "Days since",
        "days_overdue": "Days overdue",
        "row": "Row",
        "column": "Field",
        "value": "Value",
        "problem": "Problem",
        "allowed": "Allowed",
        "measure": "",
        "amount": cur,
        "chance": "Chance",
        "expected_cost": f"Mean cost if it happens ({cur})",
        "tail_mean": f"Mean cost above {label} ({cur})",
        "change": "Change",
        "residual_score_before": "Score before",
        "residual_score_after": "Score now",
        "strategy_before": "Response before",
        "strategy_after": "Response now",
    }


def charter_contingency(
    portfolio: Portfolio, project_ids: list[str]
) -> tuple[float | None, tuple[str, ...], tuple[str, ...]]:
    """Return the charters' contingency summed over the scope, who gave one, who not."""
    known: dict[str, float] = {}
    for pid in project_ids:
        charter: Any = portfolio.charters.get(pid)
        if charter is None:
            continue
        if isinstance(charter, dict):
            amount = (charter.get("budget") or {}).get("contingency")
        else:
            amount = getattr(getattr(charter, "budget", None), "contingency", None)
        if amount is not None:
            known[pid] = float(amount)
    missing = tuple(pid for pid in project_ids if pid not in known)
    total = sum(known.values()) if known else None
    return total, tuple(sorted(known)), missing


def previous_register(
    previous: str | os.PathLike[str] | pd.DataFrame, project_ids: list[str]
) -> pd.DataFrame:
    """Return an earlier register (a risks.csv, checked, or a DataFrame) in scope."""
    if isinstance(previous, pd.DataFrame):
        earlier = previous
    else:
        path = Path(previous)
        if not path.exists():
            msg = (
                f"previous register {str(path)!r} does not exist. Allowed: the path "
                "of an earlier risks.csv, or none for no comparison"
            )
            raise ValidationError(msg)
        if not path.is_file():
            msg = (
                f"previous register {str(path)!r} is a folder, not a file. Allowed: "
                "the path of an earlier risks.csv, or none for no comparison"
            )
            raise ValidationError(msg)
        earlier = read_table(path, "risks")  # validated like risks.csv
    if "project_id" in earlier:
        earlier = earlier[earlier["project_id"].isin(project_ids)]
    return earlier


def owner_names(portfolio: Portfolio, owners: pd.Series) -> pd.Series:
    """Return each owner's name from the resources table (the id if unknown)."""
    names = portfolio.resources.set_index("resource_id")["name"]
    return owners.map(names).fillna(owners).fillna("(none)").astype(str)


def whole_units(values: pd.Series) -> pd.Series:
    """Round to whole currency units, then sign: never ``-0``."""
    return values.round(0) + 0.0


def register_tables(
    scored: pd.DataFrame, top_n: int, m: RiskMatrix
) -> dict[str, pd.DataFrame]:
    """
    Return the register's tables at the status date, keyed by name.

    ``top`` (open threats, highest residual score first), ``opportunities`` (open
    opportunities, EMV in whole units), ``fired``, ``heat_inherent`` and
    ``heat_residual`` (open threats on the grid).
    """
    open_risks = scored[scored["status"] == "open"]
    threats = open_risks[open_risks["type"] == "threat"]
    opportunities = open_risks[open_risks["type"] == "opportunity"]
    top = top_risks(threats, top_n, matrix=m) if len(threats) else threats
    if "rank" not in top:
        top = top.assign(rank=pd.Series(dtype="int64"))
    top = top.assign(owner=top["owner_name"])[TOP_COLUMNS]
    ranked = opportunities.sort_values(
        ["residual_score", "exposure", "risk_id"], ascending=[False, False, True]
    )
    opp = ranked.assign(
        owner=ranked["owner_name"],
        type="opportunity",
        emv=whole_units(ranked["emv"]),
    )[OPPORTUNITY_COLUMNS]
    fired = fired_risks(scored)
    fired = fired.assign(
        occurred=fired["closed_date"],
        cost_most_likely=fired["cost_impact_most_likely"],
    )[FIRED_COLUMNS]
    return {
        "top": top.reset_index(drop=True),
        "opportunities": opp.reset_index(drop=True),
        "fired": fired.reset_index(drop=True),
        "heat_inherent": heat_map_table(threats, basis="inherent", matrix=m),
        "heat_residual": heat_map_table(threats, basis="residual", matrix=m),
    }
