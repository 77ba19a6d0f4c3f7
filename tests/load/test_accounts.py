"""The load test's learners log hours only on days their programme counts, as a real learner's entries would be."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from app.services import enrolments, hours
from bench.load_accounts import days_that_count, learners_who_can_log
from tests.factories import LeadFactory, LearnerFactory, OrganisationFactory
from tests.stages import at_stage

TODAY = date(2026, 12, 2)
APPRENTICESHIP = "healthcare-works-apprenticeship"


@pytest.fixture
def enrolled(ctx, time_machine):
    time_machine.move_to(datetime(2026, 12, 2, 9, tzinfo=UTC), tick=False)
    lead = LeadFactory(organisation=OrganisationFactory())

    def enrol(pathway_key: str, start: date, *stages: tuple[str, date]):
        learner = LearnerFactory(organisation=lead.organisation)
        enrolment = enrolments.enrol(lead, learner_id=learner.id, pathway_key=pathway_key, start_date=start)
        for stage, on in stages:
            at_stage(enrolment, stage, on)
        return enrolment

    return enrol


def test_a_preceptee_logs_a_day_of_the_last_four_weeks_since_starting(enrolled):
    assert days_that_count(enrolled("preceptorship", TODAY - timedelta(days=10)), TODAY) == (
        TODAY - timedelta(days=10), TODAY)  # fmt: skip
    assert days_that_count(enrolled("preceptorship", date(2026, 3, 1)), TODAY) == (TODAY - timedelta(days=27), TODAY)


def test_before_the_apprenticeship_begins_no_day_counts(enrolled):
    enrolment = enrolled(APPRENTICESHIP, date(2026, 6, 1), ("hw_course", date(2026, 6, 1)))
    assert days_that_count(enrolment, TODAY) is None


def test_an_apprentice_logs_days_from_the_apprenticeship_s_start(enrolled):
    began = TODAY - timedelta(days=10)
    enrolment = enrolled(APPRENTICESHIP, date(2026, 6, 1), ("hw_course", date(2026, 6, 1)), ("apprenticeship", began))
    assert days_that_count(enrolment, TODAY) == (began, TODAY)


def test_at_the_gateway_only_days_before_it_count(enrolled):
    recent, long_ago = TODAY - timedelta(days=5), TODAY - timedelta(days=40)
    just_there = enrolled(APPRENTICESHIP, date(2025, 6, 1), ("apprenticeship", date(2025, 6, 1)), ("gateway", recent))
    assert days_that_count(just_there, TODAY) == (TODAY - timedelta(days=27), recent - timedelta(days=1))
    there_a_while = enrolled(APPRENTICESHIP, date(2025, 6, 1), ("apprenticeship", date(2025, 6, 1)),
                             ("gateway", long_ago))  # fmt: skip
    assert days_that_count(there_a_while, TODAY) is None


def test_every_day_offered_is_one_the_service_accepts(enrolled):
    gateway = enrolled(APPRENTICESHIP, date(2025, 6, 1), ("apprenticeship", date(2025, 6, 1)),
                       ("gateway", TODAY - timedelta(days=5)))  # fmt: skip
    course = enrolled(APPRENTICESHIP, date(2026, 6, 1), ("hw_course", date(2026, 6, 1)))
    chosen = learners_who_can_log([(e.learner.email, e.id) for e in (course, gateway)], wanted=5)
    assert [c["enrolment"] for c in chosen] == [gateway.id]
    first, last = date.fromisoformat(chosen[0]["from"]), date.fromisoformat(chosen[0]["to"])
    for day in (first, last):
        hours.log_hours(gateway.learner, gateway.id, worked_on=day, hours="0.5", activity_type="study")
