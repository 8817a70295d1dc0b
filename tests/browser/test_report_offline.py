"""
The exported report, opened from disk in chromium with every network request refused.

What a sponsor sees when the HTML arrives by e-mail on a laptop without network: the
charts must be decoded images of real size, and the page must not even try to fetch
anything.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from pmo_kit.reports import run_report
from tests.browser._browser import CHROMIUM, CHROMIUM_ARGS, require_browser

if TYPE_CHECKING:
    from pathlib import Path

    from playwright.sync_api import Route

pytestmark = pytest.mark.browser

_IMAGES_JS = """
() => Array.from(document.images).map(img => ({
    complete: img.complete, width: img.naturalWidth, height: img.naturalHeight,
    svg: img.src.startsWith("data:image/svg+xml"),
}))
"""


def test_report_html_renders_charts_offline(tmp_path: Path) -> None:
    require_browser()
    from playwright.sync_api import sync_playwright

    result = run_report("portfolio-overview", output_dir=tmp_path / "report")
    assert result.html is not None
    attempted: list[str] = []

    def refuse(route: Route) -> None:
        if not route.request.url.startswith(("file:", "data:")):
            attempted.append(route.request.url)
            route.abort()
        else:
            route.continue_()

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            context = browser.new_context(
                offline=True, viewport={"width": 1200, "height": 900}
            )
            page = context.new_page()
            page.route("**/*", refuse)
            page.goto(result.html.as_uri())
            page.wait_for_load_state("load")
            images = page.evaluate(_IMAGES_JS)
            page.screenshot(path=str(tmp_path / "report.png"), full_page=True)
            title = page.locator("h1").first.inner_text()
        finally:
            browser.close()
    charts = [i for i in images if i["svg"]]
    assert len(charts) >= 2, f"expected two SVG charts, saw {images}"
    for chart in charts:
        assert chart["complete"], chart
        assert chart["width"] > 200, chart
        assert chart["height"] > 100, chart
    assert attempted == [], f"the report tried to reach the network: {attempted}"
    assert "portfolio overview" in title
