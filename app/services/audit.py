"""Audit events: every write records who did what to which object."""

from __future__ import annotations

import json
from typing import Any

from app.extensions import db
from app.models import AuditEvent, User


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
    db.session.add(event)
    return event
