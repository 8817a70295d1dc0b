"""Report notebooks run through papermill into a temp folder; checks on summary.json."""

from __future__ import annotations

import base64
import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from pmo_kit import ReportExecutionError, ReportNotFoundError
from pmo_kit.reports import available_reports, describe_report, run_report

REPO = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.notebook


@pytest.fixture(scope="module")
def overview_run(tmp_path_factory):
    return run_report(
        "portfolio-overview", output_dir=tmp_path_factory.mktemp("overview")
    )


def test_portfolio_overview_summary(overview_run, sample):
    summary = overview_run.summary
    assert summary["report"] == "portfolio-overview"
    assert summary["projects"] == len(sample.projects)
    assert summary["total_budget"] == pytest.approx(sample.projects["budget"].sum())
    assert sum(summary["rag_counts"].values()) == len(sample.projects)
    assert summary["rag_counts"]["red"] >= 1
    assert summary["narrative"][0].startswith("The portfolio holds")
    assert summary["states"] == {"reporting": 7, "closed": 1, "not started": 2}
    assert summary["currency"] == sample.currency
    assert summary["total_eac"] >= summary["total_budget"] * 0.9
    assert 0 < summary["portfolio_spi"] < 1.5
    assert 0 < summary["portfolio_cpi"] < 1.5


def test_html_is_self_contained_without_code(overview_run):
    html = overview_run.html.read_text(encoding="utf-8")
    images = re.findall(r'src="data:image/svg\+xml;base64,([A-Za-z0-9+/=]+)"', html)
    assert len(images) >= 2, "both charts are embedded as SVG"
    assert base64.b64decode(images[0]).decode().startswith("<svg")
    assert not re.search(r"<script[^>]+src=", html), "no script may load from outside"
    assert not re.search(r"<link[^>]+href=\"?https?:", html)
    assert "import pmo_kit" not in html  # code cells are hidden
    assert "check_parameters" not in html
    assert "Budget vs spend" in html
    assert "Meridian Works: portfolio overview" in html


def test_every_report_has_typed_annotated_parameters():
    for name in available_reports():
        info = describe_report(name)
        assert info.parameters, name
        assert info.parameters[-1].name == "output_json"
        for parameter in info.parameters:
            assert parameter.type_name in {"str", "int", "float", "bool"}, parameter
            assert parameter.help, (
                f"{name}: parameter {parameter.name} has no help comment"
            )


def test_plain_papermill_runs_the_report(tmp_path):
    notebook = REPO / "notebooks" / "reports" / "portfolio-overview.ipynb"
    summary = tmp_path / "s.json"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "papermill",
            str(notebook),
            str(tmp_path / "out.ipynb"),
            "-p",
            "as_of",
            "2026-05-29",
            "-p",
            "output_json",
            str(summary),
            "--no-progress-bar",
        ],
        check=True,
        capture_output=True,
        cwd=tmp_path,
    )
    assert json.loads(summary.read_text())["as_of"] == "2026-05-29"


def test_plain_papermill_validates_parameters(tmp_path):
    notebook = REPO / "notebooks" / "reports" / "portfolio-overview.ipynb"
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "papermill",
            str(notebook),
            str(tmp_path / "out.ipynb"),
            "-p",
            "as_of",
            "yesterday",
            "--no-progress-bar",
        ],
        check=False,
        capture_output=True,
        text=True,
        cwd=tmp_path,
    )
    assert proc.returncode != 0
    assert "'yesterday' is not a date" in proc.stderr + proc.stdout


def test_failing_report_keeps_executed_notebook(tmp_path, monkeypatch):
    reports = tmp_path / "reports"
    reports.mkdir()
    source = REPO / "notebooks" / "reports" / "portfolio-overview.ipynb"
    broken = json.loads(source.read_text(encoding="utf-8"))
    broken["cells"].insert(
        3,
        {
            "cell_type": "code",
            "metadata": {},
            "id": "boom",
            "execution_count": None,
            "outputs": [],
            "source": "raise RuntimeError('budget file locked')",
        },
    )
    (reports / "portfolio-overview.ipynb").write_text(
        json.dumps(broken), encoding="utf-8"
    )
    monkeypatch.setenv("PMO_KIT_REPORTS", str(reports))
    out = tmp_path / "out"
    with pytest.raises(
        ReportExecutionError, match="RuntimeError: budget file locked"
    ) as info:
        run_report("portfolio-overview", output_dir=out)
    kept = Path(str(info.value.notebook_path))
    assert kept.is_file()
    assert "budget file locked" in kept.read_text(encoding="utf-8")
    assert not (out / "summary.json").exists()


def test_unknown_report():
    with pytest.raises(
        ReportNotFoundError, match=r"Available reports: .*portfolio-overview"
    ):
        run_report("portfolio")


def test_report_ships_with_wheel_layout(tmp_path, monkeypatch):
    shutil.copytree(REPO / "notebooks" / "reports", tmp_path / "r")
    monkeypatch.setenv("PMO_KIT_REPORTS", str(tmp_path / "r"))
    assert "portfolio-overview" in available_reports()
