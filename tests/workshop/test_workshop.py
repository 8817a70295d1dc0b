"""A whole workshop: release, hand-ins edited as learners do, grading, gradebook."""

from __future__ import annotations

import copy
import csv
import json
import random
import zipfile
from typing import TYPE_CHECKING, Any

import pytest
from click.testing import CliRunner

from pmo_kit.cli_workshop import workshop_group
from pmo_kit.training.workshop import WorkshopError, grade, hand_in, release
from tests.workshop._play import EXERCISE, course, notebook, solutions, write_handin

if TYPE_CHECKING:
    from pathlib import Path


def _answer(nb: dict[str, Any], cell_id: str, source: str) -> None:
    for cell in nb["cells"]:
        if cell.get("id") == cell_id:
            cell["source"] = source


def _rows(results: Path) -> list[dict[str, str]]:
    with (results / "gradebook.csv").open(encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def _totals(rows: list[dict[str, str]]) -> dict[str, float]:
    totals: dict[str, float] = {}
    for row in rows:
        if row["points"]:
            totals[row["learner"]] = totals.get(row["learner"], 0) + float(
                row["points"]
            )
    return totals


@pytest.fixture(scope="module")
def workshop(tmp_path_factory: pytest.TempPathFactory) -> Path:
    tmp = tmp_path_factory.mktemp("ws")
    roster = tmp / "roster.csv"
    roster.write_text(
        "team,learner\nred,ana\nred,ben\nblue,cam\nblue,dan\ngreen,eve\ngreen,fay\n",
        encoding="utf-8",
    )
    release(tmp / "w", roster=roster, seed=7, exercises=course(tmp), projects=6)
    return tmp / "w"


def test_release_gives_each_team_its_data_and_no_answer_keys(workshop: Path) -> None:
    manifest = json.loads((workshop / "trainer" / "workshop.json").read_text())
    assert manifest["teams"]["blue"] == {"seed": 8, "learners": ["cam", "dan"]}
    for team in ("red", "blue", "green"):
        home = workshop / "teams" / team
        assert (home / "pmo-kit.yaml").read_text() == "dataset: data\n"
        assert (home / "data" / "projects.csv").is_file()
        names = {p.name for p in home.rglob("*")}
        assert "solution.ipynb" not in names
        assert "hidden_checks.py" not in names
        text = (home / "exercises" / EXERCISE / "exercise.ipynb").read_text()
        assert "BEGIN SOLUTION" not in text
        assert "rubric" not in text
        ids = [c["id"] for c in notebook(home)["cells"]]
        assert "q3-answer" in ids
        assert "q10-answer" in ids
    red = (workshop / "teams/red/data/projects.csv").read_text()
    blue = (workshop / "teams/blue/data/projects.csv").read_text()
    assert red != blue  # seeds 7 and 8
    assert (workshop / "trainer/exercises" / EXERCISE / "hidden_checks.py").is_file()


def test_release_refuses_bad_input(tmp_path: Path) -> None:
    roster = tmp_path / "roster.csv"
    roster.write_text("team,learner\nred,ana\nred/x,ben\n", encoding="utf-8")
    with pytest.raises(WorkshopError, match=r"roster.csv, row 3: team 'red/x'"):
        release(tmp_path / "w", roster=roster, seed=1)
    with pytest.raises(WorkshopError, match="--teams: 0"):
        release(tmp_path / "w", teams=0, seed=1)


def test_hand_in_refuses_a_folder_that_is_not_a_team(tmp_path: Path) -> None:
    with pytest.raises(WorkshopError, match="not a released team folder"):
        hand_in(tmp_path, learner="ana", out=tmp_path / "x.zip")


def test_cli_bad_input_is_one_line(tmp_path: Path) -> None:
    runner = CliRunner()
    result = runner.invoke(
        workshop_group,
        ["hand-in", str(tmp_path), "--learner", "ana", "-o", str(tmp_path / "a.zip")],
    )
    assert result.exit_code == 1
    assert "not a released team folder" in result.output
    assert "Traceback" not in result.output
    result = runner.invoke(
        workshop_group,
        ["release", "--teams", "0", "--seed", "1", "--out", str(tmp_path / "w")],
    )
    assert result.exit_code == 1
    assert len(result.output.strip().splitlines()) == 1
    result = runner.invoke(
        workshop_group,
        ["grade", str(tmp_path), str(tmp_path), "-o", str(tmp_path / "r")],
    )
    assert result.exit_code == 1
    assert "workshop.json: not a released workshop" in result.output
    assert len(result.output.strip().splitlines()) == 1


@pytest.mark.notebook
def test_a_whole_workshop_is_graded_question_by_question(
    workshop: Path, tmp_path: Path
) -> None:
    answers = solutions()
    handins = tmp_path / "handins"
    handins.mkdir()
    runner = CliRunner()

    # ana (red): every answer from the solution, and a free-text answer
    red = workshop / "teams" / "red"
    nb = notebook(red)
    for cell_id, source in answers.items():
        _answer(nb, cell_id, source)
    _answer(nb, "q10-answer", "TCPI 1.18: ask the sponsor to <decide> now.")
    (red / "exercises" / EXERCISE / "exercise.ipynb").write_text(json.dumps(nb))
    result = runner.invoke(
        workshop_group,
        ["hand-in", str(red), "--learner", "ana", "-o", str(handins / "ana.zip")],
    )
    assert result.exit_code == 0, result.output

    # ben (red): typical mistakes. q2 CPI upside down (public 0, hidden 2),
    # q3 budget multiplied by CPI (0), q4 right on its own, q7 "A" (0).
    nb = notebook(red)
    for cell_id, source in answers.items():
        _answer(nb, cell_id, source)
    _answer(nb, "q2-answer", "spi = ev / pv\ncpi = ac / ev")
    _answer(nb, "q3-answer", "eac = bac * (ev / ac)")
    _answer(nb, "q4-answer", "vac = bac - bac / (ev / ac)")
    _answer(nb, "q7-answer", 'q7_answer = "A"')
    write_handin(handins / "ben.zip", "red", "ben", nb)

    # cam (blue): blank
    write_handin(handins / "cam.zip", "blue", "cam", notebook(workshop / "teams/blue"))

    # dan (blue): ids and metadata stripped, cells reversed, a wrong duplicate of q2
    # before the right one, extra cells, q5 raises, q6 never ends.
    nb = notebook(workshop / "teams/blue")
    for cell_id, source in answers.items():
        _answer(nb, cell_id, source)
    _answer(nb, "q5-answer", "tcpi = 1 / 0")
    _answer(nb, "q6-answer", "eac_one_off = ac + (bac - ev)\nwhile True:\n    pass")
    q2 = next(c for c in nb["cells"] if c.get("id") == "q2-answer")
    wrong = {**copy.deepcopy(q2), "source": "spi = 0.5\ncpi = 0.5"}
    nb["cells"] = [
        c for c in nb["cells"] if c.get("id") not in {"q9-check", "q1-question"}
    ]
    nb["cells"].append(
        {
            "cell_type": "code",
            "metadata": {},
            "source": "x = 1",
            "outputs": [],
            "execution_count": None,
        }
    )
    cells = list(reversed(nb["cells"]))
    cells.insert(0, wrong)  # before the right one: the last one counts
    for cell in cells:
        cell.pop("id", None)
        cell["metadata"] = {}
    nb["cells"] = cells
    nb["nbformat_minor"] = 4
    write_handin(handins / "dan.zip", "blue", "dan", nb)

    # eve (green): ids kept; q1 duplicated (one copy blank), q2 deleted, q3 retyped
    # as markdown, q7 wrong; q3/q4 computed without cpi.
    nb = notebook(workshop / "teams/green")
    for cell_id, source in answers.items():
        _answer(nb, cell_id, source)
    _answer(nb, "q3-answer", "eac = bac / (ev / ac)")
    _answer(nb, "q4-answer", "vac = bac - bac * ac / ev")
    _answer(nb, "q7-answer", 'q7_answer = "D"')
    cells = []
    for cell in nb["cells"]:
        if cell["id"] == "q2-answer":
            continue
        if cell["id"] == "q1-answer":
            cells.append({**cell, "source": "# YOUR CODE HERE\nsv = ...\ncv = ..."})
        if cell["id"] == "q3-answer":
            cell = {
                "cell_type": "markdown",
                "id": "q3-answer",
                "metadata": {},
                "source": cell["source"],
            }
        cells.append(cell)
    nb["cells"] = cells
    write_handin(handins / "eve.zip", "green", "eve", nb)

    # fay (green): a notebook that is not JSON; gus: no exercise; a stray zip
    write_handin(handins / "fay.zip", "green", "fay", "{not json")
    write_handin(handins / "gus.zip", "green", "gus", None)
    with zipfile.ZipFile(handins / "stray.zip", "w") as archive:
        archive.writestr("notes.txt", "hello")
    (handins / "readme.txt").write_text("not a zip")

    results = tmp_path / "results"
    rows = grade(
        workshop, handins, results, jobs=2, cell_timeout=8, notebook_timeout=120
    )
    assert rows
    table = _rows(results)
    # expected marks, worked out by hand above (q2 is worth 1 + 2 hidden = 3)
    assert _totals(table) == {
        "ana": 11,
        "ben": 8,
        "cam": 0,
        "dan": 9,
        "eve": 7,
        "fay": 0,
        "gus": 0,
        "stray": 0,
        "readme": 0,
    }
    by = {(r["learner"], r["question"]): r for r in table}
    assert by[("ben", "q2")]["points"] == "2"
    assert by[("ben", "q2")]["max_points"] == "3"
    assert "upside down" in by[("ben", "q2")]["message"]
    assert "raised ZeroDivisionError" in by[("dan", "q5")]["message"]
    assert "raised KeyboardInterrupt" in by[("dan", "q6")]["message"]
    assert "no answer found" in by[("eve", "q2")]["message"]
    assert "cannot be read" in by[("fay", "q1")]["message"]
    assert "missing" in by[("gus", "q1")]["message"]
    assert "not a hand-in" in by[("stray", "")]["message"]
    free = by[("ana", "q10")]
    assert free["points"] == ""
    assert free["rubric"] == "Names the TCPI and a decision."
    assert "<decide>" in free["free_text_answer"]
    page = (results / "gradebook.html").read_text()
    assert "&lt;decide&gt;" in page
    assert "<decide>" not in page
    assert "upside down" in page  # ben's mistake among the common ones
    grid = page.split("<h2>Per learner and question</h2>")[1].split("<h2>")[0]
    ben = next(r for r in grid.split("<tr>") if "<td>ben</td>" in r)
    assert "<td class=ko" in ben  # ben's wrong answers show in his row
    assert "hand</td>" in next(r for r in grid.split("<tr>") if "<td>ana</td>" in r)
    feedback = (results / "feedback" / "red-ben.html").read_text()
    assert "q2_hidden_cpi_positive" in feedback


@pytest.mark.notebook
def test_randomly_mangled_hand_ins_are_all_gradable(
    workshop: Path, tmp_path: Path
) -> None:
    answers = solutions()
    rng = random.Random(12)
    handins = tmp_path / "handins"
    handins.mkdir()
    count = 14
    for i in range(count):
        nb = notebook(workshop / "teams/red")
        for cell_id, source in answers.items():
            if rng.random() < 0.7:
                _answer(nb, cell_id, source)
        cells = nb["cells"]
        for _ in range(rng.randint(1, 6)):
            op = rng.choice(
                ["delete", "dup", "swap", "strip", "retype", "raise", "extra"]
            )
            if not cells:
                break
            j = rng.randrange(len(cells))
            if op == "delete":
                cells.pop(j)
            elif op == "dup":
                cells.insert(j, copy.deepcopy(cells[j]))
            elif op == "swap":
                k = rng.randrange(len(cells))
                cells[j], cells[k] = cells[k], cells[j]
            elif op == "strip":
                for cell in cells:
                    cell.pop("id", None)
                    cell.pop("metadata", None)
            elif op == "retype":
                cells[j]["cell_type"] = rng.choice(["markdown", "raw", "code"])
            elif op == "raise":
                cells[j]["source"] = "raise ValueError('boom')"
            else:
                cells.insert(
                    j,
                    {
                        "cell_type": "code",
                        "source": "import os\nos.remove('checks.py')",
                    },
                )
        text: Any = nb
        if i == count - 1:
            text = json.dumps(nb)[: rng.randrange(10, 200)]
        write_handin(handins / f"l{i:02d}.zip", "red", f"l{i:02d}", text)
    results = tmp_path / "results"
    grade(workshop, handins, results, jobs=2, cell_timeout=5, notebook_timeout=60)
    table = _rows(results)
    learners = {r["learner"] for r in table}
    assert learners == {f"l{i:02d}" for i in range(count)}
    for learner in learners:
        mine = [r for r in table if r["learner"] == learner]
        assert sorted(r["question"] for r in mine) == sorted(
            [f"q{n}" for n in range(1, 11)]
        )
        for r in mine:
            if r["question"] != "q10":
                assert 0 <= float(r["points"]) <= float(r["max_points"])
    # the workshop folder is untouched by `os.remove('checks.py')`
    assert (workshop / "trainer/exercises" / EXERCISE / "checks.py").is_file()


@pytest.mark.notebook
def test_the_solutions_get_full_marks_on_every_exercise(tmp_path: Path) -> None:
    from tests.workshop._play import REPO

    release(tmp_path / "w", teams=1, seed=3, exercises=REPO / "exercises", projects=6)
    team = tmp_path / "w" / "teams" / "team-01"
    for folder in sorted((team / "exercises").iterdir()):
        solution = json.loads(
            (REPO / "exercises" / folder.name / "solution.ipynb").read_text()
        )
        by_id = {c["id"]: "".join(c["source"]) for c in solution["cells"]}
        path = folder / "exercise.ipynb"
        nb = json.loads(path.read_text())
        for cell in nb["cells"]:
            if "BEGIN SOLUTION" in by_id.get(cell["id"], ""):
                cell["source"] = by_id[cell["id"]]
        path.write_text(json.dumps(nb))
    hand_in(team, learner="zed", out=tmp_path / "handins" / "zed.zip")
    rows = grade(tmp_path / "w", tmp_path / "handins", tmp_path / "results", jobs=2)
    released = {p.parent.name for p in (REPO / "exercises").glob("*/solution.ipynb")}
    assert len(released) >= 8
    assert {r.exercise for r in rows} == released
    wrong = [
        (r.exercise, r.question, r.message)
        for r in rows
        if r.points is not None and r.points != r.max_points
    ]
    assert not wrong
