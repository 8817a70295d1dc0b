"""
Exercises 05 (EVM figures) and 06 (forecast a release): right answers pass, typical
mistakes get their specific message, learner copies run.

The right answers are computed here by hand from the bundled data, independently
of the exercises' ``checks.py`` (which use the kit's engines), so a wrong check
cannot hide behind itself.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

import pmo_kit
from pmo_kit.training import Checker, CheckResult, load_checks, make_learner_copy
from pmo_kit.training.solutions import BEGIN, END

REPO = Path(__file__).resolve().parents[2]
EVM = REPO / "exercises" / "05_kpi_evm"


def _code_cells(path: Path) -> dict[str, str]:
    nb = json.loads(path.read_text(encoding="utf-8"))
    return {
        c["id"]: "".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "code"
    }


def _given(exercise: Path, cells: list[str]) -> dict[str, Any]:
    """Run the notebook's set-up cells (without the checks) and return its names."""
    code = _code_cells(exercise / "solution.ipynb")
    namespace: dict[str, Any] = {}
    exec(code["setup"].replace("check = load_checks()", ""), namespace)
    for cell in cells:
        exec(code[cell], namespace)
    return namespace


def _solution_lines(solution: Path) -> list[str]:
    lines: list[str] = []
    for source in _code_cells(solution).values():
        inside = False
        for line in source.splitlines():
            if line.strip() == BEGIN:
                inside = True
            elif line.strip() == END:
                inside = False
            elif inside and line.strip():
                lines.append(line.strip())
    return lines


def _execute(notebook: Path, folder: Path, tmp_path: Path) -> list[str]:
    """Run ``notebook`` in ``folder``; return what each check cell showed."""
    import nbformat
    from nbclient import NotebookClient

    nb = nbformat.read(notebook, as_version=4)
    client = NotebookClient(
        nb,
        timeout=240,
        kernel_name="python3",
        resources={"metadata": {"path": str(folder)}},
    )
    client.execute()  # raises CellExecutionError if any cell fails
    nbformat.write(nb, tmp_path / f"{notebook.stem}.executed.ipynb")
    return [
        " ".join(
            str(output.get("data", {}).get("text/plain", ""))
            for output in cell.outputs
            if output.output_type == "execute_result"
        )
        for cell in nb.cells
        if cell.cell_type == "code" and cell.source.lstrip().startswith("check")
    ]


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
    checker: Checker, given: dict[str, Any], status: dict[str, float], name: str, **kw
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
    copy = make_learner_copy(EVM / "solution.ipynb", tmp_path / "exercise.ipynb")
    assert "SOLUTION" not in copy.read_text(encoding="utf-8")
    learner = "\n".join(_code_cells(copy).values())
    leaked = [
        line for line in _solution_lines(EVM / "solution.ipynb") if line in learner
    ]
    assert not leaked, f"solution code left in the learner copy: {leaked}"
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
    copy = make_learner_copy(EVM / "solution.ipynb", tmp_path / "exercise.ipynb")
    *checks, progress = _execute(copy, EVM, tmp_path)
    assert len(checks) == len(EVM_CHECKS)
    for text in checks:
        assert "⏳" in text, text
        assert "❌" not in text
    assert progress.count("⏳") == len(EVM_CHECKS), progress


@pytest.mark.notebook
def test_evm_solution_answers_every_check(tmp_path):
    *checks, progress = _execute(EVM / "solution.ipynb", EVM, tmp_path)
    assert len(checks) == len(EVM_CHECKS)
    assert all("✅" in text for text in checks), checks
    assert progress.count("✅") == len(EVM_CHECKS), progress
