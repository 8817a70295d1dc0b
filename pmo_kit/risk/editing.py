"""
Add or change one risk in a register, collecting problems instead of raising.

This is the logic behind the risk editor widget (and anything else that edits
a register one risk at a time): the draft is checked with the same rules as
:func:`pmo_kit.risk.validate_register`, plus what a new row needs (an id, a
title, an event, a category), and scored live so the user sees the rating
while typing. The register is only changed when the draft has no problem.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import pandas as pd

from pmo_kit.data.schemas import RISK_CATEGORIES
from pmo_kit.risk.matrix import ORDINAL_5X5, RiskMatrix, get_matrix
from pmo_kit.risk.register import (
    LEVEL_COLUMNS,
    RESPONSES,
    score,
    show_value,
    validate_register,
)

if TYPE_CHECKING:
    from collections.abc import Mapping

__all__ = ["RiskEdit", "edit_risk", "next_risk_id", "strategy_choices"]

_REQUIRED_TEXT = ("title", "event")
_RISK_ID = re.compile(r"RK-\d{3,}")
_DATES = ("raised_date", "last_review_date", "closed_date")


@dataclass(frozen=True)
class RiskEdit:
    """
    Outcome of :func:`edit_risk`.

    Attributes
    ----------
    register
        The register with the risk added or replaced, or the unchanged input
        when there are problems.
    risk
        The draft as one scored row (a Series) or None when it cannot be scored.
    problems
        Messages naming the field, the bad value and what is allowed.
    is_new
        True when the risk id was not in the register.
    """

    register: pd.DataFrame
    risk: pd.Series | None
    problems: list[str] = field(default_factory=list)
    is_new: bool = True

    @property
    def ok(self) -> bool:
        """True when the draft was accepted."""
        return not self.problems


def strategy_choices(risk_type: str) -> tuple[str, ...]:
    """
    Response strategies allowed for a risk type.

    Examples
    --------
    >>> strategy_choices("opportunity")
    ('exploit', 'enhance', 'share', 'escalate', 'accept')
    """
    if risk_type not in RESPONSES:
        return ()
    return RESPONSES[risk_type]


def next_risk_id(register: pd.DataFrame) -> str:
    """
    Return the next free ``RK-nnn`` identifier.

    Examples
    --------
    >>> import pandas as pd
    >>> next_risk_id(pd.DataFrame({"risk_id": ["RK-001", "RK-017"]}))
    'RK-018'
    """
    numbers = [
        int(m.group(0)[3:])
        for m in (_RISK_ID.fullmatch(str(r)) for r in register.get("risk_id", []))
        if m
    ]
    return f"RK-{max(numbers, default=0) + 1:03d}"


def _text(value: object) -> str:
    return (
        ""
        if value is None or (isinstance(value, float) and pd.isna(value))
        else str(value)
    )


def edit_risk(
    register: pd.DataFrame,
    values: Mapping[str, Any],
    *,
    matrix: RiskMatrix | str = ORDINAL_5X5,
) -> RiskEdit:
    """
    Add a risk to a register, or replace the one with the same id.

    Parameters
    ----------
    register
        The risks table (not modified).
    values
        The draft's fields by column name; fields left out keep the existing
        risk's values (when editing) or stay empty (when adding).
    matrix
        Scale the levels must fit; also gives the live score and rating.

    Returns
    -------
    RiskEdit
        The new register (or the old one when there are problems), the scored
        draft and the problems found.

    Examples
    --------
    >>> import pmo_kit
    >>> risks = pmo_kit.load_portfolio().risks
    >>> edit = edit_risk(risks, {"risk_id": "RK-017", "response_strategy": "mitigate"})
    >>> edit.ok, edit.problems[0][:60]
    (False, "draft RK-017, field 'response_strategy': 'mitigate' is not a")
    >>> edit = edit_risk(risks, {"risk_id": "RK-017", "residual_probability": 4})
    >>> edit.ok, edit.is_new, float(edit.risk["residual_score"])  # 4 x 2
    (True, False, 8.0)
    """
    m = get_matrix(matrix)
    draft = dict(values)
    risk_id = _text(draft.get("risk_id")).strip()
    problems: list[str] = []
    ids = register["risk_id"].astype(str) if "risk_id" in register else pd.Series()
    matches = register.index[ids == risk_id] if risk_id else pd.Index([])
    if "project_id" in draft and "project_id" in register and len(matches):
        same = register.loc[matches, "project_id"] == draft["project_id"]
        matches = matches[same.to_numpy()]
    is_new = len(matches) == 0
    base: dict[str, Any] = (
        {str(c): None for c in register.columns}
        if is_new
        else {str(k): v for k, v in register.loc[matches[0]].to_dict().items()}
    )
    base.update(draft)
    where = f"draft {risk_id or '(no id)'}"
    if not _RISK_ID.fullmatch(risk_id):
        problems.append(
            f"{where}, field 'risk_id': {risk_id!r} is not a risk id. Allowed: RK- "
            f"and three digits, e.g. {next_risk_id(register)}"
        )
    for name in _REQUIRED_TEXT:
        if not _text(base.get(name)).strip():
            problems.append(
                f"{where}, field {name!r}: empty. Allowed: a short text "
                + (
                    "(the uncertain event: '... may happen ...')"
                    if name == "event"
                    else ""
                )
            )
    if "category" in base and base.get("category") not in RISK_CATEGORIES:
        problems.append(
            f"{where}, field 'category': {show_value(base.get('category'))} is not a "
            f"risk category. Allowed: {', '.join(RISK_CATEGORIES)}"
        )
    for name in _DATES:
        raw = base.get(name)
        if _text(raw).strip() in ("", "NaT"):
            base[name] = pd.NaT
            continue
        try:
            base[name] = (
                raw if isinstance(raw, pd.Timestamp) else pd.Timestamp(str(raw))
            )
        except (ValueError, TypeError):
            problems.append(
                f"{where}, field {name!r}: {raw!r} is not a date. Allowed: YYYY-MM-DD"
            )
            base[name] = pd.NaT
    row = pd.DataFrame([base])
    found = validate_register(row, matrix=m)
    for finding in found.itertuples(index=False):
        shown = "empty" if _text(finding.value) == "" else show_value(finding.value)
        problems.append(
            f"{where}, field {finding.column!r}: {shown} {finding.problem}. "
            f"Allowed: {finding.allowed}"
        )
    scored: pd.Series | None = None
    off_scale = found["column"].isin(LEVEL_COLUMNS) & found["problem"].str.contains(
        "outside the scale"
    )
    levels_ok = not off_scale.any() and all(
        base.get(c) is not None for c in LEVEL_COLUMNS
    )
    if levels_ok and base.get("type") in RESPONSES:
        scored = score(row, matrix=m).iloc[0]
    if problems:
        return RiskEdit(register, scored, problems, is_new)
    if is_new:
        new = pd.concat([register, row[list(register.columns)]], ignore_index=True)
        for column in register.columns:
            try:
                new[column] = new[column].astype(register[column].dtype)
            except (TypeError, ValueError):
                continue
    else:
        new = register.copy()
        for column, value in base.items():
            if column in new.columns:
                new.loc[matches[0], column] = value
    return RiskEdit(new, scored, [], is_new)
