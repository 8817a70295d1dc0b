"""
What the agile-metrics report says in words: forecasts side by side, headlines, method.

Each function reads an :class:`~pmo_kit.reports.agile_metrics.AgileMetrics` (or its
parts) and returns text or a small table; nothing here computes a metric.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

import pandas as pd

from pmo_kit.agile import sprint_burndown
from pmo_kit.reports._content import plural

if TYPE_CHECKING:
    from pmo_kit.agile import FlowTolerances, LittlesLaw
    from pmo_kit.data.portfolio import Portfolio
    from pmo_kit.reports.agile_metrics import AgileMetrics

__all__ = [
    "COLUMNS",
    "FORMATS",
    "agile_method",
    "agile_narrative",
    "cadence_text",
    "flow_measures",
    "forecast_rows",
]

DAY = pd.Timedelta(days=1)

#: The columns each table of the report shows, and their headings.
COLUMNS: dict[str, dict[str, str]] = {
    "forecasts": {"method": "", "date": "Done by", "how": "How"},
    "sprints": {
        "sprint_id": "Sprint",
        "dates": "Dates",
        "state": "",
        "committed": "Committed",
        "completed": "Completed",
        "completion": "Completion",
        "rag": "Status",
    },
    "flow_measures": {"measure": "", "value": "Value", "note": ""},
    "in_progress": {
        "key": "Item",
        "summary": "",
        "status": "Status",
        "started": "Started",
        "age_days": "Age (days)",
        "flag": "vs P85",
    },
}
#: How the numbers of each table are shown (format specifications).
FORMATS: dict[str, dict[str, str]] = {
    "forecasts": {},
    "sprints": {"committed": ".0f", "completed": ".0f", "completion": ".0%"},
    "flow_measures": {},
    "in_progress": {"age_days": ".1f"},
}


def cadence_text(days: int) -> str:
    """
    Name a sprint length in words.

    Examples
    --------
    >>> cadence_text(14), cadence_text(7), cadence_text(10)
    ('two weeks', 'one week', '10 days')
    """
    words = {7: "one week", 14: "two weeks", 21: "three weeks", 28: "four weeks"}
    return words.get(days, f"{days} days")


def flow_measures(
    little: LittlesLaw, weekly: pd.Series, tolerances: FlowTolerances
) -> pd.DataFrame:
    """Return the flow table: throughput, cycle time, WIP measured and expected."""
    rows = [
        ("Items finished", f"{little.completed}", f"in {plural(little.days, 'day')}"),
        (
            "Throughput",
            f"{little.throughput_per_day:.2f} items a day",
            f"{weekly.tail(4).mean():.1f} items a week over the last "
            f"{plural(min(4, len(weekly)), 'week')}",
        ),
        (
            "Average cycle time",
            f"{little.average_cycle_time_days:.1f} days",
            "from first 'In Progress' to 'Done'",
        ),
        (
            "Average WIP, measured",
            f"{little.average_wip:.1f} items",
            "in progress or in review at the end of each day",
        ),
        (
            "Average WIP, expected",
            f"{little.expected_wip:.1f} items",
            "throughput x average cycle time (Little's law)",
        ),
        (
            "Ratio measured / expected",
            f"{little.ratio:.2f}",
            f"{tolerances.wip_ratio_low:g} to {tolerances.wip_ratio_high:g}: stable "
            f"flow; above {tolerances.wip_ratio_high:g}: work piling up",
        ),
    ]
    return pd.DataFrame(rows, columns=["measure", "value", "note"])


def forecast_rows(review: AgileMetrics) -> pd.DataFrame:
    """
    Return the forecasts side by side: ``method``, ``date`` and ``how``.

    Average velocity and average throughput (one date each, with no odds), the
    Monte Carlo P50, P85 and P95, and the chance of the planned finish. Empty
    without a forecast.
    """
    forecast = review.forecast
    columns = ["method", "date", "how"]
    if forecast is None:
        return pd.DataFrame({c: [] for c in columns})
    items = review.remaining_items
    daily = review.daily_throughput.mean()
    average_date = review.window_end + math.ceil(items / daily) * DAY
    planned = pd.Timestamp(review.project["planned_finish"])
    rows = []
    if len(review.finished) and review.remaining_points > 0:
        needed = math.ceil(review.remaining_points / review.average_velocity)
        unestimated = review.unestimated_items
        rows.append(
            (
                "Average velocity",
                review.window_end + review.sprint_days * needed * DAY,
                f"{review.remaining_points:.0f} points / "
                f"{review.average_velocity:.1f} points a sprint = "
                f"{plural(needed, 'more sprint')} of {cadence_text(review.sprint_days)}"
                + (
                    f"; {plural(unestimated, 'item')} not estimated"
                    if unestimated
                    else ""
                ),
            )
        )
    rows += [
        (
            "Average throughput",
            average_date,
            f"{plural(items, 'item')} / {daily:.2f} items a day; met in "
            f"{forecast.chance_by(average_date):.0%} of the simulated futures",
        ),
        ("Monte Carlo P50", forecast.date(0.5), "as likely to be met as missed"),
        (
            "Monte Carlo P85",
            forecast.date(0.85),
            "met in 85% of the simulated futures: the date to commit to",
        ),
        ("Monte Carlo P95", forecast.date(0.95), "met in 95%: the cautious date"),
        (
            "Planned finish",
            planned,
            f"{forecast.chance_by(planned):.0%} likely for the items in the backlog "
            "today; work not yet written down as items is not in any forecast",
        ),
    ]
    return pd.DataFrame(rows, columns=columns)


def _sprint_lines(review: AgileMetrics, work: Portfolio) -> list[str]:
    finished = review.finished
    if not len(finished):
        return []
    count = len(finished)
    lines = [
        f"In {plural(count, 'finished sprint')} the team completed "
        f"{finished['completed'].sum():.0f} of {finished['committed'].sum():.0f} "
        f"committed points ({review.commitment_reliability:.0%}). Average velocity: "
        f"{review.average_velocity:.0f} points a sprint"
        + (
            f"; {review.recent_velocity:.0f} over the last {min(3, count)}."
            if count > 1
            else "."
        )
    ]
    worst = finished.sort_values("completion", kind="stable").iloc[0]
    if not review.tolerances.missed(worst["completion"]):
        share = review.tolerances.sprint_amber_below
        lines.append(
            f"Every finished sprint delivered at least {share:.0%} of its commitment."
        )
        return lines
    days = sprint_burndown(work.sprints, work.work_items, sprint_id=worst["sprint_id"])
    first_done = days.loc[days["completed"] > 0, "day"]
    lines.append(
        f"Sprint {worst['sprint_id']} ({worst['start']:%d %b} to {worst['end']:%d %b}) "
        f"delivered {worst['completed']:.0f} of {worst['committed']:.0f} committed "
        f"points ({worst['completion']:.0%})"
        + (
            f"; nothing was finished until day {first_done.iloc[0]} of "
            f"{days['day'].iloc[-1]}: work was started but not finished."
            if len(first_done) and first_done.iloc[0] > 1
            else "."
        )
    )
    return lines


def _flow_lines(review: AgileMetrics) -> list[str]:
    lines = []
    p = review.cycle_time_percentiles
    if len(review.cycle_times):
        lines.append(
            f"Half the items are finished within {p['P50']:.1f} days of being "
            f"started and 85% within {p['P85']:.1f} days (cycle time, "
            f"{plural(len(review.cycle_times), 'item')})."
        )
    little = review.littles_law
    if little.completed:
        verdict = {
            "stable": "the flow is stable.",
            "piling up": "work is piling up; limit work in progress.",
            "shrinking": "work in progress is shrinking.",
        }[review.tolerances.flow(little.ratio)]
        lines.append(
            f"Little's law: average WIP {little.average_wip:.1f} items against "
            f"{little.expected_wip:.1f} expected from throughput x cycle time "
            f"(ratio {little.ratio:.2f}): {verdict}"
        )
    old = review.older_than_p85
    if old:
        lines.append(
            f"{plural(len(old), 'item')} in progress "
            f"{'is' if len(old) == 1 else 'are'} older than the P85 cycle time: "
            + ", ".join(old)
            + ". Ask what blocks them."
        )
    return lines


def agile_narrative(review: AgileMetrics, work: Portfolio) -> list[str]:
    """
    Write the headlines: delivery, the worst sprint, flow, and the forecast.

    ``work`` is the project's portfolio (for the worst sprint's burndown). The last
    line is the decision the sponsor is asked for.
    """
    lines = _sprint_lines(review, work) + _flow_lines(review)
    forecast = review.forecast
    items = review.remaining_items
    if forecast is None:
        if items == 0:
            lines.append("The backlog is empty: every item is done.")
        return lines
    p50, p85 = forecast.date(0.5), forecast.date(0.85)
    rows = review.forecasts.set_index("method")["date"]
    average_date = rows["Average throughput"]
    planned = pd.Timestamp(review.project["planned_finish"])
    chance_planned = forecast.chance_by(planned)
    lines.append(
        f"The remaining {plural(items, 'item')} ({review.remaining_points:.0f} "
        f"points) will be done by {p50:%a %d %b %Y} with a 50% chance and by "
        f"{p85:%a %d %b %Y} with 85% ({review.iterations:,} simulated futures from "
        "the daily throughput)."
    )
    lines.append(
        f"For decision: promise the current backlog for {p85:%d %b %Y} (P85), not for "
        f"the average-based {average_date:%d %b}, which is met in only "
        f"{forecast.chance_by(average_date):.0%} of the futures. The backlog holds the "
        f"{plural(items, 'item')} written so far; whether the planned finish "
        f"({planned:%d %b %Y}) holds depends on the work not yet in it."
        if chance_planned >= 0.85
        else f"For decision: the planned finish, {planned:%d %b %Y}, is only "
        f"{chance_planned:.0%} likely even for the {plural(items, 'item')} in the "
        f"backlog today. Agree with the sponsor on the P85 date ({p85:%d %b %Y}), "
        "less scope, or a way to raise throughput."
    )
    return lines


def agile_method(review: AgileMetrics) -> tuple[str, ...]:
    """Return the method paragraphs (Markdown), with the figures actually used."""
    rules = review.tolerances
    return (
        "**Velocity.** A sprint's completed points are the points of its items "
        "finished by the end of its last day; committed points are fixed at sprint "
        "planning. An item not finished in its sprint moves to the next one. "
        "Averages use finished sprints only. A finished sprint that completed less "
        f"than {rules.sprint_amber_below:.0%} of its commitment missed it (amber), "
        f"less than {rules.sprint_red_below:.0%} is red (`flow_tolerances.yaml`).",
        "**Burndown and burnup.** Day 0 is sprint planning; each further point is "
        "the end of a working day. Items of the sprint created after it started "
        "count as added scope.",
        "**Cycle time** runs from an item's first move to *In Progress* to its last "
        "move to *Done*, in calendar days; percentiles interpolate between items. "
        "**Throughput** counts items finished per calendar day, weekends included. "
        "**Little's law** compares the mean end-of-day WIP (*In Progress* and *In "
        "Review*) with throughput x mean cycle time over the same days: a ratio "
        f"from {rules.wip_ratio_low:g} to {rules.wip_ratio_high:g} is a stable flow.",
        f"**Monte Carlo forecast.** Each of {review.iterations:,} simulated futures "
        "draws, day after day, the number of items finished on a random day of the "
        "chosen sprints, until the remaining items (not *Done* at the end of the "
        "period, whatever their size) are finished. P50 and P85 are the dates met in "
        f"50% and 85% of the futures. The seed is fixed ({review.seed}), so the same "
        "data gives the same report. It assumes the future looks like the chosen "
        "past: the same team, the same kind of work, a backlog that does not grow. "
        "Re-run it every week.",
        "**Average-based forecasts**, for comparison: remaining points / average "
        f"velocity, in whole sprints of {cadence_text(review.sprint_days)} (the "
        "team's cadence) from the end of the period; remaining items / average "
        "daily throughput.",
    )
