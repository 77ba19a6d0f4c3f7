"""Invitation and reset links: single use, expiring, stored as SHA-256 so a database copy opens nothing."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import select, update

from app.extensions import db
from app.models import AccountLink, User
from app.models.base import utcnow
from app.services import audit, tokens
from app.services.accounts import find_by_email, new_password_problems
from app.services.errors import ValidationFailed
from app.services.passwords import hash_password
from app.services.tokens import token_hash

LINK_BYTES = 32


@dataclass(frozen=True)
class Issued:
    """A link just made: whom it is for and the secret part of its address, to be emailed once."""

    user: User
    purpose: str
    token: str
    expires_at: datetime


class LinkUnusable(Exception):
    """A link that was used already, has expired or never existed; ``message`` says which in plain words."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def lifetime(purpose: str) -> timedelta:
    config = current_app.config
    if purpose == "invitation":
        return timedelta(days=config["INVITATION_DAYS"])
    return timedelta(hours=config["RESET_LINK_HOURS"])


def issue(user: User, purpose: str, *, actor: User | None = None) -> Issued:
    """A new link for ``user``; earlier unused links of the same purpose stop working. The caller commits."""
    now = utcnow()
    db.session.execute(
        update(AccountLink)
        .where(AccountLink.user_id == user.id, AccountLink.purpose == purpose, AccountLink.used_at.is_(None))
        .values(used_at=now)
    )
    token = secrets.token_urlsafe(LINK_BYTES)
    expires_at = now + lifetime(purpose)
    link = AccountLink(user_id=user.id, purpose=purpose, token_hash=token_hash(token), expires_at=expires_at)
    db.session.add(link)
    audit.record(actor, f"account_link.{purpose}_sent", user, organisation_id=user.organisation_id)
    return Issued(user, purpose, token, link.expires_at)


def reset_for_locked(email: str) -> Issued | None:
    """A reset link for the account just locked by wrong passwords, if there is one to send it to. Commits."""
    user = find_by_email(email)
    if user is None or not user.is_enabled:
        return None
    issued = issue(user, "reset")
    audit.record(None, "auth.account_locked", user, organisation_id=user.organisation_id)
    db.session.commit()
    return issued


def reset_requested(email: str) -> Issued | None:
    """'Forgot your password?': a link for an enabled account, None for an unknown address. Commits."""
    user = find_by_email(email)
    if user is None or not user.is_enabled:
        return None
    issued = issue(user, "reset")
    db.session.commit()
    return issued


def find(token: str) -> AccountLink:
    """The link a token opens, or ``LinkUnusable`` saying why it does not."""
    link = db.session.scalar(select(AccountLink).where(AccountLink.token_hash == token_hash(token))) if token else None
    if link is None:
        raise LinkUnusable("This link is not right. Check you copied the whole link from the email.")
    if link.used_at is not None:
        raise LinkUnusable("This link has already been used. Each link works once.")
    if tokens.aware(link.expires_at) <= utcnow():
        raise LinkUnusable("This link has expired.")
    user = db.session.get_one(User, link.user_id)
    if not user.is_enabled:
        raise LinkUnusable("This account is disabled. Ask your education team.")
    return link


def owner(link: AccountLink) -> User:
    return db.session.get_one(User, link.user_id)


def set_password(token: str, new: str, confirm: str) -> User:
    """Use a link once: set the password, end every session and API token. Commits."""
    link = find(token)
    user = db.session.get_one(User, link.user_id)
    if problems := new_password_problems(user, new, confirm):
        raise ValidationFailed(problems)
    # Claimed with a conditional update, so two requests racing with one link cannot both use it.
    claimed = db.session.execute(
        update(AccountLink).where(AccountLink.id == link.id, AccountLink.used_at.is_(None)).values(used_at=utcnow())
    )
    if claimed.rowcount != 1:  # type: ignore[attr-defined]
        db.session.rollback()
        raise LinkUnusable("This link has already been used. Each link works once.")
    user.password_hash = hash_password(new)
    user.session_version += 1
    tokens.end_all(user, user)
    audit.record(user, f"auth.password_set_by_{link.purpose}", user, organisation_id=user.organisation_id)
    db.session.commit()
    return user
