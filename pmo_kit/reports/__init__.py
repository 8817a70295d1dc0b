"""
Report pipeline: parameterised notebooks run with papermill, exported to HTML.

Report notebooks live in ``notebooks/reports/`` (shipped in the wheel). Each starts
with a cell tagged ``parameters`` (one annotated line per parameter with a ``#``
help comment), validates its parameters with :func:`check_parameters`, and ends by
writing ``summary.json`` with :func:`write_summary`.
"""

from __future__ import annotations

from pmo_kit.reports._catalog import (
    ReportInfo,
    ReportParameter,
    available_reports,
    check_parameters,
    describe_report,
    reports_folder,
    write_summary,
)
from pmo_kit.reports._display import html_table, narrative_html, report_header
from pmo_kit.reports._runner import ReportResult, export_html, run_report

__all__ = [
    "ReportInfo",
    "ReportParameter",
    "ReportResult",
    "available_reports",
    "check_parameters",
    "describe_report",
    "export_html",
    "html_table",
    "narrative_html",
    "report_header",
    "reports_folder",
    "run_report",
    "write_summary",
]
