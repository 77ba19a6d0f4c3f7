"""API tokens: shown once, stored as SHA-256, expiring (``API_TOKEN_DAYS``), revocable."""

from __future__ import annotations

import hashlib
import secrets
from datetime import UTC, datetime, timedelta

from flask import current_app
from sqlalchemy import select

from app.extensions import db
from app.models import ApiToken, User
from app.models.base import utcnow
from app.services import audit
from app.services.errors import NotFound, ValidationFailed

PREFIX = "wm_"
_TOUCH_EVERY = timedelta(minutes=5)  # last_used_at is a hint, not worth a write per request


def aware(moment: datetime) -> datetime:
    """SQLite hands back naive datetimes; every stored time is UTC."""
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def issue(user: User, *, name: str = "", actor: User | None = None) -> str:
    """A new token for ``user``; the caller shows it once, because only its hash is kept."""
    if not user.is_enabled:
        raise ValidationFailed({"user": f"{user.full_name}'s account is disabled"})
    token = PREFIX + secrets.token_urlsafe(32)
    expires_at = utcnow() + timedelta(days=current_app.config["API_TOKEN_DAYS"])
    row = ApiToken(user_id=user.id, token_hash=token_hash(token), name=name.strip()[:100], expires_at=expires_at)
    db.session.add(row)
    audit.record(actor, "api_token.created", row, organisation_id=user.organisation_id, user_id=user.id, name=name)
    db.session.commit()
    return token


def authenticate(token: str) -> tuple[User, ApiToken] | None:
    """The enabled user behind a live token, or None."""
    if not token.startswith(PREFIX) or len(token) > 200:
        return None
    row = db.session.scalar(select(ApiToken).where(ApiToken.token_hash == token_hash(token)))
    now = utcnow()
    if row is None or not is_live(row):
        return None
    user = db.session.get(User, row.user_id)
    if user is None or not user.is_enabled:
        return None
    if row.last_used_at is None or now - aware(row.last_used_at) > _TOUCH_EVERY:
        row.last_used_at = now
        db.session.commit()
    return user, row


def owned(user: User) -> list[ApiToken]:
    """A person's tokens, newest first, for their own page."""
    return list(db.session.scalars(select(ApiToken).where(ApiToken.user_id == user.id).order_by(ApiToken.id.desc())))


def is_live(token: ApiToken) -> bool:
    return token.revoked_at is None and aware(token.expires_at) > utcnow()


def revoke_own(actor: User, token_id: int) -> ApiToken:
    """The owner ends one of their tokens from their page; anyone else's is 'no such token'."""
    token = db.session.get(ApiToken, token_id)
    if token is None:
        raise NotFound("There is no such token")
    revoke(actor, token)
    return token


def revoke(actor: User | None, token: ApiToken) -> None:
    """End a token now; ``actor`` is its owner, or None for the command line."""
    if actor is not None and actor.id != token.user_id:
        raise NotFound("There is no such token")
    if token.revoked_at is None:
        token.revoked_at = utcnow()
        owner = db.session.get_one(User, token.user_id)
        audit.record(actor, "api_token.revoked", token, organisation_id=owner.organisation_id, user_id=owner.id)
        db.session.commit()


def revoke_all(user: User) -> int:
    """The command line's 'revoke every token of this person'; returns how many were live."""
    count = end_all(user, None)
    db.session.commit()
    return count


def end_all(user: User, actor: User | None) -> int:
    """Revoke every live token of ``user`` inside the caller's transaction (password change, disabling)."""
    live = db.session.scalars(select(ApiToken).where(ApiToken.user_id == user.id, ApiToken.revoked_at.is_(None)))
    count = 0
    for token in live.all():
        token.revoked_at = utcnow()
        audit.record(actor, "api_token.revoked", token, organisation_id=user.organisation_id, user_id=user.id)
        count += 1
    return count
