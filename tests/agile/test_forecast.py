"""Monte Carlo forecasts from throughput: known answers, direction, reproducibility."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from pmo_kit import ValidationError
from pmo_kit.agile import (
    CompletionForecast,
    ItemsForecast,
    forecast_completion,
    forecast_items_by,
    throughput,
)


def _dated(values: list[int], start: str = "2026-03-02") -> pd.Series:
    index = pd.date_range(start, periods=len(values), freq="D", name="date")
    return pd.Series(values, index=index, name="throughput")


def test_constant_throughput_gives_a_certain_answer():
    items = forecast_items_by([2, 2, 2], days=10, iterations=500, seed=1)
    assert items.outcomes.shape == (500,)
    assert set(items.outcomes.tolist()) == {20}
    assert items.percentiles().to_dict() == {"P50": 20, "P85": 20, "P95": 20}
    done = forecast_completion([2, 2, 2], items=7, iterations=500, seed=1)
    assert set(done.outcomes.tolist()) == {4}  # 2+2+2 < 7 <= 2+2+2+2
    assert done.start is None
    assert done.percentiles()["days"].tolist() == [4, 4, 4]
    with pytest.raises(ValidationError, match="no start date"):
        done.date(0.5)


def test_same_seed_same_forecast_other_seed_other_forecast():
    history = [0, 1, 3, 0, 2, 5, 1, 0, 0, 4]
    a = forecast_items_by(history, days=20, seed=42)
    b = forecast_items_by(history, days=20, seed=42)
    c = forecast_items_by(history, days=20, seed=43)
    np.testing.assert_array_equal(a.outcomes, b.outcomes)
    assert not np.array_equal(a.outcomes, c.outcomes)
    d = forecast_completion(history, items=30, seed=42)
    e = forecast_completion(history, items=30, seed=42)
    np.testing.assert_array_equal(d.outcomes, e.outcomes)


def test_how_many_reads_the_low_percentile_when_reads_the_high_one():
    history = [0, 1, 3, 0, 2, 5, 1, 0, 0, 4]
    many = forecast_items_by(history, days=20, seed=5)
    levels = many.percentiles()
    assert levels["P95"] <= levels["P85"] <= levels["P50"]
    for p in (0.5, 0.85, 0.95):
        n = many.at_least(p)
        assert many.chance_of(n) >= p  # at least n items in p of the futures
        assert many.chance_of(n + 1) < p  # and n is the largest such number
    when = forecast_completion(history, items=30, seed=5, start="2026-03-02")
    table = when.percentiles()
    assert table["days"].is_monotonic_increasing
    assert table["date"].is_monotonic_increasing
    for p in (0.5, 0.85, 0.95):
        assert when.chance_by(when.days_needed(p)) >= p
        assert when.chance_by(when.days_needed(p) - 1) < p
        assert when.chance_by(when.date(p)) == when.chance_by(when.days_needed(p))


def test_bootstrap_mean_matches_the_history():
    history = [0, 1, 2, 3, 4]  # mean 2 items a day
    many = forecast_items_by(history, days=50, iterations=20_000, seed=0)
    assert many.outcomes.mean() == pytest.approx(100, rel=0.01)
    # variance of a sum of 50 draws: 50 * var(history) = 50 * 2
    assert many.outcomes.var() == pytest.approx(100, rel=0.05)
    done = forecast_completion(history, items=100, iterations=20_000, seed=0)
    assert np.median(done.outcomes) == pytest.approx(50, abs=2)


def test_two_valued_history_samples_both_values():
    many = forecast_items_by([0, 4], days=1, iterations=10_000, seed=2)
    assert set(many.outcomes.tolist()) == {0, 4}
    assert many.chance_of(4) == pytest.approx(0.5, abs=0.02)
    assert many.at_least(0.85) == 0
    assert many.at_least(0.4) == 4


def test_dated_history_sets_the_start_and_window_uses_recent_days():
    history = _dated([0] * 10 + [5] * 5)
    many = forecast_items_by(history, days=2, iterations=200, seed=1, window=5)
    assert set(many.outcomes.tolist()) == {10}
    assert many.start == pd.Timestamp("2026-03-17")  # the day after the history
    assert many.end == pd.Timestamp("2026-03-18")
    when = forecast_completion(history, items=12, window=5, seed=1)
    assert when.date(0.95) == pd.Timestamp("2026-03-19")  # 3 days: 17, 18, 19
    assert when.dates().unique().tolist() == [pd.Timestamp("2026-03-19")]
    moved = forecast_completion(history, items=12, window=5, start="2026-04-01")
    assert moved.date(0.5) == pd.Timestamp("2026-04-03")


def test_long_forecasts_run_in_blocks():
    many = forecast_items_by([1], days=5_000, iterations=1_000, seed=1)
    assert set(many.outcomes.tolist()) == {5_000}
    slow = forecast_completion([0] * 99 + [1], items=3, iterations=200, seed=1)
    assert slow.outcomes.min() >= 3
    assert np.median(slow.outcomes) == pytest.approx(300, rel=0.3)


@pytest.mark.parametrize(
    ("history", "kwargs", "message"),
    [
        ([], {}, "empty"),
        ([1, -1], {}, "whole numbers"),
        ([1, 1.5], {}, "whole numbers"),
        ([1, 2], {"window": 0}, "`window`"),
        ([1, 2], {"iterations": 0}, "`iterations`"),
        (
            pd.Series([3, 4], index=pd.to_datetime(["2026-03-02", "2026-03-09"])),
            {},
            "freq='D'",
        ),
    ],
)
def test_bad_histories_are_refused(history, kwargs, message):
    with pytest.raises(ValidationError, match=message):
        forecast_items_by(history, days=5, **kwargs)


def test_forecast_arguments_are_checked():
    with pytest.raises(ValidationError, match="`days`"):
        forecast_items_by([1], days=0)
    with pytest.raises(ValidationError, match="`items`"):
        forecast_completion([1], items=0)
    with pytest.raises(ValidationError, match="never be done"):
        forecast_completion([0, 0, 0], items=1)
    with pytest.raises(ValidationError, match="probability"):
        ItemsForecast(days=1, outcomes=np.array([1])).at_least(85)
    with pytest.raises(ValidationError, match="probability"):
        CompletionForecast(items=1, outcomes=np.array([1])).days_needed(1.0)


def test_forecast_from_the_sample_throughput(sample):
    changes = sample.status_changes
    history = throughput(changes[changes["project_id"] == "P-005"], end="2026-06-26")
    many = forecast_items_by(history, days=14, window=42, seed=7)
    assert many.start == pd.Timestamp("2026-06-27")
    assert 0 < many.at_least(0.85) <= many.at_least(0.5)
    when = forecast_completion(history, items=20, window=42, seed=7)
    assert when.date(0.5) <= when.date(0.85) <= when.date(0.95)
    assert when.date(0.5) > pd.Timestamp("2026-06-27")
