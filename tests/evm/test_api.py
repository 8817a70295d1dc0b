"""pmo_kit.evm is a package: its modules and the package list what they export."""

from __future__ import annotations

import importlib
import inspect

import pytest

import pmo_kit.evm

MODULES = [
    "pmo_kit.evm.indices",
    "pmo_kit.evm.earned_schedule",
    "pmo_kit.evm.rag",
    "pmo_kit.evm.performance",
    "pmo_kit.evm.portfolio",
]


@pytest.mark.parametrize("name", MODULES)
def test_module_all_lists_its_public_functions_and_classes(name):
    module = importlib.import_module(name)
    defined = {
        n
        for n, v in vars(module).items()
        if not n.startswith("_")
        and (inspect.isfunction(v) or inspect.isclass(v))
        and v.__module__ == name
    }
    assert defined <= set(module.__all__)
    assert module.__all__ == sorted(module.__all__, key=lambda n: (not n.isupper(), n))


def test_package_reexports_every_module_export():
    exported = {n for name in MODULES for n in importlib.import_module(name).__all__}
    assert exported == set(pmo_kit.evm.__all__)


def test_names_used_before_the_package_split_still_import():
    from pmo_kit.evm import (  # noqa: F401
        DEFAULT_RAG,
        RAG_ORDER,
        RagThresholds,
        cost_performance_index,
        rag_status,
        schedule_performance_index,
        worst_rag,
    )
