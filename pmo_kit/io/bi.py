"""
Export a dataset as a star schema for Power BI and Tableau.

:func:`export_bi` writes tidy *dimension* tables (one row per thing: project,
person, day, risk category, RAG colour) and *fact* tables (one row per event or
measurement, with keys into the dimensions) with the kit's KPIs already computed:

- ``fact_status``: per project and status date PV, EV, AC, SV, CV, SPI, CPI,
  SPI(t), EAC (= BAC / CPI), ETC, VAC, TCPI, IEAC(t), forecast finish and the RAG
  colours, from :func:`pmo_kit.evm.project_performance` (default RAG bands,
  schedule RAG from SPI(t));
- ``fact_task``: tasks with their earned value (budgeted cost x % complete);
- ``fact_risk``: risks with scores, ratings, exposure and EMV from
  :func:`pmo_kit.risk.score` (the kit's ordinal 5x5 matrix);
- ``fact_assignment``: assignments with their cost (hours x the person's rate).

Each table is written as CSV (UTF-8, ISO dates, full-precision numbers) and as
Parquet (typed columns; needs pyarrow, the ``bi`` extra), with
``data_dictionary.csv`` (table, column, type, meaning, unit) and ``README.txt``.
Everything is computed in memory first and each file is then written
atomically: a failure (bad data, pyarrow missing) writes nothing.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from pmo_kit._errors import MissingDependencyError, ValidationError

if TYPE_CHECKING:
    import os
    from collections.abc import Sequence

    import pandas as pd

    from pmo_kit.data.portfolio import Portfolio

__all__ = ["BI_TABLES", "BiExport", "bi_tables", "export_bi"]

PARQUET_HINT = "Parquet needs pyarrow: pip install 'pmo-kit[bi]' (or --format csv)"

# (column, type, meaning, unit) per table; the first key column(s) listed in _KEYS.
_C = tuple[str, str, str, str]
BI_TABLES: dict[str, tuple[_C, ...]] = {
    "dim_project": (
        ("project_id", "string", "Project identifier (key)", ""),
        ("name", "string", "Project name", ""),
        ("programme", "string", "Programme the project belongs to", ""),
        ("sponsor", "string", "Executive sponsor", ""),
        ("manager_id", "string", "Project manager (key of dim_resource)", ""),
        ("manager", "string", "Project manager's name", ""),
        ("methodology", "string", "predictive, agile or hybrid", ""),
        ("phase", "string", "Current life-cycle phase", ""),
        ("start", "date", "Planned (or actual) start", ""),
        ("planned_finish", "date", "Baseline finish", ""),
        ("budget", "float", "Budget at completion (BAC)", "currency"),
        ("strategic_alignment", "int", "Fit with strategy, 1 low .. 5 high", "score"),
        ("business_value", "int", "Expected business value, 1 .. 5", "score"),
        ("expected_benefit", "float", "Expected benefit over 3 years", "currency"),
        ("status_date", "date", "Latest status date (cut-off)", ""),
    ),
    "dim_resource": (
        ("resource_id", "string", "Person identifier (key)", ""),
        ("name", "string", "Full name", ""),
        ("role", "string", "Job role", ""),
        (
            "capacity_hours",
            "float",
            "Hours available for projects per week",
            "hours/week",
        ),
        ("cost_rate", "float", "Loaded cost per hour", "currency/hour"),
        ("calendar", "string", "Working calendar", ""),
    ),
    "dim_date": (
        ("date", "date", "Calendar day (key)", ""),
        ("year", "int", "Year", ""),
        ("quarter", "int", "Quarter 1..4", ""),
        ("month", "int", "Month 1..12", ""),
        ("month_name", "string", "Month name (English)", ""),
        ("iso_year", "int", "ISO 8601 year of the week", ""),
        ("iso_week", "int", "ISO 8601 week 1..53", ""),
        ("weekday", "string", "Day name (English)", ""),
        ("is_working_day", "bool", "Monday to Friday", ""),
    ),
    "dim_risk_category": (
        ("category", "string", "Risk category (key)", ""),
        ("sort_order", "int", "Display order", ""),
    ),
    "dim_rag": (
        ("rag", "string", "RAG colour (key): green, amber, red, grey", ""),
        ("sort_order", "int", "Display order (grey: not measurable)", ""),
    ),
    "fact_status": (
        ("project_id", "string", "Project (key of dim_project)", ""),
        ("status_date", "date", "Status date (key of dim_date)", ""),
        ("bac", "float", "Budget at completion", "currency"),
        ("pv", "float", "Planned value, cumulative", "currency"),
        ("ev", "float", "Earned value, cumulative", "currency"),
        ("ac", "float", "Actual cost, cumulative", "currency"),
        ("sv", "float", "Schedule variance EV - PV", "currency"),
        ("cv", "float", "Cost variance EV - AC", "currency"),
        ("spi", "float", "Schedule performance index EV / PV", "ratio"),
        ("cpi", "float", "Cost performance index EV / AC", "ratio"),
        ("spi_t", "float", "Earned-schedule SPI(t) = ES / AT", "ratio"),
        ("es", "float", "Earned schedule since the start", "weeks"),
        ("at", "float", "Actual time since the start", "weeks"),
        ("eac", "float", "Estimate at completion BAC / CPI", "currency"),
        ("etc", "float", "Estimate to complete EAC - AC", "currency"),
        ("vac", "float", "Variance at completion BAC - EAC", "currency"),
        ("tcpi", "float", "To-complete performance index to meet BAC", "ratio"),
        ("ieac_t", "float", "Forecast duration (earned schedule)", "weeks"),
        ("forecast_finish", "date", "Start + IEAC(t)", ""),
        ("schedule_rag", "string", "Schedule RAG from SPI(t) (key of dim_rag)", ""),
        ("cost_rag", "string", "Cost RAG from CPI (key of dim_rag)", ""),
        ("overall_rag", "string", "Worst of schedule and cost (key of dim_rag)", ""),
    ),
    "fact_task": (
        ("project_id", "string", "Project (key of dim_project)", ""),
        ("task_id", "string", "Task identifier within the project", ""),
        ("wbs", "string", "WBS code", ""),
        ("name", "string", "Task name", ""),
        ("duration", "int", "Planned duration (0 = milestone)", "working days"),
        ("is_milestone", "bool", "Duration 0", ""),
        ("baseline_start", "date", "Baseline start (key of dim_date)", ""),
        ("baseline_finish", "date", "Baseline finish (key of dim_date)", ""),
        ("percent_complete", "float", "Physical % complete", "%"),
        ("actual_start", "date", "Actual start", ""),
        ("actual_finish", "date", "Actual finish", ""),
        ("budgeted_cost", "float", "Budgeted cost (share of BAC)", "currency"),
        ("earned_value", "float", "Budgeted cost x % complete", "currency"),
    ),
    "fact_risk": (
        ("project_id", "string", "Project (key of dim_project)", ""),
        ("risk_id", "string", "Risk identifier", ""),
        ("title", "string", "Short title", ""),
        ("type", "string", "threat or opportunity", ""),
        ("category", "string", "Category (key of dim_risk_category)", ""),
        ("owner", "string", "Owner (key of dim_resource)", ""),
        ("status", "string", "open, closed, ...", ""),
        ("probability", "int", "Probability level before response", "level 1..5"),
        ("impact", "int", "Impact level before response", "level 1..5"),
        ("inherent_score", "float", "Probability x impact before response", "score"),
        ("rating", "string", "Rating of the inherent score", ""),
        ("residual_score", "float", "Probability x impact after response", "score"),
        ("residual_rating", "string", "Rating of the residual score", ""),
        ("chance", "float", "Residual probability as a chance", "0..1"),
        ("expected_cost", "float", "Mean cost impact (min + ml + max) / 3", "currency"),
        ("exposure", "float", "Chance x expected cost", "currency"),
        ("emv", "float", "Expected monetary value (threats negative)", "currency"),
        ("raised_date", "date", "When raised (key of dim_date)", ""),
    ),
    "fact_assignment": (
        ("project_id", "string", "Project (key of dim_project)", ""),
        ("task_id", "string", "Task (with project_id: key of fact_task)", ""),
        ("resource_id", "string", "Person (key of dim_resource)", ""),
        ("units", "float", "Share of the person's capacity", "share"),
        ("hours", "float", "Planned work", "hours"),
        ("cost", "float", "Hours x cost rate", "currency"),
    ),
}

#: Primary key of each table.
_KEYS: dict[str, tuple[str, ...]] = {
    "dim_project": ("project_id",),
    "dim_resource": ("resource_id",),
    "dim_date": ("date",),
    "dim_risk_category": ("category",),
    "dim_rag": ("rag",),
    "fact_status": ("project_id", "status_date"),
    "fact_task": ("project_id", "task_id"),
    "fact_risk": ("project_id", "risk_id"),
    "fact_assignment": ("project_id", "task_id", "resource_id"),
}
_FORMATS = ("csv", "parquet")


@dataclass(frozen=True)
class BiExport:
    """What :func:`export_bi` wrote: the tables (by name) and the files."""

    tables: dict[str, pd.DataFrame]
    files: tuple[Path, ...]


def _typed(frame: pd.DataFrame, name: str) -> pd.DataFrame:
    import pandas as pd

    out = pd.DataFrame(index=range(len(frame)))
    for column, kind, _, _ in BI_TABLES[name]:
        values = frame[column].reset_index(drop=True)
        if kind == "date":
            out[column] = pd.to_datetime(values).dt.normalize().astype("datetime64[ms]")
        elif kind == "float":
            out[column] = pd.to_numeric(values).astype("float64")
        elif kind == "int":
            out[column] = pd.to_numeric(values).astype("Int64")
        elif kind == "bool":
            out[column] = values.astype("bool")
        else:
            out[column] = values.astype("string")
    return out


def bi_tables(portfolio: Portfolio) -> dict[str, pd.DataFrame]:
    """
    Build the dimension and fact tables of :func:`export_bi` (nothing written).

    Parameters
    ----------
    portfolio
        A loaded dataset.

    Returns
    -------
    dict of pandas.DataFrame
        By table name (see :data:`BI_TABLES`), columns in declared order.

    Raises
    ------
    ValidationError
        A project's status rows break :func:`pmo_kit.evm.project_performance`'s
        rules, or a risk level is off the matrix (the message names the row).
    """
    import numpy as np
    import pandas as pd

    from pmo_kit.data.schemas import RISK_CATEGORIES
    from pmo_kit.evm import project_performance
    from pmo_kit.risk import score

    projects = portfolio.projects
    resources = portfolio.resources
    names = resources.set_index("resource_id")["name"]
    dim_project = projects.assign(
        manager_id=projects["manager"],
        manager=projects["manager"].map(names),
    )
    rows = []
    for project in projects.to_dict("records"):
        pid = str(project["project_id"])
        status = portfolio.status[portfolio.status["project_id"] == pid]
        if status.empty:
            continue
        try:
            perf = project_performance(
                status[["status_date", "pv", "ev", "ac"]],
                bac=float(project["budget"]),
                planned_finish=pd.Timestamp(project["planned_finish"]),
                start=pd.Timestamp(project["start"]),
            )
        except ValidationError as exc:
            msg = f"project {pid}: {exc}"
            raise ValidationError(msg) from None
        rows.append(perf.assign(project_id=pid))
    perf_all = (
        pd.concat(rows, ignore_index=True)
        if rows
        else pd.DataFrame(columns=["project_id", "status_date"])
    )
    fact_status = perf_all.rename(columns={"eac_cpi": "eac", "tcpi_bac": "tcpi"})
    for column in ("eac", "tcpi", "etc", "vac", "forecast_finish"):
        if column not in fact_status:
            fact_status[column] = np.nan
    tasks = portfolio.tasks
    fact_task = tasks.assign(
        is_milestone=tasks["duration"] == 0,
        earned_value=tasks["budgeted_cost"].astype(float)
        * tasks["percent_complete"].astype(float)
        / 100.0,
    )
    risks = portfolio.risks
    fact_risk = (
        score(risks)
        if len(risks)
        else risks.assign(
            **{
                c: pd.Series(dtype="float64")
                for c in (
                    "inherent_score",
                    "residual_score",
                    "chance",
                    "expected_cost",
                    "exposure",
                    "emv",
                )
            },
            rating=pd.Series(dtype="object"),
            residual_rating=pd.Series(dtype="object"),
        )
    )
    assignments = portfolio.assignments
    rate = assignments["resource_id"].map(
        resources.set_index("resource_id")["cost_rate"]
    )
    fact_assignment = assignments.assign(
        cost=assignments["hours"].astype(float) * rate.astype(float)
    )
    dim_risk_category = pd.DataFrame(
        {
            "category": list(RISK_CATEGORIES),
            "sort_order": range(1, len(RISK_CATEGORIES) + 1),
        }
    )
    dim_rag = pd.DataFrame(
        {"rag": ["green", "amber", "red", "grey"], "sort_order": [1, 2, 3, 4]}
    )
    raw = {
        "dim_project": dim_project,
        "dim_resource": resources,
        "dim_risk_category": dim_risk_category,
        "dim_rag": dim_rag,
        "fact_status": fact_status,
        "fact_task": fact_task,
        "fact_risk": fact_risk,
        "fact_assignment": fact_assignment,
    }
    typed = {name: _typed(frame, name) for name, frame in raw.items()}
    typed["dim_date"] = _typed(_dates(typed), "dim_date")
    return {name: typed[name] for name in BI_TABLES}


def _dates(tables: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """One row per day from the earliest to the latest date of any table."""
    import pandas as pd

    found = [
        frame[column].dropna()
        for name, frame in tables.items()
        for column, kind, _, _ in BI_TABLES[name]
        if kind == "date" and column in frame
    ]
    values = pd.concat(found) if found else pd.Series(dtype="datetime64[ms]")
    if values.empty:
        days = pd.DatetimeIndex([])
    else:
        days = pd.date_range(values.min(), values.max(), freq="D")
    iso = days.isocalendar()
    return pd.DataFrame(
        {
            "date": days,
            "year": days.year,
            "quarter": days.quarter,
            "month": days.month,
            "month_name": days.month_name(),
            "iso_year": iso["year"].to_numpy(),
            "iso_week": iso["week"].to_numpy(),
            "weekday": days.day_name(),
            "is_working_day": days.day_of_week < 5,
        }
    )


def _csv_bytes(frame: pd.DataFrame, name: str) -> bytes:
    out = frame.copy()
    for column, kind, _, _ in BI_TABLES[name]:
        if kind == "date":
            out[column] = out[column].dt.strftime("%Y-%m-%d")
    return out.to_csv(index=False, float_format="%.17g", lineterminator="\n").encode(
        "utf-8"
    )


def _parquet_bytes(frame: pd.DataFrame) -> bytes:
    import pyarrow as pa  # type: ignore[import-untyped,unused-ignore]
    import pyarrow.parquet as pq  # type: ignore[import-untyped,unused-ignore]

    buffer = io.BytesIO()
    pq.write_table(pa.Table.from_pandas(frame, preserve_index=False), buffer)
    return buffer.getvalue()


def _dictionary() -> bytes:
    import pandas as pd

    rows = [
        {
            "table": name,
            "column": column,
            "type": kind,
            "key": "yes" if column in _KEYS[name] else "",
            "meaning": meaning,
            "unit": unit,
        }
        for name, columns in BI_TABLES.items()
        for column, kind, meaning, unit in columns
    ]
    return pd.DataFrame(rows).to_csv(index=False, lineterminator="\n").encode("utf-8")


def _readme(portfolio: Portfolio, formats: Sequence[str]) -> bytes:
    lines = [
        f"BI export of {portfolio.name} (pmo-kit). Money is in {portfolio.currency}.",
        "",
        "Star schema: dimensions dim_* (one row per key) and facts fact_* (keys",
        "into the dimensions). Load every file in Power BI (Get data > Folder, or",
        "Parquet) or Tableau (Text file / Parquet) and relate:",
        "  fact_*.project_id -> dim_project.project_id",
        "  fact_status.status_date, fact_task.baseline_start/finish,",
        "  fact_risk.raised_date -> dim_date.date",
        "  fact_risk.category -> dim_risk_category.category",
        "  fact_risk.owner, fact_assignment.resource_id, dim_project.manager_id",
        "    -> dim_resource.resource_id",
        "  fact_status.*_rag -> dim_rag.rag",
        "  fact_assignment (project_id, task_id) -> fact_task (project_id, task_id)",
        "",
        f"Formats: {', '.join(formats)}. CSV: UTF-8, comma, ISO dates (YYYY-MM-DD),",
        "empty cell = no value. data_dictionary.csv gives each column's type,",
        "meaning and unit. KPIs are computed by pmo_kit.evm (default RAG bands,",
        "schedule RAG from SPI(t)) and pmo_kit.risk (ordinal 5x5 matrix).",
        "",
    ]
    return "\n".join(lines).encode("utf-8")


def export_bi(
    portfolio: Portfolio,
    out: str | os.PathLike[str],
    *,
    formats: Sequence[str] = _FORMATS,
) -> BiExport:
    """
    Write the dataset's star schema (facts with KPIs, dimensions) to a folder.

    Parameters
    ----------
    portfolio
        A loaded dataset.
    out
        The folder (created when missing; files of the same names are replaced,
        other files are left alone).
    formats
        ``"csv"`` and/or ``"parquet"``.

    Returns
    -------
    BiExport
        The tables and the paths written.

    Raises
    ------
    ValidationError
        An unknown format, or data breaking a KPI function's rules.
    MissingDependencyError
        Parquet requested and pyarrow missing (nothing is written).
    """
    formats = tuple(dict.fromkeys(formats))
    bad = [f for f in formats if f not in _FORMATS]
    if bad or not formats:
        msg = (
            f"{(bad or [''])[0]!r} is an invalid value for `formats`. Valid values: "
            "'csv', 'parquet'"
        )
        raise ValidationError(msg)
    if "parquet" in formats:
        try:
            import pyarrow.parquet  # noqa: F401  # type: ignore[import-untyped,unused-ignore]
        except ImportError:
            raise MissingDependencyError(PARQUET_HINT) from None
    from pmo_kit.data.atomic import atomic_write_bytes

    tables = bi_tables(portfolio)
    folder = Path(out)
    if folder.exists() and not folder.is_dir():
        msg = f"{folder}: is a file. Allowed: a folder for the BI tables"
        raise ValidationError(msg)
    payload: dict[Path, bytes] = {}
    for name, frame in tables.items():
        if "csv" in formats:
            payload[folder / f"{name}.csv"] = _csv_bytes(frame, name)
        if "parquet" in formats:
            payload[folder / f"{name}.parquet"] = _parquet_bytes(frame)
    payload[folder / "data_dictionary.csv"] = _dictionary()
    payload[folder / "README.txt"] = _readme(portfolio, formats)
    for path, data in payload.items():
        atomic_write_bytes(path, data)
    return BiExport(tables=tables, files=tuple(payload))
