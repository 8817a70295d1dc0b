"""
Readers for files made by other tools.

- :func:`read_jira_csv`: a Jira "Export CSV" of issues -> ``work_items``.
- :func:`read_status_history`: a status-change history -> ``status_changes``.
- :func:`read_psplib`: a PSPLIB single-mode RCPSP instance (``.sm``) -> inputs of
  :func:`pmo_kit.resources.level`; :func:`read_psplib_optima`: its table of optima.
"""

from __future__ import annotations

from pmo_kit.io.jira import (
    JIRA_STATUS_MAPPING,
    JIRA_TYPE_MAPPING,
    parse_jira_datetime,
    read_jira_csv,
    read_status_history,
)
from pmo_kit.io.psplib import PsplibInstance, read_psplib, read_psplib_optima

__all__ = [
    "JIRA_STATUS_MAPPING",
    "JIRA_TYPE_MAPPING",
    "PsplibInstance",
    "parse_jira_datetime",
    "read_jira_csv",
    "read_psplib",
    "read_psplib_optima",
    "read_status_history",
]
