"""A lead's import meets the rules a lead meets on the pages: who may be changed, who may be enrolled."""

from __future__ import annotations

from datetime import date

import pytest

from app.extensions import db
from app.services import importer, national_records
from tests.conftest import refusal_count
from tests.factories import LearnerFactory, UserFactory
from tests.importer.conftest import counts, csv_file, person, staff


@pytest.fixture
def admin(trust):
    admin = UserFactory(
        organisation=trust.organisation, role="admin", employee_number="A001", email="admin@northgate.example"
    )
    db.session.commit()
    return admin


def test_a_leads_import_cannot_change_an_administrators_email(trust, admin):
    before = counts()
    row = staff("A001", role="", first_name="Ada", last_name="Admin", email="attacker@example.com")
    plan = importer.run(trust.lead, trust.organisation, csv_file([row]))
    assert plan.problems == ["row 2: employee_number: only an administrator can change the details of an administrator"]
    assert counts() == before
    db.session.refresh(admin)
    assert admin.email == "admin@northgate.example"


def test_a_leads_import_cannot_promote_a_preceptor_to_lead(trust):
    before = counts()
    row = staff("P001", role="lead", first_name="Sarah", last_name="Mitchell", email="sarah.mitchell@nhs.net")
    plan = importer.run(trust.lead, trust.organisation, csv_file([row]))
    assert plan.problems == ["row 2: role: only an administrator can make someone an administrator or a programme lead"]
    assert counts() == before


def test_an_administrators_import_may_promote_a_preceptor_to_lead(trust, admin):
    row = staff("P001", role="lead", first_name="Sarah", last_name="Mitchell", email="sarah.mitchell@nhs.net")
    plan = importer.run(admin, trust.organisation, csv_file([row]))
    assert plan.problems == []
    db.session.refresh(trust.preceptor)
    assert trust.preceptor.role == "lead"


def test_an_import_cannot_enrol_a_preceptor_on_a_programme(trust):
    before = counts()
    plan = importer.run(trust.lead, trust.organisation, csv_file([person("N1", role="preceptor")]))
    assert plan.problems == [
        "row 2: role: N1 is a preceptor, not a learner; only learners can be enrolled on a programme"
    ]
    assert counts() == before


@pytest.mark.parametrize("name", ["Amara\nOkafor", "Ama\rra", "Amara\x1b[31m"])
def test_an_import_refuses_names_with_line_breaks_or_control_characters(trust, name):
    before = counts()
    plan = importer.run(trust.lead, trust.organisation, csv_file([person("N1", first_name=name)]))
    assert plan.problems == ["row 2: first_name: remove the line breaks and control characters"]
    assert counts() == before


@pytest.mark.parametrize("start", ["9999-12-31", "01/01/1900"])
def test_an_import_refuses_a_start_date_outside_the_accepted_range(trust, start):
    before = counts()
    plan = importer.run(trust.lead, trust.organisation, csv_file([person("N1", start_date=start, cohort="")]))
    assert len(plan.problems) == 1 and plan.problems[0].startswith("row 2: start_date: the date must be on or ")
    assert counts() == before


def test_a_refused_import_is_audited(trust):
    before = refusal_count()
    importer.run(trust.lead, trust.organisation, csv_file([person("N1", role="preceptor")]))
    assert refusal_count() == before + 1


def hda_row(number: str, **values: str) -> dict[str, str]:
    return person(
        number, profession="Healthcare Assistant", pathway="higher-development-award", cohort="",
        start_date="2026-12-01", preceptor_employee_number="", **values,
    )


def test_an_import_enrols_on_the_higher_development_award_only_those_with_a_care_certificate(trust):
    known = LearnerFactory(organisation=trust.organisation, employee_number="H002", first_name="Joy", last_name="Bell")
    national_records.record_prior_care_certificate(
        trust.lead, known.id, completed_on=date(2025, 3, 1), evidence="Certificate CC-2025-0311"
    )
    db.session.commit()
    before = counts()
    plan = importer.run(trust.lead, trust.organisation, csv_file([hda_row("H001"), hda_row("H002")]))
    assert plan.problems == [
        "row 2: pathway: H001 has not completed the Care Certificate: every standard signed off in Waymark, "
        "or a prior completion recorded on their record with its date and evidence"
    ]
    assert counts() == before
    plan = importer.run(trust.lead, trust.organisation, csv_file([hda_row("H002")]))
    assert plan.problems == [] and len(plan.enrolments) == 1
