"""The course's dataset: environment, then pmo-kit.yaml, then the bundled sample."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

import pmo_kit
from pmo_kit._errors import PMOError
from pmo_kit.training.course_data import (
    DATASET_ENV,
    CourseDataError,
    agile_project,
    course_dataset_path,
    course_portfolio,
    evm_case,
    furthest_behind_project,
    is_sample,
    question_text,
)

if TYPE_CHECKING:
    from pathlib import Path


@pytest.fixture(scope="module")
def team(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("team") / "team7"
    pmo_kit.save_portfolio(pmo_kit.generate_organisation(seed=7, projects=12), folder)
    return folder


def test_nothing_set_means_the_bundled_sample(tmp_path: Path) -> None:
    assert course_dataset_path(tmp_path, environ={}) is None
    portfolio = course_portfolio(tmp_path, environ={})
    assert portfolio.name == "Meridian Works"
    assert is_sample(portfolio)


def test_environment_variable_wins(tmp_path: Path, team: Path) -> None:
    (tmp_path / "pmo-kit.yaml").write_text("dataset: elsewhere\n", encoding="utf-8")
    found = course_dataset_path(tmp_path, environ={DATASET_ENV: str(team)})
    assert found == team.resolve()
    portfolio = course_portfolio(tmp_path, environ={DATASET_ENV: str(team)})
    assert len(portfolio.projects) == 12
    assert not is_sample(portfolio)


def test_settings_file_in_a_parent_relative_to_the_file(
    tmp_path: Path, team: Path
) -> None:
    workshop = tmp_path / "workshop"
    (workshop / "data").mkdir(parents=True)
    (workshop / "notebooks" / "ex05").mkdir(parents=True)
    pmo_kit.save_portfolio(pmo_kit.load_portfolio(team), workshop / "data" / "team7")
    (workshop / "pmo-kit.yaml").write_text(
        "# the workshop's data\ndataset: data/team7\n", encoding="utf-8"
    )
    found = course_dataset_path(workshop / "notebooks" / "ex05", environ={})
    assert found == (workshop / "data" / "team7").resolve()


def test_settings_file_without_dataset_key_means_the_sample(tmp_path: Path) -> None:
    (tmp_path / "pmo-kit.yaml").write_text("other: 1\n", encoding="utf-8")
    assert course_dataset_path(tmp_path, environ={}) is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("dataset: missing\n", "'dataset' = 'missing'"),
        ("dataset: 12\n", "'dataset' is 12"),
        ("- a\n- b\n", "expected a mapping"),
        ("dataset: [unclosed\n", "cannot be read as YAML"),
    ],
)
def test_bad_settings_file_is_one_clear_line(
    tmp_path: Path, text: str, expected: str
) -> None:
    (tmp_path / "pmo-kit.yaml").write_text(text, encoding="utf-8")
    with pytest.raises(CourseDataError) as info:
        course_dataset_path(tmp_path, environ={})
    message = str(info.value)
    assert isinstance(info.value, PMOError)
    assert "\n" not in message
    assert "pmo-kit.yaml" in message
    assert expected in message


def test_bad_environment_variable_names_it(tmp_path: Path) -> None:
    with pytest.raises(CourseDataError, match=r"\$PMO_KIT_DATASET = .*does not exist"):
        course_dataset_path(tmp_path, environ={DATASET_ENV: str(tmp_path / "nope")})
    file = tmp_path / "f.csv"
    file.write_text("x\n", encoding="utf-8")
    with pytest.raises(CourseDataError, match="is a file; give a dataset folder"):
        course_dataset_path(tmp_path, environ={DATASET_ENV: str(file)})


def test_question_text_fills_in_figures() -> None:
    shown = question_text("CPI of **{cpi:.2f}** on {pid}", cpi=0.92891, pid="P-004")
    assert shown.data == "CPI of **0.93** on P-004"
    with pytest.raises(CourseDataError, match="'tcpi'"):
        question_text("{tcpi}")


# the items the exercises are about: worked out here by hand from the status table


def _latest(portfolio: pmo_kit.Portfolio) -> dict[str, tuple[float, float, float]]:
    out: dict[str, tuple[float, float, float]] = {}
    for row in portfolio.status.sort_values("status_date").to_dict("records"):
        out[str(row["project_id"])] = (
            float(row["pv"]),
            float(row["ev"]),
            float(row["ac"]),
        )
    return {k: v for k, v in out.items() if v[0] > 0 and v[2] > 0}


@pytest.mark.parametrize("which", ["sample", "team"])
def test_chosen_items_match_a_hand_computation(which: str, team: Path) -> None:
    portfolio = pmo_kit.load_portfolio(None if which == "sample" else team)
    latest = _latest(portfolio)
    spi = {pid: ev / pv for pid, (pv, ev, _) in latest.items()}
    assert furthest_behind_project(portfolio) == min(spi, key=lambda k: spi[k])
    cpi = {pid: ev / ac for pid, (_, ev, ac) in latest.items()}
    case = evm_case(portfolio)
    assert cpi[case.project_id] < 1.0
    fired = portfolio.risks[portfolio.risks["status"] == "occurred"]
    assert case.risk_id in set(fired["risk_id"])
    assert agile_project(portfolio) in set(portfolio.sprints["project_id"])


def test_sample_choices_are_the_sample_story() -> None:
    # the bundled sample's exercises were written about these items
    portfolio = pmo_kit.load_portfolio()
    assert furthest_behind_project(portfolio) == "P-002"
    case = evm_case(portfolio)
    assert (case.project_id, case.risk_id, case.risk_month) == (
        "P-004",
        "RK-018",
        "May",
    )
    assert agile_project(portfolio) == "P-001"


def test_no_project_over_budget_is_said_clearly() -> None:
    portfolio = pmo_kit.load_portfolio()
    status = portfolio.status.assign(ac=portfolio.status["ev"])
    from dataclasses import replace

    with pytest.raises(CourseDataError, match=r"no project has a CPI below 1\.0"):
        evm_case(replace(portfolio, status=status))
