"""The vocabulary of reminders: kinds, who gets them, and the plain values the rules read and return."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from pathways import Evaluation

# The kinds are shared with the notification settings (app.services.notifications): defined below both.
from pathways.reminder_kinds import (
    ALWAYS_EMAILED,
    HOURS_BEHIND,
    KIND_TITLES,
    KINDS_BY_ROLE,
    LEAD,
    LEAD_DIGEST,
    LEARNER,
    NO_PRECEPTOR,
    PRECEPTOR,
    REVIEW_DUE,
    REVIEW_OVERDUE,
    REVIEW_OVERDUE_LEAD,
    SIGNOFF_WAITING,
    STAGE_DEADLINE,
)

__all__ = [
    "ALWAYS_EMAILED",
    "HOURS_BEHIND",
    "KIND_TITLES",
    "KINDS_BY_ROLE",
    "LEAD",
    "LEAD_DIGEST",
    "LEARNER",
    "NO_PRECEPTOR",
    "PRECEPTOR",
    "REVIEW_DUE",
    "REVIEW_OVERDUE",
    "REVIEW_OVERDUE_LEAD",
    "SIGNOFF_WAITING",
    "STAGE_DEADLINE",
]

PATHS = {
    LEARNER: "/learner/enrolments/{id}",
    PRECEPTOR: "/preceptor/enrolments/{id}",
    LEAD: "/lead/enrolments/{id}",
}
SIGNOFF_QUEUE_PATH = "/preceptor/signoffs"
DIGEST_PATH = "/"


@dataclass(frozen=True)
class Thresholds:
    """The settings behind the rules (config.py REMINDER_*), with the agreed defaults."""

    review_soon_days: int = 7
    review_escalate_days: int = 14
    signoff_wait_days: int = 7
    hours_behind: float = 0.2
    stage_deadline_days: int = 14

    @classmethod
    def from_config(cls, config: Mapping[str, Any]) -> Thresholds:
        return cls(
            review_soon_days=int(config.get("REMINDER_REVIEW_SOON_DAYS", 7)),
            review_escalate_days=int(config.get("REMINDER_REVIEW_ESCALATE_DAYS", 14)),
            signoff_wait_days=int(config.get("REMINDER_SIGNOFF_WAIT_DAYS", 7)),
            hours_behind=float(config.get("REMINDER_HOURS_BEHIND", 0.2)),
            stage_deadline_days=int(config.get("REMINDER_STAGE_DEADLINE_DAYS", 14)),
        )


@dataclass(frozen=True)
class Person:
    id: int
    first_name: str
    email: str = ""


@dataclass(frozen=True)
class PendingSignOff:
    title: str
    requested_on: date


@dataclass(frozen=True)
class Situation:
    """What the rules need to know about one enrolment on the scan day."""

    enrolment_id: int
    organisation_id: int
    learner: Person
    learner_name: str
    programme: str
    state: str
    start_date: date
    evaluation: Evaluation
    hours_logged: float
    hours_label: str
    preceptors: tuple[Person, ...]
    leads: tuple[Person, ...]
    pending_signoffs: tuple[PendingSignOff, ...] = ()


@dataclass(frozen=True)
class Reminder:
    """One message to one person; (rule, enrolment_id, due_on, recipient.id) is its outbox key."""

    rule: str
    enrolment_id: int
    due_on: date
    recipient: Person
    role: str
    subject: str
    lines: tuple[str, ...]
    path: str
    overdue: bool = False

    @property
    def key(self) -> tuple[str, int, date, int]:
        return (self.rule, self.enrolment_id, self.due_on, self.recipient.id)


@dataclass(frozen=True)
class OverdueItem:
    """An overdue review or deadline, gathered for the leads' weekly digest."""

    organisation_id: int
    enrolment_id: int
    learner_name: str
    title: str
    due: date
