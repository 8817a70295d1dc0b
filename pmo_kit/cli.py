"""
The ``pmo-kit`` command: a thin click layer over the library.

Every :class:`~pmo_kit.PMOError` becomes one line on stderr and exit status 1; an
unexpected error does too (set ``PMO_KIT_DEBUG=1`` to see the traceback).

Start-up is kept fast: this module imports only click and the error classes; pandas,
papermill and the library are imported inside the command that needs them, so
``pmo-kit --help``, ``report list`` and a rejected parameter answer in well under a
second.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from pmo_kit._errors import PMOError
from pmo_kit.cli_batch import batch_command
from pmo_kit.cli_dashboard import dashboard_command
from pmo_kit.cli_data_store import copy_command
from pmo_kit.cli_interop import export_group, import_group
from pmo_kit.cli_io_excel import export_excel_command, import_excel_command
from pmo_kit.cli_io_misc import (
    export_bi_command,
    import_asana_command,
    import_jira_command,
)
from pmo_kit.cli_io_msproject import import_msproject
from pmo_kit.cli_io_msproject_export import export_msproject_command
from pmo_kit.cli_kb import kb_group
from pmo_kit.cli_learner import learner_group
from pmo_kit.cli_support import parameter_option, parameter_values, terminate_as_exit
from pmo_kit.cli_workshop import workshop_group

if TYPE_CHECKING:
    from collections.abc import Sequence

__all__ = ["GENERATOR_DEFAULTS", "cli", "main"]

#: Defaults of ``data generate``: those of :func:`pmo_kit.generate_organisation`,
#: written out so that start-up does not import the generator (and pandas); a test
#: keeps them equal to the library signature.
GENERATOR_DEFAULTS: dict[str, Any] = {"seed": 2026, "projects": 10}


class _Group(click.Group):
    """A click group that shows a PMOError as one line (exit status 1)."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except PMOError as exc:
            raise click.ClickException(str(exc)) from exc


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="pmo-kit")
def cli() -> None:
    """PMO training and analysis kit: data, reports and exercises."""


# ------------------------------------------------------------------------------ data


@cli.group("data")
def data_group() -> None:
    """Generate and validate dataset folders."""


@data_group.command("generate")
@click.option(
    "--seed",
    type=int,
    default=GENERATOR_DEFAULTS["seed"],
    show_default=True,
    help="Random seed (same seed, same data).",
)
@click.option(
    "--projects",
    type=click.IntRange(min=1),
    default=GENERATOR_DEFAULTS["projects"],
    show_default=True,
    help="Number of projects.",
)
@click.option(
    "--out",
    "out",
    type=click.Path(file_okay=False, path_type=Path),
    required=True,
    help="Dataset folder to write (replaced atomically).",
)
@click.option(
    "--force",
    is_flag=True,
    help="Replace the dataset files if the folder already holds a dataset "
    "(other files in it are kept).",
)
def data_generate(seed: int, projects: int, out: Path, force: bool) -> None:
    """Generate a fictional organisation's dataset (the Meridian Works generator)."""
    from pmo_kit.data.generator import generate_organisation
    from pmo_kit.data.portfolio import is_dataset_file, save_portfolio

    if out.is_dir() and not force:
        ours = [p for p in out.rglob("*") if is_dataset_file(p.relative_to(out))]
        if ours:
            msg = (
                f"{out} already holds a dataset ({ours[0].relative_to(out)}, ...); "
                "pass --force to replace its files (other files are kept)"
            )
            raise PMOError(msg)
    portfolio = generate_organisation(seed=seed, projects=projects)
    save_portfolio(portfolio, out)
    click.echo(
        f"Wrote {portfolio.name}: {len(portfolio.projects)} projects, "
        f"{len(portfolio.tasks)} tasks, {len(portfolio.resources)} people, "
        f"{len(portfolio.risks)} risks -> {out}"
    )


#: Problems listed by ``data validate`` without --all.
VALIDATE_LIST_LIMIT = 20
#: ``data validate`` shows its progress for a dataset of this many bytes of CSV,
#: or once it has run this many seconds.
VALIDATE_PROGRESS_BYTES = 5_000_000
VALIDATE_PROGRESS_SECONDS = 3.0


@data_group.command("validate")
@click.argument("path", required=False)
@click.option(
    "--all",
    "show_all",
    is_flag=True,
    help=f"List every problem (default: the first {VALIDATE_LIST_LIMIT}).",
)
def data_validate(path: str | None, show_all: bool) -> None:
    """Validate a dataset folder or database URL (default: the bundled sample).

    Every file is checked; each problem is one line naming the file, row, column,
    bad value and what is allowed. Exit status 1 when there is a problem.
    """
    import time

    from pmo_kit.data.portfolio import check_dataset

    started = time.monotonic()
    from pmo_kit.store.urls import is_database_url

    folder = Path(path) if path and not is_database_url(path) else None
    size = sum(f.stat().st_size for f in folder.glob("*.csv")) if folder else 0
    large = size >= VALIDATE_PROGRESS_BYTES

    def progress(file: str, number: int, steps: int) -> None:
        if large or time.monotonic() - started >= VALIDATE_PROGRESS_SECONDS:
            click.echo(f"checking {file} ({number}/{steps})", err=True)

    checked = check_dataset(path, progress=progress)
    problems = checked.problems
    notes = [
        f"note: {file} is empty (a header row and no records)"
        for file in checked.empty_tables
    ]
    if problems:
        for note in notes:
            click.echo(note, err=True)
    if len(problems) == 1:
        raise PMOError(problems[0])
    if problems:
        shown = problems if show_all else problems[:VALIDATE_LIST_LIMIT]
        for line in shown:
            click.echo(line, err=True)
        more = len(problems) - len(shown)
        rest = f"; +{more} more not listed (pass --all to list every one)"
        msg = f"{len(problems)} problems in {checked.path}{rest if more else ''}"
        raise PMOError(msg)
    portfolio = checked.portfolio
    if portfolio is None:  # no problem found means the portfolio loaded
        msg = f"{checked.path}: the dataset could not be loaded"
        raise PMOError(msg)
    counts = ", ".join(
        f"{len(frame)} {name}" for name, frame in portfolio.tables().items()
    )
    where = portfolio.path if portfolio.path is not None else checked.path
    click.echo(f"OK: {portfolio.name} ({where}): {counts}")
    for note in notes:
        click.echo(note)


# ---------------------------------------------------------------------------- report


@cli.group("report")
def report_group() -> None:
    """List, describe and run report notebooks."""


@report_group.command("list")
def report_list() -> None:
    """List the available reports."""
    from pmo_kit.reports import available_reports, describe_report

    for name in available_reports():
        info = describe_report(name)
        click.echo(f"{name:<28} {info.title}")


@report_group.command("describe")
@click.argument("name")
def report_describe(name: str) -> None:
    """Show a report's purpose and its typed parameters."""
    from pmo_kit.reports import RUNNER_PARAMETERS, describe_report

    info = describe_report(name)
    click.echo(f"{info.name}: {info.title}")
    if info.description:
        click.echo(f"  {info.description}")
    click.echo("Parameters (-p NAME VALUE):")
    for p in info.parameters:
        if p.name in RUNNER_PARAMETERS:
            continue
        click.echo(f"  {p.name:<16} {p.type_name:<12} default {p.default:<14} {p.help}")


@report_group.command("run")
@click.argument("name")
@parameter_option("Set a report parameter (repeatable).")
@click.option(
    "-o",
    "--output-dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Output folder.  [default: build/reports/NAME]",
)
@click.option("--no-html", is_flag=True, help="Skip the HTML export.")
def report_run(
    name: str,
    parameters: Sequence[tuple[str, str]],
    output_dir: Path | None,
    no_html: bool,
) -> None:
    """Run report NAME and write its HTML, executed notebook and summary.json.

    The outputs are replaced only when the run is complete; a failed run keeps the
    previous ones and names the file holding its notebook. Progress goes to stderr.
    """
    from pmo_kit.reports import run_report

    values = parameter_values(parameters)
    with terminate_as_exit():
        result = run_report(
            name,
            parameters=values,
            output_dir=output_dir,
            html=not no_html,
            progress=lambda line: click.echo(line, err=True),
            progress_bar=sys.stderr.isatty(),
        )
    if result.html is not None:
        click.echo(f"Report: {result.html}")
    click.echo(f"Summary: {result.summary_path}")


report_group.add_command(batch_command)
cli.add_command(dashboard_command)
data_group.add_command(copy_command)
cli.add_command(workshop_group)
cli.add_command(learner_group)
cli.add_command(kb_group)
cli.add_command(import_group)
cli.add_command(export_group)
import_group.add_command(import_asana_command)
import_group.add_command(import_jira_command)
export_group.add_command(export_bi_command)
import_group.add_command(import_excel_command)
export_group.add_command(export_excel_command)
import_group.add_command(import_msproject)
export_group.add_command(export_msproject_command)


# --------------------------------------------------------------------------- charter


@cli.group("charter")
def charter_group() -> None:
    """Review project charters (YAML) against the PMO's charter standard."""


@charter_group.command("check")
@click.argument(
    "paths", nargs=-1, required=True, type=click.Path(exists=True, path_type=Path)
)
@click.option(
    "--strict", is_flag=True, help="Also fail (exit 1) on warnings, not only errors."
)
def charter_check(paths: Sequence[Path], strict: bool) -> None:
    """Review charter files (or folders of them): one line per finding.

    Exit status 1 when a charter has an error finding (with --strict: any warning).
    """
    from pmo_kit._errors import ValidationError
    from pmo_kit.charter import load_charter, review_charter

    files: list[Path] = []
    for path in paths:
        files += sorted(path.glob("*.yaml")) if path.is_dir() else [path]
    if not files:
        msg = f"no charter files (*.yaml) in {', '.join(map(str, paths))}"
        raise PMOError(msg)
    failing = {"error", "warning"} if strict else {"error"}
    bad = unreadable = 0
    registers: dict[Path, Any] = {}
    for file in files:
        try:
            charter = load_charter(file)
        except ValidationError as exc:  # name it, then review the others
            for problem in exc.problems:
                click.echo(f"{file}: error [unreadable] {problem}")
            bad += 1
            unreadable += 1
            continue
        findings = review_charter(
            charter, project=_project_row(file, charter, registers)
        )
        if not findings:
            click.echo(f"{file}: OK")
        for finding in findings:
            click.echo(
                f"{file}: {finding.severity} [{finding.code}] {finding.field}: "
                f"{finding.message} Fix: {finding.fix}"
            )
        bad += any(f.severity in failing for f in findings)
    if bad:
        could_not = f" ({unreadable} could not be read)" if unreadable else ""
        msg = f"{bad} of {len(files)} charter(s) need fixing{could_not}"
        raise PMOError(msg)


def _project_row(file: Path, charter: Any, registers: dict[Path, Any]) -> Any:
    """Return the charter's row in ../projects.csv when it sits in a dataset folder."""
    from pmo_kit._errors import ValidationError
    from pmo_kit.data.tables import read_table

    register = file.resolve().parent.parent / "projects.csv"
    if file.resolve().parent.name != "charters" or not register.is_file():
        return None
    if register not in registers:
        try:
            table = read_table(register, "projects")
            registers[register] = table.set_index("project_id", drop=False)
        except ValidationError as exc:  # review the charters without it
            click.echo(f"note: {exc} (charters reviewed without it)", err=True)
            registers[register] = None
    projects = registers[register]
    if projects is None or charter.project_id not in projects.index:
        return None
    return projects.loc[charter.project_id]


# -------------------------------------------------------------------------- exercise


@cli.group("exercise")
def exercise_group() -> None:
    """Build learner copies of exercises."""


@exercise_group.command("learner-copy")
@click.argument("solutions", nargs=-1, type=click.Path(exists=True, path_type=Path))
def exercise_learner_copy(solutions: Sequence[Path]) -> None:
    """Write exercise.ipynb (no solutions) beside each solution.ipynb given.

    With no argument, every exercises/*/solution.ipynb below the current folder.
    """
    from pmo_kit.training import make_learner_copy

    files = list(solutions) or sorted(Path("exercises").glob("*/solution.ipynb"))
    if not files:
        msg = "no solution notebooks found (looked for exercises/*/solution.ipynb)"
        raise PMOError(msg)
    for solution in files:
        if solution.is_dir():
            solution = solution / "solution.ipynb"
        click.echo(f"{solution} -> {make_learner_copy(solution)}")


def main(argv: Sequence[str] | None = None) -> None:
    """Run the CLI; errors become one line on stderr and exit status 1."""
    try:
        cli.main(
            args=list(argv) if argv is not None else None,
            prog_name="pmo-kit",
            standalone_mode=False,
        )
    except click.exceptions.Abort:
        click.echo("Aborted.", err=True)
        sys.exit(1)
    except click.UsageError as exc:  # one line too, with where to find help
        where = exc.ctx.command_path if exc.ctx is not None else "pmo-kit"
        message = exc.format_message().replace("\n", " ")
        click.echo(f"Error: {message} (see: {where} --help)", err=True)
        sys.exit(exc.exit_code)
    except click.ClickException as exc:
        exc.show()
        sys.exit(exc.exit_code)
    except PMOError as exc:
        click.echo(f"Error: {exc}", err=True)
        sys.exit(1)
    except Exception as exc:
        if os.environ.get("PMO_KIT_DEBUG"):
            raise
        click.echo(
            f"Error: unexpected {type(exc).__name__}: {exc} "
            "(set PMO_KIT_DEBUG=1 to see the traceback)",
            err=True,
        )
        sys.exit(1)
