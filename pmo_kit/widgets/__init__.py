"""
Interactive widgets (ipywidgets) for the lessons.

Each practice has its own module; the names learners use are importable from here.
ipywidgets is imported only when a widget is built.
"""

from __future__ import annotations

from pmo_kit.widgets.schedule import project_explorer, schedule_what_if

__all__ = [
    "project_explorer",
    "schedule_what_if",
]
