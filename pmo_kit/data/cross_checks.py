"""
Rules that link the tables of a portfolio: checked after each table is valid alone.

Each rule reports every row that breaks it, naming the file, the row (spreadsheet
numbering), the column, the bad value and what is allowed.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from pmo_kit.charter.model import Charter
from pmo_kit.data.schemas import (
    OPPORTUNITY_RESPONSES,
    SCHEMAS,
    THREAT_RESPONSES,
    TableSchema,
)

if TYPE_CHECKING:
    from pathlib import Path

    from pmo_kit.data.portfolio import Portfolio

__all__ = ["FIRST_ROW", "cross_checks", "table_source"]

#: Spreadsheet numbering: the header is row 1, the first record row 2.
FIRST_ROW = 2


def table_source(folder: Path | None, table: str) -> str:
    """How messages name a table: its file in ``folder``, else its file name."""
    file = SCHEMAS[table].file_name
    return str(folder / file) if folder is not None else file


def _key_set(frame: pd.DataFrame, columns: tuple[str, ...]) -> pd.MultiIndex:
    return pd.MultiIndex.from_frame(frame[list(columns)].astype("object"))


def _foreign_key_problems(
    bundle: Portfolio, name: str, schema: TableSchema
) -> list[str]:
    frame = getattr(bundle, name)
    problems: list[str] = []
    for fk in schema.foreign_keys:
        target = getattr(bundle, fk.table)
        local = frame[list(fk.columns)]
        present = local.notna().all(axis=1).to_numpy()
        if not present.any():
            continue
        wanted = _key_set(local[present], fk.columns)
        known = _key_set(target, fk.target_columns)
        missing = ~wanted.isin(known)
        positions = np.flatnonzero(present)[missing]
        column = fk.columns[-1]
        target_file = SCHEMAS[fk.table].file_name
        for i in positions:
            value = frame.iloc[i][column]
            scope = (
                f" of project {frame.iloc[i]['project_id']!r}"
                if len(fk.columns) > 1 and fk.columns[0] == "project_id"
                else ""
            )
            problems.append(
                f"{table_source(bundle.path, name)}, row {i + FIRST_ROW}, "
                f"column {column!r}: "
                f"{value!r} is not a {fk.target_columns[-1]}{scope} in {target_file}. "
                f"Allowed: a {fk.target_columns[-1]} listed in {target_file}"
            )
    return problems


def _row_problems(
    bundle: Portfolio,
    table: str,
    mask: pd.Series | np.ndarray,
    column: str,
    what: str,
    allowed: str,
) -> list[str]:
    frame = getattr(bundle, table)
    positions = np.flatnonzero(np.asarray(mask, dtype=bool))
    out = []
    for i in positions:
        value = frame.iloc[i][column]
        if isinstance(value, pd.Timestamp):
            shown = value.strftime("%Y-%m-%d")
        else:
            shown = value.item() if isinstance(value, np.generic) else value
        out.append(
            f"{table_source(bundle.path, table)}, row {i + FIRST_ROW}, "
            f"column {column!r}: {shown!r} {what}. Allowed: {allowed}"
        )
    return out


def cross_checks(bundle: Portfolio) -> list[str]:
    """
    Check the rules that link tables (and charters) of a portfolio.

    Foreign keys, EV <= BAC, date order, three-point estimate order, a risk response
    valid for a threat or an opportunity, status dates within the project, running
    totals that never go down, and each charter matching its project.

    Parameters
    ----------
    bundle
        A portfolio whose tables already have their declared types.

    Returns
    -------
    list of str
        Every problem found, each naming the file, row, column, bad value and what
        is allowed; empty when the portfolio is consistent.
    """
    problems: list[str] = []
    for name, schema in SCHEMAS.items():
        problems += _foreign_key_problems(bundle, name, schema)
    p, t, d, r = bundle.projects, bundle.tasks, bundle.dependencies, bundle.risks
    problems += _row_problems(
        bundle,
        "projects",
        p["planned_finish"] < p["start"],
        "planned_finish",
        "is before the project start",
        "a date on or after 'start'",
    )
    problems += _row_problems(
        bundle,
        "tasks",
        t["baseline_finish"] < t["baseline_start"],
        "baseline_finish",
        "is before the baseline start",
        "a date on or after 'baseline_start'",
    )
    problems += _row_problems(
        bundle,
        "tasks",
        t["actual_finish"] < t["actual_start"],
        "actual_finish",
        "is before the actual start",
        "a date on or after 'actual_start'",
    )
    problems += _row_problems(
        bundle,
        "tasks",
        t["actual_finish"].notna() & t["actual_start"].isna(),
        "actual_start",
        "is empty although the task has an actual finish",
        "an actual start for every finished task",
    )
    three = t[["optimistic", "most_likely", "pessimistic"]]
    unordered = three.notna().all(axis=1) & ~(
        (three["optimistic"] <= three["most_likely"])
        & (three["most_likely"] <= three["pessimistic"])
    )
    problems += _row_problems(
        bundle,
        "tasks",
        unordered,
        "most_likely",
        "is not between optimistic and pessimistic",
        "optimistic <= most_likely <= pessimistic",
    )
    problems += _row_problems(
        bundle,
        "dependencies",
        d["predecessor"] == d["successor"],
        "successor",
        "links a task to itself",
        "a successor different from the predecessor",
    )
    problems += _row_problems(
        bundle,
        "risks",
        (r["type"] == "threat") & ~r["response_strategy"].isin(THREAT_RESPONSES),
        "response_strategy",
        "is not a response to a threat",
        ", ".join(THREAT_RESPONSES),
    )
    problems += _row_problems(
        bundle,
        "risks",
        (r["type"] == "opportunity")
        & ~r["response_strategy"].isin(OPPORTUNITY_RESPONSES),
        "response_strategy",
        "is not a response to an opportunity",
        ", ".join(OPPORTUNITY_RESPONSES),
    )
    problems += _row_problems(
        bundle,
        "risks",
        ~(
            (r["cost_impact_min"] <= r["cost_impact_most_likely"])
            & (r["cost_impact_most_likely"] <= r["cost_impact_max"])
        ),
        "cost_impact_most_likely",
        "is not between cost_impact_min and cost_impact_max",
        "cost_impact_min <= cost_impact_most_likely <= cost_impact_max",
    )
    problems += _row_problems(
        bundle,
        "risks",
        r["schedule_impact_max"] < r["schedule_impact_min"],
        "schedule_impact_max",
        "is below schedule_impact_min",
        "schedule_impact_min <= schedule_impact_max",
    )
    s = bundle.status.merge(
        p[["project_id", "budget"]], on="project_id", how="left", validate="many_to_one"
    )
    problems += _row_problems(
        bundle,
        "status",
        (s["ev"] > s["budget"] * (1 + 1e-9)).to_numpy(),
        "ev",
        "is above the project's budget (BAC) in projects.csv",
        "earned value between 0 and the project's budget",
    )
    dated = bundle.status.merge(
        p[["project_id", "start", "status_date"]].rename(
            columns={"status_date": "reporting_date"}
        ),
        on="project_id",
        how="left",
        validate="many_to_one",
    )
    problems += _row_problems(
        bundle,
        "status",
        (dated["status_date"] < dated["start"]).to_numpy(),
        "status_date",
        "is before the project's start in projects.csv",
        "a status date between the project's start and its status_date",
    )
    problems += _row_problems(
        bundle,
        "status",
        (dated["status_date"] > dated["reporting_date"]).to_numpy(),
        "status_date",
        "is after the project's status_date in projects.csv",
        "a status date on or before the project's latest status_date",
    )
    problems += _row_problems(
        bundle,
        "status",
        _cumulative_drops(bundle.status, "ac"),
        "ac",
        "is lower than the actual cost of the previous status date",
        "cumulative actual cost that never goes down (AC is a running total)",
    )
    sp = bundle.sprints
    problems += _row_problems(
        bundle,
        "sprints",
        sp["end"] < sp["start"],
        "end",
        "is before the sprint start",
        "a date on or after 'start'",
    )
    problems += _charter_problems(bundle)
    return problems


def _cumulative_drops(status: pd.DataFrame, column: str) -> np.ndarray:
    """Rows whose running total is below the same project's previous status date."""
    order = status.sort_values(["project_id", "status_date"], kind="stable")
    previous = order.groupby("project_id")[column].shift()
    drops = pd.Series(False, index=status.index)
    drops[order.index] = (order[column] < previous - 1e-6).to_numpy()
    return drops.to_numpy()


def _charter_problems(bundle: Portfolio) -> list[str]:
    known = set(bundle.project_ids)
    out = []
    for key, charter in bundle.charters.items():
        if not isinstance(charter, Charter):
            out.append(
                f"charter {key}: {type(charter).__name__} is not a Charter. Allowed: "
                "a Charter, e.g. Charter.from_dict(data) or load_charter(path)"
            )
            continue
        where = charter.source or _charter_file(bundle.path, key)
        if charter.project_id != key:
            out.append(
                f"{where}, field 'project_id': {charter.project_id!r} does not match "
                f"the file name. Allowed: {key!r}"
            )
        elif key not in known:
            out.append(
                f"{where}, field 'project_id': {key!r} is not a project in "
                "projects.csv. Allowed: a project_id listed in projects.csv"
            )
    return out


def _charter_file(folder: Path | None, key: str) -> str:
    return str(folder / "charters" / f"{key}.yaml") if folder else f"charter {key}"
