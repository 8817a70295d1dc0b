"""pmo_kit.data.inputs: one date type and conversion, one column check, for the kit."""

from __future__ import annotations

import ast
import datetime as dt
import importlib.util
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import pmo_kit
from pmo_kit import ValidationError
from pmo_kit.data.inputs import require_columns, to_day, to_timestamp

PACKAGE = Path(pmo_kit.__file__).parent
EXERCISES = PACKAGE.parent / "exercises"


@pytest.mark.parametrize(
    "value",
    [
        "2026-06-30 14:00",
        dt.datetime(2026, 6, 30, 14),
        pd.Timestamp("2026-06-30 14:00"),
        np.datetime64("2026-06-30T14:00"),
    ],
)
def test_every_date_like_value_converts(value):
    assert to_timestamp(value, "as_of") == pd.Timestamp(2026, 6, 30, 14)
    assert to_day(value, "as_of") == pd.Timestamp(2026, 6, 30)


def test_a_date_is_midnight():
    assert to_timestamp(dt.date(2026, 6, 30), "as_of") == pd.Timestamp(2026, 6, 30)


@pytest.mark.parametrize("value", ["next week", "", None, float("nan"), [1, 2]])
def test_a_bad_date_names_the_argument(value):
    with pytest.raises(ValidationError) as info:
        to_day(value, "start")
    assert str(info.value) == (
        f"{value!r} is an invalid value for `start`. Allowed: a date (YYYY-MM-DD)"
    )


def test_missing_columns_are_all_named_in_order():
    frame = pd.DataFrame({"risk_id": ["RK-001"], "probability": [3]})
    with pytest.raises(ValidationError) as info:
        require_columns(frame, ["risk_id", "impact", "owner"], "score", table="risks")
    assert str(info.value) == (
        "score needs the column(s) 'impact', 'owner' of the risks table; the data "
        "has 'risk_id', 'probability'"
    )


def test_column_check_with_a_hint_and_on_a_non_frame():
    with pytest.raises(ValidationError) as info:
        require_columns(
            pd.DataFrame(), ["bac"], "portfolio_totals", hint="pass the result of X"
        )
    assert str(info.value) == (
        "portfolio_totals needs the column(s) 'bac'; pass the result of X"
    )
    with pytest.raises(ValidationError, match="score needs a pandas DataFrame of the"):
        require_columns([1, 2], ["risk_id"], "score", table="risks")
    frame = pd.DataFrame({"a": [1]})
    assert require_columns(frame, ["a"], "f") is frame


# ----------------------------------------------------------- one copy of each


def _python_files() -> list[Path]:
    return sorted(PACKAGE.rglob("*.py")) + sorted(EXERCISES.rglob("*.py"))


def test_date_like_is_defined_once():
    defined = [
        f"{path.relative_to(PACKAGE.parent)}:{node.lineno}"
        for path in _python_files()
        for node in ast.walk(ast.parse(path.read_text("utf-8")))
        if isinstance(node, ast.Assign | ast.AnnAssign)
        and any(
            isinstance(t, ast.Name) and t.id == "DateLike"
            for t in (node.targets if isinstance(node, ast.Assign) else [node.target])
        )
    ]
    assert defined == ["pmo_kit/data/inputs.py:29"]


def test_no_private_name_is_imported_from_another_module():
    found = []
    for path in _python_files():
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            if not isinstance(node, ast.ImportFrom) or not node.module:
                continue
            if not node.module.startswith("pmo_kit"):
                continue
            for alias in node.names:
                name = alias.name
                if not name.startswith("_") or name.startswith("__"):
                    continue
                if importlib.util.find_spec(f"{node.module}.{name}") is not None:
                    continue  # a private module of the package, not a private name
                found.append(f"{path.name}: from {node.module} import {name}")
    assert found == []
