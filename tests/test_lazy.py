"""Lazy package exports: `import pmo_kit` stays light and names resolve on first use."""

from __future__ import annotations

import subprocess
import sys
import textwrap

import pmo_kit
import pmo_kit.reports


def _fresh(code: str) -> str:
    proc = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code)],
        capture_output=True,
        text=True,
        check=True,
    )
    return proc.stdout.strip()


def test_import_pmo_kit_does_not_import_pandas():
    code = """
        import sys
        import pmo_kit, pmo_kit.reports, pmo_kit.cli
        print(sorted({"pandas", "numpy", "papermill", "altair"} & set(sys.modules)))
    """
    assert _fresh(code) == "[]"


def test_every_exported_name_resolves():
    for package in (pmo_kit, pmo_kit.reports):
        for name in package.__all__:
            assert getattr(package, name) is not None, (package.__name__, name)
            assert name in dir(package)


def test_exports_and_all_agree() -> None:
    for package in (pmo_kit, pmo_kit.reports):
        lazy = {n for names in package._EXPORTS.values() for n in names}
        eager = {n for n in package.__all__ if n in vars(package) and n not in lazy}
        assert lazy <= set(package.__all__), package.__name__
        assert set(package.__all__) - lazy <= eager | {"__version__"}


def test_submodule_does_not_shadow_a_function_of_the_same_name(tmp_path):
    package = tmp_path / "lzdemo"
    package.mkdir()
    (package / "__init__.py").write_text(
        "from pmo_kit._lazy import lazy_exports\n"
        "__getattr__, __dir__ = lazy_exports(__name__, "
        "{'lzdemo.answer': ('answer',)})\n",
        encoding="utf-8",
    )
    (package / "answer.py").write_text("def answer():\n    return 42\n")
    code = f"""
        import sys
        sys.path.insert(0, {str(tmp_path)!r})
        import lzdemo.answer  # binds the submodule on the package first
        import lzdemo
        from lzdemo import answer
        print(callable(answer) and answer(), lzdemo.answer())
        print(hasattr(lzdemo, "nothing"))
    """
    assert _fresh(code).splitlines() == ["42 42", "False"]
