"""
What the resource-capacity report says in words: headlines, method, table headings.

Each function reads a :class:`~pmo_kit.reports.capacity_review.CapacityReview`;
nothing here computes a figure.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from pmo_kit.reports._content import plural
from pmo_kit.resources import skills_gaps
from pmo_kit.resources.capacity import OVER_TOLERANCE

if TYPE_CHECKING:
    from pmo_kit.data.portfolio import Portfolio
    from pmo_kit.reports.capacity_review import CapacityReview

__all__ = ["COLUMNS", "FORMATS", "METHOD", "NARRATED", "capacity_narrative"]

#: Over-allocations told one by one in the narrative; the rest are counted.
NARRATED = 5

#: The columns each table of the report shows, and their headings.
COLUMNS: dict[str, dict[str, str]] = {
    "role_table": {
        "role": "Role",
        "people": "People",
        "demand_hours": "Booked (h)",
        "capacity_hours": "Capacity (h)",
        "utilisation": "Load",
        "short_weeks": "Weeks short",
        "short_hours": "Short (h)",
        "first_short_week": "First short week",
        "overbooked_hours": "Over-booked people (h)",
        "rag": "Status",
    },
    "overallocations": {
        "name": "Person",
        "role": "Role",
        "first_week": "From week of",
        "last_week": "To week of",
        "weeks": "Weeks",
        "peak_utilisation": "Peak",
        "excess_hours": "Hours over",
        "projects": "Projects",
        "tasks_shown": "Tasks",
    },
    "skills_gaps": {
        "kind": "",
        "need": "Role or skill",
        "weeks": "Weeks",
        "excess_hours": "Over-booked (h)",
        "cover_hours": "Others could take (h)",
        "uncovered_hours": "Uncovered (h)",
        "rag": "Gap",
        "over_allocated": "Over-booked people",
        "could_help": "Could help",
    },
    "available": {
        "name": "Person",
        "role": "Role",
        "skills": "Skills",
        "free_hours": "Free (h)",
        "free_days": "Free days",
        "utilisation": "Load",
    },
}
#: How the numbers of each table are shown (format specifications).
FORMATS: dict[str, dict[str, str]] = {
    "role_table": {
        "demand_hours": ",.0f",
        "capacity_hours": ",.0f",
        "utilisation": ".0%",
        "short_hours": ",.0f",
        "overbooked_hours": ",.0f",
    },
    "overallocations": {"peak_utilisation": ".0%", "excess_hours": ",.0f"},
    "skills_gaps": {
        "excess_hours": ",.0f",
        "cover_hours": ",.0f",
        "uncovered_hours": ",.0f",
    },
    "available": {"free_hours": ",.0f", "free_days": ",.1f", "utilisation": ".0%"},
}

METHOD = (
    "**Demand.** Each assignment's planned hours (or, when empty, units "
    "\N{MULTIPLICATION SIGN} working days \N{MULTIPLICATION SIGN} weekly hours / 5) "
    "are spread evenly over its task's working days, Monday "
    "to Friday. With `dates = baseline` the task's baseline dates are used; with "
    "`forecast`, the work done sits on its actual dates and the rest on the critical "
    "path of the remaining work from each project's status date.",
    "**Capacity.** Each person's weekly hours (`capacity_hours`), on the days of "
    "their calendar: standard and part-time Monday to Friday, four-day week Monday "
    "to Thursday. Public holidays and absences, when given, remove capacity but not "
    "bookings.",
    "**Over-allocation.** A person-week with more hours booked than the person can "
    f"give (by more than {OVER_TOLERANCE:g} h, to ignore rounding). Consecutive "
    "weeks are one over-allocation.",
    "**Bottleneck role.** A role whose bookings in a week exceed what all its people "
    "together can give: moving work inside the role cannot fix it.",
    "**Skills gaps.** Tasks do not name the skills they need, so the over-booked "
    "person's role and skills stand for them; someone could help when they share "
    "the role or a skill and have free hours in the same week.",
    "**What it leaves out.** Productivity, learning curves and task switching; work "
    "not booked in the assignments; the dependency network (see levelling in lesson "
    "04 to resolve over-allocations by moving tasks).",
)


def capacity_narrative(review: CapacityReview, portfolio: Portfolio) -> list[str]:
    """
    Write the headlines of a review: the load, who is over-booked, what is short.

    People are named (``name (role)``), projects by id and name; the last line is
    the decision needed when a role is a bottleneck.
    """
    names = portfolio.projects.set_index("project_id")["name"]
    weeks = plural(review.weeks, "week")
    people = plural(review.people, "person", "people")
    verb = "is" if review.people == 1 else "are"
    lines = [
        f"From the week of {review.start:%d %b %Y} to the week of "
        f"{review.last_week:%d %b %Y} ({weeks}), {people} in "
        f"{plural(len(review.roles), 'role')} {verb} booked for "
        f"{review.demand_hours:,.0f} hours of project work against "
        f"{review.capacity_hours:,.0f} hours of capacity ({review.utilisation:.0%})."
    ]
    over = review.overallocations
    if over.empty:
        lines.append("Nobody is booked above capacity in these weeks.")
    for row in over.head(NARRATED).itertuples():
        span = (
            f"in the week of {row.first_week:%d %b %Y}"
            if row.weeks == 1
            else f"in {row.weeks} weeks, from the week of {row.first_week:%d %b} to "
            f"the week of {row.last_week:%d %b %Y}"
        )
        projects = ", ".join(
            f"{pid} {names.get(pid, '')}".strip()
            for pid in str(row.projects or "").split(", ")[:3]
            if pid
        )
        lines.append(
            f"{row.name} ({row.role}) is over-booked {span}: up to "
            f"{row.peak_utilisation:.0%} of capacity (week of {row.peak_week:%d %b}), "
            f"{row.excess_hours:,.0f} hours more than they can give, on {projects}."
        )
    if len(over) > NARRATED:
        more = len(over) - NARRATED
        lines.append(
            f"{plural(more, 'more over-allocation')} "
            f"{'is' if more == 1 else 'are'} listed below."
        )
    roles = review.role_table.set_index("role")
    for role in review.bottlenecks:
        short = roles.loc[role]
        needs = skills_gaps(review.plan, roles=[role])
        skills = ", ".join(needs.loc[needs["gap"] & (needs["kind"] == "skill"), "need"])
        who = (
            "its only person cannot give the hours booked"
            if short["people"] == 1
            else f"its {short['people']} people together cannot give the hours booked"
        )
        lines.append(
            f"Bottleneck: {role}. The role is short of capacity in "
            f"{short['short_weeks']} of {weeks} by {short['short_hours']:,.0f} hours "
            f"in all (from the week of {short['first_short_week']:%d %b %Y}): {who}"
            + (f", and too few people with free time have {skills}." if skills else ".")
        )
    movable = roles[(roles["overbooked_hours"] > 0) & ~roles["bottleneck"]]
    for name, hours in movable["overbooked_hours"].items():
        lines.append(
            f"{name}: {hours:,.0f} hours over-booked on some people, but others in the "
            "role have room in the same weeks: moving work between them fixes it."
        )
    if review.bottlenecks:
        lines.append(
            "For decision: "
            + " and ".join(review.bottlenecks)
            + (" is" if len(review.bottlenecks) == 1 else " are")
            + " short of capacity. Move or stagger the work booked in those weeks, "
            "bring in another person, or accept the later dates; the what-if in "
            "lesson 04 shows the effect of each."
        )
    return lines
