"""A support worker moves trusts and keeps their Care Certificate: a signed transfer file, and tampering refused."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from sqlalchemy import select

from app.extensions import db
from app.models import ImportedProgramme
from app.services import signoffs, transfers
from app.services.clock import today
from app.services.errors import ValidationFailed
from tests.factories import LeadFactory, LearnerFactory, OrganisationFactory
from tests.portfolio.test_records_pdf import complete


@pytest.fixture
def moved(world):
    """The learner's preceptorship completed with one sign-off; the same person now works at another trust."""
    signoffs.act(world.preceptor, world.enrolment.id, "alert_course", "sign")
    complete(world, today() - timedelta(days=2))
    elsewhere = OrganisationFactory(name="Eastbrook Community NHS Trust")
    lead = LeadFactory(organisation=elsewhere)
    arrival = LearnerFactory(organisation=elsewhere, email="siobhan.new@eastbrook.test")
    return lead, arrival


def exported(world) -> bytes:
    return json.dumps(transfers.export(world.lead, world.learner.id)).encode()


def test_round_trip_between_two_organisations(world, moved):
    lead, arrival = moved
    data = exported(world)
    document = json.loads(data)
    assert document["issuer"]["organisation"] == world.enrolment.learner.organisation.slug
    assert document["signature"]["alg"] == "HMAC-SHA256"
    (programme,) = document["programmes"]
    assert programme["pathway"] == "preceptorship" and programme["completed_on"] == str(today() - timedelta(days=2))
    assert [s["competency"] for s in programme["sign_offs"]] == ["alert_course"]
    rows = transfers.import_file(lead, arrival.id, data)
    (kept,) = db.session.scalars(select(ImportedProgramme)).all()
    assert rows[0].id == kept.id and kept.learner_id == arrival.id and kept.title == "Preceptorship"
    assert json.loads(kept.sign_offs)[0]["signed_by"] == world.preceptor.full_name


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        (lambda d: d["programmes"][0].update(completed_on="2020-01-01"), "changed since it was signed"),
        (lambda d: d["person"].update(name="Someone Else"), "changed since it was signed"),
        (lambda d: d["issuer"].update(organisation="no-such-trust"), r"does not know \(no-such-trust\)"),
        (lambda d: d["signature"].update(key_id="0000000000000000"), "was not signed with"),
        (lambda d: d.pop("signature"), "not signed"),
        (lambda d: d.update(format="other"), "not a Waymark transfer file"),
    ],
)
def test_a_tampered_or_unknown_file_is_refused_with_the_reason(world, moved, nothing_written, change, reason):
    lead, arrival = moved
    document = json.loads(exported(world))
    change(document)
    with nothing_written(), pytest.raises(ValidationFailed, match=reason):
        transfers.import_file(lead, arrival.id, json.dumps(document).encode())


def test_the_same_file_twice_and_ones_own_file_are_refused(world, moved):
    lead, arrival = moved
    data = exported(world)
    transfers.import_file(lead, arrival.id, data)
    with pytest.raises(Exception, match="already been imported"):
        transfers.import_file(lead, arrival.id, data)
    with pytest.raises(ValidationFailed, match="your own organisation"):
        transfers.import_file(world.lead, world.other_learner.id, data)
