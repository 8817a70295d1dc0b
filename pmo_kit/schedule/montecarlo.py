"""
Monte Carlo schedule risk: sample durations, schedule every iteration at once.

The forward and backward passes run on 2-D arrays (iterations x tasks), level by
level, so 10,000 iterations cost a few numpy calls per level of the network, not a
Python loop per iteration. Iterations are processed in chunks to bound memory.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

import numpy as np
import pandas as pd

from pmo_kit._errors import ValidationError
from pmo_kit.schedule.calendar import DateLike, WorkCalendar
from pmo_kit.schedule.cpm import _offset
from pmo_kit.schedule.network import (
    Network,
    backward_pass,
    compile_network,
    forward_pass,
    link_weights,
)
from pmo_kit.schedule.pert import three_point

__all__ = ["MonteCarloResult", "monte_carlo", "sample_durations"]

Distribution = Literal["pert", "triangular"]
_CHUNK_CELLS = 4_000_000  # iterations x tasks per chunk (~32 MB per float array)


def sample_durations(
    estimates: pd.DataFrame,
    iterations: int,
    rng: np.random.Generator,
    distribution: Distribution = "pert",
) -> np.ndarray:
    """
    Draw durations (iterations x tasks) from three-point estimates.

    ``pert`` is the PERT-beta distribution (shape 4): ``o + (p - o) * Beta(a, b)``
    with ``a = 1 + 4 (m - o) / (p - o)`` and ``b = 1 + 4 (p - m) / (p - o)``, whose
    mean is (o + 4m + p) / 6. ``triangular`` is the triangle (o, m, p). A task with
    ``o == p`` is certain.
    """
    o = estimates["optimistic"].to_numpy(dtype=float)
    m = estimates["most_likely"].to_numpy(dtype=float)
    p = estimates["pessimistic"].to_numpy(dtype=float)
    spread = p - o
    certain = spread <= 0
    safe = np.where(certain, 1.0, spread)
    shape = (iterations, len(o))
    if distribution == "pert":
        a = 1 + 4 * (m - o) / safe
        b = 1 + 4 * (p - m) / safe
        draws = o + spread * rng.beta(a, b, size=shape)
    elif distribution == "triangular":
        mode = np.where(certain, 0.5, (m - o) / safe)
        u = rng.random(shape)
        left = np.sqrt(u * mode)
        right = 1 - np.sqrt((1 - u) * (1 - mode))
        draws = o + spread * np.where(u < mode, left, right)
    else:
        msg = (
            f"{distribution!r} is an invalid value for `distribution`. "
            "Valid values: 'pert', 'triangular'"
        )
        raise ValidationError(msg)
    return np.where(certain, o, draws)


@dataclass(frozen=True)
class MonteCarloResult:
    """
    Outcome of a Monte Carlo schedule simulation.

    ``finish`` holds the project finish (working days from the start) of every
    iteration; ``criticality`` the share of iterations in which each task was
    critical; ``sensitivity`` ranks tasks by the rank correlation between their
    sampled duration and the finish (which task's uncertainty moves the date most).
    """

    finish: np.ndarray
    criticality: pd.Series
    sensitivity: pd.DataFrame
    deterministic_finish: float
    iterations: int
    seed: int | None
    start: pd.Timestamp | None = None
    calendar: WorkCalendar = field(default_factory=WorkCalendar)

    def percentile(self, p: float) -> float:
        """
        Finish offset not exceeded in a share ``p`` of iterations (0 < p < 1).

        Finishes are whole working days: a fractional finish is rounded up.
        """
        if not 0 < p < 1:
            msg = f"{p!r} is an invalid percentile. Allowed: a share from 0 to 1 (0.8)"
            raise ValidationError(msg)
        return float(np.ceil(np.quantile(self.finish, p) - 1e-9))

    def percentiles(self, shares: tuple[float, ...] = (0.5, 0.8, 0.9)) -> pd.Series:
        """Return the finish offset at several shares (default P50, P80, P90)."""
        return pd.Series(
            [self.percentile(s) for s in shares],
            index=[f"P{round(s * 100)}" for s in shares],
            dtype=float,
        )

    def percentile_date(self, p: float) -> pd.Timestamp:
        """Return the finish date at share ``p`` (needs the simulation's ``start``)."""
        return self.date_of(self.percentile(p))

    def date_of(self, finish: float) -> pd.Timestamp:
        """Calendar date of a finish offset (the last working day of the work)."""
        if self.start is None:
            msg = "this simulation has no `start` date; pass start=... to monte_carlo"
            raise ValidationError(msg)
        day = max(int(np.ceil(finish - 1e-9)) - 1, 0)
        return self.calendar.dates(self.start, np.array([day]))[0]

    def probability_by(self, target: float | DateLike) -> float:
        """
        Share of iterations finishing by ``target`` (an offset, or a date with start).

        Examples
        --------
        >>> import numpy as np, pandas as pd
        >>> r = MonteCarloResult(
        ...     np.array([10.0, 12.0, 14.0, 16.0]),
        ...     pd.Series(dtype=float),
        ...     pd.DataFrame(),
        ...     12.0,
        ...     4,
        ...     None,
        ... )
        >>> r.probability_by(14)
        0.75
        """
        if isinstance(target, int | float | np.integer | np.floating):
            limit = float(target)
        else:
            if self.start is None:
                msg = "a date target needs the simulation's `start` date"
                raise ValidationError(msg)
            limit = float(self.calendar.offset_of(self.start, target) + 1)
        return float(np.mean(np.ceil(self.finish - 1e-9) <= limit))


def monte_carlo(
    tasks: pd.DataFrame,
    dependencies: pd.DataFrame | None = None,
    *,
    iterations: int = 10_000,
    seed: int | None = None,
    distribution: Distribution = "pert",
    start: DateLike | None = None,
    calendar: WorkCalendar | None = None,
    start_no_earlier_than: dict[str, int | DateLike] | None = None,
) -> MonteCarloResult:
    """
    Simulate the project finish from three-point estimates.

    Parameters
    ----------
    tasks, dependencies
        As for :func:`critical_path`; ``optimistic``, ``most_likely`` and
        ``pessimistic`` give each task's range (tasks without them are certain).
    iterations
        Number of simulated projects (100 to 1,000,000).
    seed
        Random seed: the same seed gives the same result.
    distribution
        ``"pert"`` (beta) or ``"triangular"``.
    start, calendar
        Project start date and working days, to read results as dates.
    start_no_earlier_than
        Constraints by task id, as for :func:`critical_path`.

    Returns
    -------
    MonteCarloResult
        Finish of each iteration, percentiles, criticality index and sensitivity.

    Examples
    --------
    >>> import pandas as pd
    >>> t = pd.DataFrame(
    ...     {
    ...         "task_id": ["A", "B"],
    ...         "duration": [5, 5],
    ...         "optimistic": [4, 3],
    ...         "most_likely": [5, 5],
    ...         "pessimistic": [9, 12],
    ...     }
    ... )
    >>> r = monte_carlo(t, None, iterations=2000, seed=1)
    >>> r.deterministic_finish, r.percentile(0.8) > r.deterministic_finish
    (5.0, True)
    """
    if not 100 <= iterations <= 1_000_000:
        msg = (
            f"{iterations!r} is an invalid value for `iterations`. "
            "Allowed: 100 to 1,000,000"
        )
        raise ValidationError(msg)
    net = compile_network(tasks, dependencies)
    estimates = three_point(tasks)
    calendar = calendar or WorkCalendar()
    bounds = np.zeros(net.size)
    for task_id, value in (start_no_earlier_than or {}).items():
        bounds[net.index_of(str(task_id))] = max(
            0, _offset(value, start, calendar, f"start_no_earlier_than[{task_id!r}]")
        )
    rng = np.random.default_rng(seed)
    chunk = max(1, min(iterations, _CHUNK_CELLS // max(net.size, 1)))
    finish_parts, critical_count = [], np.zeros(net.size)
    samples = []
    for done in range(0, iterations, chunk):
        n = min(chunk, iterations - done)
        durations = sample_durations(estimates, n, rng, distribution)
        finish, critical = _simulate(net, durations, bounds)
        finish_parts.append(finish)
        critical_count += critical.sum(axis=0)
        samples.append(durations)
    finish = np.concatenate(finish_parts)
    durations = np.concatenate(samples)
    ids = pd.Index(net.task_ids, name="task_id")
    criticality = pd.Series(critical_count / iterations, index=ids, name="criticality")
    sensitivity = pd.DataFrame(
        {
            "correlation": _spearman(durations, finish),
            "criticality": criticality.to_numpy(),
            "mean_duration": durations.mean(axis=0),
            "spread": estimates["pessimistic"].to_numpy()
            - estimates["optimistic"].to_numpy(),
        },
        index=ids,
    ).sort_values("correlation", ascending=False, kind="stable")
    most_likely = estimates["most_likely"].to_numpy()[None, :]
    deterministic, _ = _simulate(net, most_likely, bounds)
    return MonteCarloResult(
        finish=finish,
        criticality=criticality,
        sensitivity=sensitivity,
        deterministic_finish=float(deterministic[0]),
        iterations=iterations,
        seed=seed,
        start=None if start is None else calendar.first_working_day(start),
        calendar=calendar,
    )


def _simulate(
    net: Network, durations: np.ndarray, bounds: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    weights = link_weights(net.pred, net.succ, net.link_type, net.lag, durations)
    early_start = forward_pass(
        net, weights, np.broadcast_to(bounds, durations.shape).copy()
    )
    early_finish = early_start + durations
    finish = early_finish.max(axis=1)
    late_start = backward_pass(net, weights, finish[:, None] - durations)
    critical = (late_start - early_start) <= 1e-9
    return finish, critical


def _spearman(samples: np.ndarray, finish: np.ndarray) -> np.ndarray:
    """Rank correlation of each column of ``samples`` with ``finish``."""
    ranks = samples.argsort(axis=0).argsort(axis=0).astype(float)
    target = finish.argsort().argsort().astype(float)
    ranks -= ranks.mean(axis=0)
    target -= target.mean()
    denominator = np.sqrt((ranks**2).sum(axis=0) * (target**2).sum())
    with np.errstate(invalid="ignore", divide="ignore"):
        correlation = (ranks * target[:, None]).sum(axis=0) / denominator
    varies = samples.std(axis=0) > 0  # a certain task's ranks are arbitrary ties
    return np.where(varies & (denominator > 0), correlation, 0.0)
