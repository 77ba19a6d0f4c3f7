"""The scan benchmark's data and its honesty: every enrolment active on request, no figure without the lock."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from app.extensions import db
from app.models import Enrolment
from bench.generate import generate
from bench.reminders_scan import AS_OF, counted_scan
from reminders.lock import SCAN_LOCK, lock_row


def test_generate_can_make_every_enrolment_active(app, ctx):
    counts = generate(app.config["SQLALCHEMY_DATABASE_URI"], enrolments=150, seed=11, today=AS_OF,
                      hours_per_enrolment=3, active_only=True)  # fmt: skip
    db.session.remove()
    states = dict(db.session.execute(select(Enrolment.state, func.count()).group_by(Enrolment.state)).all())
    assert counts["enrolments"] == 150 and states == {"active": 150}
    assert db.session.scalar(select(func.max(Enrolment.start_date))) <= AS_OF
    assert db.session.scalar(select(func.min(Enrolment.start_date))) >= AS_OF - timedelta(days=2 * 366)


def test_the_scan_benchmark_refuses_to_give_a_figure_while_another_scan_holds_the_lock(app, ctx):
    if db.engine.dialect.name != "sqlite":
        pytest.skip("the lock row is SQLite's; PostgreSQL's advisory lock is tested with two scans")
    with lock_row(SCAN_LOCK, timedelta(minutes=5)) as held:
        assert held
        with pytest.raises(SystemExit, match="holds the scan lock: no figure taken"):
            counted_scan(app)
