"""Read-only queries behind the programme lead's pages: cohorts, programmes, enrolments and the audit trail."""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import aliased, joinedload

from app.extensions import db
from app.models import (
    Attendance,
    AuditEvent,
    Check,
    Cohort,
    Confirmation,
    Enrolment,
    PathwayVersion,
    PreceptorAssignment,
    User,
)
from app.services.catalogue import catalogue, latest_definition
from app.services.clock import today
from app.services.cohorts import get_cohort
from app.services.dashboards import cohort_counts
from app.services.enrolments import get_enrolment
from app.services.facts import Assessed, assess, assess_one
from app.services.permissions import require_lead
from pathways import Definition, Stage


@dataclass
class CohortRow:
    cohort: Cohort
    title: str
    counts: dict[str, int]

    @property
    def enrolled(self) -> int:
        return sum(self.counts.values())

    @property
    def completion_rate(self) -> float:
        return self.counts.get("completed", 0) / self.enrolled if self.enrolled else 0.0


def cohorts(actor: User) -> list[CohortRow]:
    """Every cohort of the lead's organisation with its enrolment figures."""
    require_lead(actor, actor.organisation_id)
    titles = {d.key: d.title for d in programmes()}
    return [CohortRow(c, titles.get(c.pathway_key, c.pathway_key), n) for c, n in cohort_counts(actor.organisation_id)]


@dataclass
class CohortPage:
    cohort: Cohort
    definition: Definition
    stages: list[tuple[Stage, list[Assessed]]]
    withdrawn: list[Assessed]
    row: CohortRow


def cohort_page(actor: User, cohort_id: int, as_of: date | None = None) -> CohortPage:
    """A cohort's learners by stage, in the programme's order."""
    require_lead(actor, actor.organisation_id)
    cohort = get_cohort(actor, cohort_id)
    enrolments = db.session.scalars(
        select(Enrolment)
        .options(joinedload(Enrolment.learner))
        .where(Enrolment.cohort_id == cohort.id)
        .order_by(Enrolment.id)
    ).all()
    assessed = assess(enrolments, as_of or today())
    definition = latest_definition(cohort.pathway_key)
    by_stage: dict[str, list[Assessed]] = defaultdict(list)
    withdrawn = []
    for item in sorted(assessed, key=lambda a: a.enrolment.learner.last_name):
        (withdrawn if item.enrolment.state == "withdrawn" else by_stage[item.enrolment.stage]).append(item)
    counts: dict[str, int] = defaultdict(int)
    for item in assessed:
        counts[item.enrolment.state] += 1
    return CohortPage(
        cohort,
        definition,
        [(stage, by_stage.get(stage.key, [])) for stage in definition.stages],
        withdrawn,
        CohortRow(cohort, definition.title, dict(counts)),
    )


def programmes() -> list[Definition]:
    """The latest version of every programme in the catalogue."""
    return sorted((catalogue().latest(key) for key in catalogue().keys()), key=lambda d: d.title)


def stage_counts(actor: User, key: str) -> tuple[Definition, dict[str, int]]:
    """How many of the organisation's learners (not withdrawn) are at each stage of a programme."""
    require_lead(actor, actor.organisation_id)
    definition = latest_definition(key)
    rows = db.session.execute(
        select(Enrolment.stage, func.count())
        .join(PathwayVersion, PathwayVersion.id == Enrolment.pathway_version_id)
        .where(
            Enrolment.organisation_id == actor.organisation_id,
            PathwayVersion.key == key,
            Enrolment.state != "withdrawn",
        )
        .group_by(Enrolment.stage)
    )
    return definition, dict(rows.all())


@dataclass
class LeadEnrolment:
    assessed: Assessed
    assignments: list[PreceptorAssignment]
    checks: list[Check]
    confirmations: list[Confirmation]
    attendance: list[Attendance]


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

    def rows(model, order):
        return list(db.session.scalars(select(model).where(model.enrolment_id == enrolment.id).order_by(order)))

    return LeadEnrolment(
        assess_one(enrolment, as_of or today()),
        list(assignments),
        rows(Check, Check.id),
        rows(Confirmation, Confirmation.id),
        rows(Attendance, Attendance.attended_on),
    )


@dataclass
class AuditLine:
    event: AuditEvent
    actor: str
    detail: dict


def audit_trail(actor: User, enrolment_id: int) -> tuple[Enrolment, list[AuditLine]]:
    """Every audited action on an enrolment, oldest first, with who did it."""
    enrolment = get_enrolment(actor, enrolment_id)
    require_lead(actor, enrolment.organisation_id)
    who = aliased(User)
    rows = db.session.execute(
        select(AuditEvent, who)
        .outerjoin(who, who.id == AuditEvent.actor_id)
        .where(AuditEvent.enrolment_id == enrolment.id, AuditEvent.organisation_id == enrolment.organisation_id)
        .order_by(AuditEvent.id)
    )
    return enrolment, [
        AuditLine(event, person.full_name if person else "Waymark", json.loads(event.detail or "{}"))
        for event, person in rows
    ]


def people(actor: User, role: str) -> list[User]:
    """The enabled people of one role in the lead's organisation, by name."""
    require_lead(actor, actor.organisation_id)
    return list(
        db.session.scalars(
            select(User)
            .where(User.organisation_id == actor.organisation_id, User.role == role, User.is_enabled.is_(True))
            .order_by(User.last_name, User.first_name)
        )
    )


def cohort_choices(actor: User) -> list[Cohort]:
    require_lead(actor, actor.organisation_id)
    return list(
        db.session.scalars(
            select(Cohort).where(Cohort.organisation_id == actor.organisation_id).order_by(Cohort.start_date.desc())
        )
    )
