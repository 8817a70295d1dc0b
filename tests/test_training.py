"""The exercise mechanism: checks with specific feedback, learner copies."""

from __future__ import annotations

import json

import pytest

from pmo_kit import ExerciseError
from pmo_kit.training import learner_source, load_checks, make_learner_copy

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
