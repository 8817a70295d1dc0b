"""
Sprints, work items and their status history for agile and hybrid projects.

Times are drawn in "working minutes" from the project start (09:00 to 17:30 on
working days) and converted to date-times at the end, so every change happens in
office hours and time order is preserved.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import numpy.typing as npt
import pandas as pd

from pmo_kit.data.tables import empty_table

if TYPE_CHECKING:
    from pmo_kit.data._generator.random import Dice
    from pmo_kit.data._generator.schedule import Plan

__all__ = ["build_agile"]

DAY = 510  # working minutes per day, 09:00-17:30
TODO, DOING, REVIEW, DONE = "To Do", "In Progress", "In Review", "Done"

_THEMES = {
    "it": (
        "general ledger migration",
        "payables interface",
        "fixed-asset reports",
        "CRM data ingestion",
        "sales dashboard",
        "finance data mart",
        "data quality rules",
        "access roles",
    ),
    "reg": (
        "retention rules for CRM",
        "retention rules for the HR system",
        "deletion-request workflow",
        "legal-hold register",
        "evidence collector",
        "file-share clean-up",
        "consent records",
        "deletion logs",
    ),
    "ops": (
        "sensor data feed",
        "maintenance alerts",
        "shift dashboard",
        "operator checklists",
        "spare-parts lookup",
        "downtime reports",
    ),
}
_ASPECTS = (
    "happy path",
    "validation and error messages",
    "empty and loading states",
    "audit logging",
    "API integration",
    "mobile layout",
    "access rights",
    "email confirmation",
    "large-account edge cases",
    "analytics events",
    "performance under load",
    "accessibility labels",
    "translations (NL, FR, DE)",
    "admin settings",
    "retry after network failure",
    "reconciliation report",
)
_BUGS = (
    "Dates shown in US format on {t}",
    "Timeout when saving {t}",
    "Wrong totals after refresh in {t}",
    "Duplicate records created by {t}",
    "Error 500 on empty input in {t}",
    "Missing translation in {t}",
    "Sorting ignores accents in {t}",
    "Session expires during {t}",
)
_TASKS = (
    "Upgrade build pipeline runners",
    "Set up monitoring alerts",
    "Update API documentation",
    "Refresh test data",
    "Rotate service credentials",
    "Clean up feature flags",
    "Add smoke tests to the release pipeline",
    "Review logging of personal data",
)
_SPIKES = (
    "Spike: options for {t}",
    "Spike: performance of {t}",
    "Spike: vendor API for {t}",
    "Spike: estimate the data volume of {t}",
)
_GOALS = (
    "Deliver {t} to test users",
    "Finish {t} and stabilise the release",
    "Make {t} ready for the pilot",
    "Close the top bugs and finish {t}",
)
_TYPES = ("story", "bug", "task", "spike")


class _Item:
    __slots__ = ("created", "events", "kind", "points", "sprint", "summary")

    def __init__(
        self, kind: str, summary: str, points: float | None, created: int
    ) -> None:
        self.kind = kind
        self.summary = summary
        self.points = points
        self.created = created
        self.sprint: int | None = None
        self.events: list[tuple[int, str | None, str]] = [(created, None, TODO)]

    @property
    def status(self) -> str:
        return self.events[-1][2]

    def move(self, times: list[int], path: tuple[str, ...]) -> None:
        for t, to in zip(times, path, strict=True):
            self.events.append((t, self.status, to))


def _times(lo: int, hi: int, k: int, rng: Dice) -> list[int]:
    """``k`` strictly increasing minutes in ``(lo, hi)``; needs ``hi - lo > k``."""
    room = max(hi - lo - k, 1)
    base = sorted(rng.integers(0, room) for _ in range(k))
    return [lo + 1 + b + i for i, b in enumerate(base)]


def _work(
    item: _Item, lo: int, hi: int, finish: bool, start_prob: float, rng: Dice
) -> None:
    """Move an item forward in ``(lo, hi)``: start it if needed, maybe finish it."""
    lo = max(lo, item.events[-1][0])
    status = item.status
    path: list[str] = []
    if status == TODO:
        if not finish and rng.random() >= start_prob:
            return
        path.append(DOING)
        status = DOING
    if finish:
        if status == DOING:
            path.append(REVIEW)
        if rng.random() < 0.12:
            path += [DOING, REVIEW]
        path.append(DONE)
    elif status == DOING and rng.random() < 0.35:
        path.append(REVIEW)
    if path and hi - lo > len(path) + 1:
        item.move(_times(lo, hi, len(path), rng), tuple(path))


def build_agile(
    plans: list[Plan], rng: Dice
) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """Sprints, work items and status changes of every agile and hybrid project."""
    sprints: list[tuple[object, ...]] = []
    out = _Columns()
    for plan in plans:
        if plan.methodology == "predictive" or plan.phase in {"initiation", "planning"}:
            continue
        phases = (3, 4, 5) if plan.methodology == "agile" else (4,)
        mask = np.isin(plan.phase_no, phases) & (plan.duration > 0)
        begun = plan.act_start[mask]
        if (begun < 0).all():
            continue
        finished = bool((plan.act_finish[mask] >= 0).all())
        last = int(plan.act_finish[mask].max()) if finished else plan.elapsed - 1
        first = plan.day(int(begun[begun >= 0].min()))
        monday = np.busday_offset(first, 0, roll="forward", weekmask="Mon")
        s0 = int(np.busday_count(plan.start, monday))
        starts = list(range(s0, min(last, plan.elapsed - 1) + 1, 10))
        if not starts:
            continue
        _one_project(plan, starts, finished, rng, sprints, out)
    return _frames(sprints, out)


def _one_project(
    plan: Plan,
    starts: list[int],
    finished: bool,
    rng: Dice,
    sprints: list[tuple[object, ...]],
    out: _Columns,
) -> None:
    ctx = plan.brief.context
    themes = _THEMES.get(plan.brief.domain) or tuple(
        ctx.get(f"f{i}", "") for i in range(6)
    )
    cutoff = plan.elapsed * DAY - 1
    past = [sd + 9 <= plan.elapsed - 1 for sd in starts]
    missed = max(0, sum(past) - 3) if "missed_sprint" in plan.flags else -1
    velocity = rng.uniform(22, 38)
    items: list[_Item] = []
    carry: list[_Item] = []
    for n, sd in enumerate(starts):
        theme = themes[(n // 2) % len(themes)]
        lo, hi = sd * DAY, min((sd + 10) * DAY - 1, cutoff)
        carried = sum(i.points or 0 for i in carry)
        target = max(velocity * 0.5, velocity * rng.uniform(0.9, 1.1) - carried)
        new: list[_Item] = []
        while sum(i.points or 0 for i in new) < target:
            created = max(0, lo - rng.integers(1, 10 * DAY))
            new.append(_new_item(theme, created, rng))
        items += new
        committed = carry + new
        for item in committed:
            item.sprint = n
        total = sum(i.points or 0 for i in committed)
        closing_sprint = finished and n == len(starts) - 1
        ratio = (
            1.0 if closing_sprint else (0.55 if n == missed else rng.uniform(0.82, 1.0))
        )
        share = 1.0 if past[n] else (plan.elapsed - sd) / 10
        done = (
            set(committed)
            if closing_sprint
            else _pick_done(committed, ratio * share * total, rng)
        )
        if past[n] and n != missed and not closing_sprint:
            _top_up(committed, done, 0.8 * total)
        start_prob = 0.9 if past[n] else min(1.0, share + 0.2)
        for item in committed:
            _work(item, lo, hi, item in done, start_prob, rng)
        carry = [i for i in committed if i.status != DONE]
        sprints.append(
            (
                plan.project_id,
                f"S{n + 1:02d}",
                f"Sprint {n + 1}",
                _GOALS[n % len(_GOALS)].format(t=theme),
                plan.day(sd),
                plan.day(sd + 9),
                total,
            )
        )
    if not finished and plan.phase == "execution":
        for _ in range(rng.integers(5, 12)):
            created = cutoff - rng.integers(1, 15 * DAY)
            items.append(_new_item(themes[-1], created, rng))
    _emit(plan, items, out)


_TYPE_CUM = (0.68, 0.84, 0.94, 1.0)
_POINTS = (1.0, 2.0, 3.0, 5.0, 8.0, 13.0)
_POINTS_CUM = (0.08, 0.28, 0.56, 0.81, 0.95, 1.0)


def _new_item(theme: str, created: int, rng: Dice) -> _Item:
    kind = _TYPES[rng.pick(_TYPE_CUM)]
    points: float | None
    if kind == "story":
        points = _POINTS[rng.pick(_POINTS_CUM)]
        summary = f"{theme[:1].upper()}{theme[1:]}: {_ASPECTS[rng.integers(0, 16)]}"
    elif kind == "spike":
        points = _POINTS[rng.integers(0, 4)]
        summary = _SPIKES[rng.integers(0, len(_SPIKES))].format(t=theme)
    else:
        points = float(rng.integers(1, 4)) if rng.random() < 0.55 else None
        pool = _BUGS if kind == "bug" else _TASKS
        summary = pool[rng.integers(0, len(pool))].format(t=theme)
    return _Item(kind, summary, points, created)


def _pick_done(committed: list[_Item], budget: float, rng: Dice) -> set[_Item]:
    """Items finished within ``budget`` points, in order; unpointed ones mostly."""
    done: set[_Item] = set()
    used = 0.0
    for item in committed:
        if item.points is None:
            if rng.random() < 0.8 * min(1.0, budget / max(used + 1, 1)):
                done.add(item)
        elif used + item.points <= budget + 1e-9:
            done.add(item)
            used += item.points
    return done


def _top_up(committed: list[_Item], done: set[_Item], floor_points: float) -> None:
    used = sum(i.points or 0 for i in done)
    for item in committed:
        if used >= floor_points:
            return
        if item not in done:
            done.add(item)
            used += item.points or 0


class _Columns:
    """Column-wise accumulator of the work_items and status_changes rows."""

    def __init__(self) -> None:
        self.items: dict[str, list[object]] = {c: [] for c in _ITEM_TEXT}
        self.item_times: dict[str, list[npt.NDArray[np.datetime64]]] = {
            c: [] for c in ("created", "started", "resolved")
        }
        self.changes: dict[str, list[object]] = {c: [] for c in _CHANGE_TEXT}
        self.change_times: list[npt.NDArray[np.datetime64]] = []


_ITEM_TEXT = ("project_id", "key", "type", "summary", "points", "status", "sprint_id")
_CHANGE_TEXT = ("project_id", "key", "from_status", "to_status")


def _clock(plan: Plan, minutes: list[int]) -> npt.NDArray[np.datetime64]:
    """Date-times of working minutes from the project start; negative = empty."""
    m = np.array(minutes, dtype=np.int64)
    days = np.busday_offset(plan.start, np.maximum(m, 0) // DAY).astype("datetime64[m]")
    stamps = days + (540 + np.maximum(m, 0) % DAY).astype("timedelta64[m]")
    out: npt.NDArray[np.datetime64] = np.where(
        m >= 0, stamps, np.datetime64("NaT", "m")
    )
    return out


def _emit(plan: Plan, items: list[_Item], out: _Columns) -> None:
    keys = [f"{plan.prefix}-{n}" for n in range(1, len(items) + 1)]
    col = out.items
    col["project_id"] += [plan.project_id] * len(items)
    col["key"] += keys
    col["type"] += [i.kind for i in items]
    col["summary"] += [i.summary for i in items]
    col["points"] += [np.nan if i.points is None else i.points for i in items]
    col["status"] += [i.status for i in items]
    col["sprint_id"] += [
        None if i.sprint is None else f"S{i.sprint + 1:02d}" for i in items
    ]
    times = out.item_times
    times["created"].append(_clock(plan, [i.created for i in items]))
    times["started"].append(
        _clock(
            plan, [next((t for t, _, to in i.events if to == DOING), -1) for i in items]
        )
    )
    times["resolved"].append(
        _clock(plan, [i.events[-1][0] if i.status == DONE else -1 for i in items])
    )
    changes = out.changes
    minutes: list[int] = []
    for key, item in zip(keys, items, strict=True):
        changes["key"] += [key] * len(item.events)
        for t, before, after in item.events:
            minutes.append(t)
            changes["from_status"].append(before)
            changes["to_status"].append(after)
    changes["project_id"] += [plan.project_id] * len(minutes)
    out.change_times.append(_clock(plan, minutes))


def _frames(
    sprints: list[tuple[object, ...]], out: _Columns
) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    sp = pd.DataFrame(
        sprints,
        columns=[
            "project_id",
            "sprint_id",
            "name",
            "goal",
            "start",
            "end",
            "committed_points",
        ],
    )
    for column in ("start", "end"):
        sp[column] = pd.to_datetime(sp[column])
    if not out.change_times:
        return sp, empty_table("work_items"), empty_table("status_changes")
    wi = pd.DataFrame(out.items)
    for column, parts in out.item_times.items():
        wi[column] = pd.to_datetime(np.concatenate(parts))
    sc = pd.DataFrame(out.changes)
    sc.insert(2, "timestamp", pd.to_datetime(np.concatenate(out.change_times)))
    return sp, wi, sc
