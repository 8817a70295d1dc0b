"""
The parts of a project status that need a rule: milestones, risks and scope.

Each function takes tables already cut to one project and returns what the status
report shows, true as of the status date. :func:`pmo_kit.project_status` joins them.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from pmo_kit._errors import ValidationError
from pmo_kit.risk import (
    REVIEW_CADENCE_DAYS,
    RiskMatrix,
    fired_risks,
    overdue_reviews,
    register_as_of,
    score,
    top_risks,
)
from pmo_kit.schedule import WorkCalendar, critical_path, remaining_work, slippage
from pmo_kit.vocabulary import plural

if TYPE_CHECKING:
    from pmo_kit.agile import FlowTolerances
    from pmo_kit.reports._status_rules import StatusRules

__all__ = [
    "AreaStatus",
    "RiskPicture",
    "charter_field",
    "milestone_forecast",
    "rating_colours",
    "review_cadence",
    "risk_area",
    "risk_picture",
    "rows",
    "scope_area",
    "tasks_as_of",
]

_DAY = pd.Timedelta(days=1)


@dataclass(frozen=True, slots=True)
class AreaStatus:
    """The colour of one area of a status report and the reason for it."""

    rag: str
    reason: str


def rows(frame: pd.DataFrame) -> list[dict[str, Any]]:
    """Return a table's rows as dicts keyed by column name."""
    return [{str(k): v for k, v in row.items()} for row in frame.to_dict("records")]


def charter_field(charter: object, name: str) -> Any:
    """Read a field of a charter given as a dict or as a ``Charter`` object."""
    if charter is None:
        return None
    if isinstance(charter, Mapping):
        return charter.get(name)
    return getattr(charter, name, None)


def review_cadence(matrix: RiskMatrix) -> dict[str, int]:
    """Days allowed between reviews by rating: the matrix's cadence, else the kit's."""
    cadence = getattr(matrix, "review_days", None) or REVIEW_CADENCE_DAYS
    return {str(k): int(v) for k, v in dict(cadence).items()}


def rating_colours(matrix: RiskMatrix) -> dict[str, str]:
    """
    Map the matrix's bands, lowest first, to green, amber and red (more: red).

    Examples
    --------
    >>> from pmo_kit.risk import ORDINAL_5X5
    >>> rating_colours(ORDINAL_5X5)
    {'low': 'green', 'medium': 'amber', 'high': 'red'}
    """
    names = list(matrix.band_names)
    colours = ["green", "amber"][: max(len(names) - 1, 0)]
    colours += ["red"] * (len(names) - len(colours))
    return dict(zip(names, colours, strict=True))


# ----------------------------------------------------------------- schedule


def tasks_as_of(
    tasks: pd.DataFrame, as_of: pd.Timestamp, recorded: pd.Timestamp
) -> pd.DataFrame:
    """
    Roll a project's task progress back from the date it was recorded to ``as_of``.

    Tasks finished by ``as_of`` are done; a task under way then had done its share
    of the progress recorded so far, spread evenly over its days (never 100 %);
    work that started later had not started. Nothing changes when ``as_of`` is on
    or after ``recorded``.
    """
    if as_of >= recorded:
        return tasks.copy()
    out = tasks.copy()
    began = out["actual_start"].where(out["actual_start"] <= as_of)
    ended = out["actual_finish"].where(out["actual_finish"] <= as_of)
    days_so_far = (out["actual_finish"].fillna(recorded) - out["actual_start"]).dt.days
    days_by_then = (as_of - out["actual_start"]).dt.days + 1
    share = (days_by_then / (days_so_far + 1)).clip(0, 1).fillna(0)
    progress_then = np.minimum(np.floor(out["percent_complete"] * share), 99)
    out["percent_complete"] = np.where(
        ended.notna(), 100.0, np.where(began.notna(), progress_then, 0.0)
    )
    out["actual_start"], out["actual_finish"] = began, ended
    return out


def milestone_forecast(
    tasks: pd.DataFrame,
    dependencies: pd.DataFrame,
    *,
    start: pd.Timestamp,
    status_date: pd.Timestamp,
    amber_slip_days: int,
) -> tuple[pd.DataFrame, pd.Timestamp | None]:
    """
    Forecast every milestone by scheduling the remaining work from the status date.

    Returns
    -------
    (pandas.DataFrame, pandas.Timestamp)
        The milestones in baseline order (index ``task_id``): ``name``,
        ``baseline_finish``, ``forecast_finish`` (actual date when done),
        ``slip_days`` (working days), ``done`` and ``rag`` (green on time, amber up
        to ``amber_slip_days`` late, red beyond); and the forecast project finish
        (None for a project without tasks).
    """
    if tasks.empty:
        columns = ["name", "baseline_finish", "forecast_finish", "slip_days", "done"]
        empty = pd.DataFrame({c: [] for c in [*columns, "rag"]})
        empty = empty.astype(
            {
                "baseline_finish": "datetime64[ns]",
                "forecast_finish": "datetime64[ns]",
                "slip_days": "int64",
                "done": "bool",
            }
        )
        return empty.rename_axis("task_id"), None
    # before the start nothing is done: schedule from the first working day
    cut = max(status_date, WorkCalendar().first_working_day(start) - _DAY)
    remaining, not_before = remaining_work(tasks, status_date=cut, start=start)
    forecast = critical_path(
        remaining, dependencies, start=start, start_no_earlier_than=not_before
    )
    network_finish = pd.Timestamp(forecast.attrs["project_finish_date"])
    actual_finish = tasks.set_index(tasks["task_id"].astype(str))["actual_finish"]
    as_built = forecast.assign(
        early_finish_date=actual_finish.reindex(forecast.index).fillna(
            forecast["early_finish_date"]
        )
    )
    table = slippage(tasks, as_built)
    table = table[table["milestone"]].sort_values("baseline_finish", kind="stable")
    table = table.drop(columns="milestone")
    table["done"] = actual_finish.reindex(table.index).notna().to_numpy()
    slip = table["slip_days"]
    table["rag"] = np.select(
        [slip <= 0, slip <= amber_slip_days], ["green", "amber"], default="red"
    )
    table.index.name = "task_id"
    return table, network_finish


# -------------------------------------------------------------------- risks


@dataclass(frozen=True, slots=True)
class RiskPicture:
    """The register as it stood on the status date, cut the ways the report needs."""

    register: pd.DataFrame
    open: pd.DataFrame
    threats: pd.DataFrame
    high: pd.DataFrame
    unmanaged: pd.DataFrame
    fired: pd.DataFrame
    fired_red: pd.DataFrame
    fired_amber: pd.DataFrame
    not_reviewed: pd.DataFrame
    top: pd.DataFrame
    opportunities: pd.DataFrame
    high_rating: str


def risk_picture(
    risks: pd.DataFrame,
    *,
    as_of: pd.Timestamp,
    people: pd.Series,
    matrix: RiskMatrix,
    rules: StatusRules,
) -> RiskPicture:
    """
    Cut one project's register as it stood on ``as_of`` the ways the report needs.

    Risks raised after ``as_of`` are left out, risks closed or fired after it were
    still open (:func:`pmo_kit.risk.register_as_of`). A review after ``as_of`` had
    not happened: the register keeps only the latest review, so the one before is
    unknown (shown empty, not counted as overdue). Ratings
    come from ``matrix``, review cadences from the matrix per rating
    (:func:`pmo_kit.risk.overdue_reviews`). High threats are the open threats in
    the matrix's top band; opportunities are never among them.
    """
    register = score(register_as_of(risks, as_of), matrix=matrix)
    reviewed = pd.to_datetime(register["last_review_date"])
    register["last_review_date"] = reviewed.where(reviewed <= as_of)
    register["owner_name"] = [
        None if pd.isna(o) else str(people.get(o, o)) for o in register["owner"]
    ]
    cadence = review_cadence(matrix)
    register["cadence_days"] = register["residual_rating"].map(cadence)
    register["days_since_review"] = (as_of - register["last_review_date"]).dt.days
    late = overdue_reviews(register, as_of=as_of, matrix=matrix)
    register["review_overdue"] = register["risk_id"].isin(late["risk_id"])
    register["scoring"] = [
        f"{value:g} ({prob} x {impact})"
        for value, prob, impact in zip(
            register["residual_score"],
            register["residual_probability"],
            register["residual_impact"],
            strict=True,
        )
    ]
    register["review"] = [
        "-" if pd.isna(d) else f"{d:%d %b %Y}" + (" (overdue)" if due else "")
        for d, due in zip(
            register["last_review_date"], register["review_overdue"], strict=True
        )
    ]
    register["rating_rag"] = register["residual_rating"].map(rating_colours(matrix))
    register = register.reset_index(drop=True)
    is_open = register["status"] == "open"
    open_risks = register[is_open]
    threats = open_risks[open_risks["type"] == "threat"]
    high_rating = matrix.band_names[-1]
    high = threats[threats["residual_rating"] == high_rating]
    unmanaged = high[
        high["owner"].isna() | high["response_actions"].isna() | high["review_overdue"]
    ]
    fired = fired_risks(register)
    fired_red = fired[
        fired["closed_date"] > as_of - pd.Timedelta(weeks=rules.fired_red_weeks)
    ]
    fired_amber = fired[
        fired["closed_date"] > as_of - pd.Timedelta(weeks=rules.fired_amber_weeks)
    ]
    top = (
        top_risks(threats, rules.top_risks, matrix=matrix)
        if len(threats)
        else (threats.assign(rank=pd.Series(dtype="int64")))
    )
    opportunities = open_risks[open_risks["type"] == "opportunity"].sort_values(
        ["residual_score", "risk_id"], ascending=[False, True]
    )
    return RiskPicture(
        register=register,
        open=open_risks,
        threats=threats,
        high=high,
        unmanaged=unmanaged,
        fired=fired,
        fired_red=fired_red,
        fired_amber=fired_amber,
        not_reviewed=open_risks[open_risks["review_overdue"]],
        top=top.reset_index(drop=True),
        opportunities=opportunities.reset_index(drop=True),
        high_rating=high_rating,
    )


def _cadence_text(cadence: Mapping[str, int]) -> str:
    return ", ".join(f"{rating} {days}" for rating, days in cadence.items()) + " days"


def risk_area(
    picture: RiskPicture, *, matrix: RiskMatrix, rules: StatusRules
) -> AreaStatus:
    """
    Rate the risk area: red, amber or green with the reason.

    Red: a risk fired within ``rules.fired_red_weeks``, or a high threat has no
    owner, no response actions or an overdue review. Amber: a risk fired within
    ``rules.fired_amber_weeks``, any high threat is open, or any open risk is
    overdue for review. Green otherwise.
    """
    p = picture
    reasons = [
        f"{r['risk_id']} {r['title']} fired on {r['closed_date']:%d %b}"
        for r in rows(p.fired_amber)
    ]
    for r in rows(p.unmanaged):
        gaps = [
            "has no owner" if pd.isna(r["owner"]) else "",
            "has no response actions" if pd.isna(r["response_actions"]) else "",
            f"was not reviewed for {r['days_since_review']:.0f} days"
            if r["review_overdue"]
            else "",
        ]
        reasons.append(
            f"{r['risk_id']} {r['title']} is {p.high_rating} "
            f"({r['residual_score']:g}) and " + " and ".join(g for g in gaps if g)
        )
    managed = len(p.high) - len(p.unmanaged)
    if managed:
        reasons.append(
            f"{plural(managed, p.high_rating + ' threat')}, owned and reviewed"
        )
    cadence = _cadence_text(review_cadence(matrix))
    if len(p.not_reviewed):
        reasons.append(
            f"{plural(len(p.not_reviewed), 'open risk')} not reviewed within the "
            f"cadence of {'its' if len(p.not_reviewed) == 1 else 'their'} rating "
            f"({cadence})"
        )
    if len(p.fired_red) or len(p.unmanaged):
        return AreaStatus("red", "; ".join(reasons))
    if len(p.fired_amber) or len(p.high) or len(p.not_reviewed):
        return AreaStatus("amber", "; ".join(reasons))
    reasons.append(
        f"{plural(len(p.open), 'open risk')}, no {p.high_rating} threat, every "
        f"review within its cadence ({cadence})"
    )
    return AreaStatus("green", "; ".join(reasons))


def scope_area(
    picture: RiskPicture,
    *,
    charter: object,
    last_sprint: pd.Series | None,
    matrix: RiskMatrix,
    rules: StatusRules,
    tolerances: FlowTolerances,
) -> AreaStatus:
    """
    Rate the scope area: red, amber or green with the reason.

    Red: a scope risk has fired, or the last finished sprint delivered less than
    ``tolerances.sprint_red_below`` of its commitment. Amber: the charter lists
    nothing out of scope, an open scope threat is rated
    ``rules.scope_threat_rating`` or worse, or the last sprint delivered less than
    ``tolerances.sprint_amber_below``. Green otherwise.
    """
    bands = list(matrix.band_names)
    if rules.scope_threat_rating not in bands:
        msg = (
            f"{rules.scope_threat_rating!r} is an invalid value for "
            f"`scope_threat_rating`: not a band of the risk matrix {matrix.name!r}. "
            f"Allowed: {', '.join(bands)}"
        )
        raise ValidationError(msg)
    worse = bands[bands.index(rules.scope_threat_rating) :]
    threats = picture.threats
    scope_fired = picture.fired[picture.fired["category"] == "scope"]
    scope_threats = threats[
        (threats["category"] == "scope") & threats["residual_rating"].isin(worse)
    ]
    no_boundary = charter is not None and not charter_field(charter, "scope_out")
    reasons = [
        f"scope risk {r['risk_id']} {r['title']} fired on {r['closed_date']:%d %b}"
        for r in rows(scope_fired)
    ]
    reasons += [
        f"scope threat {r['risk_id']} {r['title']} is open ({r['residual_rating']}, "
        f"residual {r['residual_score']:g})"
        for r in rows(scope_threats)
    ]
    if no_boundary:
        reasons.append("the charter lists nothing out of scope")
    completion = float("nan")
    if last_sprint is not None:
        completion = float(last_sprint["completion"])
        reasons.append(
            f"last finished sprint {last_sprint['sprint_id']} delivered "
            f"{completion:.0%} of its commitment"
        )
    if len(scope_fired) or completion < tolerances.sprint_red_below:
        return AreaStatus("red", "; ".join(reasons))
    if len(scope_threats) or no_boundary or completion < tolerances.sprint_amber_below:
        return AreaStatus("amber", "; ".join(reasons))
    if last_sprint is None:
        reasons.append(
            "no scope risk has fired and no open scope threat is rated "
            f"{rules.scope_threat_rating} or worse"
            + ("; the charter sets what is out of scope" if charter is not None else "")
        )
    return AreaStatus("green", "; ".join(reasons))
