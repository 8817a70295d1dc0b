"""
Add one imported project to a dataset folder, replacing it when it is already there.

Shared by the importers (``pmo-kit import msproject|asana|... --into DATASET``): an
importer builds canonical tables for one project and hands them to
:func:`add_project` (or :func:`import_project`, which also says what it kept),
which loads the dataset (or starts an empty one), replaces that project's rows in
the tables the import provides (an MS Project plan: tasks, dependencies,
assignments; a Jira export: work_items and, when given, sprints and
status_changes), keeps its rows in every other table (risks, status, gates,
lessons...), and saves the whole dataset atomically with
:func:`pmo_kit.data.portfolio.save_portfolio`: if anything fails (validation
included) the folder is left exactly as it was.

The project's own row is replaced by the imported one, except the fields the
caller names in ``keep_fields`` (what the source does not carry: sponsor,
programme, scores...), which keep the existing project's values. A kept row that
names something the import no longer has (a dependency of a task that is gone,
a status change of an issue that is gone) stops the import with one line.

People are shared by all projects of a dataset, so resources are merged by name:
an imported resource whose name (case and surrounding spaces ignored) matches a
resource already in the dataset takes that resource's ``resource_id``; the others
get the next free ``R-NNN`` ids. ``assignments.resource_id``, ``risks.owner`` and
``projects.manager`` of the imported rows follow the new ids.
"""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from pmo_kit._errors import ValidationError
from pmo_kit.data.schemas import SCHEMAS

if TYPE_CHECKING:
    import os
    from collections.abc import Collection, Mapping

    import pandas as pd

__all__ = ["ImportOutcome", "add_project", "import_project", "merge_project"]

_PROJECT_ID = re.compile(r"P-\d{3,}")
_RESOURCE_ID = re.compile(r"R-(\d{3,})")
#: Columns that hold a resource_id, by table.
_RESOURCE_COLUMNS = {
    "assignments": "resource_id",
    "risks": "owner",
    "projects": "manager",
}


#: Tables that are never replaced as a whole: the project's row is replaced field
#: by field, people are merged by name.
_MERGED = ("projects", "resources")


@dataclass(frozen=True)
class ImportOutcome:
    """
    What :func:`import_project` did.

    ``replaced`` names the tables whose rows of the project were replaced;
    ``kept_rows`` counts, per other table, the project's rows left as they were;
    ``kept_fields`` the ``projects`` fields taken from the existing project.
    """

    path: Path
    project_id: str
    existed: bool
    replaced: tuple[str, ...]
    kept_fields: tuple[str, ...] = ()
    kept_rows: dict[str, int] = field(default_factory=dict)


def _replaced_tables(
    tables: Mapping[str, object], replaces: Collection[str] | None
) -> tuple[str, ...]:
    names = [n for n in tables if n not in _MERGED]
    for name in replaces or ():
        if name not in SCHEMAS or name in _MERGED:
            msg = (
                f"replaces={name!r} is not a table an import can replace. Allowed: "
                + ", ".join(n for n in SCHEMAS if n not in _MERGED)
            )
            raise ValidationError(msg)
        if name not in names:
            names.append(name)
    return tuple(n for n in SCHEMAS if n in names)


def _orphans(
    out: Mapping[str, pd.DataFrame],
    replaced: tuple[str, ...],
    project_id: str,
) -> None:
    """One line when a kept row names a row of a replaced table that is gone."""
    problems = []
    for name, schema in SCHEMAS.items():
        if name in replaced or name in _MERGED:
            continue
        frame = out[name]
        mine = frame[frame["project_id"] == project_id]
        if mine.empty:
            continue
        for fk in schema.foreign_keys:
            if fk.table not in replaced or fk.columns[0] != "project_id":
                continue
            target = out[fk.table]
            local = mine[list(fk.columns)].dropna()
            known = set(
                map(tuple, target[list(fk.target_columns)].astype(object).to_numpy())
            )
            gone = [
                str(row[-1])
                for row in map(tuple, local.astype(object).to_numpy())
                if row not in known
            ]
            if gone:
                shown = ", ".join(sorted(set(gone))[:8])
                more = len(set(gone)) - 8
                problems.append(
                    f"{len(gone)} rows of {schema.file_name} of {project_id} (kept: "
                    f"the import has no {name}) name a {fk.target_columns[-1]} the "
                    f"imported {fk.table} no longer have: {shown}"
                    + (f" and {more} more" if more > 0 else "")
                )
    if problems:
        msg = (
            f"importing over {project_id} would break its kept rows: "
            + "; ".join(problems)
            + ". Allowed: import those tables too, or remove those rows first"
        )
        raise ValidationError(msg)


def _check_project_id(project_id: str) -> None:
    if not isinstance(project_id, str) or not _PROJECT_ID.fullmatch(project_id):
        msg = (
            f"--project-id {project_id!r} is not a project identifier. "
            "Allowed: P- followed by at least three digits, e.g. P-011"
        )
        raise ValidationError(msg)


def _new_portfolio(name: str) -> object:
    from pmo_kit.data.portfolio import Portfolio
    from pmo_kit.data.tables import empty_table

    tables = {n: empty_table(n) for n in SCHEMAS}
    return Portfolio(name, "EUR", **tables)  # type: ignore[arg-type]


def merge_project(
    portfolio: object,
    tables: Mapping[str, pd.DataFrame],
    *,
    project_id: str,
    replaces: Collection[str] | None = None,
    keep_fields: Collection[str] = (),
) -> object:
    """
    Return ``portfolio`` with one project's rows replaced by ``tables``.

    Parameters
    ----------
    portfolio
        A :class:`pmo_kit.data.portfolio.Portfolio`.
    tables
        Canonical tables of the imported project (any subset of table names);
        their ``project_id`` column is set to ``project_id``. ``resources`` rows
        are merged by name (see the module docstring).
    project_id
        The project to add or replace.
    replaces
        Tables whose rows of the project are replaced (default: the tables in
        ``tables`` other than ``projects`` and ``resources``; names given here
        are added to those). The project's rows in every other table are kept.
    keep_fields
        ``projects`` fields that keep the existing project's values (ignored for
        a new project).

    Returns
    -------
    Portfolio
        A new bundle (not validated yet).

    Raises
    ------
    ValidationError
        A table name is unknown, or a kept row names a row of a replaced table
        that the import no longer has (one line).
    """
    return _merge(
        portfolio,
        tables,
        project_id=project_id,
        replaces=replaces,
        keep_fields=keep_fields,
    )[0]


def _merge(
    portfolio: object,
    tables: Mapping[str, pd.DataFrame],
    *,
    project_id: str,
    replaces: Collection[str] | None,
    keep_fields: Collection[str],
) -> tuple[object, ImportOutcome]:
    import pandas as pd

    from pmo_kit.data.portfolio import Portfolio
    from pmo_kit.data.tables import validate_frame

    _check_project_id(project_id)
    assert isinstance(portfolio, Portfolio)
    unknown = sorted(set(tables) - set(SCHEMAS))
    if unknown:
        msg = f"{unknown[0]!r} is not a canonical table. Allowed: " + ", ".join(SCHEMAS)
        raise ValidationError(msg)
    replaced = _replaced_tables(tables, replaces)
    current = portfolio.tables()
    old_rows = current["projects"][current["projects"]["project_id"] == project_id]
    existed = len(old_rows) > 0
    kept_values: dict[str, object] = {}
    tables = dict(tables)
    if existed and keep_fields and "projects" in tables:
        project = tables["projects"]
        unknown_fields = [f for f in keep_fields if f not in project.columns]
        if unknown_fields:
            msg = (
                f"keep_fields {unknown_fields[0]!r} is not a column of projects.csv. "
                "Allowed: " + ", ".join(project.columns)
            )
            raise ValidationError(msg)
        kept_values = {name: old_rows.iloc[0][name] for name in keep_fields}
        kept_fields = list(kept_values)
        incoming_manager = project["manager"].iloc[0]
        if "manager" in kept_fields and "resources" in tables:
            used = {
                str(v)
                for n, c in _RESOURCE_COLUMNS.items()
                if n != "projects" and n in tables and c in tables[n]
                for v in tables[n][c]
            }
            people = tables["resources"]
            tables["resources"] = people[
                (people["resource_id"] != incoming_manager)
                | people["resource_id"].isin(used)
            ]
    else:
        kept_fields = []
    existing = current["resources"]
    by_name = {
        str(n).strip().casefold(): str(r)
        for r, n in zip(existing["resource_id"], existing["name"], strict=True)
    }
    numbers = [
        int(m.group(1))
        for r in existing["resource_id"]
        if (m := _RESOURCE_ID.fullmatch(str(r)))
    ]
    next_number = max(numbers, default=0) + 1
    mapping: dict[str, str] = {}
    new_rows = []
    incoming = tables.get("resources")
    if incoming is not None:
        incoming = validate_frame(
            incoming, "resources", source="imported resources", first_row=1
        )
        for _, row in incoming.iterrows():
            key = str(row["name"]).strip().casefold()
            old = str(row["resource_id"])
            if key in by_name:
                mapping[old] = by_name[key]
                continue
            new_id = f"R-{next_number:03d}"
            next_number += 1
            mapping[old] = new_id
            by_name[key] = new_id
            new_rows.append(row.to_dict() | {"resource_id": new_id})
    out: dict[str, pd.DataFrame] = {}
    for name, frame in current.items():
        if name == "resources":
            if new_rows:
                frame = pd.concat(
                    [frame, pd.DataFrame(new_rows, columns=frame.columns)],
                    ignore_index=True,
                )
            out[name] = frame
            continue
        if name not in replaced and not (name == "projects" and name in tables):
            out[name] = frame
            continue
        kept = frame[frame["project_id"] != project_id]
        added = tables.get(name)
        if added is not None and len(added):
            added = added.copy()
            added["project_id"] = project_id
            column = _RESOURCE_COLUMNS.get(name)
            if column is not None and column in added:
                added[column] = added[column].map(
                    lambda v: mapping.get(str(v), v) if isinstance(v, str) else v
                )
            if name == "projects":
                for field_name, value in kept_values.items():
                    added[field_name] = pd.Series(
                        [value] * len(added), index=added.index
                    )
            missing = [c for c in frame.columns if c not in added.columns]
            if missing:
                msg = (
                    f"imported table {name!r} lacks column {missing[0]!r}. "
                    f"Allowed: the columns of {SCHEMAS[name].file_name}: "
                    + ", ".join(frame.columns)
                )
                raise ValidationError(msg)
            typed = validate_frame(
                added[list(frame.columns)], name, source=f"imported {name}", first_row=1
            )
            if name == "projects" and existed:
                # the project keeps its place in projects.csv
                at = list(frame.index).index(old_rows.index[0])
                pieces = [frame.iloc[:at], typed, frame.iloc[at + 1 :]]
            else:
                pieces = [kept, typed]
            pieces = [p for p in pieces if len(p)]
            kept = pd.concat(pieces, ignore_index=True) if pieces else kept
        out[name] = kept.reset_index(drop=True)
    _orphans(out, replaced, project_id)
    kept_rows = {
        name: int((frame["project_id"] == project_id).sum())
        for name, frame in out.items()
        if name not in replaced and name not in _MERGED
    }
    charters = dict(portfolio.charters)
    merged = dataclasses.replace(portfolio, charters=charters, **out)  # type: ignore[arg-type]
    outcome = ImportOutcome(
        path=Path(portfolio.path) if portfolio.path is not None else Path(),
        project_id=project_id,
        existed=existed,
        replaced=replaced,
        kept_fields=tuple(kept_fields),
        kept_rows={k: v for k, v in kept_rows.items() if v},
    )
    return merged, outcome


def add_project(
    dataset_folder: str | os.PathLike[str],
    tables: Mapping[str, pd.DataFrame],
    *,
    project_id: str,
    organisation: str | None = None,
    replaces: Collection[str] | None = None,
    keep_fields: Collection[str] = (),
) -> Path:
    """
    Add one project to a dataset folder (created when missing), or replace it.

    Same as :func:`import_project`, returning the folder only.
    """
    return import_project(
        dataset_folder,
        tables,
        project_id=project_id,
        organisation=organisation,
        replaces=replaces,
        keep_fields=keep_fields,
    ).path


def import_project(
    dataset_folder: str | os.PathLike[str],
    tables: Mapping[str, pd.DataFrame],
    *,
    project_id: str,
    organisation: str | None = None,
    replaces: Collection[str] | None = None,
    keep_fields: Collection[str] = (),
) -> ImportOutcome:
    """
    Add one project to a dataset folder (created when missing), or replace it.

    Parameters
    ----------
    dataset_folder
        The dataset folder. When it does not exist (or is an empty folder) a new
        dataset is started with empty tables.
    tables
        Canonical tables of the project, by table name (``projects`` must hold
        exactly one row). ``project_id`` columns are set to ``project_id``;
        resources are merged by name.
    project_id
        ``P-NNN``: the project added, or replaced.
    organisation
        Name of a new dataset's organisation (default: the folder name); an
        existing dataset keeps its name.
    replaces
        Tables whose rows of the project are replaced; default: those in
        ``tables`` (other than ``projects`` and ``resources``). The project's
        rows in every other table (risks, status, gates...) are kept.
    keep_fields
        ``projects`` fields the source does not carry: an existing project keeps
        its values of them.

    Returns
    -------
    ImportOutcome
        The folder, the tables replaced, the rows and fields kept.

    Raises
    ------
    ValidationError
        The existing dataset does not load, ``project_id`` is malformed, or the
        result breaks a rule, or a kept row names a task (issue, sprint...) the
        import no longer has (the folder is then left untouched).
    """
    from pmo_kit.data.portfolio import load_portfolio, save_portfolio

    _check_project_id(project_id)
    folder = Path(dataset_folder)
    projects = tables.get("projects")
    if projects is None or len(projects) != 1:
        count = 0 if projects is None else len(projects)
        msg = (
            f"the imported tables hold {count} project rows. "
            "Allowed: exactly one row in 'projects'"
        )
        raise ValidationError(msg)
    if folder.exists() and not folder.is_dir():
        msg = (
            f"{folder}: is a file, not a dataset folder. "
            "Allowed: a folder (new or existing)"
        )
        raise ValidationError(msg)
    if folder.is_dir() and any(folder.iterdir()):
        portfolio: object = load_portfolio(folder)
    else:
        portfolio = _new_portfolio(organisation or folder.resolve().name)
    merged, outcome = _merge(
        portfolio,
        tables,
        project_id=project_id,
        replaces=replaces,
        keep_fields=keep_fields,
    )
    from pmo_kit.data.portfolio import Portfolio

    assert isinstance(merged, Portfolio)
    path = save_portfolio(merged, folder)
    return dataclasses.replace(outcome, path=path)
