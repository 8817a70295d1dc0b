"""
The batch index page (``OUT/index.html``) and the headline figures of each report.

The batch folder is built by hand (``_batch_out.py``) from real summaries of the
bundled organisation; expected RAGs, counts and orders come from those summaries,
counted here with other code than the module's.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections import Counter
from html.parser import HTMLParser
from typing import TYPE_CHECKING, Any
from urllib.parse import unquote, urlsplit

import pytest

from pmo_kit import ValidationError
from pmo_kit.charts import RAG_COLORS
from pmo_kit.reports import (
    agile_metrics,
    capacity_review,
    governance_review,
    portfolio_review,
    project_status,
    risk_review,
    schedule_risk,
    write_summary,
)
from pmo_kit.reports.batch_headlines import Figure, format_money, headline
from pmo_kit.reports.batch_index import render_batch_index, write_batch_index
from pmo_kit.risk.narrative import money
from tests.reports._batch_out import (
    EVIL,
    FAILED_ERROR,
    FAILED_NOW,
    FAILED_OLDER,
    OK_RUNS,
    build_batch,
)

if TYPE_CHECKING:
    from pathlib import Path

AREAS = ("overall", "schedule", "cost", "scope", "risk")
WORST_FIRST = ("red", "amber", "green", "grey")


class Page(HTMLParser):
    """The page's links, text, and the cells of each table (by the table's class)."""

    def __init__(self, markup: str) -> None:
        super().__init__()
        self.links: list[tuple[str, str]] = []  # (href, text)
        self.tables: dict[str, list[list[tuple[str, str]]]] = {}  # rows of (cls, text)
        self.text_parts: list[str] = []
        self._table: str | None = None
        self._cell: list[str] | None = None
        self._cell_class = ""
        self._href: str | None = None
        self._link_text: list[str] = []
        self.feed(markup)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag == "table":
            self._table = a.get("class") or ""
            self.tables[self._table] = []
        elif tag == "tr" and self._table is not None:
            self.tables[self._table].append([])
        elif tag in ("td", "th") and self._table is not None:
            self._cell, self._cell_class = [], a.get("class") or ""
        elif tag == "a":
            self._href, self._link_text = a.get("href"), []
        elif tag == "br" and self._cell is not None:
            self._cell.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag == "table":
            self._table = None
        elif tag in ("td", "th") and self._cell is not None and self._table:
            row = self.tables[self._table][-1]
            row.append((self._cell_class, "".join(self._cell).strip()))
            self._cell = None
        elif tag == "a" and self._href is not None:
            self.links.append((self._href, "".join(self._link_text)))
            self._href = None

    def handle_data(self, data: str) -> None:
        self.text_parts.append(data)
        if self._cell is not None:
            self._cell.append(data)
        if self._href is not None:
            self._link_text.append(data)

    @property
    def text(self) -> str:
        return re.sub(r"\s+", " ", "".join(self.text_parts))


@pytest.fixture(scope="module")
def batch(tmp_path_factory: pytest.TempPathFactory, sample: Any) -> Any:
    out = tmp_path_factory.mktemp("batch")
    made = build_batch(out, sample)
    path = write_batch_index(out)
    assert path == out / "index.html"
    return made


@pytest.fixture(scope="module")
def markup(batch: Any) -> str:
    return str((batch.out / "index.html").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def page(markup: str) -> Page:
    return Page(markup)


def _target(out: Path, href: str) -> Path:
    parts = urlsplit(href)
    assert not parts.scheme, href
    assert not parts.netloc, href
    assert not href.startswith("/"), href
    return out / unquote(parts.path)


def test_every_link_is_relative_and_exists(batch, page):
    assert page.links
    for href, _text in page.links:
        assert _target(batch.out, href).is_file(), href
    hrefs = {href for href, _ in page.links}
    for key in OK_RUNS:
        assert any(
            _target(batch.out, h) == batch.out / key / "project-status.html"
            for h in hrefs
        ), key
    # the key with a space and a '#' is URL-quoted, not raw
    assert "P-007%20week%2326/project-status.html" in hrefs
    assert f"{FAILED_NOW}.failed.ipynb" in hrefs


def test_every_project_is_in_the_grid_with_its_name(batch, page):
    rows = page.tables["grid"][1:]
    assert len(rows) == len(OK_RUNS)
    firsts = [row[0][1] for row in rows]
    for summary in batch.summaries.values():
        expected = f"{summary['project_id']} {summary['project_name']}"
        assert sum(cell.startswith(expected) for cell in firsts) == 1, expected


def _grid(page: Page) -> dict[str, list[tuple[str, str]]]:
    """Project id -> the row's cells."""
    return {row[0][1].split()[0]: row for row in page.tables["grid"][1:]}


def test_rag_cells_carry_the_colour_of_the_summary(batch, page):
    grid = _grid(page)
    heading = [text for _, text in page.tables["grid"][0]]
    for summary in batch.summaries.values():
        row = grid[summary["project_id"]]
        for area in AREAS:
            cls, text = row[heading.index(area.capitalize())]
            rag = summary["rag"][area]
            assert f"rag-{rag}" in cls.split(), (summary["project_id"], area, cls)
            assert text == rag


def test_rag_classes_use_the_kits_palette(markup):
    for rag, colour in RAG_COLORS.items():
        assert re.search(rf"\.rag-{rag}\s*\{{\s*background:\s*{colour}", markup), rag


def test_counts_per_area(batch, page):
    for area in AREAS:
        counted = Counter(s["rag"][area] for s in batch.summaries.values())
        line = ", ".join(f"{counted[rag]} {rag}" for rag in WORST_FIRST)
        assert f"{area.capitalize()}: {line}" in page.text
        assert sum(counted.values()) == len(OK_RUNS)


def test_grid_order_red_first_then_by_project(batch, page):
    expected = sorted(
        (s for s in batch.summaries.values()),
        key=lambda s: (WORST_FIRST.index(s["rag"]["overall"]), s["project_id"]),
    )
    assert list(_grid(page)) == [s["project_id"] for s in expected]


def test_grid_figures_for_people(batch, page):
    grid = _grid(page)
    heading = [text for _, text in page.tables["grid"][0]]
    summary = batch.summaries["P-003"]
    row = dict(zip(heading, (text for _, text in row_of(grid, "P-003")), strict=True))
    assert row["CPI"] == f"{summary['cpi']:.2f}"
    assert row["SPI(t)"] == f"{summary['spi_t']:.2f}"
    assert row["EAC"] == f"EUR {round(summary['eac']):,}"
    day = dt.date.fromisoformat(summary["forecast_finish"])
    months: tuple[str, ...] = ("Jan", "Feb", "Mar", "Apr", "May", "Jun")
    months += ("Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
    assert row["Forecast finish"] == f"{day.day:02d} {months[day.month - 1]} {day.year}"
    assert row["Methodology"] == summary["methodology"]
    # a project without earned value shows dashes, not 'None' or 'nan'
    row9 = " ".join(text for _, text in row_of(grid, "P-009"))
    assert "None" not in row9
    assert "nan" not in row9


def row_of(grid: dict[str, list[tuple[str, str]]], pid: str) -> list[tuple[str, str]]:
    return grid[pid]


def test_failed_runs_come_first_with_error_and_notebook(batch, markup, page):
    assert markup.index('id="failed"') < markup.index('id="reports"')
    failed = page.tables["failed"][1:]
    keys = [row[0][1] for row in failed]
    assert sorted(keys) == sorted([FAILED_NOW, FAILED_OLDER])
    now = failed[keys.index(FAILED_NOW)]
    assert FAILED_ERROR in now[2][1]
    assert "status_date=2026-05-29" in now[1][1]
    assert "failed notebook" in now[3][1]
    older = failed[keys.index(FAILED_OLDER)]
    assert "older report" in older[4][1]
    assert "earlier batch" in older[4][1]
    assert (f"{FAILED_OLDER}/project-status.html", "older report") in page.links
    # failed runs are not counted in the grid
    assert FAILED_OLDER not in _grid(page)


def test_header(batch, page):
    n = len(batch.manifest["jobs"])
    assert f"Project status: batch of {n}" in page.text
    assert f"{n} reports" in page.text
    assert f"{len(OK_RUNS)} ok · 2 failed" in page.text
    assert "07 Dec 2026 10:30 UTC" in page.text
    # status_date and dataset differ between runs: not common; nothing else is
    assert "Every report with" not in page.text


def test_user_text_is_escaped(markup, page):
    assert "<script" not in markup.lower()
    assert "R&amp;D &lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in markup
    assert EVIL in page.text  # shown to the reader as typed
    assert "&lt;the&gt; latest" in markup


def test_page_is_self_contained(markup):
    assert "http://" not in markup
    assert "https://" not in markup
    for loads in ("<script", "<link", "src=", "@import", "url(", "@font-face"):
        assert loads not in markup.lower(), loads


def test_manifest_argument_wins_and_missing_manifest_is_one_line(batch, tmp_path):
    manifest = json.loads(json.dumps(batch.manifest))
    manifest["title"] = "Weekly <status>"
    page = render_batch_index(batch.out, manifest)
    assert "Weekly &lt;status&gt;: batch of" in page
    with pytest.raises(ValidationError, match=r"manifest\.json: no batch manifest"):
        write_batch_index(tmp_path)
    (tmp_path / "manifest.json").write_text("{not json", encoding="utf-8")
    with pytest.raises(ValidationError, match="not a readable batch manifest"):
        write_batch_index(tmp_path)
    assert not list(tmp_path.glob("*.html"))
    assert not list(tmp_path.glob(".*tmp"))


def test_missing_summary_is_said_not_crashed(tmp_path, sample):
    made = build_batch(tmp_path, sample)
    (tmp_path / "P-002" / "summary.json").unlink()
    page = Page(render_batch_index(tmp_path))
    row = _grid(page)["P-002"]
    assert "no readable summary.json" in row[1][1]
    overall = Counter(
        s["rag"]["overall"] for k, s in made.summaries.items() if k != "P-002"
    )
    assert f"Overall: {overall['red']} red" in page.text


# ---- headline figures of each report ------------------------------------------------


@pytest.fixture(scope="module")
def summaries(sample: Any, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """summary.json of each of the seven reports, as written and read back."""
    folder = tmp_path_factory.mktemp("summaries")
    made: dict[str, Any] = {
        "project-status": project_status(sample, "P-003"),
        "portfolio-overview": portfolio_review(sample),
        "schedule-risk": schedule_risk(sample, "P-003"),
        "risk": risk_review(sample),
        "resource-capacity": capacity_review(sample),
        "governance": governance_review(sample),
        "agile-metrics": agile_metrics(sample, "P-005"),
    }
    read = {}
    for name, result in made.items():
        path = write_summary(folder / f"{name}.json", result.summary())
        read[name] = json.loads(path.read_text(encoding="utf-8"))
    return read


def _date(text: str) -> str:
    return dt.date.fromisoformat(text).strftime("%d %b %Y")


def test_headline_project_status(summaries):
    s = summaries["project-status"]
    h = headline("project-status", s)
    assert [h[a.capitalize()].value for a in AREAS] == [s["rag"][a] for a in AREAS]
    assert h["CPI"].value == s["cpi"]
    assert h["SPI(t)"].value == s["spi_t"]
    assert str(h["EAC"]) == money(s["eac"], s["currency"])
    assert str(h["Forecast finish"]) == _date(s["forecast_finish"])


def test_headline_portfolio_overview(summaries):
    s = summaries["portfolio-overview"]
    h = headline("portfolio-overview", s)
    assert h["Projects"].value == s["projects"]
    counts = s["rag_counts"]
    assert str(h["Overall RAG"]) == (
        f"{counts['red']} red, {counts['amber']} amber, {counts['green']} green, "
        f"{counts['grey']} grey"
    )
    assert str(h["CPI"]) == f"{s['portfolio_cpi']:.2f}"
    assert str(h["EAC"]) == money(s["total_eac"], s["currency"])
    assert str(h["Budget"]) == money(s["total_budget"], s["currency"])


def test_headline_schedule_risk(summaries):
    s = summaries["schedule-risk"]
    h = headline("schedule-risk", s)
    level = f"P{round(s['confidence'] * 100)}"
    assert str(h[f"{level} finish"]) == _date(s["p_confidence"])
    assert str(h["P50 finish"]) == _date(s["p50"])
    assert h[f"Slip at {level}"].value == s["p_confidence_slip_days"]
    assert str(h["Chance on time"]) == f"{round(s['probability_on_time'] * 100)}%"


def test_headline_risk(summaries):
    s = summaries["risk"]
    h = headline("risk", s)
    assert h["Open threats"].value == s["open_threats"]
    assert h["High threats"].value == s["threat_ratings"]["high"]
    assert h["Overdue reviews"].value == len(s["overdue_reviews"])
    assert h["Fired"].value == len(s["fired"])
    reserve = h[f"Reserve ({s['contingency']['label']})"]
    assert str(reserve) == money(s["contingency"]["reserve"], s["currency"])


def test_headline_resource_capacity(summaries):
    s = summaries["resource-capacity"]
    h = headline("resource-capacity", s)
    assert h["People"].value == s["people"]
    assert str(h["Utilisation"]) == f"{round(s['utilisation'] * 100)}%"
    assert h["Over-allocated person-weeks"].value == s["over_allocated_person_weeks"]
    for role in s["bottleneck_roles"]:
        assert role in str(h["Bottleneck roles"])


def test_headline_governance(summaries):
    s = summaries["governance"]
    h = headline("governance", s)
    assert str(h["Compliant"]) == f"{s['compliant']} of {s['projects']}"
    assert h["Findings"].value == s["findings"]
    assert h["Errors"].value == s["findings_by_severity"]["error"]
    assert h["Gate overrides"].value == len(s["gate_overrides"])


def test_headline_agile_metrics(summaries):
    s = summaries["agile-metrics"]
    h = headline("agile-metrics", s)
    assert h["Velocity"].value == s["average_velocity"]
    assert str(h["Commitment reliability"]) == (
        f"{round(s['commitment_reliability'] * 100)}%"
    )
    assert h["Remaining"].value == s["remaining_points"]
    assert str(h["Forecast P85"]) == _date(s["forecast"]["p85"])


def test_headline_unknown_report_and_missing_values():
    h = headline(
        "burn-rate",
        {
            "report": "burn-rate",
            "n": 3,
            "as_of": "2026-06-26",
            "ok": True,
            "table": [1, 2],
            "rate": 0.5,
        },
    )
    assert {k: str(v) for k, v in h.items()} == {
        "N": "3",
        "As of": "26 Jun 2026",
        "Ok": "yes",
        "Rate": "0.50",
    }
    empty = headline("risk", {})
    assert all(f.value is None for f in empty.values())
    assert {str(f) for f in empty.values()} == {"\N{EN DASH}"}


@pytest.mark.parametrize("amount", [0.4, -0.4, 999.5, 1234.5, -2500.0, 1196103.69])
def test_money_as_the_risk_narrative_writes_it(amount):
    assert format_money(amount, "EUR") == money(amount, "EUR")
    assert str(Figure(amount, "money", "EUR")) == money(amount, "EUR")


def test_index_of_another_report(tmp_path, summaries):
    runs = {"P-003": summaries["schedule-risk"], "P-<b>": summaries["schedule-risk"]}
    jobs = {}
    for key, summary in runs.items():
        (tmp_path / key).mkdir()
        (tmp_path / key / "summary.json").write_text(json.dumps(summary), "utf-8")
        (tmp_path / key / "schedule-risk.html").write_text("<p>x</p>", "utf-8")
        jobs[key] = {
            "parameters": {"project_id": key},
            "status": "ok",
            "folder": key,
            "html": f"{key}/schedule-risk.html",
        }
    manifest = {"report": "schedule-risk", "title": "Schedule risk", "jobs": jobs}
    path = write_batch_index(tmp_path, manifest)
    page = Page(path.read_text(encoding="utf-8"))
    heading = [text for _, text in page.tables["figures"][0]]
    assert heading[0] == "Report"
    assert "P50 finish" in heading
    rows = page.tables["figures"][1:]
    assert [row[0][1].split("\n")[0] for row in rows] == ["P-003", "P-<b>"]
    p50 = _date(summaries["schedule-risk"]["p50"])
    assert all(row[heading.index("P50 finish")][1] == p50 for row in rows)
    assert ("P-%3Cb%3E/schedule-risk.html", "P-<b>") in page.links
    assert not (tmp_path / "manifest.json").exists()  # the mapping was used
