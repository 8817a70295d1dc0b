"""
Probability-impact matrices as data: scales, scores and rating bands.

A risk register scores probability and impact on levels 1 to 5. A
:class:`RiskMatrix` says what those levels are worth:

- ``ORDINAL_5X5``: score = P x I on the levels themselves (1..25), bands
  low 1-4, medium 5-12, high 15-25. Simple, but it treats "impact 4" as
  twice "impact 2".
- ``PMBOK_NONLINEAR``: the PMBOK Guide style scale; probability levels are
  worth .1/.3/.5/.7/.9 and impact levels .05/.1/.2/.4/.8 (each impact level
  doubles the previous), score = p x i (0.005..0.72), bands low below 0.05,
  medium 0.05 to below 0.18, high from 0.18.

Both share the chance of occurrence per probability level (``probabilities``,
.1/.3/.5/.7/.9: the mid-points of 0-20 %, 20-40 %, ...), which EMV and the
contingency simulation use, and the review cadence per rating (``review_days``,
:data:`DEFAULT_REVIEW_DAYS`: high every 14 days, medium 30, low 60), which
:func:`pmo_kit.risk.overdue_reviews` and the reports use. A PMO's own matrix is a
YAML file read by :func:`load_matrix`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, cast

from pmo_kit._errors import ValidationError
from pmo_kit.data.tables import read_settings

if TYPE_CHECKING:
    import os

__all__ = [
    "DEFAULT_REVIEW_DAYS",
    "MATRICES",
    "ORDINAL_5X5",
    "PMBOK_NONLINEAR",
    "Band",
    "RiskMatrix",
    "get_matrix",
    "load_matrix",
]


#: Shipped review cadence: days allowed between reviews of an open risk, by its
#: residual rating. A matrix states its own with ``review_days``.
DEFAULT_REVIEW_DAYS: Mapping[str, int] = {"high": 14, "medium": 30, "low": 60}


def _default_review_days() -> dict[str, int]:
    return dict(DEFAULT_REVIEW_DAYS)


@dataclass(frozen=True, slots=True)
class Band:
    """
    One rating band: scores from ``minimum`` (inclusive) up to the next band.

    Parameters
    ----------
    name
        Rating shown to people (``"low"``, ``"medium"``, ``"high"``).
    minimum
        Lowest score in the band.
    color
        Colour of the band in charts.
    """

    name: str
    minimum: float
    color: str


@dataclass(frozen=True, slots=True)
class RiskMatrix:
    """
    A probability-impact matrix: what each level is worth and how scores are rated.

    Parameters
    ----------
    name
        Short name (``"ordinal"``, ``"pmbok"``).
    probability_values, impact_values
        Value of levels 1..n of probability and impact; score = product.
    probabilities
        Chance of occurrence (0..1) of each probability level, for EMV and
        the contingency simulation.
    bands
        Rating bands in increasing order of ``minimum``; the first band
        starts at or below the lowest possible score.
    description
        One line for reports.
    review_days
        Days allowed between reviews of an open risk, for every band name (the
        one review cadence of the kit). Defaults to :data:`DEFAULT_REVIEW_DAYS`
        (high 14, medium 30, low 60); a matrix with other band names must state
        it.

    Examples
    --------
    >>> ORDINAL_5X5.score(3, 4), ORDINAL_5X5.rating(12.0)
    (12.0, 'medium')
    >>> round(PMBOK_NONLINEAR.score(3, 4), 3), PMBOK_NONLINEAR.rating(0.2)
    (0.2, 'high')
    >>> ORDINAL_5X5.review_cadence("high"), dict(ORDINAL_5X5.review_days)["low"]
    (14, 60)
    """

    name: str
    probability_values: tuple[float, ...]
    impact_values: tuple[float, ...]
    probabilities: tuple[float, ...]
    bands: tuple[Band, ...]
    description: str = ""
    review_days: Mapping[str, int] = field(
        default_factory=_default_review_days, hash=False
    )

    def __post_init__(self) -> None:
        _check_matrix(self, f"matrix {self.name!r}")

    def review_cadence(self, rating: str) -> int:
        """Days allowed between reviews of an open risk with this rating."""
        if rating not in self.review_days:
            msg = (
                f"{rating!r} is not a band of matrix {self.name!r}. Known: "
                + ", ".join(self.band_names)
            )
            raise ValidationError(msg)
        return int(self.review_days[rating])

    @property
    def probability_levels(self) -> int:
        """Number of probability levels (5 for a 5x5 matrix)."""
        return len(self.probability_values)

    @property
    def impact_levels(self) -> int:
        """Number of impact levels."""
        return len(self.impact_values)

    @property
    def band_names(self) -> tuple[str, ...]:
        """Band names from lowest to highest."""
        return tuple(b.name for b in self.bands)

    def score(self, probability: int, impact: int) -> float:
        """Score of one cell (levels start at 1)."""
        return float(
            self.probability_values[probability - 1] * self.impact_values[impact - 1]
        )

    def rating(self, score: float) -> str:
        """Name of the band a score falls in."""
        name = self.bands[0].name
        for band in self.bands:
            if score >= band.minimum - 1e-12:
                name = band.name
        return name

    def color(self, rating: str) -> str:
        """Colour of a band by name."""
        for band in self.bands:
            if band.name == rating:
                return band.color
        msg = f"{rating!r} is not a band of matrix {self.name!r}. Known: " + ", ".join(
            self.band_names
        )
        raise ValidationError(msg)

    def cells(self) -> list[tuple[int, int, float, str]]:
        """Every cell as (probability level, impact level, score, rating)."""
        out = []
        for p in range(1, self.probability_levels + 1):
            for i in range(1, self.impact_levels + 1):
                s = self.score(p, i)
                out.append((p, i, s, self.rating(s)))
        return out


def _check_matrix(m: RiskMatrix, where: str) -> None:
    problems = []
    if len(m.probabilities) != len(m.probability_values):
        problems.append(
            f"{where}: 'probabilities' has {len(m.probabilities)} values but there "
            f"are {len(m.probability_values)} probability levels. Allowed: one "
            "chance per level"
        )
    if any(not 0 <= c <= 1 for c in m.probabilities):
        problems.append(
            f"{where}: 'probabilities' {list(m.probabilities)} has a value outside "
            "0..1. Allowed: chances from 0 to 1"
        )
    for key in ("probability_values", "impact_values", "probabilities"):
        values = getattr(m, key)
        if list(values) != sorted(values) or len(values) < 2:
            problems.append(
                f"{where}: {key!r} {list(values)} is not increasing. Allowed: at "
                "least two values, each level worth at least the one below"
            )
    minima = [b.minimum for b in m.bands]
    if not m.bands or minima != sorted(minima) or len(set(minima)) != len(minima):
        problems.append(
            f"{where}: band minimums {minima} are not strictly increasing. Allowed: "
            "bands from lowest to highest score"
        )
    names = [b.name for b in m.bands]
    if len(set(names)) != len(names):
        problems.append(f"{where}: band names {names} repeat. Allowed: unique names")
    days = m.review_days
    missing = [n for n in names if n not in days]
    if missing:
        problems.append(
            f"{where}: 'review_days' has no cadence for the band(s) {missing}. "
            "Allowed: days between reviews for every band, e.g. "
            "{high: 14, medium: 30, low: 60}"
        )
    bad = {
        k: v
        for k, v in days.items()
        if isinstance(v, bool) or not isinstance(v, int) or v < 1
    }
    if bad:
        problems.append(
            f"{where}: 'review_days' {bad} is not a number of days. Allowed: whole "
            "numbers of days >= 1"
        )
    if problems:
        raise ValidationError.from_problems(problems)


_LOW, _MEDIUM, _HIGH = "#2e8540", "#f0a30a", "#c0392b"
_CHANCES = (0.1, 0.3, 0.5, 0.7, 0.9)

#: Ordinal 5x5 matrix: score = P x I on levels 1..5; low 1-4, medium 5-12, high 15+.
ORDINAL_5X5 = RiskMatrix(
    name="ordinal",
    probability_values=(1.0, 2.0, 3.0, 4.0, 5.0),
    impact_values=(1.0, 2.0, 3.0, 4.0, 5.0),
    probabilities=_CHANCES,
    bands=(
        Band("low", 1.0, _LOW),
        Band("medium", 5.0, _MEDIUM),
        Band("high", 15.0, _HIGH),
    ),
    description="ordinal 5x5: score = probability level x impact level (1 to 25)",
)

#: PMBOK-style non-linear matrix: p .1-.9, impact .05-.8 doubling; high from 0.18.
PMBOK_NONLINEAR = RiskMatrix(
    name="pmbok",
    probability_values=_CHANCES,
    impact_values=(0.05, 0.1, 0.2, 0.4, 0.8),
    probabilities=_CHANCES,
    bands=(
        Band("low", 0.0, _LOW),
        Band("medium", 0.05, _MEDIUM),
        Band("high", 0.18, _HIGH),
    ),
    description=(
        "non-linear (PMBOK style): probability .1/.3/.5/.7/.9 x impact .05/.1/.2/.4/.8"
    ),
)

#: Built-in matrices by name.
MATRICES: dict[str, RiskMatrix] = {
    ORDINAL_5X5.name: ORDINAL_5X5,
    PMBOK_NONLINEAR.name: PMBOK_NONLINEAR,
}


def get_matrix(matrix: RiskMatrix | str) -> RiskMatrix:
    """
    Return a matrix given itself or the name of a built-in one.

    Examples
    --------
    >>> get_matrix("pmbok").impact_values[-1]
    0.8
    >>> get_matrix("5x5")
    Traceback (most recent call last):
    ...
    pmo_kit._errors.ValidationError: '5x5' is not a built-in risk matrix. Known: \
'ordinal', 'pmbok' (or pass a RiskMatrix, or load_matrix('file.yaml'))
    """
    if isinstance(matrix, RiskMatrix):
        return matrix
    if isinstance(matrix, str) and matrix in MATRICES:
        return MATRICES[matrix]
    known = ", ".join(repr(n) for n in MATRICES)
    msg = (
        f"{matrix!r} is not a built-in risk matrix. Known: {known} "
        "(or pass a RiskMatrix, or load_matrix('file.yaml'))"
    )
    raise ValidationError(msg)


def load_matrix(source: str | os.PathLike[str] | Mapping[str, Any]) -> RiskMatrix:
    """
    Read a PMO's probability-impact matrix from YAML (or a parsed mapping).

    The file lists the value of each level, the chance of each probability
    level and the bands with their lowest score::

        name: meridian
        probability_values: [1, 2, 3, 4, 5]
        impact_values: [1, 2, 4, 8, 16]
        probabilities: [0.05, 0.2, 0.4, 0.6, 0.85]   # optional
        bands:
          - {name: low, minimum: 0, color: "#2e8540"}
          - {name: medium, minimum: 6}
          - {name: high, minimum: 24}
        review_days: {high: 7, medium: 30, low: 90}   # optional

    Without ``review_days`` the bands named high, medium and low are reviewed on
    the shipped cadence (:data:`DEFAULT_REVIEW_DAYS`).

    Parameters
    ----------
    source
        Path of a YAML file, or a mapping with the same keys.

    Returns
    -------
    RiskMatrix

    Raises
    ------
    ValidationError
        The file is missing or not YAML, a key is unknown or missing, or a value
        is out of its range; the message names the key and what is allowed.

    Examples
    --------
    >>> m = load_matrix(
    ...     {
    ...         "name": "steep",
    ...         "probability_values": [1, 2, 3],
    ...         "impact_values": [1, 3, 9],
    ...         "bands": [
    ...             {"name": "low", "minimum": 0},
    ...             {"name": "high", "minimum": 9},
    ...         ],
    ...     }
    ... )
    >>> m.score(3, 3), m.rating(m.score(3, 3)), m.probabilities
    (27.0, 'high', (0.166667, 0.5, 0.833333))
    >>> dict(m.review_days)
    {'high': 14, 'medium': 30, 'low': 60}
    """
    data, where = read_settings(source, what="risk matrix")
    if not isinstance(data, Mapping):
        msg = f"{where}: expected keys name, probability_values, impact_values, bands"
        raise ValidationError(msg)
    known = {"name", "probability_values", "impact_values", "probabilities", "bands"}
    known |= {"description", "review_days"}
    for key in data:
        if key not in known:
            msg = f"{where}: {key!r} is not a key. Known: {', '.join(sorted(known))}"
            raise ValidationError(msg)
    for key in ("probability_values", "impact_values", "bands"):
        if key not in data:
            msg = f"{where}: the key {key!r} is missing"
            raise ValidationError(msg)
    pv = _numbers(data["probability_values"], "probability_values", where)
    iv = _numbers(data["impact_values"], "impact_values", where)
    if "probabilities" in data:
        chances = _numbers(data["probabilities"], "probabilities", where)
    else:
        n = len(pv)
        chances = tuple(round((2 * k + 1) / (2 * n), 6) for k in range(n))
    raw_bands = data["bands"]
    if not isinstance(raw_bands, list) or not raw_bands:
        msg = f"{where}: 'bands' must be a list of {{name, minimum, color}} entries"
        raise ValidationError(msg)
    palette = (_LOW, _MEDIUM, _HIGH, "#7d3c98", "#1f5f8b")
    bands = []
    for k, raw in enumerate(raw_bands):
        if not isinstance(raw, Mapping) or "name" not in raw or "minimum" not in raw:
            msg = f"{where}: bands[{k}] must have a 'name' and a 'minimum' score"
            raise ValidationError(msg)
        minimum = _numbers([raw["minimum"]], f"bands[{k}].minimum", where)[0]
        color = str(raw.get("color", palette[min(k, len(palette) - 1)]))
        bands.append(Band(str(raw["name"]), minimum, color))
    review_days = _default_review_days()
    if "review_days" in data:
        raw_days = data["review_days"]
        if not isinstance(raw_days, Mapping):
            msg = (
                f"{where}: 'review_days' is {raw_days!r}. Allowed: days between "
                "reviews per band, e.g. {high: 14, medium: 30, low: 60}"
            )
            raise ValidationError(msg)
        review_days = {str(k): v for k, v in raw_days.items()}
    return RiskMatrix(
        name=str(data.get("name", "custom")),
        probability_values=pv,
        impact_values=iv,
        probabilities=chances,
        bands=tuple(bands),
        description=str(data.get("description", "")),
        review_days=review_days,
    )


def _numbers(value: object, key: str, where: str) -> tuple[float, ...]:
    ok = isinstance(value, list) and all(
        isinstance(v, int | float) and not isinstance(v, bool) for v in value
    )
    if not ok or not value:
        msg = f"{where}: {key!r} is {value!r}. Allowed: a list of numbers"
        raise ValidationError(msg)
    return tuple(float(v) for v in cast("list[float]", value))
