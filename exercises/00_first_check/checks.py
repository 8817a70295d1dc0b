"""
Checks of exercise 00, *First check*: four questions on Meridian Works.

Every expected answer is computed from the course's dataset
(``pmo_kit.training.course_data.course_portfolio()``: ``$PMO_KIT_DATASET``, a
``pmo-kit.yaml`` or the bundled sample), never written down here, so the checks stay
right on a team's own data. Each check first recognises the typical mistakes and
says what went wrong with ``fail``; any other wrong value gets the check's ``hint``.
"""

from __future__ import annotations

from functools import cache
from numbers import Real

import pandas as pd

import pmo_kit
from pmo_kit.training import Tolerance, as_number, check, fail
from pmo_kit.training.course_data import course_portfolio

PHASE = "execution"
"""The life-cycle phase counted in question 1."""

#: Tolerance on an index: rounding to two decimals is still right.
INDEX = Tolerance(absolute=0.0051)
#: Tolerance on an amount of money, in EUR.
MONEY = Tolerance(absolute=1.0)
#: An index given as a percentage (91 for 0.91).
PERCENT = Tolerance(absolute=100 * INDEX.absolute)
#: The right total in another unit (thousands, millions), roughly.
OTHER_UNIT = Tolerance(relative=0.05)


# ----------------------------------------------------------------- data and helpers


@cache
def _portfolio() -> pmo_kit.Portfolio:
    return course_portfolio()


def _status_rows(which: str) -> pd.DataFrame:
    """Each project's ``"first"`` or ``"last"`` status row, indexed by project_id."""
    status = _portfolio().status.sort_values(["project_id", "status_date"])
    grouped = status.groupby("project_id")
    return grouped.last() if which == "last" else grouped.first()


def _spi(rows: pd.DataFrame) -> pd.Series:
    return pmo_kit.schedule_performance_index(rows["ev"], rows["pv"])


def _cpi(rows: pd.DataFrame) -> pd.Series:
    return pmo_kit.cost_performance_index(rows["ev"], rows["ac"])


_NAN_HINT = (
    "a filter matched no rows, or a division had nothing to divide. Look at the rows "
    "you selected."
)
_MANY_HINT = "Reduce it to a single value (for example with `.sum()` or `.iloc[-1]`)."


def _project_id(value: object) -> str:
    """Return ``value`` as a known project id, or fail saying why it is not one."""
    projects = _portfolio().projects
    ids = set(projects["project_id"])
    example = projects["project_id"].iloc[0]
    if isinstance(value, str):
        text = value.strip()
        if text in ids:
            return text
        if text.upper() in ids:
            fail(f"Project ids are in capitals: {text.upper()!r}, not {value!r}.")
        names = dict(zip(projects["name"], projects["project_id"], strict=True))
        if text in names:
            fail(
                f"{value!r} is the project's name; answer with its id "
                f"({names[text]!r}), the value in the `project_id` column."
            )
        known = ", ".join(sorted(ids))
        fail(f"{value!r} is not a project of {_portfolio().name}. Known ids: {known}.")
    if isinstance(value, pd.DataFrame | pd.Series):
        fail(
            "You gave a table or a row, not a project id. Take the single value of "
            "its `project_id`, for example `row['project_id']`."
        )
    if isinstance(value, Real) and not isinstance(value, bool):
        fail(
            f"You gave the number {float(value):g} (the CPI itself, or a row "
            "position?). "
            f"The answer is the project's id, a text such as {example!r}."
        )
    message = (
        f"You gave a {type(value).__name__}; give the project id as a text, such as "
        f"{example!r}."
    )
    fail(message)
    raise AssertionError(message)  # not reached: fail() always raises


# ------------------------------------------------------------------------ questions


@check(
    hint=(
        "Filter the projects table on its `phase` column "
        f"(`portfolio.projects['phase'] == '{PHASE}'`) and count the rows."
    )
)
def q1_execution_count(execution_count: object) -> None:
    """
    Question 1: how many projects are in the execution phase.

    Parameters
    ----------
    execution_count
        The learner's count.
    """
    portfolio = _portfolio()
    projects = portfolio.projects
    in_phase = projects["phase"] == PHASE
    expected = int(in_phase.sum())
    if isinstance(execution_count, pd.DataFrame) and len(execution_count) == expected:
        fail(
            f"That is the table of the {expected} projects in {PHASE}: the right "
            "rows! The answer is how many there are: wrap it in `len(...)`."
        )
    count = as_number(
        execution_count,
        "execution_count",
        what=f"how many projects are in {PHASE}",
        nan_hint=_NAN_HINT,
        many_hint=_MANY_HINT,
    )
    if count == expected:
        return
    if count == len(projects):
        fail(
            f"{count:g} is every project in the portfolio. Keep only the rows whose "
            f"`phase` is {PHASE!r} before counting."
        )
    if count == len(projects) - expected:
        fail(
            f"{count:g} counts the projects that are NOT in {PHASE}: the filter is "
            f"the wrong way round. Keep the rows where phase == {PHASE!r}."
        )
    if count == 0:
        phases = ", ".join(repr(p) for p in sorted(projects["phase"].unique()))
        fail(
            "Your filter matched no project. Phase names are lower case and spelt "
            f"exactly like this: {phases}."
        )
    in_phase_ids = projects.loc[in_phase, "project_id"]
    if count == portfolio.tasks["project_id"].isin(in_phase_ids).sum():
        fail(
            f"{count:g} counts the tasks of those projects. Count rows of the "
            "projects table instead: it has one row per project."
        )
    if not count.is_integer():
        fail(f"A number of projects is a whole number; {count:g} is not.")
    assert count == expected, f"you have {count:g}"


@check(
    hint=(
        "The budget at completion (BAC) of each project is the `budget` column of "
        "`portfolio.projects`; add it up over every project."
    )
)
def q2_total_budget(total_budget: object) -> None:
    """
    Question 2: the total budget (BAC) of the portfolio, in EUR.

    Parameters
    ----------
    total_budget
        The learner's total.
    """
    portfolio = _portfolio()
    projects = portfolio.projects
    expected = float(projects["budget"].sum())
    value = as_number(
        total_budget,
        "total_budget",
        what="the sum of the projects' budgets, in EUR",
        nan_hint=_NAN_HINT,
        many_hint=_MANY_HINT,
    )
    if MONEY.accepts(value, expected):
        return
    latest = _status_rows("last")
    if MONEY.accepts(value, float(latest["ac"].sum())):
        fail(
            "That is the actual cost (AC) spent so far, not the budget. The budget "
            "at completion (BAC) is the `budget` column of the projects table."
        )
    if MONEY.accepts(value, float(portfolio.status["ac"].sum())):
        fail(
            "You added up the `ac` column of every status row. AC is actual cost, not "
            "budget, and each row is already a running total. Use the `budget` "
            "column of the projects table."
        )
    if MONEY.accepts(value, float(latest["ev"].sum())) or MONEY.accepts(
        value, float(latest["pv"].sum())
    ):
        fail(
            "That is earned or planned value to date, not the budget: PV and EV "
            "reach the budget only when a project is complete. Use the `budget` "
            "column of the projects table."
        )
    if MONEY.accepts(value, float(portfolio.tasks["budgeted_cost"].sum())):
        fail(
            "You added up the task budgets (`budgeted_cost` in the tasks table). A "
            "project's budget at completion (BAC) is the `budget` column of the "
            "projects table."
        )
    in_phase = float(projects.loc[projects["phase"] == PHASE, "budget"].sum())
    if MONEY.accepts(value, in_phase):
        fail(
            f"That is the budget of the projects in {PHASE} only; the question asks "
            "for the whole portfolio."
        )
    if MONEY.accepts(value, float(projects["budget"].mean())):
        fail("That is the average budget per project; add the budgets up instead.")
    for scale, unit in ((1e3, "thousands"), (1e6, "millions")):
        if OTHER_UNIT.accepts(value * scale, expected):
            fail(
                f"Right total, but in {unit}: give the amount in EUR as a plain "
                f"number (about {expected:,.0f})."
            )
    assert MONEY.accepts(value, expected), f"you have {value:,.2f}"


@check(
    hint=(
        "SPI = EV / PV, both from the project's latest row of `portfolio.status` "
        "(each row is a running total: the latest one is the status today)."
    )
)
def q3_spi(spi_project: object, spi: object) -> None:
    """
    Question 3: the SPI of ``spi_project`` from its latest status row.

    Parameters
    ----------
    spi_project
        The project the question is about (given in the notebook).
    spi
        The learner's schedule performance index.
    """
    project_id = _project_id(spi_project)
    latest = _status_rows("last")
    if project_id not in latest.index:
        fail(
            f"{project_id} reports no earned value (it has no status rows), so it "
            "has no SPI. Put back the project id the question gives."
        )
    rows = _portfolio().status
    rows = rows[rows["project_id"] == project_id]
    last = latest.loc[[project_id]]
    first = _status_rows("first").loc[[project_id]]
    expected = float(_spi(last).iloc[0])
    value = as_number(
        spi,
        "spi",
        what=f"EV / PV of {project_id}",
        nan_hint=_NAN_HINT,
        many_hint=_MANY_HINT,
    )
    if INDEX.accepts(value, expected):
        return
    mistakes = [
        (
            float(pmo_kit.schedule_performance_index(last["pv"], last["ev"]).iloc[0]),
            "Upside down: you divided PV by EV. SPI = EV / PV (earned over planned), "
            "so below 1.0 means behind schedule.",
        ),
        (
            float(_cpi(last).iloc[0]),
            "That is EV / AC, the cost performance index (CPI). The schedule index "
            "compares earned value with planned value: SPI = EV / PV.",
        ),
        (
            float(_spi(first).iloc[0]),
            f"You used {project_id}'s first status row. Each row is a running total "
            "up to its date: take the latest one (the highest `status_date`).",
        ),
        (
            float(_spi(rows).mean()),
            "You averaged the SPI of every status row. Each row is already a running "
            "total, so the latest row alone gives today's SPI.",
        ),
        (
            float(rows["ev"].sum() / rows["pv"].sum()),
            "You added up EV and PV over all status rows. They are running totals "
            "already: take EV and PV from the latest row only.",
        ),
    ]
    for wrong, message in mistakes:
        if INDEX.accepts(value, wrong):
            fail(message)
    if PERCENT.accepts(value, expected * 100):
        fail(
            f"{value:g} looks like a percentage. SPI is a ratio: give "
            f"{expected:.2f}, not {expected * 100:.0f}."
        )
    assert INDEX.accepts(value, expected), f"you have {value:.3f}"


@check(
    hint=(
        "CPI = EV / AC from each project's latest status row; the project with the "
        "lowest CPI gets the least value for its money. `pmo_kit.portfolio_overview` "
        "has a `cpi` column."
    )
)
def q4_lowest_cpi(lowest_cpi_project: object) -> None:
    """
    Question 4: the id of the project with the lowest CPI.

    Parameters
    ----------
    lowest_cpi_project
        The learner's project id.
    """
    latest = _status_rows("last")
    cpi = _cpi(latest).dropna()
    expected = str(cpi.idxmin())
    project_id = _project_id(lowest_cpi_project)
    if project_id == expected:
        return
    if project_id not in cpi.index:
        fail(
            f"{project_id} reports no earned value (it has no status rows), so it "
            "has no CPI. Compare only the projects that report status."
        )
    if project_id == cpi.idxmax():
        fail(
            f"{project_id} has the HIGHEST CPI ({cpi[project_id]:.2f}), the best cost "
            "performance. Look for the lowest: sort ascending, or use `.idxmin()`."
        )
    if project_id == _spi(latest).dropna().idxmin():
        fail(
            f"{project_id} has the lowest SPI: it is the furthest behind schedule. "
            "This question is about cost: CPI = EV / AC."
        )
    if project_id == latest["ac"].idxmax():
        fail(
            f"{project_id} has spent the most (highest AC), but a big project spends "
            "a lot. CPI = EV / AC relates the spend to the value earned for it."
        )
    early = _cpi(_status_rows("first")).dropna()
    if project_id == early.idxmin():
        fail(
            f"{project_id} had the lowest CPI at its first status row. Each row is a "
            "running total up to its date: use each project's latest row."
        )
    assert project_id == expected, f"{project_id} has CPI {cpi[project_id]:.2f}"
