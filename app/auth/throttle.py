"""Sign-in throttling: only wrong passwords count, per account and per address, in the limiter's storage.

Counting successes too would lock out a whole trust behind one NHS outgoing address. The counters
live wherever ``RATELIMIT_STORAGE_URI`` says (Redis when several processes serve), so every worker
sees the same lock. A lock is a one-hit limit lasting ``ACCOUNT_LOCK_MINUTES``: it lifts by itself.
"""

from __future__ import annotations

from flask import current_app
from limits import RateLimitItem, parse
from limits.strategies import RateLimiter

from app.extensions import limiter

FAILURES, FROM_ADDRESS, LOCKED = "sign-in-failures", "sign-in-failures-from", "sign-in-locked"


def _items() -> tuple[RateLimitItem, RateLimitItem, RateLimitItem]:
    config = current_app.config
    return (
        parse(config["LOGIN_LIMIT_PER_ACCOUNT"]),
        parse(config["LOGIN_LIMIT_PER_ADDRESS"]),
        parse(f"1 per {config['ACCOUNT_LOCK_MINUTES']} minutes"),
    )


def _strategy() -> RateLimiter | None:
    return limiter.limiter if limiter.enabled else None


def account_locked(email: str) -> bool:
    strategy = _strategy()
    return strategy is not None and not strategy.test(_items()[2], LOCKED, _key(email))


def address_blocked(address: str) -> bool:
    strategy = _strategy()
    return strategy is not None and not strategy.test(_items()[1], FROM_ADDRESS, address)


def record_failure(email: str, address: str) -> bool:
    """Count one wrong password; True when it is the one that locks the account."""
    strategy = _strategy()
    if strategy is None:
        return False
    per_account, per_address, lock = _items()
    strategy.hit(per_address, FROM_ADDRESS, address)
    if strategy.hit(per_account, FAILURES, _key(email)) and strategy.test(per_account, FAILURES, _key(email)):
        return False
    strategy.clear(per_account, FAILURES, _key(email))
    strategy.hit(lock, LOCKED, _key(email))
    return True


def lift(email: str) -> None:
    """A password set through a reset link ends the lock at once."""
    if (strategy := _strategy()) is not None:
        per_account, _, lock = _items()
        strategy.clear(lock, LOCKED, _key(email))
        strategy.clear(per_account, FAILURES, _key(email))


def _key(email: str) -> str:
    return email.strip().lower()
