"""Earned schedule (Lipke): published examples, the SPI weakness, properties."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from pmo_kit import ValidationError
from pmo_kit.evm import (
    ScheduleMetrics,
    earned_schedule,
    project_performance,
    schedule_metrics,
)

# ------------------------------------------------------ published examples


def test_lipke_es_equals_c_plus_i():
    # Structure of Lipke's own illustration ("Earned Schedule Concept",
    # earnedschedule.com; Lipke & Henderson, EVA-11 training, 2006, slide 16):
    # at the end of July (AT = 7) the EV lies between the PV of May and of June,
    # so ES = 5 + (EV - PV_May) / (PV_Jun - PV_May). Monthly figures are ours.
    plan = pd.Series(
        [100.0, 250, 450, 700, 1_000, 1_300, 1_600, 1_850, 2_050, 2_200],
        index=range(1, 11),
    )
    ev = 1_150.0
    es = earned_schedule(plan, ev)
    assert isinstance(es, float)  # a period number, as the index
    assert es == pytest.approx(5 + (1_150 - 1_000) / (1_300 - 1_000))
    m = schedule_metrics(es=es, at=7, planned_duration=10)
    assert m.sv_t == pytest.approx(es - 7)
    assert m.spi_t == pytest.approx(es / 7)


def test_hksm_week_18_of_20():
    # HKSM, "Earned Schedule (ES)" definition page (hksmnow.com): the project is
    # at week 20 and the EV equals the PV planned for week 18, so ES = 18,
    # SV(t) = -2 weeks and SPI(t) = 0.90. (pmmilestone.org's earned schedule
    # calculator gives the same example: ES 18, AT 20 -> SPI(t) 0.90.)
    weekly_plan = pd.Series(np.arange(1, 41) * 1_000.0, index=range(1, 41))
    es = earned_schedule(weekly_plan, float(weekly_plan[18]))
    assert isinstance(es, float)
    assert es == 18.0
    m = schedule_metrics(es=es, at=20, planned_duration=40)
    assert m.sv_t == -2.0
    assert m.spi_t == pytest.approx(0.90)


def test_hksm_exam_question_three_weeks_behind():
    # HKSM PMP example question: AT = 24 weeks, ES = 21 weeks -> SV(t) = -3 weeks
    # (3 weeks behind schedule).
    m = schedule_metrics(es=21, at=24, planned_duration=30)
    assert m.sv_t == -3.0


def test_pra_toy_project_earned_schedule():
    # The PRA toy project (BAC 100,000 planned 10/20/40/70/100% over 5 periods,
    # 35% complete at period 3; see test_metrics.py) worked with Lipke's formula
    # by hand: C = 2 (PV_2 = 20,000 <= 35,000 < PV_3 = 40,000),
    # ES = 2 + 15,000 / 20,000 = 2.75, SV(t) = -0.25, SPI(t) = 0.9167,
    # IEAC(t) = 5 / 0.9167 = 5.4545 periods, TSPI = 2.25 / 2 = 1.125.
    plan = pd.Series([10_000.0, 20_000, 40_000, 70_000, 100_000], index=range(1, 6))
    es = earned_schedule(plan, 35_000.0)
    assert isinstance(es, float)
    assert es == 2.75
    m = schedule_metrics(es=es, at=3, planned_duration=5)
    assert m.sv_t == pytest.approx(-0.25)
    assert m.spi_t == pytest.approx(0.9167, abs=5e-5)
    assert m.ieac_t == pytest.approx(5.4545, abs=5e-5)
    assert m.tspi == pytest.approx(1.125)


# ------------------------------------------- the weakness earned schedule fixes


def _late_project() -> tuple[pd.DataFrame, pd.Timestamp, pd.Timestamp]:
    """Planned 10 weeks at 100 per week; done at 2/3 of that pace, in 15 weeks."""
    start = pd.Timestamp("2026-01-05")
    planned_finish = start + pd.Timedelta(days=69)  # end of week 10
    weeks = np.arange(1, 16)
    ev = weeks * 1_000.0 / 15
    status = pd.DataFrame(
        {
            "status_date": start + pd.to_timedelta(weeks * 7 - 1, unit="D"),
            "pv": np.minimum(weeks, 10) * 100.0,
            "ev": ev,
            "ac": ev * 1.1,
        }
    )
    return status, start, planned_finish


def test_spi_returns_to_one_at_the_end_of_a_late_project_but_spi_t_does_not():
    status, start, finish = _late_project()
    perf = project_performance(status, bac=1_000.0, start=start, planned_finish=finish)
    last = perf.iloc[-1]
    assert last["ev"] == pytest.approx(1_000.0)
    # EVM's quirk: all the planned work is done, so SPI = BAC / BAC = 1.0 ...
    assert last["spi"] == pytest.approx(1.0)
    assert last["schedule_rag"] == "red"  # ... but the RAG follows SPI(t)
    # ... while SPI(t) stays at the real pace, 10 planned weeks in 15.
    assert last["spi_t"] == pytest.approx(10 / 15)
    assert last["sv_t"] == pytest.approx(-5.0)
    assert perf["spi_t"].to_numpy() == pytest.approx(np.full(15, 2 / 3))
    # SPI climbs back after the planned finish (week 10) although nothing improved
    after_plan = perf["spi"].iloc[9:].to_numpy()
    assert (np.diff(after_plan) > 0).all()
    assert perf["spi"].iloc[9] == pytest.approx(2 / 3)
    # IEAC(t) forecast the 15 weeks from the first status on
    assert perf["ieac_t"].to_numpy() == pytest.approx(np.full(15, 15.0))
    assert (perf["forecast_finish"] == status["status_date"].iloc[-1]).all()


def test_spi_based_schedule_rag_turns_green_at_the_end():
    status, start, finish = _late_project()
    perf = project_performance(
        status, bac=1_000.0, start=start, planned_finish=finish, schedule_index="spi"
    )
    assert perf["schedule_rag"].iloc[-1] == "green"


# ------------------------------------------------------------- properties


@st.composite
def plan_and_progress(draw):
    """A strictly increasing PV curve and an EV at or below PV in every period."""
    n = draw(st.integers(min_value=1, max_value=20))
    steps = draw(
        st.lists(st.floats(min_value=1.0, max_value=1e6), min_size=n, max_size=n)
    )
    shares = draw(
        st.lists(st.floats(min_value=0.0, max_value=1.0), min_size=n, max_size=n)
    )
    pv = np.cumsum(steps)
    periods = range(1, n + 1)
    return pd.Series(pv, index=periods), pd.Series(pv * shares, index=periods)


@given(plan_and_progress())
def test_es_never_exceeds_at_when_ev_never_exceeds_pv(case):
    # Lipke's rule credits a planned pause (flat PV) in full, so the property
    # needs a strictly increasing plan; the strategy draws steps >= 1.
    plan, ev = case
    es = earned_schedule(plan, ev)
    assert isinstance(es, pd.Series)
    assert (es.to_numpy() <= np.asarray(ev.index, dtype=float) + 1e-9).all()


@given(plan_and_progress(), st.floats(min_value=0.0, max_value=1.0))
def test_es_grows_with_ev_and_stays_within_the_plan(case, share):
    plan, _ = case
    evs = np.sort(np.array([0.0, share, 1.0]) * plan.iloc[-1])
    es = earned_schedule(plan, pd.Series(evs))
    assert isinstance(es, pd.Series)
    values = es.to_numpy()
    assert (np.diff(values) >= -1e-12).all()
    assert values[0] == 0.0
    assert values[-1] == pytest.approx(float(plan.index[-1]))


# ------------------------------------------------------------- conventions


def test_flat_tail_after_bac_is_not_credited():
    # PV reaches BAC in period 2; repeated BAC rows after it are not schedule
    plan = pd.Series([50.0, 100.0, 100.0, 100.0], index=[1, 2, 3, 4])
    assert earned_schedule(plan, 100.0) == 2.0


def test_planned_pause_is_credited_in_full():
    # Lipke: C is the LAST period with PV_C <= EV
    plan = pd.Series([50.0, 50.0, 100.0], index=[1, 2, 3])
    assert earned_schedule(plan, 50.0) == 2.0


def test_numeric_curve_starts_from_zero_at_period_zero():
    plan = pd.Series([10.0, 20.0], index=[1, 2])
    assert earned_schedule(plan, 5.0) == 0.5


def test_dated_curve_gives_a_date():
    plan = pd.Series(
        [0.0, 70.0, 140.0],
        index=pd.to_datetime(["2026-01-01", "2026-01-08", "2026-01-15"]),
    )
    assert earned_schedule(plan, 35.0) == pd.Timestamp("2026-01-04 12:00")
    dates = earned_schedule(plan, pd.Series([0.0, 140.0], index=["a", "b"]))
    assert isinstance(dates, pd.Series)
    assert dates.tolist() == [pd.Timestamp("2026-01-01"), pd.Timestamp("2026-01-15")]


def test_dated_curve_must_start_at_the_start():
    plan = pd.Series([50.0, 100.0], index=pd.to_datetime(["2026-01-08", "2026-01-15"]))
    with pytest.raises(ValidationError, match="below the first point of the PV curve"):
        earned_schedule(plan, 10.0)


def test_at_picks_one_row_of_an_ev_series():
    plan = pd.Series([10_000.0, 20_000, 40_000, 70_000, 100_000], index=range(1, 6))
    ev = pd.Series([8_000.0, 20_000, 35_000], index=[1, 2, 3])
    assert earned_schedule(plan, ev, at=3) == 2.75
    with pytest.raises(ValidationError, match="4 is not a label of `ev`"):
        earned_schedule(plan, ev, at=4)
    with pytest.raises(ValidationError, match="leave `at` out"):
        earned_schedule(plan, 35_000.0, at=3)  # type: ignore[call-overload]


def test_nan_ev_gives_nan_es():
    plan = pd.Series([10.0, 20.0], index=[1, 2])
    es = earned_schedule(plan, pd.Series([np.nan, 10.0]))
    assert isinstance(es, pd.Series)
    assert math.isnan(es.iloc[0])
    assert es.iloc[1] == 1.0


@pytest.mark.parametrize(
    ("plan", "match"),
    [
        (
            pd.Series([10.0, 5.0], index=[1, 2]),
            r"5\.0 is an invalid planned value at 2",
        ),
        (pd.Series([1.0, 2.0], index=[2, 1]), "periods must increase"),
        (pd.Series([1.0, 2.0], index=["a", "b"]), "period numbers"),
        (pd.Series([], dtype=float), "non-empty"),
        (pd.Series([1.0, np.nan], index=[1, 2]), "missing or infinite"),
    ],
)
def test_bad_curves_are_named(plan, match):
    with pytest.raises(ValidationError, match=match):
        earned_schedule(plan, 1.0)


def test_negative_ev_is_rejected():
    with pytest.raises(ValidationError, match="invalid value for `ev`"):
        earned_schedule(pd.Series([1.0], index=[1]), -1.0)


# ----------------------------------------------------------- schedule metrics


def test_schedule_metrics_nan_rules():
    start = schedule_metrics(es=0, at=0, planned_duration=10)
    assert isinstance(start, ScheduleMetrics)
    assert math.isnan(start.spi_t)
    assert math.isnan(start.ieac_t)
    on_the_day = schedule_metrics(es=8, at=10, planned_duration=10)
    assert math.isnan(on_the_day.tspi)
    nothing_earned = schedule_metrics(es=0, at=4, planned_duration=10)
    assert nothing_earned.spi_t == 0.0
    assert math.isnan(nothing_earned.ieac_t)


def test_schedule_metrics_vectorised_equals_scalar():
    es = pd.Series([0.0, 1.6, 2.4, 10.0])
    at = pd.Series([1.0, 2.0, 3.0, 12.0])
    table = schedule_metrics(es=es, at=at, planned_duration=10.0)
    assert isinstance(table, pd.DataFrame)
    assert list(table.columns) == ["es", "at", "sv_t", "spi_t", "ieac_t", "tspi"]
    for i in range(len(es)):
        one = schedule_metrics(es=es[i], at=at[i], planned_duration=10.0)
        expected = pd.Series(one.as_dict(), dtype="float64", name=i)
        pd.testing.assert_series_equal(table.iloc[i], expected)


def test_schedule_metrics_rejects_negative_time():
    with pytest.raises(ValidationError, match="invalid value for `at`"):
        schedule_metrics(es=1, at=-1, planned_duration=10)
