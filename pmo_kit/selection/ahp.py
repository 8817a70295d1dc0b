"""
Analytic hierarchy process (AHP): criteria weights from pairwise judgements.

A judgement ``a_ij`` says how much more criterion ``i`` matters than ``j`` on
Saaty's 1-9 scale (1 equal, 3 moderately, 5 strongly, 7 very strongly, 9 extremely
more; reciprocals for less). The weights are the principal eigenvector of the
reciprocal matrix, scaled to sum to 1. Consistency: ``CI = (lambda_max - n) /
(n - 1)`` and ``CR = CI / RI``, where RI is Saaty's random index for ``n``
criteria, from the table in Saaty (1980), *The Analytic Hierarchy Process*,
McGraw-Hill (``RANDOM_INDEX``). A ratio of 0.1 or more is refused: the judgements
contradict each other too much to be used as weights.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from pmo_kit._errors import ValidationError

if TYPE_CHECKING:
    from collections.abc import Mapping, Sequence

__all__ = [
    "CONSISTENCY_LIMIT",
    "RANDOM_INDEX",
    "AHPResult",
    "Judgement",
    "ahp_weights",
]

CONSISTENCY_LIMIT = 0.1
"""A consistency ratio at or above this is refused (Saaty's 10% rule)."""

RANDOM_INDEX: dict[int, float] = {
    1: 0.0,
    2: 0.0,
    3: 0.58,
    4: 0.90,
    5: 1.12,
    6: 1.24,
    7: 1.32,
    8: 1.41,
    9: 1.45,
    10: 1.49,
}
"""Saaty's (1980) random consistency index RI for n = 1..10 criteria."""


@dataclass(frozen=True, slots=True)
class Judgement:
    """One pairwise judgement and how far it is from what the weights imply."""

    more: str
    less: str
    judged: float
    implied: float

    @property
    def deviation(self) -> float:
        """``|log(judged / implied)|``: 0 when the judgement fits the weights."""
        return abs(math.log(self.judged / self.implied))


@dataclass(frozen=True, slots=True)
class AHPResult:
    """
    Weights and consistency of one pairwise comparison matrix.

    ``conflicts`` lists every judgement above the diagonal, worst first: the one
    whose judged ratio is furthest from the ratio of the weights ``w_i / w_j``.
    """

    weights: dict[str, float]
    lambda_max: float
    consistency_index: float
    consistency_ratio: float
    random_index: float
    conflicts: tuple[Judgement, ...]

    @property
    def consistent(self) -> bool:
        """True when the consistency ratio is below :data:`CONSISTENCY_LIMIT`."""
        return self.consistency_ratio < CONSISTENCY_LIMIT

    def summary(self) -> dict[str, Any]:
        """Plain numbers for a report: weights, lambda_max, CI, RI, CR, worst pair."""
        worst = self.conflicts[0] if self.conflicts else None
        return {
            "weights": dict(self.weights),
            "lambda_max": self.lambda_max,
            "consistency_index": self.consistency_index,
            "random_index": self.random_index,
            "consistency_ratio": self.consistency_ratio,
            "consistent": self.consistent,
            "worst_judgement": None
            if worst is None
            else f"{worst.more} vs {worst.less}: judged {worst.judged:.3g}, "
            f"weights imply {worst.implied:.3g}",
        }


def _matrix_from(
    judgements: Any, criteria: Sequence[str] | None
) -> tuple[list[str], list[list[float]]]:
    """Build a square reciprocal matrix and its labels from any accepted input."""
    import numpy as np

    if isinstance(judgements, dict):
        pairs: Mapping[tuple[str, str], float] = judgements
        names = list(criteria) if criteria is not None else []
        for a, b in pairs:
            for name in (a, b):
                if name not in names:
                    names.append(name)
        index = {name: i for i, name in enumerate(names)}
        matrix = [[1.0] * len(names) for _ in names]
        for (a, b), value in pairs.items():
            if a == b:
                msg = f"judgement ({a!r}, {b!r}) compares a criterion with itself"
                raise ValidationError(msg)
            v = _positive(value, f"({a!r}, {b!r})")
            matrix[index[a]][index[b]] = v
            matrix[index[b]][index[a]] = 1.0 / v
        missing = [
            (a, b)
            for i, a in enumerate(names)
            for b in names[i + 1 :]
            if (a, b) not in pairs and (b, a) not in pairs
        ]
        if missing:
            a, b = missing[0]
            msg = f"no judgement for ({a!r}, {b!r}): every pair of criteria needs one"
            raise ValidationError(msg)
        return names, matrix
    columns = getattr(judgements, "columns", None)
    array = np.asarray(judgements, dtype=float)
    if array.ndim != 2 or array.shape[0] != array.shape[1] or array.shape[0] < 1:
        msg = f"the judgement matrix must be square; got shape {array.shape}"
        raise ValidationError(msg)
    n = array.shape[0]
    if criteria is not None:
        names = [str(c) for c in criteria]
    elif columns is not None:
        names = [str(c) for c in columns]
    else:
        names = [f"c{i + 1}" for i in range(n)]
    if len(names) != n:
        msg = f"{len(names)} criteria names for a {n}x{n} judgement matrix"
        raise ValidationError(msg)
    for i in range(n):
        for j in range(n):
            _positive(array[i, j], f"({names[i]!r}, {names[j]!r})")
            if not math.isclose(array[i, j] * array[j, i], 1.0, rel_tol=1e-3):
                msg = (
                    f"judgements ({names[i]!r}, {names[j]!r}) = {array[i, j]:.4g} "
                    f"and ({names[j]!r}, {names[i]!r}) = {array[j, i]:.4g} are not "
                    "reciprocal: a_ji must be 1 / a_ij"
                )
                raise ValidationError(msg)
    return names, array.tolist()


def _positive(value: Any, where: str) -> float:
    try:
        number = float(value)
    except (TypeError, ValueError):
        number = math.nan
    if not (math.isfinite(number) and number > 0):
        msg = f"{value!r} is an invalid judgement for {where}: must be a number > 0"
        raise ValidationError(msg)
    return number


def ahp_weights(
    judgements: Any,
    *,
    criteria: Sequence[str] | None = None,
    check: bool = True,
) -> AHPResult:
    """
    Criteria weights from pairwise comparisons, with the consistency ratio.

    Parameters
    ----------
    judgements
        Either a square reciprocal matrix (a pandas DataFrame whose columns name
        the criteria, or a list of lists / numpy array with ``criteria``), or a
        mapping ``{(more, less): value}`` with one judgement per pair of criteria
        (the reciprocal is filled in).
    criteria
        Names of the criteria, in matrix order (optional for a DataFrame or a
        mapping).
    check
        When True (the default), refuse a consistency ratio of 0.1 or more.

    Returns
    -------
    AHPResult
        Weights (principal eigenvector, summing to 1), lambda_max, CI, RI, CR
        and the judgements ordered from the most to the least conflicting.

    Raises
    ------
    ValidationError
        A judgement is missing, not positive or not reciprocal; more than 10
        criteria (no random index); or, with ``check``, CR >= 0.1: the message
        names the judgement that conflicts most with the others.

    Examples
    --------
    >>> result = ahp_weights(
    ...     {("cost", "risk"): 2, ("risk", "fit"): 2, ("cost", "fit"): 4}
    ... )
    >>> {k: round(v, 4) for k, v in result.weights.items()}
    {'cost': 0.5714, 'risk': 0.2857, 'fit': 0.1429}
    >>> round(result.consistency_ratio, 6)
    0.0
    """
    import numpy as np

    names, rows = _matrix_from(judgements, criteria)
    n = len(names)
    if n not in RANDOM_INDEX:
        msg = (
            f"{n} criteria: the random index table (Saaty 1980) covers 1-10; "
            "group the criteria into a hierarchy of at most 10 each"
        )
        raise ValidationError(msg)
    matrix = np.array(rows, dtype=float)
    eigenvalues, eigenvectors = np.linalg.eig(matrix)
    k = int(np.argmax(eigenvalues.real))
    vector = np.abs(eigenvectors[:, k].real)
    weights = vector / vector.sum()
    lambda_max = float(eigenvalues[k].real)
    ci = (lambda_max - n) / (n - 1) if n > 2 else 0.0
    ri = RANDOM_INDEX[n]
    cr = ci / ri if ri > 0 else 0.0
    if abs(ci) < 1e-12:
        ci = cr = 0.0
    conflicts = sorted(
        (
            Judgement(
                more=names[i],
                less=names[j],
                judged=float(matrix[i, j]),
                implied=float(weights[i] / weights[j]),
            )
            for i in range(n)
            for j in range(i + 1, n)
        ),
        key=lambda judgement: -judgement.deviation,
    )
    result = AHPResult(
        weights={name: float(w) for name, w in zip(names, weights, strict=True)},
        lambda_max=lambda_max,
        consistency_index=float(ci),
        consistency_ratio=float(cr),
        random_index=ri,
        conflicts=tuple(conflicts),
    )
    if check and not result.consistent:
        worst = conflicts[0]
        msg = (
            f"consistency ratio {cr:.3f} >= {CONSISTENCY_LIMIT}: the judgements "
            f"conflict, most of all {worst.more!r} vs {worst.less!r} (judged "
            f"{worst.judged:.3g}, the other judgements imply {worst.implied:.3g}); "
            "revise it, or pass check=False to inspect"
        )
        raise ValidationError(msg)
    return result
