"""Enrol learners, assign preceptors and move enrolments through their programme."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select

from app.extensions import db
from app.models import Cohort, Enrolment, PathwayVersion, PreceptorAssignment, TransitionEvent, User
from app.services import audit
from app.services.catalogue import latest_definition, organisation_settings, pathway_version
from app.services.clock import today
from app.services.errors import NotFound, TransitionRefused, ValidationFailed
from app.services.facts import assess_one
from app.services.permissions import require_lead, require_preceptor_or_lead, require_view
from pathways import Definition, check_action

TRANSITION_ACTIONS = ("advance", "hold", "resume", "extend", "withdraw")


def get_enrolment(actor: User, enrolment_id: int) -> Enrolment:
    """Fetch an enrolment the actor may see; another organisation's is 'not found'."""
    enrolment = db.session.get(Enrolment, enrolment_id)
    if enrolment is None or enrolment.organisation_id != actor.organisation_id:
        raise NotFound("There is no such enrolment")
    require_view(actor, enrolment)
    return enrolment


def _user_in_org(user_id: int, organisation_id: int, what: str) -> User:
    user = db.session.get(User, user_id)
    if user is None or user.organisation_id != organisation_id:
        raise ValidationFailed({what: f"There is no such {what} in your organisation"})
    return user


def preceptor_problem(preceptor: User, organisation_id: int) -> str | None:
    """Why this person cannot support a learner here, if they cannot (shared with the importer)."""
    if preceptor.organisation_id != organisation_id or preceptor.role != "preceptor":
        return f"{preceptor.full_name} is not a preceptor in your organisation"
    if not preceptor.is_enabled:
        return f"{preceptor.full_name}'s account is disabled"
    return None


def caseload_problem(name: str, held: int, limit: object) -> str | None:
    """The organisation's caseload limit, given how many learners the preceptor already supports."""
    if limit and held >= int(limit):
        return f"{name} already supports {held} learners, the limit is {limit}"
    return None


def cohort_problem(cohort: Cohort | None, organisation_id: int, pathway_key: str) -> str | None:
    if cohort is None or cohort.organisation_id != organisation_id:
        return "There is no such cohort in your organisation"
    if cohort.pathway_key != pathway_key:
        return f"Cohort {cohort.name} is on a different programme"
    return None


def _check_preceptor(preceptor: User, organisation_id: int) -> None:
    if problem := preceptor_problem(preceptor, organisation_id):
        raise ValidationFailed({"preceptor": problem})


def _caseload_check(preceptor: User, organisation_id: int, pathway_key: str) -> None:
    definition = latest_definition(pathway_key)
    limit = organisation_settings(organisation_id, definition).get("preceptor_caseload")
    if not limit:
        return
    held = db.session.scalar(
        select(db.func.count())
        .select_from(PreceptorAssignment)
        .join(Enrolment, Enrolment.id == PreceptorAssignment.enrolment_id)
        .where(
            PreceptorAssignment.preceptor_id == preceptor.id,
            PreceptorAssignment.ended_on.is_(None),
            Enrolment.state.in_(("active", "on_hold")),
        )
    )
    if problem := caseload_problem(preceptor.full_name, held, limit):
        raise ValidationFailed({"preceptor": problem})


def enrol(
    actor: User,
    *,
    learner_id: int,
    pathway_key: str,
    start_date: date,
    cohort_id: int | None = None,
    preceptor_id: int | None = None,
    commit: bool = True,
) -> Enrolment:
    """Enrol a learner on the latest version of a programme, optionally with a preceptor."""
    require_lead(actor, actor.organisation_id)
    learner = _user_in_org(learner_id, actor.organisation_id, "learner")
    definition = latest_definition(pathway_key)
    cohort = None
    if cohort_id is not None:
        cohort = db.session.get(Cohort, cohort_id)
        if problem := cohort_problem(cohort, actor.organisation_id, pathway_key):
            raise ValidationFailed({"cohort": problem})
    already = db.session.scalar(
        select(Enrolment.id)
        .join(PathwayVersion, PathwayVersion.id == Enrolment.pathway_version_id)
        .where(
            Enrolment.learner_id == learner.id,
            Enrolment.state.in_(("active", "on_hold")),
            PathwayVersion.key == pathway_key,
        )
    )
    if already:
        raise ValidationFailed({"learner": f"{learner.full_name} is already on this programme"})
    preceptor = None
    if preceptor_id is not None:
        preceptor = _user_in_org(preceptor_id, actor.organisation_id, "preceptor")
        _check_preceptor(preceptor, actor.organisation_id)
        _caseload_check(preceptor, actor.organisation_id, pathway_key)
    version = pathway_version(definition)
    [enrolment] = add_enrolments(actor, [NewEnrolment(learner, version, definition, start_date, cohort, preceptor)])
    if commit:
        db.session.commit()
    return enrolment


@dataclass(frozen=True)
class NewEnrolment:
    """An enrolment the caller has already checked against the rules above."""

    learner: User
    version: PathwayVersion
    definition: Definition
    start_date: date
    cohort: Cohort | None = None
    preceptor: User | None = None


def add_enrolments(actor: User | None, items: Sequence[NewEnrolment]) -> list[Enrolment]:
    """Write checked enrolments with their first events, preceptors and audit events; one flush for all."""
    enrolments = [
        Enrolment(
            organisation_id=item.learner.organisation_id,
            learner_id=item.learner.id,
            pathway_version_id=item.version.id,
            cohort_id=item.cohort.id if item.cohort else None,
            site_id=item.learner.site_id,
            start_date=item.start_date,
            stage=item.definition.stages[0].key,
            stage_entered_on=item.start_date,
            state="active",
        )
        for item in items
    ]
    db.session.add_all(enrolments)
    db.session.flush()
    actor_id = actor.id if actor else None
    for enrolment, item in zip(enrolments, items, strict=True):
        db.session.add(
            TransitionEvent(
                enrolment_id=enrolment.id,
                action="enrol",
                to_stage=enrolment.stage,
                to_state="active",
                effective_on=item.start_date,
                actor_id=actor_id,
            )
        )
        org_id = enrolment.organisation_id
        audit.record(
            actor,
            "enrolment.created",
            enrolment,
            organisation_id=org_id,
            enrolment_id=enrolment.id,
            pathway=item.definition.key,
        )
        if item.preceptor is not None:
            assignment = PreceptorAssignment(
                enrolment_id=enrolment.id,
                preceptor_id=item.preceptor.id,
                assigned_on=item.start_date,
                assigned_by_id=actor_id,
            )
            db.session.add(assignment)
            audit.record(
                actor,
                "preceptor.assigned",
                assignment,
                organisation_id=org_id,
                enrolment_id=enrolment.id,
                preceptor_id=item.preceptor.id,
                replaced=[],
                reason="",
            )
    return enrolments


def _assign(actor: User, enrolment: Enrolment, preceptor: User, on: date, reason: str) -> PreceptorAssignment:
    _check_preceptor(preceptor, enrolment.organisation_id)
    current = db.session.scalars(
        select(PreceptorAssignment).where(
            PreceptorAssignment.enrolment_id == enrolment.id, PreceptorAssignment.ended_on.is_(None)
        )
    ).all()
    if any(a.preceptor_id == preceptor.id for a in current):
        raise ValidationFailed({"preceptor": f"{preceptor.full_name} is already this learner's preceptor"})
    _caseload_check(preceptor, enrolment.organisation_id, enrolment.pathway_version.key)
    for assignment in current:
        assignment.ended_on = on
    assignment = PreceptorAssignment(
        enrolment_id=enrolment.id, preceptor_id=preceptor.id, assigned_on=on, reason=reason, assigned_by_id=actor.id
    )
    db.session.add(assignment)
    audit.record(
        actor,
        "preceptor.assigned",
        assignment,
        enrolment_id=enrolment.id,
        preceptor_id=preceptor.id,
        replaced=[a.preceptor_id for a in current],
        reason=reason,
    )
    return assignment


def assign_preceptor(actor: User, enrolment_id: int, preceptor_id: int, reason: str = "") -> PreceptorAssignment:
    """Assign (or reassign) a learner's preceptor; the previous assignment is ended, not deleted."""
    enrolment = get_enrolment(actor, enrolment_id)
    require_lead(actor, enrolment.organisation_id)
    preceptor = _user_in_org(preceptor_id, enrolment.organisation_id, "preceptor")
    assignment = _assign(actor, enrolment, preceptor, today(), reason.strip())
    db.session.commit()
    return assignment


def transition(
    actor: User,
    enrolment_id: int,
    action: str,
    *,
    to: str | None = None,
    reason: str = "",
    new_end: date | None = None,
    on: date | None = None,
) -> TransitionEvent:
    """Advance, hold, resume, extend or withdraw, when the engine allows it."""
    enrolment = get_enrolment(actor, enrolment_id)
    if action not in TRANSITION_ACTIONS:
        raise ValidationFailed({"action": f"Choose one of: {', '.join(TRANSITION_ACTIONS)}"})
    if action == "advance":
        require_preceptor_or_lead(actor, enrolment)
    else:
        require_lead(actor, enrolment.organisation_id)
    reason = reason.strip()
    if action in ("hold", "extend", "withdraw") and not reason:
        raise ValidationFailed({"reason": f"Enter a reason to {action} this enrolment"})
    effective = on or today()
    if effective < enrolment.stage_entered_on:
        raise ValidationFailed({"on": "The date cannot be before the learner entered their current stage"})
    assessed = assess_one(enrolment, effective)
    reasons = check_action(assessed.definition, assessed.facts, action, to=to, new_end=new_end)
    if reasons:
        raise TransitionRefused(reasons)
    from_stage, from_state = enrolment.stage, enrolment.state
    to_stage, to_state = _outcome(action, enrolment, to, assessed.definition)
    event = TransitionEvent(
        enrolment_id=enrolment.id,
        action=action,
        from_stage=from_stage,
        to_stage=to_stage,
        from_state=from_state,
        to_state=to_state,
        effective_on=effective,
        new_end=new_end,
        reason=reason,
        actor_id=actor.id,
    )
    db.session.add(event)
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
        reason=reason,
        new_end=new_end,
    )
    db.session.commit()
    return event


def _outcome(action: str, enrolment: Enrolment, to: str | None, definition: Definition) -> tuple[str, str]:
    if action == "advance":
        final = definition.stages[-1].key
        return to, ("completed" if to == final else "active")
    return enrolment.stage, {"hold": "on_hold", "resume": "active", "withdraw": "withdrawn"}.get(
        action, enrolment.state
    )
