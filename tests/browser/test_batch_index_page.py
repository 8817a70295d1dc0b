"""
The batch index page (``OUT/index.html``) opened from disk in chromium, offline.

A laptop screen (1280 px wide, this machine's DejaVu fonts only): the page fetches
nothing, nothing is wider than the window, no table cell hides its text, and the
links open the reports they name (one of them needs URL quoting: a space and a
``#`` in its folder name). A screenshot is kept beside the page.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pytest

from pmo_kit.reports.batch_index import write_batch_index
from tests.browser._browser import CHROMIUM, CHROMIUM_ARGS, require_browser
from tests.browser._layout import page_overflow
from tests.reports._batch_out import OK_RUNS, build_batch

if TYPE_CHECKING:
    from collections.abc import Iterator
    from pathlib import Path

    from playwright.sync_api import Browser, Page, Route

pytestmark = pytest.mark.browser

#: Cells and chips whose right edge is past the window, and the page's widths.
_FITS_JS = """
() => {
  const width = document.documentElement.clientWidth;
  const past = Array.from(document.querySelectorAll('td, th, .chip, h1, p'))
    .filter(el => el.getBoundingClientRect().right > width + 0.5)
    .map(el => el.innerText.slice(0, 40));
  return {past, scroll: document.documentElement.scrollWidth, width};
}
"""


@pytest.fixture(scope="module")
def index(tmp_path_factory: pytest.TempPathFactory, sample: Any) -> Path:
    out = tmp_path_factory.mktemp("batch")
    build_batch(out, sample)
    return write_batch_index(out)


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


@pytest.fixture
def page(browser: Browser) -> Iterator[tuple[Page, list[str]]]:
    """A 1280 px wide offline page; the list collects every refused request."""
    attempted: list[str] = []

    def refuse(route: Route) -> None:
        if route.request.url.startswith(("file:", "data:")):
            route.continue_()
        else:
            attempted.append(route.request.url)
            route.abort()

    context = browser.new_context(offline=True, viewport={"width": 1280, "height": 800})
    try:
        opened = context.new_page()
        opened.route("**/*", refuse)
        yield opened, attempted
    finally:
        context.close()


def test_index_fits_a_laptop_screen_offline(
    index: Path, page: tuple[Page, list[str]]
) -> None:
    tab, attempted = page
    tab.goto(index.as_uri())
    tab.wait_for_load_state("load")
    fits: dict[str, Any] = tab.evaluate(_FITS_JS)
    overflow = page_overflow(tab)
    tab.screenshot(path=str(index.with_suffix(".png")), full_page=True)
    rows = tab.locator("table.grid tbody tr").count()
    rag_cells = tab.locator("table.grid td.rag-red").count()

    assert attempted == [], f"the index tried to reach the network: {attempted}"
    assert fits["scroll"] <= fits["width"], f"horizontal scroll: {fits}"
    assert fits["past"] == [], f"cut at the right edge: {fits['past']}"
    assert overflow == [], f"text hidden in its box: {overflow}"
    assert rows == len(OK_RUNS)
    assert rag_cells > 0  # the RAG colours are drawn


def test_red_cells_are_drawn_in_the_kits_red(
    index: Path, page: tuple[Page, list[str]]
) -> None:
    from pmo_kit.charts import RAG_COLORS

    tab, _ = page
    tab.goto(index.as_uri())
    colour = tab.locator("table.grid td.rag-red").first.evaluate(
        "el => getComputedStyle(el).backgroundColor"
    )
    red = RAG_COLORS["red"].lstrip("#")
    expected = "rgb({}, {}, {})".format(*(int(red[i : i + 2], 16) for i in (0, 2, 4)))
    assert colour == expected


@pytest.mark.parametrize(
    ("link", "key"),
    [("P-007 ISO 27001 Certification", "P-007 week#26"), ("P-002 ERP", "P-002")],
)
def test_project_link_opens_its_report(
    index: Path, page: tuple[Page, list[str]], link: str, key: str
) -> None:
    tab, attempted = page
    tab.goto(index.as_uri())
    with tab.expect_navigation():
        tab.get_by_role("link", name=link).click()
    heading = tab.locator("h1").inner_text()
    assert heading == f"Status report {key}"
    assert tab.url == (index.parent / key / "project-status.html").as_uri()
    assert attempted == []
