"""
The knowledge base: lessons in a dataset folder or a database, searched and added.

:func:`open_knowledge_base` opens the lessons of the bundled sample (read-only), of
a dataset folder or of a database URL (``sqlite:///...``, ``postgresql://...``).
Full-text search finds candidate lessons with the database's own engine: on SQLite
an FTS5 table over event/effect/cause/recommendation/early_warning/tags, kept in
step with the lessons table by triggers; on PostgreSQL ``to_tsvector`` /
``to_tsquery`` over a GIN index; for a folder, an in-memory FTS5 table. Where FTS5
is missing, every lesson is a candidate (pure Python). The engines index words
unstemmed and are queried by word prefix (the stems of the query and its synonyms,
see :func:`pmo_kit.kb.text.prefixes`), so they return a superset of what the
scorer can match; the candidates are then ranked by the one shared BM25 scorer of
:mod:`pmo_kit.kb.search`. Every backend therefore gives the same order.
"""

from __future__ import annotations

import csv
import io
import sqlite3
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from pmo_kit._errors import ValidationError
from pmo_kit.kb.model import Lesson, lessons_frame, lessons_from_frame
from pmo_kit.kb.recommend import Recommendation, recommend
from pmo_kit.kb.search import Filters, LessonIndex, SearchResult
from pmo_kit.kb.text import prefixes

if TYPE_CHECKING:
    import os

    import sqlalchemy as sa

    from pmo_kit.data.portfolio import Portfolio

__all__ = [
    "FTS_COLUMNS",
    "STARTER_SOURCE",
    "KnowledgeBase",
    "fts5_available",
    "open_knowledge_base",
    "read_lessons_file",
    "starter_lessons",
    "starter_lessons_path",
]

#: Lesson columns the full-text engines index.
FTS_COLUMNS: tuple[str, ...] = (
    "event",
    "effect",
    "cause",
    "recommendation",
    "early_warning",
    "tags",
)
#: ``source`` of the lessons of the bundled starter library.
STARTER_SOURCE = "pmo-kit starter library"

Engine = Literal["auto", "python"]

_PG_DOCUMENT = " || ' ' || ".join(f"coalesce({c}, '')" for c in FTS_COLUMNS)
_PG_VECTOR = f"to_tsvector('simple', {_PG_DOCUMENT})"


def fts5_available() -> bool:
    """Tell whether Python's sqlite3 has the FTS5 full-text extension."""
    try:
        with sqlite3.connect(":memory:") as conn:
            conn.execute("CREATE VIRTUAL TABLE t USING fts5(a)")
    except sqlite3.OperationalError:
        return False
    return True


def starter_lessons_path() -> Path:
    """Path of the bundled starter library (generic PMO lessons, CSV)."""
    return Path(__file__).with_name("starter_lessons.csv")


def starter_lessons() -> list[Lesson]:
    """
    Return the bundled starter library: generic PMO lessons in the kit's words.

    Examples
    --------
    >>> lessons = starter_lessons()
    >>> len(lessons) >= 60, {l.source for l in lessons}
    (True, {'pmo-kit starter library'})
    """
    return read_lessons_file(starter_lessons_path())


def read_lessons_file(path: str | os.PathLike[str]) -> list[Lesson]:
    """
    Read lessons from a YAML or CSV file; every lesson checked, all or nothing.

    YAML holds one lesson (a mapping), a list of lessons, or ``lessons: [...]``.

    Raises
    ------
    ValidationError
        The file is missing or unreadable, or a lesson has a problem; the message
        names the file and the first problem, ``problems`` lists them all.
    """
    file = Path(path)
    if not file.is_file():
        msg = f"{file}: file not found. Allowed: a .yaml, .yml or .csv file of lessons"
        raise ValidationError(msg)
    suffix = file.suffix.lower()
    text = file.read_text(encoding="utf-8-sig")
    records: list[Mapping[str, object]]
    if suffix == ".csv":
        records = list(csv.DictReader(io.StringIO(text)))
    elif suffix in {".yaml", ".yml"}:
        records = _yaml_records(file, text)
    else:
        msg = f"{file}: {suffix or 'no extension'!r} is not a lessons file type. "
        msg += "Allowed: .yaml, .yml, .csv"
        raise ValidationError(msg)
    lessons: list[Lesson] = []
    problems: list[str] = []
    for i, record in enumerate(records, start=1):
        try:
            lesson = Lesson.from_mapping(record)
        except ValidationError as exc:
            problems.append(f"{file}, lesson {i}: {exc}")
            continue
        problems += [f"{file}: {p}" for p in lesson.problems()]
        lessons.append(lesson)
    problems += _duplicate_problems(lessons, str(file))
    if problems:
        raise ValidationError.from_problems(problems)
    if not lessons:
        msg = f"{file}: holds no lessons"
        raise ValidationError(msg)
    return lessons


def _yaml_records(file: Path, text: str) -> list[Mapping[str, object]]:
    import yaml

    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        msg = f"{file}: not valid YAML: {str(exc).splitlines()[0]}"
        raise ValidationError(msg) from None
    if isinstance(data, Mapping) and "lessons" in data:
        data = data["lessons"]
    if isinstance(data, Mapping):
        data = [data]
    if not isinstance(data, list) or not all(isinstance(d, Mapping) for d in data):
        msg = (
            f"{file}: expected a lesson (a mapping), a list of lessons or "
            "'lessons: [...]'"
        )
        raise ValidationError(msg)
    return [{str(k): v for k, v in d.items()} for d in data]


def _duplicate_problems(lessons: Sequence[Lesson], where: str) -> list[str]:
    seen: set[str] = set()
    out: list[str] = []
    for lesson in lessons:
        if lesson.lesson_id in seen:
            out.append(f"{where}: lesson_id {lesson.lesson_id!r} appears twice")
        seen.add(lesson.lesson_id)
    return out


class KnowledgeBase:
    """
    Lessons learned of one organisation: search, recommend, add.

    Build one with :func:`open_knowledge_base`.
    """

    def __init__(
        self,
        source: str | Path | None,
        *,
        engine: Engine = "auto",
        starter: bool | None = None,
    ) -> None:
        from pmo_kit.store.urls import is_database_url, mask_url

        self._url = str(source).strip() if is_database_url(source) else None
        self._folder = None if source is None or self._url else Path(source)
        self._engine_choice = engine
        self._starter = source is None if starter is None else starter
        self.name = (
            "the bundled sample"
            if source is None
            else mask_url(self._url)
            if self._url
            else str(self._folder)
        )
        self._sqlite_mem: sqlite3.Connection | None = None
        self._db: sa.Engine | None = None
        self.backend = "python"
        self._reload()

    # ------------------------------------------------------------------ loading

    def portfolio(self) -> Portfolio:
        """
        Return the organisation behind this knowledge base, read afresh.

        Its projects and risks are what a new lesson is checked against (the
        capture widget lists a project's risks from it).
        """
        return self._portfolio()

    def _portfolio(self) -> Portfolio:
        from pmo_kit.data.portfolio import load_portfolio

        if self._url:
            return load_portfolio(self._url)
        return load_portfolio(self._folder)

    def _reload(self) -> None:
        if self._url:
            self._load_database()
        else:
            portfolio = self._portfolio()
            self._portfolio_cache: Portfolio | None = portfolio
            self._set_lessons(
                lessons_from_frame(portfolio.lessons),
                dict(
                    zip(
                        portfolio.projects["project_id"],
                        portfolio.projects["methodology"],
                        strict=True,
                    )
                ),
            )
            if self._engine_choice == "auto" and fts5_available():
                self._index_in_memory()
                self.backend = "sqlite-fts5"
            else:
                self.backend = "python"

    def _set_lessons(self, lessons: list[Lesson], methodology: dict[str, str]) -> None:
        own = {lesson.lesson_id for lesson in lessons}
        if self._starter:
            lessons = lessons + [s for s in starter_lessons() if s.lesson_id not in own]
        self._stored_ids = own
        self._methodology = methodology
        self.index = LessonIndex(lessons, methodology)

    def _index_in_memory(self) -> None:
        conn = sqlite3.connect(":memory:", check_same_thread=False)
        cols = ", ".join(FTS_COLUMNS)
        conn.execute(
            f"CREATE VIRTUAL TABLE lessons_fts USING fts5(lesson_id UNINDEXED, {cols}, "
            "tokenize='unicode61')"
        )
        conn.executemany(
            f"INSERT INTO lessons_fts (lesson_id, {cols}) VALUES "
            f"({', '.join('?' * (len(FTS_COLUMNS) + 1))})",
            [
                (lesson.lesson_id, *(getattr(lesson, c) for c in FTS_COLUMNS))
                for lesson in self.index.lessons.values()
            ],
        )
        self._sqlite_mem = conn

    def _load_database(self) -> None:
        import sqlalchemy as sa

        from pmo_kit.store import open_database, table

        assert self._url is not None
        self._db = engine = open_database(self._url)
        lessons_t = table(engine, "lessons")
        projects_t = table(engine, "projects")
        with engine.begin() as conn:
            rows = conn.execute(sa.select(lessons_t)).mappings().all()
            meth = conn.execute(
                sa.select(projects_t.c.project_id, projects_t.c.methodology)
            ).all()
            if self._engine_choice == "auto":
                self.backend = self._prepare_full_text(conn)
            else:
                self.backend = "python"
        names = set(Lesson.__dataclass_fields__)
        lessons = [
            Lesson.from_mapping({k: v for k, v in r.items() if k in names})
            for r in rows
        ]
        lessons.sort(key=lambda lesson: lesson.lesson_id)
        self._portfolio_cache = None
        self._set_lessons(lessons, {str(p): str(m) for p, m in meth})

    def _prepare_full_text(self, conn: sa.Connection) -> str:
        import sqlalchemy as sa

        dialect = conn.dialect.name
        if dialect == "postgresql":
            conn.execute(
                sa.text(
                    "CREATE INDEX IF NOT EXISTS lessons_fulltext ON lessons "
                    f"USING GIN ({_PG_VECTOR})"
                )
            )
            return "postgresql"
        if dialect == "sqlite" and fts5_available():
            cols = ", ".join(FTS_COLUMNS)
            new = ", ".join(f"new.{c}" for c in FTS_COLUMNS)
            old = ", ".join(f"old.{c}" for c in FTS_COLUMNS)
            statements = [
                f"CREATE VIRTUAL TABLE IF NOT EXISTS lessons_fts USING fts5({cols}, "
                "content='lessons', content_rowid='rowid', "
                "tokenize='unicode61')",
                "CREATE TRIGGER IF NOT EXISTS lessons_fts_insert AFTER INSERT ON "
                f"lessons BEGIN INSERT INTO lessons_fts(rowid, {cols}) VALUES "
                f"(new.rowid, {new}); END",
                "CREATE TRIGGER IF NOT EXISTS lessons_fts_delete AFTER DELETE ON "
                f"lessons BEGIN INSERT INTO lessons_fts(lessons_fts, rowid, {cols}) "
                f"VALUES ('delete', old.rowid, {old}); END",
                "CREATE TRIGGER IF NOT EXISTS lessons_fts_update AFTER UPDATE ON "
                f"lessons BEGIN INSERT INTO lessons_fts(lessons_fts, rowid, {cols}) "
                f"VALUES ('delete', old.rowid, {old}); "
                f"INSERT INTO lessons_fts(rowid, {cols}) "
                f"VALUES (new.rowid, {new}); END",
                "INSERT INTO lessons_fts(lessons_fts) VALUES ('rebuild')",
            ]
            for statement in statements:
                conn.execute(sa.text(statement))
            return "sqlite-fts5"
        return "python"

    # ------------------------------------------------------------------ search

    def _candidates(self, query: str) -> set[str] | None:
        """Lessons the full-text engine finds (``None``: every lesson)."""
        words = prefixes(query)
        if not words or self.backend == "python":
            return None
        match = " OR ".join(f'"{w}"*' for w in words)
        if self.backend == "sqlite-fts5" and self._sqlite_mem is not None:
            rows = self._sqlite_mem.execute(
                "SELECT lesson_id FROM lessons_fts WHERE lessons_fts MATCH ?", (match,)
            ).fetchall()
            return {str(r[0]) for r in rows}
        import sqlalchemy as sa

        assert self._db is not None
        with self._db.connect() as conn:
            if self.backend == "postgresql":
                sql = (
                    f"SELECT lesson_id FROM lessons WHERE {_PG_VECTOR} @@ "
                    "to_tsquery('simple', :q)"
                )
                query_text = " | ".join(f"{w}:*" for w in words)
                rows = list(conn.execute(sa.text(sql), {"q": query_text}).all())
            else:
                sql = (
                    "SELECT l.lesson_id FROM lessons_fts f JOIN lessons l "
                    "ON l.rowid = f.rowid WHERE lessons_fts MATCH :q"
                )
                rows = list(conn.execute(sa.text(sql), {"q": match}).all())
        found = {str(r[0]) for r in rows}
        # starter lessons held in memory only are searched by the shared scorer
        found |= set(self.index.lessons) - self._stored_ids
        return found

    def search(
        self,
        query: str,
        *,
        category: str | None = None,
        phase: str | None = None,
        methodology: str | None = None,
        tags: Sequence[str] = (),
        limit: int = 10,
    ) -> SearchResult:
        """
        Search the lessons; best first, with a snippet and the matching lesson.

        Parameters
        ----------
        query
            Words as a project manager would type them ("vendor slipped").
        category, phase, methodology, tags
            Filters (a lesson must have every tag given). A lesson's methodology is
            its own, else its project's; a lesson with neither passes any.
        limit
            How many hits at most.

        Examples
        --------
        >>> kb = open_knowledge_base()
        >>> result = kb.search("vendor slipped", category="procurement", limit=3)
        >>> {hit.lesson.category for hit in result}
        {'procurement'}
        """
        if isinstance(tags, str):
            tags = [tags]
        filters = Filters(category, phase, methodology, tuple(tags))
        return self.index.search(
            query,
            filters=filters,
            limit=limit,
            candidates=self._candidates(query),
            backend=self.backend,
        )

    def recommend(self, project_id: str, *, limit: int = 5) -> list[Recommendation]:
        """
        Propose the lessons that matter for a project, each with its reasons.

        See :func:`pmo_kit.kb.recommend.recommend`.
        """
        portfolio = self._portfolio_cache or self._portfolio()
        return recommend(
            project_id, portfolio, lessons=self.index.lessons.values(), limit=limit
        )

    @property
    def lessons(self) -> list[Lesson]:
        """Every lesson searched (stored ones, and the starter library if asked)."""
        return list(self.index.lessons.values())

    # ------------------------------------------------------------------ adding

    def add(self, lesson: Lesson | Mapping[str, object]) -> Lesson:
        """
        Check a lesson and save it (a database: one transaction; a folder: atomic).

        Raises
        ------
        ValidationError
            The lesson has a problem (missing field, bad category, unknown project
            or risk, duplicate lesson_id); one line, ``problems`` lists all. Also
            raised for the bundled sample, which is read-only.
        """
        return self.add_many([lesson])[0]

    def add_file(self, path: str | os.PathLike[str]) -> list[Lesson]:
        """Add every lesson of a YAML or CSV file, all or nothing."""
        return self.add_many(read_lessons_file(path))

    def add_many(
        self, lessons: Iterable[Lesson | Mapping[str, object]]
    ) -> list[Lesson]:
        """Add several lessons in one save, all or nothing."""
        if self._url is None and self._folder is None:
            msg = (
                "the bundled sample is read-only; open your own folder or database, "
                "e.g. open_knowledge_base('my-pmo') or 'sqlite:///pmo.db'"
            )
            raise ValidationError(msg)
        items = [
            item if isinstance(item, Lesson) else Lesson.from_mapping(item)
            for item in lessons
        ]
        portfolio = self._portfolio()
        stored = set(portfolio.lessons["lesson_id"].astype(str))
        problems: list[str] = []
        for item in items:
            problems += item.problems(portfolio)
            if item.lesson_id in stored:
                problems.append(
                    f"lesson {item.lesson_id}: lesson_id {item.lesson_id!r} is already "
                    f"in {self.name}. Allowed: a new id, e.g. {_next_id(stored)}"
                )
        problems += _duplicate_problems(items, "the lessons to add")
        if problems:
            raise ValidationError.from_problems(problems)
        import pandas as pd

        from pmo_kit.data.portfolio import save_portfolio

        new = pd.concat(
            [portfolio.lessons, lessons_frame(items)], ignore_index=True
        ).astype({"date": "datetime64[ns]"})
        target: Any = self._url or self._folder
        save_portfolio(replace(portfolio, lessons=new), target)
        self._reload()
        return items

    def close(self) -> None:
        """Release the in-memory index (database engines are shared; not closed)."""
        if self._sqlite_mem is not None:
            self._sqlite_mem.close()
            self._sqlite_mem = None


def _next_id(ids: set[str]) -> str:
    numbers = [int(i[2:]) for i in ids if i[2:].isdigit()]
    return f"L-{max(numbers, default=0) + 1:03d}"


def open_knowledge_base(
    source: str | os.PathLike[str] | None = None,
    *,
    engine: Engine = "auto",
    starter: bool | None = None,
) -> KnowledgeBase:
    """
    Open the lessons-learned knowledge base of a folder or database.

    Parameters
    ----------
    source
        A dataset folder, a database URL (``sqlite:///pmo.db``,
        ``postgresql://user@host/db``) or ``None`` for the bundled sample
        (read-only).
    engine
        ``"auto"`` uses the database's full-text engine (SQLite FTS5,
        PostgreSQL); ``"python"`` forces the pure-Python fallback.
    starter
        Also search the bundled starter library of generic PMO lessons (in memory;
        :meth:`KnowledgeBase.add_file` with :func:`starter_lessons_path` stores
        them). Default: only for the bundled sample.

    Raises
    ------
    ValidationError
        The folder does not exist or its data break a rule.
    pmo_kit.store.DatabaseError
        The database URL cannot be reached (one line, password masked).

    Examples
    --------
    >>> kb = open_knowledge_base()
    >>> kb.backend in {"sqlite-fts5", "python"}, len(kb.lessons) >= 90
    (True, True)
    """
    if engine not in ("auto", "python"):
        msg = f"engine={engine!r} is not allowed. Allowed: 'auto', 'python'"
        raise ValidationError(msg)
    if source is not None and not isinstance(source, str):
        source = Path(source)
    return KnowledgeBase(source, engine=engine, starter=starter)
