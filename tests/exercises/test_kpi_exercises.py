"""
Exercises 05 (EVM figures) and 06 (forecast a release): right answers pass, typical
mistakes get their specific message, learner copies run.

The right answers are computed here by hand from the bundled data, independently
of the exercises' ``checks.py`` (which use the kit's engines), so a wrong check
cannot hide behind itself.
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any, Literal

import numpy as np
import pandas as pd
import pytest

import pmo_kit
from pmo_kit.training import Checker, CheckResult, load_checks
from tests.exercises._notebooks import (
    assert_learner_copy_not_done,
    assert_solution_passes,
    code_cells,
    learner_code,
)

REPO = Path(__file__).resolve().parents[2]
QuantileMethod = Literal["lower", "higher", "nearest", "midpoint", "weibull", "hazen"]
EVM = REPO / "exercises" / "05_kpi_evm"


def _given(exercise: Path, cells: list[str]) -> dict[str, Any]:
    """Run the notebook's set-up cells (without the checks) and return its names."""
    code = code_cells(exercise / "solution.ipynb")
    namespace: dict[str, Any] = {}
    exec(code["setup"].replace("check = load_checks()", ""), namespace)
    for cell in cells:
        exec(code[cell], namespace)
    return namespace


# ====================================================================== exercise 05

EVM_CHECKS = [
    "q1_variances",
    "q2_indices",
    "q3_eac",
    "q4_vac",
    "q5_tcpi",
    "q6_eac_one_off",
    "q7_cpi_means",
    "q8_tcpi_means",
    "q9_spi_at_the_end",
]


@pytest.fixture(scope="module")
def evm_checker() -> Checker:
    return load_checks(EVM)


@pytest.fixture(scope="module")
def evm_given() -> dict[str, Any]:
    namespace = _given(EVM, ["status"])
    return {k: namespace[k] for k in ["bac", "pv", "ev", "ac"]}


def _p004_status(portfolio: pmo_kit.Portfolio) -> dict[str, float]:
    """P-004's latest status, straight from the data, and its metrics by hand."""
    rows = portfolio.status[portfolio.status["project_id"] == "P-004"]
    latest = rows.sort_values("status_date").iloc[-1]
    bac = float(portfolio.project("P-004")["budget"])
    pv, ev, ac = float(latest["pv"]), float(latest["ev"]), float(latest["ac"])
    cpi, spi = ev / ac, ev / pv
    return {
        "bac": bac,
        "pv": pv,
        "ev": ev,
        "ac": ac,
        "sv": ev - pv,
        "cv": ev - ac,
        "spi": spi,
        "cpi": cpi,
        "eac": bac / cpi,
        "vac": bac - bac / cpi,
        "tcpi": (bac - ev) / (bac - ac),
        "eac_one_off": ac + bac - ev,
    }


STATUS = _p004_status(pmo_kit.load_portfolio())


@pytest.fixture(scope="module")
def status() -> dict[str, float]:
    return STATUS


def _evm_answers(status: dict[str, float], **overrides: object) -> dict[str, object]:
    answers: dict[str, object] = {
        k: status[k]
        for k in ["sv", "cv", "spi", "cpi", "eac", "vac", "tcpi", "eac_one_off"]
    }
    answers |= {"q7_answer": "B", "q8_answer": "B", "q9_answer": "C"}
    answers.update(overrides)
    return answers


def _evm_run(
    checker: Checker,
    given: dict[str, Any],
    status: dict[str, float],
    name: str,
    **kw: object,
) -> CheckResult:
    return checker(name, {**given, **_evm_answers(status, **kw)})


def test_evm_notebook_holds_the_status_of_p004(evm_given, status):
    for key in ["bac", "pv", "ev", "ac"]:
        assert evm_given[key] == pytest.approx(status[key]), key
    # the figures the multiple-choice wording quotes
    assert round(status["cpi"], 2) == 0.93
    assert round(status["tcpi"], 2) == 1.18


def test_evm_exercise_has_its_checks(evm_checker):
    assert list(evm_checker.checks) == EVM_CHECKS


def test_evm_correct_answers_pass(evm_checker, evm_given, status):
    results = evm_checker.all({**evm_given, **_evm_answers(status)})
    assert [r.outcome for r in results] == ["correct"] * len(EVM_CHECKS), results


@pytest.mark.parametrize(
    ("name", "overrides"),
    [
        ("q2_indices", {"spi": 0.98, "cpi": 0.93}),
        ("q3_eac", {"eac": 420_815}),
        ("q5_tcpi", {"tcpi": 1.18}),
        ("q7_cpi_means", {"q7_answer": " b) "}),
    ],
    ids=["rounded-indices", "whole-euros", "rounded-tcpi", "letter-lower-case"],
)
def test_evm_equivalent_forms_pass(evm_checker, evm_given, status, name, overrides):
    result = _evm_run(evm_checker, evm_given, status, name, **overrides)
    assert result.passed, result


def _evm_mistakes(s: dict[str, float]) -> dict[str, tuple[str, dict[str, object], str]]:
    bac, pv, ev, ac = s["bac"], s["pv"], s["ev"], s["ac"]
    return {
        # q1 variances
        "sv-sign": ("q1_variances", {"sv": pv - ev}, "SV: 5,029 has the wrong sign"),
        "sv-is-cv": ("q1_variances", {"sv": ev - ac}, "SV: that is EV - AC, the COST"),
        "sv-cv-swapped": (
            "q1_variances",
            {"sv": s["cv"], "cv": s["sv"]},
            "SV and CV are swapped",
        ),
        "cv-sign": ("q1_variances", {"cv": ac - ev}, "CV: 20,058 has the wrong sign"),
        "cv-budget-left": (
            "q1_variances",
            {"cv": bac - ac},
            "CV: BAC - AC is the budget not spent yet",
        ),
        "cv-plan-minus-cost": ("q1_variances", {"cv": pv - ac}, "CV: PV - AC"),
        "sv-text": ("q1_variances", {"sv": "-5029"}, "`sv` is the text '-5029'"),
        # q2 indices
        "spi-upside-down": (
            "q2_indices",
            {"spi": pv / ev},
            "SPI is upside down: you divided PV by EV.",
        ),
        "spi-is-cpi": ("q2_indices", {"spi": ev / ac}, "SPI: that is EV / AC"),
        "spi-percent-complete": (
            "q2_indices",
            {"spi": ev / bac},
            "EV / BAC is the share of ALL the work",
        ),
        "indices-swapped": (
            "q2_indices",
            {"spi": s["cpi"], "cpi": s["spi"]},
            "SPI and CPI are swapped",
        ),
        "cpi-upside-down": (
            "q2_indices",
            {"cpi": ac / ev},
            "CPI is upside down: you divided AC by EV.",
        ),
        "cpi-budget-spent": (
            "q2_indices",
            {"cpi": ac / bac},
            "AC / BAC is the share of the budget spent",
        ),
        "cpi-percentage": (
            "q2_indices",
            {"cpi": 100 * s["cpi"]},
            "`cpi` = 92.8912 looks like a percentage",
        ),
        # q3 EAC
        "eac-multiplied": ("q3_eac", {"eac": bac * s["cpi"]}, "You MULTIPLIED"),
        "eac-atypical": (
            "q3_eac",
            {"eac": s["eac_one_off"]},
            "AC + (BAC - EV) is the ATYPICAL forecast",
        ),
        "eac-spi": ("q3_eac", {"eac": bac / s["spi"]}, "divided the budget by the SPI"),
        "eac-composite": (
            "q3_eac",
            {"eac": ac + (bac - ev) / (s["cpi"] * s["spi"])},
            "must also catch up on its schedule",
        ),
        "eac-brackets": (
            "q3_eac",
            {"eac": ac + bac - ev / s["cpi"]},
            "brackets are missing: EV / CPI is just AC again",
        ),
        "eac-rounded-cpi": (
            "q3_eac",
            {"eac": bac / 0.93},
            "Close: you divided by the rounded CPI (0.93)",
        ),
        "eac-plus-cv": ("q3_eac", {"eac": bac + ev - ac}, "BAC + CV has the sign"),
        # q4 VAC
        "vac-sign": ("q4_vac", {"vac": s["eac"] - bac}, "has the wrong sign"),
        "vac-money-left": (
            "q4_vac",
            {"vac": bac - ac},
            "BAC - AC is the money left in the budget today",
        ),
        "vac-is-cv": (
            "q4_vac",
            {"vac": ev - ac},
            "That equals the cost variance to date",
        ),
        "vac-from-wrong-eac": (
            "q4_vac",
            {"eac": bac * s["cpi"], "vac": bac - bac * s["cpi"]},
            "Your VAC follows from your EAC, and the EAC is not right yet",
        ),
        "vac-atypical": (
            "q4_vac",
            {"vac": bac - s["eac_one_off"]},
            "what the atypical EAC, AC + (BAC - EV), would give",
        ),
        # q5 TCPI
        "tcpi-upside-down": (
            "q5_tcpi",
            {"tcpi": (bac - ac) / (bac - ev)},
            "Upside down: you divided the money left by the work left.",
        ),
        "tcpi-to-eac": (
            "q5_tcpi",
            {"tcpi": (bac - ev) / (s["eac"] - ac)},
            "which equals the CPI by construction",
        ),
        "tcpi-percentage": ("q5_tcpi", {"tcpi": 118.44}, "looks like a percentage"),
        "tcpi-brackets": (
            "q5_tcpi",
            {"tcpi": bac - ev / bac - ac},
            "Check your brackets",
        ),
        "tcpi-plan-left": (
            "q5_tcpi",
            {"tcpi": (bac - pv) / (bac - ac)},
            "(BAC - PV) is the work the PLAN has left",
        ),
        # q6 one-off EAC
        "one-off-typical": (
            "q6_eac_one_off",
            {"eac_one_off": s["eac"]},
            "BAC / CPI assumes the overrun goes on",
        ),
        "one-off-budget": (
            "q6_eac_one_off",
            {"eac_one_off": bac},
            "would forget the money already lost",
        ),
        "one-off-subtracted": (
            "q6_eac_one_off",
            {"eac_one_off": ac - (bac - ev)},
            "You subtracted the remaining work",
        ),
        "one-off-plan-left": (
            "q6_eac_one_off",
            {"eac_one_off": ac + bac - pv},
            "not BAC - PV",
        ),
        # q7-q9 multiple choice
        "q7-spent": ("q7_cpi_means", {"q7_answer": "A"}, "A: the share of the budget"),
        "q7-schedule": ("q7_cpi_means", {"q7_answer": "C"}, "C: schedule is the SPI"),
        "q7-spi": ("q7_cpi_means", {"q7_answer": "D"}, "D: the share of the planned"),
        "q7-not-a-letter": (
            "q7_cpi_means",
            {"q7_answer": "E"},
            "answer with the letter",
        ),
        "q7-number": ("q7_cpi_means", {"q7_answer": 2}, "answer with the letter"),
        "q8-good-news": ("q8_tcpi_means", {"q8_answer": "A"}, "is a DEMAND"),
        "q8-overrun": ("q8_tcpi_means", {"q8_answer": "C"}, "overrun is the VAC"),
        "q8-wait": ("q8_tcpi_means", {"q8_answer": "D"}, "waiting is the worst"),
        "q9-on-time": ("q9_spi_at_the_end", {"q9_answer": "A"}, "SPI compares money"),
        "q9-caught-up": ("q9_spi_at_the_end", {"q9_answer": "B"}, "stopped growing"),
        "q9-rebaselined": ("q9_spi_at_the_end", {"q9_answer": "D"}, "every finished"),
    }


EVM_MISTAKES = _evm_mistakes(STATUS)


@pytest.mark.parametrize("case", list(EVM_MISTAKES))
def test_evm_typical_mistake_gets_its_message(evm_checker, evm_given, status, case):
    name, wrong, phrase = EVM_MISTAKES[case]
    result = _evm_run(evm_checker, evm_given, status, name, **wrong)
    assert result.outcome == "incorrect", result
    assert phrase in result.message, result


@pytest.mark.parametrize(
    ("name", "wrong"),
    [
        ("q3_eac", {"eac": 500_000}),
        ("q4_vac", {"vac": -1_000}),
        ("q5_tcpi", {"tcpi": 3.0}),
        ("q6_eac_one_off", {"eac_one_off": 500_000}),
    ],
)
def test_evm_other_wrong_values_get_the_hint(
    evm_checker, evm_given, status, name, wrong
):
    result = _evm_run(evm_checker, evm_given, status, name, **wrong)
    assert result.outcome == "incorrect"
    assert result.message.startswith(evm_checker.checks[name].hint), result
    assert "you have" in result.message


def test_evm_changed_status_is_reported(evm_checker, evm_given, status):
    result = evm_checker(
        "q2_indices", {**evm_given, **_evm_answers(status), "ev": "lots"}
    )
    assert result.outcome == "incorrect"
    assert "run the cell that defines them again" in result.message


@pytest.mark.parametrize("name", EVM_CHECKS)
def test_evm_placeholder_is_not_done(evm_checker, evm_given, status, name):
    variable = evm_checker.checks[name].variables[-1]
    result = evm_checker(name, {**evm_given, **_evm_answers(status, **{variable: ...})})
    assert result.outcome == "not done"
    assert f"`{variable}`" in result.message


def test_evm_learner_copy_has_placeholders_and_no_solution(tmp_path):
    learner = learner_code(EVM / "solution.ipynb", tmp_path)
    for variable in [
        "sv",
        "cv",
        "spi",
        "cpi",
        "eac",
        "vac",
        "tcpi",
        "eac_one_off",
        "q7_answer",
        "q8_answer",
        "q9_answer",
    ]:
        assert f"\n{variable} = ...\n" in f"\n{learner}\n", variable
    assert "bac = float(project" in learner  # the status stays


@pytest.mark.notebook
def test_evm_learner_copy_runs_and_every_check_is_not_done(tmp_path):
    assert_learner_copy_not_done(EVM / "solution.ipynb", tmp_path, len(EVM_CHECKS))


@pytest.mark.notebook
def test_evm_solution_answers_every_check(tmp_path):
    assert_solution_passes(EVM / "solution.ipynb", tmp_path, len(EVM_CHECKS))


# ====================================================================== exercise 06

AGILE = REPO / "exercises" / "06_agile"
AGILE_CHECKS = [
    "q1_average_velocity",
    "q2_sprints_needed",
    "q3_average_days",
    "q4_p85_date",
    "q5_chance",
    "q6_which_date",
    "q7_cycle_p85",
    "q8_cycle_time_means",
]
#: P-001's sprints S01-S05 (finished) and S06 (running at the status date).
P001_COMPLETED = [22, 21, 24, 27, 22]


@pytest.fixture(scope="module")
def agile_checker() -> Checker:
    return load_checks(AGILE)


@pytest.fixture(scope="module")
def agile_given() -> dict[str, Any]:
    namespace = _given(
        AGILE, ["team", "throughput", "monte-carlo", "sponsor-date", "cycle-times"]
    )
    keep = [
        "sprints",
        "remaining_items",
        "remaining_points",
        "daily",
        "forecast",
        "sponsor_date",
        "times",
    ]
    return {k: namespace[k] for k in keep}


@pytest.fixture(scope="module")
def truth(agile_given: dict[str, Any]) -> dict[str, Any]:
    """The right answers, by hand from what the notebook holds."""
    forecast = agile_given["forecast"]
    ordered = np.sort(forecast.outcomes)
    p85_days = int(ordered[math.ceil(0.85 * ordered.size) - 1])
    days = agile_given["times"]["cycle_time_days"]
    velocity = sum(P001_COMPLETED) / len(P001_COMPLETED)
    return {
        "average_velocity": velocity,
        "sprints_needed": math.ceil(agile_given["remaining_points"] / velocity),
        "average_days": agile_given["remaining_items"]
        / (agile_given["daily"].sum() / len(agile_given["daily"])),
        "p85_date": forecast.start + pd.Timedelta(days=p85_days - 1),
        "chance": float(
            np.mean(
                forecast.start + pd.to_timedelta(forecast.outcomes - 1, unit="D")
                <= agile_given["sponsor_date"]
            )
        ),
        "q6_answer": "C",
        "cycle_p85": float(days.quantile(0.85)),
        "q8_answer": "B",
    }


def _agile_run(
    checker: Checker,
    given: dict[str, Any],
    truth: dict[str, Any],
    name: str,
    **kw: object,
) -> CheckResult:
    return checker(name, {**given, **truth, **kw})


def test_agile_notebook_holds_p001(agile_given):
    sprints = agile_given["sprints"]
    assert list(sprints["sprint_id"]) == ["S01", "S02", "S03", "S04", "S05", "S06"]
    assert list(sprints.loc[sprints["finished"], "completed"]) == P001_COMPLETED
    assert agile_given["remaining_items"] == 14
    assert agile_given["remaining_points"] == 39
    assert agile_given["forecast"].start == pd.Timestamp("2026-06-27")


def test_agile_figures_the_wording_quotes(truth):
    assert truth["sprints_needed"] == 2
    assert round(truth["cycle_p85"]) == 10  # "about 10 days"
    assert truth["chance"] < 0.5  # "the slim chance of her campaign date"


def test_agile_exercise_has_its_checks(agile_checker):
    assert list(agile_checker.checks) == AGILE_CHECKS


def test_agile_correct_answers_pass(agile_checker, agile_given, truth):
    results = agile_checker.all({**agile_given, **truth})
    assert [r.outcome for r in results] == ["correct"] * len(AGILE_CHECKS), results


@pytest.mark.parametrize(
    ("name", "overrides"),
    [
        ("q3_average_days", {"average_days": 26.5}),
        ("q4_p85_date", {"p85_date": "2026-08-02"}),
        ("q5_chance", {"chance": 0.27}),
        ("q7_cycle_p85", {"cycle_p85": 9.95}),
    ],
    ids=["days-rounded", "date-as-text", "chance-2-decimals", "p85-rounded"],
)
def test_agile_equivalent_forms_pass(
    agile_checker, agile_given, truth, name, overrides
):
    result = _agile_run(agile_checker, agile_given, truth, name, **overrides)
    assert result.passed, result


def test_agile_other_percentile_methods_pass(agile_checker, agile_given, truth):
    days = agile_given["times"]["cycle_time_days"].to_numpy()
    methods: list[QuantileMethod] = [
        "lower",
        "higher",
        "nearest",
        "midpoint",
        "weibull",
        "hazen",
    ]
    for method in methods:
        value = float(np.quantile(days, 0.85, method=method))
        result = _agile_run(
            agile_checker, agile_given, truth, "q7_cycle_p85", cycle_p85=value
        )
        assert result.passed, (method, result)


def _agile_mistakes(
    given: dict[str, Any],
) -> dict[str, tuple[str, dict[str, Any], str]]:
    sprints, daily = given["sprints"], given["daily"]
    forecast, times = given["forecast"], given["times"]
    items, points = given["remaining_items"], given["remaining_points"]
    finished = sprints[sprints["finished"]]
    velocity = finished["completed"].mean()
    start = forecast.start
    ordered = np.sort(forecast.outcomes)
    days = times["cycle_time_days"]
    return {
        # q1 average velocity
        "velocity-running-sprint": (
            "q1_average_velocity",
            {"average_velocity": sprints["completed"].mean()},
            "You included sprint S06, which is still running",
        ),
        "velocity-committed": (
            "q1_average_velocity",
            {"average_velocity": finished["committed"].mean()},
            "That averages the COMMITTED points",
        ),
        "velocity-median": (
            "q1_average_velocity",
            {"average_velocity": finished["completed"].median()},
            "That is the median",
        ),
        "velocity-sum": (
            "q1_average_velocity",
            {"average_velocity": finished["completed"].sum()},
            "That is the total",
        ),
        "velocity-last-three": (
            "q1_average_velocity",
            {"average_velocity": finished["completed"].tail(3).mean()},
            "the last three sprints only",
        ),
        "velocity-series": (
            "q1_average_velocity",
            {"average_velocity": finished["completed"]},
            "holds several values",
        ),
        # q2 sprints needed
        "sprints-not-rounded": (
            "q2_sprints_needed",
            {"sprints_needed": points / velocity},
            "is the exact ratio. Sprints come whole",
        ),
        "sprints-rounded-down": (
            "q2_sprints_needed",
            {"sprints_needed": math.floor(points / velocity)},
            "You rounded down to 1",
        ),
        "sprints-upside-down": (
            "q2_sprints_needed",
            {"sprints_needed": velocity / points},
            "Upside down",
        ),
        # q3 average days
        "days-busy-days-only": (
            "q3_average_days",
            {"average_days": items / daily[daily > 0].mean()},
            "You averaged only the days on which something was finished",
        ),
        "days-weekdays-only": (
            "q3_average_days",
            {"average_days": items / daily[daily.index.day_of_week < 5].mean()},
            "You left out the weekends",
        ),
        "days-upside-down": (
            "q3_average_days",
            {"average_days": daily.mean() / items},
            "Upside down",
        ),
        # q4 P85 date
        "p85-is-p50": ("q4_p85_date", {"p85_date": forecast.date(0.5)}, "P50 date"),
        "p85-is-p15": ("q4_p85_date", {"p85_date": forecast.date(0.15)}, "P15 date"),
        "p85-is-p95": ("q4_p85_date", {"p85_date": forecast.date(0.95)}, "P95 date"),
        "p85-is-max": (
            "q4_p85_date",
            {"p85_date": start + pd.Timedelta(days=int(ordered[-1]) - 1)},
            "the latest simulated future",
        ),
        "p85-off-by-one": (
            "q4_p85_date",
            {"p85_date": forecast.date(0.85) + pd.Timedelta(days=1)},
            "One day off",
        ),
        "p85-days-not-date": (
            "q4_p85_date",
            {"p85_date": forecast.days_needed(0.85)},
            "is a number, not a date: turn days into a date",
        ),
        "p85-not-a-date": ("q4_p85_date", {"p85_date": "next month"}, "is not a date"),
        # q5 chance
        "chance-complement": (
            "q5_chance",
            {"chance": 1 - forecast.chance_by(given["sponsor_date"])},
            "is the chance of finishing AFTER 17 Jul",
        ),
        "chance-percentage": (
            "q5_chance",
            {"chance": 100 * forecast.chance_by(given["sponsor_date"])},
            "looks like a percentage",
        ),
        "chance-strictly-before": (
            "q5_chance",
            {"chance": float(np.mean(forecast.dates() < given["sponsor_date"]))},
            "You counted the futures done BEFORE 17 Jul",
        ),
        # q6 multiple choice
        "q6-average": ("q6_which_date", {"q6_answer": "A"}, "A: the average velocity"),
        "q6-p50": ("q6_which_date", {"q6_answer": "b"}, "B: the P50 is a coin flip"),
        "q6-max": ("q6_which_date", {"q6_answer": "D"}, "D: the latest simulated"),
        "q6-not-a-letter": ("q6_which_date", {"q6_answer": "P85"}, "answer with"),
        # q7 cycle time P85
        "cycle-mean": ("q7_cycle_p85", {"cycle_p85": days.mean()}, "That is the mean"),
        "cycle-median": (
            "q7_cycle_p85",
            {"cycle_p85": days.median()},
            "That is the median, the P50",
        ),
        "cycle-p15": (
            "q7_cycle_p85",
            {"cycle_p85": days.quantile(0.15)},
            "That is the 15th percentile",
        ),
        "cycle-p95": ("q7_cycle_p85", {"cycle_p85": days.quantile(0.95)}, "the P95"),
        "cycle-lead-time": (
            "q7_cycle_p85",
            {"cycle_p85": times["lead_time_days"].quantile(0.85)},
            "That is the P85 of the LEAD time",
        ),
        "cycle-max": ("q7_cycle_p85", {"cycle_p85": days.max()}, "the slowest item"),
        # q8 multiple choice
        "q8-average": ("q8_cycle_time_means", {"q8_answer": "A"}, "A: the average"),
        "q8-lead-time": ("q8_cycle_time_means", {"q8_answer": "C"}, "LEAD time"),
        "q8-reliability": (
            "q8_cycle_time_means",
            {"q8_answer": "D"},
            "commitment reliability",
        ),
    }


AGILE_MISTAKE_IDS = [
    "velocity-running-sprint",
    "velocity-committed",
    "velocity-median",
    "velocity-sum",
    "velocity-last-three",
    "velocity-series",
    "sprints-not-rounded",
    "sprints-rounded-down",
    "sprints-upside-down",
    "days-busy-days-only",
    "days-weekdays-only",
    "days-upside-down",
    "p85-is-p50",
    "p85-is-p15",
    "p85-is-p95",
    "p85-is-max",
    "p85-off-by-one",
    "p85-days-not-date",
    "p85-not-a-date",
    "chance-complement",
    "chance-percentage",
    "chance-strictly-before",
    "q6-average",
    "q6-p50",
    "q6-max",
    "q6-not-a-letter",
    "cycle-mean",
    "cycle-median",
    "cycle-p15",
    "cycle-p95",
    "cycle-lead-time",
    "cycle-max",
    "q8-average",
    "q8-lead-time",
    "q8-reliability",
]


@pytest.fixture(scope="module")
def agile_mistakes(
    agile_given: dict[str, Any],
) -> dict[str, tuple[str, dict[str, Any], str]]:
    mistakes = _agile_mistakes(agile_given)
    assert list(mistakes) == AGILE_MISTAKE_IDS
    return mistakes


@pytest.mark.parametrize("case", AGILE_MISTAKE_IDS)
def test_agile_typical_mistake_gets_its_message(
    agile_checker, agile_given, truth, agile_mistakes, case
):
    name, wrong, phrase = agile_mistakes[case]
    result = _agile_run(agile_checker, agile_given, truth, name, **wrong)
    assert result.outcome == "incorrect", result
    assert phrase in result.message, result


@pytest.mark.parametrize(
    ("name", "wrong"),
    [
        ("q1_average_velocity", {"average_velocity": 30.0}),
        ("q2_sprints_needed", {"sprints_needed": 5}),
        ("q3_average_days", {"average_days": 60.0}),
        ("q4_p85_date", {"p85_date": "2026-12-24"}),
        ("q5_chance", {"chance": 0.9}),
        ("q7_cycle_p85", {"cycle_p85": 3.0}),
    ],
)
def test_agile_other_wrong_values_get_the_hint(
    agile_checker, agile_given, truth, name, wrong
):
    result = _agile_run(agile_checker, agile_given, truth, name, **wrong)
    assert result.outcome == "incorrect"
    assert result.message.startswith(agile_checker.checks[name].hint), result
    assert "you have" in result.message


def test_agile_changed_inputs_are_reported(agile_checker, agile_given, truth):
    result = agile_checker("q4_p85_date", {**agile_given, **truth, "forecast": None})
    assert result.outcome == "incorrect"
    assert "run the cells near the top of the notebook again" in result.message


@pytest.mark.parametrize("name", AGILE_CHECKS)
def test_agile_placeholder_is_not_done(agile_checker, agile_given, truth, name):
    variable = agile_checker.checks[name].variables[-1]
    result = agile_checker(name, {**agile_given, **truth, variable: ...})
    assert result.outcome == "not done"
    assert f"`{variable}`" in result.message


def test_agile_learner_copy_has_placeholders_and_no_solution(tmp_path):
    learner = learner_code(AGILE / "solution.ipynb", tmp_path)
    for variable in [
        "average_velocity",
        "sprints_needed",
        "average_days",
        "p85_date",
        "chance",
        "q6_answer",
        "cycle_p85",
        "q8_answer",
    ]:
        assert f"\n{variable} = ...\n" in f"\n{learner}\n", variable
    assert "forecast = forecast_completion(" in learner  # the simulation stays


@pytest.mark.notebook
def test_agile_learner_copy_runs_and_every_check_is_not_done(tmp_path):
    assert_learner_copy_not_done(AGILE / "solution.ipynb", tmp_path, len(AGILE_CHECKS))


@pytest.mark.notebook
def test_agile_solution_answers_every_check(tmp_path):
    assert_solution_passes(AGILE / "solution.ipynb", tmp_path, len(AGILE_CHECKS))
