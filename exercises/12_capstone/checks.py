"""
Checks of exercise 12, the capstone *Your first month as a PMO analyst*.

Every right answer is recomputed from the notebook's ``portfolio`` (the course's
dataset) with the kit's own functions: the case from
:func:`pmo_kit.training.capstone.capstone_case`, then the charter review, the risk
register, the schedule risk forecast, the capacity plan, the status report and the
gate rule. Nothing is written down here, so the exercise follows a team's own data.
Each check recognises the usual slips (warnings counted as errors, the inherent
score for the residual, the P50 for the P80, a percentage for a ratio, the board's
recorded decision for the rule's) and says what went wrong. Question 7 is free text,
marked by hand in a workshop: its check only makes sure there is a message.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pandas as pd

from pmo_kit.charter import review_charters
from pmo_kit.data.portfolio import Portfolio
from pmo_kit.governance import DECISIONS, gate_review
from pmo_kit.reports.project_status import project_status
from pmo_kit.reports.schedule_risk import schedule_risk
from pmo_kit.resources import capacity_plan
from pmo_kit.risk import overdue_reviews, top_risks
from pmo_kit.training import Tolerance, as_date, as_number, check, fail
from pmo_kit.training.capstone import AREAS, capstone_case, driving_areas

if TYPE_CHECKING:
    from pmo_kit.training.capstone import CapstoneCase

#: Tolerance on a utilisation ratio: two decimals are right.
RATIO = Tolerance(absolute=0.0051)
#: Tolerance on hours: rounding to whole hours is right.
HOURS = Tolerance(absolute=0.51, relative=0.001)
#: Words a sponsor message needs at least (three short sentences have more).
MIN_WORDS = 15
_DECISIONS = {d.lower(): d for d in DECISIONS}
_RAGS = ("red", "amber", "green")


def _case(portfolio: object) -> tuple[Portfolio, CapstoneCase]:
    if not isinstance(portfolio, Portfolio):
        fail(
            "`portfolio` is no longer the course's dataset: run the set-up cell at "
            "the top of the notebook again."
        )
    return portfolio, capstone_case(portfolio)


def _text(value: object, name: str, allowed: str) -> str:
    if not isinstance(value, str):
        fail(f"`{name}` is a {type(value).__name__}: give it as a text, {allowed}.")
    return value.strip()


# ------------------------------------------------------------ q1 charter review


@check(
    hint=(
        "Filter the review's findings on severity == 'error': count them, and take "
        "the set of their `code` column."
    )
)
def q1_charter_review(
    portfolio: object, charter_errors: object, error_codes: object
) -> None:
    """
    Question 1: the error findings of the project's charter.

    Parameters
    ----------
    portfolio
        The course's dataset.
    charter_errors
        The learner's count of error findings.
    error_codes
        The learner's set of their codes.
    """
    data, case = _case(portfolio)
    findings = review_charters(data, project_ids=[case.project_id])
    errors = findings[findings["severity"] == "error"]
    truth = set(errors["code"])
    count = as_number(charter_errors, "charter_errors", what="how many errors")
    if count != len(errors):
        if count == len(findings) and len(findings) != len(errors):
            fail(
                f"{count:g} counts every finding of {case.project_id}'s charter, "
                "warnings and advice included. Count only severity 'error': "
                "those block the charter's approval."
            )
        everyone = review_charters(data)
        if count == (everyone["severity"] == "error").sum():
            fail(
                f"{count:g} counts the errors of EVERY project's charter. Review "
                f"only {case.project_id}'s: project_ids=[case.project_id]."
            )
        fail(f"`charter_errors`: {count:g} is not the number of error findings.")
    if isinstance(error_codes, str):
        fail(
            "`error_codes` is one text: give a set of codes, such as "
            '{"no-scope-out", "not-approved"}.'
        )
    if not isinstance(error_codes, set | frozenset | list | tuple | pd.Series):
        fail(f"`error_codes` is a {type(error_codes).__name__}: give a set of codes.")
    given = {str(c).strip().lower() for c in error_codes}
    if given == truth:
        return
    others = set(findings["code"]) - truth
    if given & others:
        extra = ", ".join(sorted(given & others))
        fail(
            f"{extra} is a warning or advice, not an error. Keep only the findings "
            "with severity 'error'."
        )
    missing = truth - given
    if missing:
        fail(f"An error is missing from `error_codes`: {len(missing)} not listed.")
    fail(
        f"`error_codes` lists codes that are not findings of {case.project_id}'s "
        f"charter: {', '.join(sorted(given - truth))}."
    )


# ---------------------------------------------------------------- q2 top threat


@check(
    hint=(
        "Keep the threats (type == 'threat'), take top_risks(threats, 1), which "
        "ranks open risks by residual score; then look for it in "
        "overdue_reviews(portfolio.risks, as_of=case.today)."
    )
)
def q2_top_threat(
    portfolio: object, top_threat: object, top_threat_overdue: object
) -> None:
    """
    Question 2: the open threat with the highest residual score, and its review.

    Parameters
    ----------
    portfolio
        The course's dataset.
    top_threat
        The learner's risk id.
    top_threat_overdue
        Whether its review is overdue today.
    """
    data, case = _case(portfolio)
    risks = data.risks
    threats = risks[risks["type"] == "threat"]
    truth = str(top_risks(threats, 1)["risk_id"].iloc[0])
    given = _text(top_threat, "top_threat", 'a risk id such as "RK-001"').upper()
    if given != truth:
        inherent = str(top_risks(threats, 1, by="inherent_score")["risk_id"].iloc[0])
        any_status = str(top_risks(threats, 1, open_only=False)["risk_id"].iloc[0])
        any_type = str(top_risks(risks, 1)["risk_id"].iloc[0])
        if given == inherent:
            fail(
                f"{given} has the highest INHERENT score (before its response). The "
                "register is managed on the residual score, after the response: "
                "rank by residual_score."
            )
        if given == any_type:
            fail(
                f"{given} is an opportunity, not a threat: keep the rows with "
                "type == 'threat' first."
            )
        if given == any_status:
            fail(
                f"{given} is no longer open (closed or occurred): only open threats "
                "still need a response. top_risks keeps open risks by default."
            )
        if given not in set(risks["risk_id"]):
            fail(f"{given} is not a risk id of the register.")
        fail(f"{given} is not the open threat with the highest residual score.")
    if not isinstance(top_threat_overdue, bool):
        fail(
            f"`top_threat_overdue` is a {type(top_threat_overdue).__name__}: answer "
            "True or False (without quotes)."
        )
    overdue = set(overdue_reviews(risks, as_of=case.today)["risk_id"])
    if top_threat_overdue != (truth in overdue):
        state = "overdue" if truth in overdue else "within its review cadence"
        fail(
            f"{truth}'s review is {state} on {case.today:%d %b %Y}. Judge it with "
            "overdue_reviews(portfolio.risks, as_of=case.today): the cadence "
            "depends on the residual rating (high 14 days, medium 30, low 60)."
        )


# ---------------------------------------------------------------- q3 P80 finish


@check(
    hint=(
        "schedule_risk(portfolio, case.project_id).p_confidence is the P80 date "
        "(the default confidence is 0.8)."
    )
)
def q3_p80_finish(portfolio: object, p80_finish: object) -> None:
    """
    Question 3: the project's P80 finish date from the Monte Carlo forecast.

    Parameters
    ----------
    portfolio
        The course's dataset.
    p80_finish
        The learner's date.
    """
    data, case = _case(portfolio)
    risk = schedule_risk(data, case.project_id)
    day = as_date(p80_finish, "p80_finish", example=f"{risk.p_confidence:%Y-%m-%d}")
    if day == risk.p_confidence.normalize():
        return
    status = project_status(data, case.project_id)
    mistakes = [
        (
            risk.p50,
            "That is the P50: an even chance of finishing by then. A sponsor needs "
            "the date you are 80% sure of: p_confidence.",
        ),
        (
            risk.forecast_finish,
            "That is the forecast if every remaining task takes its planned "
            "duration: no uncertainty in it. The P80 comes from the simulation.",
        ),
        (
            risk.planned_finish,
            "That is the planned finish (the baseline). The question asks when the "
            "project will finish, 80% sure, from its status date.",
        ),
        (
            status.forecast_finish,
            "That is the status report's forecast at the pace so far (SPI(t)), not "
            "the Monte Carlo P80 of schedule_risk.",
        ),
    ]
    for wrong, message in mistakes:
        if pd.notna(wrong) and day == pd.Timestamp(wrong).normalize():
            fail(message)
    fail(f"{day:%d %b %Y} is not the P80 finish of {case.project_id}.")


# ------------------------------------------------------------------ q4 capacity


@check(
    hint=(
        "On plan.utilisation: the row with the highest `utilisation` gives the "
        "person and the peak; hours_over is the sum of `excess_hours`."
    )
)
def q4_capacity(
    portfolio: object,
    busiest_person: object,
    peak_utilisation: object,
    hours_over: object,
) -> None:
    """
    Question 4: the busiest person, their peak utilisation, the hours over capacity.

    Parameters
    ----------
    portfolio
        The course's dataset.
    busiest_person
        The learner's resource id (a name is accepted too).
    peak_utilisation
        The learner's peak, as a ratio.
    hours_over
        The learner's total hours above capacity.
    """
    data, case = _case(portfolio)
    table = capacity_plan(data, start=case.today, weeks=12).utilisation
    peak = float(table["utilisation"].max())
    person = _text(busiest_person, "busiest_person", 'a resource id such as "R-001"')
    rows = table[
        (table["resource_id"].str.upper() == person.upper())
        | (table["name"].str.lower() == person.lower())
    ]
    if rows.empty:
        fail(f"{person!r} is not a person of the capacity plan (give a resource id).")
    theirs = float(rows["utilisation"].max())
    if not RATIO.accepts(theirs, peak):
        most_hours = table.groupby("resource_id")["demand_hours"].sum().idxmax()
        if person.upper() == str(most_hours).upper():
            fail(
                f"{person} has the most hours booked in total, but a full-timer can "
                "carry more hours than a part-timer. Busiest means the highest "
                "utilisation (demand / capacity) in one week."
            )
        fail(f"{person}'s highest week is {theirs:.0%}; someone else's is higher.")
    value = as_number(peak_utilisation, "peak_utilisation", what="the peak ratio")
    if not RATIO.accepts(value, peak):
        if 1.5 < value <= 1000 and RATIO.accepts(value / 100, peak):
            fail(
                f"{value:g} looks like a percentage: give the ratio {peak:.2f}, not "
                f"{value:g}."
            )
        mean = float(rows["utilisation"].mean())
        if RATIO.accepts(value, mean):
            fail(
                "That is the person's AVERAGE over the 12 weeks. The question asks "
                "for the peak: the highest week."
            )
        fail(f"`peak_utilisation`: {value:.2f} is not the highest week's ratio.")
    hours = as_number(hours_over, "hours_over", what="the hours above capacity")
    truth = float(table["excess_hours"].sum())
    if HOURS.accepts(hours, truth):
        return
    net = float((table["demand_hours"] - table["capacity_hours"]).sum())
    if HOURS.accepts(hours, net):
        fail(
            "You summed demand - capacity over EVERY week, so the free hours of "
            "people below capacity cancelled out the over-booked ones. Count only "
            "the hours above capacity: the `excess_hours` column."
        )
    if HOURS.accepts(hours, float(table["demand_hours"].sum())):
        fail("That is all the hours booked. The question asks for the hours ABOVE.")
    top_week = float(
        table["excess_hours"].iloc[int(table["utilisation"].to_numpy().argmax())]
    )
    if truth > top_week and HOURS.accepts(hours, top_week):
        fail(
            "That is the excess of the peak week only. Add the hours above capacity "
            "of every person and every week."
        )
    fail(f"`hours_over`: {hours:g} is not the total of the hours above capacity.")


# -------------------------------------------------------------------- q5 status


@check(
    hint=(
        "status.areas['overall'].rag is the overall RAG; it is the worst of the "
        "four areas, so the driver is an area with the same RAG."
    )
)
def q5_status(portfolio: object, overall_rag: object, driving_area: object) -> None:
    """
    Question 5: the overall RAG of the project's status and the area driving it.

    Parameters
    ----------
    portfolio
        The course's dataset.
    overall_rag
        The learner's RAG.
    driving_area
        The learner's area.
    """
    data, case = _case(portfolio)
    status = project_status(data, case.project_id)
    rags = {area: status.areas[area].rag for area in AREAS}
    truth = status.areas["overall"].rag
    rag = _text(overall_rag, "overall_rag", '"red", "amber" or "green"').lower()
    if rag not in _RAGS:
        fail(f"`overall_rag` = {overall_rag!r}: answer red, amber or green.")
    if rag != truth:
        named = [area for area in AREAS if rags[area] == rag]
        if named:
            fail(
                f"{rag} is the RAG of {', '.join(named)}, not the overall one. The "
                "overall status is the WORST of the four areas."
            )
        fail(f"The overall RAG is not {rag}: no area of the report is {rag}.")
    area = _text(driving_area, "driving_area", "one of " + ", ".join(AREAS)).lower()
    if area not in AREAS:
        fail(f"`driving_area` = {driving_area!r}: answer one of {', '.join(AREAS)}.")
    if area not in driving_areas(rags):
        fail(
            f"{area} is {rags[area]}, but the overall is {truth}: the area that "
            "drives it is one whose RAG is the overall one (the report's overall "
            "line names it)."
        )


# ------------------------------------------------------------- q6 gate decision


@check(
    hint=(
        "gate_review(portfolio.gates, case.gate_project_id, case.gate).decision is "
        "the rule's decision."
    )
)
def q6_gate_decision(portfolio: object, gate_decision: object) -> None:
    """
    Question 6: the decision rule's recommendation at the case's gate review.

    Parameters
    ----------
    portfolio
        The course's dataset.
    gate_decision
        The learner's decision.
    """
    data, case = _case(portfolio)
    review = gate_review(data.gates, case.gate_project_id, case.gate)
    word = _text(gate_decision, "gate_decision", '"Go", "Hold", "Recycle" or "Kill"')
    if word.lower() not in _DECISIONS:
        fail(
            f"`gate_decision` = {gate_decision!r} is not a gate decision. Allowed: "
            "Go, Hold, Recycle, Kill."
        )
    decision = _DECISIONS[word.lower()]
    if decision == review.decision:
        return
    recorded = str(review.recorded or "").strip().lower()
    if recorded and _DECISIONS.get(recorded) == decision:
        fail(
            f"{decision} is what the board RECORDED for {case.gate_project_id} at "
            f"{case.gate}. The rule says otherwise: {review.rationale}"
        )
    if decision == "Hold" and not review.failed_musts:
        fail(
            "Hold is for a must-meet criterion that is not met; at this gate every "
            "must-meet is met, so the weighted should-score decides."
        )
    if decision == "Go" and review.failed_musts:
        fail(
            "A must-meet criterion is not met, so the gate cannot be passed "
            "whatever the should-score."
        )
    fail(f"The rule does not give {decision} here: read review.rationale.")


# --------------------------------------------------------- q7 sponsor (by hand)


@check(
    hint=(
        f"Write at least {MIN_WORDS} words, as a text: where the project stands, "
        "why, and what the sponsor must decide."
    )
)
def q7_sponsor_message(sponsor_message: object) -> None:
    """
    Question 7 (free text, marked by hand): only checks that a message is there.

    Parameters
    ----------
    sponsor_message
        The learner's three sentences.
    """
    text = _text(sponsor_message, "sponsor_message", "your three sentences")
    words = len(text.split())
    if words < MIN_WORDS:
        fail(
            f"{words} words is too short for three sentences: say where the project "
            "stands, why, and what you need the sponsor to decide."
        )
