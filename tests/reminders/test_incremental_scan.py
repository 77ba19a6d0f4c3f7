"""A repeat of the day's scan reads only the enrolments changed since; a new day or new settings read all."""

from __future__ import annotations

from datetime import timedelta

from app.services import enrolments
from reminders.incremental import ScanPlan
from reminders.scan import scan
from tests.reminders.conftest import SCAN_DAY, outbox_keys

ACTIVE = 3  # the trust's two enrolments and the other trust's one


def test_a_repeat_scan_with_nothing_changed_reads_nothing_and_queues_nothing(trust):
    first = scan(SCAN_DAY)
    assert (first.full, first.enrolments) == (True, ACTIVE) and first.queued
    keys = outbox_keys()
    repeat = scan(SCAN_DAY)
    assert (repeat.full, repeat.enrolments, repeat.queued) == (False, 0, [])
    assert outbox_keys() == keys


def test_a_repeat_scan_reads_the_enrolment_a_write_changed_and_queues_what_it_now_needs(trust):
    scan(SCAN_DAY)
    enrolments.assign_preceptor(trust.lead, enrolment_id=trust.unassigned.id, preceptor_id=trust.preceptor.id)
    repeat = scan(SCAN_DAY)
    assert (repeat.full, repeat.enrolments) == (False, 1)
    assert {r.enrolment_id for r in repeat.queued} == {trust.unassigned.id}
    assert any(r.recipient.id == trust.preceptor.id for r in repeat.queued)  # the new preceptor hears of it


def test_the_same_answer_as_a_full_scan(trust, monkeypatch):
    """What a repeat queues after a change is exactly what a full scan would add."""
    scan(SCAN_DAY)
    enrolments.assign_preceptor(trust.lead, enrolment_id=trust.unassigned.id, preceptor_id=trust.preceptor.id)
    before = outbox_keys()
    monkeypatch.setattr("reminders.incremental.plan", _always_full)
    expected = {r.key for r in scan(SCAN_DAY, dry_run=True).queued}
    monkeypatch.undo()
    repeat = scan(SCAN_DAY)
    assert {r.key for r in repeat.queued} == expected and outbox_keys() == before | expected


def _always_full(as_of, print_):
    return ScanPlan(None, 0, print_)


def test_a_new_day_reads_every_enrolment(trust):
    scan(SCAN_DAY)
    following = scan(SCAN_DAY + timedelta(days=1))
    assert (following.full, following.enrolments) == (True, ACTIVE)


def test_changed_thresholds_read_every_enrolment(trust, app, monkeypatch):
    scan(SCAN_DAY)
    monkeypatch.setitem(app.config, "REMINDER_REVIEW_SOON_DAYS", 30)
    again = scan(SCAN_DAY)
    assert (again.full, again.enrolments) == (True, ACTIVE)


def test_a_dry_run_leaves_no_mark_for_a_repeat(trust):
    scan(SCAN_DAY, dry_run=True)
    real = scan(SCAN_DAY)
    assert (real.full, real.enrolments) == (True, ACTIVE) and real.queued
