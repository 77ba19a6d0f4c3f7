"""The programme vocabulary every part of Waymark speaks: actions, states, checks, hours, confirmations.

Defined once here; the models, the services, the API schemas, the forms and the reports import it.
"""

from __future__ import annotations

# What a lead or preceptor may do to an enrolment; "enrol" is the first event of every history.
# "reinstate" undoes a mistaken withdrawal with an event of its own; the withdrawal stays in the history.
ACTIONS = ("advance", "hold", "resume", "extend", "withdraw", "reinstate")
ENROL = "enrol"
RECORDED_ACTIONS = (ENROL, *ACTIONS)
STATES = ("active", "on_hold", "withdrawn", "completed")
# Every definition's last stage; reaching it completes the programme.
FINAL_STAGE = "completed"

# Pre-employment checks, assessments and the end-point assessment, with the results each may take.
CHECK_RESULTS = {
    "dbs": ("pending", "cleared", "not_cleared", "exempt"),
    "occupational_health": ("pending", "cleared", "not_cleared", "exempt"),
    "english": ("pending", "ready", "not_ready", "cleared", "exempt"),
    "maths": ("pending", "ready", "not_ready", "cleared", "exempt"),
    "epa": ("fail", "pass", "merit", "distinction"),
}
CHECK_KINDS = tuple(CHECK_RESULTS)
CHECK_TITLES = {
    "dbs": "DBS check",
    "occupational_health": "Occupational health check",
    "english": "English assessment",
    "maths": "Maths assessment",
    "epa": "End-point assessment",
}
# The checks a guard may ask for, named as its reasons name them ("English not yet achieved").
GUARDED_CHECKS = {"dbs": "DBS check", "occupational_health": "Occupational health check", "english": "English",
                  "maths": "Maths"}  # fmt: skip

# Kinds of logged time; the first two count towards a programme's hours target.
HOURS_KINDS = ("protected_learning", "off_the_job", "supernumerary")
TARGET_HOURS_KINDS = ("protected_learning", "off_the_job")

# Who may record each confirmation a definition's [confirmations] table names; any other name may be
# recorded by the learner's preceptor or a programme lead.
PRECEPTOR_ONLY = frozenset({"final_signoff"})
LEAD_ONLY = frozenset(
    {
        "lead_countersignature",
        # the confirmations version 1 of the routes asked for; version 2 keeps records of its own
        "post_recorded",
        "english_maths_decision",
        "care_certificate_complete",
        "provider_ready",
        "referral_accepted",
    }
)
