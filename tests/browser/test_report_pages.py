"""
Every report page, opened from disk in chromium with every network request refused.

What a sponsor sees when the HTML arrives by e-mail on a laptop without network and
without Arial or Helvetica (this machine has only DejaVu fonts): the page fetches
nothing, every chart is a decoded image of real size, no chart text is cut at the
edge of its image or drawn over another text, and no table hides columns behind a
scroll bar. Screenshots of each page and chart are kept in the test's folder
(``pytest --basetemp=...`` to look at them).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pytest

from pmo_kit.reports import available_reports, run_report
from tests.browser._browser import CHROMIUM, CHROMIUM_ARGS, require_browser
from tests.browser._layout import chart_problems, chart_svgs, page_overflow

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator
    from pathlib import Path

    from playwright.sync_api import Browser, Route

pytestmark = pytest.mark.browser

REPORTS = sorted(available_reports())

_IMAGES_JS = """
() => Array.from(document.images).map(img => ({
    complete: img.complete, width: img.naturalWidth, height: img.naturalHeight,
    svg: img.src.startsWith("data:image/svg+xml"),
}))
"""


@pytest.fixture(scope="module")
def report_html(
    tmp_path_factory: pytest.TempPathFactory,
) -> Callable[[str], Path]:
    """Run a report once (default parameters) and return its HTML page."""
    folder = tmp_path_factory.mktemp("reports")
    built: dict[str, Path] = {}

    def build(name: str) -> Path:
        if name not in built:
            result = run_report(name, output_dir=folder / name)
            assert result.html is not None
            built[name] = result.html
        return built[name]

    return build


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    """One headless chromium for every page of the module."""
    require_browser()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        launched = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            yield launched
        finally:
            launched.close()


@pytest.mark.parametrize("name", REPORTS)
def test_report_page_is_legible_offline(
    name: str, report_html: Callable[[str], Path], browser: Browser
) -> None:
    html = report_html(name)
    attempted: list[str] = []

    def refuse(route: Route) -> None:
        if not route.request.url.startswith(("file:", "data:")):
            attempted.append(route.request.url)
            route.abort()
        else:
            route.continue_()

    context = browser.new_context(offline=True, viewport={"width": 1200, "height": 900})
    try:
        page = context.new_page()
        page.route("**/*", refuse)
        page.goto(html.as_uri())
        page.wait_for_load_state("load")
        images: list[dict[str, Any]] = page.evaluate(_IMAGES_JS)
        overflow = page_overflow(page)
        page.screenshot(path=str(html.with_suffix(".png")), full_page=True)
        title = page.locator("h1").first.inner_text()
        problems: dict[int, dict[str, Any]] = {}
        for index, svg in enumerate(chart_svgs(html.read_text(encoding="utf-8"))):
            found = chart_problems(page, svg)
            page.locator("svg").first.screenshot(
                path=str(html.with_name(f"{name}-chart{index}.png"))
            )
            assert found["count"] > 0, f"chart {index} of {name} has no text"
            if found["clipped"] or found["overlaps"]:
                problems[index] = found
    finally:
        context.close()

    assert attempted == [], f"{name} tried to reach the network: {attempted}"
    assert title.strip(), f"{name} has no title"
    charts = [i for i in images if i["svg"]]
    assert charts, f"{name} shows no chart"
    for chart in charts:
        assert chart["complete"], (name, chart)
        assert chart["width"] > 200, (name, chart)
        assert chart["height"] > 100, (name, chart)
    assert overflow == [], f"{name}: content hidden behind a scroll bar: {overflow}"
    assert problems == {}, f"{name}: chart text clipped or colliding: {problems}"


def test_portfolio_overview_title(
    report_html: Callable[[str], Path], browser: Browser
) -> None:
    context = browser.new_context(offline=True)
    try:
        page = context.new_page()
        page.goto(report_html("portfolio-overview").as_uri())
        title = page.locator("h1").first.inner_text()
    finally:
        context.close()
    assert "portfolio overview" in title
