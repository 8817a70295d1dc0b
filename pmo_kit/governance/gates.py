"""
Stage gates: must-meet knock-outs, weighted should-meet scores, and the decision.

At a gate the steering group decides whether the project may go on: **Go**,
**Kill**, **Hold** (wait until a must-meet is fixed) or **Recycle** (rework and
come back). The decision rule is data (:func:`load_gate_rules` reads it from YAML,
``gate_rules.yaml`` in this package is the default), so a PMO changes its
thresholds without touching code:

1. a *knock-out* must-meet criterion not met -> Kill;
2. any other must-meet not met, or a criterion not scored -> Hold (or what the rules
   say in ``must_not_met``);
3. weighted should-score (``sum(weight * score)``, 0..5) >= ``go_threshold`` -> Go;
4. >= ``recycle_threshold`` -> Recycle;
5. below -> Kill.
"""

from __future__ import annotations

import itertools
import math
import numbers
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

import numpy as np
import pandas as pd

from pmo_kit._errors import ValidationError
from pmo_kit.data.tables import read_settings

if TYPE_CHECKING:
    import os

__all__ = [
    "DECISIONS",
    "DEFAULT_GATE_RULES_PATH",
    "GATES",
    "GateReview",
    "GateRules",
    "check_gates",
    "decide_gate",
    "default_gate_rules",
    "gate_decisions",
    "gate_review",
    "load_gate_rules",
]

#: The gates of the life cycle, in order.
GATES = ("G0", "G1", "G2", "G3", "G4", "G5")
#: The four gate decisions, as the rule states them.
DECISIONS = ("Go", "Hold", "Recycle", "Kill")
#: The decision rule shipped with pmo-kit.
DEFAULT_GATE_RULES_PATH = Path(__file__).with_name("gate_rules.yaml")

Decision = Literal["Go", "Hold", "Recycle", "Kill"]
_REQUIREMENTS = ("must", "should")
_CRITERIA_COLUMNS = ("criterion", "requirement", "weight", "score")


@dataclass(frozen=True, slots=True)
class GateRules:
    """
    The decision rule of a gate review (see the module docstring for the order).

    Examples
    --------
    >>> GateRules(go_threshold=3.5).recycle_threshold
    1.5
    >>> GateRules(go_threshold=1.0, recycle_threshold=2.0)  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    pmo_kit._errors.ValidationError: recycle_threshold 2.0 is above go_threshold ...
    """

    go_threshold: float = 3.0
    recycle_threshold: float = 1.5
    must_not_met: Decision = "Hold"
    knock_out: tuple[str, ...] = ("Idea fits the strategy",)
    weight_tolerance: float = 0.02

    def __post_init__(self) -> None:
        for name in ("go_threshold", "recycle_threshold"):
            value = getattr(self, name)
            if not 0 <= value <= 5:
                msg = (
                    f"{value!r} is an invalid value for `{name}`. Allowed: a number "
                    "from 0 to 5 (the scale of the should-scores)"
                )
                raise ValidationError(msg)
        if self.recycle_threshold > self.go_threshold:
            msg = (
                f"recycle_threshold {self.recycle_threshold} is above go_threshold "
                f"{self.go_threshold}. Allowed: recycle_threshold <= go_threshold"
            )
            raise ValidationError(msg)
        if self.must_not_met not in ("Hold", "Kill"):
            msg = (
                f"{self.must_not_met!r} is an invalid value for `must_not_met`. "
                "Allowed: 'hold' or 'kill'"
            )
            raise ValidationError(msg)
        if not 0 <= self.weight_tolerance <= 0.5:
            msg = (
                f"{self.weight_tolerance!r} is an invalid value for "
                "`weight_tolerance`. Allowed: a number from 0 to 0.5"
            )
            raise ValidationError(msg)


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


# ------------------------------------------------------------------ validation


def _where(row: pd.Series) -> str:
    return (
        f"gates, project {row.get('project_id', '?')} gate {row.get('gate', '?')} "
        f"criterion {row.get('criterion', '?')!r}"
    )


def check_gates(gates: pd.DataFrame, *, rules: GateRules | None = None) -> None:
    """
    Check a gates table: gates, requirements, weights, scores, dates, decisions.

    Parameters
    ----------
    gates
        Rows of ``gates.csv`` (``project_id``, ``gate``, ``criterion``,
        ``requirement``, ``weight``, ``score``; ``review_date`` and ``decision``
        when present).
    rules
        Gives the tolerance on the sum of the should-weights (default 0.02).

    Raises
    ------
    ValidationError
        Every problem found, each naming project, gate and criterion, the bad value
        and what is allowed: a gate not in G0..G5, a requirement other than
        must/should, a must-meet with a weight, a score out of range, should-weights
        of a gate not adding up to 1, two decisions or dates for one gate, an
        unknown decision, or a later gate reviewed before an earlier one.

    Examples
    --------
    >>> import pandas as pd
    >>> check_gates(
    ...     pd.DataFrame(
    ...         {
    ...             "project_id": ["P-001"],
    ...             "gate": ["G7"],
    ...             "criterion": ["Sponsor named"],
    ...             "requirement": ["must"],
    ...             "weight": [0.0],
    ...             "score": [1],
    ...         }
    ...     )
    ... )  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    pmo_kit._errors.ValidationError: gates, project P-001 gate G7 criterion 'Sponsor \
named': 'G7' is not a gate. Allowed: G0, G1, G2, G3, G4, G5
    """
    rules = rules or GateRules()
    missing = [c for c in ("project_id", "gate", *_CRITERIA_COLUMNS) if c not in gates]
    if missing:
        msg = (
            f"gates: the column(s) {', '.join(map(repr, missing))} are missing. "
            f"The table has {', '.join(map(repr, gates.columns))}"
        )
        raise ValidationError(msg)
    problems: list[str] = []
    for _, row in gates[_suspect_rows(gates)].iterrows():
        problems += _row_problems(row)
    if not problems:
        problems += _group_problems(gates, rules)
    if problems:
        raise ValidationError.from_problems(problems)


def _blank(value: object) -> bool:
    if value is None or isinstance(value, str):
        return value is None
    return bool(pd.isna(value))  # type: ignore[call-overload]


def _row_problems(row: pd.Series) -> list[str]:
    where = _where(row)
    out: list[str] = []
    if row["gate"] not in GATES:
        out.append(
            f"{where}: {row['gate']!r} is not a gate. Allowed: {', '.join(GATES)}"
        )
    requirement = row["requirement"]
    if requirement not in _REQUIREMENTS:
        out.append(
            f"{where}: requirement {requirement!r} is not allowed. Allowed: 'must' "
            "(a knock-out) or 'should' (scored and weighted)"
        )
    raw_weight, score = row["weight"], row["score"]
    weight = float(raw_weight) if isinstance(raw_weight, numbers.Real) else math.nan
    if math.isnan(weight) or weight < 0:
        out.append(f"{where}: weight {raw_weight!r} is not allowed. Allowed: 0 to 1")
    elif requirement == "must" and weight != 0:
        out.append(
            f"{where}: a must-meet criterion has weight {weight:g}. Allowed: 0 (a "
            "must-meet is not weighted: it is met or the gate fails)"
        )
    elif weight > 1:
        out.append(f"{where}: weight {weight:g} is above 1. Allowed: 0 to 1")
    if not pd.isna(score):
        allowed = (0, 1) if requirement == "must" else range(6)
        if score not in allowed:
            text = "0 (not met) or 1 (met)" if requirement == "must" else "0 to 5"
            out.append(
                f"{where}: score {score!r} is not allowed for a {requirement}-"
                f"criterion. Allowed: {text}"
            )
    decision = row.get("decision")
    known = {d.lower() for d in DECISIONS}
    if not _blank(decision) and str(decision).lower() not in known:
        out.append(
            f"{where}: decision {decision!r} is not a gate decision. Allowed: "
            "go, hold, recycle, kill"
        )
    return out


def _suspect_rows(gates: pd.DataFrame) -> pd.Series:
    """Rows that break a row rule (cheap, vectorised; messages come after)."""
    must = gates["requirement"] == "must"
    weight = pd.to_numeric(gates["weight"], errors="coerce")
    score = pd.to_numeric(gates["score"], errors="coerce")
    scored = gates["score"].notna()
    bad_score = scored & (
        score.isna()
        | (score != score.round())
        | (score < 0)
        | (score > 5)
        | (must & (score > 1))
    )
    suspect = (
        ~gates["gate"].isin(GATES)
        | ~gates["requirement"].isin(_REQUIREMENTS)
        | weight.isna()
        | (weight < 0)
        | (weight > 1)
        | (must & (weight != 0))
        | bad_score
    )
    if "decision" in gates:
        known = [d.lower() for d in DECISIONS]
        decision = gates["decision"]
        suspect |= decision.notna() & ~decision.astype(str).str.lower().isin(known)
    return suspect.fillna(True).astype(bool)


def _group_problems(gates: pd.DataFrame, rules: GateRules) -> list[str]:
    out: list[str] = []
    keys = ["project_id", "gate"]

    def where(key: Any) -> str:
        return f"gates, project {key[0]} gate {key[1]}"

    dupes = gates[gates.duplicated([*keys, "criterion"])]
    for dupe_key, rows in dupes.groupby(keys, sort=False):
        out.append(
            f"{where(dupe_key)}: criterion {rows['criterion'].iloc[0]!r} appears "
            "twice. Allowed: each criterion once per gate"
        )
    should = gates[gates["requirement"] == "should"]
    totals = should.groupby(keys, sort=False)["weight"].sum()
    for key, total in totals[(totals - 1).abs() > rules.weight_tolerance].items():
        out.append(
            f"{where(key)}: the should-criteria weights add up to {total:.2f}. "
            f"Allowed: 1 (within {rules.weight_tolerance:g}), so the weighted "
            "score stays on the 0..5 scale"
        )
    if "decision" in gates:
        decided = gates.dropna(subset=["decision"])
        lowered = decided.assign(_d=decided["decision"].astype(str).str.lower())
        kinds = lowered.groupby(keys, sort=False)["_d"].unique()
        for key, found in kinds[kinds.map(len) > 1].items():
            out.append(
                f"{where(key)}: the rows record different decisions "
                f"({', '.join(sorted(found))}). Allowed: one decision per gate"
            )
    if "review_date" not in gates:
        return out
    dated = gates.dropna(subset=["review_date"])
    dates = dated.groupby(keys, sort=False)["review_date"].agg(["nunique", "first"])
    for key, n in dates.loc[dates["nunique"] > 1, "nunique"].items():
        out.append(
            f"{where(key)}: the rows give {n} review dates. Allowed: one review "
            "date per gate"
        )
    first = dates.loc[dates["nunique"] == 1, "first"]
    order = {g: i for i, g in enumerate(GATES)}
    for project, chain in first.groupby(level="project_id", sort=False):
        by_gate = {str(key[1]): pd.Timestamp(day) for key, day in chain.items()}  # type: ignore[index]
        seen = sorted(
            ((g, d) for g, d in by_gate.items() if g in order),
            key=lambda item: order[item[0]],
        )
        for (g1, d1), (g2, d2) in itertools.pairwise(seen):
            if d2 < d1:
                out.append(
                    f"gates, project {project}: gate {g2} was reviewed on "
                    f"{d2:%Y-%m-%d}, before gate {g1} ({d1:%Y-%m-%d}). Allowed: "
                    "gates reviewed in order, G0 first"
                )
    return out


# ---------------------------------------------------------------- the decision


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


# -------------------------------------------------------------- rules as data

_RULE_KEYS = (
    "go_threshold",
    "recycle_threshold",
    "must_not_met",
    "knock_out",
    "weight_tolerance",
)


def _number(value: object, key: str, where: str) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or value != value:
        msg = f"{value!r} is an invalid value for `{key}` in {where}. Allowed: a number"
        raise ValidationError(msg)
    return float(value)


def load_gate_rules(
    source: str | os.PathLike[str] | Mapping[str, Any] | None = None,
) -> GateRules:
    """
    Read a gate decision rule from YAML (default: the file shipped with pmo-kit).

    Parameters
    ----------
    source
        Path of a YAML file, a mapping with the same keys, or None for
        :data:`DEFAULT_GATE_RULES_PATH`. Keys: ``go_threshold``,
        ``recycle_threshold`` (0..5), ``must_not_met`` (hold/kill), ``knock_out``
        (a list of criteria), ``weight_tolerance``. Keys left out keep their
        defaults.

    Raises
    ------
    ValidationError
        The file is missing or not YAML, a key is unknown, or a value is out of
        range; the message names the file and the key.

    Examples
    --------
    >>> load_gate_rules({"go_threshold": 3.5}).go_threshold
    3.5
    >>> load_gate_rules({"go_treshold": 3.5})  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    pmo_kit._errors.ValidationError: 'go_treshold' is not a key of the gate rules. ...
    """
    if source is None:
        source = DEFAULT_GATE_RULES_PATH
    data, where = read_settings(source, what="gate rules")
    if not isinstance(data, Mapping):
        msg = f"{where} must be a mapping of keys such as go_threshold; got {data!r}"
        raise ValidationError(msg)
    values: dict[str, Any] = {}
    for key, value in data.items():
        if key not in _RULE_KEYS:
            msg = (
                f"{key!r} is not a key of {where}. Known keys: {', '.join(_RULE_KEYS)}"
            )
            raise ValidationError(msg)
        if key == "must_not_met":
            text = str(value).strip().capitalize()
            if text not in ("Hold", "Kill"):
                msg = (
                    f"{value!r} is an invalid value for `must_not_met` in {where}. "
                    "Allowed: hold, kill"
                )
                raise ValidationError(msg)
            values[key] = text
        elif key == "knock_out":
            if value is None:
                value = []
            if not isinstance(value, list) or not all(
                isinstance(v, str) for v in value
            ):
                msg = (
                    f"{value!r} is an invalid value for `knock_out` in {where}. "
                    "Allowed: a list of criterion names"
                )
                raise ValidationError(msg)
            values[key] = tuple(value)
        else:
            values[key] = _number(value, key, where)
    try:
        return GateRules(**values)
    except ValidationError as exc:
        msg = f"{exc} (in {where})"
        raise ValidationError(msg) from None


_DEFAULT: list[GateRules] = []


def default_gate_rules() -> GateRules:
    """Return the shipped decision rule (read once)."""
    if not _DEFAULT:
        _DEFAULT.append(load_gate_rules())
    return _DEFAULT[0]
