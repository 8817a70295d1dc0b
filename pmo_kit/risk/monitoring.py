"""
Keeping a register alive: overdue reviews, top risks, fired risks, trend, drift.

A register is a management tool, not a planning document: each risk is
reviewed at a cadence that depends on its rating, the top risks go to the
steering meeting, risks that fired are learned from, and two snapshots of the
register show what changed between status dates.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from pmo_kit._errors import ValidationError
from pmo_kit.risk.matrix import ORDINAL_5X5, RiskMatrix
from pmo_kit.risk.register import SCORE_COLUMNS, _require, score

if TYPE_CHECKING:
    from pmo_kit.schedule.calendar import DateLike

__all__ = [
    "REVIEW_CADENCE_DAYS",
    "compare_registers",
    "fired_risks",
    "overdue_reviews",
    "register_as_of",
    "risk_trend",
    "top_risks",
]

#: Default review cadence (days between reviews) by residual rating.
REVIEW_CADENCE_DAYS: dict[str, int] = {"high": 14, "medium": 30, "low": 60}

_RANKINGS = ("residual_score", "inherent_score", "exposure", "emv")


def _scored(risks: pd.DataFrame, matrix: RiskMatrix | str) -> pd.DataFrame:
    if all(c in risks for c in SCORE_COLUMNS):
        return risks
    return score(risks, matrix=matrix)


def _date(value: DateLike, name: str) -> pd.Timestamp:
    msg = f"{value!r} is an invalid value for `{name}`. Allowed: a date (YYYY-MM-DD)"
    try:
        stamp = pd.Timestamp(value)
    except (ValueError, TypeError):
        raise ValidationError(msg) from None
    if pd.isna(stamp):
        raise ValidationError(msg)
    return stamp.normalize()


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
        per residual rating (default :data:`REVIEW_CADENCE_DAYS`: high 14,
        medium 30, low 60).
    matrix
        Matrix used to rate unscored risks.

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
    stamp = _date(as_of, "as_of")
    _require(risks, ["risk_id", "status", "last_review_date"], "overdue_reviews")
    scored = _scored(risks, matrix)
    cadence = REVIEW_CADENCE_DAYS if cadence_days is None else cadence_days
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
        _require(scored, ["status"], "top_risks")
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
    _require(risks, ["risk_id", "status", "closed_date"], "fired_risks")
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
    _require(risks, ["risk_id", "status", "raised_date", "closed_date"], "risk_trend")
    if freq not in ("M", "W", "Q"):
        msg = f"{freq!r} is an invalid value for `freq`. Valid values: 'M', 'W', 'Q'"
        raise ValidationError(msg)
    raised = pd.to_datetime(risks["raised_date"])
    closed = pd.to_datetime(risks["closed_date"])
    if len(risks) == 0:
        return pd.DataFrame(
            columns=["period", "period_end", "new", "closed", "occurred", "open"]
        )
    last = _date(end, "end") if end is not None else max(raised.max(), closed.max())
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


def compare_registers(
    before: pd.DataFrame,
    after: pd.DataFrame,
    *,
    matrix: RiskMatrix | str = ORDINAL_5X5,
    include_unchanged: bool = False,
) -> pd.DataFrame:
    """
    List what changed between two snapshots of a register (score drift).

    Risks are matched on ``project_id`` and ``risk_id`` (or ``risk_id`` alone
    when there is no project column).

    Parameters
    ----------
    before, after
        The register at two status dates.
    matrix
        Matrix used to score both.
    include_unchanged
        Also list risks that did not change.

    Returns
    -------
    pandas.DataFrame
        One row per risk with ``residual_score_before``/``_after``,
        ``score_change``, ``rating_before``/``_after``,
        ``strategy_before``/``_after``, ``status_before``/``_after`` and
        ``change``: the changes found, joined by ``"; "`` from ``new``,
        ``closed``, ``occurred``, ``removed``, ``score up``, ``score down``,
        ``strategy changed`` (``unchanged`` when nothing changed).
    """
    keys = ["project_id", "risk_id"]
    if "project_id" not in before or "project_id" not in after:
        keys = ["risk_id"]
    cols = ["residual_score", "residual_rating", "response_strategy", "status"]
    _require(before, [*keys, "response_strategy", "status"], "compare_registers")
    _require(after, [*keys, "response_strategy", "status"], "compare_registers")
    b = _scored(before, matrix)[keys + cols]
    a = _scored(after, matrix)[keys + cols]
    merged = b.merge(a, on=keys, how="outer", suffixes=("_before", "_after"))
    merged = merged.rename(
        columns={
            "residual_rating_before": "rating_before",
            "residual_rating_after": "rating_after",
            "response_strategy_before": "strategy_before",
            "response_strategy_after": "strategy_after",
        }
    )
    merged["score_change"] = (
        merged["residual_score_after"] - merged["residual_score_before"]
    )
    was, now = merged["status_before"], merged["status_after"]
    change = merged["score_change"]
    both = was.notna() & now.notna()
    flags = {
        "new": was.isna(),
        "removed": now.isna(),
        "closed": (was == "open") & (now == "closed"),
        "occurred": (was == "open") & (now == "occurred"),
        "score up": change > 1e-12,
        "score down": change < -1e-12,
        "strategy changed": both
        & (merged["strategy_before"] != merged["strategy_after"]),
    }
    found = pd.DataFrame({k: v.fillna(False).astype(bool) for k, v in flags.items()})
    changes = [
        "; ".join(name for name, hit in zip(found.columns, row, strict=True) if hit)
        or "unchanged"
        for row in found.to_numpy()
    ]
    merged["change"] = changes
    if not include_unchanged:
        merged = merged[merged["change"] != "unchanged"]
    return merged.sort_values(keys).reset_index(drop=True)


def register_as_of(risks: pd.DataFrame, as_of: DateLike) -> pd.DataFrame:
    """
    Return the register as it stood at a past date, as far as its dates tell.

    Risks raised after ``as_of`` are left out; risks closed (or fired) after it
    are open again, with no closed date. Levels, costs and review dates are the
    latest known (the register keeps no history of them).

    Examples
    --------
    >>> import pandas as pd
    >>> r = pd.DataFrame(
    ...     {
    ...         "risk_id": ["RK-1", "RK-2", "RK-3"],
    ...         "status": ["closed", "occurred", "open"],
    ...         "raised_date": pd.to_datetime(
    ...             ["2026-01-05", "2026-02-01", "2026-04-01"]
    ...         ),
    ...         "closed_date": pd.to_datetime(["2026-02-10", "2026-05-11", None]),
    ...     }
    ... )
    >>> register_as_of(r, "2026-03-31")[["risk_id", "status"]]
      risk_id  status
    0    RK-1  closed
    1    RK-2    open
    """
    stamp = _date(as_of, "as_of")
    _require(risks, ["status", "raised_date", "closed_date"], "register_as_of")
    raised = pd.to_datetime(risks["raised_date"])
    out = risks[(raised <= stamp).to_numpy()].copy()
    closed = pd.to_datetime(out["closed_date"])
    later = (closed > stamp).to_numpy()
    out.loc[later, "status"] = "open"
    out.loc[later, "closed_date"] = pd.NaT
    return out
