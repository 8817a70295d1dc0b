"""
Agile metrics: sprints, flow and Monte Carlo forecasts from throughput.

Sprints: velocity, burndown, burnup. Flow: cumulative flow, WIP, throughput,
cycle and lead time, work-item age, Little's law. Forecasts: "how many items by
then?" and "when will these items be done?".

Pure functions over the canonical ``sprints``, ``work_items`` and
``status_changes`` tables (see :mod:`pmo_kit.data.schemas`): no display, no files.
Read a real Jira export with :mod:`pmo_kit.io`; draw with :mod:`pmo_kit.charts`.
"""

from __future__ import annotations

from pmo_kit.agile.cycle_time import cycle_time_percentiles, cycle_times
from pmo_kit.agile.flow import (
    LittlesLaw,
    cumulative_flow,
    littles_law,
    throughput,
    work_in_progress,
    work_item_age,
)
from pmo_kit.agile.forecast import (
    CompletionForecast,
    ItemsForecast,
    forecast_completion,
    forecast_items_by,
)
from pmo_kit.agile.sprints import (
    sprint_burndown,
    sprint_burnup,
    velocity,
    velocity_summary,
)
from pmo_kit.agile.tolerances import (
    DEFAULT_FLOW_TOLERANCES_PATH,
    FlowTolerances,
    load_flow_tolerances,
)

__all__ = [
    "DEFAULT_FLOW_TOLERANCES_PATH",
    "CompletionForecast",
    "FlowTolerances",
    "ItemsForecast",
    "LittlesLaw",
    "cumulative_flow",
    "cycle_time_percentiles",
    "cycle_times",
    "forecast_completion",
    "forecast_items_by",
    "littles_law",
    "load_flow_tolerances",
    "sprint_burndown",
    "sprint_burnup",
    "throughput",
    "velocity",
    "velocity_summary",
    "work_in_progress",
    "work_item_age",
]
