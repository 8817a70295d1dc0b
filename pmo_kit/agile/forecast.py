"""
Monte Carlo forecasts from throughput: "how many items by then?", "when done?".

Instead of estimating, replay history: each simulated day draws the throughput
of a random day of the recent past (a bootstrap). Ten thousand simulated futures
give a distribution, read as percentiles. All iterations run at once as numpy
arrays; a seed makes the result reproducible.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from pmo_kit._errors import ValidationError
from pmo_kit.agile._common import ONE_DAY, as_day

if TYPE_CHECKING:
    from collections.abc import Sequence

    import numpy.typing as npt

    from pmo_kit.agile._common import DateLike

__all__ = [
    "CompletionForecast",
    "ItemsForecast",
    "forecast_completion",
    "forecast_items_by",
]

_CELLS = 4_000_000  # random draws held in memory at once
_MAX_DAYS = 36_525  # give up after a hundred years


def _check_share(p: float) -> None:
    if not 0 < p < 1:
        msg = (
            f"{p!r} is an invalid probability. Valid values: a share between 0 and 1 "
            "(exclusive), e.g. 0.85"
        )
        raise ValidationError(msg)


def _label(p: float) -> str:
    return f"P{p * 100:g}"


@dataclass(frozen=True, slots=True)
class ItemsForecast:
    """
    How many items will be finished in the next ``days`` days.

    ``outcomes`` holds the items finished in each simulated future. For "how
    many", the safe figure is the *low* one: :meth:`at_least` (0.85) is the number
    reached or beaten in 85 % of the futures.
    """

    days: int
    outcomes: npt.NDArray[np.int64]
    start: pd.Timestamp | None = None

    @property
    def end(self) -> pd.Timestamp | None:
        """Last day of the forecast (None without a start date)."""
        return None if self.start is None else self.start + (self.days - 1) * ONE_DAY

    def at_least(self, probability: float) -> int:
        """
        Return the most items finished in at least ``probability`` of runs.

        Examples
        --------
        >>> import numpy as np
        >>> f = ItemsForecast(days=10, outcomes=np.array([8, 9, 10, 11, 12] * 20))
        >>> f.at_least(0.5), f.at_least(0.8), f.at_least(0.95)
        (10, 9, 8)
        """
        _check_share(probability)
        ordered = np.sort(self.outcomes)
        index = ordered.size - math.ceil(probability * ordered.size - 1e-9)
        return int(ordered[index])

    def chance_of(self, items: int) -> float:
        """Share of simulated futures finishing at least ``items`` items."""
        return float(np.mean(self.outcomes >= items))

    def percentiles(self, shares: Sequence[float] = (0.5, 0.85, 0.95)) -> pd.Series:
        """Items finished with each probability (P85 = 85 % chance of at least)."""
        return pd.Series(
            [self.at_least(p) for p in shares],
            index=[_label(p) for p in shares],
            dtype="int64",
            name="items",
        )


@dataclass(frozen=True, slots=True)
class CompletionForecast:
    """
    When ``items`` items will be finished.

    ``outcomes`` holds, for each simulated future, the number of days needed:
    1 means on the first day of the forecast (``start``). The safe figure is the
    *high* one: :meth:`days_needed` (0.85) is met in 85 % of the futures.
    """

    items: int
    outcomes: npt.NDArray[np.int64]
    start: pd.Timestamp | None = None

    def days_needed(self, probability: float) -> int:
        """
        Days within which the items are finished in ``probability`` of the runs.

        Examples
        --------
        >>> import numpy as np
        >>> f = CompletionForecast(items=20, outcomes=np.array([8, 9, 10, 11, 12]))
        >>> f.days_needed(0.5), f.days_needed(0.85)
        (10, 12)
        """
        _check_share(probability)
        ordered = np.sort(self.outcomes)
        index = math.ceil(probability * ordered.size - 1e-9) - 1
        return int(ordered[max(index, 0)])

    def _start(self) -> pd.Timestamp:
        if self.start is None:
            msg = (
                "this forecast has no start date; pass start=... to "
                "forecast_completion (or a throughput history indexed by date)"
            )
            raise ValidationError(msg)
        return self.start

    def date(self, probability: float) -> pd.Timestamp:
        """Date by which the items are finished in ``probability`` of the runs."""
        return self._start() + (self.days_needed(probability) - 1) * ONE_DAY

    def dates(self) -> pd.DatetimeIndex:
        """Completion date of every simulated future (needs ``start``)."""
        offsets = pd.to_timedelta(self.outcomes - 1, unit="D")
        return pd.DatetimeIndex(self._start() + offsets)

    def chance_by(self, when: DateLike | int) -> float:
        """Share of futures done by a date (or within a number of days)."""
        if isinstance(when, int | np.integer):
            days = int(when)
        else:
            elapsed = as_day(when, name="when") - self._start()
            days = elapsed.days + 1
        return float(np.mean(self.outcomes <= days))

    def percentiles(self, shares: Sequence[float] = (0.5, 0.85, 0.95)) -> pd.DataFrame:
        """Days needed (and dates, with a start) at each probability."""
        frame = pd.DataFrame(
            {"days": [self.days_needed(p) for p in shares]},
            index=[_label(p) for p in shares],
        )
        if self.start is not None:
            frame["date"] = [self.date(p) for p in shares]
        return frame


def _history(
    throughput_history: pd.Series | Sequence[float] | npt.NDArray[Any],
    window: int | None,
) -> tuple[npt.NDArray[np.int64], pd.Timestamp | None]:
    """Daily counts to sample from, and the day after the history (if dated)."""
    series = pd.Series(throughput_history)
    next_day: pd.Timestamp | None = None
    if isinstance(series.index, pd.DatetimeIndex) and len(series):
        steps = series.index.to_series().diff().dropna()
        if len(steps) and (steps != ONE_DAY).any():
            msg = (
                "the throughput history must have one value per calendar day (got "
                f"steps of {sorted(set(steps.dt.days))} days). Use "
                "throughput(..., freq='D'), which includes days with zero"
            )
            raise ValidationError(msg)
        next_day = series.index.max().normalize() + ONE_DAY
    if window is not None:
        if window < 1:
            msg = (
                f"{window!r} is an invalid value for `window`. Valid values: 1 or more"
            )
            raise ValidationError(msg)
        series = series.iloc[-window:]
    values = pd.to_numeric(series, errors="coerce").to_numpy(dtype=float)
    if values.size == 0:
        msg = "the throughput history is empty: a forecast needs at least one day"
        raise ValidationError(msg)
    bad = ~np.isfinite(values) | (values < 0) | (values % 1 != 0)
    if bad.any():
        position = int(np.flatnonzero(bad)[0])
        msg = (
            f"throughput history value {series.iloc[position]!r} (position "
            f"{position}) is invalid. Allowed: whole numbers of items >= 0"
        )
        raise ValidationError(msg)
    return values.astype(np.int64), next_day


def _check_runs(iterations: int, name: str, value: int) -> None:
    for label, number in (("iterations", iterations), (name, value)):
        if not isinstance(number, int | np.integer) or number < 1:
            msg = (
                f"{number!r} is an invalid value for `{label}`. Valid values: 1 or more"
            )
            raise ValidationError(msg)


def _start(
    start: DateLike | None, next_day: pd.Timestamp | None
) -> pd.Timestamp | None:
    return as_day(start, name="start") if start is not None else next_day


def forecast_items_by(
    throughput_history: pd.Series | Sequence[float] | npt.NDArray[Any],
    *,
    days: int,
    iterations: int = 10_000,
    seed: int | None = None,
    start: DateLike | None = None,
    window: int | None = None,
) -> ItemsForecast:
    """
    Forecast how many items will be finished in the next ``days`` days.

    Parameters
    ----------
    throughput_history
        Items finished per calendar day, zero days included: the result of
        :func:`~pmo_kit.agile.throughput` (``freq="D"``), or plain counts.
    days
        Length of the forecast in calendar days (the first day is ``start``).
    iterations
        Number of simulated futures.
    seed
        Seed of the random generator: the same seed gives the same forecast.
    start
        First day of the forecast; default the day after a dated history.
    window
        Sample only the last ``window`` days of the history (recent behaviour).

    Returns
    -------
    ItemsForecast
        Read ``percentiles()``: P85 is the number of items finished with an 85 %
        chance *or more*.

    Examples
    --------
    >>> f = forecast_items_by([0, 1, 2, 1, 0, 3, 1], days=10, seed=1)
    >>> f.at_least(0.85) <= f.at_least(0.5)
    True
    """
    _check_runs(iterations, "days", days)
    sample, next_day = _history(throughput_history, window)
    rng = np.random.default_rng(seed)
    totals = np.zeros(iterations, dtype=np.int64)
    block = max(1, _CELLS // iterations)
    for offset in range(0, days, block):
        width = min(block, days - offset)
        draws = rng.integers(0, sample.size, size=(iterations, width))
        totals += sample[draws].sum(axis=1)
    return ItemsForecast(days=days, outcomes=totals, start=_start(start, next_day))


def forecast_completion(
    throughput_history: pd.Series | Sequence[float] | npt.NDArray[Any],
    *,
    items: int,
    iterations: int = 10_000,
    seed: int | None = None,
    start: DateLike | None = None,
    window: int | None = None,
) -> CompletionForecast:
    """
    Forecast when ``items`` more items will be finished.

    Each simulated future draws daily throughput from the history until the items
    are done; the number of days it took is that future's outcome.

    Parameters
    ----------
    throughput_history
        Items finished per calendar day, zero days included (see
        :func:`forecast_items_by`). At least one day must have throughput.
    items
        How many items remain.
    iterations, seed
        As in :func:`forecast_items_by`.
    start
        First day of the forecast; default the day after a dated history. Without
        either, the forecast is in days only.
    window
        As in :func:`forecast_items_by`.

    Returns
    -------
    CompletionForecast
        Read ``percentiles()``: P85 is the date met in 85 % of the futures.

    Examples
    --------
    >>> f = forecast_completion([1, 2, 0, 1], items=10, seed=7, start="2026-03-02")
    >>> f.date(0.5) <= f.date(0.85) <= f.date(0.95)
    True
    """
    _check_runs(iterations, "items", items)
    sample, next_day = _history(throughput_history, window)
    mean = float(sample.mean())
    if mean <= 0:
        msg = (
            "the throughput history has no finished items (every day is 0), so the "
            "items would never be done. Use a longer `window` or more history"
        )
        raise ValidationError(msg)
    rng = np.random.default_rng(seed)
    needed = np.zeros(iterations, dtype=np.int64)
    remaining = np.full(iterations, items, dtype=np.int64)
    active = np.arange(iterations)
    elapsed = 0
    block = min(max(8, math.ceil(1.5 * items / mean)), max(8, _CELLS // iterations))
    while active.size:
        if elapsed >= _MAX_DAYS:
            msg = (
                f"{active.size} of {iterations} simulated futures still had work "
                f"left after {_MAX_DAYS} days: the throughput history is too low "
                f"for {items} items"
            )
            raise ValidationError(msg)
        draws = sample[rng.integers(0, sample.size, size=(active.size, block))]
        done = draws.cumsum(axis=1) >= remaining[active, None]
        hit = done.any(axis=1)
        needed[active[hit]] = elapsed + done[hit].argmax(axis=1) + 1
        remaining[active] -= draws.sum(axis=1)
        active = active[~hit]
        elapsed += block
    return CompletionForecast(
        items=items, outcomes=needed, start=_start(start, next_day)
    )
