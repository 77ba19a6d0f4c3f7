"""Which enrolments a scan reads: every active one, or, repeating a complete scan of the same day, only the changed.

The rules are pure functions of an enrolment's facts and the scan day, so on the day a complete
scan already ran, an enrolment whose facts have not changed since can give nothing new. Every
write to an enrolment's facts goes through a service command that appends an audit event naming
the enrolment; a repeat scan reads the audit events after the last scan's watermark and
evaluates just those enrolments, plus those the last scan could not check. Any write that is not
tied to one enrolment (an import, a person's details, settings) and any change of thresholds,
programme definitions or base URL makes the scan read everything, as does a new day: due dates
cross thresholds as days pass, and that is not yet worked out per enrolment.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import func, select

from app.extensions import db
from app.models import AuditEvent, ReminderScanMark, ScanProblem
from app.services.catalogue import catalogue
from reminders.model import Thresholds

# Writes that change no enrolment's reminders: reading a report, a new cohort or organisation (no one in them yet).
NO_REMINDER_EFFECT = frozenset({"report.export", "cohort.create", "organisation.create"})


@dataclass(frozen=True)
class ScanPlan:
    """``only``: the enrolments to evaluate, or None for every active one; ``watermark`` is recorded at the end."""

    only: frozenset[int] | None
    watermark: int
    fingerprint: str

    @property
    def full(self) -> bool:
        return self.only is None


def fingerprint(thresholds: Thresholds, config: Mapping[str, Any]) -> str:
    """What, besides the facts, the scan's output depends on."""
    definitions = sorted((d.key, d.version) for d in catalogue())
    return hashlib.sha256(repr((thresholds, config.get("BASE_URL"), definitions)).encode()).hexdigest()


def plan(as_of: date, print_: str) -> ScanPlan:
    watermark = db.session.scalar(select(func.coalesce(func.max(AuditEvent.id), 0))) or 0
    mark = db.session.scalars(select(ReminderScanMark).order_by(ReminderScanMark.id.desc()).limit(1)).first()
    full = ScanPlan(None, watermark, print_)
    if mark is None or mark.as_of != as_of or mark.fingerprint != print_:
        return full
    changed: set[int] = set()
    events = db.session.execute(
        select(AuditEvent.action, AuditEvent.enrolment_id)
        .where(AuditEvent.id > mark.audit_watermark, AuditEvent.id <= watermark)
        .distinct()
    )
    for action, enrolment_id in events:
        if action.endswith(".refused") or action in NO_REMINDER_EFFECT:
            continue
        if enrolment_id is None:
            return full
        changed.add(enrolment_id)
    changed.update(db.session.scalars(select(ScanProblem.enrolment_id)))
    return ScanPlan(frozenset(changed), watermark, print_)
