"""
The cases of the capstone exercise, *Your first month as a PMO analyst*.

The capstone strings the practices together on the course's dataset: a charter
review, the risk register, schedule risk, capacity, a status report and a gate
decision. :func:`capstone_case` picks what each question is about from the data, so
the exercise (and its checks) work on the bundled sample and on a team's own
organisation alike.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from pmo_kit.training.course_data import CourseDataError, furthest_behind_project

if TYPE_CHECKING:
    import pandas as pd

    from pmo_kit.data.portfolio import Portfolio

__all__ = ["AREAS", "CapstoneCase", "capstone_case", "driving_areas"]

#: The four areas of a project status report whose worst gives the overall RAG.
AREAS = ("schedule", "cost", "scope", "risk")


@dataclass(frozen=True, slots=True)
class CapstoneCase:
    """
    What the capstone's questions are about.

    ``project_id`` is the project furthest behind schedule (lowest SPI at its latest
    status); ``today`` is the organisation's latest status date; ``gate_project_id``
    and ``gate`` are the most recent gate review in the gates table.
    """

    project_id: str
    project_name: str
    sponsor: str
    today: pd.Timestamp
    gate_project_id: str
    gate_project_name: str
    gate: str
    gate_review_date: pd.Timestamp


def capstone_case(portfolio: Portfolio) -> CapstoneCase:
    """
    Pick the capstone's project and gate review from the data.

    Parameters
    ----------
    portfolio
        The course's dataset.

    Returns
    -------
    CapstoneCase

    Raises
    ------
    CourseDataError
        The data has no project with status figures, or no gate review.

    Examples
    --------
    >>> from pmo_kit import load_portfolio
    >>> case = capstone_case(load_portfolio())
    >>> case.project_id, case.gate_project_id, case.gate
    ('P-002', 'P-010', 'G1')
    """
    import pandas as pd

    from pmo_kit.governance import gate_decisions

    project_id = furthest_behind_project(portfolio)
    project = portfolio.project(project_id)
    today = pd.Timestamp(portfolio.projects["status_date"].max()).normalize()
    reviews = gate_decisions(portfolio.gates)
    reviews = reviews[reviews["review_date"].notna()]
    if reviews.empty:
        msg = (
            f"{portfolio.name}: the gates table has no dated gate review; the "
            "capstone's gate question needs one"
        )
        raise CourseDataError(msg)
    latest = reviews.sort_values("review_date", kind="stable").iloc[-1]
    gate_project = portfolio.project(str(latest["project_id"]))
    return CapstoneCase(
        project_id=project_id,
        project_name=str(project["name"]),
        sponsor=str(project["sponsor"]),
        today=today,
        gate_project_id=str(latest["project_id"]),
        gate_project_name=str(gate_project["name"]),
        gate=str(latest["gate"]),
        gate_review_date=pd.Timestamp(latest["review_date"]).normalize(),
    )


def driving_areas(areas: dict[str, str]) -> list[str]:
    """
    Return the areas whose RAG is the overall one (the areas that drive it).

    Parameters
    ----------
    areas
        The RAG of each area, by name (``schedule``, ``cost``, ``scope``, ``risk``;
        an ``overall`` entry is ignored).

    Examples
    --------
    >>> driving_areas({"overall": "red", "schedule": "red", "cost": "green"})
    ['schedule']
    >>> driving_areas({"schedule": "amber", "cost": "amber", "risk": "green"})
    ['schedule', 'cost']
    """
    order = {"red": 3, "amber": 2, "green": 1, "grey": 0}
    own = {k: v for k, v in areas.items() if k != "overall"}
    if not own:
        return []
    worst = max(order.get(v, 0) for v in own.values())
    return [k for k, v in own.items() if order.get(v, 0) == worst]
