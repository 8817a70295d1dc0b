"""
The database schema, generated from :data:`pmo_kit.data.schemas.SCHEMAS`.

One SQL table per canonical table, with the same name and column names, matching
SQL types and the schema's key as primary key, plus a ``pmo_row`` column that keeps
the rows in the order they were saved. The kit adds three small tables:

- ``pmo_kit_settings``: key/value text (``schema_version``, organisation ``name``
  and ``currency``);
- ``pmo_kit_charters``: one project charter per row, as the YAML text of its file.

:func:`upgrade_schema` creates what is missing and adds the columns a newer kit
declares to tables made by an older one, keeping their rows.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import sqlalchemy as sa

from pmo_kit._errors import ValidationError
from pmo_kit.data.schemas import SCHEMAS, Column
from pmo_kit.store.errors import DatabaseError

if TYPE_CHECKING:
    from sqlalchemy.types import TypeEngine

__all__ = [
    "CHARTERS",
    "METADATA",
    "ROW_ORDER",
    "SCHEMA_VERSION",
    "SETTINGS",
    "table",
    "upgrade_schema",
]

#: Version of the layout of the kit's own tables; a database written by a newer
#: kit (a higher number) is refused rather than damaged.
SCHEMA_VERSION = 1
#: Column that keeps each table's row order.
ROW_ORDER = "pmo_row"

METADATA = sa.MetaData()


def _sql_type(column: Column) -> TypeEngine[Any]:
    kinds: dict[str, TypeEngine[Any]] = {
        "str": sa.Text(),
        "int": sa.BigInteger(),
        "float": sa.Double(),
        "date": sa.Date(),
        "datetime": sa.DateTime(),
        "bool": sa.Boolean(),
    }
    return kinds[column.kind]


for _name, _schema in SCHEMAS.items():
    sa.Table(
        _name,
        METADATA,
        *(
            sa.Column(
                c.name,
                _sql_type(c),
                primary_key=c.name in _schema.key,
                nullable=c.name not in _schema.key,
            )
            for c in _schema.columns
        ),
        sa.Column(ROW_ORDER, sa.BigInteger(), nullable=True),
    )

SETTINGS = sa.Table(
    "pmo_kit_settings",
    METADATA,
    sa.Column("key", sa.String(64), primary_key=True),
    sa.Column("value", sa.Text(), nullable=True),
)
CHARTERS = sa.Table(
    "pmo_kit_charters",
    METADATA,
    sa.Column("project_id", sa.String(64), primary_key=True),
    sa.Column("yaml", sa.Text(), nullable=False),
)


def table(engine: sa.Engine | sa.Connection | None, name: str) -> sa.Table:
    """
    Return the SQL table of a canonical table.

    Parameters
    ----------
    engine
        The database (from :func:`pmo_kit.store.open_database`); the tables are the
        same in every database the kit opens, so it only documents the call.
    name
        A canonical table name (``"lessons"``).

    Raises
    ------
    ValidationError
        ``name`` is not a canonical table; the message lists the known ones.

    Examples
    --------
    >>> [c.name for c in table(None, "lessons").primary_key]
    ['lesson_id']
    """
    del engine
    if name not in SCHEMAS:
        msg = f"{name!r} is not a canonical table. Known tables: {', '.join(SCHEMAS)}"
        raise ValidationError(msg)
    return METADATA.tables[name]


def upgrade_schema(connection: sa.Connection, shown_url: str) -> list[str]:
    """
    Create the missing tables and add the missing columns, inside a transaction.

    Parameters
    ----------
    connection
        A connection in a transaction (the caller commits).
    shown_url
        The URL as messages show it (password masked).

    Returns
    -------
    list of str
        What was done (``"created table lessons"``, ``"added column
        lessons.phase"``), empty when the schema was up to date.

    Raises
    ------
    DatabaseError
        The database was written by a newer kit (a higher schema version).
    """
    inspector = sa.inspect(connection)
    existing = set(inspector.get_table_names())
    done: list[str] = []
    if SETTINGS.name in existing:
        row = connection.execute(
            sa.select(SETTINGS.c.value).where(SETTINGS.c.key == "schema_version")
        ).first()
        found = int(row[0]) if row is not None and row[0] else 0
        if found > SCHEMA_VERSION:
            msg = (
                f"{shown_url} was written by a newer pmo-kit (schema version {found}, "
                f"this kit knows up to {SCHEMA_VERSION}); upgrade pmo-kit to use it"
            )
            raise DatabaseError(msg)
    else:
        found = 0
    quote = connection.dialect.identifier_preparer.quote
    for sql_table in METADATA.sorted_tables:
        if sql_table.name not in existing:
            sql_table.create(connection)
            done.append(f"created table {sql_table.name}")
            continue
        present = {c["name"] for c in inspector.get_columns(sql_table.name)}
        for column in sql_table.columns:
            if column.name in present:
                continue
            sql_type = column.type.compile(dialect=connection.dialect)
            connection.execute(
                sa.text(
                    f"ALTER TABLE {quote(sql_table.name)} "
                    f"ADD COLUMN {quote(column.name)} {sql_type}"
                )
            )
            done.append(f"added column {sql_table.name}.{column.name}")
    if found != SCHEMA_VERSION:
        if found:
            connection.execute(
                SETTINGS.update()
                .where(SETTINGS.c.key == "schema_version")
                .values(value=str(SCHEMA_VERSION))
            )
        else:
            connection.execute(
                SETTINGS.insert().values(
                    key="schema_version", value=str(SCHEMA_VERSION)
                )
            )
    return done
