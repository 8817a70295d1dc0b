"""
The dataset the lessons and exercises use, and the items each exercise is about.

The course runs on one dataset, chosen once:

1. the environment variable ``PMO_KIT_DATASET`` (a dataset folder), else
2. a ``pmo-kit.yaml`` file with a ``dataset: <folder>`` key, found in the current
   folder or one of its parents (a relative folder is relative to that file), else
3. the bundled sample organisation (Meridian Works).

Notebooks call :func:`course_portfolio` instead of ``pmo_kit.load_portfolio()``, and
let the kit pick the item a question is about (:func:`furthest_behind_project`,
:func:`evm_case`, :func:`agile_project`), so the same exercise works on a team's
own data and its checks recompute the answers from the data the learner has.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pmo_kit._errors import ValidationError

if TYPE_CHECKING:
    from collections.abc import Mapping

    import pandas as pd

    from pmo_kit.data.portfolio import Portfolio

__all__ = [
    "DATASET_ENV",
    "SETTINGS_FILE",
    "CourseDataError",
    "EvmCase",
    "agile_project",
    "course_dataset_path",
    "course_portfolio",
    "evm_case",
    "furthest_behind_project",
    "is_sample",
    "question_text",
]

DATASET_ENV = "PMO_KIT_DATASET"
"""Environment variable naming the course's dataset folder."""
SETTINGS_FILE = "pmo-kit.yaml"
"""Settings file whose ``dataset:`` key names the course's dataset folder."""


class CourseDataError(ValidationError):
    """The course's dataset setting is wrong, or the data lacks a question's case."""


def _settings_file(start: Path) -> Path | None:
    for folder in (start, *start.parents):
        candidate = folder / SETTINGS_FILE
        if candidate.is_file():
            return candidate
    return None


def _dataset_from_settings(settings: Path) -> Path | None:
    import yaml

    try:
        data = yaml.safe_load(settings.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        reason = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        msg = (
            f"{settings}: cannot be read as YAML ({reason}); "
            "expected 'dataset: <folder>'"
        )
        raise CourseDataError(msg) from None
    if data is None:
        return None
    if not isinstance(data, dict):
        msg = (
            f"{settings}: expected a mapping such as 'dataset: <folder>', "
            f"not a {type(data).__name__}"
        )
        raise CourseDataError(msg)
    if "dataset" not in data or data["dataset"] is None:
        return None
    value = data["dataset"]
    if not isinstance(value, str) or not value.strip():
        msg = (
            f"{settings}: 'dataset' is {value!r}; give the path of a dataset folder "
            "(relative to this file or absolute)"
        )
        raise CourseDataError(msg)
    folder = Path(value.strip()).expanduser()
    if not folder.is_absolute():
        folder = settings.parent / folder
    return _existing_folder(folder, f"{settings}: 'dataset'", value)


def _existing_folder(folder: Path, where: str, value: str) -> Path:
    if not folder.is_dir():
        state = "is a file" if folder.exists() else "does not exist"
        msg = (
            f"{where} = {value!r}: {folder} {state}; give a dataset folder "
            "(one CSV per table, as written by 'pmo-kit data generate')"
        )
        raise CourseDataError(msg)
    return folder.resolve()


def course_dataset_path(
    start: str | os.PathLike[str] | None = None,
    environ: Mapping[str, str] | None = None,
) -> Path | None:
    """
    Return the dataset folder the course uses, or None for the bundled sample.

    Parameters
    ----------
    start
        Where to look for ``pmo-kit.yaml`` (this folder, then its parents); the
        current folder by default.
    environ
        The environment to read ``PMO_KIT_DATASET`` from; ``os.environ`` by default.

    Raises
    ------
    CourseDataError
        The variable or the settings file names something that is not a folder, or
        the settings file is not a ``dataset: <folder>`` mapping. One line naming
        the variable or file, the value and what is allowed.

    Examples
    --------
    >>> course_dataset_path(environ={}, start="/") is None
    True
    """
    env = os.environ if environ is None else environ
    value = env.get(DATASET_ENV, "")
    if value.strip():
        folder = Path(value.strip()).expanduser()
        return _existing_folder(folder.absolute(), f"${DATASET_ENV}", value)
    here = Path(start) if start is not None else Path.cwd()
    settings = _settings_file(here.absolute())
    if settings is None:
        return None
    return _dataset_from_settings(settings)


def course_portfolio(
    start: str | os.PathLike[str] | None = None,
    environ: Mapping[str, str] | None = None,
) -> Portfolio:
    """
    Load the course's dataset (see :func:`course_dataset_path`), validated.

    Raises
    ------
    CourseDataError
        The setting is wrong.
    ValidationError
        The folder is not a valid dataset (the message names file, row and column).
    """
    from pmo_kit.data.portfolio import load_portfolio

    return load_portfolio(course_dataset_path(start, environ))


def is_sample(portfolio: Portfolio) -> bool:
    """Tell whether ``portfolio`` is the bundled sample organisation."""
    from pmo_kit.data.portfolio import bundled_dataset_path

    if portfolio.path is None:
        return False
    try:
        return Path(portfolio.path).resolve() == bundled_dataset_path().resolve()
    except ValidationError:
        return False


def question_text(template: str, **figures: object) -> Any:
    """
    Return question text with the data's figures filled in, shown as Markdown.

    ``template`` uses :meth:`str.format` fields (``{cpi:.2f}``). In Jupyter the
    result displays as Markdown; its ``data`` attribute is the text.

    Examples
    --------
    >>> question_text("CPI **{cpi:.2f}**", cpi=0.9289).data
    'CPI **0.93**'
    """
    from IPython.display import Markdown

    try:
        text = template.format(**figures)
    except (KeyError, IndexError) as exc:
        msg = f"question text: the field {exc} has no figure; pass it as a keyword"
        raise CourseDataError(msg) from None
    return Markdown(text)  # type: ignore[no-untyped-call]


# ------------------------------------------------------------- the chosen items


def _latest_status(portfolio: Portfolio) -> pd.DataFrame:
    status = portfolio.status.sort_values(["project_id", "status_date"])
    latest = status.groupby("project_id").last()
    latest = latest[(latest["pv"] > 0) & (latest["ac"] > 0)]
    return latest


def furthest_behind_project(portfolio: Portfolio) -> str:
    """
    Return the id of the project with the lowest SPI at its latest status.

    Raises
    ------
    CourseDataError
        No project has a status row with planned value and actual cost.
    """
    latest = _latest_status(portfolio)
    if latest.empty:
        msg = f"{portfolio.name}: no project has status figures (pv, ac) to compare"
        raise CourseDataError(msg)
    spi = latest["ev"] / latest["pv"]
    return str(spi.sort_values(kind="stable").index[0])


@dataclass(frozen=True, slots=True)
class EvmCase:
    """
    The project of the earned value exercise and the risk that explains its overrun.

    ``risk_id`` and ``risk_title`` are empty when no risk of the project fired.
    """

    project_id: str
    risk_id: str
    risk_title: str
    risk_month: str


def evm_case(portfolio: Portfolio) -> EvmCase:
    """
    Pick the over-budget project whose risk fired most recently.

    The project is one with a CPI below 1.0 at its latest status. Among those, the
    one with the most recent ``occurred`` risk (by closing, then review date) comes
    first; without any fired risk, the lowest CPI.

    Raises
    ------
    CourseDataError
        No project is over budget: the exercise's questions (an overrun, a TCPI
        above 1) do not apply to this dataset.
    """
    latest = _latest_status(portfolio)
    cpi = latest["ev"] / latest["ac"]
    over = cpi[cpi < 1.0]
    if over.empty:
        msg = (
            f"{portfolio.name}: no project has a CPI below 1.0; the earned value "
            "exercise needs a project over budget"
        )
        raise CourseDataError(msg)
    risks = portfolio.risks
    fired = risks[
        (risks["status"] == "occurred") & risks["project_id"].isin(over.index)
    ]
    if not fired.empty:
        when = fired["closed_date"].fillna(fired["last_review_date"])
        row = fired.assign(_when=when).sort_values("_when", kind="stable").iloc[-1]
        month = f"{row['_when']:%B}" if hasattr(row["_when"], "strftime") else ""
        return EvmCase(
            str(row["project_id"]), str(row["risk_id"]), str(row["title"]), month
        )
    return EvmCase(str(over.sort_values(kind="stable").index[0]), "", "", "")


def agile_project(portfolio: Portfolio) -> str:
    """
    Return the first project (in table order) with a backlog to forecast.

    It has at least two sprints finished by its status date, finished items with a
    history, and items not yet done.

    Raises
    ------
    CourseDataError
        No project has sprints and a backlog left.
    """
    sprints, items = portfolio.sprints, portfolio.work_items
    changes = portfolio.status_changes
    for _, project in portfolio.projects.iterrows():
        pid = project["project_id"]
        mine = sprints[sprints["project_id"] == pid]
        finished = mine[mine["end"] <= project["status_date"]]
        left = items[(items["project_id"] == pid) & (items["status"] != "Done")]
        done = changes[
            (changes["project_id"] == pid) & (changes["to_status"] == "Done")
        ]
        if len(finished) >= 2 and not left.empty and not done.empty:
            return str(pid)
    msg = (
        f"{portfolio.name}: no project has two finished sprints and a backlog left; "
        "the agile exercise needs one"
    )
    raise CourseDataError(msg)
