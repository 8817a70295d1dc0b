"""
Weighted scoring of candidate projects against criteria.

Each criterion is a numeric column of the candidates table, already on a common
scale (for example 1-5 from a scoring workshop); each weight says how much the
criterion counts. Weights that do not sum to 1 are normalised (divided by their
sum), so ``{"strategy": 2, "risk": 1}`` means two thirds and one third.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

from pmo_kit._errors import ValidationError

if TYPE_CHECKING:
    from collections.abc import Mapping

    import pandas as pd

__all__ = ["normalise_weights", "weighted_scores"]


def normalise_weights(weights: Mapping[str, float]) -> dict[str, float]:
    """
    Check weights and scale them to sum to 1.

    Parameters
    ----------
    weights
        Criterion name -> weight; each finite and >= 0, at least one > 0.

    Returns
    -------
    dict of str to float
        The same criteria, in the same order, summing to 1.

    Raises
    ------
    ValidationError
        One line naming the criterion whose weight is not allowed.

    Examples
    --------
    >>> normalise_weights({"strategy": 3, "risk": 1})
    {'strategy': 0.75, 'risk': 0.25}
    """
    if not weights:
        msg = "weights is empty: give at least one criterion and its weight"
        raise ValidationError(msg)
    checked: dict[str, float] = {}
    for name, raw in weights.items():
        try:
            weight = float(raw)
        except (TypeError, ValueError):
            weight = math.nan
        if not math.isfinite(weight) or weight < 0:
            msg = (
                f"{raw!r} is an invalid weight for criterion {name!r}: "
                "weights must be finite numbers >= 0"
            )
            raise ValidationError(msg)
        checked[str(name)] = weight
    total = sum(checked.values())
    if total <= 0:
        msg = f"weights {checked} are all 0: at least one criterion must count"
        raise ValidationError(msg)
    return {name: weight / total for name, weight in checked.items()}


def weighted_scores(
    candidates: pd.DataFrame,
    weights: Mapping[str, float],
    *,
    id_column: str = "project_id",
) -> pd.DataFrame:
    """
    Score each candidate as the weighted sum of its criteria.

    Parameters
    ----------
    candidates
        One row per candidate: ``id_column`` and one numeric column per criterion.
    weights
        Criterion (column name) -> weight, >= 0; normalised to sum to 1
        (see :func:`normalise_weights`), for example from :func:`ahp_weights`.
    id_column
        The column naming each candidate.

    Returns
    -------
    pandas.DataFrame
        ``id_column``, one ``<criterion>_points`` column per criterion (value x
        weight), ``score`` (their sum) and ``rank`` (1 = best; ties share the best
        rank), sorted by rank then id.

    Raises
    ------
    ValidationError
        A weight is negative or not a number, a criterion is not a column, or a
        criterion has a missing or non-numeric value (the message names the
        criterion and the candidate).

    Examples
    --------
    >>> import pandas as pd
    >>> table = pd.DataFrame(
    ...     {"project_id": ["A", "B"], "strategy": [5, 2], "risk": [1, 4]}
    ... )
    >>> weighted_scores(table, {"strategy": 3, "risk": 1})[["project_id", "score"]]
      project_id  score
    0          A    4.0
    1          B    2.5
    """
    import pandas as pd

    normalised = normalise_weights(weights)
    if id_column not in candidates.columns:
        msg = f"candidates has no {id_column!r} column; columns: {list(candidates)}"
        raise ValidationError(msg)
    out = pd.DataFrame({id_column: candidates[id_column].astype(str).to_numpy()})
    score = pd.Series(0.0, index=out.index)
    for criterion, weight in normalised.items():
        if criterion not in candidates.columns:
            known = [c for c in candidates.columns if c != id_column]
            msg = (
                f"criterion {criterion!r} in weights is not a column of candidates; "
                f"columns: {known}"
            )
            raise ValidationError(msg)
        values = pd.to_numeric(candidates[criterion], errors="coerce").to_numpy()
        bad = [
            (ident, raw)
            for ident, raw, num in zip(
                out[id_column], candidates[criterion], values, strict=True
            )
            if not math.isfinite(float(num))
        ]
        if bad:
            ident, raw = bad[0]
            msg = (
                f"{raw!r} is an invalid value for criterion {criterion!r} on "
                f"candidate {ident!r}: criteria must be finite numbers"
            )
            raise ValidationError(msg)
        points = pd.Series(values.astype(float) * weight, index=out.index)
        out[f"{criterion}_points"] = points
        score = score + points
    out["score"] = score.round(10)
    out["rank"] = out["score"].rank(method="min", ascending=False).astype(int)
    return out.sort_values(["rank", id_column], kind="stable").reset_index(drop=True)
