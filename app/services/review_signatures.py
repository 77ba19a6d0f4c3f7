"""Signing a review: its parties sign in order (``pathways.review_parties``); after the last it is locked.

A party may record disagreement instead of signing; that too is their word on the record and
counts toward the lock. A locked review is never changed: a correction is a new version (with a
reason) that is signed afresh, and both stay on the record. A learner's or preceptor's signature
is also their confirmation of the review, which the programme's rules read.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import select

from app.extensions import db
from app.models import Enrolment, Review, ReviewConfirmation, ReviewSignature, User
from app.models.signatures import DECISIONS
from app.services import audit, notices
from app.services.enrolments import get_enrolment, locked_enrolment
from app.services.errors import NotFound, PermissionDenied, StateConflict, ValidationFailed
from app.services.permissions import is_preceptor_of
from app.services.unit_of_work import command
from app.services.values import check_text
from pathways.reminder_kinds import REVIEW_TO_SIGN
from pathways.review_parties import (
    LEARNER,
    PRECEPTOR,
    Party,
    confirmed_before_signatures,
    next_party,
    review_parties,
)

LOCKED = "Everyone has signed this review, so it is locked. Record a correction, with the reason, instead"
CONFIRMED_BEFORE = (
    "This review was confirmed before Waymark had signed reviews, and it stands as confirmed. "
    "To change it, record a correction: the new version is signed"
)


@dataclass(frozen=True)
class EarlierConfirmation:
    """Who confirmed a review for a party, and when, with the confirmation Waymark had before signatures."""

    name: str
    at: datetime


@dataclass(frozen=True)
class Signing:
    """Where a review's signatures stand."""

    review: Review
    parties: tuple[Party, ...]
    signatures: dict[str, ReviewSignature]
    corrected: bool
    # Set only for a review confirmed before signatures (``confirmed_before_signatures``), by party.
    confirmed_earlier: dict[str, EarlierConfirmation] = field(default_factory=dict)
    before_signatures: bool = False

    @property
    def waiting_for(self) -> Party | None:
        if self.corrected or self.before_signatures:
            return None
        return next_party(self.parties, set(self.signatures))

    @property
    def locked(self) -> bool:
        return self.before_signatures or next_party(self.parties, set(self.signatures)) is None


def signing(review: Review, enrolment: Enrolment) -> Signing:
    rows = db.session.scalars(select(ReviewSignature).where(ReviewSignature.review_id == review.id))
    signatures = {r.party: r for r in rows}
    corrected = db.session.scalar(select(Review.id).where(Review.corrects_id == review.id)) is not None
    parties = review_parties(enrolment.pathway_key)
    confirmations = db.session.execute(
        select(ReviewConfirmation.as_role, User.first_name, User.last_name, ReviewConfirmation.created_at)
        .join(User, User.id == ReviewConfirmation.user_id)
        .where(ReviewConfirmation.review_id == review.id)
        .order_by(ReviewConfirmation.id)
    ).all()
    by_role = {role: EarlierConfirmation(f"{first} {last}", at) for role, first, last, at in reversed(confirmations)}
    if not confirmed_before_signatures(signatures, by_role):
        return Signing(review, parties, signatures, corrected)
    earlier = {p.key: by_role[p.signs_as] for p in parties if p.signs_as in by_role}
    return Signing(review, parties, signatures, corrected, earlier, before_signatures=True)


def review_on_record(actor: User, review_id: int) -> tuple[Review, Enrolment]:
    """A review the actor may see, with its enrolment; anyone else's is 'not found'."""
    review = db.session.get(Review, review_id)
    if review is None:
        raise NotFound("There is no such review")
    return review, get_enrolment(actor, review.enrolment_id)


def may_sign_as(actor: User, enrolment: Enrolment, party: Party) -> bool:
    if party.signs_as == LEARNER:
        return actor.id == enrolment.learner_id
    return party.signs_as == PRECEPTOR and is_preceptor_of(actor, enrolment)


def check_decision(decision: object, comment: object) -> tuple[str, str]:
    problems: dict[str, str] = {}
    text = check_text(problems, "comment", comment, max_length=5000)
    if decision not in DECISIONS:
        problems["decision"] = "Choose whether you sign the review or record that you disagree"
    elif decision == "disagreed" and not text:
        problems["comment"] = "Say what you disagree with"
    if problems:
        raise ValidationFailed(problems)
    return str(decision), text


def require_turn(state: Signing, party_key: str | None = None) -> Party:
    """The party whose turn it is (``party_key``'s, when given), or why no one can sign now."""
    if state.corrected:
        raise StateConflict({"review": "This version of the review was corrected; sign the latest version"})
    if state.before_signatures:
        raise StateConflict({"review": CONFIRMED_BEFORE})
    party = state.waiting_for
    if party is None:
        raise StateConflict({"review": LOCKED})
    if party_key is not None and party.key != party_key:
        raise StateConflict({"review": f"The review is waiting for the {party.title.lower()}'s signature first"})
    return party


def add_signature(state: Signing, party: Party, decision: str, comment: str, **signer: object) -> ReviewSignature:
    signature = ReviewSignature(
        review_id=state.review.id, party=party.key, decision=decision, comment=comment, **signer
    )
    db.session.add(signature)
    db.session.flush()
    state.signatures[party.key] = signature
    return signature


@command("review.sign", target="review_id")
def sign(actor: User, review_id: int, *, decision: object = "signed", comment: object = "") -> ReviewSignature:
    """The learner or their preceptor signs (or records disagreement), when it is their turn."""
    review, enrolment = review_on_record(actor, review_id)
    enrolment = locked_enrolment(actor, enrolment.id)
    chosen, text = check_decision(decision, comment)
    state = signing(review, enrolment)
    party = require_turn(state)
    if not may_sign_as(actor, enrolment, party):
        mine = [p for p in state.parties if p.key not in state.signatures and may_sign_as(actor, enrolment, p)]
        if mine:
            raise StateConflict({"review": f"The review is waiting for the {party.title.lower()}'s signature first"})
        raise PermissionDenied("You are not a party to this review")
    signature = add_signature(
        state, party, chosen, text, user_id=actor.id, signer_name=actor.full_name, signer_role=party.title
    )
    as_role = "learner" if party.signs_as == LEARNER else "preceptor"
    if (
        db.session.scalar(
            select(ReviewConfirmation.id).where(
                ReviewConfirmation.review_id == review.id, ReviewConfirmation.as_role == as_role
            )
        )
        is None
    ):
        db.session.add(ReviewConfirmation(review_id=review.id, user_id=actor.id, as_role=as_role))
    audit.record(actor, f"review.{chosen}", signature, enrolment_id=enrolment.id, review_id=review.id, party=party.key)
    after_signature(state, enrolment)
    return signature


def after_signature(state: Signing, enrolment: Enrolment) -> None:
    """Lock the review after its last signature, or tell the learner when it is now their turn."""
    if state.locked:
        audit.record(
            None, "review.locked", state.review, organisation_id=enrolment.organisation_id, enrolment_id=enrolment.id
        )
    else:
        announce(state, enrolment)


def announce(state: Signing, enrolment: Enrolment) -> None:
    """When the review waits for the learner, they are told (in the app, and by email by their choice)."""
    party = state.waiting_for
    if party is None or party.signs_as != LEARNER:
        return
    notices.notify(
        enrolment.learner,
        kind=REVIEW_TO_SIGN,
        key=f"{state.review.id}",
        enrolment_id=enrolment.id,
        title="A review is waiting for your signature",
        lines=[
            f"Your review held on {state.review.held_on:%-d %B %Y} has been recorded. Read it, then sign it "
            "or record what you disagree with."
        ],
        path=f"/reviews/{state.review.id}",
    )


@command("review.edit", target="review_id")
def edit(actor: User, review_id: int, *, notes: object, agreed_actions: object) -> Review:
    """The preceptor who recorded a review may change its words until someone signs it."""
    review, enrolment = review_on_record(actor, review_id)
    enrolment = locked_enrolment(actor, enrolment.id)
    if review.recorded_by_id != actor.id:
        raise PermissionDenied("Only the preceptor who recorded the review can change it")
    state = signing(review, enrolment)
    if state.before_signatures:
        raise StateConflict({"review": CONFIRMED_BEFORE})
    if state.locked:
        raise StateConflict({"review": LOCKED})
    if state.signatures or state.corrected:
        raise StateConflict({"review": "This review has been signed, so it cannot be changed: record a correction"})
    problems: dict[str, str] = {}
    review.notes = check_text(problems, "notes", notes, max_length=10_000)
    review.agreed_actions = check_text(problems, "agreed_actions", agreed_actions, max_length=10_000)
    if problems:
        raise ValidationFailed(problems)
    audit.record(actor, "review.edited", review, enrolment_id=enrolment.id)
    return review


def versions(review: Review) -> list[Review]:
    """The review and every earlier version it corrects, newest first."""
    chain, current = [review], review
    while current.corrects_id is not None:
        earlier = db.session.get(Review, current.corrects_id)
        if earlier is None:
            break
        chain.append(earlier)
        current = earlier
    return chain
