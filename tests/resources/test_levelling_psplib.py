"""Levelling quality on the public PSPLIB j30 benchmark (known optimal makespans)."""

from __future__ import annotations

import pytest

from pmo_kit.io import read_psplib, read_psplib_optima
from pmo_kit.resources import level
from tests.conftest import SHARED
from tests.resources._levelling_checks import assert_feasible

PSPLIB = SHARED / "datasets-external" / "psplib"
pytestmark = pytest.mark.skipif(
    not (PSPLIB / "j30").is_dir(), reason="../shared/datasets-external/psplib absent"
)

# one instance from every other parameter class (j30 has 48 classes x 10
# instances), so every network complexity, resource factor and strength is sampled
SAMPLE = [f"j30{c}_{c % 10 + 1}" for c in range(1, 49, 2)]
BUDGET = 1000  # schedules per instance: deterministic, about 0.1-0.3 s each


def test_optimiser_is_within_one_percent_of_the_optima_on_j30():
    optima = read_psplib_optima(PSPLIB / "j30_optimum.csv")
    optimum = dict(zip(optima["problem"], optima["upper"], strict=True))
    deviation, baseline = [], []
    for name in SAMPLE:
        inst = read_psplib(PSPLIB / "j30" / f"{name}.sm")
        args = (inst.tasks, inst.dependencies, inst.demands, inst.capacities)
        best = level(*args, time_limit=None, max_schedules=BUDGET, seed=0)
        serial = level(*args, method="serial")
        for plan in (best, serial):
            assert_feasible(plan, *args)
            assert plan.attrs["makespan"] >= optimum[name], name  # never below optimal
        assert best.attrs["cpm_length"] == inst.cpm_length
        opt = optimum[name]
        deviation.append((best.attrs["makespan"] - opt) / opt)
        baseline.append((serial.attrs["makespan"] - opt) / opt)
    mean = sum(deviation) / len(deviation)
    mean_serial = sum(baseline) / len(baseline)
    assert mean <= 0.01, f"average deviation {mean:.2%}"
    assert mean_serial > mean, f"serial {mean_serial:.2%} vs optimised {mean:.2%}"
    assert mean_serial > 0.02  # the single-pass rule is several percent above
