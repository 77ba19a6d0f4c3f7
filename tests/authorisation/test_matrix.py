"""Every route and API operation, asked by every role of the trust, by another trust's, and by nobody.

The intended answers are in matrix.toml, one row per (method, endpoint); a route without a row fails
the first test, so the table stays complete. A refused request must change nothing (and a refused
write leaves an audit event of its refusal); an answer to another trust's people must not name
anything of this trust's.
"""

from __future__ import annotations

import pytest
from flask import Flask

from app import create_app
from app.extensions import db
from tests.authorisation import snapshot
from tests.authorisation.asking import REFUSALS, ask, load_table, refusals, routes
from tests.authorisation.conftest import Built
from tests.authorisation.world import MARKER, ROLES
from tests.conftest import resets_done

TABLE = load_table()
WRITES = {"POST", "PUT", "PATCH", "DELETE"}
OUTSIDERS = {role for role in ROLES if role.startswith("foreign_")} | {"other_learner"}


def test_every_route_and_api_operation_has_a_row_and_every_row_a_route():
    app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": "sqlite://"})
    answered = routes(app)
    assert sorted(answered - TABLE.keys()) == [], "add these to tests/authorisation/matrix.toml"
    assert sorted(TABLE.keys() - answered) == [], "these rows name routes the app no longer has"


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("key", sorted(TABLE), ids=" ".join)
def test_the_answer_is_the_intended_one(app: Flask, built: Built, key: tuple[str, str], role: str):
    row = TABLE[key]
    expected = row.expect[role]
    with app.app_context():
        refused_before = refusals()
    with snapshot.tables_written() as touched:
        answer, response = ask(app, built.world, role, row)
        body = response.get_data().decode("utf-8", "replace")  # a streamed body runs its code now
        resets_done()  # and a reset asked for writes its link now, not in a later case
    with app.app_context():
        written = snapshot.changed_tables(built.saved, snapshot.rows(only=touched))
        refused_after = refusals()
        if written:
            snapshot.put_back(built.saved)
        db.session.remove()
    assert answer == expected, f"{role} {row.name} {row.url}: {answer}, meant {expected}\n{body[:600]}"
    if expected in REFUSALS and (expected != "login" or role == "anonymous"):  # signing out also ends on it
        assert written == [], f"{role} was refused {row.name} but it wrote to {written}"
        if row.method in WRITES and expected != "login":
            assert refused_after > refused_before, f"{role}'s refused {row.name} left no audit event"
    if role in OUTSIDERS and response.status_code < 300:
        assert MARKER not in body, f"{role} was shown the learner, their cohort or their site on {row.name}"
