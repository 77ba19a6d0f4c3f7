"""Gather what the rules need for a range of enrolments, in a fixed number of queries.

Plain rows rather than ORM objects on this path: the daily scan reads every active enrolment.

An enrolment whose facts the engine or the rules cannot work with (a start date in the year 9999
whose due dates fall past the calendar's end) is set aside as ``Unchecked`` with its error, and
every other enrolment in the range is still checked. Only the errors bad data raises in the date
arithmetic and the definitions (``OverflowError``, ``ValueError``) are caught; anything else is a
fault in Waymark or the database, and stops the scan as before.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Sequence
from datetime import date
from typing import NamedTuple, cast

from sqlalchemy import select, text

from app.extensions import db
from app.models import Enrolment, PreceptorAssignment, User
from app.services.clock import LONDON
from app.services.facts import Assessed, among, assess, latest_sign_offs
from app.services.request_memo import remembering
from app.services.scan_problems import Unchecked, describe
from reminders.model import OverdueItem, PendingSignOff, Person, Reminder, Situation, Thresholds
from reminders.rules import due_reminders, overdue_items

log = logging.getLogger(__name__)
BAD_FACTS = (OverflowError, ValueError)
# (enrolments read, reminders due, overdue items, enrolments not checked) for one range.
RangeResult = tuple[int, list[Reminder], list[OverdueItem], list[Unchecked]]


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
        .where(among(PreceptorAssignment.enrolment_id, ids), PreceptorAssignment.ended_on.is_(None))
        .where(User.is_enabled.is_(True))
    )
    for enrolment_id, user_id, first_name, email in rows:
        found[enrolment_id].append(Person(user_id, first_name, email))
    return {e: tuple(people) for e, people in found.items()}


def _pending_signoffs(ids: list[int]) -> dict[int, list[PendingSignOff]]:
    """Requests still waiting (``facts.latest_sign_offs``), with the day they were made."""
    pending: dict[int, list[PendingSignOff]] = defaultdict(list)
    for (enrolment_id, _key), state in latest_sign_offs(ids).items():
        if state.action == "requested":
            pending[enrolment_id].append(PendingSignOff(state.title, state.at.astimezone(LONDON).date()))
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


def rows_between(first_id: int, last_id: int, only: Sequence[int] = ()) -> list[EnrolmentRow]:
    """Active enrolments with ids in [first_id, last_id] (and among ``only``, if given), with their learner's name."""
    statement = (
        select(*ROW_COLUMNS)
        .join(User, User.id == Enrolment.learner_id)
        .where(Enrolment.state == "active", Enrolment.id.between(first_id, last_id))
        .order_by(Enrolment.id)
    )
    if only:
        statement = statement.where(among(Enrolment.id, only))
    return [EnrolmentRow(*row) for row in db.session.execute(statement)]


def _unchecked(row: EnrolmentRow, error: Exception) -> Unchecked:
    log.warning("reminder scan could not check enrolment %s: %s", row.id, describe(error))
    return Unchecked(row.id, row.organisation_id, describe(error))


def assess_each(batch: Sequence[EnrolmentRow], as_of: date) -> tuple[list[Assessed], list[Unchecked]]:
    """Assess the batch; if one enrolment breaks it, halve and retry, so the others are still assessed.

    A clean batch costs what ``assess`` costs; k broken rows in n cost about 2k·log2(n) more calls.
    """
    try:
        assessed = assess(cast(Sequence[Enrolment], batch), as_of)  # a row carries every column assess reads
    except BAD_FACTS as error:
        if len(batch) == 1:
            return [], [_unchecked(batch[0], error)]
    else:  # the engine explains an enrolment whose dates it cannot work out instead of raising
        broken = [a for a in assessed if a.evaluation.problem]
        for item in broken:
            log.warning("reminder scan could not check enrolment %s: %s", item.enrolment.id, item.evaluation.problem)
        unchecked = [Unchecked(a.enrolment.id, a.enrolment.organisation_id, str(a.evaluation.problem)) for a in broken]
        return [a for a in assessed if not a.evaluation.problem], unchecked
    half = len(batch) // 2
    first, first_unchecked = assess_each(batch[:half], as_of)
    second, second_unchecked = assess_each(batch[half:], as_of)
    return first + second, first_unchecked + second_unchecked


def _without_jit() -> None:
    """On PostgreSQL, no JIT compilation for this read transaction: the facts of 5,000 enrolments cost
    enough for PostgreSQL to compile the statement's 400 expressions each time (about 140 ms of its
    CPU per range, a quarter of the statement), for rows it reads in milliseconds."""
    if db.engine.dialect.name == "postgresql":
        db.session.execute(text("SET LOCAL jit = off"))


def evaluate_range(
    bounds: tuple[int, int, tuple[int, ...]], as_of: date, thresholds: Thresholds, leads: dict[int, tuple[Person, ...]]
) -> RangeResult:
    """What the rules make of one range; reads only, so it can run anywhere.

    The range is one read transaction, so what ``facts.assess`` read is remembered for the rest of
    it (``request_memo.remembering``): the sign-off states waiting requests are found in.
    """
    due: list[Reminder] = []
    overdue: list[OverdueItem] = []
    _without_jit()
    with remembering():
        batch = rows_between(*bounds)
        by_id = {row.id: row for row in batch}
        assessed, unchecked = assess_each(batch, as_of)
        for situation in situations(assessed, leads):
            try:
                reminders, late = due_reminders(situation, as_of, thresholds), overdue_items(situation, as_of)
            except BAD_FACTS as error:
                unchecked.append(_unchecked(by_id[situation.enrolment_id], error))
                continue
            due += reminders
            overdue += late
    db.session.rollback()  # end the read transaction: a long one would hold back SQLite's WAL checkpoints
    return len(batch), due, overdue, unchecked
