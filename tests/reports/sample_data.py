"""The bundled organisation's project ids, read with plain csv (not the kit)."""

from __future__ import annotations

import csv

from pmo_kit.data.portfolio import bundled_dataset_path


def bundled_project_ids() -> list[str]:
    """Return the project ids of the bundled ``projects.csv``, in file order."""
    with (bundled_dataset_path() / "projects.csv").open(encoding="utf-8") as handle:
        return [row["project_id"] for row in csv.DictReader(handle)]
