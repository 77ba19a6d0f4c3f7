"""The rules on their own: who is reminded of what, and when (no database)."""

from __future__ import annotations

from datetime import date

import pytest

from pathways import ReviewRecord
from reminders.model import LEAD_DIGEST, PendingSignOff, Thresholds
from reminders.rules import due_reminders, is_working_day, lead_digests, overdue_items
from tests.reminders.support import LEAD, LEARNER, PRECEPTOR, situation

START = date(2026, 9, 1)  # preceptorship reviews: initial 8 Sep, review_1 1 Nov, review_2 1 Jan 2027
DEFAULTS = Thresholds()


def sent(reminders) -> set[tuple[str, date, int]]:
    return {(r.rule, r.due_on, r.recipient.id) for r in reminders}


def test_review_due_within_seven_days_reminds_learner_and_preceptor():
    today = date(2026, 9, 1)  # a Tuesday, initial review due 8 September
    got = due_reminders(situation("preceptorship", START, today), today, DEFAULTS)
    assert sent(got) == {("review_due", date(2026, 9, 8), LEARNER.id), ("review_due", date(2026, 9, 8), PRECEPTOR.id)}
    learner_mail = next(r for r in got if r.recipient == LEARNER)
    assert learner_mail.subject == "Your initial review due on 8 September 2026"
    assert learner_mail.path == "/learner/enrolments/10"
    assert next(r for r in got if r.recipient == PRECEPTOR).path == "/preceptor/enrolments/10"


def test_nothing_due_eight_days_before_a_review():
    today = date(2026, 10, 23)  # review_1 is due 1 November: nine days away
    held = (ReviewRecord("initial", date(2026, 9, 8), True, True),)
    assert due_reminders(situation("preceptorship", START, today, reviews=held), today, DEFAULTS) == []


def test_overdue_review_goes_to_the_preceptor_and_after_14_days_to_the_lead():
    held = ()  # nothing held: the initial review (8 September) is overdue
    day_after = date(2026, 9, 9)
    got = due_reminders(situation("preceptorship", START, day_after, reviews=held), day_after, DEFAULTS)
    assert sent(got) == {("review_overdue", date(2026, 9, 8), PRECEPTOR.id)}
    day_13 = date(2026, 9, 21)
    assert "review_overdue_lead" not in {
        r.rule for r in due_reminders(situation("preceptorship", START, day_13), day_13, DEFAULTS)
    }
    day_14 = date(2026, 9, 22)
    got = due_reminders(situation("preceptorship", START, day_14), day_14, DEFAULTS)
    assert ("review_overdue_lead", date(2026, 9, 8), LEAD.id) in sent(got)
    assert next(r for r in got if r.rule == "review_overdue_lead").path == "/lead/enrolments/10"


def test_signoff_request_waiting_over_seven_days_reminds_the_preceptor_with_a_link_to_the_queue():
    today = date(2026, 10, 12)
    pending = (
        PendingSignOff("Medicines management", date(2026, 10, 3)),
        PendingSignOff("Wound care", date(2026, 10, 4)),
        PendingSignOff("Handover", date(2026, 10, 6)),
    )  # six days: not yet
    got = [
        r
        for r in due_reminders(situation("preceptorship", START, today, pending=pending), today, DEFAULTS)
        if r.rule == "signoff_waiting"
    ]
    assert [(r.recipient, r.due_on, r.path) for r in got] == [(PRECEPTOR, date(2026, 10, 11), "/preceptor/signoffs")]
    assert got[0].subject == "Amira Khan is waiting for 2 sign-offs"
    assert "Wound care: requested on 4 October 2026" in got[0].lines


def test_signoff_request_of_exactly_seven_days_waits_a_day():
    today = date(2026, 10, 12)
    pending = (PendingSignOff("Handover", date(2026, 10, 5)),)
    assert not [
        r
        for r in due_reminders(situation("preceptorship", START, today, pending=pending), today, DEFAULTS)
        if r.rule == "signoff_waiting"
    ]


@pytest.mark.parametrize(("logged", "reminded"), [(0.0, True), (26.0, True), (26.5, False), (40.0, False)])
def test_hours_behind_plan_by_more_than_a_fifth_reminds_the_learner_once_a_month(logged, reminded):
    today = date(2027, 1, 12)  # 32.8 of 90 protected learning hours expected by now; 80% is 26.24
    s = situation("preceptorship", START, today, hours_logged=logged)
    assert s.evaluation.hours_target_to_date == 32.8
    got = [r for r in due_reminders(s, today, DEFAULTS) if r.rule == "hours_behind"]
    assert sent(got) == ({("hours_behind", date(2027, 1, 1), LEARNER.id)} if reminded else set())


def test_stage_deadline_within_14_days_reminds_learner_and_preceptor():
    start = date(2026, 1, 5)  # the Healthcare Works course lasts two weeks: ends 19 January
    s = situation("healthcare-works-apprenticeship", start, date(2026, 1, 5), stage="hw_course", stage_dates={})
    got = [r for r in due_reminders(s, date(2026, 1, 5), DEFAULTS) if r.rule == "stage_deadline"]
    assert sent(got) == {
        ("stage_deadline", date(2026, 1, 19), LEARNER.id),
        ("stage_deadline", date(2026, 1, 19), PRECEPTOR.id),
    }


def test_no_preceptor_reminds_the_lead():
    today = date(2026, 9, 1)
    got = due_reminders(situation("preceptorship", START, today, preceptors=()), today, DEFAULTS)
    assert sent(got) == {("review_due", date(2026, 9, 8), LEARNER.id), ("no_preceptor", START, LEAD.id)}


@pytest.mark.parametrize("state", ["on_hold", "withdrawn", "completed"])
def test_no_reminders_for_enrolments_that_are_not_active(state):
    today = date(2026, 9, 22)
    assert due_reminders(situation("preceptorship", START, today, state=state, hours_logged=0.0), today, DEFAULTS) == []


@pytest.mark.parametrize(
    "today", [date(2026, 9, 5), date(2026, 9, 6), date(2026, 12, 28)], ids=["saturday", "sunday", "boxing-day-observed"]
)
def test_weekends_and_bank_holidays_bring_only_overdue_reminders(today):
    assert not is_working_day(today)
    s = situation("preceptorship", START, today, preceptors=(), hours_logged=0.0)
    assert {r.rule for r in due_reminders(s, today, DEFAULTS)} <= {"review_overdue", "review_overdue_lead"}


def test_overdue_reminders_still_come_on_a_sunday():
    sunday = date(2026, 9, 13)
    got = due_reminders(situation("preceptorship", START, sunday), sunday, DEFAULTS)
    assert sent(got) == {("review_overdue", date(2026, 9, 8), PRECEPTOR.id)}


def test_thresholds_come_from_config():
    config = {"REMINDER_REVIEW_SOON_DAYS": "3", "REMINDER_REVIEW_ESCALATE_DAYS": "5", "REMINDER_HOURS_BEHIND": "0.5"}
    t = Thresholds.from_config(config)
    assert (t.review_soon_days, t.review_escalate_days, t.hours_behind, t.signoff_wait_days) == (3, 5, 0.5, 7)
    today = date(2026, 9, 4)  # four days before the initial review
    assert due_reminders(situation("preceptorship", START, today), today, t) == []


def test_weekly_digest_lists_overdue_items_for_each_lead_once_a_week():
    s = situation("preceptorship", START, date(2026, 11, 24))
    items = overdue_items(s, date(2026, 11, 24))
    assert [i.title for i in items] == ["Initial review", "Two-monthly review 1"]
    digests = lead_digests(items, {1: (LEAD,)}, date(2026, 11, 24))
    assert [(d.rule, d.enrolment_id, d.due_on, d.recipient) for d in digests] == [
        (LEAD_DIGEST, 0, date(2026, 11, 23), LEAD)  # keyed by the Monday: one per week
    ]
    assert "Amira Khan: Initial review, due 8 September 2026" in digests[0].lines
    assert lead_digests(items, {1: (LEAD,)}, date(2026, 11, 28)) == []  # Saturday
    assert lead_digests([], {1: (LEAD,)}, date(2026, 11, 24)) == []
