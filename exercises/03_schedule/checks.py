"""
Checks of exercise 03, *Forward and backward pass*: CPM by hand, then PERT.

The right answers are computed from the network in the notebook with the kit's
schedule engine (``critical_path``, ``pert_analysis``), never written down here.
When an answer is wrong, the check finds the FIRST task that is wrong (in the order
of the pass: forward for early starts, backward for late starts), so one mistake is
not reported again for every task after it, and says what went wrong there: the
predecessor it used, the lag it forgot, the largest late start it took instead of
the smallest.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from statistics import NormalDist

import pandas as pd

from pmo_kit.schedule import critical_path, pert_analysis, pert_estimates
from pmo_kit.training import Tolerance, as_number, check, fail

#: Tolerance on a probability: reading a normal table to two decimals is right.
PROBABILITY = Tolerance(absolute=0.01)
#: Tolerance on a PERT duration (means have decimals).
DURATION = Tolerance(absolute=0.05)


# ----------------------------------------------------------------- the network


@dataclass(frozen=True)
class Link:
    """One finish-to-start link (the only type this exercise uses)."""

    predecessor: str
    successor: str
    lag: int


@dataclass(frozen=True)
class Network:
    """The notebook's network with its true schedule."""

    duration: dict[str, int]
    links: list[Link]
    schedule: pd.DataFrame

    @property
    def ids(self) -> list[str]:
        """Task ids in table order."""
        return list(self.duration)

    @property
    def finish(self) -> int:
        """Project finish (working days)."""
        return int(self.schedule.attrs["project_finish"])

    def value(self, column: str, task: str) -> int:
        """One figure of the true schedule."""
        return int(self.schedule[column].to_dict()[task])

    def column(self, column: str) -> dict[str, int]:
        """One column of the true schedule, by task id."""
        return {task: self.value(column, task) for task in self.ids}

    def into(self, task: str) -> list[Link]:
        """Links into ``task`` (from its predecessors)."""
        return [link for link in self.links if link.successor == task]

    def out_of(self, task: str) -> list[Link]:
        """Links out of ``task`` (to its successors)."""
        return [link for link in self.links if link.predecessor == task]

    def forward_order(self) -> list[str]:
        """Tasks in the order of the forward pass (early start, then table order)."""
        return sorted(self.ids, key=lambda t: (self.value("early_start", t),))

    def backward_order(self) -> list[str]:
        """Tasks in the order of the backward pass (latest late finish first)."""
        return sorted(
            self.ids,
            key=lambda t: (-self.value("late_finish", t), -self.ids.index(t)),
        )


def _network(tasks: pd.DataFrame, links: pd.DataFrame) -> Network:
    if not isinstance(tasks, pd.DataFrame) or not isinstance(links, pd.DataFrame):
        fail(
            "`tasks` and `links` are no longer the tables of the network: run the "
            "cell that defines them again (near the top of the notebook)."
        )
    kinds = set(links.get("type", pd.Series(["FS"])).fillna("FS"))
    if kinds - {"FS"}:
        fail(
            "This exercise uses finish-to-start links only; `links` has "
            f"{', '.join(sorted(kinds - {'FS'}))}. Run the network cell again."
        )
    duration = {
        str(t): int(d) for t, d in zip(tasks["task_id"], tasks["duration"], strict=True)
    }
    lags = links["lag"] if "lag" in links else pd.Series(0, index=links.index)
    link_list = [
        Link(str(p), str(s), int(lag))
        for p, s, lag in zip(
            links["predecessor"], links["successor"], lags.fillna(0), strict=True
        )
    ]
    return Network(duration, link_list, critical_path(tasks, links))


# ------------------------------------------------------------------ reading answers


def _per_task(
    value: object, net: Network, variable: str, example: str
) -> dict[str, float]:
    """Return the learner's answer as {task id: number}, or fail saying why not."""
    shape = f"a dict keyed by task id, such as `{variable} = {example}`"
    if isinstance(value, pd.DataFrame):
        fail(
            f"You gave a whole table. Give {shape}; from a table with one row per "
            "task, take one column, e.g. `table.set_index('task_id')['column']`."
        )
    if isinstance(value, pd.Series):
        value = value.to_dict()
    if isinstance(value, list | tuple):
        fail(
            f"A list has no task ids, so the check cannot tell which number is which "
            f"task. Give {shape}."
        )
    if not isinstance(value, dict):
        fail(f"Give {shape}, not a {type(value).__name__}.")
    answers: dict[str, float] = {}
    for key, number in value.items():
        task = str(key).strip().upper()
        if task not in net.duration:
            fail(
                f"{key!r} is not a task of the network. The tasks are "
                f"{', '.join(net.ids)}."
            )
        answers[task] = as_number(number, f"{variable}[{task!r}]")
    missing = [t for t in net.ids if t not in answers]
    if missing:
        fail(
            f"No value for task(s) {', '.join(missing)}: give one for every task "
            f"({', '.join(net.ids)})."
        )
    for task, number in answers.items():
        if not number.is_integer():
            fail(
                f"Task {task}: {number:g} is not a whole number. Durations and lags "
                "are whole working days, so every date in the pass is one too."
            )
    return answers


def _same(answers: dict[str, float], truth: dict[str, int]) -> bool:
    return all(answers[t] == truth[t] for t in truth)


def _lag_text(link: Link) -> str:
    if link.lag > 0:
        return f" + {link.lag} days lag"
    if link.lag < 0:
        return f" - {-link.lag} days lead"
    return ""


# ------------------------------------------------------------- forward pass (ES)


def _diagnose_early_start(task: str, value: float, net: Network) -> None:
    """Fail with what went wrong at the first task whose early start is wrong."""
    truth = net.value("early_start", task)
    incoming = net.into(task)
    if not incoming:
        fail(
            f"Task {task} has no predecessor: it starts at the project start, day 0 "
            f"(you have {value:g})."
        )
    finish = {
        link.predecessor: net.value("early_finish", link.predecessor)
        for link in incoming
    }
    start = {
        link.predecessor: net.value("early_start", link.predecessor)
        for link in incoming
    }
    allowed = {
        link.predecessor: finish[link.predecessor] + link.lag for link in incoming
    }
    parts = ", ".join(
        f"{link.predecessor} finishes at {finish[link.predecessor]}{_lag_text(link)}"
        for link in incoming
    )
    if value == net.value("early_finish", task):
        fail(
            f"Task {task}: {value:g} is its early FINISH (early start + duration). "
            "The question asks for the early start."
        )
    for link in incoming:
        p = link.predecessor
        if link.lag and value == finish[p] and allowed[p] == truth:
            fail(
                f"Task {task}: you forgot the lag of {link.lag} days on {p} -> {task}. "
                f"{task} may start {link.lag} working days after {p} finishes "
                f"({finish[p]}), not as soon as it finishes."
            )
    if len(incoming) > 1 and value == min(allowed.values()) < truth:
        used = [p for p, day in allowed.items() if day == value]
        fail(
            f"Task {task} waits for ALL its predecessors ({parts}). Its early start "
            f"is the LATEST of these; you took the earliest, from {used[0]}."
        )
    for link in incoming:
        p = link.predecessor
        if value == allowed[p] and allowed[p] < truth:
            others = [q for q in allowed if q != p]
            fail(
                f"Task {task}: you used {p} only ({allowed[p]}), but {task} also "
                f"waits for {', '.join(others)} ({parts}). Its early start is the "
                "latest of these."
            )
        if value == start[p] + link.lag and start[p] + link.lag != truth:
            fail(
                f"Task {task}: you started it from {p}'s early START ({start[p]}). "
                f"With a finish-to-start link, {task} can only start once {p} has "
                f"FINISHED: early finish = early start + duration."
            )
    if value == truth + 1:
        fail(
            f"Task {task}: one day too late ({value:g}). Offsets count from day 0: "
            "a predecessor that finishes at 5 lets its successor start at 5 (the "
            "start of the sixth day), not at 6."
        )
    fail(
        f"Task {task}: early start = the latest of (early finish of each "
        f"predecessor + lag): {parts}. You have {value:g}."
    )


@check(
    hint=(
        "Forward pass: early start = the LATEST early finish of the predecessors "
        "(plus the link's lag), 0 for a task without predecessors; early finish = "
        "early start + duration."
    )
)
def q1_early_start(
    tasks: pd.DataFrame, links: pd.DataFrame, early_start: object
) -> None:
    """
    Question 1: the early start of every task (forward pass).

    Parameters
    ----------
    tasks, links
        The network, given in the notebook.
    early_start
        The learner's early starts, keyed by task id.
    """
    net = _network(tasks, links)
    answers = _per_task(early_start, net, "early_start", "{'A': 0, 'B': ...}")
    if _same(answers, net.column("early_start")):
        return
    if _same(answers, net.column("early_finish")):
        fail(
            "These are the early FINISH times (early start + duration). Give the "
            "early starts: when each task can begin."
        )
    if _same(answers, {t: v + 1 for t, v in net.column("early_start").items()}):
        fail(
            "Every value is one too high: you count days from 1. The pass counts "
            "from day 0: the first task starts at 0, and a successor starts at the "
            "very number its predecessor finishes at."
        )
    if _same(answers, net.column("late_start")):
        fail(
            "These are the LATE starts (backward pass). Question 1 asks for the "
            "EARLY starts: walk the network from the start, forwards."
        )
    for task in net.forward_order():
        if answers[task] != net.value("early_start", task):
            _diagnose_early_start(task, answers[task], net)


@check(
    hint=(
        "The project finishes when its last task does: the LARGEST early finish "
        "(early start + duration) over all tasks."
    )
)
def q2_project_finish(
    tasks: pd.DataFrame, links: pd.DataFrame, project_finish: object
) -> None:
    """
    Question 2: the project's duration in working days (its finish offset).

    Parameters
    ----------
    tasks, links
        The network, given in the notebook.
    project_finish
        The learner's finish.
    """
    net = _network(tasks, links)
    value = as_number(project_finish, "project_finish")
    if value == net.finish:
        return
    last = net.ids[-1]
    if value == net.value("early_finish", last):
        fail(
            f"{value:g} is the early finish of {last}, the last row of the table. "
            "The last row is not always the last task to finish: take the LARGEST "
            "early finish of all tasks."
        )
    if value == sum(net.duration.values()):
        fail(
            f"{value:g} adds up every duration, as if the tasks ran one after the "
            "other. Tasks on different paths run at the same time: the project takes "
            "as long as its longest path (the largest early finish)."
        )
    if value == net.finish - 1:
        fail(
            f"{value:g} is one day short. Offsets count from day 0: a project whose "
            f"last task finishes at {net.finish} takes {net.finish} working days."
        )
    without_lags = critical_path(
        pd.DataFrame({"task_id": net.ids, "duration": list(net.duration.values())}),
        pd.DataFrame(
            {
                "predecessor": [link.predecessor for link in net.links],
                "successor": [link.successor for link in net.links],
            }
        ),
    ).attrs["project_finish"]
    if value == without_lags:
        lagged = ", ".join(
            f"{link.predecessor} -> {link.successor}" for link in net.links if link.lag
        )
        fail(
            f"{value:g} would be right without lags. The link(s) {lagged} have a lag: "
            "the successor waits that many extra days."
        )
    assert value == net.finish, f"you have {value:g}"


# ------------------------------------------------------------ backward pass (LS)


def _diagnose_late_start(task: str, value: float, net: Network) -> None:
    """Fail with what went wrong at the first task whose late start is wrong."""
    truth = net.value("late_start", task)
    d = net.duration[task]
    outgoing = net.out_of(task)
    if value == net.value("late_finish", task) and d:
        fail(
            f"Task {task}: {value:g} is its late FINISH. Late start = late finish - "
            f"duration ({d} days)."
        )
    if not outgoing:
        if value == net.value("early_start", task):
            fail(
                f"Task {task} has no successor, so nothing waits for it but the end of "
                f"the project: its late finish is the project finish ({net.finish}), "
                f"and its late start = {net.finish} - {d}. You gave its early start."
            )
        fail(
            f"Task {task} has no successor: its late finish is the project finish "
            f"({net.finish}); late start = late finish - duration ({d}). You have "
            f"{value:g}."
        )
    late = {
        link.successor: net.value("late_start", link.successor) for link in outgoing
    }
    limit = {link.successor: late[link.successor] - link.lag for link in outgoing}
    parts = ", ".join(
        f"{link.successor} must start by {late[link.successor]}{_lag_text(link)}"
        for link in outgoing
    )
    for link in outgoing:
        s = link.successor
        if link.lag and value == late[s] - d and limit[s] - d == truth:
            fail(
                f"Task {task}: you forgot the lag of {link.lag} days on {task} -> {s}. "
                f"{task} must finish {link.lag} working days before {s}'s late start "
                f"({late[s]}), so its late finish is {late[s]} - {link.lag}."
            )
    if len(outgoing) > 1 and value == max(limit.values()) - d > truth:
        used = [s for s, day in limit.items() if day - d == value]
        fail(
            f"Late start of {task}: take the SMALLEST late start of its successors, "
            f"not the largest ({parts}). {task} must be finished in time for every "
            f"one of them; you took {used[0]}, the one that can wait longest."
        )
    for link in outgoing:
        s = link.successor
        if value == limit[s] - d and limit[s] - d > truth:
            others = [x for x in limit if x != s]
            fail(
                f"Task {task}: you used {s} only, but {task} also feeds "
                f"{', '.join(others)} ({parts}). Its late finish is the smallest of "
                "these."
            )
    if value == net.value("early_start", task):
        fail(
            f"Task {task}: {value:g} is its EARLY start. Late starts come from the "
            "backward pass: from the finish, late finish = the smallest late start of "
            "the successors (minus lag), late start = late finish - duration."
        )
    fail(
        f"Task {task}: late finish = the smallest (late start of each successor - "
        f"lag): {parts}; late start = late finish - {d}. You have {value:g}."
    )


@check(
    hint=(
        "Backward pass from the project finish: late finish = the SMALLEST late "
        "start of the successors (minus the link's lag), or the project finish for "
        "a task without successors; late start = late finish - duration."
    )
)
def q3_late_start(tasks: pd.DataFrame, links: pd.DataFrame, late_start: object) -> None:
    """
    Question 3: the late start of every task (backward pass).

    Parameters
    ----------
    tasks, links
        The network, given in the notebook.
    late_start
        The learner's late starts, keyed by task id.
    """
    net = _network(tasks, links)
    answers = _per_task(late_start, net, "late_start", "{'A': 0, 'B': ...}")
    if _same(answers, net.column("late_start")):
        return
    if _same(answers, net.column("late_finish")):
        fail("These are the late FINISH times. Late start = late finish - duration.")
    if _same(answers, net.column("early_start")):
        fail(
            "These are the EARLY starts from question 1. The late starts come from "
            "the backward pass, walking from the project finish to the start."
        )
    for task in net.backward_order():
        if answers[task] != net.value("late_start", task):
            _diagnose_late_start(task, answers[task], net)


# ------------------------------------------------------------------- float, path


@check(
    hint=(
        "Total float = late start - early start (the same as late finish - early "
        "finish)."
    )
)
def q4_total_float(
    tasks: pd.DataFrame, links: pd.DataFrame, total_float: object
) -> None:
    """
    Question 4: the total float of every task.

    Parameters
    ----------
    tasks, links
        The network, given in the notebook.
    total_float
        The learner's total floats, keyed by task id.
    """
    net = _network(tasks, links)
    answers = _per_task(total_float, net, "total_float", "{'A': 0, 'B': ...}")
    truth = net.column("total_float")
    if _same(answers, truth):
        return
    if _same(answers, {t: -v for t, v in truth.items()}):
        fail("Upside down: total float = late start - early start, not the reverse.")
    free = net.column("free_float")
    for task in net.ids:
        value = answers[task]
        if value == truth[task]:
            continue
        if value < 0:
            fail(
                f"Task {task}: {value:g} is negative. Late start is never before early "
                "start here: total float = late start - early start."
            )
        if value == free[task] != truth[task]:
            fail(
                f"Task {task}: {value:g} is its FREE float (how far it can slip before "
                f"its successors are delayed). Total float is how far it can slip "
                f"before the PROJECT is delayed: late start - early start."
            )
        fail(
            f"Task {task}: total float = late start - early start = "
            f"{net.value('late_start', task)} - {net.value('early_start', task)}. "
            f"You have {value:g}."
        )


def _task_list(value: object, net: Network) -> list[str]:
    if isinstance(value, str):
        parts = [p for p in re.split(r"[^A-Za-z0-9]+", value) if p]
        if (
            len(parts) == 1
            and len(parts[0]) > 1
            and parts[0].upper() not in net.duration
        ):
            parts = list(parts[0])
        value = parts
    if isinstance(value, pd.Series | pd.Index):
        value = list(value)
    if not isinstance(value, list | tuple):
        fail(
            "Give the critical path as a list of task ids from start to finish, such "
            "as ['A', 'B', ...]."
        )
    path = [str(t).strip().upper() for t in value]
    unknown = [t for t in path if t not in net.duration]
    if unknown:
        fail(f"{unknown[0]!r} is not a task. The tasks are {', '.join(net.ids)}.")
    return path


@check(
    hint=(
        "The critical path is the chain of tasks with zero total float, from the "
        "first task to the last, in order."
    )
)
def q5_critical_path(
    tasks: pd.DataFrame, links: pd.DataFrame, critical_path: object
) -> None:
    """
    Question 5: the critical path, as task ids in order.

    Parameters
    ----------
    tasks, links
        The network, given in the notebook.
    critical_path
        The learner's path.
    """
    net = _network(tasks, links)
    path = _task_list(critical_path, net)
    truth = [t for t in net.forward_order() if net.value("total_float", t) <= 0]
    if path == truth:
        return
    for task in path:
        if task not in truth:
            fail(
                f"Task {task} has {net.value('total_float', task)} days of total "
                "float: it can slip without delaying the project, so it is not on "
                "the critical path."
            )
    missing = [t for t in truth if t not in path]
    if missing:
        fail(
            f"Task {missing[0]} has no float, so it is critical too. The critical "
            "path runs unbroken from the first task to the last."
        )
    if sorted(path) == sorted(truth):
        fail("The right tasks, but give them in order, from the start to the finish.")
    assert path == truth, f"you have {path}"


# ------------------------------------------------------------------------ PERT


def _pert(
    pert_tasks: pd.DataFrame, pert_links: pd.DataFrame
) -> tuple[float, float, list[str]]:
    result = pert_analysis(pert_tasks, pert_links)
    return result.expected_duration, result.std, result.critical_path


@check(
    hint=(
        "PERT mean of each task = (o + 4m + p) / 6; the expected project duration "
        "is the longest path through the network with those means."
    )
)
def q6_pert_expected(
    pert_tasks: pd.DataFrame, pert_links: pd.DataFrame, pert_expected: object
) -> None:
    """
    Question 6: the expected duration of the PERT example.

    Parameters
    ----------
    pert_tasks, pert_links
        The PERT example, given in the notebook.
    pert_expected
        The learner's expected duration, in days.
    """
    expected, _, path = _pert(pert_tasks, pert_links)
    value = as_number(pert_expected, "pert_expected")
    if DURATION.accepts(value, expected):
        return
    estimates = pert_estimates(pert_tasks)
    by_id = pert_tasks.set_index(pert_tasks["task_id"].astype(str))
    route = " -> ".join(path)
    likely = float(by_id.loc[path, "most_likely"].sum())
    if DURATION.accepts(value, likely):
        fail(
            f"{value:g} adds the MOST LIKELY durations of {route}. PERT's expected "
            "duration uses each task's mean, (o + 4m + p) / 6, which is later than "
            "the most likely when the pessimistic value is further away."
        )
    if DURATION.accepts(value, float(estimates["mean"].sum())):
        fail(
            f"{value:g} adds the means of ALL tasks, as if they ran one after the "
            "other. Tasks on different paths run in parallel: take the longest path."
        )
    triangular = pert_estimates(pert_tasks, method="triangular")["mean"]
    if DURATION.accepts(value, float(triangular[path].sum())):
        fail(
            f"{value:g} uses (o + m + p) / 3. PERT weights the most likely value four "
            "times: mean = (o + 4m + p) / 6."
        )
    assert DURATION.accepts(value, expected), f"you have {value:g}"


@check(
    hint=(
        "Along the critical path ADD the variances ((p - o) / 6)², then take the "
        "square root for sigma; P(finish within T) = NormalDist(expected, "
        "sigma).cdf(T)."
    )
)
def q7_pert_probability(
    pert_tasks: pd.DataFrame,
    pert_links: pd.DataFrame,
    target_days: object,
    pert_probability: object,
) -> None:
    """
    Question 7: the PERT probability of finishing within ``target_days``.

    Parameters
    ----------
    pert_tasks, pert_links
        The PERT example, given in the notebook.
    target_days
        The target duration the question names.
    pert_probability
        The learner's probability, a share between 0 and 1.
    """
    expected, sigma, path = _pert(pert_tasks, pert_links)
    target = as_number(target_days, "target_days")
    truth = NormalDist(expected, sigma).cdf(target)
    value = as_number(pert_probability, "pert_probability")
    if PROBABILITY.accepts(value, truth):
        return
    if 1 < value <= 100 and PROBABILITY.accepts(value / 100, truth):
        fail(
            f"{value:g} looks like a percentage. Give a share between 0 and 1 "
            f"({value / 100:.2f}, not {value:g})."
        )
    if PROBABILITY.accepts(value, 1 - truth):
        fail(
            f"{value:.2f} is the chance of finishing LATER than {target:g} days. "
            f"The question asks for finishing within {target:g} days: the area to "
            "the left of the target."
        )
    estimates = pert_estimates(pert_tasks)
    sum_of_std = float(estimates.loc[path, "std"].sum())
    variance = float(estimates.loc[path, "variance"].sum())
    all_variance = float(estimates["variance"].sum())
    by_id = pert_tasks.set_index(pert_tasks["task_id"].astype(str))
    likely = float(by_id.loc[path, "most_likely"].sum())
    mistakes = [
        (
            NormalDist(expected, sum_of_std).cdf(target),
            f"You added the standard deviations along the path (sigma "
            f"{sum_of_std:g}). Standard deviations do not add up; variances do: "
            f"add the variances ({variance:g}), then take the square root.",
        ),
        (
            NormalDist(expected, variance).cdf(target) if variance else math.nan,
            f"You used the variance ({variance:g}) as sigma. Sigma is its square "
            f"root: {math.sqrt(variance):g}.",
        ),
        (
            NormalDist(expected, math.sqrt(all_variance)).cdf(target),
            "You added the variances of EVERY task. PERT adds only those on the "
            f"critical path ({' -> '.join(path)}).",
        ),
        (
            NormalDist(likely, sigma).cdf(target),
            f"You centred the curve on the most likely duration ({likely:g}). Use the "
            f"expected duration ({expected:g}) from question 6.",
        ),
        (
            0.5,
            f"0.5 is the chance of finishing within the EXPECTED duration "
            f"({expected:g} days). The target is {target:g} days: how many sigmas "
            "beyond the expected duration is it?",
        ),
        (
            (target - expected) / sigma,
            f"{value:g} is z, the number of sigmas between the expected duration and "
            "the target. Turn it into a probability with the normal distribution: "
            "NormalDist().cdf(z).",
        ),
    ]
    for wrong, message in mistakes:
        if PROBABILITY.accepts(value, wrong):
            fail(message)
    if not 0 <= value <= 1:
        fail(f"{value:g} is not a probability: give a share between 0 and 1.")
    assert PROBABILITY.accepts(value, truth), f"you have {value:.3f}"
