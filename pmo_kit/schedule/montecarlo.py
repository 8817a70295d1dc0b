"""
Monte Carlo schedule risk: sample durations, schedule every iteration at once.

The forward and backward passes run on 2-D arrays (iterations x tasks), level by
level, so 10,000 iterations cost a few numpy calls per level of the network, not a
Python loop per iteration. Iterations are processed in chunks to bound memory.
"""

from __future__ import annotations

import os
from concurrent.futures import ThreadPoolExecutor
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
_CHUNK_CELLS = 2_000_000  # tasks x iterations per chunk (8 MB per float32 array)
_FLOAT_TOLERANCE = 1e-3


class _Sampler:
    """
    Inverse-transform sampler of task durations from three-point estimates.

    ``pert`` is the PERT-beta distribution (shape 4): ``o + (p - o) * Beta(a, b)``
    with ``a = 1 + 4 (m - o) / (p - o)`` and ``b = 1 + 4 (p - m) / (p - o)``, whose
    mean is (o + 4m + p) / 6. ``triangular`` is the triangle (o, m, p). A task with
    ``o == p`` is certain. The beta's quantile function is tabulated once per
    distinct shape at 1,025 points and interpolated linearly (error below 0.1 % of
    the task's range, far under the sampling error of 10,000 iterations).
    """

    def __init__(self, estimates: pd.DataFrame, distribution: Distribution) -> None:
        if distribution not in ("pert", "triangular"):
            msg = (
                f"{distribution!r} is an invalid value for `distribution`. "
                "Valid values: 'pert', 'triangular'"
            )
            raise ValidationError(msg)
        o = estimates["optimistic"].to_numpy(dtype=float)
        m = estimates["most_likely"].to_numpy(dtype=float)
        p = estimates["pessimistic"].to_numpy(dtype=float)
        self.optimistic = o.astype(np.float32)
        self.uncertain = np.flatnonzero(p - o > 0)
        self.low = o[self.uncertain].astype(np.float32)[:, None]
        self.width = (p - o)[self.uncertain].astype(np.float32)[:, None]
        mode = (m - o)[self.uncertain] / (p - o)[self.uncertain]
        self.mode = mode.astype(np.float32)[:, None]
        self.table: np.ndarray | None = None
        if distribution == "pert" and self.uncertain.size:
            shapes, which = np.unique(mode, return_inverse=True)  # shapes repeat a lot
            self.table = _beta_quantiles(1 + 4 * shapes, 1 + 4 * (1 - shapes))[which]

    def draw(self, shares: np.ndarray) -> np.ndarray:
        """Durations (tasks x iterations, float32) for shares in [0, 1) of the tasks."""
        out = np.repeat(self.optimistic[:, None], shares.shape[1], axis=1)
        if self.uncertain.size == 0:
            return out
        if self.table is not None:
            table = self.table
            position = shares * np.float32(table.shape[1] - 1)
            index = np.minimum(position.astype(np.int32), table.shape[1] - 2)
            below = np.take_along_axis(table, index, axis=1)
            above = np.take_along_axis(table, index + 1, axis=1)
            share = below + (position - index) * (above - below)
        else:
            c = self.mode
            share = np.where(
                shares < c, np.sqrt(shares * c), 1 - np.sqrt((1 - shares) * (1 - c))
            )
        out[self.uncertain] = self.low + self.width * share
        return out


def sample_durations(
    estimates: pd.DataFrame,
    iterations: int,
    rng: np.random.Generator,
    distribution: Distribution = "pert",
) -> np.ndarray:
    """
    Draw independent durations (tasks x iterations, float32) from three-point estimates.

    See :class:`_Sampler` for the distributions. :func:`monte_carlo` uses the same
    sampler with Latin hypercube shares instead of plain uniform ones.
    """
    sampler = _Sampler(estimates, distribution)
    shares = rng.random((sampler.uncertain.size, iterations), dtype=np.float32)
    return sampler.draw(shares)


def _beta_quantiles(a: np.ndarray, b: np.ndarray, points: int = 1025) -> np.ndarray:
    """
    Tabulate Beta(a, b) quantiles (a, b >= 1) at ``points`` evenly spaced shares.

    The CDF is integrated (trapezoid rule, 2,049 points, in logs) and inverted once per
    row; returns float32 rows running from 0 to 1.
    """
    x = np.linspace(0.0, 1.0, 2049)
    inner = x[1:-1]
    log_pdf = (a[:, None] - 1) * np.log(inner) + (b[:, None] - 1) * np.log1p(-inner)
    pdf = np.exp(log_pdf - log_pdf.max(axis=1, keepdims=True))
    edges = np.stack(
        [np.where(a == 1, pdf[:, 0], 0.0), np.where(b == 1, pdf[:, -1], 0.0)]
    )
    pdf = np.concatenate([edges[0][:, None], pdf, edges[1][:, None]], axis=1)
    cdf = np.concatenate(
        [np.zeros((len(a), 1)), np.cumsum((pdf[:, 1:] + pdf[:, :-1]) / 2, axis=1)],
        axis=1,
    )
    cdf /= cdf[:, -1:]
    shares = np.linspace(0.0, 1.0, points)
    table = np.empty((len(a), points), dtype=np.float32)
    for row in range(len(a)):
        table[row] = np.interp(shares, cdf[row], x)
    return table


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
    sampler = _Sampler(estimates, distribution)
    chunk = max(1, min(iterations, _CHUNK_CELLS // max(net.size, 1)))
    jobs = list(
        zip(
            range(0, iterations, chunk),
            np.random.SeedSequence(seed).spawn(-(-iterations // chunk)),
            strict=True,
        )
    )
    # one random stream per chunk: the result does not depend on the number of
    # threads or the order in which they finish, and a chunk's draws can be
    # regenerated instead of stored

    def shares(first: int, stream: np.random.SeedSequence) -> np.ndarray:
        size = min(chunk, iterations - first)
        rng = np.random.default_rng(stream)
        return rng.random((sampler.uncertain.size, size), dtype=np.float32)

    def run(job: tuple[int, np.random.SeedSequence]) -> tuple[np.ndarray, np.ndarray]:
        durations = sampler.draw(shares(*job))
        finish, critical = _simulate(net, durations, bounds)
        return finish, critical.sum(axis=1)

    with ThreadPoolExecutor(max_workers=_workers(len(jobs))) as pool:
        parts = list(pool.map(run, jobs))
        finish = np.concatenate([part[0] for part in parts]).astype(float)
        critical_count = np.sum([part[1] for part in parts], axis=0)
        target = np.empty(iterations)
        target[np.argsort(finish, kind="stable")] = np.arange(iterations)
        sums = list(
            pool.map(
                lambda job: _correlation_sums(shares(*job), target[job[0] :]), jobs
            )
        )
    correlation = np.zeros(net.size)
    correlation[sampler.uncertain] = _rank_correlation(sums, target)
    mean_duration = estimates["optimistic"].to_numpy(dtype=float).copy()
    mean_duration[sampler.uncertain] = _mean_of(sampler)
    ids = pd.Index(net.task_ids, name="task_id")
    criticality = pd.Series(critical_count / iterations, index=ids, name="criticality")
    sensitivity = pd.DataFrame(
        {
            "correlation": correlation,
            "criticality": criticality.to_numpy(),
            "mean_duration": mean_duration,
            "spread": estimates["pessimistic"].to_numpy()
            - estimates["optimistic"].to_numpy(),
        },
        index=ids,
    ).sort_values("correlation", ascending=False, kind="stable")
    most_likely = estimates["most_likely"].to_numpy()[:, None]
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


def _workers(chunks: int) -> int:
    """Threads to use: numpy releases the GIL in the heavy loops."""
    return max(1, min(chunks, os.cpu_count() or 1, 4))


def _simulate(
    net: Network, durations: np.ndarray, bounds: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Finish per iteration and the critical flags (tasks x iterations)."""
    durations = durations.astype(np.float32, copy=False)
    weights = link_weights(
        net.pred, net.succ, net.link_type, net.lag.astype(np.float32), durations
    )
    lower = np.broadcast_to(bounds.astype(np.float32)[:, None], durations.shape)
    early_start = forward_pass(net, weights, lower.copy())
    finish = (early_start + durations).max(axis=0)
    late_start = backward_pass(net, weights, finish[None, :] - durations)
    # float32 carries ~7 digits: a thousandth of a day is "zero float"
    critical = (late_start - early_start) <= _FLOAT_TOLERANCE
    return finish, critical


def _correlation_sums(
    shares: np.ndarray, ranks: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Per task: sum of shares, of squared shares, and of shares x finish rank."""
    ranks = ranks[: shares.shape[1]].astype(np.float32)
    as_float = shares.astype(np.float64)
    return as_float.sum(axis=1), (as_float**2).sum(axis=1), shares @ ranks


def _rank_correlation(
    sums: list[tuple[np.ndarray, np.ndarray, np.ndarray]], ranks: np.ndarray
) -> np.ndarray:
    """
    Spearman correlation of each task's duration with the project finish.

    A duration is drawn at a probability level (its share ``u``) and grows with it,
    so ``u`` ranks the task's durations exactly as their own ranks would; the
    correlation of ``u`` with the finish ranks is Spearman's rho without sorting
    10,000 draws per task.
    """
    n = ranks.size
    s1 = np.sum([part[0] for part in sums], axis=0)
    s2 = np.sum([part[1] for part in sums], axis=0)
    sxy = np.sum([part[2] for part in sums], axis=0).astype(np.float64)
    mean_rank = (n - 1) / 2
    covariance = sxy - s1 * mean_rank
    variance_u = s2 - s1**2 / n
    variance_rank = n * (n**2 - 1) / 12
    with np.errstate(invalid="ignore", divide="ignore"):
        correlation = covariance / np.sqrt(variance_u * variance_rank)
    result: np.ndarray = np.where(variance_u > 0, correlation, 0.0)
    return result


def _mean_of(sampler: _Sampler) -> np.ndarray:
    """Return the mean duration of each uncertain task under its distribution."""
    if sampler.table is not None:
        table = sampler.table.astype(np.float64)
        share = ((table[:, 1:] + table[:, :-1]) / 2).mean(axis=1)
    else:
        share = (1 + sampler.mode[:, 0].astype(np.float64)) / 3
    mean: np.ndarray = sampler.low[:, 0] + sampler.width[:, 0] * share
    return mean
