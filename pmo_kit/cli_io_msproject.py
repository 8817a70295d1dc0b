"""``pmo-kit import msproject PLAN.xml --into DATASET``: an MS Project plan in."""

from __future__ import annotations

import click

__all__ = ["import_msproject"]


@click.command("msproject")
@click.argument("plan", type=click.Path(dir_okay=False, path_type=str))
@click.option(
    "--into",
    "dataset",
    required=True,
    type=click.Path(file_okay=False, path_type=str),
    help="Dataset folder to add the project to (created when missing).",
)
@click.option(
    "--project-id",
    default=None,
    help="Project id to give it (P-NNN). Default: the next free id of the dataset.",
)
def import_msproject(plan: str, dataset: str, project_id: str | None) -> None:
    """
    Add an MS Project plan (File > Save As > XML) to a dataset as one project.

    When PROJECT_ID is already there its tasks, dependencies and assignments are
    replaced; its risks, status, gates, lessons and sprints are kept, and so are
    the project fields a plan does not carry (sponsor, programme, methodology,
    scores, budget when the plan has no cost). What the kit cannot hold exactly is
    printed as a warning, one per line; nothing is written if the import fails.
    """
    from pmo_kit._errors import PMOError

    try:
        lines = _run(plan, dataset, project_id)
    except PMOError as exc:
        raise click.ClickException(str(exc)) from None
    for line in lines:
        click.echo(line)


def _run(plan: str, dataset: str, project_id: str | None) -> list[str]:
    from pathlib import Path

    from pmo_kit.io.into import import_project
    from pmo_kit.io.msproject import import_msproject_file

    target = project_id or _next_project_id(Path(dataset))
    result = import_msproject_file(plan, project_id=target)
    tables = result.tables
    outcome = import_project(
        dataset, tables, project_id=target, keep_fields=result.not_in_plan
    )
    links = tables["dependencies"]["type"].value_counts()
    shown = ", ".join(f"{n} {t}" for t, n in sorted(links.items())) or "none"
    lines = [
        f"imported {plan} into {dataset} as {target} "
        f"{tables['projects']['name'].iloc[0]!r}: {len(tables['tasks'])} tasks "
        f"({result.summary_count} summary tasks kept as WBS), "
        f"{len(tables['dependencies'])} links ({shown}), "
        f"{len(tables['resources'])} resources, "
        f"{len(tables['assignments'])} assignments"
    ]
    warnings = list(result.warnings)
    if outcome.existed:
        kept_rows = ", ".join(f"{n} {t}" for t, n in outcome.kept_rows.items())
        lines.append(
            f"replaced {target}'s {', '.join(outcome.replaced)}; kept its other rows "
            f"({kept_rows or 'none'})"
        )
        if outcome.kept_fields:
            lines.append(
                f"kept {target}'s projects.csv fields the plan does not carry: "
                + ", ".join(outcome.kept_fields)
            )
            warnings = [w for w in warnings if w != result.defaults_warning]
            if "manager" in outcome.kept_fields:
                warnings = [w for w in warnings if "the project manager " not in w]
    lines += [f"warning: {w}" for w in warnings]
    return lines


def _next_project_id(folder: object) -> str:
    import re
    from pathlib import Path

    assert isinstance(folder, Path)
    file = folder / "projects.csv"
    if not file.is_file():
        return "P-001"
    numbers = [
        int(n) for n in re.findall(r"^P-(\d{3,}),", file.read_text("utf-8"), re.M)
    ]
    return f"P-{max(numbers, default=0) + 1:03d}"
