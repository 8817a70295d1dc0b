"""
Interactive widgets (ipywidgets) for the lessons.

Each practice has its own module; the names learners use are importable from here.
ipywidgets is imported only when a widget is built.
"""

from __future__ import annotations

from pmo_kit.widgets.charter import charter_form
from pmo_kit.widgets.dashboard import portfolio_dashboard
from pmo_kit.widgets.governance import gate_review_widget
from pmo_kit.widgets.lessons import lesson_capture, lesson_search
from pmo_kit.widgets.maturity import maturity_questionnaire
from pmo_kit.widgets.quiz import quiz_widget
from pmo_kit.widgets.resources import capacity_what_if
from pmo_kit.widgets.risk import risk_editor
from pmo_kit.widgets.schedule import project_explorer, schedule_what_if
from pmo_kit.widgets.selection import selection_weights

__all__ = [
    "capacity_what_if",
    "charter_form",
    "gate_review_widget",
    "lesson_capture",
    "lesson_search",
    "maturity_questionnaire",
    "portfolio_dashboard",
    "project_explorer",
    "quiz_widget",
    "risk_editor",
    "schedule_what_if",
    "selection_weights",
]
