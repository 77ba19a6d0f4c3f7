"""Retention: failed sign-ins forgotten after a set number of days, people anonymised after their period."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import select

from app.extensions import db
from app.models import (
    AuditEvent,
    Enrolment,
    EvidenceFile,
    Notification,
    OutboxMessage,
    Reflection,
    RetentionPolicy,
    SignOffEvent,
    TransitionEvent,
    User,
)
from app.services import (
    accounts,
    anonymise,
    evidence,
    notices,
    people,
    reflections,
    reports,
    retention,
    search,
    signoffs,
    tokens,
    transitions,
)
from app.services.clock import today
from app.services.errors import NotFound, PermissionDenied, ValidationFailed
from app.services.evidence_store import evidence_store
from reminders.housekeeping import anonymise_job, forget_failed_sign_ins_job
from reports.frames import Filters
from tests.factories import PASSWORD, AdminFactory
from tests.portfolio.conftest import PDF
from tests.web.conftest import count

SIX_YEARS_AGO = date(2020, 6, 15)


def leaves(person: User, on: date) -> User:
    person.leaving_date = on
    db.session.commit()
    return person


def cohort_numbers(lead: User) -> str:
    return reports.cohort_report(lead, today(), Filters()).views["cohort"].to_json(orient="records", date_format="iso")


@pytest.mark.parametrize(("leaving", "kept_until"), [(date(2020, 6, 15), date(2026, 6, 15)),
                                                      (date(2020, 2, 29), date(2026, 2, 28))])  # fmt: skip
def test_a_person_is_kept_until_the_anniversary_of_leaving(leaving, kept_until):
    assert retention.kept_until(leaving, 6) == kept_until


def test_due_on_the_day_the_period_ends_and_not_the_day_before(world):
    leaves(world.learner, SIX_YEARS_AGO)
    day_of = date(2026, 6, 15)
    assert retention.due(day_of - timedelta(days=1)) == []
    assert anonymise.anonymise_due(day_of - timedelta(days=1)) == []
    assert [item.person.id for item in retention.due(day_of)] == [world.learner.id]
    assert anonymise.anonymise_due(day_of) == [world.learner.id]
    assert retention.due(day_of) == []  # done once


def test_no_leaving_date_means_kept(world):
    assert world.learner.leaving_date is None
    assert anonymise.anonymise_due(date(2100, 1, 1)) == []


def test_anonymising_keeps_the_counts_and_forgets_the_person(app, world):
    learner = world.learner
    old_name, old_email, old_number = learner.full_name, learner.email, learner.employee_number
    token = tokens.issue(learner)
    transitions.transition(world.lead, world.enrolment.id, "hold", reason="Sickness absence")
    accounts.authenticate(old_email, "a wrong password")  # a failed sign-in records the address
    before = cohort_numbers(world.lead)
    leaves(learner, today() - timedelta(days=6 * 366))

    assert anonymise.anonymise_due(today()) == [learner.id]

    db.session.expire_all()
    person = db.session.get_one(User, learner.id)
    assert (person.first_name, person.last_name) == ("Anonymised", f"person {learner.id}")
    assert old_email not in person.email and old_number != person.employee_number
    assert person.date_of_birth is None and person.password_hash is None and not person.is_enabled
    assert accounts.authenticate(old_email, PASSWORD) is None
    assert tokens.authenticate(token) is None
    found = search.search(world.lead, old_name.split()[-1]).people  # others' random names may match too
    assert learner.id not in [match.person.id for match in found]
    assert db.session.get(Enrolment, world.enrolment.id) is not None
    assert count(TransitionEvent, TransitionEvent.enrolment_id == world.enrolment.id) == 2
    assert cohort_numbers(world.lead) == before
    about_them = db.session.scalars(
        select(AuditEvent.detail).where(AuditEvent.object_type == "User", AuditEvent.object_id == learner.id)
    ).all()
    for detail in about_them:
        assert old_email not in detail and old_name not in detail and old_number not in detail
    event = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "user.anonymised")).one()
    assert json.loads(event.detail) == {"years_after_leaving": 6}


def test_the_page_for_an_anonymised_person_shows_no_name(app, world, as_user):
    old_name = world.learner.full_name
    leaves(world.learner, SIX_YEARS_AGO)
    anonymise.anonymise_due(today())
    page = as_user(world.lead).get(f"/admin/users/{world.learner.id}").get_data(as_text=True)
    assert f"Anonymised person {world.learner.id}" in page and old_name not in page


def test_an_organisations_own_period_is_used_and_audited(world):
    admin = AdminFactory(organisation=world.lead.organisation)
    leaves(world.learner, date(2024, 1, 10))
    assert retention.due(date(2026, 1, 10)) == []
    retention.set_period(admin, "2")
    assert db.session.get_one(RetentionPolicy, admin.organisation_id).years_after_leaving == 2
    assert [item.person.id for item in retention.due(date(2026, 1, 10))] == [world.learner.id]
    assert retention.due(date(2026, 1, 9)) == []
    event = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "retention.period_set")).one()
    assert json.loads(event.detail) == {"changes": {"from": 6, "to": 2}}
    assert retention.years_for(world.foreign_lead.organisation_id) == 6  # another organisation keeps its own


@pytest.mark.parametrize("years", ["", "abc", "0", "2.5", "101", "-3"])
def test_a_period_that_is_not_a_whole_number_of_years_is_refused(world, years):
    admin = AdminFactory(organisation=world.lead.organisation)
    with pytest.raises(ValidationFailed) as refused:
        retention.set_period(admin, years)
    assert "whole number from 1 to 100" in refused.value.fields["years"]
    assert count(RetentionPolicy) == 0


def test_only_an_administrator_sets_the_period(world):
    with pytest.raises(PermissionDenied):
        retention.set_period(world.lead, "3")
    assert count(RetentionPolicy) == 0
    assert count(AuditEvent, AuditEvent.action == "retention.set_period.refused") == 1


def test_failed_sign_ins_are_deleted_after_the_set_number_of_days(app, world, time_machine):
    now = datetime(2026, 11, 1, 9, tzinfo=UTC)
    for age in (31, 30, 29):
        time_machine.move_to(now - timedelta(days=age), tick=False)
        accounts.authenticate(f"typo{age}@nhs.test", "wrong")
    time_machine.move_to(now + timedelta(seconds=1), tick=False)
    forget_failed_sign_ins_job()
    left = db.session.scalars(select(AuditEvent.detail).where(AuditEvent.action == "auth.login_failed")).all()
    assert sorted(json.loads(detail)["email"] for detail in left) == ["typo29@nhs.test"]
    assert count(AuditEvent, AuditEvent.action == "retention.failed_sign_ins_deleted") == 1


def test_the_scheduled_job_anonymises_who_is_due(app, world):
    leaves(world.learner, SIX_YEARS_AGO)
    anonymise_job()
    db.session.expire_all()
    assert db.session.get_one(User, world.learner.id).anonymised_at is not None


def test_the_dry_run_lists_who_would_be_anonymised_and_changes_nothing(app, world):
    leaves(world.learner, SIX_YEARS_AGO)
    name = world.learner.full_name
    runner = app.test_cli_runner()
    dry = runner.invoke(args=["people", "anonymise", "--dry-run", "--as-of", "2026-06-15"])
    assert dry.exit_code == 0, dry.output
    assert name in dry.output and "left 2020-06-15\tkept until 2026-06-15 (6 years)" in dry.output
    assert "1 people would be anonymised as of 15 June 2026" in dry.output
    assert count(User, User.anonymised_at.is_not(None)) == 0
    before = runner.invoke(args=["people", "anonymise", "--dry-run", "--as-of", "2026-06-14"])
    assert name not in before.output and "0 people would be anonymised" in before.output
    done = runner.invoke(args=["people", "anonymise", "--as-of", "2026-06-15"])
    assert done.exit_code == 0 and "1 people anonymised" in done.output
    assert count(User, User.anonymised_at.is_not(None)) == 1


def test_a_leaving_date_corrected_before_the_job_keeps_the_person(world):
    leaves(world.learner, SIX_YEARS_AGO)
    people.update(world.lead, world.learner.id, {"leaving_date": None})
    assert anonymise.anonymise(None, world.learner.id, date(2026, 6, 15)) is None
    assert db.session.get_one(User, world.learner.id).anonymised_at is None


def test_their_reflections_evidence_and_the_messages_naming_them_go_too(app, world):
    learner, day = world.learner, today() - timedelta(days=5)
    old_name = learner.full_name
    reflections.write_reflection(learner, world.enrolment.id, written_on=day, what_happened="A fall on bay 4",
                                 what_learned="Lying and standing blood pressure", how_changed="I check it now",
                                 code_themes=["preserve_safety"])  # fmt: skip
    request = signoffs.act(learner, world.enrolment.id, "leadership", "request", text="Led the safety huddle")
    notices.notify(world.preceptor, kind="signoff_waiting", key="1", enrolment_id=world.enrolment.id,
                   title=f"{old_name} is waiting for a sign-off", lines=[f"{old_name} asked"], path="/")  # fmt: skip
    db.session.commit()
    (file,) = evidence.attach(learner, world.enrolment.id, attached_to="signoff", attached_id=request.id,
                              uploads=[evidence.Upload(f"{old_name} certificate.pdf", PDF)])  # fmt: skip
    signoffs.act(world.preceptor, world.enrolment.id, "leadership", "return", text="Add a reflection")  # tells them
    store, key = evidence_store(), file.storage_key
    with store.open(key) as stored:
        assert stored.read() == PDF
    leaves(learner, SIX_YEARS_AGO)

    anonymise.anonymise_due(today())

    db.session.expire_all()
    reflection = db.session.scalars(select(Reflection)).one()
    assert reflection.what_happened == anonymise.REMOVED and reflection.written_on == day  # the row stays
    kept = db.session.get_one(EvidenceFile, file.id)
    assert kept.removed_at is not None and old_name not in kept.file_name
    with pytest.raises(NotFound):  # the bytes are gone from the store
        store.open(key)
    told = db.session.scalars(select(OutboxMessage)).all()
    assert {m.recipient_id for m in told} == {learner.id, world.preceptor.id}
    assert not any(old_name in m.subject + m.body_text + m.body_html for m in told)
    assert not any(f"Dear {learner.first_name}," in m.body_text for m in told if m.recipient_id == learner.id)
    shown = db.session.scalars(select(Notification)).all()
    assert len(shown) == 2 and not any(old_name in n.title + n.body for n in shown)
    assert count(SignOffEvent, SignOffEvent.enrolment_id == world.enrolment.id) == 2
