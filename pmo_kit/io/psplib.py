"""
Read PSPLIB files: single-mode RCPSP instances (``.sm``) and tables of optima.

PSPLIB (Kolisch & Sprecher 1996, "PSPLIB - A project scheduling problem library",
EJOR 96(1):205-216) is the public benchmark of the resource-constrained project
scheduling problem: jobs with durations and finish-to-start successors, renewable
resources with a fixed availability per period, and a makespan to minimise. An
instance read here goes straight into :func:`pmo_kit.resources.level`::

    inst = read_psplib("j301_1.sm")
    plan = level(inst.tasks, inst.dependencies, inst.demands, inst.capacities)

Jobs keep their PSPLIB numbers as text task ids (``"1"`` .. ``"32"`` for j30), the
dummy source and sink included (duration 0, no demand): they are milestones.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

from pmo_kit._errors import ValidationError

if TYPE_CHECKING:
    import os

__all__ = ["PsplibInstance", "read_psplib", "read_psplib_optima"]


@dataclass(frozen=True, eq=False)
class PsplibInstance:
    """
    One single-mode RCPSP instance, as tables :func:`pmo_kit.resources.level` takes.

    Attributes
    ----------
    name
        File name without ``.sm`` (``"j301_1"``), as in the tables of optima.
    tasks
        ``task_id`` (text job number) and ``duration`` (periods; 0 for the dummies).
    dependencies
        ``predecessor``, ``successor``, ``type`` (always ``"FS"``) and ``lag`` (0).
    demands
        ``task_id``, ``resource`` (``"R1"`` ..), ``units`` per period; zero
        requests are left out.
    capacities
        Resource -> units available in every period.
    horizon
        The file's upper bound on the makespan (sum of durations).
    cpm_length
        The file's ``MPM-Time``: the critical-path length without resource limits.
    """

    name: str
    tasks: pd.DataFrame
    dependencies: pd.DataFrame
    demands: pd.DataFrame
    capacities: dict[str, int]
    horizon: int
    cpm_length: int


class _Lines:
    """The file's lines with a cursor, and errors that name file and line."""

    def __init__(self, path: Path) -> None:
        self.path = path
        try:
            text = path.read_text(encoding="utf-8", errors="replace")
        except FileNotFoundError:
            msg = f"{path}: file not found. Allowed: a PSPLIB .sm file"
            raise ValidationError(msg) from None
        self.lines = text.splitlines()
        self.pos = 0

    def fail(self, line_no: int, expected: str) -> ValidationError:
        found = self.lines[line_no - 1].strip() if line_no <= len(self.lines) else ""
        shown = repr(found) if found else "end of file"
        msg = f"{self.path.name}, line {line_no}: expected {expected}; found {shown}"
        return ValidationError(msg)

    def seek(self, marker: str) -> int:
        """Move past the line starting with ``marker``; return its line number."""
        for i in range(self.pos, len(self.lines)):
            if self.lines[i].strip().lower().startswith(marker.lower()):
                self.pos = i + 1
                return i + 1
        msg = (
            f"{self.path.name}: expected a line starting with {marker!r} "
            f"(after line {self.pos}); found none. Is this a PSPLIB .sm file?"
        )
        raise ValidationError(msg)

    def value_after(self, marker: str) -> tuple[int, int]:
        """Return the whole number after ``marker ... :`` and its line number."""
        line_no = self.seek(marker)
        match = re.search(r":\s*(-?\d+)", self.lines[line_no - 1])
        if match is None:
            raise self.fail(line_no, f"a whole number after {marker!r}")
        return int(match.group(1)), line_no

    def numbers(self, expected: str) -> tuple[list[int], int]:
        """Return the next line's whole numbers (skipping blank lines)."""
        while self.pos < len(self.lines) and not self.lines[self.pos].strip():
            self.pos += 1
        self.pos += 1
        line_no = self.pos
        if line_no > len(self.lines):
            raise self.fail(line_no, expected)
        try:
            return [int(v) for v in self.lines[line_no - 1].split()], line_no
        except ValueError:
            raise self.fail(line_no, expected) from None


def read_psplib(path: str | os.PathLike[str]) -> PsplibInstance:
    """
    Read a PSPLIB single-mode instance (``.sm``, e.g. the j30 and j60 sets).

    Parameters
    ----------
    path
        The ``.sm`` file.

    Returns
    -------
    PsplibInstance
        Tasks, finish-to-start dependencies, demands and capacities, ready for
        :func:`pmo_kit.resources.level`, plus the file's horizon and critical-path
        length (``MPM-Time``).

    Raises
    ------
    ValidationError
        The file is missing a section or a line does not hold what the format
        expects; the message names the file, the line and what was expected.
    """
    src = _Lines(Path(path))
    jobs, jobs_line = src.value_after("jobs (incl. supersource/sink")
    if jobs < 1:
        raise src.fail(jobs_line, "at least one job")
    horizon, _ = src.value_after("horizon")
    n_res, _ = src.value_after("- renewable")
    src.seek("PROJECT INFORMATION")
    src.seek("pronr.")
    info, info_line = src.numbers("the project line: pronr. #jobs ... MPM-Time")
    if len(info) != 6:
        raise src.fail(
            info_line, "6 numbers: pronr. #jobs rel.date duedate tardcost MPM-Time"
        )
    cpm_length = info[5]

    src.seek("PRECEDENCE RELATIONS")
    src.seek("jobnr.")
    preds: list[str] = []
    succs: list[str] = []
    for job in range(1, jobs + 1):
        row, line_no = src.numbers(f"job {job}: jobnr. #modes #successors successors")
        if len(row) < 3 or row[0] != job or row[1] != 1 or len(row) != 3 + row[2]:
            raise src.fail(
                line_no,
                f"job {job} with 1 mode, its number of successors and that many "
                "successor numbers",
            )
        for s in row[3:]:
            if not 1 <= s <= jobs:
                raise src.fail(line_no, f"successor numbers from 1 to {jobs}")
            preds.append(str(job))
            succs.append(str(s))

    src.seek("REQUESTS/DURATIONS")
    header_line = src.seek("jobnr.")
    header = src.lines[header_line - 1]
    names = [f"R{k}" for k in re.findall(r"R\s*(\d+)", header)]
    if len(names) != n_res:
        raise src.fail(
            header_line, f"{n_res} renewable resource columns R 1 .. R {n_res}"
        )
    src.seek("---")
    durations: list[int] = []
    demand_rows: list[tuple[str, str, int]] = []
    for job in range(1, jobs + 1):
        row, line_no = src.numbers(
            f"job {job}: jobnr. mode duration and {n_res} requests"
        )
        if len(row) != 3 + n_res or row[0] != job or row[1] != 1:
            raise src.fail(
                line_no,
                f"job {job}, mode 1, a duration and {n_res} resource requests",
            )
        if row[2] < 0 or any(q < 0 for q in row[3:]):
            raise src.fail(line_no, "durations and requests >= 0")
        durations.append(row[2])
        demand_rows.extend(
            (str(job), name, q) for name, q in zip(names, row[3:], strict=True) if q
        )

    src.seek("RESOURCEAVAILABILITIES")
    src.seek("R")  # the header line "R 1  R 2 ..."
    row, line_no = src.numbers(f"{n_res} resource availabilities")
    if len(row) != n_res or any(v < 0 for v in row):
        raise src.fail(line_no, f"{n_res} resource availabilities (whole numbers >= 0)")

    ids = [str(j) for j in range(1, jobs + 1)]
    return PsplibInstance(
        name=Path(path).name.removesuffix(".sm"),
        tasks=pd.DataFrame({"task_id": ids, "duration": durations}),
        dependencies=pd.DataFrame(
            {
                "predecessor": preds,
                "successor": succs,
                "type": ["FS"] * len(preds),
                "lag": [0] * len(preds),
            }
        ),
        demands=pd.DataFrame(demand_rows, columns=["task_id", "resource", "units"]),
        capacities=dict(zip(names, row, strict=True)),
        horizon=horizon,
        cpm_length=cpm_length,
    )


def read_psplib_optima(path: str | os.PathLike[str]) -> pd.DataFrame:
    """
    Read a PSPLIB table of best known makespans (``problem,optimum``).

    A value ``lb..ub`` is an open instance: its optimum lies between the bounds;
    ``..ub`` gives only an upper bound (a makespan someone reached).

    Returns
    -------
    pandas.DataFrame
        ``problem`` (file name without ``.sm``), ``lower`` (nullable ``Int64``:
        missing when not published) and ``upper`` (equal to ``lower`` when the
        optimum is proven).

    Raises
    ------
    ValidationError
        A row is not ``name,number`` or ``name,low..high``; names file and line.
    """
    file = Path(path)
    try:
        lines = file.read_text(encoding="utf-8").splitlines()
    except FileNotFoundError:
        msg = f"{file}: file not found. Allowed: a CSV with columns problem,optimum"
        raise ValidationError(msg) from None
    if not lines or [c.strip() for c in lines[0].split(",")] != ["problem", "optimum"]:
        found = repr(lines[0]) if lines else "an empty file"
        msg = (
            f"{file.name}, line 1: expected the header 'problem,optimum'; found {found}"
        )
        raise ValidationError(msg)
    rows: list[tuple[str, int | None, int]] = []
    for line_no, line in enumerate(lines[1:], start=2):
        if not line.strip():
            continue
        match = re.fullmatch(r"\s*([^,\s]+)\s*,\s*(\d*)\s*(\.\.\s*(\d+))?\s*", line)
        if (
            match is None
            or not (match.group(2) or match.group(4))
            or (match.group(3) and not match.group(4))
        ):
            msg = (
                f"{file.name}, line {line_no}: expected 'name,optimum', "
                "'name,lower..upper' or 'name,..upper' with whole numbers; "
                f"found {line.strip()!r}"
            )
            raise ValidationError(msg)
        lower = int(match.group(2)) if match.group(2) else None
        upper = int(match.group(4)) if match.group(3) else lower
        if upper is None:  # pragma: no cover - excluded by the checks above
            continue
        if lower is not None and upper < lower:
            msg = (
                f"{file.name}, line {line_no}: the upper bound {upper} is below the "
                f"lower bound {lower}. Allowed: lower <= upper"
            )
            raise ValidationError(msg)
        rows.append((match.group(1).removesuffix(".sm"), lower, upper))
    table = pd.DataFrame(rows, columns=["problem", "lower", "upper"])
    table["lower"] = table["lower"].astype("Int64")
    table["upper"] = table["upper"].astype("int64")
    return table
