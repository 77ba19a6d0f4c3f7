"""People of an organisation, managed by its administrators and leads (leads: learners and preceptors only).

Every check is on the person acted on: another organisation's people are 'not found', and the
import's rule (only administrators make or change administrators and leads) holds here too.
Disabling ends the person's sessions and API tokens at once; their records stay.
"""

from __future__ import annotations

from collections.abc import Mapping

from email_validator import EmailNotValidError, validate_email
from sqlalchemy import Select, func, select

from app.extensions import db
from app.models import ROLES, Site, User
from app.services import account_links, accounts, audit, tokens
from app.services.account_links import Issued
from app.services.errors import NotFound, PermissionDenied, StateConflict, ValidationFailed
from app.services.permissions import is_lead_of, person_change_problem
from app.services.unit_of_work import command
from app.services.values import Problems, check_contracted_hours, check_date, check_id, check_past_date, check_text

TEXT_FIELDS = {"first_name": 100, "last_name": 100, "employee_number": 40, "profession": 60, "band": 10}
DATE_FIELDS = ("date_of_birth", "registration_date", "preceptor_training_date", "leaving_date")
# What has already happened cannot be dated after today; a leaving date is often planned.
PAST_ONLY = ("date_of_birth", "registration_date", "preceptor_training_date")
REQUIRED = {
    "first_name": "Enter a first name",
    "last_name": "Enter a last name",
    "employee_number": "Enter the employee number",
}


def require_manager(actor: User) -> None:
    if not is_lead_of(actor, actor.organisation_id):
        raise PermissionDenied("Only an administrator or a programme lead can manage people")


def person_in_reach(actor: User, person_id: int) -> User:
    """A person of the actor's own organisation; anyone else does not exist for them."""
    require_manager(actor)
    person = db.session.get(User, person_id)
    if person is None or person.organisation_id != actor.organisation_id:
        raise NotFound("There is no such person")
    return person


def people_query(actor: User, *, role: str | None = None) -> Select:
    """The organisation's people by name, optionally of one role (for the page and the API alike)."""
    require_manager(actor)
    query = select(User).where(User.organisation_id == actor.organisation_id)
    if role in ROLES:
        query = query.where(User.role == role)
    return query.order_by(User.last_name, User.first_name, User.id)


def listing(actor: User, *, role: str | None = None) -> list[User]:
    return list(db.session.scalars(people_query(actor, role=role)))


def checked(actor: User, values: Mapping[str, object], *, creating: bool) -> dict[str, object]:
    """The given fields as their stored values, or every problem at once."""
    problems: Problems = {}
    out: dict[str, object] = {}
    for name, limit in TEXT_FIELDS.items():
        if name in values or (creating and name in REQUIRED):
            required = REQUIRED.get(name, "")
            given = values.get(name)
            out[name] = check_text(problems, name, given, max_length=limit, single_line=True, required=required)
    if "email" in values or creating:
        out["email"] = _email(problems, values.get("email"))
    if "role" in values or creating:
        role = str(values.get("role") or "learner").lower()
        if role not in ROLES:
            problems["role"] = f"Choose a role: {', '.join(ROLES)}"
        out["role"] = role
    if "site_id" in values:
        out["site_id"] = _site_id(problems, actor, values["site_id"])
    for name in DATE_FIELDS:
        if name in values:
            check = check_past_date if name in PAST_ONLY else check_date
            out[name] = check(problems, name, values[name])
    if "contracted_hours_per_week" in values:
        name = "contracted_hours_per_week"
        out[name] = check_contracted_hours(problems, name, values[name])
    if problems:
        raise ValidationFailed(problems)
    return out


def _email(problems: Problems, value: object) -> str:
    text = value.strip() if isinstance(value, str) else ""
    if not text:
        problems["email"] = "Enter an email address"
        return ""
    try:
        return validate_email(text, check_deliverability=False).normalized.lower()
    except EmailNotValidError:
        problems["email"] = "Enter an email address in the correct format, like name@example.nhs.uk"
        return ""


def _site_id(problems: Problems, actor: User, value: object) -> int | None:
    message = "Choose a site of your organisation"
    site_id = check_id(problems, "site_id", value, message=message)
    site = db.session.get(Site, site_id) if site_id is not None else None
    if site_id is not None and (site is None or site.organisation_id != actor.organisation_id):
        problems["site_id"] = message
        return None
    return site_id


def _refuse_duplicates(organisation_id: int, values: Mapping[str, object], person_id: int | None = None) -> None:
    problems: Problems = {}
    if email := values.get("email"):
        other = db.session.scalar(select(User.id).where(func.lower(User.email) == email, User.id != (person_id or 0)))
        if other is not None:
            problems["email"] = "Someone already has this email address"
    if number := values.get("employee_number"):
        other = db.session.scalar(
            select(User.id).where(
                User.organisation_id == organisation_id, User.employee_number == number, User.id != (person_id or 0)
            )
        )
        if other is not None:
            problems["employee_number"] = "Someone in your organisation already has this employee number"
    if problems:
        raise ValidationFailed(problems)


def _check_role_rule(actor: User, existing_role: str | None, new_role: object) -> None:
    if problem := person_change_problem(actor.role == "admin", existing_role, str(new_role) if new_role else None):
        raise PermissionDenied(problem[0].upper() + problem[1:])


@command("user.create")
def create(actor: User, values: Mapping[str, object]) -> User:
    """A new person in the actor's organisation, without a password until they accept an invitation."""
    require_manager(actor)
    clean = checked(actor, values, creating=True)
    _check_role_rule(actor, None, clean["role"])
    _refuse_duplicates(actor.organisation_id, clean)
    site = db.session.get(Site, clean["site_id"]) if clean.get("site_id") else None
    person = accounts.create_user(
        actor.organisation,
        email=str(clean["email"]),
        first_name=str(clean["first_name"]),
        last_name=str(clean["last_name"]),
        employee_number=str(clean["employee_number"]),
        role=str(clean["role"]),
        site=site,
        actor=actor,
    )
    db.session.flush()
    rest = {k: v for k, v in clean.items() if k not in ("email", "first_name", "last_name", "employee_number", "role")}
    if rest := {k: v for k, v in rest.items() if v not in (None, "")}:
        accounts.update_user(person, rest, actor=actor)
    return person


@command("user.update", target="person_id")
def update(actor: User, person_id: int, values: Mapping[str, object]) -> dict[str, object]:
    """Change a person's details or role; returns what changed."""
    person = person_in_reach(actor, person_id)
    if str(values.get("email", "")).strip().lower() == person.email:  # unchanged: not checked again
        values = {name: value for name, value in values.items() if name != "email"}
    clean = checked(actor, values, creating=False)
    _check_role_rule(actor, person.role, clean.get("role"))
    if person.id == actor.id and clean.get("role", person.role) != person.role:
        raise PermissionDenied("You cannot change your own role: ask another administrator")
    _refuse_duplicates(person.organisation_id, clean, person.id)
    number = clean.pop("employee_number", None)
    changed = accounts.update_user(person, clean, actor=actor)
    if number is not None and number != person.employee_number:
        changed["employee_number"] = {"from": person.employee_number, "to": number}
        person.employee_number = str(number)
    if "email" in changed or "role" in changed:  # a new address or role: sign in again under it
        person.session_version += 1
    return changed


@command("user.set_enabled", target="person_id")
def set_enabled(actor: User, person_id: int, enabled: bool) -> User:
    """Disable (ending every session and API token at once) or re-enable a person; their records stay."""
    person = person_in_reach(actor, person_id)
    _check_role_rule(actor, person.role, None)
    if person.id == actor.id and not enabled:
        raise PermissionDenied("You cannot disable your own account")
    apply_enabled(person, enabled, actor)
    return person


def apply_enabled(person: User, enabled: bool, actor: User | None) -> None:
    """The change itself, for the pages, the API and the command line alike; the caller commits."""
    if person.is_enabled == enabled:
        return
    person.is_enabled = enabled
    if not enabled:
        person.session_version += 1
        tokens.end_all(person, actor)
    audit.record(actor, "user.enabled" if enabled else "user.disabled", person, organisation_id=person.organisation_id)


@command("user.set_enabled_from_cli")
def set_enabled_by_email(actor: None, email: str, enabled: bool) -> User:
    """``flask users disable|enable EMAIL``: the operator acts, so no role rule applies."""
    person = accounts.find_by_email(email)
    if person is None:
        raise NotFound(f"There is no one with the email address {email}")
    apply_enabled(person, enabled, actor)
    return person


def awaiting_invitation(actor: User, employee_numbers: list[str]) -> list[User]:
    """Of these people (an import's rows), the enabled ones who have no password yet."""
    return [
        person
        for person in db.session.scalars(
            people_query(actor).where(User.employee_number.in_(employee_numbers), User.password_hash.is_(None))
        )
        if person.is_enabled
    ]


def _invitation(person: User, actor: User | None) -> Issued:
    if not person.is_enabled:
        raise StateConflict({"person": f"{person.full_name}'s account is disabled: enable it first"})
    if person.password_hash is not None:
        already = f"{person.full_name} has set a password already: they can use 'Forgot your password?'"
        raise StateConflict({"person": already})
    return account_links.issue(person, "invitation", actor=actor)


@command("user.invite")
def invite(actor: User, person_ids: list[int]) -> list[Issued]:
    """Invitation links for people of the actor's organisation, to be emailed by the caller."""
    found = [person_in_reach(actor, person_id) for person_id in person_ids]
    for person in found:
        _check_role_rule(actor, person.role, None)
    return [_invitation(person, actor) for person in found]


@command("user.invite_from_cli")
def invite_by_email(actor: None, email: str) -> Issued:
    """``flask users invite EMAIL``: one person, by their address."""
    person = accounts.find_by_email(email)
    if person is None:
        raise NotFound(f"There is no one with the email address {email}")
    return _invitation(person, actor)
