"""
Workshops: release a course to teams, collect hand-ins, grade them.

- :func:`release` writes one folder per team (its own seeded dataset, learner
  notebooks, public checks) and a trainer folder with the answer keys;
- :func:`hand_in` packs a learner's notebooks into one zip to send;
- :func:`grade` grades a folder of hand-ins in fresh kernels, question by question,
  into ``gradebook.csv``, ``gradebook.html`` and one feedback page per learner.

A check is *hidden* when it is defined in ``exercises/<name>/hidden_checks.py``
(same ``@check`` decorator as ``checks.py``): that file goes to the trainer only.
A question is *free text* when its answer cell carries the tag ``free-text``; its
rubric is the cell's ``rubric`` metadata in the solution notebook.
"""

from __future__ import annotations

from pmo_kit.training.workshop.grading import GradeRow, grade
from pmo_kit.training.workshop.handin import hand_in
from pmo_kit.training.workshop.releasing import WorkshopError, release

__all__ = ["GradeRow", "WorkshopError", "grade", "hand_in", "release"]
