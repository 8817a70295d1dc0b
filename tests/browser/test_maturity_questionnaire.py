"""
The maturity questionnaire widget (lesson 10) in a real JupyterLab and chromium.

Serves a throw-away notebook that shows ``maturity_questionnaire()`` with
``jupyter lab`` on 127.0.0.1, runs it, then answers statements by clicking their
0 / 1 / 2 toggles like a learner and reads the level table the widget shows. The
expected levels are worked out here by hand from the published rule
(docs/maturity.md): a level is achieved at 75 % of its points (2 per statement),
the area's level is the highest L with every level 1..L achieved, progress is the
level plus the achievement of the next one. Every request the page makes must go
to the local server.

Run with ``make browser`` or
``pytest -m browser tests/browser/test_maturity_questionnaire.py``.
"""

from __future__ import annotations

import contextlib
import json
import re
import time
from typing import TYPE_CHECKING

import pytest

from tests.browser._browser import CHROMIUM, CHROMIUM_ARGS, require_browser
from tests.browser.test_welcome_in_jupyterlab import (
    BrowserLog,
    Lab,
    guard_network,
    running_lab,
)

if TYPE_CHECKING:
    from pathlib import Path

    from playwright.sync_api import Locator, Page

pytestmark = pytest.mark.browser

TIMEOUT_MS = 90_000
ROUND_TRIP_S = 15.0
NOTEBOOK = "maturity.ipynb"
# As in lesson 10: ``setup_notebook()`` first, so the radar is a static SVG drawn
# in the kernel (without it altair's output fetches Vega from a CDN).
SOURCE = (
    "import pmo_kit\n"
    "from pmo_kit.widgets.maturity import maturity_questionnaire\n"
    "\n"
    "pmo_kit.setup_notebook()\n"
    "questionnaire = maturity_questionnaire()\n"
    "questionnaire"
)

# The statements clicked, by id (their text is what the learner sees).
STATEMENTS = {
    "standards-1a": "Some project managers use templates they found or brought "
    "with them.",
    "standards-1b": "People can name at least one method the organisation is meant "
    "to follow.",
    "standards-2a": "Projects of a similar kind start from the same charter and "
    "plan templates.",
    "standards-2b": "A project manager joining a new project recognises its documents.",
    "standards-3a": "The PMO publishes one set of standards that every project "
    "follows.",
    "standards-3b": "Deviations from the standards are recorded with a reason.",
    "risk-1a": "People talk about what could go wrong.",
    "risk-1b": "Some projects keep a list of risks.",
}
LABELS = {0: "0 not true", 1: "1 partly", 2: "2 fully"}


def _write_notebook(root: Path) -> Path:
    nb = {
        "cells": [
            {
                "cell_type": "code",
                "execution_count": None,
                "id": "questionnaire",
                "metadata": {},
                "outputs": [],
                "source": SOURCE,
            }
        ],
        "metadata": {
            "kernelspec": {
                "display_name": "Python 3 (ipykernel)",
                "language": "python",
                "name": "python3",
            },
            "language_info": {"name": "python"},
        },
        "nbformat": 4,
        "nbformat_minor": 5,
    }
    path = root / NOTEBOOK
    path.write_text(json.dumps(nb, indent=1), encoding="utf-8")
    return path


def _kernel_idle(page: Page, lab: Lab) -> bool:
    import urllib.request

    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    request = urllib.request.Request(
        f"{lab.base_url}/api/sessions", headers={"Authorization": f"token {lab.token}"}
    )
    with opener.open(request, timeout=5) as response:
        sessions = json.load(response)
    server_idle = any(
        s.get("path") == NOTEBOOK
        and (s.get("kernel") or {}).get("execution_state") == "idle"
        for s in sessions
    )
    indicator = ".jp-Notebook-ExecutionIndicator[data-status='idle']"
    return server_idle and page.locator(indicator).count() > 0


def _wait_idle(page: Page, lab: Lab) -> None:
    deadline = time.monotonic() + TIMEOUT_MS / 1000
    accept = page.locator(".jp-Dialog .jp-mod-accept")
    while not _kernel_idle(page, lab):
        if time.monotonic() > deadline:
            msg = f"no idle kernel for {NOTEBOOK} after {TIMEOUT_MS / 1000:.0f} s"
            raise TimeoutError(msg)
        if accept.count():  # "Select Kernel": take the proposal
            accept.first.click()
        page.wait_for_timeout(250)


def _answer(widget: Locator, statement: str, answer: int) -> None:
    """Click the toggle of one statement (found by its text) to ``answer``."""
    row = widget.locator(".widget-hbox").filter(has_text=STATEMENTS[statement]).first
    row.locator(".widget-toggle-button", has_text=LABELS[answer]).click()


def _row(widget: Locator, title: str) -> str:
    table = widget.locator("table.pmo-maturity-levels")
    cells = table.locator("tr").filter(has_text=title).first.locator("td")
    return " | ".join(" ".join(t.split()) for t in cells.all_inner_texts())


def _wait_row(widget: Locator, title: str, expected: str) -> str:
    """Poll the level table until the area's row reads ``expected`` (or time out)."""
    deadline = time.monotonic() + ROUND_TRIP_S
    shown = _row(widget, title)
    while shown != expected and time.monotonic() < deadline:
        widget.page.wait_for_timeout(100)
        shown = _row(widget, title)
    return shown


def test_clicking_answers_moves_the_level_by_the_published_rule(
    tmp_path: Path,
) -> None:
    require_browser()
    from playwright.sync_api import Error as PlaywrightError
    from playwright.sync_api import sync_playwright

    root = tmp_path / "lab-root"
    root.mkdir()
    _write_notebook(root)
    log = BrowserLog()
    with running_lab(root, tmp_path / "lab-state") as lab, sync_playwright() as pw:
        browser = pw.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        page = browser.new_page(viewport={"width": 1400, "height": 2400})
        page.on("pageerror", lambda exc: log.page_errors.append(str(exc)))
        guard_network(page, log, lab)

        def context() -> str:
            shot = tmp_path / "failure.png"
            with contextlib.suppress(PlaywrightError):
                page.screenshot(path=str(shot), full_page=True)
            return (
                f"\nscreenshot {shot}\n{log.summary()}\nserver log:\n{lab.log_tail(15)}"
            )

        try:
            page.goto(lab.lab_url(NOTEBOOK), wait_until="domcontentloaded")
            page.locator(".jp-Notebook .jp-CodeCell").first.wait_for(timeout=TIMEOUT_MS)
            _wait_idle(page, lab)
            page.locator(".jp-Notebook .jp-CodeCell .cm-content").first.click()
            page.keyboard.press("Shift+Enter")
            widget = (
                page.locator(".jp-OutputArea-output .widget-vbox")
                .filter(has=page.locator("table.pmo-maturity-levels"))
                .first
            )
            widget.wait_for(state="visible", timeout=TIMEOUT_MS)
            _wait_idle(page, lab)
        except (PlaywrightError, TimeoutError) as exc:
            pytest.fail(f"the questionnaire widget did not show: {exc}" + context())

        steps: list[tuple[str, list[tuple[str, int]], str, str]] = [
            # nothing answered: every statement counts 0, no level reached
            (
                "nothing answered",
                [],
                "standards and methods",
                "level 0 (none) | progress 0.00",
            ),
            # level 1: 2 + 1 = 3 of 4 points = 0.75 >= 0.75, achieved; level 2 has 0
            (
                "level 1 at 75 %",
                [("standards-1a", 2), ("standards-1b", 1)],
                "standards and methods",
                "level 1 (awareness) | progress 1.00",
            ),
            # level 3 fully true (4 of 4) above an empty level 2: a gap, still 1
            (
                "level 3 above a gap",
                [("standards-3a", 2), ("standards-3b", 2)],
                "standards and methods",
                "level 1 (awareness) | progress 1.00",
            ),
            # level 2 at 3 of 4 = 0.75 closes the gap: levels 1, 2, 3 all achieved,
            # level 4 has 0 points -> level 3, progress 3 + 0 = 3.00
            (
                "gap closed",
                [("standards-2a", 1), ("standards-2b", 2)],
                "standards and methods",
                "level 3 (defined) | progress 3.00",
            ),
        ]
        shown_steps: list[str] = []
        for name, clicks, title, expected in steps:
            try:
                for statement, answer in clicks:
                    _answer(widget, statement, answer)
                shown = _wait_row(widget, title, f"{title} | {expected}")
            except PlaywrightError as exc:
                pytest.fail(f"step {name!r}: {exc}" + context())
            shown_steps.append(f"{name}: {shown}")
            assert shown == f"{title} | {expected}", (
                f"step {name!r}: the widget shows {shown!r}, the rule gives "
                f"{expected!r}" + context()
            )

        # another area: choose it in the dropdown, answer 1 + 1 = 2 of 4 = 0.5
        try:
            select = widget.locator(".widget-dropdown select").first
            select.select_option(label="risk management")
            _answer(widget, "risk-1a", 1)
            _answer(widget, "risk-1b", 1)
            risk = _wait_row(
                widget,
                "risk management",
                "risk management | level 0 (none) | progress 0.50",
            )
            standards = _row(widget, "standards and methods")
            current = widget.locator("table.pmo-maturity-levels b").inner_text()
        except PlaywrightError as exc:
            pytest.fail(f"answering risk management failed: {exc}" + context())
        # below the threshold: level 0, but progress shows half of level 1
        assert risk == "risk management | level 0 (none) | progress 0.50", (
            risk + context()
        )
        assert standards == "standards and methods | level 3 (defined) | progress 3.00"
        assert current == "risk management", current
        for other in ("governance and stage gates", "portfolio management"):
            assert _row(widget, other).endswith("level 0 (none) | progress 0.00")
        # the radar redrawn inside the widget: an SVG image, nothing fetched
        radar = widget.locator('.jp-OutputArea-output[data-mime-type="image/svg+xml"]')
        assert radar.count() == 1, f"{radar.count()} radar charts" + context()
        page.screenshot(path=str(tmp_path / "maturity-questionnaire.png"))
        browser.close()
    assert not log.page_errors, log.summary()
    assert not log.blocked, f"requests left 127.0.0.1: {log.blocked}"
    assert re.search(r"level 3", shown_steps[-1])
