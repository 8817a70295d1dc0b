"""
``pmo-kit import ...`` and ``pmo-kit export ...``: other tools' files in and out.

The groups live here; each format's commands live in their own module
(``cli_io_*.py``) and are added to these groups by :mod:`pmo_kit.cli`.
"""

from __future__ import annotations

import click

__all__ = ["export_group", "import_group"]


@click.group("import")
def import_group() -> None:
    """Bring a plan, register or export from another tool into a dataset."""


@click.group("export")
def export_group() -> None:
    """Write a dataset in a format another tool reads."""
