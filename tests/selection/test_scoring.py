import pandas as pd
import pytest

from pmo_kit._errors import ValidationError
from pmo_kit.selection import normalise_weights, weighted_scores


def table() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "project_id": ["P1", "P2", "P3"],
            "strategy": [4, 2, 5],
            "benefit": [3, 5, 1],
            "risk": [2, 4, 4],
        }
    )


def test_scores_by_hand():
    # weights 0.5 / 0.3 / 0.2:
    # P1 = 2.0 + 0.9 + 0.4 = 3.3; P2 = 1.0 + 1.5 + 0.8 = 3.3; P3 = 2.5 + 0.3 + 0.8 = 3.6
    out = weighted_scores(table(), {"strategy": 0.5, "benefit": 0.3, "risk": 0.2})
    assert list(out["project_id"]) == ["P3", "P1", "P2"]
    assert out["score"].tolist() == pytest.approx([3.6, 3.3, 3.3])
    assert out["rank"].tolist() == [1, 2, 2]
    assert out.loc[0, "strategy_points"] == pytest.approx(2.5)


def test_weights_not_summing_to_one_are_normalised():
    a = weighted_scores(table(), {"strategy": 5, "benefit": 3, "risk": 2})
    b = weighted_scores(table(), {"strategy": 0.5, "benefit": 0.3, "risk": 0.2})
    assert a["score"].tolist() == pytest.approx(b["score"].tolist())
    assert normalise_weights({"a": 1, "b": 3}) == {"a": 0.25, "b": 0.75}


@pytest.mark.parametrize(
    ("weights", "words"),
    [
        ({"strategy": -1, "risk": 2}, "'strategy'"),
        ({"strategy": "lots"}, "'lots'"),
        ({"strategy": float("nan")}, "'strategy'"),
        ({"strategy": 0, "risk": 0}, "all 0"),
        ({}, "empty"),
        ({"cost": 1}, "criterion 'cost'"),
    ],
)
def test_bad_weights_give_one_line_naming_the_criterion(weights, words):
    with pytest.raises(ValidationError) as info:
        weighted_scores(table(), weights)
    assert words in str(info.value)
    assert "\n" not in str(info.value)


def test_missing_value_names_the_candidate():
    bad = table()
    bad.loc[1, "risk"] = None
    with pytest.raises(ValidationError, match=r"'risk' on candidate 'P2'"):
        weighted_scores(bad, {"risk": 1})
