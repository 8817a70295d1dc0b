"""Exercise 09's case is picked from the data, on the sample and on small workshops."""

from __future__ import annotations

import pandas as pd
import pytest

import pmo_kit
from pmo_kit.training.knowledge import knowledge_case


def _words(text: str) -> set[str]:
    return {w.strip(".,;:'\"").lower() for w in text.split()}


@pytest.mark.parametrize(
    ("seed", "projects"), [(7, 6), (8, 6), (9, 6), (1, 4), (5, 12)]
)
def test_every_workshop_organisation_has_a_case(seed: int, projects: int) -> None:
    portfolio = pmo_kit.generate_organisation(seed=seed, projects=projects)
    case = knowledge_case(portfolio)
    risks = portfolio.risks
    # by hand: the project has an open risk of the case's category
    mine = risks[(risks["project_id"] == case.project_id) & (risks["status"] == "open")]
    assert case.risk_category in set(mine["category"])
    # and a lesson of the case's category shares a word of the sponsor's query
    lessons = portfolio.lessons[portfolio.lessons["category"] == case.category]
    text = lessons[["event", "effect", "cause", "recommendation"]].fillna("")
    joined = text.apply(" ".join, axis=1)
    query = _words(case.query) - {"the", "were", "was", "not", "found", "with", "no"}
    assert any(query & _words(row) for row in joined), (case, list(joined))


def test_the_sample_case_is_the_supplier_question(sample: pmo_kit.Portfolio) -> None:
    case = knowledge_case(sample)
    projects = sample.projects.sort_values(["start", "project_id"])
    newest = projects["project_id"].iloc[-1]
    risks = sample.risks
    supplier = (risks["project_id"] == newest) & (risks["category"] == "supplier")
    assert (risks.loc[supplier, "status"] == "open").any()  # so the first pair wins
    assert (case.project_id, case.risk_category, case.category) == (
        newest,
        "supplier",
        "procurement",
    )


def test_no_case_is_one_line(sample: pmo_kit.Portfolio) -> None:
    from dataclasses import replace

    closed = sample.risks.assign(status="closed")
    with pytest.raises(pmo_kit.ValidationError, match="no project has an open risk"):
        knowledge_case(replace(sample, risks=closed))
    assert isinstance(closed, pd.DataFrame)
