"""Move an enrolment through its programme: advance, hold, resume, extend, withdraw or reinstate."""

from __future__ import annotations

from dataclasses import replace

from sqlalchemy import select

from app.extensions import db
from app.models import Enrolment, TransitionEvent, User
from app.services import audit
from app.services.clock import today
from app.services.enrolments import locked_enrolment
from app.services.errors import TransitionRefused, ValidationFailed
from app.services.facts import assess_one
from app.services.outcomes import check_post, keep_post, post_needed
from app.services.permissions import require_lead, require_preceptor_or_lead
from app.services.unit_of_work import command
from app.services.values import check_date, check_text
from pathways import check_action, format_date, transition_date_problem
from pathways.vocabulary import ACTIONS, FINAL_STAGE

TRANSITION_ACTIONS = ACTIONS


@command("enrolment.transition", target="enrolment_id")
def transition(
    actor: User,
    enrolment_id: int,
    action: object,
    *,
    to: object = None,
    reason: object = "",
    new_end: object = None,
    on: object = None,
    post: object = None,
) -> TransitionEvent:
    """Advance, hold, resume, extend, withdraw or reinstate, when the engine allows it as of the date given.

    Reinstating undoes a mistaken withdrawal: a new event back to the stage and state the enrolment
    was withdrawn from, with a reason; the withdrawal stays in the history.

    Completing a route into work names the post appointed (``post``: post_title, post_band,
    post_starts_on), kept with the completion.
    """
    enrolment = locked_enrolment(actor, enrolment_id)
    if action not in TRANSITION_ACTIONS:
        raise ValidationFailed({"action": f"Choose one of: {', '.join(TRANSITION_ACTIONS)}"})
    if action == "advance":
        require_preceptor_or_lead(actor, enrolment)
    else:
        require_lead(actor, enrolment.organisation_id)
    problems: dict[str, str] = {}
    text = check_text(problems, "reason", reason, max_length=2000)
    end = check_date(problems, "new_end", new_end)
    effective = check_date(problems, "on", on) or today()
    if to is not None and not isinstance(to, str):
        problems["to"] = "Choose the stage to move to"
    if action in ("hold", "extend", "withdraw", "reinstate") and not text and "reason" not in problems:
        problems["reason"] = f"Enter a reason to {action} this enrolment"
    entered = enrolment.stage_entered_on
    if "on" not in problems and (problem := transition_date_problem(effective, today(), entered, str(action))):
        problems["on"] = problem
    withdrawal = _withdrawal(enrolment) if action == "reinstate" else None
    if withdrawal is not None and "on" not in problems and effective < withdrawal.effective_on:
        problems["on"] = f"The date cannot be before the withdrawal on {format_date(withdrawal.effective_on)}"
    assessed = assess_one(enrolment, effective)
    stage = to if isinstance(to, str) else None
    facts = assessed.facts
    appointed = None
    if action == "advance" and post_needed(assessed.definition, enrolment.stage, stage):
        appointed = check_post(problems, post)
        facts = replace(facts, post=appointed)
    if problems:
        raise ValidationFailed(problems)
    if reasons := check_action(assessed.definition, facts, str(action), to=stage, new_end=end):
        raise TransitionRefused(reasons)
    from_stage, from_state = enrolment.stage, enrolment.state
    to_stage, to_state = _outcome(str(action), enrolment, stage, withdrawal)
    event = TransitionEvent(
        enrolment_id=enrolment.id,
        action=action,
        from_stage=from_stage,
        to_stage=to_stage,
        from_state=from_state,
        to_state=to_state,
        effective_on=effective,
        new_end=end,
        reason=text,
        actor_id=actor.id,
    )
    db.session.add(event)
    if appointed is not None:
        db.session.flush()
        keep_post(actor, event, appointed)
    if to_stage != enrolment.stage:
        enrolment.stage_entered_on = effective
    enrolment.stage, enrolment.state = to_stage, to_state
    audit.record(
        actor,
        f"enrolment.{action}",
        event,
        enrolment_id=enrolment.id,
        from_stage=from_stage,
        to_stage=to_stage,
        reason=text,
        new_end=end,
        post=None if appointed is None else vars(appointed),
    )
    return event


def _withdrawal(enrolment: Enrolment) -> TransitionEvent | None:
    """The withdrawal a reinstatement undoes: the latest one, while the enrolment is still withdrawn."""
    if enrolment.state != "withdrawn":
        return None
    return db.session.scalar(
        select(TransitionEvent)
        .where(TransitionEvent.enrolment_id == enrolment.id, TransitionEvent.action == "withdraw")
        .order_by(TransitionEvent.id.desc())
        .limit(1)
    )


def _outcome(action: str, enrolment: Enrolment, to: str | None, withdrawal: TransitionEvent | None) -> tuple[str, str]:
    if action == "advance" and to is not None:
        return to, ("completed" if to == FINAL_STAGE else "active")
    if action == "reinstate":  # back where it was withdrawn from: on hold stays on hold, its clock still stopped
        before = withdrawal.from_stage if withdrawal and withdrawal.from_stage else enrolment.stage
        return before, (withdrawal.from_state if withdrawal and withdrawal.from_state else "active")
    return enrolment.stage, {"hold": "on_hold", "resume": "active", "withdraw": "withdrawn"}.get(
        action, enrolment.state
    )
