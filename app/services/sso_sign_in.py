"""A single sign-on finds its person: checked claims in, an enabled person of that organisation out.

The ID token's signature, issuer, audience, expiry and nonce are checked before this is reached
(app/sso/oidc.py); here the organisation's own rules apply: the email domains it allows, the claim
that identifies its people, and whether a person may be created on their first sign-in (a learner).
"""

from __future__ import annotations

import hashlib
from typing import Any

from sqlalchemy import func, select

from app.extensions import db
from app.models import SsoConfiguration, User
from app.models.base import utcnow
from app.services import audit
from app.services.accounts import create_user, find_by_email
from app.services.errors import ServiceError, ValidationFailed


class SignInRefused(ServiceError):
    """Single sign-on did not let this person in; ``reason`` is what the audit trail records."""

    code = "sso_refused"
    status = 403

    def __init__(self, reason: str, message: str) -> None:
        super().__init__(message)
        self.reason = reason


def refuse(configuration: SsoConfiguration | None, reason: str, message: str, **detail: Any) -> SignInRefused:
    """Record why a sign-in was refused (``sso.refused``) and return the error to raise or show."""
    db.session.rollback()
    audit.record(
        None,
        "sso.refused",
        configuration,
        organisation_id=configuration.organisation_id if configuration else None,
        reason=reason,
        message=message,
        **detail,
    )
    db.session.commit()
    return SignInRefused(reason, message)


def _claim(claims: dict[str, Any], name: str) -> str:
    value = claims.get(name)
    return value.strip() if isinstance(value, str) else str(value) if isinstance(value, int) else ""


def _find(configuration: SsoConfiguration, claims: dict[str, Any], email: str) -> User | None:
    if configuration.match_by == "email":
        where = func.lower(User.email) == email
    else:
        number = _claim(claims, configuration.employee_number_claim)
        if not number:
            raise refuse(
                configuration,
                "missing_claim",
                f"{configuration.provider_name} did not send your employee number, so Waymark cannot tell who you "
                "are. Ask your administrator to check the single sign-on settings.",
                claim=configuration.employee_number_claim,
            )
        where = User.employee_number == number
    return db.session.scalar(select(User).where(User.organisation_id == configuration.organisation_id, where))


def _create(configuration: SsoConfiguration, claims: dict[str, Any], email: str) -> User:
    """A learner named as the provider names them, with the employee number it sends or a marked stand-in."""
    if find_by_email(email) is not None:  # in another organisation: an address belongs to one person
        raise refuse(configuration, "email_elsewhere", _no_account(configuration, email))
    subject = f"{configuration.issuer_url} {claims['sub']}".encode()
    number = _claim(claims, configuration.employee_number_claim) or "SSO-" + hashlib.sha256(subject).hexdigest()[:12]
    try:
        person = create_user(
            configuration.organisation,
            email=email,
            first_name=_claim(claims, "given_name")[:100] or email.split("@")[0][:100],
            last_name=_claim(claims, "family_name")[:100],
            employee_number=number[:40],
        )
    except ValidationFailed as failure:
        raise refuse(
            configuration, "cannot_create", _no_account(configuration, email), fields=failure.fields
        ) from failure
    audit.record(person, "sso.account_created", person, provider=configuration.provider_name)
    return person


def _no_account(configuration: SsoConfiguration, email: str) -> str:
    return (
        f"There is no Waymark account for {email} at {configuration.organisation.name}. "
        "Ask your education team to add you."
    )


def sign_in(configuration: SsoConfiguration, claims: dict[str, Any]) -> User:
    """The enabled person these checked claims name, in the configuration's organisation; audited."""
    email = _claim(claims, "email").lower()
    if claims.get("email_verified") is False:
        raise refuse(
            configuration, "email_unverified", f"{configuration.provider_name} has not verified your email address."
        )
    if not email or email.rpartition("@")[2] not in configuration.domains:
        raise refuse(
            configuration,
            "domain_not_allowed",
            f"{configuration.organisation.name} does not let {email.rpartition('@')[2] or 'that account'} accounts "
            f"sign in to Waymark. Sign in with your {configuration.organisation.name} account.",
            email=email[:254],
        )
    person = _find(configuration, claims, email)
    if person is None and not configuration.create_on_first_sign_in:
        raise refuse(configuration, "unknown_person", _no_account(configuration, email), email=email[:254])
    if person is not None and not person.is_enabled:
        raise refuse(
            configuration,
            "disabled",
            "Your Waymark account has been disabled. Ask your education team if you think this is wrong.",
            user_id=person.id,
        )
    person = person or _create(configuration, claims, email)
    person.last_login_at = utcnow()
    audit.record(person, "sso.login", person, provider=configuration.provider_name, subject=_claim(claims, "sub")[:200])
    db.session.commit()
    return person
