"""
The tolerances agile delivery is judged by: sprint commitment and stable flow.

One rule for the whole kit: a sprint that completed less than 80 % of its committed
points missed its commitment (amber), below 60 % it is red; Little's law's ratio of
measured to expected work in progress is a stable flow from 0.8 to 1.2. The numbers
are data (``flow_tolerances.yaml`` beside this module), as RAG rules are.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, fields
from pathlib import Path
from typing import TYPE_CHECKING

from pmo_kit._errors import ValidationError
from pmo_kit.data.tables import read_settings

if TYPE_CHECKING:
    import os
    from collections.abc import Mapping

__all__ = ["DEFAULT_FLOW_TOLERANCES_PATH", "FlowTolerances", "load_flow_tolerances"]

#: The shipped tolerances file.
DEFAULT_FLOW_TOLERANCES_PATH = Path(__file__).with_name("flow_tolerances.yaml")


@dataclass(frozen=True, slots=True)
class FlowTolerances:
    """
    When a sprint missed its commitment and when a flow is stable.

    Examples
    --------
    >>> rules = FlowTolerances()
    >>> rules.sprint_rag(0.85), rules.sprint_rag(0.7), rules.sprint_rag(0.5)
    ('green', 'amber', 'red')
    >>> rules.missed(0.8), rules.missed(0.79)
    (False, True)
    >>> rules.flow(1.0), rules.flow(1.3), rules.flow(0.5)
    ('stable', 'piling up', 'shrinking')
    """

    sprint_amber_below: float = 0.8
    sprint_red_below: float = 0.6
    wip_ratio_low: float = 0.8
    wip_ratio_high: float = 1.2

    def __post_init__(self) -> None:
        for item in fields(self):
            value = getattr(self, item.name)
            if (
                isinstance(value, bool)
                or not isinstance(value, int | float)
                or not math.isfinite(value)
                or value < 0
            ):
                msg = (
                    f"{value!r} is an invalid value for `{item.name}`. "
                    "Allowed: a number of 0 or more"
                )
                raise ValidationError(msg)
        if self.sprint_red_below > self.sprint_amber_below:
            msg = (
                f"`sprint_red_below` {self.sprint_red_below:g} is above "
                f"`sprint_amber_below` {self.sprint_amber_below:g}. Allowed: red "
                "below a share no higher than amber's"
            )
            raise ValidationError(msg)
        if self.wip_ratio_low > self.wip_ratio_high:
            msg = (
                f"`wip_ratio_low` {self.wip_ratio_low:g} is above `wip_ratio_high` "
                f"{self.wip_ratio_high:g}. Allowed: low <= high"
            )
            raise ValidationError(msg)

    def missed(self, completion: float) -> bool:
        """Return True when a sprint's completion (completed / committed) missed."""
        return bool(completion < self.sprint_amber_below)

    def sprint_rag(self, completion: float) -> str:
        """Return red, amber or green for a sprint's completion ('' when unknown)."""
        if math.isnan(completion):
            return ""
        if completion < self.sprint_red_below:
            return "red"
        return "amber" if completion < self.sprint_amber_below else "green"

    def flow(self, ratio: float) -> str:
        """Read Little's law's measured / expected WIP ratio: stable or not."""
        if ratio > self.wip_ratio_high:
            return "piling up"
        return "shrinking" if ratio < self.wip_ratio_low else "stable"


def load_flow_tolerances(
    source: str
    | os.PathLike[str]
    | Mapping[str, object]
    | FlowTolerances
    | None = None,
) -> FlowTolerances:
    """
    Read the flow tolerances from a YAML file or a mapping (default: the shipped file).

    Raises
    ------
    ValidationError
        The file cannot be read, a key is unknown, or a value is not a number.

    Examples
    --------
    >>> load_flow_tolerances().sprint_amber_below
    0.8
    >>> load_flow_tolerances({"sprint_amber_below": 0.9}).sprint_amber_below
    0.9
    """
    if isinstance(source, FlowTolerances):
        return source
    data, where = read_settings(
        DEFAULT_FLOW_TOLERANCES_PATH if source is None else source,
        what="flow tolerances",
    )
    known = [f.name for f in fields(FlowTolerances)]
    if not isinstance(data, dict):
        msg = f"{where} must be a mapping of {', '.join(known)}"
        raise ValidationError(msg)
    for key in data:
        if key not in known:
            msg = f"{key!r} in {where} is not a tolerance. Allowed: {', '.join(known)}"
            raise ValidationError(msg)
    return FlowTolerances(**{str(k): v for k, v in data.items()})
