"""No query per row, and few: the main pages ask the database the same number of times for 3 or 12 rows,
and at most ``MOST`` times (issue 14: each main page in at most 8 SQL statements)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta

import pytest
from sqlalchemy import event, select

from app.extensions import db
from app.models import Enrolment
from app.services import enrolments, hours, kept_verdicts, national_records, reviews, signoffs
from app.services.clock import today
from app.services.facts import assess_one
from tests.factories import CohortFactory, LeadFactory, LearnerFactory, OrganisationFactory, PreceptorFactory
from tests.web.conftest import signed_in

MOST = 8


@contextmanager
def counting() -> Iterator[list[str]]:
    statements: list[str] = []

    def record(conn, cursor, statement, *args) -> None:  # noqa: ARG001
        statements.append(statement)

    event.listen(db.engine, "before_cursor_execute", record)
    try:
        yield statements
    finally:
        event.remove(db.engine, "before_cursor_execute", record)


def build(rows: int):
    """A preceptor and a cohort with ``rows`` learners, each with logged hours, a waiting sign-off and a
    review held and confirmed."""
    org = OrganisationFactory()
    lead, preceptor = LeadFactory(organisation=org), PreceptorFactory(organisation=org)
    cohort = CohortFactory(
        organisation=org, pathway_key="wecare-support-worker", start_date=today() - timedelta(days=60)
    )
    for _ in range(rows):
        learner = LearnerFactory(organisation=org)
        enrolment = enrolments.enrol(
            lead,
            learner_id=learner.id,
            pathway_key="wecare-support-worker",
            start_date=cohort.start_date,
            cohort_id=cohort.id,
            preceptor_id=preceptor.id,
        )
        hours.log_hours(learner, enrolment.id, worked_on=today(), hours="2", activity_type="study", learning="x")
        signoffs.act(learner, enrolment.id, "cc01", "request", text="Evidence")
        slot = assess_one(enrolment, today()).evaluation.review_slots[0].key
        review = reviews.record_review(preceptor, enrolment.id, slot=slot, held_on=today(), outcome="on_track")
        reviews.confirm_review(learner, review.id)
    return lead, preceptor, cohort


def queries(app, user, url: str, *, first_today: bool = False) -> int:
    client = signed_in(app, user)
    client.get(url)  # warm: the catalogue and first-use caches
    db.session.remove()  # a fresh session, as each production request has: nothing already loaded
    if first_today:  # no verdict kept yet: every learner shown is evaluated
        kept_verdicts.forget_all()
    with counting() as statements:
        response = client.get(url)
    assert response.status_code == 200
    return len(statements)


@pytest.mark.parametrize("screen", ["caseload", "queue", "cohort", "enrolment", "lead enrolment", "learner enrolment"])
def test_query_count_does_not_grow_with_rows(ctx, screen):
    counts = []
    for rows in (3, 12):
        lead, preceptor, cohort = build(rows)
        enrolment = db.session.scalars(select(Enrolment).where(Enrolment.cohort_id == cohort.id)).first()
        user, url = {
            "caseload": (preceptor, "/preceptor/"),
            "queue": (preceptor, "/preceptor/signoffs"),
            "cohort": (lead, f"/lead/cohorts/{cohort.id}"),
            "enrolment": (preceptor, f"/preceptor/enrolments/{enrolment.id}"),
            "lead enrolment": (lead, f"/lead/enrolments/{enrolment.id}"),
            "learner enrolment": (enrolment.learner, f"/learner/enrolments/{enrolment.id}"),
        }[screen]
        counts.append(queries(ctx, user, url))
        counts.append(queries(ctx, user, url, first_today=True))
    warm, first_today = counts[0::2], counts[1::2]  # for 3 learners, then 12
    assert warm[0] == warm[1] and first_today[0] == first_today[1], counts
    assert max(counts) <= MOST, counts


def test_learner_home_query_count_does_not_grow_with_enrolments(ctx):
    counts = []
    for programmes in (["preceptorship"], ["preceptorship", "wecare-support-worker", "higher-development-award"]):
        org = OrganisationFactory()
        lead, learner = LeadFactory(organisation=org), LearnerFactory(organisation=org)
        national_records.record_prior_care_certificate(
            lead, learner.id, completed_on=today() - timedelta(days=400), evidence="CC-2025-0042"
        )
        for key in programmes:
            cohort = CohortFactory(organisation=org, pathway_key=key, start_date=today() - timedelta(days=30))
            enrolments.enrol(
                lead, learner_id=learner.id, pathway_key=key, start_date=cohort.start_date, cohort_id=cohort.id
            )
        counts.append(queries(ctx, learner, "/learner/"))
    assert counts[0] == counts[1], counts
    assert counts[0] <= MOST, counts
