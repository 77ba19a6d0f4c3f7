"""The caseload and a cohort's page keep the engine's verdicts between requests: never one staler than the facts.

Each test reads a list (which keeps its verdicts), makes one write through its service, reads the list
again and compares what it shows with the engine run afresh on the facts as they now are.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta

import pytest
from sqlalchemy import event, select
from sqlalchemy.sql.visitors import iterate

from app.extensions import db
from app.models import Enrolment
from app.services import (
    caseload_pages,
    enrolments,
    hours,
    lead_pages,
    national_records,
    pages,
    people,
    reviews,
    signoffs,
    transitions,
)
from app.services.clock import today
from app.services.fact_rows import _statement
from app.services.fact_versions import WATCHED
from app.services.facts import assess_one
from app.services.settings_changes import set_settings
from tests.factories import LearnerFactory, UserFactory


def shown(world, enrolment_id: int, as_of: date | None = None):
    """The enrolment's row on its preceptor's caseload (every enrolment here is on world.preceptor's)."""
    rows = {row.assessed.enrolment.id: row for row in caseload_pages.caseload_rows(world.preceptor, as_of=as_of)}
    return rows[enrolment_id]


def assert_fresh(world, enrolment_id: int, as_of: date | None = None) -> None:
    row = shown(world, enrolment_id, as_of)
    fresh = assess_one(db.session.get(Enrolment, enrolment_id), as_of or today())
    assert row.assessed.facts == fresh.facts
    assert row.assessed.evaluation.status == fresh.evaluation.status
    assert row.pending == caseload_pages.pending_counts([enrolment_id]).get(enrolment_id, 0)


def first_competency(world, enrolment_id: int) -> str:
    item = pages.enrolment_page(world.lead, enrolment_id)
    return pages.competencies(item)[0].rows[0].key


def support_worker(world) -> Enrolment:
    learner = LearnerFactory(organisation=world.lead.organisation, profession="healthcare_support_worker")
    return enrolments.enrol(
        world.lead,
        learner_id=learner.id,
        pathway_key="wecare-support-worker",
        start_date=today() - timedelta(days=40),
        preceptor_id=world.preceptor.id,
    )


def _log_hours(world, e):
    hours.log_hours(e.learner, e.id, worked_on=today(), hours="7.5", activity_type="study", learning="x")


def _request_sign_off(world, e):
    signoffs.act(e.learner, e.id, first_competency(world, e.id), "request", text="Evidence")


def _sign_off(world, e):
    key = first_competency(world, e.id)
    signoffs.act(e.learner, e.id, key, "request", text="Evidence")
    shown(world, e.id)
    signoffs.act(world.preceptor, e.id, key, "sign")


def _review_and_confirm(world, e):
    slot = assess_one(e, today()).evaluation.review_slots[0].key
    review = reviews.record_review(world.preceptor, e.id, slot=slot, held_on=today(), outcome="on_track")
    shown(world, e.id)
    reviews.confirm_review(e.learner, review.id)


def _hold(world, e):
    transitions.transition(world.lead, e.id, "hold", reason="Sickness absence")


def _profession(world, e):
    people.update(world.lead, e.learner_id, {"profession": "registered_nurse"})


def _prior_care_certificate(world, e):
    national_records.record_prior_care_certificate(
        world.lead, e.learner_id, completed_on=today() - timedelta(days=400), evidence="CC-2025-0042"
    )


def _other_enrolment_signed(world, e):
    """A sign-off on another of the learner's enrolments (the Care Certificate may be completed on any)."""
    other = enrolments.enrol(
        world.lead,
        learner_id=e.learner_id,
        pathway_key="care-development-placement",
        start_date=today() - timedelta(days=10),
        preceptor_id=world.preceptor.id,
    )
    shown(world, e.id)
    signoffs.act(e.learner, other.id, first_competency(world, other.id), "request", text="Evidence")


WRITES: dict[str, Callable] = {
    "hours logged": _log_hours,
    "sign-off requested": _request_sign_off,
    "sign-off signed": _sign_off,
    "review recorded, then confirmed": _review_and_confirm,
    "put on hold": _hold,
    "profession changed": _profession,
    "prior Care Certificate recorded": _prior_care_certificate,
    "another enrolment of the learner": _other_enrolment_signed,
}


@pytest.mark.parametrize("write", WRITES)
def test_a_write_to_the_facts_is_shown_at_once(world, write):
    enrolment = support_worker(world)
    shown(world, enrolment.id)  # kept
    WRITES[write](world, enrolment)
    assert_fresh(world, enrolment.id)


def test_the_caseload_shows_a_new_request_for_sign_off(world):
    assert shown(world, world.enrolment.id).pending == 0
    _request_sign_off(world, db.session.get(Enrolment, world.enrolment.id))
    assert shown(world, world.enrolment.id).pending == 1


def test_settings_changed_for_an_enrolment_not_yet_started(world):
    admin = UserFactory(role="admin", organisation=world.lead.organisation)
    learner = LearnerFactory(organisation=world.lead.organisation)
    later = enrolments.enrol(
        world.lead,
        learner_id=learner.id,
        pathway_key="preceptorship",
        start_date=date(2027, 1, 1),
        preceptor_id=world.preceptor.id,
    )
    before = shown(world, later.id).assessed.facts.settings
    set_settings(
        admin,
        admin.organisation_id,
        "preceptorship",
        effective_from=date(2027, 1, 1),
        values={"standard": "core", "duration_months": 6},
    )
    assert shown(world, later.id).assessed.facts.settings != before
    assert_fresh(world, later.id)


def test_a_new_day_is_evaluated_on_that_day(world):
    """A review falling due or a deadline passing changes the status with no write at all."""
    start = world.enrolment.start_date
    days = [start + timedelta(days=n) for n in (1, 100, 400)]
    statuses = []
    for day in days:
        assert_fresh(world, world.enrolment.id, day)
        statuses.append(shown(world, world.enrolment.id, day).assessed.evaluation.status.rag)
    assert len(set(statuses)) > 1, statuses


def test_a_cohort_page_keeps_its_verdicts_until_a_write(world):
    statements: list[str] = []

    def record(conn, cursor, statement, *args) -> None:  # noqa: ARG001
        statements.append(statement)

    def read() -> int:
        statements.clear()
        event.listen(db.engine, "before_cursor_execute", record)
        try:
            lead_pages.cohort_page(world.lead, world.cohort.id)
        finally:
            event.remove(db.engine, "before_cursor_execute", record)
        return len(statements)

    cold = read()
    assert read() < cold  # the facts not read again
    _log_hours(world, db.session.get(Enrolment, world.enrolment.id))
    assert read() == cold
    page = lead_pages.cohort_page(world.lead, world.cohort.id)
    fresh = assess_one(db.session.get(Enrolment, world.enrolment.id), today())
    assert [v.facts for v in page.learners] == [fresh.facts]


@pytest.mark.parametrize("dialect", ["sqlite", "postgresql"])
def test_every_table_the_facts_read_is_watched(dialect):
    """A fact table the hook does not watch would leave kept verdicts stale after a write to it."""
    read = {table.name for table in _tables(_statement(dialect))}
    watched = {model.__table__.name for model in WATCHED}
    not_facts = {"competencies", "pathway_versions"}  # written once, with their programme version, never changed
    assert read - watched - not_facts == set()


def _tables(statement) -> set:
    return {node for node in iterate(statement) if getattr(node, "__visit_name__", "") == "table"}


def test_a_write_raises_the_version_in_its_own_transaction(world):
    before = db.session.scalar(select(Enrolment.facts_version).where(Enrolment.id == world.enrolment.id))
    _hold(world, db.session.get(Enrolment, world.enrolment.id))
    after = db.session.scalar(select(Enrolment.facts_version).where(Enrolment.id == world.enrolment.id))
    assert after > before
