"""Single-use emailed links for a party without an account (an employer's manager, a provider's tutor).

Only the token's SHA-256 is stored. A link is for one party of one version of one review; it
expires, it works once, and a new link for the same party withdraws the old. Every use, good or
refused, is audited.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from flask import current_app
from sqlalchemy import select, update

from app.extensions import db
from app.models import Enrolment, Review, ReviewSignature, ReviewSigningLink, User
from app.services import audit
from app.services.enrolments import locked_enrolment
from app.services.errors import NotFound, PermissionDenied, StateConflict, ValidationFailed
from app.services.permissions import is_lead_of, is_preceptor_of
from app.services.review_signatures import (
    Signing,
    add_signature,
    after_signature,
    check_decision,
    require_turn,
    review_on_record,
    signing,
)
from app.services.unit_of_work import command, lock_enrolment, record_refusal
from app.services.values import check_email, check_text
from pathways.review_parties import EXTERNAL

UNKNOWN_LINK = "This signing link is not valid. Check you used the whole link from the email"


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@dataclass(frozen=True)
class IssuedLink:
    link: ReviewSigningLink
    token: str  # shown once, in the email; never stored
    review: Review
    party_title: str


@command("review.link_issued", target="review_id")
def issue(actor: User, review_id: int, *, email: object) -> IssuedLink:
    """The preceptor or a lead sends the next party (one without an account) a link to sign."""
    review, enrolment = review_on_record(actor, review_id)
    enrolment = locked_enrolment(actor, enrolment.id)
    if not (is_preceptor_of(actor, enrolment) or is_lead_of(actor, enrolment.organisation_id)):
        raise PermissionDenied("Only the learner's preceptor or a programme lead can send a signing link")
    state = signing(review, enrolment)
    party = require_turn(state)
    if party.signs_as != EXTERNAL:
        raise StateConflict({"review": f"The review is waiting for the {party.title.lower()}, who signs in Waymark"})
    problems: dict[str, str] = {}
    address = check_email(problems, "email", email, required="Enter their email address")
    if problems:
        raise ValidationFailed(problems)
    now = datetime.now(UTC)
    db.session.execute(
        update(ReviewSigningLink)
        .where(
            ReviewSigningLink.review_id == review.id,
            ReviewSigningLink.party == party.key,
            ReviewSigningLink.used_at.is_(None),
            ReviewSigningLink.withdrawn_at.is_(None),
        )
        .values(withdrawn_at=now)
    )
    token = secrets.token_urlsafe(32)
    days = current_app.config["REVIEW_LINK_DAYS"]
    link = ReviewSigningLink(
        review_id=review.id,
        party=party.key,
        email=address,
        token_hash=token_hash(token),
        expires_at=now + timedelta(days=days),
        created_by_id=actor.id,
    )
    db.session.add(link)
    audit.record(actor, "review.link_issued", link, enrolment_id=enrolment.id, review_id=review.id, party=party.key)
    return IssuedLink(link, token, review, party.title)


@dataclass(frozen=True)
class OpenLink:
    link: ReviewSigningLink
    state: Signing
    enrolment: Enrolment


def open_link(token: str) -> OpenLink:
    """What a link shows: the review it is for; refused when unknown, used, withdrawn or expired."""
    link = db.session.scalar(select(ReviewSigningLink).where(ReviewSigningLink.token_hash == token_hash(token)))
    if link is None:
        raise NotFound(UNKNOWN_LINK)
    review = db.session.get(Review, link.review_id)
    enrolment = db.session.get(Enrolment, review.enrolment_id) if review else None
    if review is None or enrolment is None:
        raise NotFound(UNKNOWN_LINK)
    if link.used_at is not None:
        raise StateConflict({"link": "This link has already been used to sign the review. Each link works once"})
    if link.withdrawn_at is not None:
        raise StateConflict({"link": "This link was replaced by a newer one. Use the link in the latest email"})
    if link.expires_at.replace(tzinfo=link.expires_at.tzinfo or UTC) < datetime.now(UTC):
        raise StateConflict({"link": "This link has expired. Ask the learner's preceptor to send a new one"})
    return OpenLink(link, signing(review, enrolment), enrolment)


def record_refused_use(token: str, refused: StateConflict) -> None:
    """A used, withdrawn or expired link tried again: audited, as a refused signature."""
    link = db.session.scalar(select(ReviewSigningLink).where(ReviewSigningLink.token_hash == token_hash(token)))
    record_refusal(None, "review.signed_by_link", link.id if link else None, refused)


@command("review.signed_by_link")
def sign_with_link(
    actor: None, token: str, *, name: object, role: object, decision: object = "signed", comment: object = ""
) -> ReviewSignature:
    """The party named in the link signs (or records disagreement), giving their name and role."""
    opened = open_link(token)
    lock_enrolment(opened.enrolment.id)
    opened = open_link(token)  # read again under the lock: a link used a moment ago is refused
    problems: dict[str, str] = {}
    signer_name = check_text(problems, "name", name, max_length=200, single_line=True, required="Enter your full name")
    signer_role = check_text(
        problems, "role", role, max_length=200, single_line=True, required="Enter your role or job title"
    )
    if problems:
        raise ValidationFailed(problems)
    chosen, text = check_decision(decision, comment)
    party = require_turn(opened.state, opened.link.party)
    signature = add_signature(
        opened.state, party, chosen, text, signer_name=signer_name, signer_role=signer_role, link_id=opened.link.id
    )
    opened.link.used_at = datetime.now(UTC)
    audit.record(
        None,
        f"review.{chosen}",
        signature,
        organisation_id=opened.enrolment.organisation_id,
        enrolment_id=opened.enrolment.id,
        review_id=opened.state.review.id,
        party=party.key,
        via="emailed link",
        email=opened.link.email,
        signer_name=signer_name,
        signer_role=signer_role,
    )
    after_signature(opened.state, opened.enrolment)
    return signature
