"""
Contingency reserve by Monte Carlo: the cost of the open threats at a confidence.

Each open threat either happens (with its residual probability's chance on
the matrix, a Bernoulli draw) or not; when it happens its cost is drawn from
the triangle (min, most likely, max). The total of one iteration is one
possible "risk bill" for the project. The reserve at 80 % confidence (P80) is
the bill not exceeded in 80 % of iterations.

Why P80 is above the EMV sum: the EMV sum is the *mean* bill. With a few large
risks that either happen or not the distribution is skewed, and a reserve that
covers only the mean is not enough in almost half of the futures.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from pmo_kit._errors import ValidationError
from pmo_kit.risk.matrix import ORDINAL_5X5, RiskMatrix, get_matrix
from pmo_kit.risk.register import require_risk_columns, score

__all__ = ["ContingencyResult", "contingency"]

_CHUNK_CELLS = 4_000_000  # risks x iterations per chunk
_KEEP_CELLS = 8_000_000  # up to this many draws (64 MB) are kept, not redrawn


@dataclass(frozen=True)
class ContingencyResult:
    """
    Outcome of a contingency simulation.

    Attributes
    ----------
    totals
        Simulated total cost of the open threats, one value per iteration.
    contributions
        One row per simulated risk: ``risk_id``, ``chance``, ``expected_cost``,
        ``exposure`` (chance x expected cost: the analytic mean, its EMV as a
        positive cost), ``simulated_mean``,
        ``occurred_share`` (share of iterations in which it happened) and
        ``tail_mean`` (its mean cost in the iterations at or above the
        reserve: what it adds to the bad futures), sorted by ``tail_mean``.
    emv_sum
        The simple EMV sum of the same risks, as a positive cost (the sum of
        their exposures; :func:`pmo_kit.risk.score` signs a threat's ``emv``
        negative).
    confidence
        The confidence the reserve is quoted at (0.8 = P80).
    iterations, seed
        As given.
    """

    totals: np.ndarray
    contributions: pd.DataFrame
    emv_sum: float
    confidence: float
    iterations: int
    seed: int | None

    def percentile(self, p: float) -> float:
        """
        Total cost not exceeded in a share ``p`` of iterations (0 < p < 1).

        Examples
        --------
        >>> import numpy as np, pandas as pd
        >>> r = ContingencyResult(
        ...     np.array([0.0, 10.0, 20.0, 30.0, 40.0]), pd.DataFrame(), 20.0, 0.8, 5, 1
        ... )
        >>> r.percentile(0.5), r.mean
        (20.0, 20.0)
        """
        if not 0 < p < 1:
            msg = f"{p!r} is an invalid percentile. Allowed: a share from 0 to 1 (0.8)"
            raise ValidationError(msg)
        return float(np.quantile(self.totals, p))

    @property
    def p50(self) -> float:
        """Median total cost."""
        return self.percentile(0.5)

    @property
    def p80(self) -> float:
        """Total cost at 80 % confidence."""
        return self.percentile(0.8)

    @property
    def reserve(self) -> float:
        """Contingency reserve at the requested ``confidence``."""
        return self.percentile(self.confidence)

    @property
    def mean(self) -> float:
        """Mean simulated total (close to ``emv_sum``)."""
        return float(self.totals.mean()) if self.totals.size else 0.0

    def probability_within(self, budget: float) -> float:
        """Share of iterations whose total stays within ``budget``."""
        return float(np.mean(self.totals <= budget + 1e-9))

    def summary(self) -> dict[str, float]:
        """Key figures as a dict (for reports and summary.json)."""
        return {
            "risks": float(len(self.contributions)),
            "emv_sum": self.emv_sum,
            "mean": self.mean,
            "p50": self.p50,
            "p80": self.p80,
            "reserve": self.reserve,
            "confidence": self.confidence,
            "iterations": float(self.iterations),
        }


def _triangular(
    u: np.ndarray, low: np.ndarray, mode: np.ndarray, high: np.ndarray
) -> np.ndarray:
    """Inverse CDF of the triangle (rows = risks); a zero-width range is certain."""
    width = high - low
    safe = np.where(width > 0, width, 1.0)
    c = np.where(width > 0, (mode - low) / safe, 0.0)
    share = np.where(u < c, np.sqrt(u * c), 1 - np.sqrt((1 - u) * (1 - c)))
    out: np.ndarray = low + width * share
    return out


def contingency(
    risks: pd.DataFrame,
    *,
    iterations: int = 10_000,
    seed: int | None = None,
    confidence: float = 0.8,
    matrix: RiskMatrix | str = ORDINAL_5X5,
    basis: str = "residual",
) -> ContingencyResult:
    """
    Simulate the cost of the open threats and size the contingency reserve.

    Parameters
    ----------
    risks
        The risks table; only rows with ``type == "threat"`` and
        ``status == "open"`` are simulated.
    iterations
        Number of simulated futures (1 to 10,000,000).
    seed
        Random seed: the same seed gives the same totals.
    confidence
        Confidence of the reserve (0.8 = P80), strictly between 0 and 1.
    matrix
        Gives each probability level its chance of occurrence.
    basis
        ``"residual"`` (default: after the planned responses) or
        ``"inherent"`` probability.

    Returns
    -------
    ContingencyResult
        Totals, P50, reserve at ``confidence``, mean, contributions, EMV sum.

    Examples
    --------
    >>> import pandas as pd
    >>> r = pd.DataFrame(
    ...     {
    ...         "risk_id": ["RK-1"],
    ...         "type": ["threat"],
    ...         "status": ["open"],
    ...         "probability": [3],
    ...         "impact": [3],
    ...         "residual_probability": [3],
    ...         "residual_impact": [3],
    ...         "cost_impact_min": [1000.0],
    ...         "cost_impact_most_likely": [1000.0],
    ...         "cost_impact_max": [1000.0],
    ...     }
    ... )
    >>> result = contingency(r, seed=1)
    >>> result.emv_sum, result.p50 in (0.0, 1000.0), result.p80
    (500.0, True, 1000.0)
    """
    if isinstance(iterations, bool) or not isinstance(iterations, int | np.integer):
        msg = (
            f"{iterations!r} is an invalid value for `iterations`. "
            "Allowed: a whole number"
        )
        raise ValidationError(msg)
    if not 1 <= iterations <= 10_000_000:
        msg = (
            f"{iterations!r} is an invalid value for `iterations`. Allowed: whole "
            "numbers from 1 to 10,000,000"
        )
        raise ValidationError(msg)
    if (
        isinstance(confidence, bool)
        or not isinstance(confidence, float | int)
        or not (0 < confidence < 1)
    ):
        msg = (
            f"{confidence!r} is an invalid value for `confidence`. Allowed: a share "
            "strictly between 0 and 1 (0.8 for P80)"
        )
        raise ValidationError(msg)
    if basis not in ("residual", "inherent"):
        msg = (
            f"{basis!r} is an invalid value for `basis`. "
            "Valid values: 'residual', 'inherent'"
        )
        raise ValidationError(msg)
    m = get_matrix(matrix)
    cost_columns = ["cost_impact_min", "cost_impact_most_likely", "cost_impact_max"]
    require_risk_columns(
        risks, ["risk_id", "type", "status", *cost_columns], "contingency"
    )
    open_threats = risks[(risks["type"] == "threat") & (risks["status"] == "open")]
    scored = score(open_threats, matrix=m)
    if basis == "inherent":
        levels = scored["probability"].to_numpy(dtype=float).astype(int) - 1
        scored["chance"] = np.asarray(m.probabilities)[levels]
        scored["exposure"] = scored["chance"] * scored["expected_cost"]
    cost = scored[cost_columns].to_numpy(dtype=float)
    if np.isnan(cost).any():
        bad = scored["risk_id"][np.isnan(cost).any(axis=1)].tolist()
        msg = f"contingency: cost impact missing for {bad}. Allowed: amounts >= 0"
        raise ValidationError(msg)
    low, mode, high = (cost[:, k][:, None] for k in range(3))
    if (low > mode).any() or (mode > high).any():
        bad = scored["risk_id"][((low > mode) | (mode > high))[:, 0]].tolist()
        msg = (
            f"contingency: the cost impacts of {bad} are not ordered. Allowed: "
            "cost_impact_min <= cost_impact_most_likely <= cost_impact_max"
        )
        raise ValidationError(msg)
    chance = scored["chance"].to_numpy(dtype=float)[:, None]
    n = len(scored)
    iterations = int(iterations)
    step = max(1, _CHUNK_CELLS // max(n, 1))
    starts = list(range(0, iterations, step))
    streams = np.random.SeedSequence(seed).spawn(len(starts))

    def draw(k: int) -> tuple[np.ndarray, np.ndarray]:
        size = min(step, iterations - starts[k])
        rng = np.random.default_rng(streams[k])
        hits = rng.random((n, size)) < chance
        u = rng.random((n, size))
        return hits, np.where(hits, _triangular(u, low, mode, high), 0.0)

    totals = np.empty(iterations)
    sums = np.zeros(n)
    hits_count = np.zeros(n)
    keep = n * iterations <= _KEEP_CELLS  # small runs: keep the draws for the tail
    kept: list[np.ndarray] = []
    for k, start in enumerate(starts):
        hits, chunk = draw(k)
        totals[start : start + chunk.shape[1]] = chunk.sum(axis=0)
        sums += chunk.sum(axis=1)
        hits_count += hits.sum(axis=1)
        if keep:
            kept.append(chunk)
    threshold = float(np.quantile(totals, confidence)) if n else 0.0
    tail_sums = np.zeros(n)
    tail = totals >= threshold - 1e-9
    if n:
        for k, start in enumerate(starts):
            chunk = kept[k] if keep else draw(k)[1]  # same stream: same draws
            tail_sums += chunk[:, tail[start : start + chunk.shape[1]]].sum(axis=1)
    tail_n = max(int(tail.sum()), 1)
    contributions = pd.DataFrame(
        {
            "risk_id": scored["risk_id"].to_numpy(),
            "chance": scored["chance"].to_numpy(dtype=float),
            "expected_cost": scored["expected_cost"].to_numpy(dtype=float),
            "exposure": scored["exposure"].to_numpy(dtype=float),
            "simulated_mean": sums / iterations,
            "occurred_share": hits_count / iterations,
            "tail_mean": tail_sums / tail_n,
        }
    )
    if "project_id" in scored:
        contributions.insert(0, "project_id", scored["project_id"].to_numpy())
    contributions = contributions.sort_values(
        ["tail_mean", "risk_id"], ascending=[False, True]
    ).reset_index(drop=True)
    return ContingencyResult(
        totals=totals,
        contributions=contributions,
        emv_sum=float(scored["exposure"].sum()),
        confidence=float(confidence),
        iterations=iterations,
        seed=seed,
    )
