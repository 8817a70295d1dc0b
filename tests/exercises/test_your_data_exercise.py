"""
Exercise 11 (run a report on an imported plan): right answers pass, mistakes get
their message.

The notebook's given cells are run here on the sample (P-003 Warehouse
Automation, the largest project in execution) into a temporary folder. The right
answers are worked out independently of ``exercises/11_your_data/checks.py``: the
counts from the sample's CSV files with plain pandas and from the XML with
defusedxml, the constrained task from the CSV (the first milestone not done), the
register's figures by hand from the workbook the notebook writes, and the P80 of
a plan without ranges as the PMO copy's forecast at planned durations.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from defusedxml import ElementTree  # type: ignore[import-untyped]

import pmo_kit
from pmo_kit.training import Checker, CheckResult, load_checks
from tests.exercises._notebooks import (
    assert_learner_copy_not_done,
    assert_solution_passes,
    code_cells,
    learner_code,
)

REPO = Path(__file__).resolve().parents[2]
EXERCISE = REPO / "exercises" / "11_your_data"
SOLUTION = EXERCISE / "solution.ipynb"
SAMPLE = REPO / "datasets" / "meridian"
CHECK_NAMES = [
    "q1_imported_counts",
    "q2_constrained_task",
    "q3_mapping",
    "q4_p80_finish",
    "q5_reserve",
]
NS = {"p": "http://schemas.microsoft.com/project"}
PROJECT = "P-003"
# Her register, by hand: chances of the ordinal matrix .1/.3/.5/.7/.9 for levels
# 1..5; Likely 4, Possible 3, Unlikely 2, Possible 3, Almost certain 5; one cost
# each (min = most likely = max), every risk an open threat.
COSTS = [45_000, 20_000, 30_000, 15_000, 25_000]
CHANCES = [0.7, 0.5, 0.3, 0.5, 0.9]
EMV = sum(c * p for c, p in zip(COSTS, CHANCES, strict=True))  # 80,500


def _csv(name: str) -> pd.DataFrame:
    frame = pd.read_csv(SAMPLE / f"{name}.csv", dtype=str)
    return frame[frame["project_id"] == PROJECT]


@pytest.fixture(scope="module")
def given(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """Run the notebook's given cells on the sample; return its variables."""
    cells = code_cells(SOLUTION)
    namespace: dict[str, Any] = {}
    setup = cells["setup"].replace("check = load_checks()\n", "")
    exec(setup, namespace)
    namespace.pop("workspace").cleanup()  # the test's own folder instead
    namespace["folder"] = folder = tmp_path_factory.mktemp("ex11")
    namespace["dataset"] = folder / "dataset"
    for cell in ["project", "plan", "register", "draft"]:
        exec(cells[cell], namespace)
    return namespace


@pytest.fixture(scope="module")
def solved(given: dict[str, Any]) -> dict[str, Any]:
    """The solution's answer cells run after the given cells: every answer."""
    cells = code_cells(SOLUTION)
    namespace = dict(given)
    for cell in ["q1-answer", "q2-answer", "q3-answer", "q4-answer", "q5-answer"]:
        exec(cells[cell], namespace)
    return namespace


@pytest.fixture(scope="module")
def checker() -> Checker:
    return load_checks(EXERCISE)


def _truth() -> dict[str, object]:
    tasks = _csv("tasks")
    done = pd.to_numeric(tasks["percent_complete"]) >= 100
    undone = tasks[(pd.to_numeric(tasks["duration"]) == 0) & ~done]
    return {
        "tasks": len(tasks),
        "links": len(_csv("dependencies")),
        "milestone_id": undone.iloc[0]["task_id"],
        "milestone_name": undone.iloc[0]["name"],
    }


def _run(
    checker: Checker, solved: dict[str, Any], name: str, **answers: object
) -> CheckResult:
    return checker(name, {**solved, **answers})


def test_the_notebook_picks_p003_and_pins_its_next_milestone(given):
    assert given["project_id"] == PROJECT
    root = ElementTree.parse(given["plan"]).getroot()
    pinned = [
        t
        for t in root.iterfind("p:Tasks/p:Task", NS)
        if t.findtext("p:ConstraintType", "0", NS) != "0"
    ]
    assert [t.findtext("p:Name", "", NS) for t in pinned] == [
        _truth()["milestone_name"]
    ]
    assert pinned[0].findtext("p:ConstraintType", "", NS) == "7"


def test_the_draft_mapping_fails_on_the_likelihood(given):
    from pmo_kit.io.excel import read_mapping, read_workbook

    with pytest.raises(pmo_kit.PMOError, match="'probability', 'residual_probability'"):
        read_workbook(given["register_file"], mapping=read_mapping(given["draft_file"]))


def test_exercise_has_its_checks(checker):
    assert list(checker.checks) == CHECK_NAMES


def test_the_solution_answers_what_the_files_say(solved):
    truth = _truth()
    assert (truth["tasks"], truth["links"]) == (31, 38)  # the sample's P-003
    assert solved["tasks_imported"] == truth["tasks"]
    assert solved["links_imported"] == truth["links"]
    assert solved["constrained_task"] == truth["milestone_id"] == "T021"
    imported = pmo_kit.load_portfolio(solved["dataset"])
    risks = imported.risks.set_index("risk_id")
    assert risks["probability"].tolist() == [4, 3, 2, 3, 5]
    assert risks["status"].tolist() == ["open"] * 5  # Monitoring is open
    assert risks["cost_impact_max"].tolist() == COSTS


def test_correct_answers_pass(checker, solved):
    results = checker.all(solved)
    assert [r.outcome for r in results] == ["correct"] * len(CHECK_NAMES), results


def test_a_plan_without_ranges_has_its_forecast_as_p80(solved, sample):
    from pmo_kit.reports import schedule_risk

    imported = pmo_kit.load_portfolio(solved["dataset"])
    tasks = imported.for_project(PROJECT).tasks
    assert tasks[["optimistic", "most_likely", "pessimistic"]].isna().all().all()
    pmo_copy = schedule_risk(sample, PROJECT)
    assert solved["p80_finish"] == pmo_copy.forecast_finish
    assert pmo_copy.p_confidence > pmo_copy.forecast_finish  # the copy has ranges


def test_the_reserve_lies_between_the_emv_and_every_risk_firing(solved):
    from pmo_kit.reports import risk_review

    review = risk_review(pmo_kit.load_portfolio(solved["dataset"]), PROJECT)
    assert review.contingency.emv_sum == pytest.approx(EMV)
    assert EMV < solved["reserve"] <= sum(COSTS)


@pytest.mark.parametrize(
    ("name", "answers"),
    [
        ("q1_imported_counts", {"tasks_imported": 31.0}),
        ("q2_constrained_task", {"constrained_task": " t021 "}),
        ("q2_constrained_task", {"constrained_task": "Installation complete"}),
        ("q4_p80_finish", {"p80_finish": "__forecast__"}),
        ("q5_reserve", {"reserve": "__reserve+0.4__"}),
    ],
    ids=["float-count", "id-case", "task-name", "date-text", "rounding"],
)
def test_equivalent_forms_pass(checker, solved, name, answers):
    if answers.get("p80_finish") == "__forecast__":
        answers = {"p80_finish": f"{solved['p80_finish']:%Y-%m-%d}"}
    if answers.get("reserve") == "__reserve+0.4__":
        answers = {"reserve": solved["reserve"] + 0.4}
    result = _run(checker, solved, name, **answers)
    assert result.passed, result


SOLVED_MAPPING_LINE = "  Chance: [probability, residual_probability]\n"
MONITORING_OPEN = "status: {Open: open, Monitoring: open, Closed: closed}"
DRAFT_STATUS = "status: {Open: open, Closed: closed}"


def _mapping(solved: dict[str, Any], old: str, new: str) -> str:
    text: str = solved["mapping_text"]
    assert old in text
    return text.replace(old, new)


def test_q1_mistakes(checker, solved):
    # every Task element of the XML, counted independently with defusedxml
    root = ElementTree.parse(solved["plan"]).getroot()
    elements = root.findall("p:Tasks/p:Task", NS)
    summaries = [
        t
        for t in elements
        if t.findtext("p:Summary", "", NS) == "1" and t.findtext("p:UID", "", NS) != "0"
    ]
    assert len(elements) == 1 + 31 + len(summaries)
    assert len(summaries) == 6  # WBS 1 .. 6 of P-003
    every = _run(checker, solved, "q1_imported_counts", tasks_imported=len(elements))
    assert every.outcome == "incorrect"
    assert "Task UID 0 is the project itself, and 6 more are summary tasks" in (
        every.message
    )
    no_root = _run(
        checker, solved, "q1_imported_counts", tasks_imported=len(elements) - 1
    )
    assert "leaves out the project summary (UID 0) but still counts the 6" in (
        no_root.message
    )
    swapped = _run(
        checker, solved, "q1_imported_counts", tasks_imported=38, links_imported=31
    )
    assert "You swapped the two: 31 tasks and 38 links" in swapped.message
    text = _run(checker, solved, "q1_imported_counts", links_imported="38")
    assert "`links_imported` is the text '38'" in text.message
    other = _run(checker, solved, "q1_imported_counts", links_imported=40)
    assert other.message.startswith(checker.checks["q1_imported_counts"].hint)
    assert "you have 40 links" in other.message


def test_q2_mistakes(checker, solved):
    root = ElementTree.parse(solved["plan"]).getroot()
    uid = next(
        t.findtext("p:UID", "", NS)
        for t in root.iterfind("p:Tasks/p:Task", NS)
        if t.findtext("p:Name", "", NS) == "Installation complete"
    )
    for answer in (int(uid), uid):
        result = _run(checker, solved, "q2_constrained_task", constrained_task=answer)
        assert result.outcome == "incorrect"
        assert "is the task's UID in MS Project" in result.message, answer
    other = _run(checker, solved, "q2_constrained_task", constrained_task="T031")
    assert "T031 has no constraint in her plan" in other.message
    unknown = _run(checker, solved, "q2_constrained_task", constrained_task="T999")
    assert "'T999' is not a task of the imported plan" in unknown.message
    listed = _run(checker, solved, "q2_constrained_task", constrained_task=["T021"])
    assert "give the task id as text" in listed.message


def test_q3_the_draft_names_her_unmapped_column(checker, solved):
    result = _run(checker, solved, "q3_mapping", mapping_text=solved["draft_mapping"])
    assert result.outcome == "incorrect"
    assert "no column for 'probability', 'residual_probability'" in result.message
    assert "Her column 'Chance' is not in your mapping." in result.message
    assert "Comments" not in result.message  # she may keep it to herself
    assert str(solved["folder"]) not in result.message  # named `mapping_text`


def test_q3_mistakes(checker, solved):
    half = _mapping(solved, SOLVED_MAPPING_LINE, "  Chance: probability\n")
    result = _run(checker, solved, "q3_mapping", mapping_text=half)
    assert "no column for 'residual_probability'" in result.message
    assert "Nothing fills 'residual_probability'" in result.message

    untranslated = _mapping(solved, MONITORING_OPEN, DRAFT_STATUS)
    result = _run(checker, solved, "q3_mapping", mapping_text=untranslated)
    assert "row 3, column 'status': 'Monitoring'" in result.message
    assert "Translate her word under `values`" in result.message

    closed = _mapping(solved, "Monitoring: open", "Monitoring: closed")
    result = _run(checker, solved, "q3_mapping", mapping_text=closed)
    assert "Row 3: 'Monitoring' became 'closed'" in result.message

    wrong_scale = _mapping(solved, "Likely: 4", "Likely: 3")
    result = _run(checker, solved, "q3_mapping", mapping_text=wrong_scale)
    assert "Row 2: 'Likely' became probability 3; the scale says 4" in result.message

    bad_yaml = _mapping(solved, "table: risks", "table: riskz")
    result = _run(checker, solved, "q3_mapping", mapping_text=bad_yaml)
    assert "The mapping cannot be read" in result.message
    assert "'riskz' is not a table" in result.message

    result = _run(checker, solved, "q3_mapping", mapping_text=42)
    assert "`mapping_text` is a int" in result.message


def test_q3_a_working_mapping_must_also_be_imported(checker, solved, tmp_path):
    dataset = tmp_path / "dataset"
    shutil.copytree(solved["dataset"], dataset)
    risks = dataset / "risks.csv"
    header = risks.read_text(encoding="utf-8").splitlines()[0]
    risks.write_text(header + "\n", encoding="utf-8")
    result = _run(checker, solved, "q3_mapping", dataset=dataset)
    assert "Your mapping reads her register. Now import it" in result.message


def test_q4_mistakes(checker, solved, sample):
    from pmo_kit.reports import schedule_risk

    projects = pd.read_csv(SAMPLE / "projects.csv", dtype=str)
    planned = pd.Timestamp(
        str(projects.loc[projects["project_id"] == PROJECT, "planned_finish"].iloc[0])
    )
    result = _run(checker, solved, "q4_p80_finish", p80_finish=planned)
    assert f"{planned:%Y-%m-%d} is the planned (baseline) finish" in result.message
    copy_p80 = schedule_risk(sample, PROJECT).p_confidence
    result = _run(checker, solved, "q4_p80_finish", p80_finish=copy_p80)
    assert "is the P80 of the PMO's own copy of P-003" in result.message
    result = _run(checker, solved, "q4_p80_finish", p80_finish=80)
    assert "is a number, not a date" in result.message


def test_q5_mistakes(checker, solved, sample):
    from pmo_kit.reports import risk_review

    result = _run(checker, solved, "q5_reserve", reserve=EMV)
    assert "80,500 is the EMV sum" in result.message
    copy = risk_review(sample, PROJECT).contingency.reserve
    result = _run(checker, solved, "q5_reserve", reserve=copy)
    assert "is the reserve of the PMO's own register of P-003" in result.message
    result = _run(checker, solved, "q5_reserve", reserve=solved["reserve"] / 1000)
    assert "looks like thousands" in result.message


def test_a_missing_dataset_is_reported(checker, solved, tmp_path):
    result = _run(checker, solved, "q4_p80_finish", dataset=tmp_path / "nothing")
    assert "holds no dataset yet: import the plan into `dataset` first" in (
        result.message
    )


@pytest.mark.parametrize("name", CHECK_NAMES)
def test_placeholder_is_not_done(checker, solved, name):
    variable = checker.checks[name].variables[-1]
    result = checker(name, {**solved, variable: ...})
    assert result.outcome == "not done"
    assert f"`{variable}`" in result.message


def test_learner_copy_has_placeholders_and_no_solution(tmp_path):
    learner = learner_code(SOLUTION, tmp_path, min_length=3)
    for variable in [
        "tasks_imported",
        "links_imported",
        "constrained_task",
        "mapping_text",
        "p80_finish",
        "reserve",
    ]:
        assert f"\n{variable} = ...\n" in f"\n{learner}\n", variable
    assert learner.count("# YOUR CODE HERE") == len(CHECK_NAMES)
    assert "draft_mapping = f" in learner  # the draft stays


@pytest.mark.notebook
def test_learner_copy_runs_and_every_check_is_not_done(tmp_path):
    assert_learner_copy_not_done(SOLUTION, tmp_path, len(CHECK_NAMES))


@pytest.mark.notebook
def test_solution_notebook_answers_every_check(tmp_path):
    assert_solution_passes(SOLUTION, tmp_path, len(CHECK_NAMES))
