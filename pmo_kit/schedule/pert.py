"""PERT: three-point estimates, path mean and variance, probability of a date."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Literal

import numpy as np
import pandas as pd

from pmo_kit._errors import ValidationError
from pmo_kit.schedule.cpm import schedule_network
from pmo_kit.schedule.network import Network, compile_network, link_weights

__all__ = ["PertResult", "pert_analysis", "pert_estimates", "three_point"]

Method = Literal["beta", "triangular"]
_ESTIMATES = ("optimistic", "most_likely", "pessimistic")


def three_point(tasks: pd.DataFrame) -> pd.DataFrame:
    """
    Return each task's optimistic, most likely and pessimistic duration.

    Tasks without estimates use their ``duration`` for all three (no uncertainty).

    Raises
    ------
    ValidationError
        A negative estimate, or estimates out of order (optimistic <= most likely
        <= pessimistic), naming the task.
    """
    ids = tasks["task_id"].astype(str).to_numpy()
    fallback = pd.to_numeric(tasks["duration"], errors="coerce").to_numpy(dtype=float)
    columns = {}
    for name in _ESTIMATES:
        values = (
            pd.to_numeric(tasks[name], errors="coerce").to_numpy(dtype=float)
            if name in tasks
            else np.full(len(tasks), np.nan)
        )
        columns[name] = values
    missing = np.isnan(np.column_stack(list(columns.values()))).any(axis=1)
    for name in _ESTIMATES:
        columns[name] = np.where(missing, fallback, columns[name])
    frame = pd.DataFrame(columns, index=pd.Index(ids, name="task_id"))
    negative = (frame < 0).any(axis=1)
    unordered = ~(
        (frame["optimistic"] <= frame["most_likely"])
        & (frame["most_likely"] <= frame["pessimistic"])
    )
    for mask, rule in (
        (negative, "non-negative estimates"),
        (unordered, "optimistic <= most_likely <= pessimistic"),
    ):
        if mask.any():
            task = frame.index[mask.to_numpy()][0]
            o, m, p = frame.loc[task]
            msg = (
                f"task {task!r}: estimates ({o:g}, {m:g}, {p:g}) are not allowed. "
                f"Allowed: {rule}"
            )
            raise ValidationError(msg)
    return frame


def pert_estimates(tasks: pd.DataFrame, *, method: Method = "beta") -> pd.DataFrame:
    """
    Mean and variance of each task from its three-point estimate.

    Parameters
    ----------
    tasks
        ``task_id`` with ``optimistic``, ``most_likely``, ``pessimistic`` (working
        days); tasks without them use ``duration`` with no variance.
    method
        ``"beta"`` (PERT: mean = (o + 4m + p) / 6, variance = ((p - o) / 6)^2) or
        ``"triangular"`` (mean = (o + m + p) / 3,
        variance = (o² + m² + p² - om - op - mp) / 18).

    Returns
    -------
    pandas.DataFrame
        Indexed by ``task_id``: ``mean``, ``variance``, ``std``.

    Examples
    --------
    >>> import pandas as pd
    >>> t = pd.DataFrame(
    ...     {
    ...         "task_id": ["A"],
    ...         "duration": [1],
    ...         "optimistic": [1],
    ...         "most_likely": [1],
    ...         "pessimistic": [7],
    ...     }
    ... )
    >>> pert_estimates(t).loc["A"].tolist()
    [2.0, 1.0, 1.0]
    """
    est = three_point(tasks)
    o, m, p = (est[c] for c in _ESTIMATES)
    if method == "beta":
        mean = (o + 4 * m + p) / 6
        variance = ((p - o) / 6) ** 2
    elif method == "triangular":
        mean = (o + m + p) / 3
        variance = (o**2 + m**2 + p**2 - o * m - o * p - m * p) / 18
    else:
        msg = (
            f"{method!r} is an invalid value for `method`. "
            "Valid values: 'beta', 'triangular'"
        )
        raise ValidationError(msg)
    return pd.DataFrame({"mean": mean, "variance": variance, "std": np.sqrt(variance)})


@dataclass(frozen=True)
class PertResult:
    """PERT view of a network: the critical path of mean durations and its spread."""

    expected_duration: float
    variance: float
    critical_path: list[str]
    estimates: pd.DataFrame
    schedule: pd.DataFrame

    @property
    def std(self) -> float:
        """Standard deviation of the project duration along the critical path."""
        return math.sqrt(self.variance)

    def probability_by(self, target: float) -> float:
        """
        Probability of finishing within ``target`` working days (normal approximation).

        Examples
        --------
        >>> r = PertResult(17.0, 9.0, ["B", "E", "G"], pd.DataFrame(), pd.DataFrame())
        >>> round(r.probability_by(20), 4)
        0.8413
        """
        if self.variance == 0:
            return 1.0 if target >= self.expected_duration else 0.0
        z = (target - self.expected_duration) / self.std
        return 0.5 * (1 + math.erf(z / math.sqrt(2)))


def pert_analysis(
    tasks: pd.DataFrame,
    dependencies: pd.DataFrame | None = None,
    *,
    method: Method = "beta",
) -> PertResult:
    """
    Classic PERT: schedule mean durations, sum variances along the critical path.

    Where several critical paths tie, the one with the largest variance is taken
    (the conventional, cautious choice).

    Examples
    --------
    >>> import pandas as pd
    >>> t = pd.DataFrame(
    ...     {
    ...         "task_id": list("ABCDEFG"),
    ...         "duration": [1, 4, 2, 1, 5, 5, 6],
    ...         "optimistic": [1, 1, 2, 1, 2, 2, 3],
    ...         "most_likely": [1, 4, 2, 1, 5, 5, 6],
    ...         "pessimistic": [7, 7, 8, 1, 14, 8, 15],
    ...     }
    ... )
    >>> d = pd.DataFrame(
    ...     {
    ...         "predecessor": ["A", "B", "C", "D", "E"],
    ...         "successor": ["D", "E", "F", "G", "G"],
    ...     }
    ... )
    >>> r = pert_analysis(t, d)
    >>> r.expected_duration, r.critical_path, r.std
    (17.0, ['B', 'E', 'G'], 3.0)
    """
    net = compile_network(tasks, dependencies)
    estimates = pert_estimates(tasks, method=method)
    mean = estimates["mean"].to_numpy()
    schedule = schedule_network(net, np.zeros(net.size), durations=mean)
    path = _heaviest_critical_path(
        net, schedule, mean, estimates["variance"].to_numpy()
    )
    variance = float(estimates["variance"].to_numpy()[path].sum())
    return PertResult(
        expected_duration=float(schedule.attrs["project_finish"]),
        variance=variance,
        critical_path=[str(net.task_ids[i]) for i in path],
        estimates=estimates,
        schedule=schedule,
    )


def _heaviest_critical_path(
    net: Network, schedule: pd.DataFrame, durations: np.ndarray, variance: np.ndarray
) -> list[int]:
    """Chain of critical tasks linked by driving links, with the largest variance."""
    es = schedule["early_start"].to_numpy()
    ef = schedule["early_finish"].to_numpy()
    critical = schedule["critical"].to_numpy()
    weights = link_weights(net.pred, net.succ, net.link_type, net.lag, durations)
    driving = (
        critical[net.pred]
        & critical[net.succ]
        & np.isclose(es[net.succ], es[net.pred] + weights)
    )
    # a chain starts at a critical task starting at 0 and follows driving links
    best = np.where(critical & np.isclose(es, 0.0), variance, -np.inf)
    came_from = np.full(net.size, -1)
    for links in net.in_links[1:]:
        for link in links[driving[links]]:
            p, s = int(net.pred[link]), int(net.succ[link])
            if best[p] + variance[s] > best[s]:
                best[s] = best[p] + variance[s]
                came_from[s] = p
    finish = ef.max() if net.size else 0.0
    ends = np.flatnonzero(critical & np.isclose(ef, finish))
    if ends.size == 0:
        return []
    node = int(ends[np.argmax(best[ends])])
    path = [node]
    while came_from[node] >= 0:
        node = int(came_from[node])
        path.append(node)
    return path[::-1]
