"""A three-party apprenticeship review: signed in order, the employer and provider through emailed links."""

from __future__ import annotations

import email
import email.policy
import re
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from app.extensions import db
from app.models import AuditEvent, Notification, Review, ReviewSignature, ReviewSigningLink, TransitionEvent
from app.services import enrolments, review_signatures, reviews, tokens
from app.services.clock import today
from app.services.errors import StateConflict, ValidationFailed
from tests.factories import LeadFactory, LearnerFactory, OrganisationFactory, PreceptorFactory
from tests.web.conftest import FreshClient


@pytest.fixture
def apprenticeship(ctx):
    """An apprentice 200 days in, her workplace preceptor, and a review held five days ago."""
    org = OrganisationFactory()
    lead, preceptor = LeadFactory(organisation=org), PreceptorFactory(organisation=org)
    apprentice, other_preceptor = LearnerFactory(organisation=org), PreceptorFactory(organisation=org)
    start = today() - timedelta(days=200)
    enrolment = enrolments.enrol(
        lead,
        learner_id=apprentice.id,
        pathway_key="healthcare-works-apprenticeship",
        start_date=start,
        preceptor_id=preceptor.id,
    )
    enrolment.stage, enrolment.stage_entered_on = "apprenticeship", start + timedelta(days=30)
    db.session.add(
        TransitionEvent(
            enrolment_id=enrolment.id,
            action="advance",
            from_stage="work_trial",
            to_stage="apprenticeship",
            from_state="active",
            to_state="active",
            effective_on=start + timedelta(days=30),
            actor_id=lead.id,
        )
    )
    db.session.commit()
    review = reviews.record_review(
        preceptor,
        enrolment.id,
        slot="review_1",
        held_on=today() - timedelta(days=5),
        outcome="on_track",
        notes="Settling in well on the ward.",
        agreed_actions="Complete the Level 2 maths module by March.",
    )
    return type(
        "Apprenticeship",
        (),
        dict(
            lead=lead,
            preceptor=preceptor,
            apprentice=apprentice,
            other_preceptor=other_preceptor,
            enrolment=enrolment,
            review=review,
        ),
    )


def anonymous(app) -> FreshClient:
    return FreshClient(app, app.response_class, use_cookies=True)


def link_from(mailbox, to: str) -> str:
    sender, recipients, content = mailbox.handler.messages[-1]
    assert recipients == [to]
    message = email.message_from_bytes(content, policy=email.policy.default)
    body = message.get_body(("plain",)).get_content()
    assert "review of" in body and "works once" in body
    return re.search(r"http://waymark\.test(/sign/\S+)", body).group(1)


def test_three_parties_sign_in_order_and_the_review_locks(app, as_user, apprenticeship, mailbox):
    a, review_id = apprenticeship, apprenticeship.review.id
    notice = db.session.scalar(select(Notification).where(Notification.user_id == a.apprentice.id))
    assert notice.kind == "review_to_sign" and notice.link == f"/reviews/{review_id}"
    preceptor = as_user(a.preceptor)

    # The employer cannot be asked before the apprentice has signed.
    early = preceptor.post(f"/reviews/{review_id}/link", data={"email": "ward.manager@care.example"})
    assert early.status_code == 400 and "waiting for the apprentice" in early.get_data(as_text=True)
    assert mailbox.handler.messages == []

    page = as_user(a.apprentice).get(f"/reviews/{review_id}").get_data(as_text=True)
    assert "Settling in well on the ward." in page and "Save my decision" in page
    assert as_user(a.apprentice).post(f"/reviews/{review_id}/sign", data={"decision": "signed"}).status_code == 302

    assert preceptor.post(f"/reviews/{review_id}/link", data={"email": "ward.manager@care.example"}).status_code == 302
    employer_link = link_from(mailbox, "ward.manager@care.example")
    stored = db.session.scalar(select(ReviewSigningLink))
    assert employer_link.rsplit("/", 1)[1] not in stored.token_hash  # only the hash is kept

    employer = anonymous(app)
    shown = employer.get(employer_link).get_data(as_text=True)
    assert "Complete the Level 2 maths module by March." in shown and "As the employer" in shown
    signed = employer.post(employer_link, data={"name": "Grace Okoro", "role": "Ward manager", "decision": "signed"})
    assert signed.status_code == 200 and "Your decision is recorded" in signed.get_data(as_text=True)

    again = anonymous(app).post(employer_link, data={"name": "Mallory", "role": "Manager", "decision": "signed"})
    assert again.status_code == 410 and "already been used" in again.get_data(as_text=True)
    assert anonymous(app).get(employer_link).status_code == 410

    preceptor.post(f"/reviews/{review_id}/link", data={"email": "tutor@provider.example"})
    provider_link = link_from(mailbox, "tutor@provider.example")
    disagreed = anonymous(app).post(
        provider_link,
        data={
            "name": "Dev Patel",
            "role": "Apprenticeship tutor",
            "decision": "disagreed",
            "comment": "Off-the-job hours are behind plan and should be an action",
        },
    )
    assert disagreed.status_code == 200

    db.session.expire_all()
    signatures = db.session.scalars(select(ReviewSignature).order_by(ReviewSignature.id)).all()
    assert [(s.party, s.decision, s.signer_name) for s in signatures] == [
        ("apprentice", "signed", a.apprentice.full_name),
        ("employer", "signed", "Grace Okoro"),
        ("provider", "disagreed", "Dev Patel"),
    ]
    actions = set(db.session.scalars(select(AuditEvent.action).where(AuditEvent.enrolment_id == a.enrolment.id)))
    assert {"review.link_issued", "review.signed", "review.disagreed", "review.locked"} <= actions
    refused = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "review.signed_by_link.refused"))
    assert refused is not None and "already been used" in refused.detail

    api = app.test_client()
    headers = {"Authorization": f"Bearer {tokens.issue(a.preceptor)}"}
    body = api.get(f"/api/v1/enrolments/{a.enrolment.id}/reviews/{review_id}/signatures", headers=headers).json
    assert body["locked"] is True and body["waiting_for"] is None
    assert [p["party"] for p in body["parties"]] == ["apprentice", "employer", "provider"]
    assert body["parties"][1]["signature"]["signer_role"] == "Ward manager"


def test_the_locked_review_refuses_edits_and_a_correction_keeps_both(app, as_user, apprenticeship, mailbox):
    a = apprenticeship
    review = lock(app, as_user, a, mailbox)
    with pytest.raises(StateConflict, match="locked"):
        review_signatures.edit(a.preceptor, review.id, notes="Changed afterwards", agreed_actions="")
    with pytest.raises(StateConflict, match="locked"):
        review_signatures.sign(a.apprentice, review.id)
    with pytest.raises(ValidationFailed) as missing:
        reviews.record_review(
            a.preceptor,
            a.enrolment.id,
            slot="review_1",
            held_on=review.held_on,
            outcome="support_needed",
            notes="Corrected",
            corrects_id=review.id,
        )
    assert "correction_reason" in missing.value.fields
    corrected = reviews.record_review(
        a.preceptor,
        a.enrolment.id,
        slot="review_1",
        held_on=review.held_on,
        outcome="support_needed",
        notes="Settling in; off-the-job hours behind plan.",
        agreed_actions="Catch up 12 hours by January.",
        corrects_id=review.id,
        correction_reason="The provider disagreed: hours are behind plan",
    )
    db.session.expire_all()
    assert db.session.get(Review, review.id).notes == "Settling in well on the ward."
    page = as_user(a.apprentice).get(f"/reviews/{corrected.id}").get_data(as_text=True)
    assert "The provider disagreed: hours are behind plan" in page
    assert "Earlier versions" in page and "Settling in well on the ward." in page and "Dev Patel" in page
    old = as_user(a.preceptor).get(f"/reviews/{review.id}").get_data(as_text=True)
    assert "This version was corrected" in old


def lock(app, as_user, a, mailbox) -> Review:
    as_user(a.apprentice).post(f"/reviews/{a.review.id}/sign", data={"decision": "signed"})
    for address, name in (("m@care.example", "Grace Okoro"), ("t@provider.example", "Dev Patel")):
        as_user(a.preceptor).post(f"/reviews/{a.review.id}/link", data={"email": address})
        anonymous(app).post(link_from(mailbox, address), data={"name": name, "role": "Manager", "decision": "signed"})
    return a.review


def test_a_link_expires_and_a_newer_one_replaces_it(app, as_user, apprenticeship, mailbox):
    a = apprenticeship
    as_user(a.apprentice).post(f"/reviews/{a.review.id}/sign", data={"decision": "signed"})
    as_user(a.preceptor).post(f"/reviews/{a.review.id}/link", data={"email": "m@care.example"})
    first = link_from(mailbox, "m@care.example")
    as_user(a.preceptor).post(f"/reviews/{a.review.id}/link", data={"email": "m@care.example"})
    second = link_from(mailbox, "m@care.example")
    assert "replaced by a newer one" in anonymous(app).get(first).get_data(as_text=True)
    newest = db.session.scalars(select(ReviewSigningLink).order_by(ReviewSigningLink.id.desc())).first()
    newest.expires_at = datetime.now(UTC) - timedelta(minutes=1)
    db.session.commit()
    assert "has expired" in anonymous(app).get(second).get_data(as_text=True)
    assert anonymous(app).get("/sign/not-a-real-token").status_code == 404


def test_only_the_party_whose_turn_it_is_signs(as_user, apprenticeship):
    a = apprenticeship
    assert (
        as_user(a.other_preceptor).post(f"/reviews/{a.review.id}/sign", data={"decision": "signed"}).status_code == 403
    )
    blank = as_user(a.apprentice).post(f"/reviews/{a.review.id}/sign", data={"decision": "disagreed", "comment": ""})
    assert blank.status_code == 400 and "Say what you disagree with" in blank.get_data(as_text=True)
    assert db.session.scalar(select(ReviewSignature)) is None
