from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime

import pytest
from sqlalchemy import func, select

from app.extensions import db
from app.models import AuditEvent, Enrolment, User
from app.services import enrolments
from tests.factories import LeadFactory, LearnerFactory, OrganisationFactory, PreceptorFactory


@dataclass
class World:
    lead: User
    preceptor: User
    other_preceptor: User
    learner: User
    other_learner: User
    foreign_lead: User
    enrolment: Enrolment


TODAY = date(2026, 11, 25)


@pytest.fixture(autouse=True)
def _frozen_today(time_machine):
    """Service rules read today's date; pin it so the tests mean the same every day."""
    time_machine.move_to(datetime(2026, 11, 25, 12, tzinfo=UTC), tick=False)


@pytest.fixture
def world(ctx) -> World:
    """One trust with a preceptee on preceptorship, and a second trust."""
    org = OrganisationFactory()
    lead = LeadFactory(organisation=org)
    preceptor = PreceptorFactory(organisation=org)
    other_preceptor = PreceptorFactory(organisation=org)
    learner = LearnerFactory(organisation=org)
    other_learner = LearnerFactory(organisation=org)
    foreign_lead = LeadFactory(organisation=OrganisationFactory())
    enrolment = enrolments.enrol(
        lead,
        learner_id=learner.id,
        pathway_key="preceptorship",
        start_date=date(2026, 9, 1),
        preceptor_id=preceptor.id,
    )
    return World(lead, preceptor, other_preceptor, learner, other_learner, foreign_lead, enrolment)


def count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


@pytest.fixture
def nothing_written():
    """Assert that a refused action left every table as it was (audit events included)."""
    database = db

    def snapshot() -> dict[str, int]:
        return {
            table.name: database.session.scalar(select(func.count()).select_from(table))
            for table in database.metadata.sorted_tables
        }

    class Checker:
        def __enter__(self):
            self.before = snapshot()
            return self

        def __exit__(self, *exc):
            database.session.rollback()
            assert snapshot() == self.before
            return False

    return Checker


def audit_actions(enrolment_id: int) -> list[str]:
    return list(
        db.session.scalars(
            select(AuditEvent.action).where(AuditEvent.enrolment_id == enrolment_id).order_by(AuditEvent.id)
        )
    )
