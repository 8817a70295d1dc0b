"""Resource chart builders: the spec has the marks, encodings and scales promised."""

from __future__ import annotations

from typing import Any

import pandas as pd
import pytest

from pmo_kit import ValidationError
from pmo_kit.charts import (
    UTILISATION_COLORS,
    resource_histogram_chart,
    role_demand_chart,
    utilisation_heatmap,
)
from pmo_kit.resources import capacity_plan, role_outlook


def _rows(spec: dict[str, Any], layer: dict[str, Any]) -> list[dict[str, Any]]:
    data = layer.get("data", spec.get("data"))
    assert data is not None
    return list(spec["datasets"][data["name"]])


@pytest.fixture(scope="module")
def plan(sample):
    return capacity_plan(sample, start="2026-05-04", weeks=12)


def test_heatmap_colours_diverge_at_full_and_labels_the_over_allocated(plan):
    spec = utilisation_heatmap(plan.utilisation).to_dict()
    cells, text = spec["layer"]
    assert cells["mark"]["type"] == "rect"
    assert text["mark"]["type"] == "text"
    colour = cells["encoding"]["color"]
    assert colour["field"] == "shown"
    assert colour["scale"]["domain"][:2] == [0.0, 1.0]  # 100 % is the neutral middle
    assert colour["scale"]["range"] == list(UTILISATION_COLORS.values())
    assert colour["scale"]["range"][1] == "#f4f4f4"
    labels = _rows(spec, text)
    # only Dilan Fischer's seven weeks are labelled
    assert {r["person"] for r in labels} == {"Dilan Fischer (Data Engineer)"}
    assert [r["label"] for r in labels] == [
        "160%",
        "160%",
        "160%",
        "240%",
        "192%",
        "160%",
        "112%",
    ]
    rows = _rows(spec, cells)
    assert len(rows) == 28 * 12
    assert max(r["shown"] for r in rows) == 2.0  # clipped for the colour only
    people = cells["encoding"]["y"]["sort"]
    assert people[0] == "Maya Wagner (Business Analyst)"  # roles A..Z, then names
    assert cells["encoding"]["x"]["sort"][:2] == ["04 May 26", "11 May 26"]


def test_heatmap_top_people_and_all_labels(plan):
    spec = utilisation_heatmap(plan.utilisation, top=3, labels="all").to_dict()
    cells, text = spec["layer"]
    assert len({r["person"] for r in _rows(spec, cells)}) == 3
    assert "Dilan Fischer (Data Engineer)" in {r["person"] for r in _rows(spec, cells)}
    assert all(r["label"].endswith("%") for r in _rows(spec, text))


def test_heatmap_handles_weeks_without_capacity():
    table = pd.DataFrame(
        {
            "resource_id": ["R-1", "R-1", "R-1"],
            "name": ["Ana"] * 3,
            "role": ["Developer"] * 3,
            "week": pd.to_datetime(["2026-06-01", "2026-06-08", "2026-06-15"]),
            "utilisation": [float("inf"), float("nan"), 0.5],
        }
    )
    spec = utilisation_heatmap(table).to_dict()
    cells, text = spec["layer"]
    assert [r["shown"] for r in _rows(spec, cells)] == [2.0, 0.0, 0.5]
    assert [r["label"] for r in _rows(spec, text)] == ["no cap."]


def test_heatmap_rejects_bad_input():
    with pytest.raises(ValidationError, match="utilisation_heatmap needs the column"):
        utilisation_heatmap(pd.DataFrame({"week": []}))
    table = pd.DataFrame(
        {
            "resource_id": ["R-1"],
            "name": ["Ana"],
            "role": ["Developer"],
            "week": pd.to_datetime(["2026-06-01"]),
            "utilisation": [0.5],
        }
    )
    with pytest.raises(ValidationError, match="Allowed: 'over', 'all', 'none'"):
        utilisation_heatmap(table, labels="some")


def test_role_demand_chart_facets_roles_short_ones_first(plan):
    weekly = role_outlook(plan).weekly
    spec = role_demand_chart(weekly).to_dict()
    assert spec["facet"]["field"] == "role"
    assert spec["facet"]["sort"][0] == "Data Engineer"
    assert spec["resolve"]["scale"]["y"] == "independent"
    bars, line = spec["spec"]["layer"]
    assert bars["mark"]["type"] == "bar"
    assert bars["encoding"]["y"]["field"] == "demand_hours"
    assert bars["encoding"]["color"]["scale"]["domain"] == [
        "Within capacity",
        "Short of capacity",
    ]
    assert line["mark"]["type"] == "line"
    assert line["encoding"]["y"]["field"] == "capacity_hours"
    rows = spec["datasets"][spec["data"]["name"]]
    short = [r for r in rows if r["state"] == "Short of capacity"]
    assert {r["role"] for r in short} == {"Data Engineer"}
    assert len(short) == 7


def test_role_demand_chart_chosen_roles(plan):
    weekly = role_outlook(plan).weekly
    spec = role_demand_chart(weekly, roles=["Tester", "Developer"]).to_dict()
    assert spec["facet"]["sort"] == ["Tester", "Developer"]
    rows = spec["datasets"][spec["data"]["name"]]
    assert {r["role"] for r in rows} == {"Tester", "Developer"}
    with pytest.raises(ValidationError, match="'Pilot' is not a role"):
        role_demand_chart(weekly, roles=["Pilot"])


def test_resource_histogram_stacks_people_and_other_work(plan):
    spec = resource_histogram_chart(plan, "P-004").to_dict()
    bars, line = spec["layer"]
    assert bars["mark"]["type"] == "bar"
    assert bars["encoding"]["y"]["stack"] == "zero"
    series = bars["encoding"]["color"]["scale"]["domain"]
    assert "Dilan Fischer" in series
    assert series[-1] == "Other projects"
    rows = _rows(spec, bars)
    week = [r for r in rows if r["week_label"] == "08 Jun 26"]
    fischer = sum(r["hours"] for r in week if r["series"] == "Dilan Fischer")
    assert fischer == pytest.approx(60.0)  # two P-004 tasks at 30 h that week
    other = sum(r["hours"] for r in week if r["series"] == "Other projects")
    assert other > 0  # including her 30 h on P-006
    assert line["mark"]["type"] == "line"
    capacity = _rows(spec, line)
    assert len(capacity) == 12
    assert spec["title"]["text"] == "Resource histogram: P-004"


def test_resource_histogram_without_other_work_and_bad_project(plan):
    spec = resource_histogram_chart(plan, "P-004", others=False).to_dict()
    series = spec["layer"][0]["encoding"]["color"]["scale"]["domain"]
    assert "Other projects" not in series
    with pytest.raises(ValidationError, match="'P-999' has no work booked between"):
        resource_histogram_chart(plan, "P-999")
