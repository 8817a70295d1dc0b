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

__all__ = ["parameter_option", "parameter_values", "terminate_as_exit"]


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
