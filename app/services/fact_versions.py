"""Every write to an enrolment's facts raises its ``facts_version`` in the same transaction.

The engine's verdict on an enrolment is a function of its facts (the rows ``fact_rows`` reads) and
the day. ``kept_verdicts`` keeps verdicts between requests and knows one is stale because the
version it was kept under no longer matches: a reader sees a new version exactly when it sees the
write that raised it (both commit together), so no page can pair new facts with an old verdict for
longer than a request, nor an old verdict with new facts at all.

The hook runs after every ORM flush and looks at what was written: a row of a fact table raises the
version of its enrolment; a learner's own details (profession, date of birth, contracted hours) or a
prior Care Certificate raise one of the learner's enrolments (a verdict is kept against the sum over
all the learner's enrolments, since a sign-off on one can complete the Care Certificate of another);
a programme's settings version raises every enrolment of that programme in the organisation (an
enrolment with no settings of its own follows the version in force on its start date). Only the
enrolment's own row is locked by a raise, as the command writing to it has already locked it.
Enrolments created in the same transaction are left alone: nothing can have been kept for them.
"""

from __future__ import annotations

from functools import cache
from itertools import chain
from typing import Any

from sqlalchemy import ColumnElement, event, func, or_, select, update
from sqlalchemy.orm import Session

from app.models import (
    Attendance,
    Check,
    Confirmation,
    EnglishMathsDecision,
    Enrolment,
    EnrolmentSettings,
    HoursEntry,
    PostAppointment,
    PreceptorAssignment,
    PriorCareCertificate,
    PriorLearning,
    Review,
    ReviewConfirmation,
    ReviewFrequency,
    SettingsVersion,
    SignOffEvent,
    TransitionEvent,
    User,
)
from app.services.request_memo import recalled, remember

# Fact tables whose rows name their enrolment.
ENROLMENT_FACTS = (
    Attendance,
    Check,
    Confirmation,
    EnglishMathsDecision,
    EnrolmentSettings,
    HoursEntry,
    PostAppointment,
    PreceptorAssignment,
    PriorLearning,
    Review,
    ReviewFrequency,
    SignOffEvent,
    TransitionEvent,
)
# Every fact table the hook watches (``tests/services/test_kept_verdicts.py`` checks ``fact_rows`` reads no other).
WATCHED = (*ENROLMENT_FACTS, Enrolment, ReviewConfirmation, PriorCareCertificate, User, SettingsVersion)
CHUNK = 500  # ids per statement
BORN = "fact_versions_born"  # session.info: enrolments created in this transaction


@cache
def learner_version() -> ColumnElement[int]:
    """For a query on enrolments: the sum of the versions of all the learner's enrolments, plus their count
    (each only grows, so the sum changes whenever any of them changes or one is added). Built once: building
    it costs more than the database takes to answer it."""
    others = Enrolment.__table__.alias("learner_enrolments")
    return (
        select(func.sum(others.c.facts_version) + func.count())
        .where(others.c.learner_id == Enrolment.learner_id)
        .scalar_subquery()
    )


def remember_learner_version(enrolment_id: int, version: int) -> None:
    """What ``learner_version`` was for the enrolment, read with it, for the rest of the request."""
    remember(("learner_version", enrolment_id), version)


def recalled_learner_version(enrolment_id: int) -> int | None:
    return recalled(("learner_version", enrolment_id))


def _raises(session: Session) -> list[ColumnElement[bool]]:
    born = _born(session)
    enrolments: set[int] = set()
    reviews: set[int] = set()
    learners: set[int] = set()
    programmes: set[tuple[int, str]] = set()
    for obj in chain(session.new, session.dirty, session.deleted):
        if isinstance(obj, Enrolment):
            if obj in session.new:
                born.add(obj.id)
            elif session.is_modified(obj):
                enrolments.add(obj.id)
        elif isinstance(obj, ENROLMENT_FACTS):
            enrolments.add(obj.enrolment_id)
        elif isinstance(obj, ReviewConfirmation):
            reviews.add(obj.review_id)
        elif isinstance(obj, PriorCareCertificate):
            learners.add(obj.learner_id)
        elif isinstance(obj, User) and obj in session.dirty and session.is_modified(obj):
            learners.add(obj.id)
        elif isinstance(obj, SettingsVersion):
            programmes.add((obj.organisation_id, obj.pathway_key))
    table = Enrolment.__table__
    ids = sorted(enrolments - born)
    chunks = [table.c.id.in_(ids[start : start + CHUNK]) for start in range(0, len(ids), CHUNK)]
    others: list[ColumnElement[bool]] = []
    if reviews:
        others.append(table.c.id.in_(select(Review.enrolment_id).where(Review.id.in_(sorted(reviews)))))
    if learners:
        first = select(func.min(Enrolment.id)).where(Enrolment.learner_id.in_(sorted(learners)))
        others.append(table.c.id.in_(first.group_by(Enrolment.learner_id)))
    others += [(table.c.organisation_id == org) & (table.c.pathway_key == key) for org, key in programmes]
    if others:  # one statement for a command's usual few rows; more only for a bulk write
        chunks = [or_(*chunks[:1], *others), *chunks[1:]]
    return chunks


def _born(session: Session) -> set[int]:
    """Enrolments created in the session's current transaction."""
    root = session.get_transaction()
    kept = session.info.get(BORN)
    if kept is None or kept[0] is not root:
        kept = session.info[BORN] = (root, set())
    return kept[1]


@event.listens_for(Session, "after_flush")
def _raise_versions(session: Session, _flush_context: Any) -> None:
    table = Enrolment.__table__
    for condition in _raises(session):
        session.connection().execute(update(table).where(condition).values(facts_version=table.c.facts_version + 1))


@event.listens_for(Session, "after_commit")
@event.listens_for(Session, "after_rollback")
def _forget_born(session: Session) -> None:
    session.info.pop(BORN, None)
