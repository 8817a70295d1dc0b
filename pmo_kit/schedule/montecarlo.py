"""
Monte Carlo schedule risk: sample durations, schedule every iteration at once.

The forward and backward passes run on 2-D arrays (tasks x iterations), level by
level, so 10,000 iterations cost a few numpy calls per level of the network, not a
Python loop per iteration. Iterations are drawn in chunks (one seeded random stream
each, spread over threads) and scheduled in blocks of a chunk small enough to stay in
the processor's cache; a chunk's draws are kept for the rank correlations when they
fit in memory, else drawn again from the same stream.
"""

from __future__ import annotations

import os
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from pmo_kit._errors import ValidationError
from pmo_kit.schedule.calendar import DateLike, WorkCalendar
from pmo_kit.schedule.calendar import working_day_offset as _offset
from pmo_kit.schedule.network import (
    Network,
    backward_pass,
    compile_network,
    forward_pass,
    link_weights,
)
from pmo_kit.schedule.pert import three_point
from pmo_kit.schedule.sampling import (
    Distribution,
    DurationSampler,
    mean_durations,
    sample_durations,
)

__all__ = ["MonteCarloResult", "monte_carlo", "sample_durations"]

_CHUNK_CELLS = 2_000_000  # tasks x iterations per chunk (8 MB per float32 array)
_BLOCK_CELLS = 262_144  # tasks x iterations per block of the passes (1 MB of float32)
_KEPT_CELLS = 16_000_000  # draws kept between the two passes (64 MB of float32)
_FLOAT_TOLERANCE = 1e-3


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
    sampler = DurationSampler(estimates, distribution)
    chunk = max(1, min(iterations, _CHUNK_CELLS // max(net.size, 1)))
    jobs = list(
        zip(
            range(0, iterations, chunk),
            np.random.SeedSequence(seed).spawn(-(-iterations // chunk)),
            strict=True,
        )
    )
    # one random stream per chunk: the result does not depend on the number of
    # threads or the order in which they finish, and a chunk's draws are kept for
    # the correlations when they fit in _KEPT_CELLS, else regenerated
    keep = sampler.uncertain.size * iterations <= _KEPT_CELLS

    def shares(first: int, stream: np.random.SeedSequence) -> np.ndarray:
        size = min(chunk, iterations - first)
        rng = np.random.default_rng(stream)
        return rng.random((sampler.uncertain.size, size), dtype=np.float32)

    # the passes run on blocks of a chunk's iterations small enough to stay in the
    # processor's cache; the blocks grow with the depth of the network, so that
    # per-level numpy calls stay cheap against the work they do
    cells = _BLOCK_CELLS * max(1, net.depth // 64)
    block = max(1, min(chunk, cells // max(net.size, 1)))

    def run(job: tuple[int, np.random.SeedSequence]) -> _Chunk:
        drawn = shares(*job)
        finish, critical = [], []
        for first in range(0, drawn.shape[1], block):
            durations = sampler.draw(drawn[:, first : first + block])
            done = _simulate(net, durations, bounds)
            finish.append(done[0])
            critical.append(done[1])
        return _Chunk(
            np.concatenate(finish),
            np.sum(critical, axis=0),
            *_share_sums(drawn),
            drawn if keep else None,
        )

    def correlate(job: tuple[int, np.random.SeedSequence], part: _Chunk) -> _Sums:
        drawn = part.shares if part.shares is not None else shares(*job)
        ranks = target[job[0] : job[0] + drawn.shape[1]].astype(np.float32)
        return part.sum, part.sum_of_squares, drawn @ ranks

    # the passes' link orders, made once before the threads share them
    _ = net.forward_sweeps, net.backward_sweeps
    with ThreadPoolExecutor(max_workers=_workers(len(jobs))) as pool:
        parts = list(pool.map(run, jobs))
        finish = np.concatenate([part.finish for part in parts]).astype(float)
        critical_count = np.sum([part.critical for part in parts], axis=0)
        target = np.empty(iterations)
        target[np.argsort(finish, kind="stable")] = np.arange(iterations)
        sums = list(pool.map(correlate, jobs, parts))
        del parts
    correlation = np.zeros(net.size)
    correlation[sampler.uncertain] = _rank_correlation(sums, target)
    mean_duration = estimates["optimistic"].to_numpy(dtype=float).copy()
    mean_duration[sampler.uncertain] = mean_durations(sampler)
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
    """Finish per iteration and, per task, the number of iterations it is critical."""
    durations = durations.astype(np.float32, copy=False)
    weights = link_weights(
        net.pred, net.succ, net.link_type, net.lag.astype(np.float32), durations
    )
    lower = np.broadcast_to(bounds.astype(np.float32)[:, None], durations.shape)
    early_start = forward_pass(net, weights, lower.copy())
    finish = (early_start + durations).max(axis=0)
    late_start = backward_pass(net, weights, finish[None, :] - durations)
    total_float = np.subtract(late_start, early_start, out=late_start)
    # float32 carries ~7 digits: a thousandth of a day is "zero float"
    critical = total_float <= _FLOAT_TOLERANCE
    return finish, np.count_nonzero(critical, axis=1)


@dataclass(frozen=True)
class _Chunk:
    """One chunk's finishes, critical counts per task and sums of its draws."""

    finish: np.ndarray
    critical: np.ndarray
    sum: np.ndarray
    sum_of_squares: np.ndarray
    shares: np.ndarray | None


_Sums = tuple[np.ndarray, np.ndarray, np.ndarray]


def _share_sums(shares: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Per task: sum of shares and of squared shares (float64)."""
    as_float = shares.astype(np.float64)
    total = as_float.sum(axis=1)
    np.square(as_float, out=as_float)
    return total, as_float.sum(axis=1)


def _rank_correlation(sums: list[_Sums], ranks: np.ndarray) -> np.ndarray:
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
