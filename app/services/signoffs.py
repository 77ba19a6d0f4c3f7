"""Competency sign-offs: requested by the learner, signed / returned / revoked by the assessor."""

from __future__ import annotations

from sqlalchemy import select

from app.extensions import db
from app.models import Competency, Enrolment, SignOffEvent, User
from app.services import audit, notices
from app.services.enrolments import locked_enrolment
from app.services.errors import NotFound, StateConflict, ValidationFailed
from app.services.learner_version import not_in_version
from app.services.permissions import require_assessor, require_learner
from app.services.unit_of_work import command
from app.services.values import check_text
from pathways.reminder_kinds import SIGNOFF_DECIDED

SIGN_OFF_ACTIONS = ("request", "sign", "return", "revoke")


def _competency(enrolment: Enrolment, key: str) -> Competency:
    competency = db.session.scalar(
        select(Competency).where(Competency.pathway_version_id == enrolment.pathway_version_id, Competency.key == key)
    )
    if competency is None:
        raise NotFound(f"This programme has no competency '{key}'")
    return competency


def latest_event(enrolment_id: int, competency_id: int) -> SignOffEvent | None:
    return db.session.scalar(
        select(SignOffEvent)
        .where(SignOffEvent.enrolment_id == enrolment_id, SignOffEvent.competency_id == competency_id)
        .order_by(SignOffEvent.sequence.desc())
        .limit(1)
    )


_ALLOWED_FROM: dict[str, tuple[set[str | None], str]] = {
    "requested": (
        {None, "returned", "revoked"},
        "A sign-off can be requested only when it is not already requested or signed",
    ),
    "signed": ({None, "requested", "returned", "revoked"}, "This competency is already signed off"),
    "returned": ({"requested"}, "Only a requested sign-off can be returned"),
    "revoked": ({"signed"}, "Only a signed-off competency can be revoked"),
}


@command("signoff.act", target="enrolment_id")
def act(actor: User, enrolment_id: int, competency_key: object, action: object, *, text: object = "") -> SignOffEvent:
    """Record one sign-off event; the history is never edited.

    Each event takes the next number in its competency's sequence, so of two people acting on the
    same state at once one succeeds and the other is told the record changed (409).
    """
    enrolment = locked_enrolment(actor, enrolment_id)
    problems: dict[str, str] = {}
    text = check_text(problems, "evidence" if action == "request" else "comment", text, max_length=10_000)
    if problems:
        raise ValidationFailed(problems)
    if action not in SIGN_OFF_ACTIONS:
        raise ValidationFailed({"action": f"Choose one of: {', '.join(SIGN_OFF_ACTIONS)}"})
    if action == "request":
        require_learner(actor, enrolment)
        if not text:
            raise ValidationFailed({"evidence": "Describe the evidence for this competency"})
    else:
        require_assessor(actor, enrolment)
        if action in ("return", "revoke") and not text:
            raise ValidationFailed({"comment": f"Enter a comment to explain why you {action} this sign-off"})
    if enrolment.state not in ("active", "on_hold"):
        raise ValidationFailed({"action": f"This enrolment is {enrolment.state.replace('_', ' ')}"})
    if not isinstance(competency_key, str):
        raise NotFound("This programme has no such competency")
    competency = _competency(enrolment, competency_key)
    if problem := not_in_version(enrolment, competency.key, competency.title):
        raise ValidationFailed({"competency": problem})
    event_action = {"request": "requested", "sign": "signed", "return": "returned", "revoke": "revoked"}[str(action)]
    allowed, problem = _ALLOWED_FROM[event_action]
    latest = latest_event(enrolment.id, competency.id)
    if (latest.action if latest else None) not in allowed:
        raise StateConflict({"action": problem})
    event = SignOffEvent(
        enrolment_id=enrolment.id,
        competency_id=competency.id,
        sequence=(latest.sequence if latest else 0) + 1,
        action=event_action,
        evidence=text if action == "request" else "",
        comment="" if action == "request" else text,
        actor_id=actor.id,
    )
    db.session.add(event)
    audit.record(actor, f"signoff.{event_action}", event, enrolment_id=enrolment.id, competency=competency.key)
    if event_action in ("signed", "returned"):
        _tell_learner(enrolment, competency, event, actor)
    return event


def _tell_learner(enrolment: Enrolment, competency: Competency, event: SignOffEvent, actor: User) -> None:
    signed = event.action == "signed"
    lines = [f"{actor.full_name} {'signed off' if signed else 'returned'} {competency.title}."]
    if event.comment:
        lines.append(f"Their comment: {event.comment}")
    if not signed:
        lines.append("Add to your evidence and ask for the sign-off again when you are ready.")
    db.session.flush()
    notices.notify(
        enrolment.learner,
        kind=SIGNOFF_DECIDED,
        key=f"{event.id}",
        enrolment_id=enrolment.id,
        title=f"{'Signed off' if signed else 'Returned to you'}: {competency.title}",
        lines=lines,
        path=f"/learner/enrolments/{enrolment.id}/competencies",
    )
