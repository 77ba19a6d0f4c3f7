"""A trust with a lead, two preceptors and an enrolled learner, a second trust, and an API token for each."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime

import pytest
from sqlalchemy import func, select

from app.extensions import db
from app.models import AuditEvent, Cohort, Enrolment, User
from app.services import enrolments, tokens
from tests.factories import CohortFactory, LeadFactory, LearnerFactory, OrganisationFactory, PreceptorFactory


@dataclass
class World:
    lead: User
    preceptor: User
    other_preceptor: User
    learner: User
    other_learner: User
    foreign_lead: User
    cohort: Cohort
    enrolment: Enrolment
    other_enrolment: Enrolment
    foreign_enrolment: Enrolment


@pytest.fixture(autouse=True)
def _frozen_today(time_machine):
    time_machine.move_to(datetime(2026, 11, 25, 12, tzinfo=UTC), tick=False)


@pytest.fixture
def world(ctx) -> World:
    org = OrganisationFactory()
    lead = LeadFactory(organisation=org)
    preceptor = PreceptorFactory(organisation=org)
    other_preceptor = PreceptorFactory(organisation=org)
    learner = LearnerFactory(organisation=org, first_name="Siobhan", last_name="O'Neill")
    other_learner = LearnerFactory(organisation=org)
    cohort = CohortFactory(organisation=org, name="Preceptorship September 2026", start_date=date(2026, 9, 1))
    foreign_org = OrganisationFactory()
    foreign_lead = LeadFactory(organisation=foreign_org)
    foreign_learner = LearnerFactory(organisation=foreign_org)
    enrolment = enrolments.enrol(
        lead,
        learner_id=learner.id,
        pathway_key="preceptorship",
        start_date=date(2026, 9, 1),
        cohort_id=cohort.id,
        preceptor_id=preceptor.id,
    )
    other = enrolments.enrol(
        lead,
        learner_id=other_learner.id,
        pathway_key="wecare-support-worker",
        start_date=date(2026, 10, 5),
        preceptor_id=other_preceptor.id,
    )
    foreign = enrolments.enrol(
        foreign_lead, learner_id=foreign_learner.id, pathway_key="preceptorship", start_date=date(2026, 9, 1)
    )
    return World(
        lead, preceptor, other_preceptor, learner, other_learner, foreign_lead, cohort, enrolment, other, foreign
    )


@pytest.fixture
def auth(world):
    """auth(user) -> the Authorization header with that user's token (issued up front, so counts stay still)."""
    people = (
        world.lead,
        world.preceptor,
        world.other_preceptor,
        world.learner,
        world.other_learner,
        world.foreign_lead,
    )
    issued = {user.id: {"Authorization": f"Bearer {tokens.issue(user)}"} for user in people}
    return lambda user: issued[user.id]


def audit_count() -> int:
    return db.session.scalar(select(func.count()).select_from(AuditEvent))


@pytest.fixture
def nothing_written():
    """Assert a refused request left every table as it was (audit events included)."""

    def snapshot() -> dict[str, int]:
        return {t.name: db.session.scalar(select(func.count()).select_from(t)) for t in db.metadata.sorted_tables}

    class Checker:
        def __enter__(self):
            db.session.rollback()
            self.before = snapshot()
            return self

        def __exit__(self, *exc):
            db.session.rollback()
            assert snapshot() == self.before
            return False

    return Checker
