"""A gunicorn worker killed (SIGKILL) in the middle of a sign-off: no half-written sign-off is left.

The test holds a lock on the audit table, so the worker's sign-off stops after it has written the
sign-off row and before it has written its audit event; the worker is killed there, the lock let go.
The sign-off and its audit event then both exist or neither does, and the restarted worker signs it.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from datetime import date
from pathlib import Path

import pytest
import sqlalchemy as sa
from flask_migrate import upgrade

from app import create_app
from app.extensions import db
from app.models import AuditEvent, SignOffEvent
from app.services import enrolments, signoffs, tokens
from app.services.clock import today
from tests.factories import LeadFactory, LearnerFactory, OrganisationFactory, PreceptorFactory
from tests.servers import can_run_a_cluster, free_port, postgres_cluster

ROOT = Path(__file__).resolve().parents[2]
COMPETENCY = "alert_course"
pytestmark = pytest.mark.skipif(not can_run_a_cluster(), reason="needs initdb and pg_ctl (PostgreSQL server binaries)")

# The worker's backend, in its transaction: it holds the lock an INSERT takes on sign_off_events, and
# waits for the one on audit_events that the test's transaction keeps from it.
HALF_WRITTEN = """
SELECT waiting.pid FROM pg_locks AS waiting JOIN pg_locks AS holding ON holding.pid = waiting.pid
WHERE NOT waiting.granted AND waiting.relation = 'audit_events'::regclass
  AND holding.granted AND holding.relation = 'sign_off_events'::regclass AND holding.mode = 'RowExclusiveLock'
"""


def _world(url: str) -> tuple[int, str]:
    """A learner who asked for a sign-off, and their preceptor's API token."""
    app = create_app({"SQLALCHEMY_DATABASE_URI": url})
    with app.app_context():
        upgrade()
        org = OrganisationFactory()
        lead, preceptor = LeadFactory(organisation=org), PreceptorFactory(organisation=org)
        learner = LearnerFactory(organisation=org)
        enrolment = enrolments.enrol(lead, learner_id=learner.id, pathway_key="preceptorship",
                                     start_date=date(today().year - 1, 1, 5), preceptor_id=preceptor.id)  # fmt: skip
        signoffs.act(learner, enrolment.id, COMPETENCY, "request", text="Course done")
        token, enrolment_id = tokens.issue(preceptor), enrolment.id
        db.session.remove()
        db.engine.dispose()
    return enrolment_id, token


def _workers(master: int) -> list[int]:
    children = Path(f"/proc/{master}/task/{master}/children").read_text().split()
    return [int(pid) for pid in children]


def _ready(base: str) -> None:
    for _ in range(240):
        try:
            if urllib.request.urlopen(f"{base}/readyz", timeout=2).status == 200:
                return
        except OSError:
            time.sleep(0.25)
    raise AssertionError("the app server did not become ready")


def _sign(base: str, enrolment_id: int, token: str) -> int:
    request = urllib.request.Request(
        f"{base}/api/v1/enrolments/{enrolment_id}/signoffs",
        data=json.dumps({"competency": COMPETENCY, "action": "sign"}).encode(),
        headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"},
    )
    try:
        return urllib.request.urlopen(request, timeout=60).status
    except urllib.error.HTTPError as answered:
        return answered.code


def _signed(engine: sa.Engine) -> tuple[int, int]:
    """(sign-off events that say signed, audit events of a sign-off)."""
    count = sa.select(sa.func.count())
    with engine.connect() as connection:
        events = connection.scalar(count.select_from(SignOffEvent).where(SignOffEvent.action == "signed"))
        audits = connection.scalar(count.select_from(AuditEvent).where(AuditEvent.action == "signoff.signed"))
    return events, audits


def test_a_worker_killed_mid_sign_off_leaves_both_records_or_neither():
    with postgres_cluster() as cluster:
        enrolment_id, token = _world(cluster.url)
        port = free_port()
        env = {**os.environ, "DATABASE_URL": cluster.url, "SECRET_KEY": "a-fault-test-secret", "PORT": str(port),
               "WEB_CONCURRENCY": "1", "GUNICORN_THREADS": "1", "LOG_LEVEL": "WARNING"}  # fmt: skip
        env.pop("REDIS_URL", None)
        server = subprocess.Popen([sys.executable, "-m", "gunicorn", "--config", "gunicorn.conf.py", "wsgi:app"],
                                  cwd=ROOT, env=env, stderr=subprocess.DEVNULL)  # fmt: skip
        base, engine = f"http://127.0.0.1:{port}", sa.create_engine(cluster.url)
        try:
            _ready(base)
            [worker] = _workers(server.pid)
            answers: list[int | str] = []
            with engine.connect() as holder:
                holder.exec_driver_sql("LOCK TABLE audit_events IN EXCLUSIVE MODE")  # reads go on; writes wait
                sign = threading.Thread(target=lambda: answers.append(_try(lambda: _sign(base, enrolment_id, token))))
                sign.start()
                backend = _wait_for(lambda: holder.exec_driver_sql(HALF_WRITTEN).scalar())
                os.kill(worker, signal.SIGKILL)
                holder.rollback()  # the lock goes; the killed worker's transaction can never commit
            sign.join(60)
            assert answers and answers[0] not in (200, 201), answers  # the person was not told it was signed
            # PostgreSQL sees its client gone and rolls the work back (a new transaction each look: the
            # statistics views hold still within one).
            gone = sa.text("SELECT count(*) = 0 FROM pg_stat_activity WHERE pid = :pid").bindparams(pid=backend)
            _wait_for(lambda: _scalar(engine, gone))
            assert _signed(engine) == (0, 0)  # neither the sign-off nor its audit event

            _wait_for(lambda: [pid for pid in _workers(server.pid) if pid != worker])  # the master starts another
            _ready(base)
            assert _sign(base, enrolment_id, token) == 201
            assert _signed(engine) == (1, 1)  # both
        finally:
            server.terminate()
            server.wait(30)
            engine.dispose()


def _scalar(engine: sa.Engine, query: sa.TextClause):
    with engine.connect() as connection:
        return connection.execute(query).scalar()


def _try(ask) -> int | str:
    try:
        return ask()
    except (OSError, urllib.error.URLError) as failed:  # the connection dropped with the worker
        return type(failed).__name__


def _wait_for(check, seconds: float = 30):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if found := check():
            return found
        time.sleep(0.05)
    raise AssertionError("waited 30 s in vain")
