"""Which reminders are due today: pure functions of an enrolment's facts, no Flask, no database.

Each reminder carries the outbox key (rule, enrolment, due date, recipient). The due date is the
date of the thing being chased, so a daily scan finds the same reminder again and again but the
outbox stores it once: a reminder "arrives" on the first scan day it is due.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date, timedelta
from functools import lru_cache

import holidays

from pathways import format_date
from reminders.model import (
    DIGEST_PATH,
    HOURS_BEHIND,
    LEAD,
    LEAD_DIGEST,
    LEARNER,
    NO_PRECEPTOR,
    PATHS,
    PRECEPTOR,
    REVIEW_DUE,
    REVIEW_OVERDUE,
    REVIEW_OVERDUE_LEAD,
    SIGNOFF_QUEUE_PATH,
    SIGNOFF_WAITING,
    STAGE_DEADLINE,
    OverdueItem,
    Person,
    Reminder,
    Situation,
    Thresholds,
)


@lru_cache(maxsize=1)
def _england() -> holidays.HolidayBase:
    return holidays.country_holidays("GB", subdiv="ENG")


def is_working_day(day: date) -> bool:
    """Monday to Friday and not a bank holiday in England."""
    return day.weekday() < 5 and day not in _england()


def _to(
    people: Iterable[Person],
    role: str,
    s: Situation,
    rule: str,
    due: date,
    subject: str,
    lines: tuple[str, ...],
    overdue: bool = False,
    path: str | None = None,
) -> list[Reminder]:
    where = path or PATHS[role].format(id=s.enrolment_id)
    return [Reminder(rule, s.enrolment_id, due, p, role, subject, lines, where, overdue) for p in people]


def _reviews(s: Situation, today: date, t: Thresholds, working: bool) -> list[Reminder]:
    out: list[Reminder] = []
    for slot in s.evaluation.review_slots:
        if slot.held_on is not None:
            continue
        days_left = (slot.due - today).days
        when = format_date(slot.due)
        if 0 <= days_left <= t.review_soon_days and working:
            subject = f"{slot.title} due on {when}"
            out += _to(
                [s.learner],
                LEARNER,
                s,
                REVIEW_DUE,
                slot.due,
                f"Your {subject[0].lower()}{subject[1:]}",
                (
                    f"Your {slot.title.lower()} for {s.programme} is due on {when}.",
                    "Arrange the meeting with your preceptor if you have not already.",
                ),
            )
            out += _to(
                s.preceptors,
                PRECEPTOR,
                s,
                REVIEW_DUE,
                slot.due,
                f"{s.learner_name}: {subject}",
                (
                    f"{s.learner_name}'s {slot.title.lower()} ({s.programme}) is due on {when}.",
                    "Hold the review and record it in Waymark.",
                ),
            )
        elif days_left < 0:
            late = f"{s.learner_name}'s {slot.title.lower()} ({s.programme}) was due on {when} and is not recorded."
            out += _to(
                s.preceptors,
                PRECEPTOR,
                s,
                REVIEW_OVERDUE,
                slot.due,
                f"Overdue: {s.learner_name}'s {slot.title.lower()}",
                (late, "Hold the review and record it."),
                overdue=True,
            )
            if -days_left >= t.review_escalate_days:
                out += _to(
                    s.leads,
                    LEAD,
                    s,
                    REVIEW_OVERDUE_LEAD,
                    slot.due,
                    f"Overdue {-days_left} days: {s.learner_name}'s {slot.title.lower()}",
                    (late, f"It is {-days_left} days overdue."),
                    overdue=True,
                )
    return out


def _deadlines(s: Situation, today: date, t: Thresholds) -> list[Reminder]:
    out: list[Reminder] = []
    for item in s.evaluation.due:
        if item.kind != "stage_deadline" or not 0 <= (item.due - today).days <= t.stage_deadline_days:
            continue
        when = format_date(item.due)
        out += _to(
            [s.learner],
            LEARNER,
            s,
            STAGE_DEADLINE,
            item.due,
            f"{item.title}: deadline {when}",
            (f"{item.title} ({s.programme}) should be finished by {when}.",),
        )
        out += _to(
            s.preceptors,
            PRECEPTOR,
            s,
            STAGE_DEADLINE,
            item.due,
            f"{s.learner_name}: {item.title} deadline {when}",
            (f"{s.learner_name}'s {item.title} ({s.programme}) should be finished by {when}.",),
        )
    return out


def _signoffs(s: Situation, today: date, t: Thresholds) -> list[Reminder]:
    wait = timedelta(days=t.signoff_wait_days)
    waiting = sorted((p for p in s.pending_signoffs if today - p.requested_on > wait), key=lambda p: p.requested_on)
    if not waiting:
        return []
    # Keyed by the newest request to cross the line, so each new one brings one reminder listing all.
    due = waiting[-1].requested_on + wait
    lines = tuple(f"{p.title}: requested on {format_date(p.requested_on)}" for p in waiting)
    subject = f"{s.learner_name} is waiting for {len(waiting)} sign-off{'s' if len(waiting) > 1 else ''}"
    return _to(
        s.preceptors,
        PRECEPTOR,
        s,
        SIGNOFF_WAITING,
        due,
        subject,
        (
            f"{s.learner_name} ({s.programme}) asked for these sign-offs more than {t.signoff_wait_days} days ago:",
            *lines,
        ),
        path=SIGNOFF_QUEUE_PATH,
    )


def _hours(s: Situation, today: date, t: Thresholds) -> list[Reminder]:
    expected = s.evaluation.hours_target_to_date
    if not expected or s.hours_logged >= (1 - t.hours_behind) * expected:
        return []
    label = s.hours_label
    # At most one a month while behind.
    return _to(
        [s.learner],
        LEARNER,
        s,
        HOURS_BEHIND,
        today.replace(day=1),
        f"Your {label} are behind plan",
        (
            f"You have logged {s.hours_logged:g} {label} for {s.programme}; "
            f"{expected:g} were expected by {format_date(today)}.",
            "Log the time you have spent learning.",
        ),
    )


def due_reminders(s: Situation, today: date, t: Thresholds) -> list[Reminder]:
    """Every reminder this enrolment calls for on ``today``; none on hold, withdrawn or completed.

    On weekends and bank holidays in England only overdue reminders are due.
    """
    if s.state != "active" or s.evaluation.stage == "completed":
        return []
    working = is_working_day(today)
    out = _reviews(s, today, t, working)
    if not working:
        return out
    out += _deadlines(s, today, t) + _signoffs(s, today, t) + _hours(s, today, t)
    if not s.preceptors:
        out += _to(
            s.leads,
            LEAD,
            s,
            NO_PRECEPTOR,
            s.start_date,
            f"{s.learner_name} has no preceptor",
            (
                f"{s.learner_name} ({s.programme}, started {format_date(s.start_date)}) has no preceptor assigned.",
                "Assign a preceptor.",
            ),
        )
    return out


def overdue_items(s: Situation, today: date) -> list[OverdueItem]:
    """Reviews and deadlines past due, for the leads' digest."""
    if s.state != "active" or s.evaluation.stage == "completed":
        return []
    return [
        OverdueItem(s.organisation_id, s.enrolment_id, s.learner_name, item.title, item.due)
        for item in s.evaluation.due
        if item.kind != "programme_end" and item.due < today
    ]


def lead_digests(
    items: Iterable[OverdueItem], leads_by_org: Mapping[int, Iterable[Person]], today: date
) -> list[Reminder]:
    """One digest a week per lead, on the first working day of the week that has overdue items."""
    if not is_working_day(today):
        return []
    by_org: dict[int, list[OverdueItem]] = {}
    for item in items:
        by_org.setdefault(item.organisation_id, []).append(item)
    monday = today - timedelta(days=today.weekday())
    out = []
    for org, found in by_org.items():
        found.sort(key=lambda i: (i.due, i.learner_name))
        lines = tuple(f"{i.learner_name}: {i.title}, due {format_date(i.due)}" for i in found)
        subject = f"Weekly summary: {len(found)} overdue item{'s' if len(found) > 1 else ''}"
        out += [
            Reminder(
                LEAD_DIGEST,
                0,
                monday,
                lead,
                LEAD,
                subject,
                (f"Overdue in your organisation on {format_date(today)}:", *lines),
                DIGEST_PATH,
                True,
            )
            for lead in leads_by_org.get(org, ())
        ]
    return out
