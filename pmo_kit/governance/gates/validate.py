"""
Checks on a gates table: gates, criterion kinds, weights, scores, dates, decisions.

:func:`check_gates` collects every problem, each naming project, gate and criterion,
the bad value and what is allowed.
"""

from __future__ import annotations

import itertools
import math
import numbers
from typing import Any

import pandas as pd

from pmo_kit._errors import ValidationError
from pmo_kit.governance.gates.rules import GateRules
from pmo_kit.vocabulary import GATE_DECISIONS, GATE_REQUIREMENTS, GATES

__all__ = ["check_gates"]

_CRITERIA_COLUMNS = ("criterion", "requirement", "weight", "score")


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
    if requirement not in GATE_REQUIREMENTS:
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
    if not _blank(decision) and str(decision).lower() not in GATE_DECISIONS:
        out.append(
            f"{where}: decision {decision!r} is not a gate decision. Allowed: "
            f"{', '.join(GATE_DECISIONS)}"
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
        | ~gates["requirement"].isin(GATE_REQUIREMENTS)
        | weight.isna()
        | (weight < 0)
        | (weight > 1)
        | (must & (weight != 0))
        | bad_score
    )
    if "decision" in gates:
        decision = gates["decision"]
        suspect |= decision.notna() & ~decision.astype(str).str.lower().isin(
            GATE_DECISIONS
        )
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
