"""
The latest earned value row of every project at once: the portfolio roll-up's engine.

:func:`latest_performance` gives, for each project, what
``project_performance(rows, ...).iloc[-1]`` gives for its status rows, without a
Python loop over projects. All status rows are sorted by project and date into one
set of arrays; each project's planned-value curve (PV 0 at the start, the PV of its
status rows, BAC at the planned finish when that is later) is laid end to end in one
array, and earned schedule is read off it with grouped reductions
(``np.ufunc.reduceat``): the first point where the curve reaches its top (where
:func:`~pmo_kit.evm.earned_schedule` cuts it) and the number of points whose PV
does not exceed the latest EV (what ``np.searchsorted(..., side="right")`` counts on
a sorted curve). The money and time indicators, the forecast finish and the RAG
then come from the very functions :func:`project_performance` calls
(:func:`metrics`, :func:`schedule_metrics`, :func:`rag_status`, :func:`worst_rag`),
applied to the latest rows: the same operations on the same numbers.

A project whose rows :func:`project_performance` would reject (a date missing,
repeated or before the start, PV missing, falling or above BAC, EV above BAC, a
negative or infinite number, a finish before the start) is handed to
:func:`project_performance` itself, so it raises the same error.
"""

from __future__ import annotations

from typing import Any, TypeAlias, cast

import numpy as np
import numpy.typing as npt
import pandas as pd

from pmo_kit._errors import ValidationError
from pmo_kit.evm.earned_schedule import schedule_metrics
from pmo_kit.evm.indices import metrics
from pmo_kit.evm.performance import (
    PERFORMANCE_COLUMNS,
    ScheduleIndex,
    project_performance,
)
from pmo_kit.evm.rag import RagRules, rag_status, worst_rag

__all__ = ["latest_performance"]

_DAY = pd.Timedelta(days=1)
_WEEK = pd.Timedelta(days=7)
#: Rounding tolerated above BAC, as :func:`project_performance` and :func:`metrics`.
_TOLERANCE = 1e-9
_STATUS_COLUMNS = ("project_id", "status_date", "pv", "ev", "ac")
_RAGS = ("schedule_rag", "cost_rag", "overall_rag")
_DATES = ("status_date", "forecast_finish")
_NUMBERS = tuple(c for c in PERFORMANCE_COLUMNS if c not in (*_RAGS, *_DATES))

FloatArray: TypeAlias = npt.NDArray[np.float64]
IntArray: TypeAlias = npt.NDArray[np.int64]
BoolArray: TypeAlias = npt.NDArray[np.bool_]


def latest_performance(
    projects: pd.DataFrame,
    status: pd.DataFrame,
    *,
    rules: RagRules,
    schedule_index: ScheduleIndex,
) -> pd.DataFrame:
    """
    Each project's latest row of :func:`project_performance`, for all projects at once.

    Parameters
    ----------
    projects
        The ``projects`` table (``project_id``, ``budget``, ``start``,
        ``planned_finish``); one result row per table row, in order.
    status
        The status rows to use (already cut at the report date): ``project_id``,
        ``status_date``, ``pv``, ``ev``, ``ac``. Rows of unknown projects are
        ignored.
    rules
        RAG bands.
    schedule_index
        Index behind ``schedule_rag``: ``"spi_t"`` or ``"spi"``.

    Returns
    -------
    pandas.DataFrame
        The columns of :data:`PERFORMANCE_COLUMNS` with a RangeIndex. A project
        without status rows keeps its ``bac`` and ``planned_duration`` and has NaN
        figures, NaT dates and RAG ``grey``.

    Raises
    ------
    ValidationError
        ``schedule_index`` is unknown, or a project's rows break the rules of
        :func:`project_performance` (its own message).
    """
    if schedule_index not in ("spi_t", "spi"):
        msg = (
            f"{schedule_index!r} is an invalid value for `schedule_index`. "
            "Valid values are 'spi_t' and 'spi'"
        )
        raise ValidationError(msg)
    n = len(projects)
    out = _not_reporting(projects)
    if not set(_STATUS_COLUMNS) <= set(status.columns):
        _one_by_one(projects, status, range(n), out, rules, schedule_index)
        return _finish(out)
    ids = projects["project_id"]
    pos = _positions(ids, status["project_id"])
    rows = status.loc[pos >= 0]
    p = pos[pos >= 0]
    dates = pd.to_datetime(rows["status_date"]).to_numpy()
    order = np.lexsort((dates, p))
    p, dates = p[order], dates[order]
    values = [_floats(rows[c])[order] for c in ("pv", "ev", "ac")]
    bac = _floats(projects["budget"])
    start = pd.to_datetime(projects["start"]).to_numpy()
    finish = pd.to_datetime(projects["planned_finish"]).to_numpy()
    bad = _rejected(p, dates, *values, bac=bac, start=start, finish=finish)
    bad |= ids.duplicated().to_numpy()  # a repeated id: the row by row path
    keep = ~bad[p]
    p, dates = p[keep], dates[keep]
    pv, ev, ac = (v[keep] for v in values)
    if p.size:
        last, g = _latest(p)
        at = _weeks(dates, start[p])
        planned = _weeks(finish[g], start[g])
        es = _earned_schedule(p, at, pv, ev[last], bac=bac[g], planned=planned)
        figures = _figures(
            bac[g], pv[last], ev[last], ac[last], es, at[last], planned, start[g]
        )
        figures["status_date"] = dates[last]
        _rag(figures, rules, schedule_index)
        for column, value in figures.items():
            out[column][g] = _as_column(column, value)
    _one_by_one(projects, status, np.flatnonzero(bad), out, rules, schedule_index)
    return _finish(out)


def _positions(ids: pd.Series, status_ids: pd.Series) -> IntArray:
    """Position in ``projects`` of each status row (-1: none; first if repeated)."""
    first = ~ids.duplicated().to_numpy()
    lookup = pd.Index(ids.to_numpy()[first])
    where = np.flatnonzero(first)
    found = lookup.get_indexer(status_ids.to_numpy())
    pos = np.where(found >= 0, where[np.maximum(found, 0)], -1)
    pos[status_ids.isna().to_numpy()] = -1  # groupby drops missing ids
    return pos.astype(np.int64)


def _latest(p: IntArray) -> tuple[IntArray, IntArray]:
    """Index of each project's last row (rows sorted by project) and its project."""
    last = np.flatnonzero(np.r_[p[1:] != p[:-1], True])
    return last, p[last]


def _floats(column: pd.Series) -> FloatArray:
    """Convert a column to floats as project_performance converts it."""
    return cast("FloatArray", column.astype("float64").to_numpy())


def _weeks(dates: Any, start: Any) -> FloatArray:
    """Weeks from the start to the end of the day ``dates``, as project_performance."""
    weeks = (pd.Series(dates) + _DAY - start) / _WEEK
    return cast("FloatArray", np.asarray(weeks, dtype=np.float64))


def _rejected(
    p: IntArray,
    dates: Any,
    pv: FloatArray,
    ev: FloatArray,
    ac: FloatArray,
    *,
    bac: FloatArray,
    start: Any,
    finish: Any,
) -> BoolArray:
    """Projects whose rows project_performance would reject (True = reject)."""
    same = np.r_[False, p[1:] == p[:-1]]  # same project as the row before
    limit = bac[p] * (1 + _TOLERANCE) + _TOLERANCE
    with np.errstate(invalid="ignore"):
        row = (
            np.isnat(dates)
            | (same & (dates == np.concatenate([dates[:1], dates[:-1]])))
            | (dates < start[p])
            | np.isnan(pv)
            | (same & (pv < np.r_[pv[:1], pv[:-1]]))
            | (pv > limit)
            | (ev > limit)
        )
        for value in (pv, ev, ac):
            row |= (value < 0) | np.isinf(value)
    bad = np.zeros(len(bac), dtype=bool)
    bad[p[row]] = True
    reporting = np.zeros(len(bac), dtype=bool)
    reporting[p] = True
    with np.errstate(invalid="ignore"):
        wrong = np.isnat(start) | np.isnat(finish) | (finish < start)
        wrong |= (bac < 0) | np.isinf(bac)
    return cast("BoolArray", bad | (reporting & wrong))


def _earned_schedule(
    p: IntArray,
    at: FloatArray,
    pv: FloatArray,
    ev: FloatArray,
    *,
    bac: FloatArray,
    planned: FloatArray,
) -> FloatArray:
    """
    Earned schedule of each project's latest EV on its PV curve, all curves at once.

    Each curve is 0 at week 0, then (AT, PV) of every status row, then (PD, BAC) when
    the planned duration is after the last row, as project_performance builds it.
    Arguments: rows sorted by project (``p``, ``at``, ``pv``), then one value per
    project (``ev``, ``bac``, ``planned``).
    """
    first = np.flatnonzero(np.r_[True, p[1:] != p[:-1]])
    counts = np.diff(np.r_[first, len(p)])
    last = first + counts - 1
    extend = planned > at[last]
    sizes = counts + 1 + extend
    begin = np.r_[0, np.cumsum(sizes)[:-1]]
    total = int(sizes.sum())
    group = np.repeat(np.arange(len(first)), counts)
    points = begin[group] + 1 + (np.arange(len(p)) - first[group])
    t = np.zeros(total, dtype=np.float64)
    v = np.zeros(total, dtype=np.float64)
    t[points], v[points] = at, pv
    ends = (begin + 1 + counts)[extend]
    t[ends], v[ends] = planned[extend], bac[extend]
    curve = np.repeat(np.arange(len(first)), sizes)
    local = np.arange(total) - begin[curve]
    # The curve stops where PV first reaches its top (ES never exceeds PD).
    top = np.maximum.reduceat(v, begin)
    cut = np.minimum.reduceat(np.where(v >= top[curve], local, total), begin)
    # Last point with PV <= EV (searchsorted side="right" - 1 on the cut curve).
    below = (v <= ev[curve]) & (local <= cut[curve])
    c = np.add.reduceat(below.astype(np.int64), begin) - 1
    inside = c < cut
    lo = begin + np.maximum(np.minimum(c, cut - 1), 0)
    hi = lo + 1
    with np.errstate(divide="ignore", invalid="ignore"):
        share = (ev - v[lo]) / (v[hi] - v[lo])
        value = np.where(inside, t[lo] + share * (t[hi] - t[lo]), t[begin + cut])
    return cast("FloatArray", np.where(np.isnan(ev), np.nan, value))


def _figures(
    bac: FloatArray,
    pv: FloatArray,
    ev: FloatArray,
    ac: FloatArray,
    es: FloatArray,
    at: FloatArray,
    planned: FloatArray,
    start: Any,
) -> dict[str, Any]:
    """Money and time indicators and the forecast finish of the latest rows."""
    money = metrics(bac=bac, pv=pv, ev=ev, ac=ac)
    time = cast(
        "pd.DataFrame", schedule_metrics(es=es, at=at, planned_duration=planned)
    )
    figures: dict[str, Any] = {"bac": bac, "pv": pv, "ev": ev, "ac": ac}
    figures |= {c: money[c].to_numpy() for c in money.columns}
    figures |= {c: time[c].to_numpy() for c in time.columns}
    figures["planned_duration"] = planned
    weeks = pd.to_timedelta(time["ieac_t"] * 7, unit="D")
    figures["forecast_finish"] = (pd.Series(start) + weeks).dt.ceil("D") - _DAY
    return figures


def _rag(figures: dict[str, Any], rules: RagRules, schedule_index: str) -> None:
    schedule = rag_status(pd.Series(figures[schedule_index]), rules.schedule)
    cost = rag_status(pd.Series(figures["cpi"]), rules.cost)
    figures["schedule_rag"] = schedule
    figures["cost_rag"] = cost
    figures["overall_rag"] = worst_rag(schedule, cost)


def _as_column(column: str, value: Any) -> Any:
    """Values ready to go into the object arrays of dates and RAGs."""
    if column in _DATES:
        return pd.Series(value).astype(object).to_numpy()
    if isinstance(value, pd.Series):
        return value.to_numpy()
    return value


def _not_reporting(projects: pd.DataFrame) -> dict[str, Any]:
    """Every project as not reporting: BAC and planned duration, NaN, NaT, grey."""
    n = len(projects)
    out: dict[str, Any] = {c: np.full(n, np.nan) for c in _NUMBERS}
    out |= {c: np.full(n, pd.NaT, dtype=object) for c in _DATES}
    out |= {c: np.full(n, "grey", dtype=object) for c in _RAGS}
    out["bac"] = np.array(projects["budget"], dtype=np.float64)
    start = pd.to_datetime(projects["start"])
    finish = pd.to_datetime(projects["planned_finish"])
    days = (finish - start).dt.days + 1
    out["planned_duration"] = np.array(days / 7, dtype=np.float64)
    return out


def _one_by_one(
    projects: pd.DataFrame,
    status: pd.DataFrame,
    positions: Any,
    out: dict[str, Any],
    rules: RagRules,
    schedule_index: ScheduleIndex,
) -> None:
    """Fill the projects at ``positions`` with project_performance (it checks rows)."""
    if not len(positions):
        return
    by_project = dict(tuple(status.groupby("project_id", sort=False)))
    records = projects.iloc[list(positions)].to_dict("records")
    for position, project in zip(positions, records, strict=True):
        rows = by_project.get(project["project_id"])
        if rows is None or rows.empty:
            continue  # stays not reporting
        latest = project_performance(
            rows,
            bac=float(project["budget"]),
            planned_finish=project["planned_finish"],
            start=project["start"],
            thresholds=rules,
            schedule_index=schedule_index,
        ).iloc[-1]
        for column in PERFORMANCE_COLUMNS:
            out[column][position] = latest[column]


def _finish(out: dict[str, Any]) -> pd.DataFrame:
    """Build the result table, typed as the row-by-row roll-up typed it."""
    frame = pd.DataFrame({c: out[c] for c in PERFORMANCE_COLUMNS})
    for column in _DATES:
        frame[column] = pd.to_datetime(frame[column])
    frame[list(_NUMBERS)] = frame[list(_NUMBERS)].astype("float64")
    return frame
