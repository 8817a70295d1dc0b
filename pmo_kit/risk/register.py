"""
The risk register: validation beyond the schema, scoring, ratings and EMV.

The register is the canonical ``risks`` table (see ``datasets/README.md``).
Loading it with :func:`pmo_kit.load_portfolio` already checks each column's
type, range and allowed values; the functions here also take plain DataFrames
(a learner's copy, a widget's draft), so they check what they rely on and name
the row, risk, column, bad value and what is allowed.

Sign convention: ``exposure`` is the chance times the expected cost impact
(always >= 0); ``emv`` is the same amount signed as the PMBOK Guide does,
negative for a threat (money likely lost) and positive for an opportunity
(money likely gained). The expected cost impact is the mean of the triangular
range, ``(min + most likely + max) / 3``, the same distribution the contingency
simulation draws from. EMV uses the *residual* probability: the exposure left
after the planned response, which is what a contingency reserve has to cover.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from pmo_kit._errors import ValidationError
from pmo_kit.data.inputs import require_columns
from pmo_kit.data.schemas import (
    OPPORTUNITY_RESPONSES,
    RISK_STATUSES,
    THREAT_RESPONSES,
)
from pmo_kit.risk.matrix import ORDINAL_5X5, RiskMatrix, get_matrix

if TYPE_CHECKING:
    from collections.abc import Iterable

__all__ = [
    "FINDING_COLUMNS",
    "LEVEL_COLUMNS",
    "RESPONSES",
    "SCORE_COLUMNS",
    "heat_map_table",
    "require_risk_columns",
    "score",
    "show_value",
    "validate_register",
]

#: Allowed response strategies by risk type.
RESPONSES: dict[str, tuple[str, ...]] = {
    "threat": THREAT_RESPONSES,
    "opportunity": OPPORTUNITY_RESPONSES,
}
#: The four probability/impact level columns (inherent, then residual).
LEVEL_COLUMNS = ("probability", "impact", "residual_probability", "residual_impact")
#: Columns :func:`score` adds to the register (names are stable: reports and the
#: compliance scan read them).
SCORE_COLUMNS = (
    "inherent_score",
    "rating",
    "residual_score",
    "residual_rating",
    "chance",
    "expected_cost",
    "exposure",
    "emv",
)
#: Columns of the findings table returned by :func:`validate_register`.
FINDING_COLUMNS = (
    "row",
    "project_id",
    "risk_id",
    "column",
    "value",
    "problem",
    "allowed",
    "message",
)
_COST = ("cost_impact_min", "cost_impact_most_likely", "cost_impact_max")


def require_risk_columns(risks: object, columns: Iterable[str], what: str) -> None:
    """Raise a ValidationError unless ``risks`` is a risks table with ``columns``."""
    require_columns(risks, columns, what, table="risks")


def _rows(risks: pd.DataFrame, first_row: int) -> list[int]:
    """Spreadsheet row of each risk: index label + first_row for a numbered index."""
    index = risks.index
    if pd.api.types.is_integer_dtype(index):
        return [int(i) + first_row for i in index]
    return list(range(first_row, first_row + len(risks)))


def show_value(value: object) -> str:
    """Show a register value in a message: dates as ISO, a blank as ``empty``."""
    if isinstance(value, pd.Timestamp):
        return value.strftime("%Y-%m-%d")
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return "empty"
    if isinstance(value, str):
        return repr(value)
    return str(value)


class _Findings:
    def __init__(self, risks: pd.DataFrame, source: str, first_row: int) -> None:
        self.risks = risks
        self.source = source
        self.rows = _rows(risks, first_row)
        self.ids = (
            risks["risk_id"].astype(str).tolist()
            if "risk_id" in risks
            else ["?"] * len(risks)
        )
        self.projects = (
            risks["project_id"].astype(str).tolist()
            if "project_id" in risks
            else [""] * len(risks)
        )
        self.items: list[dict[str, object]] = []

    def add(
        self, mask: Iterable[bool], column: str, problem: str, allowed: str
    ) -> None:
        values = (
            self.risks[column].tolist()
            if column in self.risks
            else [None] * len(self.risks)
        )
        for k, bad in enumerate(np.asarray(list(mask), dtype=bool)):
            if not bad:
                continue
            shown = show_value(values[k])
            self.items.append(
                {
                    "row": self.rows[k],
                    "project_id": self.projects[k],
                    "risk_id": self.ids[k],
                    "column": column,
                    "value": values[k],
                    "problem": problem,
                    "allowed": allowed,
                    "message": (
                        f"{self.source}, row {self.rows[k]} ({self.ids[k]}), column "
                        f"{column!r}: {shown} {problem}. Allowed: {allowed}"
                    ),
                }
            )

    def frame(self) -> pd.DataFrame:
        out = pd.DataFrame(self.items, columns=list(FINDING_COLUMNS))
        return out.astype({"row": "int64"}) if len(out) else out


def _level_problems(f: _Findings, m: RiskMatrix) -> None:
    for column in LEVEL_COLUMNS:
        if column not in f.risks:
            continue
        n = m.probability_levels if "probability" in column else m.impact_levels
        values = pd.to_numeric(f.risks[column], errors="coerce")
        bad = values.isna() | (values % 1 != 0) | (values < 1) | (values > n)
        f.add(
            bad.to_numpy(),
            column,
            f"is outside the scale of the {m.name} matrix",
            f"whole numbers 1 to {n}",
        )


def validate_register(
    risks: pd.DataFrame,
    *,
    matrix: RiskMatrix | str = ORDINAL_5X5,
    source: str = "risks",
    first_row: int = 2,
) -> pd.DataFrame:
    """
    Check a risk register against the rules a PMO reviewer applies.

    Beyond the schema's column checks: the response strategy fits the risk type
    (an opportunity cannot be mitigated), a threat's residual score is not above
    its inherent score, dates run in order (raised <= last review; a closed date
    only for closed or occurred risks, and not before the risk was raised), cost
    impact min <= most likely <= max, schedule impact min <= max, and every
    probability/impact level is on the matrix's scale.

    Parameters
    ----------
    risks
        The risks table (or a draft with some of its columns).
    matrix
        The matrix whose scale the levels must fit (a :class:`RiskMatrix` or the
        name of a built-in one).
    source, first_row
        How rows are named in messages: ``"risks, row 7 (RK-006), ..."``. The row
        is the index label + ``first_row`` (2 = spreadsheet row in ``risks.csv``
        for a register loaded with :func:`pmo_kit.load_portfolio`).

    Returns
    -------
    pandas.DataFrame
        One finding per problem (columns :data:`FINDING_COLUMNS`); empty when
        the register is valid. ``message`` is the full sentence.

    Examples
    --------
    >>> import pandas as pd
    >>> draft = pd.DataFrame(
    ...     {
    ...         "risk_id": ["RK-007"],
    ...         "type": ["opportunity"],
    ...         "response_strategy": ["mitigate"],
    ...     }
    ... )
    >>> print(validate_register(draft)["message"][0])
    risks, row 2 (RK-007), column 'response_strategy': 'mitigate' is not a response \
to an opportunity (an opportunity cannot be mitigated). Allowed: exploit, enhance, \
share, escalate, accept
    """
    m = get_matrix(matrix)
    require_risk_columns(risks, ["risk_id"], "validate_register")
    f = _Findings(risks, source, first_row)
    r = risks
    if "type" in r:
        f.add(
            ~r["type"].isin(list(RESPONSES)),
            "type",
            "is not a risk type",
            "'threat' or 'opportunity'",
        )
    if "type" in r and "response_strategy" in r:
        strategy = r["response_strategy"]
        threat, opportunity = r["type"] == "threat", r["type"] == "opportunity"
        f.add(
            threat & ~strategy.isin(THREAT_RESPONSES),
            "response_strategy",
            "is not a response to a threat",
            ", ".join(THREAT_RESPONSES),
        )
        bad_opportunity = opportunity & ~strategy.isin(OPPORTUNITY_RESPONSES)
        mitigated = bad_opportunity & strategy.isin(["mitigate", "avoid", "transfer"])
        verb = {"mitigate": "mitigated", "avoid": "avoided", "transfer": "transferred"}
        for word, past in verb.items():
            f.add(
                mitigated & (strategy == word),
                "response_strategy",
                "is not a response to an opportunity "
                f"(an opportunity cannot be {past})",
                ", ".join(OPPORTUNITY_RESPONSES),
            )
        f.add(
            bad_opportunity & ~mitigated,
            "response_strategy",
            "is not a response to an opportunity",
            ", ".join(OPPORTUNITY_RESPONSES),
        )
    if "status" in r:
        f.add(
            ~r["status"].isin(RISK_STATUSES),
            "status",
            "is not a risk status",
            ", ".join(RISK_STATUSES),
        )
    _level_problems(f, m)
    levels_ok = all(c in r for c in LEVEL_COLUMNS) and not any(
        item["column"] in LEVEL_COLUMNS for item in f.items
    )
    if levels_ok and "type" in r:
        scored = _scores(r, m)
        f.add(
            (r["type"] == "threat").to_numpy()
            & (scored["residual_score"] > scored["inherent_score"] + 1e-12).to_numpy(),
            "residual_impact",
            "gives a residual score above the inherent score (the response makes "
            "the threat worse)",
            "residual probability x impact at or below the inherent score",
        )
    _date_problems(f)
    if all(c in r for c in _COST):
        cost = r[list(_COST)].apply(pd.to_numeric, errors="coerce")
        for column in _COST:
            f.add(
                cost[column].isna() | (cost[column] < 0),
                column,
                "is not a cost",
                "an amount at or above 0 (in the dataset's currency)",
            )
        f.add(
            ~(
                (cost["cost_impact_min"] <= cost["cost_impact_most_likely"])
                & (cost["cost_impact_most_likely"] <= cost["cost_impact_max"])
            )
            & cost.notna().all(axis=1),
            "cost_impact_most_likely",
            "is not between cost_impact_min and cost_impact_max",
            "cost_impact_min <= cost_impact_most_likely <= cost_impact_max",
        )
    if "schedule_impact_min" in r and "schedule_impact_max" in r:
        lo = pd.to_numeric(r["schedule_impact_min"], errors="coerce")
        hi = pd.to_numeric(r["schedule_impact_max"], errors="coerce")
        f.add(
            hi < lo,
            "schedule_impact_max",
            "is below schedule_impact_min",
            "schedule_impact_min <= schedule_impact_max",
        )
    return f.frame()


def _date_problems(f: _Findings) -> None:
    r = f.risks
    dates = {
        c: pd.to_datetime(r[c], errors="coerce")
        for c in ("raised_date", "last_review_date", "closed_date")
        if c in r
    }
    raised, review = dates.get("raised_date"), dates.get("last_review_date")
    closed = dates.get("closed_date")
    if raised is not None and review is not None:
        f.add(
            review < raised,
            "last_review_date",
            "is before the risk was raised",
            "a date on or after 'raised_date'",
        )
    if closed is None or "status" not in r:
        return
    ended = r["status"].isin(["closed", "occurred"])
    f.add(
        closed.notna() & ~ended & r["status"].isin(RISK_STATUSES),
        "closed_date",
        "is set although the risk is still open",
        "an empty closed_date while the status is 'open'",
    )
    f.add(
        closed.isna() & ended,
        "closed_date",
        "is empty although the risk is closed or occurred",
        "the date the risk was closed or occurred",
    )
    if raised is not None:
        f.add(
            closed < raised,
            "closed_date",
            "is before the risk was raised",
            "a date on or after 'raised_date'",
        )


def _check_levels(risks: pd.DataFrame, m: RiskMatrix, what: str) -> None:
    f = _Findings(risks, "risks", 2)
    _level_problems(f, m)
    if f.items:
        problems = [str(i["message"]) for i in f.items]
        problems[0] = f"{what}: {problems[0]}"
        raise ValidationError.from_problems(problems)


def _scores(risks: pd.DataFrame, m: RiskMatrix) -> pd.DataFrame:
    pv = np.asarray(m.probability_values, dtype=float)
    iv = np.asarray(m.impact_values, dtype=float)

    def level(column: str) -> np.ndarray:
        return risks[column].to_numpy(dtype=float).astype(int) - 1

    inherent = pv[level("probability")] * iv[level("impact")]
    residual = pv[level("residual_probability")] * iv[level("residual_impact")]
    chance = np.asarray(m.probabilities, dtype=float)[level("residual_probability")]
    return pd.DataFrame(
        {
            "inherent_score": inherent,
            "residual_score": residual,
            "chance": chance,
        },
        index=risks.index,
    )


def _ratings(values: pd.Series, m: RiskMatrix) -> pd.Series:
    minima = np.array([b.minimum for b in m.bands]) - 1e-12
    position = np.searchsorted(minima, values.to_numpy(dtype=float), side="right") - 1
    names = np.array(m.band_names, dtype=object)[np.clip(position, 0, None)]
    return pd.Series(names, index=values.index, dtype=object)


def score(
    risks: pd.DataFrame, *, matrix: RiskMatrix | str = ORDINAL_5X5
) -> pd.DataFrame:
    """
    Score every risk on a probability-impact matrix and compute its EMV.

    Parameters
    ----------
    risks
        The risks table; needs ``risk_id``, ``type`` and the four level columns
        (``probability``, ``impact``, ``residual_probability``,
        ``residual_impact``). Without the three cost impact columns the money
        columns are NaN.
    matrix
        A :class:`RiskMatrix` or the name of a built-in one (``"ordinal"``,
        ``"pmbok"``).

    Returns
    -------
    pandas.DataFrame
        A copy of the register with :data:`SCORE_COLUMNS` added:
        ``inherent_score`` and ``rating`` (before the response),
        ``residual_score`` and ``residual_rating`` (after it), ``chance`` (the
        residual probability level as a chance 0..1), ``expected_cost`` (mean
        cost impact if it occurs, (min + ml + max) / 3), ``exposure`` (chance x
        expected cost) and ``emv`` (exposure, negative for threats, positive
        for opportunities).

    Raises
    ------
    ValidationError
        A column is missing, or a level is not a whole number on the matrix's
        scale (the message names the row, risk and column).

    Examples
    --------
    >>> import pandas as pd
    >>> r = pd.DataFrame(
    ...     {
    ...         "risk_id": ["RK-1", "RK-2"],
    ...         "type": ["threat", "opportunity"],
    ...         "probability": [4, 2],
    ...         "impact": [5, 3],
    ...         "residual_probability": [2, 3],
    ...         "residual_impact": [4, 3],
    ...         "cost_impact_min": [1000.0, 600.0],
    ...         "cost_impact_most_likely": [2000.0, 900.0],
    ...         "cost_impact_max": [6000.0, 1500.0],
    ...     }
    ... )
    >>> s = score(r)
    >>> s[["inherent_score", "rating", "residual_score", "residual_rating"]]
       inherent_score rating  residual_score residual_rating
    0            20.0   high             8.0          medium
    1             6.0 medium             9.0          medium
    >>> s["emv"].tolist()  # 0.3 x 3000 lost; 0.5 x 1000 gained
    [-900.0, 500.0]
    """
    m = get_matrix(matrix)
    require_risk_columns(risks, ["risk_id", "type", *LEVEL_COLUMNS], "score")
    _check_levels(risks, m, "score")
    bad_type = ~risks["type"].isin(list(RESPONSES))
    if bad_type.any():
        f = _Findings(risks, "risks", 2)
        f.add(
            bad_type.to_numpy(),
            "type",
            "is not a risk type",
            "'threat' or 'opportunity'",
        )
        raise ValidationError.from_problems([str(i["message"]) for i in f.items])
    out = risks.copy()
    scores = _scores(risks, m)
    out["inherent_score"] = scores["inherent_score"]
    out["rating"] = _ratings(scores["inherent_score"], m)
    out["residual_score"] = scores["residual_score"]
    out["residual_rating"] = _ratings(scores["residual_score"], m)
    out["chance"] = scores["chance"]
    if all(c in risks for c in _COST):
        cost = risks[list(_COST)].apply(pd.to_numeric, errors="coerce")
        out["expected_cost"] = cost.sum(axis=1, min_count=3) / 3
    else:
        out["expected_cost"] = np.nan
    out["exposure"] = out["chance"] * out["expected_cost"]
    sign = np.where(risks["type"] == "opportunity", 1.0, -1.0)
    out["emv"] = sign * out["exposure"]
    return out


def heat_map_table(
    risks: pd.DataFrame,
    *,
    basis: str = "inherent",
    matrix: RiskMatrix | str = ORDINAL_5X5,
) -> pd.DataFrame:
    """
    Count the risks in every cell of the probability-impact grid.

    Parameters
    ----------
    risks
        The risks table (every row is placed; filter to open risks first if
        that is what you want to show).
    basis
        ``"inherent"`` (before the response) or ``"residual"`` (after it).
    matrix
        The grid, its scores and bands.

    Returns
    -------
    pandas.DataFrame
        One row per cell (all of them, also the empty ones): ``probability``,
        ``impact`` (levels), ``score``, ``rating``, ``color``, ``count`` and
        ``risk_ids`` (a list, sorted).

    Examples
    --------
    >>> import pandas as pd
    >>> r = pd.DataFrame(
    ...     {
    ...         "risk_id": ["RK-2", "RK-1"],
    ...         "probability": [3, 3],
    ...         "impact": [4, 4],
    ...         "residual_probability": [1, 2],
    ...         "residual_impact": [1, 2],
    ...     }
    ... )
    >>> grid = heat_map_table(r)
    >>> len(grid)
    25
    >>> grid.loc[grid["count"] > 0, ["score", "rating", "count", "risk_ids"]]
        score  rating  count      risk_ids
    13   12.0  medium      2  [RK-1, RK-2]
    """
    m = get_matrix(matrix)
    if basis not in ("inherent", "residual"):
        msg = (
            f"{basis!r} is an invalid value for `basis`. "
            "Valid values: 'inherent', 'residual'"
        )
        raise ValidationError(msg)
    p_col, i_col = (
        ("probability", "impact")
        if basis == "inherent"
        else ("residual_probability", "residual_impact")
    )
    require_risk_columns(risks, ["risk_id", p_col, i_col], "heat_map_table")
    _check_levels(risks, m, "heat_map_table")
    cells = pd.DataFrame(
        m.cells(), columns=["probability", "impact", "score", "rating"]
    )
    cells["color"] = [m.color(r) for r in cells["rating"]]
    placed = pd.DataFrame(
        {
            "probability": risks[p_col].to_numpy(dtype=float).astype(int),
            "impact": risks[i_col].to_numpy(dtype=float).astype(int),
            "risk_id": risks["risk_id"].astype(str).to_numpy(),
        }
    )
    groups = placed.groupby(["probability", "impact"])["risk_id"].agg(sorted)
    ids = [
        groups.get((p, i), [])
        for p, i in zip(cells["probability"], cells["impact"], strict=True)
    ]
    cells["count"] = [len(x) for x in ids]
    cells["risk_ids"] = ids
    return cells
