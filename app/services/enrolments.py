"""Enrol learners and assign their preceptors; ``transitions`` moves them through their programme."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import joinedload

from app.extensions import db
from app.models import Cohort, Enrolment, PathwayVersion, PreceptorAssignment, TransitionEvent, User
from app.models.programmes import OPEN_STATES
from app.services import audit
from app.services.catalogue import latest_definition, pathway_version
from app.services.clock import today
from app.services.errors import NotFound, StateConflict, ValidationFailed
from app.services.fact_versions import learner_version, remember_learner_version
from app.services.permissions import remember_open_assignments, require_lead, require_view
from app.services.preceptor_rules import eligibility_problems, override_decision, person, preceptor_problem
from app.services.prerequisite_checks import entry_problem
from app.services.request_memo import remembered
from app.services.unit_of_work import command, lock_enrolment, lock_person
from app.services.values import check_date, check_id, check_text
from pathways import Definition, learner_problem


def get_enrolment(actor: User, enrolment_id: int) -> Enrolment:
    """Fetch an enrolment the actor may see; another organisation's is 'not found'."""
    enrolment = remembered(("enrolment", enrolment_id), lambda: _read_enrolment(enrolment_id))
    if enrolment is None or enrolment.organisation_id != actor.organisation_id:
        raise NotFound("There is no such enrolment")
    require_view(actor, enrolment)
    return enrolment


def _read_enrolment(enrolment_id: int) -> Enrolment | None:
    """The enrolment with what every page of it reads next, in one statement: the learner and cohort it
    shows, its current preceptor assignments (the permission check's) and the version of the learner's
    facts (``kept_verdicts``), both remembered for the rest of the request."""
    rows = db.session.execute(
        select(Enrolment, PreceptorAssignment, learner_version())
        .options(joinedload(Enrolment.learner), joinedload(Enrolment.cohort))
        .outerjoin(
            PreceptorAssignment,
            (PreceptorAssignment.enrolment_id == Enrolment.id) & PreceptorAssignment.ended_on.is_(None),
        )
        .where(Enrolment.id == enrolment_id)
        .order_by(PreceptorAssignment.id)
    ).all()
    if not rows:
        return None
    enrolment, _, version = rows[0]
    remember_open_assignments(enrolment.id, [assignment for _, assignment, _ in rows if assignment is not None])
    remember_learner_version(enrolment.id, version)
    return enrolment


def locked_enrolment(actor: User, enrolment_id: int) -> Enrolment:
    """The enrolment, read afresh under the one-writer lock, for a command that changes it."""
    get_enrolment(actor, enrolment_id)
    enrolment = lock_enrolment(enrolment_id)
    assert enrolment is not None  # rows are never deleted
    return enrolment


def _user_in_org(user_id: int, organisation_id: int, what: str) -> User:
    user = db.session.get(User, user_id)
    if user is None or user.organisation_id != organisation_id:
        raise ValidationFailed({what: f"There is no such {what} in your organisation"})
    return user


def cohort_problem(cohort: Cohort | None, organisation_id: int, pathway_key: str) -> str | None:
    if cohort is None or cohort.organisation_id != organisation_id:
        return "There is no such cohort in your organisation"
    if cohort.pathway_key != pathway_key:
        return f"Cohort {cohort.name} is on a different programme"
    return None


def _preceptor_problems(preceptor: User, learner: User, pathway_key: str, on: date) -> list[str]:
    """Everything that stops this preceptor supporting this learner on ``on``, the role's problem alone first."""
    if problem := preceptor_problem(preceptor, learner.organisation_id, learner.id):
        return [problem]
    return eligibility_problems(preceptor, learner, pathway_key, on)


def open_enrolment_id(learner_id: int, pathway_key: str) -> int | None:
    return db.session.scalar(
        select(Enrolment.id).where(
            Enrolment.learner_id == learner_id,
            Enrolment.state.in_(OPEN_STATES),
            Enrolment.pathway_key == pathway_key,
        )
    )


@command("enrolment.create", target="learner_id")
def enrol(
    actor: User,
    *,
    learner_id: object,
    pathway_key: object,
    start_date: object,
    cohort_id: object = None,
    preceptor_id: object = None,
) -> Enrolment:
    """Enrol a learner on the latest version of a programme, optionally with a preceptor."""
    require_lead(actor, actor.organisation_id)
    problems: dict[str, str] = {}
    learner_number = check_id(problems, "learner", learner_id, message="There is no such learner in your organisation")
    cohort_number = check_id(problems, "cohort", cohort_id, message="There is no such cohort in your organisation")
    preceptor_number = check_id(
        problems, "preceptor", preceptor_id, message="There is no such preceptor in your organisation"
    )
    start = check_date(problems, "start_date", start_date, required="Enter the start date")
    if not isinstance(pathway_key, str) or not pathway_key:
        problems["pathway"] = "Select a programme"
    if learner_number is None and "learner" not in problems:
        problems["learner"] = "Select the learner"
    if problems:
        raise ValidationFailed(problems)
    assert isinstance(pathway_key, str) and learner_number is not None and start is not None
    definition = latest_definition(pathway_key)
    learner = _user_in_org(learner_number, actor.organisation_id, "learner")
    lock_person(learner.id)  # one enrolment of this person at a time
    if problem := learner_problem(person(learner), actor.id):
        problems["learner"] = problem
    elif open_enrolment_id(learner.id, definition.key):
        raise StateConflict({"learner": f"{learner.full_name} is already on this programme"})
    elif problem := entry_problem(definition, learner, start):
        problems["learner"] = problem
    cohort = None
    if cohort_number is not None:
        cohort = db.session.get(Cohort, cohort_number)
        if problem := cohort_problem(cohort, actor.organisation_id, definition.key):
            problems["cohort"] = problem
    preceptor = None
    if preceptor_number is not None:
        preceptor = _user_in_org(preceptor_number, actor.organisation_id, "preceptor")
        if found := _preceptor_problems(preceptor, learner, definition.key, start):
            problems["preceptor"] = "; ".join(found)
    if problems:
        raise ValidationFailed(problems)
    version = pathway_version(definition)
    [enrolment] = add_enrolments(actor, [NewEnrolment(learner, version, definition, start, cohort, preceptor)])
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
    """Write checked enrolments with their first events, preceptors and audit events; one flush for all.

    The caller has checked each item with the rules ``enrol`` applies (the import checks them in bulk);
    the lead's permission is checked here again, and the database's unique index refuses a second open
    enrolment of one person on one programme, whoever writes it. ``actor`` None is the system (CLI).
    """
    for organisation_id in {item.learner.organisation_id for item in items}:
        if actor is not None:
            require_lead(actor, organisation_id)
    enrolments = [
        Enrolment(
            organisation_id=item.learner.organisation_id,
            learner_id=item.learner.id,
            pathway_version_id=item.version.id,
            pathway_key=item.definition.key,
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


def _assign(
    actor: User, enrolment: Enrolment, preceptor: User, on: date, reason: str, override: str
) -> PreceptorAssignment:
    if problem := preceptor_problem(preceptor, enrolment.organisation_id, enrolment.learner_id):
        raise ValidationFailed({"preceptor": problem})
    current = db.session.scalars(
        select(PreceptorAssignment).where(
            PreceptorAssignment.enrolment_id == enrolment.id, PreceptorAssignment.ended_on.is_(None)
        )
    ).all()
    if any(a.preceptor_id == preceptor.id for a in current):
        raise ValidationFailed({"preceptor": f"{preceptor.full_name} is already this learner's preceptor"})
    title = latest_definition(enrolment.pathway_key).preceptor_title
    problems = eligibility_problems(preceptor, enrolment.learner, enrolment.pathway_key, on)
    decision = override_decision(enrolment, preceptor, problems, override, title)
    for assignment in current:
        assignment.ended_on = on
    assignment = PreceptorAssignment(
        enrolment_id=enrolment.id,
        preceptor_id=preceptor.id,
        assigned_on=on,
        reason=reason,
        assigned_by_id=actor.id,
        override_reason=decision.reason if decision else "",
        overridden_rules="\n".join(decision.rules) if decision else "",
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
        override_reason=decision.reason if decision else "",
        overridden_rules=list(decision.rules) if decision else [],
    )
    return assignment


@command("preceptor.assign", target="enrolment_id")
def assign_preceptor(
    actor: User, enrolment_id: int, preceptor_id: object, reason: object = "", override_reason: object = ""
) -> PreceptorAssignment:
    """Assign (or reassign) a learner's preceptor; the previous assignment is ended, not deleted.

    A preceptor who does not meet the programme's rules is refused with each rule named, unless the
    lead gives an override reason and no eligible preceptor exists; the override is recorded.
    """
    enrolment = locked_enrolment(actor, enrolment_id)
    require_lead(actor, enrolment.organisation_id)
    problems: dict[str, str] = {}
    number = check_id(problems, "preceptor", preceptor_id, message="There is no such preceptor in your organisation")
    text = check_text(problems, "reason", reason, max_length=2000)
    override = check_text(problems, "override_reason", override_reason, max_length=2000)
    if number is None and not problems:
        problems["preceptor"] = "Select the preceptor"
    if problems:
        raise ValidationFailed(problems)
    assert number is not None
    preceptor = _user_in_org(number, enrolment.organisation_id, "preceptor")
    return _assign(actor, enrolment, preceptor, today(), text, override)
