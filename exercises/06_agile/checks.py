"""
Checks of exercise 06, *Forecast a release*: average velocity against Monte Carlo.

The right answers are computed from the tables and the simulation in the notebook
(``sprints``, ``remaining_points``, ``remaining_items``, ``daily``, ``forecast``,
``sponsor_date``, ``times``) with the kit's agile engine, never written down here.
Each check first recognises the typical mistakes (an unfinished sprint in the
average, a sprint count not rounded up, slow days left out of the throughput, the
P50 or the P15 given for the P85, the complement of a probability, a mean given for
a percentile, lead time for cycle time) and says what went wrong with ``fail``; any
other wrong value gets the check's ``hint``. The multiple-choice questions explain
why each wrong option is wrong.
"""

from __future__ import annotations

import math
from typing import Literal

import numpy as np
import pandas as pd

from pmo_kit.agile import CompletionForecast
from pmo_kit.training import (
    Tolerance,
    as_date,
    as_number,
    check,
    choice_letter,
    fail,
)

#: Tolerance on a number of points or days.
POINTS = Tolerance(absolute=0.05)
#: Tolerance on a probability: two decimals are right.
PROBABILITY = Tolerance(absolute=0.006)
#: Tolerance on a ratio of sprints or points (two decimals).
RATIO = Tolerance(absolute=0.01)
#: Tolerance on an average number of days (half a day).
DAYS = Tolerance(absolute=0.5)

_RERUN = "run the cells near the top of the notebook again (they define it)"
_Method = Literal[
    "inverted_cdf",
    "averaged_inverted_cdf",
    "closest_observation",
    "interpolated_inverted_cdf",
    "hazen",
    "weibull",
    "linear",
    "median_unbiased",
    "normal_unbiased",
    "lower",
    "higher",
    "midpoint",
    "nearest",
]
#: Percentile methods a learner may use (numpy's; pandas' default is "linear").
_METHODS: tuple[_Method, ...] = (
    "inverted_cdf",
    "averaged_inverted_cdf",
    "closest_observation",
    "interpolated_inverted_cdf",
    "hazen",
    "weibull",
    "linear",
    "median_unbiased",
    "normal_unbiased",
    "lower",
    "higher",
    "midpoint",
    "nearest",
)


# ----------------------------------------------------------------- reading answers


def _number_of(value: object, name: str) -> float:
    return as_number(
        value,
        name,
        nan_hint="look at the rows you used.",
        many_hint="Reduce them to one, for example with `.mean()` or `.quantile(...)`.",
    )


def _day(value: object, name: str) -> pd.Timestamp:
    """Return ``value`` as a day, or fail saying why it is not a date."""
    return as_date(
        value,
        name,
        example="2026-07-31",
        number_hint="turn days into a date, or read the date straight from the "
        "forecast: forecast.date(...).",
    )


def _table(value: object, name: str, columns: set[str]) -> pd.DataFrame:
    if not isinstance(value, pd.DataFrame) or not columns <= set(value.columns):
        fail(f"`{name}` is no longer the table the notebook made: {_RERUN}.")
    return value


def _forecast(value: object) -> CompletionForecast:
    if not isinstance(value, CompletionForecast) or value.start is None:
        fail(f"`forecast` is no longer the simulation the notebook ran: {_RERUN}.")
    return value


# --------------------------------------------------------------- q1 average velocity


@check(
    hint=(
        "Average the `completed` points of the FINISHED sprints only: "
        "sprints.loc[sprints['finished'], 'completed'].mean()."
    )
)
def q1_average_velocity(sprints: object, average_velocity: object) -> None:
    """
    Question 1: the team's average velocity over its finished sprints.

    Parameters
    ----------
    sprints
        The velocity table, given in the notebook.
    average_velocity
        The learner's average, in points per sprint.
    """
    table = _table(sprints, "sprints", {"committed", "completed", "finished"})
    value = _number_of(average_velocity, "average_velocity")
    done = table[table["finished"].astype(bool)]
    truth = float(done["completed"].mean())
    if POINTS.accepts(value, truth):
        return
    running = table.loc[~table["finished"].astype(bool), "sprint_id"]
    mistakes = [
        (
            float(table["completed"].mean()),
            f"You included sprint {', '.join(running)}, which is still running: its "
            "completed points only count what is done so far. Average the finished "
            "sprints only.",
        ),
        (
            float(done["committed"].mean()),
            "That averages the COMMITTED points: what the team planned, not what it "
            "delivered. Velocity is the completed points.",
        ),
        (
            float(done["completed"].median()),
            "That is the median. It is a good figure too (it resists one odd sprint), "
            "but the question asks for the average (mean).",
        ),
        (
            float(done["completed"].sum()),
            "That is the total over all finished sprints; divide by how many there "
            "are.",
        ),
        (
            float(done["completed"].tail(3).mean()),
            "That averages the last three sprints only; the question asks for every "
            "finished sprint.",
        ),
    ]
    for wrong, message in mistakes:
        if POINTS.accepts(value, wrong):
            fail(message)
    assert POINTS.accepts(value, truth), f"you have {value:.2f}"


# ----------------------------------------------------------------- q2 sprints needed


@check(
    hint=(
        "Sprints needed = remaining points / average velocity, rounded UP to a whole "
        "sprint: math.ceil(...)."
    )
)
def q2_sprints_needed(
    sprints: object, remaining_points: object, sprints_needed: object
) -> None:
    """
    Question 2: how many sprints the remaining points take at the average velocity.

    Parameters
    ----------
    sprints
        The velocity table, given in the notebook.
    remaining_points
        Points left in the backlog, given in the notebook.
    sprints_needed
        The learner's whole number of sprints.
    """
    table = _table(sprints, "sprints", {"completed", "finished"})
    points = _number_of(remaining_points, "remaining_points")
    value = _number_of(sprints_needed, "sprints_needed")
    velocity = float(table.loc[table["finished"].astype(bool), "completed"].mean())
    exact = points / velocity
    truth = math.ceil(exact)
    if value == truth:
        return
    if RATIO.accepts(value, exact):
        fail(
            f"{value:.2f} is the exact ratio. Sprints come whole: a sprint that is "
            f"partly used still takes two weeks. Round UP: {truth}."
        )
    if value == math.floor(exact):
        fail(
            f"You rounded down to {value:g}: the last {points - value * velocity:.0f} "
            "points would be left over. Round UP with math.ceil."
        )
    if RATIO.accepts(value, velocity / points):
        fail("Upside down: divide the remaining points BY the velocity.")
    assert value == truth, f"you have {value:g}"


# ------------------------------------------------------------------- q3 average days


@check(
    hint=(
        "Average daily throughput = daily.mean() over EVERY day, zeros included; "
        "days needed = remaining items / that average."
    )
)
def q3_average_days(
    daily: object, remaining_items: object, average_days: object
) -> None:
    """
    Question 3: days to finish the remaining items at the average daily throughput.

    Parameters
    ----------
    daily
        Items finished per calendar day, given in the notebook.
    remaining_items
        Items left in the backlog, given in the notebook.
    average_days
        The learner's number of days.
    """
    if not isinstance(daily, pd.Series):
        fail(f"`daily` is no longer the throughput the notebook made: {_RERUN}.")
    items = _number_of(remaining_items, "remaining_items")
    value = _number_of(average_days, "average_days")
    truth = items / float(daily.mean())
    if DAYS.accepts(value, truth):
        return
    busy = daily[daily > 0]
    weekdays = daily[pd.DatetimeIndex(daily.index).day_of_week < 5]
    mistakes = [
        (
            items / float(busy.mean()),
            "You averaged only the days on which something was finished. Slow days "
            "and weekends are part of the team's pace: average over EVERY day, zeros "
            "included.",
        ),
        (
            items / float(weekdays.mean()),
            "You left out the weekends. The history counts calendar days, so the "
            "answer does too: average over every day.",
        ),
        (
            float(daily.mean()) / items,
            "Upside down: divide the remaining items BY the items finished per day.",
        ),
        (
            items * float(daily.mean()),
            "You multiplied: days = items / (items per day).",
        ),
    ]
    for wrong, message in mistakes:
        if DAYS.accepts(value, wrong):
            fail(message)
    assert DAYS.accepts(value, truth), f"you have {value:.1f}"


# --------------------------------------------------------------------- q4 P85 date


@check(
    hint=(
        "The P85 date is met in 85% of the simulated futures: forecast.date(0.85), "
        "later than the P50."
    )
)
def q4_p85_date(forecast: object, p85_date: object) -> None:
    """
    Question 4: the date by which the backlog is done in 85% of the futures.

    Parameters
    ----------
    forecast
        The Monte Carlo forecast, given in the notebook.
    p85_date
        The learner's date.
    """
    simulation = _forecast(forecast)
    start = simulation.start
    if start is None:  # not reached: _forecast refuses a forecast without a start
        fail(f"`forecast` has no start date: {_RERUN}.")
    day = _day(p85_date, "p85_date")
    truth = simulation.date(0.85)
    if day == truth:
        return
    mean_days = float(np.mean(simulation.outcomes))
    named = [
        (
            simulation.date(0.5),
            "That is the P50 date: half the futures are later. A sponsor who plans on "
            "it is let down one time in two. The P85 is later.",
        ),
        (
            simulation.date(0.15),
            "That is the P15 date: only 15% of the futures are done by then. P85 "
            "means 85% of the futures are done BY the date, so it is on the right of "
            "the histogram.",
        ),
        (
            simulation.date(0.95),
            "That is the P95 date, the cautious one. The question asks for the P85.",
        ),
        (
            start + pd.Timedelta(days=math.ceil(mean_days) - 1),
            "That is the date of the average number of days: about a coin flip, like "
            "the P50. Take the date met in 85% of the futures.",
        ),
        (
            start + pd.Timedelta(days=int(simulation.outcomes.max()) - 1),
            "That is the latest simulated future, a freak run out of ten thousand. "
            "Take the date met in 85% of the futures.",
        ),
    ]
    for wrong, message in named:
        if day == wrong:
            fail(message)
    if abs((day - truth).days) == 1:
        fail(
            f"One day off ({day:%d %b} instead of {truth:%d %b}). The forecast's "
            "first day is `forecast.start`, day 1: a future that needs n days ends "
            "on start + n - 1. Or read it with forecast.date(0.85)."
        )
    assert day == truth, f"you have {day:%Y-%m-%d}"


# ------------------------------------------------------------ q5 sponsor's chances


@check(
    hint=(
        "The chance is the share of simulated futures done ON OR BEFORE the "
        "sponsor's date: forecast.chance_by(sponsor_date), between 0 and 1."
    )
)
def q5_chance(forecast: object, sponsor_date: object, chance: object) -> None:
    """
    Question 5: the probability of being done by the sponsor's date.

    Parameters
    ----------
    forecast
        The Monte Carlo forecast, given in the notebook.
    sponsor_date
        The date the sponsor asks for, given in the notebook.
    chance
        The learner's probability, a share between 0 and 1.
    """
    simulation = _forecast(forecast)
    target = _day(sponsor_date, "sponsor_date")
    value = _number_of(chance, "chance")
    truth = simulation.chance_by(target)
    if PROBABILITY.accepts(value, truth):
        return
    if 1 < value <= 100 and PROBABILITY.accepts(value / 100, truth):
        fail(
            f"{value:g} looks like a percentage. Give a share between 0 and 1 "
            f"({value / 100:.2f}, not {value:g})."
        )
    if PROBABILITY.accepts(value, 1 - truth):
        fail(
            f"{value:.2f} is the chance of finishing AFTER {target:%d %b}: the "
            "futures to the right of the date. The question asks for done by then."
        )
    before = simulation.chance_by(target - pd.Timedelta(days=1))
    if PROBABILITY.accepts(value, before):
        fail(
            f"You counted the futures done BEFORE {target:%d %b}; one that finishes "
            "on the day itself is in time too (<=, not <)."
        )
    assert PROBABILITY.accepts(value, truth), f"you have {value:.3f}"


# ------------------------------------------------------------ multiple choice


@check(hint="Which date comes with odds the sponsor can plan on?")
def q6_which_date(q6_answer: object) -> None:
    """
    Question 6: the date to give the sponsor.

    Parameters
    ----------
    q6_answer
        The learner's letter.
    """
    answer = choice_letter(q6_answer, "q6_answer")
    reasons = {
        "A": (
            "A: the average velocity IS the team's real history, but an average is "
            "the middle of a range: a plan built on it is late about half the time, "
            "and it comes with no odds."
        ),
        "B": (
            "B: the P50 is a coin flip: one future in two is later. The sponsor asked "
            "for a date that can be kept."
        ),
        "D": (
            "D: the latest simulated future is a freak run out of ten thousand, and "
            "it moves every time you simulate again. A date that cautious wastes "
            "the sponsor's planning; the P85 (or P95 for a hard deadline) is the "
            "usual commitment."
        ),
    }
    if answer in reasons:
        fail(reasons[answer])


# ----------------------------------------------------------- q7 cycle time P85


@check(
    hint=(
        "The P85 cycle time is the 85th percentile of `cycle_time_days`: "
        "times['cycle_time_days'].quantile(0.85)."
    )
)
def q7_cycle_p85(times: object, cycle_p85: object) -> None:
    """
    Question 7: the cycle time within which 85% of the items were finished.

    Parameters
    ----------
    times
        The cycle times of the finished items, given in the notebook.
    cycle_p85
        The learner's percentile, in days.
    """
    table = _table(times, "times", {"cycle_time_days", "lead_time_days"})
    value = _number_of(cycle_p85, "cycle_p85")
    days = table["cycle_time_days"].dropna().to_numpy(dtype=float)
    # every usual way of computing a percentile is right (numpy's methods)
    candidates = [float(np.quantile(days, 0.85, method=m)) for m in _METHODS]
    low, high = min(candidates), max(candidates)
    if low - 0.01 <= value <= high + 0.01:
        return
    lead = table["lead_time_days"].dropna()
    mistakes = [
        (
            float(np.mean(days)),
            "That is the mean. Cycle times are skewed (a few items take very long), "
            "so the mean says little about any one item. Take the 85th percentile.",
        ),
        (
            float(np.median(days)),
            "That is the median, the P50: only half the items are done that fast. "
            "The question asks for the P85.",
        ),
        (
            float(np.quantile(days, 0.15)),
            "That is the 15th percentile: only 15% of the items were that fast. "
            "Use .quantile(0.85).",
        ),
        (
            float(np.quantile(days, 0.95)),
            "That is the P95. The question asks for the P85.",
        ),
        (
            float(lead.quantile(0.85)),
            "That is the P85 of the LEAD time (from creation, waiting in the backlog "
            "included). Cycle time starts when work starts: `cycle_time_days`.",
        ),
        (
            float(np.max(days)),
            "That is the slowest item of all. Take the 85th percentile.",
        ),
    ]
    for wrong, message in mistakes:
        if RATIO.accepts(value, wrong):
            fail(message)
    assert low - 0.01 <= value <= high + 0.01, f"you have {value:.2f}"


@check(hint="A percentile says what share of items took at most that long.")
def q8_cycle_time_means(q8_answer: object) -> None:
    """
    Question 8: what the team's P85 cycle time means.

    Parameters
    ----------
    q8_answer
        The learner's letter.
    """
    answer = choice_letter(q8_answer, "q8_answer")
    reasons = {
        "A": (
            "A: the average is another figure (the mean, about 7 days here). The P85 "
            "is the time within which 85% of the items were finished."
        ),
        "C": (
            "C: the wait before work starts is in the LEAD time (from creation), not "
            "in the cycle time, which starts when work starts."
        ),
        "D": (
            "D: that would be commitment reliability (completed / committed points "
            "per sprint). Cycle time is about single items, not sprints."
        ),
    }
    if answer in reasons:
        fail(reasons[answer])
