"""
The welcome lesson in a real JupyterLab, driven through Debian's chromium.

Starts ``jupyter lab`` on a free 127.0.0.1 port with throw-away config, settings and
runtime folders, opens a clean copy of ``notebooks/00_welcome.ipynb``, runs all cells
from the Run menu and checks what a learner sees: a rendered SVG chart, no traceback,
and a project explorer whose dropdown updates the project card through the kernel.

Run with ``make browser`` or ``pytest -m browser tests/browser -s``.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import secrets
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from tests.browser._browser import CHROMIUM, CHROMIUM_ARGS, require_browser

if TYPE_CHECKING:
    from collections.abc import Iterator

    from playwright.sync_api import Page, Request, Route

pytestmark = pytest.mark.browser

REPO = Path(__file__).resolve().parents[2]
WELCOME = REPO / "notebooks" / "00_welcome.ipynb"
SERVER_START_TIMEOUT = 60.0  # seconds
KERNEL_IDLE_TIMEOUT_MS = 60_000
RUN_ALL_TIMEOUT_MS = 90_000
ROUND_TRIP_TIMEOUT_MS = 10_000
MIN_CHART_WIDTH = 200  # px

# User settings so a fresh profile neither phones home nor virtualises cells: with
# windowing off every cell is in the DOM and laid out, so outputs can be measured.
LAB_SETTINGS: dict[str, dict[str, Any]] = {
    "@jupyterlab/apputils-extension/notification.jupyterlab-settings": {
        "fetchNews": "false",
        "checkForUpdates": False,
    },
    "@jupyterlab/notebook-extension/tracker.jupyterlab-settings": {
        "windowingMode": "none",
    },
}


# ---------------------------------------------------------------- JupyterLab server


@dataclass(frozen=True)
class Lab:
    """A running JupyterLab server."""

    base_url: str
    token: str
    root: Path
    log: Path

    def lab_url(self, relative: str) -> str:
        return f"{self.base_url}/lab/tree/{relative}?token={self.token}"

    def log_tail(self, lines: int = 40) -> str:
        try:
            text = self.log.read_text(encoding="utf-8", errors="replace")
        except OSError as exc:
            return f"(no server log: {exc})"
        return "\n".join(text.splitlines()[-lines:])


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def _get_json(url: str, token: str, timeout: float = 5.0) -> Any:
    # no proxies: the server is local, whatever http_proxy says
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    request = urllib.request.Request(url, headers={"Authorization": f"token {token}"})
    with opener.open(request, timeout=timeout) as response:
        return json.load(response)


def _wait_for_server(lab: Lab, proc: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + SERVER_START_TIMEOUT
    last_error = "no answer yet"
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            msg = (
                f"jupyter lab exited with code {proc.returncode} before answering; "
                f"log {lab.log}:\n{lab.log_tail()}"
            )
            raise RuntimeError(msg)
        try:
            _get_json(f"{lab.base_url}/api/status", lab.token)
        except urllib.error.HTTPError as exc:
            last_error = f"HTTP {exc.code}"
            exc.close()
        except (urllib.error.URLError, OSError) as exc:
            last_error = str(exc)
        else:
            return
        time.sleep(0.25)
    msg = (
        f"jupyter lab did not answer /api/status within {SERVER_START_TIMEOUT:.0f} s "
        f"({last_error}); log {lab.log}:\n{lab.log_tail()}"
    )
    raise RuntimeError(msg)


def _stop(proc: subprocess.Popen[bytes]) -> None:
    """SIGTERM the server's process group (it shuts its kernels down), then SIGKILL."""
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
def running_lab(root: Path, state: Path) -> Iterator[Lab]:
    """
    Run ``jupyter lab`` on ``root``; config, settings and runtime live in ``state``.

    The user's own Jupyter/IPython configuration does not leak in, and nothing
    outside 127.0.0.1 is contacted (no news, no update check).
    """
    dirs = {
        name: state / name
        for name in ("config", "data", "runtime", "settings", "workspaces", "ipython")
    }
    for folder in dirs.values():
        folder.mkdir(parents=True, exist_ok=True)
    for rel, values in LAB_SETTINGS.items():
        target = dirs["settings"] / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(json.dumps(values), encoding="utf-8")
    inherited = {k: v for k, v in os.environ.items() if k != "JUPYTER_CONFIG_PATH"}
    env = {
        **inherited,
        "JUPYTER_CONFIG_DIR": str(dirs["config"]),
        "JUPYTER_DATA_DIR": str(dirs["data"]),
        "JUPYTER_RUNTIME_DIR": str(dirs["runtime"]),
        "JUPYTERLAB_SETTINGS_DIR": str(dirs["settings"]),
        "JUPYTERLAB_WORKSPACES_DIR": str(dirs["workspaces"]),
        "IPYTHONDIR": str(dirs["ipython"]),
        "JUPYTER_PLATFORM_DIRS": "1",
        "PYTHONUNBUFFERED": "1",
    }
    port = _free_port()
    token = secrets.token_hex(24)
    lab = Lab(
        base_url=f"http://127.0.0.1:{port}",
        token=token,
        root=root,
        log=state / "jupyter-lab.log",
    )
    command = [
        sys.executable,
        "-m",
        "jupyter",
        "lab",
        "--no-browser",
        "--ServerApp.ip=127.0.0.1",
        f"--ServerApp.port={port}",
        "--ServerApp.port_retries=0",
        "--ServerApp.open_browser=False",
        f"--ServerApp.root_dir={root}",
        f"--IdentityProvider.token={token}",
        "--LabApp.news_url=None",
        "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
        "--LabApp.extension_manager=readonly",  # the "pypi" manager queries PyPI
        "--ServerApp.terminals_enabled=False",
    ]
    if hasattr(os, "geteuid") and os.geteuid() == 0:  # containers, CI runners
        command.append("--ServerApp.allow_root=True")
    with lab.log.open("wb") as log:
        proc = subprocess.Popen(
            command,
            cwd=root,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        try:
            _wait_for_server(lab, proc)
            yield lab
        finally:
            _stop(proc)


def clean_copy(notebook: Path, target: Path) -> Path:
    """Copy a notebook without outputs or execution counts (a fresh learner's view)."""
    nb = json.loads(notebook.read_text(encoding="utf-8"))
    for cell in nb.get("cells", []):
        if cell.get("cell_type") == "code":
            cell["outputs"] = []
            cell["execution_count"] = None
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(json.dumps(nb, indent=1), encoding="utf-8")
    return target


# ------------------------------------------------------------------ browser driving


@dataclass
class BrowserLog:
    """What the page complained about, for failure messages."""

    page_errors: list[str] = field(default_factory=list)
    console_errors: list[str] = field(default_factory=list)
    blocked: list[str] = field(default_factory=list)

    def summary(self) -> str:
        parts = []
        if self.page_errors:
            parts.append("page errors:\n  " + "\n  ".join(self.page_errors[-10:]))
        if self.console_errors:
            parts.append("console errors:\n  " + "\n  ".join(self.console_errors[-10:]))
        if self.blocked:
            parts.append("blocked non-local requests:\n  " + "\n  ".join(self.blocked))
        return "\n".join(parts) or "(browser reported no errors)"


# Prompts of code cells: "[*]:" while queued or running, "[7]:" once run.
_RUN_ALL_DONE_JS = """
() => {
  const prompts = [...document.querySelectorAll(
      '.jp-Notebook .jp-CodeCell .jp-InputArea-prompt')].map(p => p.textContent);
  const busy = prompts.some(t => t.includes('*'));
  const ran = prompts.some(t => /\\[\\d+\\]/.test(t));
  return ran && !busy;
}
"""

_CELL_REPORT_JS = """
() => [...document.querySelectorAll('.jp-Notebook .jp-CodeCell')].map((cell, i) => ({
  index: i,
  prompt: (cell.querySelector('.jp-InputArea-prompt') || {}).textContent || '',
  source: [...cell.querySelectorAll('.jp-InputArea-editor .cm-line')]
      .map(line => line.textContent).join('\\n'),
  outputs: [...cell.querySelectorAll('.jp-OutputArea-output')].map(o => ({
    mime: o.getAttribute('data-mime-type')
        || (o.querySelector('.jupyter-widgets') ? 'widget' : '?'),
    text: (o.textContent || '').slice(0, 2000),
  })),
}))
"""

# Every SVG chart output: JupyterLab 4 renders image/svg+xml as an <img> with a
# data: URL inside .jp-RenderedSVG; an inline <svg> is accepted too.
_CHARTS_JS = """
() => [...document.querySelectorAll(
    '.jp-OutputArea-output[data-mime-type="image/svg+xml"]')].map(out => {
  const el = out.querySelector('img, svg');
  if (!el) return {tag: null, width: 0, height: 0, loaded: false};
  const box = el.getBoundingClientRect();
  const loaded = el.tagName === 'IMG' ? (el.complete && el.naturalWidth > 0) : true;
  return {tag: el.tagName.toLowerCase(), width: box.width, height: box.height, loaded};
})
"""

_CHART_SHOWN_JS = (
    f"() => ({_CHARTS_JS.strip()})().some(c => c.loaded && c.width > {MIN_CHART_WIDTH})"
)


def _cell_report(page: Page) -> list[dict[str, Any]]:
    report: list[dict[str, Any]] = page.evaluate(_CELL_REPORT_JS)
    return report


def _describe_cells(cells: list[dict[str, Any]]) -> str:
    lines = []
    for cell in cells:
        source = " | ".join(cell["source"].splitlines())[:70]
        outputs = []
        for out in cell["outputs"]:
            if out["mime"] in ("text/plain", "application/vnd.jupyter.stderr"):
                outputs.append(f"{out['mime']} {_norm(out['text'])[:100]!r}")
            else:
                outputs.append(out["mime"])
        shown = "; ".join(outputs) or "no output"
        lines.append(
            f"  cell {cell['index']} {cell['prompt'].strip()} {source!r} -> {shown}"
        )
    return "\n".join(lines)


def _norm(text: str | None) -> str:
    return " ".join((text or "").split())


def guard_network(page: Page, log: BrowserLog, lab: Lab) -> None:
    """Abort every request that is not for the local server (and remember it)."""
    local = lab.base_url + "/"

    def handle(route: Route, request: Request) -> None:
        if request.url.startswith((local, "data:", "blob:")):
            route.continue_()
        else:
            log.blocked.append(request.url)
            route.abort()

    page.route("**/*", handle)


def _kernel_ready(page: Page, lab: Lab, relative: str) -> bool:
    """The server's session for the notebook is idle and so is the page's indicator."""
    sessions = _get_json(f"{lab.base_url}/api/sessions", lab.token)
    server_idle = any(
        s.get("path") == relative
        and (s.get("kernel") or {}).get("execution_state") == "idle"
        for s in sessions
    )
    # before a kernel is attached the indicator says "idle" too: ask the server first
    return (
        server_idle
        and page.locator(".jp-Notebook-ExecutionIndicator[data-status='idle']").count()
        > 0
    )


def _open_notebook(page: Page, lab: Lab, relative: str) -> None:
    page.goto(lab.lab_url(relative), wait_until="domcontentloaded", timeout=60_000)
    page.locator(".jp-Notebook .jp-Cell").first.wait_for(timeout=60_000)
    accept = page.locator(".jp-Dialog .jp-mod-accept")
    deadline = time.monotonic() + KERNEL_IDLE_TIMEOUT_MS / 1000
    while not _kernel_ready(page, lab, relative):
        if time.monotonic() > deadline:
            msg = f"no idle kernel after {KERNEL_IDLE_TIMEOUT_MS / 1000:.0f} s"
            raise TimeoutError(msg)
        if accept.count():  # JupyterLab may ask "Select Kernel": take its proposal
            accept.first.click()
        page.wait_for_timeout(250)


def _run_all_cells(page: Page) -> None:
    page.locator("#jp-MainMenu .lm-MenuBar-item", has_text=re.compile(r"^Run$")).click()
    page.locator("#jp-mainmenu-run").get_by_role(
        "menuitem", name="Run All Cells", exact=True
    ).click()
    page.wait_for_function(_RUN_ALL_DONE_JS, timeout=RUN_ALL_TIMEOUT_MS, polling=250)
    page.locator(".jp-Notebook-ExecutionIndicator[data-status='idle']").first.wait_for(
        state="attached", timeout=RUN_ALL_TIMEOUT_MS
    )


def check_lesson_in_lab(lab: Lab, notebook: Path, out_dir: Path) -> list[Path]:
    """
    Open ``notebook`` (inside ``lab.root``) in chromium, run all cells and check it.

    Asserts no traceback, a rendered SVG chart and a working project explorer;
    returns the screenshots written to ``out_dir``.
    """
    from playwright.sync_api import Error as PlaywrightError
    from playwright.sync_api import sync_playwright

    relative = notebook.relative_to(lab.root).as_posix()
    log = BrowserLog()
    shots: list[Path] = []
    with sync_playwright() as pw:
        browser = pw.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        try:
            context = browser.new_context(viewport={"width": 1400, "height": 1600})
            page = context.new_page()
            page.on("pageerror", lambda exc: log.page_errors.append(str(exc)))
            page.on(
                "console",
                lambda m: (
                    log.console_errors.append(m.text) if m.type == "error" else None
                ),
            )
            guard_network(page, log, lab)

            def failure_context() -> str:
                shot = out_dir / "failure.png"
                with contextlib.suppress(PlaywrightError):
                    page.screenshot(path=str(shot))
                    shots.append(shot)
                try:
                    cells = _describe_cells(_cell_report(page))
                except PlaywrightError as exc:
                    cells = f"  (could not read the cells: {exc})"
                return (
                    f"\nscreenshot: {shot}\ncells:\n{cells}\n{log.summary()}\n"
                    f"server log {lab.log} (tail):\n{lab.log_tail(15)}"
                )

            try:
                _open_notebook(page, lab, relative)
            except (PlaywrightError, TimeoutError) as exc:
                pytest.fail(f"{relative} did not open: {exc}" + failure_context())
            try:
                _run_all_cells(page)
            except PlaywrightError as exc:
                pytest.fail(
                    f"Run > Run All Cells did not finish: {exc}" + failure_context()
                )

            # (0) every code cell ran, none raised
            cells = _cell_report(page)
            failed = [
                f"cell {cell['index']} ({_norm(cell['source'])[:60]!r}):\n"
                f"{out['text'][-1200:]}"
                for cell in cells
                for out in cell["outputs"]
                if out["mime"] == "application/vnd.jupyter.stderr"
                and "Traceback" in out["text"]
            ]
            assert not failed, (
                "cells raised errors:\n" + "\n".join(failed) + failure_context()
            )
            not_run = [
                cell["index"]
                for cell in cells
                if cell["source"].strip() and not re.search(r"\[\d+\]", cell["prompt"])
            ]
            assert not not_run, (
                f"code cells not executed: {not_run}" + failure_context()
            )

            # (a) a chart rendered as SVG, big enough to be a real chart
            try:
                page.wait_for_function(_CHART_SHOWN_JS, timeout=10_000, polling=250)
            except PlaywrightError:
                charts = page.evaluate(_CHARTS_JS)
                pytest.fail(
                    f"no rendered SVG chart wider than {MIN_CHART_WIDTH}px; "
                    f"image/svg+xml outputs: {charts}" + failure_context()
                )
            chart = page.locator(
                '.jp-OutputArea-output[data-mime-type="image/svg+xml"]'
            ).first
            chart.scroll_into_view_if_needed()
            chart_shot = out_dir / "chart.png"
            chart.screenshot(path=str(chart_shot))
            shots.append(chart_shot)

            # (b) the project explorer: a VBox with the "Project:" dropdown and the card
            dropdown = page.locator(".widget-dropdown").filter(
                has=page.locator("label", has_text=re.compile(r"^\s*Project:\s*$"))
            )
            explorer = (
                page.locator(".jp-OutputArea-output .widget-vbox")
                .filter(has=dropdown)
                .filter(has=page.locator("h4.pmo-project-title"))
                .last
            )
            try:
                explorer.wait_for(state="visible", timeout=15_000)
            except PlaywrightError:
                pytest.fail(
                    "the project explorer (a .widget-vbox with the 'Project:' dropdown "
                    "and an h4.pmo-project-title card) is not rendered; a text/plain "
                    "'VBox(...)' output means the widget manager (jupyterlab_widgets) "
                    "is not loaded" + failure_context()
                )
            select = explorer.locator(".widget-dropdown select").first
            title = explorer.locator("h4.pmo-project-title").first
            labels = [_norm(t) for t in select.locator("option").all_text_contents()]
            assert len(labels) >= 2, f"dropdown options: {labels}" + failure_context()
            current = _norm(select.evaluate("s => s.options[s.selectedIndex].text"))
            before = _norm(title.text_content())
            assert before == current, (
                f"card title {before!r} does not match the selected project {current!r}"
                + failure_context()
            )
            index = next(i for i, label in enumerate(labels) if label != current)
            wanted = labels[index]
            select.select_option(index=index)
            deadline = time.monotonic() + ROUND_TRIP_TIMEOUT_MS / 1000
            after = _norm(title.text_content())
            while after != wanted and time.monotonic() < deadline:
                page.wait_for_timeout(100)
                after = _norm(title.text_content())
            explorer.scroll_into_view_if_needed()
            shot = out_dir / "welcome-in-jupyterlab.png"
            page.screenshot(path=str(shot))
            shots.append(shot)
            assert after == wanted, (
                f"choosing {wanted!r} in the dropdown left the card at {after!r} for "
                f"{ROUND_TRIP_TIMEOUT_MS / 1000:.0f} s: the kernel round trip is broken"
                + failure_context()
            )
            notes = [
                f"cell {cell['index']} wrote to stderr: {_norm(out['text'])[:200]!r}"
                for cell in cells
                for out in cell["outputs"]
                if out["mime"] == "application/vnd.jupyter.stderr"
            ]
            if log.blocked:
                notes.append(f"blocked non-local requests: {log.blocked}")
            for note in notes:  # worth a look, not a failure
                print(f"note: {note}")  # noqa: T201
        finally:
            browser.close()
    return shots


# --------------------------------------------------------------------------- test


@pytest.fixture
def jupyter_lab(tmp_path: Path) -> Iterator[Lab]:
    require_browser()
    root = tmp_path / "lab-root"
    root.mkdir()
    with running_lab(root, tmp_path / "lab-state") as lab:
        yield lab


def test_welcome_lesson_runs_in_jupyterlab(jupyter_lab: Lab, tmp_path: Path) -> None:
    assert WELCOME.is_file(), f"{WELCOME} is missing"
    notebook = clean_copy(WELCOME, jupyter_lab.root / WELCOME.name)
    started = time.monotonic()
    shots = check_lesson_in_lab(jupyter_lab, notebook, tmp_path)
    print(  # noqa: T201
        f"\nwelcome lesson OK in JupyterLab ({time.monotonic() - started:.1f} s in the "
        f"browser); screenshots: {', '.join(map(str, shots))}"
    )
