"""The public API is explicit: ``__all__`` lists every public name (as httpx)."""

from __future__ import annotations

import importlib
import inspect
import types

import pytest

import pmo_kit

MODULES = [
    "pmo_kit.agile",
    "pmo_kit.io",
    "pmo_kit.io.psplib",
    "pmo_kit.resources.levelling",
    "pmo_kit.schedule",
    "pmo_kit",
    "pmo_kit.reports",
    "pmo_kit.training",
    "pmo_kit.charts",
    "pmo_kit.evm",
    "pmo_kit.portfolio",
    "pmo_kit.data.schemas",
    "pmo_kit.data.tables",
    "pmo_kit.risk",
    "pmo_kit.charter",
    "pmo_kit.charter.model",
    "pmo_kit.charter.review",
    "pmo_kit.charter.render",
    "pmo_kit.charter.files",
    "pmo_kit.charter.findings",
    "pmo_kit.widgets.charter",
    "pmo_kit.governance",
    "pmo_kit.governance.compliance",
    "pmo_kit.governance.gates",
    "pmo_kit.governance.raid",
    "pmo_kit.governance.standards",
    "pmo_kit.charts.governance",
    "pmo_kit.widgets.governance",
    "pmo_kit.resources.capacity",
    "pmo_kit.resources.outlook",
    "pmo_kit.resources.overallocation",
    "pmo_kit.resources.whatif",
    "pmo_kit.charts.resources",
    "pmo_kit.widgets.resources",
]


@pytest.mark.parametrize("name", MODULES)
def test_all_lists_what_the_module_defines(name):
    module = importlib.import_module(name)
    defined = {
        n
        for n, v in vars(module).items()
        if not n.startswith("_")
        and (inspect.isfunction(v) or inspect.isclass(v))
        and v.__module__ == name
    }
    assert defined <= set(module.__all__)
    for exported in module.__all__:
        assert hasattr(module, exported), exported
    assert module.__all__ == sorted(module.__all__, key=lambda n: (not n.isupper(), n))


def test_top_level_all_is_every_public_name():
    public = {
        n
        for n, v in vars(pmo_kit).items()
        if not n.startswith("_") and not isinstance(v, types.ModuleType)
    } - {"annotations", "TYPE_CHECKING"}
    assert set(pmo_kit.__all__) - {"__version__"} == public


def test_import_is_light():
    import subprocess
    import sys

    code = (
        "import sys, pmo_kit; heavy = [m for m in ('altair', 'ipywidgets', "
        "'papermill', 'nbconvert') if m in sys.modules]; print(','.join(heavy))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert out.stdout.strip() == ""


def test_error_hierarchy():
    assert issubclass(pmo_kit.ValidationError, pmo_kit.PMOError)
    assert issubclass(pmo_kit.ValidationError, ValueError)
    assert issubclass(pmo_kit.ReportNotFoundError, LookupError)
    assert issubclass(pmo_kit.ReportParameterError, pmo_kit.ValidationError)
