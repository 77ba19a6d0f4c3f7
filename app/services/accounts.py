"""Signing in, passwords and creating people."""

from __future__ import annotations

from datetime import date

from sqlalchemy import func, select

from app.extensions import db
from app.models import ROLES, Organisation, Site, User
from app.models.base import utcnow
from app.services import audit, tokens, two_factor
from app.services.errors import ValidationFailed
from app.services.passwords import hash_password, needs_rehash, password_problem, verify_password
from app.services.values import check_profession, text_problem

_DUMMY_HASH = hash_password("not-a-real-password-used-for-timing")


def find_by_email(email: str) -> User | None:
    return db.session.scalar(select(User).where(func.lower(User.email) == email.strip().lower()))


def authenticate(email: str, password: str) -> User | None:
    """The user when the password is right and the account enabled; the same work either way."""
    user = find_by_email(email)
    ok = verify_password(user.password_hash if user else _DUMMY_HASH, password)
    # A user without a password hash never verifies, so the last check only tells the type checker.
    if user is None or not ok or not user.is_enabled or user.password_hash is None:
        audit.record(
            None,
            "auth.login_failed",
            user,
            organisation_id=user.organisation_id if user else None,
            email=email.strip().lower()[:254],
        )
        db.session.commit()
        return None
    if needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    if two_factor.is_enabled(user):  # signed in once the code is right too: services/two_factor.py
        audit.record(user, "auth.password_passed", user)
    else:
        user.last_login_at = utcnow()
        audit.record(user, "auth.login", user)
    db.session.commit()
    return user


def sign_out(user: User) -> None:
    """End the session on the server: a copy of the cookie, or the same account elsewhere, stops working too."""
    user.session_version += 1
    audit.record(user, "auth.logout", user)
    db.session.commit()


def context_words(user: User) -> list[str]:
    """Words a guesser tries first for this person: their name, address and organisation."""
    whole_name = "".join(character for character in user.full_name.lower() if character.isalpha())
    words = [user.first_name, user.last_name, whole_name, *user.email.replace("@", ".").split("."), "waymark", "nhs"]
    return [word for word in words + user.organisation.name.split() if len(word) > 2]


def change_password(user: User, current: str, new: str, confirm: str) -> None:
    """Change the password and end every session and API token of this user."""
    problems = {}
    if not verify_password(user.password_hash, current):
        problems["current_password"] = "Your current password is not right"
    if problems := {**problems, **new_password_problems(user, new, confirm)}:
        raise ValidationFailed(problems)
    user.password_hash = hash_password(new)
    user.session_version += 1
    tokens.end_all(user, user)
    audit.record(user, "auth.password_changed", user)
    db.session.commit()


def new_password_problems(user: User, new: str, confirm: str) -> dict[str, str]:
    """The policy's verdict on a new password for this person, and whether it was typed the same twice."""
    if problem := password_problem(new, email=user.email, context=context_words(user)):
        return {"new_password": problem}
    if new != confirm:
        return {"confirm_password": "The passwords do not match"}
    return {}


def create_user(
    organisation: Organisation,
    *,
    email: str,
    first_name: str,
    last_name: str,
    employee_number: str,
    role: str = "learner",
    password: str | None = None,
    site: Site | None = None,
    profession: str = "",
    band: str = "",
    registration_date: date | None = None,
    preceptor_training_date: date | None = None,
    date_of_birth: date | None = None,
    contracted_hours_per_week: float | None = None,
    leaving_date: date | None = None,
    actor: User | None = None,
) -> User:
    """Add a person to an organisation; the caller commits. ``profession`` may be a key or an ESR wording."""
    problems = header_problems(email=email, first_name=first_name, last_name=last_name)
    profession = check_profession(problems, "profession", profession)
    if role not in ROLES:
        problems["role"] = f"Role must be one of: {', '.join(ROLES)}"
    if problems:
        raise ValidationFailed(problems)
    user = User(
        organisation_id=organisation.id,
        email=email.strip().lower(),
        first_name=first_name.strip(),
        last_name=last_name.strip(),
        employee_number=employee_number.strip(),
        role=role,
        site_id=site.id if site else None,
        profession=profession,
        band=band,
        registration_date=registration_date,
        preceptor_training_date=preceptor_training_date,
        date_of_birth=date_of_birth,
        contracted_hours_per_week=contracted_hours_per_week,
        leaving_date=leaving_date,
        password_hash=hash_password(password) if password else None,
    )
    db.session.add(user)
    audit.record(actor, "user.created", user, organisation_id=organisation.id, role=role)
    return user


UPDATABLE = (
    "email",
    "first_name",
    "last_name",
    "role",
    "site_id",
    "profession",
    "band",
    "date_of_birth",
    "registration_date",
    "preceptor_training_date",
    "contracted_hours_per_week",
    "leaving_date",
)


def header_problems(**values: object) -> dict[str, str]:
    """Names and addresses reach email headers: a line break or control character is refused at input."""
    return {
        name: problem
        for name, value in values.items()
        if isinstance(value, str) and (problem := text_problem(value.strip(), single_line=True))
    }


def update_user(user: User, changes: dict[str, object], *, actor: User | None = None) -> dict[str, object]:
    """Apply already-checked changes to a person's details; returns what changed. The caller commits."""
    if problems := header_problems(**{k: v for k, v in changes.items() if k in ("email", "first_name", "last_name")}):
        raise ValidationFailed(problems)
    changed: dict[str, object] = {}
    for name, value in changes.items():
        if name not in UPDATABLE:
            raise ValueError(f"{name} cannot be changed here")
        if name == "role" and value not in ROLES:
            raise ValidationFailed({"role": f"Role must be one of: {', '.join(ROLES)}"})
        if name == "email":
            value = str(value).strip().lower()
        if name == "profession":
            refused: dict[str, str] = {}
            value = check_profession(refused, name, value)
            if refused:
                raise ValidationFailed(refused)
        if getattr(user, name) != value:
            changed[name] = {"from": getattr(user, name), "to": value}
            setattr(user, name, value)
    if changed:
        audit.record(actor, "user.updated", user, organisation_id=user.organisation_id, changes=changed)
    return changed
