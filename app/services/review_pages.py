"""What the review page shows: the version asked for, its signatures, what the viewer may do, earlier versions."""

from __future__ import annotations

from dataclasses import dataclass, field

from app.models import Enrolment, User
from app.services.permissions import is_lead_of, is_preceptor_of
from app.services.review_signatures import Signing, may_sign_as, review_on_record, signing, versions
from pathways.review_parties import EXTERNAL


@dataclass
class ReviewPage:
    enrolment: Enrolment
    state: Signing
    programme: str
    my_turn: bool = False
    can_send_link: bool = False
    earlier: list[ReviewPage] = field(default_factory=list)


def review_page(actor: User, review_id: int) -> ReviewPage:
    review, enrolment = review_on_record(actor, review_id)
    state = signing(review, enrolment)
    party = state.waiting_for
    page = ReviewPage(enrolment, state, enrolment.pathway_version.title)
    if party is not None:
        page.my_turn = may_sign_as(actor, enrolment, party)
        page.can_send_link = party.signs_as == EXTERNAL and (
            is_preceptor_of(actor, enrolment) or is_lead_of(actor, enrolment.organisation_id)
        )
    page.earlier = [ReviewPage(enrolment, signing(old, enrolment), page.programme) for old in versions(review)[1:]]
    return page
