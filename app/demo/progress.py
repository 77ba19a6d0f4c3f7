"""Move a demo enrolment along its programme the way real people would: through the services."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, timedelta

from app.models import Enrolment, User
from app.services import hours, records, reviews, signoffs, transitions
from app.services.clock import today
from app.services.errors import ServiceError
from app.services.facts import assess_one
from app.services.outcomes import post_needed
from pathways import check_action
from pathways.facts import PostAppointed
from pathways.off_the_job import apprenticeship_period


@dataclass(frozen=True)
class Cast:
    """Who acts on one enrolment."""

    learner: User
    preceptor: User
    lead: User


def _date_for(enrolment: Enrolment, guards: list[str], earliest: date) -> date:
    """The first day the time-based guards of a transition can hold."""
    assessed = assess_one(enrolment, earliest)
    stage = assessed.definition.stage(enrolment.stage)
    day = earliest
    if "duration_reached" in guards:
        day = max(day, assessed.evaluation.expected_end)
    if "stage_time_reached" in guards and stage.length_weeks:
        day = max(day, enrolment.stage_entered_on + timedelta(weeks=stage.length_weeks))
    if "hours_met" in guards:
        day = max(day, assessed.evaluation.expected_end - timedelta(days=30))
    if "supernumerary_done" in guards:
        day = max(day, enrolment.stage_entered_on + timedelta(weeks=2))
    return day


def sign_off_all(cast: Cast, enrolment: Enrolment, limit: int | None = None) -> None:
    assessed = assess_one(enrolment, today())
    wanted = [c for c in assessed.evaluation.competencies if c.key not in assessed.facts.signed_off]
    for competency in wanted[:limit]:
        signoffs.act(cast.learner, enrolment.id, competency.key, "request", text=f"Evidence for {competency.title}")
        signoffs.act(cast.preceptor, enrolment.id, competency.key, "sign", text="Observed in practice")


def hold_reviews(cast: Cast, enrolment: Enrolment, until: date, skip: set[str] = frozenset()) -> None:
    """Record and confirm every review due by ``until`` (except ``skip``)."""
    evaluation = assess_one(enrolment, until).evaluation
    for slot in evaluation.review_slots:
        if slot.held_on is None and slot.due <= until and slot.key not in skip:
            review = reviews.record_review(
                cast.preceptor,
                enrolment.id,
                slot=slot.key,
                held_on=min(slot.due, today()),
                outcome="on_track",
                notes="Progress discussed against the learning plan.",
                agreed_actions="Continue as planned.",
            )
            reviews.confirm_review(cast.learner, review.id)


def log_hours(cast: Cast, enrolment: Enrolment, total: float, until: date) -> None:
    """Spread ``total`` hours over Wednesdays, then other weekdays, up to ``until``, 7.5 at most a day;
    off-the-job hours only inside the apprenticeship, as the funding rules count them."""
    assessed = assess_one(enrolment, until)
    since, ended = apprenticeship_period(assessed.definition, assessed.facts)
    if since is None:  # the apprenticeship has not started: nothing counts yet
        return
    if ended is not None:
        until = min(until, ended - timedelta(days=1))
    days = [since + timedelta(days=n) for n in range((until - since).days + 1)]
    days = [d for d in days if d.weekday() == 2] + [d for d in days if d.weekday() in (0, 1, 3, 4)]
    left = total
    for day in days:
        if left <= 0:
            break
        amount = min(7.5, left)
        hours.log_hours(
            cast.learner,
            enrolment.id,
            worked_on=day,
            hours=amount,
            activity_type="teaching",
            learning="Study day: reflected on practice and agreed next steps.",
        )
        left -= amount


def satisfy(cast: Cast, enrolment: Enrolment, to: str, on: date) -> None:
    """Record whatever the guards of the transition to ``to`` ask for."""
    assessed = assess_one(enrolment, on)
    transition = next(t for t in assessed.definition.transitions_from(enrolment.stage) if t.to == to)
    for guard in transition.guards:
        name, arg = guard.name, guard.arg
        facts = assess_one(enrolment, on).facts
        if name in ("all_competencies_signed", "competencies_signed", "compulsory_signed"):
            sign_off_all(cast, enrolment)
        elif name == "reviews_held":
            hold_reviews(cast, enrolment, on)
        elif name == "hours_met":
            evaluation = assess_one(enrolment, on).evaluation
            log_hours(cast, enrolment, evaluation.hours_target_total - facts.hours_logged, on)
        elif name == "check_cleared" and facts.checks.get(arg) != "cleared":
            records.record_check(cast.lead, enrolment.id, kind=arg, result="cleared", checked_on=on)
        elif name == "assessment_ready":
            for kind in ("english", "maths"):
                records.record_check(cast.lead, enrolment.id, kind=kind, result="ready", checked_on=on)
        elif name == "assessment_not_ready":
            records.record_check(cast.lead, enrolment.id, kind="english", result="ready", checked_on=on)
            records.record_check(cast.lead, enrolment.id, kind="maths", result="not_ready", checked_on=on)
        elif name == "english_maths_met":
            for kind in ("english", "maths"):
                records.record_check(cast.lead, enrolment.id, kind=kind, result="cleared", checked_on=on)
        elif (
            name == "confirmed"
            and arg not in facts.confirmations
            and (guard.when or {}).items() <= dict(facts.settings).items()
        ):
            actor = cast.preceptor if arg in records.PRECEPTOR_ONLY else cast.lead
            records.record_confirmation(actor, enrolment.id, arg, "Recorded for the demo")
        elif name == "epa_passed":
            records.record_check(cast.lead, enrolment.id, kind="epa", result="merit", checked_on=on)
        elif name == "attendance_met":
            days_needed = int(facts.settings[assessed.definition.attendance_required_setting])
            for n in range(days_needed - facts.attendance_days):
                records.record_attendance(
                    cast.preceptor,
                    enrolment.id,
                    attended_on=enrolment.start_date + timedelta(days=28 * n + 7),
                    title=f"Study day {n + 1}",
                )


def walk(cast: Cast, enrolment: Enrolment, path: list[str], *, gap_days: int = 7) -> None:
    """Advance along ``path`` as early as each step allows, stopping at today."""
    for to in path:
        assessed = assess_one(enrolment, today())
        transition = next(t for t in assessed.definition.transitions_from(enrolment.stage) if t.to == to)
        on = _date_for(
            enrolment, [g.name for g in transition.guards], enrolment.stage_entered_on + timedelta(days=gap_days)
        )
        if on > today():
            return
        satisfy(cast, enrolment, to, on)
        actor = cast.lead
        facts = assess_one(enrolment, on).facts
        post = None
        if post_needed(assessed.definition, enrolment.stage, to):
            post = {"post_title": "Healthcare support worker", "post_band": "Band 2", "post_starts_on": on}
            facts = replace(facts, post=PostAppointed("Healthcare support worker", "Band 2", on))
        reasons = check_action(assessed.definition, facts, "advance", to=to)
        if reasons:
            raise ServiceError(f"Demo could not move {cast.learner.full_name} to {to}: {'; '.join(reasons)}")
        transitions.transition(actor, enrolment.id, "advance", to=to, on=on, post=post)
