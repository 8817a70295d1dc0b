"""The load cache of warm kernels: a copy per call, reloaded when a file changes."""

from __future__ import annotations

import os
import shutil
from typing import TYPE_CHECKING

import pytest

from pmo_kit.data import load_cache
from pmo_kit.data.portfolio import bundled_dataset_path, check_dataset, load_portfolio

if TYPE_CHECKING:
    from collections.abc import Iterator
    from pathlib import Path


@pytest.fixture
def cache() -> Iterator[None]:
    load_cache.enable_load_cache()
    try:
        yield
    finally:
        load_cache.disable_load_cache()


@pytest.fixture
def dataset(tmp_path: Path) -> Path:
    folder = tmp_path / "data"
    shutil.copytree(bundled_dataset_path(), folder)
    return folder


def test_off_by_default() -> None:
    assert not load_cache.cache_enabled()


def test_each_call_gets_its_own_copy(cache: None, dataset: Path) -> None:
    first = load_portfolio(dataset)
    budget = float(first.projects["budget"].iloc[0])
    first.projects.loc[0, "budget"] = 1.0  # a report that changes a table
    first.charters.clear()
    second = load_portfolio(dataset)
    assert second is not first
    assert float(second.projects["budget"].iloc[0]) == budget
    assert len(second.charters) == len(second.projects)


def test_a_changed_file_is_read_again(cache: None, dataset: Path) -> None:
    assert load_portfolio(dataset).name == "Meridian Works"
    organisation = dataset / "organisation.yaml"
    text = organisation.read_text(encoding="utf-8").replace(
        "Meridian Works", "Nadir Ltd"
    )
    organisation.write_text(text, encoding="utf-8")
    stat = organisation.stat()  # same size would still differ by mtime
    os.utime(organisation, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000))
    assert load_portfolio(dataset).name == "Nadir Ltd"


def test_cache_is_bounded(cache: None, tmp_path: Path) -> None:
    load_cache.enable_load_cache(max_datasets=1)
    calls: list[Path] = []

    def load(folder: Path) -> object:
        calls.append(folder)
        return check_dataset(folder).portfolio

    one, two = tmp_path / "one", tmp_path / "two"
    for folder in (one, two):
        shutil.copytree(bundled_dataset_path(), folder)
    for folder in (one, one, two, one):
        load_cache.cached_load(folder, load)
    assert [c.name for c in calls] == ["one", "two", "one"]
