"""
Checks of exercise 05, *Compute and interpret SPI, CPI, EAC, VAC and TCPI*.

The right answers are computed from the status figures in the notebook (``bac``,
``pv``, ``ev``, ``ac``) with the kit's EVM engine (:func:`pmo_kit.evm.metrics`),
never written down here, so a trainer can hand out another project's figures and
the checks follow. Each check first recognises the typical mistakes (a ratio upside
down, the wrong pair of figures, a sign error, a percentage for a ratio, the wrong
EAC formula, a rounded index) and says what went wrong with ``fail``; any other
wrong value gets the check's ``hint``. The multiple-choice questions explain why
each wrong option is wrong.
"""

from __future__ import annotations

import math
from numbers import Real
from typing import TYPE_CHECKING, cast

from pmo_kit.evm import metrics
from pmo_kit.training import Tolerance, as_number, check, choice_letter, fail

if TYPE_CHECKING:
    from collections.abc import Callable

    from pmo_kit.evm import EVMetrics

#: Tolerance on an index: rounding to two decimals is still right.
INDEX = Tolerance(absolute=0.0051)
#: Tolerance on an amount of money: rounding to whole euros is right, and on large
#: amounts a relative 0.02 %.
MONEY = Tolerance(absolute=1.0, relative=0.0002)

# ----------------------------------------------------------------- reading answers


def _number_of(value: object, name: str) -> float:
    return as_number(
        value,
        name,
        nan_hint="a division had nothing to divide. Look at the figures you used.",
    )


def _figures(
    bac: object, pv: object, ev: object, ac: object
) -> tuple[float, float, float, float]:
    """Return the notebook's status figures as floats; fail if they were changed."""
    given = (bac, pv, ev, ac)
    if not all(isinstance(x, Real) and not isinstance(x, bool) for x in given):
        fail(
            "`bac`, `pv`, `ev` and `ac` are no longer the status figures: run the "
            "cell that defines them again (near the top of the notebook)."
        )
    b, p, e, a = (float(cast("Real", x)) for x in given)
    if any(math.isnan(x) for x in (b, p, e, a)):
        fail("`bac`, `pv`, `ev` or `ac` is NaN: run the cell that defines them again.")
    return b, p, e, a


def _given(bac: object, pv: object, ev: object, ac: object) -> EVMetrics:
    """Return the true metrics of the notebook's status; fail if it was changed."""
    b, p, e, a = _figures(bac, pv, ev, ac)
    return metrics(bac=b, pv=p, ev=e, ac=a)


def _first(
    value: float,
    mistakes: list[tuple[float, str]],
    same: Callable[[float, float], bool],
) -> None:
    """Fail with the message of the first known mistake ``value`` matches."""
    for wrong, message in mistakes:
        if same(value, wrong):
            fail(message)


def _money(amount: float) -> str:
    return f"{amount:,.0f}"


# ---------------------------------------------------------------- q1 variances


@check(
    hint=(
        "EV comes first: SV = EV - PV (schedule), CV = EV - AC (cost). Negative "
        "means behind schedule or over budget."
    )
)
def q1_variances(
    bac: object, pv: object, ev: object, ac: object, sv: object, cv: object
) -> None:
    """
    Question 1: the schedule variance and the cost variance.

    Parameters
    ----------
    bac, pv, ev, ac
        The status figures, given in the notebook.
    sv, cv
        The learner's variances, in EUR.
    """
    m = _given(bac, pv, ev, ac)
    b, p, e, a = _figures(bac, pv, ev, ac)
    sv_value = _number_of(sv, "sv")
    cv_value = _number_of(cv, "cv")
    if MONEY.accepts(sv_value, m.cv) and MONEY.accepts(cv_value, m.sv):
        fail(
            "SV and CV are swapped: the Schedule variance compares EV with the Plan "
            "(EV - PV), the Cost variance compares EV with the Cost (EV - AC)."
        )
    if not MONEY.accepts(sv_value, m.sv):
        _first(
            sv_value,
            [
                (
                    p - e,
                    f"SV: {_money(sv_value)} has the wrong sign. SV = EV - PV, so a "
                    "project behind schedule has a NEGATIVE schedule variance.",
                ),
                (
                    e - a,
                    "SV: that is EV - AC, the COST variance. The schedule variance "
                    "compares the work done with the work planned: EV - PV.",
                ),
                (
                    a - p,
                    "SV: AC - PV compares what was spent with what was planned to be "
                    "done, mixing cost and schedule. SV = EV - PV.",
                ),
                (
                    b - p,
                    "SV: BAC - PV is the planned work still to come. SV = EV - PV "
                    "compares the work DONE with the work planned by now.",
                ),
            ],
            MONEY.accepts,
        )
        fail(f"SV = EV - PV. You have {_money(sv_value)}.")
    if not MONEY.accepts(cv_value, m.cv):
        _first(
            cv_value,
            [
                (
                    a - e,
                    f"CV: {_money(cv_value)} has the wrong sign. CV = EV - AC, so a "
                    "project over budget has a NEGATIVE cost variance.",
                ),
                (
                    e - p,
                    "CV: that is EV - PV, the SCHEDULE variance. The cost variance "
                    "compares the work done with what it cost: EV - AC.",
                ),
                (
                    b - a,
                    "CV: BAC - AC is the budget not spent yet. The cost variance "
                    "compares the value of the work done with its cost: EV - AC.",
                ),
                (
                    p - a,
                    "CV: PV - AC compares the plan with the spending. Work can be "
                    "late and cheap at once; CV = EV - AC compares like with like.",
                ),
            ],
            MONEY.accepts,
        )
        fail(f"CV = EV - AC. You have {_money(cv_value)}.")


# ------------------------------------------------------------------ q2 indices


@check(
    hint=(
        "EV comes first: SPI = EV / PV, CPI = EV / AC, as ratios (0.98, not 98). "
        "Below 1.0 is behind schedule or over budget."
    )
)
def q2_indices(
    bac: object, pv: object, ev: object, ac: object, spi: object, cpi: object
) -> None:
    """
    Question 2: the schedule and cost performance indices.

    Parameters
    ----------
    bac, pv, ev, ac
        The status figures, given in the notebook.
    spi, cpi
        The learner's indices, as ratios.
    """
    m = _given(bac, pv, ev, ac)
    b, p, e, a = _figures(bac, pv, ev, ac)
    spi_value = _number_of(spi, "spi")
    cpi_value = _number_of(cpi, "cpi")
    if INDEX.accepts(spi_value, m.cpi) and INDEX.accepts(cpi_value, m.spi):
        fail(
            "SPI and CPI are swapped: SPI = EV / PV (schedule: against the Plan), "
            "CPI = EV / AC (cost: against the actual Cost)."
        )
    for name, value, truth in (("spi", spi_value, m.spi), ("cpi", cpi_value, m.cpi)):
        if 1.5 < value <= 200 and INDEX.accepts(value / 100, truth):
            fail(
                f"`{name}` = {value:g} looks like a percentage. Indices are ratios: "
                f"give {truth:.2f}, not {value:g}."
            )
    if not INDEX.accepts(spi_value, m.spi):
        _first(
            spi_value,
            [
                (
                    p / e,
                    "SPI is upside down: you divided PV by EV. SPI = EV / PV, so "
                    "below 1.0 means behind schedule.",
                ),
                (
                    e / a,
                    "SPI: that is EV / AC, the COST performance index. The schedule "
                    "index divides by the planned value: SPI = EV / PV.",
                ),
                (
                    a / p,
                    "SPI: AC / PV compares spending with the plan (a burn rate). "
                    "SPI = EV / PV compares the work done with the work planned.",
                ),
                (
                    e / b,
                    "SPI: EV / BAC is the share of ALL the work that is done (percent "
                    "complete). SPI compares with the work planned BY NOW: EV / PV.",
                ),
            ],
            INDEX.accepts,
        )
        fail(f"SPI = EV / PV. You have {spi_value:.3f}.")
    if not INDEX.accepts(cpi_value, m.cpi):
        _first(
            cpi_value,
            [
                (
                    a / e,
                    "CPI is upside down: you divided AC by EV. CPI = EV / AC, so "
                    "below 1.0 means over budget.",
                ),
                (
                    e / p,
                    "CPI: that is EV / PV, the SCHEDULE performance index. The cost "
                    "index divides by the actual cost: CPI = EV / AC.",
                ),
                (
                    a / b,
                    "CPI: AC / BAC is the share of the budget spent so far. CPI "
                    "compares the work done with what it cost: EV / AC.",
                ),
                (
                    e / b,
                    "CPI: EV / BAC is the share of the work that is done (percent "
                    "complete). CPI = EV / AC.",
                ),
            ],
            INDEX.accepts,
        )
        fail(f"CPI = EV / AC. You have {cpi_value:.3f}.")


# ---------------------------------------------------------------------- q3 EAC


@check(
    hint=(
        "The typical EAC assumes the rest of the work costs what the work so far "
        "cost: EAC = BAC / CPI (the same as AC + (BAC - EV) / CPI)."
    )
)
def q3_eac(bac: object, pv: object, ev: object, ac: object, eac: object) -> None:
    """
    Question 3: the estimate at completion if the cost efficiency continues.

    Parameters
    ----------
    bac, pv, ev, ac
        The status figures, given in the notebook.
    eac
        The learner's EAC, in EUR.
    """
    m = _given(bac, pv, ev, ac)
    b, _, e, a = _figures(bac, pv, ev, ac)
    value = _number_of(eac, "eac")
    if MONEY.accepts(value, m.eac_cpi):
        return
    rounded = round(m.cpi, 2)
    _first(
        value,
        [
            (
                b * m.cpi,
                "You MULTIPLIED the budget by the CPI. With a CPI below 1.0 that "
                "makes the forecast smaller than the budget, for a project that is "
                "over budget. EAC = BAC / CPI.",
            ),
            (
                m.eac_remaining_at_budget,
                "AC + (BAC - EV) is the ATYPICAL forecast: it assumes the rest of "
                "the work costs its budget, as if the overrun so far would not "
                "recur. This question asks for the typical EAC, at the CPI so far: "
                "BAC / CPI.",
            ),
            (
                b / m.spi,
                "You divided the budget by the SPI. Cost forecasts use the COST "
                "index: EAC = BAC / CPI.",
            ),
            (
                m.eac_cpi_spi,
                "AC + (BAC - EV) / (CPI x SPI) is the forecast for a project that "
                "must also catch up on its schedule. The question asks for the "
                "typical EAC: BAC / CPI.",
            ),
            (
                b + (e - a),
                "BAC + CV has the sign of CV the wrong way round: an overrun so far "
                "must make the forecast HIGHER. And the typical EAC is BAC / CPI.",
            ),
            (
                b / rounded,
                f"Close: you divided by the rounded CPI ({rounded:.2f}). Rounding the "
                f"index moves the forecast by about "
                f"{_money(abs(b / rounded - m.eac_cpi))} EUR: use the unrounded "
                "ev / ac.",
            ),
            (
                b,
                "That is the budget itself. If you wrote AC + BAC - EV / CPI, brackets "
                "are missing: EV / CPI is just AC again. Write AC + (BAC - EV) / CPI, "
                "or simply BAC / CPI.",
            ),
        ],
        MONEY.accepts,
    )
    assert MONEY.accepts(value, m.eac_cpi), f"you have {_money(value)}"


# ---------------------------------------------------------------------- q4 VAC


@check(
    hint=(
        "VAC = BAC - EAC, with the EAC of question 3. Negative means a forecast "
        "overrun."
    )
)
def q4_vac(
    bac: object, pv: object, ev: object, ac: object, eac: object, vac: object
) -> None:
    """
    Question 4: the variance at completion.

    Parameters
    ----------
    bac, pv, ev, ac
        The status figures, given in the notebook.
    eac
        The learner's answer to question 3 (a wrong one explains a wrong VAC).
    vac
        The learner's VAC, in EUR.
    """
    m = _given(bac, pv, ev, ac)
    b, _, e, a = _figures(bac, pv, ev, ac)
    value = _number_of(vac, "vac")
    if MONEY.accepts(value, m.vac):
        return
    if isinstance(eac, Real) and not MONEY.accepts(float(eac), m.eac_cpi):
        their = float(eac)
        if MONEY.accepts(value, b - their) or MONEY.accepts(value, their - b):
            fail(
                "Your VAC follows from your EAC, and the EAC is not right yet: fix "
                "question 3 first, then run this cell again."
            )
    _first(
        value,
        [
            (
                m.eac_cpi - b,
                f"{_money(value)} has the wrong sign: VAC = BAC - EAC, so a "
                "forecast OVERRUN is negative.",
            ),
            (
                b - a,
                "BAC - AC is the money left in the budget today. VAC is the "
                "difference between the budget and the forecast at completion: "
                "BAC - EAC.",
            ),
            (
                e - a,
                "That equals the cost variance to date (CV = EV - AC), which is also "
                "what the atypical EAC, AC + (BAC - EV), would give: the overrun so "
                "far and no more. With the EAC of question 3 the overrun grows with "
                "the remaining work: VAC = BAC - BAC / CPI.",
            ),
        ],
        MONEY.accepts,
    )
    assert MONEY.accepts(value, m.vac), f"you have {_money(value)}"


# --------------------------------------------------------------------- q5 TCPI


@check(
    hint=(
        "TCPI = work remaining / money remaining in the budget = "
        "(BAC - EV) / (BAC - AC)."
    )
)
def q5_tcpi(bac: object, pv: object, ev: object, ac: object, tcpi: object) -> None:
    """
    Question 5: the to-complete performance index against the budget.

    Parameters
    ----------
    bac, pv, ev, ac
        The status figures, given in the notebook.
    tcpi
        The learner's TCPI, as a ratio.
    """
    m = _given(bac, pv, ev, ac)
    b, p, e, a = _figures(bac, pv, ev, ac)
    value = _number_of(tcpi, "tcpi")
    if INDEX.accepts(value, m.tcpi_bac):
        return
    if 1.5 < value <= 300 and INDEX.accepts(value / 100, m.tcpi_bac):
        fail(
            f"{value:g} looks like a percentage. TCPI is a ratio, like CPI: give "
            f"{m.tcpi_bac:.2f}, not {value:g}."
        )
    _first(
        value,
        [
            (
                (b - a) / (b - e),
                "Upside down: you divided the money left by the work left. TCPI = "
                "(BAC - EV) / (BAC - AC): the work each remaining euro must buy.",
            ),
            (
                m.cpi,
                "That equals the CPI: either you computed EV / AC, or the TCPI "
                "against the EAC, (BAC - EV) / (EAC - AC), which equals the CPI by "
                "construction. The question asks whether the BUDGET can be met: "
                "divide by the money left in the budget, BAC - AC.",
            ),
            (
                1 / m.cpi,
                "1 / CPI is what each euro of work has cost so far. TCPI is the "
                "efficiency still NEEDED: (BAC - EV) / (BAC - AC).",
            ),
            (
                (b - e) / b,
                "(BAC - EV) / BAC is the share of the work still to do. TCPI divides "
                "the work left by the money left: (BAC - EV) / (BAC - AC).",
            ),
            (
                b - e / b - a,
                "Check your brackets: without them Python divides first. Write "
                "(BAC - EV) / (BAC - AC).",
            ),
            (
                (b - p) / (b - a),
                "(BAC - PV) is the work the PLAN has left, not the work left to do. "
                "TCPI = (BAC - EV) / (BAC - AC).",
            ),
        ],
        INDEX.accepts,
    )
    assert INDEX.accepts(value, m.tcpi_bac), f"you have {value:.3f}"


# --------------------------------------------------------------- q6 one-off EAC


@check(
    hint=(
        "If the overrun was a one-off, the rest of the work costs its budget: "
        "EAC = AC + (BAC - EV)."
    )
)
def q6_eac_one_off(
    bac: object, pv: object, ev: object, ac: object, eac_one_off: object
) -> None:
    """
    Question 6: the EAC when the overrun came from a one-off event.

    Parameters
    ----------
    bac, pv, ev, ac
        The status figures, given in the notebook.
    eac_one_off
        The learner's EAC, in EUR.
    """
    m = _given(bac, pv, ev, ac)
    b, p, e, a = _figures(bac, pv, ev, ac)
    value = _number_of(eac_one_off, "eac_one_off")
    if MONEY.accepts(value, m.eac_remaining_at_budget):
        return
    _first(
        value,
        [
            (
                m.eac_cpi,
                "BAC / CPI assumes the overrun goes on at the same rate. After a "
                "one-off event the rest of the work should cost its budget: "
                "EAC = AC + (BAC - EV).",
            ),
            (
                m.eac_cpi_spi,
                "That forecast adds schedule pressure to the overrun. After a "
                "one-off event: EAC = AC + (BAC - EV).",
            ),
            (
                b,
                "The budget itself would forget the money already lost. What was "
                "spent stays spent: EAC = AC + (BAC - EV).",
            ),
            (
                a - (b - e),
                "You subtracted the remaining work. The forecast is what was spent "
                "PLUS the budget of the work still to do: AC + (BAC - EV).",
            ),
            (
                a + (b - p),
                "The work still to do is BAC - EV (the budget of what is not done), "
                "not BAC - PV (what the plan has left).",
            ),
        ],
        MONEY.accepts,
    )
    assert MONEY.accepts(value, m.eac_remaining_at_budget), f"you have {_money(value)}"


# ------------------------------------------------------------ multiple choice


@check(hint="CPI compares the value of the work done with what it cost.")
def q7_cpi_means(q7_answer: object) -> None:
    """
    Question 7: what the project's CPI means.

    Parameters
    ----------
    q7_answer
        The learner's letter.
    """
    answer = choice_letter(q7_answer, "q7_answer")
    reasons = {
        "A": (
            "A: the share of the budget spent is AC / BAC, which says nothing about "
            "what the money bought. CPI = EV / AC compares the work done with its "
            "cost."
        ),
        "C": (
            "C: schedule is the SPI's business (EV / PV). CPI is about cost: EV / AC."
        ),
        "D": (
            "D: the share of the planned work that is done is the SPI (EV / PV). CPI "
            "divides EV by the actual cost."
        ),
    }
    if answer in reasons:
        fail(reasons[answer])


@check(hint="Compare the TCPI with the CPI the project has achieved so far.")
def q8_tcpi_means(q8_answer: object) -> None:
    """
    Question 8: what to tell the sponsor about a TCPI above the CPI so far.

    Parameters
    ----------
    q8_answer
        The learner's letter.
    """
    answer = choice_letter(q8_answer, "q8_answer")
    reasons = {
        "A": (
            "A: a TCPI above 1.0 is a DEMAND, not a result: the remaining work must "
            "be more efficient than planned. With a CPI below 1.0 so far, that is "
            "bad news."
        ),
        "C": (
            "C: the forecast overrun is the VAC (BAC - EAC), not the TCPI. The TCPI "
            "says how efficient the rest must be to finish ON budget."
        ),
        "D": (
            "D: waiting is the worst option: the later the decision, the less work "
            "is left to change. A TCPI well above the CPI already calls for a "
            "decision."
        ),
    }
    if answer in reasons:
        fail(reasons[answer])


@check(hint="At the end of any project EV = PV = BAC. What does that do to SPI?")
def q9_spi_at_the_end(q9_answer: object) -> None:
    """
    Question 9: a project planned for 40 weeks reports SPI 1.00 in week 52.

    Parameters
    ----------
    q9_answer
        The learner's letter.
    """
    answer = choice_letter(q9_answer, "q9_answer")
    reasons = {
        "A": (
            "A: SPI compares money, not time. When all the work is done, EV = PV = "
            "BAC and SPI is 1.00 however late the project is: this one took 52 weeks "
            "instead of 40."
        ),
        "B": (
            "B: nothing in the figures says the team sped up. SPI rose because the "
            "plan (PV) stopped growing at week 40 while EV kept coming in."
        ),
        "D": (
            "D: a new baseline would also reset the indices, but you do not need it "
            "to explain this: SPI ends at 1.00 on every finished project."
        ),
    }
    if answer in reasons:
        fail(reasons[answer])
