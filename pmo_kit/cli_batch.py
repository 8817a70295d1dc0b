"""
``pmo-kit report batch``: one report over many projects or parameter sets.

Only click is imported here; the batch runner loads with the command.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click

from pmo_kit.cli_support import parameter_option, parameter_values, terminate_as_exit

if TYPE_CHECKING:
    from collections.abc import Sequence

__all__ = ["batch_command"]


@click.command("batch")
@click.argument("name")
@click.option("--all-projects", is_flag=True, help="One report per project.")
@click.option(
    "--projects",
    metavar="P-001,P-002",
    default=None,
    help="One report per listed project.",
)
@click.option(
    "--grid",
    type=click.Path(path_type=Path),
    default=None,
    help="CSV (header = parameter names), YAML or JSON list: one report per row.",
)
@parameter_option("A parameter for every report, such as -p dataset DIR (repeatable).")
@click.option(
    "-o",
    "--output-dir",
    type=click.Path(file_okay=False, path_type=Path),
    required=True,
    help="Batch folder: one folder per report, index.html, manifest.json.",
)
@click.option(
    "-j",
    "--jobs",
    type=click.IntRange(min=1),
    default=None,
    help="Reports at once.  [default: CPU cores]",
)
@click.option(
    "--force", is_flag=True, help="Also redo reports whose inputs are unchanged."
)
@click.option("--no-html", is_flag=True, help="Skip the HTML export.")
@click.option(
    "--executor",
    type=click.Choice(["local", "dask"]),
    default="local",
    show_default=True,
    help="Where reports run: this machine, or a Dask cluster.",
)
@click.option(
    "--scheduler",
    metavar="ADDRESS",
    default=None,
    help="Dask scheduler address (tcp://host:8786), with --executor dask.",
)
@click.option(
    "--timeout",
    "cell_timeout",
    type=click.IntRange(min=1),
    default=600,
    show_default=True,
    help="Seconds a cell may run before its report counts as failed.",
)
def batch_command(
    name: str,
    all_projects: bool,
    projects: str | None,
    grid: Path | None,
    parameters: Sequence[tuple[str, str]],
    output_dir: Path,
    jobs: int | None,
    force: bool,
    no_html: bool,
    executor: str,
    scheduler: str | None,
    cell_timeout: int,
) -> None:
    """Run report NAME once per project (or grid row) into OUTPUT_DIR.

    One failing report never stops the others; each failure is one line at the
    end (parameters, cause, kept notebook) and the exit status is 1. Reports whose
    notebook, parameters and input files are unchanged since their last good run
    are skipped (--force redoes them), so a stopped batch resumes where it was.
    OUTPUT_DIR/index.html links every report with its headline figures.
    """
    from pmo_kit.reports.batch import run_batch

    tty = sys.stderr.isatty()

    def say(finished: int, total: int, line: str) -> None:
        if not tty:  # a terminal gets the bar instead
            click.echo(line, err=True)

    with terminate_as_exit():
        result = run_batch(
            name,
            output_dir=output_dir,
            all_projects=all_projects,
            projects=projects,
            grid=grid,
            parameters=parameter_values(parameters),
            jobs=jobs,
            executor=executor,
            scheduler=scheduler,
            force=force,
            html=not no_html,
            cell_timeout=cell_timeout,
            progress=say,
            progress_bar=tty,
        )
    for line in result.failure_lines():
        click.echo(line, err=True)
    click.echo(result.summary_line())
    if not result.ok:
        sys.exit(1)
