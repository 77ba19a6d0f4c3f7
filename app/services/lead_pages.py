"""Read-only queries behind the programme lead's pages: cohorts, programmes, enrolments and the audit trail."""

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
    case,
    cast,
    func,
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
    Cohort,
    Competency,
    Confirmation,
    Enrolment,
    PathwayVersion,
    PreceptorAssignment,
    User,
)
from app.services import pages
from app.services.audit_words import Titles, sentence
from app.services.catalogue import catalogue, latest_definition
from app.services.clock import today
from app.services.cohorts import get_cohort
from app.services.dashboards import cohort_counts
from app.services.enrolments import get_enrolment
from app.services.facts import Assessed, assess_one
from app.services.kept_verdicts import Verdict, listed_columns, verdicts
from app.services.permissions import require_lead
from app.services.settings_reads import EnrolmentSettingsView, enrolment_settings_view
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


PER_PAGE = 50


WITHDRAWN = "withdrawn"  # listed under its own heading and filter, whatever stage the learner left at


@dataclass
class CohortPage:
    cohort: Cohort
    definition: Definition
    row: CohortRow
    stage_counts: list[tuple[Stage, int]]
    learners: list[Verdict]
    page: int
    pages: int
    stage: str | None

    def stage_title(self, key: str) -> str:
        return "Withdrawn" if key == WITHDRAWN else self.definition.stage(key).title

    @staticmethod
    def group(item: Verdict) -> str:
        """The heading a learner is listed under: their stage, or Withdrawn."""
        return WITHDRAWN if item.enrolment.state == WITHDRAWN else item.enrolment.stage


def cohort_page(
    actor: User, cohort_id: int, *, page: int = 1, stage: str | None = None, as_of: date | None = None
) -> CohortPage:
    """A cohort's figures, how many learners are at each stage, and one page of its learners in stage order.

    Withdrawn learners come last under their own heading (``?stage=withdrawn`` lists only them).
    Counting is done by the database; only the learners shown are evaluated, so a cohort of 400
    costs the same as a cohort of 40.
    """
    require_lead(actor, actor.organisation_id)
    cohort = get_cohort(actor, cohort_id)
    definition = latest_definition(cohort.pathway_key)
    in_cohort = Enrolment.cohort_id == cohort.id
    states: dict[str, int] = {}
    at_stage: dict[str, int] = {}
    for state, stage_key, n in db.session.execute(  # both counts from one read
        select(Enrolment.state, Enrolment.stage, func.count())
        .where(in_cohort)
        .group_by(Enrolment.state, Enrolment.stage)
    ):
        states[state] = states.get(state, 0) + n
        if state != WITHDRAWN:
            at_stage[stage_key] = at_stage.get(stage_key, 0) + n
    if states.get(WITHDRAWN):
        at_stage[WITHDRAWN] = states[WITHDRAWN]
    withdrawn_last = case((Enrolment.state == WITHDRAWN, 1), else_=0)
    order = case(
        {s.key: i for i, s in enumerate(definition.stages)}, value=Enrolment.stage, else_=len(definition.stages)
    )
    query = select(*listed_columns()).join(User, User.id == Enrolment.learner_id).where(in_cohort)
    if stage == WITHDRAWN and stage in at_stage:
        query = query.where(Enrolment.state == WITHDRAWN)
    elif stage in at_stage:
        query = query.where(Enrolment.stage == stage, Enrolment.state != WITHDRAWN)
    total = sum(n for key, n in at_stage.items() if stage not in at_stage or key == stage)
    pages = max(1, -(-total // PER_PAGE))
    page = min(max(page, 1), pages)
    shown = db.session.execute(
        query.order_by(withdrawn_last, order, User.last_name, User.first_name, Enrolment.id)
        .offset((page - 1) * PER_PAGE)
        .limit(PER_PAGE)
    ).all()
    withdrawn_row = [(Stage(WITHDRAWN, "Withdrawn", "Left the programme"), at_stage.get(WITHDRAWN, 0))]
    return CohortPage(
        cohort,
        definition,
        CohortRow(cohort, definition.title, states),
        [(s, at_stage.get(s.key, 0)) for s in definition.stages] + withdrawn_row,
        verdicts(shown, as_of or today()),
        page,
        pages,
        stage if stage in at_stage else None,
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
    return definition, dict(rows.tuples().all())


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
