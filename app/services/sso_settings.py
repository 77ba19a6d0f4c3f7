"""An organisation's single sign-on settings: checked, saved by its administrators, audited.

The client secret is stored encrypted (Fernet, with a key derived from SECRET_KEY) and is never
shown back or written to the audit trail; changing SECRET_KEY means entering the secret again.
"""

from __future__ import annotations

import base64
import ipaddress
import re
from typing import Any
from urllib.parse import urlsplit

from cryptography.fernet import Fernet, InvalidToken
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from flask import current_app
from sqlalchemy import select

from app.extensions import db
from app.models import MATCH_BY, Organisation, SsoConfiguration, User
from app.models.base import utcnow
from app.services import audit
from app.services.errors import PermissionDenied, ValidationFailed
from app.services.unit_of_work import command
from app.services.values import check_text

DOMAIN = re.compile(r"^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$")
CLAIM_NAME = re.compile(r"^[A-Za-z0-9_:./-]{1,100}$")
SETTINGS = (
    "is_enabled",
    "provider_name",
    "issuer_url",
    "client_id",
    "allowed_domains",
    "match_by",
    "employee_number_claim",
    "create_on_first_sign_in",
)


def _fernet() -> Fernet:
    key = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=b"waymark sso client secret").derive(
        current_app.config["SECRET_KEY"].encode()
    )
    return Fernet(base64.urlsafe_b64encode(key))


def client_secret(configuration: SsoConfiguration) -> str:
    """The stored secret, decrypted; empty when none is stored or SECRET_KEY has changed since."""
    try:
        return _fernet().decrypt(configuration.client_secret_encrypted.encode()).decode()
    except (InvalidToken, ValueError):
        return ""


def for_organisation(organisation_id: int) -> SsoConfiguration | None:
    return db.session.scalar(select(SsoConfiguration).where(SsoConfiguration.organisation_id == organisation_id))


def switched_on() -> list[SsoConfiguration]:
    """Every organisation that offers single sign-on, by name: the sign-in page's choices."""
    query = (
        select(SsoConfiguration)
        .join(Organisation)
        .where(SsoConfiguration.is_enabled.is_(True))
        .order_by(Organisation.name)
    )
    return list(db.session.scalars(query))


def switched_on_for(slug: str) -> SsoConfiguration | None:
    return db.session.scalar(
        select(SsoConfiguration)
        .join(Organisation)
        .where(Organisation.slug == slug, SsoConfiguration.is_enabled.is_(True))
    )


def _loopback(host: str) -> bool:
    try:
        return host == "localhost" or ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _issuer(problems: dict[str, str], value: object) -> str:
    issuer = check_text(
        problems, "issuer_url", value, max_length=500, single_line=True, required="Enter the issuer URL"
    )
    if issuer and "issuer_url" not in problems:
        parts = urlsplit(issuer)
        secure = parts.scheme == "https" or (parts.scheme == "http" and _loopback(parts.hostname or ""))
        if not secure or not parts.hostname or parts.query or parts.fragment:
            problems["issuer_url"] = (
                "Enter the issuer URL as the provider gives it, starting https://, "
                "like https://login.microsoftonline.com/your-tenant-id/v2.0"
            )
    return issuer


def _domains(problems: dict[str, str], value: object) -> str:
    text = check_text(problems, "allowed_domains", value, max_length=2000, required="Enter at least one email domain")
    domains = [part.lstrip("@").lower() for part in re.split(r"[\s,;]+", text) if part]
    if bad := [domain for domain in domains if not DOMAIN.match(domain)]:
        problems["allowed_domains"] = f"“{bad[0][:60]}” is not an email domain: enter domains like nhs.net"
    return " ".join(dict.fromkeys(domains))


def checked(values: dict[str, Any], stored: SsoConfiguration | None) -> dict[str, Any]:
    """The settings to store, or every problem with them (ValidationFailed)."""
    problems: dict[str, str] = {}
    claim = check_text(
        problems, "employee_number_claim", values.get("employee_number_claim") or "employee_number", max_length=100
    )
    if "employee_number_claim" not in problems and not CLAIM_NAME.match(claim):
        problems["employee_number_claim"] = "Enter a claim name of letters, digits, _ : . / or -, like employeeid"
    clean: dict[str, Any] = {
        "provider_name": check_text(
            problems,
            "provider_name",
            values.get("provider_name"),
            max_length=60,
            single_line=True,
            required="Enter the name people know the account by, like NHSmail",
        ),
        "issuer_url": _issuer(problems, values.get("issuer_url")),
        "client_id": check_text(
            problems,
            "client_id",
            values.get("client_id"),
            max_length=200,
            single_line=True,
            required="Enter the client ID the provider gave Waymark",
        ),
        "allowed_domains": _domains(problems, values.get("allowed_domains")),
        "match_by": values.get("match_by"),
        "employee_number_claim": claim,
        "is_enabled": values.get("is_enabled") is True,
        "create_on_first_sign_in": values.get("create_on_first_sign_in") is True,
    }
    if clean["match_by"] not in MATCH_BY:
        problems["match_by"] = "Choose how Waymark finds the person: by email address or by employee number"
    secret = values.get("client_secret") or ""
    if not isinstance(secret, str) or len(secret) > 500 or any(ord(c) < 32 for c in secret):
        problems["client_secret"] = "Enter the client secret as the provider shows it (500 characters or fewer)"
    elif not secret and not (stored and stored.client_secret_encrypted):
        problems["client_secret"] = "Enter the client secret the provider gave Waymark"
    if problems:
        raise ValidationFailed(problems)
    return {**clean, "client_secret": secret}


@command("sso_settings.save")
def save(actor: User, values: dict[str, Any]) -> SsoConfiguration:
    """Set the actor's own organisation's single sign-on; an empty secret keeps the stored one."""
    if actor.role != "admin":
        raise PermissionDenied("Only an administrator can change single sign-on")
    stored = for_organisation(actor.organisation_id)
    clean = checked(values, stored)
    configuration = stored or SsoConfiguration(organisation_id=actor.organisation_id, client_secret_encrypted="")
    changes: dict[str, object] = {
        name: {"from": getattr(stored, name) if stored else None, "to": clean[name]}
        for name in SETTINGS
        if stored is None or getattr(stored, name) != clean[name]
    }
    for name in SETTINGS:
        setattr(configuration, name, clean[name])
    if clean["client_secret"]:
        configuration.client_secret_encrypted = _fernet().encrypt(clean["client_secret"].encode()).decode()
        configuration.secret_set_at = utcnow()
        changes["client_secret"] = "replaced"  # that it changed, never what it is
    db.session.add(configuration)
    if changes:
        audit.record(actor, "sso_settings.saved", configuration, changes=changes)
    return configuration
