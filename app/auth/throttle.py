"""Sign-in throttling: only wrong passwords count, per account and per address, in the limiter's storage.

Counting successes too would lock out a whole trust behind one NHS outgoing address. The counters
live wherever ``RATELIMIT_STORAGE_URI`` says (Redis when several processes serve), so every worker
sees the same lock. A lock is a one-hit limit lasting ``ACCOUNT_LOCK_MINUTES``: it lifts by itself.
When that store cannot be reached nobody is turned away for it: each process counts in its own
memory until the store answers again, and says so in the log.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TypeVar

from flask import current_app
from limits import RateLimitItem, parse
from limits.errors import StorageError
from limits.storage import MemoryStorage
from limits.strategies import FixedWindowRateLimiter, RateLimiter
from redis.exceptions import RedisError

from app.extensions import limiter

log = logging.getLogger(__name__)
_in_memory = FixedWindowRateLimiter(MemoryStorage())  # this process's count while the store is away
Answer = TypeVar("Answer")

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


def _counted(work: Callable[[RateLimiter], Answer]) -> Answer:
    """``work`` against the shared store or, while it cannot be reached, against this process's memory."""
    strategy = limiter.limiter
    try:
        return work(strategy)
    except (RedisError, StorageError, OSError) as error:
        log.error("Sign-in limits: the limit store (Redis) is unreachable, counting in this process: %s", error)
        return work(_in_memory)


def account_locked(email: str) -> bool:
    if _strategy() is None:
        return False
    return _counted(lambda strategy: not strategy.test(_items()[2], LOCKED, _key(email)))


def address_blocked(address: str) -> bool:
    if _strategy() is None:
        return False
    return _counted(lambda strategy: not strategy.test(_items()[1], FROM_ADDRESS, address))


def record_failure(email: str, address: str) -> bool:
    """Count one wrong password; True when it is the one that locks the account."""
    if _strategy() is None:
        return False
    per_account, per_address, lock = _items()

    def count(strategy: RateLimiter) -> bool:
        strategy.hit(per_address, FROM_ADDRESS, address)
        if strategy.hit(per_account, FAILURES, _key(email)) and strategy.test(per_account, FAILURES, _key(email)):
            return False
        strategy.clear(per_account, FAILURES, _key(email))
        strategy.hit(lock, LOCKED, _key(email))
        return True

    return _counted(count)


def lift(email: str) -> None:
    """A password set through a reset link ends the lock at once."""
    if _strategy() is None:
        return
    per_account, _, lock = _items()

    def clear(strategy: RateLimiter) -> None:
        strategy.clear(lock, LOCKED, _key(email))
        strategy.clear(per_account, FAILURES, _key(email))

    _counted(clear)
    _in_memory.clear(lock, LOCKED, _key(email))  # and any lock counted while the store was away
    _in_memory.clear(per_account, FAILURES, _key(email))


def _key(email: str) -> str:
    return email.strip().lower()


def forget_in_memory_counts() -> None:
    """What this process counted while the store was away (for tests that take it away)."""
    _in_memory.storage.reset()
