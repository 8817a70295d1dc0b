"""A tiny report notebook written by a test, for runner and batch tests."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from pathlib import Path


def _cell(kind: str, source: str, cell_id: str, tags: list[str]) -> dict[str, Any]:
    cell: dict[str, Any] = {
        "cell_type": kind,
        "id": cell_id,
        "metadata": {"tags": tags},
        "source": source,
    }
    if kind == "code":
        cell |= {"execution_count": None, "outputs": []}
    return cell


def write_tiny_report(folder: Path, parameters: str, code: str, purpose: str) -> Path:
    """Write ``folder/reports/tiny.ipynb`` (title, parameters cell, one code cell)."""
    reports = folder / "reports"
    reports.mkdir()
    notebook = {
        "cells": [
            _cell("markdown", f"# Tiny\n\n{purpose}", "title", []),
            _cell("code", parameters, "params", ["parameters"]),
            _cell("code", code, "work", []),
        ],
        "metadata": {
            "kernelspec": {
                "display_name": "Python 3 (ipykernel)",
                "language": "python",
                "name": "python3",
            },
            "language_info": {"name": "python"},
        },
        "nbformat": 4,
        "nbformat_minor": 5,
    }
    (reports / "tiny.ipynb").write_text(json.dumps(notebook), encoding="utf-8")
    return reports
