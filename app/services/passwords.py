"""Argon2id password hashing and the password policy (NCSC guidance: length, no composition rules)."""

from __future__ import annotations

from collections.abc import Iterable

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from zxcvbn import zxcvbn
from zxcvbn.frequency_lists import FREQUENCY_LISTS

# OWASP's Password Storage Cheat Sheet minimum for Argon2id: 19 MiB, 2 passes, 1 lane. argon2-cffi's default
# (RFC 9106's 64 MiB, 3 passes, 4 lanes) cost 246 ms of CPU a sign-in on a 2-core server (4 lanes on 2 cores),
# so a shift's sign-ins queued every other request behind them; this costs 42 ms. Hashes made with the old
# parameters still verify, and are made again with these at the person's next sign-in (``needs_rehash``).
_hasher = PasswordHasher(time_cost=2, memory_cost=19456, parallelism=1)
MIN_LENGTH, MAX_LENGTH = 12, 128
MIN_SCORE = 3  # zxcvbn's "safely unguessable": about 10^8 guesses or more
ZXCVBN_LIMIT = 72  # zxcvbn refuses longer input; the first 72 characters are what it judges
# The 30,000 passwords zxcvbn ships (from leaked password lists), most common first.
COMMON_PASSWORDS = frozenset(FREQUENCY_LISTS["passwords"])
TOO_EASY = "This password is too common or easy to guess. Try 3 or 4 unrelated words"


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


def password_problem(password: str, *, email: str = "", context: Iterable[str] = ()) -> str | None:
    """Length, a common-password list and zxcvbn's guessability score; ``context`` holds the person's own words."""
    if len(password) < MIN_LENGTH:
        return f"Your password must be at least {MIN_LENGTH} characters"
    if len(password) > MAX_LENGTH:
        return f"Your password must be {MAX_LENGTH} characters or fewer"
    lowered = password.lower()
    if lowered in COMMON_PASSWORDS or (email and lowered == email.lower()):
        return TOO_EASY
    inputs = [word.lower() for word in context] + ([email.lower()] if email else [])
    if zxcvbn(password[:ZXCVBN_LIMIT], user_inputs=inputs)["score"] < MIN_SCORE:
        return TOO_EASY
    return None
