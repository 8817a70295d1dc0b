"""
``pmo-kit data copy``: copy a dataset between folders and databases.

Either side may be a dataset folder or a database URL (``sqlite:///pmo.db``,
``postgresql://user:password@host/pmo``), so one command puts a folder into a
database and takes it back out. Only click is imported here.
"""

from __future__ import annotations

from pathlib import Path

import click

from pmo_kit._errors import PMOError

__all__ = ["copy_command"]


def _holds_a_dataset(target: str) -> bool:
    from pmo_kit.data.portfolio import is_dataset_file
    from pmo_kit.store.urls import is_database_url

    if is_database_url(target):
        from pmo_kit.store.database import check_database

        checked = check_database(target)
        return checked.ok or "holds no portfolio yet" not in " ".join(checked.problems)
    folder = Path(target)
    return folder.is_dir() and any(
        is_dataset_file(p.relative_to(folder)) for p in folder.rglob("*")
    )


@click.command("copy")
@click.argument("source")
@click.argument("target")
@click.option(
    "--force",
    is_flag=True,
    help="Replace the target's dataset if it already holds one.",
)
def copy_command(source: str, target: str, force: bool) -> None:
    """Copy a dataset from SOURCE to TARGET (each a folder or a database URL).

    The source is validated as by `data validate`; the target is written all or
    nothing. Examples: `pmo-kit data copy datasets/meridian sqlite:///pmo.db`,
    `pmo-kit data copy sqlite:///pmo.db exported/`.
    """
    from pmo_kit.data.portfolio import load_portfolio, save_portfolio
    from pmo_kit.store.urls import is_database_url, mask_url

    try:
        portfolio = load_portfolio(source)
        shown = mask_url(target) if is_database_url(target) else target
        if not force and _holds_a_dataset(target):
            msg = (
                f"{shown} already holds a dataset; pass --force to replace it "
                "(files the kit did not make are kept)"
            )
            raise PMOError(msg)
        written = save_portfolio(portfolio, target)
    except PMOError as exc:
        raise click.ClickException(str(exc)) from exc
    origin = mask_url(source) if is_database_url(source) else source
    click.echo(
        f"Copied {portfolio.name}: {len(portfolio.projects)} projects, "
        f"{len(portfolio.tasks)} tasks, {len(portfolio.lessons)} lessons "
        f"from {origin} -> {written}"
    )
