"""
The register through time: as it stood at a past date, and what changed between two.

The dataset keeps one snapshot of the register; its raised and closed dates
tell which risks existed at an earlier status date (:func:`register_as_of`), and
an earlier copy of the file shows score drift (:func:`compare_registers`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pandas as pd

from pmo_kit.data.inputs import to_day
from pmo_kit.risk.matrix import ORDINAL_5X5, RiskMatrix
from pmo_kit.risk.register import SCORE_COLUMNS, require_risk_columns, score

if TYPE_CHECKING:
    from pmo_kit.data.inputs import DateLike

__all__ = ["compare_registers", "register_as_of"]


def _scored(risks: pd.DataFrame, matrix: RiskMatrix | str) -> pd.DataFrame:
    if all(c in risks for c in SCORE_COLUMNS):
        return risks
    return score(risks, matrix=matrix)


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
    require_risk_columns(
        before, [*keys, "response_strategy", "status"], "compare_registers"
    )
    require_risk_columns(
        after, [*keys, "response_strategy", "status"], "compare_registers"
    )
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
    stamp = to_day(as_of, "as_of")
    require_risk_columns(
        risks, ["status", "raised_date", "closed_date"], "register_as_of"
    )
    raised = pd.to_datetime(risks["raised_date"])
    out = risks[(raised <= stamp).to_numpy()].copy()
    closed = pd.to_datetime(out["closed_date"])
    later = (closed > stamp).to_numpy()
    out.loc[later, "status"] = "open"
    out.loc[later, "closed_date"] = pd.NaT
    return out
