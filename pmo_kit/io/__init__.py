"""
Readers for files made by other tools.

- :func:`read_jira_csv`: a Jira "Export CSV" of issues -> ``work_items``.
- :func:`read_status_history`: a status-change history -> ``status_changes``.
"""

from __future__ import annotations

from pmo_kit.io.jira import (
    JIRA_STATUS_MAPPING,
    JIRA_TYPE_MAPPING,
    parse_jira_datetime,
    read_jira_csv,
    read_status_history,
)

__all__ = [
    "JIRA_STATUS_MAPPING",
    "JIRA_TYPE_MAPPING",
    "parse_jira_datetime",
    "read_jira_csv",
    "read_status_history",
]
