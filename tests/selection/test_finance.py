import math
import warnings

import pytest

from pmo_kit._errors import ValidationError
from pmo_kit.selection import (
    MultipleIRRWarning,
    discounted_payback,
    irr,
    irr_roots,
    npv,
    payback,
)


def test_npv_matches_excels_documented_examples():
    # Excel NPV help, example 1: =NPV(10%, -10000, 3000, 4200, 6800) = 1,188.44
    assert npv(0.1, [-10_000, 3_000, 4_200, 6_800]) == pytest.approx(1188.44, abs=0.01)
    # Excel NPV help, example 2: =NPV(8%, 8000, 9200, 10000, 12000, 14500) - 40000
    # = 1,922.06 (the investment at the start is not discounted)
    got = npv(0.08, [8_000, 9_200, 10_000, 12_000, 14_500]) - 40_000
    assert got == pytest.approx(1922.06, abs=0.01)


def test_npv_textbook_convention():
    # -1000 now, +600 after one year, +600 after two years, at 10%:
    # -1000 + 545.4545 + 495.8678 = 41.3223
    assert npv(0.1, [-1000, 600, 600], excel=False) == pytest.approx(41.3223, abs=1e-4)
    # Excel's convention discounts everything one more period: 41.3223 / 1.1
    assert npv(0.1, [-1000, 600, 600]) == pytest.approx(37.5657, abs=1e-4)


def test_irr_matches_excels_documented_examples():
    flows = [-70_000, 12_000, 15_000, 18_000, 21_000, 26_000]
    assert irr(flows[:5]) == pytest.approx(-0.0212, abs=5e-5)  # -2.12%
    assert irr(flows) == pytest.approx(0.0866, abs=5e-5)  # 8.66%
    assert irr(flows[:3], guess=-0.1) == pytest.approx(-0.4435, abs=5e-5)  # -44.35%


def test_irr_of_a_simple_loan():
    # lend 1000, get 1100 back: 10%
    assert irr([-1000, 1100]) == pytest.approx(0.1, abs=1e-12)
    assert npv(irr([-1000, 300, 400, 500]), [-1000, 300, 400, 500]) == pytest.approx(
        0.0, abs=1e-8
    )


def test_several_roots_warn_and_are_all_found():
    # -100 + 230x - 132x^2 = 0 with x = 1/(1+r): x = 10/11 or 5/6, r = 10% or 20%
    flows = [-100, 230, -132]
    assert irr_roots(flows) == pytest.approx([0.1, 0.2], abs=1e-12)
    with pytest.warns(MultipleIRRWarning, match=r"10\.0000%, 20\.0000%"):
        assert irr(flows) == pytest.approx(0.1, abs=1e-12)
    with pytest.warns(MultipleIRRWarning):
        assert irr(flows, guess=0.25) == pytest.approx(0.2, abs=1e-12)


def test_single_root_does_not_warn():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        irr([-1000, 500, 500, 500])


def test_no_sign_change_gives_nan():
    assert math.isnan(irr([100, 200]))
    assert math.isnan(irr([-100, -200]))


def test_payback_by_hand():
    # cumulative -1000, -700, -300, +200: 2 full periods + 300/500 of the third
    assert payback([-1000, 300, 400, 500]) == pytest.approx(2.6)
    # exactly at the end of a period
    assert payback([-1000, 500, 500, 500]) == pytest.approx(2.0)
    assert math.isnan(payback([-1000, 100, 100]))
    assert payback([0, 10]) == 0.0


def test_discounted_payback_by_hand():
    # at 10%: 300/1.1 = 272.7273, 400/1.21 = 330.5785, 500/1.331 = 375.6574,
    # 200/1.4641 = 136.6027; cumulative -727.2727, -396.6942, -21.0368, +115.5659
    # -> 3 + 21.0368 / 136.6027 = 3.15400
    flows = [-1000, 300, 400, 500, 200]
    assert discounted_payback(0.1, flows) == pytest.approx(3.15400, abs=1e-5)
    assert math.isnan(discounted_payback(0.1, flows[:4]))


@pytest.mark.parametrize(
    "call",
    [
        lambda: npv(0.1, []),
        lambda: npv(-1.5, [1, 2]),
        lambda: payback([-1, "x"]),  # type: ignore[list-item]
        lambda: irr([float("nan"), 1]),
    ],
)
def test_bad_input_is_one_line(call):
    with pytest.raises(ValidationError):
        call()
