"""
``pmo-kit workshop``: release a workshop, hand in, grade.

Only click is imported here; the workshop modules load with the command.
"""

from __future__ import annotations

from pathlib import Path

import click

from pmo_kit._errors import PMOError

__all__ = ["workshop_group"]


def _fail(exc: PMOError) -> click.ClickException:
    return click.ClickException(str(exc))


@click.group("workshop")
def workshop_group() -> None:
    """Run a workshop: release to teams, collect hand-ins, grade them."""


@workshop_group.command("release")
@click.option("--teams", type=int, default=None, help="Number of teams.")
@click.option(
    "--roster",
    type=click.Path(path_type=Path),
    default=None,
    help="CSV with the columns team,learner.",
)
@click.option("--seed", type=int, required=True, help="Team i gets seed S+i.")
@click.option(
    "--out",
    type=click.Path(file_okay=False, path_type=Path),
    required=True,
    help="The workshop folder: teams/ and trainer/.",
)
@click.option(
    "--exercises",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="The course's exercise folders.  [default: the kit's own]",
)
@click.option("--projects", type=click.IntRange(min=1), default=10, show_default=True)
def release_command(
    teams: int | None,
    roster: Path | None,
    seed: int,
    out: Path,
    exercises: Path | None,
    projects: int,
) -> None:
    """Release a workshop: a folder per team and the trainer's answer keys."""
    from pmo_kit.training.workshop import release

    try:
        manifest = release(
            out,
            teams=teams,
            roster=roster,
            seed=seed,
            exercises=exercises,
            projects=projects,
        )
    except PMOError as exc:
        raise _fail(exc) from None
    click.echo(
        f"Released {len(manifest['exercises'])} exercises to "
        f"{len(manifest['teams'])} teams in {out / 'teams'}; "
        f"answer keys in {out / 'trainer'}"
    )


@workshop_group.command("hand-in")
@click.argument(
    "team_folder",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path(),
    required=False,
)
@click.option("--learner", required=True, help="Your name, as on the roster.")
@click.option(
    "-o", "--output", type=click.Path(dir_okay=False, path_type=Path), default=None
)
def hand_in_command(team_folder: Path, learner: str, output: Path | None) -> None:
    """Pack your team folder's notebooks into one zip to send to the trainer."""
    from pmo_kit.training.workshop import hand_in

    try:
        path = hand_in(team_folder, learner=learner, out=output)
    except PMOError as exc:
        raise _fail(exc) from None
    click.echo(f"Hand-in written: {path}")


@workshop_group.command("grade")
@click.argument("workshop", type=click.Path(file_okay=False, path_type=Path))
@click.argument("handins", type=click.Path(file_okay=False, path_type=Path))
@click.option(
    "-o",
    "--output",
    type=click.Path(file_okay=False, path_type=Path),
    required=True,
    help="Results folder.",
)
@click.option("-j", "--jobs", type=click.IntRange(min=1), default=None)
@click.option("--exercise", "exercises", multiple=True, help="Grade only these.")
@click.option("--cell-timeout", type=click.FloatRange(min=1), default=30.0)
@click.option("--notebook-timeout", type=click.FloatRange(min=1), default=120.0)
def grade_command(
    workshop: Path,
    handins: Path,
    output: Path,
    jobs: int | None,
    exercises: tuple[str, ...],
    cell_timeout: float,
    notebook_timeout: float,
) -> None:
    """Grade a folder of hand-ins: gradebook.csv, gradebook.html, feedback/."""
    from pmo_kit.training.workshop import grade

    try:
        rows = grade(
            workshop,
            handins,
            output,
            jobs=jobs,
            cell_timeout=cell_timeout,
            notebook_timeout=notebook_timeout,
            exercises=list(exercises) or None,
        )
    except PMOError as exc:
        raise _fail(exc) from None
    learners = {(r.team, r.learner) for r in rows}
    if not rows:
        msg = (
            f"no hand-ins in {handins}: expected the .zip files learners make with "
            "`pmo-kit workshop hand-in`"
        )
        raise click.ClickException(msg)
    click.echo(
        f"Graded {len(learners)} hand-ins: {output / 'gradebook.csv'}, "
        f"{output / 'gradebook.html'}"
    )
