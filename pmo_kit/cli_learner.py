"""
``pmo-kit learner``: the learner's own workspace (lessons and exercises, made once).

Only click is imported here; the workspace code loads with the command.
"""

from __future__ import annotations

from pathlib import Path

import click

__all__ = ["learner_group"]


@click.group("learner")
def learner_group() -> None:
    """Self-guided learning: your own copy of the course."""


@learner_group.command("workspace")
@click.argument(
    "directory",
    required=False,
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("workspace"),
)
@click.option(
    "--dataset",
    type=click.Path(path_type=Path),
    default=None,
    help="Dataset folder the lessons and exercises use (written to pmo-kit.yaml).",
)
@click.option(
    "--refresh",
    is_flag=True,
    help="Update notebooks the kit changed; your answers are kept, with a backup.",
)
def workspace_command(directory: Path, dataset: Path | None, refresh: bool) -> None:
    """Make (once) DIRECTORY [default: workspace]: lessons and exercises to work in.

    A file already in the workspace is never overwritten; --refresh carries your
    answers into notebooks the kit changed and keeps your old file as a backup.
    """
    from pmo_kit.training.workspace import make_workspace

    report = make_workspace(directory, dataset=dataset, refresh=refresh)
    for line in report.lines():
        click.echo(line)
    created, kept = len(report.created), len(report.kept)
    click.echo(
        f"workspace {report.root}: {created} created, {kept} kept, "
        f"{len(report.refreshed)} refreshed, {len(report.backed_up)} backed up"
    )
