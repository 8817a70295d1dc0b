"""
Properties of ``critical_path`` on random acyclic networks (hypothesis).

Networks: 1-25 tasks of 0-20 working days (0 = milestone), given in a random row
order, and links from a lower to a higher task number (so the network is acyclic) of
any type with lags from -5 to 5; a pair of tasks may be joined by several links.

A link ``pred -> succ`` of type XY reads ``Y(succ) >= X(pred) + lag`` where X and Y
are the start (S) or finish (F) of the task; its *slack* in the early (late) schedule
is ``Y(succ) - X(pred) - lag`` measured with early (late) dates. A link is *driving*
in a pass when its slack there is 0: it is what holds the successor back (early
pass) or the predecessor forward (late pass).

What must hold:

- every link is respected by the early dates and by the late dates (slack >= 0);
- early starts are the earliest such dates: each task starts at 0 or has a link that
  is driving in the early pass (and ES >= 0 always, even with leads);
- late dates are the latest such dates: each task finishes at the project finish (or
  the deadline) or has an outgoing link that is driving in the late pass, and no
  late finish is after the project finish, which is the latest early finish;
- without a deadline, total and free float are never negative and free float is at
  most total float; free float is the smallest early slack of the task's outgoing
  links, capped at project finish - early finish;
- critical path: every critical task (TF = 0) has ES = 0 or a critical predecessor
  through a link driving in *both* passes, and EF = project finish or a critical
  successor through such a link; hence the critical tasks and doubly driving links
  contain a chain from a task starting at 0 to a task finishing at the project
  finish;
- with a deadline D earlier than the finish F, the smallest total float is D - F.
"""

from __future__ import annotations

from dataclasses import dataclass

import networkx as nx
import pandas as pd
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from pmo_kit.schedule import critical_path

SETTINGS = settings(
    max_examples=150,
    deadline=None,
    database=None,  # no .hypothesis/ folder in the repository
    suppress_health_check=[HealthCheck.too_slow],
)
LINK_TYPES = ("FS", "SS", "FF", "SF")


Dates = dict[str, dict[str, int]]  # column -> task -> offset


@dataclass(frozen=True)
class Link:
    pred: str
    succ: str
    type: str
    lag: int

    def slack(self, dates: Dates, prefix: str) -> int:
        """Slack of the link in the early (prefix "early") or late schedule."""
        source = "finish" if self.type[0] == "F" else "start"
        target = "finish" if self.type[1] == "F" else "start"
        return (
            dates[f"{prefix}_{target}"][self.succ]
            - dates[f"{prefix}_{source}"][self.pred]
            - self.lag
        )


def offsets(result: pd.DataFrame) -> Dates:
    columns = ["early_start", "early_finish", "late_start", "late_finish"]
    return {c: {str(t): int(v) for t, v in result[c].items()} for c in columns}


@dataclass(frozen=True)
class Network:
    tasks: pd.DataFrame
    links: list[Link]

    @property
    def frame(self) -> pd.DataFrame:
        return pd.DataFrame(
            {
                "predecessor": [k.pred for k in self.links],
                "successor": [k.succ for k in self.links],
                "type": [k.type for k in self.links],
                "lag": [k.lag for k in self.links],
            },
            columns=["predecessor", "successor", "type", "lag"],
        )


@st.composite
def networks(draw: st.DrawFn, max_tasks: int = 25) -> Network:
    n = draw(st.integers(1, max_tasks))
    durations = draw(st.lists(st.integers(0, 20), min_size=n, max_size=n))
    order = draw(st.permutations(range(n)))
    ids = [f"t{i}" for i in range(n)]
    tasks = pd.DataFrame(
        {"task_id": [ids[i] for i in order], "duration": [durations[i] for i in order]}
    )
    links: list[Link] = []
    if n > 1:
        raw = draw(
            st.lists(
                st.tuples(
                    st.integers(0, n - 1),
                    st.integers(0, n - 1),
                    st.sampled_from(LINK_TYPES),
                    st.integers(-5, 5),
                ),
                max_size=3 * n,
            )
        )
        links = [
            Link(ids[min(a, b)], ids[max(a, b)], kind, lag)
            for a, b, kind, lag in raw
            if a != b
        ]
    return Network(tasks, links)


def check_links_and_tightness(net: Network, result: pd.DataFrame, bound: int) -> None:
    """Links respected in both passes; early dates earliest, late dates latest."""
    finish = result.attrs["project_finish"]
    dates = offsets(result)
    early_driven: set[str] = set()
    late_driving: set[str] = set()
    for link in net.links:
        early, late = link.slack(dates, "early"), link.slack(dates, "late")
        assert early >= 0, f"{link} violated by early dates: slack {early}"
        assert late >= 0, f"{link} violated by late dates: slack {late}"
        if early == 0:
            early_driven.add(link.succ)
        if late == 0:
            late_driving.add(link.pred)
    for task, early_start in dates["early_start"].items():
        assert early_start >= 0, task
        assert early_start == 0 or task in early_driven, (
            f"{task} starts at {early_start} but no link holds it there"
        )
    for task, late_finish in dates["late_finish"].items():
        assert late_finish <= finish, task
        assert late_finish == bound or task in late_driving, (
            f"{task} finishes late at {late_finish} < {bound} but no link holds it"
        )


@given(networks())
@SETTINGS
def test_schedule_without_deadline(net: Network) -> None:
    result = critical_path(net.tasks, net.frame)
    assert list(result.index) == list(net.tasks["task_id"])
    duration = net.tasks.set_index("task_id")["duration"]
    finish = result.attrs["project_finish"]
    assert finish == result["early_finish"].max()
    assert (result["early_finish"] == result["early_start"] + duration).all()
    assert (result["late_finish"] == result["late_start"] + duration).all()
    assert (result["total_float"] == result["late_start"] - result["early_start"]).all()
    assert (result["critical"] == (result["total_float"] <= 0)).all()
    check_links_and_tightness(net, result, finish)

    assert (result["total_float"] >= 0).all()
    assert (result["free_float"] >= 0).all()
    assert (result["free_float"] <= result["total_float"]).all()
    dates = offsets(result)
    expected_free = {t: finish - ef for t, ef in dates["early_finish"].items()}
    for link in net.links:
        expected_free[link.pred] = min(
            expected_free[link.pred], link.slack(dates, "early")
        )
    assert result["free_float"].to_dict() == expected_free


@given(networks())
@SETTINGS
def test_critical_tasks_form_a_driving_chain(net: Network) -> None:
    result = critical_path(net.tasks, net.frame)
    finish = result.attrs["project_finish"]
    critical = {str(t) for t in result.index[result["total_float"] == 0]}
    assert critical, "no critical task"
    assert critical == {str(t) for t in result.index[result["critical"]]}
    dates = offsets(result)
    chain = nx.DiGraph()
    chain.add_nodes_from(critical)
    for link in net.links:
        if (
            link.pred in critical
            and link.succ in critical
            and link.slack(dates, "early") == 0
            and link.slack(dates, "late") == 0
        ):
            chain.add_edge(link.pred, link.succ)
    es, ef = dates["early_start"], dates["early_finish"]
    starts = {t for t in critical if es[t] == 0}
    ends = {t for t in critical if ef[t] == finish}
    for task in critical:
        assert task in starts or chain.in_degree(task) > 0, (
            f"critical {task} (ES {es[task]}) has no critical predecessor through "
            "a link driving in both passes"
        )
        assert task in ends or chain.out_degree(task) > 0, (
            f"critical {task} (EF {ef[task]}) has no critical successor through "
            "a link driving in both passes"
        )
    chain.add_edges_from(("START", t) for t in starts)
    chain.add_edges_from((t, "FINISH") for t in ends)
    assert nx.has_path(chain, "START", "FINISH")


@given(networks(), st.data())
@SETTINGS
def test_deadline_before_the_finish(net: Network, data: st.DataObject) -> None:
    finish = critical_path(net.tasks, net.frame).attrs["project_finish"]
    assume(finish > 0)  # only milestones at 0: no deadline can be earlier
    deadline = data.draw(st.integers(0, finish - 1), label="deadline")
    result = critical_path(net.tasks, net.frame, deadline=deadline)
    assert result.attrs["project_finish"] == finish
    assert result["total_float"].min() == deadline - finish
    assert (result["late_finish"] <= deadline).all()
    assert (result["critical"] == (result["total_float"] <= 0)).all()
    check_links_and_tightness(net, result, deadline)
