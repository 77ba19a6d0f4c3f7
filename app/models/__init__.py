"""SQLAlchemy models, one module per area."""

from app.models.audit import ApiToken, AuditEvent
from app.models.events import (
    Attendance,
    Check,
    Confirmation,
    HoursEntry,
    Review,
    ReviewConfirmation,
    SignOffEvent,
    TransitionEvent,
)
from app.models.messaging import Notification, NotificationPreference, OutboxMessage, ScanProblem, SchedulerLock
from app.models.people import ROLES, Organisation, ProgrammeSettings, Site, User
from app.models.programmes import Cohort, Competency, Enrolment, PathwayVersion, PreceptorAssignment
from app.models.scans import ReminderScanMark

__all__ = [
    "ROLES",
    "ApiToken",
    "Attendance",
    "AuditEvent",
    "Check",
    "Cohort",
    "Competency",
    "Confirmation",
    "Enrolment",
    "HoursEntry",
    "Notification",
    "NotificationPreference",
    "Organisation",
    "OutboxMessage",
    "PathwayVersion",
    "PreceptorAssignment",
    "ProgrammeSettings",
    "ReminderScanMark",
    "Review",
    "ReviewConfirmation",
    "ScanProblem",
    "SchedulerLock",
    "SignOffEvent",
    "Site",
    "TransitionEvent",
    "User",
]
