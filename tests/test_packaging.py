"""The wheel carries what `pmo-kit report` needs after a plain `pip install`."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from pmo_kit.data.schemas import SCHEMAS

REPO = Path(__file__).resolve().parent.parent


@pytest.mark.notebook
def test_wheel_ships_reports_dataset_and_template(tmp_path):
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--quiet",
            "--no-deps",
            "--no-build-isolation",
            "--wheel-dir",
            str(tmp_path),
            str(REPO),
        ],
        check=True,
        capture_output=True,
    )
    (wheel,) = tmp_path.glob("pmo_kit-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    reports = {p.name for p in (REPO / "notebooks" / "reports").glob("*.ipynb")}
    assert {f"pmo_kit/_bundled/reports/{r}" for r in reports} <= names
    data = "pmo_kit/_bundled/datasets/meridian/"
    assert {data + s.file_name for s in SCHEMAS.values()} <= names
    assert data + "organisation.yaml" in names
    assert "pmo_kit/reports/templates/pmo_report/index.html.j2" in names
    assert "pmo_kit/_bundled/dashboard/portfolio-dashboard.ipynb" in names
    assert any(
        n.startswith("pmo_kit/_voila/voila/templates/pmo_dashboard/") for n in names
    )
    assert "pmo_kit/py.typed" in names
    assert not any("tests/" in n or n.endswith(".pyc") for n in names)
