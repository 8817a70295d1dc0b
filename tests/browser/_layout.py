"""
Layout checks run inside chromium: chart text clipped or colliding, hidden overflow.

A report embeds each chart as an ``<img>`` with an SVG data URL, which the page's DOM
cannot look into; :func:`chart_problems` therefore opens each chart's SVG on its own
page and measures the text as the browser drew it, with the browser's own fonts.
"""

from __future__ import annotations

import base64
import re
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from playwright.sync_api import Page

#: Per SVG: texts outside the image, and pairs of texts that overlap.
TEXT_JS = """
() => {
  const svg = document.querySelector('svg');
  const box = svg.getBoundingClientRect();
  const texts = Array.from(svg.querySelectorAll('text'))
    .filter(t => t.textContent.trim() && getComputedStyle(t).opacity !== '0');
  const clipped = texts.filter(t => {
    const r = t.getBoundingClientRect();
    return r.left < box.left - 0.5 || r.right > box.right + 0.5 ||
      r.top < box.top - 0.5 || r.bottom > box.bottom + 0.5;
  });
  // two texts collide when, seen in the first one's own (possibly rotated) frame,
  // their glyph boxes overlap; the vertical extent is trimmed to the x-height band
  const local = texts.map(t => ({t, b: t.getBBox(), m: t.getCTM()}));
  const overlaps = [];
  for (let i = 0; i < local.length; i++) {
    for (let j = i + 1; j < local.length; j++) {
      const a = local[i], b = local[j];
      const angle = m => Math.round(Math.atan2(m.b, m.a) * 180 / Math.PI);
      if (angle(a.m) !== angle(b.m)) continue;
      const toA = a.m.inverse().multiply(b.m);
      const pts = [[b.b.x, b.b.y], [b.b.x + b.b.width, b.b.y],
                   [b.b.x, b.b.y + b.b.height], [b.b.x + b.b.width, b.b.y + b.b.height]]
        .map(([x, y]) => new DOMPoint(x, y).matrixTransform(toA));
      const bx1 = Math.min(...pts.map(p => p.x)), bx2 = Math.max(...pts.map(p => p.x));
      const by1 = Math.min(...pts.map(p => p.y)), by2 = Math.max(...pts.map(p => p.y));
      const trim = h => 0.2 * h;
      const ay1 = a.b.y + trim(a.b.height), ay2 = a.b.y + a.b.height - trim(a.b.height);
      const cy1 = by1 + trim(by2 - by1), cy2 = by2 - trim(by2 - by1);
      const w = Math.min(a.b.x + a.b.width, bx2) - Math.max(a.b.x, bx1);
      const h = Math.min(ay2, cy2) - Math.max(ay1, cy1);
      if (w > 1 && h > 0) overlaps.push([a.t.textContent, b.t.textContent]);
    }
  }
  return {count: texts.length, clipped: clipped.map(t => t.textContent), overlaps};
}
"""

#: Elements whose content is wider than their box (hidden behind a scroll or cut).
OVERFLOW_JS = """
() => {
  const out = [];
  for (const el of document.querySelectorAll('body *')) {
    if (el.closest('svg')) continue;
    const style = getComputedStyle(el);
    const clips = ['auto', 'scroll', 'hidden', 'clip'].includes(style.overflowX);
    const cell = el.tagName === 'TD' || el.tagName === 'TH';
    if ((clips || cell) && el.scrollWidth > el.clientWidth + 1 && el.clientWidth > 0) {
      out.push({tag: el.tagName, cls: el.className, text: el.innerText.slice(0, 60),
                scroll: el.scrollWidth, client: el.clientWidth});
    }
  }
  const wide = Array.from(document.querySelectorAll('table')).filter(
    t => t.getBoundingClientRect().right > document.documentElement.clientWidth + 1);
  for (const t of wide) out.push({tag: 'TABLE', cls: t.className,
    text: t.innerText.slice(0, 60), scroll: t.scrollWidth, client: -1});
  return out;
}
"""


def chart_svgs(html: str) -> list[str]:
    """Return the SVG markup of every chart image embedded in a report page."""
    images = re.findall(r'src="data:image/svg\+xml;base64,([A-Za-z0-9+/=]+)"', html)
    return [base64.b64decode(image).decode() for image in images]


def chart_problems(page: Page, svg: str) -> dict[str, Any]:
    """Open one chart's SVG on ``page`` and return its clipped and colliding texts."""
    page.set_content(f'<html><body style="margin:0">{svg}</body></html>')
    result: dict[str, Any] = page.evaluate(TEXT_JS)
    return result


def page_overflow(page: Page) -> list[dict[str, Any]]:
    """Return the elements of the open page whose content overflows its box."""
    found: list[dict[str, Any]] = page.evaluate(OVERFLOW_JS)
    return found
