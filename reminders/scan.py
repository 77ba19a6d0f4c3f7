"""The reminder scan: read active enrolments in batches, ask the rules, queue what is due.

Each batch costs the same fixed number of queries whatever its size (``facts.assess`` plus two
here), and is committed on its own: a scan killed half-way keeps what it queued, and the next
scan queues the rest, the outbox key turning every repeat into a no-op.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import NamedTuple

from flask import current_app
from sqlalchemy import select

from app.extensions import db
from app.models import Competency, Enrolment, PreceptorAssignment, SignOffEvent, User
from app.services.clock import LONDON
from app.services.facts import Assessed, assess
from reminders.lock import scan_lock
from reminders.outbox import queue
from reminders.rules import (
    OverdueItem,
    PendingSignOff,
    Person,
    Reminder,
    Situation,
    Thresholds,
    due_reminders,
    lead_digests,
    overdue_items,
)

BATCH_SIZE = 5000


@dataclass
class ScanResult:
    as_of: date
    locked_out: bool = False
    enrolments: int = 0
    queued: list[Reminder] = field(default_factory=list)


def _person(user: User) -> Person:
    return Person(user.id, user.first_name, user.email)


def leads_by_organisation() -> dict[int, tuple[Person, ...]]:
    leads: dict[int, list[Person]] = defaultdict(list)
    for user in db.session.scalars(select(User).where(User.role == "lead", User.is_enabled.is_(True))):
        leads[user.organisation_id].append(_person(user))
    return {org: tuple(people) for org, people in leads.items()}


def _preceptors(ids: list[int]) -> dict[int, tuple[Person, ...]]:
    found: dict[int, list[Person]] = defaultdict(list)
    rows = db.session.execute(
        select(PreceptorAssignment.enrolment_id, User.id, User.first_name, User.email)
        .join(User, User.id == PreceptorAssignment.preceptor_id)
        .where(PreceptorAssignment.enrolment_id.in_(ids), PreceptorAssignment.ended_on.is_(None))
        .where(User.is_enabled.is_(True))
    )
    for enrolment_id, user_id, first_name, email in rows:
        found[enrolment_id].append(Person(user_id, first_name, email))
    return {e: tuple(people) for e, people in found.items()}


def _pending_signoffs(ids: list[int]) -> dict[int, list[PendingSignOff]]:
    """Requests whose latest event is still 'requested', with the day they were made."""
    latest: dict[tuple[int, int], tuple[str, str, date]] = {}
    rows = db.session.execute(
        select(
            SignOffEvent.enrolment_id,
            SignOffEvent.competency_id,
            SignOffEvent.action,
            SignOffEvent.created_at,
            Competency.title,
        )
        .join(Competency, Competency.id == SignOffEvent.competency_id)
        .where(SignOffEvent.enrolment_id.in_(ids))
        .order_by(SignOffEvent.id)
    )
    for enrolment_id, competency_id, action, created_at, title in rows:
        latest[(enrolment_id, competency_id)] = (action, title, created_at.astimezone(LONDON).date())
    pending: dict[int, list[PendingSignOff]] = defaultdict(list)
    for (enrolment_id, _), (action, title, day) in latest.items():
        if action == "requested":
            pending[enrolment_id].append(PendingSignOff(title, day))
    return pending


def situations(assessed: Sequence[Assessed], leads: dict[int, tuple[Person, ...]]) -> list[Situation]:
    """The rules' view of each assessed enrolment, with two more queries for the whole batch."""
    ids = [a.enrolment.id for a in assessed]
    preceptors = _preceptors(ids)
    pending = _pending_signoffs(ids)
    out = []
    for item in assessed:
        enrolment = item.enrolment
        out.append(
            Situation(
                enrolment_id=enrolment.id,
                organisation_id=enrolment.organisation_id,
                learner=Person(enrolment.learner_id, enrolment.first_name, enrolment.email),
                learner_name=f"{enrolment.first_name} {enrolment.last_name}".strip(),
                programme=item.definition.title,
                state=enrolment.state,
                start_date=enrolment.start_date,
                evaluation=item.evaluation,
                hours_logged=item.facts.hours_logged,
                hours_label=item.definition.hours_label,
                preceptors=preceptors.get(enrolment.id, ()),
                leads=leads.get(enrolment.organisation_id, ()),
                pending_signoffs=tuple(pending.get(enrolment.id, ())),
            )
        )
    return out


class EnrolmentRow(NamedTuple):
    """The enrolment columns ``facts.assess`` reads, with the learner's name: no ORM objects on the hot path."""

    id: int
    organisation_id: int
    learner_id: int
    pathway_version_id: int
    start_date: date
    stage: str
    stage_entered_on: date
    state: str
    first_name: str
    last_name: str
    email: str


ROW_COLUMNS = (
    Enrolment.id,
    Enrolment.organisation_id,
    Enrolment.learner_id,
    Enrolment.pathway_version_id,
    Enrolment.start_date,
    Enrolment.stage,
    Enrolment.stage_entered_on,
    Enrolment.state,
    User.first_name,
    User.last_name,
    User.email,
)


def _batches(batch_size: int) -> Iterator[list[EnrolmentRow]]:
    last_id = 0
    while True:
        batch = [
            EnrolmentRow(*row)
            for row in db.session.execute(
                select(*ROW_COLUMNS)
                .join(User, User.id == Enrolment.learner_id)
                .where(Enrolment.state == "active", Enrolment.id > last_id)
                .order_by(Enrolment.id)
                .limit(batch_size)
            )
        ]
        if not batch:
            return
        last_id = batch[-1].id
        yield batch


def _commit(dry_run: bool) -> None:
    if dry_run:
        db.session.rollback()
    else:
        db.session.commit()


def scan(
    as_of: date, *, dry_run: bool = False, batch_size: int = BATCH_SIZE, echo: Callable[[Reminder], None] | None = None
) -> ScanResult:
    """Queue every reminder due on ``as_of``; a dry run queues nothing but reports the same lines."""
    result = ScanResult(as_of)
    with scan_lock() as acquired:
        if not acquired:
            result.locked_out = True
            return result
        thresholds = Thresholds.from_config(current_app.config)
        base_url = current_app.config["BASE_URL"]
        leads = leads_by_organisation()
        overdue: list[OverdueItem] = []
        for batch in _batches(batch_size):
            due: list[Reminder] = []
            for situation in situations(assess(batch, as_of), leads):
                due += due_reminders(situation, as_of, thresholds)
                overdue += overdue_items(situation, as_of)
            queued = queue(due, base_url)
            _commit(dry_run)
            result.enrolments += len(batch)
            result.queued += queued
            for reminder in queued if echo else ():
                echo(reminder)
        queued = queue(lead_digests(overdue, leads, as_of), base_url)
        _commit(dry_run)
        result.queued += queued
        for reminder in queued if echo else ():
            echo(reminder)
    return result
