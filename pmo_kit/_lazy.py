"""
Lazy package exports: a name is imported from its module on first use.

``pmo-kit --help`` and ``pmo-kit report list`` must answer in well under a second,
so importing :mod:`pmo_kit` (which every ``pmo_kit.*`` import does first) may not pull
in pandas, numpy or the report functions. A package lists its exports in a mapping
``{module: names}`` and installs the two functions this module returns as its
``__getattr__`` and ``__dir__`` (PEP 562); type checkers read the same names from
imports under ``if TYPE_CHECKING:``.
"""

from __future__ import annotations

import importlib
import sys
from types import ModuleType
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable, Mapping

__all__ = ["LazyPackage", "lazy_exports"]


class LazyPackage(ModuleType):
    """
    A package whose exports may share a name with a submodule.

    ``pmo_kit.reports.project_status`` is both a module and the function it defines.
    Importing the submodule makes Python bind the module on the package, which would
    hide the lazily exported function; this class ignores that one binding, so the
    package attribute is the function, as with an eager ``from ... import``.
    """

    def __setattr__(self, name: str, value: Any) -> None:
        """Set an attribute, except a submodule that shadows a lazy export."""
        shadows = (
            isinstance(value, ModuleType)
            and value.__name__ == f"{self.__name__}.{name}"
            and name in vars(self).get("__lazy_exports__", ())
        )
        if not shadows:
            super().__setattr__(name, value)


def lazy_exports(
    package: str, exports: Mapping[str, Iterable[str]]
) -> tuple[Callable[[str], Any], Callable[[], list[str]]]:
    """
    Build a package's ``__getattr__`` and ``__dir__`` for lazily imported names.

    Parameters
    ----------
    package
        The package's ``__name__``.
    exports
        Module that defines them (absolute name) -> the names exported from it.

    Returns
    -------
    tuple
        ``(__getattr__, __dir__)``. ``__getattr__`` imports the module, caches the
        value in the package namespace and returns it; a submodule name (``evm``)
        imports that submodule; anything else raises :class:`AttributeError`.
        The package becomes a :class:`LazyPackage` (when it is a loaded module).

    Examples
    --------
    >>> getattr_, dir_ = lazy_exports("json", {"json": ("dumps",)})
    >>> getattr_("dumps")({"a": 1})
    '{"a": 1}'
    >>> "dumps" in dir_()
    True
    """
    where = {name: module for module, names in exports.items() for name in names}
    target = sys.modules.get(package)
    if target is not None and type(target) is ModuleType:
        target.__lazy_exports__ = frozenset(where)  # type: ignore[attr-defined]
        target.__class__ = LazyPackage

    def module_getattr(name: str) -> Any:
        module_name = where.get(name)
        if module_name is not None:
            value = getattr(importlib.import_module(module_name), name)
            setattr(sys.modules[package], name, value)
            return value
        if not name.startswith("__"):
            qualified = f"{package}.{name}"
            try:
                return importlib.import_module(qualified)
            except ModuleNotFoundError as exc:
                if exc.name != qualified:
                    raise
        msg = f"module {package!r} has no attribute {name!r}"
        raise AttributeError(msg)

    def module_dir() -> list[str]:
        return sorted(set(vars(sys.modules[package])) | set(where))

    return module_getattr, module_dir
