"""Subject access export: an administrator downloads one person's whole record, JSON and portfolio PDF, audited."""

from __future__ import annotations

import io
import json
import zipfile
from datetime import timedelta

import pytest
from pypdf import PdfReader
from sqlalchemy import select

from app.extensions import db
from app.models import AuditEvent
from app.services import hours, signoffs, subject_access, tokens, transitions
from app.services.clock import today
from app.services.errors import NotFound, PermissionDenied
from tests.factories import AdminFactory
from tests.web.conftest import count


@pytest.fixture
def admin(world):
    return AdminFactory(organisation=world.lead.organisation)


@pytest.fixture
def busy_record(world):
    """A learner with time logged, a sign-off asked for and returned, a hold and an API token."""
    hours.log_hours(world.learner, world.enrolment.id, worked_on=today() - timedelta(days=3), hours=6,
                    activity_type="study")  # fmt: skip
    signoffs.act(world.learner, world.enrolment.id, "leadership", "request", text="Led the safety huddle")
    signoffs.act(world.preceptor, world.enrolment.id, "leadership", "return", text="Add your reflection")
    transitions.transition(world.lead, world.enrolment.id, "hold", reason="Sickness absence")
    tokens.issue(world.learner, name="my laptop")
    return world


def download(client, person_id: int):
    return client.get(f"/admin/users/{person_id}/subject-access.zip")


def test_the_zip_holds_the_whole_record_and_the_portfolio(busy_record, admin, as_user):
    world = busy_record
    response = download(as_user(admin), world.learner.id)
    assert response.status_code == 200 and response.mimetype == "application/zip"
    assert "no-store" in response.headers["Cache-Control"]
    assert f'filename="subject-access-{world.learner.id}.zip"' in response.headers["Content-Disposition"]
    archive = zipfile.ZipFile(io.BytesIO(response.data))
    assert sorted(archive.namelist()) == [f"portfolio-{world.enrolment.id}.pdf", "record.json"]
    record = json.loads(archive.read("record.json"))
    profile = record["profile"]
    assert (profile["email"], profile["employee_number"]) == (world.learner.email, world.learner.employee_number)
    assert "password_hash" not in profile and "session_version" not in profile
    (enrolment,) = record["enrolments"]
    assert enrolment["pathway"] == "preceptorship" and enrolment["state"] == "on_hold"
    assert [t["action"] for t in enrolment["transitions"]] == ["enrol", "hold"]
    assert [(h["hours"], h["activity_type"]) for h in enrolment["hours"]] == [("6.00", "study")]
    assert [s["action"] for s in enrolment["signoffs"]] == ["requested", "returned"]
    assert [t["name"] for t in record["api_tokens"]] == ["my laptop"] and "token_hash" not in record["api_tokens"][0]
    actions = {event["action"] for event in record["audit_events"]}
    assert {"enrolment.created", "enrolment.hold", "hours.logged", "signoff.requested"} <= actions
    assert any("Add your reflection" in notice["body"] for notice in record["notifications"])
    pdf = PdfReader(io.BytesIO(archive.read(f"portfolio-{world.enrolment.id}.pdf")))
    text = "".join(page.extract_text() for page in pdf.pages)
    assert world.learner.last_name in text and "Preceptorship" in text
    event = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "user.subject_access_exported")).one()
    assert event.actor_id == admin.id and event.object_id == world.learner.id
    assert world.learner.email not in event.detail


def test_someone_with_no_enrolment_gets_the_json_alone(world, admin, as_user):
    archive = zipfile.ZipFile(io.BytesIO(download(as_user(admin), world.lead.id).data))
    assert archive.namelist() == ["record.json"]
    assert json.loads(archive.read("record.json"))["enrolments"] == []


def test_another_organisations_person_is_not_found(world, admin, as_user):
    assert download(as_user(admin), world.foreign_learner.id).status_code == 404
    with pytest.raises(NotFound):
        subject_access.export(admin, world.foreign_learner.id)
    assert count(AuditEvent, AuditEvent.action == "user.subject_access_exported") == 0


def test_a_lead_may_not_export(world, as_user):
    assert download(as_user(world.lead), world.learner.id).status_code == 403
    with pytest.raises(PermissionDenied):
        subject_access.export(world.lead, world.learner.id)
    assert count(AuditEvent, AuditEvent.action == "user.subject_access_export.refused") == 2


def test_the_person_page_offers_the_download_to_admins_only(world, admin, as_user):
    link = f"/admin/users/{world.learner.id}/subject-access.zip"
    assert link in as_user(admin).get(f"/admin/users/{world.learner.id}").get_data(as_text=True)
    assert link not in as_user(world.lead).get(f"/admin/users/{world.learner.id}").get_data(as_text=True)
