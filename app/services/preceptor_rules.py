"""Who may support a learner: the person's role, the programme's national rules and the caseload limit.

Enrolling with a preceptor, assigning one, the import and the lead's select all ask here, so one
answer holds everywhere. The national rules (same profession, band, 12 months registered, training)
apply where the programme's definition says ``[preceptor] registered = true``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import Select, func, select

from app.extensions import db
from app.models import Enrolment, PreceptorAssignment, User
from app.models.programmes import OPEN_STATES
from app.services.catalogue import latest_definition
from app.services.clock import today
from app.services.errors import ValidationFailed
from app.services.permissions import open_assignments, require_lead
from app.services.settings_reads import organisation_settings
from app.services.unit_of_work import lock_person
from pathways import Definition, Person, caseload_problem
from pathways import preceptor_problem as role_problem
from pathways.eligibility import national_preceptor_problems


def person(user: User) -> Person:
    """The plain facts the programme's eligibility rules read."""
    return Person(
        id=user.id,
        name=user.full_name,
        role=user.role,
        enabled=user.is_enabled,
        profession=user.profession,
        band=user.band,
        registration_date=user.registration_date,
        preceptor_trained_on=user.preceptor_training_date,
    )


def preceptor_problem(preceptor: User, organisation_id: int, learner_id: int | None = None) -> str | None:
    """Why this person cannot support anyone here at all (never overridden): organisation, role, account."""
    if preceptor.organisation_id != organisation_id:
        return f"{preceptor.full_name} is not a preceptor in your organisation"
    return role_problem(person(preceptor), learner_id)


def preceptors(organisation_id: int) -> list[User]:
    """The enabled preceptors of one organisation, by name: everyone a lead could assign."""
    return list(
        db.session.scalars(
            select(User)
            .where(User.organisation_id == organisation_id, User.role == "preceptor", User.is_enabled.is_(True))
            .order_by(User.last_name, User.first_name)
        )
    )


def open_caseloads() -> Select[tuple[int, int]]:
    """Open enrolments per preceptor by their current assignment; callers narrow it (one person, one organisation)."""
    return (
        select(PreceptorAssignment.preceptor_id, func.count())
        .join(Enrolment, Enrolment.id == PreceptorAssignment.enrolment_id)
        .where(PreceptorAssignment.ended_on.is_(None), Enrolment.state.in_(OPEN_STATES))
        .group_by(PreceptorAssignment.preceptor_id)
    )


def caseload_held(preceptor_id: int) -> int:
    """How many open enrolments this preceptor supports now."""
    held = db.session.execute(open_caseloads().where(PreceptorAssignment.preceptor_id == preceptor_id))
    return dict(held.tuples().all()).get(preceptor_id, 0)


def caseloads(organisation_id: int) -> dict[int, int]:
    """Open enrolments per preceptor in one organisation, in one query (for the lead's select)."""
    rows = db.session.execute(open_caseloads().where(Enrolment.organisation_id == organisation_id))
    return dict(rows.tuples().all())


def caseload_limit(organisation_id: int, pathway_key: str) -> object:
    return organisation_settings(organisation_id, latest_definition(pathway_key)).get("preceptor_caseload")


def rule_problems(
    definition: Definition, preceptor: Person, learner: Person, on: date, held: int, limit: object
) -> list[str]:
    """Every rule of this programme the preceptor fails for this learner on ``on``; a lead may override these."""
    problems = national_preceptor_problems(preceptor, learner, on) if definition.registered_preceptor else []
    if problem := caseload_problem(preceptor.name, held, limit):
        problems.append(problem)
    return problems


def eligibility_problems(preceptor: User, learner: User, pathway_key: str, on: date) -> list[str]:
    """The rules, read under the preceptor's lock, so two leads cannot both take a last caseload place."""
    limit = caseload_limit(learner.organisation_id, pathway_key)
    if limit:
        lock_person(preceptor.id)
    held = caseload_held(preceptor.id) if limit else 0
    return rule_problems(latest_definition(pathway_key), person(preceptor), person(learner), on, held, limit)


@dataclass(frozen=True)
class Candidate:
    """One preceptor as the lead's select shows them: caseload and what, if anything, rules them out."""

    user: User
    held: int
    problems: tuple[str, ...]

    @property
    def eligible(self) -> bool:
        return not self.problems


def candidates(preceptors: list[User], learner: User, pathway_key: str, on: date) -> list[Candidate]:
    """Each preceptor with their caseload and rule problems for this learner, eligible first."""
    definition = latest_definition(pathway_key)
    limit = caseload_limit(learner.organisation_id, pathway_key)
    held = caseloads(learner.organisation_id)
    rows = [
        Candidate(
            user,
            held.get(user.id, 0),
            tuple(rule_problems(definition, person(user), person(learner), on, held.get(user.id, 0), limit)),
        )
        for user in preceptors
        if user.id != learner.id
    ]
    return sorted(rows, key=lambda c: not c.eligible)


@dataclass(frozen=True)
class Override:
    """A lead's decision to assign someone who does not meet the rules: why, and which rules."""

    reason: str
    rules: tuple[str, ...]


def override_decision(
    enrolment: Enrolment, preceptor: User, problems: list[str], reason: str, title: str
) -> Override | None:
    """None when the rules are met; the override when a reason is given and no one else meets them."""
    if not problems:
        return None
    others = [
        c.user.full_name
        for c in candidates(preceptors(enrolment.organisation_id), enrolment.learner, enrolment.pathway_key, today())
        if c.eligible and c.user.id != preceptor.id
    ]
    if not reason:
        advice = (
            f"eligible now: {', '.join(others)}"
            if others
            else f"no eligible {title} is available, so you may assign them with a reason for the override"
        )
        raise ValidationFailed({"preceptor": "; ".join(problems) + f" ({advice})"})
    if others:
        only = f"An override is only for when no eligible {title} exists; eligible: {', '.join(others)}"
        raise ValidationFailed({"override_reason": only})
    return Override(reason, tuple(problems))


def assignment_choices(actor: User, enrolment: Enrolment) -> tuple[list[Candidate], object]:
    """The lead's select: every preceptor with caseload and eligibility for this learner today, and the limit."""
    require_lead(actor, enrolment.organisation_id)
    rows = candidates(preceptors(enrolment.organisation_id), enrolment.learner, enrolment.pathway_key, today())
    return rows, caseload_limit(enrolment.organisation_id, enrolment.pathway_key)


def open_override(enrolment_id: int) -> PreceptorAssignment | None:
    """The current assignment when a lead overrode the rules to make it (shown on the learner's record)."""
    return next((a for a in open_assignments(enrolment_id) if a.override_reason != ""), None)
