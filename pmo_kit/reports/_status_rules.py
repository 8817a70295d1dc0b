"""
The thresholds of the weekly project status report, kept as data.

The schedule and cost colours come from the RAG rules (:mod:`pmo_kit.evm.rag`), what
counts as a high risk and how often a risk is reviewed from the risk matrix
(:mod:`pmo_kit.risk`), and what a sprint must deliver from the agile reports' flow
tolerances (:class:`pmo_kit.agile.FlowTolerances`). The rest of what a PMO tunes in a
status report (how far ahead milestones are listed, how recent a fired risk must be to
turn the risk status red, how a scope threat must be rated to turn scope amber) is a
:class:`StatusRules`, read from YAML by :func:`load_status_rules`;
``status_rules.yaml`` beside this module is the default.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pmo_kit._errors import ValidationError
from pmo_kit.data.tables import read_settings

if TYPE_CHECKING:
    import os

__all__ = ["DEFAULT_STATUS_RULES_PATH", "StatusRules", "load_status_rules"]

#: The status rules shipped with pmo-kit.
DEFAULT_STATUS_RULES_PATH = Path(__file__).with_name("status_rules.yaml")

_WHOLE = (
    "milestone_window_weeks",
    "milestone_amber_slip_days",
    "fired_red_weeks",
    "fired_amber_weeks",
    "top_risks",
    "velocity_sprints",
)


@dataclass(frozen=True, slots=True)
class StatusRules:
    """
    Thresholds of the project status report (defaults: ``status_rules.yaml``).

    Parameters
    ----------
    milestone_window_weeks
        Milestones due within this many weeks of the status date are listed.
    milestone_amber_slip_days
        A milestone slipping up to this many working days is amber; more is red.
    fired_red_weeks, fired_amber_weeks
        A risk that fired within this many weeks makes the risk status red, amber.
    scope_threat_rating
        An open scope threat rated this or worse on the risk matrix makes scope amber.
    tcpi_margin
        A TCPI more than this above the CPI is not a realistic recovery.
    top_risks
        How many open threats are listed as top risks.
    velocity_sprints
        How many finished sprints the average velocity covers.

    Examples
    --------
    >>> StatusRules(fired_red_weeks=20)
    Traceback (most recent call last):
    ...
    pmo_kit._errors.ValidationError: fired_red_weeks (20) is more than \
fired_amber_weeks (13). Allowed: fired_red_weeks <= fired_amber_weeks
    """

    milestone_window_weeks: int = 4
    milestone_amber_slip_days: int = 10
    fired_red_weeks: int = 4
    fired_amber_weeks: int = 13
    scope_threat_rating: str = "medium"
    tcpi_margin: float = 0.1
    top_risks: int = 5
    velocity_sprints: int = 3

    def __post_init__(self) -> None:
        for name in _WHOLE:
            value = getattr(self, name)
            low = 0 if name == "milestone_amber_slip_days" else 1
            if isinstance(value, bool) or not isinstance(value, int) or value < low:
                msg = (
                    f"{value!r} is an invalid value for `{name}`. "
                    f"Allowed: a whole number >= {low}"
                )
                raise ValidationError(msg)
        for name in ("tcpi_margin",):
            value = getattr(self, name)
            high = 10.0
            if (
                isinstance(value, bool)
                or not isinstance(value, int | float)
                or not 0 <= value <= high
            ):
                msg = (
                    f"{value!r} is an invalid value for `{name}`. "
                    f"Allowed: a number from 0 to {high:g}"
                )
                raise ValidationError(msg)
        if not isinstance(self.scope_threat_rating, str) or not (
            self.scope_threat_rating
        ):
            msg = (
                f"{self.scope_threat_rating!r} is an invalid value for "
                "`scope_threat_rating`. Allowed: a band of the risk matrix, such as "
                "low, medium or high"
            )
            raise ValidationError(msg)
        if self.fired_red_weeks > self.fired_amber_weeks:
            msg = (
                f"fired_red_weeks ({self.fired_red_weeks}) is more than "
                f"fired_amber_weeks ({self.fired_amber_weeks}). Allowed: "
                "fired_red_weeks <= fired_amber_weeks"
            )
            raise ValidationError(msg)


def load_status_rules(
    source: str | os.PathLike[str] | Mapping[str, Any] | None = None,
) -> StatusRules:
    """
    Read the project status rules from YAML (default: the file shipped with pmo-kit).

    Parameters
    ----------
    source
        Path of a YAML file, a mapping with the same keys, or None for
        :data:`DEFAULT_STATUS_RULES_PATH`. Keys left out keep their defaults.

    Returns
    -------
    StatusRules

    Raises
    ------
    ValidationError
        The file is missing or not YAML, a key is unknown, or a value is out of
        range; the message names the key and what is allowed.

    Examples
    --------
    >>> load_status_rules().milestone_window_weeks
    4
    >>> load_status_rules({"fired_red_weeks": 2}).fired_red_weeks
    2
    >>> load_status_rules({"top_risk": 3})  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    pmo_kit._errors.ValidationError: 'top_risk' is not a key of the status rules. ...
    """
    if source is None:
        source = DEFAULT_STATUS_RULES_PATH
    data, where = read_settings(source, what="status rules")
    if data is None:
        data = {}
    if not isinstance(data, Mapping):
        msg = (
            f"{where} must be a mapping of keys such as milestone_window_weeks; "
            f"got {data!r}"
        )
        raise ValidationError(msg)
    known = [f.name for f in dataclasses.fields(StatusRules)]
    for key in data:
        if key not in known:
            msg = f"{key!r} is not a key of {where}. Known keys: {', '.join(known)}"
            raise ValidationError(msg)
    try:
        return StatusRules(**{str(k): v for k, v in data.items()})
    except ValidationError as exc:
        msg = f"{exc} (in {where})"
        raise ValidationError(msg) from None
