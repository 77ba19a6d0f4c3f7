"""One world for the whole matrix, put back row by row after any request that wrote."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import pytest
import sqlalchemy as sa
from flask import Flask

from app.extensions import db
from tests.authorisation import snapshot
from tests.authorisation.world import MatrixWorld, build


@dataclass
class Built:
    world: MatrixWorld
    saved: snapshot.Rows


def _empty(app: Flask) -> None:
    with app.app_context():
        db.session.remove()
        with db.engine.begin() as connection:
            for table in reversed(db.metadata.sorted_tables):
                connection.execute(sa.text(f"DELETE FROM {table.name}"))


@pytest.fixture(autouse=True)
def _clean_database() -> Iterator[None]:
    """The shared cleaner empties every table after each test; here the matrix puts back what it changed."""
    yield


@pytest.fixture(scope="module")
def built(app: Flask) -> Iterator[Built]:
    _empty(app)
    with app.app_context():
        world = build()
        saved = snapshot.rows()
        db.session.remove()
    yield Built(world, saved)
    _empty(app)
