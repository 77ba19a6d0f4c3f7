"""An apprenticeship's review meeting reaches the employer and the training provider, who have no account."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select

from app.extensions import db
from app.models import AuditEvent, Notification, OutboxMessage, ReviewMeeting, ReviewMeetingGuest
from app.services import enrolments, meetings, outbox, review_signatures, reviews, signing_links
from app.services.errors import ValidationFailed
from tests.calendar.conftest import by_recipient, delivered, invitation_of
from tests.factories import AdminFactory, LearnerFactory
from tests.stages import at_stage
from tests.web.conftest import assert_error, date_fields

EMPLOYER, PROVIDER = "sam.okafor@care-home.example", "tutor@college.example"


@pytest.fixture
def apprentice(trust):
    """An apprentice in the trust's web world, into her apprenticeship since 1 December 2025."""
    learner = LearnerFactory(organisation=trust.lead.organisation, date_of_birth=date(1990, 4, 1))
    enrolment = enrolments.enrol(
        trust.lead, learner_id=learner.id, pathway_key="healthcare-works-apprenticeship",
        start_date=date(2025, 10, 1), preceptor_id=trust.preceptor.id,
    )  # fmt: skip
    return at_stage(enrolment, "apprenticeship", date(2025, 12, 1))


def book(trust, enrolment, guests, **changes):
    slot = next(iter(meetings.review_titles(enrolment, open_only=True)))
    fields = {"slot": slot, "day": date(2026, 3, 27), "start": "10:00", "duration": "60", "place": "Ward 7 office"}
    return meetings.schedule(trust.preceptor, enrolment.id, **{**fields, **changes}, guests=guests)


BOTH = {"employer": {"name": "Sam Okafor", "email": EMPLOYER}, "provider": {"name": "", "email": PROVIDER}}


def test_the_employer_and_provider_get_the_invitation_and_every_change(trust, apprentice, mailbox):
    meeting = book(trust, apprentice, BOTH)
    messages = by_recipient(delivered(mailbox))
    assert set(messages) == {apprentice.learner.email, trust.preceptor.email, EMPLOYER, PROVIDER}
    employer = messages[EMPLOYER]
    assert employer["To"].addresses[0].display_name == "Sam Okafor"
    body = employer.get_body(("plain",)).get_content()
    assert body.startswith("Dear Sam Okafor,")
    assert f"with {apprentice.learner.full_name} is on Friday 27 March 2026 at 10:00" in body
    assert f"{trust.preceptor.full_name} at {trust.lead.organisation.name} arranged this meeting" in body
    assert "/calendar" not in body and "sign in" not in body.lower()  # nothing they could open
    assert messages[PROVIDER].get_body(("plain",)).get_content().startswith("Hello,")
    calendar, method = invitation_of(employer)
    (event,) = calendar.walk("VEVENT")
    attendees = {str(a).removeprefix("mailto:"): a.params.get("CN") for a in event.get("ATTENDEE")}
    assert attendees[EMPLOYER] == "Sam Okafor" and attendees[PROVIDER] == "Training provider"
    assert method == "REQUEST" and str(event["UID"]) == meeting.uid
    # Guests have no account, so nothing waits for them in the app: the notices are the two accounts'.
    noticed = db.session.scalars(select(Notification.user_id).where(Notification.kind == "review_meeting")).all()
    assert sorted(noticed) == sorted([apprentice.learner_id, trust.preceptor.id])
    meetings.move(trust.preceptor, meeting.id, day=date(2026, 3, 30), start="14:30", duration="60", place="Ward 7")
    moved = by_recipient(delivered(mailbox))
    assert set(moved) >= {EMPLOYER, PROVIDER}
    assert moved[EMPLOYER]["Subject"].startswith("Moved:")
    (event,) = invitation_of(moved[EMPLOYER])[0].walk("VEVENT")
    assert event["SEQUENCE"] == 1 and event.decoded("DTSTART").strftime("%d %H:%M") == "30 14:30"
    meetings.cancel(trust.preceptor, meeting.id)
    cancelled = by_recipient(delivered(mailbox))
    assert invitation_of(cancelled[PROVIDER])[1] == "CANCEL"


def test_a_bad_guest_address_books_nothing_and_is_audited(trust, apprentice):
    guests = {"employer": {"name": "Sam Okafor", "email": "sam.okafor at care home"}}
    with pytest.raises(ValidationFailed) as refused:
        book(trust, apprentice, guests)
    assert refused.value.fields == {
        "employer_email": "Enter an email address in the correct format, like name@example.com"
    }
    with pytest.raises(ValidationFailed) as refused:
        book(trust, apprentice, {"provider": {"name": "Pat Tutor", "email": ""}})
    assert refused.value.fields == {
        "provider_email": "Enter the training provider's email address, or leave their name empty"
    }
    assert db.session.scalar(select(func.count()).select_from(ReviewMeeting)) == 0
    assert db.session.scalar(select(func.count()).select_from(OutboxMessage)) == 0
    actions = db.session.scalars(select(AuditEvent.action).order_by(AuditEvent.id)).all()
    assert actions[-2:] == ["meeting.schedule.refused", "meeting.schedule.refused"]


def test_a_programme_whose_parties_all_have_accounts_takes_no_guests(trust):
    with pytest.raises(ValidationFailed) as refused:
        book(trust, trust.enrolment, {"employer": {"name": "", "email": EMPLOYER}})
    assert "guests" in refused.value.fields
    assert meetings.guest_parties(trust.enrolment) == ()


def test_the_booking_page_asks_for_the_guests_and_remembers_the_signing_link_address(trust, apprentice, as_user):
    review = reviews.record_review(
        trust.preceptor, apprentice.id, slot="review_1", held_on=date(2026, 2, 20), outcome="on_track",
        notes="Settling in.", agreed_actions="Maths module.",
    )  # fmt: skip
    review_signatures.sign(apprentice.learner, review.id)  # the apprentice first; then the employer's link
    signing_links.issue(trust.preceptor, review.id, email=EMPLOYER)
    client = as_user(trust.preceptor)
    page = f"/enrolments/{apprentice.id}/meetings"
    form = client.get(f"{page}/new").get_data(as_text=True)
    assert "Guests without a Waymark account" in form
    assert f'value="{EMPLOYER}"' in form  # the address the signing link went to
    slot = next(iter(meetings.review_titles(apprentice, open_only=True)))
    data = {
        "slot": slot, **date_fields("day", date(2026, 3, 27)), "start": "10:00", "duration": "60",
        "place": "Ward 7 office", "employer_email": EMPLOYER, "employer_name": "Sam Okafor",
        "provider_email": "not an address", "provider_name": "",
    }  # fmt: skip
    refused = client.post(f"{page}/new", data=data)
    assert refused.status_code == 400
    assert_error(
        refused.get_data(as_text=True),
        "provider_email",
        "Enter an email address in the correct format, like name@example.com",
    )
    assert client.post(f"{page}/new", data={**data, "provider_email": PROVIDER}).status_code == 302
    listed = client.get(page).get_data(as_text=True)
    assert f"Employer: Sam Okafor, {EMPLOYER}" in listed and f"Training provider: {PROVIDER}" in listed
    guests = db.session.scalars(select(ReviewMeetingGuest.email).order_by(ReviewMeetingGuest.id)).all()
    assert guests == [EMPLOYER, PROVIDER]


def test_a_guest_email_that_failed_is_on_the_admins_outbox_page_and_only_theirs(trust, apprentice, as_user):
    book(trust, apprentice, BOTH)
    row = db.session.scalar(select(OutboxMessage).where(OutboxMessage.to_address == EMPLOYER))
    assert row.recipient_id is None
    outbox.mark_failed(row, "550 mailbox unavailable")
    db.session.commit()
    admin = as_user(AdminFactory(organisation=trust.lead.organisation))
    html = admin.get("/admin/outbox").get_data(as_text=True)
    assert "Sam Okafor" in html and EMPLOYER in html and "550 mailbox unavailable" in html
    assert admin.post(f"/admin/outbox/{row.id}/retry").status_code == 302
    db.session.refresh(row)
    assert row.status == "queued"
    foreign = as_user(AdminFactory(organisation=trust.foreign_lead.organisation))
    assert EMPLOYER not in foreign.get("/admin/outbox").get_data(as_text=True)
    assert foreign.post(f"/admin/outbox/{row.id}/retry").status_code == 404
