"""
``pmo-kit export msproject DATASET --project ID -o PLAN.xml``: a project for MS Project.

Only click is imported here; the writer (pandas, the schedule engine) loads with
the command.
"""

from __future__ import annotations

from pathlib import Path

import click

from pmo_kit._errors import PMOError
from pmo_kit.cli_support import load_dataset_argument

__all__ = ["export_msproject_command"]


@click.command("msproject")
@click.argument("dataset", type=str)
@click.option("--project", "project_id", required=True, help="Project id, e.g. P-001.")
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    required=True,
    help="The MS Project XML file to write (replaced atomically).",
)
def export_msproject_command(dataset: str, project_id: str, output: Path) -> None:
    """Write one project of DATASET (a folder or database URL) as MS Project XML.

    Task dates are the kit's critical-path dates from the project start; links,
    progress, baseline, resources and assignments come with them. Open the file
    in MS Project with File > Open (XML format).
    """
    from pmo_kit.io.msproject.writer import write_msproject

    portfolio = load_dataset_argument(dataset)
    try:
        export = write_msproject(portfolio, project_id, output)
    except PMOError as exc:
        raise click.ClickException(str(exc)) from None
    except OSError as exc:
        msg = f"{output}: cannot write the file ({exc.strerror or exc})"
        raise click.ClickException(msg) from None
    links = int((portfolio.dependencies["project_id"] == project_id).sum())
    click.echo(
        f"Wrote {output}: {len(export.task_uids)} tasks "
        f"(+{len(export.summaries)} WBS summary tasks), {links} links, "
        f"{len(export.resource_uids)} resources, "
        f"{int((portfolio.assignments['project_id'] == project_id).sum())} "
        "assignments."
    )
    for warning in export.warnings:
        click.echo(f"warning: {warning}")
