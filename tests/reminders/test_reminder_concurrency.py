"""Two scans started at once on PostgreSQL leave exactly one set of rows."""

from __future__ import annotations

import threading
import time
from contextlib import contextmanager
from email import message_from_bytes

import pytest

from app.extensions import db
from reminders import gather
from reminders import scan as scan_module
from reminders.delivery import deliver
from reminders.scan import scan
from tests.reminders.conftest import SCAN_DAY, outbox_keys


@pytest.fixture
def postgresql_only(ctx):
    if db.engine.dialect.name != "postgresql":
        pytest.skip("needs PostgreSQL: set TEST_DATABASE_URL=postgresql+psycopg://postgres@127.0.0.1:5432/test")


def run_two_scans_at_once(app) -> list:
    start = threading.Barrier(2)
    results, errors = [], []

    def one() -> None:
        with app.app_context():
            try:
                start.wait(timeout=10)
                results.append(scan(SCAN_DAY, batch_size=1))
            except Exception as error:  # surfaced by the assertion below
                errors.append(error)
            finally:
                db.session.remove()

    threads = [threading.Thread(target=one) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not errors
    return results


def expected_keys(app) -> set:
    return {r.key for r in scan(SCAN_DAY, dry_run=True).queued}


def test_the_advisory_lock_lets_one_of_two_scans_run(postgresql_only, trust, app, monkeypatch):
    expected = expected_keys(app)
    real = gather.situations

    def slow(assessed, leads):  # holds the lock long enough for the other scan to find it taken
        time.sleep(0.2)
        return real(assessed, leads)

    monkeypatch.setattr(gather, "situations", slow)
    results = run_two_scans_at_once(app)
    assert sorted(r.locked_out for r in results) == [False, True]
    assert outbox_keys() == expected


def test_without_the_lock_the_outbox_key_still_keeps_one_set(postgresql_only, trust, app, monkeypatch):
    expected = expected_keys(app)

    @contextmanager
    def no_lock():
        yield True

    monkeypatch.setattr(scan_module, "scan_lock", no_lock)
    results = run_two_scans_at_once(app)
    assert [r.locked_out for r in results] == [False, False]
    assert outbox_keys() == expected
    assert sum(len(r.queued) for r in results) == len(expected)  # each row queued by exactly one of them


def test_two_senders_at_once_send_each_message_once(postgresql_only, trust, app, mailbox):
    queued = len(scan(SCAN_DAY).queued)
    start = threading.Barrier(2)

    def send() -> None:
        with app.app_context():
            start.wait(timeout=10)
            deliver()
            db.session.remove()

    threads = [threading.Thread(target=send) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    ids = [message_from_bytes(content)["Message-ID"] for _, _, content in mailbox.handler.messages]
    assert len(ids) == len(set(ids)) == queued  # FOR UPDATE SKIP LOCKED: no row claimed twice
