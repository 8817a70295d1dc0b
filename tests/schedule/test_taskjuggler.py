"""
``critical_path`` against TaskJuggler 3 (``tj3``), a real scheduler, on random networks.

Each network is written as two ``.tjp`` projects and scheduled by ``tj3`` into CSV
reports (task id, start, end as ``%Y-%m-%d %H:%M``) in ``tmp_path``:

- the *early* project schedules every task ASAP (``depends``): its dates are the early
  start and finish;
- the *late* project schedules every task ALAP (``precedes``) before a milestone fixed
  at the early project's finish: its dates are the late start and finish.

Both use tj3's default working time, stated explicitly: Monday to Friday, 9:00-12:00
and 13:00-18:00 (8 h a day, ``dailyworkinghours 8``), UTC, plus a few weekday
holidays (global ``leaves holiday``). Tasks have a fixed ``length`` in working days
(``length Nd`` = N x 8 working hours; no effort, no resources), milestones are
``milestone``. tj3 keeps its hourly time grid (``timingresolution`` cannot be
coarser than 60 min), so each date it reports is turned into a working-day offset by
counting the whole working days done by then (a task that starts "2024-01-09 18:00"
starts at the next working hour; the test fails if a date falls inside a day).
Expected total float is late start - early start from the two runs; expected free
float is the smallest early slack of a task's links, capped at finish - early finish,
computed from tj3's early dates. The engine's calendar dates
(``early_start_date`` ...) are checked against the days tj3 actually schedules work
on, with the same holidays.

What tj3 can express (read from its manual, /usr/share/doc/tj3/html, and its
scheduler, ``taskjuggler/TaskScenario.rb``, ``earliestStart``/``latestEnd``):

- ``depends X`` constrains only the *start* of an ASAP task: after X's end (default,
  ``onend``: FS) or X's start (``onstart``: SS);
- ``precedes Y`` constrains only the *end* of an ALAP task: before Y's start (default,
  ``onstart``: FS) or Y's end (``onend``: FF); tj3 refuses on-end dependencies into
  ASAP tasks and on-start ones into ALAP tasks, so FF cannot push a successor later
  and SF has no keyword at all;
- ``gaplength Nd`` is a gap of N *working* days and must be positive
  (``nonZeroWorkingDuration``): a lag of 0 is no gap, and negative lags (leads)
  cannot be written.

So natively tj3 checks FS links in both passes, SS links in the early pass and FF
links in the late pass, with lags >= 0. With fixed durations every link is one
inequality ``ES_succ >= ES_pred + w`` (``w = lag + d_pred [FS, FF] - d_succ [FF,
SF]``), i.e. equally ``EF_pred + (w - d_pred) <= ES_succ`` or ``EF_succ >= EF_pred +
(w + d_succ - d_pred)``; the other links (SS in the late pass, FF in the early pass,
SF, leads) are written in whichever of these equivalent forms has a gap >= 0. A link
with no such form in a pass (``w < 0`` or ``w + d_succ - d_pred < 0``, e.g. an FF
link into a longer task, or a long lead) cannot be given to tj3 at all and is left
out of the network handed to *both* schedulers. The reduction to start offsets is the
definition of the link types, so FF/SF/lead links are cross-checked for how the
network propagates them, not for the link rule itself (``test_reference.py`` and
``test_properties.py`` cover those). Also not cross-checked here: the ES >= 0 clamp
(every expressible link has ``w >= 0``) and deadlines (tj3 has no late dates before
an earlier deadline: it reports an error instead of negative float).
Start-no-earlier-than constraints are written as a ``depends`` on a milestone fixed
at the start of that working day; like the engine, the late project ignores them.

Needs ``tj3`` (Debian: ``apt-get install tj3``; ``make system-deps``): skipped when
it is missing, except under ``CI=true`` where ``.ci/run`` installs it. Slow (a few
``tj3`` runs of about a second), hence ``@pytest.mark.notebook``
(``make reports-test``).
"""

from __future__ import annotations

import bisect
import csv
import datetime as dt
import os
import random
import shutil
import subprocess
from dataclasses import dataclass
from typing import TYPE_CHECKING

import pandas as pd
import pytest

from bench.schedule_networks import RESULT_COLUMNS, link_weight, random_network
from pmo_kit.schedule import WorkCalendar, critical_path

if TYPE_CHECKING:
    from collections.abc import Mapping
    from pathlib import Path

pytestmark = pytest.mark.notebook

PROJECT_START = dt.date(2024, 1, 1)  # a Monday
HOLIDAYS = (
    dt.date(2024, 1, 15),
    dt.date(2024, 2, 19),
    dt.date(2024, 3, 29),
    dt.date(2024, 5, 27),
    dt.date(2024, 7, 4),
    dt.date(2024, 9, 2),
    dt.date(2024, 11, 28),
    dt.date(2024, 12, 25),
)
WORKING_HOURS = ((9, 12), (13, 18))  # tj3's default working hours: 8 h a day
DATE_COLUMNS = [
    "early_start_date",
    "early_finish_date",
    "late_start_date",
    "late_finish_date",
]
INSTALL = "apt-get install tj3 (Debian/Ubuntu), or `make system-deps`"


def require_tj3() -> str:
    """Path of tj3; skip without it, but fail under ``CI=true``."""
    found = shutil.which("tj3")
    if found:
        return found
    msg = f"TaskJuggler's tj3 is not on PATH: {INSTALL}"
    if os.environ.get("CI", "").strip().lower() == "true":
        pytest.fail(f"CI=true, refusing to skip: {msg}", pytrace=False)
    pytest.skip(msg)


@pytest.fixture(scope="module")
def tj3() -> str:
    return require_tj3()


class Clock:
    """tj3's working time: Mon-Fri 9-12 and 13-18 minus HOLIDAYS, from PROJECT_START."""

    def __init__(self, calendar_days: int) -> None:
        every = (PROJECT_START + dt.timedelta(days=k) for k in range(calendar_days))
        self.days = [d for d in every if d.weekday() < 5 and d not in HOLIDAYS]
        self.working = set(self.days)

    @staticmethod
    def hours_worked(moment: dt.datetime) -> float:
        """Working hours done on ``moment``'s day by ``moment``."""
        hour = moment.hour + moment.minute / 60
        return sum(min(max(hour, a), b) - a for a, b in WORKING_HOURS)

    def offset(self, moment: dt.datetime) -> int:
        """Working days completed at ``moment`` (it must be at a day boundary)."""
        before = bisect.bisect_left(self.days, moment.date())
        hours = self.hours_worked(moment) if moment.date() in self.working else 0
        assert hours in (0, 8), f"tj3 date {moment} is inside a working day"
        return before + int(hours) // 8

    def end_of_day(self, offset: int) -> dt.datetime:
        """The moment ``offset`` working days are done (18:00 of the last one)."""
        if offset == 0:
            return dt.datetime.combine(PROJECT_START, dt.time(0))
        return dt.datetime.combine(self.days[offset - 1], dt.time(18))

    def first_work_on(self, moment: dt.datetime) -> dt.date:
        """Day of the first working hour at or after ``moment``."""
        if moment.date() in self.working and self.hours_worked(moment) < 8:
            return moment.date()
        return self.days[bisect.bisect_right(self.days, moment.date())]

    def last_work_by(self, moment: dt.datetime) -> dt.date:
        """Day of the last working hour done by ``moment`` (project start: day 0)."""
        if moment.date() in self.working and self.hours_worked(moment) > 0:
            return moment.date()
        before = bisect.bisect_left(self.days, moment.date())
        return self.days[max(before - 1, 0)]


@dataclass(frozen=True)
class TjDependency:
    """One tj3 ``depends``/``precedes`` entry: other task, its start or end, gap."""

    other: str
    on_end: bool
    gap: int

    def tjp(self) -> str:
        options = ["onend" if self.on_end else "onstart"]
        if self.gap:
            options.append(f"gaplength {self.gap}d")
        return f"{self.other} {{ {' '.join(options)} }}"


def early_form(
    kind: str, lag: int, d_pred: int, d_succ: int
) -> tuple[bool, int] | None:
    """``depends pred {onend?, gap}`` equivalent to the link, or None."""
    if kind[1] == "S" and lag >= 0:  # native: FS (onend), SS (onstart)
        return kind[0] == "F", lag
    w = link_weight(kind, lag, d_pred, d_succ)  # ES_succ >= ES_pred + w
    if w - d_pred >= 0:
        return True, w - d_pred
    return (False, w) if w >= 0 else None


def late_form(kind: str, lag: int, d_pred: int, d_succ: int) -> tuple[bool, int] | None:
    """``pred precedes succ {onend?, gap}`` equivalent to the link, or None."""
    if kind[0] == "F" and lag >= 0:  # native: FS (onstart), FF (onend)
        return kind[1] == "F", lag
    h = link_weight(kind, lag, d_pred, d_succ) + d_succ - d_pred  # EF_s >= EF_p + h
    if h - d_succ >= 0:
        return False, h - d_succ
    return (True, h) if h >= 0 else None


def link_rows(links: pd.DataFrame) -> list[tuple[str, str, str, int]]:
    """(predecessor, successor, type, lag) of every link."""
    columns = [links[c].tolist() for c in ("predecessor", "successor", "type", "lag")]
    return [
        (str(p), str(s), str(t), int(lag))
        for p, s, t, lag in zip(*columns, strict=True)
    ]


def smallest_lag(kind: str, d_pred: int, d_succ: int) -> int:
    """The smallest lag for which both ``early_form`` and ``late_form`` exist."""
    return -link_weight(kind, 0, d_pred, d_succ) + max(0, d_pred - d_succ)


def fit_lags(tasks: pd.DataFrame, links: pd.DataFrame) -> pd.DataFrame:
    """Raise each lag tj3 cannot express to the smallest one it can."""
    duration = dict(zip(tasks["task_id"], tasks["duration"].astype(int), strict=True))
    smallest = [
        smallest_lag(kind, duration[p], duration[s])
        for p, s, kind, _ in link_rows(links)
    ]
    return links.assign(lag=links["lag"].clip(lower=pd.Series(smallest)))


@dataclass
class Encoded:
    """A network as tj3 dependencies, by task id."""

    depends: dict[str, list[TjDependency]]
    precedes: dict[str, list[TjDependency]]
    native: int  # FS links with lag >= 0: written as they are in both projects
    rewritten: int  # written in an equivalent form in at least one project


def encode(
    tasks: pd.DataFrame, links: pd.DataFrame, tj_id: Mapping[str, str]
) -> Encoded:
    duration = dict(zip(tasks["task_id"], tasks["duration"].astype(int), strict=True))
    depends: dict[str, list[TjDependency]] = {t: [] for t in tj_id}
    precedes: dict[str, list[TjDependency]] = {t: [] for t in tj_id}
    native = 0
    for p, s, kind, lag in link_rows(links):
        early = early_form(kind, lag, duration[p], duration[s])
        late = late_form(kind, lag, duration[p], duration[s])
        if early is None or late is None:
            msg = (
                f"tj3 cannot express {kind} {p}({duration[p]}d) -> {s}({duration[s]}d) "
                f"with lag {lag}: use fit_lags (smallest lag "
                f"{smallest_lag(kind, duration[p], duration[s])})"
            )
            raise AssertionError(msg)
        depends[s].append(TjDependency(tj_id[p], *early))
        precedes[p].append(TjDependency(tj_id[s], *late))
        native += kind == "FS" and lag >= 0
    return Encoded(depends, precedes, native, len(links) - native)


def project_header(end: dt.date) -> str:
    leaves = ",\n  ".join(
        f'holiday "h{i}" {d.isoformat()}' for i, d in enumerate(HOLIDAYS)
    )
    hours = ", ".join(f"{a}:00 - {b}:00" for a, b in WORKING_HOURS)
    return f"""\
project cpm "pmo-kit cross-check" {PROJECT_START.isoformat()} - {end.isoformat()} {{
  timezone "UTC"
  timeformat "%Y-%m-%d %H:%M"
  dailyworkinghours 8
  workinghours mon - fri {hours}
  workinghours sat, sun off
}}
leaves {leaves}
"""


REPORT = """
taskreport dates "dates" {
  formats csv
  columns id, start, end
  timeformat "%Y-%m-%d %H:%M"
  sorttasks id.up
}
"""


def stamp(moment: dt.datetime) -> str:
    return moment.strftime("%Y-%m-%d-%H:%M")


def run_tj3(tj3: str, folder: Path, text: str) -> dict[str, tuple[dt.datetime, ...]]:
    """Schedule one project; return {tj3 id: (start, end)}."""
    folder.mkdir()
    (folder / "project.tjp").write_text(text, encoding="utf-8")
    done = subprocess.run(
        [
            tj3,
            "--silent",
            "--no-color",
            "--abort-on-warnings",
            "-o",
            ".",
            "project.tjp",
        ],
        cwd=folder,
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )
    assert done.returncode == 0, f"tj3 failed:\n{done.stdout}\n{done.stderr}"
    with (folder / "dates.csv").open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle, delimiter=";"))
    return {
        row["Id"]: tuple(
            dt.datetime.strptime(row[c], "%Y-%m-%d %H:%M") for c in ("Start", "End")
        )
        for row in rows
    }


@dataclass
class Tj3Schedule:
    offsets: pd.DataFrame  # early/late start/finish offsets by task_id
    dates: pd.DataFrame  # the days tj3 schedules work on, by task_id
    finish: int


def schedule_with_tj3(
    tj3: str,
    folder: Path,
    tasks: pd.DataFrame,
    links: pd.DataFrame,
    tj_id: Mapping[str, str],
    snet: Mapping[str, int],
) -> Tj3Schedule:
    encoded = encode(tasks, links, tj_id)
    horizon = int(tasks["duration"].sum() + links["lag"].clip(lower=0).sum()) + 60
    clock = Clock(calendar_days=2 * horizon + 60)
    end = clock.days[horizon]
    duration = dict(zip(tasks["task_id"], tasks["duration"].astype(int), strict=True))

    def body(task: str) -> str:
        return "milestone" if duration[task] == 0 else f"length {duration[task]}d"

    early_text = [project_header(end)]
    for task, offset in snet.items():
        start = dt.datetime.combine(clock.days[offset], dt.time(9))
        anchor = f"milestone start {stamp(start)}"
        early_text.append(f'task snet_{tj_id[task]} "SNET {task}" {{ {anchor} }}\n')
    for task, ident in tj_id.items():
        deps = [d.tjp() for d in encoded.depends[task]]
        if task in snet:
            deps.append(f"snet_{ident} {{ onstart }}")
        line = f"  depends {', '.join(deps)}\n" if deps else ""
        early_text.append(f'task {ident} "{task}" {{\n  {body(task)}\n{line}}}\n')
    early_text.append(REPORT)
    early = run_tj3(tj3, folder / "early", "".join(early_text))

    back = {ident: task for task, ident in tj_id.items()}
    es = {back[i]: clock.offset(se[0]) for i, se in early.items() if i in back}
    ef = {back[i]: clock.offset(se[1]) for i, se in early.items() if i in back}
    finish = max(ef.values(), default=0)

    late_text = [project_header(end)]
    anchor = f"milestone start {stamp(clock.end_of_day(finish))}"
    late_text.append(f'task zz_finish "finish" {{ {anchor} }}\n')
    for task, ident in tj_id.items():
        deps = [d.tjp() for d in encoded.precedes[task]] + ["zz_finish { onstart }"]
        line = f"  precedes {', '.join(deps)}\n"
        late_text.append(f'task {ident} "{task}" {{\n  {body(task)}\n{line}}}\n')
    late_text.append(REPORT)
    late = run_tj3(tj3, folder / "late", "".join(late_text))
    ls = {back[i]: clock.offset(se[0]) for i, se in late.items() if i in back}
    lf = {back[i]: clock.offset(se[1]) for i, se in late.items() if i in back}

    ids = list(tasks["task_id"])
    offsets = pd.DataFrame(
        {
            "early_start": [es[t] for t in ids],
            "early_finish": [ef[t] for t in ids],
            "late_start": [ls[t] for t in ids],
            "late_finish": [lf[t] for t in ids],
        },
        index=pd.Index(ids, name="task_id"),
    )
    offsets["total_float"] = offsets["late_start"] - offsets["early_start"]
    free = {t: finish - ef[t] for t in ids}
    for p, s, kind, lag in link_rows(links):
        source = ef[p] if kind[0] == "F" else es[p]
        target = ef[s] if kind[1] == "F" else es[s]
        free[p] = min(free[p], target - source - lag)
    offsets["free_float"] = [free[t] for t in ids]
    offsets["critical"] = offsets["total_float"] <= 0

    def days(
        runs: dict[str, tuple[dt.datetime, ...]], task: str
    ) -> tuple[dt.date, ...]:
        start, end = runs[tj_id[task]]
        if duration[task] == 0:  # the day its predecessors finish
            return clock.last_work_by(start), clock.last_work_by(end)
        return clock.first_work_on(start), clock.last_work_by(end)

    dates = pd.DataFrame(
        [days(early, t) + days(late, t) for t in ids],
        columns=DATE_COLUMNS,
        index=pd.Index(ids, name="task_id"),
    )
    return Tj3Schedule(offsets[RESULT_COLUMNS], dates, finish)


def compare(got: pd.DataFrame, expected: Tj3Schedule) -> None:
    finish = got.attrs["project_finish"]
    assert finish == expected.finish, f"finish {finish}, tj3 {expected.finish}"
    diff = (got[RESULT_COLUMNS] != expected.offsets).any(axis=1)
    if diff.any():
        both = pd.concat(
            {"engine": got.loc[diff, RESULT_COLUMNS], "tj3": expected.offsets[diff]},
            axis=1,
        )
        pytest.fail(f"{int(diff.sum())} tasks differ:\n{both.head(10).to_string()}")
    engine_dates = got[DATE_COLUMNS].apply(lambda c: c.dt.date)
    diff = (engine_dates != expected.dates).any(axis=1)
    if diff.any():
        both = pd.concat(
            {"engine": engine_dates[diff], "tj3": expected.dates[diff]}, axis=1
        )
        pytest.fail(
            f"{int(diff.sum())} tasks' dates differ:\n{both.head(10).to_string()}"
        )


def cross_check(
    tj3: str,
    folder: Path,
    tasks: pd.DataFrame,
    links: pd.DataFrame,
    snet: Mapping[str, int] | None = None,
) -> Encoded:
    tj_id = {str(t): f"t{i}" for i, t in enumerate(tasks["task_id"])}
    encoded = encode(tasks, links, tj_id)
    expected = schedule_with_tj3(tj3, folder, tasks, links, tj_id, snet or {})
    got = critical_path(
        tasks,
        links,
        start=PROJECT_START,
        calendar=WorkCalendar(holidays=HOLIDAYS),
        start_no_earlier_than=dict(snet or {}),
    )
    compare(got, expected)
    return encoded


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_finish_to_start_with_lags_matches_tj3(
    tj3: str, tmp_path: Path, seed: int
) -> None:
    """FS links with lags 0-5: everything is native tj3."""
    n = random.Random(seed).randint(30, 80)
    tasks, links = random_network(n, 2 * n, seed=seed, link_types=("FS",), min_lag=0)
    encoded = cross_check(tj3, tmp_path, tasks, links)
    assert encoded.rewritten == 0


@pytest.mark.parametrize("seed", [11, 12, 13, 14])
def test_all_link_types_and_leads_match_tj3(
    tj3: str, tmp_path: Path, seed: int
) -> None:
    """FS/SS/FF/SF, leads and lags, a few start-no-earlier-than constraints."""
    rng = random.Random(seed)
    n = rng.randint(30, 80)
    tasks, drawn = random_network(n, 2 * n, seed=seed, max_lag=5, min_lag=-5)
    links = fit_lags(tasks, drawn)
    snet = {str(t): rng.randint(0, 40) for t in rng.sample(list(tasks["task_id"]), 3)}
    encoded = cross_check(tj3, tmp_path, tasks, links, snet)
    assert set(links["type"]) == {"FS", "SS", "FF", "SF"}
    assert (links["lag"] < 0).any()  # leads (on FS links between long enough tasks)
    assert encoded.native > len(links) // 2
    assert encoded.rewritten > 0


def test_harness_reads_tj3_dates(tj3: str, tmp_path: Path) -> None:
    """The tj3 side alone on a hand-checked network (Monday 15 January is a holiday).

    A(5d) -FS+2-> B(2d); B -SS-> C(3d); A -FS-> M (milestone) -FS-> D(3d);
    E (milestone) -SS+1-> F(1d).
    """
    tasks = pd.DataFrame(
        {"task_id": list("ABCMDEF"), "duration": [5, 2, 3, 0, 3, 0, 1]}
    )
    links = pd.DataFrame(
        {
            "predecessor": ["A", "B", "A", "M", "E"],
            "successor": ["B", "C", "M", "D", "F"],
            "type": ["FS", "SS", "FS", "FS", "SS"],
            "lag": [2, 0, 0, 0, 1],
        }
    )
    tj_id = {t: t.lower() for t in tasks["task_id"]}
    encoded = encode(tasks, links, tj_id)
    assert (encoded.native, encoded.rewritten) == (3, 2)
    got = schedule_with_tj3(tj3, tmp_path, tasks, links, tj_id, {"D": 12})
    assert got.finish == 15
    assert got.offsets["early_start"].to_dict() == {
        "A": 0,
        "B": 7,
        "C": 7,
        "M": 5,
        "D": 12,
        "E": 0,
        "F": 1,
    }
    assert got.offsets["late_finish"].to_dict() == {
        "A": 10,
        "B": 14,
        "C": 15,
        "M": 12,
        "D": 15,
        "E": 13,
        "F": 15,
    }
    assert [got.dates.at["B", c] for c in DATE_COLUMNS] == [
        dt.date(2024, 1, 10),
        dt.date(2024, 1, 11),
        dt.date(2024, 1, 18),  # working day 12: the 15th is a holiday
        dt.date(2024, 1, 19),
    ]
    assert got.dates.loc["M", "early_start_date"] == dt.date(2024, 1, 5)  # A's finish
