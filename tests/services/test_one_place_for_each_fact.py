"""Each derived fact has one definition: the pages, the engine's facts, the reminders and the report agree."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pandas as pd

from app.extensions import db
from app.models import Competency, Review, SignOffEvent
from app.services import caseload_pages, pages, reports, reviews, transitions
from app.services.facts import assess_one
from reminders import gather
from reports.frames import Filters


def _step(world, competency: Competency, sequence: int, action: str, text: str) -> None:
    actor = world.learner if action == "requested" else world.preceptor
    db.session.add(
        SignOffEvent(
            enrolment_id=world.enrolment.id,
            competency_id=competency.id,
            sequence=sequence,
            action=action,
            evidence=text if action == "requested" else "",
            comment="" if action == "requested" else text,
            actor_id=actor.id,
            created_at=datetime(2026, 11, sequence, 9, tzinfo=UTC),
        )
    )
    db.session.commit()


def test_a_signed_then_revoked_then_requested_competency_is_waiting_everywhere(world):
    """The latest step is the highest in the sequence, even when the rows were stored in another order."""
    competency = db.session.scalar(
        db.select(Competency).where(
            Competency.pathway_version_id == world.enrolment.pathway_version_id, Competency.key == "leadership"
        )
    )
    _step(world, competency, 1, "signed", "Seen in practice")
    _step(world, competency, 3, "requested", "Led the huddle again")
    _step(world, competency, 2, "revoked", "Signed on the wrong record")

    assessed = pages.enrolment_page(world.lead, world.enrolment.id, date(2026, 11, 25))
    row = pages.require_competency(assessed, "leadership")
    assert (row.state, row.evidence) == ("requested", "Led the huddle again")
    assert "leadership" not in assess_one(world.enrolment, date(2026, 11, 25)).facts.signed_off
    assert caseload_pages.pending_counts([world.enrolment.id]) == {world.enrolment.id: 1}
    assert [item.key for item in caseload_pages.signoff_queue(world.preceptor)] == ["leadership"]
    scanned, _ = gather.assess_each(gather.rows_between(world.enrolment.id, world.enrolment.id), date(2026, 11, 25))
    (situation,) = gather.situations(scanned, {})
    assert [p.title for p in situation.pending_signoffs] == [competency.title]


def test_a_corrected_review_counts_once_on_the_page_in_the_facts_and_in_the_report(world):
    first = reviews.record_review(
        world.preceptor, world.enrolment.id, slot="initial", held_on=date(2026, 9, 15), outcome="concerns"
    )
    second = reviews.record_review(
        world.preceptor, world.enrolment.id, slot="initial", held_on=date(2026, 9, 15), outcome="on_track",
        corrects_id=first.id,
    )  # fmt: skip
    third = reviews.record_review(
        world.preceptor, world.enrolment.id, slot="initial", held_on=date(2026, 9, 16), outcome="ready",
        corrects_id=second.id,
    )  # fmt: skip
    assessed = pages.enrolment_page(world.lead, world.enrolment.id, date(2026, 11, 25))

    assert [view.review.id for view in pages.reviews(assessed)] == [third.id]
    assert [r.id for r in reviews.current_reviews(world.enrolment.id)] == [third.id]
    assert [(r.slot, r.outcome, r.held_on) for r in assessed.facts.reviews] == [
        ("initial", "ready", date(2026, 9, 16))
    ]
    standing = db.session.scalars(db.select(Review.id).where(Review.standing())).all()
    assert standing == [third.id]
    report = reports.cohort_report(world.lead, date(2026, 11, 25), Filters())
    mine = report.per_enrolment.set_index("id").loc[world.enrolment.id]
    slots_due = [s for s in assessed.evaluation.review_slots if s.due < date(2026, 11, 25) and s.held_on is None]
    assert mine["overdue_reviews"] == len(slots_due)


def test_two_holds_give_the_same_days_on_hold_and_end_date_in_the_facts_and_the_report(world):
    """As of a day inside the first hold, its later resume has not happened yet for either of them."""
    eid = world.enrolment.id
    transitions.transition(world.lead, eid, "hold", reason="Sickness", on=date(2026, 10, 1))
    transitions.transition(world.lead, eid, "resume", on=date(2026, 10, 31))
    transitions.transition(world.lead, eid, "hold", reason="Parental leave", on=date(2026, 11, 10))

    for as_of, days in ((date(2026, 10, 15), 14), (date(2026, 11, 25), 30 + 15)):
        evaluation = pages.enrolment_page(world.lead, eid, as_of).evaluation
        report = reports.cohort_report(world.lead, as_of, Filters())
        mine = report.per_enrolment.set_index("id").loc[eid]
        assert evaluation.days_on_hold == mine["days_on_hold"] == days
        assert pd.Timestamp(evaluation.expected_end) == mine["expected_end"]
