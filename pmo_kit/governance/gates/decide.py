"""
The decision of a gate review: must-meet knock-outs, the weighted should-score.

:func:`decide_gate` applies the rule (:mod:`.rules`) to one gate's criteria;
:func:`gate_review` picks one review out of the gates table and
:func:`gate_decisions` decides every review in it, next to what was recorded.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from pmo_kit._errors import ValidationError
from pmo_kit.governance.gates.rules import GateRules, default_gate_rules
from pmo_kit.governance.gates.validate import check_gates
from pmo_kit.vocabulary import GATES, Decision

__all__ = ["GateReview", "decide_gate", "gate_decisions", "gate_review"]


@dataclass(frozen=True)
class GateReview:
    """
    The outcome of one gate review under the decision rule.

    Attributes
    ----------
    project_id, gate
        What was reviewed.
    decision
        ``Go``, ``Hold``, ``Recycle`` or ``Kill``, by the rule.
    rationale
        The reason in plain words: which must-meet failed, or the weighted
        should-score against the thresholds.
    criteria
        One row per criterion: ``criterion``, ``requirement``, ``weight``,
        ``score``, ``met`` (must-meet), ``contribution`` (weight x score) and
        ``evidence`` when the data has it.
    weighted_score
        ``sum(weight * score)`` over the should-criteria (0..5); NaN when a
        should-criterion is not scored.
    failed_musts
        Must-meet criteria not met (or not scored).
    recorded
        The decision recorded in the data (lower case), if any.
    review_date
        Date of the review, if recorded.
    """

    project_id: str
    gate: str
    decision: Decision
    rationale: str
    criteria: pd.DataFrame
    weighted_score: float
    failed_musts: tuple[str, ...]
    rules: GateRules = field(default_factory=GateRules)
    recorded: str | None = None
    review_date: pd.Timestamp | None = None

    @property
    def musts_met(self) -> bool:
        """True when every must-meet criterion is met."""
        return not self.failed_musts

    @property
    def agrees(self) -> bool | None:
        """Whether the recorded decision is the rule's (None: nothing recorded)."""
        if self.recorded is None:
            return None
        return self.recorded.lower() == self.decision.lower()

    def __str__(self) -> str:
        return f"{self.project_id} {self.gate}: {self.decision}. {self.rationale}"


def decide_gate(
    criteria: pd.DataFrame,
    *,
    rules: GateRules | None = None,
    project_id: str = "",
    gate: str = "",
) -> GateReview:
    """
    Apply the decision rule to one gate's criteria.

    This is the plain function behind :func:`gate_review` and the gate review
    widget: change a score, call it again, read the new decision.

    Parameters
    ----------
    criteria
        One gate's criteria: ``criterion``, ``requirement`` (must/should),
        ``weight`` (0 for must) and ``score`` (must 0/1, should 0..5; empty = not
        scored). ``evidence``, ``review_date`` and ``decision`` are kept if present.
    rules
        The decision rule; default :func:`load_gate_rules` of the shipped file.
    project_id, gate
        Labels for the result (taken from the table when it has them).

    Returns
    -------
    GateReview
        The decision, its rationale and the criteria table with ``met`` and
        ``contribution``.

    Examples
    --------
    >>> import pandas as pd
    >>> criteria = pd.DataFrame(
    ...     {
    ...         "criterion": ["Business case approved", "Risks identified", "Plan"],
    ...         "requirement": ["must", "should", "should"],
    ...         "weight": [0.0, 0.6, 0.4],
    ...         "score": [1, 4, 2],
    ...     }
    ... )
    >>> review = decide_gate(criteria)
    >>> review.decision, round(review.weighted_score, 2)
    ('Go', 3.2)
    >>> decide_gate(criteria.assign(score=[0, 4, 2])).decision
    'Hold'
    """
    rules = rules or default_gate_rules()
    frame = criteria.reset_index(drop=True).copy()
    if project_id == "" and "project_id" in frame and len(frame):
        project_id = str(frame["project_id"].iloc[0])
    if gate == "" and "gate" in frame and len(frame):
        gate = str(frame["gate"].iloc[0])
    check_gates(
        frame.assign(project_id=project_id or "?", gate=gate or "G0"), rules=rules
    )
    return _review_gate(frame, rules, project_id, gate)


def _verdict(
    criterion: np.ndarray[Any, Any],
    must: np.ndarray[Any, Any],
    score: np.ndarray[Any, Any],
    weight: np.ndarray[Any, Any],
    rules: GateRules,
) -> tuple[Decision, str, float, tuple[str, ...]]:
    """Decision, rationale, weighted score and failed musts from one gate's arrays."""
    should = ~must
    unscored = np.isnan(score)
    unscored_should = criterion[should & unscored].tolist()
    unscored_must = criterion[must & unscored].tolist()
    failed = criterion[must & ~(score >= 1)].tolist()
    has_should = bool(should.any())
    if unscored_should:
        weighted = math.nan
    elif has_should:
        weighted = round(float((weight[should] * score[should]).sum()), 9)
    else:
        weighted = 0.0
    decision, rationale = _decide(
        rules, failed, unscored_must, unscored_should, weighted, has_should
    )
    return decision, rationale, weighted, tuple(failed)


def _review_gate(
    frame: pd.DataFrame, rules: GateRules, project_id: str, gate: str
) -> GateReview:
    """Decide one gate whose rows are already checked (``frame`` is a copy)."""
    if frame.empty:
        msg = f"gate {gate or '?'} of {project_id or '?'} has no criteria to review"
        raise ValidationError(msg)
    score = pd.to_numeric(frame["score"], errors="coerce").astype("float64")
    weight = frame["weight"].astype("float64")
    must = frame["requirement"] == "must"
    frame["score"] = score
    frame["met"] = (score >= 1).where(must)
    frame["contribution"] = (weight * score).where(~must)
    decision, rationale, weighted, failed = _verdict(
        frame["criterion"].astype(str).to_numpy(),
        must.to_numpy(),
        score.to_numpy(),
        weight.to_numpy(),
        rules,
    )
    recorded = None
    if "decision" in frame and frame["decision"].notna().any():
        recorded = str(frame["decision"].dropna().iloc[0]).lower()
    review_date = None
    if "review_date" in frame and frame["review_date"].notna().any():
        review_date = pd.Timestamp(frame["review_date"].dropna().iloc[0])
    return GateReview(
        project_id=project_id,
        gate=gate,
        decision=decision,
        rationale=rationale,
        criteria=frame,
        weighted_score=weighted,
        failed_musts=failed,
        rules=rules,
        recorded=recorded,
        review_date=review_date,
    )


def _names(items: list[str]) -> str:
    quoted = [f"'{i}'" for i in items]
    return (
        quoted[0] if len(quoted) == 1 else ", ".join(quoted[:-1]) + " and " + quoted[-1]
    )


def _decide(
    rules: GateRules,
    failed: list[str],
    unscored_must: list[str],
    unscored_should: list[str],
    weighted: float,
    has_should: bool,
) -> tuple[Decision, str]:
    knocked = [c for c in failed if c in rules.knock_out and c not in unscored_must]
    if knocked:
        return "Kill", (
            f"Knock-out criterion {_names(knocked)} is not met and cannot be fixed by "
            "more work: stop the project, whatever the other scores."
        )
    if unscored_must or unscored_should:
        missing = unscored_must + unscored_should
        return "Hold", (
            f"Not scored: {_names(missing)}. The gate cannot be decided until every "
            "criterion is assessed."
        )
    if failed:
        verb = "is" if len(failed) == 1 else "are"
        noun = "criterion" if len(failed) == 1 else "criteria"
        what = (
            "stop the project"
            if rules.must_not_met == "Kill"
            else ("the project waits until it is fixed, whatever the weighted score")
        )
        return rules.must_not_met, (
            f"Must-meet {noun} {_names(failed)} {verb} not met: a knock-out, so "
            f"{what} ({weighted:.2f} of 5 on the should-criteria)."
        )
    if not has_should:
        return "Go", "Every must-meet criterion is met (this gate has no scored ones)."
    score = f"{weighted:.2f}"
    if weighted >= rules.go_threshold - 1e-9:
        return "Go", (
            f"Every must-meet criterion is met and the weighted should-score, {score} "
            f"of 5, reaches the Go threshold of {rules.go_threshold:g}."
        )
    if weighted >= rules.recycle_threshold - 1e-9:
        return "Recycle", (
            f"Every must-meet criterion is met, but the weighted should-score, "
            f"{score} of 5, is below the Go threshold of {rules.go_threshold:g} "
            f"(Recycle from {rules.recycle_threshold:g}): rework the weakest "
            "criteria and come back to the gate."
        )
    return "Kill", (
        f"The weighted should-score, {score} of 5, is below the Recycle threshold of "
        f"{rules.recycle_threshold:g}: the case is too weak to rework."
    )


def gate_review(
    gates: pd.DataFrame,
    project_id: str,
    gate: str,
    *,
    rules: GateRules | None = None,
) -> GateReview:
    """
    Review one project's gate under the decision rule.

    Parameters
    ----------
    gates
        The gates table (``portfolio.gates``).
    project_id, gate
        Which review, e.g. ``"P-010"``, ``"G1"``.
    rules
        The decision rule; default the shipped ``gate_rules.yaml``.

    Returns
    -------
    GateReview
        Decision, rationale, criteria and the decision recorded in the data.

    Raises
    ------
    ValidationError
        ``gate`` is not G0..G5, or the project was not reviewed at that gate (the
        message lists the gates it was reviewed at), or the rows are invalid.
    """
    if gate not in GATES:
        msg = f"{gate!r} is not a gate. Allowed: {', '.join(GATES)}"
        raise ValidationError(msg)
    rows = gates[(gates["project_id"] == project_id) & (gates["gate"] == gate)]
    if rows.empty:
        reviewed = sorted(set(gates.loc[gates["project_id"] == project_id, "gate"]))
        known = ", ".join(reviewed) if reviewed else "none (no gate reviews recorded)"
        msg = (
            f"{project_id} has no review of gate {gate} in the gates table. Gates "
            f"reviewed: {known}"
        )
        raise ValidationError(msg)
    return decide_gate(rows, rules=rules, project_id=project_id, gate=gate)


def gate_decisions(
    gates: pd.DataFrame, *, rules: GateRules | None = None
) -> pd.DataFrame:
    """
    Every gate review in the table: the rule's decision next to the recorded one.

    Parameters
    ----------
    gates
        The gates table (``portfolio.gates``).
    rules
        The decision rule; default the shipped ``gate_rules.yaml``.

    Returns
    -------
    pandas.DataFrame
        One row per (project, gate), in gate order: ``project_id``, ``gate``,
        ``review_date``, ``weighted_score``, ``musts_met``, ``failed_musts``,
        ``decision`` (the rule's), ``recorded``, ``agrees`` (True, False, or None
        when nothing is recorded), ``overridden`` (True: the board recorded a
        different decision than the rule's) and ``rationale``.
    """
    rules = rules or default_gate_rules()
    check_gates(gates, rules=rules)
    rows: list[dict[str, Any]] = []
    order = {g: i for i, g in enumerate(GATES)}
    criterion = gates["criterion"].astype(str).to_numpy()
    must = (gates["requirement"] == "must").to_numpy()
    score = pd.to_numeric(gates["score"], errors="coerce").to_numpy(dtype="float64")
    weight = pd.to_numeric(gates["weight"]).to_numpy(dtype="float64")
    decided = (
        gates["decision"].astype("object").where(gates["decision"].notna(), None)
        if "decision" in gates
        else pd.Series(None, index=gates.index, dtype="object")
    ).to_numpy()
    dates = (
        pd.to_datetime(gates["review_date"])
        if "review_date" in gates
        else pd.Series(pd.NaT, index=gates.index)
    ).to_numpy()
    groups: dict[tuple[str, str], Any] = {
        (str(k[0]), str(k[1])): v  # type: ignore[index]
        for k, v in gates.groupby(["project_id", "gate"], sort=False).indices.items()
    }
    for project, gate in sorted(groups, key=lambda k: (k[0], order[k[1]])):
        at = groups[(project, gate)]
        decision, rationale, weighted, failed = _verdict(
            criterion[at], must[at], score[at], weight[at], rules
        )
        recorded = next((str(d).lower() for d in decided[at] if d is not None), None)
        day = next((d for d in dates[at] if not pd.isna(d)), None)
        agrees = None if recorded is None else recorded == decision.lower()
        rows.append(
            {
                "project_id": project,
                "gate": gate,
                "review_date": day,
                "weighted_score": weighted,
                "musts_met": not failed,
                "failed_musts": "; ".join(failed),
                "decision": decision,
                "recorded": recorded,
                "agrees": agrees,
                "overridden": agrees is False,
                "rationale": rationale,
            }
        )
    columns = [
        "project_id",
        "gate",
        "review_date",
        "weighted_score",
        "musts_met",
        "failed_musts",
        "decision",
        "recorded",
        "agrees",
        "overridden",
        "rationale",
    ]
    frame = pd.DataFrame(rows, columns=columns)
    frame["overridden"] = frame["overridden"].astype(bool)
    frame["review_date"] = pd.to_datetime(frame["review_date"])
    frame["agrees"] = frame["agrees"].astype("object")
    return frame
