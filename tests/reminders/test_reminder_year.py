"""A whole simulated year, one scan a day at 07:00 London time with the clock frozen.

The outbox key makes a repeat a no-op, so a reminder "arrives" on the first day the rules
give it; every review reminder must arrive once, on the first working day of its window.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

import holidays
import pytest

from app.services.clock import LONDON, today
from pathways import ReviewRecord
from reminders.model import Thresholds
from reminders.rules import due_reminders
from tests.reminders.support import LEAD, LEARNER, PRECEPTOR, situation

ENGLAND = holidays.country_holidays("GB", subdiv="ENG")

PROGRAMMES = {
    "preceptorship": (
        date(2026, 9, 1),
        {  # review due -> the day its reminder must arrive, worked out by hand with a calendar
            date(2026, 9, 8): date(2026, 9, 1),
            date(2026, 11, 1): date(2026, 10, 26),  # window opens on a Sunday
            date(2027, 1, 1): date(2026, 12, 29),  # Christmas, weekend and Boxing Day (observed) skipped
            date(2027, 3, 1): date(2027, 2, 22),
            date(2027, 5, 1): date(2027, 4, 26),
            date(2027, 7, 1): date(2027, 6, 24),
            date(2027, 9, 1): date(2027, 8, 25),
        },
    ),
    "healthcare-works-apprenticeship": (
        date(2026, 3, 2),
        {
            date(2026, 6, 2): date(2026, 5, 26),
            date(2026, 9, 2): date(2026, 8, 26),
            date(2026, 12, 2): date(2026, 11, 25),
            date(2027, 3, 2): date(2027, 2, 23),
        },
    ),
}


def first_working_day(start: date, end: date) -> date | None:
    day = start
    while day <= end:
        if day.weekday() < 5 and day not in ENGLAND:
            return day
        day += timedelta(days=1)
    return None


def simulate(time_machine, key: str, start: date, late: dict[date, date] | None = None) -> dict[tuple, date]:
    """Scan every morning for a year; reviews are held on their due day unless ``late`` says otherwise."""
    late = late or {}
    arrivals: dict[tuple, date] = {}
    first = situation(key, start, start)
    slots = {s.due: s.key for s in first.evaluation.review_slots}
    for offset in range(0, 367):
        time_machine.move_to(datetime.combine(start + timedelta(days=offset), time(7), LONDON), tick=False)
        day = today()
        held_on = {slot: late.get(due, due) for due, slot in slots.items()}
        held = tuple(ReviewRecord(slot, on, True, True) for slot, on in held_on.items() if on < day)
        for reminder in due_reminders(situation(key, start, day, reviews=held), day, Thresholds()):
            arrivals.setdefault(reminder.key, day)
    return arrivals


@pytest.mark.parametrize("key", list(PROGRAMMES))
def test_every_review_reminder_arrives_once_on_the_right_day(time_machine, key):
    start, expected = PROGRAMMES[key]
    arrivals = simulate(time_machine, key, start)
    review = {k: day for k, day in arrivals.items() if k[0].startswith("review")}
    assert {k[0] for k in review} == {"review_due"}  # all held on time: nothing overdue
    for person in (LEARNER, PRECEPTOR):
        got = {due: day for (rule, _, due, who), day in review.items() if who == person.id}
        assert got == expected
    for due, day in expected.items():  # and the calendar agrees with the rule as written
        assert day == first_working_day(due - timedelta(days=7), due)


def test_a_late_review_brings_one_overdue_reminder_then_one_to_the_lead(time_machine):
    start, _ = PROGRAMMES["preceptorship"]
    arrivals = simulate(time_machine, "preceptorship", start, late={date(2027, 1, 1): date(2027, 1, 20)})
    overdue = {(k[0], k[3]): day for k, day in arrivals.items() if k[0].startswith("review_overdue")}
    assert overdue == {
        ("review_overdue", PRECEPTOR.id): date(2027, 1, 2),  # a Saturday: overdue reminders still come
        ("review_overdue_lead", LEAD.id): date(2027, 1, 15),
    }
