"""
``pmo-kit import asana|jira ... --into DATASET`` and ``pmo-kit export bi DATASET``.

Only click is imported here; the readers and writers (pandas, pyarrow) load with
the command. Every user error is one line and exit status 1.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING

import click

from pmo_kit._errors import PMOError
from pmo_kit.cli_support import load_dataset_argument

if TYPE_CHECKING:
    from collections.abc import Mapping, Sequence

    import pandas as pd

__all__ = ["export_bi_command", "import_asana_command", "import_jira_command"]


def _pairs(values: Sequence[str], option: str) -> dict[str, str]:
    out: dict[str, str] = {}
    for value in values:
        key, sep, target = value.partition("=")
        if not sep or not key.strip() or not target.strip():
            msg = (
                f"{option} {value!r} is not NAME=VALUE. Allowed: e.g. "
                f"{option} 'Blocked=In Progress'"
            )
            raise click.ClickException(msg)
        out[key.strip()] = target.strip()
    return out


def _day(value: str | None, option: str) -> dt.date | None:
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        msg = f"{option} {value!r} is not a date. Allowed: YYYY-MM-DD, e.g. 2025-04-30"
        raise click.ClickException(msg) from None


def _existing(folder: Path) -> tuple[pd.DataFrame | None, pd.DataFrame | None]:
    """Return the dataset's projects and resources (None, None for a new one)."""
    from pmo_kit.data.portfolio import load_portfolio

    if folder.is_dir() and any(folder.iterdir()):
        portfolio = load_portfolio(folder)
        return portfolio.projects, portfolio.resources
    return None, None


def _save(
    into: Path,
    tables: Mapping[str, pd.DataFrame],
    project_id: str,
    warnings: Sequence[str],
    summary: str,
) -> None:
    from pmo_kit.io.into import add_project

    add_project(into, tables, project_id=project_id)
    click.echo(f"Imported {project_id} into {into}: {summary}.")
    for warning in warnings:
        click.echo(f"warning: {warning}")


_COMMON = [
    click.option(
        "--into",
        type=click.Path(file_okay=False, path_type=Path),
        required=True,
        help="Dataset folder (created when missing; the project is replaced).",
    ),
    click.option("--project-id", required=True, help="Project id, e.g. P-012."),
    click.option("--name", default=None, help="Project name (default: the file's)."),
    click.option("--manager", default=None, help="Project manager's name."),
    click.option("--status-date", default=None, help="YYYY-MM-DD (default: today)."),
]


def _common(func: click.Command) -> click.Command:
    for option in reversed(_COMMON):
        func = option(func)
    return func


@click.command("asana")
@click.argument("export", type=click.Path(dir_okay=False, path_type=Path))
@_common  # type: ignore[arg-type]
@click.option(
    "--as",
    "mode",
    type=click.Choice(["auto", "tasks", "work-items"]),
    default="auto",
    show_default=True,
    help="Tasks and dependencies, or agile work items; auto: work items when the "
    "project is already in the dataset as agile, else tasks.",
)
@click.option("--key-prefix", default="AS", show_default=True, help="Work-item keys.")
@click.option(
    "--section-status",
    multiple=True,
    help="Work items: a section read as a status, e.g. 'Doing now=In Progress'.",
)
def import_asana_command(
    export: Path,
    into: Path,
    project_id: str,
    name: str | None,
    manager: str | None,
    status_date: str | None,
    mode: str,
    key_prefix: str,
    section_status: tuple[str, ...],
) -> None:
    """Add Asana's CSV export (EXPORT) to a dataset as one project.

    Sections become WBS level 1, tasks level 2, subtasks level 3; "Blocked By"
    becomes finish-to-start links; completed tasks are 100 % done. With
    --as work-items each task is an agile work item instead.
    """
    from pmo_kit.io.asana import read_asana_csv
    from pmo_kit.io.imported import people_tables, project_tables

    day = _day(status_date, "--status-date")
    statuses = _pairs(section_status, "--section-status")
    try:
        projects, resources = _existing(into)
        if mode == "auto":
            agile = projects is not None and bool(
                (
                    (projects["project_id"] == project_id)
                    & (projects["methodology"] == "agile")
                ).any()
            )
        else:
            agile = mode == "work-items"
        result = read_asana_csv(
            export,
            project_id=project_id,
            as_work_items=agile,
            key_prefix=key_prefix,
            section_statuses=statuses,
        )
        people, assignments = people_tables(result.assignees, result.tasks)
        done = (
            result.work_items["status"].eq("Done").any()
            if result.work_items is not None
            else result.tasks is not None
            and result.tasks["percent_complete"].gt(0).any()
        )
        project, manager_rows, notes = project_tables(
            project_id=project_id,
            name=name or result.name,
            methodology="agile" if agile else "predictive",
            start=result.start,
            finish=result.finish,
            status_date=day,
            source=str(export),
            existing=projects,
            existing_resources=resources,
            manager=manager,
            assignees=list(result.assignees["name"]),
            any_done=bool(done),
        )
        import pandas as pd

        tables: dict[str, pd.DataFrame] = {
            "projects": project,
            "resources": pd.concat([manager_rows, people], ignore_index=True),
        }
        if result.tasks is not None and result.dependencies is not None:
            tables |= {
                "tasks": result.tasks,
                "dependencies": result.dependencies,
                "assignments": assignments,
            }
            summary = (
                f"{len(result.tasks)} tasks in {len(result.sections)} sections, "
                f"{len(result.dependencies)} dependencies, {len(assignments)} "
                "assignments"
            )
        else:
            assert result.work_items is not None
            tables["work_items"] = result.work_items
            summary = f"{len(result.work_items)} work items"
        _save(into, tables, project_id, [*result.warnings, *notes], summary)
    except PMOError as exc:
        raise click.ClickException(str(exc)) from None


@click.command("jira")
@click.argument("export", type=click.Path(dir_okay=False, path_type=Path))
@_common  # type: ignore[arg-type]
@click.option(
    "--status-map",
    multiple=True,
    help="A workflow status mapped to To Do / In Progress / In Review / Done, "
    "e.g. 'Blocked=In Progress' (repeat the option).",
)
@click.option(
    "--type-map", multiple=True, help="An issue type mapped, e.g. 'Epic=story'."
)
@click.option("--date-format", default=None, help="strptime format of the dates.")
@click.option(
    "--sprints",
    "sprint_dates",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="CSV 'Sprint, Start Date, End Date[, Goal]': the sprints' dates.",
)
@click.option(
    "--history",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Status-change history CSV (issue_key, changed_at, status_after).",
)
def import_jira_command(
    export: Path,
    into: Path,
    project_id: str,
    name: str | None,
    manager: str | None,
    status_date: str | None,
    status_map: tuple[str, ...],
    type_map: tuple[str, ...],
    date_format: str | None,
    sprint_dates: Path | None,
    history: Path | None,
) -> None:
    """Add Jira's issue "Export CSV" (EXPORT) to a dataset as one agile project.

    Every sprint an issue was in is kept: with --sprints, a sprint's committed
    points count each issue that was in it (as Jira's velocity chart does);
    without it the sprints have no dates and the items keep no sprint.
    """
    import pandas as pd

    from pmo_kit.io.imported import project_tables
    from pmo_kit.io.jira import (
        jira_sprints,
        read_jira_csv,
        read_jira_sprint_dates,
        read_jira_sprint_membership,
        read_status_history,
    )

    day = _day(status_date, "--status-date")
    statuses = _pairs(status_map, "--status-map")
    types = _pairs(type_map, "--type-map")
    warnings: list[str] = []
    try:
        items = read_jira_csv(
            export,
            project_id=project_id,
            status_mapping=statuses,
            type_mapping=types,
            date_format=date_format,
        )
        tables: dict[str, pd.DataFrame] = {"work_items": items}
        membership = read_jira_sprint_membership(export, project_id=project_id)
        summary = f"{len(items)} work items"
        if sprint_dates is not None:
            dates = read_jira_sprint_dates(
                sprint_dates, project_id=project_id, date_format=date_format
            )
            sprints = jira_sprints(membership, items, dates)
            tables["sprints"] = sprints
            carried = int((~membership["last"]).sum())
            summary += (
                f", {len(sprints)} sprints ({carried} carry-over(s) counted in "
                "each sprint's commitment)"
            )
        elif items["sprint_id"].notna().any():
            count = int(items["sprint_id"].notna().sum())
            warnings.append(
                f"{export}: {count} issue(s) name a sprint but the sprints' dates "
                "are unknown: their sprint is left empty (pass --sprints DATES.csv)"
            )
            tables["work_items"] = items.assign(sprint_id=None)
        if history is not None:
            changes = read_status_history(
                history,
                project_id=project_id,
                status_mapping=statuses,
                date_format=date_format,
            )
            known = changes["key"].isin(items["key"])
            if not known.all():
                warnings.append(
                    f"{history}: {int((~known).sum())} change(s) of issues not in "
                    f"{export.name} left out"
                )
            tables["status_changes"] = changes[known]
            summary += f", {int(known.sum())} status changes"
        projects, resources = _existing(into)
        created = pd.to_datetime(items["created"]).min()
        ends = [
            pd.to_datetime(items["resolved"]).max(),
            pd.to_datetime(tables["sprints"]["end"]).max()
            if "sprints" in tables
            else pd.NaT,
        ]
        finish = max((e for e in ends if not pd.isna(e)), default=created)
        project, manager_rows, notes = project_tables(
            project_id=project_id,
            name=name or _jira_project_name(export),
            methodology="agile",
            start=created.date(),
            finish=finish.date(),
            status_date=day,
            source=str(export),
            existing=projects,
            existing_resources=resources,
            manager=manager,
            any_done=bool(items["status"].eq("Done").any()),
        )
        tables |= {"projects": project, "resources": manager_rows}
        _save(into, tables, project_id, [*warnings, *notes], summary)
    except PMOError as exc:
        raise click.ClickException(str(exc)) from None


def _jira_project_name(export: Path) -> str:
    """Return the ``Project name`` of the export's first issue, else the file stem."""
    import csv

    with export.open(encoding="utf-8-sig", newline="") as handle:
        reader = csv.reader(handle)
        header = next(reader, [])
        first = next(reader, [])
    if "Project name" in header:
        i = header.index("Project name")
        if i < len(first) and first[i].strip():
            return first[i].strip()
    return export.stem


@click.command("bi")
@click.argument("dataset", type=str)
@click.option(
    "-o",
    "--output",
    type=click.Path(file_okay=False, path_type=Path),
    required=True,
    help="Folder for the tables (created; files in it are replaced).",
)
@click.option(
    "--format",
    "formats",
    type=click.Choice(["csv", "parquet"]),
    multiple=True,
    default=("csv", "parquet"),
    show_default=True,
    help="File formats to write (repeat the option).",
)
def export_bi_command(dataset: str, output: Path, formats: tuple[str, ...]) -> None:
    """Write DATASET as fact and dimension tables for Power BI or Tableau.

    Facts carry the kit's KPIs (PV, EV, AC, SPI, CPI, SPI(t), EAC, RAG, risk
    scores); data_dictionary.csv describes every column.
    """
    from pmo_kit.io.bi import export_bi

    portfolio = load_dataset_argument(dataset)
    try:
        written = export_bi(portfolio, output, formats=formats)
    except PMOError as exc:
        raise click.ClickException(str(exc)) from None
    except OSError as exc:
        msg = f"{output}: cannot write there ({exc.strerror or exc})"
        raise click.ClickException(msg) from None
    click.echo(
        f"Wrote {len(written.tables)} tables ({', '.join(formats)}) and the data "
        f"dictionary to {output}."
    )
