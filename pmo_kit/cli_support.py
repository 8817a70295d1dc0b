"""
Small pieces the ``pmo-kit`` commands share (only click and the standard library).

Kept apart from :mod:`pmo_kit.cli` so that commands defined in their own modules
(:mod:`pmo_kit.cli_batch`, :mod:`pmo_kit.cli_dashboard`) use the same ones.
"""

from __future__ import annotations

import contextlib
import signal
from typing import TYPE_CHECKING, Any

import click

from pmo_kit._errors import PMOError

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator, Sequence

    from pmo_kit.data.portfolio import Portfolio

__all__ = [
    "load_dataset_argument",
    "parameter_option",
    "parameter_values",
    "terminate_as_exit",
]


def parameter_option(help_text: str) -> Callable[[Any], Any]:
    """Return the ``-p NAME VALUE`` option (repeatable) with ``help_text``."""
    return click.option(
        "-p",
        "--parameter",
        "parameters",
        nargs=2,
        multiple=True,
        metavar="NAME VALUE",
        help=help_text,
    )


def parameter_values(pairs: Sequence[tuple[str, str]]) -> dict[str, Any]:
    """Turn repeated ``-p NAME VALUE`` into a dict; a name given twice is an error."""
    values: dict[str, Any] = {}
    for key, value in pairs:
        if key in values:
            msg = f"parameter {key!r} is given twice"
            raise PMOError(msg)
        values[key] = value
    return values


@contextlib.contextmanager
def terminate_as_exit() -> Iterator[None]:
    """Turn SIGTERM into SystemExit while work runs, so its clean-up runs."""

    def stop(signum: int, frame: object) -> None:
        raise SystemExit(128 + signum)

    try:
        previous = signal.signal(signal.SIGTERM, stop)
    except ValueError:  # not the main thread: leave signals alone
        yield
        return
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def load_dataset_argument(dataset: str) -> Portfolio:
    """
    Load the DATASET argument of an export command: a folder or a database URL.

    Raises
    ------
    click.ClickException
        One line: the argument is neither, or loading it found a problem.
    """
    from pathlib import Path

    from pmo_kit.data.portfolio import load_portfolio
    from pmo_kit.store.urls import is_database_url

    if not (is_database_url(dataset) or Path(dataset).is_dir()):
        msg = (
            f"DATASET {dataset!r} is not a dataset folder or a database URL. "
            "Allowed: a folder with projects.csv, tasks.csv, ... or a URL such as "
            "sqlite:///pmo.db"
        )
        raise click.ClickException(msg)
    try:
        return load_portfolio(dataset)
    except PMOError as exc:
        raise click.ClickException(str(exc)) from None
