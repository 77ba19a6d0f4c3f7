"""The unit of work every command runs in: one transaction, one writer per record, refusals audited.

A service function decorated with ``@command("enrolment.transition", target="enrolment_id")``
commits when it returns and rolls back when it raises; a refusal is then written as its own
audit event, so a refused write leaves a trace and nothing else. A command called from inside
another (the import enrols through ``enrol``) joins the outer unit of work instead of committing.
"""

from __future__ import annotations

import functools
import inspect
import json
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any, ParamSpec, TypeVar

from sqlalchemy import select, text
from sqlalchemy.exc import IntegrityError, OperationalError

from app.extensions import db
from app.models import AuditEvent, Enrolment, User
from app.services import fact_versions  # noqa: F401  (its hook raises facts versions in every transaction)
from app.services.errors import Conflict, ServiceError

P = ParamSpec("P")
R = TypeVar("R")

_depth: ContextVar[int] = ContextVar("unit_of_work_depth", default=0)
_refusals: ContextVar[int] = ContextVar("refusals_recorded", default=0)
RACE_MESSAGE = "Someone else changed this record at the same moment. Nothing was saved: reload the page and try again"
# PostgreSQL serialization failure, deadlock, lock not available; SQLite's busy timeout.
_LOCK_SQLSTATES = {"40001", "40P01", "55P03"}


def _duplicate(error: IntegrityError) -> bool:
    """A unique constraint refused a row another writer committed first; any other integrity error is a bug."""
    return getattr(error.orig, "sqlstate", None) == "23505" or "UNIQUE constraint failed" in str(error.orig)


def _lost_race(error: OperationalError) -> bool:
    sqlstate = getattr(error.orig, "sqlstate", None)
    return sqlstate in _LOCK_SQLSTATES or "database is locked" in str(error.orig)


@contextmanager
def unit_of_work() -> Iterator[None]:
    """Commit everything or nothing; a nested unit joins the outer one."""
    depth = _depth.get()
    token = _depth.set(depth + 1)
    try:
        yield
        if depth == 0:
            db.session.commit()
    except IntegrityError as error:
        db.session.rollback()
        if _duplicate(error):
            raise Conflict(RACE_MESSAGE) from error
        raise
    except OperationalError as error:
        db.session.rollback()
        if _lost_race(error):
            raise Conflict(RACE_MESSAGE) from error
        raise
    except BaseException:
        db.session.rollback()
        raise
    finally:
        _depth.reset(token)


def command(name: str, *, target: str | None = None) -> Callable[[Callable[P, R]], Callable[P, R]]:
    """Run a service function as one unit of work and audit its refusal as ``<name>.refused``.

    ``target`` names the argument holding the id of the object acted on (for the audit event).
    The function's first argument is the actor (a ``User``, or None for the system).
    """

    def decorate(function: Callable[P, R]) -> Callable[P, R]:
        signature = inspect.signature(function)

        @functools.wraps(function)
        def run(*args: P.args, **kwargs: P.kwargs) -> R:
            nested = _depth.get() > 0
            try:
                with unit_of_work():
                    return function(*args, **kwargs)
            except ServiceError as error:
                if not nested:
                    bound = signature.bind_partial(*args, **kwargs).arguments
                    actor = next(iter(bound.values()), None)
                    object_id = bound.get(target) if target is not None else None
                    record_refusal(actor if isinstance(actor, User) else None, name, object_id, error)
                raise

        return run

    return decorate


def record_refusal(actor: User | None, name: str, object_id: Any, error: ServiceError) -> None:
    """Who tried what on which object and why it was refused, in a transaction of its own."""
    detail: dict[str, Any] = {"code": error.code, "reason": error.message}
    if hasattr(error, "fields"):
        detail["fields"] = error.fields
    if hasattr(error, "reasons"):
        detail["reasons"] = error.reasons
    _refusals.set(_refusals.get() + 1)
    try:
        db.session.add(
            AuditEvent(
                organisation_id=actor.organisation_id if actor else None,
                actor_id=actor.id if actor else None,
                action=f"{name}.refused",
                object_type=name.split(".")[0],
                object_id=object_id if isinstance(object_id, int) and 0 < object_id < 2**31 else None,
                enrolment_id=None,
                detail=json.dumps(detail, default=str, sort_keys=True),
            )
        )
        db.session.commit()
    except Exception:
        db.session.rollback()
        raise


def refusals_recorded() -> int:
    """How many refusals this context has recorded (a request's hook records the rest)."""
    return _refusals.get()


def forget_refusals() -> None:
    _refusals.set(0)


def lock_enrolment(enrolment_id: int) -> Enrolment | None:
    """Take the one-writer lock on an enrolment and read it afresh.

    PostgreSQL locks the row (``SELECT ... FOR UPDATE``); SQLite has one writer per database, taken
    here by a write that changes nothing, so that what is read next cannot change before the commit.
    """
    if db.engine.dialect.name == "sqlite":
        db.session.execute(text("UPDATE enrolments SET state = state WHERE id = :id"), {"id": enrolment_id})
        query = select(Enrolment).where(Enrolment.id == enrolment_id)
    else:
        query = select(Enrolment).where(Enrolment.id == enrolment_id).with_for_update()
    return db.session.scalar(query.execution_options(populate_existing=True))


def lock_person(user_id: int) -> None:
    """Serialise writes about one person (their enrolments) in the same way."""
    if db.engine.dialect.name == "sqlite":
        db.session.execute(text("UPDATE users SET id = id WHERE id = :id"), {"id": user_id})
    else:
        db.session.execute(select(User.id).where(User.id == user_id).with_for_update())
