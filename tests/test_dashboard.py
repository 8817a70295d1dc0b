"""
The live portfolio dashboard without a browser: filters, widget, drill-down, server.

Expected projects come from reading ``projects.csv`` and ``status.csv`` with the
``csv`` module, never from the functions under test. The real Voila page is tested
in ``tests/browser/test_dashboard_in_browser.py``.
"""

from __future__ import annotations

import csv
import dataclasses
import html
import json
import re
import socket
import subprocess
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
from click.testing import CliRunner

import pmo_kit
from pmo_kit.cli_dashboard import DASHBOARD_DEFAULTS, dashboard_command
from pmo_kit.dashboard import (
    DATASET_VARIABLE,
    INSTALL_HINT,
    TEMPLATE_NAME,
    dashboard_notebook_path,
    serve_dashboard,
    voila_command,
    voila_environment,
)
from pmo_kit.data.portfolio import bundled_dataset_path
from pmo_kit.reports.portfolio_review import portfolio_review
from pmo_kit.reports.project_status import project_status
from pmo_kit.widgets import portfolio_dashboard
from pmo_kit.widgets.dashboard_views import (
    ALL,
    NO_MATCH,
    PARTS,
    chart_svg,
    filter_projects,
    portfolio_table_html,
    project_status_html,
)

if TYPE_CHECKING:
    from collections.abc import Iterator

REPO = Path(__file__).resolve().parent.parent
NOTEBOOK = REPO / "notebooks" / "dashboard" / "portfolio-dashboard.ipynb"


def _rows(name: str) -> list[dict[str, str]]:
    with (bundled_dataset_path() / name).open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


PROJECTS = _rows("projects.csv")
EVERY_ID = [row["project_id"] for row in PROJECTS]
NAMES = {row["project_id"]: row["name"] for row in PROJECTS}


def _ids_where(**wanted: str | set[str]) -> list[str]:
    def passes(row: dict[str, str]) -> bool:
        for column, value in wanted.items():
            allowed = {value} if isinstance(value, str) else value
            if row[column] not in allowed:
                return False
        return True

    return [row["project_id"] for row in PROJECTS if passes(row)]


@pytest.fixture(scope="module")
def portfolio() -> pmo_kit.Portfolio:
    return pmo_kit.load_portfolio()


@pytest.fixture(scope="module")
def overview(portfolio):
    return portfolio_review(portfolio).overview


# ----------------------------------------------------------------- filter functions


def test_no_filter_keeps_every_project_in_order(overview):
    assert list(filter_projects(overview)["project_id"]) == EVERY_ID
    everything = filter_projects(
        overview, programme=ALL, phase=None, overall_rag=[], methodology=[ALL]
    )
    assert list(everything["project_id"]) == EVERY_ID


def test_methodology_filter_matches_projects_csv(overview):
    expected = _ids_where(methodology="agile")
    assert expected  # the sample has agile projects
    assert list(filter_projects(overview, methodology="agile")["project_id"]) == (
        expected
    )


def test_filters_combine_with_and_values_with_or(overview):
    expected = _ids_where(
        programme={"Digital Core", "Operational Excellence"}, phase="execution"
    )
    shown = filter_projects(
        overview,
        programme=["Digital Core", "Operational Excellence"],
        phase="execution",
    )
    assert list(shown["project_id"]) == expected
    assert 0 < len(expected) < len(EVERY_ID)


def test_grey_rag_filter_is_the_projects_without_earned_value(overview):
    # grey = nothing to rate: no row in status.csv (derived from the file)
    reporting = {row["project_id"] for row in _rows("status.csv")}
    expected = [pid for pid in EVERY_ID if pid not in reporting]
    assert expected
    assert list(filter_projects(overview, overall_rag="grey")["project_id"]) == (
        expected
    )


def test_unknown_filter_value_is_one_clear_error(overview):
    with pytest.raises(pmo_kit.ValidationError) as info:
        filter_projects(overview, methodology="Agile")
    message = str(info.value)
    assert "'Agile'" in message
    assert "`methodology`" in message
    assert "'agile'" in message
    assert "\n" not in message


def _phase_without_agile() -> str:
    agile = set(_ids_where(methodology="agile"))
    phases = {row["phase"] for row in PROJECTS if row["project_id"] in agile}
    absent = sorted({row["phase"] for row in PROJECTS} - phases)
    assert absent, "the sample has a phase no agile project is in"
    return absent[0]


def test_empty_result_says_so_instead_of_an_empty_table(portfolio, overview):
    phase = _phase_without_agile()
    shown = filter_projects(overview, methodology="agile", phase=phase)
    assert shown.empty
    text = portfolio_table_html(portfolio_review(portfolio), shown)
    assert NO_MATCH in text
    assert "<table" not in text


# ------------------------------------------------------------------------- the widget


def _walk(widget: Any) -> Iterator[Any]:
    yield widget
    for child in getattr(widget, "children", ()):
        yield from _walk(child)


def _part(dashboard: Any, key: str) -> Any:
    found = [w for w in _walk(dashboard) if PARTS[key] in w._dom_classes]
    assert len(found) == 1, (key, found)
    return found[0]


def _table_ids(markup: str) -> list[str]:
    rows = re.findall(r"<tr>(.*?)</tr>", markup.split("<tbody>", 1)[-1])
    return [html.unescape(re.sub("<[^>]+>", "", row.split("</td>")[0])) for row in rows]


def _text(markup: str) -> str:
    return " ".join(html.unescape(re.sub("<[^>]+>", " ", markup)).split())


@pytest.fixture(scope="module")
def dashboard(portfolio):
    return portfolio_dashboard(portfolio)


def test_widget_builds_with_every_part_and_every_project(dashboard):
    for key in PARTS:
        _part(dashboard, key)
    assert _table_ids(_part(dashboard, "table").value) == EVERY_ID
    assert f"{len(EVERY_ID)} of {len(EVERY_ID)} projects shown" in _text(
        _part(dashboard, "headline").value
    )
    charts = _part(dashboard, "charts").value
    assert charts.count("<svg") >= 2
    assert "vega-embed" not in charts  # drawn in the kernel, no script
    for key, label in (("programme", "Programme"), ("methodology", "Methodology")):
        box = _part(dashboard, key)
        assert box.description == label
        assert box.value == ALL


def test_changing_a_filter_updates_table_headline_and_charts(dashboard):
    methodology = _part(dashboard, "methodology")
    expected = _ids_where(methodology="agile")
    before = _part(dashboard, "charts").value
    try:
        methodology.value = "agile"
        assert _table_ids(_part(dashboard, "table").value) == expected
        headline = _text(_part(dashboard, "headline").value)
        assert f"{len(expected)} of {len(EVERY_ID)} projects shown" in headline
        charts = _part(dashboard, "charts").value
        assert charts != before
        assert all(NAMES[pid] in charts for pid in expected)
        others = [pid for pid in EVERY_ID if pid not in expected]
        assert not any(NAMES[pid] in charts for pid in others)
    finally:
        methodology.value = ALL
    assert _table_ids(_part(dashboard, "table").value) == EVERY_ID


def test_no_match_in_the_widget(dashboard):
    boxes = _part(dashboard, "methodology"), _part(dashboard, "phase")
    try:
        boxes[0].value, boxes[1].value = "agile", _phase_without_agile()
        assert NO_MATCH in _text(_part(dashboard, "table").value)
        assert "<svg" not in _part(dashboard, "charts").value
        assert f"0 of {len(EVERY_ID)} projects shown" in _text(
            _part(dashboard, "headline").value
        )
    finally:
        boxes[0].value = boxes[1].value = ALL


def test_picking_a_project_shows_its_status_sections(dashboard, portfolio):
    picker = _part(dashboard, "picker")
    assert [value for _, value in picker.options][1:] == EVERY_ID
    status = project_status(portfolio, "P-002")
    picker.value = "P-002"
    shown = _text(_part(dashboard, "status").value)
    assert NAMES["P-002"] in shown
    for area in status.areas.values():
        assert " ".join(area.reason.split()) in shown
    for heading in (
        "Status at a glance",
        "Decisions needed",
        "What changed",
        "Earned value",
        "Top risks",
        "Milestones",
    ):
        assert heading in shown
    picker.value = ""
    assert "Pick a project" in _text(_part(dashboard, "status").value)


def test_status_html_escapes_user_text(portfolio):
    projects = portfolio.projects.copy()
    projects.loc[projects["project_id"] == "P-001", "name"] = "Portal <b>& co</b>"
    changed = dataclasses.replace(portfolio, projects=projects)
    markup = project_status_html(project_status(changed, "P-001"))
    assert "<b>&" not in markup
    assert "Portal &lt;b&gt;&amp; co&lt;/b&gt;" in markup


def test_chart_svg_is_inline_svg_and_leaves_the_theme_alone(overview):
    import altair as alt

    from pmo_kit.charts import rag_grid_chart

    active = alt.theme.active
    svg = chart_svg(rag_grid_chart(overview))
    assert "<svg" in svg
    assert "<script" not in svg
    assert alt.theme.active == active


# ------------------------------------------------------------------- notebook, server


def test_notebook_is_committed_clean_and_thin():
    assert dashboard_notebook_path() == NOTEBOOK
    notebook = json.loads(NOTEBOOK.read_text(encoding="utf-8"))
    assert notebook["metadata"]["kernelspec"]["name"] == "python3"
    code = [c for c in notebook["cells"] if c["cell_type"] == "code"]
    assert all(c.get("id") for c in notebook["cells"])
    assert all(c["outputs"] == [] and c["execution_count"] is None for c in code)
    assert "parameters" in code[0]["metadata"]["tags"]
    assert DATASET_VARIABLE in "".join(code[0]["source"])
    source = "\n".join("".join(c["source"]) for c in code)
    assert "def " not in source
    assert "class " not in source
    assert "portfolio_dashboard(" in source


def test_template_has_no_network_address():
    folder = Path(pmo_kit.__file__).parent / "_voila" / "voila" / "templates"
    template = folder / TEMPLATE_NAME
    assert json.loads((template / "conf.json").read_text())["base_template"] == "lab"
    text = (template / "index.html.j2").read_text(encoding="utf-8")
    assert "http" not in text


def test_voila_command_and_environment(tmp_path):
    command = voila_command("x.ipynb", port=9123, host="0.0.0.0", open_browser=False)
    assert command[:4] == [sys.executable, "-m", "voila", "x.ipynb"]
    assert {"--port=9123", "--Voila.ip=0.0.0.0", "--no-browser"} <= set(command)
    assert f"--template={TEMPLATE_NAME}" in command
    assert "--no-browser" not in voila_command("x.ipynb")
    env = voila_environment(tmp_path, base={"JUPYTER_PATH": "/elsewhere"})
    assert env[DATASET_VARIABLE] == str(tmp_path.resolve())
    first, rest = env["JUPYTER_PATH"].split(":", 1)
    assert (Path(first) / "voila" / "templates" / TEMPLATE_NAME).is_dir()
    assert rest == "/elsewhere"
    assert voila_environment(None, base={})[DATASET_VARIABLE] == ""


def test_serve_checks_everything_before_starting():
    assert serve_dashboard(bundled_dataset_path(), port=_free_port(), no_run=True) == 0


def test_serve_refuses_a_folder_that_is_not_a_dataset(tmp_path):
    with pytest.raises(pmo_kit.ValidationError) as info:
        serve_dashboard(tmp_path / "nope", no_run=True)
    assert "nope" in str(info.value)
    assert "\n" not in str(info.value)


def test_serve_without_voila_names_the_install(monkeypatch):
    import importlib.util

    real = importlib.util.find_spec

    def find_spec(name: str, *args: Any) -> Any:
        return None if name == "voila" else real(name, *args)

    monkeypatch.setattr(importlib.util, "find_spec", find_spec)
    with pytest.raises(pmo_kit.MissingDependencyError) as info:
        serve_dashboard(no_run=True)
    assert str(info.value) == INSTALL_HINT
    assert "pip install 'pmo-kit[dashboard]'" in INSTALL_HINT


def test_serve_refuses_a_busy_port():
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        with pytest.raises(pmo_kit.PMOError, match=f"port {port}"):
            serve_dashboard(port=port, no_run=True)


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


# ------------------------------------------------------------------------------ CLI


def test_cli_defaults_are_the_library_defaults():
    defaults = serve_dashboard.__kwdefaults__
    assert defaults is not None
    assert {k: defaults[k] for k in DASHBOARD_DEFAULTS} == DASHBOARD_DEFAULTS


def test_cli_bad_dataset_is_one_line(tmp_path):
    result = CliRunner().invoke(
        dashboard_command, ["--dataset", str(tmp_path / "missing"), "--no-browser"]
    )
    assert result.exit_code == 1
    lines = result.output.strip().splitlines()
    assert len(lines) == 1
    assert lines[0].startswith("Error: ")
    assert "missing" in lines[0]


def test_cli_module_imports_only_click():
    code = (
        "import sys, pmo_kit.cli_dashboard; print(','.join(m for m in "
        "('pandas', 'altair', 'ipywidgets', 'voila', 'pmo_kit.dashboard') "
        "if m in sys.modules))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert out.stdout.strip() == ""
