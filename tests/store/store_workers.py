"""One person's edit, run in a thread or a spawned process by the concurrency tests."""

from __future__ import annotations

from dataclasses import replace
from typing import Any


def edit_lessons(
    url: str, who: str, edits: dict[str, str], barrier: Any, results: Any
) -> None:
    """Load, wait for the other person, set ``effect`` of some lessons, save."""
    from pmo_kit import PMOError
    from pmo_kit.data.portfolio import load_portfolio, save_portfolio

    portfolio = load_portfolio(url)
    lessons = portfolio.lessons.copy()
    for lesson_id, effect in edits.items():
        lessons.loc[lessons["lesson_id"] == lesson_id, "effect"] = effect
    barrier.wait(timeout=120)  # both have loaded: the saves really overlap
    try:
        save_portfolio(replace(portfolio, lessons=lessons), url)
    except PMOError as exc:
        results.put((who, f"{type(exc).__name__}: {exc}"))
    else:
        results.put((who, "ok"))
