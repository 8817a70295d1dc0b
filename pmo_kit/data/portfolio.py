"""
The Portfolio bundle: every canonical table of one organisation, validated together.

A dataset folder holds one CSV per table (see ``datasets/README.md``), an
``organisation.yaml`` with the organisation's name and currency, and a ``charters/``
folder with one YAML charter per project.
"""

from __future__ import annotations

import shutil
import tempfile
import uuid
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd
import yaml

from pmo_kit._errors import ValidationError
from pmo_kit.data.schemas import (
    OPPORTUNITY_RESPONSES,
    SCHEMAS,
    THREAT_RESPONSES,
    TableSchema,
)
from pmo_kit.data.tables import (
    SAFE_LOADER,
    atomic_write_text,
    current_umask,
    empty_table,
    read_table,
    validate_frame,
    write_table,
)

if TYPE_CHECKING:
    import os

__all__ = [
    "Portfolio",
    "bundled_dataset_path",
    "load_portfolio",
    "save_portfolio",
]

TABLE_NAMES: tuple[str, ...] = tuple(SCHEMAS)

# libyaml's safe loader/dumper when PyYAML has it (10x faster), else pure Python

_SafeDumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
_FIRST_ROW = 2  # spreadsheet numbering: the header is row 1


@dataclass(frozen=True)
class Portfolio:
    """
    All canonical tables of one organisation.

    Build one with :func:`load_portfolio` (from a dataset folder) or
    :func:`pmo_kit.generate_organisation`. Every table is a pandas DataFrame with
    the columns declared in :mod:`pmo_kit.data.schemas`.
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
    charters: dict[str, dict[str, Any]] = field(default_factory=dict)
    path: Path | None = None

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
                frame, name, source=_source(self.path, name), first_row=_FIRST_ROW
            )
            for name, frame in self.tables().items()
        }
        bundle = replace(self, **typed)  # type: ignore[arg-type]
        problems = _cross_checks(bundle)
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
    Load and validate a dataset folder.

    Parameters
    ----------
    path
        A folder with one CSV per canonical table. ``None`` loads the bundled sample
        organisation (Meridian Works).

    Returns
    -------
    Portfolio
        Every table validated and typed, charters parsed.

    Raises
    ------
    ValidationError
        A file or column is missing, or a value breaks a rule. The message names the
        file, row, column, bad value and what is allowed.

    Examples
    --------
    >>> portfolio = load_portfolio()
    >>> portfolio.name
    'Meridian Works'
    >>> len(portfolio.projects) >= 10
    True
    """
    folder = bundled_dataset_path() if path is None else Path(path)
    if not folder.is_dir():
        msg = (
            f"{folder}: dataset folder not found. "
            "Allowed: a folder with one CSV per table"
        )
        raise ValidationError(msg)
    meta = (
        _read_yaml(folder / "organisation.yaml")
        if (folder / "organisation.yaml").is_file()
        else {}
    )
    tables: dict[str, pd.DataFrame] = {}
    for name, schema in SCHEMAS.items():
        file = folder / schema.file_name
        if schema.optional and not file.exists():
            tables[name] = empty_table(schema)
        else:
            tables[name] = read_table(file, schema)
    charters: dict[str, dict[str, Any]] = {}
    charter_dir = folder / "charters"
    if charter_dir.is_dir():
        for file in sorted(charter_dir.glob("*.yaml")):
            charters[file.stem] = _read_yaml(file)
    bundle = Portfolio(
        name=str(meta.get("name", folder.name)),
        currency=str(meta.get("currency", "EUR")),
        charters=charters,
        path=folder,
        **tables,
    )
    problems = _cross_checks(bundle)
    if problems:
        raise ValidationError.from_problems(problems)
    return bundle


def save_portfolio(portfolio: Portfolio, path: str | os.PathLike[str]) -> Path:
    """
    Write a portfolio to a dataset folder, all or nothing.

    The bundle is validated first; the files are written to a temporary folder
    beside ``path``, read back, and only then swapped in. If anything fails the
    existing folder is left exactly as it was.

    Returns
    -------
    pathlib.Path
        The dataset folder.
    """
    target = Path(path)
    checked = portfolio.validate()
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{target.name}.", dir=target.parent))
    staging.chmod(0o777 & ~current_umask())  # mkdtemp makes it private (0700)
    try:
        for name, frame in checked.tables().items():
            write_table(frame, staging / SCHEMAS[name].file_name)
        meta = {"name": checked.name, "currency": checked.currency}
        atomic_write_text(
            staging / "organisation.yaml",
            yaml.dump(meta, Dumper=_SafeDumper, sort_keys=False),
        )
        if checked.charters:
            (staging / "charters").mkdir()
            for project_id, charter in checked.charters.items():
                text = yaml.dump(
                    charter,
                    Dumper=_SafeDumper,
                    sort_keys=False,
                    allow_unicode=True,
                    width=88,
                )
                atomic_write_text(staging / "charters" / f"{project_id}.yaml", text)
        load_portfolio(staging)  # read back before replacing anything
        _swap_in(staging, target)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return target


# --------------------------------------------------------------------------- helpers


def _swap_in(staging: Path, target: Path) -> None:
    if not target.exists():
        staging.replace(target)
        return
    old = target.with_name(f".{target.name}.old-{uuid.uuid4().hex[:8]}")
    target.replace(old)
    try:
        staging.replace(target)
    except BaseException:
        old.replace(target)
        raise
    shutil.rmtree(old, ignore_errors=True)


def _source(folder: Path | None, table: str) -> str:
    file = SCHEMAS[table].file_name
    return str(folder / file) if folder is not None else file


def _read_yaml(path: Path) -> dict[str, Any]:
    try:
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=SAFE_LOADER)
    except UnicodeDecodeError:
        msg = f"{path}: not valid UTF-8 text. Allowed: a UTF-8 YAML file"
        raise ValidationError(msg) from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f", line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        problem = getattr(exc, "problem", None) or str(exc)
        msg = f"{path}{where}: not valid YAML ({problem})"
        raise ValidationError(msg) from None
    if data is None:
        return {}
    if not isinstance(data, dict):
        msg = (
            f"{path}: expected a YAML mapping (key: value lines), "
            f"got {type(data).__name__}"
        )
        raise ValidationError(msg)
    return data


def _key_set(frame: pd.DataFrame, columns: tuple[str, ...]) -> pd.MultiIndex:
    return pd.MultiIndex.from_frame(frame[list(columns)].astype("object"))


def _foreign_key_problems(
    bundle: Portfolio, name: str, schema: TableSchema
) -> list[str]:
    frame = getattr(bundle, name)
    problems: list[str] = []
    for fk in schema.foreign_keys:
        target = getattr(bundle, fk.table)
        local = frame[list(fk.columns)]
        present = local.notna().all(axis=1).to_numpy()
        if not present.any():
            continue
        wanted = _key_set(local[present], fk.columns)
        known = _key_set(target, fk.target_columns)
        missing = ~wanted.isin(known)
        positions = np.flatnonzero(present)[missing]
        column = fk.columns[-1]
        target_file = SCHEMAS[fk.table].file_name
        for i in positions[:20]:
            value = frame.iloc[i][column]
            scope = (
                f" of project {frame.iloc[i]['project_id']!r}"
                if len(fk.columns) > 1 and fk.columns[0] == "project_id"
                else ""
            )
            problems.append(
                f"{_source(bundle.path, name)}, row {i + _FIRST_ROW}, "
                f"column {column!r}: "
                f"{value!r} is not a {fk.target_columns[-1]}{scope} in {target_file}. "
                f"Allowed: a {fk.target_columns[-1]} listed in {target_file}"
            )
    return problems


def _row_problems(
    bundle: Portfolio,
    table: str,
    mask: pd.Series | np.ndarray,
    column: str,
    what: str,
    allowed: str,
) -> list[str]:
    frame = getattr(bundle, table)
    positions = np.flatnonzero(np.asarray(mask, dtype=bool))
    out = []
    for i in positions[:20]:
        value = frame.iloc[i][column]
        if isinstance(value, pd.Timestamp):
            shown = value.strftime("%Y-%m-%d")
        else:
            shown = value.item() if isinstance(value, np.generic) else value
        out.append(
            f"{_source(bundle.path, table)}, row {i + _FIRST_ROW}, column {column!r}: "
            f"{shown!r} {what}. Allowed: {allowed}"
        )
    return out


def _cross_checks(bundle: Portfolio) -> list[str]:
    problems: list[str] = []
    for name, schema in SCHEMAS.items():
        problems += _foreign_key_problems(bundle, name, schema)
    p, t, d, r = bundle.projects, bundle.tasks, bundle.dependencies, bundle.risks
    problems += _row_problems(
        bundle,
        "projects",
        p["planned_finish"] < p["start"],
        "planned_finish",
        "is before the project start",
        "a date on or after 'start'",
    )
    problems += _row_problems(
        bundle,
        "tasks",
        t["baseline_finish"] < t["baseline_start"],
        "baseline_finish",
        "is before the baseline start",
        "a date on or after 'baseline_start'",
    )
    problems += _row_problems(
        bundle,
        "tasks",
        t["actual_finish"] < t["actual_start"],
        "actual_finish",
        "is before the actual start",
        "a date on or after 'actual_start'",
    )
    problems += _row_problems(
        bundle,
        "tasks",
        t["actual_finish"].notna() & t["actual_start"].isna(),
        "actual_start",
        "is empty although the task has an actual finish",
        "an actual start for every finished task",
    )
    three = t[["optimistic", "most_likely", "pessimistic"]]
    unordered = three.notna().all(axis=1) & ~(
        (three["optimistic"] <= three["most_likely"])
        & (three["most_likely"] <= three["pessimistic"])
    )
    problems += _row_problems(
        bundle,
        "tasks",
        unordered,
        "most_likely",
        "is not between optimistic and pessimistic",
        "optimistic <= most_likely <= pessimistic",
    )
    problems += _row_problems(
        bundle,
        "dependencies",
        d["predecessor"] == d["successor"],
        "successor",
        "links a task to itself",
        "a successor different from the predecessor",
    )
    problems += _row_problems(
        bundle,
        "risks",
        (r["type"] == "threat") & ~r["response_strategy"].isin(THREAT_RESPONSES),
        "response_strategy",
        "is not a response to a threat",
        ", ".join(THREAT_RESPONSES),
    )
    problems += _row_problems(
        bundle,
        "risks",
        (r["type"] == "opportunity")
        & ~r["response_strategy"].isin(OPPORTUNITY_RESPONSES),
        "response_strategy",
        "is not a response to an opportunity",
        ", ".join(OPPORTUNITY_RESPONSES),
    )
    problems += _row_problems(
        bundle,
        "risks",
        ~(
            (r["cost_impact_min"] <= r["cost_impact_most_likely"])
            & (r["cost_impact_most_likely"] <= r["cost_impact_max"])
        ),
        "cost_impact_most_likely",
        "is not between cost_impact_min and cost_impact_max",
        "cost_impact_min <= cost_impact_most_likely <= cost_impact_max",
    )
    problems += _row_problems(
        bundle,
        "risks",
        r["schedule_impact_max"] < r["schedule_impact_min"],
        "schedule_impact_max",
        "is below schedule_impact_min",
        "schedule_impact_min <= schedule_impact_max",
    )
    s = bundle.status.merge(
        p[["project_id", "budget"]], on="project_id", how="left", validate="many_to_one"
    )
    problems += _row_problems(
        bundle,
        "status",
        (s["ev"] > s["budget"] * (1 + 1e-9)).to_numpy(),
        "ev",
        "is above the project's budget (BAC) in projects.csv",
        "earned value between 0 and the project's budget",
    )
    dated = bundle.status.merge(
        p[["project_id", "start", "status_date"]].rename(
            columns={"status_date": "reporting_date"}
        ),
        on="project_id",
        how="left",
        validate="many_to_one",
    )
    problems += _row_problems(
        bundle,
        "status",
        (dated["status_date"] < dated["start"]).to_numpy(),
        "status_date",
        "is before the project's start in projects.csv",
        "a status date between the project's start and its status_date",
    )
    problems += _row_problems(
        bundle,
        "status",
        (dated["status_date"] > dated["reporting_date"]).to_numpy(),
        "status_date",
        "is after the project's status_date in projects.csv",
        "a status date on or before the project's latest status_date",
    )
    problems += _row_problems(
        bundle,
        "status",
        _cumulative_drops(bundle.status, "ac"),
        "ac",
        "is lower than the actual cost of the previous status date",
        "cumulative actual cost that never goes down (AC is a running total)",
    )
    sp = bundle.sprints
    problems += _row_problems(
        bundle,
        "sprints",
        sp["end"] < sp["start"],
        "end",
        "is before the sprint start",
        "a date on or after 'start'",
    )
    problems += _charter_problems(bundle)
    return problems


def _cumulative_drops(status: pd.DataFrame, column: str) -> np.ndarray:
    """Rows whose running total is below the same project's previous status date."""
    order = status.sort_values(["project_id", "status_date"], kind="stable")
    previous = order.groupby("project_id")[column].shift()
    drops = pd.Series(False, index=status.index)
    drops[order.index] = (order[column] < previous - 1e-6).to_numpy()
    return drops.to_numpy()


def _charter_problems(bundle: Portfolio) -> list[str]:
    from pmo_kit.charter.model import Charter  # the charter model validates structure

    known = set(bundle.project_ids)
    out = []
    for key, charter in bundle.charters.items():
        where = (
            str(bundle.path / "charters" / f"{key}.yaml")
            if bundle.path
            else f"charter {key}"
        )
        try:
            Charter.from_dict(charter, source=where)
        except ValidationError as exc:
            out.extend(exc.problems)
            continue
        declared = charter.get("project_id")
        if declared != key:
            out.append(
                f"{where}, field 'project_id': {declared!r} does not match the "
                "file name. "
                f"Allowed: {key!r}"
            )
        elif key not in known:
            out.append(
                f"{where}, field 'project_id': {key!r} is not a project in "
                "projects.csv. "
                "Allowed: a project_id listed in projects.csv"
            )
    return out


def _field_names() -> list[str]:
    return [f.name for f in fields(Portfolio)]
