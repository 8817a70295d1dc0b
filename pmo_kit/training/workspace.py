"""
The learner's workspace: lessons and exercises copied once, outside the kit's files.

``make_workspace()`` copies the lesson notebooks and the learner copy of every
exercise (no solution, no ``checks.py``) into a folder the learner owns. A file that
is already there is never overwritten. With ``refresh=True`` a notebook whose kit
version changed is updated: if the learner never touched it, it is replaced; if they
did, their answer cells (ids ``qN-answer``) are carried into the new copy and the old
file is kept as ``<name>.backup-<timestamp>.ipynb`` beside it.

The workspace remembers what it was made from in ``.pmo-kit/workspace.json``; the
exercise checks are found through it (by the exercise folder's name), and the
learner's progress is kept next to it in ``.pmo-kit/progress.json``.
"""

from __future__ import annotations

import hashlib
import json
import re
import shutil
import tempfile
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from pmo_kit._errors import ExerciseError
from pmo_kit.data.atomic import atomic_write_bytes, atomic_write_text

__all__ = [
    "MANIFEST",
    "STATE_DIR",
    "WorkspaceReport",
    "find_workspace",
    "kit_exercises_dir",
    "kit_lessons_dir",
    "make_workspace",
]

#: Folder inside a workspace where the kit keeps its own files.
STATE_DIR = ".pmo-kit"
#: The workspace's manifest, inside :data:`STATE_DIR`.
MANIFEST = "workspace.json"
#: Files of an exercise folder a learner does not get (README.md quotes answers).
_HIDDEN = {"solution.ipynb", "checks.py", "exercise.ipynb", "README.md"}
_ANSWER_ID = re.compile(r"^q\d+-answer$")


@dataclass
class WorkspaceReport:
    """What :func:`make_workspace` did, file by file (paths relative to the root)."""

    root: Path
    created: list[str] = field(default_factory=list)
    kept: list[str] = field(default_factory=list)
    refreshed: list[str] = field(default_factory=list)
    backed_up: dict[str, str] = field(default_factory=dict)

    def lines(self) -> list[str]:
        """One line per file: created, kept, refreshed (and where the backup is)."""
        out = [f"created    {rel}" for rel in self.created]
        for rel in self.refreshed:
            backup = self.backed_up.get(rel)
            if backup:
                out.append(
                    f"refreshed  {rel} (your answers carried over; your previous "
                    f"file is kept as {backup})"
                )
            else:
                out.append(f"refreshed  {rel} (you had not changed it)")
        out.extend(f"kept       {rel}" for rel in self.kept)
        return out

    def __str__(self) -> str:
        summary = (
            f"workspace {self.root}: {len(self.created)} created, "
            f"{len(self.kept)} kept, {len(self.refreshed)} refreshed, "
            f"{len(self.backed_up)} backed up"
        )
        return "\n".join([*self.lines(), summary])


def _kit_root() -> Path:
    return Path(__file__).resolve().parents[2]


def kit_exercises_dir() -> Path:
    """
    Return the kit's ``exercises`` folder (solutions and checks).

    Raises
    ------
    ExerciseError
        The kit is installed without its exercises (not a source checkout).
    """
    for candidate in (
        _kit_root() / "exercises",
        Path(__file__).resolve().parents[1] / "_bundled" / "exercises",
    ):
        if candidate.is_dir():
            return candidate
    msg = (
        f"the kit's exercises are not installed (looked in {_kit_root() / 'exercises'}"
        "); use a source checkout of pmo-kit"
    )
    raise ExerciseError(msg)


def kit_lessons_dir() -> Path | None:
    """Return the kit's lesson notebooks folder, or None when it is not installed."""
    for candidate in (
        _kit_root() / "notebooks",
        Path(__file__).resolve().parents[1] / "_bundled" / "notebooks",
    ):
        if candidate.is_dir():
            return candidate
    return None


def find_workspace(start: str | Path | None = None) -> Path | None:
    """Return the workspace holding ``start`` (default: the current folder), if any."""
    here = Path(start).resolve() if start is not None else Path.cwd().resolve()
    for folder in (here, *here.parents):
        if (folder / STATE_DIR / MANIFEST).is_file():
            return folder
    return None


def _digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _sources(nb: dict[str, Any]) -> list[tuple[str, str]]:
    """Return the cells' kinds and sources: what the learner edits (not outputs)."""
    return [
        (str(c.get("cell_type")), _text(c.get("source", "")))
        for c in nb.get("cells", [])
    ]


def _text(source: Any) -> str:
    return "".join(source) if isinstance(source, list) else str(source)


def _fingerprint(nb: dict[str, Any]) -> str:
    return _digest(json.dumps(_sources(nb)).encode("utf-8"))


def _clean(nb: dict[str, Any]) -> dict[str, Any]:
    for cell in nb.get("cells", []):
        if cell.get("cell_type") == "code":
            cell["outputs"] = []
            cell["execution_count"] = None
    return nb


def _dump(nb: dict[str, Any]) -> bytes:
    return (json.dumps(nb, indent=1, ensure_ascii=False) + "\n").encode("utf-8")


def _read_nb(path: Path) -> dict[str, Any]:
    try:
        nb: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as exc:
        msg = f"{path}: cannot be read as a notebook ({exc})"
        raise ExerciseError(msg) from None
    return nb


def _kit_files(exercises: Path, lessons: Path | None) -> dict[str, bytes]:
    """Every file a workspace gets, by relative path, as the kit has it now."""
    from pmo_kit.training.solutions import make_learner_copy

    files: dict[str, bytes] = {}
    if lessons is not None:
        for lesson in sorted(lessons.glob("*.ipynb")):
            nb = _clean(_read_nb(lesson))
            files[f"notebooks/{lesson.name}"] = _dump(nb)
    with tempfile.TemporaryDirectory(prefix="pmo-kit-learner-") as tmp:
        for folder in sorted(p for p in exercises.iterdir() if p.is_dir()):
            solution = folder / "solution.ipynb"
            if not solution.is_file():
                continue
            copy = make_learner_copy(solution, Path(tmp) / f"{folder.name}.ipynb")
            nb = json.loads(copy.read_text(encoding="utf-8"))
            nb.setdefault("metadata", {})["pmo_kit"] = {"exercise": folder.name}
            files[f"exercises/{folder.name}/exercise.ipynb"] = _dump(nb)
            for extra in sorted(folder.rglob("*")):
                rel = extra.relative_to(folder)
                if (
                    extra.is_file()
                    and extra.name not in _HIDDEN
                    and "__pycache__" not in rel.parts
                    and not any(part.startswith(".") for part in rel.parts)
                ):
                    files[f"exercises/{folder.name}/{rel.as_posix()}"] = (
                        extra.read_bytes()
                    )
    return files


def _carry_answers(old: dict[str, Any], new: dict[str, Any]) -> tuple[bytes, int]:
    """Return the new notebook carrying the old one's ``qN-answer`` cells."""
    answers = {
        str(c.get("id")): c
        for c in old.get("cells", [])
        if _ANSWER_ID.match(str(c.get("id", "")))
    }
    carried = 0
    for index, cell in enumerate(new.get("cells", [])):
        mine = answers.get(str(cell.get("id", "")))
        if mine is not None:
            new["cells"][index] = {**cell, "source": mine.get("source", "")}
            carried += 1
    return _dump(new), carried


def make_workspace(
    target: str | Path | None = None,
    *,
    dataset: str | Path | None = None,
    refresh: bool = False,
) -> WorkspaceReport:
    """
    Make (once) a learner workspace: lessons and exercises the learner owns.

    Parameters
    ----------
    target
        The workspace folder; default ``./workspace``.
    dataset
        A dataset folder the lessons and exercises should use: written as
        ``dataset:`` in the workspace's ``pmo-kit.yaml`` (never overwritten).
    refresh
        Update notebooks whose kit version changed, keeping the learner's answers
        and a backup of their file.

    Returns
    -------
    WorkspaceReport
        What was created, kept, refreshed and backed up.

    Raises
    ------
    ExerciseError
        The target is a file, the dataset folder does not exist, or the kit's
        exercises are not installed.
    """
    root = Path(target) if target is not None else Path("workspace")
    if root.exists() and not root.is_dir():
        msg = f"{root}: is a file; give a folder for the workspace"
        raise ExerciseError(msg)
    if dataset is not None and not Path(dataset).is_dir():
        msg = f"--dataset {dataset}: no such folder; give a dataset folder"
        raise ExerciseError(msg)
    exercises = kit_exercises_dir()
    files = _kit_files(exercises, kit_lessons_dir())
    root.mkdir(parents=True, exist_ok=True)
    manifest_path = root / STATE_DIR / MANIFEST
    manifest: dict[str, Any] = {}
    if manifest_path.is_file():
        try:
            manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
        except (OSError, json.JSONDecodeError):
            manifest = {}
    recorded: dict[str, dict[str, str]] = manifest.get("files", {})
    report = WorkspaceReport(root)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    for rel, data in files.items():
        path = root / rel
        kit_hash = _digest(data)
        is_nb = rel.endswith(".ipynb")
        written = _fingerprint(json.loads(data)) if is_nb else kit_hash
        if not path.exists():
            atomic_write_bytes(path, data)
            report.created.append(rel)
            recorded[rel] = {"kit": kit_hash, "written": written}
            continue
        before = recorded.get(rel, {})
        if not refresh or not is_nb or before.get("kit") == kit_hash:
            report.kept.append(rel)
            recorded.setdefault(rel, {"kit": kit_hash, "written": written})
            continue
        mine = _read_nb(path)
        mine_print = _fingerprint(mine)
        if mine_print == written:  # already the kit's current text
            report.kept.append(rel)
        elif before.get("written") == mine_print:  # never changed by the learner
            atomic_write_bytes(path, data)
            report.refreshed.append(rel)
        else:
            backup = path.with_name(f"{path.stem}.backup-{stamp}{path.suffix}")
            shutil.copy2(path, backup)
            merged, _ = _carry_answers(mine, json.loads(data))
            atomic_write_bytes(path, merged)
            report.refreshed.append(rel)
            report.backed_up[rel] = backup.relative_to(root).as_posix()
        recorded[rel] = {"kit": kit_hash, "written": written}
    if dataset is not None:
        settings = root / "pmo-kit.yaml"
        rel = "pmo-kit.yaml"
        if settings.exists():
            report.kept.append(rel)
        else:
            folder = Path(dataset).resolve().as_posix()
            atomic_write_text(settings, f"dataset: {json.dumps(folder)}\n")
            report.created.append(rel)
    manifest = {
        "version": 1,
        "exercises_dir": str(exercises),
        "files": recorded,
    }
    atomic_write_text(manifest_path, json.dumps(manifest, indent=1) + "\n")
    return report
