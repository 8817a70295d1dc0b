"""Shared set-up of the real-browser tests: Debian's chromium driven by Playwright."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--no-proxy-server",
    # belt and braces: the browser cannot resolve any host but the local server
    "--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1",
]
INSTALL_HINT = (
    "install with `make system-deps` (Debian: `sudo apt-get install chromium`) and "
    "`.venv/bin/python -m pip install -e '.[dev]'` (playwright)"
)


def require_browser() -> None:
    """Skip without chromium or playwright; under ``CI=true`` fail instead."""
    missing = []
    if not CHROMIUM.is_file():
        missing.append(f"chromium ({CHROMIUM})")
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        missing.append("the playwright Python package")
    if not missing:
        return
    msg = f"browser test needs {' and '.join(missing)}: {INSTALL_HINT}"
    if os.environ.get("CI", "").strip().lower() == "true":
        pytest.fail(f"CI=true, refusing to skip: {msg}", pytrace=False)
    pytest.skip(msg)
