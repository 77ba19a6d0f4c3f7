"""Everything a printed portfolio holds, read once for the PDF: stages, sign-offs, reviews, hours, evidence."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select

from app.extensions import db
from app.models import Certificate, Organisation, Reflection, TransitionEvent, User
from app.services import certificates, pages, reflections
from app.services.evidence_pages import EvidenceRow, evidence_rows
from app.services.facts import Assessed
from app.services.pages import CompetencyGroupView, HoursHistory, ReviewView
from app.services.review_signatures import Signing, signing


@dataclass(frozen=True)
class StageSpell:
    title: str
    started: date
    ended: date | None


@dataclass
class PortfolioRecord:
    assessed: Assessed
    organisation: str
    stages: list[StageSpell]
    competencies: list[CompetencyGroupView]
    reviews: list[tuple[ReviewView, Signing]]
    hours: HoursHistory
    reflections: list[Reflection]
    evidence: list[EvidenceRow]
    certificate: Certificate | None


def stage_spells(assessed: Assessed) -> list[StageSpell]:
    """Each stage the learner entered, from the day they entered it to the day they left it."""
    events = db.session.scalars(
        select(TransitionEvent)
        .where(TransitionEvent.enrolment_id == assessed.enrolment.id)
        .order_by(TransitionEvent.effective_on, TransitionEvent.id)
    ).all()
    entries = [(e.to_stage, e.effective_on) for e in events if e.from_stage != e.to_stage]
    titles = {stage.key: stage.title for stage in assessed.definition.stages}
    return [
        StageSpell(titles.get(key, key), started, entries[index + 1][1] if index + 1 < len(entries) else None)
        for index, (key, started) in enumerate(entries)
    ]


def portfolio(actor: User, enrolment_id: int) -> PortfolioRecord:
    """The whole record, for anyone who may see it."""
    assessed = pages.enrolment_page(actor, enrolment_id)
    enrolment = assessed.enrolment
    organisation = db.session.get(Organisation, enrolment.organisation_id)
    return PortfolioRecord(
        assessed=assessed,
        organisation=organisation.name if organisation else "",
        stages=stage_spells(assessed),
        competencies=pages.competencies(assessed),
        reviews=[(view, signing(view.review, enrolment)) for view in pages.reviews(assessed)],
        hours=pages.hours_history(enrolment.id),
        reflections=reflections.reflections(actor, enrolment.id),
        evidence=evidence_rows(assessed),
        certificate=certificates.certificate_of(enrolment.id),
    )
