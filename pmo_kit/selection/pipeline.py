"""
The candidate pipeline: the projects an organisation could start next.

A dataset folder may hold a ``pipeline/`` subfolder beside its canonical tables
(the bundled sample organisation has one):

- ``candidates.csv``: one row per candidate: ``candidate_id`` (``C-001``), name,
  programme, sponsor, methodology, one column per criterion (1-5, the keys of
  ``weights`` in ``pipeline.yaml``), ``cost_<year>`` for each budget year and
  ``benefit_<year>`` columns (net benefit of each year, EUR);
- ``demands.csv``: ``candidate_id, role, hours``: the hours each candidate needs
  from each role (roles of ``resources.csv``);
- ``pipeline.yaml``: ``budget_per_year``, ``discount_rate``, ``project_weeks``,
  ``weights``, ``judgements`` (AHP), ``must``, ``never``, ``requires`` and
  ``exclusive``.

The free hours per role come from the organisation itself
(:func:`free_capacity`). An organisation without ``pipeline/`` (a generated one,
for a workshop team) gets a pipeline derived from the sample's
(:func:`pipeline_for`), with the same situations: a must-do, a pair where one
needs the other, two mutually exclusive options, a pet project, a scarce role.
"""

from __future__ import annotations

import math
import re
import zlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pmo_kit._errors import ValidationError

if TYPE_CHECKING:
    import os

    import pandas as pd

    from pmo_kit.data.portfolio import Portfolio
    from pmo_kit.data.schemas import TableSchema
    from pmo_kit.selection.ahp import AHPResult
    from pmo_kit.selection.optimise import SelectionResult

__all__ = [
    "DEFAULT_PROJECT_WEEKS",
    "PIPELINE_FOLDER",
    "VALUE_KINDS",
    "Pipeline",
    "free_capacity",
    "load_pipeline",
    "pipeline_for",
]

PIPELINE_FOLDER = "pipeline"
"""Name of the pipeline subfolder of a dataset folder."""

DEFAULT_PROJECT_WEEKS = 44.0
"""Weeks a year a person works on projects (after holidays, training, run work)."""

VALUE_KINDS = ("score", "npv")
"""What :meth:`Pipeline.select` maximises: the weighted score or the NPV."""

_CANDIDATE_ID = r"C-\d{3,}"
_SETTINGS = "pipeline.yaml"
_KEYS = (
    "budget_per_year",
    "discount_rate",
    "project_weeks",
    "weights",
    "judgements",
    "must",
    "never",
    "requires",
    "exclusive",
)


@dataclass(frozen=True)
class Pipeline:
    """
    Candidate projects and the rules for choosing among them.

    ``candidates`` has ``project_id`` (the candidate id, the name
    :func:`~pmo_kit.selection.select_portfolio` expects), the file's columns, and
    ``cost`` (the sum of the ``cost_<year>`` columns). ``demands`` has
    ``project_id, role, hours``; ``capacity`` the free hours of every role in
    ``years[0]``. ``derived`` is True when the pipeline was made from the
    organisation (no ``pipeline/`` folder).
    """

    name: str
    candidates: pd.DataFrame
    demands: pd.DataFrame
    capacity: dict[str, float]
    budget_per_year: dict[str, float]
    discount_rate: float
    weights: dict[str, float]
    judgements: dict[tuple[str, str], float]
    must: tuple[str, ...] = ()
    never: tuple[str, ...] = ()
    requires: tuple[tuple[str, str], ...] = ()
    exclusive: tuple[tuple[str, ...], ...] = ()
    years: tuple[int, ...] = ()
    folder: Path | None = None
    derived: bool = False
    project_weeks: float = DEFAULT_PROJECT_WEEKS
    notes: dict[str, str] = field(default_factory=dict)

    @property
    def budget(self) -> float:
        """The total budget: the sum of the yearly budgets."""
        return float(sum(self.budget_per_year.values()))

    @property
    def criteria(self) -> tuple[str, ...]:
        """The criterion columns, in the order of ``weights``."""
        return tuple(self.weights)

    def ahp(self, *, check: bool = True) -> AHPResult:
        """Weights from the board's pairwise ``judgements`` (AHP)."""
        from pmo_kit.selection.ahp import ahp_weights

        return ahp_weights(self.judgements, check=check)

    def scored(self, weights: dict[str, float] | None = None) -> pd.DataFrame:
        """
        Candidates with their score, rank and financial figures.

        Parameters
        ----------
        weights
            Criterion -> weight (normalised); ``None`` uses the pipeline's.

        Returns
        -------
        pandas.DataFrame
            One row per candidate in file order: ``project_id, name, programme,
            cost``, the criteria, ``score``, ``rank`` (1 = best), ``npv`` (EUR,
            Excel's NPV at ``discount_rate``: flows at each year's end, discounted
            to the start of ``years[0]``), ``irr`` (NaN when none) and
            ``payback`` (years from the start of the first year to the end of the
            year it is paid back, interpolated; NaN when never).
        """
        import warnings

        from pmo_kit.selection.finance import MultipleIRRWarning, irr, npv, payback
        from pmo_kit.selection.scoring import weighted_scores

        frame = self.candidates
        scores = weighted_scores(frame, weights or self.weights)
        out = frame[
            ["project_id", "name", "programme", "sponsor", "cost", *self.criteria]
        ].copy()
        out = out.merge(scores[["project_id", "score", "rank"]], on="project_id")
        flows = self.cash_flows()
        out["npv"] = [npv(self.discount_rate, f) for f in flows]
        rates = []
        for f in flows:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", MultipleIRRWarning)
                rates.append(irr(f))
        out["irr"] = rates
        out["payback"] = [
            math.nan if math.isnan(p) else p + 1.0 for p in map(payback, flows)
        ]
        return out

    def cash_flows(self) -> list[list[float]]:
        """Net flow of each year (benefit - cost), one list per candidate."""
        frame = self.candidates
        flows = []
        for _, row in frame.iterrows():
            flows.append(
                [
                    float(row.get(f"benefit_{y}", 0.0) or 0.0)
                    - float(row.get(f"cost_{y}", 0.0) or 0.0)
                    for y in self.years
                ]
            )
        return flows

    def table(
        self, weights: dict[str, float] | None = None, *, value: str = "score"
    ) -> pd.DataFrame:
        """
        Return the candidates table :func:`~pmo_kit.selection.select_portfolio` takes.

        ``value`` is the weighted ``score`` or the ``npv``; the table also has
        ``cost``, one ``cost_<year>`` per budget year and ``cost_total`` (= cost).
        """
        if value not in VALUE_KINDS:
            msg = f"{value!r} is an invalid value: allowed {', '.join(VALUE_KINDS)}"
            raise ValidationError(msg)
        scored = self.scored(weights)
        out = self.candidates[["project_id", "name", "cost"]].copy()
        out["value"] = scored[value].to_numpy(dtype=float)
        for year in self.budget_per_year:
            out[f"cost_{year}"] = self.candidates[f"cost_{year}"].to_numpy(float)
        out["cost_total"] = out["cost"]
        return out

    def constraints(self) -> dict[str, Any]:
        """Keyword arguments for select_portfolio / efficient_frontier but budget."""
        return {
            "demands": self.demands,
            "capacity": dict(self.capacity),
            "must": list(self.must),
            "never": list(self.never),
            "requires": [tuple(p) for p in self.requires],
            "exclusive": [list(g) for g in self.exclusive],
        }

    def budgets(self, budget: float | None = None) -> dict[str, float]:
        """
        Budget limits: ``total`` and each year, scaled so the total is ``budget``.

        ``None`` keeps the pipeline's budget; another total scales every yearly
        budget by ``budget / self.budget`` (the board keeps the yearly split).
        """
        total = self.budget if budget is None else float(budget)
        if not (math.isfinite(total) and total >= 0):
            msg = f"{budget!r} is an invalid budget: must be a number >= 0"
            raise ValidationError(msg)
        scale = total / self.budget if self.budget > 0 else 0.0
        out = {"total": total}
        out.update({y: b * scale for y, b in self.budget_per_year.items()})
        return out

    def select(
        self,
        weights: dict[str, float] | None = None,
        *,
        budget: float | None = None,
        value: str = "score",
    ) -> SelectionResult:
        """
        Choose the best portfolio within the budgets and the capacity.

        Parameters
        ----------
        weights
            Criterion weights; ``None`` uses the pipeline's.
        budget
            A total budget; the yearly budgets are scaled to it (see
            :meth:`budgets`). ``None`` keeps the pipeline's.
        value
            ``"score"`` (maximise the sum of weighted scores) or ``"npv"``.
        """
        from pmo_kit.selection.optimise import select_portfolio

        return select_portfolio(
            self.table(weights, value=value),
            budget=self.budgets(budget),
            **self.constraints(),
        )

    def budget_levels(self, steps: int = 12) -> list[float]:
        """
        Return ``steps`` total budget levels for a frontier.

        From the least that pays for the must projects (with the yearly split) to
        the cost of every candidate, rounded to 1,000.
        """
        frame = self.candidates.set_index("project_id")
        needed = set(self.must)
        grew = True
        while grew:
            more = {b for a, b in self.requires if a in needed} - needed
            grew = bool(more)
            needed |= more
        rows = frame.loc[sorted(needed)]
        low = float(rows["cost"].sum())
        for year, limit in self.budget_per_year.items():
            if limit > 0:
                low = max(low, float(rows[f"cost_{year}"].sum()) * self.budget / limit)
        low = math.ceil(low / 1000) * 1000
        high = float(frame["cost"].sum())
        if steps < 2 or high <= low:
            return [high]
        return [round(low + (high - low) * k / (steps - 1), -3) for k in range(steps)]

    def frontier(
        self,
        levels: list[float] | None = None,
        weights: dict[str, float] | None = None,
        *,
        value: str = "score",
    ) -> pd.DataFrame:
        """
        Best value at each total budget, yearly budgets scaled alike.

        Same columns as :func:`~pmo_kit.selection.efficient_frontier`
        (:data:`~pmo_kit.selection.FRONTIER_COLUMNS`); each level is an exact
        :meth:`select` with that budget; infeasible levels have ``feasible``
        False.
        """
        import pandas as pd

        from pmo_kit.selection.frontier import FRONTIER_COLUMNS

        table = self.table(weights, value=value)
        from pmo_kit.selection._model import build_problem, solve

        rows: list[tuple[object, ...]] = []
        previous: set[str] = set()
        for level in sorted(levels if levels is not None else self.budget_levels()):
            problem = build_problem(
                table, budget=self.budgets(level), **self.constraints()
            )
            picked = solve(problem)
            if picked is None:
                rows.append((level, False, math.nan, math.nan, 0, (), (), ()))
                continue
            chosen = {problem.ids[i] for i in picked}
            order = [i for i in problem.ids if i in chosen]
            rows.append(
                (
                    float(level),
                    True,
                    float(sum(problem.value[i] for i in picked)),
                    float(sum(problem.cost[i] for i in picked)),
                    len(chosen),
                    tuple(order),
                    tuple(i for i in order if i not in previous),
                    tuple(i for i in problem.ids if i in previous - chosen),
                )
            )
            previous = chosen
        return pd.DataFrame(rows, columns=list(FRONTIER_COLUMNS))


# --------------------------------------------------------------------------- files


def _candidate_schema(
    criteria: list[str], budget_years: list[str], benefit_years: list[str]
) -> TableSchema:
    from pmo_kit.data.schemas import METHODOLOGIES, Column, TableSchema

    columns = [
        Column("candidate_id", "str", "Candidate identifier", pattern=_CANDIDATE_ID),
        Column("name", "str", "Candidate project name"),
        Column("programme", "str", "Programme it would belong to"),
        Column("sponsor", "str", "Executive sponsor (person's name)"),
        Column("methodology", "str", "Delivery approach", allowed=METHODOLOGIES),
    ]
    columns += [
        Column(c, "int", f"Criterion {c} (1 low .. 5 high)", minimum=1, maximum=5)
        for c in criteria
    ]
    columns += [
        Column(f"cost_{y}", "float", f"Cost in {y}", unit="EUR", minimum=0)
        for y in budget_years
    ]
    columns += [
        Column(f"benefit_{y}", "float", f"Net benefit in {y}", unit="EUR")
        for y in benefit_years
    ]
    return TableSchema(
        name="candidates",
        description="Candidate projects of the pipeline",
        key=("candidate_id",),
        columns=tuple(columns),
    )


def _demand_schema(roles: list[str], ids: list[str]) -> TableSchema:
    from pmo_kit.data.schemas import Column, TableSchema

    return TableSchema(
        name="demands",
        description="Hours each candidate needs per role",
        key=("candidate_id", "role"),
        columns=(
            Column("candidate_id", "str", "Candidate", allowed=tuple(ids)),
            Column("role", "str", "Role (of resources.csv)", allowed=tuple(roles)),
            Column("hours", "float", "Hours needed", unit="hours", minimum=0),
        ),
    )


def _bad(where: str, key: str, value: object, allowed: str) -> ValidationError:
    return ValidationError(
        f"{where}, {key!r}: {value!r} is not allowed. Allowed: {allowed}"
    )


def _number(where: str, key: str, value: object, *, low: float = 0.0) -> float:
    try:
        number = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        number = math.nan
    if isinstance(value, bool) or not (math.isfinite(number) and number >= low):
        raise _bad(where, key, value, f"a number >= {low:g}")
    return number


def _ids(where: str, key: str, value: object, known: list[str]) -> list[str]:
    if value is None:
        return []
    if not isinstance(value, list):
        raise _bad(where, key, value, "a list of candidate ids")
    for item in value:
        if str(item) not in known:
            raise _bad(
                where, key, item, f"a candidate_id of candidates.csv ({known[0]}..)"
            )
    return [str(v) for v in value]


def _settings(path: Path) -> dict[str, Any]:
    from pmo_kit.data.yaml_files import read_yaml

    data = read_yaml(path, what="pipeline settings")
    if not isinstance(data, dict):
        raise _bad(str(path), "(top level)", data, "a mapping of " + ", ".join(_KEYS))
    for key in data:
        if key not in _KEYS:
            raise _bad(str(path), key, key, "the keys " + ", ".join(_KEYS))
    for key in ("budget_per_year", "weights"):
        if not isinstance(data.get(key), dict) or not data[key]:
            raise _bad(str(path), key, data.get(key), "a non-empty mapping")
    return data


def _read_pipeline(folder: Path, portfolio: Portfolio, name: str) -> Pipeline:
    """Read and check the three files of ``folder`` against the organisation."""
    import pandas as pd

    from pmo_kit.data.tables import validate_frame

    settings_path = folder / _SETTINGS
    where = str(settings_path)
    data = _settings(settings_path)
    budget_years = [str(y) for y in data["budget_per_year"]]
    for year in budget_years:
        if not re.fullmatch(r"\d{4}", year):
            raise _bad(where, "budget_per_year", year, "years such as 2027")
    budgets = {
        y: _number(where, f"budget_per_year {y}", v)
        for y, v in zip(budget_years, data["budget_per_year"].values(), strict=True)
    }
    criteria = [str(c) for c in data["weights"]]
    weights = {c: _number(where, f"weights {c}", data["weights"][c]) for c in criteria}
    rate = _number(where, "discount_rate", data.get("discount_rate", 0.08), low=-0.99)
    weeks = _number(
        where, "project_weeks", data.get("project_weeks", DEFAULT_PROJECT_WEEKS)
    )

    cand_path = folder / "candidates.csv"
    raw = _csv(cand_path)
    benefit_years = sorted(
        m.group(1) for c in raw.columns if (m := re.fullmatch(r"benefit_(\d{4})", c))
    )
    if not benefit_years:
        raise _bad(
            str(cand_path), "columns", list(raw.columns), "benefit_<year> columns"
        )
    schema = _candidate_schema(criteria, budget_years, benefit_years)
    candidates = validate_frame(raw, schema, source=str(cand_path), first_row=2)
    ids = [str(i) for i in candidates["candidate_id"]]
    years = sorted({int(y) for y in budget_years + benefit_years})
    capacity = free_capacity(portfolio, year=years[0], weeks=weeks)
    dem_path = folder / "demands.csv"
    demands = validate_frame(
        _csv(dem_path),
        _demand_schema(sorted(capacity), ids),
        source=str(dem_path),
        first_row=2,
    )

    judgements: dict[tuple[str, str], float] = {}
    for item in data.get("judgements") or []:
        if not (isinstance(item, list) and len(item) == 3):
            raise _bad(where, "judgements", item, "[more, less, how much more]")
        more, less, how = item
        for criterion in (more, less):
            if str(criterion) not in criteria:
                raise _bad(
                    where, "judgements", criterion, "criteria " + ", ".join(criteria)
                )
        judgements[(str(more), str(less))] = _number(where, "judgements", how)

    requires: list[tuple[str, str]] = []
    for pair in data.get("requires") or []:
        if not (isinstance(pair, list) and len(pair) == 2):
            raise _bad(where, "requires", pair, "pairs [a, b]: a needs b")
        a, b = _ids(where, "requires", pair, ids)
        requires.append((a, b))
    exclusive = [
        tuple(_ids(where, "exclusive", group, ids))
        for group in data.get("exclusive") or []
    ]
    frame = candidates.copy()
    frame.insert(0, "project_id", frame["candidate_id"].astype(str))
    frame["cost"] = frame[[f"cost_{y}" for y in budget_years]].sum(axis=1)
    dem = pd.DataFrame(
        {
            "project_id": demands["candidate_id"].astype(str),
            "role": demands["role"].astype(str),
            "hours": demands["hours"].astype(float),
        }
    )
    return Pipeline(
        name=name,
        candidates=frame,
        demands=dem,
        capacity=capacity,
        budget_per_year=budgets,
        discount_rate=rate,
        weights=weights,
        judgements=judgements,
        must=tuple(_ids(where, "must", data.get("must"), ids)),
        never=tuple(_ids(where, "never", data.get("never"), ids)),
        requires=tuple(requires),
        exclusive=tuple(exclusive),
        years=tuple(years),
        folder=folder,
        project_weeks=weeks,
    )


def _csv(path: Path) -> pd.DataFrame:
    import pandas as pd

    if not path.is_file():
        msg = f"pipeline file {str(path)!r} does not exist"
        raise ValidationError(msg)
    return pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")


# ------------------------------------------------------------------------ capacity


def free_capacity(
    portfolio: Portfolio, *, year: int, weeks: float = DEFAULT_PROJECT_WEEKS
) -> dict[str, float]:
    """
    Hours each role has free for new projects in ``year``.

    Free hours of a role = the sum of its people's ``capacity_hours`` (hours a
    week, resources.csv) x ``weeks`` - the hours running projects still book in
    that year: each assignment's hours x the share of its task not done
    (``1 - percent_complete / 100``) x the share of the task's baseline days
    (start to finish, inclusive) that fall in ``year``. Closed projects book
    nothing. Never below 0.

    Parameters
    ----------
    portfolio
        The organisation (resources, assignments, tasks, projects).
    year
        The calendar year.
    weeks
        Weeks a year a person works on projects.

    Returns
    -------
    dict of str to float
        Role -> free hours, roles sorted by name.
    """
    import pandas as pd

    resources = portfolio.resources
    total = resources.groupby("role")["capacity_hours"].sum().astype(float) * weeks
    tasks = portfolio.tasks[
        [
            "project_id",
            "task_id",
            "baseline_start",
            "baseline_finish",
            "percent_complete",
        ]
    ]
    closed = set(
        portfolio.projects.loc[portfolio.projects["phase"] == "closed", "project_id"]
    )
    booked = portfolio.assignments.merge(tasks, on=["project_id", "task_id"])
    booked = booked[~booked["project_id"].isin(closed)]
    start_year = pd.Timestamp(year=year, month=1, day=1)
    end_year = pd.Timestamp(year=year, month=12, day=31)
    start = pd.to_datetime(booked["baseline_start"])
    finish = pd.to_datetime(booked["baseline_finish"])
    span = (finish - start).dt.days + 1
    first = start.where(start >= start_year, start_year)
    last = finish.where(finish <= end_year, end_year)
    inside = (last - first).dt.days + 1
    share = (inside.clip(lower=0) / span.clip(lower=1)).fillna(0.0)
    left = 1.0 - booked["percent_complete"].astype(float).fillna(0.0) / 100.0
    hours = booked["hours"].astype(float) * left * share
    by_role = (
        hours.groupby(
            booked["resource_id"].map(resources.set_index("resource_id")["role"])
        )
        .sum()
        .reindex(total.index, fill_value=0.0)
    )
    free = (total - by_role).clip(lower=0.0)
    return {str(role): round(float(h), 1) for role, h in sorted(free.items())}


# ------------------------------------------------------------------------- loading


def _dataset_folder(path: str | os.PathLike[str] | None) -> tuple[Path, Path]:
    """Return (dataset folder, pipeline folder) for a path given by a user."""
    from pmo_kit.data.portfolio import bundled_dataset_path

    folder = bundled_dataset_path() if path is None else Path(path)
    if (folder / _SETTINGS).is_file():
        return folder.parent, folder
    return folder, folder / PIPELINE_FOLDER


def load_pipeline(path: str | os.PathLike[str] | None = None) -> Pipeline:
    """
    Read a candidate pipeline.

    Parameters
    ----------
    path
        A dataset folder (its ``pipeline/`` is read) or the pipeline folder
        itself; ``None`` reads the bundled sample organisation's.

    Returns
    -------
    Pipeline
        Candidates, demands, the organisation's free capacity and the rules.

    Raises
    ------
    ValidationError
        One line naming the file, row, column, bad value and what is allowed;
        or the folder has no pipeline (use :func:`pipeline_for` to derive one).
    """
    from pmo_kit.data.portfolio import load_portfolio

    dataset, folder = _dataset_folder(path)
    if not (folder / _SETTINGS).is_file():
        msg = (
            f"{str(dataset)!r} has no pipeline ({PIPELINE_FOLDER}/{_SETTINGS}); "
            "pmo_kit.selection.pipeline_for derives one from the organisation"
        )
        raise ValidationError(msg)
    portfolio = load_portfolio(dataset)
    return _read_pipeline(folder, portfolio, portfolio.name)


def pipeline_for(source: Portfolio | str | os.PathLike[str] | None = None) -> Pipeline:
    """
    Return the pipeline of an organisation: its own files, or one derived from it.

    Parameters
    ----------
    source
        A :class:`~pmo_kit.data.portfolio.Portfolio`, a dataset folder, or
        ``None`` for the sample organisation.

    Returns
    -------
    Pipeline
        The folder's ``pipeline/`` when it has one; otherwise the sample's
        candidates adapted to the organisation (``derived`` is True): its
        programmes and sponsors, costs scaled to its project budgets, the years
        after its status date, and each role's demand scaled to its free
        capacity so the same limits bind; small changes from a seed made from
        its name and projects.
    """
    from pmo_kit.data.portfolio import Portfolio, load_portfolio

    if source is None or not isinstance(source, Portfolio):
        dataset, folder = _dataset_folder(source)
        if (folder / _SETTINGS).is_file():
            return load_pipeline(folder)
        portfolio = load_portfolio(dataset)
    else:
        portfolio = source
        if portfolio.path is not None:
            own = Path(portfolio.path) / PIPELINE_FOLDER
            if (own / _SETTINGS).is_file():
                return _read_pipeline(own, portfolio, portfolio.name)
    return _derive(portfolio)


def _derive(portfolio: Portfolio) -> Pipeline:
    """Adapt the sample pipeline to ``portfolio`` (deterministic)."""
    import numpy as np
    import pandas as pd

    sample = load_pipeline(None)
    projects = portfolio.projects
    key = portfolio.name + "|" + "|".join(sorted(projects["name"].astype(str)))
    rng = np.random.default_rng(zlib.crc32(key.encode("utf-8")))

    status = pd.to_datetime(projects["status_date"]).max()
    first = int(status.year) + 1
    shift = first - sample.years[0]

    from pmo_kit.data.portfolio import load_portfolio

    meridian = load_portfolio(None).projects
    factor = float(projects["budget"].median()) / float(meridian["budget"].median())
    programmes = list(projects["programme"].astype(str).value_counts().index)
    sample_programmes = list(dict.fromkeys(sample.candidates["programme"]))
    mapping = {
        p: (p if p in programmes else programmes[i % len(programmes)])
        for i, p in enumerate(sample_programmes)
    }
    sponsors = {
        p: str(projects.loc[projects["programme"] == p, "sponsor"].iloc[0])
        for p in programmes
    }

    frame = sample.candidates.copy()
    frame["programme"] = frame["programme"].map(mapping)
    frame["sponsor"] = frame["programme"].map(sponsors)
    money = [c for c in frame.columns if re.fullmatch(r"(cost|benefit)_\d{4}", c)]
    jitter = rng.uniform(0.9, 1.1, size=len(frame))
    for column in money:
        frame[column] = (
            frame[column].astype(float) * factor * jitter / 1000
        ).round() * 1000
    frame = frame.rename(
        columns={c: f"{c.split('_')[0]}_{int(c.split('_')[1]) + shift}" for c in money}
    )
    budget_years = [str(int(y) + shift) for y in sample.budget_per_year]
    frame["cost"] = frame[[f"cost_{y}" for y in budget_years]].sum(axis=1)
    spend = float(frame["cost"].sum()) / float(sample.candidates["cost"].sum())
    budgets = {
        str(int(y) + shift): round(b * spend, -3)
        for y, b in sample.budget_per_year.items()
    }
    years = tuple(y + shift for y in sample.years)

    capacity = free_capacity(portfolio, year=first, weeks=sample.project_weeks)
    rows = []
    for ident, role, hours in sample.demands.itertuples(index=False):
        have, had = capacity.get(role, 0.0), sample.capacity.get(role, 0.0)
        if have <= 0 or had <= 0:
            continue
        scaled = float(hours) * have / had * float(rng.uniform(0.95, 1.05))
        rows.append((ident, role, round(scaled, -1)))
    demands = pd.DataFrame(rows, columns=["project_id", "role", "hours"])
    return Pipeline(
        name=portfolio.name,
        candidates=frame.reset_index(drop=True),
        demands=demands,
        capacity=capacity,
        budget_per_year=budgets,
        discount_rate=sample.discount_rate,
        weights=dict(sample.weights),
        judgements=dict(sample.judgements),
        must=sample.must,
        never=sample.never,
        requires=sample.requires,
        exclusive=sample.exclusive,
        years=years,
        folder=None,
        derived=True,
        project_weeks=sample.project_weeks,
    )
