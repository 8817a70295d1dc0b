"""
The Portfolio bundle: every canonical table of one organisation, validated together.

A dataset folder holds one CSV per table (see ``datasets/README.md``), an
``organisation.yaml`` with the organisation's name and currency, and a ``charters/``
folder with one YAML charter per project. A database URL (``sqlite:///pmo.db``,
``postgresql://user:password@host/pmo``) holds the same in tables: the functions
here hand a URL to :mod:`pmo_kit.store` (SQLAlchemy is only imported then).
"""

from __future__ import annotations

import importlib
import shutil
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, overload

from pmo_kit._errors import ValidationError
from pmo_kit.charter.files import charter_yaml, load_charter
from pmo_kit.data import load_cache
from pmo_kit.data.atomic import atomic_write_text
from pmo_kit.data.cross_checks import FIRST_ROW, cross_checks, table_source
from pmo_kit.data.folders import carry_over, make_staging, remove_stale_staging, swap_in
from pmo_kit.data.schemas import SCHEMAS
from pmo_kit.data.tables import empty_table, read_table, validate_frame, write_table
from pmo_kit.data.yaml_files import dump_yaml, read_yaml
from pmo_kit.store.urls import is_database_url

if TYPE_CHECKING:
    import os
    from collections.abc import Callable
    from types import ModuleType

    import pandas as pd

    from pmo_kit.charter.model import Charter

__all__ = [
    "DatasetCheck",
    "Portfolio",
    "bundled_dataset_path",
    "check_dataset",
    "is_dataset_file",
    "load_portfolio",
    "save_portfolio",
]

TABLE_NAMES: tuple[str, ...] = tuple(SCHEMAS)
#: The files and folder a dataset holds besides its tables.
ORGANISATION_FILE = "organisation.yaml"
CHARTER_FOLDER = "charters"


@dataclass(frozen=True)
class Portfolio:
    """
    All canonical tables of one organisation.

    Build one with :func:`load_portfolio` (from a dataset folder or a database URL)
    or :func:`pmo_kit.generate_organisation`. Every table is a pandas DataFrame with
    the columns declared in :mod:`pmo_kit.data.schemas`. ``origin`` is set by a
    load from a database: the rows as read, so that saving back writes only the
    changes (see :func:`pmo_kit.store.save_database`).
    """

    name: str
    currency: str
    projects: pd.DataFrame
    tasks: pd.DataFrame
    dependencies: pd.DataFrame
    resources: pd.DataFrame
    assignments: pd.DataFrame
    risks: pd.DataFrame
    status: pd.DataFrame
    sprints: pd.DataFrame
    work_items: pd.DataFrame
    status_changes: pd.DataFrame
    lessons: pd.DataFrame
    gates: pd.DataFrame
    charters: dict[str, Charter] = field(default_factory=dict)
    path: Path | None = None
    origin: object | None = field(default=None, compare=False, repr=False)

    def tables(self) -> dict[str, pd.DataFrame]:
        """Return every canonical table by name."""
        return {name: getattr(self, name) for name in TABLE_NAMES}

    @property
    def project_ids(self) -> list[str]:
        """Project identifiers in table order."""
        return [str(p) for p in self.projects["project_id"]]

    def project(self, project_id: str) -> pd.Series:
        """
        Return one project's row.

        Raises
        ------
        ValidationError
            ``project_id`` is not in the portfolio; the message lists the known ids.
        """
        match = self.projects[self.projects["project_id"] == project_id]
        if match.empty:
            known = ", ".join(self.project_ids)
            msg = (
                f"{project_id!r} is not a project in {self.name}. "
                f"Known projects: {known}"
            )
            raise ValidationError(msg)
        return match.iloc[0]

    def for_project(self, project_id: str) -> Portfolio:
        """Return a portfolio holding only one project and what belongs to it."""
        self.project(project_id)
        tables: dict[str, pd.DataFrame] = {}
        for name, frame in self.tables().items():
            if "project_id" in frame and name != "lessons":
                frame = frame[frame["project_id"] == project_id].reset_index(drop=True)
            tables[name] = frame
        charters = {k: v for k, v in self.charters.items() if k == project_id}
        return replace(self, charters=charters, **tables)  # type: ignore[arg-type]

    def validate(self) -> Portfolio:
        """
        Validate every table and the links between them.

        Returns
        -------
        Portfolio
            A new bundle whose tables have their declared types.

        Raises
        ------
        ValidationError
            Names the table, row, column, bad value and what is allowed.
        """
        typed = {
            name: validate_frame(
                frame, name, source=table_source(self.path, name), first_row=FIRST_ROW
            )
            for name, frame in self.tables().items()
        }
        bundle = replace(self, **typed)  # type: ignore[arg-type]
        problems = cross_checks(bundle)
        if problems:
            raise ValidationError.from_problems(problems)
        return bundle


def bundled_dataset_path(name: str = "meridian") -> Path:
    """
    Return the folder of a dataset shipped with the kit.

    Works from a source checkout (``datasets/``) and from an installed wheel.
    """
    here = Path(__file__).resolve().parent.parent
    for candidate in (
        here / "_bundled" / "datasets" / name,
        here.parent / "datasets" / name,
    ):
        if candidate.is_dir():
            return candidate
    msg = (
        f"the bundled dataset {name!r} was not found next to the pmo_kit package; "
        "reinstall pmo-kit or pass the dataset folder explicitly"
    )
    raise ValidationError(msg)


def load_portfolio(path: str | os.PathLike[str] | None = None) -> Portfolio:
    """
    Load and validate a dataset folder or a database.

    Parameters
    ----------
    path
        A folder with one CSV per canonical table, or a database URL
        (``sqlite:///pmo.db``, ``postgresql://user:password@host:port/pmo``; see
        ``docs/storage.md``). ``None`` loads the bundled sample organisation
        (Meridian Works).

    Returns
    -------
    Portfolio
        Every table validated and typed, charters read into :class:`Charter`.

    Raises
    ------
    ValidationError
        A file or column is missing, or a value breaks a rule. The message names the
        file, row, column, bad value and what is allowed, and counts the other
        problems; ``problems`` lists every one (see :func:`check_dataset`).

    Examples
    --------
    >>> portfolio = load_portfolio()
    >>> portfolio.name
    'Meridian Works'
    >>> len(portfolio.projects) >= 10
    True
    """
    if isinstance(path, str) and is_database_url(path):
        loaded: Portfolio = _database().load_database(path)
        return loaded
    if load_cache.cache_enabled():
        folder = Path(path) if path is not None else bundled_dataset_path()
        if folder.is_dir():
            portfolio: Portfolio = load_cache.cached_load(folder, _load_checked)
            return portfolio
    return _load_checked(path)


def _load_checked(path: str | os.PathLike[str] | None) -> Portfolio:
    checked = check_dataset(path)
    if checked.portfolio is None or checked.problems:
        raise ValidationError.from_problems(checked.problems)
    return checked.portfolio


@dataclass(frozen=True)
class DatasetCheck:
    """
    What :func:`check_dataset` found in a dataset folder.

    ``problems`` lists every problem, each naming the file, row, column, bad value
    and what is allowed; ``portfolio`` is the loaded bundle when there are none.
    ``empty_tables`` names the files that hold a header row and no records (not an
    error, but rarely meant).
    """

    path: Path | str
    problems: list[str]
    empty_tables: tuple[str, ...] = ()
    portfolio: Portfolio | None = None

    @property
    def ok(self) -> bool:
        """True when the folder loads without a problem."""
        return not self.problems and self.portfolio is not None


def check_dataset(
    path: str | os.PathLike[str] | None = None,
    *,
    progress: Callable[[str, int, int], None] | None = None,
) -> DatasetCheck:
    """
    Check a whole dataset folder and list every problem, file after file.

    Unlike :func:`load_portfolio`, a bad file does not stop the check: every table
    and every charter is read, and the rules that link tables run once each table
    is valid on its own.

    Parameters
    ----------
    path
        The dataset folder or a database URL; ``None`` checks the bundled sample
        organisation.
    progress
        Called before each file is read with the file name, its number (from 1) and
        the number of steps (one per table, one for the charters).

    Returns
    -------
    DatasetCheck
        The problems, the tables that are empty, and the portfolio when it is valid.

    Raises
    ------
    ValidationError
        The folder itself does not exist (or is a file).

    Examples
    --------
    >>> result = check_dataset()
    >>> result.ok, result.problems
    (True, [])
    """
    if isinstance(path, str) and is_database_url(path):
        found: DatasetCheck = _database().check_database(path, progress=progress)
        return found
    folder = bundled_dataset_path() if path is None else Path(path)
    if not folder.is_dir():
        what = (
            "is a file, not a dataset folder"
            if folder.is_file()
            else "dataset folder not found"
        )
        msg = f"{folder}: {what}. Allowed: a folder with one CSV per table"
        raise ValidationError(msg)
    problems: list[str] = []
    meta: dict[str, object] = {}
    organisation = folder / ORGANISATION_FILE
    if organisation.exists():
        try:
            meta = _mapping(read_yaml(organisation, what="organisation"), organisation)
        except ValidationError as exc:
            problems.extend(exc.problems)
    steps = len(SCHEMAS) + 1
    tables: dict[str, pd.DataFrame] = {}
    for number, (name, schema) in enumerate(SCHEMAS.items(), start=1):
        file = folder / schema.file_name
        if progress is not None:
            progress(schema.file_name, number, steps)
        try:
            if schema.optional and not file.exists():
                tables[name] = empty_table(schema)
            else:
                tables[name] = read_table(file, schema)
        except ValidationError as exc:
            problems.extend(exc.problems)
    if progress is not None:
        progress(f"{CHARTER_FOLDER}/", steps, steps)
    charters: dict[str, Charter] = {}
    for file in sorted((folder / CHARTER_FOLDER).glob("*.yaml")):
        try:
            charters[file.stem] = load_charter(file)
        except ValidationError as exc:
            problems.extend(exc.problems)
    empty = tuple(
        SCHEMAS[name].file_name
        for name, frame in tables.items()
        if frame.empty and (folder / SCHEMAS[name].file_name).exists()
    )
    if len(tables) < len(SCHEMAS):
        return DatasetCheck(folder, problems, empty)
    bundle = Portfolio(
        name=str(meta.get("name", folder.name)),
        currency=str(meta.get("currency", "EUR")),
        charters=charters,
        path=folder,
        **tables,
    )
    problems.extend(cross_checks(bundle))
    return DatasetCheck(folder, problems, empty, None if problems else bundle)


@overload
def save_portfolio(portfolio: Portfolio, path: os.PathLike[str]) -> Path: ...
@overload
def save_portfolio(portfolio: Portfolio, path: str) -> Path | str: ...
def save_portfolio(portfolio: Portfolio, path: str | os.PathLike[str]) -> Path | str:
    """
    Write a portfolio to a dataset folder or a database, all or nothing.

    Given a database URL, the save is one transaction (see ``docs/storage.md``): a
    portfolio loaded from that database writes only its changes and raises
    :class:`pmo_kit.store.ConflictError` if someone else changed the same rows
    meanwhile; any other portfolio replaces the database's content. The URL
    (password masked) is returned.

    The bundle is validated first; the files are written to a staging folder
    beside ``path``, read back, and only then swapped in. If anything fails the
    existing folder is left exactly as it was. Only the kit's own files are
    replaced (the tables, ``organisation.yaml``, ``charters/*.yaml``): any other
    file in the folder is kept. Staging folders left by a save that was killed are
    removed.

    Returns
    -------
    pathlib.Path
        The dataset folder.
    """
    if isinstance(path, str) and is_database_url(path):
        where: str = _database().save_database(portfolio, path)
        return where
    target = Path(path)
    checked = portfolio.validate()
    remove_stale_staging(target)
    staging = make_staging(target)
    try:
        for name, frame in checked.tables().items():
            write_table(frame, staging / SCHEMAS[name].file_name)
        meta = {"name": checked.name, "currency": checked.currency}
        atomic_write_text(staging / ORGANISATION_FILE, dump_yaml(meta))
        if checked.charters:
            (staging / CHARTER_FOLDER).mkdir()
            for project_id, charter in checked.charters.items():
                atomic_write_text(
                    staging / CHARTER_FOLDER / f"{project_id}.yaml",
                    charter_yaml(charter),
                )
        load_portfolio(staging)  # read back before replacing anything
        carry_over(target, staging, is_dataset_file)
        swap_in(staging, target)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return target


def is_dataset_file(relative: Path) -> bool:
    """
    Tell whether a path (inside a dataset folder) is one the kit writes and replaces.

    Examples
    --------
    >>> [is_dataset_file(Path(p)) for p in ("tasks.csv", "charters/P-001.yaml")]
    [True, True]
    >>> [is_dataset_file(Path(p)) for p in ("notes.txt", "charters/README.md")]
    [False, False]
    """
    parts = relative.parts
    if len(parts) == 1:
        return parts[0] in _TOP_LEVEL_FILES
    return len(parts) == 2 and parts[0] == CHARTER_FOLDER and relative.suffix == ".yaml"


_TOP_LEVEL_FILES = frozenset(
    [ORGANISATION_FILE, *(schema.file_name for schema in SCHEMAS.values())]
)


def _mapping(data: object, path: Path) -> dict[str, object]:
    if data is None:
        return {}
    if not isinstance(data, dict):
        msg = (
            f"{path}: expected a YAML mapping (key: value lines), "
            f"got {type(data).__name__}"
        )
        raise ValidationError(msg)
    return data


def _database() -> ModuleType:
    """
    Return the database store (:mod:`pmo_kit.store.database`), imported on first use.

    It loads SQLAlchemy, which folder users never pay for. Imported by name rather
    than with an import statement so that this module does not depend on the
    ``pmo_kit`` package at import time (a cycle mypy reports as redefinitions).
    """
    return importlib.import_module("pmo_kit.store.database")
