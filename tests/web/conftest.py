"""A small trust for the web tests: a lead, two preceptors with a learner each, and another organisation."""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import timedelta

import pytest
from flask import Flask, g, has_app_context
from flask.testing import FlaskClient
from markupsafe import escape
from sqlalchemy import func, select

from app import create_app
from app.extensions import db, limiter
from app.models import AuditEvent, Cohort, Enrolment, User
from app.services import enrolments
from app.services.clock import today
from tests.factories import PASSWORD, CohortFactory, LeadFactory, LearnerFactory, OrganisationFactory, PreceptorFactory


@dataclass
class World:
    lead: User
    preceptor: User
    learner: User
    enrolment: Enrolment
    cohort: Cohort
    other_preceptor: User
    other_learner: User
    other_enrolment: Enrolment
    foreign_lead: User
    foreign_learner: User
    foreign_enrolment: Enrolment


@pytest.fixture
def world(ctx) -> World:
    """Preceptorship learners who started 100 days ago, each with their own preceptor."""
    org, elsewhere = OrganisationFactory(), OrganisationFactory()
    lead = LeadFactory(organisation=org)
    preceptor, other_preceptor = PreceptorFactory(organisation=org), PreceptorFactory(organisation=org)
    learner, other_learner = LearnerFactory(organisation=org), LearnerFactory(organisation=org)
    cohort = CohortFactory(organisation=org, start_date=today() - timedelta(days=100))
    start = today() - timedelta(days=100)

    def enrol(by: User, who: User, precept: User, in_cohort: Cohort | None) -> Enrolment:
        return enrolments.enrol(
            by,
            learner_id=who.id,
            pathway_key="preceptorship",
            start_date=start,
            cohort_id=in_cohort.id if in_cohort else None,
            preceptor_id=precept.id,
        )

    foreign_lead = LeadFactory(organisation=elsewhere)
    foreign_learner = LearnerFactory(organisation=elsewhere)
    foreign_preceptor = PreceptorFactory(organisation=elsewhere)
    return World(
        lead,
        preceptor,
        learner,
        enrol(lead, learner, preceptor, cohort),
        cohort,
        other_preceptor,
        other_learner,
        enrol(lead, other_learner, other_preceptor, cohort),
        foreign_lead,
        foreign_learner,
        enrol(foreign_lead, foreign_learner, foreign_preceptor, None),
    )


class FreshClient(FlaskClient):
    """A test client whose requests do not see the signed-in user another client left in ``g``.

    The tests keep an app context open (``ctx``), which Flask reuses for requests, and Flask-Login
    caches the current user on ``g``; each request here starts without that cache, as in production.
    """

    def open(self, *args, **kwargs):
        if has_app_context():
            g.pop("_login_user", None)
        return super().open(*args, **kwargs)


def sign_in(client: FlaskClient, user: User) -> FlaskClient:
    response = client.post("/login", data={"email": user.email, "password": PASSWORD})
    assert response.status_code == 302, response.get_data(as_text=True)
    return client


def signed_in(app: Flask, user: User) -> FlaskClient:
    """A client whose session is what a real sign-in leaves, without the cost of an Argon2 check.

    The sign-in form itself is tested in test_security.py.
    """
    client = FreshClient(app, app.response_class, use_cookies=True)
    now = int(time.time())
    with client.session_transaction() as session:
        session.update(_user_id=user.get_id(), _fresh=True, started_at=now, seen_at=now, fresh_at=now)
    return client


@pytest.fixture
def as_user(app) -> Iterator:
    """``as_user(user)`` gives a signed-in test client of its own."""

    def make(user: User) -> FlaskClient:
        return signed_in(app, user)

    yield make


def shown(user: User) -> str:
    """A person's name as the page writes it (O'Brien is O&#39;Brien in the HTML)."""
    return str(escape(user.full_name))


def count(model, *where) -> int:
    return db.session.scalar(select(func.count()).select_from(model).where(*where))


def audit_actions(enrolment_id: int) -> list[str]:
    db.session.expire_all()
    return list(db.session.scalars(select(AuditEvent.action).where(AuditEvent.enrolment_id == enrolment_id)))


def date_fields(name: str, when) -> dict[str, str]:
    return {f"{name}[day]": str(when.day), f"{name}[month]": str(when.month), f"{name}[year]": str(when.year)}


def assert_error(html: str, field: str, message: str, anchor: str | None = None) -> None:
    """The message is in the NHS error summary, linked to the field, and shown next to the field."""
    text = str(escape(message))
    summary = re.search(r'class="nhsuk-error-summary.*?</ul>', html, re.S)
    assert summary, "no error summary on the page"
    assert f'href="#{anchor or field}"' in summary.group(0) and text in summary.group(0), summary.group(0)
    beside = html.find(f'id="{field}-error"')
    assert beside >= 0 and text in html[beside : beside + 400], f"no message next to {field}"


def second_app(app: Flask, **config) -> Flask:
    """Another app on the same database, for settings the shared test app has off (CSRF, limits, HTTPS)."""
    base = {
        "TESTING": True,
        "SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"],
        "SERVER_NAME": "waymark.test",
        "WTF_CSRF_ENABLED": False,
        "RATELIMIT_ENABLED": False,
    }
    return create_app({**base, **config})


@pytest.fixture
def limited_app(app) -> Iterator[Flask]:
    """Login limits on, small numbers; the shared limiter is switched back off afterwards."""
    throttled = second_app(
        app,
        RATELIMIT_ENABLED=True,
        LOGIN_LIMIT_PER_ACCOUNT="3 per 15 minutes",
        LOGIN_LIMIT_PER_ADDRESS="6 per 15 minutes",
    )
    try:
        yield throttled
    finally:
        limiter.reset()
        limiter.enabled = False
