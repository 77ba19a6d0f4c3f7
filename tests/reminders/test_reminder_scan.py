"""The scan against the database: what it queues, and that repeats and crashes change nothing."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import event, func, select

from app.extensions import db
from app.models import Notification, OutboxMessage, SchedulerLock
from app.services import enrolments, signoffs, transitions
from reminders import scan as scan_module
from reminders.lock import scan_lock
from reminders.scan import scan
from tests.factories import LearnerFactory, PreceptorFactory
from tests.reminders.conftest import SCAN_DAY, outbox_keys


def count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def test_scan_queues_each_reminder_for_the_right_person_with_an_in_app_notification(trust):
    result = scan(SCAN_DAY)
    e, u = trust.enrolment.id, trust.unassigned.id
    ours = {
        k
        for k in outbox_keys()
        if k[3] in {trust.lead.id, trust.preceptor.id, trust.learner.id, trust.other_learner.id}
    }
    assert ours == {
        ("review_overdue", e, date(2026, 9, 8), trust.preceptor.id),
        ("review_overdue", e, date(2026, 11, 1), trust.preceptor.id),
        ("review_overdue_lead", e, date(2026, 9, 8), trust.lead.id),
        ("review_overdue_lead", e, date(2026, 11, 1), trust.lead.id),
        ("review_overdue_lead", u, date(2026, 9, 8), trust.lead.id),
        ("review_overdue_lead", u, date(2026, 11, 1), trust.lead.id),
        ("hours_behind", e, date(2026, 11, 1), trust.learner.id),
        ("hours_behind", u, date(2026, 11, 1), trust.other_learner.id),
        ("no_preceptor", u, date(2026, 9, 1), trust.lead.id),
        ("lead_digest", 0, date(2026, 11, 23), trust.lead.id),
    }
    assert len(result.queued) == count(OutboxMessage) == count(Notification)
    note = db.session.scalar(
        select(Notification)
        .where(Notification.user_id == trust.preceptor.id, Notification.kind == "review_overdue")
        .limit(1)
    )
    assert note.link == f"/preceptor/enrolments/{e}" and note.read_at is None
    digest = db.session.scalar(
        select(OutboxMessage).where(OutboxMessage.rule == "lead_digest", OutboxMessage.recipient_id == trust.lead.id)
    )
    assert "Tom O'Neill: Initial review, due 8 September 2026" in digest.body_text


def test_scanning_again_queues_nothing_new(trust):
    first = scan(SCAN_DAY)
    before = (count(OutboxMessage), count(Notification))
    again = scan(SCAN_DAY)
    later = scan(SCAN_DAY + timedelta(days=1))  # the next day: the same overdue reviews, already queued
    assert again.queued == [] and [r.rule for r in later.queued] == []
    assert (count(OutboxMessage), count(Notification)) == before == (len(first.queued), len(first.queued))


def test_a_scan_killed_half_way_then_run_again_misses_nothing_and_doubles_nothing(trust, monkeypatch):
    expected = {r.key for r in scan(SCAN_DAY, dry_run=True).queued}
    assert count(OutboxMessage) == 0 and count(Notification) == 0  # the dry run wrote nothing
    real_queue, calls = scan_module.queue, []

    def dies_on_the_second_batch(reminders, base_url):
        calls.append(1)
        if len(calls) == 2:
            raise RuntimeError("killed")
        return real_queue(reminders, base_url)

    monkeypatch.setattr(scan_module, "queue", dies_on_the_second_batch)
    with pytest.raises(RuntimeError):
        scan(SCAN_DAY, batch_size=1)
    db.session.rollback()
    half = outbox_keys()
    assert half and half < expected
    monkeypatch.setattr(scan_module, "queue", real_queue)
    rerun = scan(SCAN_DAY, batch_size=1)
    assert outbox_keys() == expected
    assert {r.key for r in rerun.queued} == expected - half
    assert count(OutboxMessage) == count(Notification) == len(expected)


def test_forked_workers_queue_exactly_what_one_process_would(trust):
    expected = {r.key for r in scan(SCAN_DAY, dry_run=True).queued}
    result = scan(SCAN_DAY, batch_size=1, workers=2)
    assert {r.key for r in result.queued} == outbox_keys() == expected
    assert result.enrolments == 3 and count(Notification) == len(expected)


def test_a_second_scan_while_one_holds_the_lock_does_nothing(trust):
    with scan_lock() as held:
        assert held
        result = scan(SCAN_DAY)
    assert result.locked_out and count(OutboxMessage) == 0
    assert not scan(SCAN_DAY).locked_out  # released afterwards


def test_a_lock_row_left_by_a_killed_process_expires(trust):
    if db.engine.dialect.name != "sqlite":
        pytest.skip("the lock row is SQLite's; PostgreSQL releases its advisory lock when the process dies")
    db.session.add(
        SchedulerLock(name="reminders-scan", holder="dead:1", expires_at=datetime.now(UTC) - timedelta(minutes=1))
    )
    db.session.commit()
    assert not scan(SCAN_DAY).locked_out
    db.session.add(
        SchedulerLock(name="reminders-scan", holder="alive:2", expires_at=datetime.now(UTC) + timedelta(hours=1))
    )
    db.session.commit()
    assert scan(SCAN_DAY).locked_out


def test_nothing_for_enrolments_on_hold(trust, time_machine):
    time_machine.move_to(datetime(2026, 10, 1, 9, tzinfo=UTC), tick=False)
    for enrolment in (trust.enrolment, trust.unassigned):
        transitions.transition(trust.lead, enrolment.id, "hold", reason="Sickness absence")
    ours = {trust.lead.id, trust.preceptor.id, trust.learner.id, trust.other_learner.id}
    scan(SCAN_DAY)
    assert {k for k in outbox_keys() if k[3] in ours} == set()


def test_the_scan_issues_the_same_number_of_queries_for_more_enrolments(trust):
    def queries_for_a_scan() -> int:
        seen = []
        listener = lambda *args: seen.append(1)  # noqa: E731
        event.listen(db.engine, "before_cursor_execute", listener)
        try:
            scan(SCAN_DAY, dry_run=True)
        finally:
            event.remove(db.engine, "before_cursor_execute", listener)
        return len(seen)

    small = queries_for_a_scan()
    org = trust.lead.organisation
    for _ in range(6):
        enrolments.enrol(
            trust.lead,
            learner_id=LearnerFactory(organisation=org).id,
            pathway_key="preceptorship",
            start_date=date(2026, 9, 1),
            preceptor_id=PreceptorFactory(organisation=org).id,
        )
    assert queries_for_a_scan() == small


def test_cli_scan_prints_one_line_per_reminder_queued(trust, app):
    runner = app.test_cli_runner()
    dry = runner.invoke(args=["reminders", "scan", "--as-of", "2026-11-24", "--dry-run"])
    assert dry.exit_code == 0 and count(OutboxMessage) == 0
    first = runner.invoke(args=["reminders", "scan", "--as-of", "2026-11-24"])
    lines = [line for line in first.stdout.splitlines() if "\t" in line]
    assert len(lines) == count(OutboxMessage) == len([ln for ln in dry.stdout.splitlines() if "\t" in ln])
    assert f"no_preceptor\tenrolment {trust.unassigned.id}\tdue 2026-09-01\tlead lena.lead@nhs.test" in first.stdout
    again = runner.invoke(args=["reminders", "scan", "--as-of", "2026-11-24"])
    assert again.exit_code == 0 and "\t" not in again.stdout


def test_cli_scan_refuses_a_bad_date(app, ctx):
    result = app.test_cli_runner().invoke(args=["reminders", "scan", "--as-of", "24/11/2026"])
    assert result.exit_code == 2
    assert "'24/11/2026' does not match the format '%Y-%m-%d'" in result.output
    assert count(OutboxMessage) == 0


def test_a_sign_off_request_waiting_more_than_a_week_reaches_the_preceptor(trust, time_machine):
    # The states the scan's facts read (remembered for the range) are the ones its reminder lists.
    time_machine.move_to(datetime(2026, 11, 10, 9, tzinfo=UTC), tick=False)
    signoffs.act(trust.learner, trust.enrolment.id, "alert_course", "request", text="ALERT certificate")
    time_machine.move_to(datetime(2026, 11, 20, 9, tzinfo=UTC), tick=False)
    signoffs.act(trust.other_learner, trust.unassigned.id, "alert_course", "request", text="Too recent")
    scan(SCAN_DAY)
    waiting = db.session.scalars(select(OutboxMessage).where(OutboxMessage.rule == "signoff_waiting")).all()
    assert [(m.enrolment_id, m.due_on, m.recipient_id) for m in waiting] == [
        (trust.enrolment.id, date(2026, 11, 17), trust.preceptor.id)
    ]
    assert "ALERT course (acute life-threatening events): requested on 10 November 2026" in waiting[0].body_text
