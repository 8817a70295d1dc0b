"""
A learner's progress survives a kernel restart, in a real JupyterLab and chromium.

Makes a learner workspace, serves it with ``jupyter lab`` (as ``make lab`` does),
opens the first exercise, answers question 1 by typing into its answer cell, runs
its check, restarts the kernel from the Kernel menu, then runs
``pmo_kit.training.progress()`` in a new cell: question 1 is still correct.

Run with ``make browser`` or
``pytest -m browser tests/browser/test_learner_progress.py``.
"""

from __future__ import annotations

import contextlib
import json
import re
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from tests.browser._browser import CHROMIUM, CHROMIUM_ARGS, require_browser
from tests.browser.test_welcome_in_jupyterlab import BrowserLog, Lab, running_lab

if TYPE_CHECKING:
    from playwright.sync_api import Locator, Page

pytestmark = pytest.mark.browser

REPO = Path(__file__).resolve().parents[2]
EXERCISE = "00_first_check"
CHECK = "q1_execution_count"
TIMEOUT_MS = 90_000


def _solution_answer() -> str:
    """The code between the solution markers of question 1 (typed by the learner)."""
    nb = json.loads(
        (REPO / "exercises" / EXERCISE / "solution.ipynb").read_text(encoding="utf-8")
    )
    cell = next(c for c in nb["cells"] if c.get("id") == "q1-answer")
    lines = "".join(cell["source"]).splitlines()
    begin = lines.index("### BEGIN SOLUTION")
    end = lines.index("### END SOLUTION")
    return "\n".join(lines[begin + 1 : end])


def _sessions(lab: Lab) -> list[dict[str, Any]]:
    import urllib.request

    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    request = urllib.request.Request(
        f"{lab.base_url}/api/sessions", headers={"Authorization": f"token {lab.token}"}
    )
    with opener.open(request, timeout=5) as response:
        data: list[dict[str, Any]] = json.load(response)
    return data


def _wait_idle(page: Page, lab: Lab, relative: str) -> None:
    deadline = time.monotonic() + TIMEOUT_MS / 1000
    accept = page.locator(".jp-Dialog .jp-mod-accept")
    while True:
        idle = any(
            s.get("path") == relative
            and (s.get("kernel") or {}).get("execution_state") == "idle"
            for s in _sessions(lab)
        )
        if (
            idle
            and page.locator(
                ".jp-Notebook-ExecutionIndicator[data-status='idle']"
            ).count()
        ):
            return
        if time.monotonic() > deadline:
            msg = f"no idle kernel for {relative} after {TIMEOUT_MS / 1000:.0f} s"
            raise TimeoutError(msg)
        if accept.count():  # "Select Kernel": take the proposal
            accept.first.click()
        page.wait_for_timeout(250)


def _code_cell(page: Page, text: str) -> Locator:
    return page.locator(".jp-Notebook .jp-CodeCell").filter(has_text=text).first


def _replace_and_run(page: Page, cell: Locator, code: str) -> None:
    """Type ``code`` into ``cell`` (replacing what is there) and run it."""
    cell.locator(".cm-content").click()
    page.keyboard.press("Control+a")
    page.keyboard.insert_text(code)  # no auto-closed brackets
    page.keyboard.press("Shift+Enter")


def _menu(page: Page, menu: str, item: re.Pattern[str]) -> None:
    page.locator(
        "#jp-MainMenu .lm-MenuBar-item", has_text=re.compile(rf"^{menu}$")
    ).click()
    page.get_by_role("menuitem", name=item).first.click()


def test_progress_survives_a_kernel_restart(tmp_path: Path) -> None:
    require_browser()
    from playwright.sync_api import Error as PlaywrightError
    from playwright.sync_api import sync_playwright

    from pmo_kit.training.workspace import make_workspace

    workspace = tmp_path / "workspace"
    make_workspace(workspace)
    relative = f"exercises/{EXERCISE}/exercise.ipynb"
    answer = _solution_answer()
    progress_file = workspace / ".pmo-kit" / "progress.json"
    log = BrowserLog()
    with (
        running_lab(workspace, tmp_path / "lab-state") as lab,
        sync_playwright() as pw,
    ):
        browser = pw.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        page = browser.new_page(viewport={"width": 1400, "height": 1600})
        page.on("pageerror", lambda exc: log.page_errors.append(str(exc)))

        def context() -> str:
            shot = tmp_path / "failure.png"
            with contextlib.suppress(PlaywrightError):
                page.screenshot(path=str(shot))
            return (
                f"\nscreenshot {shot}\n{log.summary()}\nserver log:\n{lab.log_tail(15)}"
            )

        try:
            page.goto(lab.lab_url(relative), wait_until="domcontentloaded")
            page.locator(".jp-Notebook .jp-Cell").first.wait_for(timeout=TIMEOUT_MS)
            _wait_idle(page, lab, relative)
            # the set-up cell, then question 1: answer, check
            _code_cell(page, "load_checks()").locator(".cm-content").click()
            page.keyboard.press("Shift+Enter")
            _replace_and_run(page, _code_cell(page, "execution_count = ..."), answer)
            check_cell = _code_cell(page, f'check("{CHECK}")')
            check_cell.click()
            page.keyboard.press("Shift+Enter")
            check_cell.locator(".jp-OutputArea-output", has_text="✅").wait_for(
                timeout=TIMEOUT_MS
            )
            _wait_idle(page, lab, relative)
        except (PlaywrightError, TimeoutError) as exc:
            pytest.fail(f"answering question 1 failed: {exc}" + context())
        recorded = json.loads(progress_file.read_text(encoding="utf-8"))
        assert recorded["exercises"][EXERCISE][CHECK]["status"] == "correct"

        try:
            _menu(page, "Kernel", re.compile(r"^Restart Kernel(…|\.\.\.)"))
            page.locator(".jp-Dialog .jp-mod-accept").click()
            page.locator(".jp-Dialog").wait_for(state="detached", timeout=TIMEOUT_MS)
            _wait_idle(page, lab, relative)
            # a new cell at the end: the course's progress, read from disk
            cells = page.locator(".jp-Notebook .jp-Cell")
            count = cells.count()
            cells.last.locator(".cm-content").click()
            page.keyboard.press("Escape")
            page.keyboard.press("b")
            page.wait_for_function(
                f"() => document.querySelectorAll('.jp-Notebook .jp-Cell').length"
                f" > {count}",
                timeout=TIMEOUT_MS,
            )
            cells.last.locator(".cm-content").click()
            page.keyboard.insert_text(
                "from pmo_kit.training.progress import progress\n\nprogress()"
            )
            page.keyboard.press("Shift+Enter")
            shown = _code_cell(page, "progress()").locator(".pmo-progress")
            shown.wait_for(timeout=TIMEOUT_MS)
        except (PlaywrightError, TimeoutError) as exc:
            pytest.fail(f"restart and progress failed: {exc}" + context())
        prompt = _code_cell(page, "progress()").locator(".jp-InputArea-prompt")
        # execution count 1: the kernel really restarted, memory is empty
        assert "[1]" in (prompt.text_content() or ""), (
            f"prompt {prompt.text_content()!r}" + context()
        )
        row = shown.locator("tr").filter(has_text=CHECK).filter(has_text=EXERCISE)
        assert row.count() == 1, shown.inner_html() + context()
        assert row.locator(".pmo-progress-correct").count() == 1, (
            f"{CHECK} is not correct after a restart: {row.inner_text()}" + context()
        )
        total = shown.locator("strong").first.inner_text()
        assert re.match(r"Course: 1/\d+ correct, 0 wrong", total), total
        page.screenshot(path=str(tmp_path / "learner-progress.png"))
        browser.close()
