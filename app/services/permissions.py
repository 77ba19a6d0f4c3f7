"""Object-level permission rules: who may see and act on what."""

from __future__ import annotations

from sqlalchemy import select

from app.extensions import db
from app.models import Enrolment, PreceptorAssignment, User
from app.services.errors import PermissionDenied
from app.services.request_memo import remember, remembered

STAFF_ROLES = ("lead", "admin")


def is_lead_of(actor: User, organisation_id: int) -> bool:
    return actor.role in STAFF_ROLES and actor.organisation_id == organisation_id


def open_assignments(enrolment_id: int) -> list[PreceptorAssignment]:
    """The enrolment's current preceptor assignments. Every check on the enrolment asks, and its page
    shows an override among them: read once per request until something is written."""

    def read() -> list[PreceptorAssignment]:
        return list(
            db.session.scalars(
                select(PreceptorAssignment).where(
                    PreceptorAssignment.enrolment_id == enrolment_id,
                    PreceptorAssignment.ended_on.is_(None),
                )
            )
        )

    return remembered(("open_assignments", enrolment_id), read)


def remember_open_assignments(enrolment_id: int, assignments: list[PreceptorAssignment]) -> None:
    """What ``open_assignments`` would read, read already with the enrolment."""
    remember(("open_assignments", enrolment_id), assignments)


def current_preceptor_ids(enrolment: Enrolment) -> set[int]:
    return {assignment.preceptor_id for assignment in open_assignments(enrolment.id)}


def is_preceptor_of(actor: User, enrolment: Enrolment) -> bool:
    return (
        actor.organisation_id == enrolment.organisation_id
        and actor.role == "preceptor"
        and actor.id in current_preceptor_ids(enrolment)
    )


def can_view(actor: User, enrolment: Enrolment) -> bool:
    if actor.organisation_id != enrolment.organisation_id:
        return False
    return (
        actor.id == enrolment.learner_id
        or is_lead_of(actor, enrolment.organisation_id)
        or is_preceptor_of(actor, enrolment)
    )


def require_view(actor: User, enrolment: Enrolment) -> None:
    if not can_view(actor, enrolment):
        raise PermissionDenied("You do not have access to this learner's record")


def require_learner(actor: User, enrolment: Enrolment) -> None:
    if actor.id != enrolment.learner_id or actor.organisation_id != enrolment.organisation_id:
        raise PermissionDenied("Only the learner can do this for their own programme")


def require_assessor(actor: User, enrolment: Enrolment) -> None:
    """Sign-offs and reviews: the learner's assigned preceptor, never the learner."""
    if actor.id == enrolment.learner_id:
        raise PermissionDenied("You cannot sign off or review your own programme")
    if not is_preceptor_of(actor, enrolment):
        raise PermissionDenied("Only a preceptor assigned to this learner can do this")


def require_preceptor_or_lead(actor: User, enrolment: Enrolment) -> None:
    if actor.id == enrolment.learner_id:
        raise PermissionDenied("You cannot move your own programme on")
    if not (is_preceptor_of(actor, enrolment) or is_lead_of(actor, enrolment.organisation_id)):
        raise PermissionDenied("Only this learner's preceptor or a programme lead can do this")


def require_lead(actor: User, organisation_id: int) -> None:
    if not is_lead_of(actor, organisation_id):
        raise PermissionDenied("Only a programme lead of this organisation can do this")


STAFF_ONLY_ADMINS_MANAGE = ("admin", "lead")


def person_change_problem(actor_is_admin: bool, existing_role: str | None, new_role: str | None) -> str | None:
    """Only administrators make administrators or leads, or change anything about one.

    Checked whether or not the change names a role: a lead's import that changes an administrator's
    email would otherwise lock the administrator out.
    """
    if actor_is_admin:
        return None
    if existing_role in STAFF_ONLY_ADMINS_MANAGE:
        what = "an administrator" if existing_role == "admin" else "a programme lead"
        return f"only an administrator can change the details of {what}"
    if new_role in STAFF_ONLY_ADMINS_MANAGE and new_role != existing_role:
        return "only an administrator can make someone an administrator or a programme lead"
    return None
