"""
Keeping a register alive: overdue reviews, top risks, fired risks, trend.

A register is a management tool, not a planning document: each risk is
reviewed at a cadence that depends on its rating (the matrix's
``review_days``), the top risks go to the steering meeting, and risks that
fired are learned from. The register at a past date and the drift between two
snapshots are in :mod:`pmo_kit.risk.history` (also importable from here).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from pmo_kit._errors import ValidationError
from pmo_kit.data.inputs import to_day
from pmo_kit.risk.history import compare_registers, register_as_of
from pmo_kit.risk.matrix import DEFAULT_REVIEW_DAYS, ORDINAL_5X5, RiskMatrix, get_matrix
from pmo_kit.risk.register import SCORE_COLUMNS, require_risk_columns, score

if TYPE_CHECKING:
    from pmo_kit.data.inputs import DateLike

__all__ = [
    "REVIEW_CADENCE_DAYS",
    "compare_registers",
    "fired_risks",
    "overdue_reviews",
    "register_as_of",
    "risk_trend",
    "top_risks",
]

#: Shipped review cadence (days between reviews) by residual rating; the cadence
#: in force is the matrix's ``review_days`` (kept for existing callers).
REVIEW_CADENCE_DAYS: dict[str, int] = dict(DEFAULT_REVIEW_DAYS)

_RANKINGS = ("residual_score", "inherent_score", "exposure", "emv")


def _scored(risks: pd.DataFrame, matrix: RiskMatrix | str) -> pd.DataFrame:
    if all(c in risks for c in SCORE_COLUMNS):
        return risks
    return score(risks, matrix=matrix)


def overdue_reviews(
    risks: pd.DataFrame,
    *,
    as_of: DateLike,
    cadence_days: int | Mapping[str, int] | None = None,
    matrix: RiskMatrix | str = ORDINAL_5X5,
) -> pd.DataFrame:
    """
    Open risks whose last review is older than their review cadence.

    Parameters
    ----------
    risks
        The risks table (scored or not).
    as_of
        The status date the reviews are judged at.
    cadence_days
        Days allowed between reviews: one number for every risk, or a number
        per residual rating. By default the matrix's ``review_days`` (the
        shipped cadence: high 14, medium 30, low 60).
    matrix
        Matrix that rates the risks and gives the cadence per rating.

    Returns
    -------
    pandas.DataFrame
        The overdue open risks, most overdue first, with ``cadence_days``,
        ``days_since_review``, ``review_due`` and ``days_overdue``.

    Examples
    --------
    >>> import pandas as pd
    >>> r = pd.DataFrame(
    ...     {
    ...         "risk_id": ["RK-1", "RK-2"],
    ...         "type": ["threat", "threat"],
    ...         "status": ["open", "open"],
    ...         "probability": [5, 1],
    ...         "impact": [5, 1],
    ...         "residual_probability": [4, 1],
    ...         "residual_impact": [4, 1],
    ...         "last_review_date": pd.to_datetime(["2026-06-01", "2026-06-01"]),
    ...     }
    ... )
    >>> overdue_reviews(r, as_of="2026-06-26")[["risk_id", "days_overdue"]]
      risk_id  days_overdue
    0    RK-1            11
    """
    stamp = to_day(as_of, "as_of")
    require_risk_columns(
        risks, ["risk_id", "status", "last_review_date"], "overdue_reviews"
    )
    m = get_matrix(matrix)
    scored = _scored(risks, m)
    cadence = m.review_days if cadence_days is None else cadence_days
    if isinstance(cadence, Mapping):
        missing = sorted(set(scored["residual_rating"]) - set(cadence))
        if missing:
            msg = (
                f"cadence_days has no cadence for the rating(s) {missing}. Allowed: "
                "a number of days for every rating, e.g. {'high': 14, 'medium': 30, "
                "'low': 60}"
            )
            raise ValidationError(msg)
        days = scored["residual_rating"].map(dict(cadence)).astype("int64")
    else:
        if isinstance(cadence, bool) or not isinstance(cadence, int) or cadence < 1:
            msg = (
                f"{cadence!r} is an invalid value for `cadence_days`. "
                "Allowed: days >= 1"
            )
            raise ValidationError(msg)
        days = pd.Series(cadence, index=scored.index, dtype="int64")
    out = scored.copy()
    reviewed = pd.to_datetime(out["last_review_date"])
    out["cadence_days"] = days
    out["days_since_review"] = (stamp - reviewed).dt.days
    out["review_due"] = reviewed + pd.to_timedelta(days, unit="D")
    out["days_overdue"] = out["days_since_review"] - days
    late = (out["status"] == "open") & (out["days_overdue"] > 0)
    return (
        out[late]
        .sort_values(["days_overdue", "risk_id"], ascending=[False, True])
        .reset_index(drop=True)
    )


def top_risks(
    risks: pd.DataFrame,
    n: int = 10,
    *,
    by: str = "residual_score",
    open_only: bool = True,
    matrix: RiskMatrix | str = ORDINAL_5X5,
) -> pd.DataFrame:
    """
    Return the ``n`` risks that most need attention.

    Parameters
    ----------
    risks
        The risks table (scored or not).
    n
        How many risks to return.
    by
        ``"residual_score"`` (default), ``"inherent_score"``, ``"exposure"``
        (chance x expected cost) or ``"emv"`` (largest money at stake, threats
        and opportunities alike). Ties go to the larger exposure, then the id.
    open_only
        Keep only open risks (the default).
    matrix
        Matrix used to score unscored risks.

    Returns
    -------
    pandas.DataFrame
        The scored rows, highest first, with a ``rank`` column (1 = top).
    """
    if by not in _RANKINGS:
        msg = f"{by!r} is an invalid value for `by`. Valid values: " + ", ".join(
            repr(r) for r in _RANKINGS
        )
        raise ValidationError(msg)
    if isinstance(n, bool) or not isinstance(n, int | np.integer) or n < 1:
        msg = f"{n!r} is an invalid value for `n`. Allowed: a whole number >= 1"
        raise ValidationError(msg)
    scored = _scored(risks, matrix)
    if open_only:
        require_risk_columns(scored, ["status"], "top_risks")
        scored = scored[scored["status"] == "open"]
    key = scored["emv"].abs() if by == "emv" else scored[by]
    ordered = scored.assign(_key=key).sort_values(
        ["_key", "exposure", "risk_id"], ascending=[False, False, True]
    )
    out = ordered.drop(columns="_key").head(int(n)).reset_index(drop=True)
    out.insert(0, "rank", np.arange(1, len(out) + 1))
    return out


def fired_risks(risks: pd.DataFrame) -> pd.DataFrame:
    """
    Risks that fired (status ``occurred``), in the order they happened.

    Examples
    --------
    >>> import pandas as pd
    >>> r = pd.DataFrame(
    ...     {
    ...         "risk_id": ["RK-1", "RK-2"],
    ...         "status": ["open", "occurred"],
    ...         "closed_date": [None, "2026-05-11"],
    ...     }
    ... )
    >>> fired_risks(r)["risk_id"].tolist()
    ['RK-2']
    """
    require_risk_columns(risks, ["risk_id", "status", "closed_date"], "fired_risks")
    out = risks[risks["status"] == "occurred"].copy()
    out["closed_date"] = pd.to_datetime(out["closed_date"])
    return out.sort_values(["closed_date", "risk_id"]).reset_index(drop=True)


def risk_trend(
    risks: pd.DataFrame,
    *,
    freq: str = "M",
    end: DateLike | None = None,
) -> pd.DataFrame:
    """
    Count new, closed and open risks per period, from the raised and closed dates.

    Parameters
    ----------
    risks
        The risks table (needs ``raised_date``, ``closed_date``, ``status``).
    freq
        Period length: ``"M"`` (months, default), ``"W"`` (weeks) or ``"Q"``.
    end
        Last date to count (the status date); defaults to the latest date in
        the register.

    Returns
    -------
    pandas.DataFrame
        One row per period: ``period`` (label), ``period_end`` (date),
        ``new`` (raised in the period), ``closed`` (closed or occurred in it,
        of which ``occurred`` fired) and ``open`` (open at the period's end).

    Examples
    --------
    >>> import pandas as pd
    >>> r = pd.DataFrame(
    ...     {
    ...         "risk_id": ["RK-1", "RK-2", "RK-3"],
    ...         "status": ["open", "closed", "occurred"],
    ...         "raised_date": ["2026-01-10", "2026-01-20", "2026-02-03"],
    ...         "closed_date": [None, "2026-02-15", "2026-03-01"],
    ...     }
    ... )
    >>> risk_trend(r, end="2026-03-31")[["period", "new", "closed", "open"]]
        period  new  closed  open
    0  2026-01    2       0     2
    1  2026-02    1       1     2
    2  2026-03    0       1     1
    """
    require_risk_columns(
        risks, ["risk_id", "status", "raised_date", "closed_date"], "risk_trend"
    )
    if freq not in ("M", "W", "Q"):
        msg = f"{freq!r} is an invalid value for `freq`. Valid values: 'M', 'W', 'Q'"
        raise ValidationError(msg)
    raised = pd.to_datetime(risks["raised_date"])
    closed = pd.to_datetime(risks["closed_date"])
    if len(risks) == 0:
        return pd.DataFrame(
            columns=["period", "period_end", "new", "closed", "occurred", "open"]
        )
    last = to_day(end, "end") if end is not None else max(raised.max(), closed.max())
    periods = pd.period_range(raised.min(), last, freq=freq)
    new_at = raised.dt.to_period(freq)
    closed_at = closed.dt.to_period(freq)
    fired = risks["status"].to_numpy() == "occurred"
    rows = []
    for period in periods:
        period_end = period.end_time.normalize()
        is_open = (raised <= period_end) & (closed.isna() | (closed > period_end))
        rows.append(
            {
                "period": str(period),
                "period_end": period_end,
                "new": int((new_at == period).sum()),
                "closed": int((closed_at == period).sum()),
                "occurred": int(((closed_at == period).to_numpy() & fired).sum()),
                "open": int(is_open.sum()),
            }
        )
    return pd.DataFrame(rows)
