"""
The live portfolio dashboard served by the real Voila, driven through Debian's chromium.

Starts Voila the way ``pmo-kit dashboard`` does (same command line, same environment,
throw-away Jupyter folders) on a free 127.0.0.1 port, opens it, and checks what a PMO
analyst sees: every project in the table, a filter that narrows it to exactly the
agile projects of ``projects.csv``, a project picked from the drill-down showing its
status sections, SVG charts, and not one request leaving 127.0.0.1.

Run with ``pytest -m browser tests/browser/test_dashboard_in_browser.py -s``.
"""

from __future__ import annotations

import contextlib
import csv
import importlib.util
import json
import os
import signal
import socket
import subprocess
import time
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import pytest

from tests.browser._browser import CHROMIUM, CHROMIUM_ARGS, require_browser

if TYPE_CHECKING:
    from collections.abc import Iterator
    from pathlib import Path

    from playwright.sync_api import Page, Request, Route

pytestmark = pytest.mark.browser

SERVER_START_TIMEOUT = 60.0  # seconds until Voila accepts connections
DASHBOARD_TIMEOUT_MS = 180_000  # the kernel loads the data and builds the widgets
ROUND_TRIP_TIMEOUT_MS = 30_000  # a filter change through the kernel and back


def require_voila() -> None:
    """Skip without Voila; under ``CI=true`` fail instead."""
    if importlib.util.find_spec("voila") is not None:
        return
    msg = "the dashboard test needs Voila: pip install -e '.[dashboard]'"
    if os.environ.get("CI", "").strip().lower() == "true":
        pytest.fail(f"CI=true, refusing to skip: {msg}", pytrace=False)
    pytest.skip(msg)


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@dataclass(frozen=True)
class Server:
    url: str
    log: Path

    def log_tail(self, lines: int = 30) -> str:
        try:
            text = self.log.read_text(encoding="utf-8", errors="replace")
        except OSError as exc:
            return f"(no server log: {exc})"
        return "\n".join(text.splitlines()[-lines:])


def _stop(proc: subprocess.Popen[bytes]) -> None:
    """SIGTERM Voila's process group (it shuts its kernel down), then SIGKILL."""
    if proc.poll() is None:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, signal.SIGKILL)
    proc.wait()


@contextlib.contextmanager
def running_dashboard(state: Path) -> Iterator[Server]:
    """Run the dashboard's Voila command with Jupyter folders inside ``state``."""
    from pmo_kit.dashboard import (
        dashboard_notebook_path,
        voila_command,
        voila_environment,
    )

    dirs = {name: state / name for name in ("config", "data", "runtime", "ipython")}
    for folder in dirs.values():
        folder.mkdir(parents=True, exist_ok=True)
    inherited = {k: v for k, v in os.environ.items() if k != "JUPYTER_CONFIG_PATH"}
    env = voila_environment(None, base=inherited)
    env.update(
        JUPYTER_CONFIG_DIR=str(dirs["config"]),
        JUPYTER_DATA_DIR=str(dirs["data"]),
        JUPYTER_RUNTIME_DIR=str(dirs["runtime"]),
        IPYTHONDIR=str(dirs["ipython"]),
        JUPYTER_PLATFORM_DIRS="1",
    )
    port = _free_port()
    notebook = dashboard_notebook_path()
    command = voila_command(notebook, port=port, open_browser=False)
    server = Server(url=f"http://127.0.0.1:{port}/", log=state / "voila.log")
    with server.log.open("wb") as log:
        proc = subprocess.Popen(
            command,
            cwd=notebook.parent,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        try:
            deadline = time.monotonic() + SERVER_START_TIMEOUT
            while True:
                if proc.poll() is not None:
                    msg = f"voila exited with {proc.returncode}:\n{server.log_tail()}"
                    raise RuntimeError(msg)
                with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
                    if sock.connect_ex(("127.0.0.1", port)) == 0:
                        break
                if time.monotonic() > deadline:
                    msg = f"voila did not listen on {port}:\n{server.log_tail()}"
                    raise RuntimeError(msg)
                time.sleep(0.25)
            yield server
        finally:
            _stop(proc)


@dataclass
class BrowserLog:
    page_errors: list[str] = field(default_factory=list)
    console_errors: list[str] = field(default_factory=list)
    blocked: list[str] = field(default_factory=list)

    def summary(self) -> str:
        return (
            f"page errors: {self.page_errors[-5:]}\n"
            f"console errors: {self.console_errors[-5:]}\n"
            f"blocked non-local requests: {self.blocked}"
        )


def _projects_csv() -> list[dict[str, str]]:
    from pmo_kit.data.portfolio import bundled_dataset_path

    path = bundled_dataset_path() / "projects.csv"
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


_TABLE_IDS_JS = """
() => [...document.querySelectorAll(
    '.pmo-dashboard-table table.pmo-table tbody tr')].map(
    row => row.querySelector('td').textContent.trim())
"""


def _table_ids(page: Page) -> list[str]:
    ids: list[str] = page.evaluate(_TABLE_IDS_JS)
    return ids


def _norm(text: str | None) -> str:
    return " ".join((text or "").split())


def test_dashboard_filters_and_drill_down_in_chromium(tmp_path: Path) -> None:
    require_browser()
    require_voila()
    from playwright.sync_api import Error as PlaywrightError
    from playwright.sync_api import sync_playwright

    from pmo_kit import load_portfolio
    from pmo_kit.reports.project_status import project_status

    projects = _projects_csv()
    every_id = [row["project_id"] for row in projects]
    agile = [row for row in projects if row["methodology"] == "agile"]
    agile_ids = [row["project_id"] for row in agile]
    assert agile_ids, "the sample data has agile projects"
    assert len(agile_ids) < len(every_id)
    picked = agile[-1]
    status = project_status(load_portfolio(), picked["project_id"])
    reasons = [_norm(area.reason) for area in status.areas.values()]

    log = BrowserLog()
    with running_dashboard(tmp_path / "state") as server, sync_playwright() as pw:
        browser = pw.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        try:
            context = browser.new_context(viewport={"width": 1400, "height": 1600})

            def guard(route: Route, request: Request) -> None:
                if request.url.startswith((server.url, "data:", "blob:")):
                    route.continue_()
                else:
                    log.blocked.append(request.url)
                    route.abort()

            context.route("**/*", guard)
            page = context.new_page()
            page.on("pageerror", lambda exc: log.page_errors.append(str(exc)))
            page.on(
                "console",
                lambda m: (
                    log.console_errors.append(m.text) if m.type == "error" else None
                ),
            )

            def failure(what: str) -> str:
                shot = tmp_path / "failure.png"
                with contextlib.suppress(PlaywrightError):
                    page.screenshot(path=str(shot), full_page=True)
                return (
                    f"{what}\nscreenshot: {shot}\n{log.summary()}\n"
                    f"voila log (tail):\n{server.log_tail()}"
                )

            page.goto(server.url, wait_until="domcontentloaded", timeout=60_000)
            table = page.locator(".pmo-dashboard-table table.pmo-table")
            try:
                table.wait_for(state="visible", timeout=DASHBOARD_TIMEOUT_MS)
            except PlaywrightError as exc:
                pytest.fail(failure(f"the dashboard table never showed: {exc}"))

            # every project at first, in the order of projects.csv
            assert _table_ids(page) == every_id, failure("unfiltered table")
            charts = page.locator(".pmo-dashboard-charts svg")
            assert charts.count() >= 2, failure("fewer than two SVG charts")
            box = charts.first.bounding_box()
            assert box is not None, failure("chart not laid out")
            assert box["width"] > 200, failure(f"chart {box}")

            # methodology = agile: exactly the agile projects of projects.csv
            page.locator(".pmo-filter-methodology select").select_option(label="agile")
            try:
                page.wait_for_function(
                    f"want => JSON.stringify(({_TABLE_IDS_JS.strip()})()) === want",
                    arg=json.dumps(agile_ids, separators=(",", ":")),
                    timeout=ROUND_TRIP_TIMEOUT_MS,
                    polling=250,
                )
            except PlaywrightError:
                pytest.fail(
                    failure(
                        f"after methodology=agile the table shows "
                        f"{_table_ids(page)}, expected {agile_ids}"
                    )
                )
            assert _table_ids(page) == agile_ids
            headline = _norm(page.locator(".pmo-dashboard-headline").inner_text())
            assert f"{len(agile_ids)} of {len(every_id)} projects shown" in headline, (
                failure(f"headline {headline!r}")
            )

            # picking a project shows its status sections
            picker = page.locator(".pmo-project-picker select")
            options = [_norm(t) for t in picker.locator("option").all_text_contents()]
            wanted = f"{picked['project_id']} {picked['name']}"
            assert wanted in options, failure(f"picker options {options}")
            picker.select_option(label=wanted)
            sections = page.locator(".pmo-dashboard-status .pmo-status-sections")
            try:
                sections.wait_for(state="visible", timeout=ROUND_TRIP_TIMEOUT_MS)
            except PlaywrightError as exc:
                pytest.fail(failure(f"no status sections after picking: {exc}"))
            text = _norm(sections.inner_text())
            assert picked["name"] in text, failure("project name not in the status")
            missing = [reason for reason in reasons if reason not in text]
            assert not missing, failure(f"RAG reasons not shown: {missing}")
            for heading in ("Decisions needed", "Earned value", "Top risks"):
                assert heading in text, failure(f"no {heading!r} section")
            page.screenshot(path=str(tmp_path / "dashboard.png"), full_page=True)
        finally:
            browser.close()

    assert not log.blocked, f"requests left 127.0.0.1: {log.blocked}"
    assert not log.page_errors, f"page errors: {log.page_errors}"
