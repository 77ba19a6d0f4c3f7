"""Argon2id password hashing and the password policy (NCSC / NIST 800-63B style)."""

from __future__ import annotations

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

_hasher = PasswordHasher()
MIN_LENGTH, MAX_LENGTH = 12, 128
COMMON_PASSWORDS = frozenset(
    """password1234 password12345 123456789012 qwertyuiop12 iloveyou1234 letmein12345 welcome12345
    passwordpassword 1234567890123 abcdefghijkl qwertyuiopas administrator nhspassword1 changeme1234
    password123! Password1234 Password123! Welcome12345 Summer2026!! Winter2026!! 111111111111
    000000000000 trustno1trustno1 football1234 monkey123456 dragon123456 sunshine1234""".lower().split()
)


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(stored_hash: str | None, password: str) -> bool:
    if not stored_hash:
        return False
    try:
        return _hasher.verify(stored_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(stored_hash: str) -> bool:
    return _hasher.check_needs_rehash(stored_hash)


def password_problem(password: str, *, email: str = "") -> str | None:
    """Length and a deny-list, no composition rules."""
    if len(password) < MIN_LENGTH:
        return f"Your password must be at least {MIN_LENGTH} characters"
    if len(password) > MAX_LENGTH:
        return f"Your password must be {MAX_LENGTH} characters or fewer"
    lowered = password.lower()
    if lowered in COMMON_PASSWORDS or (email and lowered == email.lower()) or len(set(password)) < 4:
        return "This password is too common or easy to guess; choose another"
    return None
