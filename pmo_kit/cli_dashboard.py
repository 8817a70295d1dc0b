"""
``pmo-kit dashboard``: serve the live portfolio dashboard (Voila) until Ctrl-C.

Only click (and the kit's small click helpers) are imported here; the dataset
check and Voila load when the command runs, so ``pmo-kit --help`` stays fast.
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from pmo_kit._errors import PMOError
from pmo_kit.cli_support import terminate_as_exit

__all__ = ["DASHBOARD_DEFAULTS", "dashboard_command"]

#: Defaults of the options: those of :func:`pmo_kit.dashboard.serve_dashboard`,
#: written out so that start-up imports nothing more; a test keeps them equal.
DASHBOARD_DEFAULTS: dict[str, object] = {"port": 8866, "host": "127.0.0.1"}


@click.command("dashboard")
@click.option(
    "--dataset",
    type=click.Path(path_type=Path),
    default=None,
    help="Dataset folder.  [default: the bundled sample organisation]",
)
@click.option(
    "--port",
    type=click.IntRange(min=1, max=65535),
    default=DASHBOARD_DEFAULTS["port"],
    show_default=True,
    help="Port to listen on.",
)
@click.option(
    "--host",
    default=DASHBOARD_DEFAULTS["host"],
    show_default=True,
    help="Address to listen on; 0.0.0.0 lets anyone on your network see the data.",
)
@click.option("--no-browser", is_flag=True, help="Do not open a browser.")
def dashboard_command(
    dataset: Path | None, port: int, host: str, no_browser: bool
) -> None:
    """Serve the live portfolio dashboard in the browser (Voila; no network).

    Filters (programme, phase, RAG, methodology) drive the portfolio table and
    charts; pick a project to see its status. Ctrl-C stops the server.
    """
    from pmo_kit.dashboard import serve_dashboard

    where = "the bundled sample organisation" if dataset is None else str(dataset)
    try:
        with terminate_as_exit():
            status = serve_dashboard(
                dataset,
                port=port,
                host=host,
                open_browser=not no_browser,
                on_start=lambda url: click.echo(
                    f"Serving the portfolio dashboard of {where} at {url} "
                    "(Ctrl-C stops it)",
                    err=True,
                ),
            )
    except PMOError as exc:
        raise click.ClickException(str(exc)) from exc
    if status:
        sys.exit(status)
