"""The matrix sees every write: the tables a request wrote to are named, and a delete counts as every table."""

from __future__ import annotations

import sqlalchemy as sa

from app.extensions import db
from app.models import Organisation
from tests.authorisation import snapshot


def test_a_write_names_its_table_and_a_read_names_none(ctx):
    with snapshot.tables_written() as written:
        db.session.scalar(sa.select(sa.func.count()).select_from(Organisation))
    assert written == set()
    with snapshot.tables_written() as written:
        db.session.add(Organisation(slug="north", name="North"))
        db.session.commit()
        db.session.execute(sa.update(Organisation).values(name="North Trust"))
    assert written == {"organisations"}
    assert snapshot.changed_tables({"organisations": {}}, snapshot.rows(only=written)) == ["organisations"]


def test_a_delete_may_cascade_so_it_counts_as_every_table(ctx):
    with snapshot.tables_written() as written:
        db.session.execute(sa.delete(Organisation))
    assert written == {table.name for table in db.metadata.sorted_tables}
