"""
``pmo-kit kb``: search the lessons-learned knowledge base, add lessons, recommend.

Every command takes ``--db``: a database URL (``sqlite:///pmo.db``,
``postgresql://user@host/pmo``) or a dataset folder. Without it (and without the
``PMO_KIT_DB`` environment variable) the knowledge base is the SQLite file
``pmo-kit.db`` in the current folder; the first time, that file is created from the
course's dataset (see :mod:`pmo_kit.training.course_data`) and one line says so.
Only click is imported here; the knowledge base loads with the command.
"""

from __future__ import annotations

import textwrap
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from pmo_kit._errors import PMOError, ValidationError

if TYPE_CHECKING:
    from collections.abc import Callable

    from pmo_kit.kb import KnowledgeBase

__all__ = ["DB_ENV", "DEFAULT_DB_FILE", "kb_group", "resolve_db"]

#: The knowledge base's SQLite file, in the current folder, when --db is not given.
DEFAULT_DB_FILE = "pmo-kit.db"
#: Environment variable that gives --db a default.
DB_ENV = "PMO_KIT_DB"

_WIDTH = 88


def _sqlite_file(url: str) -> Path | None:
    """Return the file of a ``sqlite:///`` URL (None: memory or another database)."""
    head, sep, rest = url.partition(":///")
    if not sep or head.split("+")[0] != "sqlite" or not rest or rest == ":memory:":
        return None
    return Path(rest.split("?")[0])


def resolve_db(db: str | None, *, echo: Callable[[str], None] | None = None) -> str:
    """
    Return the knowledge base's location for ``--db``; create the default one.

    Parameters
    ----------
    db
        The ``--db`` value: a database URL or a dataset folder; ``None`` means
        ``sqlite:///pmo-kit.db`` in the current folder, created from the course's
        dataset when it does not exist yet (``echo`` is told in one line).
    echo
        Where to say that the default database was created.

    Raises
    ------
    ValidationError
        ``--db`` names a SQLite file that does not exist: the kit does not create
        an empty knowledge base by mistake (a typo in the name).
    """
    from pmo_kit.store.urls import is_database_url

    if db is None or not db.strip():
        file = Path(DEFAULT_DB_FILE)
        url = f"sqlite:///{DEFAULT_DB_FILE}"
        if not file.exists():
            from pmo_kit.data.portfolio import save_portfolio
            from pmo_kit.training.course_data import course_portfolio

            portfolio = course_portfolio()
            save_portfolio(portfolio, url)
            if echo is not None:
                echo(
                    f"Created {file.resolve()} from {portfolio.name} "
                    f"({len(portfolio.lessons)} lessons); use --db URL for another "
                    "knowledge base"
                )
        return url
    db = db.strip()
    if is_database_url(db):
        file_name = _sqlite_file(db)
        if file_name is not None and not file_name.exists():
            msg = (
                f"--db {db}: the SQLite file {file_name} does not exist. Allowed: an "
                f"existing database (make one with `pmo-kit data copy DATASET {db}`), "
                f"or leave --db out to use ./{DEFAULT_DB_FILE}"
            )
            raise ValidationError(msg)
    return db


def _open(db: str | None) -> KnowledgeBase:
    from pmo_kit.kb import open_knowledge_base

    return open_knowledge_base(resolve_db(db, echo=lambda m: click.echo(m, err=True)))


def _db_option(function: Callable[..., Any]) -> Callable[..., Any]:
    return click.option(
        "--db",
        "db",
        metavar="URL",
        envvar=DB_ENV,
        default=None,
        help=(
            "Database URL (sqlite:///pmo.db, postgresql://user@host/pmo) or dataset "
            f"folder.  [default: sqlite:///{DEFAULT_DB_FILE}, created from the "
            f"course dataset; env {DB_ENV}]"
        ),
    )(function)


def _wrap(text: str, prefix: str) -> str:
    return textwrap.fill(
        " ".join(text.split()),
        width=_WIDTH,
        initial_indent=prefix,
        subsequent_indent=" " * len(prefix),
    )


@click.group("kb")
def kb_group() -> None:
    """Lessons learned: search them, add them, get them recommended."""


@kb_group.command("search")
@click.argument("query")
@click.option("--category", default=None, help="Only lessons of this category.")
@click.option("--phase", default=None, help="Only lessons about this phase.")
@click.option(
    "--methodology", default=None, help="Only lessons for this approach (or any)."
)
@click.option("--tag", "tags", multiple=True, help="A tag the lesson must have.")
@click.option("--limit", type=click.IntRange(min=1), default=10, show_default=True)
@_db_option
def search_command(
    query: str,
    category: str | None,
    phase: str | None,
    methodology: str | None,
    tags: tuple[str, ...],
    limit: int,
    db: str | None,
) -> None:
    """Search the lessons for QUERY, best first (e.g. "supplier delivered late")."""
    try:
        kb = _open(db)
        result = kb.search(
            query,
            category=category,
            phase=phase,
            methodology=methodology,
            tags=list(tags),
            limit=limit,
        )
    except PMOError as exc:
        raise click.ClickException(str(exc)) from None
    if not len(result):
        click.echo(f"No lesson in {kb.name} matches {query!r} with these filters.")
        return
    click.echo(
        f"{len(result)} lesson{'s' if len(result) > 1 else ''} for {query!r} in "
        f"{kb.name} ({result.backend}):"
    )
    for rank, hit in enumerate(result, start=1):
        lesson = hit.lesson
        where = f", {lesson.project_id}" if lesson.project_id else ""
        click.echo(
            f"{rank:>2}. {hit.lesson_id}  [{lesson.category}{where}]  "
            f"score {hit.score:.2f}"
        )
        click.echo(_wrap(hit.snippet, "    "))
        click.echo(_wrap(lesson.recommendation, "    -> "))


@kb_group.command("add")
@click.argument("file", type=click.Path(path_type=Path))
@_db_option
def add_command(file: Path, db: str | None) -> None:
    """Add the lessons of FILE (YAML or CSV), all or nothing; print their ids."""
    try:
        kb = _open(db)
        added = kb.add_file(file)
    except PMOError as exc:
        raise click.ClickException(str(exc)) from None
    ids = ", ".join(lesson.lesson_id for lesson in added)
    click.echo(
        f"Added {len(added)} lesson{'s' if len(added) > 1 else ''} to {kb.name}: {ids}"
    )


@kb_group.command("recommend")
@click.argument("project_id")
@click.option("--limit", type=click.IntRange(min=1), default=5, show_default=True)
@_db_option
def recommend_command(project_id: str, limit: int, db: str | None) -> None:
    """Propose the lessons that matter for PROJECT_ID, each with its reasons."""
    try:
        kb = _open(db)
        recs = kb.recommend(project_id.strip(), limit=limit)
    except PMOError as exc:
        raise click.ClickException(str(exc)) from None
    if not recs:
        click.echo(f"No lesson in {kb.name} applies to {project_id} yet.")
        return
    click.echo(f"{len(recs)} lessons for {project_id} from {kb.name}:")
    for rank, rec in enumerate(recs, start=1):
        lesson = rec.lesson
        click.echo(
            f"{rank:>2}. {rec.lesson_id}  [{lesson.category}]  score {rec.score:.2f}"
        )
        click.echo(_wrap(lesson.event, "    "))
        click.echo(_wrap(lesson.recommendation, "    -> "))
        click.echo(_wrap("; ".join(rec.reasons), "    why: "))
