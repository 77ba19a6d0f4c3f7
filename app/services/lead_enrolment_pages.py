"""Read-only queries behind the lead's page for one enrolment: its checks, confirmations, attendance and settings,
and its audit trail in words."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, datetime
from functools import cache
from typing import Any

from sqlalchemy import (
    CompoundSelect,
    Date,
    DateTime,
    Integer,
    Select,
    String,
    bindparam,
    cast,
    literal_column,
    null,
    select,
    type_coerce,
    union_all,
)
from sqlalchemy.orm import aliased, joinedload

from app.extensions import db
from app.models import (
    Attendance,
    AuditEvent,
    Check,
    Competency,
    Confirmation,
    Enrolment,
    PreceptorAssignment,
    User,
)
from app.services import pages
from app.services.audit_words import Titles, sentence
from app.services.clock import today
from app.services.enrolments import get_enrolment
from app.services.facts import Assessed, assess_one
from app.services.permissions import require_lead
from app.services.settings_reads import EnrolmentSettingsView, enrolment_settings_view


@dataclass(frozen=True)
class CheckLine:
    kind: str
    result: str
    checked_on: date


@dataclass(frozen=True)
class ConfirmationLine:
    name: str
    created_at: datetime


@dataclass(frozen=True)
class AttendanceLine:
    title: str
    attended_on: date


@dataclass
class LeadEnrolment:
    assessed: Assessed
    assignments: list[PreceptorAssignment]
    checks: list[CheckLine]
    confirmations: list[ConfirmationLine]
    attendance: list[AttendanceLine]
    settings: EnrolmentSettingsView


@cache
def _records_statement() -> CompoundSelect:
    """An enrolment's checks, confirmations and attendance as plain rows, in one statement (built once)."""
    text, day, moment = String(), Date(), DateTime(timezone=True)
    wanted = bindparam("enrolment_id", type_=Integer)

    def slot(value: Any, kind: Any) -> Any:  # as ``fact_rows`` types its slots: an empty one a typed NULL
        return cast(null(), kind) if value is None else type_coerce(value, kind)

    def branch(tag: str, order: Any, s1: Any, s2: Any, d1: Any, t1: Any) -> Select:
        return select(
            literal_column(f"'{tag}'", String).label("tag"),
            order.label("o1"),
            slot(s1, text).label("s1"),
            slot(s2, text).label("s2"),
            slot(d1, day).label("d1"),
            slot(t1, moment).label("t1"),
        )

    return union_all(
        branch("check", Check.id, Check.kind, Check.result, Check.checked_on, None).where(Check.enrolment_id == wanted),
        branch("confirmation", Confirmation.id, Confirmation.name, None, None, Confirmation.created_at).where(
            Confirmation.enrolment_id == wanted
        ),
        branch("attendance", Attendance.id, Attendance.title, None, Attendance.attended_on, None).where(
            Attendance.enrolment_id == wanted
        ),
    )


def lead_enrolment(actor: User, enrolment_id: int, as_of: date | None = None) -> LeadEnrolment:
    """Everything a lead sees about one enrolment, including the preceptor history."""
    enrolment = get_enrolment(actor, enrolment_id)
    require_lead(actor, enrolment.organisation_id)
    assignments = db.session.scalars(
        select(PreceptorAssignment)
        .options(joinedload(PreceptorAssignment.preceptor))
        .where(PreceptorAssignment.enrolment_id == enrolment.id)
        .order_by(PreceptorAssignment.id.desc())
    ).all()
    by_tag: dict[str, list[Any]] = {"check": [], "confirmation": [], "attendance": []}
    for row in db.session.execute(_records_statement(), {"enrolment_id": enrolment.id}):
        by_tag[row.tag].append(row)
    assessed = pages.enrolment_page(actor, enrolment_id, as_of)
    return LeadEnrolment(
        assessed,
        list(assignments),
        [CheckLine(r.s1, r.s2, r.d1) for r in sorted(by_tag["check"], key=lambda r: r.o1)],
        [ConfirmationLine(r.s1, r.t1) for r in sorted(by_tag["confirmation"], key=lambda r: r.o1)],
        [AttendanceLine(r.s1, r.d1) for r in sorted(by_tag["attendance"], key=lambda r: (r.d1, r.o1))],
        enrolment_settings_view(enrolment, assessed.definition),
    )


@dataclass
class AuditLine:
    event: AuditEvent
    actor: str
    detail: dict
    text: str


def audit_trail(actor: User, enrolment_id: int) -> tuple[Enrolment, list[AuditLine]]:
    """Every audited action on an enrolment, oldest first, with who did it, in words."""
    enrolment = get_enrolment(actor, enrolment_id)
    require_lead(actor, enrolment.organisation_id)
    who = aliased(User)
    rows = db.session.execute(
        select(AuditEvent, who)
        .outerjoin(who, who.id == AuditEvent.actor_id)
        .where(AuditEvent.enrolment_id == enrolment.id, AuditEvent.organisation_id == enrolment.organisation_id)
        .order_by(AuditEvent.id)
    ).all()
    details = [json.loads(event.detail or "{}") for event, _ in rows]
    titles = _audit_titles(enrolment, details)
    return enrolment, [
        AuditLine(event, person.full_name if person else "Waymark", detail, sentence(event.action, detail, titles))
        for (event, person), detail in zip(rows, details, strict=True)
    ]


def _audit_titles(enrolment: Enrolment, details: list[dict]) -> Titles:
    assessed = assess_one(enrolment, today())
    mentioned = {d["preceptor_id"] for d in details if isinstance(d.get("preceptor_id"), int)}
    in_org = User.organisation_id == enrolment.organisation_id
    people = {u.id: u.full_name for u in db.session.scalars(select(User).where(User.id.in_(mentioned), in_org))}
    pinned = Competency.pathway_version_id == enrolment.pathway_version_id
    competencies = dict(db.session.execute(select(Competency.key, Competency.title).where(pinned)).tuples().all())
    slots = {slot.key: slot.title for slot in assessed.evaluation.review_slots}
    return Titles(assessed.definition, competencies, slots, people)
