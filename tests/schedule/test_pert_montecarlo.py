"""PERT (published example) and Monte Carlo schedule risk."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from pmo_kit import ValidationError
from pmo_kit.schedule import (
    critical_path,
    monte_carlo,
    pert_analysis,
    pert_estimates,
    remaining_work,
    slippage,
)

# Published example: activities (O, M, P; predecessors) A(1,1,7); B(1,4,7); C(2,2,8);
# D(1,1,1)<-A; E(2,5,14)<-B; F(2,5,8)<-C; G(3,6,15)<-D,E.
PERT_TASKS = pd.DataFrame(
    {
        "task_id": list("ABCDEFG"),
        "duration": [1, 4, 2, 1, 5, 5, 6],
        "optimistic": [1, 1, 2, 1, 2, 2, 3],
        "most_likely": [1, 4, 2, 1, 5, 5, 6],
        "pessimistic": [7, 7, 8, 1, 14, 8, 15],
    }
)
PERT_LINKS = pd.DataFrame(
    {"predecessor": ["A", "B", "C", "D", "E"], "successor": ["D", "E", "F", "G", "G"]}
)


def test_pert_published_example():
    est = pert_estimates(PERT_TASKS)
    assert est["mean"].tolist() == [2, 4, 3, 1, 6, 5, 7]
    assert est["variance"].tolist() == [1, 1, 1, 0, 4, 1, 4]
    result = pert_analysis(PERT_TASKS, PERT_LINKS)
    assert result.expected_duration == 17
    assert result.critical_path == ["B", "E", "G"]
    assert result.std == 3
    assert result.probability_by(20) == pytest.approx(0.8413, abs=1e-4)
    assert result.probability_by(17) == pytest.approx(0.5)


def test_triangular_estimates():
    est = pert_estimates(PERT_TASKS, method="triangular")
    assert est.loc["A", "mean"] == pytest.approx(3.0)
    assert est.loc["A", "variance"] == pytest.approx((1 + 1 + 49 - 1 - 7 - 7) / 18)


def test_estimates_out_of_order():
    bad = PERT_TASKS.assign(pessimistic=[7, 3, 8, 1, 14, 8, 15])
    with pytest.raises(ValidationError, match=r"task 'B': estimates \(1, 4, 3\)"):
        pert_estimates(bad)


def test_monte_carlo_is_reproducible_and_right_skewed():
    first = monte_carlo(PERT_TASKS, PERT_LINKS, iterations=5000, seed=42)
    again = monte_carlo(PERT_TASKS, PERT_LINKS, iterations=5000, seed=42)
    assert np.array_equal(first.finish, again.finish)
    assert first.deterministic_finish == 15  # most likely durations
    # the simulated mean is PERT's 17 (the short branch A-D rarely drives), and the
    # P80 date is well past the most-likely plan
    assert first.finish.mean() == pytest.approx(17, abs=0.2)
    assert first.percentile(0.8) >= 19 > first.deterministic_finish
    assert first.sensitivity.index[0] in {"E", "G"}
    assert first.criticality["D"] < first.criticality["E"]
    # F is an end task too: in a few iterations C-F is the longest path
    assert 0.99 < first.criticality["G"] < 1.0


def test_monte_carlo_matches_cpm_without_uncertainty():
    certain = PERT_TASKS.assign(
        optimistic=PERT_TASKS.duration,
        most_likely=PERT_TASKS.duration,
        pessimistic=PERT_TASKS.duration,
    )
    result = monte_carlo(certain, PERT_LINKS, iterations=100, seed=0)
    cpm = critical_path(certain, PERT_LINKS)
    assert set(result.finish) == {cpm.attrs["project_finish"]}
    assert (result.criticality == cpm["critical"].astype(float)).all()
    assert (result.sensitivity["correlation"] == 0).all()


def test_monte_carlo_dates_and_probability():
    result = monte_carlo(
        PERT_TASKS, PERT_LINKS, iterations=2000, seed=3, start="2026-01-05"
    )
    p80 = result.percentile(0.8)
    assert result.percentile_date(0.8) == result.date_of(p80)
    assert result.probability_by(result.percentile_date(0.8)) >= 0.8
    with pytest.raises(ValidationError, match="share from 0 to 1"):
        result.percentile(80)


def test_monte_carlo_rejects_bad_arguments():
    with pytest.raises(ValidationError, match="`iterations`"):
        monte_carlo(PERT_TASKS, PERT_LINKS, iterations=5)
    with pytest.raises(ValidationError, match="'pert', 'triangular'"):
        monte_carlo(PERT_TASKS, PERT_LINKS, distribution="normal")  # type: ignore[arg-type]


def test_forecast_of_the_late_sample_project(sample):
    project = sample.for_project("P-002")
    row = project.project("P-002")
    left, snet = remaining_work(
        project.tasks, status_date=row["status_date"], start=row["start"]
    )
    done = project.tasks["percent_complete"].to_numpy() >= 100
    assert (left["duration"].to_numpy()[done] == 0).all()
    forecast = critical_path(
        left, project.dependencies, start=row["start"], start_no_earlier_than=snet
    )
    assert forecast.attrs["project_finish_date"] > row["planned_finish"]
    unfinished = forecast.loc[list(snet)]
    assert (unfinished["early_start_date"] > row["status_date"]).all()
    slip = slippage(project.tasks, forecast)
    assert slip["slip_days"].iloc[0] > 0
    finished = project.tasks.set_index("task_id")["actual_finish"].dropna()
    assert (slip.loc[finished.index, "forecast_finish"] == finished).all()
    assert slip.loc[finished.index, "slip_days"].min() > -30  # not "at project start"
    assert slip.loc[slip["milestone"], "slip_days"].max() > 0
