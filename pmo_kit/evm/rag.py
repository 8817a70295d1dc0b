"""
RAG (red, amber, green) status from performance indices, with rules kept as data.

A PMO's tolerance bands change more often than its code: :func:`load_rag_rules`
reads them from a small YAML file, so the PMO edits a file, not Python.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from pmo_kit._errors import ValidationError
from pmo_kit.data.tables import read_settings

if TYPE_CHECKING:
    import os

__all__ = [
    "DEFAULT_RAG",
    "RAG_ORDER",
    "RagRules",
    "RagThresholds",
    "load_rag_rules",
    "rag_status",
    "worst_rag",
]

#: RAG statuses from best to worst (``grey`` = not measurable is not ranked).
RAG_ORDER = ("green", "amber", "red")


@dataclass(frozen=True, slots=True)
class RagThresholds:
    """
    Bands that turn a performance index into red, amber or green.

    An index inside ``[green_low, green_high]`` is green; inside
    ``[amber_low, amber_high]`` but not green it is amber; beyond, red.
    Over-performance far above 1.0 is flagged too: it usually means a bad plan.
    """

    green_low: float = 0.95
    green_high: float = 1.05
    amber_low: float = 0.90
    amber_high: float = 1.10

    def __post_init__(self) -> None:
        if not (
            self.amber_low
            <= self.green_low
            <= 1.0
            <= self.green_high
            <= self.amber_high
        ):
            msg = (
                f"RAG thresholds {self} are not nested. Allowed: "
                "amber_low <= green_low <= 1.0 <= green_high <= amber_high"
            )
            raise ValidationError(msg)


DEFAULT_RAG = RagThresholds()


@dataclass(frozen=True, slots=True)
class RagRules:
    """
    A PMO's RAG rules: one set of bands for schedule indices, one for cost.

    ``schedule`` applies to SPI and SPI(t), ``cost`` to CPI. The overall status of
    a project is always the worst of its schedule and cost statuses.

    Examples
    --------
    >>> rules = RagRules(cost=RagThresholds(green_low=0.97, green_high=1.03))
    >>> rules.schedule == DEFAULT_RAG
    True
    """

    schedule: RagThresholds = field(default_factory=RagThresholds)
    cost: RagThresholds = field(default_factory=RagThresholds)

    @classmethod
    def coerce(cls, rules: RagThresholds | RagRules) -> RagRules:
        """Return ``rules`` as :class:`RagRules` (one set of bands applies to both)."""
        if isinstance(rules, RagRules):
            return rules
        if isinstance(rules, RagThresholds):
            return cls(schedule=rules, cost=rules)
        msg = (
            f"{rules!r} is an invalid value for `thresholds`. Allowed: a "
            "RagThresholds, a RagRules or the result of load_rag_rules(...)"
        )
        raise ValidationError(msg)


def rag_status(index: pd.Series, thresholds: RagThresholds = DEFAULT_RAG) -> pd.Series:
    """
    Classify performance indices as ``green``, ``amber``, ``red`` (or ``grey``).

    Parameters
    ----------
    index
        SPI or CPI values; NaN (not measurable yet) gives ``grey``.
    thresholds
        The bands to apply.

    Returns
    -------
    pandas.Series
        One of ``green``, ``amber``, ``red``, ``grey`` per value.

    Examples
    --------
    >>> import pandas as pd
    >>> rag_status(pd.Series([1.0, 0.92, 0.7, float("nan")])).tolist()
    ['green', 'amber', 'red', 'grey']
    """
    values = pd.Series(index, dtype="float64")
    t = thresholds
    green = values.between(t.green_low, t.green_high)
    amber = values.between(t.amber_low, t.amber_high) & ~green
    out = np.select(
        [values.isna(), green, amber], ["grey", "green", "amber"], default="red"
    )
    return pd.Series(out, index=values.index, dtype="object")


def worst_rag(*statuses: pd.Series) -> pd.Series:
    """
    Combine RAG columns: the overall status is the worst of them.

    ``grey`` (not measurable) only wins when every input is grey.

    Examples
    --------
    >>> import pandas as pd
    >>> worst_rag(pd.Series(["green", "grey"]), pd.Series(["amber", "grey"])).tolist()
    ['amber', 'grey']
    """
    rank = {"grey": -1, "green": 0, "amber": 1, "red": 2}
    names = {v: k for k, v in rank.items()}
    ranks = pd.concat([s.map(rank) for s in statuses], axis=1).max(axis=1)
    return ranks.map(names).astype("object")


# ------------------------------------------------------------- rules as data

_BAND_KEYS = ("green", "amber")
_DIMENSIONS = ("schedule", "cost")


def load_rag_rules(
    source: str | os.PathLike[str] | Mapping[str, Any],
) -> RagRules:
    """
    Read a PMO's RAG rules from a YAML file (or an already parsed mapping).

    The file gives each band as ``[low, high]``. Top-level ``green``/``amber``
    apply to schedule and cost; a ``schedule:`` or ``cost:`` section overrides
    them for that dimension. Anything left out keeps the default
    (green 0.95-1.05, amber 0.90-1.10)::

        # rag.yaml: the PMO's tolerance bands
        green: [0.95, 1.05]
        amber: [0.90, 1.10]
        cost:              # tighter on money
          green: [0.97, 1.03]
          amber: [0.93, 1.07]

    Parameters
    ----------
    source
        Path of a YAML file, or a mapping with the same structure.

    Returns
    -------
    RagRules
        The bands for schedule (SPI, SPI(t)) and cost (CPI).

    Raises
    ------
    ValidationError
        The file is missing or not YAML, a key is unknown, a band is not two
        numbers ``[low, high]``, or the bands are not nested around 1.0. The
        message names the key (``cost.green``) and the file.

    Examples
    --------
    >>> rules = load_rag_rules({"cost": {"green": [0.97, 1.03], "amber": [0.9, 1.1]}})
    >>> rules.cost.green_low, rules.schedule.green_low
    (0.97, 0.95)
    >>> load_rag_rules({"gren": [0.9, 1.1]})  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    pmo_kit._errors.ValidationError: 'gren' is not a key of the RAG rules. Known ...
    """
    data, where = read_settings(source, what="RAG rules")
    if not isinstance(data, Mapping):
        msg = (
            f"{where} must be a mapping with the keys green, amber, schedule or "
            f"cost; got {type(data).__name__} {data!r}"
        )
        raise ValidationError(msg)
    _unknown_keys(data, (*_BAND_KEYS, *_DIMENSIONS), where, prefix="")
    base = _bands(data, DEFAULT_RAG, where, prefix="")
    out: dict[str, RagThresholds] = {}
    for dimension in _DIMENSIONS:
        section = data.get(dimension)
        if section is None:
            out[dimension] = base
            continue
        if not isinstance(section, Mapping):
            msg = (
                f"`{dimension}` in {where} must be a mapping with the keys green "
                f"and amber; got {section!r}"
            )
            raise ValidationError(msg)
        _unknown_keys(section, _BAND_KEYS, where, prefix=f"{dimension}.")
        out[dimension] = _bands(section, base, where, prefix=f"{dimension}.")
    return RagRules(schedule=out["schedule"], cost=out["cost"])


def _unknown_keys(
    data: Mapping[Any, Any], known: tuple[str, ...], where: str, *, prefix: str
) -> None:
    for key in data:
        if key not in known:
            msg = (
                f"{prefix + str(key)!r} is not a key of {where}. "
                f"Known keys: {', '.join(sorted(prefix + k for k in known))}"
            )
            raise ValidationError(msg)


def _bands(
    data: Mapping[Any, Any], default: RagThresholds, where: str, *, prefix: str
) -> RagThresholds:
    green = _band(data, "green", (default.green_low, default.green_high), where, prefix)
    amber = _band(data, "amber", (default.amber_low, default.amber_high), where, prefix)
    try:
        return RagThresholds(
            green_low=green[0],
            green_high=green[1],
            amber_low=amber[0],
            amber_high=amber[1],
        )
    except ValidationError:
        scope = f"`{prefix.rstrip('.')}` in " if prefix else "in "
        msg = (
            f"The bands {scope}{where} are not nested: green {list(green)}, amber "
            f"{list(amber)}. Allowed: amber low <= green low <= 1.0 <= green high "
            "<= amber high"
        )
        raise ValidationError(msg) from None


def _band(
    data: Mapping[Any, Any],
    key: str,
    default: tuple[float, float],
    where: str,
    prefix: str,
) -> tuple[float, float]:
    if key not in data:
        return default
    value = data[key]
    ok = (
        isinstance(value, list | tuple)
        and len(value) == 2
        and all(
            isinstance(v, int | float) and not isinstance(v, bool) and v == v
            for v in value
        )
    )
    if not ok:
        msg = (
            f"{value!r} is an invalid value for `{prefix}{key}` in {where}. "
            "Allowed: two numbers [low, high], e.g. [0.95, 1.05]"
        )
        raise ValidationError(msg)
    low, high = float(value[0]), float(value[1])
    if low > high:
        msg = (
            f"{list(value)!r} is an invalid value for `{prefix}{key}` in {where}: "
            "low is above high. Allowed: [low, high] with low <= high"
        )
        raise ValidationError(msg)
    return low, high
