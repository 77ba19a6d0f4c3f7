"""Assigning a preceptor checks the programme's rules, names each failing one, and records a lead's override."""

from __future__ import annotations

import json
from datetime import date

import pytest
from sqlalchemy import select

from app.extensions import db
from app.models import AuditEvent, PreceptorAssignment
from app.services import enrolments
from app.services.errors import ValidationFailed
from app.services.preceptor_rules import candidates, preceptors
from tests.factories import LearnerFactory, PreceptorFactory


@pytest.fixture
def physio(world):
    """A preceptor who meets none of the national rules for a band 5 adult nurse on 25 November 2026."""
    return PreceptorFactory(organisation=world.lead.organisation, first_name="Helen", last_name="Ward",
                            profession="physiotherapy", band="4", registration_date=date(2026, 1, 5),
                            preceptor_training_date=None)  # fmt: skip


def _by_name(*people):
    """As the lead's list orders people: by last name, then first name."""
    return sorted(people, key=lambda p: (p.last_name, p.first_name))


def _untrain(*people):
    for person in people:
        person.preceptor_training_date = None
    db.session.commit()


def test_an_ineligible_preceptor_is_refused_with_every_rule_named(world, physio, frozen_today, nothing_written):
    with nothing_written(), pytest.raises(ValidationFailed) as refused:
        enrolments.assign_preceptor(world.lead, world.enrolment.id, physio.id)
    learner = world.learner.full_name
    assert refused.value.fields["preceptor"] == (
        f"Helen Ward is a physiotherapist and {learner} a registered nurse (adult): not the same profession; "
        f"Helen Ward is on band 4, below {learner}'s band 5; a preceptor is on an equivalent or higher band; "
        "Helen Ward registered on 5 January 2026, less than 12 months before 25 November 2026 "
        "(eligible from 5 January 2027); Helen Ward has no preceptor training recorded "
        f"(eligible now: {', '.join(p.full_name for p in _by_name(world.preceptor, world.other_preceptor))})"
    )


def test_an_override_is_refused_while_an_eligible_preceptor_exists(world, physio, frozen_today, nothing_written):
    with nothing_written(), pytest.raises(ValidationFailed) as refused:
        enrolments.assign_preceptor(world.lead, world.enrolment.id, physio.id, override_reason="No one else on nights")
    names = ", ".join(p.full_name for p in _by_name(world.preceptor, world.other_preceptor))
    assert refused.value.fields == {
        "override_reason": f"An override is only for when no eligible preceptor exists; eligible: {names}"
    }


def test_with_no_eligible_preceptor_a_lead_overrides_with_a_reason_and_it_is_recorded(world, physio, frozen_today):
    _untrain(world.preceptor, world.other_preceptor)
    with pytest.raises(ValidationFailed, match="no eligible preceptor is available, so you may assign them"):
        enrolments.assign_preceptor(world.lead, world.enrolment.id, physio.id)
    reason = "No nurse preceptor on nights until January; physiotherapist supports with ward manager oversight"
    assignment = enrolments.assign_preceptor(world.lead, world.enrolment.id, physio.id, override_reason=reason)
    stored = db.session.get(PreceptorAssignment, assignment.id)
    assert stored.override_reason == reason and len(stored.overridden) == 4
    assert stored.overridden[-1] == "Helen Ward has no preceptor training recorded"
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "preceptor.assigned").order_by(
        AuditEvent.id.desc()))  # fmt: skip
    detail = json.loads(event.detail)
    assert detail["override_reason"] == reason and detail["overridden_rules"] == stored.overridden


@pytest.mark.parametrize(("registered", "eligible"), [(date(2025, 11, 26), False), (date(2025, 11, 25), True)])
def test_12_months_since_registration_on_the_day_of_assignment(world, frozen_today, registered, eligible):
    newly = PreceptorFactory(organisation=world.lead.organisation, registration_date=registered,
                             preceptor_training_date=date(2026, 6, 1))  # fmt: skip
    if eligible:
        assert enrolments.assign_preceptor(world.lead, world.enrolment.id, newly.id).preceptor_id == newly.id
    else:
        with pytest.raises(ValidationFailed, match="less than 12 months before 25 November 2026"):
            enrolments.assign_preceptor(world.lead, world.enrolment.id, newly.id)


def test_a_support_worker_programme_s_assessor_need_not_be_registered(world, frozen_today):
    assessor = PreceptorFactory(organisation=world.lead.organisation, profession="assistant_practitioner", band="4",
                                registration_date=None, preceptor_training_date=None)  # fmt: skip
    assignment = enrolments.assign_preceptor(world.lead, world.other_enrolment.id, assessor.id)
    assert assignment.override_reason == ""


def test_enrolling_with_an_ineligible_preceptor_is_refused_on_the_start_date(world, physio, nothing_written):
    learner = LearnerFactory(organisation=world.lead.organisation)
    with nothing_written(), pytest.raises(ValidationFailed, match="less than 12 months before 1 September 2026"):
        enrolments.enrol(world.lead, learner_id=learner.id, pathway_key="preceptorship",
                         start_date=date(2026, 9, 1), preceptor_id=physio.id)  # fmt: skip


def test_the_lead_s_list_shows_each_preceptor_s_caseload_and_eligibility_eligible_first(world, physio, frozen_today):
    rows = candidates(preceptors(world.lead.organisation_id), world.learner, "preceptorship", date(2026, 11, 25))
    eligible = [(p.id, 1, True) for p in _by_name(world.preceptor, world.other_preceptor)]
    assert [(row.user.id, row.held, row.eligible) for row in rows] == [*eligible, (physio.id, 0, False)]
    assert len(rows[-1].problems) == 4
