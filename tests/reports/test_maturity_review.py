"""
The maturity review on the sample self-assessment, answer files, and the notebook.

Expected levels are derived by hand from ``pmo_kit/maturity/sample_answers.yaml``
with the published rule (docs/maturity.md): a level is achieved when its two
statements score >= 3 of 4 points (threshold 0.75); an area's level is the highest
L with every level 1..L achieved; several raters: the median level, rounded down.
"""

from __future__ import annotations

import json
import re
import statistics
from pathlib import Path

import pytest
import yaml

from pmo_kit import ValidationError
from pmo_kit.maturity.answers import SAMPLE_ANSWERS_PATH, read_answers
from pmo_kit.reports.maturity_review import maturity_review

# Per rater and area, the points at levels 1..5 (pairs summed), read off the YAML:
# pmo_lead     standards 4,3,3,1,0 -> 3   governance 4,4,3,2,0 -> 3
#              resources 3,3,2,.. -> 2     risk 4,4,3,1,0 -> 3
#              performance 4,3,1 -> 2      knowledge 3,2 -> 1
#              training 4,1 -> 1           portfolio 3,3,1 -> 2
# finance_dir. standards 4,4,3,1 -> 3     governance 4,4,4,2 -> 3
#              resources 4,2 -> 1         risk 4,3,2 -> 2
#              performance 4,4,2 -> 2     knowledge 3,1 -> 1
#              training 4,3,1 -> 2        portfolio 4,2 -> 1
# project_man. standards 4,4,2 -> 2       governance 4,3,3,2 -> 3
#              resources 4,3,1 -> 2       risk 4,4,4,2 -> 3
#              performance 3,4,2 -> 2     knowledge 4,4,3,1 -> 3
#              training 3,2,4 -> 1 (level 3 achieved above a gap: does not count)
#              portfolio 3,1 -> 1 (level 5 left out: counts 0)
RATER_LEVELS = {
    "standards": (3, 3, 2),
    "governance": (3, 3, 3),
    "resources": (2, 1, 2),
    "risk": (3, 2, 3),
    "performance": (2, 2, 2),
    "knowledge": (1, 1, 3),
    "training": (1, 2, 1),
    "portfolio": (2, 1, 1),
}
LEVELS = {
    "standards": 3,
    "governance": 3,
    "resources": 2,
    "risk": 3,
    "performance": 2,
    "knowledge": 1,
    "training": 1,
    "portfolio": 1,
}


@pytest.fixture(scope="module")
def review(request):
    import pmo_kit

    return maturity_review(pmo_kit.load_portfolio())


def _points(answers: dict[str, int], area: str, level: int) -> int:
    return sum(answers.get(f"{area}-{level}{x}", 0) for x in "ab")


def test_rater_levels_match_a_plain_recount_of_the_yaml():
    raw = yaml.safe_load(SAMPLE_ANSWERS_PATH.read_text(encoding="utf-8"))
    assert list(raw) == ["pmo_lead", "finance_director", "project_manager"]
    for area, expected in RATER_LEVELS.items():
        got = []
        for answers in raw.values():
            level = 0
            while level < 5 and _points(answers, area, level + 1) >= 3:
                level += 1
            got.append(level)
        assert tuple(got) == expected, area
        assert int(statistics.median(got) // 1) == LEVELS[area]


def test_assessment_table(review):
    table = review.table.set_index("area")
    assert table["level"].to_dict() == LEVELS
    assert review.assessment.raters == (
        "pmo_lead",
        "finance_director",
        "project_manager",
    )
    raters = review.assessment.area("training").rater_levels
    assert tuple(raters.values()) == RATER_LEVELS["training"]
    # only knowledge has raters two levels apart (1, 1, 3)
    assert table.index[table["disagree"]].tolist() == ["knowledge"]
    assert table.loc["knowledge", "spread"] == 2
    assert table.loc["governance", "agreement"] == 1.0  # 3, 3, 3
    assert table.loc["risk", "agreement"] == pytest.approx(1 / 3)  # 3, 2, 3
    # standards: level 3 + mean level-4 share (1/4, 1/4, 1/4) = 3.25
    assert table.loc["standards", "progress"] == pytest.approx(3.25)
    # governance level 4 points: 2, 2, 2 of 4 -> 3.5
    assert table.loc["governance", "progress"] == pytest.approx(3.5)
    assert table["gap"].to_dict() == {a: max(0, 3 - lv) for a, lv in LEVELS.items()}
    assert review.assessment.unanswered["project_manager"] == (
        "portfolio-5a",
        "portfolio-5b",
    )


def test_radar_gaps_and_roadmap(review):
    radar = review.radar.set_index("area")
    assert radar["level"].to_dict() == {a: float(v) for a, v in LEVELS.items()}
    assert set(radar["target"]) == {3.0}
    below = {a: 3 - lv for a, lv in LEVELS.items() if lv < 3}
    assert {g.area: g.gap for g in review.gaps if g.gap} == below
    assert len(review.actions) == sum(below.values())  # 1+1+2+2+2 = 8
    # level 2 steps first (lowest first), knowledge (depth 1) before training and
    # portfolio (depth 2, 3); then the level 3 steps
    steps = [(a.area, a.level) for a in review.actions]
    assert steps[:3] == [("knowledge", 2), ("training", 2), ("portfolio", 2)]
    assert [lv for _, lv in steps] == sorted(lv for _, lv in steps)


def test_challenges_of_the_level_3_ratings(review):
    # rated 3: standards, governance, risk. On Meridian (docs/maturity.md and
    # tests/maturity/test_evidence.py): 13 of 45 open risks overdue, P-003's
    # charter unapproved, gate overrides; no missing baseline (standards is
    # challenged by the charter only).
    assert [c.area for c in review.challenges] == ["standards", "governance", "risk"]
    text = {c.area: c.text for c in review.challenges}
    assert text["risk"] == (
        "You rate risk management level 3, but 13 of 45 open risks are overdue for "
        "review and the charter of one project past initiation is unapproved (P-003)."
    )
    assert "gate decisions overrode the gate rule" in text["governance"]
    assert review.challenge_lines == [c.text for c in review.challenges]


def test_narrative_and_summary(review):
    lines = review.narrative
    assert (
        lines[0]
        == "3 raters assessed 8 PMO areas: 3 of 8 reach the target level 3 (defined)."
    )
    assert any(
        "knowledge management (pmo_lead 1, finance_director 1, project_manager 3)" in x
        for x in lines
    )
    summary = review.summary()
    again = json.loads(json.dumps(summary, allow_nan=False))
    assert again["report"] == "maturity"
    assert again["answers"] == "sample"
    assert again["assessment"]["levels"] == LEVELS
    assert again["areas"]["knowledge"]["disagree"] is True
    assert again["below_target"] == [
        "resources",
        "performance",
        "knowledge",
        "training",
        "portfolio",
    ]
    assert len(again["challenges"]) == 3
    assert again["as_of"] == "2026-06-26"


def test_target_and_answers_given():
    import pmo_kit

    full = {"ana": {f"risk-{lv}{x}": 2 for lv in range(1, 6) for x in "ab"}}
    review = maturity_review(pmo_kit.load_portfolio(), full, target=5)
    assert review.assessment.levels["risk"] == 5
    assert review.assessment.levels["standards"] == 0
    assert review.header["Answers"] == "answers given"
    # 7 areas at 0 need 5 steps each
    assert len(review.actions) == 35
    with pytest.raises(ValidationError, match=r"target: 6 is not a level\. Allowed"):
        maturity_review(pmo_kit.load_portfolio(), target=6)


# --- answer files --------------------------------------------------------------


def _write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_csv_and_yaml_files_read_alike(tmp_path):
    csv_file = _write(
        tmp_path,
        "a.csv",
        "rater,statement,answer\nana,risk-1a,2\nana,risk-1b,1\nben,risk-1a,0\n",
    )
    yaml_file = _write(
        tmp_path, "a.yaml", "ana: {risk-1a: 2, risk-1b: 1}\nben: {risk-1a: 0}\n"
    )
    expected = {"ana": {"risk-1a": 2, "risk-1b": 1}, "ben": {"risk-1a": 0}}
    assert read_answers(csv_file) == expected
    assert read_answers(yaml_file) == expected


@pytest.mark.parametrize(
    ("name", "text", "message"),
    [
        (
            "bad.csv",
            "rater,statement,answer\nana,risk-1a,2\nana,risk-1b,3\n",
            r"bad.csv: row 3, column 'answer': '3' is not an answer\. Allowed: 0 "
            r"\(not true\), 1 \(partly true\) or 2 \(fully true\)$",
        ),
        (
            "bad.csv",
            "rater,statement,answer\nana,risk-9a,2\n",
            r"bad.csv: row 2, column 'statement': 'risk-9a' is not a statement id",
        ),
        (
            "bad.csv",
            "rater,statement,answer\nana,risk-1a,2\nana,risk-1a,1\n",
            r"row 3, column 'statement': 'risk-1a' is answered twice by 'ana'",
        ),
        (
            "bad.csv",
            "who,statement,answer\n",
            r"bad.csv: row 1 \(header\): 'who,statement,answer' is not the header\. "
            r"Allowed: rater,statement,answer",
        ),
        (
            "bad.csv",
            "rater,statement,answer\n,risk-1a,2\n",
            r"row 2, column 'rater': '' is empty",
        ),
        (
            "bad.yaml",
            "ana: {risk-1a: yes}\n",
            r"bad.yaml: rater 'ana', statement 'risk-1a': True is not an answer",
        ),
        (
            "bad.yaml",
            "ana: {risk-1a: 2.5}\n",
            r"rater 'ana', statement 'risk-1a': '2.5' is not an answer",
        ),
        ("bad.yaml", "- ana\n", r"bad.yaml: the file must map rater name"),
        ("bad.yaml", "ana: [1, 2]\n", r"rater 'ana': \[1, 2\] is not a mapping"),
        ("bad.yaml", "ana: {risk-1a: [\n", r"bad.yaml: line \d+: not valid YAML"),
        ("bad.txt", "x", r"bad.txt: '\.txt' is not an answer file type"),
    ],
)
def test_bad_answer_files_give_one_line(tmp_path, name, text, message):
    path = _write(tmp_path, name, text)
    with pytest.raises(ValidationError, match=message) as info:
        read_answers(path)
    assert "\n" not in str(info.value)


def test_missing_answer_file(tmp_path):
    with pytest.raises(ValidationError, match=r"nowhere.csv: the answer file does not"):
        read_answers(tmp_path / "nowhere.csv")


# --- the notebook -----------------------------------------------------------------


@pytest.fixture(scope="module")
def maturity_run(tmp_path_factory):
    from pmo_kit.reports import run_report

    return run_report(
        "maturity", parameters={}, output_dir=tmp_path_factory.mktemp("maturity")
    )


@pytest.mark.notebook
def test_parameters_are_declared():
    from pmo_kit.reports import describe_report

    info = describe_report("maturity")
    assert [p.name for p in info.parameters] == [
        "answers",
        "target",
        "dataset",
        "output_json",
    ]
    assert info.title == "PMO maturity"


@pytest.mark.notebook
def test_report_runs_and_writes_summary(maturity_run):
    summary = maturity_run.summary
    assert summary["report"] == "maturity"
    assert summary["assessment"]["levels"] == LEVELS
    page = Path(maturity_run.html).read_text(encoding="utf-8")
    assert "You rate risk management level 3, but 13 of 45 open risks" in page
    assert "Traceback" not in page
    assert len(re.findall(r"<img|<svg", page)) >= 1  # the radar


@pytest.mark.notebook
def test_report_with_a_csv_answers_file_and_target(tmp_path):
    from pmo_kit.reports import run_report

    rows = "".join(f"ana,governance-{lv}{x},2\n" for lv in (1, 2) for x in "ab")
    answers = _write(tmp_path, "a.csv", "rater,statement,answer\n" + rows)
    result = run_report(
        "maturity",
        parameters={"answers": str(answers), "target": 2},
        output_dir=tmp_path / "out",
    )
    assert result.summary["assessment"]["levels"]["governance"] == 2
    assert result.summary["target"] == 2
    assert result.summary["challenges"] == []  # nothing rated 3 or above
