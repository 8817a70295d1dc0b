"""
MS Project XML (MSPDI): read a plan into a dataset, write a project out.

- :func:`read_msproject`: parse an MSPDI file (with :mod:`defusedxml`) into a
  typed :class:`MSProjectPlan`.
- :func:`plan_to_tables`: map a plan onto the canonical tables, with warnings.
- :func:`import_msproject_file`: both steps.
- :func:`msproject_xml` / :func:`write_msproject`: one project of a dataset as an
  MSPDI file MS Project opens, dates as the kit's schedule computes them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from pmo_kit.io.msproject.reader import MSProjectPlan, read_msproject
from pmo_kit.io.msproject.to_dataset import MSProjectImport, plan_to_tables
from pmo_kit.io.msproject.writer import MSProjectExport, msproject_xml, write_msproject

if TYPE_CHECKING:
    import os

__all__ = [
    "MSProjectExport",
    "MSProjectImport",
    "MSProjectPlan",
    "import_msproject_file",
    "msproject_xml",
    "plan_to_tables",
    "read_msproject",
    "write_msproject",
]


def import_msproject_file(
    path: str | os.PathLike[str], *, project_id: str = "P-001"
) -> MSProjectImport:
    """
    Read an MSPDI file and map it onto canonical tables (nothing is written).

    Returns
    -------
    MSProjectImport
        Tables, warnings and per-task date notes; see :func:`plan_to_tables`.
    """
    return plan_to_tables(read_msproject(path), project_id=project_id)
