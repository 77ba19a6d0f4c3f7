"""SQLAlchemy models, one module per area."""

from app.models.access import LINK_PURPOSES, AccountLink
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
from app.models.jobs import BackgroundJob
from app.models.meetings import CalendarFeed, OutboxAttachment, ReviewMeeting, ReviewMeetingGuest
from app.models.messaging import Notification, NotificationPreference, OutboxMessage, ScanProblem, SchedulerLock
from app.models.national_records import (
    EnglishMathsDecision,
    PostAppointment,
    PriorCareCertificate,
    PriorLearning,
    ReviewFrequency,
)
from app.models.people import ROLES, Organisation, Site, User
from app.models.privacy import PAGE_KINDS, OrganisationPage, RetentionPolicy
from app.models.programmes import Cohort, Competency, Enrolment, PathwayVersion, PreceptorAssignment
from app.models.reflections import Reflection
from app.models.report_pages import ReportPageCache
from app.models.scans import ReminderScanMark
from app.models.settings import EnrolmentSettings, ProtectedTimeEntry, SettingsVersion
from app.models.signatures import ReviewSignature, ReviewSigningLink
from app.models.sso import MATCH_BY, SsoConfiguration
from app.models.transfers import ImportedProgramme, OrganisationKey
from app.models.two_factor import RecoveryCode, TwoFactorCredential, TwoFactorPolicy

__all__ = [
    "LINK_PURPOSES",
    "ROLES",
    "ReviewFrequency",
    "PriorLearning",
    "PriorCareCertificate",
    "PostAppointment",
    "EnglishMathsDecision",
    "AccountLink",
    "ApiToken",
    "Attendance",
    "AuditEvent",
    "Certificate",
    "Check",
    "Cohort",
    "Competency",
    "Confirmation",
    "Enrolment",
    "EnrolmentSettings",
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
    "ProtectedTimeEntry",
    "Reflection",
    "ReportPageCache",
    "ReminderScanMark",
    "Review",
    "ReviewConfirmation",
    "ReviewSignature",
    "ReviewSigningLink",
    "ScanProblem",
    "SettingsVersion",
    "SchedulerLock",
    "SignOffEvent",
    "Site",
    "TransitionEvent",
    "User",
    "MATCH_BY",
    "SsoConfiguration",
    "RecoveryCode",
    "TwoFactorCredential",
    "TwoFactorPolicy",
    "PAGE_KINDS",
    "OrganisationPage",
    "RetentionPolicy",
    "CalendarFeed",
    "OutboxAttachment",
    "ReviewMeeting",
    "ReviewMeetingGuest",
    "BackgroundJob",
]
