"""
People of the generated organisation and their assignments to tasks.

Staff come in teams of 28 (one team per ten projects). Assignments are made on the
baseline dates with a capacity check, so nobody is booked above 100% of capacity on
any working day, except the one specialist the scenario over-allocates on purpose.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from pmo_kit.data._generator.schedule import ROLE_RATES

if TYPE_CHECKING:
    from pmo_kit.data._generator.random import Dice
    from pmo_kit.data._generator.schedule import Plan

__all__ = ["TEAM_SIZE", "Staff", "assign", "build_staff"]

#: Roles in one team, with head count. Sum = TEAM_SIZE.
ROLE_MIX: tuple[tuple[str, int], ...] = (
    ("Project Manager", 4),
    ("Business Analyst", 3),
    ("Developer", 7),
    ("Tester", 3),
    ("Solution Architect", 2),
    ("Data Engineer", 1),
    ("Security Specialist", 1),
    ("Scrum Master", 1),
    ("Product Owner", 1),
    ("Change Manager", 1),
    ("Process Engineer", 1),
    ("Compliance Officer", 1),
    ("UX Designer", 1),
    ("PMO Analyst", 1),
)
TEAM_SIZE = sum(n for _, n in ROLE_MIX)

#: Share of capacity people are asked for, and the running totals of its odds.
_UNITS = (0.4, 0.5, 0.6, 0.8, 1.0)
_UNITS_CUM = (0.1, 0.35, 0.55, 0.8, 1.0)

#: (role, number within role) -> (hours per week, calendar) for people not full time.
_REDUCED: dict[tuple[str, int], tuple[float, str]] = {
    ("Business Analyst", 2): (24.0, "part-time"),
    ("Tester", 2): (30.0, "part-time"),
    ("UX Designer", 0): (20.0, "part-time"),
    ("Compliance Officer", 0): (28.0, "part-time"),
    ("Developer", 6): (32.0, "four-day-week"),
}

_SKILLS: dict[str, tuple[str, ...]] = {
    "Project Manager": (
        "PRINCE2;stakeholder management;budgeting",
        "PMP;risk management;vendor management",
        "hybrid delivery;scheduling;MS Project",
    ),
    "Business Analyst": (
        "requirements;BPMN;user acceptance testing",
        "process analysis;SQL;workshop facilitation",
        "user stories;data analysis;SAP FI",
    ),
    "Developer": (
        "Java;Spring Boot;REST APIs",
        "Python;Django;PostgreSQL",
        "TypeScript;React;Node.js",
        "C#;.NET;Azure",
        "Kotlin;Android;Swift",
        "SAP ABAP;SAP Fiori;OData",
    ),
    "Tester": (
        "test automation;Selenium;API testing",
        "performance testing;JMeter",
        "manual testing;test management;Jira",
    ),
    "Solution Architect": (
        "enterprise architecture;TOGAF;integration",
        "cloud architecture;AWS;security by design",
    ),
    "Data Engineer": ("SQL;Python;dbt;Snowflake;data migration",),
    "Security Specialist": ("ISO 27001;penetration testing;IAM",),
    "Scrum Master": ("Scrum;Kanban;coaching;Jira",),
    "Product Owner": ("product discovery;backlog management;customer research",),
    "Change Manager": ("ADKAR;training design;communications",),
    "Process Engineer": ("lean;six sigma;warehouse operations;PLC basics",),
    "Compliance Officer": ("GDPR;ISO 27001;internal audit;policy writing",),
    "UX Designer": ("user research;Figma;accessibility",),
    "PMO Analyst": ("reporting;Power BI;RAID management;EVM",),
}

_FIRST = (
    "Anna",
    "Ben",
    "Chloe",
    "Daan",
    "Eva",
    "Farid",
    "Greta",
    "Hugo",
    "Ines",
    "Jonas",
    "Katarzyna",
    "Lars",
    "Maya",
    "Niels",
    "Olivia",
    "Pedro",
    "Priya",
    "Rafael",
    "Sanne",
    "Tomasz",
    "Ula",
    "Viktor",
    "Wen",
    "Yara",
    "Zoe",
    "Amir",
    "Bianca",
    "Carlos",
    "Dilan",
    "Elif",
    "Finn",
    "Giulia",
    "Hannah",
    "Ivan",
    "Julia",
    "Kofi",
    "Lena",
    "Mateo",
    "Nora",
    "Oskar",
    "Paula",
    "Quentin",
    "Rosa",
    "Sami",
    "Tess",
    "Uma",
    "Victor",
    "Willem",
    "Xenia",
    "Youssef",
)
_LAST = (
    "Bakker",
    "Novak",
    "Schmidt",
    "Jansen",
    "Rossi",
    "Kowalski",
    "Dubois",
    "Haddad",
    "Lindgren",
    "Moreau",
    "Petersen",
    "Silva",
    "Visser",
    "Wagner",
    "Ahmed",
    "Byrne",
    "Costa",
    "de Vries",
    "Eriksen",
    "Fischer",
    "Garcia",
    "Horvat",
    "Ivanova",
    "Keller",
    "Larsen",
    "Mensah",
    "Nowak",
    "O'Brien",
    "Peeters",
    "Quinn",
    "Richter",
    "Santos",
    "Tanaka",
    "Urban",
    "Vargas",
    "Weber",
    "Yilmaz",
    "Zimmermann",
    "Meijer",
    "Kaya",
)


class Staff:
    """The resources table plus lookups used while assigning."""

    def __init__(self, frame: pd.DataFrame, teams: list[dict[str, list[int]]]) -> None:
        self.frame = frame
        self.teams = teams
        self.ids = [str(x) for x in frame["resource_id"]]
        self.daily_hours = frame["capacity_hours"].to_numpy(dtype=np.float64) / 5.0

    def manager_of(self, index: int) -> int:
        """Row of the project manager of project number ``index`` (0-based)."""
        pms = self.teams[index // 10]["Project Manager"]
        return pms[(index % 10) % len(pms)]


def build_staff(n_projects: int, rng: np.random.Generator) -> Staff:
    """Create one team of TEAM_SIZE people per ten projects."""
    n_teams = -(-n_projects // 10)
    rows: list[tuple[str, str, str, str, float, float, str]] = []
    teams: list[dict[str, list[int]]] = []
    for _ in range(n_teams):
        team: dict[str, list[int]] = {}
        firsts = rng.permutation(len(_FIRST))
        lasts = rng.permutation(len(_LAST))
        for role, count in ROLE_MIX:
            for k in range(count):
                row = len(rows)
                team.setdefault(role, []).append(row)
                seat = row % TEAM_SIZE
                name = f"{_FIRST[firsts[seat]]} {_LAST[lasts[seat]]}"
                skills = _SKILLS[role][k % len(_SKILLS[role])]
                hours, calendar = _REDUCED.get(
                    (role, k), (37.5 if rng.random() < 0.6 else 40.0, "standard")
                )
                rate = round(ROLE_RATES[role] * rng.uniform(0.92, 1.08) * 2) / 2
                rows.append(
                    (f"R-{row + 1:03d}", name, role, skills, hours, rate, calendar)
                )
        teams.append(team)
    frame = pd.DataFrame(
        rows,
        columns=[
            "resource_id",
            "name",
            "role",
            "skills",
            "capacity_hours",
            "cost_rate",
            "calendar",
        ],
    )
    return Staff(frame, teams)


def assign(plans: list[Plan], staff: Staff, rng: Dice) -> pd.DataFrame:
    """
    Assign people to the tasks of every project, team by team.

    Projects flagged ``shared_specialist`` get their team's data engineer at 0.8 on
    every data-engineering task without a capacity check: that is the scenario's
    over-allocated specialist. Everyone else is booked only where they have room.
    """
    epoch = min(p.start for p in plans)
    rows: list[tuple[str, str, str, float, float]] = []
    for t, team in enumerate(staff.teams):
        group = [p for p in plans if p.index // 10 == t]
        offsets = [int(np.busday_count(epoch, p.start)) for p in group]
        horizon = max(o + p.finish_day for o, p in zip(offsets, group, strict=True)) + 1
        members = sorted(r for rows_ in team.values() for r in rows_)
        local = {r: i for i, r in enumerate(members)}
        load = np.zeros((len(members), horizon))
        forced: set[tuple[int, int]] = set()
        specialist = team["Data Engineer"][0]
        for o, plan in zip(offsets, group, strict=True):
            if "shared_specialist" not in plan.flags:
                continue
            for i, role in enumerate(plan.roles):
                if role == "Data Engineer":
                    a, b = o + int(plan.es[i]), o + int(plan.es[i] + plan.duration[i])
                    load[local[specialist], a:b] += 0.8
                    rows.append(_row(plan, i, staff, specialist, 0.8))
                    forced.add((plan.index, i))
        for o, plan in zip(offsets, group, strict=True):
            manager = staff.manager_of(plan.index)
            for i, role in enumerate(plan.roles):
                if not role or (plan.index, i) in forced:
                    continue
                a, b = o + int(plan.es[i]), o + int(plan.es[i] + plan.duration[i])
                want = _UNITS[rng.pick(_UNITS_CUM)]
                taken: list[int] = []
                for r_role in dict.fromkeys((role, plan.fallbacks[i])):
                    candidates = list(team.get(r_role, []))
                    if r_role == "Project Manager":
                        candidates = [manager] + [c for c in candidates if c != manager]
                    else:
                        shift = rng.integers(0, len(candidates)) if candidates else 0
                        candidates = candidates[shift:] + candidates[:shift]
                    slots = 2 if plan.crew[i] >= 2 and r_role == role else 1
                    for person in candidates:
                        if len(taken) >= slots:
                            break
                        row = local[person]
                        free = 1.0 - float(load[row, a:b].max())
                        units = min(want, np.floor(free * 10 + 1e-9) / 10)
                        if units >= 0.2:
                            load[row, a:b] += units
                            rows.append(_row(plan, i, staff, person, units))
                            taken.append(person)
                    if taken:
                        break
    rows.sort(key=lambda r: (int(r[0][2:]), int(r[1][1:]), int(r[2][2:])))
    return pd.DataFrame(
        rows, columns=["project_id", "task_id", "resource_id", "units", "hours"]
    )


def _row(
    plan: Plan, task: int, staff: Staff, person: int, units: float
) -> tuple[str, str, str, float, float]:
    hours = round(
        units * int(plan.duration[task]) * float(staff.daily_hours[person]), 1
    )
    return (
        plan.project_id,
        f"T{task + 1:03d}",
        staff.ids[person],
        round(units, 2),
        hours,
    )
