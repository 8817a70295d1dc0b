"""
Benchmark: export a 5,000-task plan as MS Project XML and import it back.

    .venv/bin/python bench/bench_msproject.py [--tasks 5000] [--seed 11]

The plan is the bundled sample organisation with project P-001 replaced by a
seeded random network (``bench.schedule_networks.random_network``: phases, all four
link types, lags and leads, 5 % milestones), one WBS group per 50 tasks, baseline
dates from the kit's CPM, progress on the first fifth of the tasks and one or two
people assigned to every task. Prints the time and peak traced memory of the export
(``write_msproject``) and of the import (each timed untraced, then run again
under tracemalloc for its peak) (``pmo-kit import msproject`` into a copy of
the dataset), the file size, and whether the round trip gave the same tables.

``synthetic_plan`` is also used by ``tests/io/test_msproject_export.py`` (a 100-task
round trip).
"""

from __future__ import annotations

import argparse
import dataclasses
import platform
import resource
import shutil
import tempfile
import time
import tracemalloc
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from bench.schedule_networks import random_network
from pmo_kit.data.portfolio import Portfolio, load_portfolio
from pmo_kit.schedule.cpm import critical_path

if TYPE_CHECKING:
    from collections.abc import Callable

__all__ = ["synthetic_plan"]


def synthetic_plan(
    n_tasks: int, *, seed: int = 11, project_id: str = "P-001"
) -> Portfolio:
    """Return the sample portfolio with ``project_id`` replaced by ``n_tasks`` tasks."""
    sample = load_portfolio()
    rng = np.random.default_rng(seed)
    network, links = random_network(n_tasks, int(n_tasks * 1.4), seed=seed)
    # The kit's own id scheme (T001, ...), in task order.
    rename = {
        f"T{i:0{len(str(n_tasks - 1))}d}": f"T{i + 1:03d}" for i in range(n_tasks)
    }
    network["task_id"] = network["task_id"].map(rename)
    links["predecessor"] = links["predecessor"].map(rename)
    links["successor"] = links["successor"].map(rename)
    network = network.sort_values("task_id").reset_index(drop=True)
    project = sample.project(project_id)
    start = pd.Timestamp(project["start"])
    schedule = critical_path(network, links, start=start)
    k = np.arange(n_tasks)
    duration = network["duration"].to_numpy()
    cost = np.where(duration > 0, rng.integers(5, 200, n_tasks) * 100.0, 0.0)
    done = k < n_tasks // 5
    started = (k >= n_tasks // 5) & (k < n_tasks // 4)
    baseline_start = schedule["early_start_date"].to_numpy()
    baseline_finish = schedule["early_finish_date"].to_numpy()
    tasks = pd.DataFrame(
        {
            "project_id": project_id,
            "task_id": network["task_id"].to_numpy(),
            "name": [f"Work package {i + 1}" for i in k],
            "wbs": [f"{i // 50 + 1}.{i % 50 + 1}" for i in k],
            "duration": duration,
            "optimistic": np.nan,
            "most_likely": np.nan,
            "pessimistic": np.nan,
            "baseline_start": baseline_start,
            "baseline_finish": baseline_finish,
            "percent_complete": np.where(done, 100.0, np.where(started, 40.0, 0.0)),
            "actual_start": pd.Series(baseline_start).where(done | started),
            "actual_finish": pd.Series(baseline_finish).where(done),
            "budgeted_cost": cost,
        }
    )
    people = sample.resources
    rows = []
    for i in np.flatnonzero(duration > 0):
        chosen = rng.choice(len(people), size=int(rng.integers(1, 3)), replace=False)
        for r in chosen:
            units = float(rng.choice([0.25, 0.5, 0.75, 1.0]))
            capacity = float(people["capacity_hours"].iloc[r])
            rows.append(
                {
                    "project_id": project_id,
                    "task_id": tasks["task_id"].iloc[i],
                    "resource_id": people["resource_id"].iloc[r],
                    "units": units,
                    "hours": round(units * int(duration[i]) * capacity / 5, 1),
                }
            )
    links = links.assign(project_id=project_id)[
        ["project_id", "predecessor", "successor", "type", "lag"]
    ]
    others = {
        name: frame[frame["project_id"] != project_id]
        for name, frame in (
            ("tasks", sample.tasks),
            ("dependencies", sample.dependencies),
            ("assignments", sample.assignments),
        )
    }
    projects = sample.projects.copy()
    finish = schedule.attrs["project_finish_date"]
    projects.loc[projects["project_id"] == project_id, "planned_finish"] = finish
    projects.loc[projects["project_id"] == project_id, "budget"] = cost.sum()
    plan = dataclasses.replace(
        sample,
        projects=projects,
        tasks=pd.concat([others["tasks"], tasks], ignore_index=True),
        dependencies=pd.concat([others["dependencies"], links], ignore_index=True),
        assignments=pd.concat(
            [others["assignments"], pd.DataFrame(rows)], ignore_index=True
        ),
        path=None,
    )
    return plan.validate()


def _measure(step: Callable[[], object]) -> tuple[float, float, object]:
    """Time one run (untraced), then trace a second run for its peak memory."""
    begin = time.perf_counter()
    result = step()
    seconds = time.perf_counter() - begin
    tracemalloc.start()
    step()
    peak = tracemalloc.get_traced_memory()[1] / 2**20
    tracemalloc.stop()
    return seconds, peak, result


def main() -> None:
    parser = argparse.ArgumentParser(description="Time MS Project export and import.")
    parser.add_argument("--tasks", type=int, default=5000)
    parser.add_argument("--seed", type=int, default=11)
    args = parser.parse_args()

    from click.testing import CliRunner

    from pmo_kit.data.portfolio import save_portfolio
    from pmo_kit.io.msproject.writer import write_msproject

    plan = synthetic_plan(args.tasks, seed=args.seed)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "dataset"
        save_portfolio(plan, folder)
        xml = Path(tmp) / "plan.xml"
        export_s, export_mib, _ = _measure(lambda: write_msproject(plan, "P-001", xml))
        size_mib = xml.stat().st_size / 2**20
        print(f"tasks={args.tasks} seed={args.seed} python={platform.python_version()}")
        print(
            f"export: {export_s:.2f} s, peak traced {export_mib:.0f} MiB, "
            f"file {size_mib:.1f} MiB"
        )
        try:
            from pmo_kit.cli_io_msproject import import_msproject
        except ImportError:
            print("import: pmo_kit.cli_io_msproject not available")
            return
        target = Path(tmp) / "into"
        shutil.copytree(folder, target)

        def run_import() -> object:
            shutil.rmtree(target)
            shutil.copytree(folder, target)
            return CliRunner().invoke(
                import_msproject,
                [str(xml), "--into", str(target), "--project-id", "P-001"],
            )

        import_s, import_mib, result = _measure(run_import)
        print(
            f"import: {import_s:.2f} s, peak traced {import_mib:.0f} MiB, "
            f"exit {getattr(result, 'exit_code', '?')}"
        )
        back = load_portfolio(target)
        for table in ("tasks", "dependencies", "assignments"):
            a = getattr(plan, table)
            b = getattr(back, table)
            print(
                f"{table}: {int((a['project_id'] == 'P-001').sum())} rows out, "
                f"{int((b['project_id'] == 'P-001').sum())} rows back"
            )
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak RSS of the whole run: {rss:.0f} MiB")


if __name__ == "__main__":
    main()
