"""
The case of exercise 09, *Find and apply lessons*, picked from the course's data.

A sponsor starting a project asks the PMO "has this gone wrong before?" about one of
the project's open risks. :func:`knowledge_case` picks, on any organisation, the
newest project with an open risk that the organisation's lessons answer, and the
words a sponsor would type for it, so the exercise can be marked on every team's
dataset (a small workshop organisation may have no supplier risk at all).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from pmo_kit._errors import ValidationError
from pmo_kit.kb.recommend import RISK_TO_LESSON_CATEGORIES
from pmo_kit.kb.search import search_lessons

if TYPE_CHECKING:
    from pmo_kit.data.portfolio import Portfolio

__all__ = ["KNOWLEDGE_QUESTIONS", "KnowledgeCase", "knowledge_case"]

#: What a sponsor types into the knowledge base about an open risk of each
#: category, most telling first: (risk category, the words typed).
KNOWLEDGE_QUESTIONS: tuple[tuple[str, str], ...] = (
    ("supplier", "supplier delivered late"),
    ("resource", "key people were not available"),
    ("organisational", "people resisted the change"),
    ("schedule", "milestones slipped"),
    ("cost", "costs overran the budget"),
    ("scope", "scope kept growing"),
    ("technical", "defects found late"),
    ("regulatory", "regulator requirement found late"),
    ("external", "risk fired with no response ready"),
)


@dataclass(frozen=True)
class KnowledgeCase:
    """
    What exercise 09 is about on one organisation.

    Attributes
    ----------
    project_id
        The project starting now: the newest one with an answerable open risk.
    query
        What the sponsor types into the knowledge base.
    category
        The lesson category (knowledge area) to filter the search on.
    risk_category
        The category of the project's open risk the question is about.
    """

    project_id: str
    query: str
    category: str
    risk_category: str

    @property
    def question(self) -> str:
        """The sponsor's question, in words, for the notebook."""
        return (
            f"{self.project_id} has an open {self.risk_category} risk. Search "
            f"{self.query!r} among the {self.category} lessons."
        )


def knowledge_case(portfolio: Portfolio) -> KnowledgeCase:
    """
    Pick exercise 09's project, query and filter from the data.

    Projects are tried newest first (latest ``start``, then highest id); for each,
    the categories of its open risks in the order of :data:`KNOWLEDGE_QUESTIONS`.
    The first pair whose words find a lesson of the matching category wins.

    Raises
    ------
    ValidationError
        No project has an open risk that any lesson of the organisation answers.

    Examples
    --------
    >>> from pmo_kit import load_portfolio
    >>> case = knowledge_case(load_portfolio())
    >>> case.project_id, case.category, case.query
    ('P-010', 'procurement', 'supplier delivered late')
    """
    projects = portfolio.projects.sort_values(["start", "project_id"], ascending=False)
    risks = portfolio.risks
    open_risks = risks[risks["status"] == "open"]
    for project_id in projects["project_id"]:
        categories = set(
            open_risks.loc[open_risks["project_id"] == project_id, "category"]
        )
        for risk_category, query in KNOWLEDGE_QUESTIONS:
            if risk_category not in categories:
                continue
            for category in RISK_TO_LESSON_CATEGORIES.get(risk_category, ()):
                found = search_lessons(
                    portfolio.lessons,
                    query,
                    category=category,
                    limit=1,
                    projects=portfolio.projects,
                )
                if found.hits:
                    return KnowledgeCase(
                        str(project_id), query, category, risk_category
                    )
    msg = (
        f"{portfolio.name}: no project has an open risk that a lesson answers, so "
        "exercise 09 has no case here. Allowed: a dataset with lessons and open risks "
        "(any generated organisation has them)"
    )
    raise ValidationError(msg)
