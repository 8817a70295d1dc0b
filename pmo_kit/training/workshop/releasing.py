"""Release a workshop: one folder per team, the answer keys for the trainer."""

from __future__ import annotations

import csv
import json
import re
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pmo_kit._errors import PMOError
from pmo_kit.data.atomic import atomic_write_text

__all__ = [
    "HIDDEN_CHECKS",
    "MANIFEST",
    "TEAM_MARKER",
    "WorkshopError",
    "read_manifest",
    "read_roster",
    "release",
]

#: Trainer-only checks file of an exercise (never released to teams).
HIDDEN_CHECKS = "hidden_checks.py"
#: The trainer's manifest: teams, seeds, learners, exercises.
MANIFEST = "workshop.json"
#: The file that marks a folder as a released team folder.
TEAM_MARKER = ".pmo-workshop-team.json"

_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$")
#: Files of an exercise folder a team never receives.
_TRAINER_ONLY = {"solution.ipynb", HIDDEN_CHECKS, "exercise.ipynb"}


class WorkshopError(PMOError):
    """A workshop folder, roster or hand-in is not what it should be."""


@dataclass(frozen=True)
class _Team:
    name: str
    seed: int
    learners: tuple[str, ...]


def read_roster(path: str | Path) -> dict[str, list[str]]:
    """
    Read a roster CSV with the columns ``team`` and ``learner``.

    Returns
    -------
    dict
        Learners by team, teams in the order they first appear.

    Raises
    ------
    WorkshopError
        A missing file or column, or a team or learner name that cannot be used.
    """
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        msg = f"{path}: cannot read the roster ({exc})"
        raise WorkshopError(msg) from None
    reader = csv.DictReader(text.splitlines())
    fields = [f.strip().lower() for f in reader.fieldnames or []]
    if "team" not in fields or "learner" not in fields:
        msg = (
            f"{path}: the roster needs the columns team,learner "
            f"(found: {','.join(fields) or 'nothing'})"
        )
        raise WorkshopError(msg)
    teams: dict[str, list[str]] = {}
    for row_number, raw in enumerate(reader, start=2):
        row = {str(k).strip().lower(): (v or "").strip() for k, v in raw.items()}
        team, learner = row.get("team", ""), row.get("learner", "")
        if not team and not learner:
            continue
        if not _NAME.match(team):
            msg = (
                f"{path}, row {row_number}: team {team!r} is not a usable name "
                "(letters, digits, '-', '_', '.', at most 64)"
            )
            raise WorkshopError(msg)
        if not _NAME.match(learner):
            msg = (
                f"{path}, row {row_number}: learner {learner!r} is not a usable name "
                "(letters, digits, '-', '_', '.', at most 64)"
            )
            raise WorkshopError(msg)
        teams.setdefault(team, [])
        if learner in teams[team]:
            msg = f"{path}, row {row_number}: learner {learner!r} is listed twice"
            raise WorkshopError(msg)
        teams[team].append(learner)
    if not teams:
        msg = f"{path}: the roster lists no learners"
        raise WorkshopError(msg)
    return teams


def read_manifest(workshop: str | Path) -> dict[str, Any]:
    """
    Read ``WORKSHOP/trainer/workshop.json``.

    Raises
    ------
    WorkshopError
        The folder is not a released workshop.
    """
    path = Path(workshop) / "trainer" / MANIFEST
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        msg = (
            f"{path}: not a released workshop ({type(exc).__name__}); run "
            "pmo-kit workshop release first"
        )
        raise WorkshopError(msg) from None
    if not isinstance(data, dict) or not isinstance(data.get("teams"), dict):
        msg = f"{path}: not a workshop manifest (no teams)"
        raise WorkshopError(msg)
    return data


def _exercise_folders(exercises: Path) -> list[Path]:
    folders = sorted(p.parent for p in exercises.glob("*/solution.ipynb"))
    if not folders:
        msg = f"{exercises}: no exercises found (looked for */solution.ipynb)"
        raise WorkshopError(msg)
    return folders


def _strip_rubrics(notebook: Path) -> None:
    """Remove trainer notes (``rubric`` cell metadata) from a learner notebook."""
    nb = json.loads(notebook.read_text(encoding="utf-8"))
    for cell in nb.get("cells", []):
        cell.get("metadata", {}).pop("rubric", None)
    atomic_write_text(notebook, json.dumps(nb, indent=1, ensure_ascii=False) + "\n")


def release(
    out: str | Path,
    *,
    teams: int | None = None,
    roster: str | Path | None = None,
    seed: int = 2026,
    exercises: str | Path | None = None,
    projects: int = 10,
) -> dict[str, Any]:
    """
    Release a workshop: a folder per team and the trainer's answer keys.

    Parameters
    ----------
    out
        The workshop folder (created; must be empty or absent).
    teams
        Number of teams (named ``team-01``...); with ``roster``, must match it.
    roster
        A CSV with the columns ``team,learner``; teams are named as in the file.
    seed
        Team ``i`` (from 0) gets the dataset ``generate_organisation(seed=seed + i)``.
    exercises
        The course's exercise folders (``<name>/solution.ipynb`` + ``checks.py``);
        default: the kit's own (:func:`pmo_kit.training.workspace.kit_exercises_dir`).
    projects
        Projects per team dataset.

    Returns
    -------
    dict
        The manifest written to ``out/trainer/workshop.json``.

    Raises
    ------
    WorkshopError
        Bad team count, roster, exercise folder or a non-empty ``out``.
    """
    from pmo_kit import __version__, generate_organisation, save_portfolio
    from pmo_kit.training.solutions import make_learner_copy
    from pmo_kit.training.workspace import kit_exercises_dir

    out = Path(out)
    exercises = Path(exercises) if exercises is not None else kit_exercises_dir()
    if roster is not None:
        by_team = read_roster(roster)
        if teams is not None and teams != len(by_team):
            msg = (
                f"--teams {teams} does not match the roster {roster}, which has "
                f"{len(by_team)} teams"
            )
            raise WorkshopError(msg)
    elif teams is None or teams < 1 or teams > 99:
        msg = (
            f"--teams: {teams!r} is not a number of teams (1 to 99) and no roster "
            "is given"
        )
        raise WorkshopError(msg)
    else:
        by_team = {f"team-{i:02d}": [] for i in range(1, teams + 1)}
    if out.exists() and (not out.is_dir() or any(out.iterdir())):
        msg = f"{out}: already exists and is not empty; choose a new workshop folder"
        raise WorkshopError(msg)
    folders = _exercise_folders(exercises)

    trainer = out / "trainer" / "exercises"
    names: list[str] = []
    for folder in folders:
        key = trainer / folder.name
        shutil.copytree(
            folder,
            key,
            ignore=shutil.ignore_patterns(
                "__pycache__", ".ipynb_checkpoints", "exercise.ipynb"
            ),
        )
        make_learner_copy(folder / "solution.ipynb", key / "exercise.ipynb")
        _strip_rubrics(key / "exercise.ipynb")
        names.append(folder.name)

    team_list = [
        _Team(name, seed + i, tuple(learners))
        for i, (name, learners) in enumerate(by_team.items())
    ]
    for team in team_list:
        home = out / "teams" / team.name
        save_portfolio(
            generate_organisation(seed=team.seed, projects=projects), home / "data"
        )
        atomic_write_text(home / "pmo-kit.yaml", "dataset: data\n")
        for name in names:
            source = trainer / name
            target = home / "exercises" / name
            target.mkdir(parents=True)
            for item in source.iterdir():
                if item.name in _TRAINER_ONLY:
                    continue
                if item.is_dir():
                    shutil.copytree(item, target / item.name)
                else:
                    shutil.copy2(item, target / item.name)
            shutil.copy2(source / "exercise.ipynb", target / "exercise.ipynb")
        marker = {"team": team.name, "seed": team.seed, "exercises": names}
        atomic_write_text(home / TEAM_MARKER, json.dumps(marker, indent=1) + "\n")

    manifest: dict[str, Any] = {
        "kit_version": __version__,
        "seed": seed,
        "projects": projects,
        "exercises": names,
        "teams": {
            t.name: {"seed": t.seed, "learners": list(t.learners)} for t in team_list
        },
    }
    atomic_write_text(out / "trainer" / MANIFEST, json.dumps(manifest, indent=1) + "\n")
    return manifest
