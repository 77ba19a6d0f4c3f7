"""Reviews confirmed with the one-click confirmation Waymark had before signed reviews read as confirmed."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest

from app.services import review_signatures, reviews
from app.services.clock import today
from app.services.errors import StateConflict
from tests.web.conftest import shown


@pytest.fixture
def older(world):
    """A review recorded and confirmed by both, as it was done before reviews were signed."""
    review = reviews.record_review(
        world.preceptor,
        world.enrolment.id,
        slot="initial",
        held_on=today() - timedelta(days=90),
        outcome="on_track",
        notes="Settling in well",
    )
    reviews.confirm_review(world.learner, review.id)  # the old one-click confirmation
    return review


def party_row(html: str, key: str) -> str:
    row = re.search(rf'id="party-{key}".*?</dd>', html, re.S)
    assert row, f"no row for {key}"
    return re.sub(r"\s+", " ", row.group(0))


def test_the_review_page_says_who_confirmed_it_and_asks_no_one_to_sign(world, as_user, older):
    html = as_user(world.learner).get(f"/reviews/{older.id}").get_data(as_text=True)
    assert f"Confirmed </strong> by {shown(world.learner)}" in party_row(html, "preceptee")
    assert "(before signed reviews)" in party_row(html, "preceptee")
    assert f"Confirmed </strong> by {shown(world.preceptor)}" in party_row(html, "preceptor")
    assert "Not yet" not in html and "Waiting to sign" not in html
    assert "Your signature" not in html and "Save my decision" not in html
    assert "confirmed before Waymark had signed reviews" in html


def test_the_lists_read_confirmed_not_waiting(world, as_user, older):
    learner = as_user(world.learner).get(f"/learner/enrolments/{world.enrolment.id}/reviews").get_data(as_text=True)
    assert "Confirmed by you (before signed reviews)" in learner and "Read and sign" not in learner
    home = as_user(world.learner).get(f"/learner/enrolments/{world.enrolment.id}").get_data(as_text=True)
    assert "waiting for your signature" not in home
    page = as_user(world.preceptor).get(f"/preceptor/enrolments/{world.enrolment.id}").get_data(as_text=True)
    assert "Confirmed by the learner (before signed reviews)." in page


def test_it_is_not_signed_or_edited_afresh_but_can_be_corrected(world, older, nothing_written):
    with nothing_written(), pytest.raises(StateConflict, match="confirmed before Waymark had signed reviews"):
        review_signatures.sign(world.learner, older.id)
    with nothing_written(), pytest.raises(StateConflict, match="record a correction"):
        review_signatures.edit(world.preceptor, older.id, notes="Changed", agreed_actions="")
    correction = reviews.record_review(
        world.preceptor,
        world.enrolment.id,
        slot="initial",
        held_on=older.held_on,
        outcome="support_needed",
        corrects_id=older.id,
        correction_reason="Outcome recorded wrongly",
    )
    state = review_signatures.signing(correction, world.enrolment)
    assert not state.before_signatures and state.waiting_for.key == "preceptee"  # the new version is signed


def test_a_review_recorded_now_still_waits_for_the_learners_signature(world, as_user):
    review = reviews.record_review(
        world.preceptor, world.enrolment.id, slot="initial", held_on=today() - timedelta(days=5), outcome="on_track"
    )
    html = as_user(world.learner).get(f"/reviews/{review.id}").get_data(as_text=True)
    assert "Waiting to sign" in party_row(html, "preceptee") and "Save my decision" in html
    assert "before signed reviews" not in html
