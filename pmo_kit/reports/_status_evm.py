"""
Schedule and cost status of a project from its earned value, and the status date.

The colours come from :func:`pmo_kit.evm.project_performance` (SPI(t) for schedule,
CPI for cost, bands from the RAG rules); this module words the reasons and says
what a project without earned value is: not started, closed, or not yet reporting.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pandas as pd

from pmo_kit._errors import ValidationError
from pmo_kit.reports._status_areas import AreaStatus
from pmo_kit.reports._status_text import late_text

if TYPE_CHECKING:
    from pmo_kit.schedule.calendar import DateLike

__all__ = ["evm_areas", "grey_area", "status_date_for"]


def status_date_for(
    history: pd.DataFrame, project: pd.Series, as_of: DateLike | None
) -> pd.Timestamp:
    """Return the date reported on: the last status row on or before ``as_of``."""
    recorded = pd.Timestamp(project["status_date"])
    latest = max(recorded, history["status_date"].max()) if len(history) else recorded
    if as_of is None or (isinstance(as_of, str) and not as_of.strip()):
        return pd.Timestamp(latest)
    msg = f"{as_of!r} is an invalid value for `as_of`. Allowed: a date (YYYY-MM-DD)"
    try:
        parsed = pd.Timestamp(as_of)
    except (TypeError, ValueError):
        raise ValidationError(msg) from None
    if pd.isna(parsed):
        raise ValidationError(msg)
    stamp = pd.Timestamp(parsed).normalize()
    if stamp > latest:
        msg = (
            f"as_of (status date) {stamp:%Y-%m-%d} is after the latest status of "
            f"{project['project_id']} ({latest:%Y-%m-%d}). Allowed: a date up to "
            f"{latest:%Y-%m-%d}, or none for the latest"
        )
        raise ValidationError(msg)
    earlier = history[history["status_date"] <= stamp]
    return pd.Timestamp(earlier["status_date"].iloc[-1]) if len(earlier) else stamp


def grey_area(state: str, project: pd.Series, history: pd.DataFrame) -> AreaStatus:
    """Say why schedule and cost cannot be measured (grey)."""
    if state == "closed":
        return AreaStatus("grey", "closed: no earned-value status was reported")
    if state == "not started":
        return AreaStatus(
            "grey",
            f"not started: the project starts on {project['start']:%d %b %Y}",
        )
    if len(history):
        first = history["status_date"].iloc[0]
        return AreaStatus(
            "grey", f"no earned value yet: the first status is of {first:%d %b %Y}"
        )
    return AreaStatus(
        "grey", f"no earned-value status reported yet ({project['phase']})"
    )


def evm_areas(
    now: pd.Series | None,
    *,
    state: str,
    project: pd.Series,
    history: pd.DataFrame,
    currency: str,
) -> dict[str, AreaStatus]:
    """Return the schedule and cost status of the last performance row, with reasons."""
    planned_finish = pd.Timestamp(project["planned_finish"])
    if now is None:
        grey = grey_area(state, project, history)
        return {"schedule": grey, "cost": grey}
    forecast = now["forecast_finish"]
    return {
        "schedule": AreaStatus(
            str(now["schedule_rag"]),
            f"SPI(t) {now['spi_t']:.2f}: {now['es']:.1f} weeks of planned work "
            f"done in {now['at']:.1f} weeks; forecast finish "
            + (
                f"{forecast:%d %b %Y}, {late_text(forecast, planned_finish)}"
                if pd.notna(forecast)
                else "not measurable yet"
            ),
        ),
        "cost": AreaStatus(
            str(now["cost_rag"]),
            f"CPI {now['cpi']:.2f}: forecast cost {currency} "
            f"{now['eac_cpi']:,.0f} against the budget of {currency} "
            f"{now['bac']:,.0f} ("
            + (
                f"{-now['vac']:,.0f} over)"
                if now["vac"] < 0
                else f"{now['vac']:,.0f} under)"
            ),
        ),
    }
