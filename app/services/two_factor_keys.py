"""The two-factor secrets at rest: TOTP secrets encrypted (Fernet), recovery codes as keyed hashes.

Both keys are derived from ``TWO_FACTOR_KEY`` (or, when it is unset, from ``SECRET_KEY``), which lives
in the environment and never in the database: a copy of the database alone neither reads a secret
nor tests a guessed recovery code. Recovery codes carry 50 random bits, so a keyed SHA-256 is as safe
for them as Argon2 and lets a code be found by its hash instead of trying ten slow hashes per attempt.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets

from cryptography.fernet import Fernet, InvalidToken
from flask import current_app

from app.services.errors import ServiceError

# No 0/O or 1/I/L: a code is read off paper and typed.
RECOVERY_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
RECOVERY_LENGTH = 10


class SecretUnreadable(ServiceError):
    """The key changed since the secret was stored: only a recovery code can help now."""

    code = "secret_unreadable"
    status = 409


def _key(purpose: bytes) -> bytes:
    material = current_app.config.get("TWO_FACTOR_KEY") or current_app.config["SECRET_KEY"]
    return hmac.new(str(material).encode(), b"waymark two-factor " + purpose, hashlib.sha256).digest()


def _fernet() -> Fernet:
    return Fernet(base64.urlsafe_b64encode(_key(b"totp secret")))


def seal(secret: str) -> str:
    return _fernet().encrypt(secret.encode()).decode()


def unseal(sealed: str) -> str:
    try:
        return _fernet().decrypt(sealed.encode()).decode()
    except InvalidToken as error:
        raise SecretUnreadable(
            "Your authenticator app can no longer be checked because the server's key changed. "
            "Use one of your recovery codes, then set up two-factor again"
        ) from error


def new_recovery_code() -> str:
    """ABCDE-FGHJK: 10 characters from 31, about 50 bits."""
    code = "".join(secrets.choice(RECOVERY_ALPHABET) for _ in range(RECOVERY_LENGTH))
    return f"{code[:5]}-{code[5:]}"


def normalise_recovery_code(text: str) -> str | None:
    """The code as typed, spaces, hyphens and case aside; None when it cannot be a recovery code."""
    cleaned = "".join(character for character in text.upper() if character not in " -")
    if len(cleaned) != RECOVERY_LENGTH or any(character not in RECOVERY_ALPHABET for character in cleaned):
        return None
    return cleaned


def recovery_hash(normalised: str) -> str:
    return hmac.new(_key(b"recovery code"), normalised.encode(), hashlib.sha256).hexdigest()
