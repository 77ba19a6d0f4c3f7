"""The vocabulary of reminders: kinds, who gets them, and the plain values the rules read and return."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from pathways import Evaluation

LEARNER, PRECEPTOR, LEAD = "learner", "preceptor", "lead"

# Rule keys, stored in the outbox and used as notification kinds and preference keys.
REVIEW_DUE = "review_due"
REVIEW_OVERDUE = "review_overdue"
REVIEW_OVERDUE_LEAD = "review_overdue_lead"
SIGNOFF_WAITING = "signoff_waiting"
HOURS_BEHIND = "hours_behind"
STAGE_DEADLINE = "stage_deadline"
NO_PRECEPTOR = "no_preceptor"
LEAD_DIGEST = "lead_digest"

KIND_TITLES = {
    REVIEW_DUE: "Review coming up",
    REVIEW_OVERDUE: "Review overdue",
    REVIEW_OVERDUE_LEAD: "Review overdue by more than two weeks",
    SIGNOFF_WAITING: "Sign-off request waiting",
    HOURS_BEHIND: "Hours behind plan",
    STAGE_DEADLINE: "Stage deadline coming up",
    NO_PRECEPTOR: "No preceptor assigned",
    LEAD_DIGEST: "Weekly summary of overdue items",
}
# What each role receives; the kinds a role may switch email off for leave out what it must act on.
KINDS_BY_ROLE = {
    LEARNER: (REVIEW_DUE, STAGE_DEADLINE, HOURS_BEHIND),
    PRECEPTOR: (REVIEW_DUE, REVIEW_OVERDUE, SIGNOFF_WAITING, STAGE_DEADLINE),
    LEAD: (REVIEW_OVERDUE_LEAD, NO_PRECEPTOR, LEAD_DIGEST),
}
ALWAYS_EMAILED = {PRECEPTOR: frozenset({REVIEW_OVERDUE})}

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
