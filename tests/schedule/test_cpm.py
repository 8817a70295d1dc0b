"""Critical path method on hand-worked cases (each link type and lag) and bad input."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
import pytest

from pmo_kit import ValidationError
from pmo_kit.schedule import WorkCalendar, critical_path


def net(
    durations: dict[str, int], links: list[tuple[Any, ...]]
) -> tuple[pd.DataFrame, pd.DataFrame]:
    tasks = pd.DataFrame(
        {"task_id": list(durations), "duration": list(durations.values())}
    )
    rows = [
        {"predecessor": p, "successor": s, "type": t, "lag": lag}
        for p, s, t, lag in (
            link if len(link) == 4 else (*link, "FS", 0) for link in links
        )
    ]
    return tasks, pd.DataFrame(
        rows, columns=["predecessor", "successor", "type", "lag"]
    )


# (durations, links, expected ES, EF, LS, LF, TF, FF per task, project finish)
CASES: dict[str, tuple[Any, ...]] = {
    "FS with lag": (
        {"A": 3, "B": 4},
        [("A", "B", "FS", 2)],
        {"A": (0, 3, 0, 3, 0, 0), "B": (5, 9, 5, 9, 0, 0)},
        9,
    ),
    "FS lead (negative lag)": (
        {"A": 5, "B": 3},
        [("A", "B", "FS", -2)],
        {"A": (0, 5, 0, 5, 0, 0), "B": (3, 6, 3, 6, 0, 0)},
        6,
    ),
    "SS with lag": (
        {"A": 5, "B": 4},
        [("A", "B", "SS", 2)],
        {"A": (0, 5, 0, 5, 0, 0), "B": (2, 6, 2, 6, 0, 0)},
        6,
    ),
    "SS lead clamped at the project start": (
        {"A": 2, "B": 3},
        [("A", "B", "SS", -5)],
        {"A": (0, 2, 1, 3, 1, 1), "B": (0, 3, 0, 3, 0, 0)},
        3,
    ),
    "FF with lag": (
        {"A": 5, "B": 3},
        [("A", "B", "FF", 1)],
        {"A": (0, 5, 0, 5, 0, 0), "B": (3, 6, 3, 6, 0, 0)},
        6,
    ),
    "SF": (
        {"A": 4, "B": 2},
        [("A", "B", "SF", 0)],
        {"A": (0, 4, 0, 4, 0, 0), "B": (0, 2, 2, 4, 2, 2)},
        4,
    ),
    "merge with free float on the short branch": (
        {"A": 2, "B": 6, "C": 3, "D": 1},
        [("A", "B"), ("A", "C"), ("B", "D"), ("C", "D")],
        {
            "A": (0, 2, 0, 2, 0, 0),
            "B": (2, 8, 2, 8, 0, 0),
            "C": (2, 5, 5, 8, 3, 3),
            "D": (8, 9, 8, 9, 0, 0),
        },
        9,
    ),
    "total float shared along a chain, free float only at its end": (
        {"A": 10, "B": 2, "C": 3, "D": 0},
        [("A", "D"), ("B", "C"), ("C", "D")],
        {
            "A": (0, 10, 0, 10, 0, 0),
            "B": (0, 2, 5, 7, 5, 0),
            "C": (2, 5, 7, 10, 5, 5),
            "D": (10, 10, 10, 10, 0, 0),
        },
        10,
    ),
}


@pytest.mark.parametrize("case", list(CASES))
def test_hand_worked_cases(case):
    durations, links, expected, finish = CASES[case]
    result = critical_path(*net(durations, links))
    columns = [
        "early_start",
        "early_finish",
        "late_start",
        "late_finish",
        "total_float",
        "free_float",
    ]
    got = {t: tuple(result.loc[t, columns].astype(int).tolist()) for t in durations}
    assert got == expected
    assert result.attrs["project_finish"] == finish
    assert (result["critical"] == (result["total_float"] <= 0)).all()


def test_pert_example_with_most_likely_durations():
    tasks, links = net(
        {"A": 1, "B": 4, "C": 2, "D": 1, "E": 5, "F": 5, "G": 6},
        [("A", "D"), ("B", "E"), ("C", "F"), ("D", "G"), ("E", "G")],
    )
    result = critical_path(tasks, links)
    assert list(result.index[result["critical"]]) == ["B", "E", "G"]
    assert result.attrs["project_finish"] == 15


def test_deadline_shows_negative_float():
    tasks, links = net({"A": 3, "B": 4, "C": 1}, [("A", "B"), ("A", "C")])
    result = critical_path(tasks, links, deadline=5)
    assert result.loc["A", "total_float"] == -2
    assert result.loc["B", "total_float"] == -2
    assert result.loc["C", "total_float"] == 1
    later = critical_path(tasks, links, deadline=20)
    assert later["total_float"].min() == 0  # a later deadline adds no float


def test_start_no_earlier_than():
    tasks, links = net({"A": 3, "B": 2}, [("A", "B")])
    result = critical_path(tasks, links, start_no_earlier_than={"A": 4})
    assert result.loc["A", "early_start"] == 4
    assert result.loc["B", "early_start"] == 7


def test_dates_follow_working_days_and_holidays():
    tasks, links = net({"A": 3, "M": 0, "B": 2}, [("A", "M"), ("M", "B")])
    calendar = WorkCalendar(holidays=["2026-12-25"])
    result = critical_path(tasks, links, start="2026-12-23", calendar=calendar)
    row = result.loc["A"]
    assert row["early_start_date"] == pd.Timestamp("2026-12-23")
    assert row["early_finish_date"] == pd.Timestamp("2026-12-28")  # 23, 24, (25), 28
    assert result.loc["M", "early_start_date"] == pd.Timestamp("2026-12-28")
    assert result.loc["B", "early_start_date"] == pd.Timestamp("2026-12-29")
    assert result.attrs["project_finish_date"] == pd.Timestamp("2026-12-30")


def test_weekend_start_rolls_to_monday():
    tasks, _ = net({"A": 1}, [])
    result = critical_path(tasks, None, start="2026-11-21")  # a Saturday
    assert result.loc["A", "early_start_date"] == pd.Timestamp("2026-11-23")


def test_date_deadline_and_constraint_need_start():
    tasks, links = net({"A": 3, "B": 4}, [("A", "B")])
    result = critical_path(tasks, links, start="2026-01-05", deadline="2026-01-09")
    assert result.loc["A", "total_float"] == -2  # 5 working days available, 7 needed
    with pytest.raises(ValidationError, match="no project `start` was given"):
        critical_path(tasks, links, deadline="2026-01-09")


@pytest.mark.parametrize(
    ("durations", "links", "message"),
    [
        (
            {"A": 1, "B": 1, "C": 1},
            [("A", "B"), ("B", "C"), ("C", "A")],
            r"cycle: (A -> B -> C -> A|B -> C -> A -> B|C -> A -> B -> C)",
        ),
        ({"A": 1}, [("A", "Z")], "link 'A' -> 'Z': successor 'Z' is not a task_id"),
        ({"A": -2}, [], "task 'A', column 'duration': -2 is not allowed"),
        (
            {"A": 1, "B": 1},
            [("A", "B", "XX", 0)],
            "'XX' is not a link type. Allowed: FS, SS",
        ),
        ({"A": 1}, [("A", "A")], "a task cannot depend on itself"),
    ],
)
def test_bad_networks(durations, links, message):
    with pytest.raises(ValidationError, match=message):
        critical_path(*net(durations, links))


def test_duplicate_and_missing_duration():
    tasks = pd.DataFrame({"task_id": ["A", "A"], "duration": [1, 2]})
    with pytest.raises(ValidationError, match="duplicate task_id 'A'"):
        critical_path(tasks)
    tasks = pd.DataFrame({"task_id": ["A", "B"], "duration": [1, None]})
    with pytest.raises(ValidationError, match="task 'B', column 'duration'"):
        critical_path(tasks)


def test_several_projects_are_refused(sample):
    with pytest.raises(ValidationError, match=r"schedule one project at a time"):
        critical_path(sample.tasks, sample.dependencies)


def test_sample_projects_reproduce_their_baseline(sample):
    for project_id in sample.project_ids:
        project = sample.for_project(project_id)
        start = project.project(project_id)["start"]
        result = critical_path(project.tasks, project.dependencies, start=start)
        tasks = project.tasks.set_index("task_id").loc[result.index]
        assert (result["early_start_date"] == tasks["baseline_start"]).all(), project_id
        assert (result["early_finish_date"] == tasks["baseline_finish"]).all(), (
            project_id
        )
        planned = project.project(project_id)["planned_finish"]
        assert result.attrs["project_finish_date"] == planned


def test_deep_chain_is_fine():
    n = 3000
    tasks = pd.DataFrame({"task_id": [f"T{i}" for i in range(n)], "duration": 1})
    links = pd.DataFrame(
        {
            "predecessor": tasks.task_id[:-1].to_numpy(),
            "successor": tasks.task_id[1:].to_numpy(),
        }
    )
    result = critical_path(tasks, links)
    assert result.attrs["project_finish"] == n
    assert np.array_equal(result["early_start"].to_numpy(), np.arange(n))
