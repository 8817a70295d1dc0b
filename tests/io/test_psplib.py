"""PSPLIB reader: real j30/j60 files and hand-written broken ones."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from pmo_kit import ValidationError
from pmo_kit.io import read_psplib, read_psplib_optima
from pmo_kit.schedule import critical_path
from tests.conftest import SHARED

if TYPE_CHECKING:
    from pathlib import Path

PSPLIB = SHARED / "datasets-external" / "psplib"
needs_psplib = pytest.mark.skipif(
    not (PSPLIB / "j30").is_dir(), reason="../shared/datasets-external/psplib absent"
)

# a 4-job instance (2 real jobs between dummies) in the exact PSPLIB layout
SMALL = """\
************************************************************************
file with basedata            : tiny.bas
initial value random generator: 1
************************************************************************
projects                      :  1
jobs (incl. supersource/sink ):  4
horizon                       :  5
RESOURCES
  - renewable                 :  2   R
  - nonrenewable              :  0   N
  - doubly constrained        :  0   D
************************************************************************
PROJECT INFORMATION:
pronr.  #jobs rel.date duedate tardcost  MPM-Time
    1      2      0        3        1        3
************************************************************************
PRECEDENCE RELATIONS:
jobnr.    #modes  #successors   successors
   1        1          2           2   3
   2        1          1           4
   3        1          1           4
   4        1          0
************************************************************************
REQUESTS/DURATIONS:
jobnr. mode duration  R 1  R 2
------------------------------------------------------------------------
  1      1     0       0    0
  2      1     3       2    0
  3      1     2       1    1
  4      1     0       0    0
************************************************************************
RESOURCEAVAILABILITIES:
  R 1  R 2
    2    1
************************************************************************
"""


def _write(tmp_path: Path, text: str, name: str = "tiny.sm") -> Path:
    path = tmp_path / name
    path.write_text(text)
    return path


def test_small_file_is_read_into_level_inputs(tmp_path):
    inst = read_psplib(_write(tmp_path, SMALL))
    assert inst.name == "tiny"
    assert inst.tasks.to_dict("list") == {
        "task_id": ["1", "2", "3", "4"],
        "duration": [0, 3, 2, 0],
    }
    assert list(
        zip(inst.dependencies.predecessor, inst.dependencies.successor, strict=True)
    ) == [
        ("1", "2"),
        ("1", "3"),
        ("2", "4"),
        ("3", "4"),
    ]
    assert set(inst.dependencies["type"]) == {"FS"}
    assert set(inst.dependencies["lag"]) == {0}
    assert inst.demands.to_numpy().tolist() == [
        ["2", "R1", 2],
        ["3", "R1", 1],
        ["3", "R2", 1],
    ]
    assert inst.capacities == {"R1": 2, "R2": 1}
    assert (inst.horizon, inst.cpm_length) == (5, 3)


@pytest.mark.parametrize(
    ("old", "new", "line", "expected"),
    [
        # job 2 says one successor but lists two
        (
            "   2        1          1           4",
            "   2        1          1    3  4",
            20,
            "job 2 with 1 mode",
        ),
        # a successor that is not a job
        (
            "   3        1          1           4",
            "   3        1          1           9",
            21,
            "successor numbers from 1 to 4",
        ),
        # jobs out of order in the requests
        (
            "  2      1     3       2    0",
            "  3      1     3       2    0",
            28,
            "job 2, mode 1",
        ),
        # a request that is not a number
        (
            "  3      1     2       1    1",
            "  3      1     2       1    x",
            29,
            "job 3: jobnr. mode duration and 2 requests",
        ),
        # three availabilities for two resources
        ("    2    1\n", "    2    1    4\n", 34, "2 resource availabilities"),
        # a negative duration
        (
            "  2      1     3       2    0",
            "  2      1    -3       2    0",
            28,
            "durations and requests >= 0",
        ),
    ],
)
def test_broken_lines_are_named(tmp_path, old, new, line, expected):
    assert old in SMALL
    path = _write(tmp_path, SMALL.replace(old, new, 1))
    with pytest.raises(ValidationError) as err:
        read_psplib(path)
    message = str(err.value)
    assert message.startswith(f"tiny.sm, line {line}: expected ")
    assert expected in message


def test_truncated_file_says_what_is_missing(tmp_path):
    path = _write(tmp_path, SMALL.split("REQUESTS/DURATIONS")[0])
    with pytest.raises(
        ValidationError,
        match=r"tiny.sm: expected a line starting with "
        r"'REQUESTS/DURATIONS'",
    ):
        read_psplib(path)


def test_not_a_psplib_file(tmp_path):
    path = _write(tmp_path, "task,duration\nA,3\n", "plan.csv")
    with pytest.raises(
        ValidationError, match=r"plan\.csv: expected a line starting with 'jobs"
    ):
        read_psplib(path)


def test_missing_file_is_a_validation_error(tmp_path):
    with pytest.raises(ValidationError, match="file not found"):
        read_psplib(tmp_path / "nope.sm")


def test_optima_table_with_open_instances(tmp_path):
    path = _write(
        tmp_path, "problem,optimum\nj301_1.sm,43\nj609_1.sm,82..87\n", "o.csv"
    )
    table = read_psplib_optima(path)
    assert table.to_numpy().tolist() == [["j301_1", 43, 43], ["j609_1", 82, 87]]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("name,value\n", "o.csv, line 1: expected the header 'problem,optimum'"),
        ("problem,optimum\nj301_1.sm,43\nj301_2.sm,forty\n", "o.csv, line 3: expected"),
        ("problem,optimum\nj609_1.sm,87..82\n", "o.csv, line 2: the upper bound 82"),
        ("problem,optimum\nj609_1.sm,82..\n", "o.csv, line 2: expected"),
        ("problem,optimum\nj609_1.sm,..\n", "o.csv, line 2: expected"),
    ],
)
def test_bad_optima_rows_are_named(tmp_path, text, expected):
    with pytest.raises(ValidationError) as err:
        read_psplib_optima(_write(tmp_path, text, "o.csv"))
    assert str(err.value).startswith(expected)


@needs_psplib
def test_j301_1_matches_the_file():
    inst = read_psplib(PSPLIB / "j30" / "j301_1.sm")
    assert len(inst.tasks) == 32
    assert inst.capacities == {"R1": 12, "R2": 13, "R3": 4, "R4": 12}
    assert (inst.horizon, inst.cpm_length) == (158, 38)
    assert inst.tasks.set_index("task_id").loc["2", "duration"] == 8
    assert inst.demands[inst.demands.task_id == "3"].to_numpy().tolist() == [
        ["3", "R1", 10]
    ]
    assert len(inst.dependencies) == 48  # sum of the #successors column


@needs_psplib
@pytest.mark.parametrize("folder", ["j30", "j60"])
def test_every_instance_reads_and_its_critical_path_is_the_files(folder):
    # the critical path of our own schedule engine equals the file's MPM-Time
    files = sorted((PSPLIB / folder).glob("*.sm"))
    assert len(files) == 480
    for path in files[::8]:
        inst = read_psplib(path)
        cpm = critical_path(inst.tasks, inst.dependencies)
        assert cpm.attrs["project_finish"] == inst.cpm_length, path.name


@needs_psplib
def test_real_optima_tables():
    j30 = read_psplib_optima(PSPLIB / "j30_optimum.csv")
    assert len(j30) == 480
    assert (j30.lower == j30.upper).all()
    assert j30.set_index("problem").loc["j3013_1", "upper"] == 58
    j60 = read_psplib_optima(PSPLIB / "j60_optimum.csv")
    lower, upper = j60["lower"], j60["upper"]
    assert (lower.isna() | (lower < upper)).sum() == 98  # as the dataset README says
    assert lower.isna().sum() == 70
    row = j60[j60["problem"] == "j609_1"]
    assert (row["lower"].tolist(), row["upper"].tolist()) == ([82], [87])
