"""Fixtures: a writable sample copy, the corpus (sample + starter), PostgreSQL."""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

import pandas as pd
import pytest

from pmo_kit.data.portfolio import Portfolio, load_portfolio, save_portfolio
from pmo_kit.kb import lessons_frame, starter_lessons

if TYPE_CHECKING:
    from collections.abc import Iterator
    from pathlib import Path


@pytest.fixture
def sample_folder(tmp_path: Path) -> Path:
    """A writable copy of the bundled sample organisation."""
    return save_portfolio(load_portfolio(), tmp_path / "org")


@pytest.fixture(scope="session")
def corpus() -> Portfolio:
    """The sample with the starter library added to its lessons."""
    sample = load_portfolio()
    lessons = pd.concat(
        [sample.lessons, lessons_frame(starter_lessons())], ignore_index=True
    ).astype({"date": "datetime64[ns]"})
    return replace(sample, lessons=lessons, path=None)


@pytest.fixture(scope="session")
def pg_server() -> Iterator[str]:
    """One throwaway PostgreSQL server (skips cleanly without PostgreSQL)."""
    from tests.pg_server import postgres_server

    with postgres_server() as url:
        yield url
