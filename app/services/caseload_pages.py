"""Read-only queries behind the preceptor's lists: the caseload, sorted, and the queue of sign-offs waiting."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import joinedload, selectinload

from app.extensions import db
from app.models import (
    Enrolment,
    PreceptorAssignment,
    User,
)
from app.services.clock import today
from app.services.facts import latest_sign_offs
from app.services.kept_verdicts import Verdict, listed_columns, verdicts
from app.services.learner_version import learner_competencies


@dataclass
class CaseloadRow:
    assessed: Verdict
    pending: int


SORTS = {
    "name": lambda row: (row.assessed.enrolment.learner.last_name, row.assessed.enrolment.learner.first_name),
    "status": lambda row: ({"red": 0, "amber": 1, "green": 2}.get(row.assessed.evaluation.status.rag, 3),),
    "due": lambda row: (row.assessed.evaluation.next_due.due if row.assessed.evaluation.next_due else date.max,),
    "pending": lambda row: (-row.pending,),
}


def pending_counts(enrolment_ids: Sequence[int]) -> dict[int, int]:
    counts: dict[int, int] = defaultdict(int)
    for (enrolment_id, _key), state in latest_sign_offs(enrolment_ids).items():
        if state.action == "requested":
            counts[enrolment_id] += 1
    return counts


def caseload_rows(preceptor: User, sort: str = "status", as_of: date | None = None) -> list[CaseloadRow]:
    """The preceptor's current learners with status, next due date and waiting sign-offs."""
    rows = db.session.execute(
        select(*listed_columns())
        .join(User, User.id == Enrolment.learner_id)
        .join(PreceptorAssignment, PreceptorAssignment.enrolment_id == Enrolment.id)
        .where(
            PreceptorAssignment.preceptor_id == preceptor.id,
            PreceptorAssignment.ended_on.is_(None),
            Enrolment.organisation_id == preceptor.organisation_id,
            Enrolment.state.in_(("active", "on_hold")),
        )
        .order_by(Enrolment.start_date)
    ).all()
    found = verdicts(rows, as_of or today())
    return sorted((CaseloadRow(v, v.waiting) for v in found), key=SORTS.get(sort, SORTS["status"]))


@dataclass
class QueueItem:
    enrolment: Enrolment
    key: str
    title: str
    evidence: str
    requested_on: datetime


def signoff_queue(preceptor: User) -> list[QueueItem]:
    """Sign-off requests waiting for this preceptor, oldest first."""
    enrolments = {
        e.id: e
        for e in db.session.scalars(
            select(Enrolment)
            .options(joinedload(Enrolment.learner), selectinload(Enrolment.pathway_version))
            .join(PreceptorAssignment, PreceptorAssignment.enrolment_id == Enrolment.id)
            .where(
                PreceptorAssignment.preceptor_id == preceptor.id,
                PreceptorAssignment.ended_on.is_(None),
                Enrolment.organisation_id == preceptor.organisation_id,
                Enrolment.state.in_(("active", "on_hold")),
            )
        )
    }
    if not enrolments:
        return []
    versions = {eid: learner_competencies(enrolment) for eid, enrolment in enrolments.items()}
    items = [
        QueueItem(enrolments[eid], key, versions[eid][key].title, state.evidence, state.at)
        for (eid, key), state in latest_sign_offs(list(enrolments)).items()
        if state.action == "requested" and key in versions[eid]
    ]
    return sorted(items, key=lambda item: item.requested_on)
