"""
What a schedule risk analysis says in words: headline sentences and method notes.

The sentences read the figures of a forecast from the status date and a Monte
Carlo simulation of the remaining work; plurals agree with their numbers and a
chance below 1 % is said as such, never as "0%".
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["likelihood", "schedule_method", "schedule_narrative", "slip_rag"]


def likelihood(share: float) -> str:
    """
    Say a probability the way a sponsor reads it.

    Examples
    --------
    >>> likelihood(0.001), likelihood(0.42), likelihood(0.999)
    ('less than 1%', '42%', 'more than 99%')
    """
    if share < 0.005:
        return "less than 1%"
    if share > 0.995:
        return "more than 99%"
    return f"{share:.0%}"


def slip_rag(slip_days: int, *, amber_days: int = 10) -> str:
    """
    Rate a slip in working days: on time green, up to ``amber_days`` amber, else red.

    Examples
    --------
    >>> [slip_rag(d) for d in (-3, 0, 1, 10, 11)]
    ['green', 'green', 'amber', 'amber', 'red']
    >>> slip_rag(4, amber_days=3)
    'red'
    """
    if slip_days <= 0:
        return "green"
    return "amber" if slip_days <= amber_days else "red"


def _days(n: int) -> str:
    return f"{n} working day{'s' if abs(n) != 1 else ''}"


def schedule_narrative(
    *,
    status_date: pd.Timestamp,
    tasks: int,
    done: int,
    in_progress: int,
    planned_finish: pd.Timestamp,
    forecast_finish: pd.Timestamp,
    slip_days: int,
    p50: pd.Timestamp,
    p_confidence: pd.Timestamp,
    confidence: float,
    iterations: int,
    probability_on_time: float,
    next_milestone: pd.Series | None,
    drivers: list[str],
    spi_t: float | None,
    behind_schedule: bool,
) -> list[str]:
    """
    Headline sentences of a schedule risk analysis.

    Parameters
    ----------
    status_date, tasks, done, in_progress
        Where the project stands: the status date, its number of tasks, how many
        are finished and how many in progress.
    planned_finish, forecast_finish, slip_days
        The baseline finish, the finish if the remaining work takes its planned
        durations, and the slip between them in working days.
    p50, p_confidence, confidence, iterations
        The simulated finish dates and the confidence and runs behind them.
    probability_on_time
        Share of simulated runs that meet the planned finish.
    next_milestone
        The next unfinished milestone (``name``, ``baseline_finish``,
        ``forecast_finish``, ``slip_days``), or ``None``.
    drivers
        The tasks that move the finish most, as ``"T023 User acceptance testing"``.
    spi_t, behind_schedule
        The schedule performance index SPI(t) at the status date (``None`` when
        not measurable) and whether its RAG rule finds the project behind.

    Returns
    -------
    list of str
    """
    label = f"P{round(confidence * 100)}"
    on_time = likelihood(probability_on_time)
    lines = [
        f"At the status date, {status_date:%d %b %Y}, {done} of {tasks} tasks are "
        f"finished and {in_progress} in progress.",
        "If the remaining work takes its planned durations, the project finishes on "
        f"{forecast_finish:%a %d %b %Y}, "
        + (
            f"{_days(slip_days)} after the planned finish ({planned_finish:%d %b %Y})."
            if slip_days > 0
            else f"on or before the planned finish ({planned_finish:%d %b %Y})."
        ),
        f"Allowing for the uncertainty in the estimates ({iterations:,} simulated "
        f"runs), the finish is as likely as not by {p50:%a %d %b %Y} (P50) and "
        f"{confidence:.0%} likely by {p_confidence:%a %d %b %Y} ({label}).",
        f"The chance of meeting the planned finish is {on_time}.",
    ]
    if next_milestone is not None:
        slip = int(next_milestone["slip_days"])
        lines.append(
            f"Next milestone: {next_milestone['name']}, planned for "
            f"{next_milestone['baseline_finish']:%d %b %Y}, now forecast for "
            f"{next_milestone['forecast_finish']:%d %b %Y}"
            + (f" ({_days(slip)} late)." if slip > 0 else ".")
        )
    if drivers:
        lines.append(
            f"The date depends most on {', '.join(drivers[:3])}: shortening them or "
            "narrowing their range moves the finish most."
        )
    if spi_t is not None and behind_schedule:
        lines.append(
            f"Caution: so far the project has moved at {spi_t:.0%} of the planned "
            f"pace (SPI(t) {spi_t:.2f}, earned schedule). This forecast assumes the "
            "remaining tasks keep to their estimates; if the past pace continues, "
            "every date here is optimistic."
        )
    if probability_on_time < confidence:
        lines.append(
            f"For decision: the chance of meeting the planned finish is {on_time}, "
            f"below the {confidence:.0%} confidence the PMO asks for. Re-baseline to "
            f"the {label} date, {p_confidence:%d %b %Y}, or act on the drivers below "
            "to bring the date forward."
        )
    else:
        lines.append(
            f"The planned finish is {on_time} likely, at or above the "
            f"{confidence:.0%} confidence the PMO asks for: the baseline can stand."
        )
    return lines


def schedule_method(*, confidence: float, amber_days: int) -> list[str]:
    """
    Return the method and assumptions of a schedule risk analysis.

    Examples
    --------
    >>> notes = schedule_method(confidence=0.9, amber_days=10)
    >>> "P50 and P90" in notes[1], "up to 10 working days late" in notes[2]
    (True, True)
    """
    label = f"P{round(confidence * 100)}"
    return [
        "Forecast from the status date: finished tasks take no more time; a task in "
        "progress keeps the share of its duration (and of its estimates) not yet "
        "done; no remaining work starts before the first working day after the "
        "status date. Links (FS, SS, FF, SF, with lags) are those of the plan. "
        "Working days are Monday to Friday.",
        "Simulation: each run draws every remaining task's duration from a PERT "
        "(beta) distribution over its three-point estimate; tasks without an "
        f"estimate keep their planned duration. The P50 and {label} dates are the "
        f"dates met in 50% and {confidence:.0%} of the runs. The random seed is "
        "fixed, so the same data gives the same report.",
        "Status of a date: 'vs plan' counts working days after the planned finish "
        f"(negative: earlier); green on or before the plan, amber up to {amber_days} "
        "working days late, red more (the tolerance is milestone_amber_slip_days "
        "of the status rules, status_rules.yaml, the same as the status report).",
        "Pace so far: SPI(t), the earned schedule index (time earned / time spent) "
        "at the status date, the same index as the RAG of the status reports.",
        "What it leaves out: risks in the register that are not reflected in the "
        "estimates, resource limits (tasks are assumed to be staffed) and changes "
        "of scope. If the project keeps running slower than its estimates, the "
        "dates here are optimistic.",
    ]
