"""
Checks of exercise 07, *Run a gate review*: weighted score, musts, decision, reason.

The right answers are computed from the scoring sheets in the notebook with the
kit's gate engine (``pmo_kit.governance.decide_gate`` and the PMO's default rule)
and, for the last question, with the compliance scan; nothing is written down
here, so a trainer can change the sheets and the checks follow. When an answer is
wrong, the check recognises the usual slips (a plain average, the musts averaged
in, a failed must-meet treated as a low score) and says what went wrong.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pandas as pd

from pmo_kit.governance import DECISIONS, compliance, decide_gate, load_gate_rules
from pmo_kit.training import Tolerance, as_number, check, choice_letter, fail

if TYPE_CHECKING:
    from pmo_kit.data.portfolio import Portfolio
    from pmo_kit.governance.gates import GateReview

#: Tolerance on a weighted score (two decimals are right).
SCORE = Tolerance(absolute=0.005)
#: The decisions, as a learner may write them.
_DECISIONS = {d.lower(): d for d in DECISIONS}
#: What each letter of question 4 says.
_REASONS = {
    "A": "a must-meet criterion is not met",
    "B": "the weighted should-score is below the Go threshold but not below Recycle",
    "C": "the weighted should-score is below the Recycle threshold",
    "D": "every must-meet is met and the weighted score reaches the Go threshold",
}


def _review(criteria: object, name: str = "criteria") -> GateReview:
    if not isinstance(criteria, pd.DataFrame) or "requirement" not in criteria:
        fail(
            f"`{name}` is no longer the scoring sheet: run the cell that defines it "
            "again (near the top of the notebook)."
        )
    return decide_gate(criteria, rules=load_gate_rules())


def _should(criteria: pd.DataFrame) -> pd.DataFrame:
    return criteria[criteria["requirement"] == "should"]


def _decision(value: object, name: str) -> str:
    if value is Ellipsis:
        fail(f"`{name}` is still `...`.")
    if not isinstance(value, str):
        fail(
            f"`{name}` is a {type(value).__name__}: give the decision as text, one of "
            '"Go", "Kill", "Hold", "Recycle".'
        )
    word = value.strip().lower()
    if word not in _DECISIONS:
        fail(
            f"`{name}` = {value!r} is not a gate decision. Allowed: Go, Kill, Hold, "
            "Recycle."
        )
    return _DECISIONS[word]


@check(
    hint=(
        "The weighted should-score is sum(weight x score) over the should-criteria; "
        "the weights add up to 1, so the result is on the 0..5 scale."
    )
)
def q1_weighted_score(criteria: pd.DataFrame, weighted_score: object) -> None:
    """
    Question 1: the weighted should-score of the G2 sheet.

    Parameters
    ----------
    criteria
        The scoring sheet, given in the notebook.
    weighted_score
        The learner's weighted should-score.
    """
    review = _review(criteria)
    value = as_number(weighted_score, "weighted_score")
    truth = review.weighted_score
    if SCORE.accepts(value, truth):
        return
    should = _should(criteria)
    scores = should["score"].astype(float)
    if SCORE.accepts(value, float(scores.mean())):
        listed = " + ".join(f"{s:g}" for s in scores)
        fail(
            f"You averaged the scores without weights: ({listed}) / {len(scores)} = "
            f"{value:.2f}. Each criterion counts as much as its weight: multiply "
            "every score by its weight, then add the products up."
        )
    if SCORE.accepts(value, float(criteria["score"].astype(float).mean())):
        fail(
            f"{value:.2f} is the average of ALL the scores, the must-meet criteria "
            "included. Must-meets are knock-outs (met or not), not part of the "
            "score: use the should-criteria only, each times its weight."
        )
    if SCORE.accepts(value, truth / len(should)):
        fail(
            f"You divided the weighted sum ({truth:.2f}) by the number of criteria. "
            "The weights already add up to 1, so the weighted sum is the score."
        )
    if SCORE.accepts(value, float(scores.sum())):
        fail(
            f"{value:g} adds up the scores. Multiply each by its weight first; the "
            "result stays on the 0..5 scale."
        )
    if SCORE.accepts(value, truth / 5 * 100) or SCORE.accepts(value, truth * 100):
        fail(
            f"{value:g} looks like a percentage. Give the score on the 0..5 scale, "
            f"e.g. 3.25."
        )
    assert SCORE.accepts(value, truth), f"you have {value:.2f}"


@check(hint="Look at the must-meet rows only: is every one of them scored 1 (met)?")
def q2_musts_met(criteria: pd.DataFrame, all_musts_met: object) -> None:
    """
    Question 2: whether every must-meet criterion is met.

    Parameters
    ----------
    criteria
        The scoring sheet.
    all_musts_met
        The learner's answer, True or False.
    """
    review = _review(criteria)
    if not isinstance(all_musts_met, bool):
        fail(
            f"`all_musts_met` is {all_musts_met!r}: answer True or False (without "
            "quotes)."
        )
    if all_musts_met == review.musts_met:
        return
    if review.musts_met:
        musts = criteria.loc[criteria["requirement"] == "must", "criterion"]
        fail(
            f"Every must-meet criterion ({', '.join(map(repr, musts))}) scored 1: "
            "met. A low should-score does not make a must fail."
        )
    fail(f"Criterion {review.failed_musts[0]!r} is a must-meet and scored 0: not met.")


@check(
    hint=(
        "The rule, in order: a must-meet not met -> Hold (Kill for a knock-out "
        "criterion); weighted score >= 3.0 -> Go; >= 1.5 -> Recycle; below -> Kill."
    )
)
def q3_decision(criteria: pd.DataFrame, decision: object) -> None:
    """
    Question 3: the decision at G2, by the PMO's rule.

    Parameters
    ----------
    criteria
        The scoring sheet.
    decision
        The learner's decision.
    """
    review = _review(criteria)
    answer = _decision(decision, "decision")
    if answer == review.decision:
        return
    _explain(review, answer, _should(criteria))


def _explain(review: GateReview, answer: str, should: pd.DataFrame) -> None:
    rules = review.rules
    score = review.weighted_score
    if review.failed_musts:
        failed = review.failed_musts[0]
        if answer in {"Go", "Recycle"}:
            fail(
                f"Criterion {failed!r} is a must and scored 0: that is a knock-out, "
                f"whatever the weighted score ({score:.2f} of 5). "
                + (
                    "Recycle is for weak should-scores with every must met."
                    if answer == "Recycle"
                    else "No Go while a must-meet is not met."
                )
            )
        if answer == "Kill":
            fail(
                f"A failed must-meet stops the gate, but it kills the project only "
                f"when it cannot be fixed: the PMO's rule lists such knock-outs "
                f"({', '.join(rules.knock_out) or 'none'}). {failed!r} can be fixed, "
                "so the project waits: Hold."
            )
    plain = float(should["score"].astype(float).mean())
    if answer == "Go":
        extra = (
            f" The plain average ({plain:.2f}) would pass; did you forget the weights?"
            if plain >= rules.go_threshold
            else ""
        )
        fail(
            f"Go needs a weighted should-score of at least {rules.go_threshold:g}; "
            f"this gate scores {score:.2f}.{extra}"
        )
    if answer == "Hold":
        fail(
            "Hold is for a must-meet that is not met but can be fixed. Here every "
            "must-meet is met: the weighted score decides."
        )
    if answer == "Kill":
        fail(
            f"Kill would need a weighted score below {rules.recycle_threshold:g} (or "
            f"a failed knock-out); {score:.2f} is above it."
        )
    if answer == "Recycle":
        fail(
            f"Recycle is for a weighted score from {rules.recycle_threshold:g} up to "
            f"{rules.go_threshold:g}; this gate scores {score:.2f}."
        )


@check(hint="Which step of the rule decided this gate?")
def q4_reason(criteria: pd.DataFrame, reason: object) -> None:
    """
    Question 4: why that decision (a letter).

    Parameters
    ----------
    criteria
        The scoring sheet.
    reason
        The learner's letter, A to D.
    """
    review = _review(criteria)
    letter = choice_letter(reason, "reason")
    score = review.weighted_score
    rules = review.rules
    if review.failed_musts:
        truth = "A"
    elif score >= rules.go_threshold:
        truth = "D"
    elif score >= rules.recycle_threshold:
        truth = "B"
    else:
        truth = "C"
    if letter == truth:
        return
    if letter == "A":
        fail("Every must-meet criterion is met here (question 2): A does not apply.")
    fail(
        f"{letter} says {_REASONS[letter]}; the sheet has a weighted score of "
        f"{score:.2f} against Go {rules.go_threshold:g} and Recycle "
        f"{rules.recycle_threshold:g}, with every must met."
    )


@check(
    hint=(
        "Look at the must-meet rows first: a must-meet not met decides the gate "
        "before any score is looked at."
    )
)
def q5_decision_after_change(
    criteria_after: pd.DataFrame, decision_after: object
) -> None:
    """
    Question 5: the decision on the revised sheet.

    Parameters
    ----------
    criteria_after
        The revised scoring sheet.
    decision_after
        The learner's decision.
    """
    review = _review(criteria_after, "criteria_after")
    answer = _decision(decision_after, "decision_after")
    if answer == review.decision:
        return
    _explain(review, answer, _should(criteria_after))


@check(
    hint=(
        "Run compliance(portfolio) and look at the findings of the rule "
        "'charter-approved'."
    )
)
def q6_unsigned_charter(portfolio: Portfolio, unsigned_charter: object) -> None:
    """
    Question 6: the project in execution whose charter nobody signed.

    Parameters
    ----------
    portfolio
        The course's organisation, loaded in the notebook.
    unsigned_charter
        The learner's project id.
    """
    if not hasattr(portfolio, "projects"):
        fail("`portfolio` is no longer the organisation: run the first cell again.")
    if not isinstance(unsigned_charter, str):
        fail(
            f"`unsigned_charter` is a {type(unsigned_charter).__name__}: give the "
            'project id as text, such as "P-001".'
        )
    findings = compliance(portfolio)
    truth = findings.loc[findings["rule"] == "charter-approved", "project_id"].tolist()
    if not truth:
        fail(
            f"This question cannot be marked on {portfolio.name}: no project there is "
            "in execution with an unsigned charter (the bundled sample has one). Skip "
            "it, or run the exercise on the sample."
        )
    answer = unsigned_charter.strip().upper()
    if answer in truth:
        return
    projects = portfolio.projects.set_index("project_id")
    if answer not in projects.index:
        fail(
            f"{unsigned_charter!r} is not a project of {portfolio.name}. Projects: "
            f"{', '.join(projects.index)}."
        )
    phase = str(projects.loc[answer, "phase"])
    charter = portfolio.charters.get(answer)
    approval = charter.approval if charter is not None else None
    if approval is None:
        fail(
            f"{answer}'s charter is not signed either, but {answer} is in {phase}: "
            "the standard applies from planning on (a project cannot pass G1 "
            "without a signed charter). Find the project already in execution."
        )
    fail(
        f"{answer}'s charter was approved by {approval.approved_by} on "
        f"{approval.date}. Look for the finding of rule 'charter-approved'."
    )
