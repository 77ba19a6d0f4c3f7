"""Audit events: every write records who did what to which object."""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from app.extensions import db
from app.models import AuditEvent, User

_batch: ContextVar[list[tuple[AuditEvent, Any]] | None] = ContextVar("audit_batch", default=None)


def record(
    actor: User | None,
    action: str,
    obj: Any,
    *,
    organisation_id: int | None = None,
    enrolment_id: int | None = None,
    **detail: Any,
) -> AuditEvent:
    """Add an audit event to the current transaction (the caller commits)."""
    pending = _batch.get()
    if pending is None:
        db.session.flush()
    event = AuditEvent(
        organisation_id=organisation_id if organisation_id is not None else getattr(actor, "organisation_id", None),
        actor_id=actor.id if actor else None,
        action=action,
        object_type=type(obj).__name__ if obj is not None else "",
        object_id=getattr(obj, "id", None),
        enrolment_id=enrolment_id,
        detail=json.dumps(detail, default=str, sort_keys=True),
    )
    if pending is None:
        db.session.add(event)
    else:
        pending.append((event, obj))
    return event


@contextmanager
def batched() -> Iterator[None]:
    """Inside the block, events wait and are written together at its end: one flush, not one per event.

    For bulk writes (the learner import), where a flush per event would mean a round trip per row.
    """
    pending: list[tuple[AuditEvent, Any]] = []
    token = _batch.set(pending)
    try:
        yield
        db.session.flush()
        for event, obj in pending:
            event.object_id = getattr(obj, "id", None)
        db.session.add_all(event for event, _ in pending)
        db.session.flush()
    finally:
        _batch.reset(token)
