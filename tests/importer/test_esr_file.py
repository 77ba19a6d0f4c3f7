"""A realistic ESR-style starters file: professions in ESR wording, dates of birth, contracted hours.

Every learner lands on the right route of their programme, with the vocabulary key stored; a row the
rules refuse names its field.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import select

from app.extensions import db
from app.models import Enrolment, PreceptorAssignment, User
from app.services import importer
from app.services.facts import assess_one
from tests.importer.conftest import counts, csv_file, person, staff

ESR_FILE = Path(__file__).parent / "data" / "esr_new_starters.csv"
# employee number -> (stored profession key, the first step open once enrolled)
EXPECTED = {
    "30200101": ("registered_nurse", "supernumerary"),
    "30200102": ("mental_health_nursing", "supernumerary"),
    "30200103": ("nursing_associate", "supernumerary"),
    "30200104": ("midwifery", "supernumerary"),
    "30200105": ("physiotherapy", "in_preceptorship"),
    "30200106": ("occupational_therapy", "in_preceptorship"),
    "30200107": ("podiatry", "in_preceptorship"),
    "30200108": ("radiography", "in_preceptorship"),
    "30200201": ("healthcare_support_worker", "care_certificate"),
    "30200202": ("healthcare_support_worker", "care_certificate"),
    "30200301": ("healthcare_support_worker", "assessment"),
}


def user(number: str) -> User:
    return db.session.scalar(select(User).where(User.employee_number == number))


def test_the_esr_file_puts_every_learner_on_the_right_route(trust):
    plan = importer.run(None, trust.organisation, ESR_FILE.read_bytes())
    assert plan.problems == []
    assert plan.summary()["people_created"] == 18 and plan.summary()["enrolments_created"] == 11
    for number, (key, first_step) in EXPECTED.items():
        learner = user(number)
        assert learner.profession == key, number
        enrolment = db.session.scalar(select(Enrolment).where(Enrolment.learner_id == learner.id))
        evaluation = assess_one(enrolment, date(2026, 11, 25)).evaluation
        step = next(option for option in evaluation.transitions if option.to == first_step)
        wrong_route = [r for r in step.reasons if any(w in r for w in ("rofession", "No named", "Only for", "Not for"))]
        assert wrong_route == [], number
        if enrolment.pathway_key == "preceptorship":  # the route is the only way on, and it is open
            assert [option.to for option in evaluation.transitions if option.allowed] == [first_step], number


def test_the_people_facts_are_stored_as_the_rules_read_them(trust):
    importer.run(None, trust.organisation, ESR_FILE.read_bytes())
    sarah, oliver, jordan, kai = user("20114587"), user("30200108"), user("30200201"), user("30200301")
    assert (sarah.registration_date, sarah.preceptor_training_date) == (date(2012, 9, 1), date(2021, 3, 14))
    assert (oliver.date_of_birth, oliver.leaving_date) == (date(2004, 2, 29), date(2027, 8, 31))
    assert (jordan.contracted_hours_per_week, kai.date_of_birth) == (22.5, date(2008, 1, 9))
    assessor = db.session.scalar(
        select(User)
        .join(PreceptorAssignment, PreceptorAssignment.preceptor_id == User.id)
        .join(Enrolment, Enrolment.id == PreceptorAssignment.enrolment_id)
        .where(Enrolment.learner_id == jordan.id)
    )
    # The Care Certificate's assessor need not be registered: the national preceptor rules are preceptorship's.
    assert assessor.profession == "assistant_practitioner" and assessor.registration_date is None


PRECEPTOR_ROW = staff("P900", role="preceptor", first_name="Helen", last_name="Ward", profession="Physiotherapist",
                      band="Band 6",
                      registration_date="01/09/2015", preceptor_trained_on="01/03/2022")  # fmt: skip
HOURS = (
    "row 2: contracted_hours_per_week: enter the contracted hours a week as a number more than 0 and no more than 48"
)
BAD_ROWS = {
    "unknown profession": (
        person("N1", profession="Ward Clerk", preceptor_employee_number=""),
        "row 2: profession: 'Ward Clerk' is not a known profession (for example: Registered Nurse, "
        "Registered Midwife, Physiotherapist, Occupational Therapist, Healthcare Assistant)",
    ),
    "no hours": (
        person("N1", contracted_hours_per_week="0"),
        HOURS,
    ),
    "too many hours": (
        person("N1", contracted_hours_per_week="375"),
        HOURS,
    ),
    "hours not a number": (
        person("N1", contracted_hours_per_week="NaN"),
        HOURS,
    ),
    "birth in the future": (
        person("N1", date_of_birth="01/01/2027"),
        "row 2: date_of_birth: 1 January 2027 is after today; enter the date it happened",
    ),
    "not a date": (
        person("N1", registration_date="31/02/2026"),
        "row 2: registration_date: '31/02/2026' is not a real date",
    ),
    "training in the future": (
        person("N1", preceptor_trained_on="2027-01-10"),
        "row 2: preceptor_trained_on: 10 January 2027 is after today; enter the date it happened",
    ),
    "leaving date not a date": (
        person("N1", leaving_date="end of March"),
        "row 2: leaving_date: 'end of March' is not a date; write it as YYYY-MM-DD or DD/MM/YYYY",
    ),
    "no employee number, a preceptor named": (
        person("", email="new.starter@nhs.net", preceptor_employee_number="P900"),
        "row 2: employee_number: enter the employee number",
    ),
    "preceptor in another profession": (
        person("N1", profession="Staff Nurse", preceptor_employee_number="P900"),
        "row 2: preceptor_employee_number: Helen Ward is a physiotherapist and Amara Okafor a registered nurse "
        "(field not recorded): not the same profession",
    ),
}


@pytest.mark.parametrize("kind", list(BAD_ROWS))
def test_a_row_the_rules_refuse_names_its_field_and_nothing_is_written(trust, kind):
    row, problem = BAD_ROWS[kind]
    before = counts()
    plan = importer.run(None, trust.organisation, csv_file([row, PRECEPTOR_ROW]))
    assert plan.problems == [problem]
    assert counts() == before


def test_a_preceptor_registered_less_than_12_months_before_the_start_is_refused_a_day_before_and_not_on_the_day(trust):
    newly = staff("P901", role="preceptor", first_name="Rhys", last_name="Evans", band="Band 6",
                  registration_date="01/09/2025", preceptor_trained_on="01/03/2026")  # fmt: skip
    early = person("N1", preceptor_employee_number="P901", start_date="31/08/2026", cohort="")
    plan = importer.run(None, trust.organisation, csv_file([early, newly]), dry_run=True)
    assert plan.problems == [
        "row 2: preceptor_employee_number: Rhys Evans registered on 1 September 2025, less than 12 months "
        "before 31 August 2026 (eligible from 1 September 2026)"
    ]
    on_the_day = person("N1", preceptor_employee_number="P901", start_date="01/09/2026", cohort="")
    assert importer.run(None, trust.organisation, csv_file([on_the_day, newly])).problems == []


NURSE = {"profession": "Staff Nurse", "band": "Band 6", "registration_date": "01/09/2015",
         "preceptor_trained_on": "01/03/2022"}  # fmt: skip
PRECEPTOR_CASES = {
    "band 4 for band 5": (
        {**NURSE, "band": "Band 4"},
        {"profession": "Staff Nurse", "band": "Band 5"},
        "row 2: preceptor_employee_number: Grace Obi is on band 4, below Amara Okafor's band 5; "
        "a preceptor is on an equivalent or higher band",
    ),
    "no preceptor training": (
        {**NURSE, "preceptor_trained_on": ""},
        {"profession": "Staff Nurse", "band": "Band 5"},
        "row 2: preceptor_employee_number: Grace Obi has no preceptor training recorded",
    ),
    "midwife for an occupational therapist": (
        {**NURSE, "profession": "Registered Midwife", "band": "Band 7"},
        {"profession": "Occupational Therapist", "band": "Band 5"},
        "row 2: preceptor_employee_number: Grace Obi is a midwife and Amara Okafor an occupational therapist: "
        "not the same profession",
    ),
}


@pytest.mark.parametrize("kind", list(PRECEPTOR_CASES))
def test_a_preceptor_the_national_rules_refuse_is_named_with_the_rule(trust, kind):
    preceptor, learner, problem = PRECEPTOR_CASES[kind]
    row = person("N1", preceptor_employee_number="P902", **learner)
    grace = staff("P902", role="preceptor", first_name="Grace", last_name="Obi", **preceptor)
    before = counts()
    plan = importer.run(None, trust.organisation, csv_file([row, grace]))
    assert plan.problems == [problem]
    assert counts() == before
