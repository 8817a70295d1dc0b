"""The charter model: reading, structural errors, atomic saving."""

from __future__ import annotations

import datetime as dt
import os
import shutil
from typing import Any

import pytest
import yaml

import pmo_kit
from pmo_kit import ValidationError
from pmo_kit.charter import (
    Approval,
    Budget,
    Charter,
    Milestone,
    Objective,
    ProjectManager,
    Sponsor,
    load_charter,
    save_charter,
)

from .conftest import read

SAMPLE_IDS = [f"P-{i:03d}" for i in range(1, 11)]


# ------------------------------------------------------------------------ reading


@pytest.mark.parametrize("project_id", SAMPLE_IDS)
def test_every_sample_charter_loads(charter_dir, project_id):
    charter = load_charter(charter_dir / f"{project_id}.yaml")
    assert charter.project_id == project_id
    assert charter.source == str(charter_dir / f"{project_id}.yaml")


def test_p001_is_read_field_by_field(charter_dir):
    c = load_charter(charter_dir / "P-001.yaml")
    assert c.title == "Customer Portal Relaunch"
    assert c.objectives[0] == Objective(
        "Shift routine service requests to self-service",
        "share of service requests raised online",
        "60%",
        dt.date(2027, 8, 7),
    )
    assert len(c.objectives) == 3
    assert c.requirements[1] == "WCAG 2.2 AA accessibility"
    assert c.scope_out == (
        "Native mobile apps",
        "Changes to the billing system",
        "Call-centre telephony",
    )
    assert c.milestones[-1] == Milestone("Project complete", dt.date(2026, 9, 11))
    assert c.budget == Budget(317100.0, "EUR", 30000.0)
    assert c.stakeholders[2].role == "Data Protection Officer"
    assert c.sponsor is not None
    assert c.sponsor.name == "Sofia Marin"
    assert c.manager == ProjectManager(
        "Finn Garcia",
        "Manages budget within 5% and schedule within 10 working days; escalates "
        "anything beyond to the sponsor",
        "R-001",
    )
    assert c.approval == Approval("Sofia Marin", dt.date(2026, 2, 24))
    assert c.is_approved
    assert c.start is None
    assert c.planned_finish is None


def test_the_flawed_samples_keep_their_gaps(charter_dir):
    p002 = load_charter(charter_dir / "P-002.yaml")
    assert p002.objectives[0] == Objective(
        "Improve finance processes", None, None, dt.date(2027, 3, 7)
    )
    assert p002.scope_out == ()
    p003 = load_charter(charter_dir / "P-003.yaml")
    assert p003.approval is None
    assert not p003.is_approved
    assert p003.budget is not None
    assert p003.budget.contingency == 0


def test_unquoted_yaml_dates_and_numbers_are_accepted(good):
    good["approval"]["date"] = dt.date(2026, 2, 24)  # `date: 2026-02-24` unquoted
    good["objectives"][0]["target"] = 60  # `target: 60`
    c = Charter.from_dict(good)
    assert c.approval == Approval("Sofia Marin", dt.date(2026, 2, 24))
    assert c.objectives[0].target == "60"


def test_optional_dates_are_read_and_written(good, tmp_path):
    good["start"] = "2026-01-29"
    good["planned_finish"] = "2026-09-11"
    c = Charter.from_dict(good)
    assert (c.start, c.planned_finish) == (dt.date(2026, 1, 29), dt.date(2026, 9, 11))
    assert list(c.to_dict())[:4] == ["project_id", "title", "start", "planned_finish"]
    assert load_charter(save_charter(c, tmp_path / "P-001.yaml")) == c


def test_minimal_charter_needs_only_id_and_title():
    c = Charter.from_dict({"project_id": "P-099", "title": "Pilot"})
    assert c == Charter("P-099", "Pilot")
    assert c.objectives == ()
    assert c.budget is None
    assert c.approval is None


def test_contingency_share():
    assert Budget(200_000, contingency=30_000).contingency_share == 0.15
    assert Budget(200_000).contingency_share is None
    assert Budget(0, contingency=5).contingency_share is None


# -------------------------------------------------------------- structural errors

WHERE = "charters/P-001.yaml"


def _problems(data: Any) -> list[str]:
    with pytest.raises(ValidationError) as info:
        Charter.from_dict(data, source=WHERE)
    return info.value.problems


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (
            lambda d: d["budget"].update(amount="lots"),
            "charters/P-001.yaml, field 'budget.amount': 'lots' is not a number. "
            "Allowed: a number >= 0",
        ),
        (
            lambda d: d["budget"].update(amount=-5),
            "charters/P-001.yaml, field 'budget.amount': -5 is out of range. "
            "Allowed: a number >= 0",
        ),
        (
            lambda d: d["budget"].update(contingency=True),
            "charters/P-001.yaml, field 'budget.contingency': True is not a number. "
            "Allowed: a number >= 0",
        ),
        (
            lambda d: d["milestones"][2].update(date="2026-13-01"),
            "charters/P-001.yaml, field 'milestones[2].date': '2026-13-01' is not a "
            "date in the calendar. Allowed: a date as YYYY-MM-DD",
        ),
        (
            lambda d: d["objectives"][1].update(due="next spring"),
            "charters/P-001.yaml, field 'objectives[1].due': 'next spring' is not a "
            "date. Allowed: a date as YYYY-MM-DD",
        ),
        (
            lambda d: d["milestones"][0].pop("date"),
            "charters/P-001.yaml, field 'milestones[0].date': required but missing. "
            "Allowed: a date as YYYY-MM-DD",
        ),
        (
            lambda d: d.pop("title"),
            "charters/P-001.yaml, field 'title': required but missing. "
            "Allowed: non-empty text",
        ),
        (
            lambda d: d.update(project_id="  "),
            "charters/P-001.yaml, field 'project_id': required but missing. "
            "Allowed: non-empty text",
        ),
        (
            lambda d: d.update(scope_out="Native mobile apps"),
            "charters/P-001.yaml, field 'scope_out': 'Native mobile apps' is not a "
            "list. Allowed: a list of texts (in YAML, one '- item' line each)",
        ),
        (
            lambda d: d["requirements"].append({"text": "SSO"}),
            "charters/P-001.yaml, field 'requirements[4]': {'text': 'SSO'} is not "
            "text. Allowed: text",
        ),
        (
            lambda d: d.update(sponsor="Sofia Marin"),
            "charters/P-001.yaml, field 'sponsor': 'Sofia Marin' is not a mapping. "
            "Allowed: 'key: value' lines",
        ),
        (
            lambda d: d["objectives"].append("Be great"),
            "charters/P-001.yaml, field 'objectives[3]': 'Be great' is not a mapping. "
            "Allowed: 'key: value' lines",
        ),
        (
            lambda d: d.update(sponser=d.pop("sponsor")),
            "charters/P-001.yaml, field 'sponser': unknown field (did you mean "
            "'sponsor'?). Allowed: project_id, title, start, planned_finish, purpose, "
            "objectives, requirements, scope_in, scope_out, milestones, budget, "
            "stakeholders, sponsor, manager, assumptions, constraints, risks, approval",
        ),
        (
            lambda d: d["budget"].update(contigency=1000),
            "charters/P-001.yaml, field 'budget.contigency': unknown field (did you "
            "mean 'contingency'?). Allowed: amount, currency, contingency",
        ),
        (
            lambda d: d["approval"].update(approved_by=None),
            "charters/P-001.yaml, field 'approval.approved_by': required but missing. "
            "Allowed: non-empty text",
        ),
    ],
    ids=[
        "amount-text",
        "amount-negative",
        "contingency-bool",
        "date-not-in-calendar",
        "date-words",
        "milestone-date-missing",
        "title-missing",
        "project-id-blank",
        "list-is-text",
        "list-item-mapping",
        "sponsor-is-text",
        "objective-is-text",
        "unknown-top-level-key",
        "unknown-nested-key",
        "approver-missing",
    ],
)
def test_structural_error_names_file_field_value_and_what_is_allowed(
    good, change, expected
):
    change(good)
    assert _problems(good) == [expected]


def test_every_problem_is_listed_and_the_message_counts_them(good):
    good["budget"]["amount"] = "lots"
    good["milestones"][1]["date"] = "soon"
    good["extra"] = 1
    with pytest.raises(ValidationError) as info:
        Charter.from_dict(good, source=WHERE)
    assert len(info.value.problems) == 3
    assert str(info.value).endswith("(+2 more problems)")
    assert [p.split(":")[0] for p in info.value.problems] == [
        "charters/P-001.yaml, field 'extra'",
        "charters/P-001.yaml, field 'milestones[1].date'",
        "charters/P-001.yaml, field 'budget.amount'",
    ]


def test_not_a_mapping_is_named():
    with pytest.raises(
        ValidationError, match=r"x.yaml: expected a charter .* got list"
    ):
        Charter.from_dict(["a"], source="x.yaml")
    with pytest.raises(ValidationError, match="got an empty file"):
        Charter.from_dict(None, source="x.yaml")


def test_default_source_is_the_project_id(good):
    good["budget"]["amount"] = "lots"
    with pytest.raises(ValidationError, match=r"^charter P-001, field 'budget.amount'"):
        Charter.from_dict(good)


# ----------------------------------------------------------------- file problems


def test_missing_file(tmp_path):
    with pytest.raises(ValidationError, match=r"charter file '.*P-404.yaml' does not"):
        load_charter(tmp_path / "P-404.yaml")


def test_folder_is_not_a_charter(tmp_path):
    (tmp_path / "P-001.yaml").mkdir()
    with pytest.raises(ValidationError, match="is a folder, not a charter file"):
        load_charter(tmp_path / "P-001.yaml")


def test_malformed_yaml_names_file_and_line_and_leaves_the_file(tmp_path):
    path = tmp_path / "P-001.yaml"
    text = "project_id: P-001\ntitle: Portal\nscope_in:\n- one\n  - two: [\n"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ValidationError) as info:
        load_charter(path)
    message = str(info.value)
    assert message.startswith(f"{str(path)!r} is not valid YAML (line 5, column ")
    assert path.read_text(encoding="utf-8") == text


def test_latin1_file_is_named(tmp_path):
    path = tmp_path / "P-001.yaml"
    path.write_bytes("project_id: P-001\ntitle: Caf\xe9\n".encode("latin-1"))
    with pytest.raises(ValidationError, match="not valid UTF-8"):
        load_charter(path)


# ------------------------------------------------------------------------- saving


@pytest.mark.parametrize("project_id", SAMPLE_IDS)
def test_save_then_load_gives_the_same_charter(charter_dir, tmp_path, project_id):
    original = load_charter(charter_dir / f"{project_id}.yaml")
    path = save_charter(original, tmp_path / f"{project_id}.yaml")
    assert load_charter(path) == original


@pytest.mark.parametrize("project_id", ["P-001", "P-002", "P-003"])
def test_saved_file_has_the_generator_format(charter_dir, tmp_path, project_id):
    original = charter_dir / f"{project_id}.yaml"
    path = save_charter(load_charter(original), tmp_path / "out.yaml")
    assert yaml.safe_load(path.read_text("utf-8")) == yaml.safe_load(
        original.read_text("utf-8")
    )
    assert path.read_text("utf-8") == original.read_text("utf-8")


def test_failed_dump_leaves_the_old_file_intact(charter_dir, tmp_path, monkeypatch):
    target = tmp_path / "P-001.yaml"
    shutil.copy(charter_dir / "P-001.yaml", target)
    before = target.read_bytes()
    changed = Charter.from_dict({**read("P-001"), "title": "Renamed"})

    def broken_dump(*args, **kwargs):
        msg = "disk full while dumping"
        raise yaml.YAMLError(msg)

    monkeypatch.setattr(yaml, "dump", broken_dump)  # what save_charter calls
    with pytest.raises(yaml.YAMLError):
        save_charter(changed, target)
    assert target.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["P-001.yaml"]


def test_failed_rename_leaves_the_old_file_and_no_temp_file(
    charter_dir, tmp_path, monkeypatch
):
    target = tmp_path / "P-001.yaml"
    shutil.copy(charter_dir / "P-001.yaml", target)
    before = target.read_bytes()
    changed = Charter.from_dict({**read("P-001"), "title": "Renamed"})

    def broken_replace(*args, **kwargs):
        msg = "rename failed"
        raise OSError(msg)

    monkeypatch.setattr(os, "replace", broken_replace)
    with pytest.raises(OSError, match="rename failed"):
        save_charter(changed, target)
    assert target.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["P-001.yaml"]


def test_save_refuses_a_dict(tmp_path):
    with pytest.raises(ValidationError, match="is not a Charter"):
        save_charter({"project_id": "P-1"}, tmp_path / "x.yaml")  # type: ignore[arg-type]


def test_charter_is_immutable(good):
    c = Charter.from_dict(good)
    with pytest.raises(AttributeError):
        c.title = "x"  # type: ignore[misc]
    assert Charter.from_dict(c.to_dict()) == c
    assert c.sponsor == Sponsor(
        "Sofia Marin",
        "Chief Commercial Officer; approves changes to budget, scope and objectives "
        "beyond the project manager's tolerances",
    )


# ----------------------------------------------------- load_portfolio uses the model


def test_load_portfolio_reports_a_structurally_broken_charter(dataset_copy):
    path = dataset_copy / "charters" / "P-004.yaml"
    data = yaml.safe_load(path.read_text("utf-8"))
    data["budget"]["amount"] = "lots"
    data["milestones"][0]["date"] = "2026-02-30"
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    with pytest.raises(ValidationError) as info:
        pmo_kit.load_portfolio(dataset_copy)
    assert info.value.problems == [
        f"{path}, field 'milestones[0].date': '2026-02-30' is not a date in the "
        "calendar. Allowed: a date as YYYY-MM-DD",
        f"{path}, field 'budget.amount': 'lots' is not a number. "
        "Allowed: a number >= 0",
    ]


def test_load_portfolio_still_checks_the_project_id(dataset_copy):
    path = dataset_copy / "charters" / "P-004.yaml"
    text = path.read_text("utf-8").replace("project_id: P-004", "project_id: P-005")
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ValidationError, match="'P-005' does not match the file name"):
        pmo_kit.load_portfolio(dataset_copy)
