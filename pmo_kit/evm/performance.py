"""
A project's earned value performance over time, from its weekly status rows.

:func:`project_performance` joins everything a status report needs, one row per
status date: PV, EV, AC, the cost and schedule indices, the EAC forecasts, earned
schedule, the forecast finish date and the RAG statuses.

Time unit: **weeks** (7 calendar days) since the project start. Status rows are
weekly, so "earned 20.4 weeks of schedule in 26 weeks" reads directly. Dates are
whole days, as in the schedule: the start counts from the beginning of its day, a
status date or a finish date to the end of its day. A status on the start day has
AT = 1/7 week; a project from Thursday 1 January to Wednesday 11 March 2026 has
PD = 10 weeks, and its forecast finish is the day in which start + IEAC(t) falls.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Literal, cast

import numpy as np
import pandas as pd

from pmo_kit._errors import ValidationError
from pmo_kit.data.inputs import DateLike, to_timestamp
from pmo_kit.evm._curve import earned_schedule_on_curve, pv_curve_arrays
from pmo_kit.evm.earned_schedule import schedule_metrics
from pmo_kit.evm.indices import metrics
from pmo_kit.evm.rag import DEFAULT_RAG, RagRules, RagThresholds, rag_status, worst_rag

if TYPE_CHECKING:
    from pmo_kit.evm._arrays import FloatArray

__all__ = ["PERFORMANCE_COLUMNS", "project_performance"]

ScheduleIndex = Literal["spi_t", "spi"]

_WEEK = pd.Timedelta(days=7)
_DAY = pd.Timedelta(days=1)
_STATUS_COLUMNS = ("status_date", "pv", "ev", "ac")
_PV_TOLERANCE = 1e-9

#: Columns of :func:`project_performance` (``project_id`` first when the input has it).
PERFORMANCE_COLUMNS: tuple[str, ...] = (
    "status_date",
    "bac",
    "pv",
    "ev",
    "ac",
    "sv",
    "cv",
    "spi",
    "cpi",
    "eac_cpi",
    "eac_remaining_at_budget",
    "eac_cpi_spi",
    "eac_bottom_up",
    "etc",
    "vac",
    "tcpi_bac",
    "tcpi_eac",
    "es",
    "at",
    "sv_t",
    "spi_t",
    "ieac_t",
    "tspi",
    "planned_duration",
    "forecast_finish",
    "schedule_rag",
    "cost_rag",
    "overall_rag",
)


def project_performance(
    status: pd.DataFrame,
    *,
    bac: float,
    planned_finish: DateLike,
    start: DateLike,
    baseline: pd.Series | None = None,
    thresholds: RagThresholds | RagRules = DEFAULT_RAG,
    schedule_index: ScheduleIndex = "spi_t",
) -> pd.DataFrame:
    """
    Earned value and earned schedule of one project at every status date.

    Parameters
    ----------
    status
        The project's rows of the ``status`` table: ``status_date`` and cumulative
        ``pv``, ``ev``, ``ac`` (a ``project_id`` column, if any, must hold one id).
    bac
        Budget at completion (``projects.budget``).
    planned_finish, start
        Baseline finish and start dates (``projects.planned_finish``, ``start``).
    baseline
        The baseline's cumulative PV curve indexed by date, if you have it. By
        default the curve is rebuilt from the status rows' PV, starting from 0 at
        ``start`` and running straight to BAC at ``planned_finish`` after the last
        row (needed only when EV is ahead of the last row's PV).
    thresholds
        RAG bands: one :class:`RagThresholds` for both, or :class:`RagRules`
        (see :func:`load_rag_rules`).
    schedule_index
        Index behind ``schedule_rag``: ``"spi_t"`` (default), because SPI drifts
        back to 1.0 as a late project nears its end, or ``"spi"`` to match
        reports that use EV / PV.

    Returns
    -------
    pandas.DataFrame
        One row per status date (sorted) with the columns of
        :data:`PERFORMANCE_COLUMNS`: the inputs, every :func:`metrics` column,
        ``es``, ``at``, ``sv_t``, ``spi_t``, ``ieac_t``, ``tspi`` and
        ``planned_duration`` in **weeks since the start**, ``forecast_finish``
        (start + IEAC(t), to the day; NaT when not measurable), and
        ``schedule_rag``, ``cost_rag`` (from CPI), ``overall_rag`` (the worst).

    Raises
    ------
    ValidationError
        Columns are missing, several projects are mixed, dates are missing,
        duplicated or before the start, PV decreases or exceeds BAC, or a value
        breaks :func:`metrics`' rules.

    Examples
    --------
    A 10-week project, 100 planned per week, running at 80% of the planned pace
    and on budget:

    >>> import pandas as pd
    >>> status = pd.DataFrame(
    ...     {
    ...         "status_date": pd.date_range("2026-01-07", periods=3, freq="7D"),
    ...         "pv": [100.0, 200.0, 300.0],
    ...         "ev": [80.0, 160.0, 240.0],
    ...         "ac": [80.0, 160.0, 240.0],
    ...     }
    ... )
    >>> perf = project_performance(
    ...     status, bac=1_000, start="2026-01-01", planned_finish="2026-03-11"
    ... )
    >>> perf[["at", "es", "spi", "spi_t", "ieac_t"]].round(2).to_dict("list")
    {'at': [1.0, 2.0, 3.0], 'es': [0.8, 1.6, 2.4], 'spi': [0.8, 0.8, 0.8], 'spi_t': [0.8, 0.8, 0.8], 'ieac_t': [12.5, 12.5, 12.5]}
    >>> str(perf["forecast_finish"].iloc[-1].date()), perf["overall_rag"].iloc[-1]
    ('2026-03-29', 'red')
    """  # noqa: E501
    if schedule_index not in ("spi_t", "spi"):
        msg = (
            f"{schedule_index!r} is an invalid value for `schedule_index`. "
            "Valid values are 'spi_t' and 'spi'"
        )
        raise ValidationError(msg)
    rules = RagRules.coerce(thresholds)
    frame = _status_frame(status)
    start_ts = to_timestamp(start, "start")
    finish_ts = to_timestamp(planned_finish, "planned_finish")
    if finish_ts < start_ts:
        msg = (
            f"`planned_finish` {finish_ts.date()} is before `start` "
            f"{start_ts.date()}. Allowed: a finish on or after the start"
        )
        raise ValidationError(msg)
    dates = frame["status_date"]
    if (dates < start_ts).any():
        early = dates[dates < start_ts].iloc[0]
        msg = (
            f"Status date {early.date()} is before the project start "
            f"{start_ts.date()}. Allowed: status dates on or after `start`"
        )
        raise ValidationError(msg)
    money = cast(
        "pd.DataFrame",
        metrics(bac=float(bac), pv=frame["pv"], ev=frame["ev"], ac=frame["ac"]),
    )
    _check_pv_within_bac(frame, float(bac))
    at = np.asarray((dates + _DAY - start_ts) / _WEEK, dtype=np.float64)
    planned_duration = (finish_ts + _DAY - start_ts) / _WEEK
    if baseline is None:
        times, planned = _curve_from_status(frame, at, float(bac), planned_duration)
    else:
        times, planned = _curve_from_baseline(baseline, start_ts)
    es = earned_schedule_on_curve(times, planned, frame["ev"].to_numpy(np.float64))
    time = cast(
        "pd.DataFrame",
        schedule_metrics(es=es, at=at, planned_duration=planned_duration),
    )
    time.index = frame.index
    out = pd.concat([frame, money, time], axis=1)
    out.insert(out.columns.get_loc("pv"), "bac", float(bac))  # type: ignore[arg-type]
    out["planned_duration"] = planned_duration
    weeks = pd.to_timedelta(out["ieac_t"] * 7, unit="D")
    out["forecast_finish"] = (start_ts + weeks).dt.ceil("D") - _DAY
    out["schedule_rag"] = rag_status(out[schedule_index], rules.schedule)
    out["cost_rag"] = rag_status(out["cpi"], rules.cost)
    out["overall_rag"] = worst_rag(out["schedule_rag"], out["cost_rag"])
    columns = list(PERFORMANCE_COLUMNS)
    if "project_id" in frame.columns:
        columns.insert(0, "project_id")
    return out[columns]


def _status_frame(status: pd.DataFrame) -> pd.DataFrame:
    missing = [c for c in _STATUS_COLUMNS if c not in status.columns]
    if missing:
        msg = (
            f"project_performance needs the status column(s) "
            f"{', '.join(map(repr, missing))}; the data has "
            f"{', '.join(map(repr, status.columns))}"
        )
        raise ValidationError(msg)
    keep = [c for c in ("project_id", *_STATUS_COLUMNS) if c in status.columns]
    frame = status[keep].copy()
    if "project_id" in frame.columns:
        ids = sorted(frame["project_id"].dropna().unique())
        if len(ids) > 1:
            msg = (
                f"The status rows belong to {len(ids)} projects ({', '.join(ids)}). "
                "Allowed: one project's rows, e.g. status[status.project_id == "
                f"{ids[0]!r}]; for a portfolio use portfolio_performance()"
            )
            raise ValidationError(msg)
    frame["status_date"] = pd.to_datetime(frame["status_date"])
    if frame["status_date"].isna().any():
        msg = "A status row has no `status_date`. Allowed: a date on every row"
        raise ValidationError(msg)
    frame = frame.sort_values("status_date", kind="stable").reset_index(drop=True)
    repeated = frame["status_date"].duplicated()
    if repeated.any():
        day = frame.loc[repeated, "status_date"].iloc[0].date()
        msg = f"Status date {day} appears twice. Allowed: one row per status date"
        raise ValidationError(msg)
    for column in ("pv", "ev", "ac"):
        frame[column] = frame[column].astype("float64")
    return frame


def _check_pv_within_bac(frame: pd.DataFrame, bac: float) -> None:
    over = frame["pv"] > bac * (1 + _PV_TOLERANCE) + _PV_TOLERANCE
    if over.any():
        row = frame.loc[over].iloc[0]
        msg = (
            f"PV {float(row['pv'])!r} on {row['status_date'].date()} exceeds `bac` "
            f"{bac!r}. Allowed: planned value up to the budget at completion"
        )
        raise ValidationError(msg)


def _curve_from_status(
    frame: pd.DataFrame, at: FloatArray, bac: float, planned_duration: float
) -> tuple[FloatArray, FloatArray]:
    """PV curve in weeks: 0 at the start, every status row, BAC at the finish."""
    planned = frame["pv"].to_numpy(np.float64)
    if np.isnan(planned).any():
        day = frame.loc[frame["pv"].isna(), "status_date"].iloc[0].date()
        msg = f"PV is missing on {day}. Allowed: a planned value on every status row"
        raise ValidationError(msg)
    falls = np.flatnonzero(np.diff(planned) < 0)
    if falls.size:
        pos = int(falls[0]) + 1
        day = frame["status_date"].iloc[pos].date()
        before, after = float(planned[pos - 1]), float(planned[pos])
        msg = (
            f"PV falls from {before!r} to {after!r} on {day}. Allowed: cumulative "
            "planned value that never decreases (the baseline only grows)"
        )
        raise ValidationError(msg)
    times = at
    if times[0] > 0:
        times = np.concatenate([[0.0], times])
        planned = np.concatenate([[0.0], planned])
    if planned_duration > times[-1]:
        times = np.concatenate([times, [planned_duration]])
        planned = np.concatenate([planned, [bac]])
    return times, planned


def _curve_from_baseline(
    baseline: pd.Series, start: pd.Timestamp
) -> tuple[FloatArray, FloatArray]:
    if not isinstance(baseline.index, pd.DatetimeIndex):
        msg = (
            "`baseline` must be a cumulative PV Series indexed by date; its index "
            f"holds {baseline.index.dtype} values"
        )
        raise ValidationError(msg)
    days, planned, origin = pv_curve_arrays(baseline)
    offset = 0.0 if origin is None else (origin - start) / _DAY
    times = (days + offset) / 7.0
    if times[0] > 0 and planned[0] > 0:
        times = np.concatenate([[0.0], times])
        planned = np.concatenate([[0.0], planned])
    return times, planned
