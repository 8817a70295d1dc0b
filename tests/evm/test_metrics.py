"""metrics(): published oracles, NaN rules, vectorised = scalar, input errors."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from pmo_kit import ValidationError
from pmo_kit.evm import EVMetrics, metrics
from pmo_kit.evm.indices import METRIC_NAMES

# --------------------------------------------------------------------- oracles

# Each case: inputs, then the published figures (name -> (value, absolute tolerance)).
ORACLES = [
    pytest.param(
        # PMBOK-style worked example used in PMP courses: BAC 100, PV 50, EV 40,
        # AC 45 -> CPI 0.889, EAC 112.5, ETC 67.5, VAC -12.5,
        # EAC(CPI*SPI) 129.375, TCPI(BAC) 1.0909.
        {"bac": 100.0, "pv": 50.0, "ev": 40.0, "ac": 45.0},
        {
            "sv": (-10.0, 1e-12),
            "cv": (-5.0, 1e-12),
            "spi": (0.8, 1e-12),
            "cpi": (0.889, 5e-4),
            "eac_cpi": (112.5, 1e-9),
            "etc": (67.5, 1e-9),
            "vac": (-12.5, 1e-9),
            "eac_remaining_at_budget": (105.0, 1e-12),
            "eac_cpi_spi": (129.375, 1e-9),
            "tcpi_bac": (1.0909, 5e-5),
        },
        id="pmbok-bac-100",
    ),
    pytest.param(
        # R package PRA (P. Govan), reference pages pv/ev/ac/sv/cv/spi/cpi, after
        # Damnjanovic & Reinschmidt, "Data analytics for engineering and
        # construction project risk management" (Springer, 2020): BAC 100,000,
        # planned 10/20/40/70/100% over 5 periods, period 3, 35% complete,
        # cumulative AC 9k/18k/36k -> PV 40,000, EV 35,000, AC 36,000,
        # SV -5,000, CV -1,000, SPI 0.875, CPI 0.9722.
        {"bac": 100_000.0, "pv": 0.40 * 100_000, "ev": 0.35 * 100_000, "ac": 36_000.0},
        {
            "sv": (-5_000.0, 1e-9),
            "cv": (-1_000.0, 1e-9),
            "spi": (0.875, 1e-12),
            "cpi": (0.9722, 5e-5),
        },
        id="pra-toy-project",
    ),
    pytest.param(
        # PRA reference page `eac`, method "atypical": BAC 100,000, AC 63,000,
        # EV 35,000 -> EAC 128,000. PRA reference page `tcpi`: same project ->
        # TCPI (to meet BAC) 1.76. (PV is not part of either example; the toy
        # project's 40,000 is used.)
        {"bac": 100_000.0, "pv": 40_000.0, "ev": 35_000.0, "ac": 63_000.0},
        {
            "eac_remaining_at_budget": (128_000.0, 1e-9),
            "tcpi_bac": (1.76, 5e-3),
        },
        id="pra-eac-atypical-tcpi-bac",
    ),
    pytest.param(
        # PRA reference page `tcpi`, target "eac": BAC 100,000, EV 35,000,
        # AC 63,000, EAC 120,482 -> TCPI (to meet EAC) 1.13. The EAC is given as a
        # bottom-up ETC = 120,482 - 63,000.
        {
            "bac": 100_000.0,
            "pv": 40_000.0,
            "ev": 35_000.0,
            "ac": 63_000.0,
            "etc": 120_482.0 - 63_000.0,
        },
        {"eac_bottom_up": (120_482.0, 1e-9), "tcpi_eac": (1.13, 5e-3)},
        id="pra-tcpi-eac",
    ),
    pytest.param(
        # PRA reference page `eac`, method "typical": BAC 100,000, CPI 0.83 ->
        # EAC 120,481.9 (here CPI 0.83 = EV 83,000 / AC 100,000).
        {"bac": 100_000.0, "pv": 90_000.0, "ev": 83_000.0, "ac": 100_000.0},
        {"cpi": (0.83, 1e-12), "eac_cpi": (120_481.9, 0.05)},
        id="pra-eac-typical",
    ),
]


@pytest.mark.parametrize(("inputs", "expected"), ORACLES)
def test_published_oracles(inputs, expected):
    result = metrics(**inputs)
    for name, (value, tolerance) in expected.items():
        assert getattr(result, name) == pytest.approx(value, abs=tolerance), name


def test_identities_between_the_forecasts():
    m = metrics(bac=100.0, pv=50.0, ev=40.0, ac=45.0)
    assert m.etc == pytest.approx(m.eac_cpi - 45.0)
    assert m.vac == pytest.approx(100.0 - m.eac_cpi)
    # TCPI to EAC_cpi is CPI by construction when no bottom-up ETC is given
    assert m.tcpi_eac == pytest.approx(m.cpi)
    assert math.isnan(m.eac_bottom_up)


def test_scalars_give_a_dataclass_with_every_metric():
    m = metrics(bac=100, pv=50, ev=40, ac=45)
    assert isinstance(m, EVMetrics)
    assert tuple(m.as_dict()) == METRIC_NAMES
    assert all(isinstance(v, float) for v in m.as_dict().values())


# ------------------------------------------------------------------- NaN rules


def test_pv_zero_makes_spi_nan_not_zero():
    m = metrics(bac=100.0, pv=0.0, ev=0.0, ac=0.0)
    for name in ("spi", "cpi", "eac_cpi", "etc", "vac", "eac_cpi_spi"):
        assert math.isnan(getattr(m, name)), name
    assert m.sv == 0.0
    assert m.tcpi_bac == 1.0  # nothing spent, nothing earned: plan efficiency


def test_ac_zero_makes_cost_ratios_nan():
    m = metrics(bac=100.0, pv=10.0, ev=5.0, ac=0.0)
    assert m.spi == 0.5
    assert math.isnan(m.cpi)
    assert math.isnan(m.eac_cpi)
    assert m.eac_remaining_at_budget == 95.0


def test_bac_equal_to_ac_makes_tcpi_bac_nan():
    m = metrics(bac=100.0, pv=90.0, ev=80.0, ac=100.0)
    assert math.isnan(m.tcpi_bac)


def test_no_earned_value_yet_gives_nan_eac_not_infinity():
    m = metrics(bac=100.0, pv=10.0, ev=0.0, ac=5.0)
    assert m.cpi == 0.0
    assert math.isnan(m.eac_cpi)
    assert math.isnan(m.eac_cpi_spi)


def test_overspent_project_has_negative_tcpi_bac():
    # AC already above BAC: no efficiency can meet the budget any more
    m = metrics(bac=100.0, pv=100.0, ev=80.0, ac=120.0)
    assert m.tcpi_bac == pytest.approx(-1.0)


money = st.floats(min_value=0, max_value=1e9, allow_nan=False)


@st.composite
def project_figures(draw):
    bac = draw(money)
    ev = draw(st.floats(min_value=0, max_value=bac))
    return {"bac": bac, "pv": draw(money), "ev": ev, "ac": draw(money)}


@given(project_figures())
def test_metrics_never_raise_or_return_infinity_on_valid_input(figures):
    m = metrics(**figures)
    for name, value in m.as_dict().items():
        assert not math.isinf(value), (name, figures)


# -------------------------------------------------------- vectorised = scalar


@given(st.lists(project_figures(), min_size=1, max_size=8))
def test_vectorised_equals_scalar(rows):
    frame = pd.DataFrame(rows, index=[f"P-{i:03d}" for i in range(len(rows))])
    table = metrics(bac=frame["bac"], pv=frame["pv"], ev=frame["ev"], ac=frame["ac"])
    assert isinstance(table, pd.DataFrame)
    assert list(table.columns) == list(METRIC_NAMES)
    assert table.index.equals(frame.index)
    for i, row in enumerate(rows):
        one = metrics(bac=row["bac"], pv=row["pv"], ev=row["ev"], ac=row["ac"])
        expected = pd.Series(one.as_dict(), dtype="float64", name=frame.index[i])
        pd.testing.assert_series_equal(table.iloc[i], expected)


def test_numbers_broadcast_against_arrays_and_lists():
    table = metrics(bac=100.0, pv=np.array([50.0, 0.0]), ev=[40.0, 0.0], ac=45.0)
    assert isinstance(table, pd.DataFrame)
    assert table.index.equals(pd.RangeIndex(2))
    assert table["cpi"].iloc[0] == pytest.approx(40 / 45)
    assert math.isnan(table["spi"].iloc[1])


def test_etc_per_row_with_gaps_falls_back_to_eac_cpi():
    table = metrics(
        bac=100.0,
        pv=pd.Series([50.0, 50.0]),
        ev=pd.Series([40.0, 40.0]),
        ac=pd.Series([45.0, 45.0]),
        etc=pd.Series([55.0, np.nan]),
    )
    assert isinstance(table, pd.DataFrame)
    assert table["eac_bottom_up"].iloc[0] == 100.0
    assert math.isnan(table["eac_bottom_up"].iloc[1])
    assert table["tcpi_eac"].iloc[0] == pytest.approx(60 / 55)
    assert table["tcpi_eac"].iloc[1] == pytest.approx(table["cpi"].iloc[1])


def test_missing_values_pass_through_as_nan():
    table = metrics(
        bac=pd.Series([100.0, 100.0]),
        pv=pd.Series([50.0, np.nan]),
        ev=pd.Series([40.0, np.nan]),
        ac=pd.Series([45.0, np.nan]),
    )
    assert isinstance(table, pd.DataFrame)
    assert table.iloc[1].isna().all()


# ------------------------------------------------------------------ bad input


@pytest.mark.parametrize("name", ["bac", "pv", "ev", "ac", "etc"])
def test_negative_input_names_the_argument_and_value(name):
    inputs = {"bac": 100.0, "pv": 50.0, "ev": 40.0, "ac": 45.0, "etc": 10.0}
    inputs[name] = -5.0
    with pytest.raises(
        ValidationError, match=rf"-5\.0 is an invalid value for `{name}`"
    ):
        metrics(**inputs)


def test_negative_value_in_a_series_names_the_row():
    ac = pd.Series([45.0, -1.0], index=["P-001", "P-002"])
    with pytest.raises(ValidationError, match=r"`ac` \(row 'P-002'\)"):
        metrics(bac=100.0, pv=50.0, ev=40.0, ac=ac)


def test_infinite_input_is_rejected():
    with pytest.raises(ValidationError, match="inf is an invalid value for `pv`"):
        metrics(bac=100.0, pv=math.inf, ev=40.0, ac=45.0)


def test_ev_above_bac_is_rejected():
    with pytest.raises(ValidationError, match=r"`ev` = 120\.0 exceeds `bac` = 100\.0"):
        metrics(bac=100.0, pv=50.0, ev=120.0, ac=45.0)


def test_ev_equal_to_bac_with_rounding_noise_is_accepted():
    m = metrics(bac=0.1 + 0.2, pv=0.3, ev=0.3, ac=0.3)
    assert m.cpi == pytest.approx(1.0)


def test_lengths_must_match():
    with pytest.raises(ValidationError, match="`ev` has 3 values but `pv` has 2"):
        metrics(bac=100.0, pv=[1.0, 2.0], ev=[1.0, 1.0, 1.0], ac=1.0)


def test_series_indexes_must_match():
    pv = pd.Series([1.0, 2.0], index=["a", "b"])
    ev = pd.Series([1.0, 2.0], index=["a", "c"])
    with pytest.raises(ValidationError, match="different indexes"):
        metrics(bac=100.0, pv=pv, ev=ev, ac=1.0)


def test_text_is_rejected_with_the_argument_name():
    with pytest.raises(ValidationError, match="invalid value for `ac`"):
        metrics(bac=100.0, pv=1.0, ev=1.0, ac=["a lot"])  # type: ignore[list-item]
