"""
Readers and writers for files made by other tools.

- :func:`read_jira_csv`: a Jira "Export CSV" of issues -> ``work_items``;
  :func:`read_jira_sprint_membership` keeps every sprint an issue was in and
  :func:`jira_sprints` counts it as committed in each (as Jira's velocity chart does).
- :func:`read_status_history`: a status-change history -> ``status_changes``.
- :func:`read_asana_csv`: Asana's CSV export -> tasks and dependencies, or work items.
- :mod:`pmo_kit.io.msproject`: MS Project XML (MSPDI) in and out.
- :mod:`pmo_kit.io.excel`: the registers as an Excel workbook and back (openpyxl,
  the ``excel`` extra; imported on use).
- :func:`export_bi`: fact and dimension tables for Power BI / Tableau (CSV, Parquet).
- :func:`add_project`: put one imported project into a dataset folder, atomically.
- :func:`read_psplib`: a PSPLIB single-mode RCPSP instance (``.sm``) -> inputs of
  :func:`pmo_kit.resources.level`; :func:`read_psplib_optima`: its table of optima.
"""

from __future__ import annotations

from pmo_kit.io.asana import (
    ASANA_COLUMNS,
    ASANA_SECTION_STATUSES,
    AsanaImport,
    read_asana_csv,
)
from pmo_kit.io.bi import BI_TABLES, BiExport, bi_tables, export_bi
from pmo_kit.io.into import ImportOutcome, add_project, import_project
from pmo_kit.io.jira import (
    JIRA_STATUS_MAPPING,
    JIRA_TYPE_MAPPING,
    jira_sprints,
    parse_jira_datetime,
    read_jira_csv,
    read_jira_sprint_dates,
    read_jira_sprint_membership,
    read_status_history,
)
from pmo_kit.io.psplib import PsplibInstance, read_psplib, read_psplib_optima

__all__ = [
    "ASANA_COLUMNS",
    "ASANA_SECTION_STATUSES",
    "BI_TABLES",
    "JIRA_STATUS_MAPPING",
    "JIRA_TYPE_MAPPING",
    "AsanaImport",
    "BiExport",
    "ImportOutcome",
    "PsplibInstance",
    "add_project",
    "bi_tables",
    "export_bi",
    "import_project",
    "jira_sprints",
    "parse_jira_datetime",
    "read_asana_csv",
    "read_jira_csv",
    "read_jira_sprint_dates",
    "read_jira_sprint_membership",
    "read_psplib",
    "read_psplib_optima",
    "read_status_history",
]
