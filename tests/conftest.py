"""Shared fixtures: one app per database backend, cleaned between tests, and a small world of people."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from contextlib import ExitStack
from dataclasses import dataclass
from datetime import UTC, date, datetime

import factory.random
import pytest
import sqlalchemy as sa
from flask import Flask
from flask_migrate import upgrade

from app import create_app
from app.auth import mail
from app.extensions import db
from app.models import AuditEvent, Cohort, Enrolment, User
from app.services import enrolments, kept_verdicts, report_page
from bench.databases import throwaway_postgres
from tests.factories import CohortFactory, LeadFactory, LearnerFactory, OrganisationFactory, PreceptorFactory

TEST_DATABASE_URL = os.environ.get("TEST_DATABASE_URL", "")
BACKENDS = ["sqlite"] + (["postgresql"] if TEST_DATABASE_URL else [])


@pytest.fixture(scope="session", params=BACKENDS)
def app(request, tmp_path_factory) -> Iterator[Flask]:
    """A migrated database per backend, shared by the tests of the session."""
    with ExitStack() as stack:
        if request.param == "postgresql":
            url = stack.enter_context(throwaway_postgres(TEST_DATABASE_URL, "waymark_test"))
        else:
            url = f"sqlite:///{tmp_path_factory.mktemp('db') / 'waymark.db'}"
        yield from _migrated_app(url)


def _migrated_app(url: str) -> Iterator[Flask]:
    """The app on ``url``, migrated with Alembic as production is; its connections closed afterwards."""
    application = create_app(
        {
            "TESTING": True,
            "SQLALCHEMY_DATABASE_URI": url,
            "WTF_CSRF_ENABLED": False,
            "RATELIMIT_ENABLED": False,
            "SERVER_NAME": "waymark.test",
            "BASE_URL": "http://waymark.test",
            "EVIDENCE_DIR": tempfile.mkdtemp(prefix="waymark-evidence-"),
        }
    )
    with application.app_context():
        upgrade()
    yield application
    with application.app_context():
        db.engine.dispose()


@pytest.fixture(autouse=True)
def _same_people_every_run(request) -> None:
    """The factories' made-up names seeded by the test's id: a test meets the same people on every run and
    worker, so a name that happens to match what it looks for fails it every time, not one run in fifty."""
    factory.random.reseed_random(request.node.nodeid)


@pytest.fixture(autouse=True)
def _clean_database(request) -> Iterator[None]:
    """Empty every table after each test that used the database, and forget the report pages built from them."""
    yield
    if "app" not in request.fixturenames:
        return
    resets_done()  # a reset asked for off the request writes its link before the tables are emptied
    report_page.forget_all()  # the next test's rows reuse the ids the page cache is keyed by
    kept_verdicts.forget_all()  # and the kept verdicts: ids, and with the clock frozen creation times too
    application = request.getfixturevalue("app")
    with application.app_context():
        db.session.remove()
        tables = [t.name for t in reversed(db.metadata.sorted_tables)]
        postgresql = db.engine.dialect.name == "postgresql"
        with db.engine.begin() as connection:
            if postgresql and request.node.get_closest_marker("many_rows"):
                # Thousands of rows: DELETE would check each one's foreign keys (seconds); TRUNCATE does not.
                connection.exec_driver_sql(f"TRUNCATE {', '.join(tables)}")
                return
            # DELETE, not TRUNCATE: on the few rows a test writes it is far cheaper on PostgreSQL; and there
            # all in one round trip (a tenth of the time), which SQLite's driver does not allow.
            deletes = [f"DELETE FROM {table}" for table in tables]
            for statement in ["; ".join(deletes)] if postgresql else deletes:
                connection.exec_driver_sql(statement)


def resets_done() -> None:
    """Wait for the "Forgot your password?" requests handed to the reset thread so far (``mail.reset_later``)."""
    mail.QUEUE.submit(lambda: None).result(timeout=60)


@pytest.fixture
def ctx(app) -> Iterator[Flask]:
    """An application context for service-level tests."""
    with app.app_context():
        yield app
        db.session.remove()


@pytest.fixture
def client(app):
    return app.test_client()


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


@pytest.fixture
def frozen_today(time_machine) -> date:
    """Service rules read today's date; pin it so these tests mean the same every day."""
    time_machine.move_to(datetime(2026, 11, 25, 12, tzinfo=UTC), tick=False)
    return date(2026, 11, 25)


@pytest.fixture
def world(ctx) -> World:
    """A trust with a lead, two preceptors and two enrolled learners, and a second trust with its own."""
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


def table_counts() -> dict[str, int]:
    """Rows in every table, audit events apart from refusals (a refused write records only why)."""
    db.session.rollback()
    counts = {t.name: db.session.scalar(sa.select(sa.func.count()).select_from(t)) for t in db.metadata.sorted_tables}
    counts["audit_events"] -= refusal_count()
    return counts


def refusal_count() -> int:
    return db.session.scalar(
        sa.select(sa.func.count()).select_from(AuditEvent).where(AuditEvent.action.like("%.refused"))
    )


@pytest.fixture
def nothing_written():
    """Assert a refused request changed no table and left an audit event saying it was refused."""

    class Checker:
        def __enter__(self):
            self.before, self.refusals = table_counts(), refusal_count()
            return self

        def __exit__(self, *exc):
            if exc[0] is None:
                assert table_counts() == self.before
                assert refusal_count() > self.refusals, "the refusal left no audit event"
            return False

    return Checker


@pytest.fixture
def broken(world, ctx) -> Enrolment:
    """Written directly, as an older release let it be: the services now refuse such a date."""
    enrolment = db.session.get(Enrolment, world.other_enrolment.id)
    enrolment.start_date = enrolment.stage_entered_on = date(9999, 12, 31)
    db.session.commit()
    return enrolment
