"""The lead's assignment page: each preceptor's caseload and eligibility, the override and where it shows."""

from __future__ import annotations

from datetime import date

import pytest

from app.extensions import db
from app.services import enrolments, reports
from app.services.clock import today
from reports.frames import Filters
from tests.factories import LearnerFactory, PreceptorFactory
from tests.web.conftest import shown


@pytest.fixture
def physio(world):
    return PreceptorFactory(organisation=world.lead.organisation, first_name="Helen", last_name="Ward",
                            profession="physiotherapy", band="6", registration_date=date(2019, 9, 1),
                            preceptor_training_date=date(2022, 3, 1))  # fmt: skip


def test_the_list_shows_each_preceptor_s_caseload_and_eligibility(world, physio, as_user):
    html = as_user(world.lead).get(f"/lead/enrolments/{world.enrolment.id}/preceptor").get_data(as_text=True)
    assert "2 of 3 preceptors meet the programme's rules for this learner today" in html
    assert f"{shown(world.other_preceptor)} – 1 of 3 learners – eligible" in html
    assert "Helen Ward – 0 of 3 learners – does not meet 1 rule" in html
    assert "Helen Ward is a physiotherapist and " in html
    assert "Physiotherapist, band 6" in html


def test_a_support_worker_programme_names_its_assessor(world, as_user):
    learner = LearnerFactory(organisation=world.lead.organisation, profession="healthcare_support_worker", band="2")
    wecare = enrolments.enrol(world.lead, learner_id=learner.id, pathway_key="wecare-support-worker",
                              start_date=today())  # fmt: skip
    html = as_user(world.lead).get(f"/lead/enrolments/{wecare.id}/preceptor").get_data(as_text=True)
    assert "Assign an assessor</h1>" in html and "Each assessor's caseload and eligibility" in html


def test_an_override_is_recorded_shown_on_the_record_and_counted(world, physio, as_user):
    for nurse in (world.preceptor, world.other_preceptor):
        nurse.preceptor_training_date = None
    db.session.commit()
    lead = as_user(world.lead)
    url = f"/lead/enrolments/{world.enrolment.id}/preceptor"
    refused = lead.post(url, data={"preceptor": physio.id})
    assert refused.status_code == 400
    assert "no eligible preceptor is available, so you may assign them with a reason" in refused.get_data(as_text=True)
    reason = "No nurse preceptor free until January"
    assert lead.post(url, data={"preceptor": physio.id, "override_reason": reason}).status_code == 302
    record = lead.get(f"/lead/enrolments/{world.enrolment.id}").get_data(as_text=True)
    assert "Helen Ward was assigned by override" in record and reason in record
    assert "Helen Ward is a physiotherapist and " in record
    own = as_user(physio).get(f"/preceptor/enrolments/{world.enrolment.id}").get_data(as_text=True)
    assert "Helen Ward was assigned by override" in own and reason in own
    report = reports.cohort_report(world.lead, today(), Filters(organisation=world.lead.organisation.slug))
    assert report.views["cohort"].set_index("cohort").loc[world.cohort.name, "preceptor_overrides"] == 1


def test_the_enrol_form_shows_each_preceptor_s_caseload(world, physio, as_user):
    html = as_user(world.lead).get("/lead/enrol").get_data(as_text=True)
    assert f"{shown(world.preceptor)} – 1 learner<" in html and "Helen Ward – 0 learners<" in html
