"""Taking one row of a queue for one worker, as the job queue and the report page's rebuilds both do."""

from __future__ import annotations

from typing import Any

from sqlalchemy import ColumnElement, Select, Table

from app.extensions import db


def oldest_unclaimed(table: Table, oldest: Select[Any]) -> ColumnElement[bool] | None:
    """The condition naming the row ``oldest`` selects (its id), for the guarded UPDATE that claims it.

    On PostgreSQL the row is locked with ``FOR UPDATE SKIP LOCKED``, so two workers claiming at once take
    two rows (None: every candidate is taken, or there is none); under SQLite's write lock the UPDATE
    with the subquery is atomic by itself. The caller's UPDATE repeats its own guard either way.
    """
    if db.engine.dialect.name == "postgresql":
        row_id = db.session.scalar(oldest.with_for_update(skip_locked=True))
        return None if row_id is None else table.c.id == row_id
    return table.c.id.in_(oldest.scalar_subquery())
