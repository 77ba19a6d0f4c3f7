"""Reinstating a mistaken withdrawal: a new event back to where it was, the withdrawal kept (page, API, service)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from app.extensions import db
from app.models import AuditEvent, Enrolment, TransitionEvent
from app.services import tokens, transitions
from app.services.clock import today
from app.services.errors import NotFound, PermissionDenied, TransitionRefused, ValidationFailed
from tests.web.conftest import assert_error, count

WITHDRAWN_BY_MISTAKE = "Withdrawn the wrong learner by mistake"


def history(enrolment_id: int) -> list[tuple[str, str, str]]:
    db.session.expire_all()
    events = db.session.scalars(
        select(TransitionEvent).where(TransitionEvent.enrolment_id == enrolment_id).order_by(TransitionEvent.id)
    )
    return [(e.action, e.to_stage, e.to_state) for e in events]


def withdrawn(world, enrolment_id: int | None = None) -> int:
    enrolment_id = enrolment_id or world.enrolment.id
    transitions.transition(world.lead, enrolment_id, "withdraw", reason="Left the trust")
    return enrolment_id


def test_reinstating_returns_to_the_stage_and_keeps_the_withdrawal(world):
    stage = world.enrolment.stage
    transitions.transition(world.lead, withdrawn(world), "reinstate", reason=WITHDRAWN_BY_MISTAKE)
    assert history(world.enrolment.id)[-2:] == [("withdraw", stage, "withdrawn"), ("reinstate", stage, "active")]
    enrolment = db.session.get_one(Enrolment, world.enrolment.id)
    assert (enrolment.stage, enrolment.state) == (stage, "active")
    event = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "enrolment.reinstate")).one()
    assert WITHDRAWN_BY_MISTAKE in event.detail and event.actor_id == world.lead.id


def test_an_enrolment_withdrawn_while_on_hold_goes_back_on_hold(world):
    transitions.transition(world.lead, world.enrolment.id, "hold", reason="Maternity leave")
    transitions.transition(world.lead, withdrawn(world), "reinstate", reason=WITHDRAWN_BY_MISTAKE)
    assert db.session.get_one(Enrolment, world.enrolment.id).state == "on_hold"
    transitions.transition(world.lead, world.enrolment.id, "resume", reason="Back from leave")  # the hold closes
    assert db.session.get_one(Enrolment, world.enrolment.id).state == "active"


def test_a_reason_is_required(world):
    withdrawn(world)
    with pytest.raises(ValidationFailed) as refused:
        transitions.transition(world.lead, world.enrolment.id, "reinstate", reason="  ")
    assert refused.value.fields == {"reason": "Enter a reason to reinstate this enrolment"}
    assert db.session.get_one(Enrolment, world.enrolment.id).state == "withdrawn"


def test_not_before_the_withdrawal(world):
    withdrawn(world)
    with pytest.raises(ValidationFailed) as refused:
        transitions.transition(
            world.lead, world.enrolment.id, "reinstate", reason=WITHDRAWN_BY_MISTAKE, on=today() - timedelta(days=1)
        )
    assert refused.value.fields["on"].startswith("The date cannot be before")


@pytest.mark.parametrize(
    ("state", "reason"),
    [
        ("active", "Only a withdrawn enrolment can be reinstated"),
        ("completed", "A completed enrolment cannot be reinstated: only a withdrawn one can"),
    ],
)
def test_only_a_withdrawn_enrolment_is_reinstated(world, state, reason):
    if state == "completed":
        db.session.get_one(Enrolment, world.enrolment.id).state = "completed"
        db.session.commit()
    before = history(world.enrolment.id)
    with pytest.raises(TransitionRefused) as refused:
        transitions.transition(world.lead, world.enrolment.id, "reinstate", reason=WITHDRAWN_BY_MISTAKE)
    assert list(refused.value.reasons) == [reason]
    assert history(world.enrolment.id) == before
    assert count(AuditEvent, AuditEvent.action == "enrolment.transition.refused") == 1


@pytest.mark.parametrize("who", ["preceptor", "learner", "foreign_lead"])
def test_only_a_lead_of_the_organisation_reinstates(world, who):
    withdrawn(world)
    with pytest.raises(NotFound if who == "foreign_lead" else PermissionDenied):
        transitions.transition(getattr(world, who), world.enrolment.id, "reinstate", reason=WITHDRAWN_BY_MISTAKE)
    assert db.session.get_one(Enrolment, world.enrolment.id).state == "withdrawn"


def test_the_lead_reinstates_from_the_enrolment_page(world, as_user):
    client = as_user(world.lead)
    withdrawn(world)
    page = client.get(f"/lead/enrolments/{world.enrolment.id}").get_data(as_text=True)
    assert f'href="/lead/enrolments/{world.enrolment.id}/reinstate"' in page
    empty = client.post(f"/lead/enrolments/{world.enrolment.id}/reinstate", data={"reason": ""})
    assert empty.status_code == 400
    assert_error(empty.get_data(as_text=True), "reason", "Enter a reason to reinstate this enrolment")
    done = client.post(f"/lead/enrolments/{world.enrolment.id}/reinstate", data={"reason": WITHDRAWN_BY_MISTAKE})
    assert done.status_code == 302
    page = client.get(done.headers["Location"]).get_data(as_text=True)
    assert "The enrolment has been reinstated where it was withdrawn from" in page
    assert "/reinstate" not in page and "/withdraw" in page  # active again: it can be withdrawn, not reinstated
    trail = client.get(f"/lead/enrolments/{world.enrolment.id}/audit").get_data(as_text=True)
    assert "Withdrawn: Left the trust" in trail and f"Reinstated: {WITHDRAWN_BY_MISTAKE}" in trail


def test_the_page_refuses_an_active_enrolment_with_the_reason(world, as_user):
    response = as_user(world.lead).post(
        f"/lead/enrolments/{world.enrolment.id}/reinstate", data={"reason": WITHDRAWN_BY_MISTAKE}
    )
    assert response.status_code in (400, 409)
    assert "Only a withdrawn enrolment can be reinstated" in response.get_data(as_text=True)


def test_the_api_reinstates_and_refuses_clearly(app, world):
    client = app.test_client()
    headers = {"Authorization": f"Bearer {tokens.issue(world.lead)}"}
    url = f"/api/v1/enrolments/{world.enrolment.id}/transitions"
    refused = client.post(url, json={"action": "reinstate", "reason": WITHDRAWN_BY_MISTAKE}, headers=headers)
    assert refused.status_code == 409
    assert "Only a withdrawn enrolment can be reinstated" in str(refused.get_json()["error"])
    withdrawn(world)
    missing = client.post(url, json={"action": "reinstate"}, headers=headers)
    assert missing.status_code == 422 and "reason" in missing.get_json()["error"]["fields"]
    done = client.post(url, json={"action": "reinstate", "reason": WITHDRAWN_BY_MISTAKE}, headers=headers)
    assert done.status_code == 201, done.get_json()
    body = done.get_json()
    assert (body["action"], body["from_state"], body["to_state"]) == ("reinstate", "withdrawn", "active")
    listed = client.get(url, headers=headers).get_json()
    assert [item["action"] for item in listed["items"]][-2:] == ["withdraw", "reinstate"]
    foreign = {"Authorization": f"Bearer {tokens.issue(world.foreign_lead)}"}
    assert client.post(url, json={"action": "reinstate", "reason": "x"}, headers=foreign).status_code in (403, 404)
