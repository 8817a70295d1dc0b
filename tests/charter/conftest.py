"""Charter fixtures: the sample charters as dicts, fresh for every test."""

from __future__ import annotations

import copy
from typing import TYPE_CHECKING, Any

import pytest
import yaml

from pmo_kit.data.portfolio import bundled_dataset_path

if TYPE_CHECKING:
    from pathlib import Path

CHARTERS = bundled_dataset_path() / "charters"


def read(project_id: str) -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load(
        (CHARTERS / f"{project_id}.yaml").read_text(encoding="utf-8")
    )
    return copy.deepcopy(data)


@pytest.fixture
def good() -> dict[str, Any]:
    """P-001's charter: complete, approved, no findings."""
    return read("P-001")


@pytest.fixture
def charter_dir() -> Path:
    return CHARTERS
