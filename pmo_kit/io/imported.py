"""
The ``projects`` row and the people of a project imported from a work tracker.

Asana and Jira exports hold tasks or issues but little of what the kit's
``projects`` table declares (sponsor, budget, scores). :func:`project_tables`
fills the row: from the project already in the dataset when it is being
replaced (its name, programme, sponsor, manager, budget and scores are kept),
else from the caller's values and plain defaults that are each named in a
warning, so nothing is invented silently.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Sequence

    import pandas as pd

__all__ = ["ImportedPeople", "people_tables", "project_tables"]

#: What a person first seen in an import gets (edit resources.csv afterwards).
NEW_PERSON = {
    "role": "Team member",
    "skills": None,
    "capacity_hours": 40.0,
    "cost_rate": 0.0,
    "calendar": "standard",
}

_PLACEHOLDER = 9_000_000  # placeholder ids R-9000001...: add_project renumbers

ImportedPeople = tuple["pd.DataFrame", "pd.DataFrame"]


def people_tables(
    assignees: pd.DataFrame,
    tasks: pd.DataFrame | None,
    *,
    hours_per_day: float = 8.0,
) -> ImportedPeople:
    """
    ``resources`` and ``assignments`` from (task, person name) pairs.

    Parameters
    ----------
    assignees
        ``project_id``, ``task_id``, ``name`` (one row per assigned task).
    tasks
        The imported ``tasks`` (for the hours: duration x ``hours_per_day`` at
        100 % units); None: no assignments (work items have none).
    hours_per_day
        Working hours of a day.

    Returns
    -------
    tuple of pandas.DataFrame
        ``resources`` (placeholder ids ``R-NNN`` that
        :func:`pmo_kit.io.into.add_project` replaces, people matched by name)
        and ``assignments``.
    """
    import pandas as pd

    names = list(dict.fromkeys(str(n) for n in assignees["name"]))
    ids = {name: f"R-{_PLACEHOLDER + i}" for i, name in enumerate(names, start=1)}
    resources = pd.DataFrame(
        [{"resource_id": ids[n], "name": n, **NEW_PERSON} for n in names],
        columns=["resource_id", "name", *NEW_PERSON],
    )
    columns = ["project_id", "task_id", "resource_id", "units", "hours"]
    if tasks is None or assignees.empty:
        return resources, pd.DataFrame(columns=columns)
    duration = tasks.set_index("task_id")["duration"]
    merged = assignees[assignees["task_id"].isin(duration.index)]
    assignments = pd.DataFrame(
        {
            "project_id": merged["project_id"].to_numpy(),
            "task_id": merged["task_id"].to_numpy(),
            "resource_id": [ids[str(n)] for n in merged["name"]],
            "units": 1.0,
            "hours": [float(duration[t]) * hours_per_day for t in merged["task_id"]],
        },
        columns=columns,
    )
    return resources, assignments


def project_tables(
    *,
    project_id: str,
    name: str,
    methodology: str,
    start: dt.date | None,
    finish: dt.date | None,
    status_date: dt.date | None,
    source: str,
    existing: pd.DataFrame | None = None,
    existing_resources: pd.DataFrame | None = None,
    manager: str | None = None,
    assignees: Sequence[str] = (),
    any_done: bool = False,
) -> tuple[pd.DataFrame, pd.DataFrame, list[str]]:
    """
    Build the one-row ``projects`` table of an imported project, and its manager.

    Parameters
    ----------
    project_id, name, methodology
        The project's id, name (ignored when the project exists) and approach.
    start, finish
        Earliest start and latest finish of what was imported.
    status_date
        Default: today.
    source
        The imported file, for the warnings.
    existing
        The dataset's ``projects`` table, or None for a new dataset.
    existing_resources
        The dataset's ``resources`` (to name an existing manager).
    manager
        The manager's name. Default: the existing project's manager, else the
        person with most assigned tasks.
    assignees
        Names of the people assigned to each imported task (repeats count).
    any_done
        Whether anything is finished (phase ``execution``, else ``planning``).

    Returns
    -------
    tuple
        ``projects`` (one row), ``resources`` (the manager when new, placeholder
        id) and the warnings.
    """
    import pandas as pd

    from pmo_kit.data.schemas import SCHEMAS

    warnings: list[str] = []
    today = dt.date.today()
    start = start or status_date or today
    finish = finish or start
    old = None
    if existing is not None and not existing.empty:
        rows = existing[existing["project_id"] == project_id]
        old = rows.iloc[0] if len(rows) else None
    people = pd.DataFrame(columns=["resource_id", "name", *NEW_PERSON])
    manager_id = f"R-{_PLACEHOLDER}"
    if old is not None:
        row = old.to_dict()
        if manager is None and existing_resources is not None:
            named = existing_resources[
                existing_resources["resource_id"] == row["manager"]
            ]["name"]
            manager = str(named.iloc[0]) if len(named) else None
        if manager is None:
            manager_id = str(row["manager"])
        else:
            people = pd.DataFrame(
                [{"resource_id": manager_id, "name": manager, **NEW_PERSON}]
            )
    else:
        if manager is None:
            counts = Counter(a for a in assignees if a)
            if counts:
                manager = counts.most_common(1)[0][0]
                why = "the person with most tasks"
            else:
                manager, why = "Project manager", "a placeholder: no one is named"
            warnings.append(
                f"{source}: project manager set to {manager!r} ({why}); name the "
                "real one with --manager"
            )
        people = pd.DataFrame(
            [{"resource_id": manager_id, "name": manager, **NEW_PERSON}]
        )
        row = {
            "name": name,
            "programme": "Imported",
            "sponsor": "to be named",
            "budget": 0.0,
            "strategic_alignment": 3,
            "business_value": 3,
            "expected_benefit": 0.0,
        }
        warnings.append(
            f"{source}: the export has no sponsor, programme, budget or scores: "
            "set to 'to be named', 'Imported', 0 and 3 (edit projects.csv)"
        )
    row.update(
        {
            "project_id": project_id,
            "manager": manager_id,
            "methodology": methodology,
            "phase": row.get("phase")
            if old is not None
            else ("execution" if any_done else "planning"),
            "start": pd.Timestamp(start),
            "planned_finish": pd.Timestamp(max(finish, start)),
            "status_date": pd.Timestamp(status_date or today),
        }
    )
    columns = SCHEMAS["projects"].column_names
    return pd.DataFrame([row])[columns], people, warnings
