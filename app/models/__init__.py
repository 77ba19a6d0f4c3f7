"""SQLAlchemy models, one module per area."""

from app.models.audit import ApiToken, AuditEvent
from app.models.certificates import Certificate
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
from app.models.evidence import EvidenceFile
from app.models.messaging import Notification, NotificationPreference, OutboxMessage, ScanProblem, SchedulerLock
from app.models.people import ROLES, Organisation, ProgrammeSettings, Site, User
from app.models.programmes import Cohort, Competency, Enrolment, PathwayVersion, PreceptorAssignment
from app.models.reflections import Reflection
from app.models.signatures import ReviewSignature, ReviewSigningLink
from app.models.transfers import ImportedProgramme, OrganisationKey

__all__ = [
    "ROLES",
    "ApiToken",
    "Attendance",
    "AuditEvent",
    "Certificate",
    "Check",
    "Cohort",
    "Competency",
    "Confirmation",
    "Enrolment",
    "EvidenceFile",
    "HoursEntry",
    "ImportedProgramme",
    "Notification",
    "NotificationPreference",
    "Organisation",
    "OrganisationKey",
    "OutboxMessage",
    "PathwayVersion",
    "PreceptorAssignment",
    "Reflection",
    "ProgrammeSettings",
    "Review",
    "ReviewConfirmation",
    "ReviewSignature",
    "ReviewSigningLink",
    "ScanProblem",
    "SchedulerLock",
    "SignOffEvent",
    "Site",
    "TransitionEvent",
    "User",
]
