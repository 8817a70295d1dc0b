"""Every exercise's checks.py passes mypy --strict (the project's configuration).

The eight files are all called ``checks.py`` in folders whose names are not Python
identifiers (``00_first_check``), so one mypy run over ``exercises/`` sees eight
modules named ``checks``. The test links each one under its own module name
(``exercise_00_first_check``) and checks them in one run.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
CHECKS = sorted((ROOT / "exercises").glob("*/checks.py"))


def test_every_exercise_has_checks():
    assert [p.parent.name for p in CHECKS] == [
        "00_first_check",
        "01_charter",
        "02_risk",
        "03_schedule",
        "04_resources",
        "05_kpi_evm",
        "06_agile",
        "07_governance",
        "08_portfolio",
        "09_knowledge",
        "10_maturity",
        "11_your_data",
        "12_capstone",
    ]


def test_exercise_checks_pass_mypy_strict(tmp_path):
    links = []
    for path in CHECKS:
        link = tmp_path / f"exercise_{path.parent.name}.py"
        link.symlink_to(path)
        links.append(str(link))
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "mypy",
            "--config-file",
            str(ROOT / "pyproject.toml"),
            "--cache-dir",
            str(ROOT / ".mypy_cache"),
            *links,
        ],
        capture_output=True,
        text=True,
        check=False,
        cwd=ROOT,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
