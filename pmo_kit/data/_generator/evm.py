"""Weekly earned-value status of generated projects."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from pmo_kit.data._generator.schedule import percent_complete

if TYPE_CHECKING:
    from pmo_kit.data._generator.risks import Shock
    from pmo_kit.data._generator.schedule import Plan

__all__ = ["WEEKS", "build_status"]

#: Number of weekly status rows kept per project.
WEEKS = 26


def build_status(
    plans: list[Plan],
    status: np.datetime64,
    shocks: dict[str, list[Shock]],
    rng: np.random.Generator,
) -> pd.DataFrame:
    """
    Cumulative PV, EV and AC every week up to the status date.

    Only projects in execution or closing report. PV follows the baseline schedule,
    EV the whole-number percent complete of every task (so the last row matches the
    tasks table), and AC is EV divided by the project's cost efficiency, with a
    little noise, plus the cost of any risk that occurred.
    """
    weeks_all = status - 7 * np.arange(WEEKS - 1, -1, -1)
    frames: list[pd.DataFrame] = []
    for plan in plans:
        if plan.phase not in {"execution", "closing"}:
            continue
        weeks = weeks_all[weeks_all >= plan.start]
        elapsed = np.busday_count(plan.start, weeks + 1).astype(np.int64)
        d = plan.duration
        frac = np.clip((elapsed[:, None] - plan.es) / np.maximum(d, 1), 0.0, 1.0)
        pv = frac @ plan.bc
        pct = percent_complete(plan.es, d, plan.k * elapsed)
        ev = np.minimum(pct @ plan.bc / 100.0, plan.bc.sum())
        noise = 1.0 + rng.normal(0.0, 0.012, len(weeks))
        ac = np.maximum.accumulate(ev / plan.cpi * noise)
        for when, cost in shocks.get(plan.project_id, []):
            ac = ac + np.where(weeks >= when, cost, 0.0)
        frames.append(
            pd.DataFrame(
                {
                    "project_id": plan.project_id,
                    "status_date": pd.to_datetime(weeks),
                    "pv": np.round(pv, 2),
                    "ev": np.round(ev, 2),
                    "ac": np.round(ac, 2),
                }
            )
        )
    if not frames:
        return pd.DataFrame(
            {
                "project_id": pd.Series(dtype=object),
                "status_date": pd.Series(dtype="datetime64[ns]"),
                "pv": pd.Series(dtype=float),
                "ev": pd.Series(dtype=float),
                "ac": pd.Series(dtype=float),
            }
        )
    return pd.concat(frames, ignore_index=True)
