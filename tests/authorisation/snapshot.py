"""Every row of the database, to see whether a request wrote anything, and to put the world back after it did.

Putting back row by row (delete what is new, restore what changed) costs milliseconds where building
the world again costs most of a second, and the ids in the table's URLs stay the same. Reading every
table costs more than most requests: only the tables a request's statements wrote to are read again.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.engine import Engine

from app.extensions import db
from app.models import AuditEvent

Rows = dict[str, dict[tuple, tuple]]

# Columns that record that something was used, not what it is: a token's last use changes on every call.
USE_STAMPS = {"api_tokens": {"last_used_at"}}


def _columns(table: sa.Table) -> list[sa.Column]:
    return [column for column in table.c if column.name not in USE_STAMPS.get(table.name, ())]


def _key(table: sa.Table, row: sa.Row) -> tuple:
    return tuple(row._mapping[column.name] for column in table.primary_key.columns)


# Statements that write nothing; any other statement but an INSERT or UPDATE naming its table counts as
# writing to every table (a DELETE may cascade, a WITH may hide a write).
READS = re.compile(r"\s*(SELECT|PRAGMA|SAVEPOINT|RELEASE|ROLLBACK|BEGIN|COMMIT|SHOW|SET)\b", re.IGNORECASE)
NAMED_WRITE = re.compile(r"\s*(?:INSERT\s+(?:OR\s+\w+\s+)?INTO|UPDATE)\s+\"?(\w+)\"?", re.IGNORECASE)


@contextmanager
def tables_written() -> Iterator[set[str]]:
    """The tables the statements run inside the block (on any engine of this process) may have written to."""
    written: set[str] = set()

    def seen(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        if READS.match(statement):
            return
        named = NAMED_WRITE.match(statement)
        written.update([named.group(1)] if named else (table.name for table in db.metadata.sorted_tables))

    event.listen(Engine, "before_cursor_execute", seen)
    try:
        yield written
    finally:
        event.remove(Engine, "before_cursor_execute", seen)


def rows(only: set[str] | None = None) -> Rows:
    """Every row of every table (or of the tables ``only`` names) by primary key, audit events of refusals
    apart (a refusal records only why)."""
    db.session.rollback()
    found: Rows = {}
    for table in db.metadata.sorted_tables:
        if only is not None and table.name not in only:
            continue
        query = sa.select(*_columns(table))
        if table.name == AuditEvent.__tablename__:
            query = query.where(~table.c.action.like("%.refused"))
        found[table.name] = {_key(table, row): tuple(row) for row in db.session.execute(query)}
    return found


def changed_tables(before: Rows, after: Rows) -> list[str]:
    """The tables of ``after`` whose rows differ from ``before``'s."""
    return [name for name in after if after[name] != before[name]]


def put_back(saved: Rows) -> None:
    """Make the database hold ``saved`` again: rows added since are deleted, rows changed are restored."""
    now = rows()
    tables = {table.name: table for table in db.metadata.sorted_tables}
    with db.engine.begin() as connection:
        for name in reversed(changed_tables(saved, now)):
            table = tables[name]
            for key in now[name].keys() - saved[name].keys():
                connection.execute(sa.delete(table).where(*_match(table, key)))
        for name in changed_tables(saved, now):
            table, names = tables[name], [column.name for column in _columns(tables[name])]
            for key, values in saved[name].items():
                if key not in now[name]:
                    connection.execute(sa.insert(table).values(dict(zip(names, values, strict=True))))
                elif now[name][key] != values:
                    update = sa.update(table).where(*_match(table, key))
                    connection.execute(update.values(dict(zip(names, values, strict=True))))


def _match(table: sa.Table, key: tuple) -> list:
    return [column == value for column, value in zip(table.primary_key.columns, key, strict=True)]
