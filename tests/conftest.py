"""Shared fixtures: the bundled sample organisation and writable copies of it."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

import pmo_kit
from pmo_kit.data.portfolio import bundled_dataset_path

if TYPE_CHECKING:
    from collections.abc import Iterator

REPO = Path(__file__).resolve().parent.parent
SHARED = REPO.parent / "shared"


@pytest.fixture(autouse=True)
def _notebook_settings_restored() -> Iterator[None]:
    """
    Undo what ``setup_notebook`` sets for the whole process after each test.

    It enables the pmo altair theme and renderer and pandas' float format; a test
    that calls it must not change how later tests (doctests included) print or draw.
    """
    yield
    if "pandas" in sys.modules:
        import pandas as pd

        pd.reset_option("display.float_format")
    if "altair" in sys.modules:
        import altair as alt

        alt.renderers.enable("default")
        alt.theme.enable("default")


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
