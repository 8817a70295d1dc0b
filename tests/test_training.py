"""The exercise mechanism: checks with specific feedback, learner copies."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

from pmo_kit import ExerciseError
from pmo_kit.training import (
    CheckFailed,
    Tolerance,
    as_date,
    as_number,
    learner_source,
    load_checks,
    make_learner_copy,
)

CHECKS = """
from pmo_kit.training import check, fail


@check(hint="CPI is EV / AC.")
def q1_cpi(cpi):
    if abs(cpi - 45 / 40) < 1e-3:
        fail("You divided AC by EV; CPI is EV / AC.")
    assert abs(cpi - 40 / 45) < 1e-3


@check(hint="Count the projects.", points=2)
def q2_count(count):
    assert count == 3
"""


@pytest.fixture
def checker(tmp_path):
    (tmp_path / "checks.py").write_text(CHECKS, encoding="utf-8")
    return load_checks(tmp_path)


def test_correct_incorrect_and_not_done(checker):
    assert checker("q1_cpi", {"cpi": 40 / 45}).passed
    wrong = checker("q1_cpi", {"cpi": 45 / 40})
    assert wrong.outcome == "incorrect"
    assert wrong.message == "You divided AC by EV; CPI is EV / AC."
    other = checker("q1_cpi", {"cpi": 2.0})
    assert other.message.startswith("CPI is EV / AC.")
    assert checker("q1_cpi", {}).outcome == "not done"
    assert checker("q1_cpi", {"cpi": ...}).outcome == "not done"
    broken = checker("q2_count", {"count": "three"})
    assert broken.outcome == "incorrect"


def test_result_display_is_escaped(checker):
    result = checker("q1_cpi", {"cpi": 45 / 40})
    assert "❌" in repr(result)
    assert "<strong>❌ q1_cpi</strong>" in result._repr_html_()


def test_checker_reads_caller_variables(checker):
    cpi = 40 / 45  # noqa: F841 - read by name from this frame
    assert checker("q1_cpi").passed


def test_score_sums_points(checker):
    assert checker.score({"cpi": 40 / 45, "count": 3}) == (3.0, 3.0)
    assert checker.score({"cpi": 40 / 45}) == (1.0, 3.0)


def test_unknown_check_lists_known(checker):
    with pytest.raises(ExerciseError, match="Known checks: q1_cpi, q2_count"):
        checker("q3")


def test_missing_checks_file(tmp_path):
    with pytest.raises(ExerciseError, match=r"no checks\.py found"):
        load_checks(tmp_path)


def test_learner_source_keeps_indentation_and_names():
    code = (
        "if True:\n    ### BEGIN SOLUTION\n    a, b = 1, 2\n    c: int = 3\n"
        "    ### END SOLUTION\n"
    )
    assert (
        learner_source(code)
        == "if True:\n    # YOUR CODE HERE\n    a = ...\n    b = ...\n    c = ..."
    )


@pytest.mark.parametrize(
    ("code", "message"),
    [
        ("### BEGIN SOLUTION\nx = 1\n", "never closed"),
        ("x = 1\n### END SOLUTION\n", "without a ### BEGIN SOLUTION"),
        ("### BEGIN SOLUTION\n### BEGIN SOLUTION\n", "inside another"),
        ("### BEGIN SOLUTION\nx = = 1\n### END SOLUTION\n", "not valid Python"),
    ],
)
def test_learner_source_errors(code, message):
    with pytest.raises(ExerciseError, match=message):
        learner_source(code)


def test_make_learner_copy(tmp_path):
    nb = {
        "cells": [
            {"cell_type": "markdown", "metadata": {}, "source": ["# Q1"]},
            {
                "cell_type": "markdown",
                "metadata": {"tags": ["solution"]},
                "source": ["CPI"],
            },
            {
                "cell_type": "code",
                "metadata": {},
                "execution_count": 3,
                "outputs": [{"output_type": "stream", "name": "stdout", "text": "0.9"}],
                "source": [
                    "### BEGIN SOLUTION\n",
                    "cpi = 90 / 100\n",
                    "### END SOLUTION\n",
                ],
            },
        ],
        "metadata": {
            "kernelspec": {
                "name": "python3",
                "display_name": "Python 3",
                "language": "python",
            }
        },
        "nbformat": 4,
        "nbformat_minor": 5,
    }
    solution = tmp_path / "solution.ipynb"
    solution.write_text(json.dumps(nb), encoding="utf-8")
    copy = json.loads(make_learner_copy(solution).read_text(encoding="utf-8"))
    assert len(copy["cells"]) == 2
    assert "".join(copy["cells"][1]["source"]) == "# YOUR CODE HERE\ncpi = ..."
    assert copy["cells"][1]["outputs"] == []
    assert copy["metadata"]["kernelspec"]["name"] == "python3"


def test_make_learner_copy_needs_markers(tmp_path):
    solution = tmp_path / "solution.ipynb"
    solution.write_text(
        json.dumps({"cells": [], "metadata": {}, "nbformat": 4, "nbformat_minor": 5}),
        encoding="utf-8",
    )
    with pytest.raises(ExerciseError, match="nothing would be hidden"):
        make_learner_copy(solution)


# ------------------------------------------------ shared answer helpers for checks


@pytest.mark.parametrize(
    ("tolerance", "value", "truth", "accepted"),
    [
        # an index rounded to two decimals: 0.91 for 0.9143 is within 0.0051
        (Tolerance(absolute=0.0051), 0.91, 0.9143, True),
        (Tolerance(absolute=0.0051), 0.90, 0.9143, False),
        # 0.02 % of 1,000,000 is 200: 1,000,150 is in, 1,000,300 is out
        (Tolerance(relative=0.0002), 1_000_150.0, 1_000_000.0, True),
        (Tolerance(relative=0.0002), 1_000_300.0, 1_000_000.0, False),
        # either bound is enough
        (Tolerance(absolute=1.0, relative=0.0002), 10.9, 10.0, True),
        # NaN or infinity is never right
        (Tolerance(absolute=1.0), float("nan"), 0.0, False),
        (Tolerance(absolute=1.0), 0.0, float("inf"), False),
    ],
)
def test_tolerance(tolerance, value, truth, accepted):
    assert tolerance.accepts(value, truth) is accepted


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("0.9", "`cpi` is the text '0.9'; give a number, without quotes."),
        (..., "`cpi` is still `...`; replace it with your answer."),
        (float("nan"), "`cpi` is NaN (not a number): look at the figures you used."),
        (
            pd.DataFrame({"cpi": [0.9, 1.1]}),
            "`cpi` is a whole table (2 rows); the answer is one number: EV / AC.",
        ),
        (
            pd.Series([True, False]),
            "`cpi` is a True/False column (one value per row), not a number: count "
            "the True values with `.sum()`.",
        ),
        (
            [0.9, 1.1],
            "`cpi` holds several values (a list); the answer is one number: EV / AC.",
        ),
        (None, "`cpi` is a NoneType; give a number."),
    ],
)
def test_as_number_says_why_an_answer_is_not_one_number(value, message):
    with pytest.raises(CheckFailed) as info:
        as_number(value, "cpi", what="EV / AC")
    assert str(info.value) == message


def test_as_number_accepts_numpy_numbers():
    assert as_number(np.float64(0.5), "x") == 0.5
    assert as_number(np.int64(3), "x") == 3.0


@pytest.mark.parametrize(
    ("value", "day"),
    [
        ("2026-07-31", "2026-07-31"),
        (pd.Timestamp("2026-07-31 15:30"), "2026-07-31"),
        (np.datetime64("2026-07-31"), "2026-07-31"),
    ],
)
def test_as_date(value, day):
    assert as_date(value, "p85_date") == pd.Timestamp(day)


@pytest.mark.parametrize(
    ("value", "message"),
    [
        (12, "`p85_date` = 12 is a number, not a date: count from the start."),
        (
            "soon",
            "`p85_date` = 'soon' is not a date. Give a date such as '2026-06-30'.",
        ),
        (pd.NaT, "`p85_date` is empty (NaT); give a date such as '2026-06-30'."),
        (
            [1],
            "`p85_date` is a list; give a date (a pandas Timestamp or a text such as "
            "'2026-06-30').",
        ),
    ],
)
def test_as_date_says_why_an_answer_is_not_a_date(value, message):
    with pytest.raises(CheckFailed) as info:
        as_date(value, "p85_date", number_hint="count from the start.")
    assert str(info.value) == message
