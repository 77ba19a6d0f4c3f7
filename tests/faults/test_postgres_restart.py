"""PostgreSQL stopped under a running app: 503 while it is down, and back by itself, without a restart."""

from __future__ import annotations

import pytest
from flask_migrate import upgrade

from app import create_app
from app.extensions import db
from app.models import Organisation
from tests.servers import can_run_a_cluster, postgres_cluster

pytestmark = pytest.mark.skipif(not can_run_a_cluster(), reason="needs initdb and pg_ctl (PostgreSQL server binaries)")


@pytest.fixture
def cluster():
    with postgres_cluster() as server:
        yield server


def test_the_app_answers_503_while_postgresql_is_down_and_recovers_without_a_restart(cluster):
    app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": cluster.url, "RATELIMIT_ENABLED": False,
                      "WTF_CSRF_ENABLED": False})  # fmt: skip
    with app.app_context():
        upgrade()
        db.session.add(Organisation(name="Northgate", slug="northgate"))
        db.session.commit()
        db.session.remove()
    client = app.test_client()
    token = {"Authorization": "Bearer wm_a-token-only-the-database-could-check"}
    assert client.get("/readyz").status_code == 200
    assert client.get("/api/v1/enrolments", headers=token).status_code == 401  # the database answered

    cluster.stop()
    down = client.get("/readyz")
    assert down.status_code == 503 and down.json["checks"]["database"] == "unavailable"
    refused = client.get("/api/v1/enrolments", headers=token)
    assert refused.status_code == 503 and int(refused.headers["Retry-After"]) > 0
    assert client.get("/healthz").status_code == 200  # the process itself is fine: nothing restarts it

    cluster.start()
    assert client.get("/readyz").status_code == 200  # stale pooled connections are replaced, not reused
    assert client.get("/api/v1/enrolments", headers=token).status_code == 401
    with app.app_context():
        assert [o.slug for o in db.session.query(Organisation).all()] == ["northgate"]  # nothing lost
        db.engine.dispose()
