"""
What the Excel writer and reader share: sheet order, sheet names, openpyxl import.

Only the standard library is imported here; openpyxl is imported by
:func:`require_openpyxl` when a workbook is read or written.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

from pmo_kit._errors import MissingDependencyError
from pmo_kit.data.schemas import SCHEMAS

if TYPE_CHECKING:
    from types import ModuleType

__all__ = [
    "ABOUT_SHEET",
    "DICTIONARY_SHEET",
    "INSTALL_HINT",
    "LISTS_SHEET",
    "REGISTERS",
    "SHEET_ORDER",
    "require_openpyxl",
]

#: The one line shown when openpyxl is missing.
INSTALL_HINT = "Excel files need openpyxl: pip install 'pmo-kit[excel]'"

#: The registers a PMO keeps in Excel, first in the workbook.
REGISTERS: tuple[str, ...] = ("projects", "risks", "status", "gates", "lessons")

#: Every canonical table, registers first, then the plan and agile tables.
SHEET_ORDER: tuple[str, ...] = REGISTERS + tuple(
    name for name in SCHEMAS if name not in REGISTERS
)

#: Sheet with the organisation's name and currency (read back on import).
ABOUT_SHEET = "about"
#: Sheet describing every column (the data dictionary).
DICTIONARY_SHEET = "dictionary"
#: Hidden sheet holding the drop-down lists.
LISTS_SHEET = "lists"


def require_openpyxl() -> ModuleType:
    """
    Return the openpyxl module, or raise one line naming the install command.

    The submodules the kit uses are imported too, so they are reached as
    attributes (``xl.styles.Font``) and openpyxl (untyped) stays ``Any``.

    Raises
    ------
    MissingDependencyError
        openpyxl is not installed.
    """
    try:
        module = importlib.import_module("openpyxl")
        for name in _SUBMODULES:
            importlib.import_module(f"openpyxl.{name}")
    except ImportError:
        raise MissingDependencyError(INSTALL_HINT) from None
    return module


#: The parts of openpyxl the reader and writer use (reached as attributes).
_SUBMODULES = (
    "styles",
    "utils",
    "utils.exceptions",
    "worksheet.datavalidation",
    "formatting.rule",
)
