"""
The gate decision rule as data: thresholds, knock-outs, the weight tolerance.

:func:`load_gate_rules` reads the rule from YAML (``gate_rules.yaml`` in
:mod:`pmo_kit.governance` is the default), so a PMO changes its thresholds without
touching code; :class:`GateRules` checks the values.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pmo_kit._errors import ValidationError
from pmo_kit.data.tables import read_settings

if TYPE_CHECKING:
    import os

    from pmo_kit.vocabulary import Decision

__all__ = [
    "DEFAULT_GATE_RULES_PATH",
    "GateRules",
    "default_gate_rules",
    "load_gate_rules",
]

#: The decision rule shipped with pmo-kit.
DEFAULT_GATE_RULES_PATH = Path(__file__).resolve().parent.parent / "gate_rules.yaml"


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
