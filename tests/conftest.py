"""Shared fixtures: the bundled sample organisation and writable copies of it."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

import pmo_kit
from pmo_kit.data.portfolio import bundled_dataset_path

REPO = Path(__file__).resolve().parent.parent
SHARED = REPO.parent / "shared"


@pytest.fixture(scope="session")
def sample() -> pmo_kit.Portfolio:
    """The bundled Meridian Works organisation, loaded once."""
    return pmo_kit.load_portfolio()


@pytest.fixture
def dataset_copy(tmp_path: Path) -> Path:
    """A writable copy of the bundled dataset folder."""
    target = tmp_path / "meridian"
    shutil.copytree(bundled_dataset_path(), target)
    return target
