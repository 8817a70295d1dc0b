import math

import numpy as np
import pandas as pd
import pytest

from pmo_kit._errors import ValidationError
from pmo_kit.selection import RANDOM_INDEX, ahp_weights


def test_consistent_matrix_has_exact_weights_and_zero_ratio():
    # a_ij = w_i / w_j for w = (0.5, 0.3, 0.2): perfectly consistent
    w = [0.5, 0.3, 0.2]
    matrix = [[wi / wj for wj in w] for wi in w]
    result = ahp_weights(matrix, criteria=["a", "b", "c"])
    assert list(result.weights.values()) == pytest.approx(w)
    assert result.lambda_max == pytest.approx(3.0)
    assert result.consistency_ratio == pytest.approx(0.0, abs=1e-9)


def test_three_by_three_against_closed_form():
    # For n = 3, lambda_max = 1 + t + 1/t with t = (a12 * a23 / a13) ** (1/3),
    # and the geometric means of the rows are the exact eigenvector.
    # a12 = 2, a23 = 2, a13 = 8: t = 0.5 ** (1/3) = 0.793701,
    # lambda_max = 1 + 0.793701 + 1.259921 = 3.053622, CI = 0.026811,
    # CR = 0.026811 / 0.58 = 0.046226.
    frame = pd.DataFrame(
        [[1, 2, 8], [1 / 2, 1, 2], [1 / 8, 1 / 2, 1]],
        columns=["value", "risk", "fit"],
    )
    result = ahp_weights(frame)
    assert result.lambda_max == pytest.approx(3.053622, abs=1e-6)
    assert result.consistency_index == pytest.approx(0.026811, abs=1e-6)
    assert result.consistency_ratio == pytest.approx(0.046226, abs=1e-6)
    assert result.random_index == 0.58
    geo = [16 ** (1 / 3), 1.0, (1 / 16) ** (1 / 3)]  # (1*2*8), (0.5*1*2), ...
    expected = [g / sum(geo) for g in geo]
    assert list(result.weights.values()) == pytest.approx(expected, abs=1e-9)
    assert result.consistent
    assert result.summary()["consistent"] is True


def test_saaty_random_index_table():
    assert RANDOM_INDEX[4] == 0.90
    assert RANDOM_INDEX[9] == 1.45


def test_pairs_mapping_equals_matrix():
    pairs = {("value", "risk"): 3, ("value", "fit"): 5, ("fit", "risk"): 1 / 2}
    matrix = [[1, 3, 5], [1 / 3, 1, 2], [1 / 5, 1 / 2, 1]]
    a = ahp_weights(pairs)
    b = ahp_weights(matrix, criteria=["value", "risk", "fit"])
    assert list(a.weights) == ["value", "risk", "fit"]
    assert list(a.weights.values()) == pytest.approx(list(b.weights.values()))


def test_inconsistent_judgements_are_refused_naming_the_worst_pair():
    # A > B (5), B > C (5), but C > A (3): circular. The pair judged against
    # the other two is flagged.
    pairs = {("A", "B"): 5, ("B", "C"): 5, ("C", "A"): 3}
    with pytest.raises(ValidationError) as info:
        ahp_weights(pairs)
    message = str(info.value)
    assert "consistency ratio" in message
    assert ">= 0.1" in message
    assert "\n" not in message
    result = ahp_weights(pairs, check=False)
    assert result.consistency_ratio >= 0.1
    worst = result.conflicts[0]
    assert f"{worst.more!r} vs {worst.less!r}" in message
    # the worst judgement really has the largest |log(a_ij / (w_i / w_j))|
    w = result.weights
    devs = {
        (j.more, j.less): abs(math.log(j.judged / (w[j.more] / w[j.less])))
        for j in result.conflicts
    }
    assert max(devs.values()) == pytest.approx(devs[(worst.more, worst.less)])


def test_one_wrong_judgement_in_four_is_found():
    # consistent weights 8:4:2:1 except a_14 = 1/8 instead of 8
    w = np.array([8.0, 4.0, 2.0, 1.0])
    matrix = np.outer(w, 1 / w)
    matrix[0, 3], matrix[3, 0] = 1 / 8, 8
    names = ["a", "b", "c", "d"]
    result = ahp_weights(matrix, criteria=names, check=False)
    assert {result.conflicts[0].more, result.conflicts[0].less} == {"a", "d"}


@pytest.mark.parametrize(
    ("judgements", "words"),
    [
        ({("A", "B"): 0}, "invalid judgement"),
        ({("A", "B"): 2, ("B", "C"): 2}, "no judgement for ('A', 'C')"),
        ([[1, 2], [2, 1]], "not reciprocal"),
        ([[1, 2, 3]], "square"),
    ],
)
def test_bad_judgements(judgements, words):
    with pytest.raises(ValidationError) as info:
        ahp_weights(judgements)
    assert words in str(info.value)
