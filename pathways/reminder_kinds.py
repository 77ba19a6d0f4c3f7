"""The kinds of reminder: rule keys, their titles, who receives each, and what is always emailed.

Shared by the reminder rules (``reminders/``) and the notification settings (``app.services``),
so it lives below both.
"""

from __future__ import annotations

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
# Notices sent when something happens rather than by the scan (app/services/notices.py).
SIGNOFF_DECIDED = "signoff_decided"
REVIEW_TO_SIGN = "review_to_sign"
# A review meeting booked, moved or cancelled: always emailed, with its calendar invitation.
REVIEW_MEETING = "review_meeting"

KIND_TITLES = {
    REVIEW_DUE: "Review coming up",
    REVIEW_OVERDUE: "Review overdue",
    REVIEW_OVERDUE_LEAD: "Review overdue by more than two weeks",
    SIGNOFF_WAITING: "Sign-off request waiting",
    HOURS_BEHIND: "Hours behind plan",
    STAGE_DEADLINE: "Stage deadline coming up",
    NO_PRECEPTOR: "No preceptor assigned",
    LEAD_DIGEST: "Weekly summary of overdue items",
    SIGNOFF_DECIDED: "A competency signed off or returned",
    REVIEW_TO_SIGN: "A review waiting for your signature",
    REVIEW_MEETING: "A review meeting booked, moved or cancelled",
}
# What each role receives; the kinds a role may switch email off for leave out what it must act on.
KINDS_BY_ROLE = {
    LEARNER: (REVIEW_DUE, STAGE_DEADLINE, HOURS_BEHIND, SIGNOFF_DECIDED, REVIEW_TO_SIGN),
    PRECEPTOR: (REVIEW_DUE, REVIEW_OVERDUE, SIGNOFF_WAITING, STAGE_DEADLINE),
    LEAD: (REVIEW_OVERDUE_LEAD, NO_PRECEPTOR, LEAD_DIGEST),
}
ALWAYS_EMAILED = {PRECEPTOR: frozenset({REVIEW_OVERDUE})}
