"""Four races from issue 9, run against the real database from several threads at once.

Each race runs ROUNDS times; every round must end with exactly the allowed winners, every loser
refused in words with 409 (the lock's waiter sees the winner's write and is told why; one the
database's constraint stops is told it lost the race), no 500,
and the stored history agreeing with the state.
"""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from app.extensions import db
from app.models import Competency, Enrolment, HoursEntry, SignOffEvent, TransitionEvent
from app.models.programmes import OPEN_STATES
from app.services import enrolments, tokens
from app.services.clock import today
from app.services.learner_version import learner_competencies
from app.services.unit_of_work import RACE_MESSAGE
from tests.factories import LearnerFactory

ROUNDS = 20
START = date(2026, 9, 1)


@pytest.fixture
def bearer(ctx):
    """bearer(user) -> an Authorization header with a fresh API token of that user."""
    return lambda user: {"Authorization": f"Bearer {tokens.issue(user)}"}


def fresh() -> None:
    """End this thread's transaction, so that what the server's threads committed is read."""
    db.session.rollback()


def told_why(answer, fields: dict[str, str]) -> bool:
    """A loser that waited for the lock, saw the winner's write and was refused by the rule (409)."""
    return answer.status == 409 and answer.code == "conflict" and answer.fields == fields


def lost_race(answer) -> bool:
    return answer.status == 409 and answer.code == "conflict" and answer.body["error"]["message"] == RACE_MESSAGE


def test_hold_and_withdraw_at_once_leave_a_history_that_agrees_with_the_state(world, live_server, bearer, tally):
    lead = bearer(world.lead)
    for _ in range(ROUNDS):
        learner = LearnerFactory(organisation=world.lead.organisation)
        enrolment = enrolments.enrol(world.lead, learner_id=learner.id, pathway_key="preceptorship", start_date=START)
        path = f"/api/v1/enrolments/{enrolment.id}/transitions"
        hold, withdraw = answers = live_server.post_together(
            [
                (path, {"action": "hold", "reason": "Sickness absence"}, lead),
                (path, {"action": "withdraw", "reason": "Left the trust"}, lead),
            ]
        )
        tally(answers)
        fresh()
        history = db.session.scalars(
            select(TransitionEvent).where(TransitionEvent.enrolment_id == enrolment.id).order_by(TransitionEvent.id)
        ).all()
        added = [event.action for event in history[1:]]
        state = db.session.scalar(select(Enrolment.state).where(Enrolment.id == enrolment.id))
        outcome = (hold.label, withdraw.label, added, state)
        assert outcome in (
            ("201", "201", ["hold", "withdraw"], "withdrawn"),  # one after the other
            ("409 transition_refused", "201", ["withdraw"], "withdrawn"),  # withdrawn first: nothing to hold
            ("409 conflict", "201", ["withdraw"], "withdrawn"),  # a lost race: the lock or busy timeout ran out
            ("201", "409 conflict", ["hold"], "on_hold"),
        ), (outcome, hold.body, withdraw.body)
        assert state == history[-1].to_state
        assert all(later.from_state == earlier.to_state for earlier, later in zip(history, history[1:], strict=False))
        assert [a.body["id"] for a in answers if a.status == 201] == [event.id for event in history[1:]]


def test_six_enrolments_of_one_learner_at_once_leave_one_open_enrolment(world, live_server, bearer, tally):
    lead = bearer(world.lead)
    for _ in range(ROUNDS):
        learner = LearnerFactory(organisation=world.lead.organisation)
        body = {"learner_id": learner.id, "pathway": "preceptorship", "start_date": START.isoformat()}
        answers = live_server.post_together([("/api/v1/enrolments", body, lead)] * 6)
        tally(answers)
        winners = [a for a in answers if a.status == 201]
        losers = [a for a in answers if a.status != 201]
        assert len(winners) == 1, [a.body for a in answers]
        # The loser that waited for the lock sees the winner and is told why; one the unique index
        # stops is told it lost the race. Both are 409.
        already = f"{learner.full_name} is already on this programme"
        assert all(lost_race(a) or told_why(a, {"learner_id": already}) for a in losers), [
            a.body for a in losers
        ]
        fresh()
        open_ids = db.session.scalars(
            select(Enrolment.id).where(Enrolment.learner_id == learner.id, Enrolment.state.in_(OPEN_STATES))
        ).all()
        assert open_ids == [winners[0].body["id"]]
        assert db.session.scalar(
            select(func.count()).select_from(Enrolment).where(Enrolment.learner_id == learner.id)
        ) == 1


def test_ten_five_hour_entries_on_one_day_at_once_store_no_more_than_24_hours(world, live_server, bearer, tally):
    learner = bearer(world.learner)
    path = f"/api/v1/enrolments/{world.enrolment.id}/hours"
    for round_number in range(ROUNDS):
        day = today() - timedelta(days=1 + round_number)
        body = {"worked_on": day.isoformat(), "hours": 5, "activity_type": "study", "learning": "Sepsis e-learning"}
        answers = live_server.post_together([(path, body, learner)] * 10)
        tally(answers)
        winners = [a for a in answers if a.status == 201]
        losers = [a for a in answers if a.status != 201]
        assert len(winners) == 4, [a.body for a in answers]
        too_many = {"hours": "You cannot log more than 24 hours on one day"}
        assert all(lost_race(a) or told_why(a, too_many) for a in losers), [
            a.body for a in losers
        ]
        fresh()
        stored = db.session.scalars(
            select(HoursEntry).where(HoursEntry.enrolment_id == world.enrolment.id, HoursEntry.worked_on == day)
        ).all()
        assert sorted(entry.id for entry in stored) == sorted(a.body["id"] for a in winners)
        assert sum(entry.hours for entry in stored) == 20


def test_eight_identical_sign_offs_at_once_record_one_signed_event(world, live_server, bearer, tally):
    preceptor = bearer(world.preceptor)
    path = f"/api/v1/enrolments/{world.enrolment.id}/signoffs"
    keys = list(learner_competencies(world.enrolment))[:ROUNDS]  # only the learner's version can be signed
    assert len(keys) == ROUNDS
    for key in keys:
        body = {"competency": key, "action": "sign", "text": "Observed on the ward"}
        answers = live_server.post_together([(path, body, preceptor)] * 8)
        tally(answers)
        winners = [a for a in answers if a.status == 201]
        losers = [a for a in answers if a.status != 201]
        assert len(winners) == 1, [a.body for a in answers]
        already = {"action": "This competency is already signed off"}
        assert all(lost_race(a) or told_why(a, already) for a in losers), [
            a.body for a in losers
        ]
        fresh()
        events = db.session.execute(
            select(SignOffEvent.id, SignOffEvent.action, SignOffEvent.sequence)
            .join(Competency, Competency.id == SignOffEvent.competency_id)
            .where(SignOffEvent.enrolment_id == world.enrolment.id, Competency.key == key)
        ).all()
        assert [(event.id, event.action, event.sequence) for event in events] == [(winners[0].body["id"], "signed", 1)]
