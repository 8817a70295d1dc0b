"""The shipped questionnaire and the loader's one-line errors."""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

import pytest
import yaml

from pmo_kit import ValidationError
from pmo_kit.maturity import (
    AREAS,
    DEFAULT_QUESTIONNAIRE_PATH,
    LEVELS,
    default_questionnaire,
    load_questionnaire,
)

if TYPE_CHECKING:
    from pathlib import Path


def test_shipped_questionnaire_shape() -> None:
    q = default_questionnaire()
    assert q.area_names == AREAS
    for area in q.areas:
        for level in LEVELS:
            assert len(area.at_level(level)) == 2, (area.name, level)
    ids = [s.id for s in q.statements]
    assert len(ids) == len(set(ids)) == 8 * 5 * 2
    assert q.statement("risk-3b").level == 3


def test_every_kit_function_named_exists() -> None:
    for area in default_questionnaire().areas:
        for dotted in area.kit:
            try:
                importlib.import_module(dotted)
            except ImportError:
                module, _, name = dotted.rpartition(".")
                assert hasattr(importlib.import_module(module), name), dotted


def _write(tmp_path: Path, edit: object) -> Path:
    data = yaml.safe_load(DEFAULT_QUESTIONNAIRE_PATH.read_text(encoding="utf-8"))
    edit(data)  # type: ignore[operator]
    path = tmp_path / "q.yaml"
    path.write_text(yaml.safe_dump(data), encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("edit", "expected"),
    [
        (lambda d: d.update(threshold=1.5), "threshold: 1.5 is invalid"),
        (lambda d: d["levels"].pop(5), "levels: need exactly the levels 1 to 5"),
        (
            lambda d: d["areas"]["risk"]["statements"].pop(4),
            "area 'risk' statements: need exactly the levels 1 to 5",
        ),
        (
            lambda d: d["areas"]["risk"]["statements"].update({2: []}),
            "area 'risk' level 2: has no statements",
        ),
        (
            lambda d: d["areas"]["risk"].update(lessons=["11"]),
            "area 'risk': lessons ['11'] unknown",
        ),
        (
            lambda d: d["areas"]["risk"].pop("practice"),
            "area 'risk': missing field(s) practice",
        ),
        (
            lambda d: d["areas"]["risk"].update(depends_on=["finance"]),
            "area 'risk' depends_on: unknown area(s) ['finance']",
        ),
        (
            lambda d: d["areas"]["standards"].update(depends_on=["portfolio"]),
            "depends_on: a cycle among the areas",
        ),
    ],
)
def test_bad_questionnaire_one_line(
    tmp_path: Path, edit: object, expected: str
) -> None:
    path = _write(tmp_path, edit)
    with pytest.raises(ValidationError) as info:
        load_questionnaire(path)
    message = str(info.value)
    assert "\n" not in message
    assert message.startswith(f"{path}: ")
    assert expected in message


def test_unreadable_and_invalid_yaml(tmp_path: Path) -> None:
    with pytest.raises(ValidationError, match="cannot read the questionnaire"):
        load_questionnaire(tmp_path / "missing.yaml")
    bad = tmp_path / "bad.yaml"
    bad.write_text("areas: [\n", encoding="utf-8")
    with pytest.raises(ValidationError, match=r"bad\.yaml: not valid YAML"):
        load_questionnaire(bad)
