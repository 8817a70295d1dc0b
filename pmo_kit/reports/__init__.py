"""
Report pipeline: parameterised notebooks run with papermill, exported to HTML.

Report notebooks live in ``notebooks/reports/`` (shipped in the wheel). Each starts
with a cell tagged ``parameters`` (one annotated line per parameter with a ``#``
help comment), validates its parameters with :func:`check_parameters`, and ends by
writing ``summary.json`` with :func:`write_summary`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from pmo_kit import _lazy

if TYPE_CHECKING:
    from pmo_kit.reports._catalog import (
        RUNNER_PARAMETERS,
        ReportInfo,
        ReportParameter,
        available_reports,
        check_parameters,
        describe_report,
        reports_folder,
        write_summary,
    )
    from pmo_kit.reports._display import html_table, narrative_html, report_header
    from pmo_kit.reports._runner import (
        ReportResult,
        export_html,
        quiet_kernel_manager,
        run_report,
    )
    from pmo_kit.reports.agile_metrics import AgileMetrics, agile_metrics
    from pmo_kit.reports.batch import BatchFailure, BatchResult, run_batch
    from pmo_kit.reports.batch_plan import BatchJob, plan_batch
    from pmo_kit.reports.capacity_review import CapacityReview, capacity_review
    from pmo_kit.reports.governance_review import GovernanceReview, governance_review
    from pmo_kit.reports.maturity_review import MaturityReview, maturity_review
    from pmo_kit.reports.portfolio_review import PortfolioReview, portfolio_review
    from pmo_kit.reports.prioritisation_review import (
        PrioritisationReview,
        portfolio_prioritisation,
    )
    from pmo_kit.reports.project_status import (
        AreaStatus,
        ProjectStatus,
        StatusRules,
        load_status_rules,
        project_status,
    )
    from pmo_kit.reports.risk_review import RiskReview, risk_review
    from pmo_kit.reports.schedule_risk import ScheduleRisk, schedule_risk

# Names are imported on first use (pmo_kit._lazy): `pmo-kit report list` and a
# rejected parameter must answer without importing pandas or the report functions.
# To export a name, add it to the imports above, to its module in _EXPORTS and to
# __all__.
_EXPORTS: dict[str, tuple[str, ...]] = {
    "pmo_kit.reports._catalog": (
        "RUNNER_PARAMETERS",
        "ReportInfo",
        "ReportParameter",
        "available_reports",
        "check_parameters",
        "describe_report",
        "reports_folder",
        "write_summary",
    ),
    "pmo_kit.reports._display": ("html_table", "narrative_html", "report_header"),
    "pmo_kit.reports._runner": (
        "ReportResult",
        "export_html",
        "quiet_kernel_manager",
        "run_report",
    ),
    "pmo_kit.reports.agile_metrics": ("AgileMetrics", "agile_metrics"),
    "pmo_kit.reports.batch": ("BatchFailure", "BatchResult", "run_batch"),
    "pmo_kit.reports.batch_plan": ("BatchJob", "plan_batch"),
    "pmo_kit.reports.capacity_review": ("CapacityReview", "capacity_review"),
    "pmo_kit.reports.governance_review": ("GovernanceReview", "governance_review"),
    "pmo_kit.reports.maturity_review": ("MaturityReview", "maturity_review"),
    "pmo_kit.reports.prioritisation_review": (
        "PrioritisationReview",
        "portfolio_prioritisation",
    ),
    "pmo_kit.reports.portfolio_review": ("PortfolioReview", "portfolio_review"),
    "pmo_kit.reports.project_status": (
        "AreaStatus",
        "ProjectStatus",
        "StatusRules",
        "load_status_rules",
        "project_status",
    ),
    "pmo_kit.reports.risk_review": ("RiskReview", "risk_review"),
    "pmo_kit.reports.schedule_risk": ("ScheduleRisk", "schedule_risk"),
}
if not TYPE_CHECKING:  # so that mypy still flags unknown names
    __getattr__, __dir__ = _lazy.lazy_exports(__name__, _EXPORTS)

__all__ = [
    "RUNNER_PARAMETERS",
    "AgileMetrics",
    "AreaStatus",
    "BatchFailure",
    "BatchJob",
    "BatchResult",
    "CapacityReview",
    "GovernanceReview",
    "MaturityReview",
    "PortfolioReview",
    "PrioritisationReview",
    "ProjectStatus",
    "ReportInfo",
    "ReportParameter",
    "ReportResult",
    "RiskReview",
    "ScheduleRisk",
    "StatusRules",
    "agile_metrics",
    "available_reports",
    "capacity_review",
    "check_parameters",
    "describe_report",
    "export_html",
    "governance_review",
    "html_table",
    "load_status_rules",
    "maturity_review",
    "narrative_html",
    "plan_batch",
    "portfolio_prioritisation",
    "portfolio_review",
    "project_status",
    "quiet_kernel_manager",
    "report_header",
    "reports_folder",
    "risk_review",
    "run_batch",
    "run_report",
    "schedule_risk",
    "write_summary",
]
