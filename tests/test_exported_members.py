"""The public API is explicit: ``__all__`` lists every public name (as httpx)."""

from __future__ import annotations

import importlib
import inspect
import pkgutil
import types
from pathlib import Path

import pytest

import pmo_kit


def public_modules() -> list[str]:
    """Every importable module of pmo_kit whose dotted name has no private part."""
    found = [
        info.name
        for info in pkgutil.walk_packages(pmo_kit.__path__, "pmo_kit.")
        if not any(part.startswith("_") for part in info.name.split(".")[1:])
    ]
    return ["pmo_kit", *sorted(found)]


MODULES = public_modules()


def test_modules_are_found_by_walking_the_package():
    # A few modules in different corners, named by hand: the walk must see them.
    assert {
        "pmo_kit",
        "pmo_kit.agile.flow",
        "pmo_kit.charter.model",
        "pmo_kit.data.portfolio",
        "pmo_kit.evm.earned_schedule",
        "pmo_kit.io.jira",
        "pmo_kit.schedule.cpm",
        "pmo_kit.training.checks",
        "pmo_kit.widgets.charter",
    } <= set(MODULES)
    assert not [m for m in MODULES if "._" in m]  # private modules are skipped
    # A second count, from the files: every public .py file and package folder.
    root = Path(pmo_kit.__file__).parent
    on_disk = set()
    for path in root.rglob("*.py"):
        parts = path.relative_to(root).with_suffix("").parts
        if parts[-1] == "__init__":
            parts = parts[:-1]
        if not any(part.startswith("_") for part in parts):
            on_disk.add(".".join(("pmo_kit", *parts)))
    assert set(MODULES) == on_disk


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


def _private_imports(path: Path, module: str) -> list[str]:
    """Imports in ``path`` of a private name, or of a module private to a package."""
    import ast

    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if not (isinstance(node, ast.ImportFrom) and node.module):
            continue
        if not node.module.startswith("pmo_kit"):
            continue
        parts = node.module.split(".")
        private = [i for i, part in enumerate(parts) if part.startswith("_")]
        if private:
            owner = ".".join(parts[: private[0]])
            if not module.startswith(owner + "."):
                found.append(f"{path}:{node.lineno} imports {node.module}")
        found += [
            f"{path}:{node.lineno} imports {alias.name} from {node.module}"
            for alias in node.names
            if alias.name.startswith("_")
            and not alias.name.startswith("__")
            and not (node.module == "pmo_kit" and module.startswith("pmo_kit."))
        ]
    return found


def test_no_private_names_cross_modules():
    root = Path(pmo_kit.__file__).parent
    problems = []
    for path in sorted(root.rglob("*.py")):
        module = ".".join(path.relative_to(root.parent).with_suffix("").parts)
        problems += _private_imports(path, module)
    for path in sorted((root.parent / "exercises").glob("*/checks.py")):
        problems += _private_imports(path, "exercises")
    assert not problems, "\n".join(problems)
