"""
The resource-capacity report run with papermill: it renders and writes its summary.

Two kernel runs (the defaults, and names from the data that need escaping); the
figures themselves are checked on :func:`pmo_kit.reports.capacity_review` in
test_capacity_review_function.py.
"""

from __future__ import annotations

import base64
import re

import pandas as pd
import pytest

from pmo_kit import ReportParameterError
from pmo_kit.reports import check_parameters, describe_report, run_report

pytestmark = pytest.mark.notebook


@pytest.fixture(scope="module")
def default_run(tmp_path_factory):
    return run_report(
        "resource-capacity",
        parameters={},
        output_dir=tmp_path_factory.mktemp("resource-capacity"),
    )


def test_parameters_are_declared():
    info = describe_report("resource-capacity")
    assert [p.name for p in info.parameters] == [
        "start",
        "weeks",
        "roles",
        "dates",
        "dataset",
        "output_json",
    ]
    defaults = {p.name: p.default for p in info.parameters}
    assert defaults["start"] == '""'
    assert defaults["weeks"] == "12"
    assert defaults["roles"] == '""'
    assert defaults["dates"] == '"baseline"'
    assert info.title == "Resource capacity"


def test_summary_names_the_over_booked_data_engineer(default_run):
    summary = default_run.summary
    assert summary["report"] == "resource-capacity"
    # empty start: the week of the status date, Fri 2026-06-26
    assert summary["start"] == "2026-06-22"
    assert summary["end"] == "2026-09-13"
    assert summary["weeks"] == 12
    assert summary["roles"] == []
    assert summary["people"] == 28
    # R-020 in the last two weeks of her episode: 60 h and 42 h for 37.5 h
    assert summary["over_allocated_person_weeks"] == 2
    assert summary["peak_utilisation"] == pytest.approx(1.6)
    (only,) = summary["overallocations"]
    assert only["resource_id"] == "R-020"
    assert only["name"] == "Dilan Fischer"
    assert only["first_week"] == "2026-06-22"
    assert only["last_week"] == "2026-06-29"
    assert only["excess_hours"] == pytest.approx(22.5 + 4.5)
    assert set(only["projects"][:2]) == {"P-004", "P-006"}
    assert summary["bottleneck_roles"] == ["Data Engineer"]
    roles = {r["role"]: r for r in summary["roles_outlook"]}
    assert roles["Data Engineer"]["short_weeks"] == 2
    assert roles["Data Engineer"]["short_hours"] == pytest.approx(27.0)
    assert sum(r["bottleneck"] for r in roles.values()) == 1
    assert summary["capacity_hours"] == pytest.approx(
        sum(r["capacity_hours"] for r in roles.values())
    )
    gaps = {g["need"]: g for g in summary["skills_gaps"]}
    assert gaps["dbt"]["uncovered_hours"] == pytest.approx(27.0)
    assert gaps["dbt"]["could_help"] == []
    assert len(summary["most_free"]) == 10
    frees = [p["free_hours"] for p in summary["most_free"]]
    assert frees == sorted(frees, reverse=True)


def test_narrative_says_who_when_how_much_and_where(default_run):
    narrative = default_run.summary["narrative"]
    assert narrative[0].startswith("From the week of 22 Jun 2026 to the week of")
    assert "28 people in 14 roles" in narrative[0]
    person = next(line for line in narrative if line.startswith("Dilan Fischer"))
    assert "(Data Engineer) is over-booked in 2 weeks" in person
    assert "up to 160% of capacity" in person
    assert "27 hours more than they can give" in person
    assert "P-004 Data Retention Compliance" in person
    assert "P-006 Data Platform Modernisation" in person
    bottleneck = next(line for line in narrative if line.startswith("Bottleneck"))
    assert "Data Engineer" in bottleneck
    assert "dbt" in bottleneck
    assert any(line.startswith("For decision") for line in narrative)


def test_html_reads_like_a_pmo_report(default_run):
    html = default_run.html.read_text(encoding="utf-8")
    images = re.findall(r'src="data:image/svg\+xml;base64,([A-Za-z0-9+/=]+)"', html)
    assert len(images) == 2, "heatmap and demand by role as SVG"
    heatmap, roles = (base64.b64decode(image).decode() for image in images)
    assert "Dilan Fischer (Data Engineer)" in heatmap
    assert "160%" in heatmap
    assert "Demand against capacity by role" in roles
    assert not re.search(r"<script[^>]+src=", html), "no script may load from outside"
    assert "import pmo_kit" not in html
    assert "write_summary" not in html
    assert "Meridian Works: resource capacity" in html
    for heading in [
        "Headlines",
        "Utilisation by person and week",
        "Demand against capacity by role",
        "Over-allocations",
        "Skills gaps",
        "People with the most free time",
        "Method and assumptions",
    ]:
        assert heading in html, heading


def test_names_from_the_data_are_escaped(tmp_path, dataset_copy):
    file = dataset_copy / "resources.csv"
    people = pd.read_csv(file, dtype=str, keep_default_na=False)
    evil = "<script>alert('x')</script> Dilan & <b>Co</b>"
    people.loc[people["resource_id"] == "R-020", "name"] = evil
    people.to_csv(file, index=False)
    result = run_report(
        "resource-capacity",
        parameters={"dataset": str(dataset_copy), "start": "2026-05-04"},
        output_dir=tmp_path,
    )
    assert result.summary["overallocations"][0]["name"] == evil
    assert result.html is not None
    html = result.html.read_text(encoding="utf-8")
    assert "<script>alert" not in html
    assert "<b>Co</b>" not in html
    shown = "&lt;script&gt;alert('x')&lt;/script&gt; Dilan &amp; &lt;b&gt;Co&lt;/b&gt;"
    assert f"<li>{shown} (Data Engineer) is over-booked in 7 weeks" in html
    assert html.count(shown) >= 3  # narrative, over-allocations, skills gaps


@pytest.mark.parametrize(
    ("parameters", "message"),
    [
        (
            {"weeks": 0},
            "parameter 'weeks' of report 'resource-capacity': 0 is out of range. "
            "Allowed: [1, 104]",
        ),
        (
            {"weeks": 105},
            "parameter 'weeks' of report 'resource-capacity': 105 is out of range.",
        ),
        (
            {"start": "next monday"},
            "parameter 'start' of report 'resource-capacity': 'next monday' is not "
            "a date",
        ),
    ],
    ids=["weeks-0", "weeks-105", "start-not-a-date"],
)
def test_bad_values_fail_in_the_runner_before_the_notebook(
    tmp_path, parameters, message
):
    with pytest.raises(ReportParameterError) as info:
        run_report("resource-capacity", parameters=parameters, output_dir=tmp_path)
    assert message in str(info.value)
    assert not (tmp_path / "resource-capacity.ipynb").exists()


def test_check_parameters_converts_command_line_text():
    values = check_parameters("resource-capacity", weeks="26", start="2026-07-06")
    assert values == {"weeks": 26, "start": "2026-07-06"}
