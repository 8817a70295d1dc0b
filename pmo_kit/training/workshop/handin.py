"""Hand in: one zip with a learner's notebooks, their team and their name."""

from __future__ import annotations

import io
import json
import re
import zipfile
from datetime import UTC, datetime
from pathlib import Path

from pmo_kit.data.atomic import atomic_write_bytes
from pmo_kit.training.workshop.releasing import TEAM_MARKER, WorkshopError

__all__ = ["HANDIN_MANIFEST", "hand_in"]

#: The manifest inside a hand-in zip.
HANDIN_MANIFEST = "handin.json"

_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$")


def hand_in(
    team_folder: str | Path, *, learner: str, out: str | Path | None = None
) -> Path:
    """
    Pack a team folder's notebooks into one zip to send to the trainer.

    Parameters
    ----------
    team_folder
        A released team folder (``WORKSHOP/teams/<team>/``, as the learner has it).
    learner
        The learner's name, as on the roster.
    out
        The zip to write; default ``<team>-<learner>.zip`` in the current folder.

    Returns
    -------
    pathlib.Path
        The zip written: the notebooks as they are, and ``handin.json`` (team,
        learner, time, kit version).

    Raises
    ------
    WorkshopError
        The folder is not a released team folder, or the name cannot be used.
    """
    from pmo_kit import __version__

    folder = Path(team_folder)
    marker_path = folder / TEAM_MARKER
    try:
        marker = json.loads(marker_path.read_text(encoding="utf-8"))
        team = str(marker["team"])
    except (OSError, ValueError, KeyError, TypeError):
        msg = (
            f"{folder}: not a released team folder (no valid {TEAM_MARKER}); "
            "run the hand-in from the folder the trainer gave your team"
        )
        raise WorkshopError(msg) from None
    if not _NAME.match(learner):
        msg = (
            f"--learner: {learner!r} is not a usable name (letters, digits, '-', "
            "'_', '.', at most 64)"
        )
        raise WorkshopError(msg)
    notebooks = sorted(
        p
        for p in folder.rglob("*.ipynb")
        if ".ipynb_checkpoints" not in p.parts
        and "data" not in p.relative_to(folder).parts[:1]
    )
    manifest = {
        "team": team,
        "learner": learner,
        "time": datetime.now(UTC).isoformat(timespec="seconds"),
        "kit_version": __version__,
        "notebooks": [p.relative_to(folder).as_posix() for p in notebooks],
    }
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(HANDIN_MANIFEST, json.dumps(manifest, indent=1) + "\n")
        for path in notebooks:
            archive.write(path, path.relative_to(folder).as_posix())
    target = Path(out) if out is not None else Path(f"{team}-{learner}.zip")
    atomic_write_bytes(target, buffer.getvalue())
    return target
