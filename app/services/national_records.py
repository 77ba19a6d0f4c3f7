"""Records the national rules ask for: an English and maths decision, an agreed review frequency,
recognised prior learning and a Care Certificate completed before Waymark."""

from __future__ import annotations

from datetime import date

from app.extensions import db
from app.models import EnglishMathsDecision, PriorCareCertificate, PriorLearning, ReviewFrequency, User
from app.services import audit
from app.services.clock import today
from app.services.enrolments import locked_enrolment
from app.services.errors import NotFound, ValidationFailed
from app.services.facts import assess_one
from app.services.permissions import require_lead, require_preceptor_or_lead
from app.services.unit_of_work import command
from app.services.values import Problems, check_date, check_number, check_text
from pathways import format_date
from pathways.national_guards import ADULT_AGE, ENGLISH_MATHS_OPTIONAL_FROM
from pathways.schedule import age_on, make_clock

ENGLISH_MATHS_DECISIONS = {
    "continue": "Continue studying English and maths",
    "not_taking": "Not taking English and maths",
}
FREQUENCY_UNITS = ("weeks", "months")
MAX_PRIOR_LEARNING_HOURS = 2000


def _day(problems: Problems, field: str, value: object, *, earliest: date, what: str) -> date | None:
    day = check_date(problems, field, value, required=f"Enter the date {what}")
    if day is not None and day > today():
        problems[field] = "The date cannot be in the future"
    elif day is not None and day < earliest:
        problems[field] = f"The date cannot be before {format_date(earliest)}"
    return day


@command("english_maths.decide", target="enrolment_id")
def record_english_maths_decision(
    actor: User, enrolment_id: int, *, decision: object, decided_on: object, note: object = ""
) -> EnglishMathsDecision:
    """An apprentice aged 19 or over at start and their employer decide whether to go on with English and
    maths (optional for everyone in learning from 11 February 2025); the lead records it and its date."""
    enrolment = locked_enrolment(actor, enrolment_id)
    require_lead(actor, enrolment.organisation_id)
    assessed = assess_one(enrolment, today())
    if not any(g.name == "english_maths_met" for t in assessed.definition.transitions for g in t.guards):
        raise ValidationFailed({"decision": "This programme has no English and maths requirement"})
    born = enrolment.learner.date_of_birth
    if born is None:
        raise ValidationFailed({"decision": "Record the learner's date of birth first"})
    if age_on(born, make_clock(assessed.definition, assessed.facts).start) < ADULT_AGE:
        raise ValidationFailed(
            {"decision": "English and maths are required for apprentices aged 16 to 18 at start: there is no decision"}
        )
    problems: Problems = {}
    earliest = max(ENGLISH_MATHS_OPTIONAL_FROM, enrolment.start_date)
    day = _day(problems, "decided_on", decided_on, earliest=earliest, what="of the decision")
    text = check_text(problems, "note", note, max_length=2000)
    if decision not in ENGLISH_MATHS_DECISIONS:
        problems["decision"] = "Select whether the apprentice continues with English and maths"
    if problems:
        raise ValidationFailed(problems)
    row = EnglishMathsDecision(
        enrolment_id=enrolment.id, decision=decision, decided_on=day, note=text, recorded_by_id=actor.id
    )
    db.session.add(row)
    audit.record(actor, "english_maths.decided", row, enrolment_id=enrolment.id, decision=decision, decided_on=day)
    return row


@command("review_frequency.agree", target="enrolment_id")
def agree_review_frequency(
    actor: User, enrolment_id: int, *, every: object, unit: object, reason: object, agreed_on: object
) -> ReviewFrequency:
    """An alternative review frequency agreed for one learner, with its reason; reviews then fall due
    that long after the last one held."""
    enrolment = locked_enrolment(actor, enrolment_id)
    require_preceptor_or_lead(actor, enrolment)
    assessed = assess_one(enrolment, today())
    if not any(s.every_weeks or s.every_months for s in assessed.definition.review_schedules):
        raise ValidationFailed({"every": "This programme's reviews are fixed meetings, not a repeating frequency"})
    problems: Problems = {}
    day = _day(problems, "agreed_on", agreed_on, earliest=enrolment.start_date, what="it was agreed")
    text = check_text(problems, "reason", reason, max_length=2000, required="Enter the reason for the frequency")
    number = check_number(problems, "every", every, message="Enter how often, as a whole number")
    limit = 52 if unit == "weeks" else 12
    if unit not in FREQUENCY_UNITS:
        problems["unit"] = "Select weeks or months"
    elif number is not None and (number != int(number) or not 1 <= number <= limit):
        problems["every"] = f"Enter a whole number of {unit} from 1 to {limit}"
    if problems:
        raise ValidationFailed(problems)
    assert number is not None
    weeks, months = (int(number), None) if unit == "weeks" else (None, int(number))
    row = ReviewFrequency(
        enrolment_id=enrolment.id,
        every_weeks=weeks,
        every_months=months,
        reason=text,
        agreed_on=day,
        recorded_by_id=actor.id,
    )
    db.session.add(row)
    audit.record(actor, "review_frequency.agreed", row, enrolment_id=enrolment.id, every=f"{number} {unit}")
    return row


@command("prior_learning.record", target="enrolment_id")
def record_prior_learning(
    actor: User, enrolment_id: int, *, hours: object, reason: object, recorded_on: object
) -> PriorLearning:
    """Recognised prior learning: the only thing that reduces an apprentice's published off-the-job minimum."""
    enrolment = locked_enrolment(actor, enrolment_id)
    require_lead(actor, enrolment.organisation_id)
    assessed = assess_one(enrolment, today())
    if not any(rule.less_prior_learning for rule in assessed.definition.hours_rules):
        raise ValidationFailed({"hours": "Prior learning does not change this programme's hours target"})
    problems: Problems = {}
    day = _day(problems, "recorded_on", recorded_on, earliest=enrolment.start_date, what="it was assessed")
    text = check_text(problems, "reason", reason, max_length=2000, required="Enter the prior learning recognised")
    number = check_number(problems, "hours", hours, message="Enter the hours as a number, like 40")
    if number is not None and not 0 < number <= MAX_PRIOR_LEARNING_HOURS:
        problems["hours"] = f"Hours must be more than 0 and no more than {MAX_PRIOR_LEARNING_HOURS:,}"
    if problems:
        raise ValidationFailed(problems)
    row = PriorLearning(
        enrolment_id=enrolment.id, hours=float(number or 0), reason=text, recorded_on=day, recorded_by_id=actor.id
    )
    db.session.add(row)
    audit.record(actor, "prior_learning.recorded", row, enrolment_id=enrolment.id, hours=float(number or 0))
    return row


@command("care_certificate.prior", target="learner_id")
def record_prior_care_certificate(
    actor: User, learner_id: int, *, completed_on: object, evidence: object
) -> PriorCareCertificate:
    """A Care Certificate completed before Waymark (another employer, paper records), with its date and
    evidence; it meets the Higher Development Award's prerequisite like one completed here."""
    require_lead(actor, actor.organisation_id)
    learner = db.session.get(User, learner_id)
    if learner is None or learner.organisation_id != actor.organisation_id:
        raise NotFound("There is no such person")
    problems: Problems = {}
    day = _day(problems, "completed_on", completed_on, earliest=date(2015, 1, 1), what="it was completed")
    text = check_text(
        problems, "evidence", evidence, max_length=2000, required="Enter the evidence, like the certificate's reference"
    )
    if problems:
        raise ValidationFailed(problems)
    row = PriorCareCertificate(learner_id=learner.id, completed_on=day, evidence=text, recorded_by_id=actor.id)
    db.session.add(row)
    audit.record(actor, "care_certificate.prior_recorded", row, learner_id=learner.id, completed_on=day)
    return row
